"""An article's tokens as numpy arrays and Python lists, read from spaCy's attribute arrays.

The ordering cues look at every token of every sentence many times over (words, lemmas,
parts of speech, dependency arcs, entities, noun chunks). Iterating a :class:`~spacy.tokens.Doc`
builds a Python :class:`~spacy.tokens.Token` per token and per pass, which costs more than the
cues themselves; :meth:`Doc.to_array` returns every attribute at once. The arrays of all the
sentences are converted together (:class:`ArticleTokens`), strings are looked up once per
distinct hash for the whole process, and labels are compared as spaCy's integer ids.

Noun chunks and their roots are rebuilt from the same arrays, following spaCy's English
``noun_chunks`` iterator and :attr:`Span.root`; the left edges come from spaCy itself (they
depend on how the parse was repaired for non-projective arcs), unusual spans and other
languages' iterators fall back to spaCy, so the chunks are exactly those of ``doc.noun_chunks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Sequence

import numpy as np
from spacy import attrs
from spacy.lang.en.syntax_iterators import noun_chunks as english_noun_chunks
from spacy.strings import get_string_id
from spacy.tokens import Doc

__all__ = ["pick", "ArticleTokens", "article_tokens", "TokenTable", "label_id", "noun_chunks", "span_root"]

_ATTRS = [
    getattr(attrs, name)
    for name in ("ORTH", "LOWER", "LEMMA", "POS", "TAG", "DEP", "HEAD", "IS_ALPHA", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_UPPER", "LIKE_NUM", "LENGTH", "SPACY")
]
# Hash -> string, shared by every Doc: spaCy's hashes of a string are the same in every vocab.
_STRINGS: dict[int, str] = {}
_LOWERED: dict[int, str] = {}


def label_id(label: str) -> int:
    """spaCy's integer id of a label or part of speech (a symbol id or the string's hash)."""
    return int(get_string_id(label))


NOUN, PROPN, PRON, NUM = (label_id(p) for p in ("NOUN", "PROPN", "PRON", "NUM"))
_NP_DEPS = frozenset(label_id(d) for d in ("oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT"))
_CONJ = label_id("conj")
_NP_POS = [NOUN, PROPN, PRON]
_NP_DEPS_AND_CONJ = sorted(_NP_DEPS | {_CONJ})
_DET = label_id("det")


@dataclass(frozen=True)
class TokenTable:
    """Attributes of one Doc's tokens, one list entry per token, for walks within a sentence.

    ``lemma`` holds lowercased lemmas, ``head`` indices in the Doc (a root is its own head);
    ``pos`` and ``dep`` are spaCy's integer ids.
    """

    doc: Doc
    text: list[str]
    lower: list[str]
    lemma: list[str]
    pos: list[int]
    dep: list[int]
    head: list[int]
    alpha: list[bool]
    punct: list[bool]
    stop: list[bool]
    length: list[int]
    trailing_space: list[bool]
    #: Tokens that may head a noun chunk (noun or pronoun, in a noun-phrase or "conj" arc).
    chunk_heads: list[int]

    def __len__(self) -> int:
        return len(self.text)

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``: the tokens with their spaces, less the last one's."""
        parts = [t + " " if s else t for t, s in zip(self.text[start:end], self.trailing_space[start:end])]
        if parts and self.trailing_space[end - 1]:
            parts[-1] = self.text[end - 1]
        return "".join(parts)

    @property
    def doc_text(self) -> str:
        """``doc.text``."""
        return "".join([t + " " if s else t for t, s in zip(self.text, self.trailing_space)])


def pick(values: Sequence, indices: Sequence[int]) -> list:
    """``[values[i] for i in indices]``, in one call."""
    if len(indices) > 1:
        return list(itemgetter(*indices)(values))
    return [values[i] for i in indices]


def _strings(hashes: list[int], docs: Sequence[Doc], cache: dict[int, str], lowered: bool = False) -> list[str]:
    """The strings of ``hashes`` (lowercased when ``lowered``), through ``cache``."""
    try:
        return pick(cache, hashes)
    except KeyError:
        strings = docs[0].vocab.strings
        for h in set(hashes).difference(cache):
            # The Docs of one article come from one pipeline; look further only if not.
            s = strings[h] if h in strings else next(d.vocab.strings[h] for d in docs if h in d.vocab.strings)
            cache[h] = s.lower() if lowered else s
        return pick(cache, hashes)


@dataclass(frozen=True)
class ArticleTokens:
    """The tokens of several Docs (an article's sentences) end to end, as numpy arrays for
    the counts and masks computed over all of them at once, with one :class:`TokenTable` per
    Doc for the per-sentence walks.

    ``starts[k]:starts[k + 1]`` are the tokens of Doc ``k``; ``head`` holds article indices.
    """

    tables: list[TokenTable]
    starts: np.ndarray
    doc_of: np.ndarray
    pos: np.ndarray
    tag: np.ndarray
    dep: np.ndarray
    lemma_id: np.ndarray
    lower_id: np.ndarray
    head: np.ndarray
    alpha: np.ndarray
    punct: np.ndarray
    space: np.ndarray
    stop: np.ndarray
    upper: np.ndarray
    like_num: np.ndarray
    length: np.ndarray
    text: list[str]
    lower: list[str]
    lemma: list[str]


def article_tokens(docs: Sequence[Doc]) -> ArticleTokens:
    """The :class:`ArticleTokens` of ``docs``: spaCy's arrays of all of them converted together
    (most of the cost of a short Doc is per conversion, not per token)."""
    sizes = [len(d) for d in docs]
    total = sum(sizes)
    starts = np.cumsum([0] + sizes)
    columns = (
        np.concatenate([d.to_array(_ATTRS).reshape(len(d), len(_ATTRS)) for d in docs]).T
        if total
        else np.zeros((len(_ATTRS), 0), dtype=np.uint64)
    )
    doc_of = np.repeat(np.arange(len(docs)), sizes)
    # HEAD is stored as an unsigned offset to the head.
    head = columns[6].view(np.int64) + np.arange(total)
    orth, lower, lemma = columns[:3].tolist()
    text, lower_text = _strings(orth, docs, _STRINGS), _strings(lower, docs, _STRINGS)
    lemma_text = _strings(lemma, docs, _LOWERED, True)
    alpha, punct, space, stop, upper, like_num = flags = columns[7:13].astype(bool)
    length = columns[13].astype(np.int64)
    lists = (
        text, lower_text, lemma_text, columns[3].tolist(), columns[5].tolist(), (head - starts[doc_of]).tolist(),
        alpha.tolist(), punct.tolist(), stop.tolist(), length.tolist(), columns[14].astype(bool).tolist(),
    )
    heads = np.flatnonzero(np.isin(columns[3], _NP_POS) & np.isin(columns[5], _NP_DEPS_AND_CONJ))
    cut = np.searchsorted(heads, starts).tolist()
    heads = (heads - starts[doc_of[heads]]).tolist()
    tables = [
        TokenTable(d, *(c[a:b] for c in lists), heads[cut[k] : cut[k + 1]])
        for k, (d, a, b) in enumerate(zip(docs, starts[:-1].tolist(), starts[1:].tolist()))
    ]
    return ArticleTokens(
        tables, starts, doc_of, columns[3], columns[4], columns[5], columns[2], columns[1], head,
        *flags, length, text, lower_text, lemma_text,
    )


def span_root(table: TokenTable, start: int, end: int) -> int:
    """The index of ``doc[start:end].root``."""
    head = table.head
    for k in range(start, end):
        if head[k] == k:
            return k
    outside = [k for k in range(start, end) if not start <= head[k] < end]
    if len(outside) == 1:
        return outside[0]
    # Several tokens attach outside the span: spaCy ranks them by distance to the root.
    return table.doc[start:end].root.i


def noun_chunks(table: TokenTable) -> list[tuple[int, int]]:
    """``(start, end)`` of each base noun phrase, as ``doc.noun_chunks``."""
    if table.doc.noun_chunks_iterator is not english_noun_chunks:
        return [(c.start, c.end) for c in table.doc.noun_chunks]
    chunks = []
    prev_end = -1
    dep, head = table.dep, table.head
    for k in table.chunk_heads:
        is_np = dep[k] in _NP_DEPS
        if not is_np:
            # A "conj" arc: a noun phrase when what it is coordinated with is one.
            h = head[k]
            while dep[h] == _CONJ and head[h] < h:
                h = head[h]
            is_np = dep[h] in _NP_DEPS
        if not is_np:
            continue
        # Only the chunk candidates need a left edge: read it from spaCy.
        left = table.doc[k].left_edge.i
        if left <= prev_end:
            continue
        prev_end = k
        chunks.append((left, k + 1))
    return chunks
