"""Assertions shared by the end-to-end test and the shipped-corpus checks: every quote in
every output is verbatim inside the turn its locator cites; no name of the shipped corpus is
in what goes out redacted."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pandas as pd

QUOTE = re.compile(r"^“(?P<text>.*)” \((?P<locator>\S+ ¶(?P<turn>\d+))\)$", re.DOTALL)


def markdown_quotes(path: Path) -> list[tuple[str, str, int]]:
    """(text, citation id, turn) of every blockquote in a Markdown file."""
    found, block = [], []
    for line in path.read_text(encoding="utf-8").split("\n") + [""]:
        if line.startswith(">"):
            block.append(line[2:] if line.startswith("> ") else "")
            continue
        if block:
            m = QUOTE.match("\n".join(block))
            assert m, f"{path.name}: unparseable quote {block!r}"
            found.append((m["text"], m["locator"].split(" ")[0], int(m["turn"])))
            block = []
    return found


def docx_quotes(path: Path) -> list[tuple[str, str, int]]:
    """Quotes in a DOCX; one quote may span several Quote paragraphs (its own paragraphs)."""
    found, parts = [], []
    for para in docx.Document(str(path)).paragraphs:
        if para.style.name != "Quote":
            assert not parts, f"{path.name}: quote without its citation: {parts!r}"
            continue
        parts.append(para.text.strip())
        m = QUOTE.match("\n\n".join(parts))
        if m:
            found.append((m["text"], m["locator"].split(" ")[0], int(m["turn"])))
            parts = []
    assert not parts, f"{path.name}: quote without its citation: {parts!r}"
    return found


def _verbatim(text: str) -> re.Pattern:
    """The quote's words in order with any whitespace between them: a document may join
    the transcript's hard line breaks, which are layout, not words."""
    return re.compile(r"\s+".join(map(re.escape, text.split())))


def check(quotes, tables) -> int:
    texts = tables["transcripts"].set_index("citation_id")["text"]
    turns = tables["turns"].set_index(["citation_id", "turn"])
    for text, cid, turn in quotes:
        m = _verbatim(text).search(texts[cid])
        assert m, f"not verbatim in {cid}: {text[:60]!r}"
        span = turns.loc[(cid, turn)]
        assert span["start_char"] <= m.start() and m.end() <= span["end_char"], \
            f"{cid} ¶{turn}: quote is not inside the cited turn"
    return len(quotes)


def all_quotes(outputs: Path, tables: dict) -> dict[str, list[tuple[str, str, int]]]:
    """(text, citation id, turn) of the quotes in each kind of output."""
    md = [q for p in sorted((outputs / "cases").glob("*.md")) + [outputs / "cross_case.md"]
          for q in markdown_quotes(p)]
    word = [q for p in sorted((outputs / "cases").glob("*.docx")) for q in docx_quotes(p)]
    table = [(r.quote, r.citation_id, int(r.locator.split("¶")[1]))
             for r in tables["case_quotes"].itertuples()]
    cats = tables["categories"]
    memo = [(q, loc.split(" ")[0], int(loc.split("¶")[1]))
            for qs, locs in zip(cats["quotes"], cats["quote_locators"])
            for q, loc in zip(qs, locs)]
    return {"markdown": md, "docx": word, "case_quotes": table, "memos": memo}


def shipped_names(catalog) -> set[str]:
    """Every name of a person, school or place the shipped corpus's headers and redaction list
    give."""
    people = catalog.load("participants")["name"].tolist()
    transcripts = catalog.load("transcripts")
    for text in transcripts["text"]:
        head = text.split("\n\n", 1)[0]
        for line in head.splitlines():
            key, _, value = line.partition(":")
            if key in ("Interviewers", "Interviewer", "Transcriber"):
                people += [v.strip() for v in value.split(";")]
    listed = pd.read_csv(catalog.corpus_dir / "redact.csv", comment="#", dtype=str,
                         keep_default_na=False)
    terms = listed.loc[listed["rule"] == "redact", "term"].tolist()
    parts = {w for name in people for w in re.findall(r"[A-ZÀ-Ý][\w’'-]+", name)
             if len(w) > 2}
    return {n for n in people + terms if n} | parts


def shipped_keep(catalog) -> list[str]:
    """The phrases the redaction list keeps ("Karen families" are people, not the principal)."""
    listed = pd.read_csv(catalog.corpus_dir / "redact.csv", comment="#", dtype=str,
                         keep_default_na=False)
    return listed.loc[listed["rule"] == "keep", "term"].tolist()


def names_in(texts: dict, names: set[str], keep: list[str] = ()) -> list[tuple[str, str]]:
    """(text's key, name) for every name found outside the kept phrases: a single word only
    as a name (capitalised: "to be frank" is no Frank), a full name in any case."""
    found = []
    for key, text in texts.items():
        for phrase in sorted(keep, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text, flags=re.IGNORECASE)
        found += [(str(key), n) for n in names
                  if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text,
                               re.IGNORECASE if " " in n else 0)]
    return found
