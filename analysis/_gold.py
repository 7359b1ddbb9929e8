"""Gold orders: an article's sentences in their original order, in ``gold.jsonl`` files.

One JSON object per line, ``{"file": "NAME.txt", "sentences": [...]}``, the format of the
development corpora under ``../shared`` (there ``file`` is ``articles/NAME.txt``). The article's id
is the file name's stem; the sentences are its body lines, byte for byte, first sentence first.
An analyst's own gold orders live beside their seeds (:data:`GOLD_FILE`), written by the explorer.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ._atomic import atomic_write_text
from .errors import GoldFormatError

if TYPE_CHECKING:  # seeds imports this module at its end
    from ._seeds import Article

__all__ = ["GOLD_FILE", "load_gold", "gold_order", "article_gold", "save_gold_order"]

#: The analyst's gold orders, beside the seeds they describe (``seeds/gold.jsonl``).
GOLD_FILE = "gold.jsonl"


def load_gold(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Read a ``gold.jsonl`` file: article id → sentences in the article's original order.

    Each line is ``{"file": "articles/NAME.txt", "sentences": [...]}``; the id is ``NAME``.

    Raises:
        GoldFormatError: naming the file and line of a malformed record or a repeated id.
    """
    path = Path(path)
    gold: dict[str, tuple[str, ...]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                name, sentences = record["file"], record["sentences"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise GoldFormatError(f"{path}:{number}: not a gold record ({exc})") from None
            if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
                raise GoldFormatError(f"{path}:{number}: 'sentences' must be a list of strings")
            article_id = Path(name).stem
            if article_id in gold:
                raise GoldFormatError(f"{path}:{number}: article {article_id!r} appears twice")
            gold[article_id] = tuple(sentences)
    return gold


def gold_order(article: Article, gold_sentences: Iterable[str]) -> tuple[int, ...]:
    """Express a gold order as indices into ``article.sentences`` (file order).

    ``[article.sentences[i] for i in gold_order(article, gold)]`` equals the gold sentences.
    Repeated sentences are matched in file order.

    Raises:
        GoldFormatError: the gold sentences are not a permutation of the article's body lines.
    """
    gold_list = [s.strip() for s in gold_sentences]
    if Counter(gold_list) != Counter(article.sentences):
        missing = set(gold_list) ^ set(article.sentences)
        example = next(iter(missing), "(repeated sentences differ)")
        raise GoldFormatError(
            f"gold order for {article.id!r} does not match its {article.n_sentences} body lines; "
            f"first difference: {example[:80]!r}"
        )
    positions: dict[str, list[int]] = defaultdict(list)
    for index, sentence in enumerate(article.sentences):
        positions[sentence].append(index)
    return tuple(positions[s].pop(0) for s in gold_list)


def article_gold(path: str | Path | None, article: Article) -> tuple[int, ...] | None:
    """The article's gold order from the ``gold.jsonl`` at ``path`` as indices into its sentences,
    or ``None`` when there is no such file or it holds no record of this article.

    Raises:
        GoldFormatError: the file is malformed, or the record does not match the article's lines.
    """
    if path is None or not Path(path).is_file():
        return None
    sentences = load_gold(path).get(article.id)
    return gold_order(article, sentences) if sentences is not None else None


def save_gold_order(path: str | Path, article: Article, order: Iterable[int]) -> Path:
    """Record ``order`` (indices into ``article.sentences``, original first) as the article's gold
    order in the ``gold.jsonl`` at ``path``, in the format of the development corpora:
    ``{"file": "NAME.txt", "sentences": [...]}``, ``file`` relative to the gold file's folder.

    Other articles' records are kept as they are (byte for byte); the article's own record, if
    any, is replaced in place. The file is written atomically, so a crash leaves the old one.

    Raises:
        GoldFormatError: ``order`` is not a permutation of the article's body lines, or the file
            already holds a malformed record (it is then left untouched).
    """
    path = Path(path)
    order = [int(i) for i in order]
    if sorted(order) != list(range(article.n_sentences)):
        raise GoldFormatError(
            f"{path}: the order for {article.id!r} must name each of its {article.n_sentences} body lines once"
        )
    source = Path(article.path) if article.path else Path(f"{article.id}.txt")
    try:
        name = os.path.relpath(source.resolve(), path.resolve().parent) if article.path else source.name
    except ValueError:  # another drive (Windows): keep the absolute path
        name = str(source.resolve())
    record = json.dumps({"file": Path(name).as_posix(), "sentences": [article.sentences[i] for i in order]},
                        ensure_ascii=False)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if lines:
        load_gold(path)  # refuse to rewrite a file that does not read
    kept, replaced = [], False
    for line in lines:
        if line.strip() and Path(json.loads(line)["file"]).stem == article.id:
            if not replaced:
                kept.append(record)
            replaced = True
        else:
            kept.append(line)
    if not replaced:
        kept.append(record)
    return atomic_write_text(path, "\n".join(kept) + "\n")
