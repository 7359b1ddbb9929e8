"""All analyses of an article against one raw spaCy parse of its texts, in one process.

The reference is one ``nlp.pipe`` over the title and sentences of every article (one Doc per
line, the same batch size) with the pipeline as ``spacy.load`` returns it. A second reference,
printed beside it, is the same ``nlp.pipe`` with the workspace's loaded pipeline (numpy's BLAS for
the matrix products, see :func:`analysis._nlp._use_numpy_matmul`), so the tables' share can be
read against a parse that is as fast as the workspace's own. The measured run is what a report computes: :func:`analyse_many`
(parse once, repair, parse the repaired lines), then the entity, stance and reordering tables
of every article. Both start from empty caches (a fresh annotation cache folder, nothing in
memory), both after the same warm-up, alternating, ``--repeats`` times; the table gives the
medians and their ratio (target: ≤ 1.25).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/analyses.py --corpus fnc1-order-dev --articles 100
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

os.environ.setdefault("OMP_NUM_THREADS", "1")


def all_analyses(analysed) -> dict:
    """What the article report computes, from one analysed article (nothing is parsed here)."""
    from analysis.entities import cooccurrence, entity_frequency, mentions, repairs_table
    from analysis.ordering import reorder
    from analysis._report import article_overview
    from analysis.stance import stance_results

    return {
        "overview": article_overview(analysed, as_dict=True),
        "mentions": mentions(analysed),
        "entities": entity_frequency(analysed),
        "cooccurrence": cooccurrence(analysed, top_n=10),
        "repairs": repairs_table(analysed),
        "stance": stance_results(analysed),
        "reordering": reorder(analysed),
    }


def _fresh_caches() -> None:
    import analysis._analysed as analysed_module
    import analysis._nlp as nlp_module

    os.environ["NEWSDESK_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsdesk-bench-")
    with nlp_module._MEMORY_LOCK:
        nlp_module._MEMORY.clear()
    with analysed_module._RECENT_LOCK:
        analysed_module._RECENT.clear()


def _timed(run: Callable[[], object]) -> float:
    _fresh_caches()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(articles: Sequence, *, repeats: int = 3, batch_size: int = 256) -> dict[str, object]:
    """Median seconds of the raw parse and of all analyses over ``articles``, and per stage."""
    import spacy

    from analysis._analysed import analyse_many
    from analysis._nlp import load_pipeline, resolve_pipeline
    from analysis.ordering import reorder
    from analysis.stance._claim import load_claim_model

    nlp = load_pipeline()
    stock = spacy.load(resolve_pipeline())
    texts = [t for a in articles for t in (a.title, *a.sentences)]
    # Warm-up: models loaded, code paths imported, before either side is timed.
    load_claim_model()
    warm = analyse_many(articles[:2])
    for a in warm:
        all_analyses(a)
        reorder(a)

    list(stock.pipe(texts[:200], batch_size=batch_size))

    def raw() -> None:
        list(stock.pipe(texts, batch_size=batch_size))

    def loaded() -> None:
        list(nlp.pipe(texts, batch_size=batch_size))

    stages: dict[str, list[float]] = {}

    def full() -> None:
        started = time.perf_counter()
        analysed = analyse_many(articles, batch_size=batch_size)
        stages.setdefault("analyse_many (parse + repair)", []).append(time.perf_counter() - started)
        started = time.perf_counter()
        for a in analysed:
            all_analyses(a)
        stages.setdefault("analyses (no parsing)", []).append(time.perf_counter() - started)

    raw_times, loaded_times, full_times = [], [], []
    for _ in range(repeats):
        raw_times.append(_timed(raw))
        loaded_times.append(_timed(loaded))
        full_times.append(_timed(full))
    return {
        "articles": len(articles),
        "texts": len(texts),
        "raw": statistics.median(raw_times),
        "loaded": statistics.median(loaded_times),
        "full": statistics.median(full_times),
        "stages": {k: statistics.median(v) for k, v in stages.items()},
    }


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from analysis._seeds import load_corpus, shared_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", default=["fnc1-order-dev", "conll2003-dev"])
    parser.add_argument("--articles", type=int, default=100, help="articles per corpus (first N by name)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    print(
        "| corpus | articles | texts | raw nlp.pipe, stock (s) | all analyses (s) | ratio | "
        "raw nlp.pipe, numpy BLAS (s) | ratio to it | parse + repair (s) | tables (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in args.corpus:
        articles = load_corpus(shared_dir() / "corpora" / name / "articles").articles[: args.articles]
        m = measure(articles, repeats=args.repeats)
        stages = m["stages"]
        print(
            f"| {name} | {m['articles']} | {m['texts']} | {m['raw']:.2f} | {m['full']:.2f} | "
            f"{m['full'] / m['raw']:.2f} | {m['loaded']:.2f} | {m['full'] / m['loaded']:.2f} | "
            f"{stages['analyse_many (parse + repair)']:.2f} | "
            f"{stages['analyses (no parsing)']:.2f} |",
            flush=True,
        )
    print(f"\nmedians of {args.repeats} alternating runs, one process, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
