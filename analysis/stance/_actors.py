"""Actor stance: how each speaker stands toward each target entity, with the evidence.

A transparent lexicon method on the parse of each reported statement (see
:func:`analysis.stance._quotes.statements`) and of each evaluative verb or noun:

1. Every mention of a target inside a statement's content is given a *role* on the parse:
   **agent** when it is the subject of a clause, a modifier of the subject's head
   (``Russian`` in "the Russian troops posed a threat", ``NATO's`` in "NATO's door is open"),
   or the ``of`` phrase of the subject ("practices of the Israeli government harm …");
   **object** when it is the object of a polar word ("a threat to Ukraine", "support for Kyiv").
2. The polar words of the agent's own clause (not of clauses under it with subjects of their
   own) are looked up in two small lexicons (:data:`~analysis._language.HOSTILE_WORDS`,
   :data:`~analysis._language.SUPPORTIVE_WORDS`). A negation on the word, its head or its
   clause ("would not attack", "in no way … helpful") flips a verb or adjective; a negated
   ability ("could not attack") and a polar noun under a negated verb ("would not block the
   agreement": the noun) count 0.
3. An agent takes the polarity of its clause (the speaker says the target threatens: against;
   the speaker says the target keeps its door open: favor). The object of a *supportive*
   word is favoured ("aid to Ukraine"); of a *hostile* word it is a victim, which says
   nothing of the speaker's stance toward it, so it counts 0. Polar words on the target's own
   phrase count ("the extremist Dole", "Iran's aggression"), so does a prevented act ("prevent
   Israel from undermining …") and a polar verb of the speaker's own side ("we condemn Iraqi
   involvement").
4. **Evaluations**: a verb of :data:`~analysis._language.EVALUATIVE_VERBS` whose subject is a
   named or described speaker states that speaker's stance toward its object, in narration as
   in quotation ("Jordan accused Iraq", "Gore praised Clinton", "Britain condemned Iraqi
   involvement"); so does a noun of :data:`~analysis._language.EVALUATIVE_NOUNS` toward its
   addressee ("voiced support for Ukraine"). A negated evaluation ("did not condemn") says
   nothing: the pair is kept, neutral.

A statement's score toward a target is ``(favor - against) / (favor + against)`` of its
signals (0 without signals); a speaker's score is the mean over the statements that mention the
target; ``favor`` above +0.2, ``against`` below -0.2, else ``neutral``. Only resolved speakers
count: a pronoun speaker is never attributed to a candidate. Measured against pairs read from
development articles by ``benchmarks/stance_actors.py`` (:mod:`analysis.stance._actor_evaluation`).
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
from spacy.attrs import LEMMA, POS
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Token

from .._language import (
    ABILITY_MODALS,
    ACTOR_LABELS,
    ADDRESS_PREPOSITIONS,
    BENEFICIARY_PREPOSITIONS,
    EVALUATIVE_NOUNS,
    EVALUATIVE_VERBS,
    FIRST_PERSON_PRONOUNS,
    HOSTILE_WORDS,
    NEGATING_DETERMINERS,
    SOLE_SPEAKER_PRONOUNS,
    SUPPORTIVE_WORDS,
)
from .._analysed import AnalysedArticle, ArticleLike, as_analysed
from ._parse import analysed_lines
from ._quotes import speaker_name, statements, subjects_of
from ..names._mentions import mentions
from ._speakers import Canonicaliser, canonicaliser

__all__ = ["THRESHOLD", "ACTOR_COLUMNS", "default_targets", "actor_stance", "stance_matrix"]

_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "det"})
_SUBORDINATE_DEPS = frozenset({"advcl", "ccomp", "relcl", "parataxis", "csubj", "acl"})
#: A score above +THRESHOLD is favor, below -THRESHOLD against.
THRESHOLD = 0.2

ACTOR_COLUMNS = ["speaker", "target", "stance", "score", "n_statements", "evidence", "signals"]


def default_targets(article: ArticleLike, *, top: int = 5, pipeline: str | None = None) -> list[str]:
    """The article's ``top`` most mentioned canonical entities (people, organisations, places,
    nationalities mapped to their country), most mentioned first, ties by name."""
    a = as_analysed(article, pipeline=pipeline)
    table = mentions(a, fold_demonyms=True, fold_metonyms=True)
    counts = Counter(
        entity
        for line, entity, label in zip(table["line"], table["entity"], table["entity_label"])
        if line >= 0 and label in ACTOR_LABELS and isinstance(entity, str)
    )
    return [entity for entity, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]]


def _negated(token: Token) -> bool:
    """A negation on the word, its head or its clause ("would not attack", "in no way … helpful")."""
    clause = _clause(token)
    for node in {token, token.head, clause}:
        for child in node.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in NEGATING_DETERMINERS):
                return True
            if node is clause and child.dep_ == "prep" and any(
                g.dep_ == "pobj" and any(d.dep_ == "det" and d.lower_ in NEGATING_DETERMINERS for d in g.children) for g in child.children
            ):
                return True
    return False


def _polarity(token: Token) -> int:
    lemma = token.lemma_.lower()
    sign = 1 if lemma in SUPPORTIVE_WORDS else -1 if lemma in HOSTILE_WORDS else 0
    if not sign or not _negated(token):
        return sign
    # a negated verb over a polar noun ("would not block the agreement") says nothing certain
    # of the noun: only a negation on the noun itself ("no agreement") turns it
    if token.pos_ in {"NOUN", "PROPN"} and not any(c.dep_ in {"neg", "det"} and c.lower_ in {"no", "not", "never", "neither"} for c in token.children):
        return 0
    # "would not attack" is a stance; "could not attack" says what one is unable to do
    clause = _clause(token)
    if any(c.dep_ == "aux" and c.lower_ in ABILITY_MODALS for node in {token, token.head, clause} for c in node.children):
        return 0
    return -sign


def _clause(token: Token) -> Token:
    """The nearest verb (or the root) above a token."""
    for node in [token, *token.ancestors]:
        if node.pos_ in {"VERB", "AUX"}:
            return node
    return token.sent.root


def _phrase_head(head: Token) -> Token:
    """The noun a name modifies ("Russian" → troops, "NATO's" → door), else the name itself."""
    while head.dep_ in _MODIFIER_DEPS and head.head is not head:
        head = head.head
    return head


def _own_clause(verb: Token) -> list[Token]:
    """The verb's clause without the clauses under it that have subjects of their own ("Israel
    could not confront … because the Arab rights could be regained when they achieve unity":
    the unity is the Arabs', not Israel's)."""
    keep: list[Token] = []
    stack = [verb]
    while stack:
        token = stack.pop()
        keep.append(token)
        for child in token.children:
            own_subject = any(g.dep_ in {"nsubj", "nsubjpass", "expl"} for g in child.children)
            if child.dep_ in _SUBORDINATE_DEPS or (child.dep_ == "conj" and own_subject and child.pos_ in {"VERB", "AUX"}):
                continue
            stack.append(child)
    return keep


def _first_person_subject(verb: Token) -> bool:
    return any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON_PRONOUNS for c in verb.children)


def _signals(doc: Doc, mention: range, content: set[int], *, near_target: bool = True) -> list[tuple[int, str]]:
    """Signals (±1, word) for one target mention inside one statement."""
    head = doc[mention.start : mention.stop].root
    signals: list[tuple[int, str]] = []
    # agent: subject, or a modifier of the subject's head ("Russian troops", "NATO's door")
    subject = _phrase_head(head)
    if subject.dep_ == "pobj" and subject.head.lower_ == "of" and subject.head.head.dep_ in {"nsubj", "nsubjpass"}:
        subject = subject.head.head  # "practices of the Israeli government harm …": its practices
    if subject.dep_ in {"nsubj", "nsubjpass"}:
        verb = subject.head
        for token in _own_clause(verb):
            if token.i in content and token.i not in range(subject.left_edge.i, subject.right_edge.i + 1):
                sign = _polarity(token)
                if sign:
                    signals.append((sign, token.text))
        for token in subject.subtree:  # "any Russian military attack": the head noun itself
            if token.i != head.i and token.i in content and token.i not in mention and _polarity(token):
                signals.append((_polarity(token), token.text))
    # object of a supportive word ("aid to Ukraine", "support Kyiv"); of a hostile one it is a
    # victim ("a threat to Ukraine"), which says nothing of the speaker's stance toward it
    governor = None
    if head.dep_ == "dobj":
        governor = head.head
    elif head.dep_ == "pobj" and head.head.lemma_.lower() in BENEFICIARY_PREPOSITIONS:
        governor = head.head.head
    if governor is not None and governor.i in content and _polarity(governor) > 0:
        signals.append((1, governor.text))
    if near_target:
        signals += _near_target(head, content)
    return signals


def _near_target(head: Token, content: set[int]) -> list[tuple[int, str]]:
    """Polar words attached to the target's own phrase, and the speaker's side acting on it."""
    signals: list[tuple[int, str]] = []
    phrase = _phrase_head(head)
    # the name's own modifiers and the noun it qualifies: "the extremist Dole", "Iran's
    # aggression", "a corrupt Bhutto government" (the agent rule above covers subjects)
    if phrase.dep_ not in {"nsubj", "nsubjpass"}:
        words = [c for c in head.children if c.dep_ in {"amod", "appos", "compound"}]
        if phrase is not head:
            words += [phrase, *(c for c in phrase.children if c.dep_ in {"amod", "appos"})]
        for token in words:
            sign = _polarity(token) if token.i in content else 0
            if sign:
                signals.append((sign, token.text))
    # "prevent Israel from undermining …": the object is the agent of the prevented act
    if phrase.dep_ == "dobj":
        for prep in (c for c in phrase.head.children if c.dep_ == "prep" and c.lower_ == "from"):
            for act in (g for g in prep.children if g.dep_ == "pcomp" and g.i in content):
                sign = _polarity(act)
                if sign:
                    signals.append((sign, act.text))
    # the speaker's side does it: "we condemn Iraqi involvement", "we will dislodge the Bhutto
    # government"; a hostile or supportive verb of a first-person subject speaks for the speaker
    if phrase.dep_ == "dobj" and phrase.head.i in content and _first_person_subject(phrase.head):
        sign = _polarity(phrase.head) or EVALUATIVE_VERBS.get(phrase.head.lemma_.lower(), 0) * (-1 if _negated(phrase.head) else 1)
        if sign:
            signals.append((sign, phrase.head.text))
    return signals


def _evaluations(doc: Doc) -> Iterable[tuple[Token, Token, int]]:
    """(verb or noun, its subject, sign) for every evaluative verb and noun of a sentence:
    "X accused Y", "X praised Y", "X voiced support to Y"."""
    strings = doc.vocab.strings
    # Only verbs and nouns can evaluate: found from the arrays, a Token built for those alone.
    for i, (pos, lemma_id) in enumerate(doc.to_array([POS, LEMMA]).tolist()):
        if pos != VERB and pos != NOUN:
            continue
        token, lemma = doc[i], strings[lemma_id].lower()
        if token.pos_ == "VERB" and lemma in EVALUATIVE_VERBS:
            sign, verb = EVALUATIVE_VERBS[lemma], token
        elif token.pos_ == "NOUN" and lemma in EVALUATIVE_NOUNS:
            sign, verb = EVALUATIVE_NOUNS[lemma], _clause(token)
            if verb is token or verb.pos_ not in {"VERB", "AUX"}:
                continue
        else:
            continue
        if _negated(token):
            sign = 0  # not condemning is not praising: a negated evaluation says nothing
        for subject in subjects_of(verb):
            yield token, subject, sign


def _evaluated(word: Token, doc: Doc, mention: range) -> bool:
    """Is the mention what an evaluative word is about? Its object (or that object's modifier,
    "condemned Iraqi involvement"), or a noun's addressee ("support to Iran's Kurds")."""
    phrase = _phrase_head(doc[mention.start : mention.stop].root)
    if word.pos_ == "VERB":
        return phrase.head.i == word.i and phrase.dep_ in {"dobj", "dative"}
    # the addressee itself only: "support to Iran's Kurds" favours the Kurds, not Iran
    head = doc[mention.start : mention.stop].root
    return head.dep_ == "pobj" and head.head.lower_ in ADDRESS_PREPOSITIONS and head.head.head.i == word.i


def _mentions_in(
    doc: Doc, content: set[int], canon: Canonicaliser, targets: set[str], line_text: Callable[[int, int], str]
) -> Iterable[tuple[str, range]]:
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS or not any(i in content for i in range(ent.start, ent.end)):
            continue
        name = canon(line_text(ent.start_char, ent.end_char), ent.label_)
        if name in targets:
            yield name, range(ent.start, ent.end)


def _sole_person_speaker(article: AnalysedArticle) -> str | None:
    """The one person the article quotes by name, if it quotes exactly one."""
    lines = analysed_lines(article)
    people = {
        row["speaker_entity"]
        for row in statements(article)
        if row["resolved"] and row["speaker_entity"] and row["_subject"] is not None
        and lines[row["line"]].doc[row["_subject"]].ent_type_ == "PERSON"
    }
    return next(iter(people)) if len(people) == 1 else None


def _statement_votes(
    article: AnalysedArticle, targets: set[str], canon: Canonicaliser, *, near_target: bool, sole_speaker: bool
) -> Iterable[tuple[str, str, int, list[tuple[int, str]]]]:
    """(speaker, target, line, signals) for each target mentioned in a reported statement."""
    lines = analysed_lines(article)
    sole = _sole_person_speaker(article) if sole_speaker else None
    for row in statements(article):
        speaker = row["speaker_entity"]
        if sole and not row["resolved"] and (row["speaker"] or "").lower() in SOLE_SPEAKER_PRONOUNS:
            speaker = sole  # "he said" in an article quoting one named person: that person
        elif not row["resolved"] or not speaker:
            continue
        line = lines[row["line"]]
        doc, content = line.doc, set(row["_content"])
        # all mentions of a target in one statement make one vote ("Russian …, Moscow …")
        found: dict[str, list[tuple[int, str]]] = {}
        for target, mention in _mentions_in(doc, content, canon, targets - {speaker}, line.text_of):
            found.setdefault(target, []).extend(_signals(doc, mention, content, near_target=near_target))
        for target, signals in found.items():
            yield speaker, target, row["line"], signals


def _evaluation_votes(article: AnalysedArticle, targets: set[str], canon: Canonicaliser) -> Iterable[tuple[str, str, int, list[tuple[int, str]]]]:
    """(speaker, target, line, signals) for each evaluative verb or noun whose subject is a
    named speaker ("Jordan accused Iraq"): reported speech that need not be a quotation."""
    for line in analysed_lines(article):
        if line.index < 0:
            continue
        doc = line.doc
        everything = set(range(len(doc)))
        for word, subject, sign in _evaluations(doc):
            if subject.pos_ == "PRON":
                continue
            _, speaker = speaker_name(subject, line, canon)
            if not speaker:
                continue
            for target, mention in _mentions_in(doc, everything, canon, targets - {speaker}, line.text_of):
                if _evaluated(word, doc, mention):
                    yield speaker, target, line.index, [(sign, word.text)] if sign else []


def actor_stance(
    article: ArticleLike,
    targets: Sequence[str] | None = None,
    *,
    pipeline: str | None = None,
    evaluations: bool = True,
    near_target: bool = True,
    sole_speaker: bool = False,
) -> pd.DataFrame:
    """Stance of each resolved speaker toward each target, with its evidence.

    Columns: ``speaker`` (canonical), ``target``, ``stance`` (``favor``/``against``/``neutral``),
    ``score`` (in [-1, 1]), ``n_statements`` (the speaker's statements mentioning the target),
    ``evidence`` (their line indices), ``signals`` (the words that decided, ``+word``/``-word``).
    One row per speaker × target pair that the speaker mentions; the method is described in
    the module docstring.

    Args:
        article: the article.
        targets: canonical entity names; default :func:`default_targets`.
        pipeline: spaCy pipeline, used only to analyse a plain Article.
        evaluations: count evaluative verbs and nouns ("X accused Y", "X's support for Y").
        near_target: count polar words on the target's own phrase and first-person acts on it.
        sole_speaker: give a "he"/"she" statement to the one person the article quotes by name.
    """
    article = as_analysed(article, pipeline=pipeline)
    targets = list(targets) if targets is not None else default_targets(article)
    canon = canonicaliser(article)
    wanted = set(targets)
    votes = list(_statement_votes(article, wanted, canon, near_target=near_target, sole_speaker=sole_speaker))
    if evaluations:
        votes += _evaluation_votes(article, wanted, canon)
    # one speaker however capitalised ("Damascus Radio", "Damascus radio"): its first spelling
    spelling: dict[str, str] = {}
    per_pair: dict[tuple[str, str], list[tuple[float, int, list[str]]]] = {}
    for speaker, target, line, signals in votes:
        speaker = spelling.setdefault(speaker.lower(), speaker)
        favor = sum(1 for s, _ in signals if s > 0)
        against = sum(1 for s, _ in signals if s < 0)
        score = (favor - against) / (favor + against) if signals else 0.0
        words = [("+" if s > 0 else "-") + w for s, w in signals]
        per_pair.setdefault((speaker, target), []).append((score, line, words))
    records = []
    for (speaker, target), found in per_pair.items():
        # one vote per statement: a speaker quoted twice in a line counts twice, as said twice
        score = float(np.mean([s for s, _, _ in found]))
        stance = "favor" if score > THRESHOLD else "against" if score < -THRESHOLD else "neutral"
        records.append(
            {
                "speaker": speaker,
                "target": target,
                "stance": stance,
                "score": round(score, 3),
                "n_statements": len(found),
                "evidence": tuple(sorted({line for _, line, _ in found})),
                "signals": tuple(w for _, _, words in found for w in words),
            }
        )
    frame = pd.DataFrame(records, columns=ACTOR_COLUMNS)
    order = {t: i for i, t in enumerate(targets)}
    if not frame.empty:
        frame = frame.assign(_t=frame["target"].map(order)).sort_values(["speaker", "_t"]).drop(columns="_t")
    return frame.reset_index(drop=True)


def stance_matrix(stances: pd.DataFrame, *, targets: Sequence[str] | None = None) -> pd.DataFrame:
    """Speaker × target matrix of scores (NaN where the speaker does not mention the target)."""
    if stances.empty:
        return pd.DataFrame(index=pd.Index([], name="speaker"), columns=pd.Index(list(targets or []), name="target"), dtype=float)
    matrix = stances.pivot_table(index="speaker", columns="target", values="score", aggfunc="mean")
    if targets is not None:
        matrix = matrix.reindex(columns=list(targets))
    return matrix
