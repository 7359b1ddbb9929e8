"""Sentence-meaning cues: the committed GloVe table, SIF sentence vectors and the features they give."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SEED

from analysis.ordering._features import PAIR_FEATURES, SENTENCE_FEATURES, article_features
from analysis.ordering._meaning import MEANING_PAIR_FEATURES, MEANING_SENTENCE_FEATURES
from analysis.ordering._pairwise import PairwiseOrdering, without
from analysis.ordering._vectors import TABLE_WORDS, VECTORS_PATH, load_vectors
from analysis._seeds import load_article


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_table_is_committed_small_and_not_pickled() -> None:
    assert VECTORS_PATH.stat().st_size < 6 * 2**20
    with np.load(VECTORS_PATH, allow_pickle=False) as arrays:  # raises if pickled
        assert arrays["vectors"].shape == (TABLE_WORDS, 50)
    table = load_vectors()
    # GloVe lists words by frequency: the most common ones come first and weigh least.
    assert table.index["the"] < table.index["government"] < table.index["negotiations"]
    assert table.weights[table.index["the"]] < 0.05 < 0.9 < table.weights[table.index["negotiations"]]


def test_paraphrases_are_closer_than_other_topics() -> None:
    table = load_vectors()
    talks, negotiations, football = table.sentence_vectors(
        [["the", "talks", "were", "difficult"], ["negotiations", "proved", "hard"], ["the", "striker", "scored", "a", "goal"]]
    )
    assert _cosine(talks, negotiations) > _cosine(talks, football) + 0.2


def test_a_sentence_of_unknown_words_gets_a_zero_vector() -> None:
    assert not load_vectors().sentence_vectors([["qzxjv", "wwqqzz"]]).any()


@pytest.fixture(scope="module")
def seed_features():
    return article_features(load_article(SEED))


def test_meaning_columns_on_the_seed(seed_features) -> None:
    article = load_article(SEED)
    n = article.n_sentences
    sentence = seed_features.sentence[:, [SENTENCE_FEATURES.index(f) for f in MEANING_SENTENCE_FEATURES]]
    assert sentence.shape == (n, len(MEANING_SENTENCE_FEATURES)) and np.isfinite(sentence).all()
    title, centrality, nearest = sentence[:, 0], sentence[:, 1], sentence[:, 2]
    assert (np.abs(sentence[:, :3]) <= 1 + 1e-9).all() and (nearest >= centrality).all()
    # The dateline lead restates the headline: it is among the sentences closest to it.
    lead = next(k for k, s in enumerate(article.sentences) if s.startswith("WASHINGTON AFP - "))
    assert title[lead] >= np.sort(title)[-3]
    pair = seed_features.pair[:, :, PAIR_FEATURES.index(MEANING_PAIR_FEATURES[0])]
    assert (np.diag(pair) == 0).all() and pair.any()


def test_dropping_features_zeroes_their_columns_only(seed_features) -> None:
    dropped = without(seed_features, ("vec_title", "vec_antecedent"))
    k = SENTENCE_FEATURES.index("vec_title")
    assert not dropped.sentence[:, k].any() and seed_features.sentence[:, k].any()
    others = [i for i in range(len(SENTENCE_FEATURES)) if i != k]
    assert np.array_equal(dropped.sentence[:, others], seed_features.sentence[:, others])
    assert not dropped.pair[:, :, PAIR_FEATURES.index("vec_antecedent")].any()
    with pytest.raises(ValueError, match="no such feature"):
        PairwiseOrdering(drop=("vec_nonsense",))
