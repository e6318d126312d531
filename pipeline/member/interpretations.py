"""The researcher's interpretations: ``codebooks/interpretations/<site>.yml``, one short text
per theme, keyed by theme id::

    code:tension_eqao_testing: >-
      At Cedar Ridge the provincial test sets what counts ...

Where a theme has none, the generated synthesis stands in and says it is generated."""
from __future__ import annotations

from pipeline.core.errors import Problem, error, warning
from pipeline.core.inputs import InputFiles
from pipeline.core.yamlio import LINE, LINES, YamlError, load

Interpretations = dict[str, dict[str, str]]   # site -> theme_id -> text


def read_interpretations(inputs: InputFiles, sites: set[str], theme_ids: set[str]
                         ) -> tuple[Interpretations, list[Problem]]:
    """Every site's interpretations; unknown sites and themes warn, malformed files fail."""
    found: Interpretations = {}
    problems: list[Problem] = []
    for f in inputs.files:
        site = f.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        try:
            data = load(f.data.decode("utf-8-sig")) or {}
        except (YamlError, UnicodeDecodeError) as exc:
            problems.append(error(f.path, getattr(exc, "line", 0), str(exc)))
            continue
        if not isinstance(data, dict):
            problems.append(error(f.path, 1, "expected a mapping of theme id to text"))
            continue
        if site not in sites:
            problems.append(warning(f.path, 1, f"no site {site!r} in corpus/sites.csv: the "
                                    f"file name must be a site code (e.g. O3.yml)"))
            continue
        found[site] = _texts(f.path, data, theme_ids, problems)
    return found, problems


def _texts(path: str, data: dict, theme_ids: set[str], problems: list[Problem]
           ) -> dict[str, str]:
    texts: dict[str, str] = {}
    lines = data.get(LINES, {})
    for key, value in data.items():
        if key in (LINE, LINES):
            continue
        line = lines.get(key, 0)
        if not isinstance(value, str) or not value.strip():
            problems.append(error(path, line, f"{key}: the interpretation must be a "
                                              f"non-empty text"))
        elif str(key) not in theme_ids:
            problems.append(warning(path, line, f"{key}: no such theme (see "
                                                f"outputs/themes.parquet); left out"))
        else:
            texts[str(key)] = " ".join(value.split())
    return texts
