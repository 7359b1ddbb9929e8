"""The learned default: a pairwise "A before B" logistic regression, decoded globally.

Following Lapata (2003) and Cohen, Schapire & Singer (1999), a classifier learns from news in
its original order the probability that sentence ``i`` precedes sentence ``j`` from the cues of
:mod:`analysis.ordering._features`; a second, pointwise classifier learns the probability that a
sentence is the lead. :mod:`analysis.ordering._decode` then finds the order that maximises
``sum(log P(i before j) for i placed before j) + log P(lead is order[0])``, exactly for short
articles.

The model is antisymmetric by construction: its input is ``s(i) - s(j)`` (sentence features plus
a one-hot of the first word over a vocabulary learned in training) and ``g(i, j) - g(j, i)``
(pair features), with no intercept, so ``P(i before j) = 1 - P(j before i)``. Wire copy and web
news follow different conventions, so every column appears twice: once for all articles and
once more (``wire:``) switched on only in articles whose lead carries a dateline; the model
thus learns a shared part and a wire-specific correction, and applies to news of either kind.
Some columns are themselves learned: the relative position a tree ensemble
(:mod:`analysis.ordering._position`) predicts for the sentence, so that thresholds and
interactions of the cues that a linear model misses still count, and lexical order statistics
(:mod:`analysis.ordering._lexical`: which common words come early, open the story, or precede
others). This module fits them; :mod:`analysis.ordering._weights` holds, stores and applies them.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

from .._seeds import Article
from ._base import Ordering, OrderingMethod, ordering_from_probabilities, register
from ._decode import EXACT_LIMIT, decode
from ._features import PAIR_FEATURES, SENTENCE_FEATURES, ArticleFeatures, article_features
from ._lexical import fit_lexical
from ._position import PositionModel, fit_position, fit_trees, relative_positions
from ._weights import (
    MODEL_DIR,
    PairwiseModel,
    is_wire,
    styled_columns,
    lead_log_probabilities,
    pair_probabilities,
    weights_digest,
)

__all__ = [
    "MODEL_DIR",
    "REORDER_MODEL_ENV",
    "PairwiseModel",
    "PairwiseOrdering",
    "fit_model",
    "lead_log_probabilities",
    "pair_probabilities",
    "weights_digest",
]

#: Trees of the pairwise ensemble: a classifier over ~260,000 difference rows (both directions).
PAIR_TREE_OPTIONS = dict(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=200, l2_regularization=1.0)
#: Environment variable naming a model directory to use instead of the committed one (e.g. one
#: retrained with an analyst's gold orders: ``python -m analysis train reorder --gold ... --out DIR``).
REORDER_MODEL_ENV = "NEWSDESK_REORDER_MODEL"
#: Inner folds (by article) giving the out-of-fold positions the pairwise model trains on.
POSITION_FOLDS = 5


def _pair_rows(
    probe: PairwiseModel, features: ArticleFeatures, order: Sequence[int], positions: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    x, i, j = probe.pair_rows(features, positions)
    rank = np.empty(len(order), dtype=int)
    rank[np.asarray(order, dtype=int)] = np.arange(len(order))
    return x, (rank[i] < rank[j]).astype(int)


def _fit_difference_model(x: np.ndarray, y: np.ndarray, w: np.ndarray, *, C: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Fit a logistic regression on difference rows; return (column scale, weights)."""
    from sklearn.linear_model import LogisticRegression  # here: predicting needs NumPy only, and a kernel saves 1.5 s

    # Differences are symmetric around 0, so scale only (centring would break antisymmetry).
    scale = np.sqrt((x**2).mean(axis=0))
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, fit_intercept=False, max_iter=2000, random_state=seed)
    # One BLAS thread: the weights must not depend on how many cores the machine has.
    with threadpool_limits(limits=1):
        clf.fit(x / scale, y, sample_weight=w / w.mean())
    return scale, clf.coef_.ravel().astype(np.float64)


def fit_model(
    features: Sequence[ArticleFeatures],
    orders: Sequence[Sequence[int]],
    *,
    C: float = 0.5,
    min_first_word_count: int = 8,
    min_lemma_articles: int = 0,
    seed: int = 0,
    position_model: bool = True,
    lexical_model: bool = True,
    pair_trees: bool = True,
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
        seed: ``random_state`` of the solvers and the shuffle of the inner folds.
        position_model: also fit the pointwise position model (:mod:`analysis.ordering._position`)
            and give the pairwise model its prediction as a sentence column; the column holds
            out-of-fold predictions (``POSITION_FOLDS`` folds by article) while training.
        lexical_model: also learn lexical order statistics (:mod:`analysis.ordering._lexical`);
            while training, an article's lexical columns come from the statistics of the
            other inner folds.
        pair_trees: also fit gradient-boosted trees on the same pair rows and average their
            log-odds with the logistic regression's (the trees catch interactions of cues).
        info: extra provenance stored with the weights.
    """
    counts = Counter(w for f in features for w in f.first_words)
    vocabulary = tuple(sorted(w for w, c in counts.items() if c >= min_first_word_count and w))
    # A lemma earns a column when it occurs in many articles: frequent enough to generalise,
    # and counted per article so that one long story cannot put its topic words in.
    spread = Counter(lemma for f in features for lemma in set().union(*f.lemmas))
    lexicon = tuple(sorted(w for w, c in spread.items() if c >= min_lemma_articles)) if min_lemma_articles else ()
    xs, ys, ws = [], [], []
    lead_x, lead_y, lead_w = [], [], []
    inner_folds = _inner_folds(len(features), seed)
    lexical, probes = None, [PairwiseModel(vocabulary, *(np.zeros(1),) * 4, {}, lexicon)] * len(features)
    if lexical_model:
        lexical = fit_lexical(features, orders)
        for test in inner_folds:
            rest = sorted(set(range(len(features))) - set(test.tolist()))
            inner = fit_lexical([features[i] for i in rest], [orders[i] for i in rest])
            for i in test:
                probes[i] = replace(probes[i], lexical=inner)
    position, held_out = None, [None] * len(features)
    if position_model:
        position, held_out = _fit_positions(probes, features, orders, inner_folds, seed)
        probes = [replace(p, position=position) for p in probes]
    for probe, feats, order, positions in zip(probes, features, orders, held_out, strict=True):
        n = len(order)
        if n < 2:
            continue
        x, y = _pair_rows(probe, feats, order, positions)
        xs.append(x)
        ys.append(y)
        ws.append(np.full(len(y), 1.0 / (n - 1)))
        # The lead against each other sentence, both ways round: fitting a logistic regression
        # without intercept on these differences fits a conditional logit (McFadden 1974).
        sentence = probe.sentence_matrix(feats, positions)
        others = [k for k in range(n) if k != order[0]]
        diff = sentence[order[0]] - sentence[others]
        diff = styled_columns(diff, is_wire(feats))
        lead_x += [diff, -diff]
        lead_y += [np.ones(n - 1, dtype=int), np.zeros(n - 1, dtype=int)]
        lead_w += [np.full(n - 1, 1.0 / (n - 1))] * 2
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    scale, coef = _fit_difference_model(x, y, w, C=C, seed=seed)
    trees = None
    if pair_trees:
        # Each row also enters negated with the opposite label, so the trees see both
        # directions of every pair; prediction averages f(x) and -f(-x) to stay antisymmetric.
        trees = fit_trees(
            np.vstack([x, -x]), np.concatenate([y, 1 - y]), np.concatenate([w, w]),
            seed=seed, options=PAIR_TREE_OPTIONS, classifier=True,
        )
    # The lead model: each article weighs the same.
    lead_scale, lead_coef = _fit_difference_model(
        np.vstack(lead_x), np.concatenate(lead_y), np.concatenate(lead_w), C=C, seed=seed
    )
    provenance = {
        "C": C,
        "min_first_word_count": min_first_word_count,
        "min_lemma_articles": min_lemma_articles,
        "seed": seed,
        "position_model": position_model,
        "lexical_model": lexical_model,
        "pair_trees": pair_trees,
        "n_articles": len(features),
        "n_pairs": int(sum(len(part) for part in ys)),
        **(info or {}),
    }
    return PairwiseModel(
        vocabulary,
        scale,
        coef,
        lead_scale,
        lead_coef,
        provenance,
        lexicon,
        position,
        lexical,
        trees,
    )


def _inner_folds(n_articles: int, seed: int) -> list[np.ndarray]:
    """``POSITION_FOLDS`` disjoint folds of article indices, shuffled with ``seed``."""
    shuffled = np.random.default_rng(seed).permutation(n_articles)
    return [shuffled[k::POSITION_FOLDS] for k in range(POSITION_FOLDS)]


def _fit_positions(
    probes: Sequence[PairwiseModel],
    features: Sequence[ArticleFeatures],
    orders: Sequence[Sequence[int]],
    folds: Sequence[np.ndarray],
    seed: int,
) -> tuple[PositionModel, list[np.ndarray]]:
    """The position model on every article, and each article's positions predicted by a model
    that did not see it (so the pairwise model learns how far to trust unseen predictions).
    ``probes[i]`` computes article ``i``'s inputs (with its held-out lexical statistics)."""
    inputs = [probe.position_inputs(f) for probe, f in zip(probes, features)]
    targets = [relative_positions(o) for o in orders]
    weights = [np.full(len(o), 1.0 / len(o)) for o in orders]  # each article weighs the same

    def fit(indices: Sequence[int]) -> PositionModel:
        return fit_position(
            np.vstack([inputs[i] for i in indices]),
            np.concatenate([targets[i] for i in indices]),
            np.concatenate([weights[i] for i in indices]),
            seed=seed,
        )

    held_out: list[np.ndarray] = [np.zeros(0)] * len(features)
    for test in folds:
        inner = fit(sorted(set(range(len(features))) - set(test.tolist())))
        for i in test:
            held_out[i] = inner.predict(inputs[i])
    return fit(range(len(features))), held_out


@functools.lru_cache(maxsize=4096)
def _features(article: Article, pipeline: str | None) -> ArticleFeatures:
    # Articles are frozen and hashable: cross-validation reuses features across folds.
    return article_features(article, pipeline=pipeline)


def without(features: ArticleFeatures, drop: Sequence[str]) -> ArticleFeatures:
    """``features`` with the named sentence and pair columns set to 0 (to measure a cue's
    gain: a constant column gets no weight and no tree split)."""
    if not drop:
        return features
    sentence, pair = features.sentence.copy(), features.pair.copy()
    sentence[:, [k for k, name in enumerate(SENTENCE_FEATURES) if name in drop]] = 0.0
    pair[:, :, [k for k, name in enumerate(PAIR_FEATURES) if name in drop]] = 0.0
    return replace(features, sentence=sentence, pair=pair)


@register("pairwise")
class PairwiseOrdering(OrderingMethod):
    """The learned default: pairwise precedence probabilities decoded into the best global order.

    Without :meth:`fit`, the committed weights (``analysis/ordering/model/``) are loaded on first use.

    Args:
        model_dir: where to load weights from when not fitted (default: ``$NEWSDESK_REORDER_MODEL``,
            else the committed ``model/``).
        exact_limit: articles up to this many sentences are decoded exactly.
        C, min_first_word_count, min_lemma_articles, seed, position_model, lexical_model,
        pair_trees: training options (see :func:`fit_model`).
        drop: sentence or pair feature names held at 0 in training and prediction (ablations).
        pipeline: spaCy pipeline for annotation (default: :func:`analysis._nlp.resolve_pipeline`).
    """

    def __init__(
        self,
        *,
        model_dir: str | Path | None = None,
        exact_limit: int = EXACT_LIMIT,
        C: float = 0.5,
        min_first_word_count: int = 8,
        min_lemma_articles: int = 0,
        seed: int = 0,
        position_model: bool = True,
        lexical_model: bool = True,
        pair_trees: bool = True,
        pipeline: str | None = None,
        drop: Sequence[str] = (),
    ) -> None:
        if model_dir is None:
            model_dir = os.environ.get(REORDER_MODEL_ENV) or MODEL_DIR
        self.model_dir = Path(model_dir)
        self.exact_limit = exact_limit
        self.C = C
        self.min_first_word_count = min_first_word_count
        self.min_lemma_articles = min_lemma_articles
        self.seed = seed
        self.position_model = position_model
        self.lexical_model = lexical_model
        self.pair_trees = pair_trees
        self.pipeline = pipeline
        unknown = set(drop) - set(SENTENCE_FEATURES) - set(PAIR_FEATURES)
        if unknown:
            raise ValueError(f"drop: no such feature(s) {sorted(unknown)}")
        self.drop = tuple(drop)
        self.model_: PairwiseModel | None = None

    @property
    def model(self) -> PairwiseModel:
        """The fitted or loaded weights."""
        if self.model_ is None:
            self.model_ = PairwiseModel.load(self.model_dir)
        return self.model_

    def fit(self, articles: Sequence[Article], orders: Sequence[Sequence[int]], *, info: dict[str, Any] | None = None) -> "PairwiseOrdering":
        """Learn the weights from articles with known orders."""
        # One BLAS thread from the first feature on: a multi-threaded matrix product sums in
        # another order, the vector cues move in the 17th digit, and a tree split can flip.
        with threadpool_limits(limits=1):
            features = [without(_features(a, self.pipeline), self.drop) for a in articles]
            self.model_ = fit_model(
                features, orders, C=self.C, min_first_word_count=self.min_first_word_count,
                min_lemma_articles=self.min_lemma_articles, seed=self.seed,
                position_model=self.position_model, lexical_model=self.lexical_model,
                pair_trees=self.pair_trees, info={**(info or {}), **({"drop": list(self.drop)} if self.drop else {})},
            )
        return self

    def predict_features(self, features: ArticleFeatures) -> Ordering:
        """Decode an article whose features are already computed."""
        features = without(features, self.drop)
        # Both models read the same sentence columns (cues, lexical priors, position trees).
        sentence = self.model.sentence_matrix(features)
        before = pair_probabilities(self.model, features, sentence=sentence)
        # Clip so that log never sees 0: one confident pair must not veto a whole order.
        weights = np.log(np.clip(before, 1e-6, 1.0))
        np.fill_diagonal(weights, 0.0)
        lead = lead_log_probabilities(self.model, features, sentence=sentence)
        order = decode(weights, lead, exact_limit=self.exact_limit)
        return ordering_from_probabilities(order, before, self.name)

    def predict(self, article: Article) -> Ordering:
        """The most probable order of ``article``'s sentences under the pairwise model."""
        if article.n_sentences == 1:
            return Ordering((0,), (), 1.0, self.name)
        return self.predict_features(_features(article, self.pipeline))

    def predict_docs(self, article: Article, docs: Sequence[Doc], title_doc: Doc) -> Ordering:
        """:meth:`predict` from Docs already parsed: ``docs`` of the sentences and ``title_doc``
        of the title, as written (nothing is annotated here)."""
        if article.n_sentences == 1:
            return Ordering((0,), (), 1.0, self.name)
        return self.predict_features(article_features(article, docs=docs, title_doc=title_doc))
