"""Responses to member-check items: checking one (the session page and sheets use the same
rule), checking a whole filled sheet before anything is stored, and reading a round's stored
items and responses back."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from pipeline.core.errors import Problem, error, warning
from pipeline.core.inputs import InputFiles
from pipeline.core.sheets import read_sheet
from pipeline.member.model import (
    ALLOWED,
    ITEM_COLUMNS,
    ITEMS_FILE,
    RESPONSE_COLUMNS,
    RESPONSES,
    SESSION_DIR,
    SHEETS_DIR,
    parse_location,
)

BASE = "codebooks/member_checks/"


def owners(item: dict, participants: pd.DataFrame) -> set[str]:
    """Who may withdraw a quote: its speaker, by participant id, or by the interview's
    citation ID when that interview had one participant."""
    pid = str(item.get("participant_id") or "")
    found = {pid} if pid else set()
    same = participants[participants["citation_id"] == item.get("citation_id")]
    if len(same) == 1 and pid in set(same["participant_id"]):
        found.add(str(item["citation_id"]))
    return found


def check_response(item: dict, response: str, revised: str, respondent: str,
                   participants: pd.DataFrame) -> str:
    """Why this response to `item` cannot be stored, or '' when it can."""
    if response not in RESPONSES:
        return (f"response {response!r} is not one of {', '.join(RESPONSES)}" if response
                else "no response given")
    if response not in ALLOWED[item["kind"]]:
        return (f"a {item['kind']} cannot be answered {response!r}: "
                + ("a quote is the participant's own words; a correction goes in the comment"
                   if response == "revise" else "only a quote can be withdrawn, by its speaker"))
    if not respondent.strip():
        return "no respondent: say who gave the response"
    if response == "revise" and not revised.strip():
        return "revise needs the revised text"
    if response == "withdraw" and respondent.strip() not in owners(item, participants):
        return (f"only the person quoted ({item['participant_id']}) can withdraw this quote, "
                f"not {respondent.strip()!r}")
    return ""


def response_row(item: dict, response: str, comment: str, revised: str, respondent: str,
                 recorded: str, via: str) -> dict:
    return {"item_id": item["item_id"], "site": item["site"], "round": int(item["round"]),
            "response": response, "comment": comment.strip(),
            "revised_text": revised.strip() if response == "revise" else "",
            "respondent": respondent.strip(), "recorded": recorded, "via": via}


def read_table(data: bytes, name: str) -> pd.DataFrame:
    """A sheet (.xlsx or .csv) as stripped strings; row numbers follow the file (header 1)."""
    return read_sheet(data, name)


@dataclass
class Checked:
    responses: pd.DataFrame
    problems: list[Problem]
    site: str = ""
    round_no: int = 0


def check_sheet(table: pd.DataFrame, name: str, items: pd.DataFrame,
                participants: pd.DataFrame, recorded: str, site: str | None = None
                ) -> Checked:
    """Every problem of a filled sheet, each with its row; the responses when none.
    `site`, when given, is the site the sheet must belong to."""
    missing = [c for c in ("item_id", "response", "respondent") if c not in table]
    if missing:
        return Checked(_empty(), [error(name, 1, f"missing column(s): {', '.join(missing)}")])
    known = items.set_index("item_id").to_dict("index") if len(items) else {}
    problems, rows, rounds = [], [], set()
    for i, row in enumerate(table.to_dict("records"), start=2):
        answer = row["response"].lower()
        if not answer and not row.get("comment"):
            continue   # a row left blank: not answered
        item = known.get(row["item_id"])
        why = _row_problem(row, item, answer, site, participants)
        if why:
            problems.append(error(name, i, why))
            continue
        item = {**item, "item_id": row["item_id"]}
        rounds.add((item["site"], int(item["round"])))
        rows.append(response_row(item, answer, row.get("comment", ""),
                                 row.get("revised_text", ""), row["respondent"], recorded,
                                 f"sheet:{name.rsplit('/', 1)[-1]}"))
    if len(rounds) > 1:
        problems.append(error(name, 0, "the sheet mixes rounds or sites: "
                              + ", ".join(f"{s} round {r}" for s, r in sorted(rounds))))
    if not rows and not problems:
        problems.append(error(name, 0, "no row is answered: write agree, disagree, revise or "
                                       "withdraw in the response column"))
    where = sorted(rounds)[0] if rounds else ("", 0)
    return Checked(pd.DataFrame(rows, columns=RESPONSE_COLUMNS), problems, *where)


def _row_problem(row: dict, item: dict | None, answer: str, site: str | None,
                 participants: pd.DataFrame) -> str:
    if item is None:
        return f"unknown item {row['item_id']!r} (not in any prepared round)" \
            if row["item_id"] else "no item_id"
    if site and item["site"] != site:
        return f"item {row['item_id']} belongs to site {item['site']}, not {site}"
    if row.get("site") and row["site"] != item["site"]:
        return f"the row says site {row['site']} but item {row['item_id']} is {item['site']}'s"
    if not answer:
        return "a comment without a response: write agree, disagree, revise or withdraw"
    return check_response(item, answer, row.get("revised_text", ""), row["respondent"],
                          participants)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=RESPONSE_COLUMNS)


@dataclass
class Rounds:
    """Every prepared round's items and every stored response, with problems found."""
    items: pd.DataFrame
    responses: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def of(self, site: str, round_no: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        it = self.items[(self.items["site"] == site) & (self.items["round"] == round_no)]
        rs = self.responses[(self.responses["site"] == site)
                            & (self.responses["round"] == round_no)]
        return it, rs

    def latest_round(self, site: str) -> int:
        rounds = self.items.loc[self.items["site"] == site, "round"]
        return int(rounds.max()) if len(rounds) else 0


def load_rounds(inputs: InputFiles) -> Rounds:
    """Items and responses from codebooks/member_checks/ (files read by the catalog)."""
    items, responses, problems = [], [], []
    for f in inputs.files:
        place = parse_location(f.path.removeprefix(BASE))
        if place is None:
            continue
        site, round_no, rest = place
        try:
            if rest == ITEMS_FILE:
                items.append(read_table(f.data, f.path).assign(site=site, round=round_no))
            elif rest.startswith(SESSION_DIR + "/") and rest.endswith(".json"):
                responses.append(pd.DataFrame([_session_response(f.data)]))
            elif rest.startswith(SHEETS_DIR + "/") and rest.count("/") == 1 \
                    and rest.endswith(".csv"):   # not sheets/originals/: as received
                responses.append(read_table(f.data, f.path))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(warning(f.path, 0, f"unreadable, left out ({exc})"))
    return Rounds(_typed_items(items), _typed_responses(responses), problems)


def _session_response(data: bytes) -> dict:
    """One recorded response (as `session_json` writes it); ValueError when it is not one."""
    try:
        row = json.loads(data.decode("utf-8"))
    except RecursionError:  # "[[[[...": nested beyond what the decoder can follow
        raise ValueError("nested too deeply") from None
    if not isinstance(row, dict) or not all(
            isinstance(row.get(c, ""), str | int | float) for c in RESPONSE_COLUMNS):
        raise ValueError("not a recorded response (an object of texts)")
    return {c: row[c] for c in RESPONSE_COLUMNS if c in row}


def _typed_items(parts: list[pd.DataFrame]) -> pd.DataFrame:
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ITEM_COLUMNS)
    for col in ITEM_COLUMNS:
        if col not in df:
            df[col] = ""
    for col in ("round", "order", "start_char", "end_char"):
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(-1).astype(int)
    df["critical"] = df["critical"].astype(str).str.lower().isin(["true", "1"])
    return df[ITEM_COLUMNS]


def _typed_responses(parts: list[pd.DataFrame]) -> pd.DataFrame:
    df = pd.concat(parts, ignore_index=True) if parts else _empty()
    for col in RESPONSE_COLUMNS:
        if col not in df:
            df[col] = ""
    df = df[RESPONSE_COLUMNS].fillna("")
    df["round"] = pd.to_numeric(df["round"], errors="coerce").fillna(0).astype(int)
    return df.sort_values(["site", "round", "recorded", "via", "item_id"],
                          kind="stable").reset_index(drop=True)


def stored_csv(responses: pd.DataFrame) -> bytes:
    """A checked sheet's responses in the form codebooks/member_checks/.../sheets/ holds."""
    return responses[RESPONSE_COLUMNS].to_csv(index=False, lineterminator="\n").encode("utf-8")


def session_json(row: dict) -> bytes:
    return (json.dumps({c: row[c] for c in RESPONSE_COLUMNS}, ensure_ascii=False, indent=1)
            + "\n").encode("utf-8")
