"""`python -m pipeline.cli.peer TEXTS [--labels OUT]`: BERTopic's default on a table's texts,
the benchmark's peer. `qda bench --vs-bertopic` and `qda evaluate-compare` run it with the
interpreter of BERTopic's own environment (.venv-bertopic), which has PyTorch; the last line
of output is JSON (segments, topics, outliers, seconds per step)."""
from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("peer")
@click.argument("texts", type=click.Path(path_type=Path))
@click.option("--labels", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one topic per text here (parquet; -1 = outlier).")
def peer(texts: Path, labels: Path | None) -> None:
    """BERTopic() with its defaults and all-MiniLM-L6-v2 on the `text` column of TEXTS."""
    from pipeline.analysis.peer_bertopic import topics_of

    try:
        found = topics_of(texts, labels)
    except (OSError, ImportError, KeyError, ValueError) as exc:
        raise click.ClickException(f"{texts}: {exc}") from None
    click.echo(json.dumps(found))


if __name__ == "__main__":
    peer()
