from pathlib import Path

import pandas as pd

from pipeline.core.catalog import Catalog
from pipeline.render.artifacts import write_figures

SAT = pd.DataFrame({"scope": ["overall", "O1"], "order": [1, 1], "citation_id": ["a", "a"],
                    "site": ["O1", "O1"], "new_categories": [2, 2],
                    "cumulative_categories": [2, 2]})


def test_figures_are_drawn_once_per_table_version(tmp_path: Path) -> None:
    cat = Catalog(tmp_path, {})
    assert write_figures(cat) == []  # no saturation table yet
    cat.save("saturation", SAT, {"stage": "compare"})
    written = write_figures(cat)
    assert sorted(p.name for p in written) == ["saturation.png", "saturation.svg"]
    assert (tmp_path / "outputs" / "figures" / "saturation.png").read_bytes()[:4] == b"\x89PNG"
    assert write_figures(cat) == []  # unchanged table: nothing redrawn
    cat.save("saturation", SAT.assign(new_categories=[3, 3]), {"stage": "compare"})
    assert len(write_figures(cat)) == 2
