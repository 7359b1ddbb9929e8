"""Static figures for entity frequency: top entities by label, a per-label breakdown, and a
co-occurrence heatmap. Each builder takes the table from :mod:`analysis.entities` and returns a
:class:`matplotlib.figure.Figure` (no pyplot state, so batch runs do not leak figures)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

__all__ = ["LABEL_COLOURS", "label_colour", "entity_bar_chart", "label_breakdown_chart", "cooccurrence_heatmap"]

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
    fig = Figure(figsize=(7, max(2.0, 0.35 * len(rows) + 1.0)))
    ax = fig.add_subplot()
    if rows.empty:
        ax.text(0.5, 0.5, "no entity found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    bars = ax.barh(rows["entity"].astype(str), rows[value], color=[label_colour(lb) for lb in rows["label"]])
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_xlabel(value)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    present = list(dict.fromkeys(table["label"]))
    ax.legend(handles=[Patch(color=label_colour(lb), label=lb) for lb in present], loc="lower right", fontsize=8)
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
    positions = range(len(summary))
    colours = [label_colour(lb) for lb in summary.index]
    bars = ax.bar([p - 0.2 for p in positions], summary["mentions"], width=0.4, color=colours, label="mentions")
    ax.bar_label(bars, fontsize=8)
    bars = ax.bar([p + 0.2 for p in positions], summary["entities"], width=0.4, color=colours, alpha=0.45,
                  hatch="//", label="distinct entities")
    ax.bar_label(bars, fontsize=8)
    ax.set_xticks(list(positions), summary.index)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def cooccurrence_heatmap(matrix: pd.DataFrame, *, title: str = "Entities sharing a sentence") -> Figure:
    """Heatmap of an :func:`~analysis.entities.cooccurrence` matrix, counts written in the cells."""
    n = len(matrix)
    fig = Figure(figsize=(max(4.0, 0.45 * n + 2.5), max(3.5, 0.45 * n + 2.0)))
    ax = fig.add_subplot()
    if n == 0:
        ax.text(0.5, 0.5, "no entity found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    values = matrix.to_numpy()
    image = ax.imshow(values, cmap="Blues")
    ax.set_xticks(range(n), matrix.columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(n), matrix.index, fontsize=8)
    top = values.max() or 1
    for i in range(n):
        for j in range(n):
            if values[i, j]:
                ax.text(j, i, str(values[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if values[i, j] > top / 2 else "black")
    fig.colorbar(image, ax=ax, shrink=0.8, label="sentences")
    ax.set_title(title)
    return fig
