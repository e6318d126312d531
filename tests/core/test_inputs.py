from pipeline.core.inputs import Corpus, make_source


def test_fingerprint_tracks_names_contents_and_metadata() -> None:
    a = make_source("corpus/transcripts/a.txt", b"P: hi")
    base = Corpus(b"study", b"sites", (a,))
    assert base.fingerprint() == Corpus(b"study", b"sites", (a,)).fingerprint()
    renamed = Corpus(b"study", b"sites", (make_source("corpus/transcripts/b.txt", b"P: hi"),))
    edited = Corpus(b"study", b"sites", (make_source("corpus/transcripts/a.txt", b"P: ho"),))
    restudied = Corpus(b"study2", b"sites", (a,))
    prints = {c.fingerprint() for c in (base, renamed, edited, restudied)}
    assert len(prints) == 4
    assert base.study_hash != restudied.study_hash


def test_make_source_hashes_bytes() -> None:
    assert make_source("x", b"abc").sha256.startswith("ba7816bf")
