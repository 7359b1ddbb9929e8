"""Local search with insertion moves, every move of every search evaluated at once.

:func:`analysis.ordering._decode.local_search` takes the sentences of the order one by one (in
the order they had when the sweep began), takes each out and puts it back where the objective
gains most, and sweeps again until no move helps. Evaluating one sentence costs a handful of
small numpy operations; here the reinsertion gains of *every* sentence of the current order are
computed together, and the sweep then runs through them in plain Python until a move is taken,
which changes the order and calls for new gains. Several searches (the decoder's starts) share
each such computation. Every gain is computed with the same operations in the same order as
one sentence at a time (cumulative sums along the order, a pairwise ``sum`` over the rest), so
the moves taken, and the orders found, are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

__all__ = ["insertion_moves", "local_search_many"]

#: A move must gain more than this (guards against rounding-level "improvements").
MIN_GAIN = 1e-12


def insertion_moves(weights: np.ndarray, lead: np.ndarray, orders: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each order (a row of ``orders``, shape (b, n)) and position ``p``: where the sentence
    at ``p`` is best reinserted into the others (``q``, 0..n-1, first of equals), and whether
    that beats putting it back where it was by more than :data:`MIN_GAIN`. ``weights`` must
    have a zero diagonal."""
    b, n = orders.shape
    # a[s, i, j] = W[c_i, c_j] for the order c = orders[s].
    a = weights.take(orders[:, :, None] * n + orders[:, None, :])
    # Prefix sums along the order of W[., x] (down column p, x = c_p) and of W[x, .] (along
    # row p), x's own zero included: k = 0..n sentences of the order before the insertion
    # point. Without x, the first q sentences sum to entry q if q <= p, else to entry q + 1;
    # entries p and p + 1 are equal (x adds zero), so over k the gains are those over q with
    # one of two equal neighbours repeated.
    down = np.zeros((b, n + 1, n))
    np.cumsum(a, axis=1, out=down[:, 1:])
    across = np.zeros((b, n, n + 1))
    np.cumsum(a, axis=2, out=across[:, :, 1:])
    # Row p without its diagonal entry: the rest of the order, summed pairwise as numpy sums
    # the row of a fresh array.
    rest = a.reshape(b, n * n)[:, 1:].reshape(b, n - 1, n + 1)[:, :, :n].reshape(b, n, n - 1)
    total = rest.sum(axis=2)
    gain = down.transpose(0, 2, 1) + (total[:, :, None] - across)
    # The lead bonus goes to whichever sentence then opens the order: x at the front (k = 0,
    # and k = 1 when x is first already), else the first of the others.
    positions = np.arange(n)
    opening = np.where(positions == 0, orders[:, 1:2], orders[:, 0:1])
    gain += lead[opening][:, :, None]
    front = lead[orders] - lead[opening]
    gain[:, :, 0] += front
    gain[:, 0, 1] += front[:, 0]
    best = np.argmax(gain, axis=2)
    top = np.take_along_axis(gain, best[:, :, None], axis=2)[:, :, 0]
    stay = gain[:, positions, positions]
    return np.where(best <= positions, best, best - 1), top > stay + MIN_GAIN


@dataclass
class _Search:
    """One local search: its order, the sweep under way and the moves known for the order."""

    current: list[int]
    sweep: list[int] = field(default_factory=list)
    next: int = 0
    improved: bool = False
    sweeps: int = 0
    done: bool = False
    moves: tuple[list[int], list[bool]] | None = None

    def advance(self, max_passes: int) -> None:
        """Run the sweep on with the known moves until one is taken (the moves then no longer
        hold) or the search ends."""
        while self.moves is not None and not self.done:
            where, better = self.moves
            position = {x: p for p, x in enumerate(self.current)}
            for k in range(self.next, len(self.sweep)):
                p = position[self.sweep[k]]
                if better[p]:
                    x = self.current[p]
                    rest = self.current[:p] + self.current[p + 1 :]
                    rest.insert(where[p], x)
                    self.current, self.next, self.improved, self.moves = rest, k + 1, True, None
                    return
            self.sweeps += 1
            if not self.improved or self.sweeps >= max_passes:
                self.done = True
                return
            self.sweep, self.next, self.improved = list(self.current), 0, False


def local_search_many(
    weights: np.ndarray, starts: Sequence[Sequence[int]], lead: np.ndarray, *, max_passes: int = 50
) -> list[tuple[int, ...]]:
    """:func:`~analysis.ordering._decode.local_search` (without adjacency gains) from each start."""
    n = weights.shape[0]
    if n < 2:
        return [tuple(int(i) for i in s) for s in starts]
    # Reinsertion never pairs a sentence with itself: the diagonal must not count.
    weights = weights.copy()
    np.fill_diagonal(weights, 0.0)
    searches = [_Search([int(i) for i in s]) for s in starts]
    for search in searches:
        search.sweep = list(search.current)
        if max_passes < 1:
            search.done = True
    while True:
        waiting = [s for s in searches if not s.done and s.moves is None]
        if not waiting:
            break
        where, better = insertion_moves(weights, lead, np.asarray([s.current for s in waiting], dtype=np.intp))
        for search, w, b in zip(waiting, where.tolist(), better.tolist()):
            search.moves = (w, b)
            search.advance(max_passes)
    return [tuple(s.current) for s in searches]
