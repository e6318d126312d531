"""Who is speaking: interviewer or participant, and which participant (with their role)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.study.names import label_key, name_keys, speaker_parts, split_people


@dataclass
class Participant:
    participant_id: str
    name: str
    role: str
    role_subtype: str = ""
    speakers: list[str] = field(default_factory=list)


def match_role(text: str, vocabulary: tuple[str, ...]) -> tuple[str, str] | None:
    """Map free text such as 'Vice-Principal' or 'Superintendent of Special Education' to
    (role, subtype) from the vocabulary, or None when no role word is found."""
    squashed = re.sub(r"[^a-z]", "", text.casefold())
    for role in sorted(vocabulary, key=len, reverse=True):
        key = role.casefold()
        if squashed.startswith(key):
            rest = text.strip()
            return role, "" if squashed == key else rest
    for role in sorted(vocabulary, key=len, reverse=True):
        if role.casefold() in squashed:
            return role, text.strip()
    return None


def interviewer_keys(study_labels: tuple[str, ...], header_interviewers: str) -> set[str]:
    keys = {label_key(label) for label in study_labels}
    for name, _ in split_people(header_interviewers):
        keys |= name_keys(name)
    return keys


def assign_participants(citation_id: str, speakers: list[str], declared: list[tuple[str, str]],
                        default_role: tuple[str, str], vocabulary: tuple[str, ...],
                        ) -> tuple[dict[str, Participant], list[str]]:
    """Map each participant speaker label to a Participant; returns (by label key, notes).

    Declared people (header ``Participants:``) are matched by full, first or last name; a lone
    declared participant takes the citation ID's role and every other non-interviewer label
    (``P``, ``R``, ``Coordinator``...), since one-to-one interviews label people loosely.
    Several declared people get the roles their header entries name. Undeclared speakers
    become participants with the interview's role.
    """
    people: list[Participant] = []
    for name, role_text in declared:
        if len(declared) == 1:  # the interview's own participant: the ID's role wins
            role, subtype = default_role[0], default_role[1] or role_text
        else:
            role, subtype = match_role(role_text, vocabulary) or default_role
        people.append(Participant(f"{citation_id}/{len(people) + 1}", name, role, subtype))
    by_key: dict[str, Participant] = {}
    notes: list[str] = []

    def person_for(label: str) -> Participant:
        key = label_key(label)
        match = next((p for p in people if key in name_keys(p.name)), None)
        if match is None and len(declared) == 1:
            match = people[0]
        if match is None:
            if declared:
                notes.append(f"speaker '{label}' is not among the participants named in the "
                             f"header; counted as another participant")
            match = Participant(f"{citation_id}/{len(people) + 1}", label, *default_role)
            people.append(match)
        return match

    for label in speakers:
        key = label_key(label)
        if key in by_key:
            continue
        parts = speaker_parts(label)
        person = person_for(parts[0])
        if len(parts) > 1:   # 'Interviewee 1 & Interviewee 2': joint speech
            notes.append(f"speaker '{label}' names several people; their joint turns are "
                         f"counted as {person.name}'s")
        person.speakers.append(label)
        by_key[key] = person
    return by_key, notes
