"""Entity frequency an analyst can trust: mentions, canonical entities, tables.

* :func:`mentions` / :func:`resolve` (from :mod:`analysis.names`, shared with the stance
  analysis): one row per name in the article, analysed on the repaired text and located in the
  original; canonical names follow ``analysis/names/aliases.csv`` (the analyst's own merges) and
  ``countries.csv``;
* :func:`entity_frequency` / :func:`cooccurrence` (``frequency.py``): tables for one article or a
  corpus, and :func:`frequency_from_mentions` / :func:`cooccurrence_from_mentions` for a corpus
  whose article reports already hold their mention tables;
* :func:`entity_text_html` (displaCy), :func:`entity_sentences` / :func:`repairs_table`
  (``display.py``) for reports.
"""

from ..names._canonical import AliasFileError, canonicalize, clean_surface, load_gazetteer, strip_title
from ._display import entity_sentences, entity_text_html, line_anchor, highlight_html, load_articles, repairs_table, sentences_html
from ._frequency import (
    FREQUENCY_COLUMNS,
    cooccurrence,
    cooccurrence_from_mentions,
    entity_frequency,
    frequency_from_mentions,
)
from ..names._mentions import MENTION_COLUMNS, mentions, resolve

__all__ = [
    "entity_text_html",
    "line_anchor",
    "AliasFileError",
    "FREQUENCY_COLUMNS",
    "MENTION_COLUMNS",
    "canonicalize",
    "clean_surface",
    "cooccurrence",
    "cooccurrence_from_mentions",
    "entity_frequency",
    "entity_sentences",
    "frequency_from_mentions",
    "highlight_html",
    "load_articles",
    "load_gazetteer",
    "mentions",
    "repairs_table",
    "resolve",
    "sentences_html",
    "strip_title",
]
