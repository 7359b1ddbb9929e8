"""newsdesk analysis: read news articles, annotate them with spaCy, and study their entities,
stance and sentence order."""

from .errors import GoldFormatError, ModelNotFoundError, NewsdeskError, PluginLoadError, SeedFormatError, UnknownMethodError
from .seeds import Article, Corpus, gold_order, load_article, load_corpus, load_gold, parse_article

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Corpus",
    "GoldFormatError",
    "ModelNotFoundError",
    "NewsdeskError",
    "PluginLoadError",
    "SeedFormatError",
    "UnknownMethodError",
    "gold_order",
    "load_article",
    "load_corpus",
    "load_gold",
    "parse_article",
]
