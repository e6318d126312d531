import pandas as pd

from pipeline.render.figures import saturation_figure


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
    assert fig.get_supxlabel().startswith("[machine]: an emerging category")


def test_the_render_stage_writes_png_and_svg_of_each_figure_reproducibly() -> None:
    from pipeline.render.figures import run
    from pipeline.render.params import FigureParams

    sat = pd.DataFrame({"scope": ["overall", "O1"], "order": [1, 1], "citation_id": ["a", "a"],
                        "site": ["O1", "O1"], "new_categories": [2, 2],
                        "cumulative_categories": [2, 2]})
    matrix = pd.DataFrame({"site": ["O1"], "theme_id": ["code:a"], "share_participants": [1.0]})
    themes = pd.DataFrame({"theme_id": ["code:a"], "label": ["A theme"]})
    sites = pd.DataFrame({"site": ["O1", "O2"]})
    first, warnings = run(sat, matrix, themes, sites, params=FigureParams())
    again, _ = run(sat, matrix, themes, sites, params=FigureParams())
    files = first["figures"]
    assert sorted(files) == ["figures/saturation.png", "figures/saturation.svg",
                             "figures/site_theme_heatmap.png", "figures/site_theme_heatmap.svg"]
    assert files["figures/saturation.png"][:4] == b"\x89PNG"
    assert files["figures/site_theme_heatmap.svg"].lstrip().startswith(b"<?xml")
    assert first == again and warnings == []
