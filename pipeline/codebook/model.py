"""Codebooks: hierarchical codes with definitions, criteria, examples and keyword patterns.

Loading validates everything and reports each problem with file, code and line; see
``codebooks/README.md`` for the format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.errors import Problem, error
from pipeline.core.yamlio import LINE, LINES, YamlError, load, strip

CODE_KEYS = {"id", "label", "parent", "definition", "include", "exclude", "examples",
             "keywords", "patterns", "exclude_keywords", "color", "codable", "memo"}
TOP_KEYS = {"codebook", "codes"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Example:
    text: str
    source: str = ""


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    definition: str
    parent: str | None = None
    include: str = ""
    exclude: str = ""
    examples: tuple[Example, ...] = ()
    keywords: tuple[str, ...] = ()
    patterns: tuple[tuple[dict, ...], ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    color: str | None = None
    codable: bool = True
    memo: str = ""
    guid: str = ""   # REFI-QDA identity, kept when a code comes from another tool
    path: str = ""   # file the code came from
    line: int = 0

    def profile(self) -> str:
        """Text that describes the code, for similarity: definition, criteria, examples."""
        parts = [self.label, self.definition, self.include, *(e.text for e in self.examples),
                 *self.keywords]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Codebook:
    name: str
    version: str
    codes: tuple[Code, ...]
    files: tuple[str, ...] = ()
    _by_id: dict[str, Code] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.id: c for c in self.codes})

    def __getitem__(self, code_id: str) -> Code:
        return self._by_id[code_id]

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.codes]

    def children(self, code_id: str | None) -> list[Code]:
        return [c for c in self.codes if c.parent == code_id]

    def ancestors(self, code_id: str) -> list[str]:
        out, cur = [], self._by_id[code_id].parent
        while cur is not None and cur not in out:
            out.append(cur)
            cur = self._by_id[cur].parent if cur in self._by_id else None
        return out

    def code_path(self, code_id: str) -> str:
        """'lfm_principles/lfm_initiative': the code's place in the hierarchy."""
        return "/".join([*reversed(self.ancestors(code_id)), code_id])

    @property
    def codable(self) -> list[Code]:
        return [c for c in self.codes if c.codable]


class CodebookError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _strings(value: Any, path: str, where: str, line: int, key: str,
             problems: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(error(path, line, f"{where}: {key} must be a list of non-empty "
                              f"phrases"))
        return ()
    return tuple(" ".join(v.split()) for v in value)


def _examples(value: Any, path: str, where: str, line: int, problems: list[Problem]
              ) -> tuple[Example, ...]:
    if value is not None and not isinstance(value, list):
        problems.append(error(path, line, f"{where}: examples must be a list"))
        return ()
    out = []
    for item in value or []:
        if isinstance(item, str) and item.strip():
            out.append(Example(_text(item)))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Example(_text(item["text"]), _text(item.get("source", ""))))
        else:
            problems.append(error(path, item.get(LINE, line) if isinstance(item, dict) else line,
                                  f"{where}: each example is a string or has a 'text'"))
    return tuple(out)


def _patterns(value: Any, path: str, where: str, line: int, problems: list[Problem]
              ) -> tuple[tuple[dict, ...], ...]:
    from spacy.errors import MatchPatternError
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    if value is not None and not isinstance(value, list):
        problems.append(error(path, line, f"{where}: patterns must be a list of token "
                              f"patterns"))
        return ()
    out = []
    for i, pattern in enumerate(value or [], 1):
        clean = strip(pattern)
        try:
            if not isinstance(clean, list) or not clean:
                raise MatchPatternError(i, {0: ["a pattern is a non-empty list of tokens"]})
            Matcher(Vocab(), validate=True).add("check", [clean])
        except (MatchPatternError, ValueError, TypeError) as exc:
            msg = " ".join(str(exc).split())
            problems.append(error(path, line, f"{where}: pattern {i} is not a valid spaCy "
                                  f"token pattern ({msg[:160]})"))
            continue
        out.append(tuple(clean))
    return tuple(out)


def _parse_code(raw: Any, path: str, index: int, problems: list[Problem]) -> Code | None:
    if not isinstance(raw, dict):
        problems.append(error(path, 0, f"codes[{index}] must be a mapping with id, label, "
                              f"definition"))
        return None
    line, lines = raw.get(LINE, 0), raw.get(LINES, {})
    code_id = raw.get("id")
    if not isinstance(code_id, str) or not _ID.match(code_id):
        problems.append(error(path, lines.get("id", line), f"codes[{index}]: id {code_id!r} "
                              f"must be snake_case (lower-case letters, digits, _)"))
        return None
    where = f"code {code_id}"
    for key in sorted(set(raw) - CODE_KEYS - {LINE, LINES}, key=str):
        problems.append(error(path, lines.get(key, line), f"{where}: unknown key {key!r} "
                              f"(allowed: {', '.join(sorted(CODE_KEYS))})"))
    definition = _text(raw.get("definition"))
    if not definition:
        problems.append(error(path, lines.get("definition", line),
                              f"{where}: empty definition; say what the code means"))
    color = raw.get("color")
    if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
        problems.append(error(path, lines.get("color", line), f"{where}: color {color!r} "
                              f"must look like #1f77b4"))
        color = None
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        problems.append(error(path, lines.get("parent", line), f"{where}: parent must be a "
                              f"code id, not {type(parent).__name__}"))
        parent = None
    return Code(
        id=code_id, label=_text(raw.get("label")) or code_id.replace("_", " "),
        definition=definition, parent=str(parent) if parent else None,
        include=_text(raw.get("include")), exclude=_text(raw.get("exclude")),
        examples=_examples(raw.get("examples"), path, where, lines.get("examples", line),
                           problems),
        keywords=_strings(raw.get("keywords"), path, where, lines.get("keywords", line),
                          "keywords", problems),
        patterns=_patterns(raw.get("patterns"), path, where, lines.get("patterns", line),
                           problems),
        exclude_keywords=_strings(raw.get("exclude_keywords"), path, where,
                                  lines.get("exclude_keywords", line), "exclude_keywords",
                                  problems),
        color=color, codable=bool(raw.get("codable", True)), memo=_text(raw.get("memo")),
        path=path, line=line,
    )


def parse_codebook(text: str, path: str) -> tuple[dict, list[Code], list[Problem]]:
    """Parse one codebook file: (its `codebook:` metadata, its codes, problems)."""
    problems: list[Problem] = []
    try:
        data = load(text)
    except YamlError as exc:
        return {}, [], [error(path, exc.line, str(exc))]
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        return {}, [], [error(path, 1, "a codebook is a mapping with a 'codes:' list")]
    for key in sorted(set(data) - TOP_KEYS - {LINE, LINES}, key=str):
        problems.append(error(path, data[LINES].get(key, 0), f"unknown top-level key {key!r} "
                              f"(allowed: codebook, codes)"))
    codes = [c for i, raw in enumerate(data["codes"])
             if (c := _parse_code(raw, path, i, problems)) is not None]
    meta = data.get("codebook") if isinstance(data.get("codebook"), dict) else {}
    return meta, codes, problems


def check_tree(codes: list[Code]) -> list[Problem]:
    """Duplicate ids, unknown parents and cycles across all codebooks."""
    problems, seen = [], {}
    for c in codes:
        if c.id in seen:
            first = seen[c.id]
            problems.append(error(c.path, c.line, f"code {c.id}: duplicate id (first defined "
                                  f"in {first.path} line {first.line})"))
        else:
            seen[c.id] = c
    for c in seen.values():
        if c.parent is not None and c.parent not in seen:
            problems.append(error(c.path, c.line, f"code {c.id}: unknown parent {c.parent!r}"))
    reported: set[str] = set()
    for c in seen.values():
        chain, cur = [c.id], c.parent
        while cur in seen and cur not in chain:
            chain.append(cur)
            cur = seen[cur].parent
        if cur in chain and cur not in reported:
            loop = chain[chain.index(cur):] + [cur]
            reported.update(loop)
            problems.append(error(c.path, c.line, f"code {c.id}: parent cycle "
                                  f"{' -> '.join(loop)}"))
    return problems


def build_codebook(files: list[tuple[str, str]]) -> tuple[Codebook, list[Problem]]:
    """Parse and check several codebook files ((path, text) pairs) as one codebook."""
    codes: list[Code] = []
    problems: list[Problem] = []
    names, versions = [], []
    for path, text in files:
        meta, file_codes, file_problems = parse_codebook(text, path)
        codes += file_codes
        problems += file_problems
        names.append(str(meta.get("name", path)))
        versions.append(str(meta.get("version", "")))
    problems += check_tree(codes)
    unique: dict[str, Code] = {}
    for c in codes:
        unique.setdefault(c.id, c)
    return Codebook(" + ".join(names), " + ".join(v for v in versions if v),
                    tuple(unique.values()),
                    tuple(p for p, _ in files)), problems


def load_codebook(files: list[tuple[str, str]]) -> Codebook:
    """Like `build_codebook`, but raise `CodebookError` listing every error."""
    book, problems = build_codebook(files)
    if problems:
        raise CodebookError(problems)
    return book
