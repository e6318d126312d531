"""Error types and the `Problem` record used to report bad input."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) with an input file.

    `line` is 1-based; 0 means the problem concerns the whole file (e.g. its name).
    """

    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, "error", message)


def warning(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, "warning", message)


class PipelineError(Exception):
    """Base class for errors shown to the user without a traceback."""


class ConfigError(PipelineError):
    """The configuration is invalid (unknown key, bad value, missing file)."""


class LockError(PipelineError):
    """Another run holds the lock on the outputs folder (pipeline/core/lock.py)."""


class InputError(PipelineError):
    """One or more input files are invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.is_error]
        lines = "\n".join(f"  {p}" for p in errors)
        super().__init__(f"{len(errors)} error(s) in the input; nothing was written:\n{lines}")
