"""Configuration: one typed, frozen parameter dataclass per section is the single source of
defaults; ``analysis.cfg`` (optional) and ``--set section.key=value`` override them.

Each stage sees only its own section. Values are validated with pydantic against the field
types and bounds declared in the dataclass (``Annotated[int, Field(ge=1)]``), so a bad value is
refused with the field's name and its valid range before anything runs.
"""
from __future__ import annotations

import dataclasses
import json
import textwrap
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import Field

from pipeline.core.errors import ConfigError

T = TypeVar("T")


def params(cls: type[T]) -> type[T]:
    """Declare a parameter section: a frozen, keyword-only dataclass with typed defaults."""
    return dataclass(frozen=True, kw_only=True)(cls)


@params
class PathParams:
    """[paths]: where the project's folders are, and how long to wait for another run's lock.

    Folders are relative to the project folder."""
    corpus: Annotated[str, Field(description="Transcripts and study metadata.")] = "corpus"
    codebooks: Annotated[str, Field(description=(
        "Codebooks, human codings and decisions."))] = "codebooks"
    outputs: Annotated[str, Field(description="Everything the pipeline writes.")] = "outputs"
    # Long enough to let a short command (an export, a run with little out of date) finish,
    # short enough that a second analysis behind a long one stops and says so rather than
    # sitting silent for minutes and then overwriting it with settings that may be stale.
    lock_timeout: Annotated[float, Field(ge=0, description=(
        "Seconds a command that writes into outputs/ waits while another run holds its lock "
        "(outputs/.lock) before it stops with an error naming that run; 0 stops at once."
    ))] = 30.0


@params
class RunParams:
    """[run]: where the per-transcript work (reading, segmenting, keyword matching) runs.

    It never changes a result, only how fast it comes."""
    workers: Annotated[int, Field(ge=0, le=1024, description=(
        "Processes for the per-transcript work: 0 = one per core when the corpus is large "
        "enough to gain from it (about 2 MB of text), 1 = this process only; with dask, the "
        "workers of a local cluster (0 = one per core)."))] = 0
    dask: Annotated[str, Field(description=(
        "Run the per-transcript work on Dask: 'local' starts a cluster on this machine, "
        "tcp://host:8786 uses a running scheduler; empty = no Dask."))] = ""


def field_docs(cls: type) -> dict[str, dict[str, Any]]:
    """Per field: its description, bounds and default (for help and `qda config show`)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out: dict[str, dict[str, Any]] = {}
    for f in dataclasses.fields(cls):
        info: dict[str, Any] = {"default": f.default, "description": ""}
        for meta in getattr(hints[f.name], "__metadata__", ()):
            info["description"] = getattr(meta, "description", None) or info["description"]
            for m in getattr(meta, "metadata", ()):  # annotated_types.Ge, Le, Gt, Lt
                for bound in ("ge", "le", "gt", "lt"):
                    if hasattr(m, bound):
                        info[bound] = getattr(m, bound)
        out[f.name] = info
    return out


@cache
def _adapter(cls: type):
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def _range(info: dict[str, Any]) -> str:
    low = ("at least", info["ge"]) if "ge" in info else ("above", info["gt"]) \
        if "gt" in info else None
    high = ("at most", info["le"]) if "le" in info else ("below", info["lt"]) \
        if "lt" in info else None
    if low and high and low[0] == "at least" and high[0] == "at most":
        return f"between {low[1]} and {high[1]}"
    return " and ".join(f"{b[0]} {b[1]}" for b in (low, high) if b)


_KIND = {"int": "an integer", "float": "a number", "bool": "true or false",
         "string": "a string", "tuple": "a list", "list": "a list"}


def _message(section: str, error: dict, docs: dict[str, dict[str, Any]],
             origins: Mapping[str, str]) -> str:
    name = str(error["loc"][0]) if error.get("loc") else ""
    where = f"{section}.{name}" if name else section
    if origins.get(name):
        where = f"{origins[name]}: {where}"
    kind = error["type"]
    got = error.get("input")
    if kind.startswith(("greater", "less")):
        return f"{where} must be {_range(docs.get(name, {}))} (got {got!r})"
    for prefix, words in _KIND.items():
        if kind.startswith(prefix):
            return f"{where} must be {words} (got {got!r})"
    return f"{where}: {error['msg']} (got {got!r})"


def build(cls: type[T], section: str, values: Mapping[str, Any],
          origins: Mapping[str, str] | None = None) -> T:
    """Validate `values` against the section's dataclass; ConfigError names field and range.
    `origins` says where each value came from (a file, or --set) for the message."""
    from pydantic import ValidationError

    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        where = "".join(sorted({f"{origins[k]}: " for k in unknown if (origins or {}).get(k)}))
        raise ConfigError(f"{where}unknown key(s) {', '.join(unknown)} in [{section}]; known: "
                          f"{', '.join(sorted(known))}")
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    try:
        return _adapter(cls).validate_python({**defaults, **values})
    except ValidationError as exc:
        docs = field_docs(cls)
        raise ConfigError("; ".join(_message(section, e, docs, origins or {})
                                    for e in exc.errors())) from None


@dataclass(frozen=True)
class Config:
    """The resolved parameters of every section."""
    sections: dict[str, Any]

    def __getitem__(self, section: str) -> Any:
        return self.sections[section]

    def params(self, section: str) -> Any:
        return self.sections[section]

    @property
    def paths(self) -> PathParams:
        return self.sections["paths"]

    @property
    def run(self) -> RunParams:
        return self.sections.get("run") or RunParams()

    def with_section(self, section: str, **values: Any) -> Config:
        """A copy with some of one section's values replaced (command-line options)."""
        current = self.sections.get(section) or schema()[section]()
        merged = {**dataclasses.asdict(current), **values}
        return Config({**self.sections,
                       section: build(type(current), section, merged)})

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """JSON-friendly: what run.json and provenance record."""
        return {name: json.loads(json.dumps(dataclasses.asdict(p)))
                for name, p in self.sections.items()}


def schema() -> dict[str, type]:
    """Section name -> parameter dataclass: paths, then each stage in run order."""
    from pipeline.core.registry import STAGES

    return {"paths": PathParams, "run": RunParams,
            **{s.name: s.params_class() for s in STAGES}}


def _read_user_file(path: Path) -> dict[str, dict[str, Any]]:
    from confection import Config as ConfectionConfig
    from confection import ConfigValidationError

    try:
        return {k: dict(v) for k, v in ConfectionConfig().from_disk(path).items()}
    except (ConfigValidationError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None


def _value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def load_config(user_config: Path | None = None, overrides: Iterable[str] = (),
                sections: Mapping[str, type] | None = None) -> Config:
    """Defaults, then the user's file (if it exists), then ``section.key=value`` overrides."""
    sections = dict(sections or schema())
    values: dict[str, dict[str, Any]] = {name: {} for name in sections}
    origins: dict[str, dict[str, str]] = {name: {} for name in sections}

    def put(where: str, section: str, updates: dict[str, Any]) -> None:
        if section not in sections:
            raise ConfigError(f"{where}: unknown section [{section}]; known: "
                              f"{', '.join(sections)}")
        values[section].update(updates)
        origins[section].update(dict.fromkeys(updates, where))

    if user_config is not None and user_config.is_file():
        for section, updates in _read_user_file(user_config).items():
            put(str(user_config), section, updates)
    for item in overrides:
        key, sep, raw = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot or not name:
            raise ConfigError(f"--set {item!r}: expected section.key=value, "
                              f"e.g. segment.max_words=100")
        put("--set", section, {name: _value(raw.strip())})
    return Config({section: build(cls, section, values[section], origins[section])
                   for section, cls in sections.items()})


def describe(cfg: Config) -> str:
    """The configuration as a commented file in the format of analysis.cfg."""
    lines = ["# Parameters, one section per stage. Copy the lines you change into",
             "# analysis.cfg, or pass --set section.key=value on the command line.", ""]
    for section, value in cfg.sections.items():
        cls = type(value)
        lines.append(f"[{section}]")
        doc = (cls.__doc__ or "").strip().splitlines()
        if doc and not doc[0].startswith(cls.__name__):
            first = doc[0].removeprefix(f"[{section}]: ")
            lines.append(f"# {first[:1].upper()}{first[1:]}")
        for name, info in field_docs(cls).items():
            if info["description"]:
                bounds = _range(info)
                text = info["description"] + (f" ({bounds})" if bounds else "")
                lines += textwrap.wrap(text, 95, initial_indent="# ", subsequent_indent="# ")
            lines.append(f"{name} = {json.dumps(_jsonable(getattr(value, name)))}")
        lines.append("")
    return "\n".join(lines)


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
