"""What researchers wrote, as handed to the stages: the corpus (study metadata and transcript
files), the codebooks with their human codings, and the decisions about categories."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

# File types the corpus reader picks up in corpus/transcripts/ (formats.reader reads each).
TRANSCRIPT_SUFFIXES = (".txt", ".md", ".vtt", ".srt", ".docx")
# Files under codebooks/codings/ that hold human codings.
CODING_SUFFIXES = (".csv", ".qdpx")
# Raw inputs: read from researcher-written folders rather than produced by a stage (and the
# keys the last run gave its categories, which the next run continues).
RAW_INPUTS = ("corpus", "codebooks", "decisions", "key_history", "redaction",
              "interpretations", "member_checks")
# Where the researcher-written files of the file-based raw inputs live, relative to the
# corpus or codebooks folder, and which files count.
REDACTION_FILE = "redact.csv"            # corpus/redact.csv: the study's redaction list
INTERPRETATIONS = "interpretations"      # codebooks/interpretations/<site>.yml
MEMBER_CHECKS = "member_checks"          # codebooks/member_checks/<site>/round-<n>/...


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the project root, POSIX separators
    data: bytes
    sha256: str


@dataclass(frozen=True)
class Corpus:
    study_bytes: bytes
    sites_bytes: bytes
    files: tuple[SourceFile, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (path, why it was not read)
    study_path: str = "corpus/study.toml"
    sites_path: str = "corpus/sites.csv"
    transcripts_path: str = "corpus/transcripts"

    @property
    def study_hash(self) -> str:
        """Hash of the study metadata: a transcript's parse depends on it."""
        return hashlib.sha256(self.study_bytes + b"\0" + self.sites_bytes).hexdigest()[:16]

    def fingerprint(self) -> str:
        """Hash of everything in the corpus (names and contents)."""
        manifest = [self.study_hash] + [[f.path, f.sha256] for f in self.files]
        manifest.append(list(self.skipped))
        return hashlib.sha256(json.dumps(manifest).encode()).hexdigest()


def make_source(path: str, data: bytes) -> SourceFile:
    return SourceFile(path, data, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class CodebookInputs:
    """What researchers wrote under codebooks/: codebook YAML files, human codings, which
    transcripts were coded in full (coverage.csv), and review rounds of suggestions."""
    codebook_files: tuple[tuple[str, str], ...]  # (path, text)
    coding_files: tuple[SourceFile, ...] = ()
    coverage: SourceFile | None = None
    review_files: tuple[SourceFile, ...] = ()

    def fingerprint(self) -> str:
        manifest = [[p, hashlib.sha256(t.encode()).hexdigest()] for p, t in self.codebook_files]
        manifest += [[f.path, f.sha256] for f in (*self.coding_files, *self.review_files)]
        manifest += [[self.coverage.path, self.coverage.sha256]] if self.coverage else []
        return hashlib.sha256(json.dumps(manifest).encode()).hexdigest()


@dataclass(frozen=True)
class DecisionsInput:
    """codebooks/decisions.yml: what the team decided about emerging categories."""
    path: str
    text: str = ""

    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


@dataclass(frozen=True)
class KeyHistory:
    """The category keys of the previous run (outputs/category_keys.parquet), per segment, so
    that keys follow their categories; None on a first run or after `make clean`.

    Deliberately outside the fingerprint: it only says which names categories continue, and
    it is itself the product of the inputs that are fingerprinted, so a run that changes
    nothing stays up to date."""
    table: Any = None

    def fingerprint(self) -> str:
        return "key-history"


@dataclass(frozen=True)
class InputFiles:
    """Researcher-written files of one raw input (the redaction list, interpretations,
    member-check rounds), as bytes with their paths relative to the project."""
    name: str
    files: tuple[SourceFile, ...] = ()

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps([[f.path, f.sha256] for f in self.files]
                                         ).encode()).hexdigest()

    def get(self, path: str) -> SourceFile | None:
        return next((f for f in self.files if f.path == path), None)
