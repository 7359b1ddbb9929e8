"""The pair features of an article, every ordered pair at once.

Each pair cue compares two sentences' sets (names, acronyms, nouns, grid entities). Over the
article's own vocabulary a sentence's set becomes a 0/1 row, and the set intersections of
all pairs become one matrix product; the counts are small integers, exact in floating point,
so the features equal the pair-by-pair definitions (see :data:`~analysis.ordering.features.PAIR_FEATURES`).
"""

from __future__ import annotations

import itertools
from typing import Iterable, Sequence

import numpy as np

from .cues import SentenceCues
from .tokens import pick

__all__ = ["pair_features", "indicator", "Vocabulary"]

# Columns of the sentence features read by the pair cues (see SENTENCE_FEATURES).
_DATED, _STARTS_PRONOUN, _STARTS_PERSONAL, _STARTS_CONNECTIVE = 1, 2, 3, 4
_N_GRID = 15


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
    shape (n, n, 15) in the order of the ``grid_*`` pair features."""
    presence, vocabulary = indicator([c.grid for c in cues])
    roles = [np.zeros_like(presence) for _ in range(3)]
    for row, c in enumerate(cues):
        for key, role in c.grid.items():
            roles[role][row, vocabulary[key]] = 1.0
    absent = 1.0 - presence
    states = roles + [absent]
    out = np.zeros((len(cues), len(cues), _N_GRID))
    k = 0
    for a in range(4):
        for b in range(4):
            if a == 3 and b == 3:
                continue  # absent in both: not an entity of the pair
            out[:, :, k] = states[a] @ states[b].T
            k += 1
    sizes = np.asarray([len(c.grid) for c in cues], dtype=np.float64)
    return out / np.maximum(1.0, np.sqrt(sizes[:, None] + sizes[None, :]))[:, :, None]


def _counts(left: Sequence[Iterable[str]], right: Sequence[Iterable[str]]) -> np.ndarray:
    """``C[i, j] = |left[i] & right[j]|``."""
    vocabulary = Vocabulary([left, right])
    return vocabulary.matrix(left) @ vocabulary.matrix(right).T


def pair_features(cues: Sequence[SentenceCues], rows: np.ndarray, n_features: int) -> np.ndarray:
    """The (n, n, n_features) pair features from the sentences' cues and sentence features."""
    n = len(cues)
    content, ents = [c.content for c in cues], [c.ents for c in cues]
    shared_content = _counts(content, content) > 0
    shared_ents = _counts(ents, ents) > 0
    has_person = np.asarray([bool(c.persons_full | c.persons_single) for c in cues])
    pair = np.zeros((n, n, n_features))
    pair[:, :, 0] = _counts([c.persons_full for c in cues], [c.persons_single for c in cues])
    pair[:, :, 1] = has_person[:, None] & (rows[:, _STARTS_PRONOUN] > 0)[None, :]
    pair[:, :, 2] = shared_content & (rows[:, _STARTS_PERSONAL] > 0)[None, :]
    pair[:, :, 3] = _counts([c.acronyms_defined for c in cues], [c.acronyms_used - c.acronyms_defined for c in cues])
    pair[:, :, 4] = _counts([c.indefinite for c in cues], [c.definite for c in cues])
    pair[:, :, 5] = shared_content & (rows[:, _STARTS_CONNECTIVE] > 0)[None, :]
    pair[:, :, 6] = shared_ents & (rows[:, _DATED] > 0)[None, :]
    pair[:, :, 7] = _name_endings([c.names for c in cues])
    pair[:, :, 8] = _counts([c.chains_full for c in cues], [c.chains_single - c.chains_full for c in cues])
    pair[:, :, 9] = _longer_mentions(cues)
    pair[:, :, 10:] = _grid_transitions(cues)
    pair[np.arange(n), np.arange(n)] = 0.0  # a sentence is no pair with itself
    return pair
