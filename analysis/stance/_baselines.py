"""Claim-stance methods compared on the FNC-1 dev split, in a registry (name → trainer).

Every trainer takes training (headline, body, stance) triples and returns a predictor
``(headlines, bodies) -> labels``. :mod:`benchmarks.stance` runs them side by side; the package
ships only the best (``two_stage``, see :mod:`analysis.stance._twostage`).

* ``majority``: always the most frequent training label (``unrelated``).
* ``features_gbdt``: the official FNC-1 baseline (github.com/FakeNewsChallenge/fnc-1-baseline):
  44 hand features (word overlap, refuting words, polarity, character and word n-gram hits in
  the whole body and in its first 255 characters) and gradient boosting with 200 trees. The
  official code lemmatises with WordNet; here tokens are only lower-cased (no NLTK).
* ``tfidf_logreg``: the Riedel features (TF of headline and body, TF-IDF cosine) plus the hand
  features, with multinomial logistic regression: a linear model on the same inputs as the MLP.
* ``riedel_mlp``: Riedel et al. (2017), the model shipped before the topic split.
* ``two_stage``: related-or-not, then stance, from topic-independent features (shipped).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from .._language import FNC_BASELINE_STOP_WORDS, REFUTING_WORDS
from .._registry import Registry
from ._riedel import build_vocabulary, fit_claim_model, idf_weights, pair_features, predict_claim_stance
from ._mlp import MlpConfig

__all__ = ["Predictor", "METHODS", "register_method", "get_method", "hand_features"]

Predictor = Callable[[Sequence[str], Sequence[str]], list[str]]
Trainer = Callable[..., Predictor]

#: The trainers by name: the built-ins below and entry points of group ``newsdesk_stance_models``
#: (see :mod:`analysis._registry`).
METHODS: Registry[Trainer] = Registry("stance_models", kind="claim-stance method")
register_method = METHODS.register


def get_method(name: str) -> Trainer:
    """The trainer registered as ``name``.

    Raises:
        UnknownMethodError: no such method; the message lists the known ones.
        PluginLoadError: the entry point of that name failed to load.
    """
    return METHODS.get(name)


_CLEAN_RE = re.compile(r"\W+")


def _clean(text: str) -> str:
    return " ".join(_CLEAN_RE.sub(" ", text.lower()).split())


def _pair_features(headline: str, body: str) -> list[float]:
    head, text = _clean(headline), _clean(body)
    head_tokens, body_tokens = head.split(), text.split()
    head_set, body_set = set(head_tokens), set(body_tokens)
    union = head_set | body_set
    features = [len(head_set & body_set) / len(union) if union else 0.0]
    features += [float(w in head_set) for w in REFUTING_WORDS]
    features += [float(sum(w in s for w in REFUTING_WORDS) % 2) for s in (head_set, body_set)]
    early = text[:255]
    content = [t for t in head_tokens if t not in FNC_BASELINE_STOP_WORDS]
    features += [float(sum(t in body_set for t in head_tokens)), float(sum(t in early for t in head_tokens))]
    features += [float(sum(t in body_set for t in content)), float(sum(t in early for t in content))]
    joined = " ".join(content)
    for size in (2, 4, 8, 16):
        grams = [joined[i : i + size] for i in range(max(len(joined) - size + 1, 0))]
        features += [float(sum(g in text for g in grams)), float(sum(g in early for g in grams))]
    for n in (2, 3, 4, 5, 6):
        grams = [" ".join(head_tokens[i : i + n]) for i in range(max(len(head_tokens) - n + 1, 0))]
        features += [float(sum(g in text for g in grams)), float(sum(g in early for g in grams))]
    return features


def hand_features(headlines: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
    """The official FNC-1 baseline's 44 features for each pair (see module docstring)."""
    return np.array([_pair_features(h, b) for h, b in zip(headlines, bodies)], dtype=np.float64).reshape(len(headlines), -1)


@register_method("majority")
def train_majority(headlines: Sequence[str], bodies: Sequence[str], stances: Sequence[str], *, seed: int = 0) -> Predictor:
    """Predict the most frequent training label for every pair."""
    label = Counter(stances).most_common(1)[0][0]
    return lambda h, b: [label] * len(h)


@register_method("features_gbdt")
def train_features_gbdt(headlines: Sequence[str], bodies: Sequence[str], stances: Sequence[str], *, seed: int = 14128) -> Predictor:
    """The official FNC-1 baseline: hand features + ``GradientBoostingClassifier(n_estimators=200)``."""
    from sklearn.ensemble import GradientBoostingClassifier

    model = GradientBoostingClassifier(n_estimators=200, random_state=seed)
    model.fit(hand_features(headlines, bodies), list(stances))
    return lambda h, b: list(model.predict(hand_features(h, b)))


@register_method("tfidf_logreg")
def train_tfidf_logreg(headlines: Sequence[str], bodies: Sequence[str], stances: Sequence[str], *, seed: int = 0) -> Predictor:
    """Riedel features + hand features, multinomial logistic regression (class-balanced)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    documents = list(dict.fromkeys(headlines)) + list(dict.fromkeys(bodies))
    index = {t: i for i, t in enumerate(build_vocabulary(documents))}
    idf = idf_weights(documents, index)
    scaler = StandardScaler().fit(hand_features(headlines, bodies))

    def design(h: Sequence[str], b: Sequence[str]) -> sp.csr_matrix:
        dense = scaler.transform(hand_features(h, b))
        return sp.hstack([pair_features(h, b, index=index, idf=idf), sp.csr_matrix(dense)], format="csr")

    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced", random_state=seed)
    model.fit(design(headlines, bodies), list(stances))
    return lambda h, b: list(model.predict(design(h, b)))


@register_method("riedel_mlp")
def train_riedel_mlp(headlines: Sequence[str], bodies: Sequence[str], stances: Sequence[str], *, seed: int = MlpConfig.seed) -> Predictor:
    """Riedel et al. (2017): TF + TF-IDF cosine → MLP(100); see :mod:`analysis.stance._riedel`."""
    model = fit_claim_model(headlines, bodies, stances, config=MlpConfig(seed=seed))
    return lambda h, b: predict_claim_stance(h, b, claim_model=model)




@register_method("two_stage")
def train_two_stage(
    headlines: Sequence[str], bodies: Sequence[str], stances: Sequence[str], *, topics: Sequence[int], seed: int = 0
) -> Predictor:
    """The shipped model (:mod:`analysis.stance._twostage`); ``topics`` group the inner cross-validation."""
    from ._twostage import TwoStageConfig, fit_two_stage, two_stage_labels

    model = fit_two_stage(headlines, bodies, stances, topics, config=TwoStageConfig(seed=seed))
    predictor = lambda h, b: two_stage_labels(model, h, b)  # noqa: E731
    predictor.model = model  # type: ignore[attr-defined]
    return predictor
