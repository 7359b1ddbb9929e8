"""Open-vocabulary similarity: every word of a new claim counts, weighted by training counts only."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import load_article
from analysis._language import NEGATIONS
from analysis.stance._claim import load_claim_model
from analysis.stance._features import _REFUTE, SIMILARITY_NAMES, _content, _near, pair_matrix, words
from analysis.stance._open import OPEN_NAMES, RARE_DF
from conftest import SEED


def _reference(claim: str, sentences: list[str], space) -> list[float]:
    """The open columns computed directly from their definitions, one pair at a time."""
    n_docs = space.n_documents

    def weight(t: str) -> float:
        k = space.index.get(t)
        return float(space.idf[k]) if k is not None else math.log(1 + n_docs) + 1

    def rare(t: str) -> bool:
        return weight(t) >= math.log((1 + n_docs) / (1 + RARE_DF)) + 1 - 1e-6

    def vector(content: list[str]) -> dict[str, float]:
        counts = {t: content.count(t) for t in set(content)}
        v = {t: (1 + math.log(c)) * weight(t) for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def cosine(a: dict, b: dict) -> float:
        return sum(x * b.get(t, 0.0) for t, x in a.items())

    c = _content(words(claim))
    mine, n = set(c), max(len(set(c)), 1)
    content = [_content(words(s)) for s in sentences]
    tokens = [words(s) for s in sentences]
    body = {t for s in content for t in s}
    cos = np.array([cosine(vector(c), vector(s)) for s in content])
    top = np.argsort(-cos, kind="stable")[:3]
    negated = [set(_near(t, NEGATIONS)) & mine for t in tokens]
    refuted = [set(_near(t, _REFUTE)) & mine for t in tokens]
    rare_words = {t for t in mine if rare(t)}
    return [
        cosine(vector(c), vector([t for s in content for t in s])),
        cos[top[0]],
        cos[top].mean(),
        sum(weight(t) for t in mine & body) / sum(weight(t) for t in mine),
        len(rare_words & body) / max(len(rare_words), 1),
        float(bool(rare_words)),
        len(set().union(*negated)) / n,
        len(set().union(*refuted)) / n,
        sum(len(negated[k]) for k in top) / n,
        sum(len(refuted[k]) for k in top) / n,
        max(len(set(s) & mine) for s in content) / n,
    ]


@pytest.fixture(scope="module")
def space():
    return load_claim_model().space


def test_open_columns_follow_their_definitions_on_the_seed(space):
    article = load_article(SEED)
    sentences = list(article.sentences)
    claims = [
        article.title,
        "Zorblatt denies that NATO talks with Putin failed",  # a word no training text has
        "Officials did not deny the talks were difficult",
    ]
    bodies = [sentences, sentences[:3], [sentences[0]]]
    x = pair_matrix([c for c in claims for _ in bodies], [b for _ in claims for b in bodies], space=space)
    first = SIMILARITY_NAMES.index(OPEN_NAMES[0])
    assert SIMILARITY_NAMES[first:] == OPEN_NAMES
    for row, (claim, body) in enumerate((c, b) for c in claims for b in bodies):
        assert np.allclose(x.similarity[row, first:], _reference(claim, body, space), atol=1e-5), (claim, len(body))


def test_a_word_training_never_saw_still_links_a_claim_to_its_body(space):
    body = ["The zorblatt escaped from the city zoo on Tuesday, keepers said.", "It was found later in a park."]
    other = ["Markets fell sharply on Tuesday as oil prices rose.", "Traders said the fall was expected."]
    assert "zorblatt" not in space.index
    x = pair_matrix(["Zorblatt escapes from zoo"] * 2, [body, other], space=space)
    open_cols = dict(zip(SIMILARITY_NAMES, x.similarity.T))
    assert open_cols["open_has_rare"].tolist() == [1.0, 1.0]
    assert open_cols["open_rare_in_body"][0] > 0.5 and open_cols["open_rare_in_body"][1] == 0.0
    assert open_cols["open_cos_body"][0] > 0.5 > open_cols["open_cos_body"][1]
    # The vocabulary cosine misses the unseen name: the open one is what carries it.
    assert open_cols["open_cos_body"][0] > open_cols["cos_tfidf"][0]
