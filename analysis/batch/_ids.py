"""Seed ids as folder names of the reports.

A seed's id is its file name without ``.txt`` and names its folder, ``reports/<id>/``. Before
any job is planned, every id must be safe there: no path separator or control character, no
leading dot (``..txt`` has the id ``.``, ``...txt`` the id ``..``: the folder itself and the
one above it), no name the batch writes itself (``index.html``, ``manifest.json``,
``corpus.csv``, the corpus folder, the lock), and unique once Unicode spellings (NFC/NFD ``café``) and letter case
(``Case``/``case`` on a case-insensitive file system) are folded. A seed whose id breaks a rule
is refused with a :class:`~analysis.errors.SeedFormatError` (rule ``id``, or ``duplicate-id``
naming the seed that keeps the id: the first by path); nothing is renamed behind the analyst's
back.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence

from ..errors import SeedFormatError
from .._seeds import Article
from ._jobs import CORPUS_KEY
from ._lock import LOCK_NAME

__all__ = ["RESERVED", "MAX_ID_BYTES", "id_problem", "fold", "check_ids"]

#: Names the batch writes in the reports folder (compared folded, see :func:`fold`).
RESERVED = frozenset({"index.html", "manifest.json", "corpus.csv", CORPUS_KEY, LOCK_NAME})
#: Longest id, in UTF-8 bytes: a folder name may hold 255, and outputs add ``.partial`` suffixes.
MAX_ID_BYTES = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def fold(key: str) -> str:
    """The form two ids are compared in: NFC, case-folded."""
    return unicodedata.normalize("NFC", key).casefold()


_RESERVED_FOLDED = frozenset(map(fold, RESERVED))


def id_problem(key: str) -> str | None:
    """Why ``key`` cannot name a folder of the reports, or ``None`` when it can."""
    if not key.strip():
        return "the file name gives an empty id"
    if key.startswith("."):
        return f"id {key!r} starts with a dot (a hidden file, or a name of the folder itself or its parent)"
    if _UNSAFE.search(key):
        return f"id {key!r} holds a path separator or a control character"
    if len(key.encode("utf-8")) > MAX_ID_BYTES:
        return f"id is {len(key.encode('utf-8'))} bytes long; ids are limited to {MAX_ID_BYTES} bytes"
    if key.endswith(".partial"):
        return f"id {key!r} ends in .partial, the suffix of outputs being written"
    if fold(key) in _RESERVED_FOLDED:
        return f"id {key!r} is the name of a file the batch writes itself"
    return None


def check_ids(articles: Iterable[Article]) -> tuple[list[Article], list[SeedFormatError]]:
    """The articles whose ids can name their folders, and one error per refused article.

    Articles are taken in path order, so which of two colliding seeds keeps the id does not
    depend on the order of the input.
    """
    accepted: list[Article] = []
    refused: list[SeedFormatError] = []
    owners: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: str(a.path)):
        problem = id_problem(article.id)
        if problem is not None:
            refused.append(SeedFormatError(article.path, None, "id", f"{problem}; rename the file"))
            continue
        owner = owners.setdefault(fold(article.id), article)
        if owner is not article:
            refused.append(SeedFormatError(
                article.path, None, "duplicate-id",
                f"id {article.id!r} is also the id of {owner.path} (ids are compared ignoring case and "
                "Unicode spelling), which keeps it; rename one of the files",
            ))
            continue
        accepted.append(article)
    return accepted, refused


def safe_to_clear(key: str, accepted: Sequence[Article]) -> bool:
    """Whether the folder of a refused seed's id may be cleared of its earlier reports: only when
    the id is safe and no accepted seed owns the same folder."""
    return id_problem(key) is None and fold(key) not in {fold(a.id) for a in accepted}
