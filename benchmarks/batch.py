"""Batch throughput: 10, 100 and 1,000 articles through ``python -m analysis batch``.

For each size, seeds are copied from the development corpora (``conll2003-dev``,
``fnc1-order-dev``, ``conll2003-train``, ``fnc1-order-train``; the four interleaved in sorted
order, so every size mixes them and the choice is the same on every run) into a temporary
folder, and the batch runs as ``make reports`` runs it (default notebooks, ``--kernel newsdesk``)
with a fresh annotation cache. Printed as markdown: wall time, cost per article (wall ÷
articles), peak memory (RSS of the whole process tree, sampled), failures; beside them,
measured in the same run, one bare papermill run of an empty notebook in the same kernel
(median of 3) and one raw ``nlp.pipe`` over the same texts (title and each sentence, one Doc
each). Needs ../shared/corpora (or $NEWSDESK_SHARED).

    .venv/bin/python benchmarks/batch.py [--sizes 10 100 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
CORPORA = ("conll2003-dev", "fnc1-order-dev", "conll2003-train", "fnc1-order-train")
KERNEL = "newsdesk"


def choose_seeds(n: int) -> list[Path]:
    """The first ``n`` articles of the four corpora, interleaved (deterministic)."""
    lists = [sorted((SHARED / "corpora" / name / "articles").glob("*.txt")) for name in CORPORA]
    chosen: list[Path] = []
    for i in range(max(map(len, lists), default=0)):
        chosen += [files[i] for files in lists if i < len(files)]
    if len(chosen) < n:
        raise SystemExit(f"only {len(chosen)} articles in {SHARED / 'corpora'}; asked for {n}")
    return chosen[:n]


def copy_seeds(paths: Sequence[Path], folder: Path) -> None:
    for path in paths:
        shutil.copy(path, folder / f"{path.parent.parent.name}__{path.name}")  # corpora reuse names


class PeakRSS:
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        self.pid, self.every_s, self.peak = pid, every_s, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                total = 0
                for proc in [root] + root.children(recursive=True):
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            self._stop.wait(self.every_s)


def run_batch(seeds: Path, out: Path, workers: int, cache: Path) -> dict[str, Any]:
    """One batch as ``make reports`` runs it; wall time, peak memory and the manifest's summary."""
    env = {**os.environ, "NEWSDESK_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "analysis", "batch", "--seeds", str(seeds), "--out", str(out),
               "--workers", str(workers), "--kernel", KERNEL, "--no-progress"]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRSS(proc.pid) as memory:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    manifest_path = out / "manifest.json"
    if not manifest_path.is_file():
        raise SystemExit(f"batch wrote no manifest (exit {proc.returncode}): {stderr.strip()[-2000:]}")
    manifest = json.loads(manifest_path.read_text())
    jobs = manifest["jobs"]
    return {
        "wall_s": wall,
        "peak_rss": memory.peak,
        "notebook_runs": len(jobs),
        "failures": sum(j["status"] != "ok" for j in jobs),
        "failed": [f"{j['key']}/{j['notebook']}: {j['status']}" for j in jobs if j["status"] != "ok"][:5],
    }


def bare_papermill(workdir: Path, repeats: int = 3) -> float:
    """Median seconds of one papermill run of an empty notebook in the batch's kernel."""
    import nbformat
    import papermill

    empty = workdir / "empty.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": KERNEL, "language": "python"}
    nbformat.write(nb, str(empty))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        papermill.execute_notebook(str(empty), str(workdir / "empty.out.ipynb"), kernel_name=KERNEL, progress_bar=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def raw_parse(seeds: Path) -> tuple[float, list[Any]]:
    """Seconds of one ``nlp.pipe`` over every article's title and sentences (the pipeline as
    ``spacy.load`` returns it, already loaded and warm)."""
    import spacy

    from analysis import load_corpus
    from analysis._nlp import resolve_pipeline

    articles = load_corpus(seeds).articles
    texts = [text for article in articles for text in (article.title, *article.sentences)]
    nlp = spacy.load(resolve_pipeline())
    list(nlp.pipe(texts[:200]))
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - started, articles


def analyses_ratio(articles: Sequence[Any]) -> float | None:
    """Seconds of the report's analyses run in-process over ``articles`` ÷ seconds of a raw parse
    of their texts (``benchmarks/analyses.py``, one repeat: fresh caches, both warm).

    Measured up to 100 articles: beyond that the ratio is the same and costs minutes to confirm.
    """
    if len(articles) > 100:
        return None
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from analyses import measure

    result = measure(list(articles), repeats=1)
    return result["full"] / result["raw"]


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1000], help="numbers of articles")
    parser.add_argument("--workers", type=int, default=2, help="batch workers (default: 2)")
    args = parser.parse_args(argv)
    if not (SHARED / "corpora").is_dir():
        print(f"development corpora not found in {SHARED / 'corpora'}", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        tmp = Path(tmp)
        bare = bare_papermill(tmp)
        for n in sorted(args.sizes):
            seeds, out, cache = tmp / f"seeds-{n}", tmp / f"reports-{n}", tmp / f"cache-{n}"
            seeds.mkdir()
            copy_seeds(choose_seeds(n), seeds)
            batch = run_batch(seeds, out, args.workers, cache)
            parse_s, articles = raw_parse(seeds)
            rows.append({"n": n, **batch, "parse_s": parse_s, "ratio": analyses_ratio(articles)})
            print(f"... {n} articles: {batch['wall_s']:.1f} s, {batch['failures']} failures {batch['failed']}", file=sys.stderr)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
    print(f"Batch of the default notebooks, {args.workers} workers, kernel `{KERNEL}`, fresh annotation cache. "
          f"Bare papermill run of an empty notebook: {bare:.2f} s (median of 3).\n")
    print("| articles | notebook runs | wall (s) | cost / article (s) | ÷ bare papermill | peak RSS (MiB) | failures "
          "| raw `nlp.pipe` (s) | parse / article (s) | analyses ÷ raw parse |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        cost = r["wall_s"] / r["n"]
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(f"| {r['n']:,} | {r['notebook_runs']:,} | {r['wall_s']:.1f} | {cost:.3f} | {cost / bare:.2f} | "
              f"{_mib(r['peak_rss'])} | {r['failures']} | {r['parse_s']:.1f} | {r['parse_s'] / r['n']:.3f} | {ratio} |")
    print("\nGrowth: marginal cost of the articles added since the previous size (fixed start-up excluded).\n")
    print("| from → to | wall added (s) | per added article (s) | ÷ bare papermill |")
    print("| --- | ---: | ---: | ---: |")
    previous = {"n": 0, "wall_s": 0.0}
    for r in rows:
        added = r["n"] - previous["n"]
        per = (r["wall_s"] - previous["wall_s"]) / added
        print(f"| {previous['n']:,} → {r['n']:,} | {r['wall_s'] - previous['wall_s']:.1f} | {per:.3f} | {per / bare:.2f} |")
        previous = r
    return 0


if __name__ == "__main__":
    sys.exit(main())
