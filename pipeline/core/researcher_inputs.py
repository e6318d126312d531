"""Reading what researchers wrote (corpus/, codebooks/): the Catalog's input half.

Every read goes through `_read_inside`, which refuses a link leading outside the project,
and text files through `_utf8`, which names a file that is not UTF-8.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.core.errors import InputError, PipelineError, error
from pipeline.core.inputs import (
    CODING_SUFFIXES,
    INTERPRETATIONS,
    MEMBER_CHECKS,
    REDACTION_FILE,
    TRANSCRIPT_SUFFIXES,
    CodebookInputs,
    Corpus,
    DecisionsInput,
    InputFiles,
    KeyHistory,
    make_source,
)

RESERVED_YAML = {"decisions"}  # YAML files in codebooks/ that are not codebooks
COVERAGE = "coverage.csv"       # transcripts coded in full: their uncoded segments count as read
REVIEWS = "reviews"             # review rounds of machine suggestions (qda review ingest)


def _not_read(path: Path) -> str:
    """Why a file in corpus/transcripts/ is not read as a transcript: "" when it is, "-" when
    it is skipped without a word (folders, README, editor and system files)."""
    name = path.name
    if path.is_dir() or name.lower() == "readme.md" or name.startswith(("._", ".~lock.")):
        return "-"  # macOS resource forks, LibreOffice locks: never transcripts
    if name.startswith("~$"):
        return "skipped: a Word lock file (the document is open in Word)"
    transcript = path.suffix.lower() in TRANSCRIPT_SUFFIXES
    if name.startswith("."):
        # A hidden transcript is easy to make by accident and would silently drop out.
        return ("skipped: a hidden file (its name starts with '.'); rename it to read it"
                if transcript else "-")
    return "" if transcript else "skipped: not a transcript format this pipeline reads"



class ResearcherInputs:
    """Mixed into Catalog, which provides root, corpus_dir, codebooks_dir, rel() and load()."""
    root: Path
    corpus_dir: Path
    codebooks_dir: Path

    def read_corpus(self, transcripts: bool = True) -> Corpus:
        """study.toml, sites.csv and every transcript file; with `transcripts` False, the
        study files alone (no files): what a page needs to name the study."""
        study, sites = self.corpus_dir / "study.toml", self.corpus_dir / "sites.csv"
        for required in (study, sites):
            if not required.is_file():
                raise InputError([error(self.rel(required) if required.parent.exists()
                                        else str(required), 0, "missing: the corpus needs "
                                        "study.toml and sites.csv")])
        files, skipped = [], []
        folder = self.corpus_dir / "transcripts"
        for path in sorted(folder.iterdir() if transcripts and folder.is_dir() else []):
            why = _not_read(path)
            if why:
                if why != "-":
                    skipped.append((self.rel(path), why))
                continue
            files.append(make_source(self.rel(path), self._read_inside(path)))
        return Corpus(self._read_inside(study), self._read_inside(sites), tuple(files),
                      tuple(skipped), self.rel(study), self.rel(sites), self.rel(folder))

    def _read_inside(self, path: Path) -> bytes:
        """A researcher file's bytes. A link leading outside the project is refused: the
        project would no longer hold (or share, or archive) what its results rest on."""
        target = path.resolve()
        if not target.is_relative_to(self.root):
            shown = path.relative_to(self.root) if path.is_relative_to(self.root) else path
            raise InputError([error(str(shown), 0, f"a link to {target}, outside the project; "
                                    "the pipeline reads only files inside the project (copy "
                                    "the file in instead of linking it)")])
        return target.read_bytes()

    def read_codebooks(self) -> CodebookInputs:
        """Codebook YAML files in codebooks/, human codings in codebooks/codings/, the
        coverage declaration codebooks/coverage.csv, review rounds in codebooks/reviews/."""
        folder = self.codebooks_dir
        books = [(self.rel(p), self._utf8(p))
                 for p in sorted(folder.glob("*.y*ml") if folder.is_dir() else [])
                 if p.suffix in (".yml", ".yaml") and p.stem not in RESERVED_YAML]
        codings = [make_source(self.rel(p), self._read_inside(p))
                   for p in sorted((folder / "codings").glob("*"))
                   if p.suffix.lower() in CODING_SUFFIXES]
        coverage = folder / COVERAGE
        reviews = [make_source(self.rel(p), self._read_inside(p))
                   for p in sorted((folder / REVIEWS).rglob("*.csv")) if p.is_file()]
        return CodebookInputs(tuple(books), tuple(codings),
                              make_source(self.rel(coverage), self._read_inside(coverage))
                              if coverage.is_file() else None, tuple(reviews))

    def read_decisions(self) -> DecisionsInput:
        path = self.codebooks_dir / "decisions.yml"
        text = self._utf8(path) if path.is_file() else ""
        return DecisionsInput(self.rel(path), text)

    def _utf8(self, path: Path) -> str:
        """A researcher's text file; not UTF-8 is an error naming it (not a bare codec error)."""
        data = self._read_inside(path)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise InputError([error(self.rel(path), line, f"not UTF-8 text ({exc.reason} at "
                                    f"byte {exc.start}); save it as UTF-8")]) from None

    def read_key_history(self) -> KeyHistory:
        """The previous run's category keys; None when absent or unreadable (keys then
        start afresh, as on a first run)."""
        try:
            return KeyHistory(self.load("category_keys"))
        except (PipelineError, OSError, ValueError):
            return KeyHistory(None)

    def _input_files(self, name: str, paths: list[Path]) -> InputFiles:
        return InputFiles(name, tuple(make_source(self.rel(p), self._read_inside(p))
                                      for p in sorted(paths) if p.is_file()
                                      and not p.name.startswith(".")
                                      and not p.name.endswith(".tmp")))

    def read_redaction(self) -> InputFiles:
        """corpus/redact.csv: terms always replaced, terms never replaced."""
        return self._input_files("redaction", [self.corpus_dir / REDACTION_FILE])

    def read_interpretations(self) -> InputFiles:
        """codebooks/interpretations/<site>.yml: the researcher's interpretation per theme."""
        folder = self.codebooks_dir / INTERPRETATIONS
        return self._input_files("interpretations", list(folder.glob("*.y*ml")))

    def member_checks_dir(self) -> Path:
        return self.codebooks_dir / MEMBER_CHECKS

    def read_member_checks(self) -> InputFiles:
        """codebooks/member_checks/: every round's items, session responses and sheets."""
        folder = self.member_checks_dir()
        return self._input_files("member_checks", [
            p for p in folder.rglob("*") if p.suffix.lower() in (".csv", ".json", ".xlsx")])

    def read_raw(self, name: str) -> Corpus | CodebookInputs | DecisionsInput | KeyHistory \
            | InputFiles:
        return {"corpus": self.read_corpus, "codebooks": self.read_codebooks,
                "decisions": self.read_decisions, "key_history": self.read_key_history,
                "redaction": self.read_redaction, "interpretations": self.read_interpretations,
                "member_checks": self.read_member_checks}[name]()

