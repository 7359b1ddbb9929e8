"""A pointwise position model: where in its article a sentence tends to sit.

Besides "is ``i`` before ``j``", news sentences carry evidence of their absolute place: a lead
states the event with full names and a time, background and reactions come later, the last
lines often look ahead or quote a bystander. A gradient-boosted regression tree ensemble
(scikit-learn ``HistGradientBoostingRegressor``) maps a sentence's features (the same columns
as the pairwise model's sentence block, plus the wire flag and the article's length) to its
expected relative position in [0, 1] (0 = lead, 1 = last). Trees capture what the linear
pairwise model cannot: thresholds and interactions between cues ("long *and* no pronoun *and*
names a title entity").

The pairwise model then uses the predicted position as one more sentence column, so the weight
of this evidence against the pairwise cues is learned by the same logistic regression; in
training that column holds out-of-fold predictions (the articles' own positions never leak into
it), in use the model fitted on every training article.

The fitted trees are stored as flat arrays (no pickle) and evaluated with numpy
(:mod:`analysis.ordering._trees`), so loading the committed weights needs neither scikit-learn's
private classes nor its version.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ._trees import CompiledTrees, compile_trees, walk_leaves

__all__ = ["TreeEnsemble", "PositionModel", "fit_position", "fit_trees", "relative_positions", "POSITION_ARRAYS"]

_ARRAY_PARTS = ("feature", "threshold", "left", "right", "value", "roots", "baseline")


def array_names(prefix: str) -> tuple[str, ...]:
    """The ``npz`` keys a :class:`TreeEnsemble` is stored under with ``prefix``."""
    return tuple(f"{prefix}_{part}" for part in _ARRAY_PARTS)


#: Names of the arrays the position model is stored as (``npz`` keys).
POSITION_ARRAYS: tuple[str, ...] = array_names("position")

#: Hyper-parameters of the tree ensemble (deeper, shallower, longer or more regularised
#: ensembles did no better in cross-validation by article).
TREE_OPTIONS = dict(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40, l2_regularization=1.0)


@dataclass(frozen=True)
class TreeEnsemble:
    """A fitted ensemble of regression trees, as flat arrays (the position model; the pairwise
    model's precedence trees use the same form).

    Node ``k`` splits on ``X[:, feature[k]] <= threshold[k]`` (go to ``left[k]``, else
    ``right[k]``); a leaf has ``feature[k] == -1`` and contributes ``value[k]``. Tree ``t``
    starts at node ``roots[t]``; the prediction is ``baseline`` plus one leaf value per tree.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    baseline: float

    @functools.cached_property
    def compiled(self) -> CompiledTrees | None:
        """The table form of the trees (:mod:`analysis.ordering._trees`), built on first use;
        ``None`` when a tree is too large for it."""
        return compile_trees(self.feature, self.threshold, self.left, self.right, self.roots)

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """Leaf node reached in every tree, shape (n_trees, n_samples), by the rows of ``x``."""
        x = np.asarray(x, dtype=np.float64)
        if not np.isfinite(x).all():
            x = np.nan_to_num(x)
        compiled = self.compiled
        if compiled is None:
            return walk_leaves(self.feature, self.threshold, self.left, self.right, self.roots, x)
        return compiled.leaves(compiled.splits(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions for the rows of ``x`` (n_samples, n_features): relative positions for the
        position model, log-odds for a classifier."""
        return self.predict_leaves(self.leaves(x))

    def predict_leaves(self, leaves: np.ndarray) -> np.ndarray:
        """Predictions from the leaves of :meth:`leaves` (n_trees, n_samples)."""
        # Summed over the tree axis of a (trees, samples) array: tree by tree, in tree order,
        # the same additions whatever way the leaves were found.
        return self.baseline + self.value[leaves].sum(axis=0)

    def arrays(self, prefix: str = "position") -> dict[str, np.ndarray]:
        """The arrays to store, keyed :func:`array_names` of ``prefix``."""
        return dict(
            zip(
                array_names(prefix),
                (self.feature, self.threshold, self.left, self.right, self.value, self.roots, np.asarray([self.baseline])),
            )
        )

    @classmethod
    def from_arrays(cls, arrays, prefix: str = "position") -> "TreeEnsemble":
        """Rebuild from :meth:`arrays` (raises ``KeyError`` when one is missing)."""
        a = [np.asarray(arrays[name]) for name in array_names(prefix)]
        return cls(
            a[0].astype(np.int64), a[1].astype(np.float64), a[2].astype(np.int64), a[3].astype(np.int64),
            a[4].astype(np.float64), a[5].astype(np.int64), float(a[6][0]),
        )


def relative_positions(order: Sequence[int]) -> np.ndarray:
    """Gold relative position of each sentence (file index -> rank / (n - 1))."""
    n = len(order)
    target = np.empty(n)
    target[np.asarray(order, dtype=int)] = np.arange(n) / max(1, n - 1)
    return target


#: The position model's type: a tree ensemble predicting relative positions.
PositionModel = TreeEnsemble


def fit_position(x: np.ndarray, y: np.ndarray, weight: np.ndarray, *, seed: int = 0) -> PositionModel:
    """Fit the position trees (single-threaded, so that the trees do not depend on the machine)."""
    return fit_trees(x, y, weight, seed=seed, options=TREE_OPTIONS)


def fit_trees(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    *,
    seed: int = 0,
    options: dict,
    classifier: bool = False,
) -> TreeEnsemble:
    """Fit scikit-learn's histogram gradient boosting (a regressor, or a binary classifier whose
    prediction is then the log-odds) on one thread, and flatten its trees into arrays."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    estimator = HistGradientBoostingClassifier if classifier else HistGradientBoostingRegressor
    booster = estimator(early_stopping=False, random_state=seed, **options)
    with threadpool_limits(limits=1):
        booster.fit(x, y, sample_weight=weight / weight.mean())
    feature, threshold, left, right, value, roots = [], [], [], [], [], []
    offset = 0
    for (predictor,) in booster._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        roots.append(offset)
        feature.append(np.where(leaf, -1, nodes["feature_idx"]).astype(np.int64))
        threshold.append(nodes["num_threshold"].astype(np.float64))
        left.append(np.where(leaf, 0, nodes["left"].astype(np.int64) + offset))
        right.append(np.where(leaf, 0, nodes["right"].astype(np.int64) + offset))
        value.append(np.where(leaf, nodes["value"], 0.0).astype(np.float64))
        offset += len(nodes)
    baseline = float(np.asarray(booster._baseline_prediction).ravel()[0])
    model = TreeEnsemble(
        np.concatenate(feature), np.concatenate(threshold), np.concatenate(left), np.concatenate(right),
        np.concatenate(value), np.asarray(roots, dtype=np.int64), baseline,
    )
    return model
