"""Safe YAML reading that remembers line numbers, for error messages that point at the line."""
from __future__ import annotations

from typing import Any

import yaml

LINE = "__line__"
LINES = "__lines__"


class YamlError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) whose mappings carry their own and their keys' lines."""


def _mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise YamlError(f"duplicate key {key!r} (first on line {lines[key]})",
                            key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    out[LINE] = node.start_mark.line + 1
    out[LINES] = lines
    return out


class LineList(list):
    """A YAML sequence that knows the line of each item (`lines`), also for plain scalars."""
    lines: list[int]


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(text: str) -> Any:
    """Parse YAML; mappings get ``__line__`` and ``__lines__``. Raises YamlError with a line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line) from exc


def strip(value: Any) -> Any:
    """The same data without line bookkeeping (for writing or comparing)."""
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in (LINE, LINES)}
    if isinstance(value, list):
        return [strip(v) for v in value]  # plain lists: LineList's line record is dropped
    return value
