"""Global decoding: the order that best agrees with pairwise "i before j" weights.

Given ``W[i, j]``, the gain of placing sentence ``i`` anywhere before sentence ``j`` (the
pairwise model uses ``log P(i before j)``) and an optional bonus ``lead[i]`` for opening the
article, the best order maximises ``sum(W[i, j] for i before j) + lead[order[0]]``. This is the
linear ordering problem, NP-hard in general (Cohen, Schapire & Singer 1999, "Learning to order
things", decode the same objective greedily). Here:

* up to ``exact_limit`` sentences (default 16), a dynamic programme over subsets finds the
  exact optimum, over every subset up to 13 sentences and beyond pruned by bounds that keep
  every optimal path (:mod:`analysis.ordering._exact`; about 2 ms at 16 sentences); with
  adjacency gains a Held-Karp style programme in ``O(n^2 2^n)`` (about 0.25 s at 16);
* beyond, a Borda start (each sentence's net "before" weight), a greedy sequential start and
  a few seeded shuffles of the Borda order (not of the indices, so the order the sentences
  came in never matters) are improved by local search with insertion moves (take one
  sentence out and put it back at its best position, the standard neighbourhood for linear
  ordering; all positions of all sentences, for all starts, are evaluated at once:
  :mod:`analysis.ordering._search`) until no move improves; the best local optimum is returned.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._exact import full_exact_order, pruned_exact_order
from ._search import local_search_many

__all__ = ["EXACT_LIMIT", "order_score", "exact_order", "greedy_order", "borda_order", "local_search", "decode"]

#: Largest article decoded exactly by default.
EXACT_LIMIT = 16
#: Up to this many sentences the programme visits every subset (faster than pruning there).
FULL_LIMIT = 13


def _check(weights: np.ndarray, lead: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 2 or weights.shape[0] != weights.shape[1]:
        raise ValueError(f"weights must be a square matrix, got shape {weights.shape}")
    n = weights.shape[0]
    lead = np.zeros(n) if lead is None else np.asarray(lead, dtype=np.float64)
    if lead.shape != (n,):
        raise ValueError(f"lead must have {n} values, got shape {lead.shape}")
    return weights, lead


def order_score(order: Sequence[int], weights: np.ndarray, lead: np.ndarray | None = None) -> float:
    """The objective of ``order``: ``sum(W[i, j] for i before j) + lead[order[0]]``."""
    weights, lead = _check(weights, lead)
    idx = np.asarray(order, dtype=int)
    if idx.size == 0:
        return 0.0
    sub = weights[np.ix_(idx, idx)]
    return float(np.triu(sub, k=1).sum() + lead[idx[0]])


def exact_order(weights: np.ndarray, lead: np.ndarray | None = None) -> tuple[int, ...]:
    """The optimal order by dynamic programming over subsets of placed sentences.

    ``f(S ∪ {j}) = max_j f(S) + sum(W[i, j] for i in S)``: the prefix ``S`` is placed, ``j``
    comes next; prefixes that provably lead to no optimal order are pruned
    (:mod:`analysis.ordering._exact`). Exponential in ``n``: meant for ``n <= EXACT_LIMIT``.
    """
    weights, lead = _check(weights, lead)
    n = weights.shape[0]
    if n == 0:
        return ()
    if n > 22:
        raise ValueError(f"exact decoding of {n} sentences would need 2^{n} states; use local search")
    if n <= FULL_LIMIT:
        return full_exact_order(weights, lead)
    # Any order's score is a floor for the optimum; these two are cheap and close to it.
    lower = max(order_score(borda_order(weights, lead), weights, lead), order_score(greedy_order(weights, lead), weights, lead))
    return pruned_exact_order(weights, lead, lower)


def borda_order(weights: np.ndarray, lead: np.ndarray | None = None) -> tuple[int, ...]:
    """Sort by net "before" weight ``sum_j W[i, j] - W[j, i]`` (ties by index)."""
    weights, lead = _check(weights, lead)
    net = weights.sum(axis=1) - weights.sum(axis=0) + lead
    return tuple(int(i) for i in np.argsort(-net, kind="stable"))


def greedy_order(weights: np.ndarray, lead: np.ndarray | None = None) -> tuple[int, ...]:
    """Build the order front to back, each time taking the remaining sentence that most
    wants to precede the other remaining ones."""
    weights, lead = _check(weights, lead)
    n = weights.shape[0]
    remaining = np.ones(n, dtype=bool)
    net = weights - weights.T
    order: list[int] = []
    for k in range(n):
        gain = net[:, remaining].sum(axis=1) + (lead if k == 0 else 0.0)
        gain[~remaining] = -np.inf
        pick = int(np.argmax(gain))
        order.append(pick)
        remaining[pick] = False
    return tuple(order)


def local_search(
    weights: np.ndarray, order: Sequence[int], lead: np.ndarray | None = None, *, max_passes: int = 50
) -> tuple[int, ...]:
    """Improve ``order`` with insertion moves until none helps (or ``max_passes`` sweeps).

    For a sentence ``x`` taken out of the order, the gain of reinserting it at every position is
    computed at once from cumulative sums of ``W[., x]`` and ``W[x, .]``.
    """
    weights, lead = _check(weights, lead)
    return local_search_many(weights, [order], lead, max_passes=max_passes)[0]


def decode(
    weights: np.ndarray,
    lead: np.ndarray | None = None,
    *,
    exact_limit: int = EXACT_LIMIT,
    restarts: int = 6,
) -> tuple[int, ...]:
    """The best order found: exact for ``n <= exact_limit``; beyond, local search from the Borda
    and greedy starts plus ``restarts`` seeded random starts, keeping the best local optimum."""
    weights, lead = _check(weights, lead)
    n = weights.shape[0]
    if n <= exact_limit:
        return exact_order(weights, lead)
    borda = borda_order(weights, lead)
    starts = [borda, greedy_order(weights, lead)]
    rng = np.random.default_rng(0)  # fixed: the same article always decodes the same way
    # Random starts shuffle the Borda order rather than the indices, so the result does not
    # depend on the order the sentences came in (only on their weights).
    starts += [tuple(borda[k] for k in rng.permutation(n)) for _ in range(restarts)]
    candidates = local_search_many(weights, starts, lead)
    return max(candidates, key=lambda o: order_score(o, weights, lead))
