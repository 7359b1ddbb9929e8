"""Entity frequency an analyst can trust: mentions, canonical entities, tables.

* :func:`mentions` / :func:`resolve` (``mentions.py``): one row per name in the article,
  analysed on the repaired text (:mod:`analysis.repair`) and located in the original;
* ``canonical.py``: how mentions merge into canonical entities (``aliases.csv`` for the analyst's
  own merges, ``countries.csv`` for well-known country names);
* :func:`entity_frequency` / :func:`cooccurrence` (``frequency.py``): tables for one article or a
  corpus; :func:`entity_sentences` / :func:`repairs_table` (``display.py``) for reports.
"""

from .canonical import AliasFileError, canonicalize, clean_surface, load_gazetteer, strip_title
from .display import entity_sentences, highlight_html, load_articles, repairs_table, sentences_html
from .frequency import (
    FREQUENCY_COLUMNS,
    cooccurrence,
    cooccurrence_from_mentions,
    entity_frequency,
    frequency_from_mentions,
)
from .mentions import MENTION_COLUMNS, NAME_LABELS, mentions, resolve

__all__ = [
    "AliasFileError",
    "FREQUENCY_COLUMNS",
    "MENTION_COLUMNS",
    "NAME_LABELS",
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
