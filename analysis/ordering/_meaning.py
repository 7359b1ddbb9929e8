"""Sentence-meaning cues from word vectors: how close a sentence's meaning is to the headline,
to the rest of the article, and to a sentence that may hold its antecedent.

Each sentence is the SIF-weighted mean of its words' GloVe vectors
(:mod:`analysis.ordering._vectors`); similarities are cosines of those means. Word overlap
(the ``title_overlap``, ``centrality`` and antecedent cues of
:mod:`analysis.ordering._features`) misses paraphrase: "talks" and "negotiations", "killed"
and "died"; the vectors catch it. The sentence's own vector, centred on the article's mean
(what this sentence says beyond the story's topic: a quote, a figure, background), is given
as :data:`VECTOR_DIMS` columns so that the models can learn which kinds of content come early.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._tokens import TokenTable
from ._vectors import load_vectors

__all__ = ["MEANING_SENTENCE_FEATURES", "MEANING_PAIR_FEATURES", "VECTOR_DIMS", "meaning_features", "table_words"]

#: Dimensions of the centred sentence vector given as columns.
VECTOR_DIMS = 50
MEANING_SENTENCE_FEATURES: tuple[str, ...] = ("vec_title", "vec_centrality", "vec_nearest") + tuple(
    f"vec_{k}" for k in range(VECTOR_DIMS)
)
#: ``vec_antecedent[i, j]``: cosine of ``i`` and ``j`` when ``j`` opens with a word that needs
#: an antecedent (pronoun, connective, "The"), else 0.
MEANING_PAIR_FEATURES: tuple[str, ...] = ("vec_antecedent",)


def table_words(table: TokenTable) -> list[str]:
    """The lowercased words of a sentence (punctuation and spaces left out)."""
    return [w for w, punct in zip(table.lower, table.punct) if not punct and w.strip()]


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)


def meaning_features(
    sentences: Sequence[TokenTable], title: TokenTable, needs_antecedent: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence columns (n, len(MEANING_SENTENCE_FEATURES)) and pair columns
    (n, n, len(MEANING_PAIR_FEATURES)) of an article's sentences.

    Args:
        sentences: token tables of the body sentences (datelines stripped).
        title: token table of the headline.
        needs_antecedent: (n,) 1.0 where a sentence opens with a pronoun, connective or "The".
    """
    n = len(sentences)
    vectors = load_vectors().sentence_vectors([table_words(t) for t in sentences] + [table_words(title)])
    unit = _unit(vectors)
    body, head = unit[:n], unit[n]
    cosine = body @ body.T
    others = cosine.copy()
    np.fill_diagonal(others, 0.0)
    centrality = others.sum(axis=1) / max(1, n - 1)
    np.fill_diagonal(others, -1.0)
    nearest = others.max(axis=1) if n > 1 else np.zeros(n)
    centred = _unit(vectors[:n] - vectors[:n].mean(axis=0))
    sentence = np.hstack([(body @ head)[:, None], centrality[:, None], nearest[:, None], centred[:, :VECTOR_DIMS]])
    pair = (cosine * needs_antecedent[None, :])[:, :, None]
    np.einsum("iik->ik", pair)[:] = 0.0
    return sentence, pair
