"""Metrics comparing a predicted sentence order with the gold one.

Orders are sequences of indices into ``article.sentences`` (file order): ``order[k]`` is the
sentence placed at position ``k``. Every function here is pure and works on two orders of the
same sentences; :func:`evaluate` returns all of them at once and :func:`mean_metrics` averages
them over articles (a macro average: every article counts once, whatever its length).

Kendall's tau follows Lapata (2003, 2006, "Automatic evaluation of information ordering"):
``tau = 1 - 2 * (discordant pairs) / (n choose 2)``.
"""

from __future__ import annotations

from typing import Iterable, Mapping, NamedTuple, Sequence

from ..errors import InvalidOrderError

__all__ = [
    "InvalidOrderError",
    "Metrics",
    "METRIC_NAMES",
    "check_permutation",
    "kendall_tau",
    "perfect_match",
    "positional_accuracy",
    "first_sentence_accuracy",
    "evaluate",
    "mean_metrics",
]


class Metrics(NamedTuple):
    """All metrics of one predicted order against its gold order."""

    kendall_tau: float
    perfect_match: float
    positional_accuracy: float
    first_sentence_accuracy: float


#: Metric names in report order (the fields of :class:`Metrics`).
METRIC_NAMES: tuple[str, ...] = Metrics._fields


def check_permutation(order: Sequence[int], n: int | None = None) -> tuple[int, ...]:
    """Return ``order`` as a tuple after checking it is a permutation of ``range(n)``.

    Raises:
        InvalidOrderError: naming what is wrong (length, repeated or out-of-range index).
    """
    order = tuple(int(i) for i in order)
    n = len(order) if n is None else n
    if len(order) != n:
        raise InvalidOrderError(f"order has {len(order)} positions; expected {n}")
    if sorted(order) != list(range(n)):
        seen: set[int] = set()
        for i in order:
            if not 0 <= i < n:
                raise InvalidOrderError(f"index {i} is outside 0..{n - 1}")
            if i in seen:
                raise InvalidOrderError(f"index {i} appears twice")
            seen.add(i)
    return order


def _pair(predicted: Sequence[int], gold: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    gold = check_permutation(gold)
    predicted = check_permutation(predicted, len(gold))
    if not gold:
        raise InvalidOrderError("cannot score an empty order")
    return predicted, gold


def kendall_tau(predicted: Sequence[int], gold: Sequence[int]) -> float:
    """Kendall's tau between two orders: 1 identical, about 0 random, -1 reversed.

    ``1 - 2 * discordant / (n choose 2)`` (no ties are possible between permutations). A single
    sentence has only one order, so its tau is 1.
    """
    predicted, gold = _pair(predicted, gold)
    n = len(gold)
    if n < 2:
        return 1.0
    rank = {sentence: position for position, sentence in enumerate(predicted)}
    ranks = [rank[sentence] for sentence in gold]
    # O(n^2) is fine: articles have tens of sentences, not thousands.
    discordant = sum(1 for a in range(n) for b in range(a + 1, n) if ranks[a] > ranks[b])
    return 1.0 - 4.0 * discordant / (n * (n - 1))


def perfect_match(predicted: Sequence[int], gold: Sequence[int]) -> float:
    """1.0 if the whole order is right, else 0.0 (averaged over articles: the perfect match ratio)."""
    predicted, gold = _pair(predicted, gold)
    return float(predicted == gold)


def positional_accuracy(predicted: Sequence[int], gold: Sequence[int]) -> float:
    """Fraction of positions holding the right sentence."""
    predicted, gold = _pair(predicted, gold)
    return sum(p == g for p, g in zip(predicted, gold)) / len(gold)


def first_sentence_accuracy(predicted: Sequence[int], gold: Sequence[int]) -> float:
    """1.0 if the predicted lead is the gold lead, else 0.0."""
    predicted, gold = _pair(predicted, gold)
    return float(predicted[0] == gold[0])


def evaluate(predicted: Sequence[int], gold: Sequence[int]) -> Metrics:
    """Every metric of one predicted order against its gold order."""
    return Metrics(
        kendall_tau=kendall_tau(predicted, gold),
        perfect_match=perfect_match(predicted, gold),
        positional_accuracy=positional_accuracy(predicted, gold),
        first_sentence_accuracy=first_sentence_accuracy(predicted, gold),
    )


def mean_metrics(
    pairs: Iterable[tuple[Sequence[int], Sequence[int]]] | Iterable[Metrics | Mapping[str, float]],
) -> dict[str, float]:
    """Average metrics over articles (each article weighs the same).

    Args:
        pairs: ``(predicted, gold)`` order pairs, or already computed :class:`Metrics`
            (or mappings with the same keys).

    Returns:
        ``{metric name: mean}`` plus ``"n_articles"``.

    Raises:
        InvalidOrderError: no article was given.
    """
    rows: list[Mapping[str, float]] = []
    for item in pairs:
        if isinstance(item, Metrics):
            rows.append(item._asdict())
        elif isinstance(item, Mapping):
            rows.append(item)
        else:
            predicted, gold = item
            rows.append(evaluate(predicted, gold)._asdict())
    if not rows:
        raise InvalidOrderError("no article to average over")
    out = {name: sum(float(r[name]) for r in rows) / len(rows) for name in METRIC_NAMES}
    out["n_articles"] = float(len(rows))
    return out
