"""Training data, cross-validation by article, and the training of the committed default model.

The ordering corpora live under the shared data directory (``$NEWSDESK_SHARED``, else the
project's sibling ``shared/``): ``corpora/<name>/articles/*.txt`` with ``gold.jsonl`` beside.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import GoldFormatError, NewsdeskError
from .._seeds import Article, gold_order, load_article, load_corpus, load_gold, shared_dir
from ._base import make_method
from ._metrics import METRIC_NAMES, evaluate

__all__ = [
    "ORDER_CORPORA",
    "TRAIN_CORPORA",
    "shared_dir",
    "load_order_corpus",
    "load_gold_articles",
    "article_folds",
    "cross_validate",
    "summarize_folds",
    "train_default",
]

#: Corpora with gold orders that the cross-validation tests on (by article folds).
ORDER_CORPORA: tuple[str, ...] = ("conll2003-dev", "fnc1-order-dev")
#: More articles with gold orders, prepared like the ``-dev`` ones: trained on, never tested.
TRAIN_CORPORA: tuple[str, ...] = ("conll2003-train", "fnc1-order-train")
#: Seed of the committed model and of the cross-validation folds.
DEFAULT_SEED = 20030531


def load_order_corpus(name_or_path: str | Path) -> tuple[list[Article], list[tuple[int, ...]]]:
    """Articles of an ordering corpus with their gold orders (indices into each article's sentences).

    Args:
        name_or_path: a corpus name under ``shared_dir()/corpora`` or a corpus directory.

    Raises:
        NewsdeskError: the corpus has no ``articles/`` or ``gold.jsonl``, or files failed to parse.
    """
    path = Path(name_or_path)
    if not path.is_dir():
        path = shared_dir() / "corpora" / str(name_or_path)
    gold_path = path / "gold.jsonl"
    if not (path / "articles").is_dir() or not gold_path.is_file():
        raise NewsdeskError(f"{path}: not an ordering corpus (needs articles/ and gold.jsonl)")
    corpus = load_corpus(path / "articles")
    if corpus.errors:
        raise NewsdeskError(f"{path}: {len(corpus.errors)} article(s) failed to parse, first: {corpus.errors[0]}")
    gold = load_gold(gold_path)
    articles = [a for a in corpus.articles if a.id in gold]
    return articles, [gold_order(a, gold[a.id]) for a in articles]


def load_gold_articles(gold_path: str | Path) -> tuple[list[Article], list[tuple[int, ...]]]:
    """Articles named by an analyst's ``gold.jsonl`` (each ``file`` relative to its folder) with
    their gold orders, in the file's order.

    Raises:
        GoldFormatError: a malformed record, or an order that is not a permutation of its file's lines.
        SeedFormatError: a named article file is missing or breaks the seed format.
    """
    gold_path = Path(gold_path)
    gold = load_gold(gold_path)  # validates every record
    articles: list[Article] = []
    orders: list[tuple[int, ...]] = []
    for number, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        name = json.loads(line)["file"]
        article = load_article(gold_path.parent / name)
        try:
            orders.append(gold_order(article, gold[Path(name).stem]))
        except GoldFormatError as exc:
            raise GoldFormatError(f"{gold_path}:{number}: {exc}") from None
        articles.append(article)
    return articles, orders


def article_folds(n_articles: int, *, n_folds: int = 5, seed: int = DEFAULT_SEED) -> list[np.ndarray]:
    """Split article indices into ``n_folds`` disjoint test folds (shuffled with ``seed``)."""
    indices = list(range(n_articles))
    random.Random(seed).shuffle(indices)
    return [np.asarray(sorted(indices[k::n_folds])) for k in range(n_folds)]


def cross_validate(
    methods: Sequence[str],
    corpora: dict[str, tuple[list[Article], list[tuple[int, ...]]]],
    *,
    n_folds: int = 5,
    seed: int = DEFAULT_SEED,
    options: dict[str, dict[str, Any]] | None = None,
    extra: dict[str, tuple[list[Article], list[tuple[int, ...]]]] | None = None,
) -> pd.DataFrame:
    """Cross-validate methods by article over several corpora at once.

    Each corpus is split into ``n_folds`` folds; in round ``k`` a method is fitted on the other
    folds of *every* corpus and tested on fold ``k`` of each, so no article is ever both trained
    and tested on. ``extra`` corpora (the ``*-train`` ones) join every round's training set
    and are never tested on, so the figures stay those of the ``corpora``' articles.

    Returns:
        One row per (method, corpus, fold, article): the metrics, ``n_sentences``,
        ``confidence`` and ``seconds`` (prediction time, annotation excluded when cached).
    """
    folds = {name: article_folds(len(arts), n_folds=n_folds, seed=seed) for name, (arts, _) in corpora.items()}
    rows: list[dict[str, Any]] = []
    for k in range(n_folds):
        train_articles: list[Article] = []
        train_orders: list[tuple[int, ...]] = []
        for name, (arts, orders) in corpora.items():
            test = set(folds[name][k].tolist())
            train_articles += [a for i, a in enumerate(arts) if i not in test]
            train_orders += [o for i, o in enumerate(orders) if i not in test]
        for arts, orders in (extra or {}).values():
            train_articles += arts
            train_orders += orders
        for method_name in methods:
            method = make_method(method_name, **(options or {}).get(method_name, {}))
            method.fit(train_articles, train_orders)
            for name, (arts, orders) in corpora.items():
                for i in folds[name][k]:
                    start = time.perf_counter()
                    predicted = method.predict(arts[i])
                    seconds = time.perf_counter() - start
                    metrics = evaluate(predicted.order, orders[i])
                    rows.append(
                        {
                            "method": method_name,
                            "corpus": name,
                            "fold": k,
                            "article": arts[i].id,
                            "n_sentences": arts[i].n_sentences,
                            **metrics._asdict(),
                            "confidence": predicted.confidence,
                            "seconds": seconds,
                        }
                    )
    return pd.DataFrame(rows)


def summarize_folds(results: pd.DataFrame) -> pd.DataFrame:
    """Mean of each metric per (corpus, method), with the spread across folds.

    Columns ``<metric>`` (mean over articles) and ``<metric>_fold_sd`` (standard deviation of
    the per-fold means) and ``<metric>_fold_min`` / ``_fold_max``.
    """
    per_fold = results.groupby(["corpus", "method", "fold"])[list(METRIC_NAMES)].mean()
    grouped = per_fold.groupby(level=["corpus", "method"])
    out = results.groupby(["corpus", "method"])[list(METRIC_NAMES) + ["confidence"]].mean()
    out = out.join(grouped.std(ddof=1).add_suffix("_fold_sd"))
    out = out.join(grouped.min().add_suffix("_fold_min")).join(grouped.max().add_suffix("_fold_max"))
    out["n_articles"] = results.groupby(["corpus", "method"]).size()
    return out


def train_default(
    *,
    corpora: Iterable[str | Path] = ORDER_CORPORA + TRAIN_CORPORA,
    gold: Iterable[str | Path] = (),
    out_dir: str | Path | None = None,
    seed: int = DEFAULT_SEED,
) -> Path:
    """Train the default pairwise model on every article of ``corpora`` (and of the analyst's
    ``gold`` files, see :func:`load_gold_articles`) and save it.

    Returns:
        The directory the weights were written to.
    """
    from ._pairwise import MODEL_DIR, PairwiseOrdering

    articles: list[Article] = []
    orders: list[tuple[int, ...]] = []
    names = []
    for corpus in corpora:
        arts, corpus_orders = load_order_corpus(corpus)
        articles += arts
        orders += corpus_orders
        names.append({"corpus": Path(str(corpus)).name, "n_articles": len(arts)})
    for path in gold:
        arts, gold_orders = load_gold_articles(path)
        articles += arts
        orders += gold_orders
        # The analyst's file by its folder's name and a digest: no path or text of theirs.
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        names.append({"gold": Path(path).parent.name, "sha256": digest, "n_articles": len(arts)})
    import sklearn

    from .._nlp import pipeline_info

    versions = {"scikit-learn": sklearn.__version__, "numpy": np.__version__, **pipeline_info()}
    method = PairwiseOrdering(seed=seed).fit(articles, orders, info={"corpora": names, "versions": versions})
    target = Path(out_dir) if out_dir is not None else MODEL_DIR
    method.model.save(target)
    return target
