"""Configuration: defaults in ``default_config.cfg``, optional overrides in ``analysis.cfg``
and ``--set section.key=value`` on the command line. Each stage sees only its own section."""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from confection import Config, ConfigValidationError

from pipeline.core.errors import ConfigError

DEFAULT_CONFIG = Path(__file__).parents[1] / "default_config.cfg"
P = TypeVar("P")


def load_config(user_config: Path | None = None, overrides: Iterable[str] = ()) -> dict:
    """Defaults, then the user's file (if it exists), then ``key=value`` overrides."""
    cfg = dict(Config().from_disk(DEFAULT_CONFIG))
    if user_config is not None and user_config.is_file():
        try:
            user = Config().from_disk(user_config)
        except (ConfigValidationError, ValueError) as exc:
            raise ConfigError(f"{user_config}: {exc}") from exc
        for section, values in user.items():
            _known(cfg, section, values.keys(), str(user_config))
            cfg[section] = {**cfg[section], **values}
    for item in overrides:
        key, sep, raw = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot:
            raise ConfigError(f"--set {item!r}: expected section.key=value, "
                              f"e.g. segment.max_words=100")
        _known(cfg, section, [name], "--set")
        cfg[section] = {**cfg[section], name: _value(raw.strip())}
    return cfg


def _known(cfg: dict, section: str, keys: Iterable[str], where: str) -> None:
    if section not in cfg:
        raise ConfigError(f"{where}: unknown section [{section}]; known: {', '.join(cfg)}")
    unknown = sorted(set(keys) - set(cfg[section]))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} in [{section}]; "
                          f"known: {', '.join(cfg[section])}")


def _value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def stage_params(cfg: dict, section: str, cls: type[P]) -> P:
    """Build a stage's frozen parameter dataclass from its config section only."""
    values = dict(cfg.get(section, {}))
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"[{section}]: unknown key(s) {', '.join(unknown)}")
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
    try:
        return cls(**values)
    except TypeError as exc:
        raise ConfigError(f"[{section}]: {exc}") from exc
