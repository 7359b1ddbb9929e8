"""The ordering result, the interface every method follows, and the registry of methods.

A method is a class registered under a name with :func:`register`; it has scikit-learn's
shape: ``fit(articles, orders) -> self``, ``predict(article) -> Ordering`` (and
``predict_docs(article, docs, title_doc)`` from Docs parsed already) and
``score(articles, orders) -> dict``. Callers pick one by name (:func:`make_method`,
:func:`analysis.ordering.reorder`), so a new method plugs in without touching them; another
package plugs one in through an entry point of group ``newsdesk_reorder_methods``
(:mod:`analysis._registry`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

import numpy as np
from spacy.tokens import Doc

from .._registry import Registry
from .._seeds import Article
from ._metrics import check_permutation, evaluate, mean_metrics

__all__ = [
    "Ordering",
    "OrderingMethod",
    "METHODS",
    "register",
    "make_method",
    "available_methods",
    "ordering_from_probabilities",
]


@dataclass(frozen=True)
class Ordering:
    """A predicted order of an article's sentences.

    Attributes:
        order: indices into ``article.sentences`` (file order); ``order[0]`` is the predicted lead.
        pair_scores: for each adjacent join ``order[k] -> order[k+1]`` (``n - 1`` values), the
            method's probability in [0, 1] that the first sentence precedes the second; low
            values mark weak joins.
        confidence: in [0, 1], the method's own estimate of Kendall's tau against the true
            order: ``2 * p - 1`` clipped to [0, 1], where ``p`` is the mean, over every pair of
            sentences, of the probability that the pair is in the predicted relative order
            (0 = no better than chance; a method with no pairwise model reports 0).
        method: the registered name of the method that produced it.
    """

    order: tuple[int, ...]
    pair_scores: tuple[float, ...]
    confidence: float
    method: str

    def sentences(self, article: Article) -> tuple[str, ...]:
        """The article's sentences in the predicted order."""
        return tuple(article.sentences[i] for i in self.order)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "method": self.method,
            "order": list(self.order),
            "pair_scores": [round(p, 6) for p in self.pair_scores],
            "confidence": round(self.confidence, 6),
        }


def ordering_from_probabilities(order: Sequence[int], before: np.ndarray, method: str) -> Ordering:
    """Build an :class:`Ordering` from a matrix ``before[i, j] = P(i precedes j)``.

    The pair scores are ``before`` at each adjacent join; the confidence is the model's expected
    Kendall's tau, ``2 * mean(before[i, j] for i placed before j) - 1``, clipped to [0, 1].
    """
    n = before.shape[0]
    order = check_permutation(order, n)
    idx = np.asarray(order, dtype=int)
    pair_scores = tuple(float(before[a, b]) for a, b in zip(idx[:-1], idx[1:]))
    if n < 2:
        return Ordering(order, (), 1.0, method)
    ranked = before[np.ix_(idx, idx)]
    mean = float(ranked[np.triu_indices(n, k=1)].mean())
    confidence = min(1.0, max(0.0, 2.0 * mean - 1.0))
    if math.isnan(confidence):
        confidence = 0.0
    return Ordering(order, pair_scores, confidence, method)


class OrderingMethod(ABC):
    """Interface of a sentence-ordering method (scikit-learn style).

    Subclasses set :attr:`name` (done by :func:`register`), implement :meth:`predict`, and
    override :meth:`fit` when they learn anything.
    """

    name: str = ""

    def fit(self, articles: Sequence[Article], orders: Sequence[Sequence[int]]) -> "OrderingMethod":
        """Learn from articles with known orders (indices into each ``article.sentences``).

        Methods that learn nothing return ``self`` unchanged.
        """
        return self

    @abstractmethod
    def predict(self, article: Article) -> Ordering:
        """The predicted order of ``article``'s sentences."""

    def predict_docs(self, article: Article, docs: Sequence[Doc], title_doc: Doc) -> Ordering:
        """:meth:`predict` given the spaCy Docs of the sentences and title as written (parsed
        once for every analysis); methods that read no Docs ignore them."""
        return self.predict(article)

    def score(self, articles: Sequence[Article], orders: Sequence[Sequence[int]]) -> dict[str, float]:
        """Mean metrics (:func:`~analysis.ordering._metrics.mean_metrics`) of the predictions against ``orders``."""
        return mean_metrics(evaluate(self.predict(a).order, g) for a, g in zip(articles, orders, strict=True))


M = TypeVar("M", bound=type[OrderingMethod])

#: The ordering methods: name -> class, the built-ins and entry points of group
#: ``newsdesk_reorder_methods`` (see :mod:`analysis._registry`).
METHODS: Registry[type[OrderingMethod]] = Registry("reorder_methods", kind="ordering method")


def register(name: str) -> Callable[[M], M]:
    """Class decorator registering an :class:`OrderingMethod` under ``name`` (and setting its
    :attr:`~OrderingMethod.name`)."""

    def decorate(cls: M) -> M:
        cls.name = name
        METHODS.register(name)(cls)
        return cls

    return decorate


def available_methods() -> tuple[str, ...]:
    """Names of the methods (registered or from entry points), sorted."""
    return tuple(sorted(METHODS))


def make_method(name: str, **options: Any) -> OrderingMethod:
    """Instantiate the method registered as ``name`` with keyword ``options``.

    A method from an entry point is not decorated with :func:`register`; when its class sets no
    :attr:`~OrderingMethod.name`, the instance takes the name it was chosen by, so its
    orderings say which method made them.

    Raises:
        UnknownMethodError: no method has that name (the message lists the known ones).
        PluginLoadError: the entry point of that name failed to load.
    """
    method = METHODS.get(name)(**options)
    if not getattr(method, "name", ""):
        method.name = name
    return method
