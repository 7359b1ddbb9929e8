"""The learned default: a pairwise "A before B" logistic regression, decoded globally.

Following Lapata (2003) and Cohen, Schapire & Singer (1999), a classifier learns from news in
its original order the probability that sentence ``i`` precedes sentence ``j`` from the cues of
:mod:`analysis.reorder.features`; :mod:`analysis.reorder.decode` then finds the order that
maximises ``sum(log P(i before j) for i placed before j)``, exactly for short articles.

The model is antisymmetric by construction: its input is ``s(i) - s(j)`` (sentence features plus
a one-hot of the first word over a vocabulary learned in training) and ``g(i, j) - g(j, i)``
(pair features), with no intercept, so ``P(i before j) = 1 - P(j before i)``. Weights are
stored as ``npz`` (arrays) plus ``json`` (names, vocabulary, provenance): no pickle.
"""

from __future__ import annotations

import functools
import hashlib
import json

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..errors import ModelNotFoundError
from ..seeds import Article
from .base import Ordering, OrderingMethod, ordering_from_probabilities, register
from .decode import EXACT_LIMIT, decode
from .features import PAIR_FEATURES, SENTENCE_FEATURES, ArticleFeatures, article_features

__all__ = ["MODEL_DIR", "PairwiseModel", "PairwiseOrdering", "fit_model", "pair_probabilities"]

#: Where the committed default weights live.
MODEL_DIR = Path(__file__).resolve().parent / "model"
_STEM = "pairwise"
_OOV = "<other>"


@dataclass(frozen=True)
class PairwiseModel:
    """Weights of the pairwise model.

    Attributes:
        vocabulary: first words with their own one-hot column (others share ``<other>``).
        scale: per-column divisor applied before the weights (feature spread in training).
        coef: logistic-regression weights, sentence columns then pair columns.
        info: provenance (training corpora, article counts, seed, C, versions).
    """

    vocabulary: tuple[str, ...]
    scale: np.ndarray
    coef: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def feature_names(self) -> tuple[str, ...]:
        """Column names: sentence features, ``first=<word>`` columns, then pair features."""
        return SENTENCE_FEATURES + tuple(f"first={w}" for w in self.vocabulary + (_OOV,)) + PAIR_FEATURES

    def save(self, directory: str | Path) -> tuple[Path, Path]:
        """Write ``pairwise.npz`` and ``pairwise.json`` into ``directory``; return their paths.

        The npz is written without compression timestamps issues: arrays only, so two trainings
        with the same seed give byte-identical files.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        npz, meta = directory / f"{_STEM}.npz", directory / f"{_STEM}.json"
        # np.savez writes zip entries with a fixed date, so the bytes depend on the arrays only.
        with npz.open("wb") as handle:
            np.savez(handle, scale=self.scale, coef=self.coef)
        payload = {"vocabulary": list(self.vocabulary), "feature_names": list(self.feature_names), "info": self.info}
        meta.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return npz, meta

    @classmethod
    def load(cls, directory: str | Path = MODEL_DIR) -> "PairwiseModel":
        """Read weights written by :meth:`save`.

        Raises:
            ModelNotFoundError: the files are missing or do not match this code's features.
        """
        directory = Path(directory)
        npz, meta = directory / f"{_STEM}.npz", directory / f"{_STEM}.json"
        if not npz.is_file() or not meta.is_file():
            raise ModelNotFoundError(
                f"no pairwise ordering model in {directory} (expected {npz.name} and {meta.name}); "
                "train one with `python -m analysis.reorder train`"
            )
        payload = json.loads(meta.read_text(encoding="utf-8"))
        with np.load(npz, allow_pickle=False) as arrays:
            model = cls(tuple(payload["vocabulary"]), arrays["scale"], arrays["coef"], payload.get("info", {}))
        if list(model.feature_names) != payload["feature_names"] or model.coef.shape != (len(model.feature_names),):
            raise ModelNotFoundError(
                f"the ordering model in {directory} was trained on other features than this code computes; "
                "retrain it with `python -m analysis.reorder train`"
            )
        return model

    def sentence_matrix(self, features: ArticleFeatures) -> np.ndarray:
        """Sentence features with the first-word one-hot appended, shape (n, d_sentence)."""
        index = {w: k for k, w in enumerate(self.vocabulary)}
        onehot = np.zeros((len(features.first_words), len(self.vocabulary) + 1))
        for row, word in enumerate(features.first_words):
            onehot[row, index.get(word, len(self.vocabulary))] = 1.0
        return np.hstack([features.sentence, onehot])

    def logits(self, features: ArticleFeatures) -> np.ndarray:
        """``Z[i, j]``: log-odds that sentence ``i`` precedes sentence ``j`` (antisymmetric)."""
        weights = self.coef / self.scale
        sentence = self.sentence_matrix(features)
        d = sentence.shape[1]
        u = sentence @ weights[:d]
        v = features.pair @ weights[d:]
        return (u[:, None] - u[None, :]) + (v - v.T)


def pair_probabilities(model: PairwiseModel, features: ArticleFeatures) -> np.ndarray:
    """``P[i, j]``: the model's probability that sentence ``i`` precedes sentence ``j``."""
    z = model.logits(features)
    probabilities = 1.0 / (1.0 + np.exp(-z))
    np.fill_diagonal(probabilities, 0.5)
    return probabilities


def _pair_rows(model_vocab: tuple[str, ...], features: ArticleFeatures, order: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    probe = PairwiseModel(model_vocab, np.ones(1), np.zeros(1))
    sentence = probe.sentence_matrix(features)
    n = sentence.shape[0]
    rank = np.empty(n, dtype=int)
    rank[np.asarray(order, dtype=int)] = np.arange(n)
    i, j = np.where(~np.eye(n, dtype=bool))
    x = np.hstack([sentence[i] - sentence[j], features.pair[i, j] - features.pair[j, i]])
    return x, (rank[i] < rank[j]).astype(int)


def fit_model(
    features: Sequence[ArticleFeatures],
    orders: Sequence[Sequence[int]],
    *,
    C: float = 0.5,
    min_first_word_count: int = 8,
    seed: int = 0,
    info: dict[str, Any] | None = None,
) -> PairwiseModel:
    """Fit the pairwise logistic regression on articles with known orders.

    Every ordered pair of distinct sentences is one example; an article's pairs are weighted by
    ``1 / (n - 1)`` so that long articles (with quadratically many pairs) do not drown short ones.

    Args:
        features: one :class:`ArticleFeatures` per article.
        orders: the gold order of each article (indices into its sentences).
        C: inverse L2 regularisation strength.
        min_first_word_count: a first word gets its own column when it opens at least this many
            training sentences.
        seed: ``random_state`` of the solver (lbfgs is deterministic; kept for provenance).
        info: extra provenance stored with the weights.
    """
    counts = Counter(w for f in features for w in f.first_words)
    vocabulary = tuple(sorted(w for w, c in counts.items() if c >= min_first_word_count and w))
    xs, ys, ws = [], [], []
    for feats, order in zip(features, orders, strict=True):
        n = len(order)
        if n < 2:
            continue
        x, y = _pair_rows(vocabulary, feats, order)
        xs.append(x)
        ys.append(y)
        ws.append(np.full(len(y), 1.0 / (n - 1)))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    # Differences are symmetric around 0, so scale only (centring would break antisymmetry).
    scale = np.sqrt((x**2).mean(axis=0))
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, fit_intercept=False, max_iter=2000, random_state=seed)
    clf.fit(x / scale, y, sample_weight=w / w.mean())
    provenance = {
        "C": C,
        "min_first_word_count": min_first_word_count,
        "seed": seed,
        "n_articles": len(features),
        "n_pairs": int(len(y)),
        **(info or {}),
    }
    return PairwiseModel(vocabulary, scale, clf.coef_.ravel().astype(np.float64), provenance)


@functools.lru_cache(maxsize=4096)
def _features(article: Article, spacy_model: str | None) -> ArticleFeatures:
    # Articles are frozen and hashable: cross-validation reuses features across folds.
    return article_features(article, model=spacy_model)


@register("pairwise")
class PairwiseOrdering(OrderingMethod):
    """The learned default: pairwise precedence probabilities decoded into the best global order.

    Without :meth:`fit`, the committed weights (``analysis/reorder/model/``) are loaded on first use.

    Args:
        model_dir: where to load weights from when not fitted.
        exact_limit: articles up to this many sentences are decoded exactly.
        C, min_first_word_count, seed: training options (see :func:`fit_model`).
        spacy_model: spaCy pipeline for annotation (default: :func:`analysis.nlp.resolve_model`).
    """

    def __init__(
        self,
        *,
        model_dir: str | Path | None = None,
        exact_limit: int = EXACT_LIMIT,
        C: float = 0.5,
        min_first_word_count: int = 8,
        seed: int = 0,
        spacy_model: str | None = None,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else MODEL_DIR
        self.exact_limit = exact_limit
        self.C = C
        self.min_first_word_count = min_first_word_count
        self.seed = seed
        self.spacy_model = spacy_model
        self.model_: PairwiseModel | None = None

    @property
    def model(self) -> PairwiseModel:
        """The fitted or loaded weights."""
        if self.model_ is None:
            self.model_ = PairwiseModel.load(self.model_dir)
        return self.model_

    def fit(self, articles: Sequence[Article], orders: Sequence[Sequence[int]], *, info: dict[str, Any] | None = None) -> "PairwiseOrdering":
        """Learn the weights from articles with known orders."""
        features = [_features(a, self.spacy_model) for a in articles]
        self.model_ = fit_model(
            features, orders, C=self.C, min_first_word_count=self.min_first_word_count, seed=self.seed, info=info
        )
        return self

    def predict_features(self, features: ArticleFeatures) -> Ordering:
        """Decode an article whose features are already computed."""
        before = pair_probabilities(self.model, features)
        # Clip so that log never sees 0: one confident pair must not veto a whole order.
        weights = np.log(np.clip(before, 1e-6, 1.0))
        np.fill_diagonal(weights, 0.0)
        order = decode(weights, exact_limit=self.exact_limit)
        return ordering_from_probabilities(order, before, self.name)

    def predict(self, article: Article) -> Ordering:
        """The most probable order of ``article``'s sentences under the pairwise model."""
        if article.n_sentences == 1:
            return Ordering((0,), (), 1.0, self.name)
        return self.predict_features(_features(article, self.spacy_model))


def weights_digest(directory: str | Path = MODEL_DIR) -> str:
    """sha256 over the committed weight files (to compare two trainings)."""
    digest = hashlib.sha256()
    for name in (f"{_STEM}.npz", f"{_STEM}.json"):
        digest.update((Path(directory) / name).read_bytes())
    return digest.hexdigest()


