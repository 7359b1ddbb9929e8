"""Lexical order statistics: counting, antisymmetry, storage, and the committed model on the seed."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEED

from analysis.ordering._features import ArticleFeatures, article_features
from analysis.ordering._lexical import LEXICAL_SENTENCE_FEATURES, LexicalModel, fit_lexical
from analysis.ordering._weights import MODEL_DIR, PairwiseModel
from analysis._seeds import load_article


def _article(*lemma_sets: set[str]) -> ArticleFeatures:
    n = len(lemma_sets)
    return ArticleFeatures(
        sentence=np.zeros((n, 1)),
        pair=np.zeros((n, n, 1)),
        first_words=("x",) * n,
        datelines=(False,) * n,
        lemmas=tuple(frozenset(s) for s in lemma_sets),
    )


@pytest.fixture(scope="module")
def stories() -> tuple[list[ArticleFeatures], list[tuple[int, ...]]]:
    # Three stories, sentences given in file order with their gold order: in each, the report
    # of a death comes before the funeral, and the "say" of a reaction sits in between.
    features = [
        _article({"funeral", "hold"}, {"kill", "crash"}, {"say", "minister"}),
        _article({"kill", "attack"}, {"funeral", "attend"}, {"say", "police"}),
        _article({"say", "witness"}, {"funeral", "church"}, {"kill", "storm"}),
    ]
    orders = [(1, 2, 0), (0, 2, 1), (2, 0, 1)]
    return features, orders


def test_precedence_counts_follow_the_gold_order(stories) -> None:
    model = fit_lexical(*stories, min_count=1, min_df=2, pair_smoothing=1.0)
    pair = [model.lemmas[k] for k in model.pair_index]
    assert pair == ["funeral", "kill", "say"]  # each in >= 2 articles
    table = model.precedence.astype(float)
    kill, funeral, say = pair.index("kill"), pair.index("funeral"), pair.index("say")
    np.testing.assert_allclose(table, -table.T)
    # kill precedes funeral in all three stories (weight 1/2 each): log((1.5 + 1) / (0 + 1))
    assert table[kill, funeral] == pytest.approx(np.log(2.5), rel=1e-6)
    assert table[kill, say] > 0 and table[say, funeral] > 0


def test_position_and_lead_priors(stories) -> None:
    model = fit_lexical(*stories, min_count=1, min_df=2, smoothing=1.0)
    index = {w: k for k, w in enumerate(model.lemmas)}
    assert model.position[index["kill"]] < 0 < model.position[index["funeral"]]  # early vs late
    assert model.lead[index["kill"]] > 0 > model.lead[index["funeral"]]
    columns = model.sentence_columns(stories[0][0])
    assert columns.shape == (3, len(LEXICAL_SENTENCE_FEATURES))
    assert columns[1, 0] < columns[0, 0]  # the "kill" sentence looks earlier than the funeral


def test_pair_column_is_antisymmetric_and_ignores_unknown_words(stories) -> None:
    model = fit_lexical(*stories, min_count=1, min_df=2)
    unseen = _article({"kill"}, {"funeral"}, {"zebra"})
    column = model.pair_column(unseen)
    np.testing.assert_allclose(column, -column.T)
    assert column[0, 1] > 0
    assert column[0, 2] == 0.0 and column[2, 1] == 0.0  # no statistics, no evidence


def test_storage_round_trip(stories) -> None:
    model = fit_lexical(*stories, min_count=1, min_df=2)
    again = LexicalModel.from_arrays(model.lemmas, model.arrays())
    probe = stories[0][1]
    np.testing.assert_array_equal(again.pair_column(probe), model.pair_column(probe))
    np.testing.assert_array_equal(again.sentence_columns(probe), model.sentence_columns(probe))


def test_committed_model_carries_lexical_statistics_used_on_the_seed() -> None:
    model = PairwiseModel.load(MODEL_DIR)
    assert model.lexical is not None and "lexical_precedence" in model.feature_names
    # Learned from news, not stories about the seed: common words only, names left out.
    assert "say" in model.lexical.lemmas and "blinken" not in model.lexical.lemmas
    features = article_features(load_article(SEED))
    column = model.lexical.pair_column(features)
    np.testing.assert_allclose(column, -column.T, atol=1e-6)
    assert np.abs(column).max() > 0  # the seed's words are in the table
    sentence = model.lexical.sentence_columns(features)
    assert np.isfinite(sentence).all() and sentence.shape == (features.sentence.shape[0], 4)
