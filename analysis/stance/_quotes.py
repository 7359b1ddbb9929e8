"""Reported statements: who says what, found on the dependency parse.

A statement is anchored on a *cue*: a speech verb (``say``, ``tell``, ``warn``, ``write``, …)
or a quoted span. Its speaker is the verb's nominal subject (``nsubj``), inherited through
coordination and adverbial clauses (``… and said``, ``…, warning that …``); its content is the
clausal complement (``ccomp``) or, for a direct quote, the quoted words. A quoted span that no
speech verb governs (``called the talks "difficult"``) becomes a statement of the verb that
governs it, unless the quotation sits in the verb's subject (a name or a scare quote). Verbs
that are not always speech (``add``, ``note``, ``maintain``, …) count only with a clause or a
quotation; a passive cue ("is said to …") names its speaker only through ``by X``. This is the
usual rule-based attribution of news quotes (Pareti 2016; Krestel et al.
2008, "Minding the source"), on spaCy's parse.

Sentences are analysed after :mod:`analysis._repair` (``Ukraines`` → ``Ukraine's``) when that
module is present; every text returned is cut from the original line, as written.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

import pandas as pd
from spacy.attrs import ORTH, POS
from spacy.strings import get_string_id
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Span, Token

from .._language import (
    ACTOR_LABELS,
    ALWAYS_SPEECH_VERBS,
    AUDIENCE_NOUNS,
    PERSON_SPEAKER_PRONOUNS,
    SPEAKER_PRONOUNS,
    SPEECH_VERBS,
)
from .._analysed import ArticleLike, as_analysed
from ._parse import AnalysedLine, analysed_lines
from ._speakers import Canonicaliser, canonicaliser

__all__ = ["QUOTE_COLUMNS", "quotes", "statements", "speaker_name", "subjects_of"]

# Through these relations a verb without a subject shares its head's subject.
_VERB_POS = frozenset({VERB, AUX})
_INHERIT_DEPS = frozenset({"conj", "advcl", "xcomp", "pcomp", "prep", "acl"})
_CONTENT_DEPS = frozenset({"dobj", "prep", "xcomp", "oprd", "acomp", "attr", "advcl", "dative"})
_QUOTE_PAIRS = {'"': '"', "\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
_QUOTE_MARKS = frozenset(_QUOTE_PAIRS) | frozenset(_QUOTE_PAIRS.values())
_OPENERS = frozenset(get_string_id(mark) for mark in _QUOTE_PAIRS)

QUOTE_COLUMNS = ["line", "speaker", "speaker_entity", "cue", "content", "kind", "resolved", "candidate"]


class _Quote(NamedTuple):
    span: Span  # the quoted words, quote marks excluded
    outer: tuple[int, int]  # token range with the quote marks


def _quote_spans(doc: Doc) -> list[_Quote]:
    found: list[_Quote] = []
    if _OPENERS.isdisjoint(doc.to_array(ORTH).tolist()):
        return found  # most lines quote no one: no need to build a Token for every word
    opener: Token | None = None
    for token in doc:
        text = token.text
        if opener is None and text in _QUOTE_PAIRS:
            opener = token
        elif opener is not None and text == _QUOTE_PAIRS[opener.text]:
            if token.i > opener.i + 1:
                found.append(_Quote(doc[opener.i + 1 : token.i], (opener.i, token.i + 1)))
            opener = None
    return found


def _is_cue(token: Token, quoting: frozenset[int] = frozenset()) -> bool:
    """Is ``token`` a speech verb here? ``quoting``: indices of tokens above a quotation."""
    if token.pos_ not in {"VERB", "AUX"}:
        return False
    lemma = token.lemma_.lower()
    if lemma in ALWAYS_SPEECH_VERBS:
        return True
    if lemma in SPEECH_VERBS:
        # "adding to their family", "maintained a siege": only speech with a clause or a quote
        return token.i in quoting or any(c.dep_ in {"ccomp", "parataxis"} for c in token.children)
    # "made clear that …" reports a statement as much as "said"
    return lemma == "make" and any(c.lower_ == "clear" for c in token.children)


def _cue_name(token: Token) -> str:
    lemma = token.lemma_.lower()
    return "make clear" if lemma == "make" else lemma


def _subjects(verb: Token) -> list[Token]:
    """The subject(s) of a verb: its own ``nsubj``, else its head's (through conj/advcl/…)."""
    current: Token | None = verb
    for _ in range(6):
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in current.children):
            # passive: "is said to be …" names no speaker unless "by X" does
            agents = [g for c in current.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            return agents[:1] + [c for a in agents[:1] for c in a.conjuncts if c.i > a.i]
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects:
            # nearest subject on the left (a dateline can leave a second, spurious one)
            left = [s for s in subjects if s.i < current.i] or subjects
            subject = max(left, key=lambda s: s.i)
            if subject.tag_ in {"WDT", "WP"} and current.dep_ == "relcl":
                subject = current.head  # "a credible person that's telling me": the person
            return [subject, *[c for c in subject.conjuncts if c.i > subject.i]]
        if current.dep_ not in _INHERIT_DEPS or current.head is current:
            return []
        current = current.head
    return []


def _speaker_span(subject: Token) -> Span:
    """The subject's noun phrase without appositions, relative clauses and coordinated parts."""
    drop = {"appos", "relcl", "acl", "advcl", "parataxis", "cc", "conj", "punct"}
    keep: set[int] = {subject.i}
    stack = list(subject.children)
    while stack:
        child = stack.pop()
        if child.dep_ in drop and child.head.i == subject.i:
            continue
        keep.add(child.i)
        stack.extend(child.children)
    # keep the contiguous stretch around the head, then trim punctuation at the edges
    start = end = subject.i
    while start - 1 in keep:
        start -= 1
    while end + 1 in keep:
        end += 1
    doc = subject.doc
    while start < end and doc[start].is_punct:
        start += 1
    while end > start and doc[end].is_punct:
        end -= 1
    return doc[start : end + 1]


def _content_tokens(verb: Token, subjects: list[Token]) -> list[Token]:
    complements = [c for c in verb.children if c.dep_ == "ccomp"]
    if not complements:
        complements = [
            c
            for c in verb.children
            if c.dep_ in _CONTENT_DEPS
            and not (c.dep_ in {"dobj", "dative"} and c.lemma_.lower() in AUDIENCE_NOUNS)
            and not _is_cue(c)
        ]
    if verb.lemma_.lower() == "make":
        complements = [c for c in verb.children if c.dep_ in {"ccomp", "dobj", "advcl"} and c.lower_ != "clear"] or complements
    # a subject above the verb ("the ministry, which said …") holds the content: keep it
    skip = {t.i for s in subjects if not s.is_ancestor(verb) for t in s.subtree}
    tokens = sorted({t.i for c in complements for t in c.subtree} - skip)
    return [verb.doc[i] for i in tokens]


def _text(line: AnalysedLine, tokens: Iterable[Token]) -> str:
    tokens = [t for t in tokens]
    if not tokens:
        return ""
    while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].dep_ == "cc") and tokens[-1].text not in _QUOTE_MARKS:
        tokens.pop()
    first, last = tokens[0], tokens[-1]
    doc = first.doc
    if sum(t.text in _QUOTE_MARKS for t in doc[first.i : last.i + 1]) % 2:
        # an unbalanced quote mark: take in its partner just after the span (`"destructive."`)
        following = doc[last.i + 1 : last.i + 4]
        closing = next((t for t in following if t.text in _QUOTE_MARKS), None)
        if closing is not None and all(t.is_punct for t in doc[last.i + 1 : closing.i]):
            last = closing
        elif first.i > 0 and doc[first.i - 1].text in _QUOTE_MARKS:
            first = doc[first.i - 1]
    start, end = first.idx, last.idx + len(last.text)
    return line.text_of(start, end).strip(" ,;:-\u2013\u2014")


def _candidate(subject: Token, line: AnalysedLine, canon: Canonicaliser) -> str | None:
    """Antecedent of a pronoun speaker, only from the same line: the nearest earlier compatible
    name. The article's sentences are shuffled, so neighbouring lines are no evidence."""
    wanted = {"PERSON"} if subject.lower_ in PERSON_SPEAKER_PRONOUNS else ACTOR_LABELS
    earlier = [e for e in line.doc.ents if e.end <= subject.i and e.label_ in wanted]
    if not earlier:
        return None
    ent = earlier[-1]
    return canon(line.text_of(ent.start_char, ent.end_char), ent.label_)


def _entity_of(subject: Token) -> Span | None:
    for ent in subject.doc.ents:
        if ent.start <= subject.i < ent.end and ent.label_ in {"PERSON", "ORG", "GPE", "NORP"}:
            return ent
    return None


def speaker_name(subject: Token, line: AnalysedLine, canon: Canonicaliser) -> tuple[str, str | None]:
    """The speaker's noun phrase as written and its canonical name, for a non-pronoun subject:
    the named entity the subject belongs to, else its description ("An aide to …")."""
    span = _speaker_span(subject)
    surface = line.text_of(span.start_char, span.end_char)
    ent = _entity_of(subject)
    if ent is not None:
        return surface, canon(line.text_of(ent.start_char, ent.end_char), ent.label_)
    return surface, canon(surface, "DESCRIPTION")


def subjects_of(verb: Token) -> list[Token]:
    """The subject(s) of a verb, inherited through coordination and adverbial clauses (the
    rule that names a statement's speaker)."""
    return _subjects(verb)


def _rows_for(line: AnalysedLine, cue: Token, subjects: list[Token], content: list[Token], quoted: list[_Quote], canon: Canonicaliser) -> list[dict]:
    # Direct when every content word lies inside a quotation; the content is then the quote.
    inside = {t.i for q in quoted for t in q.span}
    words = [t for t in content if not t.is_punct]
    if quoted and (not words or all(t.i in inside for t in words)):
        kind, text = "direct", " ".join(_text(line, q.span) for q in quoted)
    else:
        kind, text = "reported", _text(line, content)
    rows = []
    for subject in subjects or [None]:
        row = {"line": line.index, "cue": _cue_name(cue), "content": text, "kind": kind, "_pos": cue.i,
               "_cue": cue.i, "_content": tuple(t.i for t in content), "_subject": None if subject is None else subject.i}
        if subject is None:
            row.update(speaker=None, speaker_entity=None, resolved=False, candidate=None)
        elif subject.lower_ in SPEAKER_PRONOUNS and subject.pos_ == "PRON":
            row.update(speaker=subject.text, speaker_entity=None, resolved=False, candidate=_candidate(subject, line, canon))
        else:
            surface, entity = speaker_name(subject, line, canon)
            row.update(speaker=surface, speaker_entity=entity, resolved=True, candidate=None)
        rows.append(row)
    return rows


def _line_statements(line: AnalysedLine, canon: Canonicaliser) -> list[dict]:
    doc = line.doc
    spans = _quote_spans(doc)
    in_quote = {t.i for q in spans for t in q.span}
    quoting = frozenset(a.i for q in spans for t in q.span for a in t.ancestors)
    # Only verbs can be cues (the first test of _is_cue), found from the POS column without
    # building a Token for every word.
    verbs = [i for i, pos in enumerate(doc.to_array(POS).tolist()) if pos in _VERB_POS]
    cues = [t for t in map(doc.__getitem__, verbs) if _is_cue(t, quoting) and t.i not in in_quote]
    owner: dict[int, int] = {}  # quote → token index of its cue
    cue_ids = {c.i for c in cues}
    for q_index, quote in enumerate(spans):
        # the quote belongs to the nearest cue that governs one of its words
        for token in quote.span:
            ancestor = next((a.i for a in token.ancestors if a.i in cue_ids), None)
            if ancestor is not None:
                owner[q_index] = ancestor
                break
    rows: list[dict] = []
    for cue in cues:
        subjects = _subjects(cue)
        quoted = [q for i, q in enumerate(spans) if owner.get(i) == cue.i]
        content = _content_tokens(cue, subjects)
        if quoted and not content:
            content = [t for q in quoted for t in q.span]
        rows += _rows_for(line, cue, subjects, content, quoted, canon)
    for q_index, quote in enumerate(spans):
        if q_index in owner:
            continue
        if any(q_index != j and spans[j].span.start <= quote.span.start < spans[j].span.end for j in owner):
            continue
        # a free quotation: attribute it to the verb that governs it ("called the talks 'difficult'")
        root = quote.span.root
        verb = next((a for a in [root, *root.ancestors] if a.pos_ in {"VERB", "AUX"} and a.i not in in_quote), None)
        if verb is None:
            continue
        subjects = _subjects(verb)
        # a quotation inside the subject ("Stories about 'living magnets' began …") or under a
        # verb without a speaker is a name or a scare quote, not a statement
        subject_tokens = {t.i for subject in subjects for t in subject.subtree}
        if not subjects or subject_tokens & {t.i for t in quote.span}:
            continue
        rows += _rows_for(line, verb, subjects, list(quote.span), [quote], canon)
    return rows


def statements(article: ArticleLike, *, pipeline: str | None = None) -> list[dict]:
    """The rows of :func:`quotes` with the token indices behind them (keys ``_cue``,
    ``_content``, ``_subject``: positions in the analysed line's Doc), for
    :mod:`analysis.stance._actors`. Found once per analysed article; do not modify the rows."""
    a = as_analysed(article, pipeline=pipeline)

    def find() -> list[dict]:
        canon = canonicaliser(a)
        rows: list[dict] = []
        for line in analysed_lines(a):
            rows += sorted(_line_statements(line, canon), key=lambda r: r["_pos"])
        return rows

    return a.memo("stance.statements", find)


def quotes(article: ArticleLike, *, pipeline: str | None = None) -> pd.DataFrame:
    """One row per reported statement of the article's body: direct quotes and reported speech.

    Columns: ``line`` (index into ``article.sentences``), ``speaker`` (as written),
    ``speaker_entity`` (canonical name; the description itself for a described speaker such
    as "An aide to …"), ``cue`` (verb lemma), ``content`` (as written), ``kind``
    (``direct``/``reported``), ``resolved`` (``False`` for pronoun or missing speakers) and
    ``candidate`` (for a pronoun, the nearest earlier compatible name *in the same line*, else
    ``None``; never guessed from other lines, which are shuffled).

    Args:
        article: the article.
        pipeline: spaCy pipeline, used only to analyse a plain Article.
    """
    rows = statements(article, pipeline=pipeline)
    frame = pd.DataFrame([{k: r[k] for k in QUOTE_COLUMNS} for r in rows], columns=QUOTE_COLUMNS)
    frame["resolved"] = frame["resolved"].astype(bool)
    frame["line"] = frame["line"].astype(int)
    return frame.reset_index(drop=True)

