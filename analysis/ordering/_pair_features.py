"""The pair features of an article, every ordered pair at once.

Each pair cue compares two sentences' sets (names, acronyms, nouns, grid entities). Over the
article's own vocabulary a sentence's set becomes a 0/1 row, and the set intersections of
all pairs become one matrix product; the counts are small integers, exact in floating point,
so the features equal the pair-by-pair definitions.

Each column is a name bound to the function computing it (:data:`PAIR_COLUMNS`, in column
order), so that :data:`~analysis.ordering._features.PAIR_FEATURES` is derived from the code that
fills the columns and cannot drift from it.
"""

from __future__ import annotations

import functools
import itertools
from typing import Callable, Iterable, NamedTuple, Sequence

import numpy as np

from ._cues import SentenceCues
from ._tokens import pick

__all__ = ["PAIR_COLUMNS", "PairColumn", "PairInput", "pair_features", "indicator", "Vocabulary"]

# Entity-grid roles: subject, object, other (see analysis.ordering._cues); "-" is absent.
_ROLES = ("S", "O", "X")
_ROLES_ABSENT = _ROLES + ("-",)
#: The grid transitions, in column order: every (role in i, role in j) but absent in both.
_TRANSITIONS = tuple((a, b) for a in range(4) for b in range(4) if (a, b) != (3, 3))


class Vocabulary:
    """The words of an article's sets (any kind: names, nouns, acronyms...), numbered, and
    the 0/1 matrices of sets over them."""

    def __init__(self, families: Iterable[Iterable[Iterable[str]]]) -> None:
        words = dict.fromkeys(itertools.chain.from_iterable(itertools.chain.from_iterable(families)))
        self.index = {word: k for k, word in enumerate(words)}

    def matrix(self, sets: Sequence[Iterable[str]]) -> np.ndarray:
        """One row per set, one column per word: 1 where the set holds the word."""
        sizes = [len(s) for s in sets]
        matrix = np.zeros((len(sets), max(1, len(self.index))))
        if any(sizes):
            rows = np.repeat(np.arange(len(sets)), sizes)
            matrix[rows, pick(self.index, list(itertools.chain.from_iterable(sets)))] = 1.0
        return matrix


def indicator(sets: Sequence[Iterable[str]]) -> tuple[np.ndarray, dict[str, int]]:
    """0/1 matrix of ``sets`` over their own words, and the words' columns."""
    vocabulary = Vocabulary([sets])
    return vocabulary.matrix(sets), vocabulary.index


def _name_endings(names: Sequence[frozenset[str]]) -> np.ndarray:
    """``C[i, j]``: names of ``j`` that end a longer name of ``i`` ("lavrov" in "sergei lavrov")
    and are not themselves names in ``i``."""
    matrix, vocabulary = indicator(names)
    # ends[l, s]: s is what follows a space in l, i.e. len(s) < len(l) and l ends with " " + s.
    ends = np.zeros((matrix.shape[1], matrix.shape[1]))
    for name, row in vocabulary.items():
        for at, char in enumerate(name):
            if char == " " and name[at + 1 :] in vocabulary:
                ends[row, vocabulary[name[at + 1 :]]] = 1.0
    return ((matrix @ ends) * (1.0 - matrix)) @ matrix.T


#: Bound on the (rows, n, heads) comparison block of :func:`_longer_mentions`.
_BLOCK_CELLS = 1 << 22


def _longer_mentions(cues: Sequence[SentenceCues]) -> np.ndarray:
    """``C[i, j]``: shared noun-phrase heads mentioned longer in ``i`` than in ``j``, over the
    square root of the number of shared heads."""
    presence, vocabulary = indicator([c.mentions for c in cues])
    lengths = np.zeros_like(presence)
    for row, c in enumerate(cues):
        for head, size in c.mentions.items():
            lengths[row, vocabulary[head]] = size
    n, width = presence.shape
    present = presence > 0
    longer = np.zeros((n, n))
    step = max(1, _BLOCK_CELLS // max(1, n * width))
    for start in range(0, n, step):
        block = slice(start, start + step)
        wins = (lengths[block, None, :] > lengths[None, :, :]) & present[block, None, :] & present[None, :, :]
        longer[block] = wins.sum(axis=2)
    return longer / np.sqrt(np.maximum(1.0, presence @ presence.T))


def _grid_transitions(cues: Sequence[SentenceCues]) -> np.ndarray:
    """Entity-grid role transitions (S, O, X or absent in ``i``, then in ``j``), counted over
    the entities of either sentence and divided by ``max(1, sqrt(|grid i| + |grid j|))``;
    shape (n, n, 15) in the order of :data:`_TRANSITIONS` (the ``grid_*`` pair columns)."""
    presence, vocabulary = indicator([c.grid for c in cues])
    roles = [np.zeros_like(presence) for _ in range(3)]
    for row, c in enumerate(cues):
        for key, role in c.grid.items():
            roles[role][row, vocabulary[key]] = 1.0
    absent = 1.0 - presence
    states = roles + [absent]
    out = np.zeros((len(cues), len(cues), len(_TRANSITIONS)))
    for k, (a, b) in enumerate(_TRANSITIONS):
        out[:, :, k] = states[a] @ states[b].T
    sizes = np.asarray([len(c.grid) for c in cues], dtype=np.float64)
    return out / np.maximum(1.0, np.sqrt(sizes[:, None] + sizes[None, :]))[:, :, None]


def _counts(left: Sequence[Iterable[str]], right: Sequence[Iterable[str]]) -> np.ndarray:
    """``C[i, j] = |left[i] & right[j]|``."""
    vocabulary = Vocabulary([left, right])
    return vocabulary.matrix(left) @ vocabulary.matrix(right).T


class PairInput:
    """What the pair columns of an article are computed from: the sentences' cues and their
    sentence columns (read by name), and the sets shared by pairs, each computed once."""

    def __init__(self, cues: Sequence[SentenceCues], rows: np.ndarray, names: Sequence[str]) -> None:
        self.cues = cues
        self._rows, self._names = rows, list(names)

    def opens(self, name: str) -> np.ndarray:
        """``M[i, j]``: sentence ``j`` has the (0/1) sentence column ``name`` set."""
        return (self._rows[:, self._names.index(name)] > 0)[None, :]

    def has(self, name: str) -> np.ndarray:
        """``M[i, j]``: sentence ``i`` has the (0/1) sentence column ``name`` set."""
        return (self._rows[:, self._names.index(name)] > 0)[:, None]

    def counts(self, left: str, right: str | None = None, minus: str | None = None) -> np.ndarray:
        """``C[i, j] = |left(i) & (right(j) - minus(j))|`` over the named :class:`SentenceCues` sets."""
        rights = [getattr(c, right or left) for c in self.cues]
        if minus is not None:
            rights = [r - getattr(c, minus) for r, c in zip(rights, self.cues)]
        return _counts([getattr(c, left) for c in self.cues], rights)

    @functools.cached_property
    def shared_content(self) -> np.ndarray:
        return self.counts("content") > 0

    @functools.cached_property
    def shared_ents(self) -> np.ndarray:
        return self.counts("ents") > 0

    @functools.cached_property
    def grid(self) -> np.ndarray:
        return _grid_transitions(self.cues)


class PairColumn(NamedTuple):
    """One pair feature: its name in the model and the function computing its (n, n) values."""

    name: str
    value: Callable[[PairInput], np.ndarray]


def _has_person(p: PairInput) -> np.ndarray:
    return np.asarray([bool(c.persons_full | c.persons_single) for c in p.cues])[:, None]


def _grid(k: int) -> Callable[[PairInput], np.ndarray]:
    return lambda p: p.grid[:, :, k]


#: The pair cues, in column order. Four cues read a sentence column of ``j`` by name, and each is
#: named for the column it reads. (Three were once named for other columns, "connective",
#: "definite" and "pronoun said", which they stopped reading when ``dateline_dated`` was
#: inserted; giving them those columns again was cross-validated and did not help, see the
#: model card, so they keep what the committed model was trained on, under true names.)
PAIR_COLUMNS: tuple[PairColumn, ...] = (
    PairColumn("full_then_surname", lambda p: p.counts("persons_full", "persons_single")),
    PairColumn("antecedent_for_pronoun", lambda p: _has_person(p) & p.opens("starts_pronoun")),
    PairColumn("overlap_then_personal_pronoun", lambda p: p.shared_content & p.opens("starts_personal_pronoun")),
    PairColumn("acronym_defined", lambda p: p.counts("acronyms_defined", "acronyms_used", minus="acronyms_defined")),
    PairColumn("indefinite_then_definite", lambda p: p.counts("indefinite", "definite")),
    PairColumn("overlap_then_connective", lambda p: p.shared_content & p.opens("starts_connective")),
    PairColumn("shared_entity_then_dated", lambda p: p.shared_ents & p.opens("dateline_dated")),
    PairColumn("long_then_short_name", lambda p: _name_endings([c.names for c in p.cues])),
    PairColumn("propn_full_then_short", lambda p: p.counts("chains_full", "chains_single", minus="chains_full")),
    PairColumn("longer_mention_first", lambda p: _longer_mentions(p.cues)),
    # A quote left open in i and closed in j: i comes first (and most often right before j).
    PairColumn("quote_opened_then_closed", lambda p: p.has("quote_opens") & p.opens("quote_closes")),
    *(PairColumn(f"grid_{_ROLES_ABSENT[a]}{_ROLES_ABSENT[b]}", _grid(k)) for k, (a, b) in enumerate(_TRANSITIONS)),
)


def pair_features(cues: Sequence[SentenceCues], rows: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The (n, n, len(PAIR_COLUMNS)) pair features from the sentences' cues and their sentence
    features ``rows``, whose columns ``names`` names."""
    n = len(cues)
    inputs = PairInput(cues, rows, names)
    pair = np.zeros((n, n, len(PAIR_COLUMNS)))
    for k, column in enumerate(PAIR_COLUMNS):
        pair[:, :, k] = column.value(inputs)
    pair[np.arange(n), np.arange(n)] = 0.0  # a sentence is no pair with itself
    return pair
