"""Lexical order statistics: which words tend to come early, open the story, or precede others.

The cues of :mod:`analysis.ordering._features` describe the *form* of news writing; what a
story's sentences are *about* also has an order. Reports of an event come before reactions to
it, "announce" before "analyst", "crash" before "investigation", "kill" before "funeral".
Lapata (2003, "Probabilistic text structuring: experiments with sentence ordering") learned
such preferences as conditional probabilities between the words of adjacent sentences. Here
they are learned from the training articles in their original order as smoothed counts over
common-word lemmas (names and numbers left out, so that they carry over between stories):

* a **position prior** per lemma: the mean relative position of the sentences it occurs in,
  and the log-odds that such a sentence is the lead, both shrunk towards the corpus average
  (``smoothing`` pseudo-sentences), so that a lemma seen a few times says little;
* a **precedence table** over lemmas that occur in at least ``min_df`` articles:
  ``log((c[a, b] + k) / (c[b, a] + k))`` where ``c[a, b]`` counts sentence pairs (weighted
  ``1 / (n - 1)`` per article) in which a sentence holding ``a`` comes before one holding
  ``b``; it is antisymmetric, so the pair column it yields keeps the pairwise model's
  ``P(i before j) = 1 - P(j before i)``.

A sentence gets four columns (mean and minimum position prior, mean and maximum lead prior of
its lemmas); a pair ``(i, j)`` gets the mean precedence log-odds between their lemmas. The
pairwise model weighs them like any other cue. In training they are computed from statistics
that did not see the article (inner folds), as for the position model.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from ._features import ArticleFeatures

__all__ = [
    "LexicalColumn",
    "LexicalModel",
    "fit_lexical",
    "LEXICAL_COLUMNS",
    "LEXICAL_SENTENCE_FEATURES",
    "LEXICAL_PAIR_FEATURE",
    "LEXICAL_ARRAYS",
]


class LexicalColumn(NamedTuple):
    """One sentence column of the lexical model: its name, the lemma prior it reads
    (``"position"`` or ``"lead"``), and how the priors of a sentence's lemmas are combined:
    ``combine(values, starts)`` gets the priors of all sentences' lemmas one sentence after
    another and where each sentence's run starts, and gives one value per sentence."""

    name: str
    prior: str
    combine: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _mean(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    ends = np.append(starts[1:], len(values))
    return np.asarray([values[a:b].sum() / (b - a) for a, b in zip(starts.tolist(), ends.tolist())])


def _min(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.minimum.reduceat(values, starts)


def _max(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.maximum.reduceat(values, starts)


#: Sentence columns the lexical model adds, in column order (names bound to their values).
LEXICAL_COLUMNS: tuple[LexicalColumn, ...] = (
    LexicalColumn("lexical_position_mean", "position", _mean),
    LexicalColumn("lexical_lead_mean", "lead", _mean),
    LexicalColumn("lexical_position_min", "position", _min),
    LexicalColumn("lexical_lead_max", "lead", _max),
)
#: Their names.
LEXICAL_SENTENCE_FEATURES: tuple[str, ...] = tuple(c.name for c in LEXICAL_COLUMNS)
#: The pair column it adds (already a difference: antisymmetric).
LEXICAL_PAIR_FEATURE = "lexical_precedence"
#: Names of the arrays a :class:`LexicalModel` is stored as (``npz`` keys).
LEXICAL_ARRAYS: tuple[str, ...] = ("lexical_position", "lexical_lead", "lexical_pair_index", "lexical_precedence")


@dataclass(frozen=True)
class LexicalModel:
    """Smoothed order statistics of lemmas.

    Attributes:
        lemmas: lemmas seen in at least ``min_count`` training sentences.
        position: per lemma, smoothed mean relative position minus the corpus mean.
        lead: per lemma, smoothed lead log-odds minus the corpus log-odds.
        pair_index: indices (into ``lemmas``) of the lemmas of the precedence table.
        precedence: (p, p) antisymmetric log-odds that a sentence with lemma ``a`` precedes
            one with lemma ``b``.
    """

    lemmas: tuple[str, ...]
    position: np.ndarray
    lead: np.ndarray
    pair_index: np.ndarray
    precedence: np.ndarray

    @functools.cached_property
    def _index(self) -> dict[str, int]:
        return {lemma: k for k, lemma in enumerate(self.lemmas)}

    @functools.cached_property
    def _precedence64(self) -> np.ndarray:
        return self.precedence.astype(np.float64)

    @functools.cached_property
    def _table_position(self) -> dict[str, int]:
        return {self.lemmas[k]: row for row, k in enumerate(self.pair_index.tolist())}

    def _presence(self, features: ArticleFeatures) -> np.ndarray:
        index = self._index
        presence = np.zeros((len(features.first_words), len(self.lemmas)))
        for row, lemmas in enumerate(features.lemmas):
            for lemma in lemmas:
                if lemma in index:
                    presence[row, index[lemma]] = 1.0
        return presence

    @staticmethod
    def _rows(features: ArticleFeatures, index: dict[str, int]) -> list[np.ndarray]:
        """Per sentence, the sorted positions in ``index`` of its lemmas found there."""
        return [np.asarray(sorted(map(index.__getitem__, index.keys() & lemmas)), dtype=np.intp) for lemmas in features.lemmas]

    def sentence_columns(self, features: ArticleFeatures) -> np.ndarray:
        """The sentence columns (:data:`LEXICAL_COLUMNS`), shape (n, len(LEXICAL_COLUMNS))."""
        rows = self._rows(features, self._index)
        out = np.zeros((len(rows), len(LEXICAL_COLUMNS)))
        sizes = np.asarray([len(r) for r in rows])
        found = np.flatnonzero(sizes)
        if not found.size:
            return out
        # Each row's lemmas in lemma order, as a boolean mask would pick them: the same sums.
        idx = np.concatenate([rows[k] for k in found])
        priors = {"position": self.position[idx], "lead": self.lead[idx]}
        starts = np.concatenate([[0], np.cumsum(sizes[found])[:-1]])
        for k, column in enumerate(LEXICAL_COLUMNS):
            out[found, k] = column.combine(priors[column.prior], starts)
        return out

    def pair_column(self, features: ArticleFeatures) -> np.ndarray:
        """``G[i, j]``: mean precedence log-odds of ``i``'s lemmas before ``j``'s, shape (n, n)."""
        rows = self._rows(features, self._table_position)
        n = len(rows)
        used = np.unique(np.concatenate(rows)) if n else np.zeros(0, dtype=np.intp)
        if not used.size:
            return np.zeros((n, n))
        # Only the article's own lemmas: the products sum the same terms in the same order
        # as over the whole table (absent lemmas add zeros).
        presence = np.zeros((n, used.size))
        for row, idx in enumerate(rows):
            presence[row, np.searchsorted(used, idx)] = 1.0
        norm = np.maximum(presence.sum(axis=1), 1.0)
        table = presence @ self._precedence64[np.ix_(used, used)] @ presence.T
        return table / np.sqrt(norm[:, None] * norm[None, :])

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to store (keys :data:`LEXICAL_ARRAYS`); ``lemmas`` go to the JSON file."""
        return dict(zip(LEXICAL_ARRAYS, (self.position, self.lead, self.pair_index, self.precedence)))

    @classmethod
    def from_arrays(cls, lemmas: Sequence[str], arrays) -> "LexicalModel":
        """Rebuild from :meth:`arrays` and the lemma list (``KeyError`` when an array is missing)."""
        a = [np.asarray(arrays[name]) for name in LEXICAL_ARRAYS]
        return cls(tuple(lemmas), a[0].astype(np.float64), a[1].astype(np.float64), a[2].astype(np.int64), a[3])


def fit_lexical(
    features: Sequence[ArticleFeatures],
    orders: Sequence[Sequence[int]],
    *,
    min_count: int = 5,
    min_df: int = 20,
    smoothing: float = 20.0,
    pair_smoothing: float = 5.0,
) -> LexicalModel:
    """Count the order statistics of the training articles' lemmas.

    Args:
        features: one :class:`ArticleFeatures` per article (its ``lemmas`` are used).
        orders: the gold order of each article.
        min_count: a lemma gets a position prior when it occurs in this many sentences.
        min_df: a lemma enters the precedence table when it occurs in this many articles.
        smoothing: pseudo-sentences at the corpus average added to each lemma's prior.
        pair_smoothing: pseudo-count added to both directions of each precedence count.
    """
    sums: dict[str, np.ndarray] = {}
    df: Counter[str] = Counter()
    for feats, order in zip(features, orders, strict=True):
        n = len(order)
        rank = np.empty(n)
        rank[np.asarray(order, dtype=int)] = np.arange(n)
        for k, lemmas in enumerate(feats.lemmas):
            row = (rank[k] / max(1, n - 1), float(rank[k] == 0), 1.0)
            for lemma in lemmas:
                sums.setdefault(lemma, np.zeros(3))
                sums[lemma] += row
        df.update(set().union(*feats.lemmas) if feats.lemmas else ())
    lemmas = tuple(sorted(w for w, s in sums.items() if s[2] >= min_count))
    counts = np.array([sums[w] for w in lemmas]).reshape(-1, 3)
    # Summed in sorted order: set iteration order varies with Python's hash seed, and the
    # weights must be byte-identical from one training to the next.
    total = np.sum([sums[w] for w in sorted(sums)], axis=0) if sums else np.array([0.0, 0.0, 1.0])
    mean_position, mean_lead = total[0] / total[2], total[1] / total[2]
    position = (counts[:, 0] + smoothing * mean_position) / (counts[:, 2] + smoothing) - mean_position
    lead = (counts[:, 1] + smoothing * mean_lead) / (counts[:, 2] + smoothing)
    lead = np.log(lead / (1 - lead)) - np.log(mean_lead / (1 - mean_lead))

    pair_index = np.asarray([k for k, w in enumerate(lemmas) if df[w] >= min_df], dtype=np.int64)
    probe = LexicalModel(lemmas, position, lead, pair_index, np.zeros((len(pair_index),) * 2))
    before = np.zeros((len(pair_index), len(pair_index)))
    with threadpool_limits(limits=1):  # the same sums in the same order on any machine
        for feats, order in zip(features, orders):
            n = len(order)
            if n < 2:
                continue
            presence = probe._presence(feats)[:, pair_index][np.asarray(order, dtype=int)]
            later = np.triu(np.ones((n, n)), 1) / (n - 1)
            before += presence.T @ later @ presence
    precedence = np.log((before + pair_smoothing) / (before.T + pair_smoothing))
    np.fill_diagonal(precedence, 0.0)
    # float32 halves the stored size; prediction uses exactly the stored values.
    return LexicalModel(lemmas, position, lead, pair_index, precedence.astype(np.float32))
