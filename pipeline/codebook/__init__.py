"""The codebook: hierarchical codes with definitions, criteria, examples and keywords.

Shared by the code stage, exchange (REFI-QDA) and the command line. ``model`` holds the
codes and the YAML loader with its line-numbered checks, ``writer`` writes YAML back (and
human codings as CSV).
"""
from pipeline.codebook.model import (
    Code,
    Codebook,
    CodebookError,
    Example,
    build_codebook,
    load_codebook,
)
from pipeline.codebook.writer import codings_csv, to_yaml

__all__ = ["Code", "Codebook", "CodebookError", "Example", "build_codebook", "codings_csv",
           "load_codebook", "to_yaml"]
