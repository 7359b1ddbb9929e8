"""Static figures for entity frequency: top entities by label, a per-label breakdown, and a
co-occurrence heatmap. Each builder takes the table from :mod:`analysis.entities` and returns a
:class:`matplotlib.figure.Figure` (no pyplot state, so batch runs do not leak figures)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import heatmap_table, literal, literals
from ._layout import LINE, TICKS, rotated_height, set_margins, text_width

__all__ = ["LABEL_COLOURS", "label_colour", "entity_bar_chart", "label_breakdown_chart", "cooccurrence_heatmap",
           "cooccurrence_table", "mentions_over_time_chart"]

#: One colour per spaCy label (colour-blind safe Okabe-Ito palette first), stable across figures.
LABEL_COLOURS = {
    "PERSON": "#0072B2",
    "GPE": "#E69F00",
    "ORG": "#009E73",
    "NORP": "#CC79A7",
    "LOC": "#D55E00",
    "FAC": "#56B4E9",
    "EVENT": "#F0E442",
    "PRODUCT": "#999999",
    "WORK_OF_ART": "#882255",
    "LAW": "#44AA99",
    "LANGUAGE": "#332288",
}


def label_colour(label: str) -> str:
    """The colour of ``label`` (grey for a label without one)."""
    return LABEL_COLOURS.get(label, "#777777")


def entity_bar_chart(table: pd.DataFrame, *, title: str = "Most mentioned entities", value: str = "mentions") -> Figure:
    """Horizontal bars of ``table[value]`` per entity (first row on top), coloured by label.

    ``table`` is an :func:`~analysis.entities.entity_frequency` result (already cut to ``top_n``).
    """
    rows = table.iloc[::-1]
    names = literals(rows["entity"])
    label_w = text_width(names, 10) + TICKS
    fig = Figure(figsize=(max(7.0, label_w + 4.5), max(2.0, 0.35 * len(rows) + 1.0)))
    ax = fig.add_subplot()
    if rows.empty:
        ax.text(0.5, 0.5, "no entity found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    set_margins(fig, left=label_w + 0.1, bottom=2 * 10 * LINE + TICKS + 0.1, top=12 * LINE + 0.15, right=0.2)
    bars = ax.barh(names, rows[value], color=[label_colour(lb) for lb in rows["label"]])
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_xlim(0, float(rows[value].max()) * 1.08)  # room for the largest bar's count
    ax.set_xlabel(value)
    ax.set_title(literal(title))
    ax.spines[["top", "right"]].set_visible(False)
    present = list(dict.fromkeys(table["label"]))
    ax.legend(handles=[Patch(color=label_colour(lb), label=literal(lb)) for lb in present], loc="lower right", fontsize=8)
    return fig


def label_breakdown_chart(table: pd.DataFrame, *, title: str = "Mentions per label") -> Figure:
    """Mentions and distinct entities per label, from a full (uncut) entity-frequency table."""
    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    if table.empty:
        ax.text(0.5, 0.5, "no entity found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    summary = table.groupby("label").agg(mentions=("mentions", "sum"), entities=("entity", "count"))
    summary = summary.sort_values("mentions", ascending=False)
    set_margins(fig, left=0.55, bottom=2 * 10 * LINE + TICKS, top=12 * LINE + 0.15, right=0.15)
    positions = range(len(summary))
    colours = [label_colour(lb) for lb in summary.index]
    bars = ax.bar([p - 0.2 for p in positions], summary["mentions"], width=0.4, color=colours, label="mentions")
    ax.bar_label(bars, fontsize=8)
    bars = ax.bar([p + 0.2 for p in positions], summary["entities"], width=0.4, color=colours, alpha=0.45,
                  hatch="//", label="distinct entities")
    ax.bar_label(bars, fontsize=8)
    ax.set_xticks(list(positions), literals(summary.index))
    ax.set_title(literal(title))
    ax.legend(fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def cooccurrence_heatmap(matrix: pd.DataFrame, *, title: str = "Entities sharing a sentence") -> Figure:
    """Heatmap of an :func:`~analysis.entities.cooccurrence` matrix, counts written in the cells."""
    n = len(matrix)
    if n == 0:
        fig = Figure(figsize=(4.0, 1.5))
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no entity found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    columns, index = literals(matrix.columns), literals(matrix.index)
    left = max(text_width(index, 8), text_width(columns[:1], 8) * 0.5) + TICKS + 0.1
    bottom = rotated_height(columns, 8, 60) + TICKS + 0.1
    top, right = 12 * LINE + 0.15, 0.7
    # the colorbar takes about 1.1 in beside the cells
    fig = Figure(figsize=(max(4.0, left + right + 0.4 * n + 1.1), max(3.0, bottom + top + 0.4 * n)))
    ax = fig.add_subplot()
    set_margins(fig, left=left, bottom=bottom, top=top, right=right)
    values = matrix.to_numpy()
    image = ax.imshow(values, cmap="Blues")
    ax.set_xticks(range(n), columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(n), index, fontsize=8)
    top = values.max() or 1
    for i in range(n):
        for j in range(n):
            if values[i, j]:
                ax.text(j, i, str(values[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if values[i, j] > top / 2 else "black")
    fig.colorbar(image, ax=ax, shrink=0.8, label="sentences")
    ax.set_title(literal(title))
    return fig


def cooccurrence_table(matrix: pd.DataFrame, *, caption: str = "Entities sharing a sentence") -> str:
    """An :func:`~analysis.entities.cooccurrence` matrix as an HTML heatmap (counts in the cells,
    empty where two entities never share a sentence; the diagonal counts each entity's sentences)."""
    return heatmap_table(matrix, cmap="Blues", vmin=0, formatter=lambda v: str(v) if v else "",
                         table_id="cooccurrence", caption=caption)


def mentions_over_time_chart(counts: pd.DataFrame, *, title: str = "Mentions over time") -> Figure:
    """One line per entity of :func:`analysis._corpus.mentions_over_time` (periods on the x axis).

    A corpus of one date shows its counts as bars: a line needs two points.
    """
    fig = Figure(figsize=(8, 3.4))
    ax = fig.add_subplot()
    if counts.empty or not len(counts.columns):
        ax.text(0.5, 0.5, "no dated mention", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    names = literals(counts.columns)
    set_margins(fig, left=0.6, bottom=2 * 10 * LINE + TICKS + 0.25, top=12 * LINE + 0.15, right=text_width(names, 8) + 0.5)
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#882255", "#44AA99", "#332288", "#999999"]
    if len(counts) == 1:
        ax.bar(names, counts.iloc[0].to_numpy(), color=[palette[i % len(palette)] for i in range(len(names))])
        ax.set_xlabel(counts.index[0].strftime("%Y-%m-%d"))
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    else:
        for i, (column, name) in enumerate(zip(counts.columns, names)):
            ax.plot(counts.index, counts[column].to_numpy(), marker="o", markersize=3, linewidth=1.4,
                    color=palette[i % len(palette)], label=name)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        fig.autofmt_xdate()
    ax.set_ylabel("mentions")
    ax.set_title(literal(title))
    ax.spines[["top", "right"]].set_visible(False)
    return fig
