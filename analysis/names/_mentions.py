"""Entity mentions of an article: spaCy NER on the repaired text, cleaned, mapped to the original.

The article is repaired first (:func:`analysis._repair.repair_article`: apostrophes put back, wire
dateline cut), the repaired lines are annotated through :func:`analysis._nlp.annotate`, and each
entity span is

1. cleaned by the rules of :data:`MENTION_RULES` (leading ``the`` and trailing ``'s`` trimmed;
   spans without a capitalised word, made only of title words or only of dates dropped; a lone
   "person" after ``on``/``via``/``at`` relabelled, as in ``wrote on Twitter``);
2. completed across the article: a name tagged in one sentence is also a mention where the
   tagger missed it in another (document-level label consistency, cf. Krishnan & Manning 2006),
   and a known surname is extended over the given names before it (``Dmitry Kozak``);
3. dropped when it is a demonym (``Russian``), unless demonyms are folded onto their country;
4. mapped back to character offsets of the *original* line, so highlighting works on what the
   analyst reads, and given its canonical entity (:mod:`analysis.names._canonical`).
"""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from .._language import CALENDAR_WORDS, DETERMINERS, MENTION_LABELS, PERSON_TITLES, TITLE_WORDS
from .._analysed import AnalysedArticle, ArticleLike, as_analysed
from .._repair import TITLE_LINE, RepairedArticle, unrepaired
from .._seeds import Article
from ._canonical import (
    Gazetteer,
    canonicalize,
    clean_surface,
    demonym_place,
    load_gazetteer,
    majority_label,
    strip_title,
    surface_key,
)

__all__ = [
    "MENTION_COLUMNS",
    "MENTION_RULES",
    "mentions",
    "resolve",
    "analysed",
]

MENTION_COLUMNS = ["line", "start", "end", "text", "label", "entity", "entity_label"]

# A person is rarely the object of these prepositions ("wrote on Twitter", "a post via Telegram").
_NOT_PERSON_AFTER = {"on": "ORG", "via": "ORG", "at": "ORG"}


class _Candidate(NamedTuple):
    line: int
    span: Span
    label: str


class _Context(NamedTuple):
    surnames: frozenset[str]  # last words of multi-word PERSON spans of the article


#: A rule returns the candidate, changed or not, or None to drop it.
MentionRule = Callable[[_Candidate, _Context], "_Candidate | None"]


def _trim(candidate: _Candidate, context: _Context) -> _Candidate | None:
    span = candidate.span
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in {"'s", "\u2019s", "'", "\u2019"} or doc[end - 1].is_punct):
        end -= 1
    if start == end:
        return None
    return candidate._replace(span=doc[start:end])


def _needs_capital(candidate: _Candidate, context: _Context) -> _Candidate | None:
    # "republics" tagged GPE is a common noun, not a name.
    return candidate if any(t.text[:1].isupper() for t in candidate.span) else None


def _not_only_titles(candidate: _Candidate, context: _Context) -> _Candidate | None:
    # "State" of "Secretary of State Antony Blinken" is part of a title, not an organisation.
    words = [t.lower_ for t in candidate.span if t.is_alpha]
    return None if words and all(w in TITLE_WORDS for w in words) else candidate


def _not_a_date(candidate: _Candidate, context: _Context) -> _Candidate | None:
    # "the February 4" tagged EVENT: only calendar words and numbers.
    tokens = [t for t in candidate.span if not t.is_punct]
    if all(t.like_num or t.lower_ in CALENDAR_WORDS for t in tokens):
        # ...but a lone "May" the tagger calls a person is more likely Theresa May than the month.
        if candidate.label == "PERSON" and not any(t.like_num for t in tokens):
            return candidate
        return None
    return candidate


def _title_means_person(candidate: _Candidate, context: _Context) -> _Candidate | None:
    span = candidate.span
    if candidate.label == "PERSON" or span.start == 0 or not 2 <= len(span) <= 4:
        return candidate
    previous = span.doc[span.start - 1]
    if previous.text[:1].isupper() and previous.lower_ in PERSON_TITLES and all(t.text[:1].isupper() for t in span):
        return candidate._replace(label="PERSON")
    return candidate


def _person_after_preposition(candidate: _Candidate, context: _Context) -> _Candidate | None:
    span = candidate.span
    if candidate.label != "PERSON" or len(span) != 1 or span.start == 0:
        return candidate
    previous = span.doc[span.start - 1].lower_
    if previous in _NOT_PERSON_AFTER and span.text not in context.surnames:
        return candidate._replace(label=_NOT_PERSON_AFTER[previous])
    return candidate


#: The clean-up rules in the order they run on each entity span (trimming first, so the later
#: rules see the span without its article and possessive).
MENTION_RULES: tuple[MentionRule, ...] = (
    _trim,
    _needs_capital,
    _not_only_titles,
    _not_a_date,
    _title_means_person,
    _person_after_preposition,
)


def _apply_rules(candidate: _Candidate, context: _Context) -> _Candidate | None:
    for rule in MENTION_RULES:
        result = rule(candidate, context)
        if result is None:
            return None
        candidate = result
    return candidate


def analysed(
    article: ArticleLike, *, pipeline: str | None = None, repair: bool = True
) -> tuple[RepairedArticle, list[Doc]]:
    """The repaired article and the spaCy Docs of its repaired title and sentences (title first).

    ``repair=False`` analyses the text as written (for measuring what repair changes). Nothing
    is parsed here: the Docs are those of :func:`analysis._analysed.analyse`.
    """
    a = as_analysed(article, pipeline=pipeline)
    if repair:
        return a.repaired, [a.title_doc, *a.docs]
    return unrepaired(a.article), [a.raw_title_doc, *a.raw_docs]


def _complete(docs: list[Doc], found: list[_Candidate]) -> list[_Candidate]:
    """Add mentions the tagger missed in one sentence but found in another."""
    labels: dict[tuple[str, ...], Counter] = {}
    for c in found:
        labels.setdefault(tuple(t.text for t in c.span), Counter())[c.label] += 1
    surnames = {
        c.span[-1].text for c in found if c.label == "PERSON" and len(c.span) >= 2
    } | {c.span.text for c in found if c.label == "PERSON" and len(c.span) == 1}
    # Longest names first; only names that open with a capital can be found again. Indexed by
    # their first word, since a name can only match where that word stands.
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for pattern in sorted(labels, key=len, reverse=True):
        if pattern[0][:1].isupper():
            by_first.setdefault(pattern[0], []).append(pattern)
    added: list[_Candidate] = []
    for index, doc in enumerate(docs):
        line = TITLE_LINE if index == 0 else index - 1
        strings = doc.vocab.strings
        words = [strings[orth] for orth in doc.to_array(ORTH).tolist()]  # no Token per word
        taken = [False] * len(doc)
        for span in doc.ents:
            for i in range(span.start, span.end):
                taken[i] = True
        for c in found:
            if c.line == line:
                for i in range(c.span.start, c.span.end):
                    taken[i] = True
        i = 0
        while i < len(doc):
            match = None
            if not taken[i] and words[i] in by_first:
                match = next(
                    (p for p in by_first[words[i]]
                     if tuple(words[i:i + len(p)]) == p and not any(taken[i:i + len(p)])
                     and (len(p) > 1 or doc[i].pos_ == "PROPN")),
                    None,
                )
            if match is None:
                i += 1
                continue
            start, end = i, i + len(match)
            label = majority_label(labels[match].elements())
            if label == "PERSON" and match[-1] in surnames:
                # "Dmitry Kozak, the Kremlin deputy ..." where only "Kozak" is known.
                while start > 0 and not taken[start - 1] and doc[start - 1].pos_ == "PROPN" \
                        and doc[start - 1].text[:1].isupper() and doc[start - 1].lower_ not in TITLE_WORDS:
                    start -= 1
            for j in range(start, end):
                taken[j] = True
            added.append(_Candidate(line, doc[start:end], label))
            i = end
    return found + added


class _Analysis(NamedTuple):
    table: pd.DataFrame
    demonyms: dict[str, str]
    mapping: dict[str, str]


def _places(cands: list[_Candidate], gaz: Gazetteer) -> set[str]:
    return {clean_surface(c.span.text) for c in cands if c.label in {"GPE", "LOC"}} | set(gaz.labels)


def _candidates(a: AnalysedArticle, repair: bool) -> list[_Candidate]:
    """Name spans of the article: spaCy's entities, cleaned by the rules, completed across lines."""
    _, docs = analysed(a, repair=repair)
    raw = [
        _Candidate(TITLE_LINE if i == 0 else i - 1, ent, ent.label_)
        for i, doc in enumerate(docs)
        for ent in doc.ents
        if ent.label_ in MENTION_LABELS
    ]
    context = _Context(frozenset(c.span[-1].text for c in raw if c.label == "PERSON" and len(c.span) >= 2))
    cleaned = [c for c in (_apply_rules(c, context) for c in raw) if c is not None]
    return _complete(docs, cleaned)


def _analysis(
    a: AnalysedArticle, fold_demonyms: bool, fold_metonyms: bool, aliases: str | None, repair: bool = True
) -> _Analysis:
    """The mention analysis of ``a`` for one option set, computed once and kept on ``a``."""
    key = ("entities.mentions", fold_demonyms, fold_metonyms, aliases, repair)
    return a.memo(key, lambda: _analyse(a, fold_demonyms, fold_metonyms, aliases, repair))


def _analyse(
    a: AnalysedArticle, fold_demonyms: bool, fold_metonyms: bool, aliases: str | None, repair: bool
) -> _Analysis:
    gaz = load_gazetteer(aliases)
    article = a.article
    repaired, _ = analysed(a, repair=repair)
    # The spans do not depend on the folding options: found once for every option set.
    candidates = a.memo(("entities.candidates", repair), lambda: _candidates(a, repair))

    places = _places(candidates, gaz)
    demonyms: dict[str, str] = {}
    kept: list[tuple[_Candidate, str]] = []
    for c in candidates:
        surface = clean_surface(c.span.text)
        if not surface:
            continue
        in_table = surface_key(surface) in gaz.demonyms
        place = demonym_place(surface, places, gaz) if (c.label == "NORP" or in_table) else None
        if place is not None:
            if not fold_demonyms:
                continue  # a demonym is not a mention of the country unless folded
            demonyms[surface] = place
            c = c._replace(label="NORP")
        kept.append((c, surface))

    mapping = canonicalize(
        [(surface, c.label) for c, surface in kept],
        gazetteer=gaz,
        fold_demonyms=fold_demonyms,
        fold_metonyms=fold_metonyms,
        demonyms=demonyms,
    )
    # Plain Python until the one DataFrame at the end: per-article pandas steps (dedupe, sort,
    # group, cast) cost more than the mention analysis itself.
    found: dict[tuple[int, int, int], tuple] = {}
    for c, surface in kept:
        line_text = repaired.line(c.line)
        start, end = line_text.to_original(c.span.start_char, c.span.end_char)
        original = article.title if c.line == TITLE_LINE else article.sentences[c.line]
        found.setdefault((c.line, start, end), (c.line, start, end, original[start:end], c.label, mapping[surface], surface))
    rows = sorted(found.values(), key=lambda r: (r[0], r[1]))  # stable: the first of a tie stays first
    # Folded demonyms do not vote on the label of the place they name.
    votes: dict[str, list[str]] = {}
    for row in rows:
        if row[6] not in demonyms:
            votes.setdefault(row[5], []).append(row[4])
    labels = {e: majority_label(v) for e, v in votes.items()}
    columns = list(zip(*rows)) if rows else [()] * 7
    table = pd.DataFrame(
        {
            "line": np.asarray(columns[0], dtype=np.int64),
            "start": np.asarray(columns[1], dtype=np.int64),
            "end": np.asarray(columns[2], dtype=np.int64),
            "text": list(columns[3]),
            "label": list(columns[4]),
            "entity": list(columns[5]),
            # A label given in a data file (an analyst's "Twitter,Twitter,ORG") outranks the tagger's vote.
            "entity_label": [gaz.labels.get(e) or labels.get(e) or "NORP" for e in columns[5]],
        }
    )
    return _Analysis(table[MENTION_COLUMNS], demonyms, mapping)


def mentions(
    article: ArticleLike,
    *,
    pipeline: str | None = None,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    aliases: str | Path | None = None,
    repair: bool = True,
) -> pd.DataFrame:
    """One row per entity mention of an article (title included, as line ``-1``).

    Columns: ``line`` (index into ``article.sentences``; :data:`~analysis._repair.TITLE_LINE`
    = -1 for the title), ``start``/``end`` (character offsets into the *original* line),
    ``text`` (as written), ``label`` (spaCy's label of this mention, after the clean-up rules of
    :data:`MENTION_RULES`), ``entity`` (canonical name), ``entity_label`` (majority label of the
    entity's mentions).

    Args:
        article: the article (an :class:`~analysis._analysed.AnalysedArticle`, or an Article,
            analysed on the way).
        pipeline: spaCy pipeline name, used only to analyse a plain Article.
        fold_demonyms: count ``Russian`` as a mention of Russia (otherwise demonyms are not
            mentions and are left out).
        fold_metonyms: count ``Moscow``, ``the Kremlin`` as Russia (otherwise they are entities of
            their own).
        aliases: an analyst alias CSV to use instead of the packaged ``aliases.csv``.
        repair: analyse the repaired text (default); ``False`` analyses the text as written.

    Results are computed once per article and options; a fresh copy is returned each call.
    """
    a = as_analysed(article, pipeline=pipeline)
    return _analysis(a, fold_demonyms, fold_metonyms, _path_key(aliases), repair).table.copy()


def _path_key(path: str | Path | None) -> str | None:
    return str(Path(path).resolve()) if path is not None else None


def resolve(
    article: ArticleLike,
    surface: str,
    *,
    pipeline: str | None = None,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    aliases: str | Path | None = None,
) -> str | None:
    """The canonical entity of ``article`` that ``surface`` names, or ``None``.

    ``surface`` may be any way of writing the name (``"Blinken"``, ``"U.S."``) or a noun phrase
    whose head is the name (``"the Kremlin deputy chief of staff Dmitry Kozak"``): the longest
    run of final words that names an entity of the article decides, since an English noun
    phrase ends with its head. A phrase whose last word names nothing (``"Putin's spokesman"``)
    resolves to ``None``. Options are those of :func:`mentions`.
    """
    a = as_analysed(article, pipeline=pipeline)
    options = (fold_demonyms, fold_metonyms, _path_key(aliases))
    keys, surnames = a.memo(("entities.resolve", *options), lambda: _resolution_keys(a, *options))
    if not keys and not surnames:
        return None
    words = clean_surface(surface).split()
    # A possessive whose apostrophe was stripped ("Blinkens") is tried as its stem as well.
    variants = [words] + ([words[:-1] + [words[-1][:-1]]] if words and words[-1].endswith("s") else [])
    for candidate in variants:
        for first in range(len(candidate)):
            key = surface_key(" ".join(candidate[first:]))
            if key in keys:
                return keys[key]
            if first == len(candidate) - 1 and len(surnames.get(key, ())) == 1:
                return next(iter(surnames[key]))
    return None


@functools.lru_cache(maxsize=8)
def _gazetteer_by_entity(aliases: str | None) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The gazetteer's alias and metonym keys of each canonical entity."""
    gaz = load_gazetteer(aliases)
    aliases_of: dict[str, list[str]] = {}
    metonyms_of: dict[str, list[str]] = {}
    for key, entity in gaz.aliases.items():
        aliases_of.setdefault(entity, []).append(key)
    for key, entity in gaz.metonyms.items():
        metonyms_of.setdefault(entity, []).append(key)
    return ({e: tuple(k) for e, k in aliases_of.items()}, {e: tuple(k) for e, k in metonyms_of.items()})


def _resolution_keys(
    a: AnalysedArticle, fold_demonyms: bool, fold_metonyms: bool, aliases: str | None
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Every written form that names an entity of the article, and its persons by surname."""
    analysis = _analysis(a, fold_demonyms, fold_metonyms, aliases)
    entities = set(analysis.table["entity"])
    if not entities:
        return {}, {}
    keys: dict[str, str] = {}
    # Where two entities share a key ("Al-Shabab", "al-Shabab"), the more mentioned one wins;
    # a fixed order, so the answer never depends on the process's string hashing.
    counts = analysis.table["entity"].value_counts()
    for entity in sorted(entities, key=lambda e: (-counts[e], e)):
        keys.setdefault(surface_key(entity), entity)
        keys.setdefault(surface_key(strip_title(entity)), entity)
    for written, entity in analysis.mapping.items():
        if entity in entities:
            keys.setdefault(surface_key(written), entity)
    # Alias keys are unique in their table, so visiting them by entity sets the same keys as
    # visiting the whole table, for the article's few entities instead of every alias.
    aliases_of, metonyms_of = _gazetteer_by_entity(aliases)
    for entity in entities:
        for alias in aliases_of.get(entity, ()):
            keys.setdefault(alias, entity)
    if fold_metonyms:
        metonyms = {k: e for e in entities for k in metonyms_of.get(e, ())}
        keys.update({k: e for k, e in metonyms.items() if k not in keys})
    if fold_demonyms:
        keys.update({surface_key(k): e for k, e in analysis.demonyms.items() if e in entities})
    # A lone surname resolves to the one person of the article it ends.
    surnames: dict[str, set[str]] = {}
    persons = set(analysis.table.loc[analysis.table["entity_label"] == "PERSON", "entity"])
    for entity in persons:
        if len(entity.split()) >= 2:
            surnames.setdefault(surface_key(entity.split()[-1]), set()).add(entity)
    return keys, surnames
