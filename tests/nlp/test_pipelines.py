import pytest

from pipeline.nlp.pipelines import describe, fast_nlp, trained_nlp


def test_fast_pipeline_sentences_and_lemmas() -> None:
    nlp = fast_nlp("en")
    assert nlp.pipe_names == ["sentencizer", "lemmatizer"]
    doc = nlp("Principals were leading the work. It worked!")
    assert [s.text for s in doc.sents] == ["Principals were leading the work.", "It worked!"]
    assert doc[2].lemma_ == "lead"
    assert doc[0].lemma_ == "principal"  # capitalised words are looked up in lower case
    assert fast_nlp("en") is nlp  # built once per process
    assert "sentencizer" in describe(nlp)


def test_trained_model_is_installed_and_finds_people() -> None:
    try:
        nlp = trained_nlp()
    except OSError:
        pytest.skip("trained English model not installed (pip install .[model])")
    doc = nlp("Margaret Doyle visited Harbourview Public School in Port Kessel.")
    assert "Margaret Doyle" in {e.text for e in doc.ents if e.label_ == "PERSON"}


def test_content_lemmas_leave_out_bracketed_notes_and_keep_data() -> None:
    from pipeline.nlp.pipelines import content_lemmas, fast_nlp

    nlp = fast_nlp("en")
    lookup = nlp.get_pipe("lemmatizer").lookup
    doc = nlp('[inaudible; likely "yes"] We share data, [REDACTED; Introduction] a bit '
              "gonna change.")
    assert content_lemmas(doc, lookup) == "share data bit change"
    assert content_lemmas(nlp("[laughs] [crosstalk]"), lookup) == ""
