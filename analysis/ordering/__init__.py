"""Sentence reordering: recover an article's order from its shuffled sentences.

>>> from analysis.ordering import reorder
>>> ordering = reorder(article)                 # the learned default ("pairwise")
>>> ordering.sentences(article)                 # the sentences as reconstructed
>>> reorder(article, method="random", seed=3)   # any registered method, keyword options

Methods are registered by name (:data:`METHODS`; see :func:`register`, or declare an entry point
of group ``newsdesk_reorder_methods`` in another package, :mod:`analysis._registry`) and share one
interface: ``fit(articles, orders)``, ``predict(article) -> Ordering`` (and
``predict_docs(article, docs, title_doc)`` from Docs parsed already),
``score(articles, orders) -> dict``. Metrics live in :mod:`analysis.ordering._metrics`; the
report helpers (HTML, table) in :mod:`analysis.ordering._report`.
"""

from __future__ import annotations

import functools
from typing import Any

from .._analysed import ArticleLike, as_analysed
from . import _baselines  # noqa: F401  (registers "random" and "heuristic")
from . import _pairwise  # noqa: F401  (registers "pairwise")
from ._base import METHODS, Ordering, OrderingMethod, available_methods, make_method, register
from ._metrics import (
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


def reorder(article: ArticleLike, *, method: str = DEFAULT_METHOD, pipeline: str | None = None, **options: Any) -> Ordering:
    """Predict the original order of ``article``'s sentences.

    Args:
        article: the article (an :class:`~analysis._analysed.AnalysedArticle`, whose Docs of the
            lines as written are used, or an Article, analysed on the way).
        method: a registered method name (:func:`available_methods`).
        pipeline: spaCy pipeline name, used only to analyse a plain Article.
        **options: keyword options of that method's constructor (e.g. ``seed`` for ``"random"``).

    Raises:
        UnknownMethodError: ``method`` is not registered.
        PluginLoadError: ``method`` is another package's entry point, and it failed to load.
    """
    instance = make_method(method, **options) if options else _shared_instance(method)
    a = as_analysed(article, pipeline=pipeline)
    predict_docs = getattr(instance, "predict_docs", None)
    if predict_docs is None:
        return instance.predict(a.article)
    return predict_docs(a.article, a.raw_docs, a.raw_title_doc)
