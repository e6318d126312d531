"""Memos for emerging categories: distinctive terms and a label (class-based TF-IDF), the
quotes nearest the centroid spread across roles, who voiced it, where it first appeared, and
the codebook codes it overlaps."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer


def class_tfidf(docs: list[str] | list[list[str]], top: int) -> list[list[tuple[str, float]]]:
    """Per class: the `top` terms by c-TF-IDF, tf(t, c) * log(1 + A / f(t)) with A the mean
    class size and f(t) the term's total count. A class is one text or a list of texts
    (segments); two-word terms never span two texts."""
    classes = [d if isinstance(d, list) else [d] for d in docs]
    texts = [t for c in classes for t in c]
    if not any(t.strip() for t in texts):
        return [[] for _ in classes]
    vec = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2))
    per_text = vec.fit_transform(texts)
    owner = np.repeat(np.arange(len(classes)), [len(c) for c in classes])
    member = sparse.csr_matrix((np.ones(len(texts)), (owner, np.arange(len(texts)))),
                               shape=(len(classes), len(texts)))
    counts = (member @ per_text).astype(float)
    sizes = np.asarray(counts.sum(axis=1)).ravel()
    tf = counts.multiply(1 / np.where(sizes == 0, 1, sizes)[:, None]).tocsr()
    idf = np.log1p(sizes.mean() / np.asarray(counts.sum(axis=0)).ravel())
    weights = tf.multiply(idf).tocsr()
    names = vec.get_feature_names_out()
    out = []
    for i in range(weights.shape[0]):
        row = weights.getrow(i).tocoo()
        order = sorted(range(len(row.data)), key=lambda k: (-row.data[k], names[row.col[k]]))
        out.append([(names[row.col[k]], float(row.data[k])) for k in order[:top]])
    return out


def label_from(terms: list[tuple[str, float]], words: int = 3) -> str:
    """Up to three distinctive terms; a two-word term (noun-phrase-like) hides its parts."""
    chosen: list[str] = []
    for term, _ in terms:
        parts = set(term.split())
        if any(parts <= set(c.split()) or set(c.split()) <= parts for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == words:
            break
    return " / ".join(chosen) if chosen else "(no distinctive terms)"


def pick_quotes(rows: list[dict], n: int) -> list[dict]:
    """Rows nearest the centroid, one per role (and person) first, then the next nearest."""
    ranked = sorted(rows, key=lambda r: (-r["similarity"], r["segment_id"]))
    chosen, roles, people = [], set(), set()
    for r in ranked:
        if len(chosen) == n:
            return chosen
        if r["role"] not in roles and r["participant_id"] not in people:
            chosen.append(r)
            roles.add(r["role"])
            people.add(r["participant_id"])
    for r in ranked:
        if len(chosen) == n:
            break
        if r not in chosen:
            chosen.append(r)
    return chosen


def code_overlap(segment_ids: list[str], codes_of: dict[str, set[str]], top: int,
                 min_share: float = 0.15) -> list[str]:
    """Codes carried by the largest shares of the category's segments, e.g. 'x (45%)'."""
    counts = Counter(c for s in segment_ids for c in codes_of.get(s, ()))
    shares = sorted(((n / len(segment_ids), code) for code, n in counts.items()),
                    key=lambda t: (-t[0], t[1]))
    return [f"{code} ({share:.0%})" for share, code in shares[:top] if share >= min_share]


def memos(members: pd.DataFrame, codings: pd.DataFrame, n_terms: int, n_quotes: int,
          n_codes: int) -> pd.DataFrame:
    """One memo row per category. `members`: segment_id, category_id, similarity, order,
    lemmas, role, participant_id, site, citation_id, locator, text."""
    groups: dict[str, list[dict]] = {}
    for row in members.sort_values("order").to_dict("records"):
        groups.setdefault(row["category_id"], []).append(row)
    codes_of: dict[str, set[str]] = {}
    for seg, code in zip(codings["segment_id"], codings["code_id"]):
        codes_of.setdefault(seg, set()).add(code)
    cats = list(groups)
    terms = class_tfidf([[r["lemmas"] for r in groups[c]] for c in cats], n_terms)
    out = []
    for cat, cat_terms in zip(cats, terms):
        rows = groups[cat]
        quotes = pick_quotes(rows, n_quotes)
        roles = {r["role"] for r in rows}
        sites = {r["site"] for r in rows}
        out.append({
            "category_id": cat, "label": label_from(cat_terms),
            "top_terms": [t for t, _ in cat_terms],
            "n_segments": len(rows), "n_participants": len({r["participant_id"] for r in rows}),
            "n_sites": len(sites), "n_roles": len(roles),
            "roles": sorted(roles), "sites": sorted(sites),
            "first_citation_id": rows[0]["citation_id"], "first_locator": rows[0]["locator"],
            "representative_segments": [q["segment_id"] for q in quotes],
            "quote_locators": [q["locator"] for q in quotes],
            "quotes": [q.get("text", "") for q in quotes],
            "codes": code_overlap([r["segment_id"] for r in rows], codes_of, n_codes),
        })
    return pd.DataFrame(out)
