"""Static word embeddings that ship inside a package (WordLlama's 256-dimension "l2_supercat"
weights, 16 MB in its wheel): sentence vectors with no network at run time.

WordLlama's own loader looks for its tokenizer in a folder name the wheel does not use and then
tries to download it, so the two files are opened here straight from the installed package.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import util
from pathlib import Path

import numpy as np

MODEL = "wordllama l2_supercat 256"


def available() -> bool:
    return util.find_spec("wordllama") is not None


@lru_cache(maxsize=1)
def _model():
    if not available():
        raise OSError("sentence embeddings need the wordllama package: pip install "
                      "'qda-pipeline[embeddings]' (or `make install`)")
    from safetensors import safe_open
    from wordllama import WordLlama
    from wordllama.inference import WordLlamaInference

    root = Path(util.find_spec("wordllama").origin).parent
    weights = root / "weights" / "l2_supercat_256.safetensors"
    tokenizer = WordLlama.load_tokenizer(root / "tokenizers" /
                                         "l2_supercat_tokenizer_config.json")
    with safe_open(str(weights), framework="np", device="cpu") as f:
        table = f.get_tensor("embedding.weight")
    return WordLlamaInference(table, tokenizer)


def embed(texts: Sequence[str], batch_size: int = 512) -> np.ndarray:
    """One L2-normalised float32 row per text (a dot product is a cosine)."""
    if not len(texts):
        return np.zeros((0, 256), dtype=np.float32)
    vectors = np.asarray(_model().embed(list(texts), batch_size=batch_size, norm=False),
                         dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def describe() -> str:
    from importlib import metadata

    return f"{MODEL} (wordllama {metadata.version('wordllama')})"
