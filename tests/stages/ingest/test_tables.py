import datetime as dt

from pipeline.stages.ingest.tables import build_tables
from pipeline.study.metadata import load_study
from tests.fixtures import SITES_CSV, STUDY_TOML


def doc(cid: str, site: str, role: str, seq: int, n_parts: int = 1) -> dict:
    text = "I: Q?\n" + "".join(f"P{i}: answer {i}\n" for i in range(n_parts))
    turns = [{"turn": 1, "speaker": "I", "speaker_role": "interviewer", "participant_id": None,
              "line": 1, "start_char": 3, "end_char": 5, "start_time": None, "end_time": None,
              "n_words": 1}]
    pos = 6
    for i in range(n_parts):
        start = pos + 4
        turns.append({"turn": i + 2, "speaker": f"P{i}", "speaker_role": "participant",
                      "participant_id": f"{cid}/{i + 1}", "line": i + 2, "start_char": start,
                      "end_char": start + 8, "start_time": None, "end_time": None,
                      "n_words": 2})
        pos += len(f"P{i}: answer {i}\n")
    return {"citation_id": cid, "site": site, "role": role, "role_subtype": "", "seq": seq,
            "interview_date": "2016-05-10", "phase": "p2016", "source_path": f"{cid}.txt",
            "format": "text", "encoding": "utf-8", "text": text, "turns": turns,
            "participants": [{"participant_id": f"{cid}/{i + 1}", "name": f"P{i}",
                              "role": role, "role_subtype": "", "speakers": f"P{i}"}
                             for i in range(n_parts)],
            "interviewers": "I", "sha256": "0" * 64}


def test_tables_sorted_by_site_order_and_counted() -> None:
    study, _ = load_study(STUDY_TOML.encode(), SITES_CSV.encode())
    docs = [doc("O2_Teacher#1_5.10", "O2", "Teacher", 1),
            doc("O1_Teacher#2_5.10", "O1", "Teacher", 2, n_parts=2),
            doc("O1_Director#1_5.10", "O1", "Director", 1)]
    t = build_tables(study, docs)
    assert t["transcripts"]["citation_id"].tolist() == [
        "O1_Director#1_5.10", "O1_Teacher#2_5.10", "O2_Teacher#1_5.10"]
    row = t["transcripts"].iloc[1]
    assert (row["n_participants"], row["n_participant_words"], row["n_turns"]) == (2, 4, 3)
    assert row["interview_date"] == dt.date(2016, 5, 10)
    assert t["turns"].iloc[1]["text"] == "answer 0"
    sites = t["sites"].set_index("site")
    assert sites.loc["O1", "n_transcripts"] == 2 and sites.loc["O1", "n_participants"] == 3
    assert sites.loc["O4", "n_transcripts"] == 0
    assert sites.loc["O2", "board_type"] == "Catholic"
    assert t["participants"]["n_words"].tolist() == [2, 2, 2, 2]
