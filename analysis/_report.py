"""Building blocks of the per-article report (``notebooks/article_report.ipynb``).

Small functions that turn an :class:`~analysis._seeds.Article` into display-ready tables. Tables
are pandas DataFrames, whose HTML rendering escapes cell text, so markup in an article (a title
such as ``<script>…``) is shown as text, never run.
"""

from __future__ import annotations

import html
import math
from typing import Any, Iterable

import pandas as pd

from ._analysed import ArticleLike, as_analysed
from ._results import LINE_COLUMNS, _renumber

__all__ = ["article_overview", "corpus_seed_lines", "line_anchor", "seed_lines", "sentences_table", "table_html"]



def article_overview(article: ArticleLike, *, as_dict: bool = False) -> pd.DataFrame | dict[str, Any]:
    """The article's metadata: id, title, date, URL, sentence count, the wire dateline's place
    and agency (when a sentence opens with one), file and its sha256."""
    analysed = as_analysed(article)
    dateline, article = analysed.dateline, analysed.article
    fields = {
        "id": article.id,
        "title": article.title,
        "date": article.date.isoformat(),
        "url": article.url,
        "sentences": article.n_sentences,
        "dateline": dateline.place if dateline else None,
        "agency": dateline.agency if dateline else None,
        "file": article.path.name if article.path else None,
        "sha256": article.sha256,
    }
    if as_dict:
        return fields
    return pd.DataFrame({"value": ["" if v is None else str(v) for v in fields.values()]}, index=pd.Index(list(fields), name="field"))


def sentences_table(article: ArticleLike) -> pd.DataFrame:
    """One row per body sentence in file order, with its line number in the file."""
    article = article.article if hasattr(article, "article") else article
    return pd.DataFrame(
        {
            "line": list(article.file_lines),
            "sentence": list(article.sentences),
        }
    ).set_index("line")


def line_anchor(line: int) -> str:
    """The HTML id of a body line's text in a report (``line`` is its line in the seed file)."""
    return f"line-{int(line)}"


def seed_lines(frame: pd.DataFrame, article: ArticleLike, *, columns: tuple[str, ...] = LINE_COLUMNS) -> pd.DataFrame:
    """A copy of ``frame`` whose line columns name each line by its line in the seed file
    (the title as ``"title"``), the one numbering a report shows.

    The analyses index body lines from 0 in file order (-1 for the title); ``columns`` that hold
    such an index, or a sequence of them, are mapped through the article's line numbers (the
    mapping of :func:`analysis._results.file_numbered`).
    """
    return _renumber(frame, article, to_file=True, title="title", columns=columns, as_files=False)


def corpus_seed_lines(frame: pd.DataFrame, articles: Iterable[ArticleLike], **options: Any) -> pd.DataFrame:
    """:func:`seed_lines` for a stacked table (an ``article`` column): each row mapped through
    its own article's line numbers (rows of unknown articles are kept as they are)."""
    return _renumber(frame, list(articles), to_file=True, title="title", as_files=False, **options)


def _linked(value: Any) -> str:
    """A seed-file line number as a link to that line's text in the report (anything else as text)."""
    if isinstance(value, (tuple, list)):
        return ", ".join(_linked(v) for v in value) if value else "–"
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<a href="#{line_anchor(value)}">{value}</a>'
    return html.escape(_shown(value, 3))


def _shown(value: Any, digits: int) -> str:
    """A cell as a reader wants it: a dash for missing, ``16, 27`` for a sequence, few decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, (tuple, list, set, frozenset)):
        return ", ".join(_shown(v, digits) for v in value) if value else "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    text = str(value)
    return text if text else "–"


def table_html(frame: pd.DataFrame, *, index: bool = False, digits: int = 3, links: tuple[str, ...] = ()) -> str:
    """``frame`` as an HTML table for a report: no pandas index column (unless ``index``), a dash
    for a missing value, sequences written as ``16, 27``, floats with ``digits`` decimals; every
    cell escaped. In the ``links`` columns (seed-file line numbers, see :func:`seed_lines`) each
    number links to its line in the report."""
    shown = frame.reset_index() if index else frame
    linked = [c in links for c in shown.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(
            f"<td>{_linked(v) if link else html.escape(_shown(v, digits))}</td>" for v, link in zip(row, linked)
        ) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    if not len(shown):
        body = f'<tr><td colspan="{max(len(shown.columns), 1)}"><em>none</em></td></tr>'
    return f'<table class="dataframe nd-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
