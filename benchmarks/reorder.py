"""Sentence-reordering benchmark: accuracy by cross-validation and decoding time by length.

Usage: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/reorder.py [--folds 5] [--repeats 5]``

1. For every corpus under the shared ``corpora/`` that has a gold order, each method is
   cross-validated by article (5 folds; a fold's articles are never trained on; the learned
   method trains on the other folds of every corpus) and the table gives the mean over
   articles of each metric, with the standard deviation and range of the per-fold means.
2. Speed: synthetic articles of 5 to 100 sentences (real articles concatenated, shuffled with a
   fixed seed) are reordered by the default method; the table gives the median time of
   feature computation plus decoding (spaCy annotation excluded: it is cached on disk, and
   timed separately once per length without the cache).

Needs the shared data (``$NEWSDESK_SHARED`` or the project's sibling ``shared/``).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time

import pandas as pd

from analysis.nlp import annotate
from analysis.reorder import make_method
from analysis.reorder.features import article_features
from analysis.reorder.train import ORDER_CORPORA, cross_validate, load_order_corpus, shared_dir, summarize_folds

METHODS = ("pairwise", "heuristic", "random")
LENGTHS = (5, 10, 16, 20, 30, 50, 100)


def accuracy_table(corpora: dict, folds: int) -> pd.DataFrame:
    results = cross_validate(METHODS, corpora, n_folds=folds)
    summary = summarize_folds(results)
    table = pd.DataFrame(
        {
            "tau": summary["kendall_tau"].map("{:.3f}".format),
            "tau fold sd": summary["kendall_tau_fold_sd"].map("{:.3f}".format),
            "tau fold range": [
                f"{lo:.3f}-{hi:.3f}" for lo, hi in zip(summary["kendall_tau_fold_min"], summary["kendall_tau_fold_max"])
            ],
            "perfect": summary["perfect_match"].map("{:.3f}".format),
            "positional": summary["positional_accuracy"].map("{:.3f}".format),
            "first": summary["first_sentence_accuracy"].map("{:.3f}".format),
            "confidence": summary["confidence"].map("{:.3f}".format),
            "articles": summary["n_articles"],
        }
    )
    order = {m: k for k, m in enumerate(METHODS)}
    return table.sort_index(key=lambda idx: idx.map(lambda v: order.get(v, v)) if idx.name == "method" else idx)


def speed_table(articles: list, repeats: int) -> pd.DataFrame:
    method = make_method("pairwise")
    pool = [s for a in articles for s in a.sentences]
    rows = []
    for n in LENGTHS:
        rng = random.Random(f"speed:{n}")
        times, decode_times = [], []
        start_index = rng.randrange(len(pool) - n)
        sentences = pool[start_index : start_index + n]
        rng.shuffle(sentences)
        article = dataclasses.replace(articles[0], id=f"synthetic_{n}", sentences=tuple(sentences))
        t0 = time.perf_counter()
        docs = annotate(list(sentences), use_cache=False)
        annotation = time.perf_counter() - t0
        for _ in range(repeats):
            t0 = time.perf_counter()
            features = article_features(article, docs=docs)
            t1 = time.perf_counter()
            method.predict_features(features)
            t2 = time.perf_counter()
            times.append(t2 - t0)
            decode_times.append(t2 - t1)
        rows.append(
            {
                "sentences": n,
                "median s (features+decode)": f"{statistics.median(times):.3f}",
                "median s (decode only)": f"{statistics.median(decode_times):.3f}",
                "annotation s (uncached, once)": f"{annotation:.3f}",
                "decoder": "exact DP" if n <= method.exact_limit else "local search",
            }
        )
    return pd.DataFrame(rows).set_index("sentences")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    root = shared_dir() / "corpora"
    corpora = {}
    for name in ORDER_CORPORA:
        if (root / name / "gold.jsonl").is_file():
            corpora[name] = load_order_corpus(name)
    if not corpora:
        print(f"no ordering corpus under {root}; set NEWSDESK_SHARED", file=sys.stderr)
        return 1
    pd.set_option("display.width", 200)
    started = time.perf_counter()
    print(f"== accuracy, {args.folds}-fold cross-validation by article ==")
    print(accuracy_table(corpora, args.folds).to_string())
    print(f"(wall time {time.perf_counter() - started:.1f} s, annotations cached)")
    print()
    print(f"== speed of the default method by article length (median of {args.repeats}) ==")
    all_articles = [a for arts, _ in corpora.values() for a in arts]
    print(speed_table(all_articles, args.repeats).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
