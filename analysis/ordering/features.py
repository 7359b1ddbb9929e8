"""Cues of news writing, computed over spaCy Docs, for ordering the sentences of an article.

Two kinds of features feed the pairwise model (:mod:`analysis.ordering.pairwise`):

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
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from spacy.tokens import Doc

from ..nlp import annotate
from ..repair import Dateline, detect_dateline
from ..seeds import Article
from .cues import SentenceCues, article_cues, content_words
from .meaning import MEANING_PAIR_FEATURES, MEANING_SENTENCE_FEATURES, meaning_features
from .pair_features import indicator, pair_features
from .tokens import article_tokens

__all__ = [
    "find_dateline",
    "SENTENCE_FEATURES",
    "PAIR_FEATURES",
    "ArticleFeatures",
    "article_features",
    "first_word",
]

def find_dateline(sentence: str) -> Dateline | None:
    """The wire dateline opening ``sentence`` (``WASHINGTON AFP -``, ``GENEVA 1996-08-30 -``),
    or ``None``: :func:`analysis.repair.detect_dateline`, shared with the entity analysis so
    both agree on what a lead is."""
    return detect_dateline(sentence)


_PRONOUNS = frozenset("he she they it his her their its him them we i this these that those such".split())
_PERSONAL = frozenset("he she his her him".split())
_CONNECTIVES = frozenset(
    """but however also and meanwhile still yet moreover besides instead furthermore further
    nevertheless nonetheless so thus therefore then later earlier separately additionally
    in addition or both while though although""".split()
)
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight".split())
_BACKGROUND = frozenset("earlier previously since ago last former past already history".split())
_ATTRIBUTION = frozenset("say tell add state announce report note claim write explain".split())
_QUOTES = "\"“”«»"
_PRONOUN_SAID_RE = re.compile(r"\b(he|she|they|it)\s+(said|says|added|told|wrote)\b", re.IGNORECASE)
_NAMED_SAID_RE = re.compile(r"\b[A-Z][a-z]+\s+(said|says|added|told|wrote)\b")
_YEAR_RE = re.compile(r"\b(19|20)\d{2}\b")
# Entity-grid roles: subject, object, other (see analysis.ordering.cues); "-" is absent.
_ROLES = ("S", "O", "X")

SENTENCE_FEATURES: tuple[str, ...] = (
    "dateline", "dateline_dated", "starts_pronoun", "starts_personal_pronoun", "starts_connective", "starts_the",
    "starts_quote", "has_quote", "attribution", "log_tokens", "title_overlap", "title_jaccard",
    "centrality", "log_entities", "person_full_first", "person_surname_only", "digit_ratio",
    "has_year", "weekday", "background", "has_also", "question", "ends_colon",
    "new_entity_ratio", "propn_ratio", "first_person", "title_entities",
    "lead_similarity", "appositives", "pronoun_said", "named_said", "long_names",
    "past", "present", "present_perfect", "past_perfect", "modal", "has_number",
)
#: The cues computed from spaCy's annotation, before the sentence-meaning ones.
_CUE_FEATURES = len(SENTENCE_FEATURES)
SENTENCE_FEATURES += MEANING_SENTENCE_FEATURES
_GRID = tuple(f"grid_{a}{b}" for a in _ROLES + ("-",) for b in _ROLES + ("-",) if (a, b) != ("-", "-"))
PAIR_FEATURES: tuple[str, ...] = (
    "full_then_surname", "antecedent_for_pronoun", "antecedent_for_connective", "acronym_defined",
    "indefinite_then_definite", "overlap_then_definite", "shared_entity_then_pronoun_said",
    "long_then_short_name", "propn_full_then_short", "longer_mention_first",
) + _GRID
_CUE_PAIRS = len(PAIR_FEATURES)
PAIR_FEATURES += MEANING_PAIR_FEATURES


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


def _sentence_row(
    cue: SentenceCues,
    text: str,
    dateline: Dateline | None,
    context: dict,
    centrality: float,
) -> list[float]:
    """One sentence's features, in the order of :data:`SENTENCE_FEATURES`."""
    first, body, lowers, content, ents = cue.first, cue.body, cue.lowers, cue.content, cue.ents
    title_words, title_ents = context["title_words"], context["title_ents"]
    return [
        float(dateline is not None),
        # A date or an agency tells a wire dateline from a section label ("MARKET TALK -").
        float(dateline is not None and bool(dateline.date or dateline.agency)),
        float(first in _PRONOUNS),
        float(first in _PERSONAL),
        float(first in _CONNECTIVES),
        float(first == "the"),
        float(body[:1] in _QUOTES or body[:1] == "'"),
        float(any(q in text for q in _QUOTES)),
        float(bool(cue.lemmas & _ATTRIBUTION)),
        math.log1p(cue.n_words),
        len(content & title_words) / len(title_words) if title_words else 0.0,
        _jaccard(content, title_words),
        centrality,
        math.log1p(len(ents)),
        float(len(cue.persons_full & context["all_single"])),
        float(len(cue.persons_single & context["all_full"])),
        sum(map(str.isdigit, body)) / cue.n_chars,
        float(bool(_YEAR_RE.search(body))),
        float(bool(lowers & _WEEKDAYS)),
        float(bool(lowers & _BACKGROUND)),
        float("also" in lowers),
        float(body.rstrip(_QUOTES + "' ").endswith("?")),
        float(body.rstrip().endswith(":")),
        sum(context["ent_counts"][e] == 1 for e in ents) / len(ents) if ents else 0.0,
        cue.n_propn / max(1, cue.n_words),
        float(bool(lowers & {"i", "we", "my", "our"})),
        len(ents & title_ents) / max(1, len(title_ents)),
        0.0 if dateline is not None else _jaccard(content, context["lead_words"]),
        float(cue.appositives),
        float(bool(_PRONOUN_SAID_RE.search(body))),
        float(bool(_NAMED_SAID_RE.search(body))),
        float(cue.long_names),
        *cue.tense,
        float(cue.has_number),
    ]


def article_features(
    article: Article,
    *,
    docs: Sequence[Doc] | None = None,
    title_doc: Doc | None = None,
    model: str | None = None,
) -> ArticleFeatures:
    """Sentence and pair features of an article (annotating it through :func:`analysis.nlp.annotate`).

    Args:
        article: the article, sentences in file order.
        docs: its sentences already annotated (one Doc each), to skip annotation.
        title_doc: its title already annotated, to skip annotating it.
        model: spaCy pipeline name passed to :func:`~analysis.nlp.annotate`.
    """
    if docs is None:
        docs = annotate(list(article.sentences), model=model)
    if title_doc is None:
        title_doc = annotate([article.title], model=model)[0]
    stripped, datelines = zip(*(_strip_dateline(d, s) for d, s in zip(docs, article.sentences)))
    tokens = article_tokens([*stripped, title_doc])
    cues = article_cues(tokens, len(stripped))
    title = tokens.tables[-1]
    has_dateline = [d is not None for d in datelines]
    title_words = content_words(title)
    ent_counts: Counter[str] = Counter(name for c in cues for name in c.ents)
    context = {
        "title_words": title_words,
        "title_ents": {e.text.lower() for e in title_doc.ents},
        "all_full": frozenset().union(*(c.persons_full for c in cues)),
        "all_single": frozenset().union(*(c.persons_single for c in cues)),
        "ent_counts": ent_counts,
        # The lead, when a dateline marks it, is the best stand-in for "what the story is
        # about"; without one the headline plays that part.
        "lead_words": frozenset().union(*(c.content for c, d in zip(cues, has_dateline) if d))
        if any(has_dateline)
        else title_words,
    }
    centrality = _centrality(_jaccard_matrix(indicator([c.content for c in cues])[0]))
    rows = np.asarray(
        [
            _sentence_row(cue, text, dateline, context, float(central))
            for cue, text, dateline, central in zip(cues, article.sentences, datelines, centrality)
        ],
        dtype=np.float64,
    ).reshape(len(cues), _CUE_FEATURES)
    pair = pair_features(cues, rows, _CUE_PAIRS)
    opens = rows[:, [SENTENCE_FEATURES.index(f) for f in ("starts_pronoun", "starts_connective", "starts_the")]]
    meaning, meaning_pairs = meaning_features(tokens.tables[: len(cues)], title, (opens.max(axis=1) > 0).astype(float))
    rows, pair = np.hstack([rows, meaning]), np.concatenate([pair, meaning_pairs], axis=2)
    return ArticleFeatures(
        rows, pair, tuple(c.first for c in cues), tuple(has_dateline), tuple(c.order_lemmas for c in cues)
    )
