"""Entity frequency and co-occurrence tables, for one article or a corpus.

Counting rules (the notebook states them for analysts): a mention is a name in the text,
possessives included (``Ukraine's``); pronouns, common nouns and demonyms (unless folded) are
not mentions; ``US-backed`` mentions the United States. A headline is not counted unless
``include_title=True``; a wire dateline is metadata, never a mention.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from .._language import MENTION_LABELS
from .._analysed import AnalysedArticle, ArticleLike, analyse_many, as_analysed
from ..errors import UnknownLabelError
from .._seeds import Article, Corpus
from ..names._canonical import majority_label
from ..names._mentions import MENTION_COLUMNS, _analysis, _path_key, mentions

__all__ = [
    "FREQUENCY_COLUMNS",
    "CORPUS_COLUMNS",
    "UnknownLabelError",
    "entity_frequency",
    "corpus_mentions",
    "cooccurrence",
    "frequency_from_mentions",
    "cooccurrence_from_mentions",
]

FREQUENCY_COLUMNS = ["entity", "label", "mentions", "sentences", "aliases", "lines"]
CORPUS_COLUMNS = ["entity", "label", "mentions", "sentences", "articles", "salience", "aliases"]


ArticleInput = ArticleLike | Corpus | Iterable[ArticleLike]


def _articles(source: ArticleInput, pipeline: str | None = None) -> tuple[list[AnalysedArticle], bool]:
    """The analysed articles of ``source``, and whether it is a corpus (several articles).

    Plain Articles of a corpus are analysed together (one large ``nlp.pipe``)."""
    if isinstance(source, (Article, AnalysedArticle)):
        return [as_analysed(source, pipeline=pipeline)], False
    items = list(source.articles if isinstance(source, Corpus) else source)
    plain = [a for a in items if isinstance(a, Article)]
    done = iter(analyse_many(plain, pipeline=pipeline)) if plain else iter(())
    return [next(done) if isinstance(a, Article) else as_analysed(a) for a in items], True


def _labels(labels: str | Iterable[str] | None) -> frozenset[str] | None:
    if labels is None:
        return None
    chosen = frozenset([labels] if isinstance(labels, str) else labels)
    unknown = sorted(chosen - set(MENTION_LABELS))
    if unknown:
        raise UnknownLabelError(
            f"unknown entity label(s) {', '.join(unknown)}; choose from {', '.join(MENTION_LABELS)}"
        )
    return chosen


def corpus_mentions(
    source: ArticleInput,
    *,
    pipeline: str | None = None,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    include_title: bool = False,
    aliases: str | Path | None = None,
) -> pd.DataFrame:
    """The :func:`~analysis.entities.mentions` tables of one or more articles, with an ``article`` column."""
    frames = []
    for article in _articles(source, pipeline)[0]:
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
    pipeline: str | None = None,
    include_title: bool = False,
    aliases: str | Path | None = None,
) -> pd.DataFrame:
    """How often each canonical entity is mentioned.

    For one article the columns are ``entity``, ``label`` (majority label), ``mentions``,
    ``sentences`` (body lines mentioning it), ``aliases`` (the forms seen, ``"; "``-joined) and
    ``lines`` (those line indices, to trace every count). For several articles (a list or a
    :class:`~analysis._seeds.Corpus`) ``lines`` gives way to ``articles`` (how many mention it)
    and ``salience``: the sum over articles of the entity's share of the article's mentions,
    times the smoothed inverse document frequency ``ln((1 + N) / (1 + df)) + 1`` (tf-idf as in
    scikit-learn's ``TfidfTransformer(smooth_idf=True)``), so an entity named often in few
    articles outranks one named once everywhere.

    Rows are sorted by mentions, then sentences, then name. ``labels`` keeps only entities of
    those labels (before ``top_n``).

    Raises:
        UnknownLabelError: ``labels`` names a label outside :data:`~analysis._language.MENTION_LABELS`.
    """
    chosen = _labels(labels)
    articles, is_corpus = _articles(article_or_articles, pipeline)
    options = (fold_demonyms, fold_metonyms, include_title, aliases)
    if not is_corpus:
        # One article: kept on it, since the report, the co-occurrence table and the speakers'
        # targets all start from the same counts.
        a = articles[0]
        key = ("entities.frequency", chosen, *options)
        result = a.memo(key, lambda: _frequency(articles, chosen, False, options))
    else:
        result = _frequency(articles, chosen, True, options)
    return (result.head(top_n) if top_n is not None else result).copy()


def _mention_rows(articles: list[AnalysedArticle], options: tuple) -> list[tuple[str, int, str, str, str]]:
    """``(article, line, text, entity, entity_label)`` of every counted mention, in table order."""
    fold_demonyms, fold_metonyms, include_title, aliases = options
    rows = []
    for a in articles:
        table = _analysis(a, fold_demonyms, fold_metonyms, _path_key(aliases)).table
        for line, text, entity, label in zip(table["line"], table["text"], table["entity"], table["entity_label"]):
            if include_title or line >= 0:
                rows.append((a.id, int(line), text, entity, label))
    return rows


def _frequency(articles: list[AnalysedArticle], chosen: frozenset[str] | None, is_corpus: bool, options: tuple) -> pd.DataFrame:
    return _count(_mention_rows(articles, options), chosen, n_articles=len(articles), is_corpus=is_corpus)


def _count(
    mention_rows: Iterable[tuple[str, int, str, str, str]], chosen: frozenset[str] | None, *, n_articles: int, is_corpus: bool
) -> pd.DataFrame:
    """The frequency table of ``(article, line, text, entity, entity_label)`` rows."""
    columns = CORPUS_COLUMNS if is_corpus else FREQUENCY_COLUMNS
    # Plain Python over the rows: a pandas group per entity costs more than the whole count.
    found: dict[str, dict] = {}
    totals: Counter = Counter()
    for article, line, text, entity, label in mention_rows:
        if chosen is not None and label not in chosen:
            continue
        totals[article] += 1
        entry = found.setdefault(entity, {"labels": [], "sentences": set(), "aliases": set(), "articles": Counter()})
        entry["labels"].append(label)
        entry["sentences"].add((article, line))
        entry["aliases"].add(text)
        entry["articles"][article] += 1
    if not found:
        return pd.DataFrame(columns=columns)
    rows = []
    for entity, entry in found.items():
        row = {
            "entity": entity,
            "label": majority_label(entry["labels"]),
            "mentions": len(entry["labels"]),
            "sentences": len(entry["sentences"]),
            "aliases": "; ".join(sorted(entry["aliases"])),
        }
        if is_corpus:
            per_article = entry["articles"]
            idf = math.log((1 + n_articles) / (1 + len(per_article))) + 1
            row["articles"] = len(per_article)
            # Summed in article order, as pandas did, so the float is the same to the last bit.
            row["salience"] = float(sum(n / totals[a] for a, n in sorted(per_article.items())) * idf)
        else:
            row["lines"] = tuple(sorted({line for _, line in entry["sentences"]}))
        rows.append(row)
    rows.sort(key=lambda r: (-r["mentions"], -r["sentences"], r["entity"]))
    return pd.DataFrame(rows, columns=columns)


def cooccurrence(
    article_or_articles: ArticleInput,
    *,
    labels: str | Iterable[str] | None = None,
    top_n: int | None = 15,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    pipeline: str | None = None,
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
    articles, is_corpus = _articles(article_or_articles, pipeline)
    top = entity_frequency(articles if is_corpus else articles[0], labels=labels, top_n=top_n, **options)
    names = list(top["entity"])
    rows = _mention_rows(articles, (fold_demonyms, fold_metonyms, include_title, aliases))
    return _cooccurrence(rows, names)


def _cooccurrence(mention_rows: Iterable[tuple[str, int, str, str, str]], names: list[str]) -> pd.DataFrame:
    matrix = pd.DataFrame(0, index=pd.Index(names, name="entity"), columns=pd.Index(names, name="entity"))
    position = {name: k for k, name in enumerate(names)}
    sentences: dict[tuple, set[int]] = {}
    for article, line, _, entity, _ in mention_rows:
        if entity in position:
            sentences.setdefault((article, line), set()).add(position[entity])
    counts = np.zeros((len(names), len(names)), dtype=np.int64)
    for present in sentences.values():
        ids = sorted(present)
        counts[np.ix_(ids, ids)] += 1
    matrix.iloc[:, :] = counts
    return matrix


def _table_rows(table: pd.DataFrame, include_title: bool) -> list[tuple[str, int, str, str, str]]:
    if table.empty:
        return []
    return [
        (str(article), int(line), str(text), str(entity), str(label))
        for article, line, text, entity, label in zip(
            table["article"], table["line"], table["text"], table["entity"], table["entity_label"]
        )
        if include_title or line >= 0
    ]


def frequency_from_mentions(
    table: pd.DataFrame,
    *,
    labels: str | Iterable[str] | None = None,
    top_n: int | None = None,
    include_title: bool = False,
    n_articles: int | None = None,
) -> pd.DataFrame:
    """The corpus table of :func:`entity_frequency` from stacked mention tables, without analysing
    anything: e.g. ``collect_results("reports", "mentions")``, the ``mentions.csv`` that every
    article report writes (columns ``article``, ``line``, ``text``, ``entity``, ``entity_label``).

    ``n_articles`` is the size of the corpus for the inverse document frequency (default: the
    articles present in ``table``; pass the corpus size when some articles mention nothing).
    """
    chosen = _labels(labels)
    rows = _table_rows(table, include_title)
    size = n_articles if n_articles is not None else (table["article"].nunique() if not table.empty else 0)
    result = _count(rows, chosen, n_articles=size, is_corpus=True)
    return result.head(top_n).copy() if top_n is not None else result


def cooccurrence_from_mentions(
    table: pd.DataFrame, names: Iterable[str], *, include_title: bool = False
) -> pd.DataFrame:
    """The :func:`cooccurrence` matrix over ``names`` from stacked mention tables (see
    :func:`frequency_from_mentions`)."""
    return _cooccurrence(_table_rows(table, include_title), list(names))
