import pandas as pd
import pytest

from pipeline.render.figures import saturation_figure
from tests.fixtures import corpus_stub, no_codings


def test_saturation_figure_plots_overall_and_each_site() -> None:
    sat = pd.DataFrame({
        "scope": ["overall"] * 3 + ["O1"] * 2 + ["O2"],
        "order": [1, 2, 3, 1, 2, 1],
        "new_categories": [2, 1, 0, 2, 1, 1],
        "cumulative_categories": [2, 3, 3, 2, 3, 1]})
    fig = saturation_figure(sat)
    left, right = fig.axes
    assert [bar.get_height() for bar in left.patches] == [2, 1, 0]
    assert list(left.lines[0].get_ydata()) == [2, 3, 3]
    assert [line.get_label() for line in right.lines] == ["O1", "O2"]
    assert list(right.lines[0].get_xdata()) == [0.5, 1.0]


def test_saturation_figure_with_a_single_interview_has_sane_limits() -> None:
    sat = pd.DataFrame({"scope": ["overall", "O1"], "order": [1, 1], "new_categories": [2, 2],
                        "cumulative_categories": [2, 2]})
    left, right = saturation_figure(sat).axes
    assert left.get_ylim() == (0.0, 2.1)
    assert right.get_xlim() == (0.0, 1.05)


def test_heatmap_rows_are_themes_by_spread_and_empty_is_a_message() -> None:
    from pipeline.render.figures import heatmap_figure
    matrix = pd.DataFrame({"site": ["O1", "O2", "O1"], "theme_id": ["a", "a", "b"],
                           "share_participants": [1.0, 0.5, 0.25]})
    themes = pd.DataFrame({"theme_id": ["a", "b"], "label": ["Alpha", "Beta"]})
    ax = heatmap_figure(matrix, themes, ["O1", "O2"]).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Alpha", "Beta"]
    assert ax.images[0].get_array().tolist() == [[1.0, 0.5], [0.25, 0.0]]
    empty = heatmap_figure(matrix.iloc[0:0], themes, ["O1"]).axes[0]
    assert empty.texts[0].get_text() == "No themes voiced yet"


def test_heatmap_marks_machine_made_categories() -> None:
    from pipeline.render.figures import heatmap_figure
    matrix = pd.DataFrame({"site": ["O1", "O1"], "theme_id": ["code:a", "category:X-1"],
                           "share_participants": [1.0, 0.5]})
    themes = pd.DataFrame({"theme_id": ["code:a", "category:X-1"], "label": ["Alpha", "fund"],
                           "kind": ["code", "category"]})
    fig = heatmap_figure(matrix, themes, ["O1"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Alpha", "[machine] fund"]
    assert fig.get_supxlabel().startswith("Above the line: codebook themes")
    assert [line.get_ydata()[0] for line in fig.axes[0].lines] == [0.5]  # the dividing line


def test_the_render_stage_writes_png_and_svg_of_each_figure_reproducibly() -> None:
    from pipeline.render.figures import run
    from pipeline.render.params import FigureParams

    sat = pd.DataFrame({"scope": ["overall", "O1"], "order": [1, 1], "citation_id": ["a", "a"],
                        "site": ["O1", "O1"], "new_categories": [2, 2],
                        "cumulative_categories": [2, 2]})
    matrix = pd.DataFrame({"site": ["O1"], "theme_id": ["code:a"], "share_participants": [1.0]})
    themes = pd.DataFrame({"theme_id": ["code:a"], "label": ["A theme"]})
    sites = pd.DataFrame({"site": ["O1", "O2"]})
    first, warnings = run(sat, matrix, themes, sites, corpus_stub(), no_codings(),
                          params=FigureParams())
    again, _ = run(sat, matrix, themes, sites, corpus_stub(), no_codings(),
                   params=FigureParams())
    files = first["figures"]
    assert sorted(files) == ["figures/saturation.alt.txt", "figures/saturation.png",
                             "figures/saturation.svg", "figures/site_theme_heatmap.alt.txt",
                             "figures/site_theme_heatmap.png", "figures/site_theme_heatmap.svg"]
    assert files["figures/saturation.png"][:4] == b"\x89PNG"
    assert files["figures/site_theme_heatmap.svg"].lstrip().startswith(b"<?xml")
    assert first == again and warnings == []



def _themes(n: int, categories: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"code:t{i:02d}" for i in range(n)] + [f"category:c{i}" for i in range(categories)]
    themes = pd.DataFrame({"theme_id": ids, "label": [i.split(":")[1] for i in ids],
                           "kind": ["code"] * n + ["category"] * categories})
    matrix = pd.DataFrame({"site": "O1", "theme_id": ids,
                           "share_participants": [1.0 - i / 100 for i in range(len(ids))]})
    return matrix, themes


def test_the_heatmap_says_how_many_themes_it_shows_and_lists_categories_last() -> None:
    from pipeline.render.figures import heatmap_figure
    matrix, themes = _themes(30, categories=3)
    matrix.loc[matrix["theme_id"] == "category:c0", "share_participants"] = 2.0  # widest
    fig = heatmap_figure(matrix, themes, ["O1"], top=10)
    assert fig.texts[0].get_text().endswith("(the 10 most widely voiced of 33 themes)")
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert rows == [f"t{i:02d}" for i in range(9)] + ["[machine] c0"]
    whole = heatmap_figure(*_themes(4), ["O1"], top=10)
    assert whole.texts[0].get_text().endswith("(all 4 themes voiced)")


@pytest.mark.parametrize("n_sites", [1, 2, 3, 11, 40])
def test_the_heatmap_fits_its_labels_at_any_number_of_sites(n_sites: int) -> None:
    """With 1-3 sites the labels were cut off (matplotlib warned on every run); site codes
    ran together without names."""
    import warnings

    from pipeline.render.figures import figure_bytes, heatmap_figure
    matrix, themes = _themes(25)
    themes.loc[0, "label"] = "A theme with a rather long label that needs wrapping or cutting"
    sites = [f"O{i}" for i in range(n_sites, 0, -1)]  # given out of order
    names = {s: f"{s.replace('O', 'Site ')} District School Board" for s in sites}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a constrained-layout warning fails the test
        fig = heatmap_figure(matrix, themes, sites, names=names)
        figure_bytes(fig, "png", 50)
        fig.canvas.draw()  # lay out at the figure's own resolution before measuring
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0].startswith("O1 Site 1") and ticks[-1].startswith(f"O{n_sites} ")
    assert all(len(t) <= 24 for t in ticks) and ax.get_xticklabels()[0].get_rotation() == 60
    assert ax.get_yticklabels()[0].get_text().endswith("…")
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        extent = label.get_window_extent(renderer)
        assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1 and extent.y0 >= box.y0 - 1


def test_saturation_lines_are_in_natural_order_and_each_site_looks_different() -> None:
    rows = [("overall", 1, 1, 1)] + [(f"O{i}", 1, 1, 1) for i in (11, 2, 10, 1, 3, 4, 5, 6, 7,
                                                                    8, 9)]
    sat = pd.DataFrame(rows, columns=["scope", "order", "new_categories",
                                      "cumulative_categories"])
    right = saturation_figure(sat).axes[1]
    assert [line.get_label() for line in right.lines] == [f"O{i}" for i in range(1, 12)]
    looks = [(line.get_color(), line.get_linestyle(), line.get_marker()) for line in right.lines]
    assert len(set(looks)) == 11 and len({c for c, _, _ in looks}) == 7
    assert all(c != "#000000" for c, _, _ in looks)  # black is the overall curve


def test_alt_text_names_the_rows_and_columns() -> None:
    from pipeline.render.figures import alt_text, heatmap_figure
    matrix, themes = _themes(2)
    text = alt_text("site_theme_heatmap", heatmap_figure(matrix, themes, ["O1"],
                                                         names={"O1": "Alder"}))
    assert text.startswith("Heatmap. Share of each site's participants voicing the theme")
    assert "Columns: 1 sites (O1 Alder). Rows: t00; t01." in text


def test_figures_of_demonstration_data_say_so_in_the_image_and_its_alt_text() -> None:
    from pipeline.render.figures import run
    from pipeline.render.params import FigureParams

    sat = pd.DataFrame({"scope": ["overall"], "order": [1], "citation_id": ["a"],
                        "site": ["O1"], "new_categories": [1], "cumulative_categories": [1]})
    matrix = pd.DataFrame({"site": ["O1"], "theme_id": ["code:a"], "share_participants": [1.0]})
    themes = pd.DataFrame({"theme_id": ["code:a"], "label": ["A theme"]})
    sites = pd.DataFrame({"site": ["O1"]})
    demo, _ = run(sat, matrix, themes, sites, corpus_stub("A fictional teaching corpus"),
                  no_codings(), params=FigureParams())
    real, _ = run(sat, matrix, themes, sites, corpus_stub("District study 2016"),
                  no_codings(), params=FigureParams())
    for name in ("saturation", "site_theme_heatmap"):
        alt = demo["figures"][f"figures/{name}.alt.txt"].decode()
        assert alt.startswith("Demonstration data: the interviews are fictional")
        assert b"Demonstration data" in demo["figures"][f"figures/{name}.svg"]
        assert "Demonstration" not in real["figures"][f"figures/{name}.alt.txt"].decode()
        assert b"Demonstration" not in real["figures"][f"figures/{name}.svg"]
    # the heatmap keeps its own title under the label
    assert "Share of each site's participants" in \
        demo["figures"]["figures/site_theme_heatmap.alt.txt"].decode()
