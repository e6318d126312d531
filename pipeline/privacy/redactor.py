"""The redactor: everything that leaves the project goes through it.

Built once from the redaction list and the study's tables, it replaces, in this order of
precedence: e-mail addresses and phone numbers; the terms (the list's, then the people in
the headers and participants table, then the sites, then the places in the headers), with
kept terms protecting their words; and, with `ner`, the people, organisations and places the
trained model finds among the words left. The same input always gives the same output.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.core.progress import progress
from pipeline.privacy import ner as entities
from pipeline.privacy.matcher import Matcher, Span, apply_spans, merge_spans
from pipeline.privacy.rules import RedactionList, Term, normal_key
from pipeline.privacy.sources import people_terms, place_terms, site_terms

if TYPE_CHECKING:
    import pandas as pd

# Batches this large show a progress bar (on a terminal): whole transcripts take a while.
PROGRESS_FROM = 200


def study_terms(rules: RedactionList, participants: pd.DataFrame | None,
                transcripts: pd.DataFrame | None, sites: pd.DataFrame | None) -> list[Term]:
    """Every term, one per key, the first source that names it winning: the list (its
    kept terms too), then people, then sites, then places in headers. A place that an
    earlier term already covers whole ("Huron Plains Catholic DSB" is the site's short form
    and its "DSB") is left to that term."""
    terms, seen = [], set()
    for layer in (list(rules.terms), people_terms(participants, transcripts),
                  site_terms(sites)):
        for term in layer:
            if term.key not in seen:
                seen.add(term.key)
                terms.append(term)
    earlier = Matcher.build(terms)
    for term in place_terms(participants, transcripts):
        if term.key not in seen and not earlier.covers(term.text):
            seen.add(term.key)
            terms.append(term)
    return terms


@dataclass(frozen=True)
class Redactor:
    """Replaces names, schools, towns, organisations, e-mail addresses and phone numbers."""
    matcher: Matcher
    all_terms: tuple[Term, ...]
    nlp: Any = None          # the trained pipeline when redacting with NER, else None
    source: str = ""         # the redaction list's path, for provenance
    # Lower-case words that are not names when the model tags one alone (see ner.py).
    ordinary: frozenset[str] = frozenset()

    @classmethod
    def build(cls, rules: RedactionList, participants: pd.DataFrame | None,
              transcripts: pd.DataFrame | None, sites: pd.DataFrame | None,
              ner: bool = True) -> Redactor:
        """A redactor for the study. With `ner`, the trained English model is loaded now
        (once per process); `OSError` if it is not installed."""
        terms = tuple(study_terms(rules, participants, transcripts, sites))
        if not ner:
            return cls(Matcher.build(terms), terms, None, rules.path)
        from pipeline.nlp.pipelines import trained_nlp

        texts = transcripts["text"].tolist() if transcripts is not None \
            and "text" in transcripts.columns else []
        ordinary = entities.english_words() | entities.lower_case_words(texts)
        return cls(Matcher.build(terms), terms, trained_nlp(), rules.path, ordinary)

    def terms(self) -> list[str]:
        """Every term it always replaces (sorted; kept terms are not listed)."""
        return sorted({t.text for t in self.all_terms if not t.keep},
                      key=lambda t: (t.casefold(), t))

    def kept(self) -> list[str]:
        """The terms it never replaces."""
        return sorted({t.text for t in self.all_terms if t.keep},
                      key=lambda t: (t.casefold(), t))

    def placeholder(self, term: str) -> str | None:
        """The placeholder a term gets (None for a kept or unknown term)."""
        key = normal_key(term)
        return next((t.placeholder for t in self.all_terms if t.key == key), None)

    def redact(self, text: str) -> str:
        return self.redact_many([text])[0]

    def redact_many(self, texts: Sequence[str]) -> list[str]:
        """Each text redacted; the entity recogniser reads them in batches. Values that are
        not text (None, NaN) come back unchanged."""
        texts = list(texts)
        spans = [self.matcher.spans(t) if isinstance(t, str) else [] for t in texts]
        if self.nlp is not None:
            self._add_entities(texts, spans)
        return [apply_spans(t, s) if isinstance(t, str) else t for t, s in zip(texts, spans)]

    def _add_entities(self, texts: list, spans: list[list[Span]]) -> None:
        # Only texts with a capital can hold a name the model would find.
        todo = [i for i, t in enumerate(texts) if isinstance(t, str) and t != t.lower()]
        docs: Iterable = entities.parse(self.nlp, (texts[i] for i in todo))
        if len(todo) >= PROGRESS_FROM:
            docs = progress(docs, "redact", unit="text", total=len(todo))
        for i, doc in zip(todo, docs):
            spans[i] = merge_spans(spans[i], entities.entity_spans(doc, spans[i],
                                                                   self.ordinary))

    def redact_frame(self, df: pd.DataFrame, columns: list[str] | None = None
                     ) -> pd.DataFrame:
        """A copy of `df` with its text redacted: every column holding text (or lists of
        text), or only `columns`. Equal texts are redacted once."""
        out = df.copy()
        names = [c for c in (df.columns if columns is None else columns)
                 if _holds_text(df[c])]
        unique = sorted({s for c in names for s in _strings(df[c])})
        done = dict(zip(unique, self.redact_many(unique)))
        for c in names:
            out[c] = [_mapped(v, done) for v in df[c].tolist()]
            if str(df[c].dtype) == "string":
                out[c] = out[c].astype("string")
        return out

    def provenance(self) -> dict[str, Any]:
        """What the redaction was made of, for the provenance of what it wrote."""
        from pipeline.nlp.pipelines import describe

        return {"redaction_list": self.source, "terms": len(self.terms()),
                "kept": len(self.kept()),
                "ner": describe(self.nlp) if self.nlp is not None else None}


def _holds_text(series: pd.Series) -> bool:
    return any(True for _ in _strings(series))


def _strings(series: pd.Series) -> Iterable[str]:
    for value in series.tolist():
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple) or hasattr(value, "tolist"):
            items = value.tolist() if hasattr(value, "tolist") else value
            if isinstance(items, list):
                yield from (v for v in items if isinstance(v, str))


def _mapped(value: Any, done: dict[str, str]) -> Any:
    if isinstance(value, str):
        return done.get(value, value)
    if isinstance(value, list | tuple) or (hasattr(value, "tolist")
                                           and isinstance(value.tolist(), list)):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        return [done.get(v, v) if isinstance(v, str) else v for v in items]
    return value
