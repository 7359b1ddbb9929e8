"""``python -m analysis.stance train --fnc DIR [--out PATH]``: train the claim-stance model.

Training is single-threaded and seeded, so two runs on the same data write byte-identical
files (compare their sha256). ``--holdout`` trains on the 80 % training part of the dev split
only and prints the dev scores, to reproduce the model card's numbers.
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
    from .fnc import read_fnc, score_report, split_by_body
    from .mlp import MlpConfig

    data = read_fnc(args.fnc)
    pairs = data.pairs
    dev = None
    if args.holdout:
        pairs, dev = split_by_body(pairs, dev_fraction=0.2, seed=args.split_seed)
    config = MlpConfig(epochs=args.epochs, seed=args.seed)
    started = time.perf_counter()
    with threadpool_limits(limits=1):
        model = fit_claim_model(list(pairs["headline"]), list(pairs["body"]), list(pairs["stance"]), config=config)
    seconds = time.perf_counter() - started
    model.meta["training_data"] = "FNC-1 train_stances.csv + train_bodies.csv" + (" (80 % of bodies)" if args.holdout else "")
    out = Path(args.out) if args.out else MODEL_DIR
    npz, meta = save_claim_model(model, out)
    print(f"trained on {len(pairs):,} pairs / {pairs['body_id'].nunique():,} bodies in {seconds:.1f} s")
    for path in (npz, meta):
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path}  ({path.stat().st_size:,} bytes)")
    if dev is not None:
        report = score_report(dev["stance"], predict_claim_stance(list(dev["headline"]), list(dev["body"]), model=model))
        print(f"dev: relative FNC score {report.relative:.4f}, macro-F1 {report.macro_f1:.4f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m analysis.stance", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the claim-stance model on FNC-1 training data")
    train.add_argument("--fnc", required=True, help="folder with train_bodies.csv and train_stances.csv")
    train.add_argument("--out", help="output folder (default: the package's model/ folder)")
    train.add_argument("--holdout", action="store_true", help="train on 80 %% of bodies and report dev scores")
    train.add_argument("--epochs", type=int, default=90)
    train.add_argument("--seed", type=int, default=20170601)
    train.add_argument("--split-seed", type=int, default=2017)
    args = parser.parse_args(argv)
    from ..errors import NewsdeskError

    try:
        return _train(args)
    except NewsdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
