"""Scoring entity mentions: CoNLL-2003 reading, label mapping, exact-span P/R/F1.

Used by ``benchmarks/entities.py``. A mention is scored as ``(start, end, label)`` character
spans of one sentence, with spaCy's OntoNotes labels mapped onto the CoNLL-2003 four (Tjong Kim
Sang & De Meulder 2003): PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, NORP/EVENT/PRODUCT/
WORK_OF_ART/LAW/LANGUAGE→MISC; anything else (dates, numbers) is not a mention. A prediction
counts only when span and label both match (the CoNLL ``conlleval`` convention).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from ..errors import NewsdeskError, ConllFormatError
from .._seeds import parse_article

__all__ = [
    "LABEL_MAP",
    "Span3",
    "ConllDocument",
    "ConllFormatError",
    "Score",
    "read_conll",
    "detokenize",
    "strip_apostrophes",
    "score_spans",
    "raw_spacy_spans",
    "pipeline_spans",
]

LABEL_MAP = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC",
}

Span3 = tuple[int, int, str]


class ConllDocument(NamedTuple):
    """One ``-DOCSTART-`` document: detokenized sentences and, per sentence, gold mention spans."""

    sentences: tuple[str, ...]
    spans: tuple[frozenset[Span3], ...]


class Score(NamedTuple):
    """Exact-match counts and the measures derived from them."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:?!%)\]}]|'s|'S|n't|N'T|'re|'ve|'ll|'d|'m|')$")
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "US$", "#"})


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join tokens into plain text (no space before ``, . 's n't`` etc., none after ``( $``).

    Returns the text and each token's ``(start, end)`` in it.
    """
    text = ""
    offsets: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        if i and not _NO_SPACE_BEFORE.match(token) and tokens[i - 1] not in _NO_SPACE_AFTER:
            text += " "
        offsets.append((len(text), len(text) + len(token)))
        text += token
    return text, offsets


def _tag_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token spans of IOB1 or IOB2 tags (``I-X`` after ``O`` or another type opens a span)."""
    spans: list[tuple[int, int, str]] = []
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        opens = prefix == "B" or (prefix == "I" and label != kind)
        if start is not None and (prefix == "O" or opens):
            spans.append((start, i, kind))
            start, kind = None, None
        if opens:
            start, kind = i, label
    return spans


def read_conll(source: str | Path | Iterable[str]) -> list[ConllDocument]:
    """Read a CoNLL-2003 NER file (``token [POS chunk] tag`` per line, blank line between
    sentences, ``-DOCSTART-`` between documents; IOB1 or IOB2 tags).

    Raises:
        ConllFormatError: a non-blank line has fewer than two columns or a tag that is not
            ``O``/``B-X``/``I-X``.
    """
    lines: Iterable[str]
    if isinstance(source, (str, Path)) and "\n" not in str(source):
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    else:
        lines = str(source).splitlines() if isinstance(source, str) else source
    documents: list[ConllDocument] = []
    sentences: list[str] = []
    spans: list[frozenset[Span3]] = []
    tokens: list[str] = []
    tags: list[str] = []

    def end_sentence() -> None:
        if tokens:
            text, offsets = detokenize(tokens)
            sentences.append(text)
            spans.append(frozenset((offsets[a][0], offsets[b - 1][1], k) for a, b, k in _tag_spans(tags)))
            tokens.clear()
            tags.clear()

    def end_document() -> None:
        end_sentence()
        if sentences:
            documents.append(ConllDocument(tuple(sentences), tuple(spans)))
            sentences.clear()
            spans.clear()

    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields:
            end_sentence()
            continue
        if fields[0] == "-DOCSTART-":
            end_document()
            continue
        if len(fields) < 2 or not re.fullmatch(r"O|[BI]-[A-Z]+", fields[-1]):
            raise ConllFormatError(f"line {number}: expected 'token ... tag', got {line!r}")
        tokens.append(fields[0])
        tags.append(fields[-1])
    end_document()
    return documents


def strip_apostrophes(text: str) -> tuple[str, list[int]]:
    """Remove every apostrophe that follows a letter (``Ukraine's`` → ``Ukraines``, ``don't`` →
    ``dont``, ``Reuters'`` → ``Reuters``), as some sources do.

    Returns the new text and, for each position ``0..len(text)`` of the old text, its position
    in the new one (to move gold spans).
    """
    kept: list[str] = []
    positions: list[int] = []
    for i, char in enumerate(text):
        positions.append(len(kept))
        if char in "'\u2019" and i > 0 and text[i - 1].isalpha():
            continue
        kept.append(char)
    positions.append(len(kept))
    return "".join(kept), positions


def move_spans(spans: Iterable[Span3], positions: Sequence[int]) -> frozenset[Span3]:
    """Apply a position map from :func:`strip_apostrophes` to spans."""
    return frozenset((positions[s], positions[e], label) for s, e, label in spans)


def score_spans(gold: Iterable[Iterable[Span3]], predicted: Iterable[Iterable[Span3]]) -> Score:
    """Exact-match counts over parallel sequences of per-sentence span sets."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted, strict=True):
        g, p = set(g), set(p)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    return Score(tp, fp, fn)


def raw_spacy_spans(sentences: Sequence[str], *, pipeline: str | None = None) -> list[frozenset[Span3]]:
    """spaCy's entities of each sentence as mapped spans, with no repair and no clean-up."""
    from .._nlp import annotate

    return [
        frozenset((e.start_char, e.end_char, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP)
        for doc in annotate(list(sentences), pipeline=pipeline)
    ]


def pipeline_spans(
    sentences: Sequence[str],
    *,
    pipeline: str | None = None,
    repair: bool = True,
    keep_demonyms: bool = True,
    dateline_place: bool = True,
) -> list[frozenset[Span3]]:
    """This pipeline's mentions of each sentence as mapped spans (offsets in the given text).

    The sentences are read as one article. ``keep_demonyms`` keeps demonyms as NORP mentions
    (CoNLL tags ``German`` MISC; by the counting rules a demonym is otherwise not a mention);
    ``dateline_place`` scores the place of a detected wire dateline as a LOC mention (CoNLL tags
    it; the pipeline keeps it as article metadata rather than a mention).
    """
    from .._repair import repair_article
    from ..names._mentions import mentions

    body = "\n".join(s.replace("\n", " ") for s in sentences)
    article = parse_article(f"document\n20000101\nurn:benchmark:0\n{body}\n", id="benchmark")
    if list(article.sentences) != [s.strip() for s in sentences]:
        raise NewsdeskError("sentences must be non-empty and without surrounding spaces")
    table = mentions(article, pipeline=pipeline, repair=repair, fold_demonyms=keep_demonyms)
    result: list[set[Span3]] = [set() for _ in sentences]
    for row in table[table["line"] >= 0].itertuples(index=False):
        if row.label in LABEL_MAP:
            result[row.line].add((int(row.start), int(row.end), LABEL_MAP[row.label]))
    if dateline_place and repair:
        repaired = repair_article(article, pipeline=pipeline)
        if repaired.dateline is not None and repaired.dateline.place:
            # The region of "MONTGOMERY, Ala." is a place of its own in CoNLL; score the city.
            city = repaired.dateline.place.split(",")[0]
            result[repaired.dateline_line].add((0, len(city), "LOC"))
    return [frozenset(r) for r in result]
