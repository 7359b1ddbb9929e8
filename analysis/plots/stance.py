"""Figures for :mod:`analysis.stance`: claim-stance probabilities and the speaker × target heatmap."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["STANCE_COLOURS", "claim_stance_figure", "actor_stance_heatmap"]

#: One colour per FNC-1 label (colour-blind safe, Okabe & Ito 2008).
STANCE_COLOURS: dict[str, str] = {"agree": "#009E73", "disagree": "#D55E00", "discuss": "#0072B2", "unrelated": "#BBBBBB"}


def claim_stance_figure(claims: pd.DataFrame, *, width: float = 8.0) -> Figure:
    """Stacked bars of class probabilities: the body first, then each sentence (by line).

    Args:
        claims: the frame of :func:`analysis.stance.claim_stance`.
        width: figure width in inches.
    """
    labels = [c.removeprefix("p_") for c in claims.columns if c.startswith("p_")]
    names = ["body" if scope == "body" else f"line {line}" for scope, line in zip(claims["scope"], claims["line"])]
    fig = Figure(figsize=(width, 0.6 + 0.22 * max(len(claims), 1)))
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
    ax.set_title("Claim stance toward the title (body, then each sentence)")
    ax.legend(ncols=len(labels), loc="lower center", bbox_to_anchor=(0.5, 1.06), fontsize=8, frameon=False)
    return fig


def actor_stance_heatmap(stances: pd.DataFrame, *, targets: Sequence[str] | None = None) -> Figure:
    """Speaker × target heatmap of stance scores (-1 against … +1 favor; blank: not mentioned).

    Args:
        stances: the frame of :func:`analysis.stance.actor_stance`.
        targets: column order (default: the targets present in ``stances``).
    """
    from ..stance.actors import stance_matrix

    matrix = stance_matrix(stances, targets=targets)
    n_rows, n_cols = max(matrix.shape[0], 1), max(matrix.shape[1], 1)
    fig = Figure(figsize=(1.6 + 1.1 * n_cols, 1.0 + 0.4 * n_rows))
    ax = fig.subplots()
    if matrix.empty:
        ax.text(0.5, 0.5, "no speaker mentions a target", ha="center", va="center")
        ax.set_axis_off()
        return fig
    values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    image = ax.imshow(values, cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    # hatch the background so "not mentioned" (masked) differs from a neutral 0 (near white)
    ax.patch.set_hatch("//")
    ax.patch.set_edgecolor("#cccccc")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index], fontsize=8)
    for (r, c), value in np.ndenumerate(matrix.to_numpy(dtype=float)):
        if not np.isnan(value):
            ax.text(c, r, f"{value:+.1f}", ha="center", va="center", fontsize=7, color="white" if abs(value) > 0.6 else "black")
    fig.colorbar(image, ax=ax, label="against  ←  score  →  favor", shrink=0.8)
    ax.set_title("Actor stance (hatched: target not mentioned by the speaker)", fontsize=9)
    return fig
