"""Safe YAML reading that remembers line numbers, for error messages that point at the line.

Researchers' YAML is untrusted input: besides the SafeLoader's refusal of arbitrary objects,
aliases (``*name``) are refused, since a few hundred bytes of nested aliases expand to
gigabytes once walked (the "billion laughs"), and nesting is bounded, so that a hostile file
is a `YamlError` naming its line, never a crash.
"""
from __future__ import annotations

from typing import Any

import yaml

LINE = "__line__"
LINES = "__lines__"
# Deeper than any codebook, decisions or interpretations file needs (they use 3-5 levels),
# and well inside Python's recursion limit (each level costs a few frames).
MAX_DEPTH = 50


class YamlError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) whose mappings carry their own and their keys' lines;
    no aliases, bounded nesting, and constructor failures reported with the node's line."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        line = self.peek_event().start_mark.line + 1
        if self.check_event(yaml.AliasEvent):
            raise YamlError("YAML aliases (*name) are not allowed here; write the value out",
                            line)
        if self._depth >= MAX_DEPTH:
            raise YamlError(f"nested more than {MAX_DEPTH} levels deep", line)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, YamlError):
            raise
        except (ValueError, TypeError, IndexError, KeyError, AttributeError,
                OverflowError) as exc:
            # A tag whose constructor fails: `!!timestamp 2001-13-45`, `!!int` alone, `!!map [1]`,
            # `!!seq` on a mapping (PyYAML raises whatever the bad value causes)
            raise YamlError(f"invalid value: {exc}", node.start_mark.line + 1) from None


def _mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise YamlError("a key must be a plain value, not a list or mapping", line) from None
        if key in out:
            raise YamlError(f"duplicate key {key!r} (first on line {lines[key]})", line)
        out[key] = loader.construct_object(value_node, deep=True)
        lines[key] = line
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
    loader = None
    try:
        loader = _LineLoader(text)   # its reader already refuses some characters
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, ...)
        line = text[:exc.position].count("\n") + 1
        raise YamlError(f"invalid YAML: character U+{exc.character:04X} is not allowed", line
                        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", 0) from None
    except ValueError:   # the scanner's own: chr() of an escape such as "\U00123B84"
        line = loader.get_mark().line + 1 if loader else 0
        raise YamlError("invalid YAML: an escape names no Unicode character", line) from None
    finally:
        if loader is not None:
            loader.dispose()


def strip(value: Any) -> Any:
    """The same data without line bookkeeping (for writing or comparing)."""
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in (LINE, LINES)}
    if isinstance(value, list):
        return [strip(v) for v in value]  # plain lists: LineList's line record is dropped
    return value
