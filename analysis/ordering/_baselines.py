"""Reference methods: a seeded random order and a regex-only lead heuristic.

They set the floor the learned model must beat: a random order has an expected Kendall's tau
of 0, and getting only the lead right gives about ``2 / n`` (Lapata 2003).
"""

from __future__ import annotations

import random
import re

import numpy as np

from .._language import HEURISTIC_STOP_WORDS
from .._seeds import Article
from ._base import Ordering, OrderingMethod, ordering_from_probabilities, register
from ._features import find_dateline

__all__ = ["RandomOrder", "LeadHeuristic"]


@register("random")
class RandomOrder(OrderingMethod):
    """A uniformly random order, reproducible: the same ``seed`` and article give the same order.

    Its pair scores are all 0.5 and its confidence 0 (it knows nothing).
    """

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed

    def predict(self, article: Article) -> Ordering:
        """A shuffled order seeded by ``seed`` and the article's id and content hash."""
        # String seeds hash deterministically (unlike hash()), independent of call order.
        rng = random.Random(f"{self.seed}:{article.id}:{article.sha256}:{len(article.sentences)}")
        order = list(range(article.n_sentences))
        rng.shuffle(order)
        return Ordering(tuple(order), (0.5,) * max(0, len(order) - 1), 0.0, self.name)


_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]+")
_NEEDS_ANTECEDENT = re.compile(
    r"""^["“']?(he|she|they|it|his|her|their|its|this|these|that|those|but|however|also|and|
    meanwhile|still|yet|moreover|instead|the\s+\w+\s+(?:said|added))\b""",
    re.IGNORECASE | re.VERBOSE,
)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD_RE.findall(text) if w.lower() not in HEURISTIC_STOP_WORDS}


@register("heuristic")
class LeadHeuristic(OrderingMethod):
    """Rank sentences by a hand-set score, no training and no parser.

    ``score = 3 * has_dateline + title_overlap - 1 * opens_with_anaphor_or_connective
    - 0.5 * opens_with_quote``, where ``title_overlap`` is the share of the headline's words the
    sentence holds. Ties keep file order. Pair scores are the logistic of score differences
    (not calibrated probabilities); the confidence is derived from them as for every method.
    """

    def __init__(self, *, dateline_weight: float = 3.0, anaphor_weight: float = 1.0, quote_weight: float = 0.5) -> None:
        self.dateline_weight = dateline_weight
        self.anaphor_weight = anaphor_weight
        self.quote_weight = quote_weight

    def sentence_scores(self, article: Article) -> np.ndarray:
        """The heuristic score of each sentence (file order)."""
        title = _words(article.title)
        scores = []
        for sentence in article.sentences:
            overlap = len(title & _words(sentence)) / len(title) if title else 0.0
            scores.append(
                self.dateline_weight * (find_dateline(sentence) is not None)
                + overlap
                - self.anaphor_weight * bool(_NEEDS_ANTECEDENT.match(sentence))
                - self.quote_weight * sentence.lstrip().startswith(('"', "“"))
            )
        return np.asarray(scores, dtype=np.float64)

    def predict(self, article: Article) -> Ordering:
        """Sentences sorted by descending score."""
        scores = self.sentence_scores(article)
        order = np.argsort(-scores, kind="stable")
        before = 1.0 / (1.0 + np.exp(-(scores[:, None] - scores[None, :])))
        return ordering_from_probabilities(tuple(int(i) for i in order), before, self.name)
