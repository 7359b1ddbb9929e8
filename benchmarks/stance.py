"""Claim-stance methods on the FNC-1 dev split (20 % of training bodies held out by Body ID).

Prints one row per method: relative FNC score, macro-F1, per-class F1, training time and
prediction time per 1,000 pairs (medians). Runs single-threaded. Needs ../shared/corpora/fnc1
(or $NEWSDESK_SHARED).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stance.py [--methods ...] [--train-repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from threadpoolctl import threadpool_limits  # noqa: E402

from analysis.stance.baselines import METHODS, get_method  # noqa: E402
from analysis.stance.fnc import LABELS, fnc_dir, read_fnc, score_report, split_by_body  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=["majority", "features_gbdt", "tfidf_logreg", "riedel_mlp"], choices=sorted(METHODS))
    parser.add_argument("--train-repeats", type=int, default=1, help="trainings per method (median time)")
    parser.add_argument("--predict-repeats", type=int, default=5, help="timed predictions of 1,000 dev pairs (median)")
    args = parser.parse_args(argv)
    folder = fnc_dir()
    if not (folder / "train_stances.csv").is_file():
        print(f"FNC-1 training data not found in {folder}", file=sys.stderr)
        return 2
    data = read_fnc(folder)
    train, dev = split_by_body(data.pairs)
    print(f"FNC-1 dev split: train {len(train):,} pairs / {train['body_id'].nunique():,} bodies, "
          f"dev {len(dev):,} pairs / {dev['body_id'].nunique():,} bodies (seed 2017)")
    print(f"dev labels: {dev['stance'].value_counts().to_dict()}\n")
    h, b, s = list(train["headline"]), list(train["body"]), list(train["stance"])
    sample = dev.iloc[:1000]
    rows = []
    with threadpool_limits(limits=1):
        for name in args.methods:
            train_times = []
            for _ in range(args.train_repeats):
                start = time.perf_counter()
                predictor = get_method(name)(h, b, s)
                train_times.append(time.perf_counter() - start)
            predicted = predictor(list(dev["headline"]), list(dev["body"]))
            report = score_report(dev["stance"], predicted)
            predict_times = []
            for _ in range(args.predict_repeats):
                start = time.perf_counter()
                predictor(list(sample["headline"]), list(sample["body"]))
                predict_times.append(time.perf_counter() - start)
            rows.append((name, report, statistics.median(train_times), statistics.median(predict_times)))
            print(f"  done {name}", file=sys.stderr, flush=True)

    header = "| method | relative FNC | macro-F1 | " + " | ".join(f"F1 {l}" for l in LABELS) + " | train s | predict s / 1k pairs |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, r, t_train, t_pred in rows:
        f1 = " | ".join(f"{r.per_class_f1[l]:.3f}" for l in LABELS)
        print(f"| {name} | {r.relative:.4f} | {r.macro_f1:.4f} | {f1} | {t_train:.1f} | {t_pred:.3f} |")
    print(f"\ntraining: median of {args.train_repeats} run(s); prediction: median of {args.predict_repeats} runs on 1,000 dev pairs; 1 thread")
    best = max(rows, key=lambda row: (row[1].relative, row[1].macro_f1))
    print(f"best: {best[0]}\n\nconfusion of {best[0]} (rows gold, columns predicted):")
    print(best[1].confusion.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
