"""The figures render stage: matplotlib figures drawn headless, returned as PNG and SVG bytes,
each with an alt text (``figures/<name>.alt.txt``) that documents and the report show to
readers who cannot see the image."""
from __future__ import annotations

import io
import textwrap
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen needed, same output everywhere
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pipeline.core.order import natural_key  # noqa: E402
from pipeline.render.params import FigureParams  # noqa: E402
from pipeline.study.demo import demonstration_label, study_name  # noqa: E402

plt.rcParams["svg.hashsalt"] = "qda"  # stable ids in SVG output


# Okabe & Ito's colour-blind-safe palette (black left out: it is the overall curve's colour);
# with 11 sites colours repeat, so each site also gets its own line style and marker.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "X")  # 6 against 7 colours: no two sites share both
LABEL_CHARS = 48   # longer theme labels are cut with an ellipsis


def _short(text: str, limit: int) -> str:
    """The text, or its first words within `limit` characters and an ellipsis."""
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    cut = cut[:cut.rfind(" ")] if " " in cut[limit // 2:] else cut
    return cut.rstrip(" ,;:-") + "…"


def saturation_figure(sat: pd.DataFrame) -> Figure:
    """Left: new and cumulative cross-site categories per interview, in conduct order.
    Right: cumulative site categories per site against the share of the site's interviews,
    sites in natural order (O2 before O10), each with its own colour, line style and marker."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6), constrained_layout=True)
    overall = sat[sat["scope"] == "overall"]
    left.bar(overall["order"], overall["new_categories"], color="#56B4E9",
             label="new categories")
    left.plot(overall["order"], overall["cumulative_categories"], color="#000000",
              marker=".", label="cumulative")
    left.set(title="Saturation across all sites (cross-site categories)",
             xlabel="interview, in the order conducted", ylabel="categories")
    left.legend(frameon=False)
    top = max(1, int(sat["cumulative_categories"].max() if len(sat) else 1))
    left.set_ylim(0, top * 1.05)  # explicit limits: one interview would give a flat range
    right.set_ylim(0, top * 1.05)
    right.set_xlim(0, 1.05)
    per_site = sat[sat["scope"] != "overall"]
    for i, site in enumerate(sorted(per_site["scope"].unique(), key=natural_key)):
        curve = per_site[per_site["scope"] == site]
        share = curve["order"] / curve["order"].max()
        right.plot(share, curve["cumulative_categories"], label=site,
                   color=PALETTE[i % len(PALETTE)], linestyle=STYLES[i // len(PALETTE) % 4],
                   marker=MARKERS[i % len(MARKERS)], markersize=4)
    right.set(title="Within each site (site categories)",
              xlabel="share of the site's interviews", ylabel="categories")
    if len(per_site):
        right.legend(frameon=False, fontsize="small", loc="upper left",
                     bbox_to_anchor=(1.0, 1.0), title="site")
    return fig


def _heatmap_rows(matrix: pd.DataFrame, themes: pd.DataFrame, top: int
                  ) -> tuple[list[str], dict[str, str], int]:
    """The `top` most widely voiced themes, codebook themes first, then emerging
    categories; their labels (categories marked); and how many themes were voiced."""
    kinds = themes.set_index("theme_id")["kind"] if "kind" in themes else pd.Series(dtype=str)
    labels = {t: _short(f"[machine] {label}" if kinds.get(t) == "category" else label,
                        LABEL_CHARS)
              for t, label in themes.set_index("theme_id")["label"].items()}
    spread = matrix[matrix["share_participants"] > 0].groupby("theme_id")[
        "share_participants"].sum().sort_values(ascending=False, kind="stable")
    chosen = list(spread.index[:top])
    chosen.sort(key=lambda t: kinds.get(t) == "category")  # stable: spread order within
    return chosen, labels, len(spread)


def heatmap_figure(matrix: pd.DataFrame, themes: pd.DataFrame, sites: list[str],
                   top: int = 25, names: dict[str, str] | None = None) -> Figure:
    """Sites x the `top` most widely voiced themes, coloured by share of participants.
    Emerging categories are machine-made: marked, and listed after the codebook themes,
    which rest on confirmed codings. Sized from its content, so labels fit at any count."""
    names = names or {}
    sites = sorted(sites, key=natural_key)
    chosen, labels, n_voiced = _heatmap_rows(matrix, themes, top)
    grid = (matrix[matrix["theme_id"].isin(chosen)]
            .pivot_table(index="theme_id", columns="site", values="share_participants")
            .reindex(index=chosen, columns=sites).fillna(0.0))
    ticks = [_short(f"{s} {names[s]}" if s in names else s, 24) for s in sites]
    longest = max((len(labels.get(t, t)) for t in chosen), default=10)
    tallest = max((len(t) for t in ticks), default=2)
    # Inches: the row labels, one cell per site, the colour bar; the site labels below.
    width = 0.085 * longest + max(0.42 * len(sites), 2.4) + 2.0
    height = 1.8 + 0.28 * max(3, len(chosen)) + 0.075 * tallest
    fig, ax = plt.subplots(figsize=(max(7.0, width), height), constrained_layout=True)
    if not chosen:
        ax.text(0.5, 0.5, "No themes voiced yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    image = ax.imshow(grid.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(sites)), ticks, rotation=60, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(chosen)), [labels.get(t, t) for t in chosen])
    n_codes = sum(not labels.get(t, "").startswith("[machine]") for t in chosen)
    if 0 < n_codes < len(chosen):
        ax.axhline(n_codes - 0.5, color="#000000", linewidth=1.2)
    shown = (f"the {len(chosen)} most widely voiced of {n_voiced} themes"
             if len(chosen) < n_voiced else f"all {n_voiced} themes voiced")
    fig.suptitle(f"Share of each site's participants voicing the theme ({shown})")
    if n_codes < len(chosen):
        fig.supxlabel("Above the line: codebook themes (confirmed codings only). Below, "
                      "[machine]: emerging categories the team accepted, whose segments the "
                      "machine assigned.", fontsize="small", wrap=True)
    fig.colorbar(image, ax=ax, shrink=0.6, label="share of participants")
    return fig


def alt_text(name: str, fig: Figure) -> str:
    """A description of a figure for readers who cannot see it (DOCX and HTML alt text)."""
    title = fig.texts[0].get_text() if fig.texts else ""
    if name == "site_theme_heatmap" and fig.axes and fig.axes[0].images:
        ax = fig.axes[0]
        rows = [t.get_text() for t in ax.get_yticklabels()]
        cols = [t.get_text() for t in ax.get_xticklabels()]
        return (f"Heatmap. {title}. Columns: {len(cols)} sites ({', '.join(cols)}). Rows: "
                f"{'; '.join(rows)}. Darker cells: a larger share of the site's participants.")
    if name == "saturation":
        return ("Two line charts of saturation. Left: new and cumulative cross-site "
                "categories per interview, in the order conducted. Right: cumulative "
                "categories within each site against the share of its interviews, one line "
                "per site. Curves that flatten suggest few new categories late in fieldwork.")
    return title or name


def mark_demonstration(fig: Figure, label: str) -> None:
    """The demonstration label as the first lines of the figure's title."""
    title = fig.get_suptitle()
    wrapped = textwrap.fill(label, 100)
    fig.suptitle(f"{wrapped}\n{title}" if title else wrapped, fontsize="medium")


def figure_bytes(fig: Figure, ext: str, dpi: int) -> bytes:
    """PNG or SVG bytes with no timestamps, so equal figures give equal files."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if ext == "svg" else {"Software": "qda"}
    fig.savefig(buffer, format=ext, metadata=metadata, **({"dpi": dpi} if ext == "png" else {}))
    return buffer.getvalue()


def run(saturation: pd.DataFrame, theme_matrix: pd.DataFrame, themes: pd.DataFrame,
        sites: pd.DataFrame, corpus: Any, codings: pd.DataFrame, *, params: FigureParams
        ) -> tuple[dict[str, dict[str, bytes]], list]:
    """figures/<name>.png and .svg for each figure (names are what case documents cite)."""
    names = dict(zip(sites["site"], sites["name"])) if "name" in sites else {}
    drawn = {"saturation": saturation_figure(saturation),
             "site_theme_heatmap": heatmap_figure(theme_matrix, themes, sites["site"].tolist(),
                                                  params.heatmap_themes, names)}
    label = demonstration_label(study_name(corpus), codings, params.demonstration)
    files = {}
    for name, fig in drawn.items():
        alt = alt_text(name, fig)
        if label:  # in the figure itself: one pasted into a slide keeps it
            mark_demonstration(fig, label)
            alt = f"{label} {alt}"
        files[f"figures/{name}.png"] = figure_bytes(fig, "png", params.dpi)
        # The PNG's draw placed everything (constrained layout, over 40% of drawing): the
        # SVG keeps those positions instead of laying the figure out again.
        fig.set_layout_engine("none")
        files[f"figures/{name}.svg"] = figure_bytes(fig, "svg", params.dpi)
        files[f"figures/{name}.alt.txt"] = alt.encode("utf-8")
        plt.close(fig)
    return {"figures": files}, []
