"""Researcher decisions about emerging categories (``codebooks/decisions.yml``), applied on
every run by category key: accept, rename, merge, split (by term or by segments), reject,
promote.

Categories start *proposed*: only `accept` or `promote` makes one a theme. A decision that
names a key the run did not produce is reported with its line on every run, never dropped
silently; one naming a key that another category absorbed applies to that category, with a
note.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from pipeline.core.errors import Problem, error, warning
from pipeline.core.yamlio import LINE, YamlError, load

ACTIONS = ("accept", "rename", "merge", "split", "reject", "promote")
EXTRA = {"accept": {"label", "memo"}, "rename": {"label", "memo"}, "merge": {"label", "memo"},
         "split": {"term", "segments", "label", "memo"}, "reject": {"memo"},
         "promote": {"code_id", "label", "memo"}}


@dataclass(frozen=True)
class Decision:
    action: str
    targets: tuple[str, ...]
    line: int
    label: str = ""
    memo: str = ""
    term: str = ""
    segments: tuple[str, ...] = ()
    code_id: str = ""


@dataclass
class Overrides:
    """What decisions set on categories beyond membership."""
    label: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    memo: dict[str, str] = field(default_factory=dict)
    code_id: dict[str, str] = field(default_factory=dict)


def parse(text: str, path: str) -> tuple[list[Decision], list[Problem]]:
    try:
        data = load(text) if text.strip() else {"decisions": []}
    except YamlError as exc:
        return [], [error(path, exc.line, str(exc))]
    items = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], [error(path, 1, "decisions.yml needs a top-level 'decisions:' list")]
    out, problems = [], []
    lines = getattr(items, "lines", [0] * len(items))
    for i, item in enumerate(items):
        found = _parse_item(item, path, i, lines[i], problems)
        if found:
            out.append(found)
    return out, problems


def _parse_item(item, path: str, i: int, line: int, problems: list[Problem]
                ) -> Decision | None:
    keys = set(item) - {LINE, "__lines__"} if isinstance(item, dict) else set()
    actions = [a for a in ACTIONS if a in keys]
    if len(actions) != 1:
        problems.append(error(path, line, f"decision {i + 1} needs exactly one of "
                              f"{', '.join(ACTIONS)}"))
        return None
    action = actions[0]
    unknown = keys - {action} - EXTRA[action]
    if unknown:
        # keys may be numbers or booleans too (`1: x`), so they are sorted and shown as text
        named = ", ".join(sorted(map(str, unknown)))
        problems.append(error(path, line, f"{action}: unknown key(s) {named} (allowed: "
                              f"{', '.join(sorted(EXTRA[action]))})"))
        return None
    raw = item[action]
    targets = tuple(raw) if isinstance(raw, list) else (raw,)
    named = bool(targets) and all(isinstance(t, str) and t for t in targets)  # `accept: []`
    if not named or (action == "merge" and len(targets) < 2):
        problems.append(error(path, line, f"{action}: name category keys (merge needs two or "
                              f"more)"))
        return None
    if action == "split" and bool(item.get("term")) == bool(item.get("segments")):
        problems.append(error(path, line, "split: give either term or segments"))
        return None
    why = _check_fields(action, item)
    if why:
        problems.append(error(path, line, f"{action}: {why}"))
        return None
    return Decision(action, targets, line, str(item.get("label") or ""),
                    str(item.get("memo") or ""), str(item.get("term") or ""),
                    tuple(item.get("segments") or ()), str(item.get("code_id") or ""))


def _check_fields(action: str, item: dict) -> str:
    """What is wrong with the decision's own fields, or '' when nothing is."""
    if "label" in item and not (isinstance(item["label"], str) and item["label"].strip()):
        return "label must be a non-empty text"
    if not isinstance(item.get("memo", ""), str | None):
        return "memo must be text"
    if action == "rename" and "label" not in item:
        return "rename needs a label"
    if action == "promote" and not re.match(r"^[a-z][a-z0-9_]*$", str(item.get("code_id", ""))):
        return "code_id must be a snake_case code id"
    if action == "split" and item.get("term") and not (
            isinstance(item["term"], str) and len(item["term"].split()) == 1):
        return "term must be a single word (it is matched against lemmas)"
    segments = item.get("segments")
    if segments is not None and not (isinstance(segments, list) and all(
            isinstance(s, str) for s in segments)):
        return "segments must be a list of segment ids"
    return ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "part"


def _level(targets: tuple[str, ...], members: pd.DataFrame) -> str | None:
    site = set(members["category_id"])
    cross = set(members["cross_category_id"])
    if all(t in site for t in targets):
        return "category_id"
    if all(t in cross for t in targets):
        return "cross_category_id"
    return None


def _follow(d: Decision, present: set[str], absorbed: dict[str, str]) -> tuple[Decision,
                                                                              str]:
    """The decision with absorbed keys replaced by the keys that hold them now, and a note."""
    moved = {t: absorbed[t] for t in d.targets if t not in present and t in absorbed}
    if not moved:
        return d, ""
    note = "; ".join(f"{old} is now part of {new} (it holds most of {old}'s segments)"
                     for old, new in moved.items())
    targets = tuple(dict.fromkeys(moved.get(t, t) for t in d.targets))
    return replace(d, targets=targets), note


def apply(decisions: list[Decision], members: pd.DataFrame, path: str, lemma=str.lower,
          absorbed: dict[str, str] | None = None
          ) -> tuple[pd.DataFrame, Overrides, pd.DataFrame, list[Problem]]:
    """Apply decisions in file order to the membership table (segment_id, category_id,
    cross_category_id, site, lemmas). Returns the new table, label/status overrides, a log of
    every decision (applied or not, and why) and the problems to report."""
    members = members.copy()
    over, log, problems = Overrides(), [], []
    for d in decisions:
        d, note = _follow(d, set(members["category_id"]) | set(members["cross_category_id"]),
                          absorbed or {})
        if note:
            problems.append(warning(path, d.line, f"{d.action}: {note}; applied to it"))
        col = _level(d.targets, members)
        missing = [t for t in d.targets if t not in set(members["category_id"])
                   | set(members["cross_category_id"])]
        why = ""
        if missing:
            why = (f"names category {', '.join(missing)}, which this run did not produce "
                   f"(see outputs/categories.parquet for current keys); not applied")
        elif col is None:
            why = "mixes site and cross-site categories; not applied"
        elif d.action == "merge" and col == "category_id" and members.loc[
                members["category_id"].isin(d.targets), "site"].nunique() > 1:
            why = "merges categories of different sites; merge their cross-site categories"
        else:
            why = _apply_one(d, col, members, over, lemma)
        if why:
            problems.append(warning(path, d.line, f"{d.action}: {why}"))
        message = why or ("applied" + (f" ({note})" if note else ""))
        log.append({"line": d.line, "action": d.action, "categories": ", ".join(d.targets),
                    "applied": not why, "message": message})
    return members, over, pd.DataFrame(log, columns=["line", "action", "categories",
                                                     "applied", "message"]), problems


def _apply_one(d: Decision, col: str, members: pd.DataFrame, over: Overrides, lemma) -> str:
    target = d.targets[0]
    if d.action == "merge":
        members.loc[members[col].isin(d.targets[1:]), col] = target
    elif d.action == "split":
        inside = members[col] == target
        if d.term:
            term = lemma(d.term)
            chosen = inside & members["lemmas"].str.split().apply(lambda ws: term in ws)
            new = f"{target}.{_slug(d.term)}"
        else:
            chosen = inside & members["segment_id"].isin(d.segments)
            new = f"{target}.{d.line}"
        if not chosen.any():
            return "split selects no segment of the category; not applied"
        if chosen.sum() == inside.sum():
            return "split would move every segment; not applied"
        members.loc[chosen, col] = new
        target = new
    elif d.action == "accept":
        over.status.update({t: "accepted" for t in d.targets})
    elif d.action == "reject":
        over.status.update({t: "rejected" for t in d.targets})
    elif d.action == "promote":
        over.status[target] = "promoted"
        over.code_id[target] = d.code_id
    if d.label:
        over.label[target] = d.label
    if d.memo:
        over.memo[target] = d.memo
    return ""
