"""Body lines as analysed: repaired by :mod:`analysis.repair` when present, parsed by spaCy
through the cached :func:`analysis.nlp.annotate`, with a map back to the text as written."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

from spacy.tokens import Doc

from ..seeds import Article

__all__ = ["AnalysedLine", "analysed_lines"]


@dataclass(frozen=True)
class AnalysedLine:
    """A body line as analysed (possibly repaired) with a map back to the original text."""

    index: int
    original: str
    doc: Doc
    to_original: Callable[[int, int], tuple[int, int]]

    def text_of(self, start_char: int, end_char: int) -> str:
        """The original text under an analysed character span."""
        s, e = self.to_original(start_char, end_char)
        return self.original[s:e].strip()


@functools.lru_cache(maxsize=64)
def _analysed(article: Article, model: str | None) -> tuple[AnalysedLine, ...]:
    from ..nlp import annotate

    try:
        from ..repair import repair_article
    except ImportError:  # the repair module is optional; the parse is then on the raw text
        repaired = None
    else:
        repaired = repair_article(article, model=model)
    if repaired is None:
        docs = annotate(list(article.sentences), model=model)
        return tuple(AnalysedLine(i, s, d, _identity) for i, (s, d) in enumerate(zip(article.sentences, docs)))
    docs = annotate(list(repaired.texts), model=model)
    return tuple(AnalysedLine(i, article.sentences[i], d, repaired.sentences[i].to_original) for i, d in enumerate(docs))


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end


def analysed_lines(article: Article, *, model: str | None = None) -> tuple[AnalysedLine, ...]:
    """Parse the article's body lines (repaired when :mod:`analysis.repair` is available).

    Cached per article and model: quotes, speakers and actor stance share one parse.
    """
    return _analysed(article, model)
