"""Command line: ``python -m analysis.reorder train [--out DIR] [--seed N]``.

Trains the default pairwise model on every article of the shared ordering corpora and writes
its weights (``pairwise.npz`` + ``pairwise.json``); prints their sha256 so two runs can be
compared byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Sequence

from ..errors import NewsdeskError


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m analysis.reorder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the default pairwise model on the shared corpora")
    train.add_argument("--out", type=Path, default=None, help="output directory (default: the committed model/)")
    train.add_argument("--seed", type=int, default=None, help="training seed (default: the committed one)")
    train.add_argument("--corpus", action="append", default=None, help="corpus name or path (repeatable)")
    args = parser.parse_args(argv)

    from .train import DEFAULT_SEED, ORDER_CORPORA, train_default

    try:
        target = train_default(
            corpora=args.corpus or ORDER_CORPORA,
            out_dir=args.out,
            seed=DEFAULT_SEED if args.seed is None else args.seed,
        )
    except NewsdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name in ("pairwise.npz", "pairwise.json"):
        path = target / name
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
