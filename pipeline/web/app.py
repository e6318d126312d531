"""The member-check session page: one site's round, item by item, for the meeting.

`create_app(catalog, site, round_no, token)` gives a Flask application that knows only that
site's items. Every page and every form needs the session's token (in the URL of a GET, in a
hidden field of a POST: that is also the protection against cross-site requests); anything
else gets 403, another site's or an unknown URL 404. Each answer is checked with
`check_response` and, when it passes, stored at once as a new file
``codebooks/member_checks/<site>/round-<n>/session/<nnnn>-<item_id>.json``: nothing is ever
rewritten, and a later answer of the same respondent to the same item supersedes the earlier.
"""
from __future__ import annotations

import datetime as dt
import hmac
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import HTTPException

from pipeline.core.catalog import Catalog
from pipeline.core.errors import PipelineError
from pipeline.member.model import ALLOWED, SESSION_DIR, round_folder
from pipeline.member.responses import check_response, load_rounds, response_row, session_json
from pipeline.study.demo import demonstration_label, study_name

SEQUENCE = re.compile(r"^(\d{4,})-.+\.json$")
ATTEMPTS = 20
LONGEST = {"comment": 5000, "revised_text": 5000, "respondent": 200}
LABELS = {"agree": "Agree", "disagree": "Disagree",
          "revise": "Revise: give the revised wording below",
          "withdraw": "Withdraw: only the person quoted can withdraw a quote"}
KIND_NAMES = {"theme": "Theme", "interpretation": "Interpretation", "quote": "Quote"}
# No script, no frames, no external resource of any kind; the stylesheet is served here.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "Cache-Control": "no-store", "Cross-Origin-Resource-Policy": "same-origin"}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Session:
    """One site's round at the meeting: its items in order, who may answer, what has been
    answered (stored responses first, then those given here, latest last)."""
    catalog: Catalog
    site: str
    round_no: int
    items: list[dict]
    participants: pd.DataFrame
    responses: list[dict]
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def folder(self) -> Path:
        return (self.catalog.member_checks_dir() / round_folder(self.site, self.round_no)
                / SESSION_DIR)

    def item(self, item_id: str) -> dict | None:
        return next((it for it in self.items if it["item_id"] == item_id), None)

    def position(self, item_id: str) -> int:
        """The item's place in the round, from 1."""
        return next(i for i, it in enumerate(self.items, 1) if it["item_id"] == item_id)

    def answers(self, item_id: str) -> list[dict]:
        """Every response to the item, each marked current unless the same respondent
        answered the item again later."""
        rows = [r for r in self.responses if r["item_id"] == item_id]
        later = [{r["respondent"] for r in rows[i + 1:]} for i in range(len(rows))]
        return [dict(r, current=r["respondent"] not in later[i]) for i, r in enumerate(rows)]

    def answered(self) -> set[str]:
        return {r["item_id"] for r in self.responses}

    def first_open(self) -> dict | None:
        """The first item nobody has answered yet."""
        done = self.answered()
        return next((it for it in self.items if it["item_id"] not in done), None)

    def respondents(self) -> list[tuple[str, str]]:
        """(value, label) of the site's participants: the citation ID where the interview
        had one participant, else the participant ID; with the role."""
        people = self.participants[self.participants["site"] == self.site]
        per_interview = people["citation_id"].value_counts()
        found = {}
        for p in people.sort_values(["citation_id", "participant_id"]).to_dict("records"):
            value = (p["citation_id"] if per_interview[p["citation_id"]] == 1
                     else p["participant_id"])
            found[value] = f"{value} ({p['role']})" if p["role"] else value
        return list(found.items())

    def record(self, item: dict, response: str, comment: str, revised: str,
               respondent: str) -> dict:
        """Store one checked response as the next numbered file of the session folder."""
        row = response_row(item, response, comment, revised, respondent, now(), "session")
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item["item_id"])
        with self.lock:
            for _ in range(ATTEMPTS):   # another process may take a number first
                path = self.folder / f"{next_sequence(self.folder):04d}-{name}.json"
                try:
                    self.catalog.write_new(path, session_json(row))
                    break
                except PipelineError:
                    if not path.exists():
                        raise
            else:
                raise PipelineError(f"no free file name in {self.catalog.rel(self.folder)}")
            self.responses.append(row)
        return row


def next_sequence(folder: Path) -> int:
    """One more than the highest number of a session file in `folder` (1 for none)."""
    found = [int(m.group(1)) for p in (folder.iterdir() if folder.is_dir() else [])
             if (m := SEQUENCE.match(p.name))]
    return max(found, default=0) + 1


def open_session(catalog: Catalog, site: str, round_no: int | None = None) -> Session:
    """The site's round (the latest unless `round_no`) with what is stored so far."""
    rounds = load_rounds(catalog.read_member_checks())
    prepared = sorted(set(rounds.items.loc[rounds.items["site"] == site, "round"]))
    if not prepared:
        raise PipelineError(
            f"site {site} has no prepared member-check round in "
            f"{catalog.rel(catalog.member_checks_dir() / site)}/; run "
            f"`qda member-check prepare --site {site}` first")
    round_no = round_no or prepared[-1]
    if round_no not in prepared:
        raise PipelineError(f"site {site} has no round {round_no} (prepared: "
                            f"{', '.join(map(str, prepared))})")
    if not catalog.exists("participants"):
        raise PipelineError(f"{catalog.rel(catalog.table_path('participants'))} is missing "
                            f"(it says who may answer); run `qda analyze` first")
    items, responses = rounds.of(site, round_no)
    items = items.sort_values("order", kind="stable")
    _check_items(items, f"{catalog.rel(catalog.member_checks_dir())}/"
                        f"{round_folder(site, round_no)}/items.csv")
    return Session(catalog, site, round_no, items.to_dict("records"),
                   catalog.load("participants"), responses.to_dict("records"))


def _check_items(items: pd.DataFrame, where: str) -> None:
    """The page shows each item once and offers its kind's responses: refuse a round whose
    items.csv has an unknown kind, a repeated item_id or a row without one."""
    problems = []
    odd = items.loc[~items["kind"].isin(list(ALLOWED)), "item_id"].tolist()
    if odd:
        problems.append(f"item(s) of no known kind ({', '.join(ALLOWED)}): "
                        f"{', '.join(map(str, odd))}")
    twice = sorted(set(items.loc[items["item_id"].duplicated(), "item_id"]))
    if twice:
        problems.append(f"item id(s) listed twice: {', '.join(twice)}")
    if (items["item_id"] == "").any():
        problems.append("a row without item_id")
    if problems:
        raise PipelineError(f"{where}: {'; '.join(problems)}; prepare the round again")


def session_label(catalog: Catalog, mode: str = "auto") -> str:
    """The demonstration-data label the session's pages carry ('' for a real study), by the
    rules every rendered page follows; `mode` is the report's `demonstration` setting."""
    codings = (catalog.load("codings") if catalog.exists("codings")
               else pd.DataFrame({"status": [], "coder": []}))
    return demonstration_label(study_name(catalog.read_corpus(transcripts=False)), codings, mode)


def create_app(catalog: Catalog, site: str, round_no: int | None, token: str,
               demonstration: str = "auto") -> Flask:
    """The session's web application; raises PipelineError when the round cannot be run.
    `demonstration` (auto, yes, no): whether its pages say they show demonstration data."""
    if not token:
        raise PipelineError("the session needs a token")
    session = open_session(catalog, site, round_no)
    app = Flask(__name__)
    app.debug = False
    app.config.update(MAX_CONTENT_LENGTH=256 * 1024, TEMPLATES_AUTO_RELOAD=False,
                      SESSION=session, TOKEN=token,
                      DEMONSTRATION=session_label(catalog, demonstration))
    app.context_processor(lambda: {"demonstration": current_app.config["DEMONSTRATION"]})
    app.jinja_env.autoescape = True
    app.before_request(_guard)
    app.after_request(_secure)
    app.register_error_handler(HTTPException, _error_page)
    app.add_url_rule("/", "root", _root)
    app.add_url_rule("/<site>/", "start", _start, strict_slashes=False)
    app.add_url_rule("/<site>/summary", "summary", _summary)
    app.add_url_rule("/<site>/item/<item_id>", "item", _item, methods=["GET", "POST"])
    return app


def _session() -> Session:
    return current_app.config["SESSION"]


def _token() -> str:
    return current_app.config["TOKEN"]


def _guard() -> None:
    """403 unless the request carries the token: a POST in its form, a GET in its URL."""
    given = (request.form.get("token", "") if request.method == "POST"
             else request.args.get("token", ""))
    g.authorised = hmac.compare_digest(given.encode(), _token().encode())
    if not g.authorised:
        abort(403)


def _secure(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


def _error_page(exc: HTTPException) -> tuple[str, int]:
    reasons = {403: "This page needs the session's link, with its token, as the command "
                    "printed it.",
               404: "There is no such page in this session."}
    return render_template("error.html", code=exc.code, name=exc.name,
                           reason=reasons.get(exc.code, exc.description),
                           session=_session(), token=_token() if g.get("authorised") else "",
                           kinds=KIND_NAMES), exc.code or 500


def _own(site: str) -> Session:
    session = _session()
    if site != session.site:
        abort(404)
    return session


def _root() -> Response:
    return redirect(url_for("start", site=_session().site, token=_token()), 303)


def _start(site: str) -> Response:
    """Resume: the first item nobody has answered, or the summary when all are."""
    found = _own(site).first_open()
    if found is None:
        return redirect(url_for("summary", site=site, token=_token()), 303)
    return redirect(url_for("item", site=site, item_id=found["item_id"], token=_token()), 303)


def _summary(site: str) -> str:
    session = _own(site)
    rows = [(i, it, session.answers(it["item_id"])) for i, it in enumerate(session.items, 1)]
    return render_template("summary.html", session=session, rows=rows, token=_token(),
                           kinds=KIND_NAMES, answered=len(session.answered()))


def _item(site: str, item_id: str) -> Response | tuple[str, int] | str:
    session = _own(site)
    item = session.item(item_id)
    if item is None:
        abort(404)
    if request.method == "GET":
        return _item_page(session, item, {}, "")
    form = {k: request.form.get(k, "") for k in
            ("response", "comment", "revised_text", "respondent", "respondent_other")}
    respondent, reason = _respondent(session, form)
    response = form["response"].strip().lower()
    reason = reason or _too_long(form) or check_response(
        item, response, form["revised_text"], respondent, session.participants)
    if reason:
        return _item_page(session, item, form, reason), 422
    session.record(item, response, form["comment"], form["revised_text"], respondent)
    at = session.position(item_id)
    if at < len(session.items):
        target = url_for("item", site=site, item_id=session.items[at]["item_id"],
                         token=_token(), saved=item_id)
    else:
        target = url_for("summary", site=site, token=_token(), saved=item_id)
    return redirect(target, 303)


def _respondent(session: Session, form: dict) -> tuple[str, str]:
    """Who answered, from the participant list or the free-text field; or why unclear."""
    chosen, other = form["respondent"].strip(), form["respondent_other"].strip()
    if chosen and other:
        return "", ("choose a participant or write who else answered, not both")
    if chosen and chosen not in dict(session.respondents()):
        return "", f"{chosen!r} is not one of {session.site}'s participants"
    return chosen or other, ""


def _too_long(form: dict) -> str:
    for name, limit in LONGEST.items():
        value = form.get(name, "") if name != "respondent" else form["respondent_other"]
        if len(value) > limit:
            return f"the {name.replace('_', ' ')} is longer than {limit} characters"
    return ""


def _item_page(session: Session, item: dict, form: dict, reason: str) -> str:
    at = session.position(item["item_id"])
    saved = session.item(request.args.get("saved", ""))
    return render_template(
        "item.html", session=session, item=item, at=at, total=len(session.items),
        answered=len(session.answered()), answers=session.answers(item["item_id"]),
        choices=[(r, LABELS[r]) for r in ALLOWED[item["kind"]]],
        respondents=session.respondents(), form=form, reason=reason, token=_token(),
        kinds=KIND_NAMES, saved=saved, saved_at=session.position(saved["item_id"])
        if saved else 0,
        previous=session.items[at - 2]["item_id"] if at > 1 else "",
        following=session.items[at]["item_id"] if at < len(session.items) else "")
