"""The session page through Flask's test client, and `qda member-check serve` itself."""
from __future__ import annotations

import json
import re
import signal
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli.member_serve import serve
from pipeline.core.catalog import Catalog
from pipeline.core.errors import PipelineError
from pipeline.member import load_rounds
from pipeline.member.apply import counted
from pipeline.web.app import HEADERS, create_app, next_sequence
from tests.web import (
    PRINCIPAL,
    SCRIPT,
    TEACHER,
    TOKEN,
    make_project,
    session_dir,
    start_server,
    stored,
    write_round,
)

T01, I01, Q01, Q02 = "O3-R1-T01", "O3-R1-I01", "O3-R1-Q01", "O3-R1-Q02"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def client(project: Path):
    return create_app(Catalog(project), "O3", None, TOKEN).test_client()


def answer(client, item_id: str, response: str, respondent: str = "", other: str = "",
           comment: str = "", revised: str = "", token: str = TOKEN):
    return client.post(f"/O3/item/{item_id}", data={
        "token": token, "response": response, "respondent": respondent,
        "respondent_other": other, "comment": comment, "revised_text": revised})


def page(client, path: str) -> str:
    got = client.get(path + ("&" if "?" in path else "?") + f"token={TOKEN}")
    assert got.status_code == 200, got.status_code
    return got.get_data(as_text=True)


# ---- access -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/O3/", f"/O3/item/{T01}", "/O3/summary",
                                  "/static/app.css", "/nowhere", "/O1/"])
def test_every_page_needs_the_token(client, path: str) -> None:
    assert client.get(path).status_code == 403
    assert client.get(path + "?token=wrong-token-0123456789").status_code == 403
    assert client.get(path + "?token=").status_code == 403
    refused = client.get(path)
    assert TOKEN not in refused.get_data(as_text=True)
    assert "needs the session" in refused.get_data(as_text=True)


def test_a_post_needs_the_token_in_its_form(client, project: Path) -> None:
    # the token in the URL is not enough: a form from elsewhere cannot carry it
    got = client.post(f"/O3/item/{T01}?token={TOKEN}",
                      data={"response": "agree", "respondent_other": "group"})
    assert got.status_code == 403
    assert answer(client, T01, "agree", other="group", token="wrong").status_code == 403
    assert stored(project) == {}


@pytest.mark.parametrize("path", ["/O1/", "/O1/summary", "/O1/item/O1-R1-T01",
                                  "/O3/item/O1-R1-T01", "/O3/item/O3-R1-T99", "/O3/nowhere",
                                  "/nowhere", "/O3/item/", "/static/missing.css"])
def test_another_site_and_unknown_paths_are_not_found(client, path: str) -> None:
    got = client.get(f"{path}?token={TOKEN}")
    assert got.status_code == 404
    assert "no such page" in got.get_data(as_text=True)


def test_a_post_for_another_site_is_not_found(client, project: Path) -> None:
    got = client.post("/O1/item/O1-R1-T01", data={"token": TOKEN, "response": "agree",
                                                  "respondent_other": "group"})
    assert got.status_code == 404
    assert stored(project) == {}


def test_security_headers_on_every_response(client) -> None:
    for got in (client.get(f"/O3/item/{T01}?token={TOKEN}"), client.get("/O3/"),
                client.get(f"/nowhere?token={TOKEN}"),
                client.get(f"/static/app.css?token={TOKEN}")):
        for name, value in HEADERS.items():
            assert got.headers[name] == value
        got.close()
    csp = HEADERS["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp
    assert "script-src" not in csp and "unsafe-inline" not in csp


def test_root_leads_to_the_site(client) -> None:
    got = client.get(f"/?token={TOKEN}")
    assert got.status_code == 303 and got.headers["Location"] == f"/O3/?token={TOKEN}"


def test_debug_is_off_and_everything_is_escaped(project: Path) -> None:
    app = create_app(Catalog(project), "O3", None, TOKEN)
    assert app.debug is False
    html = page(app.test_client(), f"/O3/item/{I01}")
    assert SCRIPT not in html and "<b>trade" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &lt;b&gt;trade&lt;/b&gt;" in html
    assert "<script" not in html.lower() and "style=" not in html


def test_the_page_names_the_site_and_says_names_are_replaced(client) -> None:
    html = page(client, f"/O3/item/{Q01}")
    assert "Member-check session for site <strong>O3</strong>" in html
    assert "names replaced" in html
    assert "Item 3 of 4" in html and "0 of 4 items answered" in html
    assert "We never get the release time [NAME] promised." in html


def test_a_demonstration_study_s_session_says_so_on_every_page(project: Path) -> None:
    assert 'id="demonstration"' not in page(create_app(Catalog(project), "O3", None, TOKEN)
                                            .test_client(), f"/O3/item/{Q01}")
    study = project / "corpus" / "study.toml"
    study.write_text(study.read_text(encoding="utf-8").replace(
        'name = "fixture study"', 'name = "fixture study (fictional)"'), encoding="utf-8")
    demo = create_app(Catalog(project), "O3", None, TOKEN).test_client()
    for path in (f"/O3/item/{Q01}", "/O3/summary"):
        assert ('<p class="demonstration" id="demonstration">Demonstration data: the '
                'interviews are fictional') in page(demo, path)
    plain = create_app(Catalog(project), "O3", None, TOKEN, demonstration="no").test_client()
    assert 'id="demonstration"' not in page(plain, "/O3/summary")
    # Confirmed demonstration codings label a study whatever its name says.
    study.write_text(study.read_text(encoding="utf-8").replace(" (fictional)", ""),
                     encoding="utf-8")
    row = {"segment_id": "s1", "code_id": "c1", "source": "human", "score": 1.0,
           "evidence": "", "citation_id": "O3_Teacher#1_5.14", "site": "O3",
           "role": "Teacher", "status": "confirmed", "coder": "demo-a"}
    Catalog(project).save("codings", pd.DataFrame([row]), provenance={})
    coded = create_app(Catalog(project), "O3", None, TOKEN).test_client()
    assert "confirmed codings are demonstration codings" in page(coded, "/O3/summary")


def test_the_form_offers_the_kind_s_responses_and_the_site_s_participants(client) -> None:
    theme, quote = page(client, f"/O3/item/{T01}"), page(client, f"/O3/item/{Q01}")
    radios = re.compile(r'name="response" value="(\w+)"')
    assert radios.findall(theme) == ["agree", "disagree", "revise"]
    assert radios.findall(quote) == ["agree", "disagree", "withdraw"]
    assert 'name="revised_text"' in theme and 'name="revised_text"' not in quote
    options = re.findall(r'<option value="([^"]*)"', theme)
    # one-participant interviews by citation ID, a group interview's people by their number
    assert options == ["", "O3_Parents#1_5.12/1", "O3_Parents#1_5.12/2", PRINCIPAL, TEACHER]
    assert f"{TEACHER} (Teacher)" in theme
    assert f'name="token" value="{TOKEN}"' in theme


# ---- answers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("item", "fields", "reason"), [
    (Q01, {"response": "revise", "respondent": TEACHER, "revised": "x"}, "cannot be answered"),
    (Q01, {"response": "withdraw", "respondent": PRINCIPAL}, "only the person quoted"),
    (Q01, {"response": "withdraw", "other": "the group"}, "only the person quoted"),
    (T01, {"response": "withdraw", "respondent": TEACHER}, "cannot be answered"),
    (T01, {"response": "agree"}, "no respondent"),
    (T01, {"response": "", "respondent": TEACHER, "comment": "hm"}, "no response given"),
    (T01, {"response": "maybe", "respondent": TEACHER}, "is not one of"),
    (T01, {"response": "revise", "respondent": TEACHER, "revised": "  "}, "revised text"),
    (T01, {"response": "agree", "respondent": TEACHER, "other": "me"}, "not both"),
    (T01, {"response": "agree", "respondent": "O1_Teacher#1_5.4"}, "not one of O3"),
    (T01, {"response": "agree", "respondent": TEACHER, "comment": "x" * 5001}, "longer"),
])
def test_a_refused_answer_is_shown_again_and_nothing_stored(client, project: Path, item,
                                                             fields, reason) -> None:
    got = answer(client, item, **fields)
    assert got.status_code == 422
    html = got.get_data(as_text=True)
    assert 'id="reason"' in html and reason in html
    if fields.get("comment") and len(fields["comment"]) < 100:
        assert fields["comment"] in html     # what was typed is kept in the form
    if fields.get("respondent") and "O1" not in fields["respondent"]:
        assert f'value="{fields["respondent"]}" selected' in html
    assert stored(project) == {}
    assert not session_dir(project).exists()


def test_an_accepted_answer_is_one_new_file(client, project: Path) -> None:
    got = answer(client, T01, "Agree", respondent=TEACHER, comment="  mostly right  ",
                 revised="ignored unless revise")
    assert got.status_code == 303
    assert got.headers["Location"] == f"/O3/item/{I01}?token={TOKEN}&saved={T01}"
    files = stored(project)
    assert list(files) == [f"0001-{T01}.json"]
    row = files[f"0001-{T01}.json"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", row.pop("recorded"))
    assert row == {"item_id": T01, "site": "O3", "round": 1, "response": "agree",
                   "comment": "mostly right", "revised_text": "", "respondent": TEACHER,
                   "via": "session"}
    html = page(client, f"/O3/item/{I01}?saved={T01}")
    assert "Saved the response to item 1" in html and "1 of 4 items answered" in html


def test_the_last_item_leads_to_the_summary(client, project: Path) -> None:
    got = answer(client, Q02, "withdraw", respondent=PRINCIPAL, comment="please")
    assert got.headers["Location"] == f"/O3/summary?token={TOKEN}&saved={Q02}"
    assert stored(project)[f"0001-{Q02}.json"]["response"] == "withdraw"


def test_a_quote_s_speaker_withdraws_it_by_citation_or_participant_id(client,
                                                                      project: Path) -> None:
    assert answer(client, Q01, "withdraw", respondent=TEACHER).status_code == 303
    assert answer(client, Q01, "withdraw", other=TEACHER + "/1").status_code == 303
    assert [r["respondent"] for r in stored(project).values()] == [TEACHER, TEACHER + "/1"]


def test_a_revised_answer_supersedes_the_earlier_one(client, project: Path) -> None:
    answer(client, I01, "agree", respondent=PRINCIPAL)
    answer(client, I01, "disagree", other="Parents' group", comment="not us")
    got = answer(client, I01, "revise", respondent=PRINCIPAL, revised=" Teachers trade. ")
    assert got.status_code == 303
    files = stored(project)
    assert list(files) == [f"0001-{I01}.json", f"0002-{I01}.json", f"0003-{I01}.json"]
    assert files[f"0003-{I01}.json"]["revised_text"] == "Teachers trade."
    assert files[f"0001-{I01}.json"]["response"] == "agree"      # never rewritten
    html = page(client, f"/O3/item/{I01}")
    marks = re.findall(r'class="answer (\w+)" data-respondent="([^"]+)" '
                       r'data-response="(\w+)"', html)
    assert marks == [("superseded", PRINCIPAL, "agree"),
                     ("current", "Parents&#39; group", "disagree"),
                     ("current", PRINCIPAL, "revise")]
    assert "Revised text: Teachers trade." in html
    # the member-check rules read the files the same way: the latest answer counts
    latest = counted(load_rounds(Catalog(project).read_member_checks()))
    assert sorted(zip(latest["respondent"], latest["response"], strict=True)) == [
        (PRINCIPAL, "revise"), ("Parents' group", "disagree")]


def test_the_summary_lists_every_item_with_its_responses(client) -> None:
    answer(client, T01, "agree", respondent=TEACHER)
    answer(client, Q01, "disagree", other="the group", comment="out of context")
    html = page(client, "/O3/summary")
    rows = re.findall(r'id="row-([\w-]+)" data-item-id="[\w-]+" data-answers="(\d+)"', html)
    assert rows == [(T01, "1"), (I01, "0"), (Q01, "1"), (Q02, "0")]
    assert "2 of 4 items have a response" in html and "out of context" in html
    assert f'href="/O3/item/{I01}?token={TOKEN}"' in html      # back to any item


# ---- resume and storage ---------------------------------------------------------------------

def _start(client) -> str:
    got = client.get(f"/O3/?token={TOKEN}")
    assert got.status_code == 303
    return got.headers["Location"]


def test_resume_at_the_first_item_nobody_answered(project: Path, client) -> None:
    assert _start(client) == f"/O3/item/{T01}?token={TOKEN}"
    answer(client, T01, "agree", respondent=TEACHER)
    answer(client, Q01, "agree", respondent=TEACHER)
    assert _start(client) == f"/O3/item/{I01}?token={TOKEN}"
    # a new session (after a crash or Ctrl+C) reads what is stored
    again = create_app(Catalog(project), "O3", None, TOKEN).test_client()
    assert _start(again) == f"/O3/item/{I01}?token={TOKEN}"
    answer(again, I01, "agree", other="group")
    answer(again, Q02, "agree", other="group")
    assert _start(again) == f"/O3/summary?token={TOKEN}"
    assert "4 of 4 items have a response" in page(again, "/O3/summary")
    assert sorted(stored(project)) == [f"0001-{T01}.json", f"0002-{Q01}.json",
                                       f"0003-{I01}.json", f"0004-{Q02}.json"]


def test_numbers_continue_after_what_is_stored(project: Path) -> None:
    folder = session_dir(project)
    folder.mkdir(parents=True)
    (folder / f"0007-{T01}.json").write_text(json.dumps({
        "item_id": T01, "site": "O3", "round": 1, "response": "agree", "comment": "",
        "revised_text": "", "respondent": TEACHER, "recorded": "2024-05-01T10:00:00+00:00",
        "via": "session"}), encoding="utf-8")
    (folder / ".0008-O3-R1-I01.json.x1.tmp").write_text("{}")   # an interrupted write
    assert next_sequence(folder) == 8
    client = create_app(Catalog(project), "O3", None, TOKEN).test_client()
    assert _start(client) == f"/O3/item/{I01}?token={TOKEN}"
    answer(client, T01, "disagree", respondent=TEACHER)
    assert sorted(stored(project)) == [f"0007-{T01}.json", f"0008-{T01}.json"]


def test_answers_given_at_once_each_get_their_own_number(project: Path) -> None:
    app = create_app(Catalog(project), "O3", None, TOKEN)
    codes: list[int] = []

    def give(n: int) -> None:
        client = app.test_client()
        for k in range(3):
            codes.append(answer(client, T01, "agree", other=f"person {n}-{k}").status_code)

    threads = [threading.Thread(target=give, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [303] * 24
    names = sorted(stored(project))
    assert names == [f"{n:04d}-{T01}.json" for n in range(1, 25)]
    assert len({r["respondent"] for r in stored(project).values()}) == 24


def test_the_latest_round_unless_one_is_asked_for(project: Path) -> None:
    write_round(project, "O3", 2)
    catalog = Catalog(project)
    latest = create_app(catalog, "O3", None, TOKEN).test_client()
    assert _start(latest) == f"/O3/item/O3-R2-T01?token={TOKEN}"
    first = create_app(catalog, "O3", 1, TOKEN).test_client()
    assert _start(first) == f"/O3/item/{T01}?token={TOKEN}"
    assert first.get(f"/O3/item/O3-R2-T01?token={TOKEN}").status_code == 404


@pytest.mark.parametrize(("site", "round_no", "message"), [
    ("O4", None, "site O4 has no prepared member-check round in codebooks/member_checks/O4/; "
                 "run `qda member-check prepare --site O4` first"),
    ("O3", 3, "site O3 has no round 3 (prepared: 1)"),
])
def test_a_round_that_cannot_be_run(project: Path, site, round_no, message) -> None:
    with pytest.raises(PipelineError, match=re.escape(message)):
        create_app(Catalog(project), site, round_no, TOKEN)


def test_participants_are_needed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", with_participants=False)
    with pytest.raises(PipelineError, match=r"participants.parquet is missing.*qda analyze"):
        create_app(Catalog(root), "O3", None, TOKEN)


# ---- the command ----------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--site", "O4"], "run `qda member-check prepare --site O4` first"),
    (["--site", "O3", "--round", "2"], "site O3 has no round 2"),
    (["--site", "O3", "--token", "short"], "at least 16 letters"),
])
def test_the_command_explains_what_is_missing(project: Path, args, message) -> None:
    out = CliRunner().invoke(serve, ["-p", str(project), *args])
    assert out.exit_code != 0
    assert message in out.output and "Traceback" not in out.output


def test_the_command_needs_participants(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", with_participants=False)
    out = CliRunner().invoke(serve, ["-p", str(root), "--site", "O3"])
    assert out.exit_code == 1 and "run `qda analyze` first" in out.output


def test_the_command_says_when_the_port_is_taken(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = CliRunner().invoke(serve, ["-p", str(project), "--site", "O3",
                                         "--port", str(port), "--token", TOKEN])
    assert out.exit_code == 1, out.output
    assert f"cannot listen on 127.0.0.1 port {port}" in out.output
    assert "--port 0" in out.output and "Traceback" not in out.output


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as got:
            return got.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_server_runs_until_interrupted(project: Path) -> None:
    proc, url = start_server(project)
    try:
        assert re.fullmatch(rf"http://127\.0\.0\.1:\d+/O3/\?token={TOKEN}", url)
        base = url.split("/O3/")[0]
        assert _status(url) == 200                  # redirected to the first item
        assert _status(base + "/O3/") == 403
        assert _status(f"{base}/O1/?token={TOKEN}") == 404
        with urllib.request.urlopen(url, timeout=10) as got:
            assert got.headers["X-Content-Type-Options"] == "nosniff"
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "Session ended" in out.decode()


def test_a_broken_items_file_is_refused(project: Path) -> None:
    from tests.web import ITEMS

    write_round(project, "O3", 2, [*ITEMS, ITEMS[0], ("O3-R1-X01", 9, "poll", "?", "", "")])
    with pytest.raises(PipelineError, match=r"round-2/items.csv: item\(s\) of no known kind "
                                            r".*O3-R2-X01; item id\(s\) listed twice: O3-R2-T01"):
        create_app(Catalog(project), "O3", 2, TOKEN)


def test_a_number_taken_by_another_process_is_skipped(project: Path, monkeypatch) -> None:
    from pipeline.web import app as web

    client_app = create_app(Catalog(project), "O3", None, TOKEN)
    folder = session_dir(project)
    real = web.next_sequence
    calls = []

    def racing(where: Path) -> int:   # another process writes the number just found
        n = real(where)
        if not calls:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{n:04d}-{T01}.json").write_text("{}", encoding="utf-8")
        calls.append(n)
        return n

    monkeypatch.setattr(web, "next_sequence", racing)
    assert answer(client_app.test_client(), T01, "agree", other="group").status_code == 303
    assert calls == [1, 2]
    assert json.loads((folder / f"0001-{T01}.json").read_text()) == {}   # left alone
    assert json.loads((folder / f"0002-{T01}.json").read_text())["respondent"] == "group"


def _sigint_ignored_and_blocked() -> None:
    # What a shell's background job or a supervising program can hand a child process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def test_ctrl_c_ends_the_session_even_when_started_with_sigint_ignored(project: Path
                                                                        ) -> None:
    proc, url = start_server(project, preexec=_sigint_ignored_and_blocked)
    try:
        assert _status(url) == 200
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "Session ended" in out.decode()
