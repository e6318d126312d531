"""Typed fields of ``corpus/study.toml``: each value is checked for its kind, with the line.

TOML parses ``start = "2016-05-02"`` (quoted) as a string and ``labels = ["I", 5]`` as a mixed
list; both used to reach the comparison code and end in a traceback. Every field the study
reads goes through here, so a wrong kind becomes an error naming the file, line and key.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.core.errors import Problem, error


class Fields:
    """Read one TOML table's values by kind, collecting problems instead of raising."""

    def __init__(self, text: str, path: str, problems: list[Problem]):
        self.lines = text.splitlines()
        self.path = path
        self.problems = problems

    def line_of(self, key: str, start: int = 0) -> int:
        """1-based line where `key = ` is set, at or after line `start` (0 when not found)."""
        pattern = re.compile(rf"^\s*(\"{re.escape(key)}\"|{re.escape(key)})\s*=")
        for i in range(max(start - 1, 0), len(self.lines)):
            if pattern.match(self.lines[i]):
                return i + 1
        return start

    def header_line(self, header: str, nth: int = 1) -> int:
        """Line of the `nth` occurrence of a table header such as ``[[phases]]``."""
        pattern = re.compile(rf"^\s*{re.escape(header)}\s*(#.*)?$")
        seen = 0
        for i, line in enumerate(self.lines, 1):
            if pattern.match(line):
                seen += 1
                if seen == nth:
                    return i
        return 0

    def bad(self, key: str, start: int, message: str) -> None:
        self.problems.append(error(self.path, self.line_of(key, start), message))

    def table(self, raw: dict, name: str) -> dict:
        value = raw.get(name, {})
        if isinstance(value, dict):
            return value
        self.bad(name, 0, f"{name} must be a table ([{name}]), not {_kind(value)}")
        return {}

    def text(self, table: dict, key: str, default: str, where: str = "", start: int = 0) -> str:
        value = table.get(key, default)
        if isinstance(value, str):
            return value
        self.bad(key, start, f"{where}{key} must be text in quotes, not {_kind(value)} "
                 f"({value!r})")
        return default

    def flag(self, table: dict, key: str, default: bool, where: str = "") -> bool:
        value = table.get(key, default)
        if isinstance(value, bool):
            return value
        self.bad(key, 0, f"{where}{key} must be true or false, not {_kind(value)} ({value!r})")
        return default

    def texts(self, table: dict, key: str, default: tuple[str, ...], where: str = ""
              ) -> tuple[str, ...]:
        """A list of non-empty strings (the default when the key is absent)."""
        value = table.get(key, default)
        if not isinstance(value, (list, tuple)):
            self.bad(key, 0, f"{where}{key} must be a list of text in quotes, not "
                     f"{_kind(value)}")
            return default
        wrong = [v for v in value if not isinstance(v, str) or not v.strip()]
        if wrong:
            self.bad(key, 0, f"{where}{key}: every entry must be non-empty text in quotes; "
                     f"{wrong[0]!r} is {_kind(wrong[0])}")
            return tuple(v for v in value if isinstance(v, str) and v.strip())
        return tuple(value)

    def integer(self, table: dict, key: str, where: str, start: int) -> int | None:
        value = table.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.bad(key, start, f"{where}{key} must be a whole number such as 2016, not "
                 f"{_kind(value)} ({value!r})")
        return None

    def date(self, table: dict, key: str, where: str, start: int) -> dt.date | None:
        value = table.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        hint = " (a TOML date is written without quotes)" if isinstance(value, str) else ""
        self.bad(key, start, f"{where}{key} must be a date such as 2016-05-02{hint}, not "
                 f"{_kind(value)} ({value!r})")
        return None


def _kind(value: Any) -> str:
    if value is None:
        return "missing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)
