"""Actor stance: how each speaker stands toward each target entity, with the evidence.

A transparent lexicon method on the parse of each reported statement (see
:func:`analysis.stance.quotes.statements`):

1. Every mention of a target inside a statement's content is given a *role* on the parse:
   **agent** when it is the subject of a clause, or a modifier of the subject's head
   (``Russian`` in "the Russian troops posed a threat", ``NATO's`` in "NATO's door is open");
   **object** when it is the object of a polar word ("a threat to Ukraine", "support for Kyiv").
2. The polar words of the clause are looked up in two small lexicons (:data:`HOSTILE`,
   :data:`SUPPORTIVE`); a negation on the word or its head flips it ("would not attack").
3. An agent takes the polarity of its clause (the speaker says the target threatens: against;
   the speaker says the target keeps its door open: favor). The object of a *supportive*
   word is favoured ("aid to Ukraine"); of a *hostile* word it is a victim, which says
   nothing of the speaker's stance toward it, so it counts 0. A speaker who warns, accuses or
   condemns a target (the target is the cue verb's object) is against it.

A statement's score toward a target is ``(favor - against) / (favor + against)`` of its
signals (0 without signals); a speaker's score is the mean over the statements that mention the
target; ``favor`` above +0.2, ``against`` below -0.2, else ``neutral``. Only resolved speakers
count: a pronoun speaker is never attributed to a candidate.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
from spacy.tokens import Doc, Token

from ..analysed import ArticleLike, as_analysed
from .parse import analysed_lines
from .quotes import statements
from ..names.mentions import mentions
from .speakers import NAME_LABELS, Canonicaliser, canonicaliser

__all__ = ["HOSTILE", "SUPPORTIVE", "ACTOR_COLUMNS", "default_targets", "actor_stance", "stance_matrix"]

#: Lemmas signalling hostility, threat or harm.
HOSTILE: frozenset[str] = frozenset(
    """threat threaten invade invasion attack aggression aggressive war force consequence
    sanction punish destructive danger dangerous reject violate violation escalate escalation
    seize annex insurgency condemn accuse blame hostile kill oppose refuse provocation
    provocative illegal lie destroy bomb strike occupy occupation crisis worst fail failure
    undermine destabilize destabilise threatening""".split()
)
#: Lemmas signalling support, cooperation or a good outcome.
SUPPORTIVE: frozenset[str] = frozenset(
    """good solution peace peaceful settlement de-escalation readiness hope welcome support
    agree agreement commit commitment cooperate cooperation dialogue diplomatic diplomacy
    progress positive constructive open promise ally partner friend praise success help aid
    protect defend reciprocal respect trust backing""".split()
)
#: Cue verbs that are themselves hostile toward their object ("warning Russia against …").
_HOSTILE_CUES = frozenset({"warn", "accuse", "condemn", "threaten", "blame", "criticize", "criticise"})
_BENEFICIARY_PREPS = frozenset({"to", "for", "with"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "det"})
_THRESHOLD = 0.2

ACTOR_COLUMNS = ["speaker", "target", "stance", "score", "n_statements", "evidence", "signals"]


def default_targets(article: ArticleLike, *, top: int = 5, model: str | None = None) -> list[str]:
    """The article's ``top`` most mentioned canonical entities (people, organisations, places,
    nationalities mapped to their country), most mentioned first, ties by name."""
    a = as_analysed(article, pipeline=model)
    table = mentions(a, fold_demonyms=True, fold_metonyms=True)
    counts = Counter(
        entity
        for line, entity, label in zip(table["line"], table["entity"], table["entity_label"])
        if line >= 0 and label in NAME_LABELS and isinstance(entity, str)
    )
    return [entity for entity, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]]


def _polarity(token: Token) -> int:
    lemma = token.lemma_.lower()
    sign = 1 if lemma in SUPPORTIVE else -1 if lemma in HOSTILE else 0
    if sign and (any(c.dep_ == "neg" for c in token.children) or any(c.dep_ == "neg" for c in token.head.children)):
        sign = -sign
    return sign


def _clause(token: Token) -> Token:
    """The nearest verb (or the root) above a token."""
    for node in [token, *token.ancestors]:
        if node.pos_ in {"VERB", "AUX"}:
            return node
    return token.sent.root


def _signals(doc: Doc, mention: range, content: set[int], cue: Token) -> list[tuple[int, str]]:
    """Signals (±1, word) for one target mention inside one statement."""
    head = doc[mention.start : mention.stop].root
    signals: list[tuple[int, str]] = []
    # agent: subject, or a modifier of the subject's head ("Russian troops", "NATO's door")
    subject = head
    while subject.dep_ in _MODIFIER_DEPS and subject.head is not subject:
        subject = subject.head
    if subject.dep_ in {"nsubj", "nsubjpass"}:
        verb = subject.head
        for token in verb.subtree:
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
    elif head.dep_ == "pobj" and head.head.lemma_.lower() in _BENEFICIARY_PREPS:
        governor = head.head.head
    if governor is not None and governor.i in content and _polarity(governor) > 0:
        signals.append((1, governor.text))
    if cue.lemma_.lower() in _HOSTILE_CUES and head.dep_ == "dobj" and head.head.i == cue.i:
        signals.append((-1, cue.text))
    return signals


def _mentions_in(
    doc: Doc, content: set[int], canon: Canonicaliser, targets: set[str], line_text: Callable[[int, int], str]
) -> Iterable[tuple[str, range]]:
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS or not any(i in content for i in range(ent.start, ent.end)):
            continue
        name = canon(line_text(ent.start_char, ent.end_char), ent.label_)
        if name in targets:
            yield name, range(ent.start, ent.end)


def actor_stance(article: ArticleLike, targets: Sequence[str] | None = None, *, model: str | None = None) -> pd.DataFrame:
    """Stance of each resolved speaker toward each target, with its evidence.

    Columns: ``speaker`` (canonical), ``target``, ``stance`` (``favor``/``against``/``neutral``),
    ``score`` (in [-1, 1]), ``n_statements`` (the speaker's statements mentioning the target),
    ``evidence`` (their line indices), ``signals`` (the words that decided, ``+word``/``-word``).
    One row per speaker × target pair that the speaker mentions; the method is described in
    the module docstring.

    Args:
        article: the article.
        targets: canonical entity names; default :func:`default_targets`.
        model: spaCy pipeline, used only to analyse a plain Article.
    """
    article = as_analysed(article, pipeline=model)
    targets = list(targets) if targets is not None else default_targets(article)
    canon = canonicaliser(article)
    lines = analysed_lines(article)
    per_pair: dict[tuple[str, str], list[tuple[float, int, list[str]]]] = {}
    for row in statements(article):
        speaker = row["speaker_entity"]
        if not row["resolved"] or not speaker:
            continue
        line = lines[row["line"]]
        doc, content = line.doc, set(row["_content"])
        # all mentions of a target in one statement make one vote ("Russian …, Moscow …")
        found: dict[str, list[tuple[int, str]]] = {}
        for target, mention in _mentions_in(doc, content, canon, set(targets) - {speaker}, line.text_of):
            found.setdefault(target, []).extend(_signals(doc, mention, content, doc[row["_cue"]]))
        for target, signals in found.items():
            favor = sum(1 for s, _ in signals if s > 0)
            against = sum(1 for s, _ in signals if s < 0)
            score = (favor - against) / (favor + against) if signals else 0.0
            words = [("+" if s > 0 else "-") + w for s, w in signals]
            per_pair.setdefault((speaker, target), []).append((score, row["line"], words))
    records = []
    for (speaker, target), found in per_pair.items():
        # one vote per statement: a speaker quoted twice in a line counts twice, as said twice
        score = float(np.mean([s for s, _, _ in found]))
        stance = "favor" if score > _THRESHOLD else "against" if score < -_THRESHOLD else "neutral"
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
