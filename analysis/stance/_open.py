"""Similarity of a claim and a body that does not need the claim's words in the training vocabulary.

An analyst's claims are about new things: a new name, a new animal, a new place. In the TF-IDF
space fitted on training text those words have no column, so the space's cosines and overlaps
see a new claim as sharing little with its own body (on the FNC-1 split that holds out claims
and bodies, 80 % of dev headlines hold a word seen in at most three training texts, against a
third of the headlines of a held-out third of the training data). Here every word of the claim and the body
counts: a word of the training vocabulary weighs its training IDF, and a word the training text
never had (or had in one text) weighs the IDF of a word seen in no document, the largest there
is. Nothing is fitted on the text being scored: the weights come from training counts alone,
and an unseen word's column exists only for the duration of the call, as a hashing trick would.

The columns (:data:`OPEN_NAMES`): cosines of the sublinear TF × IDF vectors (whole body, best
sentence, mean of the best three), the IDF-weighted share of the claim's words found in the
body, the share of its rare words (seen in at most :data:`RARE_DF` training texts, or never)
found in the body and whether it has any, the share of its words within the window of a
negation or of a refuting word anywhere in the body and (summed over them) in the three
sentences most similar to it, and the largest share of its words in one sentence.
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["OPEN_NAMES", "RARE_DF", "OpenStack", "open_stack", "open_row"]

OPEN_NAMES: tuple[str, ...] = (
    "open_cos_body", "open_cos_max", "open_cos_top3", "open_weighted_in_body", "open_rare_in_body", "open_has_rare",
    "open_negated_in_body", "open_refuted_in_body", "open_negated_in_top3", "open_refuted_in_top3", "open_best_sentence",
)
#: A word seen in at most this many training texts (or never) is rare.
RARE_DF = 3
TOP_K = 3


class OpenStack(NamedTuple):
    """Claim-by-sentence and claim-by-body arrays of one stack of bodies (columns: the claims)."""

    s_cos: np.ndarray  # (N, m) cosine of each sentence with each claim
    s_hits: np.ndarray  # (N, m) share of the claim's words in the sentence
    s_negated: np.ndarray  # (N, m) share of the claim's words near a negation in the sentence
    s_refuted: np.ndarray  # (N, m) ... near a refuting word
    b_cos: np.ndarray  # (B, m)
    b_weighted: np.ndarray  # (B, m) IDF-weighted share of the claim's words in the body
    b_rare: np.ndarray  # (B, m) share of the claim's rare words in the body
    b_negated: np.ndarray  # (B, m) share of the claim's words near a negation anywhere in the body
    b_refuted: np.ndarray  # (B, m)
    has_rare: np.ndarray  # (m,)


class _Rows:
    """CSR rows built straight from word ids: one matrix, one product, for all of a stack's rows."""

    def __init__(self) -> None:
        self.indptr, self.indices, self.data = [0], [], []

    def add(self, cols: Sequence[int], values: Sequence[float]) -> None:
        self.indices.extend(cols)
        self.data.extend(values)
        self.indptr.append(len(self.indices))

    def matrix(self, width: int) -> sp.csr_matrix:
        return sp.csr_matrix(
            (np.asarray(self.data, np.float64), np.asarray(self.indices, np.int32), np.asarray(self.indptr, np.int32)),
            shape=(len(self.indptr) - 1, width),
        )


def _tfidf_row(ids: Sequence[int], weights: np.ndarray) -> tuple[list[int], list[float]]:
    counts: dict[int, int] = {}
    for k in ids:
        counts[k] = counts.get(k, 0) + 1
    cols = sorted(counts)
    values = [(1.0 + math.log(counts[c])) * weights[c] for c in cols]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return cols, [v / norm for v in values]


def open_stack(
    claims: Sequence[Sequence[str]],
    sentences: Sequence[Sequence[str]],
    negated: Sequence[Sequence[str]],
    refuted: Sequence[Sequence[str]],
    starts: Sequence[int],
    *,
    vocabulary_index: dict[str, int],
    idf: np.ndarray,
    n_documents: int,
) -> OpenStack:
    """Arrays for ``claims`` (content words of each) against a stack of bodies.

    Args:
        claims: each claim's content words.
        sentences: each sentence's content words; body ``b`` is rows ``starts[b]:starts[b + 1]``.
        negated, refuted: each sentence's words within the window of a negation / refuting word.
        vocabulary_index, idf: the training vocabulary and its IDF.
        n_documents: how many training texts the IDF was counted on.
    """
    unseen = math.log(1.0 + n_documents) + 1.0  # the IDF of a word found in no document
    rare_idf = math.log((1.0 + n_documents) / (1.0 + RARE_DF)) + 1.0 - 1e-6
    local: dict[str, int] = {}
    for words in (*claims, *sentences):
        for w in words:
            if w not in local:
                local[w] = len(local)
    weights = np.full(len(local), unseen)
    for w, k in local.items():
        v = vocabulary_index.get(w)
        if v is not None:
            weights[k] = idf[v]
    rare = weights >= rare_idf
    w_list = weights.tolist()

    # A sentence stands in a stack twice (in its body and as a body of its own) as the same
    # object: its ids are computed once.
    memo: dict[int, tuple] = {}

    def ids_of(i: int) -> tuple:
        key = id(sentences[i])
        if key not in memo:
            ids = [local[w] for w in sentences[i]]
            near_n = {local[w] for w in negated[i] if w in local}
            near_r = {local[w] for w in refuted[i] if w in local}
            memo[key] = (ids, sorted(set(ids)), sorted(near_n), sorted(near_r), _tfidf_row(ids, w_list))
        return memo[key]

    n, n_bodies = len(sentences), len(starts) - 1
    # One CSR of row blocks: sentence TF-IDF, words, near-negation, near-refute (n rows each),
    # then the same for each body (its words and windows the union of its sentences').
    rows = _Rows()
    per_sentence = [ids_of(i) for i in range(n)]
    for item in per_sentence:
        rows.add(*item[4])
    for part in (1, 2, 3):
        for item in per_sentence:
            rows.add(item[part], [1.0] * len(item[part]))
    bodies = [per_sentence[starts[b] : starts[b + 1]] for b in range(n_bodies)]
    for mine in bodies:
        rows.add(*_tfidf_row([k for item in mine for k in item[0]], w_list))
    for part in (1, 2, 3):
        for mine in bodies:
            union = sorted({k for item in mine for k in item[part]})
            rows.add(union, [1.0] * len(union))

    # Claim columns: TF-IDF, words, IDF-weighted words, rare words (m each).
    m = len(claims)
    columns = _Rows()
    claim_ids = [[local[w] for w in words] for words in claims]
    for ids in claim_ids:
        columns.add(*_tfidf_row(ids, w_list))
    present = [sorted(set(ids)) for ids in claim_ids]
    for cols in present:
        columns.add(cols, [1.0] * len(cols))
    for cols in present:
        columns.add(cols, [w_list[c] for c in cols])
    for cols in present:
        keep = [c for c in cols if rare[c]]
        columns.add(keep, [1.0] * len(keep))
    product = np.asarray((rows.matrix(len(local)) @ columns.matrix(len(local)).T).todense(), dtype=np.float64)  # (4n + 4B, 4m)
    n_words = np.maximum(np.array([len(c) for c in present], np.float64), 1.0)
    total_weight = np.maximum(np.array([sum(w_list[c] for c in cols) for cols in present], np.float64), 1e-9)
    n_rare = np.array([sum(bool(rare[c]) for c in cols) for cols in present], np.float64)
    s, bo = 0, 4 * n
    tf, words_, weighted, rare_ = slice(0, m), slice(m, 2 * m), slice(2 * m, 3 * m), slice(3 * m, 4 * m)
    return OpenStack(
        s_cos=product[s : s + n, tf],
        s_hits=product[s + n : s + 2 * n, words_] / n_words,
        s_negated=product[s + 2 * n : s + 3 * n, words_] / n_words,
        s_refuted=product[s + 3 * n : s + 4 * n, words_] / n_words,
        b_cos=product[bo : bo + n_bodies, tf],
        b_weighted=product[bo + n_bodies : bo + 2 * n_bodies, weighted] / total_weight,
        b_rare=product[bo + n_bodies : bo + 2 * n_bodies, rare_] / np.maximum(n_rare, 1.0),
        b_negated=product[bo + 2 * n_bodies : bo + 3 * n_bodies, words_] / n_words,
        b_refuted=product[bo + 3 * n_bodies : bo + 4 * n_bodies, words_] / n_words,
        has_rare=(n_rare > 0).astype(np.float64),
    )


def open_row(stack: OpenStack, body: int, lo: int, hi: int, column: int) -> list[float]:
    """The :data:`OPEN_NAMES` values of one (claim ``column``, body ``body``) pair."""
    cos = stack.s_cos[lo:hi, column]
    top = np.argsort(-cos, kind="stable")[:TOP_K]
    return [
        stack.b_cos[body, column], cos[top[0]], cos[top].mean(), stack.b_weighted[body, column], stack.b_rare[body, column],
        stack.has_rare[column], stack.b_negated[body, column], stack.b_refuted[body, column],
        stack.s_negated[lo:hi, column][top].sum(), stack.s_refuted[lo:hi, column][top].sum(), stack.s_hits[lo:hi, column].max(),
    ]
