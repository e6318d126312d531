"""Progress bars for long work (shown on a terminal, silent in logs and tests)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, unit: str = "it", total: int | None = None
             ) -> Iterable[T]:
    # disable=None: tqdm shows the bar only when stderr is a terminal.
    return tqdm(items, desc=desc, unit=unit, total=total, disable=None, leave=False)
