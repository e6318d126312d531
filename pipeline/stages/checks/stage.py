"""checks: the audit of member checking and its report.

Each counted answer (a respondent's latest to an item) becomes an audit row with the text
shown and the text that stands after it. The change is:

- *kept*: agreed with;
- *contested*: disagreed with (the text stays; the disagreement is shown beside it);
- *reworded*: revised, no less critical than before;
- *softened*: a critical statement revised with fewer critical markers than it had;
- *removed*: a quote withdrawn by the person who said it.

Criticality drift counts, per site, the critical statements (tension-coded, or with critical
wording) that were softened or removed: the reference study names softened criticism as the
risk of member checking. The markers are a lexical signal; the report lists the statements so
that a researcher can judge them.
"""
from __future__ import annotations

import pandas as pd

from pipeline.core.errors import Problem
from pipeline.core.inputs import InputFiles
from pipeline.member import RESPONSES, critical_words, effective, load_rounds
from pipeline.stages.checks.params import CheckParams

AUDIT_COLUMNS = ["site", "round", "item_id", "kind", "theme_id", "response", "respondent",
                 "via", "recorded", "before", "after", "comment", "critical", "change",
                 "role", "locator"]


def change_of(row: dict) -> tuple[str, str]:
    """(the text that stands after the answer, the kind of change)."""
    before, response = row["text"], row["response"]
    if response == "withdraw":
        return "", "removed"
    if response == "disagree":
        return before, "contested"
    if response != "revise":
        return before, "kept"
    after = row["revised_text"]
    was, now = len(critical_words(before)), len(critical_words(after))
    return after, "softened" if bool(row["critical"]) and now < was else "reworded"


def audit(answers: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in answers.to_dict("records"):
        after, change = change_of(row)
        # A withdrawn quote is shown in no output, this audit included: only where it was.
        before = f"[a quote withdrawn by its speaker: {row.get('locator', '')}]" \
            if change == "removed" else row["text"]
        rows.append({"site": row["site"], "round": int(row["round"]),
                     "item_id": row["item_id"], "kind": row["kind"],
                     "theme_id": row["theme_id"], "response": row["response"],
                     "respondent": row["respondent"], "via": row["via"],
                     "recorded": row["recorded"], "before": before, "after": after,
                     "comment": row["comment"], "critical": bool(row["critical"]),
                     "change": change, "role": row.get("role", ""),
                     "locator": row.get("locator", "")})
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def drift(table: pd.DataFrame) -> pd.DataFrame:
    """Per site: critical statements answered, and how many were softened, removed or
    contested."""
    crit = table[table["critical"]]
    out = crit.groupby("site").agg(
        critical_answered=("item_id", "nunique"),
        softened=("change", lambda c: int((c == "softened").sum())),
        removed=("change", lambda c: int((c == "removed").sum())),
        contested=("change", lambda c: int((c == "contested").sum())))
    return out.reset_index()


def _counts_table(part: pd.DataFrame) -> list[str]:
    counts = part["response"].value_counts()
    header = "| " + " | ".join(RESPONSES) + " | respondents |"
    cells = [str(int(counts.get(r, 0))) for r in RESPONSES]
    return [header, "|" + "---|" * (len(RESPONSES) + 1),
            "| " + " | ".join(cells) + f" | {part['respondent'].nunique()} |", ""]


def _changes(part: pd.DataFrame, limit: int) -> list[str]:
    changed = part[part["change"] != "kept"]
    out = []
    for r in changed.head(limit).to_dict("records"):
        flag = " (critical)" if r["critical"] else ""
        out.append(f"- **{r['item_id']}** {r['kind']}, {r['change']}{flag}, by "
                   f"{r['respondent']} ({r['via']})")
        out.append(f"  - before: {r['before']}")
        if r["change"] in ("reworded", "softened"):
            out.append(f"  - after: {r['after']}")
        elif r["change"] == "removed":
            out.append("  - after: withdrawn; quoted in no output")
        if r["comment"]:
            out.append(f"  - comment: {r['comment']}")
    if len(changed) > limit:
        out.append(f"- … and {len(changed) - limit} more (outputs/member_check_audit.parquet)")
    return out + [""] if out else ["No change: every answer agreed.", ""]


def report(table: pd.DataFrame, prepared: pd.DataFrame, limit: int) -> str:
    lines = ["# What member checking changed", "",
             "Every answer counted here is a respondent's latest to an item of a prepared "
             "round (session page or ingested sheet). Revised interpretations replace the "
             "originals in the case summaries, which keep the original beside them; "
             "withdrawn quotes are quoted in no output; disagreements stand next to what "
             "they dispute. The case summaries as they were before member checking are in "
             "outputs/cases/pre_member_check/.", ""]
    if prepared.empty:
        return "\n".join(lines + ["No member-check round has been prepared yet "
                                  "(`qda member-check prepare --site SITE`).", ""])
    lines += _drift_lines(drift(table))
    for (site, round_no), items in prepared.groupby(["site", "round"]):
        part = table[(table["site"] == site) & (table["round"] == round_no)]
        lines += [f"## {site}, round {round_no}", "",
                  f"{part['item_id'].nunique()} of {len(items)} items answered, "
                  f"{len(part)} answers.", ""]
        lines += _counts_table(part) + _changes(part, limit) if len(part) else \
            ["No answer recorded yet.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _drift_lines(d: pd.DataFrame) -> list[str]:
    lines = ["## Criticality drift", "",
             "Critical statements are tension-coded items or items with critical wording "
             "(a lexical signal: read the statements below before drawing conclusions).", ""]
    if d.empty:
        return lines + ["No critical statement has been answered yet.", ""]
    lines += ["| site | critical statements answered | softened | removed | contested |",
              "|---|---|---|---|---|"]
    lines += [f"| {r.site} | {r.critical_answered} | {r.softened} | {r.removed} | "
              f"{r.contested} |" for r in d.itertuples()]
    total = int(d["softened"].sum() + d["removed"].sum())
    return lines + ["", f"In all, {total} critical statement(s) were softened or removed.", ""]


def run(member_checks: InputFiles, *, params: CheckParams
        ) -> tuple[dict[str, object], list[Problem]]:
    rounds = load_rounds(member_checks)
    table = audit(effective(rounds).answers)
    text = report(table, rounds.items, params.max_changes)
    return {"member_check_audit": table,
            "member_check_report": {"member_check_report.md": text.encode("utf-8")}}, \
        rounds.problems
