"""Static sentence embeddings from the installed wordllama package, with no network."""
import numpy as np
import pytest

from pipeline.nlp import embeddings

pytestmark = pytest.mark.skipif(not embeddings.available(), reason="wordllama not installed")


def test_unit_vectors_that_put_related_sentences_closer() -> None:
    v = embeddings.embed(["The grant ended and the funding is gone.",
                          "Money for the project ran out.",
                          "Students chair the council.", ""])
    assert v.shape == (4, 256) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0)
    assert not v[3].any()                         # an empty text is a zero vector
    assert v[0] @ v[1] > v[0] @ v[2]
    assert embeddings.embed([]).shape == (0, 256)
    assert embeddings.describe().startswith("wordllama l2_supercat 256")
