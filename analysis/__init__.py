"""newsdesk analysis: read news articles, annotate them with spaCy, and study their entities,
stance and sentence order.

What a notebook needs is here, and figures and displays are in :mod:`analysis.plots`; the
rest of the package is plumbing that may change between versions.

    import analysis
    article = analysis.analyse(analysis.load_article("seeds/000_3b38e28e8b9a1ce3.txt"))
    analysis.entity_frequency(article)      # entities, canonical names merged
    analysis.stance_results(article)        # claim, sentence and actor stance
    analysis.reorder(article)                # the most plausible original order

Loading and analysing
    :func:`load_article`, :func:`load_corpus`, :func:`parse_article`, :func:`analyse`, :func:`analyse_many`
    (an :class:`AnalysedArticle`: repaired text, dateline, Docs and statements, computed once).
The three analyses
    :func:`entity_frequency`, :func:`cooccurrence`, :func:`mentions`, :func:`repairs_table`;
    :func:`stance_results`; :func:`reorder`, :func:`evaluate` (against :func:`article_gold`).
A corpus of reports
    :func:`open_corpus`, :func:`corpus_tables` (every corpus table, read from the article
    reports or computed afresh).
Results
    :func:`save_results`, :func:`stack_results`.
Errors
    :class:`NewsdeskError` and its subclasses (the tree is drawn in :mod:`analysis.errors`).

Names are imported on first use, so ``import analysis`` stays cheap (no spaCy, no pandas)
for the command line and the batch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    GoldFormatError,
    ModelMismatchError,
    ModelNotFoundError,
    NewsdeskError,
    PluginLoadError,
    SeedFormatError,
    UnknownMethodError,
)

__version__ = "0.1.0"

#: Public name -> the module that defines it (imported when the name is first used).
_LAZY: dict[str, str] = {
    "Article": "analysis._seeds",
    "Corpus": "analysis._seeds",
    "load_article": "analysis._seeds",
    "load_corpus": "analysis._seeds",
    "parse_article": "analysis._seeds",
    "AnalysedArticle": "analysis._analysed",
    "analyse": "analysis._analysed",
    "analyse_many": "analysis._analysed",
    "entity_frequency": "analysis.entities",
    "cooccurrence": "analysis.entities",
    "mentions": "analysis.entities",
    "repairs_table": "analysis.entities",
    "stance_results": "analysis.stance",
    "reorder": "analysis.ordering",
    "evaluate": "analysis.ordering",
    "article_gold": "analysis._gold",
    "open_corpus": "analysis._corpus_report",
    "corpus_tables": "analysis._corpus_report",
    "save_results": "analysis._results",
    "stack_results": "analysis._results",
}

__all__ = [
    *_LAZY,
    "GoldFormatError",
    "ModelMismatchError",
    "ModelNotFoundError",
    "NewsdeskError",
    "PluginLoadError",
    "SeedFormatError",
    "UnknownMethodError",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


if TYPE_CHECKING:  # what type checkers and IDEs see
    from ._analysed import AnalysedArticle, analyse, analyse_many
    from ._corpus_report import corpus_tables, open_corpus
    from .entities import cooccurrence, entity_frequency, mentions, repairs_table
    from ._gold import article_gold
    from .ordering import evaluate, reorder
    from ._results import save_results, stack_results
    from ._seeds import Article, Corpus, load_article, load_corpus, parse_article
    from .stance import stance_results
