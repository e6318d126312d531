"""Assemble a REFI-QDA project from the pipeline's tables: transcripts as text sources, sites
as cases with their attributes, human codings at their exact spans and (optionally) automatic
codings at their segments' spans."""
from __future__ import annotations

import io
import zipfile

import pandas as pd

from pipeline.codebook.model import Codebook
from pipeline.formats.refi.codebook import export_qdc
from pipeline.formats.refi.project import Case, Coding, Project, Source, export_qdpx
from pipeline.formats.refi.qdaxml import validate

SOURCE_ATTRIBUTES = ("site", "role", "role_subtype", "interview_date", "phase")


def build_project(name: str, book: Codebook, transcripts: pd.DataFrame, sites: pd.DataFrame,
                  human: pd.DataFrame, auto: pd.DataFrame | None = None) -> Project:
    sources = tuple(
        Source(t.citation_id, t.text, attributes=tuple(
            (a, str(getattr(t, a))) for a in SOURCE_ATTRIBUTES if str(getattr(t, a)) not in
            ("", "None", "nan")))
        for t in transcripts.itertuples(index=False))
    by_site = transcripts.groupby("site")["citation_id"].apply(tuple).to_dict()
    skip = {"site", "n_transcripts", "n_participants"}
    cases = tuple(
        Case(str(s["site"]), tuple((k, str(v)) for k, v in s.items()
                                   if k not in skip and str(v) not in ("", "None", "nan")),
             by_site.get(s["site"], ()))
        for s in sites.to_dict("records"))
    codings = [Coding(h.citation_id, int(h.start_char), int(h.end_char), h.code_id, h.coder)
               for h in human.itertuples(index=False) if h.code_id]
    if auto is not None:
        codings += [Coding(a.citation_id, int(a.start_char), int(a.end_char), a.code_id,
                           a.source.replace(":", "-")) for a in auto.itertuples(index=False)]
    codings.sort(key=lambda c: (c.source, c.start, c.end, c.code_id, c.coder))
    users = tuple(sorted({c.coder for c in codings}))
    return Project(name, book, sources, cases, tuple(codings), users)


def auto_spans(codings: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Automatic codings placed at their segments' spans (citation_id, start/end, source)."""
    spans = segments[["segment_id", "start_char", "end_char"]]
    auto = codings[codings["source"].str.startswith("auto:")]
    return auto.merge(spans, on="segment_id")


class ExportInvalid(ValueError):
    """Our own export failed schema validation: a bug, never silently written."""


def checked_qdc(book: Codebook) -> bytes:
    data = export_qdc(book)
    problems = validate(data, "Codebook.xsd")
    if problems:
        raise ExportInvalid("codebook export does not validate: " + "; ".join(problems[:5]))
    return data


def checked_qdpx(project: Project) -> bytes:
    data = export_qdpx(project)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        problems = validate(archive.read("project.qde"), "Project-mrt2019.xsd")
    if problems:
        raise ExportInvalid("project export does not validate: " + "; ".join(problems[:5]))
    return data
