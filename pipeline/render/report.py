"""The report render stage: outputs/report/, a static HTML site to browse the analysis, from
a finding to the passage it came from.

Pages come from Jinja templates (everything escaped) and need no server and no network:
they open from file:// or any static server, the styles and the small script ship in the
package, and what the script searches is in the page itself. The same tables give the same
bytes. The report holds whole transcripts: it stays in outputs/, which is not shared."""
from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from pipeline.render.params import ReportParams
from pipeline.render.report_model import Book, ReportData
from pipeline.render.report_pages import (
    matrix,
    overview,
    passages,
    site_pages,
    theme_pages,
    themes_index,
)
from pipeline.render.report_review import (
    categories,
    saturation,
    suggestions,
    transcript_pages,
    transcripts_index,
)

TEMPLATES = "templates/report"
ASSETS = ("report.css", "report.js")
NAV = (("index.html", "Overview"), ("cross_case.html", "Cross-case"), ("themes.html", "Themes"),
       ("matrix.html", "Matrix"), ("passages.html", "Search passages"),
       ("categories.html", "Emerging categories"), ("saturation.html", "Saturation"),
       ("transcripts.html", "Transcripts"), ("suggestions.html", "Machine suggestions"))


@cache
def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("pipeline.render", TEMPLATES),
                       autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       # templates ship in the package: compile each once per process,
                       # without checking its file again for every page
                       auto_reload=False)


def render_page(book: Book, path: str, template: str, context: dict) -> bytes:
    """One page; links in it are relative to its folder, so the report can move."""
    common = {"root": "../" * path.count("/"), "study": book.study, "demo": book.demo,
              "page": path, "nav": NAV, "sites_nav": [
                  (book.site_href(s), s) for s in book.d.sites["site"]]}
    return _env().get_template(template).render(**common, **context).encode("utf-8")


def asset(name: str) -> bytes:
    return resources.files("pipeline.render").joinpath(TEMPLATES, name).read_bytes()


def build(book: Book, params: ReportParams | None = None) -> dict[str, bytes]:
    """Every file of the report, by path relative to outputs/."""
    params = params or ReportParams()
    pages = [overview(book), *site_pages(book), themes_index(book), *theme_pages(book),
             matrix(book), passages(book), categories(book),
             suggestions(book, params.max_suggestions),
             saturation(book), transcripts_index(book)]
    pages += transcript_pages(book)   # last: they carry the anchors the other pages cite
    files = {f"report/{path}": render_page(book, path, template, context)
             for path, template, context in pages}
    files.update({f"report/assets/{name}": asset(name) for name in ASSETS})
    files.update({f"report/figures/{name}": svg for name, svg in book.figures.items()})
    return dict(sorted(files.items()))


def run(*inputs: Any, params: ReportParams) -> tuple[dict[str, dict[str, bytes]], list]:
    """report/: the overview, a page per site, theme and transcript, the matrix, emerging
    categories, saturation, the passages to search and the suggestions awaiting review."""
    book = Book(ReportData(*inputs), params.demonstration)
    return {"report": build(book, params)}, []
