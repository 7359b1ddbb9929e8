"""Ordering metrics on hand-computed cases."""

from __future__ import annotations

import pytest

from analysis.errors import NewsdeskError
from analysis.ordering._metrics import (
    InvalidOrderError,
    evaluate,
    first_sentence_accuracy,
    kendall_tau,
    mean_metrics,
    perfect_match,
    positional_accuracy,
)


def test_identity_and_reversal() -> None:
    gold = (3, 0, 2, 1)
    assert kendall_tau(gold, gold) == 1.0
    assert kendall_tau(tuple(reversed(gold)), gold) == -1.0
    assert perfect_match(gold, gold) == 1.0
    assert positional_accuracy(gold, gold) == 1.0


def test_one_adjacent_swap() -> None:
    # 4 sentences: 6 pairs, one discordant -> 1 - 2 * 1/6 = 2/3.
    assert kendall_tau((1, 0, 2, 3), (0, 1, 2, 3)) == pytest.approx(2 / 3)
    assert positional_accuracy((1, 0, 2, 3), (0, 1, 2, 3)) == 0.5
    assert first_sentence_accuracy((1, 0, 2, 3), (0, 1, 2, 3)) == 0.0
    assert perfect_match((1, 0, 2, 3), (0, 1, 2, 3)) == 0.0


def test_hand_computed_mixed_case() -> None:
    # Ranks of gold sentences in the prediction: 0->0, 1->2, 2->3, 3->1 : discordant pairs
    # (1,3) and (2,3) -> tau = 1 - 2*2/6 = 1/3.
    predicted, gold = (0, 3, 1, 2), (0, 1, 2, 3)
    assert kendall_tau(predicted, gold) == pytest.approx(1 / 3)
    assert positional_accuracy(predicted, gold) == 0.25
    assert first_sentence_accuracy(predicted, gold) == 1.0


def test_tau_is_symmetric_in_its_arguments_and_relabelling() -> None:
    a, b = (2, 0, 4, 1, 3), (0, 1, 2, 3, 4)
    assert kendall_tau(a, b) == pytest.approx(kendall_tau(b, a))


def test_single_sentence() -> None:
    assert evaluate((0,), (0,)) == (1.0, 1.0, 1.0, 1.0)


def test_mean_metrics_averages_per_article() -> None:
    result = mean_metrics([((0, 1, 2), (0, 1, 2)), ((2, 1, 0), (0, 1, 2))])
    assert result["kendall_tau"] == 0.0
    assert result["perfect_match"] == 0.5
    assert result["first_sentence_accuracy"] == 0.5
    assert result["positional_accuracy"] == pytest.approx((1 + 1 / 3) / 2)
    assert result["n_articles"] == 2


@pytest.mark.parametrize(
    ("predicted", "gold", "message"),
    [
        ((0, 1), (0, 1, 2), "expected 3"),
        ((0, 0, 1), (0, 1, 2), "appears twice"),
        ((0, 1, 5), (0, 1, 2), "outside"),
    ],
)
def test_invalid_orders_are_refused(predicted: tuple[int, ...], gold: tuple[int, ...], message: str) -> None:
    with pytest.raises(InvalidOrderError, match=message) as info:
        kendall_tau(predicted, gold)
    assert isinstance(info.value, NewsdeskError)


def test_mean_of_nothing_is_an_error() -> None:
    with pytest.raises(InvalidOrderError):
        mean_metrics([])
