"""The study's redaction list, ``corpus/redact.csv``: terms always replaced, terms never replaced.

The file is CSV with a header row. Lines starting with ``#`` are comments and blank lines are
skipped; both still count for the line numbers in messages.

- ``term``: the words to find (matched on word boundaries, longest term first);
- ``placeholder``: what replaces them, in capitals inside square brackets (``[SCHOOL]``);
  required for ``redact``, not allowed for ``keep``;
- ``rule``: ``redact`` (always replaced) or ``keep`` (never replaced, whatever named-entity
  recognition or a transcript header says: EQAO, Ministry of Education, ...);
- ``match`` (optional column): ``any`` (the default: any case) or ``capital``: each word written
  with a capital must be capitalised in the text too, for names that are also ordinary words
  (Frank, Grace, Rose) and project names that read as plain phrases when lower-case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.csvio import CsvError, split_line
from pipeline.core.errors import InputError, Problem, error
from pipeline.core.inputs import InputFiles

RULES = ("redact", "keep")
MATCHES = ("any", "capital")
REQUIRED = ("term", "placeholder", "rule")
OPTIONAL = ("match",)
# Capitals, digits, spaces, hyphens and apostrophes inside one pair of square brackets.
PLACEHOLDER = re.compile(r"^\[[A-Z][A-Z0-9 '\-]*\]$")
DEFAULT_PATH = "corpus/redact.csv"


@dataclass(frozen=True)
class Term:
    """One thing to find: replaced by `placeholder`, or protected when `placeholder` is None.

    `capital`: words written with a capital must be capitalised in the text as well (the rest
    of each word may be in any case, so "NATHALIE" matches "Nathalie"); otherwise any case.
    """
    text: str
    placeholder: str | None
    capital: bool = False
    source: str = "list"

    @property
    def keep(self) -> bool:
        return self.placeholder is None

    @property
    def key(self) -> str:
        return normal_key(self.text)


def normal_key(text: str) -> str:
    """Compare terms ignoring case, spacing, curly apostrophes and the dots of "St."."""
    return " ".join(text.replace("’", "'").replace(".", " ").split()).casefold()


@dataclass(frozen=True)
class RedactionList:
    """The parsed redaction list: what to replace and what never to replace."""
    path: str = DEFAULT_PATH
    redact: tuple[Term, ...] = ()
    keep: tuple[Term, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.redact + self.keep


def read_redaction_list(data: bytes, path: str = DEFAULT_PATH) -> RedactionList:
    """Parse a redaction list; every bad row is an error naming the file and the line.

    Raises `InputError` with all the problems found (nothing is half-read).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([error(path, 0, f"not UTF-8 text ({exc.reason} at byte "
                                         f"{exc.start})")]) from None
    rows = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        return RedactionList(path)
    header_line, header = rows[0][0], _fields(path, *rows[0])
    problems = _check_header(path, header_line, header)
    if problems:
        raise InputError(problems)
    terms, seen = [], {}
    for n, line in rows[1:]:
        term, problem = _row(path, n, header, _fields(path, n, line))
        if problem is None and term.key in seen:
            problem = error(path, n, f"{term.text!r} is already listed on line "
                                     f"{seen[term.key]}; list each term once")
        if problem is not None:
            problems.append(problem)
            continue
        seen[term.key] = n
        terms.append(term)
    if problems:
        raise InputError(problems)
    return RedactionList(path, tuple(t for t in terms if not t.keep),
                         tuple(t for t in terms if t.keep))


def load_redaction(inputs: InputFiles) -> RedactionList:
    """The redaction list from the catalog's raw input (an empty list when there is none)."""
    if not inputs.files:
        return RedactionList()
    source = inputs.files[0]
    return read_redaction_list(source.data, source.path)


def _fields(path: str, n: int, line: str) -> list[str]:
    try:
        return [f.strip() for f in split_line(line, n)]
    except CsvError as exc:
        raise InputError([error(path, exc.line, str(exc))]) from None


def _check_header(path: str, line: int, header: list[str]) -> list[Problem]:
    names = [h.casefold() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [h for h in header if h.casefold() not in REQUIRED + OPTIONAL]
    problems = []
    if missing:
        problems.append(error(path, line, f"the header needs the columns "
                                          f"{', '.join(REQUIRED)}; missing {', '.join(missing)}"))
    if unknown:
        problems.append(error(path, line, f"unknown column(s) {', '.join(unknown)}; the columns "
                                          f"are {', '.join(REQUIRED + OPTIONAL)}"))
    return problems


def _row(path: str, n: int, header: list[str], fields: list[str]
         ) -> tuple[Term | None, Problem | None]:
    """The term on one line, or the problem with it."""
    if len(fields) > len(header):
        return None, error(path, n, f"{len(fields)} fields but the header has {len(header)} "
                                    f"(a term with a comma needs \"quotes\")")
    row = dict(zip([h.casefold() for h in header], fields + [""] * len(header)))
    term, placeholder = row["term"], row["placeholder"]
    rule, match = row["rule"].casefold(), (row.get("match") or "any").casefold()
    if not term:
        return None, error(path, n, "missing term")
    if not (term[0].isalnum()):
        return None, error(path, n, f"term {term!r} must start with a letter or a digit")
    if rule not in RULES:
        said = f"unknown rule {row['rule']!r}" if rule else "missing rule"
        return None, error(path, n, f"{said} for {term!r}; use redact or keep")
    if match not in MATCHES:
        return None, error(path, n, f"unknown match {row['match']!r} for {term!r}; use "
                                    f"any or capital")
    if rule == "keep" and placeholder:
        return None, error(path, n, f"{term!r} is kept, so it takes no placeholder "
                                    f"(got {placeholder!r})")
    if rule == "redact" and not placeholder:
        return None, error(path, n, f"{term!r} is redacted but has no placeholder; give one "
                                    f"such as [PERSON] or [SCHOOL]")
    if rule == "redact" and not PLACEHOLDER.match(placeholder):
        return None, error(path, n, f"placeholder {placeholder!r} for {term!r} must be "
                                    f"capitals in square brackets, e.g. [SCHOOL]")
    return Term(term, placeholder if rule == "redact" else None, match == "capital"), None
