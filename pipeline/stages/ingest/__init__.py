"""ingest: corpus files -> transcripts, turns, participants, sites."""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submod_attrs={
    "params": ["IngestParams"],
    "stage": ["run", "collect", "parse_document"],
    "tables": ["build_tables"],
})
