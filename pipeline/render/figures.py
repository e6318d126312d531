"""The figures render stage: matplotlib figures drawn headless, returned as PNG and SVG bytes."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no screen needed, same output everywhere
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pipeline.render.params import FigureParams  # noqa: E402

plt.rcParams["svg.hashsalt"] = "qda"  # stable ids in SVG output


def saturation_figure(sat: pd.DataFrame) -> Figure:
    """Left: new and cumulative cross-site categories per interview, in conduct order.
    Right: cumulative site categories per site against the share of the site's interviews."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    overall = sat[sat["scope"] == "overall"]
    left.bar(overall["order"], overall["new_categories"], color="#9ecae1",
             label="new categories")
    left.plot(overall["order"], overall["cumulative_categories"], color="#08519c",
              marker=".", label="cumulative")
    left.set(title="Saturation across all sites (cross-site categories)",
             xlabel="interview, in the order conducted", ylabel="categories")
    left.legend(frameon=False)
    top = max(1, int(sat["cumulative_categories"].max() if len(sat) else 1))
    left.set_ylim(0, top * 1.05)  # explicit limits: one interview would give a flat range
    right.set_ylim(0, top * 1.05)
    right.set_xlim(0, 1.05)
    right.set_prop_cycle(color=plt.cm.tab20.colors)
    for site, curve in sat[sat["scope"] != "overall"].groupby("scope", sort=False):
        share = curve["order"] / curve["order"].max()
        right.plot(share, curve["cumulative_categories"], marker=".", label=site)
    right.set(title="Within each site (site categories)",
              xlabel="share of the site's interviews", ylabel="categories")
    right.legend(frameon=False, fontsize="small", ncol=2)
    return fig


def heatmap_figure(matrix: pd.DataFrame, themes: pd.DataFrame, sites: list[str],
                   top: int = 25) -> Figure:
    """Sites x the `top` most widely voiced themes, coloured by share of participants.
    Emerging categories are machine-made: their labels say so, apart from codebook themes,
    which rest on confirmed codings."""
    kinds = themes.set_index("theme_id")["kind"] if "kind" in themes else pd.Series(dtype=str)
    labels = {t: (f"[machine] {label}" if kinds.get(t) == "category" else str(label))
              for t, label in themes.set_index("theme_id")["label"].items()}
    spread = matrix.groupby("theme_id")["share_participants"].sum().sort_values(
        ascending=False, kind="stable")
    chosen = list(spread.index[:top])
    grid = (matrix[matrix["theme_id"].isin(chosen)]
            .pivot_table(index="theme_id", columns="site", values="share_participants")
            .reindex(index=chosen, columns=sites).fillna(0.0))
    # Room for the longest label and a readable cell per site, whatever their number.
    longest = max((len(str(labels.get(t, t))[:58]) for t in chosen), default=10)
    fig, ax = plt.subplots(figsize=(max(6.0, 2.2 + 0.075 * longest + 0.45 * len(sites)),
                                    1.6 + 0.3 * max(3, len(chosen))),
                           constrained_layout=True)
    if not chosen:
        ax.text(0.5, 0.5, "No themes voiced yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    image = ax.imshow(grid.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(sites)), sites)
    ax.set_yticks(range(len(chosen)), [str(labels.get(t, t))[:58] for t in chosen])
    fig.suptitle("Share of each site's participants voicing the theme")
    if any(kinds.get(t) == "category" for t in chosen):
        fig.supxlabel("[machine]: an emerging category the team accepted, whose segments "
                      "the machine assigned; other rows: codebook themes, confirmed codings "
                      "only", fontsize="small")
    fig.colorbar(image, ax=ax, shrink=0.6, label="share of participants")
    return fig


def figure_bytes(fig: Figure, ext: str, dpi: int) -> bytes:
    """PNG or SVG bytes with no timestamps, so equal figures give equal files."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if ext == "svg" else {"Software": "qda"}
    fig.savefig(buffer, format=ext, metadata=metadata, **({"dpi": dpi} if ext == "png" else {}))
    return buffer.getvalue()


def run(saturation: pd.DataFrame, theme_matrix: pd.DataFrame, themes: pd.DataFrame,
        sites: pd.DataFrame, *, params: FigureParams
        ) -> tuple[dict[str, dict[str, bytes]], list]:
    """figures/<name>.png and .svg for each figure (names are what case documents cite)."""
    drawn = {"saturation": saturation_figure(saturation),
             "site_theme_heatmap": heatmap_figure(theme_matrix, themes, sites["site"].tolist(),
                                                  params.heatmap_themes)}
    files = {}
    for name, fig in drawn.items():
        for ext in ("png", "svg"):
            files[f"figures/{name}.{ext}"] = figure_bytes(fig, ext, params.dpi)
        plt.close(fig)
    return {"figures": files}, []
