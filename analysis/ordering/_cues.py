"""What each sentence offers the ordering features: its words, names, mentions and tenses.

:func:`article_cues` keeps, per sentence, every set and count the sentence and pair features
of :mod:`analysis.ordering._features` combine; nothing here compares two sentences. Counts and
masks are computed over the tokens of all the article's sentences at once
(:class:`~analysis.ordering._tokens.ArticleTokens`), then split by sentence; only entities and
noun chunks are walked sentence by sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._language import CUE_NAME_LABELS, NON_NAME_LABELS
from ._tokens import NOUN, NUM, PROPN, ArticleTokens, TokenTable, label_id, noun_chunks, pick, span_root

__all__ = ["SentenceCues", "article_cues", "content_words"]

_GRID_POS = (NOUN, PROPN)
_SUBJECTS = [label_id(d) for d in ("nsubj", "nsubjpass", "csubj", "agent", "expl")]
_OBJECTS = [label_id(d) for d in ("dobj", "obj", "iobj", "attr", "oprd")]
_COMPOUND, _DET, _APPOS, _ROOT = (label_id(d) for d in ("compound", "det", "appos", "ROOT"))
_AUX = [label_id(d) for d in ("aux", "auxpass")]
_VBD, _VBN, _MD = (label_id(t) for t in ("VBD", "VBN", "MD"))
_PRESENT_TAGS = [label_id(t) for t in ("VBZ", "VBP")]
_HAVE = label_id("have")
_INDEFINITE = [label_id(w) for w in ("a", "an")]
_THE = label_id("the")
_PERFECT = [label_id(w) for w in ("has", "have")]
_HAD = label_id("had")


@dataclass(frozen=True)
class SentenceCues:
    """One sentence's material for the features (see :mod:`analysis.ordering._features`)."""

    first: str
    body: str
    n_words: int
    n_chars: int
    n_propn: int
    lowers: frozenset[str]
    lemmas: frozenset[str]
    content: frozenset[str]
    ents: frozenset[str]
    names: frozenset[str]
    long_names: int
    persons_full: frozenset[str]
    persons_single: frozenset[str]
    grid: dict[str, int]
    acronyms_defined: frozenset[str]
    acronyms_used: frozenset[str]
    chains_full: frozenset[str]
    chains_single: frozenset[str]
    mentions: dict[str, int]
    indefinite: frozenset[str]
    definite: frozenset[str]
    tense: tuple[float, float, float, float, float]
    appositives: int
    has_number: bool
    order_lemmas: frozenset[str]


def content_words(table: TokenTable) -> frozenset[str]:
    """Lowercased lemmas of the alphabetic, non-stop words longer than two characters."""
    return frozenset(
        table.lemma[k] for k in range(len(table)) if table.alpha[k] and not table.stop[k] and table.length[k] > 2
    )


class _Split:
    """Splits article-wide token masks into per-sentence groups (tokens are in sentence order)."""

    def __init__(self, tokens: ArticleTokens, n: int) -> None:
        self.tokens, self.n = tokens, n
        self.starts = tokens.starts[: n + 1]

    def counts(self, mask: np.ndarray) -> list[int]:
        """Tokens of each sentence where ``mask`` holds."""
        return np.bincount(self.tokens.doc_of[mask], minlength=len(self.tokens.tables))[: self.n].tolist()

    def groups(self, mask: np.ndarray, values: list, transform=None) -> list[list]:
        """``values`` (through ``transform``) of the tokens where ``mask`` holds, sentence by
        sentence."""
        idx = np.flatnonzero(mask)
        selected = pick(values, idx.tolist())
        if transform is not None:
            selected = list(map(transform, selected))
        bounds = np.searchsorted(idx, self.starts).tolist()
        return [selected[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    def sets(self, mask: np.ndarray, values: list, transform=None) -> list[frozenset]:
        """:meth:`groups` as sets."""
        return [frozenset(g) for g in self.groups(mask, values, transform)]


def _on_heads(tokens: ArticleTokens, dependents: np.ndarray) -> np.ndarray:
    """Tokens that are the head of a token where ``dependents`` holds (itself aside)."""
    out = np.zeros(len(tokens.text), dtype=bool)
    own = np.arange(len(tokens.text))
    out[tokens.head[dependents & (tokens.head != own)]] = True
    return out


def _firsts(tokens: ArticleTokens, split: _Split, word: np.ndarray) -> list[str]:
    """Each sentence's opening word class (closed-class words as such, others ``<POS>``)."""
    idx = np.flatnonzero(word)
    at = np.searchsorted(idx, split.starts[:-1]).tolist()
    ends = split.starts[1:].tolist()
    out = []
    for k, a in enumerate(at):
        if a < len(idx) and idx[a] < ends[k]:
            t = int(idx[a])
            out.append(tokens.lower[t] if tokens.stop[t] else f"<{tokens.tables[k].doc.vocab.strings[int(tokens.pos[t])]}>")
        else:
            out.append("")
    return out


def _grids(tokens: ArticleTokens, split: _Split) -> list[dict[str, int]]:
    """Entity-grid rows: noun-phrase head lemma -> best role (0 S, 1 O, 2 X)."""
    role = np.full(len(tokens.text), 2)
    role[np.isin(tokens.dep, _SUBJECTS)] = 0
    role[np.isin(tokens.dep, _OBJECTS)] = 1
    idx = np.flatnonzero(np.isin(tokens.pos, _GRID_POS) & (tokens.dep != _COMPOUND))
    # Within a sentence, worst role first: the best role of a lemma is written last.
    idx = idx[np.lexsort((-role[idx], tokens.doc_of[idx]))]
    lemmas = pick(tokens.lemma, idx.tolist())
    roles = role[idx].tolist()
    bounds = np.searchsorted(tokens.doc_of[idx], np.arange(split.n + 1)).tolist()
    return [dict(zip(lemmas[a:b], roles[a:b])) for a, b in zip(bounds[:-1], bounds[1:])]


def _chains(tokens: ArticleTokens, split: _Split) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """(last words of proper-noun runs of two or more words, lone proper nouns) per sentence:
    "Dmitry Kozak" ... "Kozak said", even when the tagger misses the PERSON label."""
    n_tokens = len(tokens.text)
    candidates = np.flatnonzero((tokens.pos == PROPN) & tokens.alpha)
    in_run = np.zeros(n_tokens, dtype=bool)
    in_run[candidates] = [tokens.text[k][0].isupper() for k in candidates.tolist()]
    continues = np.zeros(n_tokens, dtype=bool)
    continues[1:] = in_run[1:] & in_run[:-1] & (tokens.doc_of[1:] == tokens.doc_of[:-1])
    ends = np.zeros(n_tokens, dtype=bool)
    ends[:-1] = in_run[:-1] & ~continues[1:]
    ends[-1:] = in_run[-1:]
    run = np.cumsum(in_run & ~continues) - 1
    size = np.bincount(run[in_run], minlength=max(1, int(run[-1]) + 1) if n_tokens else 1)
    long_run = np.zeros(n_tokens, dtype=bool)
    long_run[ends] = size[run[ends]] >= 2
    return split.sets(ends & long_run, tokens.text, str.lower), split.sets(ends & ~long_run, tokens.text, str.lower)


def _tenses(tokens: ArticleTokens, split: _Split) -> list[tuple[float, float, float, float, float]]:
    """(simple past, present, present perfect, past perfect, modal) present per sentence.

    News leads report in the simple past or present perfect; background drifts to the past
    perfect; outlook and reaction use modals."""
    tag, dep = tokens.tag, tokens.dep
    aux = np.isin(dep, _AUX)
    with_have = _on_heads(tokens, aux & np.isin(tokens.lower_id, _PERFECT))
    with_had = _on_heads(tokens, aux & (tokens.lower_id == _HAD))
    participle = tag == _VBN
    marks = [
        (tag == _VBD) & (tokens.lemma_id != _HAVE),
        np.isin(tag, _PRESENT_TAGS) & (dep == _ROOT),
        participle & with_have,
        participle & ~with_have & with_had,
        tag == _MD,
    ]
    columns = [[float(c > 0) for c in split.counts(m)] for m in marks]
    return list(zip(*columns))


def _determiners(tokens: ArticleTokens, split: _Split) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """(nouns introduced with a/an, nouns referred to with the) per sentence."""
    det = tokens.dep == _DET
    indefinite = _on_heads(tokens, det & np.isin(tokens.lower_id, _INDEFINITE))
    definite = _on_heads(tokens, det & (tokens.lower_id == _THE))
    noun = tokens.pos == NOUN
    return split.sets(noun & indefinite, tokens.lemma), split.sets(noun & ~indefinite & definite, tokens.lemma)


def _persons(table: TokenTable, ents: list[tuple[int, int, str, str]]) -> tuple[frozenset[str], frozenset[str]]:
    """(surnames mentioned with a first name, single-word person mentions)."""
    full, single = set(), set()
    text, alpha = table.text, table.alpha
    for start, end, label, _ in ents:
        if label != "PERSON":
            continue
        words = [text[k] for k in range(start, end) if alpha[k] and text[k][0].isupper()]
        if not words:
            continue
        if len(words) >= 2:
            full.add(words[-1].lower())
        else:
            single.add(words[0].lower())
    return frozenset(full), frozenset(single)


def _mention_lengths(table: TokenTable) -> dict[str, int]:
    """Head lemma of each noun phrase -> its longest length in tokens (punctuation and
    determiners left out): a first mention is usually the fuller one."""
    lengths: dict[str, int] = {}
    for start, end in noun_chunks(table):
        root = span_root(table, start, end)
        if table.pos[root] in _GRID_POS:
            key = table.lemma[root]
            size = sum(1 for k in range(start, end) if not table.punct[k] and table.dep[k] != _DET)
            lengths[key] = max(lengths.get(key, 0), size)
    return lengths


def _acronyms_defined(used: set[str], alpha_words: list[str]) -> frozenset[str]:
    """The acronyms of ``used`` whose letters the capitalised words spell ("World Health
    Organization" ... "WHO"), the acronym itself left out."""
    defined = set()
    for acronym in used:
        initials = "".join(w[0] for w in alpha_words if w[0].isupper() and w != acronym)
        if acronym in initials:
            defined.add(acronym)
    return frozenset(defined)


def _entities(table: TokenTable) -> dict:
    """The entity cues of one sentence: names, people, long names."""
    ents = [(e.start, e.end, e.label_, table.span_text(e.start, e.end)) for e in table.doc.ents]
    persons_full, persons_single = _persons(table, ents)
    return {
        "ents": frozenset(text.lower() for _, _, label, text in ents if label not in NON_NAME_LABELS),
        "names": frozenset(text.lower() for _, _, label, text in ents if label in CUE_NAME_LABELS),
        "long_names": sum(end - start >= 3 for start, end, label, _ in ents if label in {"PERSON", "ORG"}),
        "persons_full": persons_full,
        "persons_single": persons_single,
    }


def article_cues(tokens: ArticleTokens, n: int) -> list[SentenceCues]:
    """The cues of the first ``n`` Docs of ``tokens`` (the dateline-stripped sentences)."""
    split = _Split(tokens, n)
    word = ~(tokens.punct | tokens.space)
    alpha, length = tokens.alpha, tokens.length
    chars = np.bincount(tokens.doc_of[word], weights=length[word], minlength=len(tokens.tables))[:n]
    used = split.sets(alpha & tokens.upper & (length >= 2) & (length <= 6), tokens.text)
    alpha_words = split.groups(alpha, tokens.text)
    chains = _chains(tokens, split)
    determiners = _determiners(tokens, split)
    columns = {
        "first": _firsts(tokens, split, word),
        "n_words": split.counts(word),
        "n_chars": [max(1, c) for c in chars.astype(np.int64).tolist()],
        "n_propn": split.counts(word & (tokens.pos == PROPN)),
        "content": split.sets(alpha & ~tokens.stop & (length > 2), tokens.lemma),
        "grid": _grids(tokens, split),
        "acronyms_used": used,
        "acronyms_defined": [_acronyms_defined(u, w) if u else frozenset() for u, w in zip(used, alpha_words)],
        "chains_full": chains[0],
        "chains_single": chains[1],
        "indefinite": determiners[0],
        "definite": determiners[1],
        "tense": _tenses(tokens, split),
        "appositives": split.counts((tokens.dep == _APPOS) & (tokens.pos[tokens.head] == PROPN)),
        "has_number": [c > 0 for c in split.counts(tokens.like_num)],
        "order_lemmas": split.sets(alpha & (length > 1) & ~np.isin(tokens.pos, [PROPN, NUM]), tokens.lemma),
    }
    out = []
    for k in range(n):
        table = tokens.tables[k]
        out.append(
            SentenceCues(
                body=table.doc_text.lstrip(),
                lowers=frozenset(table.lower),
                lemmas=frozenset(table.lemma),
                mentions=_mention_lengths(table),
                **_entities(table),
                **{name: values[k] for name, values in columns.items()},
            )
        )
    return out
