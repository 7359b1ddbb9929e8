"""Sentence reordering: recover an article's order from its shuffled sentences.

>>> from analysis.reorder import reorder
>>> ordering = reorder(article)                 # the learned default ("pairwise")
>>> ordering.sentences(article)                 # the sentences as reconstructed
>>> reorder(article, method="random", seed=3)   # any registered method, keyword options

Methods are registered by name (:data:`METHODS`; see :func:`register`) and share one
interface: ``fit(articles, orders)``, ``predict(article) -> Ordering``,
``score(articles, orders) -> dict``. Metrics live in :mod:`analysis.reorder.metrics`; the
report helpers (HTML, table) in :mod:`analysis.reorder.report`.
"""

from __future__ import annotations

import functools
from typing import Any

from ..seeds import Article
from . import baselines as _baselines  # noqa: F401  (registers "random" and "heuristic")
from . import pairwise as _pairwise  # noqa: F401  (registers "pairwise")
from .base import METHODS, Ordering, OrderingMethod, available_methods, make_method, register
from .metrics import (
    InvalidOrderError,
    Metrics,
    evaluate,
    first_sentence_accuracy,
    kendall_tau,
    mean_metrics,
    perfect_match,
    positional_accuracy,
)

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "InvalidOrderError",
    "Metrics",
    "Ordering",
    "OrderingMethod",
    "available_methods",
    "evaluate",
    "first_sentence_accuracy",
    "kendall_tau",
    "make_method",
    "mean_metrics",
    "perfect_match",
    "positional_accuracy",
    "register",
    "reorder",
]

#: The method :func:`reorder` uses unless told otherwise.
DEFAULT_METHOD = "pairwise"


@functools.lru_cache(maxsize=8)
def _shared_instance(method: str) -> OrderingMethod:
    # Loading the committed weights once per process is enough.
    return make_method(method)


def reorder(article: Article, *, method: str = DEFAULT_METHOD, **options: Any) -> Ordering:
    """Predict the original order of ``article``'s sentences.

    Args:
        article: the article (sentences in file order).
        method: a registered method name (:func:`available_methods`).
        **options: keyword options of that method's constructor (e.g. ``seed`` for ``"random"``).

    Raises:
        UnknownMethodError: ``method`` is not registered.
    """
    instance = make_method(method, **options) if options else _shared_instance(method)
    return instance.predict(article)
