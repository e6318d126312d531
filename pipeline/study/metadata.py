"""Study metadata: ``corpus/study.toml`` (phases, roles, speakers) and ``corpus/sites.csv``."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field

from pipeline.core.csvio import CsvError, read_rows
from pipeline.core.errors import Problem, error, warning
from pipeline.study.citation import CitationId
from pipeline.study.toml_fields import Fields

SITE_COLUMNS = ("code", "name", "kind")


@dataclass(frozen=True)
class Phase:
    id: str
    year: int
    start: dt.date
    end: dt.date
    label: str = ""


@dataclass(frozen=True)
class Study:
    name: str
    id_prefix: str
    phases: tuple[Phase, ...]
    roles: tuple[str, ...]
    interviewer_labels: tuple[str, ...]
    participant_labels: tuple[str, ...]
    sites: tuple[dict[str, str], ...]
    unknown_role: str = "error"
    alphabetical_site_numbers: bool = True
    study_path: str = "corpus/study.toml"
    sites_path: str = "corpus/sites.csv"
    site_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    # False when sites.csv itself could not be read: then no transcript is blamed for a site
    # the file would have listed (one error, not one per transcript).
    sites_read: bool = True

    @property
    def site_codes(self) -> frozenset[str]:
        return frozenset(s["code"] for s in self.sites)

    def phases_on(self, cid: CitationId) -> list[tuple[dt.date, Phase]]:
        """Every phase whose dates hold the ID's month.day, with that day in its year."""
        out = []
        for phase in self.phases:
            try:
                day = dt.date(phase.year, cid.month, cid.day)
            except ValueError:
                continue
            if phase.start <= day <= phase.end:
                out.append((day, phase))
        return out

    def resolve_date(self, cid: CitationId, phase_id: str | None = None
                     ) -> tuple[dt.date | None, Phase | None, str]:
        """The interview date and phase for an ID's month.day (in the phase a transcript's
        `Phase:` header names, when it names one); a reason when there is none."""
        if phase_id is not None:
            phase = next((p for p in self.phases if p.id == phase_id), None)
            if phase is None:
                ids = ", ".join(p.id for p in self.phases)
                return None, None, (f"header Phase {phase_id!r} is not a phase of the study "
                                    f"({ids})")
            found = [(d, p) for d, p in self.phases_on(cid) if p.id == phase_id]
            if not found:
                return None, None, (f"date {cid.month}.{cid.day} is outside phase "
                                    f"{phase_id} ({phase.start:%Y-%m-%d}..{phase.end:%Y-%m-%d})")
            return found[0][0], found[0][1], ""
        found = self.phases_on(cid)
        if found:
            return found[0][0], found[0][1], ""
        if not any(_possible(p.year, cid) for p in self.phases):
            return None, None, f"impossible date {cid.month}.{cid.day} (month.day)"
        windows = ", ".join(f"{p.start:%Y-%m-%d}..{p.end:%Y-%m-%d}" for p in self.phases)
        return None, None, f"date {cid.month}.{cid.day} is outside the fieldwork ({windows})"


def _possible(year: int, cid: CitationId) -> bool:
    try:
        dt.date(year, cid.month, cid.day)
        return True
    except ValueError:
        return False


def load_study(study_bytes: bytes, sites_bytes: bytes, study_path: str = "corpus/study.toml",
               sites_path: str = "corpus/sites.csv") -> tuple[Study | None, list[Problem]]:
    """Read and check the study metadata; returns (study or None, problems)."""
    problems: list[Problem] = []
    try:
        text = study_bytes.decode("utf-8-sig")
        raw = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, [error(study_path, _toml_line(exc), f"cannot read TOML: {exc}")]
    fields = Fields(text, study_path, problems)
    meta = fields.table(raw, "study")
    speakers = fields.table(raw, "speakers")
    phases = _phases(raw, fields)
    site_rows, site_lines, site_problems = _read_sites(sites_bytes, sites_path)
    problems += site_problems
    study = Study(
        name=fields.text(meta, "name", "unnamed study", "study."),
        id_prefix=fields.text(meta, "id_prefix", "O", "study."),
        phases=tuple(phases),
        roles=fields.texts(fields.table(raw, "roles"), "vocabulary", (), "roles."),
        interviewer_labels=fields.texts(speakers, "interviewer_labels", ("Interviewer", "I"),
                                        "speakers."),
        participant_labels=fields.texts(speakers, "participant_labels", ("P", "R"),
                                        "speakers."),
        sites=tuple(site_rows),
        unknown_role=fields.text(meta, "unknown_role", "error", "study."),
        alphabetical_site_numbers=fields.flag(meta, "alphabetical_site_numbers", True,
                                              "study."),
        study_path=study_path,
        sites_path=sites_path,
        site_lines=site_lines,
        sites_read=not (site_problems and not site_rows),
    )
    if study.unknown_role not in ("error", "warning"):
        fields.bad("unknown_role", 0, "study.unknown_role must be 'error' or 'warning'")
    problems += check_site_numbering(study)
    return study, problems


def _phases(raw: dict, fields: Fields) -> list[Phase]:
    """The [[phases]] entries, each with an id, a year and start/end dates in that order."""
    entries = raw.get("phases", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fields.bad("phases", 0, "phases must be [[phases]] tables, each with id, year, "
                   "start and end")
        return []
    phases = []
    for i, ph in enumerate(entries, 1):
        start_line, where = fields.header_line("[[phases]]", i), f"[[phases]] entry {i}: "
        before = len(fields.problems)
        pid = fields.text(ph, "id", "", where, start_line)
        year = fields.integer(ph, "year", where, start_line)
        start = fields.date(ph, "start", where, start_line)
        end = fields.date(ph, "end", where, start_line)
        if not pid:
            fields.bad("id", start_line, f"{where}id must be non-empty text")
        if len(fields.problems) > before or year is None or start is None or end is None:
            continue
        if start > end:
            fields.bad("end", start_line, f"{where}end {end} is before start {start}")
            continue
        phases.append(Phase(id=pid, year=year, start=start, end=end,
                            label=fields.text(ph, "label", "", where, start_line)))
    if not phases and not fields.problems:
        fields.problems.append(error(fields.path, 0, "no [[phases]] given: the year of each "
                                     "interview comes from its phase"))
    return phases


def _toml_line(exc: Exception) -> int:
    m = re.search(r"at line (\d+)", str(exc))
    return int(m.group(1)) if m else 0


def _read_sites(data: bytes, path: str
                ) -> tuple[list[dict[str, str]], dict[str, int], list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], {}, [error(path, 0, f"not UTF-8 text ({exc.reason})")]
    try:
        header, records = read_rows(text)
    except CsvError as exc:
        return [], {}, [error(path, exc.line, str(exc))]
    missing = [c for c in SITE_COLUMNS if c not in header]
    if missing:
        return [], {}, [error(path, 1, f"missing column(s) {', '.join(missing)}; "
                              f"the header must include {', '.join(SITE_COLUMNS)}")]
    rows: list[dict[str, str]] = []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for line, row in records:
        problem = _site_row(row, line, path, lines)
        if problem:
            problems.append(problem)
            continue
        lines[row["code"]] = line
        rows.append(row)
    return rows, lines, problems


def _site_row(row: dict, line: int, path: str, lines: dict[str, int]) -> Problem | None:
    """Check one sites.csv row in place (values stripped); the problem, if any."""
    extra = row.pop(None, None) or []
    width = sum(v is not None for v in row.values()) + len(extra)
    if width != len(row):
        # A ragged row shifts or drops values silently; the header is the contract.
        return error(path, line, f"row has {width} field(s), the header has {len(row)}; "
                     "check for a stray or missing comma")
    row.update({k: (v or "").strip() for k, v in row.items()})
    if not row["code"]:
        return error(path, line, "empty site code")
    if row["code"] in lines:
        return error(path, line, f"duplicate site code {row['code']!r} "
                     f"(first on line {lines[row['code']]})")
    return None


def _sort_key(name: str) -> str:
    """Alphabetical order as a person would file names: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def check_site_numbering(study: Study) -> list[Problem]:
    """Warn when district numbers do not follow the alphabetical order of their names."""
    if not study.alphabetical_site_numbers:
        return []
    districts = [s for s in study.sites if s.get("kind", "district") == "district"]
    numbered = []
    for s in districts:
        digits = s["code"][len(study.id_prefix):]
        # ASCII digits: "²".isdigit() holds, but int("²") fails
        if not (s["code"].startswith(study.id_prefix) and digits.isascii() and digits.isdigit()):
            return [warning(study.sites_path, study.site_lines.get(s["code"], 0),
                            f"site code {s['code']!r} does not follow the pattern "
                            f"{study.id_prefix}<number>; alphabetical numbering not checked")]
        numbered.append((int(digits), s))
    by_number = [s for _, s in sorted(numbered, key=lambda t: t[0])]
    by_name = sorted(districts, key=lambda s: _sort_key(s["name"]))
    problems = []
    for position, (s_num, s_name) in enumerate(zip(by_number, by_name), 1):
        if s_num["code"] != s_name["code"]:
            problems.append(warning(
                study.sites_path, study.site_lines.get(s_num["code"], 0),
                f"site numbering is not alphabetical: {s_num['code']} is {s_num['name']!r}, "
                f"but alphabetically district {position} is {s_name['name']!r}"))
            break
    return problems
