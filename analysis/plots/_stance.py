"""Figures and tables for :mod:`analysis.stance`: claim-stance probabilities and the speaker ×
target heatmap, each as a matplotlib figure and as an HTML table (the report uses the tables)."""

from __future__ import annotations

import html
from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .._report import line_anchor
from . import heatmap_table, literals
from ._layout import LINE, TICKS, rotated_height, set_margins, text_width

__all__ = ["STANCE_COLOURS", "claim_stance_figure", "claim_stance_table", "actor_stance_heatmap", "actor_stance_table"]

#: One colour per FNC-1 label (colour-blind safe, Okabe & Ito 2008).
STANCE_COLOURS: dict[str, str] = {"agree": "#009E73", "disagree": "#D55E00", "discuss": "#0072B2", "unrelated": "#BBBBBB"}


def claim_stance_figure(claims: pd.DataFrame, *, width: float = 8.0) -> Figure:
    """Stacked bars of class probabilities: the body first, then each sentence (by line).

    Args:
        claims: the frame of :func:`analysis.stance.claim_stance`.
        width: figure width in inches.
    """
    labels = [c.removeprefix("p_") for c in claims.columns if c.startswith("p_")]
    ranks = claims["rank"] if "rank" in claims.columns else [0] * len(claims)
    names = [
        "body" if scope == "body" else f"line {line}" + (f" (#{rank})" if rank else "")
        for scope, line, rank in zip(claims["scope"], claims["line"], ranks)
    ]
    top, bottom = 12 * LINE + 8 * LINE + 0.35, 2 * 10 * LINE + TICKS + 0.05  # title and legend above
    fig = Figure(figsize=(width, top + bottom + 0.2 * max(len(claims), 1)))
    set_margins(fig, left=text_width(names, 7) + TICKS + 0.1, bottom=bottom, top=top, right=0.2)
    ax = fig.subplots()
    left = np.zeros(len(claims))
    y = np.arange(len(claims))
    for label in labels:
        values = claims[f"p_{label}"].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=STANCE_COLOURS.get(label, "#999999"), label=label, height=0.8)
        left += values
    ax.set_yticks(y, names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("class probability")
    # A sentence's bar is its relevance (1 - p_unrelated) split by stance, then grey: an
    # irrelevant sentence is mostly grey whatever its stance would be.
    ax.set_title("Claim stance toward the title (body, then each sentence; #k: k-th most similar)", fontsize=9)
    ax.legend(ncols=len(labels), loc="lower center", bbox_to_anchor=(0.5, 1.06), fontsize=8, frameon=False)
    return fig


def actor_stance_heatmap(stances: pd.DataFrame, *, targets: Sequence[str] | None = None) -> Figure:
    """Speaker × target heatmap of stance scores (-1 against … +1 favor; blank: not mentioned).

    Args:
        stances: the frame of :func:`analysis.stance.actor_stance`.
        targets: column order (default: the targets present in ``stances``).
    """
    from ..stance._actors import stance_matrix

    matrix = stance_matrix(stances, targets=targets)
    if matrix.empty:
        fig = Figure(figsize=(4.0, 1.5))
        ax = fig.subplots()
        ax.text(0.5, 0.5, "no speaker mentions a target", ha="center", va="center")
        ax.set_axis_off()
        return fig
    columns, index = literals(matrix.columns), literals(matrix.index)
    left = max(text_width(index, 8), text_width(columns[:1], 8) * 0.87) + TICKS + 0.1
    bottom, top, right = rotated_height(columns, 8, 30) + TICKS + 0.1, 9 * LINE + 0.15, 0.7
    n_rows, n_cols = matrix.shape
    fig = Figure(figsize=(max(4.0, left + right + 1.1 * n_cols + 1.3), bottom + top + 0.4 * n_rows))
    set_margins(fig, left=left, bottom=bottom, top=top, right=right)
    ax = fig.subplots()
    values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    image = ax.imshow(values, cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    # hatch the background so "not mentioned" (masked) differs from a neutral 0 (near white)
    ax.patch.set_hatch("//")
    ax.patch.set_edgecolor("#cccccc")
    ax.set_xticks(range(n_cols), columns, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(n_rows), index, fontsize=8)
    for (r, c), value in np.ndenumerate(matrix.to_numpy(dtype=float)):
        if not np.isnan(value):
            ax.text(c, r, f"{value:+.1f}", ha="center", va="center", fontsize=7, color="white" if abs(value) > 0.6 else "black")
    fig.colorbar(image, ax=ax, label="against  ←  score  →  favor", shrink=0.8)
    ax.set_title("Actor stance (hatched: target not mentioned by the speaker)", fontsize=9)
    return fig


_BAR_STYLE = (
    "<style>"
    ".nd-claims td{vertical-align:top;padding:.15em .5em;text-align:left}"
    ".nd-claims td:first-child,.nd-claims td:nth-child(2){white-space:nowrap}"
    ".nd-claims .bar{display:inline-flex;width:9em;height:.9em;vertical-align:middle;border:1px solid #ddd}"
    ".nd-claims .bar span{display:block;height:100%}"
    ".nd-claims .p{font-variant-numeric:tabular-nums;text-align:right}"
    ".nd-claims .legend span{display:inline-block;width:.8em;height:.8em;margin:0 .25em 0 .8em;vertical-align:middle}"
    "</style>"
)


def claim_stance_table(claims: pd.DataFrame, *, max_chars: int = 200, link_lines: bool = False) -> str:
    """The claim-stance frame as an HTML table: label, its probability, the sentence's relevance to
    the title (with ``#k`` for the k-th most similar sentence, those the body's stance cues were
    read from), the four probabilities as one stacked bar, and the sentence (the body row says
    *whole body* instead of repeating it).

    Args:
        claims: the frame of :func:`analysis.stance.claim_stance`.
        max_chars: sentences longer than this are cut with an ellipsis (the full text is in the
            sentences table and the results files).
        link_lines: link each line to ``#line-N`` (a report whose ``line`` column holds seed-file
            lines, see :func:`analysis._report.seed_lines`, and whose text carries those ids).
    """
    labels = [c.removeprefix("p_") for c in claims.columns if c.startswith("p_")]
    legend = "".join(
        f'<span style="background:{STANCE_COLOURS.get(lb, "#999999")}"></span>{html.escape(lb)}' for lb in labels
    )
    rows = []
    for record in claims.to_dict("records"):
        bar = "".join(
            f'<span style="width:{100 * float(record[f"p_{lb}"]):.1f}%;background:{STANCE_COLOURS.get(lb, "#999999")}"></span>'
            for lb in labels
        )
        if record["scope"] == "body":
            name, text = "body", "<em>whole body</em>"
        else:
            sentence = str(record["text"])
            cut = sentence if len(sentence) <= max_chars else sentence[: max_chars - 1].rstrip() + "…"
            line = record["line"]
            linked = link_lines and isinstance(line, int)
            name = f'<a href="#{line_anchor(line)}">line {line}</a>' if linked else f"line {html.escape(str(line))}"
            text = html.escape(cut)
        label = str(record["label"])
        relevance = record.get("relevance", 1.0 - float(record.get("p_unrelated", float("nan"))))
        rank = int(record.get("rank", 0) or 0)
        rows.append(
            f"<tr><td>{name}</td><td>{html.escape(label)}</td>"
            f'<td class="p">{float(record.get(f"p_{label}", float("nan"))):.2f}</td>'
            f'<td class="p">{float(relevance):.2f}{f" #{rank}" if rank else ""}</td>'
            f'<td><span class="bar">{bar}</span></td><td>{text}</td></tr>'
        )
    return (
        f'{_BAR_STYLE}<div class="nd-claims"><p class="legend">{legend}</p><table>'
        "<thead><tr><th></th><th>label</th><th>p</th><th>relevance</th><th>probabilities</th><th>text</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def actor_stance_table(stances: pd.DataFrame, *, targets: Sequence[str] | None = None) -> str:
    """Speaker × target stance scores as an HTML heatmap (red against, blue favor; a dash: the
    speaker does not mention the target)."""
    from ..stance._actors import stance_matrix

    matrix = stance_matrix(stances, targets=targets)
    return heatmap_table(matrix, cmap="RdBu", vmin=-1, vmax=1, formatter="{:+.1f}", empty="–",
                         table_id="actor_stance", caption="Speaker × target stance (−1 against … +1 favor)")
