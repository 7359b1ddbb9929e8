"""Flat evaluation of a tree ensemble: every split at once, one table lookup per tree.

Walking 200 trees node by node costs one round of numpy indexing per tree level for every
sample. Here a tree is instead treated as a function of the truth values of its (at most 16)
splits: the splits of all trees are evaluated at once as a boolean matrix (distinct
``(feature, threshold)`` pairs only once), each tree's split outcomes are packed into an
integer code by one sparse matrix product, and a table built once per ensemble maps
``(tree, code)`` to the leaf reached. The leaf values are then summed tree by tree exactly as
the node walk sums them, so predictions are bit-for-bit the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["CompiledTrees", "compile_trees", "walk_leaves", "MAX_SPLITS"]

#: Trees with more splits than this are not compiled (the table has 2**splits rows per tree).
MAX_SPLITS = 16
#: Samples evaluated per block, bounding the memory of the split matrix for long articles.
_BLOCK = 4096


@dataclass(frozen=True)
class CompiledTrees:
    """An ensemble in table form.

    Attributes:
        feature, threshold: the distinct splits ``x[:, feature[u]] <= threshold[u]``, shape (U,),
            sorted by feature then threshold.
        codes: sparse (n_trees, U) matrix; entry ``2**b`` when split ``u`` is bit ``b`` of the tree.
        table: leaf node id of each ``(tree, code)``, flattened as ``tree * 2**n_bits + code``.
        n_bits: bits per tree code.
    """

    feature: np.ndarray
    threshold: np.ndarray
    codes: sp.csr_matrix
    table: np.ndarray
    n_bits: int

    def leaves(self, splits: np.ndarray, codes: sp.csr_matrix | None = None, offset: np.ndarray | None = None) -> np.ndarray:
        """Leaf node ids (n_trees, n_samples) from the split outcomes ``splits`` (U, n_samples).

        ``codes`` replaces :attr:`codes` for callers that evaluate another set of splits (with
        ``offset``, per tree, the code bits of splits whose outcome is known)."""
        codes = self.codes if codes is None else codes
        n_trees = codes.shape[0]
        out = np.empty((n_trees, splits.shape[1]), dtype=np.intp)
        base = (np.arange(n_trees, dtype=np.intp) << self.n_bits)[:, None]
        for start in range(0, splits.shape[1], _BLOCK):
            block = splits[:, start : start + _BLOCK]
            # Codes are sums of distinct powers of two below 2**16: exact in float32.
            code = codes @ block.astype(np.float32)
            if offset is not None:
                code += offset[:, None]
            out[:, start : start + _BLOCK] = self.table.take(base + code.astype(np.intp))
        return out

    def splits(self, x: np.ndarray) -> np.ndarray:
        """Split outcomes (U, n_samples) of the rows of ``x`` (already free of NaN)."""
        return x.T[self.feature] <= self.threshold[:, None]


def walk_leaves(feature, threshold, left, right, roots, x: np.ndarray) -> np.ndarray:
    """Leaf node ids (n_trees, n_samples) by walking every tree level by level (the reference)."""
    rows = np.arange(x.shape[0])
    node = np.repeat(roots[:, None], x.shape[0], axis=1)
    while True:
        feat = feature[node]
        inner = feat >= 0
        if not inner.any():
            return node
        values = x[rows[None, :].repeat(node.shape[0], axis=0), np.where(inner, feat, 0)]
        go_left = values <= threshold[node]
        node = np.where(inner, np.where(go_left, left[node], right[node]), node)


def _tree_nodes(feature, left, right, root) -> tuple[list[int], list[tuple[int, list[tuple[int, bool]]]]]:
    """The split nodes of one tree, and each leaf with its path (split node, went left)."""
    splits, leaves = [], []
    stack = [(int(root), [])]
    while stack:
        node, path = stack.pop()
        if feature[node] < 0:
            leaves.append((node, path))
            continue
        splits.append(node)
        stack.append((int(right[node]), path + [(node, False)]))
        stack.append((int(left[node]), path + [(node, True)]))
    return splits, leaves


def compile_trees(feature, threshold, left, right, roots) -> CompiledTrees | None:
    """The table form of an ensemble, or ``None`` when a tree has more than :data:`MAX_SPLITS` splits."""
    trees = [_tree_nodes(feature, left, right, r) for r in roots]
    n_bits = max((len(s) for s, _ in trees), default=0)
    if n_bits > MAX_SPLITS:
        return None
    n_bits = max(n_bits, 1)
    distinct: dict[tuple[int, float], int] = {}
    rows, cols, weights = [], [], []
    table = np.empty((len(trees), 1 << n_bits), dtype=np.int32 if len(feature) >= 2**15 else np.int16)
    codes = np.arange(1 << n_bits, dtype=np.int64)
    for t, (splits, leaves) in enumerate(trees):
        bit = {node: b for b, node in enumerate(splits)}
        for node in splits:
            u = distinct.setdefault((int(feature[node]), float(threshold[node])), len(distinct))
            rows.append(t)
            cols.append(u)
            weights.append(float(1 << bit[node]))
        # A code reaches the leaf whose path splits it agrees with (the paths partition the codes).
        row = table[t]
        for leaf, path in leaves:
            mask = sum(1 << bit[node] for node, _ in path)
            want = sum(1 << bit[node] for node, left in path if left)
            row[(codes & mask) == want] = leaf
    # Splits sorted by feature: callers computing columns block by block find them contiguous.
    keys = sorted(distinct)
    rank = {key: k for k, key in enumerate(keys)}
    by_first_use = list(distinct)
    cols = [rank[by_first_use[u]] for u in cols]
    matrix = sp.csr_matrix(
        (np.asarray(weights, dtype=np.float32), (rows, cols)), shape=(len(trees), max(1, len(keys)))
    )
    return CompiledTrees(
        np.asarray([k[0] for k in keys] or [0], dtype=np.intp),
        np.asarray([k[1] for k in keys] or [np.inf], dtype=np.float64),
        matrix,
        table.ravel(),
        n_bits,
    )
