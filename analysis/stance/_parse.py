"""Body lines as the stance analyses read them: the repaired line's Doc (from
:func:`analysis._analysed.analyse`, never parsed here) with a map back to the text as written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from spacy.tokens import Doc

from .._analysed import ArticleLike, as_analysed

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


def analysed_lines(article: ArticleLike, *, pipeline: str | None = None) -> tuple[AnalysedLine, ...]:
    """The article's body lines with their repaired Docs (``pipeline`` only analyses a plain Article).

    Kept on the analysed article: quotes, speakers and actor stance share them.
    """
    a = as_analysed(article, pipeline=pipeline)

    def build() -> tuple[AnalysedLine, ...]:
        return tuple(
            AnalysedLine(i, a.sentences[i], doc, a.repaired.sentences[i].to_original) for i, doc in enumerate(a.docs)
        )

    return a.memo("stance.lines", build)
