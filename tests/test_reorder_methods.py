"""Ordering methods, decoding, the committed model and the report helpers, on the real seed."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPORA, SEED, needs_shared

from analysis.errors import ModelNotFoundError, UnknownMethodError
from analysis.ordering import (
    METHODS,
    Ordering,
    OrderingMethod,
    available_methods,
    kendall_tau,
    make_method,
    register,
    reorder,
)
from analysis.ordering._decode import decode, exact_order, local_search, order_score, borda_order
from analysis.ordering._features import find_dateline
from analysis.ordering._pairwise import MODEL_DIR, PairwiseModel, PairwiseOrdering
from analysis.ordering._report import ordering_summary, ordering_table, reconstructed_html, side_by_side_html
from analysis._seeds import load_article, parse_article


def _check_ordering(ordering: Ordering, n: int) -> None:
    assert sorted(ordering.order) == list(range(n))
    assert len(ordering.pair_scores) == n - 1
    assert all(0.0 <= p <= 1.0 for p in ordering.pair_scores)
    assert 0.0 <= ordering.confidence <= 1.0


@pytest.mark.parametrize("method", ["pairwise", "heuristic", "random"])
def test_every_method_returns_a_valid_ordering_on_the_seed(seed, method: str) -> None:
    ordering = reorder(seed, method=method)
    _check_ordering(ordering, seed.n_sentences)
    assert ordering.method == method


def test_registry_lists_the_methods() -> None:
    assert {"pairwise", "heuristic", "random"} <= set(available_methods())


def test_unknown_method_names_the_known_ones(seed) -> None:
    with pytest.raises(UnknownMethodError, match="choose one of: .*pairwise"):
        reorder(seed, method="no-such-method")


def test_a_new_method_plugs_in_without_touching_callers(seed) -> None:
    @register("test-file-order")
    class FileOrder(OrderingMethod):
        def predict(self, article):
            n = article.n_sentences
            return Ordering(tuple(range(n)), (0.5,) * (n - 1), 0.0, self.name)

    try:
        ordering = reorder(seed, method="test-file-order")
        assert ordering.order == tuple(range(seed.n_sentences))
        assert make_method("test-file-order").score([seed], [tuple(range(seed.n_sentences))])["kendall_tau"] == 1.0
    finally:
        METHODS.unregister("test-file-order")
    assert "test-file-order" not in available_methods()


def test_random_baseline_is_seeded(seed) -> None:
    first = reorder(seed, method="random", seed=7).order
    assert reorder(seed, method="random", seed=7).order == first
    assert reorder(seed, method="random", seed=8).order != first


def test_committed_model_loads_and_puts_the_dateline_lead_first(seed) -> None:
    model = PairwiseModel.load(MODEL_DIR)
    assert model.coef.shape == (len(model.feature_names),)
    ordering = PairwiseOrdering().predict(seed)
    lead = seed.sentences[ordering.order[0]]
    assert lead.startswith("WASHINGTON AFP - ")
    assert find_dateline(lead) is not None
    assert ordering.pair_scores[0] > 0.9  # the lead is placed with conviction, not by chance


def test_committed_model_is_small_and_not_pickled() -> None:
    files = sorted(p.name for p in MODEL_DIR.iterdir() if p.is_file())
    assert "pairwise.npz" in files and "pairwise.json" in files
    assert sum((MODEL_DIR / f).stat().st_size for f in files) <= 25 * 2**20
    with np.load(MODEL_DIR / "pairwise.npz", allow_pickle=False) as arrays:  # raises if pickled
        assert all(arrays[k].dtype != object for k in arrays.files)
    info = json.loads((MODEL_DIR / "pairwise.json").read_text())["info"]
    assert {c["corpus"] for c in info["corpora"]} == {"conll2003-dev", "fnc1-order-dev", "conll2003-train", "fnc1-order-train"}


def test_missing_model_says_how_to_train(tmp_path: Path, seed) -> None:
    with pytest.raises(ModelNotFoundError, match="python -m analysis train reorder"):
        PairwiseOrdering(model_dir=tmp_path).predict(seed)


def test_pairwise_probabilities_are_antisymmetric(seed) -> None:
    from analysis.ordering._features import article_features
    from analysis.ordering._pairwise import pair_probabilities

    probabilities = pair_probabilities(PairwiseModel.load(), article_features(seed))
    np.testing.assert_allclose(probabilities + probabilities.T, 1.0)


def test_order_does_not_depend_on_the_file_order(seed) -> None:
    """Shuffling the body lines must give the same reconstructed sentences."""
    permuted = dataclasses.replace(seed, sentences=tuple(reversed(seed.sentences)))
    original = reorder(seed).sentences(seed)
    again = reorder(permuted).sentences(permuted)
    assert original[0] == again[0]
    assert kendall_tau(
        [again.index(s) for s in original], list(range(len(original)))
    ) > 0.9  # exact search and local search may break near-ties differently


# --------------------------------------------------------------------------- decoding


def _brute_force(weights, lead):
    n = weights.shape[0]
    return max(itertools.permutations(range(n)), key=lambda o: order_score(o, weights, lead))


def test_exact_decoding_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    for _ in range(10):
        n = 6
        weights, lead = rng.normal(size=(n, n)), rng.normal(size=n)
        best = _brute_force(weights, lead)
        found = exact_order(weights, lead)
        assert order_score(found, weights, lead) == pytest.approx(order_score(best, weights, lead))


def test_local_search_never_beats_exact_and_never_worsens_its_start() -> None:
    rng = np.random.default_rng(1)
    for _ in range(10):
        n = 10
        weights, lead = rng.normal(size=(n, n)), rng.normal(size=n)
        start = borda_order(weights, lead)
        improved = local_search(weights, start, lead)
        assert order_score(improved, weights, lead) >= order_score(start, weights, lead) - 1e-9
        assert order_score(improved, weights, lead) <= order_score(exact_order(weights, lead), weights, lead) + 1e-9


def test_decoding_recovers_a_consistent_order_of_100() -> None:
    """With weights that all agree with one order, local search must find it exactly."""
    rng = np.random.default_rng(2)
    truth = rng.permutation(100)
    rank = np.empty(100, dtype=int)
    rank[truth] = np.arange(100)
    weights = np.where(rank[:, None] < rank[None, :], 0.0, -1.0)
    np.fill_diagonal(weights, 0.0)
    assert decode(weights) == tuple(int(i) for i in truth)


# --------------------------------------------------------------------------- report helpers


def test_reconstructed_html_escapes_article_text(seed) -> None:
    hostile = parse_article(
        "<script>alert(1)</script>\n20220127\nhttps://example.com/x\n"
        "WASHINGTON AFP - The <b>first</b> sentence.\nHe said <img src=x onerror=alert(2)> later.\n",
        id="hostile",
    )
    ordering = reorder(hostile, method="heuristic")
    for page in (reconstructed_html(hostile, ordering), side_by_side_html(hostile, ordering, (0, 1))):
        assert "<script>" not in page and "<img" not in page and "<b>first" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img" in page


def test_reconstructed_html_marks_weak_joins(seed) -> None:
    ordering = reorder(seed)
    page = reconstructed_html(seed, ordering, weak_join=0.55)
    assert page.count('class="weak"') == sum(p < 0.55 for p in ordering.pair_scores)
    assert page.index("WASHINGTON AFP") < page.index("Kozak said")  # lead first


def test_table_and_summary(seed) -> None:
    ordering = reorder(seed)
    gold = tuple(range(seed.n_sentences))  # any permutation works as a stand-in gold here
    table = ordering_table(seed, ordering, gold)
    assert list(table["line"]) == [seed.file_lines[i] for i in ordering.order]
    assert sorted(table["gold_position"]) == list(range(1, seed.n_sentences + 1))
    summary = json.loads(json.dumps(ordering_summary(seed, ordering, gold)))
    assert summary["lines"] == [seed.file_lines[i] for i in ordering.order] and 29 in summary["lines"]
    assert summary["order"] == list(ordering.order)
    assert summary["metrics"]["kendall_tau"] == pytest.approx(kendall_tau(ordering.order, gold))


def test_figures_build(seed) -> None:
    from analysis.plots._reorder import join_scores_figure, order_comparison_figure

    ordering = reorder(seed)
    assert len(join_scores_figure(ordering).axes[0].patches) == seed.n_sentences - 1
    assert order_comparison_figure(ordering, ordering.order).axes


# --------------------------------------------------------------------------- with the shared corpora


@pytest.mark.slow  # trains two models (about a minute)
@needs_shared
def test_learned_method_beats_random_and_trains_reproducibly() -> None:
    from analysis.ordering._train import load_order_corpus

    articles, orders = load_order_corpus(CORPORA / "conll2003-dev")
    train, train_orders = articles[:40], orders[:40]
    test, test_orders = articles[40:60], orders[40:60]
    first = PairwiseOrdering(seed=1).fit(train, train_orders)
    second = PairwiseOrdering(seed=1).fit(train, train_orders)
    np.testing.assert_array_equal(first.model.coef, second.model.coef)
    learned = first.score(test, test_orders)
    chance = make_method("random", seed=0).score(test, test_orders)
    assert learned["kendall_tau"] > chance["kendall_tau"] + 0.15
    assert learned["first_sentence_accuracy"] > 0.8  # Reuters leads carry a dateline


@pytest.mark.parametrize("method", ["pairwise", "heuristic", "random"])
@pytest.mark.parametrize("n", [1, 2])
def test_tiny_articles(method: str, n: int) -> None:
    body = ["WASHINGTON AFP - The talks resumed on Monday.", "He said they would go on."][:n]
    article = parse_article("Talks resume\n20220127\nhttps://example.com/a\n" + "\n".join(reversed(body)) + "\n", id="tiny")
    ordering = reorder(article, method=method)
    _check_ordering(ordering, n)
    if method != "random" and n == 2:
        assert article.sentences[ordering.order[0]] == body[0]


# --------------------------------------------------------------------------- position model


def test_position_trees_predict_like_scikit_learn() -> None:
    from sklearn.ensemble import HistGradientBoostingRegressor

    from analysis.ordering._position import TREE_OPTIONS, PositionModel, fit_position

    rng = np.random.default_rng(3)
    x = rng.normal(size=(600, 6))
    x[:, 2] = rng.integers(0, 2, 600)
    y = np.sin(x[:, 0]) + x[:, 1] * x[:, 2]
    stored = PositionModel.from_arrays(fit_position(x, y, np.ones(600), seed=0).arrays())
    reference = HistGradientBoostingRegressor(early_stopping=False, random_state=0, **TREE_OPTIONS).fit(x, y)
    test = rng.normal(size=(50, 6))
    test[:, 2] = rng.integers(0, 2, 50)
    np.testing.assert_allclose(stored.predict(test), reference.predict(test), atol=1e-12)


def test_classifier_trees_give_scikit_learns_log_odds() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    from analysis.ordering._pairwise import PAIR_TREE_OPTIONS
    from analysis.ordering._position import TreeEnsemble, fit_trees

    rng = np.random.default_rng(5)
    x = rng.normal(size=(2000, 5))
    y = (x[:, 0] * x[:, 1] + 0.3 * rng.normal(size=2000) > 0).astype(int)
    options = {**PAIR_TREE_OPTIONS, "max_iter": 40}
    stored = TreeEnsemble.from_arrays(fit_trees(x, y, np.ones(2000), seed=0, options=options, classifier=True).arrays("t"), "t")
    reference = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **options).fit(x, y)
    test = rng.normal(size=(50, 5))
    np.testing.assert_allclose(stored.predict(test), reference.decision_function(test), atol=1e-12)


def test_committed_model_averages_its_pair_trees_with_the_linear_model(seed) -> None:
    from analysis.ordering._features import article_features

    model = PairwiseModel.load(MODEL_DIR)
    assert model.pair_trees is not None
    features = article_features(seed)
    linear = dataclasses.replace(model, pair_trees=None).logits(features)
    both = model.logits(features)
    np.testing.assert_allclose(both, -both.T, atol=1e-12)
    assert not np.allclose(both, linear)  # the trees change the odds...
    assert np.corrcoef(both.ravel(), linear.ravel())[0, 1] > 0.7  # ...but agree with the linear model


def test_committed_model_predicts_positions(seed) -> None:
    from analysis.ordering._features import article_features

    model = PairwiseModel.load(MODEL_DIR)
    assert model.position is not None and "predicted_position" in model.feature_names
    positions = model.position.predict(model.position_inputs(article_features(seed)))
    assert positions.shape == (seed.n_sentences,)
    lead = next(i for i, s in enumerate(seed.sentences) if find_dateline(s) is not None)
    assert positions[lead] == positions.min()  # the dateline lead is placed at the top
