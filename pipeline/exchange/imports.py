"""Codebooks and coded projects from other tools, turned into files a researcher owns."""
from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from pipeline import __version__
from pipeline.codebook import Codebook, to_yaml
from pipeline.formats.refi.codebook import import_qdc
from pipeline.formats.refi.project import Project
from pipeline.formats.refi.project_reader import import_qdpx


@dataclass(frozen=True)
class Imported:
    book: Codebook
    yaml: str                 # the codebook as codebooks/<name>.yml
    losses: tuple[str, ...]   # what the file held that our codebook cannot
    project: Project | None = None

    def codes_corpus(self, citation_ids: Set[str]) -> bool:
        """True when the project's sources are transcripts of this corpus (by citation ID),
        so its codings can count as human codings."""
        sources = {s.name for s in self.project.sources} if self.project else set()
        return bool(sources) and sources <= set(citation_ids)


def read_refi(data: bytes, name: str) -> Imported:
    """A REFI-QDA .qdc codebook or .qdpx project; raises RefiError on a bad file."""
    losses: list[str] = []
    project = None
    if name.lower().endswith(".qdpx"):
        project, losses = import_qdpx(data, name)
        book = project.codebook
    else:
        book = import_qdc(data, name, losses)
    note = f"Imported from {name} by qda {__version__}; edit freely."
    return Imported(book, to_yaml(book, note), tuple(losses), project)
