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


def tree_logits(trees: TreeArrays, x: np.ndarray) -> np.ndarray:
    """Raw class scores (before softmax) for the rows of ``x``.

    All trees descend together, one level per step, so a call costs the depth of the deepest
    tree in NumPy operations, not trees × depth: an article scores a handful of rows at a time.
    """
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    logits = np.tile(trees.baseline, (n, 1))
    if n == 0 or len(trees.roots) == 0:
        return logits
    node = np.broadcast_to(trees.roots.astype(np.int64), (n, len(trees.roots))).copy()  # (rows, trees)
    rows = np.broadcast_to(np.arange(n)[:, None], node.shape)
    while True:
        f = trees.feature[node]
        inner = f >= 0
        if not inner.any():
            break
        at = node[inner]
        value = x[rows[inner], f[inner]]
        go_left = np.where(np.isnan(value), trees.missing_left[at] == 1, value <= trees.threshold[at])
        node[inner] = np.where(go_left, trees.left[at], trees.right[at])
    # ufunc.at adds in index order: row by row, trees in their order, as one tree at a time did.
    np.add.at(logits, (rows, np.broadcast_to(trees.tree_class[None, :], node.shape)), trees.value[node])
    return logits


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)
