"""Output contract of the member-check tables (kept apart so that schemas.py stays readable):
the themes as each case summary states them, the packets' items, and the audit of what
member checking changed."""
from __future__ import annotations

import pyarrow as pa

S, INT, B = pa.string(), pa.int64(), pa.bool_()


CASE_THEMES = {
    "site": (S, "site code"),
    "theme_id": (S, "theme"),
    "label": (S, "theme label"),
    "kind": (S, "code or category"),
    "order": (INT, "place in the site's case summary"),
    "synthesis": (S, "the generated synthesis of the counts"),
    "interpretation": (S, "the interpretation that stands: the researcher's, a "
                           "member-check revision, or the synthesis"),
    "interpretation_source": (S, "researcher, generated or member check"),
    "original_interpretation": (S, "before a member-check revision (else empty)"),
    "member_check_round": (INT, "round of the revision (0: none)"),
    "n_agree": (INT, "member-check answers: agree (theme, interpretation, quotes)"),
    "n_disagree": (INT, "member-check answers: disagree"),
    "n_revise": (INT, "member-check answers: revise"),
}
PACKET_ITEMS = {
    "item_id": (S, "item, e.g. O3-R1-Q02 (the round it would be prepared as)"),
    "site": (S, "site code"),
    "round": (INT, "the round a `qda member-check prepare` would make now"),
    "order": (INT, "place in the packet"),
    "kind": (S, "theme, interpretation or quote"),
    "theme_id": (S, "theme"),
    "theme": (S, "theme label"),
    "text": (S, "the text shown, redacted"),
    "citation_id": (S, "quoted interview (quotes)"),
    "locator": (S, "quote locator (quotes)"),
    "segment_id": (S, "quoted segment (quotes)"),
    "start_char": (INT, "quote start in the transcript (-1 if none)"),
    "end_char": (INT, "quote end (-1 if none)"),
    "participant_id": (S, "the person quoted (quotes)"),
    "role": (S, "their role"),
    "source": (S, "where the text comes from: researcher, generated, member "
                   "check, support or discrepant"),
    "critical": (B, "tension-coded, or critical wording"),
    "critical_words": (S, "the critical markers found, '; '-separated"),
}
AUDIT = {
    "site": (S, "site code"),
    "round": (INT, "member-check round"),
    "item_id": (S, "item answered"),
    "kind": (S, "theme, interpretation or quote"),
    "theme_id": (S, "theme"),
    "response": (S, "agree, disagree, revise or withdraw"),
    "respondent": (S, "who answered"),
    "via": (S, "session or sheet:<file>"),
    "recorded": (S, "when (ISO)"),
    "before": (S, "the text shown"),
    "after": (S, "the text that stands after the answer (empty: removed)"),
    "comment": (S, "the respondent's comment"),
    "critical": (B, "the text shown was tension-coded or critical"),
    "change": (S, "kept, contested, reworded, softened, removed"),
}


def member_schemas(case_blocks: dict) -> dict[str, dict]:
    """The tables' specs; `case_blocks` is the case documents' block spec, which the
    pre-member-check documents and the packets share."""
    return {"case_themes": CASE_THEMES, "case_blocks_pre": dict(case_blocks),
    "packet_blocks": dict(case_blocks), "packet_items": PACKET_ITEMS,
    "member_check_audit": AUDIT}
