"""Topic-independent features of a (claim, body) pair, and of each body sentence.

Nothing here depends on having seen the claim's topic: the inputs are similarities (TF-IDF and
LSA cosines in a space fitted on training text only, word, stem, bigram and name overlap, the
same against the body's sentences most similar to the claim, and the open-vocabulary columns of
:mod:`analysis.stance._open`, in which a word the training text never had still counts) and cue
words (refuting, hedging,
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

from .._language import CLAIM_CUES, CLAIM_STOP_WORDS, NEGATIONS
from ._open import OPEN_NAMES, open_row, open_stack

__all__ = ["TextSpace", "PairInputs", "words", "split_sentences", "fit_text_space", "pair_matrix", "SIMILARITY_NAMES", "CUE_GROUPS"]

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[?\"“”]")
_SENTENCE_RE = re.compile(r"\n+|(?<=[.!?])\s+(?=[\"“'A-Z0-9])")
CUE_GROUPS: tuple[str, ...] = tuple(CLAIM_CUES)
_CUE_OF = {w: g for g, ws in CLAIM_CUES.items() for w in ws}
_WINDOW = 4  # words either side of a negation or refuting word that it is taken to govern
TOP_K = 3  # body sentences most similar to the claim that the stance cues read

SIMILARITY_NAMES: tuple[str, ...] = (
    "cos_tfidf", "cos_lsa", "sent_cos_max", "sent_cos_2nd", "sent_cos_top3", "sent_lsa_max",
    "words_in_body", "stems_in_body", "words_in_lead", "bigrams_in_body", "names_in_body", "has_names",
    "words_in_best_sentence", *OPEN_NAMES,
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
    return [t for t in tokens if t not in CLAIM_STOP_WORDS and t not in _CUE_OF and len(t) > 1]


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
    n_documents: int  # the texts the IDF was counted on (an unseen word weighs log(1 + n) + 1)

    @cached_property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.vocabulary)}

    @cached_property
    def cue_index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.cue_words)}

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
        for t in set(toks) - CLAIM_STOP_WORDS:
            topics_of.setdefault(t, set()).add(topic)
    ranked = sorted((t for t, n in df.items() if n >= 2), key=lambda t: (-df[t], t))[:max_terms]
    vocabulary = tuple(sorted(ranked))
    index = {t: i for i, t in enumerate(vocabulary)}
    counts = np.array([df[t] for t in vocabulary], dtype=np.float64)
    idf = (np.log((1 + len(documents)) / (1 + counts)) + 1).astype(np.float32)
    matrix = _tfidf([_content(words(d)) for d in documents], index, idf)
    svd = TruncatedSVD(n_components=lsa_dims, algorithm="randomized", n_iter=7, random_state=seed).fit(matrix)
    cue_words = tuple(sorted(t for t, s in topics_of.items() if len(s) >= min_topics))
    return TextSpace(vocabulary, idf, svd.components_.astype(np.float32), cue_words, len(documents))


def _tf(token_lists: Sequence[Sequence[str]], index: dict[str, int], *, binary: bool = False) -> sp.csr_matrix:
    # Built straight into CSR (sorted columns, duplicates counted): an article makes thousands of
    # these tiny matrices, and scipy's COO route spent more time validating than counting.
    indptr, indices, data = [0], [], []
    # A sentence stands in a call twice (in its body and as a body of its own) as the same
    # object: its row is counted once.
    rows: dict[int, tuple[list[int], list[int]]] = {}
    for tokens in token_lists:
        row = rows.get(id(tokens))
        if row is None:
            counts: dict[int, int] = {}
            for t in tokens:
                i = index.get(t)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            cols = sorted(counts)
            row = rows[id(tokens)] = (cols, [1] * len(cols) if binary else [counts[c] for c in cols])
        indices.extend(row[0])
        data.extend(row[1])
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


class _Bodies(NamedTuple):
    """Several bodies processed together: sentence rows ``starts[b]:starts[b + 1]`` are body ``b``'s.

    Stacking the bodies of a call turns thousands of tiny sparse matrices (an article's every
    sentence is a one-sentence body) into a few; every row is computed exactly as it was alone.
    """

    starts: list[int]
    tfidf: sp.csr_matrix  # (B, V) each body as one text
    lsa: np.ndarray  # (B, k)
    s_tfidf: sp.csr_matrix  # (N, V)
    s_lsa: np.ndarray  # (N, k)
    s_words: sp.csr_matrix  # (N, V) binary content words
    s_cues: np.ndarray  # (N, G) cue counts
    s_bow: sp.csr_matrix  # (N, C) binary cross-topic words
    s_negated: sp.csr_matrix  # (N, V) words near a negation
    s_refuted: sp.csr_matrix  # (N, V) words near a refuting word
    stems: list[set[str]]
    tokens: list[set[str]]
    lead: list[set[str]]
    bigrams: list[set[tuple[str, str]]]
    s_content: list[list[str]]  # (N) each sentence's content words
    s_near_negation: list[list[str]]  # (N) words within the window of a negation
    s_near_refute: list[list[str]]  # (N) ... of a refuting word


def _near(tokens: list[str], triggers: frozenset[str] | set[str]) -> list[str]:
    hits = [i for i, t in enumerate(tokens) if t in triggers]
    return [tokens[j] for i in hits for j in range(max(0, i - _WINDOW), min(len(tokens), i + _WINDOW + 1)) if j != i]


_REFUTE = frozenset(CLAIM_CUES["refute"])


def _cue_counts(tokens: Sequence[str]) -> np.ndarray:
    counts = np.zeros(len(CUE_GROUPS), np.float32)
    for t in tokens:
        g = _CUE_OF.get(t)
        if g is not None:
            counts[CUE_GROUPS.index(g)] += 1
    return counts


def _per_object(items: Sequence, f) -> list:
    """``[f(x) for x in items]``, computed once per distinct object (and then the same result object)."""
    done: dict[int, object] = {}
    return [done[id(x)] if id(x) in done else done.setdefault(id(x), f(x)) for x in items]


def _bodies(bodies: Sequence[Sequence[str]], space: TextSpace, index, cue_index, tokenised: dict[str, tuple]) -> _Bodies:
    starts, toks, content = [0], [], []
    every, tokens, stems, lead, bigrams = [], [], [], [], []
    for sentences in bodies:
        b_content = []
        for s in sentences:
            if s not in tokenised:
                t = words(s)
                tokenised[s] = (t, _content(t))
            t, c = tokenised[s]
            toks.append(t)
            b_content.append(c)
        content.extend(b_content)
        starts.append(len(toks))
        flat = [t for c in b_content for t in c]
        every.append(flat)
        tokens.append(set(flat))
        stems.append({_stem(t) for t in flat})
        lead.append({t for c in b_content[:3] for t in c})
        bigrams.append({(a, b) for c in b_content for a, b in zip(c, c[1:])})
    s_tfidf = _tfidf(content, index, space.idf)
    tfidf = _tfidf(every, index, space.idf)
    near_negation = _per_object(toks, lambda t: _near(t, NEGATIONS))
    near_refute = _per_object(toks, lambda t: _near(t, _REFUTE))
    return _Bodies(
        starts,
        tfidf,
        _l2(np.asarray(tfidf @ space.axes)),
        s_tfidf,
        _l2(np.asarray(s_tfidf @ space.axes)),
        _tf(content, index, binary=True),
        np.array([_cue_counts(t) for t in toks], np.float32).reshape(len(toks), len(CUE_GROUPS)),
        _tf(toks, cue_index, binary=True),
        _tf(near_negation, index, binary=True),
        _tf(near_refute, index, binary=True),
        stems,
        tokens,
        lead,
        bigrams,
        content,
        near_negation,
        near_refute,
    )


class PairInputs(NamedTuple):
    """Model inputs of pairs: dense similarity and cue features, and the sparse bag of cross-topic words."""

    similarity: np.ndarray  # (n, len(SIMILARITY_NAMES))
    cues: np.ndarray  # (n, 4 * G + 3)
    bow: sp.csr_matrix  # (n, 2 * C): headline words, then words of the top sentences
    top_sentences: list[list[int]]  # per pair, the body sentences most similar to the claim (best first)


class _Claim(NamedTuple):
    content: list[str]
    tfidf: np.ndarray  # (V,) dense column
    lsa: np.ndarray  # (1, k)
    binary: np.ndarray  # (V,) content words present
    names: set[str]
    stems: set[str]
    bigrams: set[tuple[str, str]]
    cues: np.ndarray  # (G,)
    bow: np.ndarray  # sorted cross-topic word columns


def _claim(text: str, space: TextSpace, index, cue_index) -> _Claim:
    toks = words(text)
    content = _content(toks)
    vec = _tfidf([content], index, space.idf)
    return _Claim(
        content, vec.toarray().ravel(), _l2(np.asarray(vec @ space.axes)),
        _tf([content], index, binary=True).toarray().ravel(), _names(text),
        {_stem(t) for t in content}, set(zip(content, content[1:])), _cue_counts(toks),
        _tf([toks], cue_index, binary=True).indices,
    )


_CHUNK_CLAIMS = 64  # distinct claims per stack of bodies: every stacked sentence meets every one


def _chunks(keys: list, rows_of: dict, headlines: Sequence[str]):
    """Bodies in first-seen order, cut so that a stack's claims stay few (one claim per article
    when scoring its sentences, so an article is one stack)."""
    chunk, claims = [], set()
    for key in keys:
        mine = {headlines[i] for i in rows_of[key]}
        if chunk and len(claims | mine) > _CHUNK_CLAIMS:
            yield chunk
            chunk, claims = [], set()
        chunk.append(key)
        claims |= mine
    if chunk:
        yield chunk


def pair_matrix(headlines: Sequence[str], bodies: Sequence[str | Sequence[str]], *, space: TextSpace) -> PairInputs:
    """Inputs for each (headline, body) pair. A body is a text (split into sentences here) or a
    list of sentences (an article's lines). Each distinct body, headline and sentence is processed once."""
    index = space.index
    cue_index = space.cue_index
    n, G, C = len(headlines), len(CUE_GROUPS), len(space.cue_words)
    sim = np.zeros((n, len(SIMILARITY_NAMES)), np.float32)
    cues = np.zeros((n, 4 * G + 3), np.float32)
    head_bow: list[np.ndarray] = [None] * n  # type: ignore[list-item]
    top_bow: list[np.ndarray] = [None] * n  # type: ignore[list-item]
    tops: list[list[int]] = [[] for _ in range(n)]
    rows_of: dict[object, list[int]] = {}
    for i, b in enumerate(bodies):
        rows_of.setdefault(b if isinstance(b, str) else tuple(b), []).append(i)
    claims: dict[str, _Claim] = {}
    tokenised: dict[str, tuple] = {}
    for chunk in _chunks(list(rows_of), rows_of, headlines):
        stack = _bodies(
            [split_sentences(key) if isinstance(key, str) else list(key) or [""] for key in chunk], space, index, cue_index, tokenised
        )
        column: dict[str, int] = {}
        for key in chunk:
            for i in rows_of[key]:
                h = headlines[i]
                if h not in claims:
                    claims[h] = _claim(h, space, index, cue_index)
                column.setdefault(h, len(column))
        # Stacked sentence rows times dense claim columns: each row's sum is the same, in the
        # same order, as for the body alone.
        h_cols = np.column_stack([claims[h].tfidf for h in column])  # (V, m)
        b_cols = np.column_stack([claims[h].binary for h in column])
        n_words = b_cols.sum(axis=0)
        all_cos = stack.s_tfidf @ h_cols  # (N, m)
        all_hits = stack.s_words @ b_cols  # content words shared per sentence
        all_negated = stack.s_negated @ b_cols
        all_refuted = stack.s_refuted @ b_cols
        all_body = stack.tfidf @ h_cols  # (B, m)
        bow_indptr, bow_indices = stack.s_bow.indptr, stack.s_bow.indices
        opened = open_stack(
            [claims[h].content for h in column], stack.s_content, stack.s_near_negation, stack.s_near_refute, stack.starts,
            vocabulary_index=index, idf=space.idf, n_documents=space.n_documents,
        )
        for b, key in enumerate(chunk):
            rows = rows_of[key]
            lo, hi = stack.starts[b], stack.starts[b + 1]
            n_sent = hi - lo
            cols = [column[headlines[i]] for i in rows]
            s_cues = stack.s_cues[lo:hi]
            s_cos = all_cos[lo:hi][:, cols].T  # (k, n_sent)
            # Dense products per body, on row slices laid out as the body's own arrays were.
            h_lsa = np.vstack([claims[headlines[i]].lsa for i in rows])
            s_lsa = h_lsa @ stack.s_lsa[lo:hi].T
            lsa_body = (h_lsa @ stack.lsa[b : b + 1].T).ravel()
            order = np.argsort(-s_cos, axis=1, kind="stable")
            tokens, b_stems, lead, grams_b = stack.tokens[b], stack.stems[b], stack.lead[b], stack.bigrams[b]
            cue_mean, cue_lead = s_cues.sum(axis=0) / n_sent, s_cues[:2].sum(axis=0)
            for j, (i, col) in enumerate(zip(rows, cols)):
                claim = claims[headlines[i]]
                content, names = claim.content, claim.names
                top = order[j, :TOP_K]
                ranked = s_cos[j, order[j]]
                nw = max(float(n_words[col]), 1.0)
                sim[i] = (
                    all_body[b, col], lsa_body[j], ranked[0], ranked[1] if n_sent > 1 else 0.0, ranked[:TOP_K].mean(), s_lsa[j].max(),
                    sum(t in tokens for t in content) / max(len(content), 1),
                    sum(s in b_stems for s in claim.stems) / max(len(claim.stems), 1),
                    sum(t in lead for t in content) / max(len(content), 1),
                    sum(g in grams_b for g in claim.bigrams) / max(len(claim.bigrams), 1),
                    sum(x in tokens for x in names) / max(len(names), 1), float(bool(names)),
                    all_hits[lo:hi, col].max() / nw,
                    *open_row(opened, b, lo, hi, col),
                )
                top_rows = top + lo
                negated, refuted = all_negated[lo:hi, col], all_refuted[lo:hi, col]
                cues[i] = np.concatenate([
                    np.minimum(claim.cues, 1.0), cue_mean, s_cues[top].sum(axis=0), cue_lead,
                    [negated[top].sum() / nw, refuted[top].sum() / nw, negated.sum() / nw],
                ])
                head_bow[i] = claim.bow
                top_bow[i] = np.unique(np.concatenate([bow_indices[bow_indptr[r] : bow_indptr[r + 1]] for r in top_rows])) + C
                tops[i] = top.tolist()
    # One CSR built at the end: headline words in columns [0, C), top-sentence words in [C, 2C).
    per_row = [np.concatenate([head_bow[i], top_bow[i]]) for i in range(n)]
    indptr = np.zeros(n + 1, np.int32)
    np.cumsum([len(r) for r in per_row], out=indptr[1:])
    indices = np.concatenate(per_row).astype(np.int32) if n else np.zeros(0, np.int32)
    bow = sp.csr_matrix((np.ones(len(indices), np.float32), indices, indptr), shape=(n, 2 * C))
    return PairInputs(sim, cues, bow, tops)
