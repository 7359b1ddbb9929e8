"""``python -m analysis.stance train --fnc DIR [--out PATH]``: train the claim-stance model.

Training is single-threaded and seeded, so two runs on the same data write byte-identical
files (compare their sha256). ``--holdout`` trains on the training part of the topic split
(:func:`analysis.stance.split.split_by_topic`: claims and bodies held out) and prints the dev
scores, to reproduce the model card's numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

# One thread: reproducible sums, and the machine is shared. Set before NumPy loads BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def _train(args: argparse.Namespace) -> int:
    from threadpoolctl import threadpool_limits

    from .claim import MODEL_DIR, fit_claim_model, predict_claim_stance, save_claim_model
    from .fnc import read_fnc, score_report
    from .split import split_by_topic, topic_groups
    from .twostage import TwoStageConfig

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
        model = fit_claim_model(
            list(pairs["headline"]), list(pairs["body"]), list(pairs["stance"]), list(pairs["topic"]),
            config=TwoStageConfig(seed=args.seed), log=lambda m: print(m, file=sys.stderr, flush=True),
        )
    seconds = time.perf_counter() - started
    model.meta["training_data"] = "FNC-1 train_stances.csv + train_bodies.csv" + (" (training part of the topic split)" if args.holdout else "")
    out = Path(args.out) if args.out else MODEL_DIR
    npz, meta = save_claim_model(model, out)
    print(f"trained on {len(pairs):,} pairs / {pairs['body_id'].nunique():,} bodies in {seconds:.1f} s")
    for path in (npz, meta):
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path}  ({path.stat().st_size:,} bytes)")
    if dev is not None:
        report = score_report(dev["stance"], predict_claim_stance(list(dev["headline"]), list(dev["body"]), model=model))
        print(f"dev: relative FNC score {report.relative:.4f}, macro-F1 {report.macro_f1:.4f}, "
              + ", ".join(f"F1 {k} {v:.3f}" for k, v in report.per_class_f1.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m analysis.stance", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the claim-stance model on FNC-1 training data")
    train.add_argument("--fnc", required=True, help="folder with train_bodies.csv and train_stances.csv")
    train.add_argument("--out", help="output folder (default: the package's model/ folder)")
    train.add_argument("--holdout", action="store_true", help="train on the topic split's training part and report dev scores")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--split-seed", type=int, default=2018)
    args = parser.parse_args(argv)
    from ..errors import NewsdeskError

    try:
        return _train(args)
    except NewsdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
