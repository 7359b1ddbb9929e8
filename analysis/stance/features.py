"""Topic-independent features of a (claim, body) pair, and of each body sentence.

Nothing here depends on having seen the claim's topic: the inputs are similarities (TF-IDF and
LSA cosines in a space fitted on training text only, word, stem, bigram and name overlap, the
same against the body's sentences most similar to the claim) and cue words (refuting, hedging,
confirming, negation near the claim's words, attribution and quotation), plus a bag of the
words that occur across many training topics, so a topic's own vocabulary cannot be memorised.

:class:`TextSpace` is what is fitted (vocabulary, IDF, LSA axes, cross-topic words);
:func:`pair_matrix` turns pairs into the model's inputs, computing each body once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple, Sequence

import numpy as np
import scipy.sparse as sp

from .lexicon import CUES, NEGATIONS, STOP_WORDS

__all__ = ["TextSpace", "PairInputs", "words", "split_sentences", "fit_text_space", "pair_matrix", "SIMILARITY_NAMES", "CUE_GROUPS"]

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?\"“”]")
_SENTENCE_RE = re.compile(r"\n+|(?<=[.!?])\s+(?=[\"“'A-Z0-9])")
CUE_GROUPS: tuple[str, ...] = tuple(CUES)
_CUE_OF = {w: g for g, ws in CUES.items() for w in ws}
_WINDOW = 4  # words either side of a negation or refuting word that it is taken to govern
TOP_K = 3  # body sentences most similar to the claim that the stance cues read

SIMILARITY_NAMES: tuple[str, ...] = (
    "cos_tfidf", "cos_lsa", "sent_cos_max", "sent_cos_2nd", "sent_cos_top3", "sent_lsa_max",
    "words_in_body", "stems_in_body", "words_in_lead", "bigrams_in_body", "names_in_body", "has_names",
    "words_in_best_sentence",
)


def words(text: str) -> list[str]:
    """Lower-cased words (apostrophe forms kept) and the marks ``?`` and quotes, in order."""
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def split_sentences(text: str) -> list[str]:
    """Sentences of a body: its lines, each cut after ``.``, ``!`` or ``?`` before a capital."""
    parts = [s.strip() for s in _SENTENCE_RE.split(text)]
    return [s for s in parts if s] or [text]


def _stem(word: str) -> str:
    return word[:5]


def _content(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t not in STOP_WORDS and t not in _CUE_OF and len(t) > 1]


def _names(text: str) -> set[str]:
    """Capitalised words not opening the text, and numbers: a cheap stand-in for entities."""
    raw = re.findall(r"[A-Za-z0-9][\w'’-]*", text)
    return {w.lower() for i, w in enumerate(raw) if (i > 0 and w[0].isupper()) or w[0].isdigit()}


@dataclass(frozen=True)
class TextSpace:
    """What is fitted on training text: TF-IDF vocabulary and IDF, LSA axes, cross-topic words."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray
    lsa: np.ndarray  # (k, len(vocabulary)) float32
    cue_words: tuple[str, ...]

    @cached_property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.vocabulary)}

    @cached_property
    def axes(self) -> np.ndarray:
        """``lsa.T`` in C order: scipy copies a non-contiguous dense operand on every product,
        which was a quarter of the time of scoring an article."""
        return np.ascontiguousarray(self.lsa.T)


def fit_text_space(
    documents: Sequence[str], document_topics: Sequence[int], *, max_terms: int = 15000, lsa_dims: int = 100, min_topics: int = 20, seed: int = 0
) -> TextSpace:
    """Fit the space on distinct training texts (headlines and bodies) and their topics.

    Terms: the ``max_terms`` with the highest document frequency (at least 2 documents, ties
    alphabetical). Cross-topic words: non-stop words found in at least ``min_topics`` topics.
    """
    from sklearn.decomposition import TruncatedSVD

    df: dict[str, int] = {}
    topics_of: dict[str, set[int]] = {}
    for d, topic in zip(documents, document_topics):
        toks = words(d)
        for t in set(_content(toks)):
            df[t] = df.get(t, 0) + 1
        for t in set(toks) - STOP_WORDS:
            topics_of.setdefault(t, set()).add(topic)
    ranked = sorted((t for t, n in df.items() if n >= 2), key=lambda t: (-df[t], t))[:max_terms]
    vocabulary = tuple(sorted(ranked))
    index = {t: i for i, t in enumerate(vocabulary)}
    counts = np.array([df[t] for t in vocabulary], dtype=np.float64)
    idf = (np.log((1 + len(documents)) / (1 + counts)) + 1).astype(np.float32)
    matrix = _tfidf([_content(words(d)) for d in documents], index, idf)
    svd = TruncatedSVD(n_components=lsa_dims, algorithm="randomized", n_iter=7, random_state=seed).fit(matrix)
    cue_words = tuple(sorted(t for t, s in topics_of.items() if len(s) >= min_topics))
    return TextSpace(vocabulary, idf, svd.components_.astype(np.float32), cue_words)


def _tf(token_lists: Sequence[Sequence[str]], index: dict[str, int], *, binary: bool = False) -> sp.csr_matrix:
    # Built straight into CSR (sorted columns, duplicates counted): an article makes thousands of
    # these tiny matrices, and scipy's COO route spent more time validating than counting.
    indptr, indices, data = [0], [], []
    for tokens in token_lists:
        counts: dict[int, int] = {}
        for t in tokens:
            i = index.get(t)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        cols = sorted(counts)
        indices.extend(cols)
        data.extend([1] * len(cols) if binary else [counts[c] for c in cols])
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, np.float32), np.asarray(indices, np.int32), np.asarray(indptr, np.int32)),
        shape=(len(token_lists), len(index)),
    )


def _l2(m):
    if sp.issparse(m):
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        scale = np.repeat(1.0 / norms, np.diff(m.indptr))
        return sp.csr_matrix(((m.data * scale).astype(np.float32), m.indices, m.indptr), shape=m.shape)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32)


def _tfidf(token_lists, index, idf) -> sp.csr_matrix:
    tf = _tf(token_lists, index)
    tf.data = (1 + np.log(tf.data)) * idf[tf.indices]  # sublinear: a word said ten times is not ten times the topic
    return _l2(tf)


class _Body(NamedTuple):
    sentences: list[str]
    tfidf: sp.csr_matrix  # (1, V)
    lsa: np.ndarray  # (1, k)
    s_tfidf: sp.csr_matrix  # (n, V)
    s_lsa: np.ndarray  # (n, k)
    s_words: sp.csr_matrix  # (n, V) binary content words
    s_cues: np.ndarray  # (n, G) cue counts
    s_bow: sp.csr_matrix  # (n, C) binary cross-topic words
    s_negated: sp.csr_matrix  # (n, V) words near a negation
    s_refuted: sp.csr_matrix  # (n, V) words near a refuting word
    stems: set[str]
    tokens: set[str]
    lead: set[str]
    bigrams: set[tuple[str, str]]


def _near(tokens: list[str], triggers: frozenset[str] | set[str]) -> list[str]:
    hits = [i for i, t in enumerate(tokens) if t in triggers]
    return [tokens[j] for i in hits for j in range(max(0, i - _WINDOW), min(len(tokens), i + _WINDOW + 1)) if j != i]


_REFUTE = frozenset(CUES["refute"])


def _cue_counts(tokens: Sequence[str]) -> np.ndarray:
    counts = np.zeros(len(CUE_GROUPS), np.float32)
    for t in tokens:
        g = _CUE_OF.get(t)
        if g is not None:
            counts[CUE_GROUPS.index(g)] += 1
    return counts


def _body(sentences: list[str], space: TextSpace, index, cue_index) -> _Body:
    toks = [words(s) for s in sentences]
    content = [_content(t) for t in toks]
    s_tfidf = _tfidf(content, index, space.idf)
    every = [t for c in content for t in c]
    tfidf = _tfidf([every], index, space.idf)
    all_tokens = [t for c in content for t in c]
    bigrams = {(a, b) for c in content for a, b in zip(c, c[1:])}
    return _Body(
        sentences,
        tfidf,
        _l2(np.asarray(tfidf @ space.axes)),
        s_tfidf,
        _l2(np.asarray(s_tfidf @ space.axes)),
        _tf(content, index, binary=True),
        np.array([_cue_counts(t) for t in toks], np.float32).reshape(len(toks), len(CUE_GROUPS)),
        _tf(toks, cue_index, binary=True),
        _tf([_near(t, NEGATIONS) for t in toks], index, binary=True),
        _tf([_near(t, _REFUTE) for t in toks], index, binary=True),
        {_stem(t) for t in all_tokens},
        set(all_tokens),
        {t for c in content[:3] for t in c},
        bigrams,
    )


class PairInputs(NamedTuple):
    """Model inputs of pairs: dense similarity and cue features, and the sparse bag of cross-topic words."""

    similarity: np.ndarray  # (n, len(SIMILARITY_NAMES))
    cues: np.ndarray  # (n, 4 * G + 3)
    bow: sp.csr_matrix  # (n, 2 * C): headline words, then words of the top sentences
    top_sentences: list[list[int]]  # per pair, the body sentences most similar to the claim (best first)


def pair_matrix(headlines: Sequence[str], bodies: Sequence[str | Sequence[str]], *, space: TextSpace) -> PairInputs:
    """Inputs for each (headline, body) pair. A body is a text (split into sentences here) or a
    list of sentences (an article's lines). Each distinct body and headline is processed once."""
    index = space.index
    cue_index = {t: i for i, t in enumerate(space.cue_words)}
    n, G, C = len(headlines), len(CUE_GROUPS), len(space.cue_words)
    sim = np.zeros((n, len(SIMILARITY_NAMES)), np.float32)
    cues = np.zeros((n, 4 * G + 3), np.float32)
    head_bow: list[sp.csr_matrix] = [None] * n  # type: ignore[list-item]
    top_bow = np.zeros((n, C), np.float32)
    tops: list[list[int]] = [[] for _ in range(n)]
    by_body: dict[object, list[int]] = {}
    for i, b in enumerate(bodies):
        by_body.setdefault(b if isinstance(b, str) else tuple(b), []).append(i)
    head_cache: dict[str, tuple] = {}
    for key, rows in by_body.items():
        sentences = split_sentences(key) if isinstance(key, str) else [s for s in key] or [""]
        body = _body(list(sentences), space, index, cue_index)
        n_sent = len(sentences)
        heads = [headlines[i] for i in rows]
        for h in heads:
            if h not in head_cache:
                toks = words(h)
                content = _content(toks)
                vec = _tfidf([content], index, space.idf)
                head_cache[h] = (
                    content, vec.toarray().ravel(), _l2(np.asarray(vec @ space.axes)),
                    _tf([content], index, binary=True).toarray().ravel(),
                    _names(h), _cue_counts(toks), _tf([toks], cue_index, binary=True),
                )
        h_lsa = np.vstack([head_cache[h][2] for h in heads])
        # Body rows times dense claim columns: the same sums in the same order as the sparse
        # product, without building a sparse result (a body is often a single sentence).
        h_cols = np.column_stack([head_cache[h][1] for h in heads])  # (V, k)
        b_cols = np.column_stack([head_cache[h][3] for h in heads])
        s_cos = (body.s_tfidf @ h_cols).T  # (k, n_sent)
        s_lsa = h_lsa @ body.s_lsa.T
        order = np.argsort(-s_cos, axis=1, kind="stable")
        hits = (body.s_words @ b_cols).T  # content words shared per sentence
        n_words = b_cols.sum(axis=0)
        negated = (body.s_negated @ b_cols).T
        refuted = (body.s_refuted @ b_cols).T
        cos_body = (body.tfidf @ h_cols).ravel()
        lsa_body = (h_lsa @ body.lsa.T).ravel()
        for j, (i, h) in enumerate(zip(rows, heads)):
            content, _, _, _, names, h_cues, h_bow = head_cache[h]
            top = order[j, :TOP_K]
            ranked = s_cos[j, order[j]]
            nw = max(float(n_words[j]), 1.0)
            stems = {_stem(t) for t in content}
            grams = set(zip(content, content[1:]))
            sim[i] = (
                cos_body[j], lsa_body[j], ranked[0], ranked[1] if n_sent > 1 else 0.0, ranked[:TOP_K].mean(), s_lsa[j].max(),
                sum(t in body.tokens for t in content) / max(len(content), 1),
                sum(s in body.stems for s in stems) / max(len(stems), 1),
                sum(t in body.lead for t in content) / max(len(content), 1),
                sum(g in body.bigrams for g in grams) / max(len(grams), 1),
                sum(x in body.tokens for x in names) / max(len(names), 1), float(bool(names)),
                hits[j].max() / nw,
            )
            top_cues = body.s_cues[top].sum(axis=0)
            cues[i] = np.concatenate([
                np.minimum(h_cues, 1.0), body.s_cues.sum(axis=0) / n_sent, top_cues, body.s_cues[:2].sum(axis=0),
                [negated[j, top].sum() / nw, refuted[j, top].sum() / nw, negated[j].sum() / nw],
            ])
            head_bow[i] = h_bow
            top_bow[i] = np.minimum(body.s_bow[top].sum(axis=0), 1.0)
            tops[i] = top.tolist()
    # Stacked once at the end: two sparse matrices per pair cost more than the pair's features.
    bow = (
        sp.hstack([sp.vstack(head_bow, format="csr"), sp.csr_matrix(top_bow)], format="csr", dtype=np.float32)
        if n else sp.csr_matrix((0, 2 * C), dtype=np.float32)
    )
    return PairInputs(sim, cues, bow, tops)
