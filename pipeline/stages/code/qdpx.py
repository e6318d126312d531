"""Human codings from a REFI-QDA project (.qdpx), e.g. our own export coded in NVivo or
MAXQDA and brought back. Sources are matched to transcripts by name (the citation ID)."""
from __future__ import annotations

import pandas as pd

from pipeline.codebook.model import Codebook
from pipeline.core.errors import Problem, error, warning
from pipeline.core.inputs import SourceFile
from pipeline.formats.refi.project_reader import import_qdpx
from pipeline.formats.refi.qdaxml import RefiError
from pipeline.formats.text import normalise
from pipeline.stages.code.human import SPAN_COLUMNS


def read_qdpx_codings(src: SourceFile, texts: dict[str, str], book: Codebook
                      ) -> tuple[pd.DataFrame, list[Problem]]:
    """Spans coded in a .qdpx whose sources are transcripts of this corpus."""
    empty = pd.DataFrame(columns=SPAN_COLUMNS)
    try:
        project, losses = import_qdpx(src.data, src.path)
    except RefiError as exc:
        return empty, [error(src.path, 0, str(exc))]
    problems = [warning(src.path, 0, f"ignored: {loss}") for loss in losses]
    usable: set[str] = set()
    for source in project.sources:
        if source.name not in texts:
            problems.append(error(src.path, 0, f"source {source.name!r} is not a transcript "
                                  f"of this corpus (sources must be named by citation ID)"))
        elif normalise(source.text) != texts[source.name]:
            problems.append(error(src.path, 0, f"source {source.name!r} differs from the "
                                  f"transcript's text, so its offsets cannot be trusted; code "
                                  f"a fresh export (`qda export --format qdpx`)"))
        else:
            usable.add(source.name)
    rows = []
    for c in project.codings:
        if c.source not in usable:
            continue
        if c.code_id not in book:
            problems.append(error(src.path, 0, f"coding in {c.source} uses code "
                                  f"{c.code_id!r}, which is not in the codebook"))
            continue
        rows.append({"citation_id": c.source, "start_char": c.start, "end_char": c.end,
                     "code_id": c.code_id, "coder": c.coder, "file": src.path, "line": 0})
    return pd.DataFrame(rows, columns=SPAN_COLUMNS), problems
