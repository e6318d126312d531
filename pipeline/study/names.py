"""Speaker labels and lists of people as written in transcript headers."""
from __future__ import annotations

import re


def label_key(label: str) -> str:
    """Compare speaker labels ignoring case and spacing ("INTERVIEWER" == "Interviewer")."""
    return " ".join(label.split()).casefold()


def split_people(value: str) -> list[tuple[str, str]]:
    """'Rosa Delgado (Teacher; Grade 3); Kevin Tran (Teacher)' -> [(name, role text), ...].

    People are separated by ';' or, when there is no ';' outside parentheses, by ','; anything
    inside parentheses, nested ones too ('Ana Silva (Teacher (Grade 3))'), is the role.
    """
    parts, depth, current = [], 0, []
    outside = "".join(ch if _depth_at(value, i) == 0 else " " for i, ch in enumerate(value))
    sep = ";" if ";" in outside else ","
    for ch in value:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    people = []
    for part in parts:
        name, _, rest = part.partition("(")
        role = rest[:rest.rfind(")")] if ")" in rest else rest
        if name.strip():
            people.append((name.strip(), role.strip()))
    return people


def _depth_at(value: str, i: int) -> int:
    return max(0, value[:i].count("(") - value[:i].count(")"))


def name_keys(name: str) -> set[str]:
    """Label keys a person may be called by: full name, first name, last name."""
    parts = name.split()
    return {label_key(name), label_key(parts[0]), label_key(parts[-1])} if parts else set()


# Joins two speakers in one label: "Interviewee 1 & Interviewee 2", "A and B", "A or B".
_JOINERS = frozenset({"&", "and", "or", "and/or", "+", "/"})


def speaker_parts(label: str) -> list[str]:
    """The speakers a combined label names ('A & B' -> ['A', 'B']); one label -> [label]."""
    parts, current = [], []
    for word in label.split():
        if word.casefold() in _JOINERS:
            parts.append(" ".join(current))
            current = []
        else:
            current.append(word)
    parts.append(" ".join(current))
    return parts if all(parts) else [label]


_NUMBERED = re.compile(r"^(?P<base>.*?\D)[\s_#-]*\d+$")


def is_interviewer(label: str, keys: set[str]) -> bool:
    """Whether a speaker label is an interviewer's: a declared label or name, a numbered
    variant of one ('Interviewer 2', 'I1' when 'I' is declared), or a combined label whose
    every part is one."""
    parts = speaker_parts(label)
    if len(parts) > 1:
        return all(is_interviewer(p, keys) for p in parts)
    key = label_key(label)
    m = _NUMBERED.match(key)
    return key in keys or bool(m and m["base"].strip() in keys)
