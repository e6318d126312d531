"""Output contract (design.md §5): every table's columns, their types and meaning, and the
file sets the render stages write.

Tables may carry more columns than listed; the listed ones must exist with these names and
types. The catalog checks this when it saves a table and again when it loads one.
"""
from __future__ import annotations

import hashlib
import json

import pyarrow as pa

from pipeline.core.schemas_member import member_schemas

S, INT, F, D, B = pa.string(), pa.int64(), pa.float64(), pa.date32(), pa.bool_()
LS = pa.list_(pa.string())
LI = pa.list_(pa.int64())

Spec = dict[str, tuple[pa.DataType, str]]

SCHEMAS: dict[str, Spec] = {}
SCHEMAS["transcripts"] = {
    "citation_id": (S, "citation ID, e.g. O1_Principal#1_5.14"),
    "site": (S, "site code from sites.csv"),
    "role": (S, "role from the study's vocabulary"),
    "role_subtype": (S, "free-text subtype of the role (may be empty)"),
    "seq": (INT, "sequence number of the interview within site and role"),
    "interview_date": (D, "date of the interview (year from the study phase)"),
    "phase": (S, "study phase id"),
    "source_path": (S, "transcript file, relative to the project root"),
    "format": (S, "text, vtt, srt or docx"),
    "encoding": (S, "encoding the file was read in"),
    "n_words": (INT, "words in the normalised text"),
    "n_participant_words": (INT, "words spoken by participants"),
    "n_turns": (INT, "speaker turns"),
    "n_participants": (INT, "people interviewed"),
    "interviewers": (S, "interviewer labels, '; '-separated"),
    "sha256": (S, "hash of the source file's bytes"),
    "text": (S, "normalised text (NFC, \\n newlines); all offsets point into it"),
    "file_dropped": (LI, "offsets in the file's text (newlines as \\n) of the characters "
                         "normalisation dropped, so other tools' offsets can be converted; "
                         "null for DOCX and captions"),
}
SCHEMAS["turns"] = {
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
    "n_words": (INT, "words in the turn"),
    "text": (S, "the turn's text"),
}
SCHEMAS["participants"] = {
    "participant_id": (S, "citation ID / number"),
    "citation_id": (S, "interview"),
    "site": (S, "site code"),
    "role": (S, "participant's role"),
    "role_subtype": (S, "free-text subtype of the role"),
    "name": (S, "name from the header, or the speaker label"),
    "speakers": (S, "speaker labels used for this person, '; '-separated"),
    "n_turns": (INT, "turns spoken"),
    "n_words": (INT, "words spoken"),
}
SCHEMAS["sites"] = {
    "site": (S, "site code"),
    "name": (S, "site name (pseudonymous)"),
    "kind": (S, "district, policy, ..."),
    "n_transcripts": (INT, "interviews at the site"),
    "n_participants": (INT, "participants interviewed at the site"),
}
SCHEMAS["segments"] = {
    "segment_id": (S, "citation_id:turn:segment, stable for unchanged transcripts"),
    "citation_id": (S, "interview"),
    "site": (S, "site code"),
    "role": (S, "speaker's role"),
    "role_subtype": (S, "speaker's role subtype"),
    "participant_id": (S, "participant"),
    "speaker": (S, "speaker label"),
    "turn": (INT, "turn number (¶)"),
    "seg_in_turn": (INT, "segment number within the turn, from 1"),
    "start_char": (INT, "start offset in the normalised transcript"),
    "end_char": (INT, "end offset (exclusive)"),
    "text": (S, "verbatim text: transcript[start_char:end_char]"),
    "n_words": (INT, "words in the segment"),
    "lemmas": (S, "lower-case lemmas of content words, space separated"),
    "start_time": (F, "turn start in seconds, where known"),
    "end_time": (F, "turn end in seconds, where known"),
    "locator": (S, "citation with turn, e.g. O1_Principal#1_5.14 ¶12"),
    "question": (S, "the interviewer's preceding question"),
    "interview_date": (D, "date of the interview"),
    "phase": (S, "study phase"),
}
SCHEMAS["codes"] = {
    "code_id": (S, "code id, unique across the codebooks"),
    "label": (S, "code label"),
    "parent_id": (S, "parent code (empty at the top)"),
    "family": (S, "label of the parent code"),
    "definition": (S, "what the code means"),
    "codable": (B, "false for families that only group codes"),
    "n_keywords": (INT, "keywords and token patterns (what auto:pattern can find)"),
    "n_examples": (INT, "examples in the codebook"),
    "source_path": (S, "codebook file"),
    "line": (INT, "line of the code in its file"),
}
SCHEMAS["codings"] = {
    "segment_id": (S, "segment coded"),
    "code_id": (S, "code from the codebook"),
    "source": (S, "human:<coder>, review:<reviewer> (an accepted suggestion), auto:pattern, "
                  "auto:similarity or auto:model"),
    "coder": (S, "coder or reviewer, or 'auto'"),
    "score": (F, "strength: 1.0 for confirmed codes; match, similarity or probability otherwise"),
    "evidence": (S, "matched terms, shared terms, or where the confirmed coding came from"),
    "status": (S, "confirmed (a researcher's) or suggested (the machine's, not yet reviewed)"),
    "citation_id": (S, "interview"),
    "site": (S, "site code"),
    "role": (S, "speaker's role"),
}
SCHEMAS["human_codings"] = {
    "citation_id": (S, "interview"),
    "start_char": (INT, "span start in the normalised transcript"),
    "end_char": (INT, "span end (exclusive)"),
    "code_id": (S, "code ('' = read, no code applies)"),
    "coder": (S, "who coded it"),
    "source_file": (S, "file the coding came from"),
    "source_line": (INT, "line in that file (0 for .qdpx)"),
}
SCHEMAS["human_segments"] = {
    "segment_id": (S, "segment a human span covers"),
    "code_id": (S, "code ('' = the coder read it and no code applies)"),
    "coder": (S, "who coded it"),
}
SCHEMAS["read_segments"] = {
    "segment_id": (S, "segment a researcher read (a span covers it, or its transcript is "
                      "declared coded in full)"),
    "coder": (S, "who read it ('' = the team, from coverage.csv)"),
}
SCHEMAS["coding_agreement"] = {
    "comparison": (S, "what is compared with the human codings, or which coder pair"),
    "level": (S, "code, or parent (codes rolled up to their top-level family)"),
    "code_id": (S, "code (or parent code), or '(all codes)' pooled"),
    "n_segments": (INT, "segments compared"),
    "n_reference": (INT, "segments the reference gives the code"),
    "n_predicted": (INT, "segments the comparison gives the code"),
    "n_both": (INT, "segments both give the code"),
    "precision": (F, "n_both / n_predicted"),
    "recall": (F, "n_both / n_reference"),
    "f1": (F, "harmonic mean of precision and recall"),
    "kappa": (F, "Cohen's kappa"),
    "kappa_low": (F, "2.5th percentile of kappa over bootstrap resamples of segments"),
    "kappa_high": (F, "97.5th percentile"),
}
SCHEMAS["model_codes"] = {
    "code_id": (S, "code"),
    "n_positive": (INT, "segments researchers gave the code"),
    "n_negative": (INT, "segments researchers read and left without it"),
    "threshold": (F, "probability at which it proposes the code (null: it does not)"),
    "cv_precision": (F, "precision at that threshold, cross-validated by interview"),
    "cv_recall": (F, "recall at that threshold, cross-validated by interview"),
    "proposes": (B, "whether the model proposes this code"),
    "reason": (S, "why it does not, when it does not"),
}
SCHEMAS["suggestions"] = {
    "suggestion_id": (S, "stable id of the (segment, code) suggestion"),
    "priority": (INT, "review order: 1 first (teaches the model most)"),
    "segment_id": (S, "segment"),
    "code_id": (S, "suggested code"),
    "sources": (S, "automatic sources that suggest it, '; '-separated"),
    "score": (F, "strongest score among them"),
    "evidence": (S, "matched or shared terms"),
    "reliability": (F, "kappa of the code's keyword+similarity coding on read segments"),
    "reliability_low": (F, "lower end of its 95% bootstrap interval (segments resampled)"),
    "reliability_high": (F, "upper end of that interval"),
    "uncertainty": (F, "1 = the model cannot tell, 0 = it is sure"),
    "citation_id": (S, "interview"),
    "site": (S, "site"),
    "role": (S, "speaker's role"),
    "locator": (S, "locator"),
    "n_words": (INT, "words in the segment"),
}
SCHEMAS["segment_vectors"] = {
    "segment_id": (S, "segment"),
    "vector": (pa.list_(pa.float32()), "unit-length vector (internal)"),
}
SCHEMAS["categories"] = {
    "category_id": (S, "stable key: <site>-<hash> for site categories, X-<hash> across sites"),
    "level": (S, "site or cross-site"),
    "site": (S, "site code; null for cross-site categories"),
    "parent_id": (S, "for a site category, the cross-site category it belongs to"),
    "label": (S, "researcher's label if decided, else from distinctive terms"),
    "top_terms": (LS, "distinctive terms (class-based TF-IDF)"),
    "n_segments": (INT, "segments in the category"),
    "n_participants": (INT, "participants who voiced it"),
    "n_sites": (INT, "sites where it was voiced"),
    "n_roles": (INT, "roles that voiced it"),
    "roles": (LS, "roles that voiced it"),
    "sites": (LS, "sites where it was voiced"),
    "first_citation_id": (S, "interview where it first appeared (conduct order)"),
    "first_locator": (S, "locator of its first segment"),
    "representative_segments": (LS, "segments nearest the centroid, spread across roles"),
    "quote_locators": (LS, "locators of the representative segments"),
    "quotes": (LS, "verbatim text of the representative segments"),
    "codes": (LS, "codebook codes it overlaps most"),
    "phrases": (LS, "two or three representative phrases, as spoken"),
    "status": (S, "proposed (no decision yet), accepted, rejected or promoted"),
    "minor": (B, "voiced by fewer participants than compare.min_participants"),
    "computed_label": (S, "label from key phrases or distinctive terms, before decisions"),
    "promoted_code": (S, "code it was promoted to, if any"),
    "decision_memo": (S, "the team's memo from decisions.yml"),
}
SCHEMAS["segment_categories"] = {
    "segment_id": (S, "segment"),
    "citation_id": (S, "interview"),
    "site": (S, "site code"),
    "order": (INT, "place in conduct order"),
    "compared": (B, "whether the segment took part in comparison"),
    "left_out": (S, "why it did not ('' when it did)"),
    "category_id": (S, "site category (null when left out)"),
    "similarity": (F, "cosine to the site category's centroid"),
    "cross_category_id": (S, "cross-site category (null when left out)"),
    "cross_similarity": (F, "cosine to the cross-site category's centroid"),
}
SCHEMAS["category_keys"] = {
    "segment_id": (S, "segment"),
    "site": (S, "site code"),
    "category_id": (S, "site category key this run gave it, before decisions"),
    "cross_category_id": (S, "cross-site category key, before decisions"),
}
SCHEMAS["saturation"] = {
    "scope": (S, "overall, or a site code"),
    "order": (INT, "interview's place in conduct order within the scope"),
    "citation_id": (S, "interview"),
    "site": (S, "site code"),
    "interview_date": (D, "date of the interview"),
    "new_categories": (INT, "categories that first appeared in this interview"),
    "cumulative_categories": (INT, "categories so far"),
}
SCHEMAS["decision_log"] = {
    "line": (INT, "line of the decision in decisions.yml"),
    "action": (S, "rename, merge, split, reject or promote"),
    "categories": (S, "category keys it names, '; '-separated"),
    "applied": (B, "whether it applied"),
    "message": (S, "'applied', or why not"),
}
SCHEMAS["themes"] = {
    "theme_id": (S, "code:<code_id> or category:<category key>"),
    "label": (S, "theme label"),
    "kind": (S, "code or category"),
    "description": (S, "definition (codes) or memo summary (categories)"),
    "family": (S, "code family, or 'emerging categories'"),
    "source_id": (S, "code id or category key"),
    "n_participants": (INT, "participants who voiced it"),
    "n_sites": (INT, "sites where it was voiced"),
}
SCHEMAS["segment_themes"] = {
    "segment_id": (S, "segment"),
    "theme_id": (S, "theme it voices"),
    "source": (S, "what put it there: coding sources or 'compare', '; '-separated"),
    "confirmed": (B, "a researcher's coding stands behind it (false: machine or comparison)"),
}
_MATRIX: Spec = {
    "theme_id": (S, "theme"),
    "n_segments": (INT, "segments voicing the theme"),
    "n_participants": (INT, "participants voicing the theme"),
    "share_participants": (F, "n_participants / participants interviewed"),
    "share_low": (F, "lower end of the 95% Wilson interval of the share"),
    "share_high": (F, "upper end of the 95% Wilson interval"),
    "n_participants_once": (INT, "participants who voiced it in one segment only"),
    "n_segments_machine_only": (INT, "segments counted on machine evidence alone (0 unless "
                                     "suggestions are included)"),
    "n_participants_machine_only": (INT, "participants counted on machine evidence alone"),
    "roles": (LS, "roles heard"),
}
SCHEMAS["theme_matrix"] = {"site": (S, "site code"), **_MATRIX}
SCHEMAS["role_matrix"] = {"role": (S, "role"), **_MATRIX}
SCHEMAS["cooccurrence"] = {
    "code_a": (S, "code"),
    "code_b": (S, "code, after code_a in order"),
    "n_segments": (INT, "segments coded with both"),
    "jaccard": (F, "n_segments / segments coded with either"),
}
SCHEMAS["case_blocks"] = {
    "doc": (S, "document: a site code, or cross_case"),
    "order": (INT, "place in the document"),
    "kind": (S, "heading, paragraph, bullet, quote, image or table"),
    "level": (INT, "heading level"),
    "text": (S, "the block's text (a table as JSON rows)"),
    "citation_id": (S, "quoted interview"),
    "locator": (S, "quote locator; for an image, the figure's name"),
    "segment_id": (S, "quoted segment"),
    "start_char": (INT, "quote start in the transcript (-1 if none)"),
    "end_char": (INT, "quote end (-1 if none)"),
    "note": (S, "who or what coded the quote, or why it is discrepant"),
}
SCHEMAS["case_quotes"] = {
    "doc": (S, "document"),
    "citation_id": (S, "interview"),
    "locator": (S, "locator"),
    "segment_id": (S, "segment"),
    "start_char": (INT, "start in the transcript"),
    "end_char": (INT, "end in the transcript"),
    "quote": (S, "verbatim quote"),
    "note": (S, "provenance or discrepancy note"),
    "theme_id": (S, "theme the quote supports or qualifies"),
    "kind": (S, "support or discrepant"),
    "participant_id": (S, "speaker"),
    "role": (S, "speaker's role"),
    "site": (S, "site"),
}
SCHEMAS["quote_balance"] = {
    "dimension": (S, "site or role"),
    "value": (S, "the site or role"),
    "n_quotes": (INT, "quotes from it"),
    "quote_share": (F, "share of all quotes"),
    "n_participants": (INT, "participants"),
    "participant_share": (F, "share of all participants"),
    "ratio": (F, "quote_share / participant_share"),
    "over_represented": (B, "ratio above the threshold with 3+ quotes"),
}

# Sets of files the render stages write, with a manifest of their content hashes.
SCHEMAS.update(member_schemas(SCHEMAS["case_blocks"]))

FILE_SETS: dict[str, str] = {
    "figures": "figures/: the site x theme heatmap and the saturation curve (PNG, SVG, alt text)",
    "case_documents": "cases/<site>.md and .docx, cross_case.md and .docx, and "
                      "cases/pre_member_check/<site>.md and .docx",
    "packet_documents": "member_check/<site>/packet.md, .docx, .html and the blank response "
                        "sheet sheet.xlsx, sheet.csv (what `qda member-check prepare` hands out)",
    "member_check_report": "member_check_report.md: what member checking changed, per site "
                           "and round",
    "report": "report/: the browsable HTML report (index.html, a page per site, theme and "
              "transcript, the matrix, categories, saturation, passages, suggestions); "
              "confidential, it holds whole transcripts",
}


class SchemaError(ValueError):
    pass


def spec_hash(names: tuple[str, ...]) -> str:
    """Hash of the contract of some outputs: a change in a type re-runs their stage."""
    spec = {n: {c: str(t) for c, (t, _) in SCHEMAS.get(n, {}).items()} for n in names}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def to_arrow(name: str, df) -> pa.Table:
    """Convert a DataFrame to Arrow with the contract's types; fail on missing columns."""
    if name not in SCHEMAS:
        raise SchemaError(f"table {name!r} has no schema in pipeline/core/schemas.py")
    spec = SCHEMAS[name]
    missing = [c for c in spec if c not in df.columns]
    if missing:
        raise SchemaError(f"table {name!r} lacks contract column(s): {', '.join(missing)}")
    table = pa.Table.from_pandas(df, preserve_index=False)
    fields = [pa.field(f.name, spec[f.name][0] if f.name in spec else f.type)
              for f in table.schema]
    try:
        return table.cast(pa.schema(fields, metadata=table.schema.metadata))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise SchemaError(f"table {name!r}: {exc}") from exc


def check(name: str, schema: pa.Schema, where: str) -> None:
    """A table read back must still meet its contract (a file from an older version may not)."""
    spec = SCHEMAS.get(name)
    if spec is None:
        raise SchemaError(f"{where}: table {name!r} has no schema")
    problems = [f"lacks column {c}" for c in spec if c not in schema.names]
    problems += [f"column {c} is {schema.field(c).type}, expected {t}" for c, (t, _) in
                 spec.items() if c in schema.names and schema.field(c).type != t]
    if problems:
        raise SchemaError(f"{where}: {'; '.join(problems)}; it was written by another "
                          f"version: run `qda analyze --force`")


# Per-transcript tables, stored partitioned: outputs/<name>.parquet/ is a folder of parquet
# files, one per site (in the table's row order), which Dask, pyarrow and pandas read as one
# dataset and a worker can read one site of.
PARTITIONED: tuple[str, ...] = ("transcripts", "turns", "segments")
