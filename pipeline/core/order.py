"""Natural order of codes such as site IDs: O2 before O10, as a person would file them."""
from __future__ import annotations

import re


def natural_key(value: object) -> tuple:
    """Sort key that puts O2 before O10; the full string breaks ties (O01 vs O1)."""
    text = str(value)
    parts = re.split(r"(\d+)", text)   # text, digits, text, ...: types align position-wise
    return tuple(int(p) if i % 2 else p.lower() for i, p in enumerate(parts)) + (text,)
