"""A small round for member-check tests: site O3, round 1, a theme, its interpretation, a
quote by the teacher and one by the principal."""
import pandas as pd

from pipeline.core.inputs import InputFiles, make_source
from pipeline.member import ITEM_COLUMNS, response_row, session_json

BASE = "codebooks/member_checks/O3/round-1/"

PARTICIPANTS = pd.DataFrame({
    "participant_id": ["O3_Teacher#1_5.10/1", "O3_Principal#1_5.10/1", "O3_Principal#1_5.10/2",
                       "O4_Teacher#1_5.12/1"],
    "citation_id": ["O3_Teacher#1_5.10", "O3_Principal#1_5.10", "O3_Principal#1_5.10",
                    "O4_Teacher#1_5.12"],
    "site": ["O3", "O3", "O3", "O4"], "role": ["Teacher", "Principal", "Principal", "Teacher"]})


def items(site: str = "O3", round_no: int = 1) -> pd.DataFrame:
    base = {c: "" for c in ITEM_COLUMNS}
    rows = [
        base | {"kind": "theme", "theme_id": "code:eqao", "text": "EQAO and testing"},
        base | {"kind": "interpretation", "theme_id": "code:eqao",
                "text": "Testing pressure crowds out inquiry, a problem no one has solved."},
        base | {"kind": "quote", "theme_id": "code:eqao", "text": "I can't do both.",
                "citation_id": "O3_Teacher#1_5.10", "segment_id": "O3_Teacher#1_5.10:0024:001",
                "participant_id": "O3_Teacher#1_5.10/1", "start_char": 100, "end_char": 116,
                "locator": "O3_Teacher#1_5.10 ¶24", "role": "Teacher"},
        base | {"kind": "quote", "theme_id": "code:eqao", "text": "The numbers matter.",
                "citation_id": "O3_Principal#1_5.10", "participant_id": "O3_Principal#1_5.10/1",
                "segment_id": "O3_Principal#1_5.10:0022:001", "start_char": 5, "end_char": 24,
                "locator": "O3_Principal#1_5.10 ¶22", "role": "Principal"},
    ]
    kinds = {"theme": "T", "interpretation": "I", "quote": "Q"}
    out, n = [], {}
    for i, r in enumerate(rows, 1):
        n[r["kind"]] = n.get(r["kind"], 0) + 1
        out.append(r | {"item_id": f"{site}-R{round_no}-{kinds[r['kind']]}{n[r['kind']]:02d}",
                        "site": site, "round": round_no, "order": i,
                        "critical": r["kind"] != "theme"})
    df = pd.DataFrame(out, columns=ITEM_COLUMNS)
    df[["start_char", "end_char"]] = df[["start_char", "end_char"]].replace("", -1)
    return df


def sheet(rows: list[dict]) -> pd.DataFrame:
    cols = ["item_id", "site", "round", "kind", "text", "response", "comment", "revised_text",
            "respondent"]
    return pd.DataFrame([{c: "" for c in cols} | r for r in rows], columns=cols)


def round_files(answers: list[tuple]) -> InputFiles:
    """The round's items and one session file per (item, response, revised, respondent,
    comment), a minute apart."""
    table = items()
    by_id = table.set_index("item_id", drop=False).to_dict("index")
    files = [make_source(BASE + "items.csv", table.to_csv(index=False).encode())]
    for n, (item, response, revised, who, comment) in enumerate(answers, 1):
        row = response_row(by_id[item], response, comment, revised, who,
                           f"2026-12-02T10:{n:02d}:00", "session")
        files.append(make_source(BASE + f"session/{n:04d}-{item}.json", session_json(row)))
    return InputFiles("member_checks", tuple(files))
