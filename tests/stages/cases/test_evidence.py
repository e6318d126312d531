"""case_evidence: what the counts say about a theme at a site, and the quotes that support or
qualify it, each pointing at its place in the transcript."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core.blocks import Doc
from pipeline.stages.cases.evidence import Evidence, synthesis, theme_section
from pipeline.stages.cases.stage import CaseParams

T, P, D, Q = ("O1_Teacher#1_5.2/1", "O1_Principal#1_5.3/1", "O1_Director#1_5.4/1",
              "O2_Teacher#1_5.5/1")
PEOPLE = {  # participant -> (citation_id, site, role, name)
    T: ("O1_Teacher#1_5.2", "O1", "Teacher", "Tess"),
    P: ("O1_Principal#1_5.3", "O1", "Principal", "Paul"),
    D: ("O1_Director#1_5.4", "O1", "Director", "Dana"),
    Q: ("O2_Teacher#1_5.5", "O2", "Teacher", "Quinn"),
}
# (segment_id, participant, turn, text)
SEGMENTS = [
    ("T1", T, 2, "Students lead the inquiry teams here. They pick the questions themselves."),
    ("T2", T, 4, "Student voice is lovely, but nothing changes while the test decides "
                 "everything."),
    ("P1", P, 2, "The kids ran the survey themselves and presented it to staff."),
    ("P2", P, 4, "The student voice work stops when the grant runs out in June."),
    ("D1", D, 2, "Good morning to you all. We built the design team with six students who "
                 "had a vote. That changed the meetings. Everyone listened to them after "
                 "that."),
    ("D2", D, 4, "We never planned for the money ending."),
    ("D3", D, 6, "The funding question worries me for the student voice work."),
    ("Q1", Q, 2, "Our students chair the council meetings."),
]
CODINGS = pd.DataFrame([
    ("T1", "voice", "auto:pattern", 0.6, "inquiry team"),
    ("T1", "design", "auto:similarity", 0.2, "design; team"),
    ("T2", "voice", "auto:pattern", 0.55, "student voice"),
    ("P1", "voice", "human:marsh", 0.5, "human coding"),   # human, lower score: still first
    ("P2", "voice", "auto:pattern", 0.3, "student voice"),
    ("P2", "funding", "auto:pattern", 0.7, "grant run out"),
    ("D1", "voice", "auto:pattern", 0.4, "vote"),
    ("D2", "funding", "auto:pattern", 0.8, "money"),
    ("D3", "voice", "auto:model", 0.1, "trained on human codings"),
    ("D3", "funding", "auto:pattern", 0.5, "funding"),
    ("Q1", "voice", "auto:pattern", 0.5, "student"),
    ("Q1", "voice", "auto:similarity", 0.3, "chair; council"),
], columns=["segment_id", "code_id", "source", "score", "evidence"])
# Counted as the themes stage does with suggestions included: a human coding is confirmed.
CODINGS["status"] = CODINGS["source"].map(
    lambda s: "confirmed" if s.startswith("human:") else "suggested")
THEMES = pd.DataFrame([
    ("code:voice", "Student voice and agency", "code", "Cross-cutting themes"),
    ("code:funding", "Sustainability after funding ends", "code", "LfM tensions"),
    ("code:design", "Deliberate design", "code", "LfM principles"),
    ("category:X-1", "When the money ends", "category", "emerging categories"),
], columns=["theme_id", "label", "kind", "family"])
CATEGORY_MEMBERS = ["T2", "P2", "D2"]
# With the Wilson intervals of k of n participants, those who voiced it once, and the
# participants counted on machine evidence alone (everyone but Paul, whose P1 marsh coded).
MATRIX = pd.DataFrame([
    ("O1", "category:X-1", 3, 3, 1.0, 0.4385, 1.0, 3, 3,
     ["Director", "Principal", "Teacher"]),
    ("O1", "code:design", 1, 1, 0.3333, 0.0615, 0.7923, 1, 1, ["Teacher"]),
    ("O1", "code:funding", 3, 2, 0.6667, 0.2077, 0.9385, 1, 2, ["Director", "Principal"]),
    ("O1", "code:voice", 6, 3, 1.0, 0.4385, 1.0, 0, 2, ["Director", "Principal", "Teacher"]),
    ("O2", "code:voice", 1, 1, 1.0, 0.2065, 1.0, 1, 1, ["Teacher"]),
], columns=["site", "theme_id", "n_segments", "n_participants", "share_participants",
            "share_low", "share_high", "n_participants_once", "n_participants_machine_only",
            "roles"])


def _tables(segments: list[tuple] = SEGMENTS
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Transcripts whose text holds each segment at its start_char, participants, segments."""
    texts: dict[str, str] = {}
    rows = []
    for seg_id, person, turn, text in segments:
        citation_id, site, role, name = PEOPLE[person]
        so_far = texts.get(citation_id, f"ID: {citation_id}\n\n")
        so_far += f"Interviewer: And turn {turn - 1}?\n{name}: "
        rows.append({"segment_id": seg_id, "citation_id": citation_id, "site": site,
                     "role": role, "participant_id": person, "turn": turn,
                     "start_char": len(so_far), "end_char": len(so_far) + len(text),
                     "text": text, "locator": f"{citation_id} ¶{turn}"})
        texts[citation_id] = so_far + text + "\n"
    transcripts = pd.DataFrame([{"citation_id": c, "site": PEOPLE[p][1], "role": PEOPLE[p][2],
                                 "text": texts.get(c, "")} for p, (c, *_) in PEOPLE.items()])
    participants = pd.DataFrame([{"participant_id": p, "citation_id": c, "site": s,
                                  "role": r, "name": n} for p, (c, s, r, n) in PEOPLE.items()])
    return transcripts, participants, pd.DataFrame(rows)


def _segment_themes(codings: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    coded = codings.assign(theme_id="code:" + codings["code_id"],
                           confirmed=codings["status"] == "confirmed")
    coded = coded.groupby(["segment_id", "theme_id"]).agg(
        source=("source", lambda s: "; ".join(sorted(s))),
        confirmed=("confirmed", "any")).reset_index()
    cats = pd.DataFrame({"segment_id": members, "theme_id": "category:X-1",
                         "source": "compare", "confirmed": False})
    return pd.concat([coded, cats], ignore_index=True).sort_values(
        ["segment_id", "theme_id"]).reset_index(drop=True)


def _evidence(segments: list[tuple] = SEGMENTS, codings: pd.DataFrame = CODINGS,
              members: list[str] = CATEGORY_MEMBERS) -> Evidence:
    transcripts, participants, segment_rows = _tables(segments)
    p1 = segment_rows[segment_rows["segment_id"] == "P1"]
    spans = pd.DataFrame({"citation_id": p1["citation_id"], "start_char": p1["start_char"],
                          "end_char": p1["end_char"], "code_id": "voice", "coder": "marsh"})
    return Evidence.build(transcripts, participants, segment_rows, codings, THEMES,
                          _segment_themes(codings, members), MATRIX, spans)


@pytest.fixture
def ev() -> Evidence:
    return _evidence()


def _row(ev: Evidence, site: str, theme_id: str) -> dict:
    row = ev.matrix[(ev.matrix["site"] == site) & (ev.matrix["theme_id"] == theme_id)]
    return row.merge(ev.themes, on="theme_id").to_dict("records")[0]


def _params(**kw) -> CaseParams:
    return CaseParams(**{"quotes_per_theme": 3, "quote_max_words": 12,
                         "discrepant_per_theme": 1, **kw})


def _transcript(ev: Evidence, citation_id: str) -> str:
    return ev.transcripts.set_index("citation_id").loc[citation_id, "text"]


def test_the_hand_made_segments_sit_in_their_transcripts() -> None:
    transcripts, _, segments = _tables()
    text = transcripts.set_index("citation_id")["text"]
    for s in segments.itertuples():
        assert text[s.citation_id][s.start_char:s.end_char] == s.text


# --------------------------------------------------------------------------- Evidence.build


def test_build_pairs_carry_site_person_human_score_and_terms(ev: Evidence) -> None:
    pairs = ev.pairs.set_index(["segment_id", "theme_id"])
    got = {k: (r.site, r.role, r.participant_id, r.citation_id, r.human, r.score, r.terms)
           for k, r in pairs.iterrows()}
    assert got[("T1", "code:voice")] == ("O1", "Teacher", T, "O1_Teacher#1_5.2", False, 0.6,
                                         "inquiry team")
    assert got[("T1", "code:design")][4:] == (False, 0.2, "design; team")
    assert got[("P1", "code:voice")][4:] == (True, 0.5, "")          # human evidence unused
    assert got[("D3", "code:voice")][4:] == (False, 0.1, "")         # model evidence unused
    assert got[("Q1", "code:voice")][4:] == (False, 0.5, "chair; council; student")
    assert got[("D2", "category:X-1")] == ("O1", "Director", D, "O1_Director#1_5.4", False,
                                           0.0, "")
    assert ev.pairs.set_index(["segment_id", "theme_id"]).loc[("P1", "code:voice"),
                                                              "confirmed"]
    assert len(ev.pairs) == 14
    assert ev.pairs["human"].dtype == bool


def test_build_indexes_segments_by_id(ev: Evidence) -> None:
    assert ev.segments.index.name == "segment_id"
    assert ev.segments.loc["D2", "text"] == "We never planned for the money ending."


def test_candidates_are_one_theme_at_one_site(ev: Evidence) -> None:
    assert sorted(ev.candidates("O1", "code:voice")["segment_id"]) == [
        "D1", "D3", "P1", "P2", "T1", "T2"]
    assert ev.candidates("O2", "code:voice")["segment_id"].tolist() == ["Q1"]
    assert ev.candidates("O2", "code:funding").empty


# ------------------------------------------------------------------------------- synthesis


@pytest.mark.parametrize("site, theme_id, expected", [
    ("O1", "code:voice",
     "Voiced by 3 of 3 participants (100%; 95% interval 44% to 100%) in 6 segments; each of "
     "them raised it more than once. Heard from Director, Principal, Teacher. 2 of these "
     "participants count on machine suggestions alone, which no researcher has confirmed. "
     "At least one participant voiced it at 2 of 2 sites; here it is no more widespread "
     "than the average site (100%). "
     "Often raised together with “Sustainability after funding ends”."),
    ("O1", "code:funding",
     "Voiced by 2 of 3 participants (67%; 95% interval 21% to 94%) in 3 segments; 1 of the 2 "
     "raised it only once. Heard from Director, Principal. 2 of these participants count on "
     "machine suggestions alone, which no researcher has confirmed. "
     "At least one participant voiced it at 1 of 2 sites; "
     "here it is more widespread than the average site (33%). Often raised together with "
     "“Student voice and agency”."),
    ("O1", "code:design",
     "Voiced by 1 of 3 participants (33%; 95% interval 6% to 79%) in 1 segment; raised only "
     "once. Heard from Teacher. 1 of these participants count on machine suggestions alone, "
     "which no researcher has confirmed. "
     "At least one participant voiced it at 1 of 2 sites; here it is more widespread "
     "than the average site (17%). Often raised together with “Student voice and agency”."),
    ("O2", "code:voice",
     "Voiced by 1 of 1 participants (100%; 95% interval 21% to 100%) in 1 segment; raised "
     "only once. Heard from Teacher. 1 of these participants count on machine suggestions "
     "alone, which no researcher has confirmed. "
     "At least one participant voiced it at 2 of 2 sites; here it is no more "
     "widespread than the average site (100%)."),
    ("O1", "category:X-1",
     "Voiced by 3 of 3 participants (100%; 95% interval 44% to 100%) in 3 segments; each "
     "raised it only once. Heard from Director, Principal, Teacher. "
     "At least one participant voiced it at 1 of 2 sites; "
     "here it is more widespread than the average site (50%). Often raised together with "
     "“Sustainability after funding ends”."),
])
def test_synthesis_sentence(ev: Evidence, site: str, theme_id: str, expected: str) -> None:
    # code:voice at O1 shares segments with funding twice (P2, D3) and design once (T1);
    # category:X-1 with voice twice (T2, P2) and funding twice (P2, D2): a tie goes to the
    # first theme_id in order. Categories never count as co-occurring themes.
    assert synthesis(_row(ev, site, theme_id), ev) == expected


# --------------------------------------------------------------------------- theme_section


def _kinds(doc: Doc) -> list[tuple[str, str]]:
    return [(b["kind"], b["segment_id"] if b["kind"] == "quote" else b["text"])
            for b in doc.blocks]


def test_theme_section_heading_synthesis_quotes_and_discrepant(ev: Evidence) -> None:
    doc = Doc("O1")
    row = _row(ev, "O1", "code:voice")
    theme_section(doc, row, ev, _params())
    assert _kinds(doc) == [
        ("heading", "Student voice and agency"),
        ("paragraph", synthesis(row, ev)),
        ("paragraph", "Interpretation: none written yet (codebooks/interpretations/O1.yml); "
                      "the generated synthesis above stands in for it."),
        ("quote", "P1"),      # human-coded first, despite a lower score
        ("quote", "T1"),
        ("quote", "D1"),
        ("paragraph", "Discrepant or qualifying evidence:"),
        ("quote", "T2"),      # "but"; everyone is quoted already, so the best-ranked
    ]
    assert doc.blocks[0]["level"] == 3
    assert [q["kind"] for q in doc.quotes] == ["support"] * 3 + ["discrepant"]
    assert [q["participant_id"] for q in doc.quotes] == [P, T, D, T]
    assert [q["role"] for q in doc.quotes] == ["Principal", "Teacher", "Director", "Teacher"]
    assert {q["theme_id"] for q in doc.quotes} == {"code:voice"}
    assert {q["site"] for q in doc.quotes} == {"O1"}
    assert doc.used == {"P1", "T1", "D1", "T2"}


def test_support_quotes_come_from_different_participants(ev: Evidence) -> None:
    for n in (1, 2, 3, 4, 5):
        doc = Doc("O1")
        theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params(quotes_per_theme=n))
        support = [q["participant_id"] for q in doc.quotes if q["kind"] == "support"]
        assert support == [P, T, D][:n]


def test_quotes_point_into_the_transcript(ev: Evidence) -> None:
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params())
    theme_section(doc, _row(ev, "O1", "code:funding"), ev, _params())
    assert len(doc.quotes) == 6
    for q in doc.quotes:
        assert _transcript(ev, q["citation_id"])[q["start_char"]:q["end_char"]] == q["quote"]
    quote_blocks = [b for b in doc.blocks if b["kind"] == "quote"]
    assert [(b["text"], b["start_char"], b["end_char"], b["locator"]) for b in quote_blocks] \
        == [(q["quote"], q["start_char"], q["end_char"], q["locator"]) for q in doc.quotes]


def test_long_segment_is_cut_to_the_sentence_with_the_theme_terms(ev: Evidence) -> None:
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params())
    d1 = next(q for q in doc.quotes if q["segment_id"] == "D1")
    segment = ev.segments.loc["D1"]
    assert d1["quote"] == "We built the design team with six students who had a vote."
    assert d1["start_char"] == segment["start_char"] + 25
    assert d1["end_char"] == segment["start_char"] + 25 + len(d1["quote"])
    assert d1["locator"] == "O1_Director#1_5.4 ¶2"
    assert d1["citation_id"] == "O1_Director#1_5.4"


def test_discrepant_quote_prefers_someone_not_quoted_and_a_tension_code(ev: Evidence) -> None:
    # P1 and T1 are quoted; T2 ("but", Tess again), P2 (funding, Paul again) and D3 (funding,
    # Dana) qualify: Dana has not been heard, and D3 voices a tension.
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params(quotes_per_theme=2))
    assert _kinds(doc)[3:] == [("quote", "P1"), ("quote", "T1"),
                               ("paragraph", "Discrepant or qualifying evidence:"),
                               ("quote", "D3")]
    assert doc.quotes[-1]["quote"] == "The funding question worries me for the student voice " \
                                      "work."
    assert doc.quotes[-1]["kind"] == "discrepant"


def test_discrepant_quotes_up_to_the_limit(ev: Evidence) -> None:
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev,
                  _params(quotes_per_theme=1, discrepant_per_theme=2))
    # P1 quoted; T2 (but, Teacher) and D3 (tension, Director) from new people and roles
    assert [(q["segment_id"], q["kind"]) for q in doc.quotes] == [
        ("P1", "support"), ("T2", "discrepant"), ("D3", "discrepant")]


def test_a_tension_theme_needs_a_contrast_word_to_be_discrepant(ev: Evidence) -> None:
    # For the tension theme itself, its own tension coding is not discrepant evidence; D2's
    # "never" would be, but D2 is quoted as support, so the closing sentence names it rather
    # than saying that nothing qualifies the theme (P2 only voices this same tension).
    doc = Doc("O1")
    row = _row(ev, "O1", "code:funding")
    theme_section(doc, row, ev, _params())
    assert _kinds(doc) == [
        ("heading", "Sustainability after funding ends"),
        ("paragraph", synthesis(row, ev)),
        ("paragraph", "Interpretation: none written yet (codebooks/interpretations/O1.yml); "
                      "the generated synthesis above stands in for it."),
        ("quote", "D2"),
        ("quote", "P2"),
        ("paragraph", "No other coded segment is flagged as discrepant or qualifying. Of the "
                      "segments quoted above, these carry an automatic flag and may qualify the "
                      "theme: O1_Director#1_5.4 (the word “never”)."),
    ]


def test_quoted_support_voicing_a_tension_is_named_when_no_other_segment_qualifies() -> None:
    # Q1, O2's only student-voice segment, is also coded with the funding tension: it is
    # quoted as support, and the section must not close by saying nothing qualifies it.
    extra = pd.DataFrame([("Q1", "funding", "auto:pattern", 0.4, "funding", "suggested")],
                         columns=CODINGS.columns)
    ev = _evidence(codings=pd.concat([CODINGS, extra], ignore_index=True))
    doc = Doc("O2")
    theme_section(doc, _row(ev, "O2", "code:voice"), ev, _params())
    assert _kinds(doc)[3:] == [
        ("quote", "Q1"),
        ("paragraph", "No other coded segment is flagged as discrepant or qualifying. Of the "
                      "segments quoted above, these carry an automatic flag and may qualify the "
                      "theme: O2_Teacher#1_5.5 (also voices a tension: Sustainability after "
                      "funding ends)."),
    ]


def test_no_discrepant_evidence_when_every_candidate_is_quoted(ev: Evidence) -> None:
    doc = Doc("O2")
    theme_section(doc, _row(ev, "O2", "code:voice"), ev, _params())
    assert _kinds(doc)[3:] == [
        ("quote", "Q1"),
        ("paragraph", "No discrepant or qualifying evidence among the coded segments."),
    ]
    assert doc.quotes[0]["quote"] == "Our students chair the council meetings."


def test_segments_quoted_under_another_theme_come_last(ev: Evidence) -> None:
    doc = Doc("O1")
    doc.used.add("D2")   # quoted already under another theme of this site
    theme_section(doc, _row(ev, "O1", "code:funding"), ev, _params(quotes_per_theme=2))
    # D2 ("never") still serves as the qualifying quote
    assert [(q["segment_id"], q["kind"]) for q in doc.quotes] == [
        ("P2", "support"), ("D3", "support"), ("D2", "discrepant")]
    doc = Doc("O1")
    doc.used.update({"D2", "D3"})
    theme_section(doc, _row(ev, "O1", "code:funding"), ev, _params(quotes_per_theme=2))
    assert [(q["segment_id"], q["kind"]) for q in doc.quotes] == [
        ("P2", "support"), ("D2", "support")]


# A long segment whose qualifying "but" sits far from the theme's words.
T3 = ("T3", T, 6, "Student voice matters to me and the students. The survey was fun. We met "
                  "every week in the library after school. Nothing changed at all, but that is "
                  "how it goes here.")


def _long_discrepant_evidence() -> Evidence:
    codings = pd.concat([CODINGS[CODINGS["segment_id"] == "P1"],
                         pd.DataFrame([("T3", "voice", "auto:pattern", 0.4, "student voice",
                                        "suggested")], columns=CODINGS.columns)],
                        ignore_index=True)
    return _evidence([s for s in SEGMENTS if s[0] == "P1"] + [T3], codings, [])


def test_a_long_segment_with_a_contrast_word_is_the_discrepant_quote() -> None:
    ev = _long_discrepant_evidence()
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params(quotes_per_theme=1))
    assert [(q["segment_id"], q["kind"]) for q in doc.quotes] == [
        ("P1", "support"), ("T3", "discrepant")]
    q = doc.quotes[-1]
    assert _transcript(ev, q["citation_id"])[q["start_char"]:q["end_char"]] == q["quote"]


def test_a_discrepant_excerpt_keeps_the_qualifying_sentence() -> None:
    ev = _long_discrepant_evidence()
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params(quotes_per_theme=1))
    assert doc.quotes[-1]["segment_id"] == "T3"
    assert "Nothing changed at all, but that is how it goes here." in doc.quotes[-1]["quote"]


def test_a_flag_word_outside_the_quoted_excerpt_is_said_to_be_there() -> None:
    # T3 is quoted as support, cut to its "student voice" sentence: its "but" is in the
    # segment, not in what the reader sees, and the closing sentence says so.
    ev = _long_discrepant_evidence()
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev,
                  _params(quotes_per_theme=2, quote_max_words=10))
    quote = {q["segment_id"]: q["quote"] for q in doc.quotes}["T3"]
    assert "but" not in quote
    assert _kinds(doc)[-1] == (
        "paragraph", "No other coded segment is flagged as discrepant or qualifying. Of the "
                     "segments quoted above, these carry an automatic flag and may qualify the "
                     "theme: O1_Teacher#1_5.2 (the word “but”, in its segment outside the "
                     "quoted excerpt).")


@pytest.mark.parametrize("row, note", [
    ({"source": "auto:pattern; human:okafor; human:marsh", "terms": "x"},
     "coded by marsh, okafor"),
    ({"source": "human:demo-a; human:demo-b", "terms": ""},
     "coded by demo-a, demo-b (demonstration codings)"),
    ({"source": "review:ana", "terms": ""}, "a machine suggestion accepted by ana"),
    ({"source": "auto:pattern; auto:similarity", "terms": "grant; money",
      "theme_id": "code:funding"},
     "automatic: keywords, similarity to the code (grant; money); not confirmed by a "
     "researcher"),
    ({"source": "compare", "terms": "", "theme_id": "category:X-1"},
     "automatic: constant comparison; a machine-made category: the machine, not a researcher, "
     "put this segment in it"),
    ({"source": "", "terms": ""}, ""),
])
def test_provenance_note_says_who_or_what_coded_it(row: dict, note: str) -> None:
    from pipeline.stages.cases.evidence import provenance_note
    assert provenance_note(row) == note


def test_coded_by_only_when_the_quote_lies_inside_the_coders_span(ev: Evidence) -> None:
    from pipeline.stages.cases.evidence import provenance_note
    p1 = ev.segments.loc["P1"]
    row = {"source": "human:marsh", "citation_id": p1["citation_id"],
           "theme_id": "code:voice"}
    start, end = int(p1["start_char"]), int(p1["end_char"])
    assert provenance_note(row, ev, start, end) == "coded by marsh"
    assert provenance_note(row, ev, start + 4, end - 3) == "coded by marsh"
    assert provenance_note(row, ev, start, end + 5) == "from a segment coded by marsh"
    other = dict(row, theme_id="code:funding")     # marsh's span is of another code
    assert provenance_note(other, ev, start, end) == "from a segment coded by marsh"


def test_discrepant_quotes_say_why(ev: Evidence) -> None:
    doc = Doc("O1")
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params())
    assert doc.quotes[-1]["kind"] == "discrepant"
    assert doc.quotes[-1]["note"] == ("flagged automatically by the word “but”: it may "
                                      "qualify or push back")
    assert all(q["note"] for q in doc.quotes)


# ------------------------------------------------------------- interpretations, member checks
def _applied(**kw):
    from pipeline.member import Applied
    return Applied(pd.DataFrame({"site": ["O1"], "theme_id": ["code:voice"],
                                 "response": ["revise"]}), pd.DataFrame(), **kw)


def test_the_researchers_interpretation_follows_the_synthesis(ev: Evidence) -> None:
    from pipeline.stages.cases.member import Voices

    doc = Doc("O1")
    voices = Voices({"O1": {"code:voice": "Students lead the inquiry."}}, None,
                    frozenset({"P1"}))
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params(), voices)
    assert _kinds(doc)[2] == ("paragraph",
                              "Interpretation (research team): Students lead the inquiry.")
    assert "P1" not in doc.used            # withdrawn: never quoted again
    assert doc.themes[0]["interpretation_source"] == "researcher"
    assert "sites voiced it" not in doc.themes[0]["interpretation"]


def test_a_revision_stands_with_the_original_and_disagreements_beside_it(ev: Evidence) -> None:
    from pipeline.stages.cases.member import Voices

    applied = _applied(
        revisions={("O1", "code:voice"): {"text": "Students and staff lead together.",
                                          "original": "Students lead the inquiry.",
                                          "round": 1, "respondent": "group", "item_id": "x",
                                          "comment": ""}},
        disagreements={("O1", "code:voice"): [{"kind": "quote", "locator": "L ¶3", "round": 1,
                                              "respondent": "O1_Teacher#1_5.4",
                                              "comment": "out of context"}]})
    doc = Doc("O1")
    voices = Voices({"O1": {"code:voice": "Students lead the inquiry."}}, applied)
    theme_section(doc, _row(ev, "O1", "code:voice"), ev, _params(), voices)
    texts = [t for _, t in _kinds(doc)]
    assert texts[2:5] == [
        "Interpretation, revised in member checking (round 1, group): Students and staff "
        "lead together.",
        "Before member checking (researcher): Students lead the inquiry.",
        "Member check (round 1): O1_Teacher#1_5.4 disagreed with the quote L ¶3: “out of "
        "context”"]
    assert doc.themes[0]["original_interpretation"] == "Students lead the inquiry."
    assert doc.themes[0]["n_revise"] == 1
