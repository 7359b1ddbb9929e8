"""The previous claim-stance model, kept as a baseline: Riedel et al. (2017) on FNC-1.

The model follows Riedel et al. (2017), "A simple but tough-to-beat baseline for the Fake News
Challenge stance detection task" (UCL Machine Reading, 3rd in FNC-1): an L2-normalised
term-frequency vector of the headline, one of the body (a shared vocabulary of the most frequent
training terms, stop words removed), and the TF-IDF cosine similarity of the two, fed to a
perceptron with one hidden layer of 100 ReLU units (:mod:`analysis.stance._mlp`).

It was the shipped model until a dev split holding out claims as well as bodies
(:mod:`analysis.stance._split`) showed that it leans on having seen the claim's topic: its
headline and body term vectors memorise topics. :mod:`benchmarks.stance` retrains it on that
split's training part for comparison; the shipped model is :mod:`analysis.stance._twostage`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from .._language import SKLEARN_STOP_WORDS
from ..errors import NewsdeskError
from ._fnc import LABELS
from ._mlp import MlpConfig, MlpParams, mlp_proba, train_mlp

__all__ = [
    "RiedelModel",
    "tokenize",
    "build_vocabulary",
    "idf_weights",
    "pair_features",
    "fit_claim_model",
    "predict_claim_proba",
    "predict_claim_stance",
]

_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern

def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of two or more characters (scikit-learn's default pattern)."""
    return _TOKEN_RE.findall(text.lower())


def build_vocabulary(texts: Iterable[str], *, size: int = 5000) -> list[str]:
    """The ``size`` most frequent non-stop-word terms; ties broken alphabetically so the
    vocabulary is the same on every run and platform."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(t for t in tokenize(text) if t not in SKLEARN_STOP_WORDS)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return sorted(term for term, _ in ranked[:size])


@dataclass(frozen=True)
class RiedelModel:
    """A trained claim-stance model: vocabulary, IDF weights, network, and how it was made."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray
    params: MlpParams
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Term → column."""
        return {t: i for i, t in enumerate(self.vocabulary)}


def _counts(texts: Sequence[str], index: dict[str, int]) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        for col, count in Counter(index[t] for t in tokenize(text) if t in index).items():
            rows.append(r)
            cols.append(col)
            vals.append(count)
    return sp.csr_matrix((np.asarray(vals, np.float32), (rows, cols)), shape=(len(texts), len(index)), dtype=np.float32)


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ m, dtype=np.float32)


def idf_weights(texts: Sequence[str], index: dict[str, int]) -> np.ndarray:
    """Smooth inverse document frequency of each vocabulary term, as scikit-learn computes it:
    ``ln((1 + n) / (1 + df)) + 1``."""
    df = np.asarray((_counts(texts, index) > 0).sum(axis=0)).ravel()
    return (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)


def _distinct(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The distinct texts, and for each input the row of its text among them."""
    distinct = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(distinct)}
    return distinct, [position[t] for t in texts]


def pair_features(
    headlines: Sequence[str], bodies: Sequence[str], *, index: dict[str, int], idf: np.ndarray
) -> sp.csr_matrix:
    """``[tf(headline) | tf(body) | cos(tfidf(headline), tfidf(body))]`` for each pair."""
    # Each distinct text is vectorised once: FNC-1 pairs share bodies ~30 times each, and an
    # article's sentences all face the same headline.
    heads, head_rows = _distinct(headlines)
    distinct, rows = _distinct(bodies)
    head_counts, body_counts = _counts(heads, index), _counts(distinct, index)
    head_tf, body_tf = _l2_rows(head_counts)[head_rows], _l2_rows(body_counts)[rows]
    scale = sp.diags(idf)
    head_tfidf, body_tfidf = _l2_rows(head_counts @ scale)[head_rows], _l2_rows(body_counts @ scale)[rows]
    cosine = np.asarray(head_tfidf.multiply(body_tfidf).sum(axis=1), dtype=np.float32)
    return sp.hstack([head_tf, body_tf, sp.csr_matrix(cosine)], format="csr", dtype=np.float32)


def fit_claim_model(
    headlines: Sequence[str],
    bodies: Sequence[str],
    stances: Sequence[str],
    *,
    vocabulary_size: int = 5000,
    config: MlpConfig = MlpConfig(),
    on_epoch: Callable[[int, RiedelModel], None] | None = None,
) -> RiedelModel:
    """Train the claim-stance model on (headline, body, stance) triples.

    ``on_epoch(epoch, model)`` is called after each epoch (e.g. to follow a dev score).

    The vocabulary and IDF come from the training headlines and the distinct training bodies
    only, never from evaluation text.
    """
    if not (len(headlines) == len(bodies) == len(stances)):
        raise ValueError("headlines, bodies and stances must have the same length")
    unknown = set(stances) - set(LABELS)
    if unknown:
        raise NewsdeskError(f"unknown stance labels {sorted(unknown)}; expected {list(LABELS)}")
    documents = list(dict.fromkeys(headlines)) + list(dict.fromkeys(bodies))
    vocabulary = tuple(build_vocabulary(documents, size=vocabulary_size))
    index = {t: i for i, t in enumerate(vocabulary)}
    idf = idf_weights(documents, index)
    x = pair_features(headlines, bodies, index=index, idf=idf)
    y = np.array([LABELS.index(s) for s in stances])
    callback = None
    if on_epoch is not None:
        callback = lambda epoch, params: on_epoch(epoch, RiedelModel(vocabulary, idf, params))  # noqa: E731
    params = train_mlp(x, y, n_classes=len(LABELS), config=config, on_epoch=callback)
    meta = {
        "method": "Riedel et al. 2017: TF(headline) + TF(body) + TF-IDF cosine -> MLP(100, ReLU)",
        "vocabulary_size": vocabulary_size,
        "mlp": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "n_pairs": len(headlines),
        "n_bodies": len(set(bodies)),
    }
    return RiedelModel(vocabulary, idf, params, LABELS, meta)


def predict_claim_proba(headlines: Sequence[str], bodies: Sequence[str], *, claim_model: RiedelModel) -> np.ndarray:
    """Class probabilities (columns in ``claim_model.labels`` order) for each (headline, body) pair."""
    if len(headlines) != len(bodies):
        raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
    if not headlines:
        return np.zeros((0, len(claim_model.labels)))
    x = pair_features(list(headlines), list(bodies), index=claim_model.index, idf=claim_model.idf)
    return mlp_proba(claim_model.params, x)


def predict_claim_stance(headlines: Sequence[str], bodies: Sequence[str], *, claim_model: RiedelModel) -> list[str]:
    """FNC-1 label (``agree``, ``disagree``, ``discuss``, ``unrelated``) of each (headline, body) pair."""
    proba = predict_claim_proba(headlines, bodies, claim_model=claim_model)
    return [claim_model.labels[i] for i in proba.argmax(axis=1)]
