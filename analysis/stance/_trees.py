"""Gradient-boosted trees as plain arrays: exported from scikit-learn, evaluated with NumPy.

A fitted ``HistGradientBoostingClassifier`` is turned into a few flat arrays (split feature,
threshold, children, leaf value, per node; root and class per tree), so the saved model needs
neither pickle nor scikit-learn at prediction time.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["TreeArrays", "export_trees", "tree_logits", "softmax"]


class TreeArrays(NamedTuple):
    """All trees of a boosted multi-class model, nodes concatenated."""

    feature: np.ndarray  # int32, split feature per node (-1 for a leaf)
    threshold: np.ndarray  # float64: go left when x <= threshold
    left: np.ndarray  # int32, global node index
    right: np.ndarray  # int32
    missing_left: np.ndarray  # uint8: where a NaN goes
    value: np.ndarray  # float64, leaf value
    roots: np.ndarray  # int32, first node of each tree
    tree_class: np.ndarray  # int32, class whose logit each tree adds to
    baseline: np.ndarray  # float64 (n_classes,)


def export_trees(model) -> TreeArrays:
    """Flatten a fitted scikit-learn ``HistGradientBoostingClassifier`` (numeric features only)."""
    parts, roots, classes, offset = [], [], [], 0
    for iteration in model._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            parts.append((nodes, offset))
            roots.append(offset)
            classes.append(k)
            offset += len(nodes)
    feature = np.concatenate([np.where(n["is_leaf"] == 1, -1, n["feature_idx"]) for n, _ in parts]).astype(np.int32)
    left = np.concatenate([n["left"].astype(np.int64) + o for n, o in parts]).astype(np.int32)
    right = np.concatenate([n["right"].astype(np.int64) + o for n, o in parts]).astype(np.int32)
    baseline = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
    if len(baseline) == 1:  # binary: one logit
        baseline = np.array([0.0, baseline[0]])
        classes = [1] * len(classes)
    return TreeArrays(
        feature, np.concatenate([n["num_threshold"] for n, _ in parts]).astype(np.float64), left, right,
        np.concatenate([n["missing_go_to_left"] for n, _ in parts]).astype(np.uint8),
        np.concatenate([n["value"] for n, _ in parts]).astype(np.float64),
        np.asarray(roots, np.int32), np.asarray(classes, np.int32), baseline,
    )


class _Walk(NamedTuple):
    """The ensemble arranged for a fixed-depth walk: a leaf is a node that goes to itself."""

    feature: np.ndarray  # int64, 0 at leaves
    threshold: np.ndarray  # +inf at leaves, so every value (NaN aside) goes "left"
    left: np.ndarray  # int64, the leaf itself at leaves
    right: np.ndarray
    missing_left: np.ndarray  # bool, True at leaves
    depth: int
    by_class: tuple[np.ndarray, ...]  # tree indices adding to each class, in tree order


_WALKS: dict[int, tuple[TreeArrays, _Walk]] = {}


def _walk(trees: TreeArrays) -> _Walk:
    known = _WALKS.get(id(trees.feature))
    if known is not None and known[0] is trees:
        return known[1]
    leaf = trees.feature < 0
    here = np.arange(len(trees.feature), dtype=np.int64)
    depth, level = 0, np.unique(trees.roots.astype(np.int64))
    while True:
        level = level[~leaf[level]]
        if not len(level):
            break
        depth += 1
        level = np.concatenate([trees.left[level], trees.right[level]]).astype(np.int64)
    walk = _Walk(
        np.where(leaf, 0, trees.feature).astype(np.int64),
        np.where(leaf, np.inf, trees.threshold),
        np.where(leaf, here, trees.left).astype(np.int64),
        np.where(leaf, here, trees.right).astype(np.int64),
        np.where(leaf, True, trees.missing_left == 1),
        depth,
        tuple(np.flatnonzero(trees.tree_class == k) for k in range(len(trees.baseline))),
    )
    if len(_WALKS) > 8:
        _WALKS.clear()
    _WALKS[id(trees.feature)] = (trees, walk)
    return walk


def tree_logits(trees: TreeArrays, x: np.ndarray) -> np.ndarray:
    """Raw class scores (before softmax) for the rows of ``x``.

    All trees descend together, one level per step, for as many steps as the deepest tree has
    levels (a leaf loops to itself), so a call costs the ensemble's depth in NumPy operations,
    not trees × depth: an article scores a handful of rows at a time.
    """
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    if n == 0 or len(trees.roots) == 0:
        return np.tile(trees.baseline, (n, 1))
    walk = _walk(trees)
    node = np.broadcast_to(trees.roots.astype(np.int64), (n, len(trees.roots))).copy()  # (rows, trees)
    flat = np.ascontiguousarray(x).ravel()
    row_start = (np.arange(n, dtype=np.int64) * x.shape[1])[:, None]
    for _ in range(walk.depth):
        value = flat[row_start + walk.feature[node]]
        go_left = value <= walk.threshold[node]
        missing = np.isnan(value)
        if missing.any():
            go_left = np.where(missing, walk.missing_left[node], go_left)
        node = np.where(go_left, walk.left[node], walk.right[node])
    values = trees.value[node]
    # Each class's sum runs left to right from the baseline through its trees in order (cumsum
    # accumulates strictly in sequence), as adding one tree at a time did: the same bits.
    logits = np.empty((n, len(trees.baseline)))
    for k, columns in enumerate(walk.by_class):
        terms = np.concatenate([np.full((n, 1), trees.baseline[k]), values[:, columns]], axis=1)
        logits[:, k] = np.cumsum(terms, axis=1)[:, -1]
    return logits


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)
