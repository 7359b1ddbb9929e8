"""Claim-stance methods on the FNC-1 topic split (claims and bodies held out, near-duplicates too).

Prints: the split and its leak check; one row per method (relative FNC score, macro-F1,
per-class F1, training time, prediction time per 1,000 pairs) on all dev pairs and on the dev
pairs of the data only (without the resampled unrelated pairs); the confusion of the shipped
method; sentence stance (does a body's label follow from its most relevant sentences); and the
speaker–target table of ``benchmarks/stance_actors.py`` when that file exists. Every method is
trained on the split's training part here. Runs single-threaded. Needs ../shared/corpora/fnc1
(or $NEWSDESK_SHARED).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stance.py [--methods ...] [--train-repeats N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from analysis.stance._baselines import METHODS, get_method  # noqa: E402
from analysis.stance._features import split_sentences  # noqa: E402
from analysis.stance._fnc import LABELS, fnc_dir, read_fnc, score_report  # noqa: E402
from analysis.stance._split import max_cross_similarity, split_by_topic  # noqa: E402
from analysis.stance._twostage import STANCES, two_stage_proba  # noqa: E402

SHIPPED = "two_stage"


def _row(name, report, fnc_only, t_train, t_pred) -> str:
    f1 = " | ".join(f"{report.per_class_f1[label]:.3f}" for label in LABELS)
    return (f"| {name} | {report.relative:.4f} | {report.macro_f1:.4f} | {f1} | {fnc_only.relative:.4f} | "
            f"{fnc_only.macro_f1:.4f} | {t_train:.1f} | {t_pred:.3f} |")


def sentence_table(model, dev) -> None:
    """Relevance and stance of single sentences, read back against the body's gold label."""
    pairs = dev[dev["origin"] == "fnc"].reset_index(drop=True)
    bodies = [split_sentences(b) for b in pairs["body"]]
    heads = [h for h, sents in zip(pairs["headline"], bodies) for _ in sents]
    single = [[s] for sents in bodies for s in sents]
    proba, _, _ = two_stage_proba(model, heads, single)
    relevance = 1.0 - proba[:, LABELS.index("unrelated")]
    q = proba[:, :3] / np.maximum(relevance[:, None], 1e-12)
    starts = np.cumsum([0] + [len(s) for s in bodies])
    from_sentences, any_relevant = [], []
    for i in range(len(pairs)):
        r, qs = relevance[starts[i] : starts[i + 1]], q[starts[i] : starts[i + 1]]
        top = np.argsort(-r, kind="stable")[:3]
        any_relevant.append(bool(r.max() >= model.threshold))
        mean = qs[top].mean(axis=0)
        from_sentences.append(STANCES[int((np.log(mean + 1e-12) + model.bias).argmax())])
    gold = pairs["stance"].to_numpy()
    related = gold != "unrelated"
    body_labels = two_stage_proba(model, list(pairs["headline"]), list(pairs["body"]))[1]
    rel_pred = np.array(any_relevant)
    tp = int((rel_pred & related).sum())
    rel_f1 = 2 * tp / max(int(rel_pred.sum()) + int(related.sum()), 1)
    sent = score_report(gold[related], [from_sentences[i] for i in np.flatnonzero(related)])
    whole = score_report(gold[related], [body_labels[i] if body_labels[i] != "unrelated" else "discuss" for i in np.flatnonzero(related)])
    print(f"\nSentence stance ({SHIPPED}, {len(pairs):,} dev pairs of the data, {len(single):,} sentences):")
    print(f"- related if any sentence is relevant (relevance >= {model.threshold}): related-F1 {rel_f1:.3f}")
    print("- stance of the related pairs read from their 3 most relevant sentences (mean of the sentences' stance")
    print("  probabilities) vs the whole body's stance, against the gold label (F1 over agree/disagree/discuss):")
    print("| read from | accuracy | F1 agree | F1 disagree | F1 discuss |\n|---|---|---|---|---|")
    for name, r in (("3 most relevant sentences", sent), ("whole body", whole)):
        print(f"| {name} | {r.accuracy:.3f} | " + " | ".join(f"{r.per_class_f1[s]:.3f}" for s in STANCES) + " |")


def actor_section() -> None:
    path = Path(__file__).resolve().parent / "stance_actors.py"
    if not path.is_file():
        print("\n(speaker–target table: benchmarks/stance_actors.py not present)")
        return
    print("\nSpeaker–target stance:")
    try:
        spec = importlib.util.spec_from_file_location("stance_actors", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        table = module.actor_table()
    except Exception as exc:  # the claim tables above stand on their own
        print(f"(benchmarks/stance_actors.py failed: {type(exc).__name__}: {exc})")
        return
    if table is not None:
        print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=["majority", "features_gbdt", "riedel_mlp", SHIPPED], choices=sorted(METHODS))
    parser.add_argument("--train-repeats", type=int, default=1, help="trainings per method (median time)")
    parser.add_argument("--predict-repeats", type=int, default=5, help="timed predictions of 1,000 dev pairs (median)")
    parser.add_argument("--no-sentences", action="store_true", help="skip the sentence-stance table")
    args = parser.parse_args(argv)
    folder = fnc_dir()
    if not (folder / "train_stances.csv").is_file():
        print(f"FNC-1 training data not found in {folder}", file=sys.stderr)
        return 2
    data = read_fnc(folder)
    split = split_by_topic(data.pairs, bodies=data.bodies)
    train, dev = split.train, split.dev
    dev_fnc = dev["origin"] == "fnc"
    print(f"FNC-1 topic split (seed 2018): {len(set(split.body_topic.values()))} topics; "
          f"train {len(train):,} pairs / {train['body_id'].nunique():,} bodies / {train['headline'].nunique():,} headlines, "
          f"dev {len(dev):,} pairs / {dev['body_id'].nunique():,} bodies / {dev['headline'].nunique():,} headlines "
          f"({int(dev_fnc.sum()):,} of the data, {int((~dev_fnc).sum()):,} resampled unrelated); "
          f"{len(data.pairs) - len(train) - int(dev_fnc.sum()):,} pairs crossing the split dropped")
    print(f"leak check, highest TF-IDF cosine dev vs train: headlines "
          f"{max_cross_similarity(list(train['headline'].unique()), list(dev['headline'].unique())):.3f}, bodies "
          f"{max_cross_similarity(list(train['body'].unique()), list(dev['body'].unique())):.3f} (grouping threshold 0.6)")
    print(f"dev labels: {dev['stance'].value_counts().to_dict()}\n")
    h, b, s = list(train["headline"]), list(train["body"]), list(train["stance"])
    sample = dev.iloc[:1000]
    rows, shipped = [], None
    with threadpool_limits(limits=1):
        for name in args.methods:
            options = {"topics": list(train["topic"])} if name == SHIPPED else {}
            train_times = []
            for _ in range(args.train_repeats):
                start = time.perf_counter()
                predictor = get_method(name)(h, b, s, **options)
                train_times.append(time.perf_counter() - start)
            predicted = predictor(list(dev["headline"]), list(dev["body"]))
            report = score_report(dev["stance"], predicted)
            fnc_only = score_report(dev.loc[dev_fnc, "stance"], [p for p, keep in zip(predicted, dev_fnc) if keep])
            predict_times = []
            for _ in range(args.predict_repeats):
                start = time.perf_counter()
                predictor(list(sample["headline"]), list(sample["body"]))
                predict_times.append(time.perf_counter() - start)
            rows.append((name, report, fnc_only, statistics.median(train_times), statistics.median(predict_times)))
            if name == SHIPPED:
                shipped = (predictor.model, report)
            print(f"  done {name}", file=sys.stderr, flush=True)

    header = ("| method | relative FNC | macro-F1 | " + " | ".join(f"F1 {label}" for label in LABELS)
              + " | relative FNC (data only) | macro-F1 (data only) | train s | predict s / 1k pairs |")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for row in rows:
        print(_row(*row))
    print(f"\ntraining: median of {args.train_repeats} run(s); prediction: median of {args.predict_repeats} runs on 1,000 dev pairs; 1 thread")
    print("The weights shipped before this split (claim_mlp, trained on all FNC-1 training pairs) saw every dev pair, "
          "so they are not scored here; riedel_mlp is the same recipe retrained on the training part.")
    if shipped is not None:
        model, report = shipped
        print(f"\nconfusion of {SHIPPED} (rows gold, columns predicted; threshold {model.threshold}, "
              f"stance biases {model.bias.tolist()} from inner cross-validation):")
        print(report.confusion.to_string())
        if not args.no_sentences:
            sentence_table(model, dev)
    actor_section()
    return 0


if __name__ == "__main__":
    sys.exit(main())
