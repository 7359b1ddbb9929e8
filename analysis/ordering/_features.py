"""Cues of news writing, computed over spaCy Docs, for ordering the sentences of an article.

Two kinds of features feed the pairwise model (:mod:`analysis.ordering._pairwise`):

* **sentence features** ``s(i)``: properties of one sentence in its article that tell where it
  tends to sit: a wire dateline marks the lead; a pronoun, a connective ("But", "However",
  "Also") or a definite "The ..." at the start needs an antecedent; overlap with the headline,
  with the dateline lead and with the rest of the article (centrality); quotes and
  attributions; people introduced by an appositive; years and "earlier"/"since" mark
  background, weekdays mark the news peg; whether a number occurs (the lead's toll, sum or
  score); the sentence's opening word (closed-class words as
  such, others by part of speech; the vocabulary is learned from the training articles).
* **pair features** ``g(i, j)``: evidence that sentence ``i`` comes before ``j``: ``i`` names a
  person in full and ``j`` by surname only; ``j`` opens with a pronoun or connective and shares
  words with ``i``; an acronym spelled out in ``i`` is used bare in ``j``; "a X" in ``i``
  then "the X" in ``j``; and entity-grid transitions between the two (Barzilay & Lapata 2008,
  "Modeling local coherence: an entity-based approach"): the syntactic role (Subject, Object,
  other, absent) of each noun phrase head in ``i`` and in ``j``.

The model sees ``s(i) - s(j)`` and ``g(i, j) - g(j, i)``, so its "i before j" probability is
exactly one minus its "j before i" probability.

The model's weights are matched to the columns by position. Each column is therefore defined
once, as a name bound to the function computing it (:data:`SENTENCE_COLUMNS` here,
:data:`~analysis.ordering._pair_features.PAIR_COLUMNS` for the pair cues), and the name tuples
are derived from those; the committed model stores the names it was trained on, and
:meth:`~analysis.ordering._weights.PairwiseModel.load` refuses a model whose names differ.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

import numpy as np
from spacy.tokens import Doc

from .._language import (
    ANAPHORIC_WORDS,
    ATTRIBUTION_VERBS,
    BACKGROUND_WORDS,
    CONNECTIVES,
    PERSONAL_ANAPHORS,
    WEEKDAY_WORDS,
)
from .._nlp import annotate
from .._repair import Dateline, detect_dateline, written_docs
from .._seeds import Article
from ._cues import SentenceCues, article_cues, content_words
from ._meaning import MEANING_PAIR_FEATURES, MEANING_SENTENCE_FEATURES, meaning_features
from ._pair_features import PAIR_COLUMNS, indicator, pair_features
from ._tokens import ArticleTokens, article_tokens

__all__ = [
    "find_dateline",
    "SENTENCE_COLUMNS",
    "SENTENCE_FEATURES",
    "PAIR_FEATURES",
    "ArticleContext",
    "ArticleFeatures",
    "SentenceColumn",
    "SentenceInput",
    "article_features",
    "first_word",
    "sentence_inputs",
    "sentence_rows",
]

def find_dateline(sentence: str) -> Dateline | None:
    """The wire dateline opening ``sentence`` (``WASHINGTON AFP -``, ``GENEVA 1996-08-30 -``),
    or ``None``: :func:`analysis._repair.detect_dateline`, shared with the entity analysis so
    both agree on what a lead is."""
    return detect_dateline(sentence)


_QUOTES = "\"“”«»"
_DOUBLE_QUOTES = "\"“”"
_PRONOUN_SAID_RE = re.compile(r"\b(he|she|they|it)\s+(said|says|added|told|wrote)\b", re.IGNORECASE)
_NAMED_SAID_RE = re.compile(r"\b[A-Z][a-z]+\s+(said|says|added|told|wrote)\b")
_YEAR_RE = re.compile(r"\b(19|20)\d{2}\b")


def first_word(doc: Doc) -> str:
    """The sentence's opening word class, after any opening quote or punctuation.

    Closed-class words ("the", "but", "he", "in", ...) are kept as such; any other word is
    replaced by its part of speech (``<PROPN>``, ``<NOUN>``, ``<NUM>``...), so that what the
    model learns about openings carries over to stories on other topics.
    """
    for token in doc:
        if token.is_punct or token.is_space:
            continue
        return token.lower_ if token.is_stop else f"<{token.pos_}>"
    return ""


@dataclass(frozen=True)
class ArticleFeatures:
    """Features of one article: ``sentence`` is (n, len(SENTENCE_FEATURES)) and ``pair`` is
    (n, n, len(PAIR_FEATURES)); ``first_words`` and ``lemmas`` feed the vocabularies learned in training."""

    sentence: np.ndarray
    pair: np.ndarray
    first_words: tuple[str, ...]
    datelines: tuple[bool, ...]
    lemmas: tuple[frozenset[str], ...] = ()


def _strip_dateline(doc: Doc, sentence: str) -> tuple[Doc, Dateline | None]:
    found = find_dateline(sentence)
    if found is None:
        return doc, None
    span = doc.char_span(found.end, len(sentence), alignment_mode="expand")
    return (span.as_doc() if span is not None and len(span) else doc), found


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _jaccard_matrix(matrix: np.ndarray) -> np.ndarray:
    """``J[i, j]``: Jaccard similarity of sets ``i`` and ``j`` given as the 0/1 rows of
    ``matrix`` (0 when either is empty)."""
    shared = matrix @ matrix.T
    sizes = matrix.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    # Counts are exact integers, so each quotient is the correctly rounded len(a & b) / len(a | b).
    return np.where((sizes[:, None] > 0) & (sizes[None, :] > 0), shared / np.maximum(union, 1.0), 0.0)


def _centrality(similarity: np.ndarray) -> np.ndarray:
    """Mean similarity of each sentence to the others, summed left to right like ``sum()``."""
    n = similarity.shape[0]
    if n < 2:
        return np.zeros(n)
    others = similarity.copy()
    np.fill_diagonal(others, 0.0)  # adding 0.0 leaves a running sum unchanged
    return np.cumsum(others, axis=1)[:, -1] / (n - 1)


class ArticleContext(NamedTuple):
    """What the sentence columns read from the rest of the article."""

    title_words: frozenset[str]
    title_ents: set[str]
    #: People named in full, and by one word, anywhere in the article.
    all_full: frozenset[str]
    all_single: frozenset[str]
    #: Sentences naming each entity.
    ent_counts: Counter[str]
    #: Content words of the dateline lead, or of the headline when no dateline marks one.
    lead_words: frozenset[str]


class SentenceInput(NamedTuple):
    """Everything one sentence's columns are computed from (see :data:`SENTENCE_COLUMNS`)."""

    cue: SentenceCues
    #: The sentence as written (with its dateline).
    text: str
    dateline: Dateline | None
    context: ArticleContext
    centrality: float


class SentenceColumn(NamedTuple):
    """One sentence feature: its name in the model and the function computing its value."""

    name: str
    value: Callable[[SentenceInput], float]


def _tense(k: int) -> Callable[[SentenceInput], float]:
    return lambda s: s.cue.tense[k]


#: The sentence features computed from spaCy's annotation, in column order: each name is bound
#: to its value here, once, so that a column cannot drift from its name (the committed model
#: stores the names, and :meth:`analysis.ordering._weights.PairwiseModel.load` checks them).
SENTENCE_COLUMNS: tuple[SentenceColumn, ...] = (
    SentenceColumn("dateline", lambda s: float(s.dateline is not None)),
    # A date or an agency tells a wire dateline from a section label ("MARKET TALK -").
    SentenceColumn("dateline_dated", lambda s: float(s.dateline is not None and bool(s.dateline.date or s.dateline.agency))),
    SentenceColumn("starts_pronoun", lambda s: float(s.cue.first in ANAPHORIC_WORDS)),
    SentenceColumn("starts_personal_pronoun", lambda s: float(s.cue.first in PERSONAL_ANAPHORS)),
    SentenceColumn("starts_connective", lambda s: float(s.cue.first in CONNECTIVES)),
    SentenceColumn("starts_the", lambda s: float(s.cue.first == "the")),
    SentenceColumn("starts_quote", lambda s: float(s.cue.body[:1] in _QUOTES or s.cue.body[:1] == "'")),
    SentenceColumn("has_quote", lambda s: float(any(q in s.text for q in _QUOTES))),
    # An odd number of double quotes: the sentence opens a quote that goes on (when it starts
    # with one) or closes a quote opened before it ("... he said."): a quote split over lines.
    SentenceColumn("quote_opens", lambda s: float(_open_quotes(s.cue.body) % 2 == 1 and s.cue.body.lstrip()[:1] in _DOUBLE_QUOTES)),
    SentenceColumn("quote_closes", lambda s: float(_open_quotes(s.cue.body) % 2 == 1 and s.cue.body.lstrip()[:1] not in _DOUBLE_QUOTES)),
    SentenceColumn("attribution", lambda s: float(bool(s.cue.lemmas & ATTRIBUTION_VERBS))),
    SentenceColumn("log_tokens", lambda s: math.log1p(s.cue.n_words)),
    SentenceColumn("title_overlap", lambda s: _share(s.cue.content, s.context.title_words)),
    SentenceColumn("title_jaccard", lambda s: _jaccard(s.cue.content, s.context.title_words)),
    SentenceColumn("centrality", lambda s: s.centrality),
    SentenceColumn("log_entities", lambda s: math.log1p(len(s.cue.ents))),
    SentenceColumn("person_full_first", lambda s: float(len(s.cue.persons_full & s.context.all_single))),
    SentenceColumn("person_surname_only", lambda s: float(len(s.cue.persons_single & s.context.all_full))),
    SentenceColumn("digit_ratio", lambda s: sum(map(str.isdigit, s.cue.body)) / s.cue.n_chars),
    SentenceColumn("has_year", lambda s: float(bool(_YEAR_RE.search(s.cue.body)))),
    SentenceColumn("weekday", lambda s: float(bool(s.cue.lowers & WEEKDAY_WORDS))),
    SentenceColumn("background", lambda s: float(bool(s.cue.lowers & BACKGROUND_WORDS))),
    SentenceColumn("has_also", lambda s: float("also" in s.cue.lowers)),
    SentenceColumn("question", lambda s: float(s.cue.body.rstrip(_QUOTES + "' ").endswith("?"))),
    SentenceColumn("ends_colon", lambda s: float(s.cue.body.rstrip().endswith(":"))),
    SentenceColumn("new_entity_ratio", lambda s: _new_entity_ratio(s.cue.ents, s.context.ent_counts)),
    SentenceColumn("propn_ratio", lambda s: s.cue.n_propn / max(1, s.cue.n_words)),
    SentenceColumn("first_person", lambda s: float(bool(s.cue.lowers & {"i", "we", "my", "our"}))),
    SentenceColumn("title_entities", lambda s: len(s.cue.ents & s.context.title_ents) / max(1, len(s.context.title_ents))),
    SentenceColumn(
        "lead_similarity", lambda s: 0.0 if s.dateline is not None else _jaccard(s.cue.content, s.context.lead_words)
    ),
    SentenceColumn("appositives", lambda s: float(s.cue.appositives)),
    SentenceColumn("pronoun_said", lambda s: float(bool(_PRONOUN_SAID_RE.search(s.cue.body)))),
    SentenceColumn("named_said", lambda s: float(bool(_NAMED_SAID_RE.search(s.cue.body)))),
    SentenceColumn("long_names", lambda s: float(s.cue.long_names)),
    # SentenceCues.tense, in its order.
    SentenceColumn("past", _tense(0)),
    SentenceColumn("present", _tense(1)),
    SentenceColumn("present_perfect", _tense(2)),
    SentenceColumn("past_perfect", _tense(3)),
    SentenceColumn("modal", _tense(4)),
    SentenceColumn("has_number", lambda s: float(s.cue.has_number)),
)
#: Names of the sentence features: the columns above, then the sentence-meaning ones.
SENTENCE_FEATURES: tuple[str, ...] = tuple(c.name for c in SENTENCE_COLUMNS) + MEANING_SENTENCE_FEATURES
#: Names of the pair features: the pair cues (:data:`~analysis.ordering._pair_features.PAIR_COLUMNS`),
#: then the sentence-meaning one.
PAIR_FEATURES: tuple[str, ...] = tuple(c.name for c in PAIR_COLUMNS) + MEANING_PAIR_FEATURES


def _open_quotes(text: str) -> int:
    """How many double quotes (straight or curly) ``text`` holds."""
    return sum(text.count(q) for q in _DOUBLE_QUOTES)


def _share(a: frozenset[str], b: frozenset[str]) -> float:
    """The part of ``b`` that ``a`` holds (0 when ``b`` is empty)."""
    return len(a & b) / len(b) if b else 0.0


def _new_entity_ratio(ents: frozenset[str], counts: Counter[str]) -> float:
    """The part of the sentence's entities that no other sentence names."""
    return sum(counts[e] == 1 for e in ents) / len(ents) if ents else 0.0


def sentence_rows(inputs: Sequence[SentenceInput]) -> np.ndarray:
    """The (n, len(SENTENCE_COLUMNS)) matrix of the sentences' columns."""
    return np.asarray([[c.value(s) for c in SENTENCE_COLUMNS] for s in inputs], dtype=np.float64).reshape(
        len(inputs), len(SENTENCE_COLUMNS)
    )


def article_features(
    article: Article,
    *,
    docs: Sequence[Doc] | None = None,
    title_doc: Doc | None = None,
    pipeline: str | None = None,
) -> ArticleFeatures:
    """Sentence and pair features of an article (its sentences parsed as written by
    :func:`analysis._repair.written_docs`, its title by :func:`analysis._nlp.annotate`).

    Args:
        article: the article, sentences in file order.
        docs: its sentences already parsed as written (one Doc each), to skip parsing.
        title_doc: its title already annotated, to skip annotating it.
        pipeline: spaCy pipeline name passed to :func:`~analysis._nlp.annotate`.
    """
    tokens, cues, inputs = _annotated(article, docs, title_doc, pipeline)
    title = tokens.tables[-1]
    rows = sentence_rows(inputs)
    names = SENTENCE_FEATURES[: len(SENTENCE_COLUMNS)]
    pair = pair_features(cues, rows, names)
    opens = rows[:, [names.index(f) for f in ("starts_pronoun", "starts_connective", "starts_the")]]
    meaning, meaning_pairs = meaning_features(tokens.tables[: len(cues)], title, (opens.max(axis=1) > 0).astype(float))
    rows, pair = np.hstack([rows, meaning]), np.concatenate([pair, meaning_pairs], axis=2)
    return ArticleFeatures(
        rows,
        pair,
        tuple(c.first for c in cues),
        tuple(s.dateline is not None for s in inputs),
        tuple(c.order_lemmas for c in cues),
    )


def sentence_inputs(
    article: Article,
    *,
    docs: Sequence[Doc] | None = None,
    title_doc: Doc | None = None,
    pipeline: str | None = None,
) -> list[SentenceInput]:
    """What the :data:`SENTENCE_COLUMNS` of each sentence are computed from (arguments as for
    :func:`article_features`): to compute or inspect one column by name."""
    return _annotated(article, docs, title_doc, pipeline)[2]


def _annotated(
    article: Article, docs: Sequence[Doc] | None, title_doc: Doc | None, pipeline: str | None
) -> tuple[ArticleTokens, list[SentenceCues], list[SentenceInput]]:
    """The article's token tables (sentences with datelines stripped, then the title), the
    sentences' cues, and their column inputs."""
    if docs is None:
        docs = written_docs(list(article.sentences), pipeline=pipeline)
    if title_doc is None:
        title_doc = annotate([article.title], pipeline=pipeline)[0]
    stripped, datelines = zip(*(_strip_dateline(d, s) for d, s in zip(docs, article.sentences)))
    tokens = article_tokens([*stripped, title_doc])
    cues = article_cues(tokens, len(stripped))
    return tokens, cues, _sentence_inputs(article, cues, datelines, content_words(tokens.tables[-1]), title_doc)


def _sentence_inputs(
    article: Article,
    cues: Sequence[SentenceCues],
    datelines: Sequence[Dateline | None],
    title_words: frozenset[str],
    title_doc: Doc,
) -> list[SentenceInput]:
    """What each sentence's columns read: its cues, its text and dateline, the article's context."""
    has_dateline = [d is not None for d in datelines]
    context = ArticleContext(
        title_words=title_words,
        title_ents={e.text.lower() for e in title_doc.ents},
        all_full=frozenset().union(*(c.persons_full for c in cues)),
        all_single=frozenset().union(*(c.persons_single for c in cues)),
        ent_counts=Counter(name for c in cues for name in c.ents),
        # The lead, when a dateline marks it, is the best stand-in for "what the story is
        # about"; without one the headline plays that part.
        lead_words=frozenset().union(*(c.content for c, d in zip(cues, has_dateline) if d))
        if any(has_dateline)
        else title_words,
    )
    centrality = _centrality(_jaccard_matrix(indicator([c.content for c in cues])[0]))
    return [
        SentenceInput(cue, text, dateline, context, float(central))
        for cue, text, dateline, central in zip(cues, article.sentences, datelines, centrality)
    ]
