"""Entity frequency and co-occurrence tables, for one article or a corpus.

Counting rules (the notebook states them for analysts): a mention is a name in the text,
possessives included (``Ukraine's``); pronouns, common nouns and demonyms (unless folded) are
not mentions; ``US-backed`` mentions the United States. A headline is not counted unless
``include_title=True``; a wire dateline is metadata, never a mention.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..analysed import AnalysedArticle, ArticleLike, analyse_many, as_analysed
from ..errors import NewsdeskError
from ..seeds import Article, Corpus
from .canonical import majority_label
from .mentions import MENTION_COLUMNS, NAME_LABELS, mentions

__all__ = [
    "FREQUENCY_COLUMNS",
    "CORPUS_COLUMNS",
    "UnknownLabelError",
    "entity_frequency",
    "corpus_mentions",
    "cooccurrence",
]

FREQUENCY_COLUMNS = ["entity", "label", "mentions", "sentences", "aliases", "lines"]
CORPUS_COLUMNS = ["entity", "label", "mentions", "sentences", "articles", "salience", "aliases"]


class UnknownLabelError(NewsdeskError, ValueError):
    """A label filter names a label that is not an entity label of the pipeline."""


ArticleInput = ArticleLike | Corpus | Iterable[ArticleLike]


def _articles(source: ArticleInput, model: str | None = None) -> tuple[list[AnalysedArticle], bool]:
    """The analysed articles of ``source``, and whether it is a corpus (several articles).

    Plain Articles of a corpus are analysed together (one large ``nlp.pipe``)."""
    if isinstance(source, (Article, AnalysedArticle)):
        return [as_analysed(source, pipeline=model)], False
    items = list(source.articles if isinstance(source, Corpus) else source)
    plain = [a for a in items if isinstance(a, Article)]
    done = iter(analyse_many(plain, pipeline=model)) if plain else iter(())
    return [next(done) if isinstance(a, Article) else as_analysed(a) for a in items], True


def _labels(labels: str | Iterable[str] | None) -> frozenset[str] | None:
    if labels is None:
        return None
    chosen = frozenset([labels] if isinstance(labels, str) else labels)
    unknown = sorted(chosen - set(NAME_LABELS))
    if unknown:
        raise UnknownLabelError(
            f"unknown entity label(s) {', '.join(unknown)}; choose from {', '.join(NAME_LABELS)}"
        )
    return chosen


def corpus_mentions(
    source: ArticleInput,
    *,
    model: str | None = None,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    include_title: bool = False,
    aliases: str | Path | None = None,
) -> pd.DataFrame:
    """The :func:`~analysis.entities.mentions` tables of one or more articles, with an ``article`` column."""
    frames = []
    for article in _articles(source, model)[0]:
        table = mentions(
            article, fold_demonyms=fold_demonyms, fold_metonyms=fold_metonyms, aliases=aliases
        )
        if not include_title:
            table = table[table["line"] >= 0]
        frames.append(table.assign(article=article.id))
    if not frames:
        return pd.DataFrame(columns=["article", *MENTION_COLUMNS])
    return pd.concat(frames, ignore_index=True)[["article", *frames[0].columns.drop("article")]]


def entity_frequency(
    article_or_articles: ArticleInput,
    *,
    labels: str | Iterable[str] | None = None,
    top_n: int | None = None,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    model: str | None = None,
    include_title: bool = False,
    aliases: str | Path | None = None,
) -> pd.DataFrame:
    """How often each canonical entity is mentioned.

    For one article the columns are ``entity``, ``label`` (majority label), ``mentions``,
    ``sentences`` (body lines mentioning it), ``aliases`` (the forms seen, ``"; "``-joined) and
    ``lines`` (those line indices, to trace every count). For several articles (a list or a
    :class:`~analysis.seeds.Corpus`) ``lines`` gives way to ``articles`` (how many mention it)
    and ``salience``: the sum over articles of the entity's share of the article's mentions,
    times the smoothed inverse document frequency ``ln((1 + N) / (1 + df)) + 1`` (tf-idf as in
    scikit-learn's ``TfidfTransformer(smooth_idf=True)``), so an entity named often in few
    articles outranks one named once everywhere.

    Rows are sorted by mentions, then sentences, then name. ``labels`` keeps only entities of
    those labels (before ``top_n``).

    Raises:
        UnknownLabelError: ``labels`` names a label outside :data:`NAME_LABELS`.
    """
    chosen = _labels(labels)
    articles, is_corpus = _articles(article_or_articles, model)
    table = corpus_mentions(
        articles, fold_demonyms=fold_demonyms, fold_metonyms=fold_metonyms,
        include_title=include_title, aliases=aliases,
    )
    columns = CORPUS_COLUMNS if is_corpus else FREQUENCY_COLUMNS
    if table.empty:
        return pd.DataFrame(columns=columns)
    if chosen is not None:
        table = table[table["entity_label"].isin(chosen)]
        if table.empty:
            return pd.DataFrame(columns=columns)

    rows = []
    n_articles = len(articles)
    totals = table.groupby("article").size()
    for entity, group in table.groupby("entity", sort=False):
        row = {
            "entity": entity,
            "label": majority_label(group["entity_label"]),
            "mentions": len(group),
            "sentences": len(group[["article", "line"]].drop_duplicates()),
            "aliases": "; ".join(sorted(set(group["text"]))),
        }
        if is_corpus:
            per_article = group.groupby("article").size()
            idf = math.log((1 + n_articles) / (1 + len(per_article))) + 1
            row["articles"] = len(per_article)
            row["salience"] = float(sum(per_article / totals[per_article.index]) * idf)
        else:
            row["lines"] = tuple(sorted(set(group["line"])))
        rows.append(row)
    result = pd.DataFrame(rows, columns=columns)
    result = result.sort_values(["mentions", "sentences", "entity"], ascending=[False, False, True], kind="stable")
    if top_n is not None:
        result = result.head(top_n)
    return result.reset_index(drop=True)


def cooccurrence(
    article_or_articles: ArticleInput,
    *,
    labels: str | Iterable[str] | None = None,
    top_n: int | None = 15,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    model: str | None = None,
    include_title: bool = False,
    aliases: str | Path | None = None,
) -> pd.DataFrame:
    """Sentences shared by pairs of entities: a square table over the ``top_n`` most mentioned.

    Cell ``(a, b)`` counts the sentences mentioning both ``a`` and ``b``; the diagonal counts the
    sentences mentioning ``a``. Rows and columns follow :func:`entity_frequency` order.
    """
    options = dict(
        fold_demonyms=fold_demonyms, fold_metonyms=fold_metonyms, include_title=include_title, aliases=aliases,
    )
    articles, is_corpus = _articles(article_or_articles, model)
    top = entity_frequency(articles if is_corpus else articles[0], labels=labels, top_n=top_n, **options)
    names = list(top["entity"])
    matrix = pd.DataFrame(0, index=pd.Index(names, name="entity"), columns=pd.Index(names, name="entity"))
    if not names:
        return matrix
    table = corpus_mentions(articles, **options)
    table = table[table["entity"].isin(names)]
    for _, group in table.groupby(["article", "line"]):
        present = sorted(set(group["entity"]), key=names.index)
        for a in present:
            for b in present:
                matrix.loc[a, b] += 1
    return matrix
