"""Cues of news writing, computed over spaCy Docs, for ordering the sentences of an article.

Two kinds of features feed the pairwise model (:mod:`analysis.reorder.pairwise`):

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
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from spacy.tokens import Doc

from ..nlp import annotate
from ..repair import Dateline, detect_dateline
from ..seeds import Article

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
_ROLE = {"nsubj": 0, "nsubjpass": 0, "csubj": 0, "agent": 0, "expl": 0, "dobj": 1, "obj": 1, "iobj": 1, "attr": 1, "oprd": 1}
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
_GRID = tuple(f"grid_{a}{b}" for a in _ROLES + ("-",) for b in _ROLES + ("-",) if (a, b) != ("-", "-"))
PAIR_FEATURES: tuple[str, ...] = (
    "full_then_surname", "antecedent_for_pronoun", "antecedent_for_connective", "acronym_defined",
    "indefinite_then_definite", "overlap_then_definite", "shared_entity_then_pronoun_said",
    "long_then_short_name", "propn_full_then_short", "longer_mention_first",
) + _GRID


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


def _content(doc: Doc) -> set[str]:
    return {t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop and len(t) > 2}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _strip_dateline(doc: Doc, sentence: str) -> tuple[Doc, Dateline | None]:
    found = find_dateline(sentence)
    if found is None:
        return doc, None
    span = doc.char_span(found.end, len(sentence), alignment_mode="expand")
    return (span.as_doc() if span is not None and len(span) else doc), found


def _grid(doc: Doc) -> dict[str, int]:
    """Entity-grid row: noun-phrase head lemma -> best role (0 S, 1 O, 2 X)."""
    row: dict[str, int] = {}
    for token in doc:
        if token.pos_ in {"NOUN", "PROPN"} and token.dep_ != "compound":
            key = token.lemma_.lower()
            role = _ROLE.get(token.dep_, 2)
            row[key] = min(role, row.get(key, 2))
    return row


def _persons(doc: Doc) -> tuple[set[str], set[str]]:
    """(surnames mentioned with a first name, single-word person mentions)."""
    full, single = set(), set()
    for ent in doc.ents:
        words = [t.text for t in ent if t.is_alpha and t.text[0].isupper()]
        if ent.label_ != "PERSON" or not words:
            continue
        if len(words) >= 2:
            full.add(words[-1].lower())
        else:
            single.add(words[0].lower())
    return full, single


def _mention_lengths(doc: Doc) -> dict[str, int]:
    """Head lemma of each noun phrase -> its longest length in tokens here.

    A first mention is usually the fuller one ("Russian Foreign Minister Sergei Lavrov",
    "a fragile July 2020 ceasefire"), later ones shorter ("Lavrov", "the ceasefire")."""
    lengths: dict[str, int] = {}
    for chunk in doc.noun_chunks:
        head = chunk.root
        if head.pos_ in {"NOUN", "PROPN"}:
            key = head.lemma_.lower()
            lengths[key] = max(lengths.get(key, 0), sum(1 for t in chunk if not t.is_punct and t.dep_ != "det"))
    return lengths


def _tense(doc: Doc) -> tuple[float, float, float, float, float]:
    """(simple past, present, present perfect, past perfect, modal) present in the sentence.

    News leads report in the simple past or present perfect; background drifts to the past
    perfect; outlook and reaction use modals."""
    past = present = perfect = pluperfect = modal = 0.0
    for token in doc:
        if token.tag_ == "VBD" and token.lemma_ != "have":
            past = 1.0
        elif token.tag_ in {"VBZ", "VBP"} and token.dep_ == "ROOT":
            present = 1.0
        elif token.tag_ == "MD":
            modal = 1.0
        elif token.tag_ == "VBN":
            aux = {c.lower_ for c in token.children if c.dep_ in {"aux", "auxpass"}}
            if aux & {"has", "have"}:
                perfect = 1.0
            elif "had" in aux:
                pluperfect = 1.0
    return past, present, perfect, pluperfect, modal


def _name_chains(doc: Doc) -> tuple[set[str], set[str]]:
    """(last words of proper-noun runs of two or more words, lone proper nouns).

    Catches "Dmitry Kozak" ... "Kozak said" when the tagger misses the PERSON label."""
    full, single = set(), set()
    run: list[str] = []
    for token in list(doc) + [None]:
        if token is not None and token.pos_ == "PROPN" and token.is_alpha and token.text[0].isupper():
            run.append(token.text.lower())
            continue
        if len(run) >= 2:
            full.add(run[-1])
        elif len(run) == 1:
            single.add(run[0])
        run = []
    return full, single


def _acronyms(doc: Doc) -> tuple[set[str], set[str]]:
    """(acronyms spelled out here, acronyms used here)."""
    used = {t.text for t in doc if t.is_upper and t.is_alpha and 2 <= len(t) <= 6}
    defined: set[str] = set()
    words = [t for t in doc if t.is_alpha]
    for acronym in used:
        initials = "".join(w.text[0] for w in words if w.text[0].isupper() and w.text != acronym)
        if acronym in initials:
            defined.add(acronym)
    return defined, used


def _determiners(doc: Doc) -> tuple[set[str], set[str]]:
    """(nouns introduced with a/an, nouns referred to with the)."""
    indefinite, definite = set(), set()
    for token in doc:
        if token.pos_ == "NOUN":
            dets = {c.lower_ for c in token.children if c.dep_ == "det"}
            if dets & {"a", "an"}:
                indefinite.add(token.lemma_.lower())
            elif "the" in dets:
                definite.add(token.lemma_.lower())
    return indefinite, definite


def article_features(article: Article, *, docs: Sequence[Doc] | None = None, model: str | None = None) -> ArticleFeatures:
    """Sentence and pair features of an article (annotating it through :func:`analysis.nlp.annotate`).

    Args:
        article: the article, sentences in file order.
        docs: its sentences already annotated (one Doc each), to skip annotation.
        model: spaCy pipeline name passed to :func:`~analysis.nlp.annotate`.
    """
    if docs is None:
        docs = annotate(list(article.sentences), model=model)
    title_doc = annotate([article.title], model=model)[0]
    n = len(docs)
    stripped, datelines = zip(*(_strip_dateline(d, s) for d, s in zip(docs, article.sentences)))
    content = [_content(d) for d in stripped]
    title_words = _content(title_doc)
    title_ents = {e.text.lower() for e in title_doc.ents}
    persons = [_persons(d) for d in stripped]
    ents = [{e.text.lower() for e in d.ents if e.label_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}} for d in stripped]
    grids = [_grid(d) for d in stripped]
    acronyms = [_acronyms(d) for d in stripped]
    chains = [_name_chains(d) for d in stripped]
    mentions = [_mention_lengths(d) for d in stripped]
    determiners = [_determiners(d) for d in stripped]
    all_full = set().union(*(p[0] for p in persons))
    all_single = set().union(*(p[1] for p in persons))
    ent_counts: dict[str, int] = {}
    for e in ents:
        for name in e:
            ent_counts[name] = ent_counts.get(name, 0) + 1

    # The lead, when a dateline marks it, is the best stand-in for "what the story is about";
    # without one the headline plays that part.
    has_dateline = [d is not None for d in datelines]
    lead_words = set().union(*(content[k] for k in range(n) if has_dateline[k])) if any(has_dateline) else title_words
    names = [{e.text.lower() for e in d.ents if e.label_ in {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT"}} for d in stripped]

    firsts: list[str] = []
    rows = np.zeros((n, len(SENTENCE_FEATURES)), dtype=np.float64)
    for i, (doc, text) in enumerate(zip(stripped, article.sentences)):
        words = [t for t in doc if not t.is_punct and not t.is_space]
        lowers = {t.lower_ for t in doc}
        lemmas = {t.lemma_.lower() for t in doc}
        first = first_word(doc)
        firsts.append(first)
        body = doc.text.lstrip()
        others = [_jaccard(content[i], content[j]) for j in range(n) if j != i]
        full, single = persons[i]
        n_chars = max(1, sum(len(t) for t in words))
        rows[i] = [
            float(datelines[i] is not None),
            # A date or an agency tells a wire dateline from a section label ("MARKET TALK -").
            float(datelines[i] is not None and bool(datelines[i].date or datelines[i].agency)),
            float(first in _PRONOUNS),
            float(first in _PERSONAL),
            float(first in _CONNECTIVES),
            float(first == "the"),
            float(body[:1] in _QUOTES or body[:1] == "'"),
            float(any(q in text for q in _QUOTES)),
            float(bool(lemmas & _ATTRIBUTION)),
            math.log1p(len(words)),
            len(content[i] & title_words) / len(title_words) if title_words else 0.0,
            _jaccard(content[i], title_words),
            sum(others) / len(others) if others else 0.0,
            math.log1p(len(ents[i])),
            float(len(full & all_single)),
            float(len(single & all_full)),
            sum(c.isdigit() for c in body) / n_chars,
            float(bool(_YEAR_RE.search(body))),
            float(bool(lowers & _WEEKDAYS)),
            float(bool(lowers & _BACKGROUND)),
            float("also" in lowers),
            float(body.rstrip(_QUOTES + "' ").endswith("?")),
            float(body.rstrip().endswith(":")),
            sum(ent_counts[e] == 1 for e in ents[i]) / len(ents[i]) if ents[i] else 0.0,
            sum(t.pos_ == "PROPN" for t in words) / max(1, len(words)),
            float(bool(lowers & {"i", "we", "my", "our"})),
            len(ents[i] & title_ents) / max(1, len(title_ents)),
            0.0 if has_dateline[i] else _jaccard(content[i], lead_words),
            float(sum(t.dep_ == "appos" and t.head.pos_ == "PROPN" for t in doc)),
            float(bool(_PRONOUN_SAID_RE.search(body))),
            float(bool(_NAMED_SAID_RE.search(body))),
            float(sum(len(e) >= 3 for e in doc.ents if e.label_ in {"PERSON", "ORG"})),
            *_tense(doc),
            float(any(t.like_num for t in doc)),
        ]

    pair = np.zeros((n, n, len(PAIR_FEATURES)), dtype=np.float64)
    grid_index = {name: k for k, name in enumerate(PAIR_FEATURES)}
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            shared = len(content[i] & content[j]) > 0
            v = pair[i, j]
            v[0] = len(persons[i][0] & persons[j][1])
            v[1] = float(rows[j, 2] > 0 and bool(persons[i][0] | persons[i][1]))
            v[2] = float(rows[j, 3] > 0 and shared)
            v[3] = len(acronyms[i][0] & (acronyms[j][1] - acronyms[j][0]))
            v[4] = len(determiners[i][0] & determiners[j][1])
            v[5] = float(rows[j, 4] > 0 and shared)
            v[6] = float(rows[j, 1] > 0 and bool(ents[i] & ents[j]))
            v[7] = sum(
                1 for short in names[j] for long in names[i]
                if len(short) < len(long) and long.endswith(" " + short) and short not in names[i]
            )
            v[8] = len(chains[i][0] & (chains[j][1] - chains[j][0]))
            shared_heads = mentions[i].keys() & mentions[j].keys()
            v[9] = sum(mentions[i][h] > mentions[j][h] for h in shared_heads) / math.sqrt(max(1, len(shared_heads)))
            gi, gj = grids[i], grids[j]
            for key in gi.keys() | gj.keys():
                a = _ROLES[gi[key]] if key in gi else "-"
                b = _ROLES[gj[key]] if key in gj else "-"
                v[grid_index[f"grid_{a}{b}"]] += 1.0
            # Normalise the grid counts so long sentences do not dominate.
            v[10:] /= max(1.0, math.sqrt(len(gi) + len(gj)))
    # Common-word lemmas (names and numbers left out, so cues carry over between stories).
    lemmas = tuple(
        frozenset(t.lemma_.lower() for t in d if t.is_alpha and len(t) > 1 and t.pos_ not in {"PROPN", "NUM"})
        for d in stripped
    )
    return ArticleFeatures(rows, pair, tuple(firsts), tuple(has_dateline), lemmas)
