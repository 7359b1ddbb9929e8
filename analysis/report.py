"""Building blocks of the per-article report (``notebooks/article_report.ipynb``).

Small functions that turn an :class:`~analysis.seeds.Article` into display-ready tables. Tables
are pandas DataFrames, whose HTML rendering escapes cell text, so markup in an article (a title
such as ``<script>…``) is shown as text, never run.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .analysed import ArticleLike, as_analysed

__all__ = ["article_overview", "sentences_table"]


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
