"""Output contract (design.md §5): required columns of each table, their types and meaning.

Tables may carry more columns; these must exist with these names and types.
"""
from __future__ import annotations

import pyarrow as pa

S, INT, F, D = pa.string(), pa.int64(), pa.float64(), pa.date32()

SCHEMAS: dict[str, dict[str, tuple[pa.DataType, str]]] = {
    "transcripts": {
        "citation_id": (S, "citation ID, e.g. O1_Principal#1_5.14"),
        "site": (S, "site code from sites.csv"),
        "role": (S, "role from the study's vocabulary"),
        "role_subtype": (S, "free-text subtype of the role (may be empty)"),
        "seq": (INT, "sequence number of the interview within site and role"),
        "interview_date": (D, "date of the interview (year from the study phase)"),
        "phase": (S, "study phase id"),
        "source_path": (S, "transcript file, relative to the project root"),
        "n_words": (INT, "words in the normalised text"),
        "sha256": (S, "hash of the source file's bytes"),
        "text": (S, "normalised text (NFC, \\n newlines); all offsets point into it"),
    },
    "turns": {
        "citation_id": (S, "interview"),
        "turn": (INT, "turn number within the interview, from 1 (the ¶ in locators)"),
        "speaker": (S, "speaker label as written"),
        "speaker_role": (S, "interviewer or participant"),
        "participant_id": (S, "participant (null for interviewer turns)"),
        "line": (INT, "line of the turn's label in the normalised text"),
        "start_char": (INT, "start of the turn's text in the normalised transcript"),
        "end_char": (INT, "end (exclusive) of the turn's text"),
        "start_time": (F, "seconds from the recording's start, where the format has times"),
        "end_time": (F, "seconds; from the next turn's start or the caption's end"),
        "text": (S, "the turn's text"),
    },
    "participants": {
        "participant_id": (S, "citation ID / number"),
        "citation_id": (S, "interview"),
        "site": (S, "site code"),
        "role": (S, "participant's role"),
        "name": (S, "name from the header, or the speaker label"),
    },
    "sites": {
        "site": (S, "site code"),
        "name": (S, "site name (pseudonymous)"),
        "kind": (S, "district, policy, ..."),
        "n_transcripts": (INT, "interviews at the site"),
        "n_participants": (INT, "participants interviewed at the site"),
    },
    "segments": {
        "segment_id": (S, "citation_id:turn:segment, stable for unchanged transcripts"),
        "citation_id": (S, "interview"),
        "site": (S, "site code"),
        "role": (S, "speaker's role"),
        "speaker": (S, "speaker label"),
        "participant_id": (S, "participant"),
        "turn": (INT, "turn number (¶)"),
        "start_char": (INT, "start offset in the normalised transcript"),
        "end_char": (INT, "end offset (exclusive)"),
        "text": (S, "verbatim text: transcript[start_char:end_char]"),
        "n_words": (INT, "words in the segment"),
        "lemmas": (S, "lower-case lemmas of content words, space separated"),
        "locator": (S, "citation with turn, e.g. O1_Principal#1_5.14 ¶12"),
        "start_time": (F, "turn start in seconds, where known"),
    },
}


SCHEMAS["codings"] = {
    "segment_id": (S, "segment coded"),
    "code_id": (S, "code from the codebook"),
    "source": (S, "auto:pattern, auto:similarity, auto:model or human:<coder>"),
    "coder": (S, "coder name, or 'auto'"),
    "score": (F, "strength: 1.0 for human codes; match, similarity or probability otherwise"),
    "evidence": (S, "matched terms, shared terms, or where the human coding came from"),
}
SCHEMAS["human_codings"] = {
    "citation_id": (S, "interview"),
    "start_char": (INT, "span start in the normalised transcript"),
    "end_char": (INT, "span end (exclusive)"),
    "code_id": (S, "code"),
    "coder": (S, "who coded it"),
}


SCHEMAS["categories"] = {
    "category_id": (S, "stable key: <site>-<hash> for site categories, X-<hash> across sites"),
    "level": (S, "site or cross-site"),
    "site": (S, "site code; null for cross-site categories"),
    "parent_id": (S, "for a site category, the cross-site category it belongs to"),
    "label": (S, "researcher's label if decided, else from distinctive terms"),
    "n_segments": (INT, "segments in the category"),
    "n_participants": (INT, "participants who voiced it"),
    "n_sites": (INT, "sites where it was voiced"),
    "first_citation_id": (S, "interview where it first appeared (conduct order)"),
    "status": (S, "accepted, minor, rejected or promoted"),
}
SCHEMAS["segment_categories"] = {
    "segment_id": (S, "segment"),
    "category_id": (S, "site category"),
    "cross_category_id": (S, "cross-site category"),
    "similarity": (F, "cosine to the site category's centroid"),
}
SCHEMAS["saturation"] = {
    "scope": (S, "overall, or a site code"),
    "order": (INT, "interview's place in conduct order within the scope"),
    "citation_id": (S, "interview"),
    "site": (S, "site code"),
    "new_categories": (INT, "categories that first appeared in this interview"),
    "cumulative_categories": (INT, "categories so far"),
}


SCHEMAS["themes"] = {
    "theme_id": (S, "code:<code_id> or category:<category key>"),
    "label": (S, "theme label"),
    "kind": (S, "code or category"),
    "description": (S, "definition (codes) or memo summary (categories)"),
}
SCHEMAS["theme_matrix"] = {
    "site": (S, "site code"),
    "theme_id": (S, "theme"),
    "n_segments": (INT, "segments at the site voicing the theme"),
    "n_participants": (INT, "participants at the site voicing the theme"),
    "share_participants": (F, "n_participants / participants interviewed at the site"),
}


class SchemaError(ValueError):
    pass


def to_arrow(name: str, df) -> pa.Table:
    """Convert a DataFrame to Arrow with the contract's types; fail on missing columns."""
    spec = SCHEMAS.get(name, {})
    missing = [c for c in spec if c not in df.columns]
    if missing:
        raise SchemaError(f"table {name!r} lacks contract column(s): {', '.join(missing)}")
    table = pa.Table.from_pandas(df, preserve_index=False)
    fields = []
    for f in table.schema:
        target = spec.get(f.name, (None,))[0]
        fields.append(pa.field(f.name, target if target is not None else f.type))
    try:
        return table.cast(pa.schema(fields, metadata=table.schema.metadata))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise SchemaError(f"table {name!r}: {exc}") from exc
