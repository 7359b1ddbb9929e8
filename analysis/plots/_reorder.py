"""Figures for sentence reordering (static matplotlib)."""

from __future__ import annotations

from typing import Sequence

from matplotlib.figure import Figure

from . import literal
from ._layout import LINE, TICKS, set_margins
from ..ordering._base import Ordering
from ..ordering._metrics import check_permutation
from ..ordering._report import WEAK_JOIN

# Figures are built with the object API (no pyplot): no global state, no backend switching, and
# a notebook shows them with display(fig).

__all__ = ["join_scores_figure", "order_comparison_figure"]


def join_scores_figure(ordering: Ordering, *, weak_join: float = WEAK_JOIN, title: str | None = None) -> Figure:
    """Bar chart of the score of each join along the reconstructed article; weak joins in red."""
    scores = list(ordering.pair_scores)
    fig = Figure(figsize=(max(4.0, 0.25 * len(scores) + 2), 2.8))
    set_margins(fig, left=0.75, bottom=2 * 10 * LINE + TICKS + 0.1, top=12 * LINE + 0.15, right=0.15)
    ax = fig.add_subplot()
    positions = range(2, len(scores) + 2)
    ax.bar(positions, scores, color=["#c44" if s < weak_join else "#4a7" for s in scores])
    ax.axhline(weak_join, color="#888", linestyle="--", linewidth=1, label=f"weak below {weak_join:.2f}")
    ax.axhline(0.5, color="#bbb", linewidth=0.8)
    ax.set_ylim(0, 1)
    ax.set_xlabel("join into sentence at reconstructed position")
    ax.set_ylabel("P(previous sentence first)")
    ax.set_title(literal(title) if title else f"Join scores ({ordering.method}, confidence {ordering.confidence:.2f})")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def order_comparison_figure(ordering: Ordering, gold: Sequence[int], *, title: str | None = None) -> Figure:
    """Reconstructed position against gold position of every sentence (the diagonal is perfect)."""
    order = check_permutation(ordering.order)
    gold = check_permutation(gold, len(order))
    gold_rank = {sentence: k + 1 for k, sentence in enumerate(gold)}
    fig = Figure(figsize=(3.8, 3.6))
    set_margins(fig, left=0.65, bottom=2 * 10 * LINE + TICKS + 0.1, top=12 * LINE + 0.15, right=0.15)
    ax = fig.add_subplot()
    n = len(order)
    ax.plot([1, n], [1, n], color="#bbb", linewidth=1)
    ax.scatter([gold_rank[s] for s in order], range(1, n + 1), color="#357", s=18)
    ax.set_xlabel("gold position")
    ax.set_ylabel("reconstructed position")
    ax.set_title(literal(title) if title else "Reconstructed vs gold order")
    return fig
