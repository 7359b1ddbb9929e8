"""Repair a news sentence before analysis, keeping the original for display.

Two defects of real seeds hurt the tagger (see ``SEED_FORMAT.md``):

* **Stripped apostrophes** (``Ukraines border``, ``Russias demand``, ``I cant``). An apostrophe is
  put back only on strong evidence: a closed list of contractions whose stripped form is not an
  English word (``cant``, ``dont``, ``hes``; never ``its``, ``well``, ``were``, ``shell``, ``ill``,
  ``wed``, ``hell``), or a capitalised word ``Xs`` whose stem ``X`` is a name elsewhere in the
  same article (or of a well-known country), followed by a word as a possessive is. Plurals
  (``republics``, ``Americans``) stay. A weaker rule using the model's lemma dictionary exists but
  is off by default (it measured more false repairs than true ones).
* **Wire datelines** inside the lead sentence (``WASHINGTON AFP - The United States ...``). The
  prefix is detected, kept as article metadata (place, agency, date) and cut from the copy that
  is analysed.

Every change is a :class:`Repair` record (line, original, replacement, character span, reason),
and :meth:`RepairedText.to_original` maps a span of the repaired text back to the original, so
entities found on the repaired copy are highlighted on the text the analyst reads.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Container, Iterable, NamedTuple, Sequence

from ._language import CONTRACTIONS, NEWS_AGENCIES, NOT_POSSESSED_WORDS, REPAIR_NAME_LABELS, REPAIR_NOT_NAME_LABELS
from ._seeds import Article

__all__ = [
    "Dateline",
    "Repair",
    "Edit",
    "RepairedText",
    "RepairedArticle",
    "REPAIR_RULES",
    "TITLE_LINE",
    "detect_dateline",
    "written_docs",
    "repair_sentence",
    "repair_article",
    "unrepaired",
    "keeps_apostrophes",
    "NameEvidence",
    "article_names",
    "pipeline_lemmas",
]

#: ``line`` value of repairs made to the article's title (body lines are 0-based indices).
TITLE_LINE = -1

# --------------------------------------------------------------------------- datelines

# An agency may follow the place without parentheses only when it is a known one
# (:data:`~analysis._language.NEWS_AGENCIES`, ``WASHINGTON AFP -``); inside parentheses any short
# capitalised name is accepted (``(Reuters)``, ``(CNN)``).
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)"
# An upper-case place of one or more words (``MONTE CARLO``, ``ST. PETERSBURG``), optionally
# followed by a region in title case (``MONTGOMERY, Ala.``, ``KIEV, Ukraine``).
_PLACE_WORD = r"[A-Z][A-Z.'\-]*[A-Z.]"
_REGION = r"[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,2}"
_DATELINE_RE = re.compile(
    rf"""^(?:
        (?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}}(?:,\s+{_REGION})?)
        (?:,?\s+(?P<date>{_DATE}))?
        (?:\s+(?:\((?P<pagency>[A-Z][\w.&\-]*(?:\s[A-Z][\w.&\-]*){{0,2}})\)|(?P<bagency>[A-Za-z][A-Za-z\-]*)))?
      | \((?P<agency_only>[A-Z][\w.&\-]*(?:\s[A-Z][\w.&\-]*){{0,2}})\)
    )
    \s*(?:-{{1,2}}|\u2013|\u2014)(?:\s+-(?=\s))?\s+(?=\S)""",
    re.VERBOSE,
)


class Dateline(NamedTuple):
    """A wire dateline at the start of a sentence.

    ``start``/``end`` delimit the prefix in the sentence, dash and following spaces included, so
    ``sentence[end:]`` is the sentence without its dateline.
    """

    place: str | None
    agency: str | None
    date: str | None
    start: int
    end: int
    text: str


def detect_dateline(sentence: str) -> Dateline | None:
    """Find a wire dateline (``LONDON (Reuters) -``, ``GENEVA 1996-08-30 -``) opening ``sentence``.

    The place must be in capitals (``Ukraine - the country ...`` is not a dateline); a bare place
    (``DUBAI - ...``) counts only when a capitalised sentence follows the dash, and a bare word
    after the place counts as the agency only when it is a known agency
    (:data:`~analysis._language.NEWS_AGENCIES`).
    """
    match = _DATELINE_RE.match(sentence)
    if match is None:
        return None
    place, date = match["place"], match["date"]
    agency = match["pagency"] or match["agency_only"]
    if match["bagency"] is not None:
        if match["bagency"] not in NEWS_AGENCIES:
            return None
        agency = match["bagency"]
    if place is not None and agency is None and date is None:
        # The capitals of ``WASHINGTON AFP`` read as one place; a known agency ends it.
        head, _, last = place.rpartition(" ")
        if head and last in NEWS_AGENCIES:
            place, agency = head, last
    if place is not None and not (date or agency):
        rest = sentence[match.end():]
        # ``NATO - the alliance ...`` is an aside, not a dateline: a dateline opens a sentence.
        if not re.match(r"[\"'\u201c\u2018(]?[A-Z0-9]", rest):
            return None
    return Dateline(place, agency, date, 0, match.end(), sentence[: match.end()])


# --------------------------------------------------------------------------- repairs

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Za-z]")


class Repair(NamedTuple):
    """One change made to a line: ``original`` at ``[start, end)`` of the original text became
    ``replacement``. ``line`` is the body-sentence index (:data:`TITLE_LINE` for the title)."""

    line: int
    original: str
    replacement: str
    start: int
    end: int
    reason: str


class Edit(NamedTuple):
    """Span ``[orig_start, orig_end)`` of the original became ``[new_start, new_end)`` of the repair."""

    orig_start: int
    orig_end: int
    new_start: int
    new_end: int


@dataclass(frozen=True)
class RepairedText:
    """A line after repair, with the original, the repairs and an offset map back to the original."""

    original: str
    text: str
    repairs: tuple[Repair, ...] = ()
    dateline: Dateline | None = None
    edits: tuple[Edit, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``[start, end)`` of :attr:`text` to the matching span of :attr:`original`.

        A span that begins inside a replaced stretch starts where that stretch starts in the
        original; one that ends inside it ends where the stretch ends (so ``Ukraine's`` maps to
        ``Ukraines``, and a span after a removed dateline shifts past it).
        """
        return self._map(start, is_end=False), self._map(end, is_end=True)

    def _map(self, pos: int, *, is_end: bool) -> int:
        shift = 0
        for edit in self.edits:
            before = pos <= edit.new_start if is_end else pos < edit.new_start
            if before:
                break
            inside = pos <= edit.new_end if is_end else pos < edit.new_end
            if inside:
                return edit.orig_end if is_end else edit.orig_start
            shift = edit.orig_end - edit.new_end
        return pos + shift


@dataclass(frozen=True)
class RepairedArticle:
    """An article's title and sentences after repair; ``article`` keeps the original.

    ``dateline`` is the first wire dateline found (in body line ``dateline_line``);
    ``apostrophes_kept`` is true when the article writes apostrophes itself, so none was restored.
    """

    article: Article
    title: RepairedText
    sentences: tuple[RepairedText, ...]
    dateline: Dateline | None
    dateline_line: int | None
    apostrophes_kept: bool = False

    @property
    def texts(self) -> tuple[str, ...]:
        """The repaired body sentences (what is analysed), in file order."""
        return tuple(s.text for s in self.sentences)

    @property
    def repairs(self) -> tuple[Repair, ...]:
        """Every repair of the title and the body, title first, then by line and position."""
        return self.title.repairs + tuple(r for s in self.sentences for r in s.repairs)

    def line(self, index: int) -> RepairedText:
        """The repaired body sentence ``index``, or the title for :data:`TITLE_LINE`."""
        return self.title if index == TITLE_LINE else self.sentences[index]

    def to_original(self, line: int, start: int, end: int) -> tuple[int, int]:
        """Map a span of repaired line ``line`` to the original line."""
        return self.line(line).to_original(start, end)


class _Word(NamedTuple):
    text: str
    start: int
    end: int
    previous: str | None
    following: str  # the text after the word, up to the next word (inclusive)


#: A rule looks at one word in context and returns (replacement, reason) or None.
WordRule = Callable[[_Word, "_Evidence"], "tuple[str, str] | None"]


class _Evidence(NamedTuple):
    known_names: Container[str]
    not_names: Container[str]
    vocab: Container[str] | None
    places: Container[str]


def _contraction(word: _Word, evidence: _Evidence) -> tuple[str, str] | None:
    position = CONTRACTIONS.get(word.text.lower())
    if position is None:
        return None
    return word.text[:position] + "'" + word.text[position:], "stripped contraction"


def _followed_by_word(word: _Word) -> bool:
    # A possessive is followed by what it owns: "Ukraines border", not "Russias." nor a function
    # word ("Hospitals and", "Phelps has", "Batmobiles of old").
    match = re.match(r"\s+[\"'\u201c]?([A-Za-z0-9]+)", word.following)
    if match is None:
        return False
    return match.group(1).lower() not in NOT_POSSESSED_WORDS


def _possessive_name(word: _Word, evidence: _Evidence) -> tuple[str, str] | None:
    text = word.text
    if len(text) < 4 or not text.endswith("s") or not text[0].isupper() or text.isupper():
        return None
    stem = text[:-1]
    if stem not in evidence.known_names or text in evidence.not_names:
        return None
    if (word.previous or "").lower() == "the" or not _followed_by_word(word):
        return None  # "the Koreas", "the Americas" are plurals of names
    return stem + "'s", f"possessive: {stem!r} is a name elsewhere in the article"


def _possessive_vocab(word: _Word, evidence: _Evidence) -> tuple[str, str] | None:
    text = word.text
    if evidence.vocab is None or word.previous is None:
        return None  # a sentence-initial capital says nothing about being a name
    # Only a word the tagger takes for a place: the dictionary holds "brewer" and "oriole" as
    # well as "china", and team or product plurals (Brewers, Eurodollars) are common in news.
    if text not in evidence.places or text in evidence.not_names:
        return None
    if len(text) < 5 or not text.endswith("s") or not text[0].isupper() or not text[1:].islower():
        return None  # all-capitals stems are mostly acronym plurals (MPs, NGOs)
    stem = text[:-1]
    if text.endswith("ss") or stem.lower() not in evidence.vocab or text.lower() in evidence.vocab:
        return None
    if word.previous.lower() == "the" or not _followed_by_word(word):
        return None
    return stem + "'s", f"possessive: {stem!r} is a place in the model's dictionary, {text!r} is not"


#: The apostrophe rules in the order they are tried on each word; the first that answers wins.
REPAIR_RULES: tuple[WordRule, ...] = (_contraction, _possessive_name, _possessive_vocab)


def _words(text: str, start: int) -> Iterable[_Word]:
    matches = list(_WORD_RE.finditer(text, start))
    for i, match in enumerate(matches):
        following_end = matches[i + 1].end() if i + 1 < len(matches) else len(text)
        yield _Word(
            match.group(),
            match.start(),
            match.end(),
            matches[i - 1].group() if i > 0 else None,
            text[match.end():following_end],
        )


def _minimal_edit(original: str, replacement: str, orig_start: int, new_start: int) -> Edit:
    # Record only the characters that changed (the apostrophe), so that "Ukraine" inside
    # "Ukraine's" maps back to "Ukraine" inside "Ukraines", not to the whole word.
    prefix = 0
    while prefix < min(len(original), len(replacement)) and original[prefix] == replacement[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(original), len(replacement)) - prefix
        and original[-1 - suffix] == replacement[-1 - suffix]
    ):
        suffix += 1
    return Edit(
        orig_start + prefix,
        orig_start + len(original) - suffix,
        new_start + prefix,
        new_start + len(replacement) - suffix,
    )


def repair_sentence(
    text: str,
    *,
    known_names: Container[str] = frozenset(),
    not_names: Container[str] = frozenset(),
    vocab: Container[str] | None = None,
    places: Container[str] = frozenset(),
    line: int = 0,
    strip_dateline: bool = True,
    restore_apostrophes: bool = True,
) -> RepairedText:
    """Repair one sentence: cut a wire dateline, put back stripped apostrophes.

    Args:
        text: the sentence as written.
        known_names: capitalised words that are names in this article (evidence for
            ``Xs`` → ``X's``); see :func:`article_names`.
        not_names: words never to treat as a possessive (demonyms such as ``Russians``).
        vocab: lower-case English base forms (see :func:`pipeline_lemmas`); ``None`` disables the
            dictionary rule, leaving only the article's own evidence and the contraction list.
        places: words the tagger put inside a place name (GPE, LOC); the dictionary rule
            applies to these only.
        line: the line index recorded in the :class:`Repair` records.
        strip_dateline: remove a detected dateline from the repaired text.
        restore_apostrophes: apply the apostrophe rules (off for a source that keeps its
            apostrophes, see :func:`keeps_apostrophes`).
    """
    evidence = _Evidence(known_names, not_names, vocab, places)
    dateline = detect_dateline(text)
    repairs: list[Repair] = []
    edits: list[Edit] = []
    pieces: list[str] = []
    cursor = 0
    new_length = 0
    if dateline is not None and strip_dateline:
        repairs.append(Repair(line, dateline.text, "", dateline.start, dateline.end, "wire dateline"))
        edits.append(Edit(dateline.start, dateline.end, 0, 0))
        cursor = dateline.end
    body_start = cursor
    for word in _words(text, body_start):
        if word.start == body_start:
            word = word._replace(previous=None)  # the first word after a dateline opens the sentence
        for rule in REPAIR_RULES if restore_apostrophes else ():
            result = rule(word, evidence)
            if result is None:
                continue
            replacement, reason = result
            pieces.append(text[cursor:word.start])
            new_length += word.start - cursor
            edits.append(_minimal_edit(word.text, replacement, word.start, new_length))
            pieces.append(replacement)
            new_length += len(replacement)
            cursor = word.end
            repairs.append(Repair(line, word.text, replacement, word.start, word.end, reason))
            break
    pieces.append(text[cursor:])
    return RepairedText(text, "".join(pieces), tuple(repairs), dateline, tuple(edits))


def _pieces(text: str, dated: bool) -> tuple[str, ...]:
    found = detect_dateline(text) if dated else None
    return (text,) if found is None else (text[: found.end], text[found.end :])


def written_docs(
    lines: Sequence[str],
    *,
    datelines: bool | Sequence[bool] = True,
    pipeline: str | None = None,
    batch_size: int = 256,
    use_cache: bool = True,
) -> list:
    """Docs of body lines as written (one per line, the text exactly as written).

    A line that opens with a wire dateline (:func:`detect_dateline`) is parsed as two pieces, the
    dateline and the rest, joined into one Doc: the rest is then parsed exactly as its repaired
    form is (the repair cuts the dateline), so that text is parsed once and both views share its
    annotations. The joined Doc's entities and parse never cross the dateline.

    Args:
        lines: the lines.
        datelines: whether a line may open with a dateline (one flag, or one per line; a headline
            carries none).
        pipeline, batch_size, use_cache: as for :func:`analysis._nlp.annotate`.
    """
    from spacy.tokens import Doc

    from ._nlp import annotate

    flags = [datelines] * len(lines) if isinstance(datelines, bool) else list(datelines)
    if len(flags) != len(lines):
        raise ValueError(f"{len(lines)} lines but {len(flags)} dateline flags")
    pieces = [_pieces(text, dated) for text, dated in zip(lines, flags)]
    parsed = iter(annotate([p for ps in pieces for p in ps], pipeline=pipeline, batch_size=batch_size, use_cache=use_cache))
    docs = []
    for ps in pieces:
        parts = [next(parsed) for _ in ps]
        # No tensor: a Doc read from the disk cache has none, and no analysis reads one.
        docs.append(parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"]))
    return docs


# --------------------------------------------------------------------------- articles

class NameEvidence(NamedTuple):
    """What an article's own text says about its capitalised words.

    ``names``: words that end a name the tagger found (``Ukraine``, ``Blinken`` of ``Antony
    Blinken``);
    ``not_names``: words never read as a possessive: demonyms (``Russians``) and words inside a
    longer name (``States`` of ``United States``, ``Williams`` of ``Serena Williams``);
    ``places``: words inside GPE/LOC entities.
    """

    names: frozenset[str]
    not_names: frozenset[str]
    places: frozenset[str] = frozenset()


def article_names(docs: Iterable, *, labels: Iterable[str] = REPAIR_NAME_LABELS) -> NameEvidence:
    """Collect :class:`NameEvidence` from spaCy Docs of an article's original lines."""
    labels = frozenset(labels)
    names: set[str] = set()
    blocked: set[str] = set()
    places: set[str] = set()
    seen: set[tuple[str, ...]] = set()
    inner: list[tuple[str, ...]] = []
    for doc in docs:
        for ent in doc.ents:
            words = [t.text for t in ent if t.is_alpha and t.text[0].isupper()]
            if not words:
                continue
            seen.add(tuple(words))
            if ent.label_ in REPAIR_NOT_NAME_LABELS:
                blocked.update(words)  # "Russians" is a plural; "Fridays" may be one
            elif ent.label_ in labels:
                names.add(words[-1])
                inner.append(tuple(words))
                if ent.label_ in {"GPE", "LOC"}:
                    places.update(words)
        # A capital inside a sentence outside any entity is not taken as evidence: on
        # conll2003-dev it added one restored apostrophe for three false ones ("Eurodollars").
    for words in inner:
        # "States" of "United States" is part of the name, but "Arafats" of "Yasser Arafats" is
        # a possessive when "Yasser Arafat" is a name elsewhere in the article.
        blocked.update(words[1:-1])
        last = words[-1]
        if len(words) > 1 and not (last.endswith("s") and (*words[:-1], last[:-1]) in seen):
            blocked.add(last)
    return NameEvidence(frozenset(names), frozenset(blocked), frozenset(places))


@functools.lru_cache(maxsize=4)
def pipeline_lemmas(pipeline: str | None = None) -> frozenset[str]:
    """Lower-case base forms known to the pipeline's lemmatizer (its WordNet-derived index).

    ``en_core_web_sm`` has no vectors or word probabilities; the rule lemmatizer's
    ``lemma_index`` table is the dictionary it ships. Empty when the pipeline has none.
    """
    from ._nlp import load_pipeline

    nlp = load_pipeline(pipeline)
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    words: set[str] = set()
    for key in index:
        words.update(w for w in index[key] if "_" not in w)
    return frozenset(words)


def _repair(article: Article, docs: Sequence, pipeline: str | None, use_vocab: bool) -> RepairedArticle:
    evidence = article_names(docs)
    vocab = pipeline_lemmas(pipeline) if use_vocab else None
    from .names._canonical import load_gazetteer

    # Well-known country names count as names even where the article never writes them whole.
    countries = {w for name in load_gazetteer().labels for w in name.split()[-1:] if w[:1].isupper()}
    options = dict(
        known_names=evidence.names | countries,
        not_names=evidence.not_names,
        vocab=vocab,
        places=evidence.places,
    )
    kept = keeps_apostrophes([article.title, *article.sentences])
    options["restore_apostrophes"] = not kept
    # A headline carries no dateline; keep it whole.
    title = repair_sentence(article.title, line=TITLE_LINE, strip_dateline=False, **options)
    sentences = tuple(repair_sentence(s, line=i, **options) for i, s in enumerate(article.sentences))
    found = [(i, s.dateline) for i, s in enumerate(sentences) if s.dateline is not None]
    line, dateline = found[0] if found else (None, None)
    return RepairedArticle(article, title, sentences, dateline, line, kept)


_APOSTROPHE_IN_USE = re.compile(r"[A-Za-z]['\u2019](?:s|t|re|ve|ll|d|m)\b")


def keeps_apostrophes(lines: Iterable[str]) -> bool:
    """Whether a text writes its possessives and contractions with apostrophes (``Ukraine's``,
    ``can't``) anywhere. A source that strips apostrophes strips them all, so in a text that
    keeps them an ``Xs`` is a plural or a name (``Phelps``, ``Guns N' Roses``), never a lost
    possessive, and no apostrophe is restored."""
    return any(_APOSTROPHE_IN_USE.search(line) for line in lines)


def repair_article(
    article: Article, *, docs: Sequence | None = None, pipeline: str | None = None, use_vocab: bool = False
) -> RepairedArticle:
    """Repair every line of an article, using the article itself as evidence.

    The entities of the original lines tell which capitalised words are names in this article.
    The first dateline found is the article's dateline (``dateline_line`` says in which body
    line). Apostrophes are restored only when the article writes none itself
    (:func:`keeps_apostrophes`); ``apostrophes_kept`` on the result says so.
    :func:`analysis._analysed.analyse` calls this once per article and keeps the result.

    Args:
        article: the article as read.
        docs: spaCy Docs of the title and the sentences as written (title first); parsed
            by :func:`written_docs` when not given.
        pipeline: spaCy pipeline name (see :func:`analysis._nlp.resolve_pipeline`).
        use_vocab: also use the model's lemma dictionary as evidence for possessives. Off by
            default: on conll2003-dev with apostrophes stripped it restored 1 apostrophe for 2
            false repairs (``benchmarks/entities.py``), while the article's own evidence made
            none.
    """
    if docs is None:
        lines = [article.title, *article.sentences]
        docs = written_docs(lines, datelines=[False] + [True] * article.n_sentences, pipeline=pipeline)
    if len(docs) != article.n_sentences + 1:
        raise ValueError(f"{article.id}: expected {article.n_sentences + 1} Docs (title first), got {len(docs)}")
    return _repair(article, docs, pipeline, use_vocab)


def unrepaired(article: Article) -> RepairedArticle:
    """The article as it is, in the shape of :func:`repair_article`'s result (to measure what
    repair changes). No dateline is detected or cut."""
    return RepairedArticle(
        article,
        RepairedText(article.title, article.title),
        tuple(RepairedText(s, s) for s in article.sentences),
        None,
        None,
    )
