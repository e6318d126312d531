"""Speaker labels and lists of people as written in transcript headers."""
from __future__ import annotations

import re


def label_key(label: str) -> str:
    """Compare speaker labels ignoring case and spacing ("INTERVIEWER" == "Interviewer")."""
    return " ".join(label.split()).casefold()


def split_people(value: str) -> list[tuple[str, str]]:
    """'Rosa Delgado (Teacher; Grade 3); Kevin Tran (Teacher)' -> [(name, role text), ...].

    People are separated by ';' or, when there is no ';', by ','; separators inside
    parentheses belong to the role.
    """
    sep = r";(?![^()]*\))" if re.search(r";(?![^()]*\))", value) else r",(?![^()]*\))"
    people = []
    for part in re.split(sep, value):
        m = re.match(r"^\s*(?P<name>[^()]+?)\s*(?:\((?P<role>[^)]*)\))?\s*$", part)
        if m and m["name"].strip():
            people.append((m["name"].strip(), (m["role"] or "").strip()))
    return people


def name_keys(name: str) -> set[str]:
    """Label keys a person may be called by: full name, first name, last name."""
    parts = name.split()
    return {label_key(name), label_key(parts[0]), label_key(parts[-1])} if parts else set()
