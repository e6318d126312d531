import pandas as pd

from pipeline.figures import saturation_figure


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
