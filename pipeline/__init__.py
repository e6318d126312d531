"""qda: a reproducible qualitative-analysis pipeline for multi-site interview studies."""

__version__ = "0.1.0"
