"""Member-check packets: a packet of demonstration data says so, in every format."""
from __future__ import annotations

import pandas as pd

from pipeline.core.blocks import Doc
from pipeline.member import SHEET_COLUMNS
from pipeline.render.packets import run
from pipeline.render.params import DocumentParams
from tests.fixtures import corpus_stub, no_codings


def test_a_packet_of_fictional_interviews_is_labelled_and_a_real_one_is_not() -> None:
    doc = Doc("O1")
    doc.heading("Member check: O1", 1)
    doc.paragraph("What we heard.")
    blocks = pd.DataFrame(doc.blocks)
    items = pd.DataFrame(columns=list(dict.fromkeys(["order", *SHEET_COLUMNS])))
    demo, _ = run(blocks, items, corpus_stub("A fictional corpus"), no_codings(),
                  params=DocumentParams())
    real, _ = run(blocks, items, corpus_stub("District study"), no_codings(),
                  params=DocumentParams())
    for name in ("packet.md", "packet.html"):
        assert "Demonstration data: the interviews are fictional" in \
            demo["packet_documents"][f"member_check/O1/{name}"].decode()
        assert "Demonstration" not in real["packet_documents"][f"member_check/O1/{name}"].decode()
    md = demo["packet_documents"]["member_check/O1/packet.md"].decode().splitlines()
    assert [line for line in md if line][:3][0] == "# Member check: O1"
