from pathlib import Path

from pipeline.analysis.benchmark import PER_SITE, generate
from pipeline.core.catalog import Catalog
from pipeline.stages.ingest.stage import IngestParams, collect


def test_generated_corpus_is_valid_deterministic_and_sized(shipped_project: Path,
                                                           tmp_path: Path) -> None:
    words = generate(shipped_project, tmp_path / "a", words=150)
    generate(shipped_project, tmp_path / "b", words=150)
    files = sorted((tmp_path / "a" / "corpus" / "transcripts").iterdir())
    assert len(files) == sum(PER_SITE) == 222
    assert words >= 222 * 150
    other = tmp_path / "b" / "corpus" / "transcripts"
    assert all(f.read_bytes() == (other / f.name).read_bytes() for f in files)
    _, docs, problems = collect(Catalog(tmp_path / "a", {}).read_corpus(), IngestParams())
    assert [p for p in problems if p.is_error] == []
    assert len(docs) == 222
