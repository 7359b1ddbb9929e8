"""Read article seed files (``seeds/*.txt``); gold sentence orders are in :mod:`analysis._gold`.

The format (one article per UTF-8 file) is: line 1 the headline, line 2 the publication date
as ``YYYYMMDD``, line 3 an absolute ``http(s)://`` URL or a ``urn:``, then the body, one
sentence a line, in shuffled order. Blank lines carry no meaning; ``\\n`` and ``\\r\\n`` line
ends are both accepted. Every broken rule raises its own :class:`~analysis.errors.SeedFormatError`
naming the file, the line and the rule, and :func:`load_corpus` collects those errors instead of
stopping at the first bad file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple
from urllib.parse import urlsplit

from .errors import SeedFormatError

__all__ = [
    "Article",
    "Corpus",
    "MAX_SEED_BYTES",
    "MAX_LINE_CHARS",
    "MAX_SENTENCES",
    "parse_article",
    "load_article",
    "load_corpus",
    "load_gold",
    "gold_order",
    "save_gold_order",
    "article_gold",
    "GOLD_FILE",
    "shared_dir",
    "SHARED_ENV",
]

#: Environment variable naming the folder of development corpora (default: ``../shared``).
SHARED_ENV = "NEWSDESK_SHARED"

#: Files larger than this are refused: a news article is a few kB, and spaCy's default
#: ``max_length`` (1,000,000 characters) would fail on the body much later and less clearly.
MAX_SEED_BYTES = 2 * 1024 * 1024

#: Longest body or header line, in characters: a news sentence is a few hundred; spaCy refuses
#: texts over 1,000,000 characters (E088) and slows down long before.
MAX_LINE_CHARS = 10_000
#: Most body sentences: the reordering decoder's time grows as n^2.2 and its memory as n², so an
#: article of 500 sentences still reorders within about 15 s; development articles hold at most 43.
MAX_SENTENCES = 500

_DATE_RE = re.compile(r"^[0-9]{8}$")  # ASCII digits only: "２０２２…" or Arabic-Indic digits are not a date
_URN_RE = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One news article as read from a seed file.

    Attributes:
        id: the file name without ``.txt``.
        title: the headline (line 1).
        date: publication date (line 2).
        url: source URL or URN (line 3).
        sentences: body sentences in *file* order (shuffled, not the article's order).
        path: the file the article was read from (``None`` for text parsed in memory).
        sha256: hex digest of the file's bytes, for provenance in reports.
        line_numbers: for each sentence, its 1-based line number in the file.
    """

    id: str
    title: str
    date: dt.date
    url: str
    sentences: tuple[str, ...]
    path: Path | None = None
    sha256: str = ""
    line_numbers: tuple[int, ...] = field(default=(), repr=False)

    @property
    def n_sentences(self) -> int:
        """Number of body sentences."""
        return len(self.sentences)

    @property
    def file_lines(self) -> tuple[int, ...]:
        """Each sentence's line in the seed file, the one numbering reports show:
        :attr:`line_numbers`, or 4, 5, … for an article built in memory without them."""
        return self.line_numbers or tuple(range(4, 4 + len(self.sentences)))


class Corpus(NamedTuple):
    """Result of :func:`load_corpus`: the articles that parsed, and the errors of those that did not."""

    articles: list[Article]
    errors: list[SeedFormatError]


def parse_article(
    data: bytes | str,
    *,
    id: str,
    path: str | Path | None = None,
    max_bytes: int = MAX_SEED_BYTES,
) -> Article:
    """Parse the bytes (or text) of one seed file into an :class:`Article`.

    Args:
        data: the file's content.
        id: the article id (normally the file name without ``.txt``).
        path: the file, used in error messages and kept on the article.
        max_bytes: refuse content larger than this many bytes.

    Raises:
        SeedFormatError: naming the file, the line and the rule that was broken.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise SeedFormatError(
            path, None, "size", f"file is {len(raw):,} bytes; seeds are limited to {max_bytes:,} bytes"
        )
    utf16 = _utf16(raw)
    if utf16:
        raise SeedFormatError(path, None, "encoding", f"the file is {utf16} text; save it as UTF-8")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise SeedFormatError(path, line, "nul-byte", "NUL byte found: this is not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SeedFormatError(
            path, line, "encoding", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise SeedFormatError(path, None, "empty", "file is empty; expected title, date, URL and body lines")

    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr:
        line = text.count("\n", 0, lone_cr.start()) + 1  # every earlier CR ended a CRLF
        raise SeedFormatError(path, line, "line-ending",
                              "a line ends with a lone carriage return (CR); lines must end with \\n or \\r\\n")
    # splitlines() would also split on form feeds and Unicode separators inside a sentence.
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise SeedFormatError(path, number, "line-length",
                                  f"line is {len(line):,} characters long; lines are limited to {MAX_LINE_CHARS:,}")
    if lines and lines[-1] == "":
        lines.pop()

    def header(index: int, rule: str, what: str) -> str:
        if index >= len(lines):
            raise SeedFormatError(path, index + 1, rule, f"missing line {index + 1}: expected the {what}")
        value = lines[index].strip()
        if not value:
            raise SeedFormatError(path, index + 1, rule, f"line {index + 1} is blank; expected the {what}")
        return value

    title = header(0, "title", "headline")
    date = _parse_date(header(1, "date", "publication date (YYYYMMDD)"), path)
    url = _check_url(header(2, "url", "source URL (http(s)://… or urn:…)"), path)

    sentences: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(lines[3:], start=4):
        sentence = line.strip()
        if sentence:
            sentences.append(sentence)
            numbers.append(number)
    if not sentences:
        raise SeedFormatError(path, 4, "body", "no body sentence after the three header lines")
    if len(sentences) > MAX_SENTENCES:
        raise SeedFormatError(path, numbers[MAX_SENTENCES], "sentences",
                              f"{len(sentences):,} body sentences; articles are limited to {MAX_SENTENCES:,}")

    return Article(
        id=id,
        title=title,
        date=date,
        url=url,
        sentences=tuple(sentences),
        path=Path(path) if path is not None else None,
        sha256=hashlib.sha256(raw).hexdigest(),
        line_numbers=tuple(numbers),
    )


def _utf16(raw: bytes) -> str | None:
    """``"UTF-16 (little-endian)"`` or ``"UTF-16 (big-endian)"`` for text in that encoding, else ``None``."""
    if raw.startswith(b"\xff\xfe"):
        return "UTF-16 (little-endian)"
    if raw.startswith(b"\xfe\xff"):
        return "UTF-16 (big-endian)"
    head = raw[:200]
    if len(head) >= 8:  # no byte-order mark: ASCII text leaves every other byte zero
        if head[1::2].count(0) >= 0.9 * len(head[1::2]) and head[0::2].count(0) == 0:
            return "UTF-16 (little-endian)"
        if head[0::2].count(0) >= 0.9 * len(head[0::2]) and head[1::2].count(0) == 0:
            return "UTF-16 (big-endian)"
    return None


def _parse_date(value: str, path: str | Path | None) -> dt.date:
    if not _DATE_RE.match(value):
        raise SeedFormatError(path, 2, "date", f"{value!r} is not a date in the form YYYYMMDD")
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise SeedFormatError(path, 2, "date", f"{value!r} is not a real calendar date ({exc})") from None


def _check_url(value: str, path: str | Path | None) -> str:
    if value.lower().startswith("urn:"):
        if _URN_RE.match(value):
            return value
        raise SeedFormatError(path, 3, "url", f"{value!r} is not a URN of the form urn:NID:NSS")
    parts = urlsplit(value)
    if parts.scheme.lower() in {"http", "https"} and parts.netloc and " " not in value:
        return value
    raise SeedFormatError(path, 3, "url", f"{value!r} is not an absolute http(s):// URL or a urn:")


def load_article(path: str | Path, *, max_bytes: int = MAX_SEED_BYTES) -> Article:
    """Read one seed file; the article id is the file name without ``.txt``.

    Raises:
        SeedFormatError: the file breaks a rule of the format, or cannot be read.
    """
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the reader forever, a device worse
            raise SeedFormatError(path, None, "not-a-file", "not a regular file (a folder, FIFO, socket or device)")
        size = info.st_size
        if size > max_bytes:  # refuse before reading a huge file into memory
            raise SeedFormatError(
                path, None, "size", f"file is {size:,} bytes; seeds are limited to {max_bytes:,} bytes"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise SeedFormatError(path, None, "unreadable", f"cannot read the file ({exc.strerror or exc})") from None
    return parse_article(raw, id=path.stem, path=path, max_bytes=max_bytes)


def load_corpus(source: str | Path | Iterable[str | Path], *, pattern: str = "*.txt") -> Corpus:
    """Read every seed file of a directory (or an iterable of paths), never stopping at a bad one.

    Args:
        source: a directory (its files matching ``pattern``, sorted by name) or paths.
        pattern: glob used when ``source`` is a directory.

    Returns:
        A :class:`Corpus` with the parsed articles (sorted by path) and one
        :class:`SeedFormatError` per refused file.
    """
    errors: list[SeedFormatError] = []
    if isinstance(source, (str, Path)):
        folder = Path(source)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: not a directory of seed files")
        root = folder.resolve()
        paths = []
        for candidate in sorted(folder.glob(pattern)):
            if candidate.is_symlink() and not candidate.resolve().is_relative_to(root):
                # never read (nor quote into a report) a file outside the seeds folder
                errors.append(SeedFormatError(candidate, None, "link", "a symbolic link to a file outside the seeds folder"))
            elif candidate.is_dir():
                continue  # a folder whose name matches the pattern is not a seed
            else:
                paths.append(candidate)
    else:
        paths = sorted(Path(p) for p in source)
    articles: list[Article] = []
    for path in paths:
        try:
            articles.append(load_article(path))
        except SeedFormatError as exc:
            errors.append(exc)
    errors.sort(key=lambda e: str(e.path))
    return Corpus(articles, errors)


def shared_dir() -> Path:
    """The read-only folder of development corpora: ``$NEWSDESK_SHARED``, else ``shared/`` beside
    the project. Benchmarks and training commands read it; nothing at run time needs it."""
    configured = os.environ.get(SHARED_ENV)
    return Path(configured) if configured else Path(__file__).resolve().parents[1].parent / "shared"


# Gold orders have their own module; these names stay importable from here.
from ._gold import GOLD_FILE, article_gold, gold_order, load_gold, save_gold_order  # noqa: E402
