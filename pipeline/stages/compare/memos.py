"""Memos for emerging categories: distinctive terms and a label (class-based TF-IDF; key
phrases for cross-site categories), the quotes nearest the centroid spread across roles, who
voiced it, where it first appeared, and the codebook codes it overlaps."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from pipeline.core.cache import Cache, no_cache
from pipeline.nlp.counts import term_counts
from pipeline.stages.compare.labels import key_phrases, usable


def class_tfidf(docs: list[str] | list[list[str]], top: int,
                ngrams: tuple[int, int] = (1, 2)) -> list[list[tuple[str, float]]]:
    """Per class: the `top` terms by c-TF-IDF, tf(t, c) * log(1 + A / f(t)) with A the mean
    class size and f(t) the term's total count. A class is one text or a list of texts
    (segments); two-word terms never span two texts."""
    classes = [d if isinstance(d, list) else [d] for d in docs]
    texts = [t for c in classes for t in c]
    if not any(t.strip() for t in texts):
        return [[] for _ in classes]
    distinct = sorted(set(texts))
    names, per_text = _term_counts(tuple(distinct), ngrams)
    row = {t: i for i, t in enumerate(distinct)}
    owner = np.repeat(np.arange(len(classes)), [len(c) for c in classes])
    member = sparse.csr_matrix((np.ones(len(texts)), (owner, [row[t] for t in texts])),
                               shape=(len(classes), len(distinct)))
    counts = (member @ per_text).astype(float)
    sizes = np.asarray(counts.sum(axis=1)).ravel()
    tf = counts.multiply(1 / np.where(sizes == 0, 1, sizes)[:, None]).tocsr()
    idf = np.log1p(sizes.mean() / np.asarray(counts.sum(axis=0)).ravel())
    weights = tf.multiply(idf).tocsr()
    # The vocabulary is sorted, so a column's index orders terms as their names do: ties
    # in weight go to the alphabetically first term.
    out = []
    for i in range(weights.shape[0]):
        a, b = weights.indptr[i], weights.indptr[i + 1]
        data, cols = weights.data[a:b], weights.indices[a:b]
        order = np.lexsort((cols, -data))[:top]
        out.append([(str(names[cols[k]]), float(data[k])) for k in order])
    return out


@lru_cache(maxsize=2)
def _term_counts(texts: tuple[str, ...], ngrams: tuple[int, int]
                 ) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Term counts of each distinct text. Kept for the next call: site and cross-site
    memos count the same segments, grouped differently."""
    return term_counts(texts, ngrams)


def label_from(terms: list[tuple[str, float]], words: int = 3,
               banned: frozenset[str] = frozenset()) -> str:
    """Up to three distinctive terms; a two-word term (noun-phrase-like) hides its parts.
    Fillers, names and non-words never label (labels.usable)."""
    chosen = _distinct([t for t, _ in terms if usable(t, banned)], words)
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


def phrase_labels(texts: dict[str, list[str]], terms: dict[str, list[str]],
                  banned: frozenset[str], cache: Cache = no_cache, n: int = 2
                  ) -> dict[str, tuple[str, list[str]]]:
    """Per category: a label of its `n` best key phrases, and up to three as spoken.

    `texts`: the category's representative segments, whose noun phrases are the
    candidates; `terms`: its distinctive lemmas over all its segments, best first. A phrase
    scores by how distinctive its words are for the category (1/rank of each word and of
    the phrase itself among the terms) times how often it occurs; ties go to class-based
    TF-IDF across categories, so a phrase every category uses loses."""
    cats = list(texts)
    phrases = iter(key_phrases([t for c in cats for t in texts[c]], banned, cache))
    per_cat = {c: [p for _ in texts[c] for p in next(phrases)] for c in cats}
    docs = [[" ".join(k.replace(" ", "_") for k, _ in per_cat[c])] for c in cats]
    ctfidf = dict(zip(cats, (dict(r) for r in class_tfidf(docs, 50, ngrams=(1, 1)))))
    out = {}
    for cat in cats:
        weight = {t: 1 / (1 + i) for i, t in enumerate(terms.get(cat, []))}
        counts = Counter(k for k, _ in per_cat[cat])
        score = {k: n * (weight.get(k, 0) + sum(weight.get(w, 0) for w in k.split()))
                 for k, n in counts.items()}
        ranked = sorted((k for k in counts if score[k] > 0),
                        key=lambda k: (-score[k], -ctfidf[cat].get(k.replace(" ", "_"), 0), k))
        spoken = Counter(per_cat[cat])
        said = [max(((surface, m) for (k2, surface), m in spoken.items() if k2 == k),
                    key=lambda sm: (sm[1], sm[0]))[0] for k in ranked[:3]]
        out[cat] = (" / ".join(_distinct(ranked, n)), said)
    return out


def _distinct(keys: list[str], n: int) -> list[str]:
    """The first `n` terms, skipping one whose words another chosen term contains (or the
    other way round)."""
    chosen: list[str] = []
    for k in keys:
        words = set(k.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(k)
        if len(chosen) == n:
            break
    return chosen


MEMO_COLUMNS = ["category_id", "segment_id", "similarity", "lemmas", "role", "participant_id",
                "site", "citation_id", "locator", "text"]


def _records(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dicts of the `columns` present, as `to_dict("records")` gives them: built
    column by column, which is several times faster on Arrow-backed strings."""
    cols = [c for c in columns if c in df.columns]
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))]


def memos(members: pd.DataFrame, codings: pd.DataFrame, n_terms: int, n_quotes: int,
          n_codes: int, banned: frozenset[str] = frozenset(),
          withdrawn: frozenset[str] = frozenset()) -> pd.DataFrame:
    """One memo row per category. `members`: segment_id, category_id, similarity, order,
    lemmas, role, participant_id, site, citation_id, locator, text. Segments in `withdrawn`
    (quotes their speakers withdrew in member checking) are never quoted."""
    groups: dict[str, list[dict]] = {}
    for row in _records(members.sort_values("order"), MEMO_COLUMNS):
        groups.setdefault(row["category_id"], []).append(row)
    codes_of: dict[str, set[str]] = {}
    for seg, code in zip(codings["segment_id"], codings["code_id"]):
        codes_of.setdefault(seg, set()).add(code)
    cats = list(groups)
    # More than n_terms, since fillers and names are dropped afterwards.
    terms = class_tfidf([[r["lemmas"] for r in groups[c]] for c in cats], n_terms * 3)
    out = []
    for cat, cat_terms in zip(cats, terms):
        cat_terms = [(t, w) for t, w in cat_terms if usable(t, banned)][:n_terms]
        rows = groups[cat]
        quotes = pick_quotes([r for r in rows if r["segment_id"] not in withdrawn], n_quotes)
        roles = {r["role"] for r in rows}
        sites = {r["site"] for r in rows}
        out.append({
            "category_id": cat, "label": label_from(cat_terms, banned=banned),
            "top_terms": [t for t, _ in cat_terms],
            "n_segments": len(rows), "n_participants": len({r["participant_id"] for r in rows}),
            "n_sites": len(sites), "n_roles": len(roles),
            "roles": sorted(roles), "sites": sorted(sites),
            "first_citation_id": rows[0]["citation_id"], "first_locator": rows[0]["locator"],
            "representative_segments": [q["segment_id"] for q in quotes],
            "quote_locators": [q["locator"] for q in quotes],
            "quotes": [q.get("text", "") for q in quotes],
            "codes": code_overlap([r["segment_id"] for r in rows], codes_of, n_codes),
            "phrases": [],
        })
    return pd.DataFrame(out)
