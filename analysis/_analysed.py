"""An article as every analysis reads it: repaired text, dateline and spaCy Docs, computed once.

Data flows one way: a seed becomes an :class:`~analysis._seeds.Article`, :func:`analyse` turns it
into an :class:`AnalysedArticle`, and the analyses (:mod:`analysis.entities`,
:mod:`analysis.stance`, :mod:`analysis.ordering`) read that object; none of them parses.

How little is parsed: the title and sentences *as written* go through ``nlp.pipe`` once (one Doc
per line; a line that opens with a wire dateline as two pieces, the dateline and the rest, so
the rest is already the text the repair will leave). Their entities are the evidence the text
repair needs (which capitalised words are names in this article), and the reordering model is
trained on the same Docs. Only the lines whose repair puts back a stripped apostrophe are parsed
a second time, in their repaired form; every other line shares its annotations between the two
views. On web news that keeps its apostrophes this is a handful of lines per hundred articles.

Shared intermediates of the analyses (entity mentions, reported statements, canonical names) are
memoised on the object by :meth:`AnalysedArticle.memo`, so each is computed once per article and
option set, in one place, and freed with the article. :func:`as_analysed` is the one adapter that
lets every analysis still accept a plain :class:`~analysis._seeds.Article`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, Iterable, Sequence, TypeVar, Union

from spacy.tokens import Doc

from ._nlp import annotate, resolve_pipeline
from ._repair import TITLE_LINE, Dateline, Repair, RepairedArticle, RepairedText, repair_article, written_docs
from ._seeds import Article

__all__ = ["AnalysedArticle", "ArticleLike", "analyse", "analyse_many", "as_analysed"]

T = TypeVar("T")


class AnalysedArticle:
    """One article with everything the analyses share, computed once.

    Attributes:
        article: the article as read (sentences in file order; everything displayed comes from it).
        pipeline: the resolved spaCy pipeline name the Docs come from (``--pipeline`` of the batch).
        repaired: the repaired title and lines (:func:`analysis._repair.repair_article`).
        title_doc, docs: Docs of the repaired title and body lines (what entities and stance read).
        raw_title_doc, raw_docs: Docs of the title and lines as written (what reordering reads);
            the same objects as ``title_doc``/``docs`` wherever the repair changed nothing.

    Docs are shared between views and between analyses: treat them as read-only.
    """

    __slots__ = ("article", "pipeline", "repaired", "title_doc", "docs", "raw_title_doc", "raw_docs", "_memo", "_lock")

    def __init__(
        self,
        article: Article,
        *,
        pipeline: str,
        repaired: RepairedArticle,
        title_doc: Doc,
        docs: Sequence[Doc],
        raw_title_doc: Doc,
        raw_docs: Sequence[Doc],
    ) -> None:
        if not (len(docs) == len(raw_docs) == article.n_sentences):
            raise ValueError(f"{article.id}: {article.n_sentences} sentences but {len(docs)}/{len(raw_docs)} Docs")
        self.article = article
        self.pipeline = pipeline
        self.repaired = repaired
        self.title_doc = title_doc
        self.docs = tuple(docs)
        self.raw_title_doc = raw_title_doc
        self.raw_docs = tuple(raw_docs)
        self._memo: dict[Hashable, Any] = {}
        self._lock = threading.RLock()

    # -- what the article says ------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.article.id

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def sentences(self) -> tuple[str, ...]:
        """The body lines as written, in file order."""
        return self.article.sentences

    @property
    def n_sentences(self) -> int:
        return self.article.n_sentences

    @property
    def date(self):  # noqa: ANN201 (datetime.date, as on Article)
        return self.article.date

    @property
    def url(self) -> str:
        return self.article.url

    @property
    def sha256(self) -> str:
        return self.article.sha256

    @property
    def path(self):  # noqa: ANN201 (Path | None, as on Article)
        return self.article.path

    @property
    def line_numbers(self) -> tuple[int, ...]:
        return self.article.line_numbers

    @property
    def file_lines(self) -> tuple[int, ...]:
        return self.article.file_lines

    # -- what the repair found -----------------------------------------------------------
    @property
    def texts(self) -> tuple[str, ...]:
        """The repaired body lines (what the analyses read), in file order."""
        return self.repaired.texts

    @property
    def dateline(self) -> Dateline | None:
        """The article's wire dateline (``WASHINGTON AFP -``), found once for every analysis."""
        return self.repaired.dateline

    @property
    def dateline_line(self) -> int | None:
        """The body line that carries :attr:`dateline` (index into :attr:`sentences`)."""
        return self.repaired.dateline_line

    @property
    def repairs(self) -> tuple[Repair, ...]:
        return self.repaired.repairs

    def line(self, index: int) -> RepairedText:
        """Repaired line ``index`` (:data:`~analysis._repair.TITLE_LINE` for the title)."""
        return self.repaired.line(index)

    def doc(self, index: int) -> Doc:
        """The Doc of repaired line ``index`` (:data:`~analysis._repair.TITLE_LINE` for the title)."""
        return self.title_doc if index == TITLE_LINE else self.docs[index]

    # -- shared intermediates -------------------------------------------------------------
    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value stored under ``key``, computing it with ``compute()`` the first time.

        The analyses keep their shared intermediates here (mentions per option set, statements,
        canonical names), so each is computed once per article. Thread-safe: widgets may call
        from callbacks while a cell runs.
        """
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            return self._memo.setdefault(key, value)

    def __repr__(self) -> str:
        return f"AnalysedArticle({self.article.id!r}, pipeline={self.pipeline!r}, sentences={self.n_sentences})"


ArticleLike = Union[Article, AnalysedArticle]


def analyse_many(articles: Iterable[Article], *, pipeline: str | None = None, batch_size: int = 256) -> list[AnalysedArticle]:
    """Analyse several articles, parsing all their lines in two large ``nlp.pipe`` batches.

    The lines as written first (every distinct text once, across articles; a dated line as its
    dateline and the rest, see :func:`analysis._repair.written_docs`), then the repaired form of
    the other lines the repair changed (a stripped apostrophe put back).

    Args:
        articles: the articles.
        pipeline: spaCy pipeline name (see :func:`analysis._nlp.resolve_pipeline`).
        batch_size: ``nlp.pipe`` batch size.

    Raises:
        ModelNotFoundError: the pipeline is not installed.
    """
    articles = list(articles)
    name = resolve_pipeline(pipeline)
    raw_texts = [text for a in articles for text in (a.title, *a.sentences)]
    dated = [i > 0 for a in articles for i in range(a.n_sentences + 1)]
    raw = written_docs(raw_texts, datelines=dated, pipeline=name, batch_size=batch_size)
    repaired: list[RepairedArticle] = []
    cursor = 0
    for article in articles:
        size = article.n_sentences + 1
        repaired.append(repair_article(article, docs=raw[cursor : cursor + size], pipeline=name))
        cursor += size
    changed = [
        line.text
        for r in repaired
        for line in (r.title, *r.sentences)
        if line.text != line.original
    ]
    fresh = dict(zip(changed, annotate(changed, pipeline=name, batch_size=batch_size)))
    analysed = []
    cursor = 0
    for article, fixed in zip(articles, repaired):
        raw_docs = raw[cursor : cursor + article.n_sentences + 1]
        cursor += article.n_sentences + 1
        lines = (fixed.title, *fixed.sentences)
        docs = [fresh[line.text] if line.text != line.original else doc for line, doc in zip(lines, raw_docs)]
        analysed.append(
            AnalysedArticle(
                article,
                pipeline=name,
                repaired=fixed,
                title_doc=docs[0],
                docs=docs[1:],
                raw_title_doc=raw_docs[0],
                raw_docs=raw_docs[1:],
            )
        )
    return analysed


# The adapter's memory: the articles analysed most recently in this process, so that calling
# several analyses with the same Article analyses it once. Bounded: a batch kernel reports on
# thousands of articles one after another.
_RECENT: "OrderedDict[tuple[Article, str], AnalysedArticle]" = OrderedDict()
_RECENT_SIZE = 32
_RECENT_LOCK = threading.Lock()


def analyse(article: Article, *, pipeline: str | None = None) -> AnalysedArticle:
    """Analyse one article (see :func:`analyse_many`); the result is kept for the next caller.

    Raises:
        ModelNotFoundError: the pipeline is not installed.
    """
    key = (article, resolve_pipeline(pipeline))
    with _RECENT_LOCK:
        found = _RECENT.get(key)
        if found is not None:
            _RECENT.move_to_end(key)
            return found
    (result,) = analyse_many([article], pipeline=key[1])
    with _RECENT_LOCK:
        _RECENT[key] = result
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    return result


def as_analysed(article: ArticleLike, *, pipeline: str | None = None) -> AnalysedArticle:
    """The one adapter: an :class:`AnalysedArticle` as it is, an :class:`Article` analysed.

    ``pipeline`` applies only to a plain Article; an analysed article keeps the pipeline it was
    parsed with, so every section of a report reads the same Docs.
    """
    if isinstance(article, AnalysedArticle):
        return article
    if isinstance(article, Article):
        return analyse(article, pipeline=pipeline)
    raise TypeError(f"expected an Article or an AnalysedArticle, got {type(article).__name__}")
