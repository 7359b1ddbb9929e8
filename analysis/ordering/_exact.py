"""Exact linear ordering by dynamic programming over subsets, pruned by bounds.

The programme of :func:`analysis.ordering._decode.exact_order`: ``f(S ∪ {j}) = max_j f(S) +
before[S, j]``, ``before[S, j] = sum(W[i, j] for i in S)``, filled subset size by subset size;
among equally good last sentences the lowest index wins. For short articles every subset is
visited (:func:`full_exact_order`, one numpy step per subset size). Beyond, most prefixes
cannot lead to the optimum, and a bound shows it early: a prefix ``S`` placed first earns ``f(S)``, then exactly
the cross gains ``sum(W[i, j] for i in S, j not in S)``, then at most ``sum(max(W[a, b],
W[b, a]))`` over the pairs of the rest. A prefix whose bound falls below the score of a known
order (``lower``) is dropped with everything it would extend. Only prefixes that cannot be on
any optimal path are dropped, and every optimal path is kept whole, so the order found and the
tie-breaking are those of the full programme; on the articles of the development corpora about
one prefix in a thousand survives at 16 sentences.

``before`` is summed over the members of ``S`` in index order, the same sums as the matrix
product ``bits @ W`` over all subsets, so the prefix scores are the same numbers whichever way
the programme runs.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["pruned_exact_order", "full_exact_order", "subset_tables"]


def pruned_exact_order(weights: np.ndarray, lead: np.ndarray, lower: float) -> tuple[int, ...]:
    """The optimal order of ``sum(W[i, j] for i before j) + lead[order[0]]``, given ``lower``,
    the score of some order (the closer to the optimum, the more is pruned)."""
    n = weights.shape[0]
    # The bounds read only pairs of distinct sentences (the diagonal never counts).
    off = weights * ~np.eye(n, dtype=bool)
    pair_max = np.maximum(off, off.T)
    # Placing j next (after prefix S) fixes W[j, b] for every b still to come and gives up
    # max(W[j, b], W[b, j]) of the rest's bound: the bound changes by
    # step[j] + shift[S, j] - before[S, j], shift[S, j] = sum(pair_max[i, j] - W[j, i], i in S).
    step = off.sum(axis=1) - pair_max.sum(axis=1)
    to_shift = pair_max - off.T
    bit = np.int64(1) << np.arange(n, dtype=np.int64)
    # Slack for rounding: the bounds are sums of at most n^2 terms.
    floor = lower - (1e-6 + 1e-9 * abs(lower))
    masks = np.zeros(1, dtype=np.int64)
    best = np.zeros(1)
    before = np.zeros((1, n))
    shift = np.zeros((1, n))
    bound = np.asarray([pair_max.sum() / 2])  # what the unplaced sentences can still earn
    last: dict[int, int] = {}
    for k in range(1, n + 1):
        prefix, j = np.nonzero((masks[:, None] & bit) == 0)
        gain = before[prefix, j]
        value = best[prefix] + gain + (lead[j] if k == 1 else 0.0)
        rest = bound[prefix] + step[j] + shift[prefix, j] - gain
        # A step that cannot reach the known score is on no optimal path.
        kept = np.flatnonzero(value + rest >= floor)
        prefix, j, value, rest = prefix[kept], j[kept], value[kept], rest[kept]
        grown = masks[prefix] | bit[j]
        # Per subset, the best value and among equals the lowest sentence: the full
        # programme's tie-breaking.
        pick = np.lexsort((j, -value, grown))
        first = np.ones(len(pick), dtype=bool)
        first[1:] = grown[pick[1:]] != grown[pick[:-1]]
        pick = pick[first]
        masks, prefix, j, best, bound = grown[pick], prefix[pick], j[pick], value[pick], rest[pick]
        last.update(zip(masks.tolist(), j.tolist()))
        if k < n:
            members = np.nonzero((masks[:, None] & bit) != 0)[1].reshape(len(masks), k)
            before = np.cumsum(weights[members], axis=1)[:, -1]
            shift = shift[prefix] + to_shift[j]
    order: list[int] = []
    mask = (1 << n) - 1
    while mask:
        j = last[mask]
        order.append(j)
        mask ^= 1 << j
    return tuple(reversed(order))


@functools.lru_cache(maxsize=32)
def _layers(n: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each subset size k = 1..n: the masks of k sentences, their members (ascending) and
    the masks without each member, shapes (C, ), (C, k), (C, k)."""
    masks = np.arange(1 << n, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    size = bits.sum(axis=1)
    out = []
    for k in range(1, n + 1):
        layer = masks[size == k]
        members = np.nonzero(bits[layer])[1].reshape(len(layer), k)
        out.append((layer, members, layer[:, None] ^ (np.int64(1) << members)))
    return out


def full_exact_order(weights: np.ndarray, lead: np.ndarray) -> tuple[int, ...]:
    """The programme over every subset, layer by layer: cheaper than pruning for short articles."""
    n = weights.shape[0]
    # before[S, j] summed over the members of S in index order: the highest one added last.
    before = np.zeros((1 << n, n))
    for h in range(n):
        before[1 << h : 2 << h] = before[: 1 << h] + weights[h]
    before = before.ravel()
    best = np.zeros(1 << n)
    last = np.zeros(1 << n, dtype=np.int64)
    for k, (layer, members, prev) in enumerate(_layers(n), start=1):
        value = best[prev] + before[prev * n + members] + (lead[members] if k == 1 else 0.0)
        # The first of equal candidates, members ascending: the lowest sentence.
        pick = np.argmax(value, axis=1)
        rows = np.arange(len(layer))
        best[layer] = value[rows, pick]
        last[layer] = members[rows, pick]
    order: list[int] = []
    mask = (1 << n) - 1
    while mask:
        j = int(last[mask])
        order.append(j)
        mask ^= 1 << j
    return tuple(reversed(order))


def subset_tables(weights: np.ndarray) -> tuple[int, np.ndarray, list[np.ndarray]]:
    """For every subset ``S`` of sentences (a bit mask): the number of subsets,
    ``before[S, j] = sum of W[i, j] over i in S``, and the subsets grouped by size
    (``layers[k]``: the masks of ``k`` sentences, the order in which the DP fills them)."""
    n = weights.shape[0]
    size = 1 << n
    masks = np.arange(size, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(np.float64)
    popcount = bits.sum(axis=1).astype(int)
    by_size = np.argsort(popcount, kind="stable")
    bounds = np.searchsorted(popcount[by_size], np.arange(n + 2))
    return size, bits @ weights, [by_size[bounds[k] : bounds[k + 1]] for k in range(n + 1)]
