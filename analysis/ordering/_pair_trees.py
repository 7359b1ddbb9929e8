"""The pair trees over every ordered pair of an article, without building the pair rows.

The precedence trees read a pair ``(i, j)`` as its styled difference row (sentence columns
``s(i) - s(j)``, pair columns ``g(i, j) - g(j, i)``, the lexical precedence ``L[i, j]``, then the
same times the wire flag; see :meth:`~analysis.ordering._weights.PairwiseModel.pair_rows`) and
are averaged over both signs, ``(f(x) - f(-x)) / 2``. Of those ~300 columns the trees split on
a few hundred distinct ``(column, threshold)`` pairs, so only those splits are evaluated, straight
from the sentence, pair and lexical matrices (:mod:`analysis.ordering._trees`). The wire half of a
row is the shared half times 0 or 1: for web news its splits are known in advance (the value is
0), for wire copy they are the shared half's splits; a :class:`SplitPlan` per case says which
splits remain.

The negated row of ``(i, j)`` equals the row of ``(j, i)`` exactly in every difference column
(floating-point subtraction is antisymmetric), so ``f(-x_ij) = f(x_ji)`` whenever the lexical
column, which is antisymmetric only up to rounding, falls on the same side of every split: the
trees are evaluated once per ordered pair, and again only for the rare pairs where it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._position import TreeEnsemble
from ._trees import CompiledTrees

__all__ = ["SplitPlan", "split_plan", "pair_tree_logits"]

#: Pairs per block of split values (bounds the memory of long articles).
_BLOCK = 4096


@dataclass(frozen=True)
class SplitPlan:
    """The splits to evaluate for one value of the wire flag.

    Attributes:
        columns: the unstyled row columns read, sorted.
        column_of: per split, its column's index in ``columns``; ``threshold`` per split.
        codes: sparse (n_trees, n_splits) code matrix over these splits; ``offset`` per tree,
            the code bits of the splits whose outcome the wire flag fixes.
        lexical: per split, whether it reads the lexical column.
    """

    columns: np.ndarray
    column_of: np.ndarray
    threshold: np.ndarray
    codes: sp.csr_matrix
    offset: np.ndarray
    lexical: np.ndarray


def split_plan(compiled: CompiledTrees, half: int, lexical_column: int | None, wire: float) -> SplitPlan:
    """The :class:`SplitPlan` of ``compiled`` trees over rows of ``2 * half`` styled columns
    (the lexical column, if any, at ``lexical_column``), for ``wire`` 0.0 or 1.0."""
    if wire not in (0.0, 1.0):
        raise ValueError(f"the wire flag is 0 or 1, not {wire}")
    styled = compiled.feature >= half
    column = np.where(styled, compiled.feature - half, compiled.feature)
    n_trees, n_splits = compiled.codes.shape
    offset = np.zeros(n_trees, dtype=np.float32)
    if wire == 0.0:
        # 0 * x is 0 (NaN * 0 is read as 0 too): the styled splits are all "0 <= threshold".
        known = (0.0 <= compiled.threshold) & styled
        offset = np.asarray(compiled.codes @ known.astype(np.float32), dtype=np.float32).ravel()
        kept = np.flatnonzero(~styled)
        merge = sp.csr_matrix((np.ones(len(kept), dtype=np.float32), (kept, np.arange(len(kept)))), shape=(n_splits, len(kept)))
        keys = list(zip(column[kept].tolist(), compiled.threshold[kept].tolist()))
    else:
        # 1 * x is x: a styled split is the shared split on the same column and threshold.
        keys = sorted(set(zip(column.tolist(), compiled.threshold.tolist())))
        row = {key: r for r, key in enumerate(keys)}
        target = [row[key] for key in zip(column.tolist(), compiled.threshold.tolist())]
        merge = sp.csr_matrix((np.ones(n_splits, dtype=np.float32), (np.arange(n_splits), target)), shape=(n_splits, len(keys)))
    codes = sp.csr_matrix(compiled.codes @ merge, dtype=np.float32)
    split_columns = np.asarray([c for c, _ in keys], dtype=np.intp)
    columns, column_of = np.unique(split_columns, return_inverse=True)
    return SplitPlan(
        columns,
        column_of.astype(np.intp),
        np.asarray([t for _, t in keys], dtype=np.float64),
        codes,
        offset,
        split_columns == (-1 if lexical_column is None else lexical_column),
    )


def _column_values(
    columns: np.ndarray, d: int, sentence: np.ndarray, pair: np.ndarray, lexical: np.ndarray | None
) -> np.ndarray:
    """Unstyled column ``columns[c]`` (sorted) of the row of every pair ``(i, j)``, the diagonal
    included: shape (C, n * n), pairs in row-major order."""
    n = sentence.shape[0]
    values = np.empty((len(columns), n, n))
    n_sentence, n_pair = np.searchsorted(columns, [d, d + pair.shape[2]])
    cols = sentence.T[columns[:n_sentence]]
    np.subtract(cols[:, :, None], cols[:, None, :], out=values[:n_sentence])
    cols = pair.transpose(2, 0, 1)[columns[n_sentence:n_pair] - d]
    np.subtract(cols, cols.transpose(0, 2, 1), out=values[n_sentence:n_pair])
    if n_pair < len(columns):
        values[n_pair:] = lexical
    values = values.reshape(len(columns), n * n)
    if not np.isfinite(values).all():
        values = np.nan_to_num(values)
    return values


def _splits(plan: SplitPlan, values: np.ndarray) -> np.ndarray:
    """Outcome of every split of ``plan`` for every pair, shape (n_splits, n_pairs)."""
    out = np.empty((len(plan.threshold), values.shape[1]), dtype=bool)
    threshold = plan.threshold[:, None]
    for start in range(0, values.shape[1], _BLOCK):
        block = slice(start, start + _BLOCK)
        np.less_equal(values[:, block].take(plan.column_of, axis=0), threshold, out=out[:, block])
    return out


def pair_tree_logits(
    trees: TreeEnsemble,
    plan: SplitPlan,
    sentence: np.ndarray,
    pair: np.ndarray,
    lexical: np.ndarray | None,
) -> np.ndarray:
    """``T[i, j] = (f(x_ij) - f(-x_ij)) / 2`` (0 on the diagonal), ``f`` the trees' log-odds
    and ``x_ij`` the styled difference row of the pair, with the splits of ``plan``."""
    compiled = trees.compiled
    n, d = sentence.shape
    # The diagonal rides along (its rows are all zero) and is dropped at the end.
    values = _column_values(plan.columns, d, sentence, pair, lexical)
    forward = _splits(plan, values)
    leaves = compiled.leaves(forward, plan.codes, plan.offset)
    scores = trees.predict_leaves(leaves).reshape(n, n)
    # -x <= t exactly when x >= -t: the lexical splits of the negated rows, against those of
    # the swapped pairs.
    lexical_splits = np.flatnonzero(plan.lexical)
    backward_lexical = values.take(plan.column_of[lexical_splits], axis=0) >= -plan.threshold[lexical_splits, None]
    swapped = np.arange(n * n).reshape(n, n).T.ravel()
    differ = (backward_lexical != forward[lexical_splits][:, swapped]).any(axis=0)
    if differ.any():
        backward = forward[:, swapped]
        backward[lexical_splits] = backward_lexical
        back_leaves = leaves[:, swapped]
        back_leaves[:, differ] = compiled.leaves(backward[:, differ], plan.codes, plan.offset)
        negated = trees.predict_leaves(back_leaves).reshape(n, n)
    else:
        negated = scores.T
    out = (scores - negated) / 2
    np.fill_diagonal(out, 0.0)
    return out
