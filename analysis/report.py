"""Building blocks of the per-article report (``notebooks/article_report.ipynb``).

Small functions that turn an :class:`~analysis.seeds.Article` into display-ready tables. Tables
are pandas DataFrames, whose HTML rendering escapes cell text, so markup in an article (a title
such as ``<script>…``) is shown as text, never run.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from .analysed import ArticleLike, as_analysed

__all__ = ["article_overview", "sentences_table", "table_html"]


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
            "line": list(article.line_numbers) or list(range(4, 4 + article.n_sentences)),
            "sentence": list(article.sentences),
        }
    ).set_index("line")


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


def table_html(frame: pd.DataFrame, *, index: bool = False, digits: int = 3) -> str:
    """``frame`` as an HTML table for a report: no pandas index column (unless ``index``), a dash
    for a missing value, sequences written as ``16, 27``, floats with ``digits`` decimals; every
    cell escaped."""
    shown = frame.reset_index() if index else frame
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_shown(v, digits))}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False, name=None)
    )
    if not len(shown):
        body = f'<tr><td colspan="{max(len(shown.columns), 1)}"><em>none</em></td></tr>'
    return f'<table class="dataframe nd-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
