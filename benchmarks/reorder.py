"""Sentence-reordering benchmark: accuracy by cross-validation and decoding time by length.

Usage: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/reorder.py [--folds 5] [--repeats 5] [--jobs 2]``

1. For every corpus under the shared ``corpora/`` that has a gold order, each method is
   cross-validated by article (5 folds; a fold's articles are never trained on; the learned
   method trains on the other folds of every corpus and on every article of the ``-train``
   corpora) and the table gives the mean over articles of each metric, with the standard
   deviation and range of the per-fold means; then Kendall's tau by article length.
2. Ablations (same folds): the default without each new signal in turn (the ``-train``
   corpora; the sentence-vector cues; the split-quote cues): tau per corpus and the signal's gain.
   ``--no-ablations`` skips them; ``--jobs 2`` runs two cross-validations at once.
3. Speed: synthetic articles of 5 to 100 sentences (real articles concatenated, shuffled with a
   fixed seed) are reordered by the default method; the table gives the median time of
   feature computation plus decoding (spaCy annotation excluded: it is cached on disk, and
   timed separately once per length without the cache).

Needs the shared data (``$NEWSDESK_SHARED`` or the project's sibling ``shared/``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import random
import statistics
import sys
import time

import pandas as pd

from analysis._repair import written_docs
from analysis.ordering import make_method
from analysis.ordering._features import article_features
from analysis.ordering._meaning import MEANING_PAIR_FEATURES, MEANING_SENTENCE_FEATURES
from analysis.ordering._train import (
    ORDER_CORPORA,
    TRAIN_CORPORA,
    cross_validate,
    load_order_corpus,
    shared_dir,
    summarize_folds,
)

METHODS = ("pairwise", "heuristic", "random")
#: The split-quote cues (a quote opened in one line and closed in another).
QUOTE_FEATURES = ("quote_opens", "quote_closes", "quote_opened_then_closed")
LENGTHS = (5, 10, 16, 20, 30, 50, 100)
#: Article length bands of the tau-by-length table (sentences, inclusive).
BANDS = ((4, 8), (9, 12), (13, 16), (17, 24), (25, 50))
#: Ablations: (name, use the -train corpora, features held at 0).
ABLATIONS = (
    ("without -train corpora", False, ()),
    ("without vector cues", True, MEANING_SENTENCE_FEATURES + MEANING_PAIR_FEATURES),
    ("without quote cues", True, QUOTE_FEATURES),
)


def accuracy_table(results: pd.DataFrame) -> pd.DataFrame:
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


def length_table(results: pd.DataFrame) -> pd.DataFrame:
    """Mean tau of the default method per corpus and article-length band (articles in brackets)."""
    pairwise = results[results["method"] == "pairwise"]
    columns = {}
    for lo, hi in BANDS:
        band = pairwise[(pairwise["n_sentences"] >= lo) & (pairwise["n_sentences"] <= hi)]
        grouped = band.groupby("corpus")["kendall_tau"]
        means, counts = grouped.mean(), grouped.size()
        columns[f"{lo}-{hi}"] = {c: f"{means[c]:.3f} ({counts[c]})" for c in means.index}
    return pd.DataFrame(columns).fillna("-")


def _cross_validate(job: tuple) -> pd.DataFrame:
    methods, corpora, folds, drop, extra = job
    options = {"pairwise": {"drop": drop}} if drop else None
    return cross_validate(methods, corpora, n_folds=folds, options=options, extra=extra)


def run_cross_validations(corpora: dict, extra: dict, folds: int, *, ablations: bool, jobs: int) -> dict[str, pd.DataFrame]:
    """The default's cross-validation (every method) and each ablation's, ``jobs`` at a time."""
    plan = {"default": (METHODS, corpora, folds, (), extra)}
    if ablations:
        plan.update({name: (("pairwise",), corpora, folds, drop, extra if use_extra else None) for name, use_extra, drop in ABLATIONS})
    if jobs <= 1:
        return {name: _cross_validate(job) for name, job in plan.items()}
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {name: pool.submit(_cross_validate, job) for name, job in plan.items()}
        return {name: future.result() for name, future in futures.items()}


def ablation_table(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Tau of the default method without each signal, on the same folds, and each signal's gain."""
    taus = {name: r[r["method"] == "pairwise"].groupby("corpus")["kendall_tau"].mean() for name, r in results.items()}
    table = pd.DataFrame(taus).T
    for corpus in list(table.columns):
        table[f"gain on {corpus}"] = table.loc["default", corpus] - table[corpus]
    return table.map("{:.3f}".format)


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
        docs = written_docs(list(sentences), use_cache=False)
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
    parser.add_argument("--no-ablations", action="store_true", help="skip the ablation table")
    parser.add_argument("--speed-only", action="store_true", help="only the speed table (no cross-validation)")
    parser.add_argument("--jobs", type=int, default=1, help="cross-validations run at once (processes; the speed table runs alone after)")
    args = parser.parse_args(argv)

    root = shared_dir() / "corpora"
    corpora = {}
    for name in ORDER_CORPORA:
        if (root / name / "gold.jsonl").is_file():
            corpora[name] = load_order_corpus(name)
    if not corpora:
        print(f"no ordering corpus under {root}; set NEWSDESK_SHARED", file=sys.stderr)
        return 1
    extra = {name: load_order_corpus(name) for name in TRAIN_CORPORA if (root / name / "gold.jsonl").is_file()}
    pd.set_option("display.width", 200)
    if not args.speed_only:
        accuracy_report(corpora, extra, args)
    print(f"== speed of the default method by article length (median of {args.repeats}) ==")
    all_articles = [a for arts, _ in corpora.values() for a in arts]
    print(speed_table(all_articles, args.repeats).to_string())
    return 0


def accuracy_report(corpora: dict, extra: dict, args: argparse.Namespace) -> None:
    """Print the accuracy, tau-by-length and ablation tables."""
    started = time.perf_counter()
    print(f"== accuracy, {args.folds}-fold cross-validation by article (also trained on: {', '.join(extra) or 'nothing'}) ==")
    runs = run_cross_validations(corpora, extra, args.folds, ablations=not args.no_ablations, jobs=args.jobs)
    results = runs["default"]
    print(accuracy_table(results).to_string())
    print(f"(wall time {time.perf_counter() - started:.1f} s for every cross-validation, {args.jobs} at a time; annotations cached)")
    print()
    print("== Kendall's tau of the default method by article length (sentences; articles) ==")
    print(length_table(results).to_string())
    print()
    if len(runs) > 1:
        print("== ablations: tau of the default method without each signal (same folds), and its gain ==")
        print(ablation_table(runs).to_string())
        print()


if __name__ == "__main__":
    raise SystemExit(main())
