"""Kernel-side warm-up: pay a kernel's one-off costs before its first notebook, not in every one.

A warm kernel (:mod:`._kernel`) calls :func:`warm_up` once after it starts. Every notebook run in
that kernel afterwards finds pandas, matplotlib and the ``analysis`` package imported and the
spaCy pipeline and both models in memory (their module-level caches are shared on purpose;
everything else is reset between notebooks by :mod:`._isolation`).

Each step may fail without stopping the others: a module another branch renamed or a model
that is not installed only means the first notebook pays that load itself, and the failure
shows in the returned report instead of breaking the batch.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from typing import Callable, Iterator

__all__ = ["warm_up", "analysis_modules"]

#: Subpackages no batch notebook imports: the batch itself and the interactive widgets.
_SKIPPED = ("analysis.batch", "analysis.widgets")


def analysis_modules() -> list[str]:
    """Every importable module of the ``analysis`` package a notebook might use.

    Found by walking the package rather than listed, so a new analysis is warmed without
    editing this file; command-line entry points (``__main__``) are never imported.
    """
    import analysis

    names = []
    for info in pkgutil.walk_packages(analysis.__path__, "analysis.", onerror=lambda name: None):
        name = info.name
        if name.rsplit(".", 1)[-1] == "__main__" or name.startswith(_SKIPPED):
            continue
        names.append(name)
    return sorted(names)


def _steps(pipeline: str | None) -> Iterator[tuple[str, Callable[[], object]]]:
    yield "pandas", lambda: importlib.import_module("pandas")
    yield "matplotlib", _matplotlib
    yield "IPython.display", lambda: importlib.import_module("IPython.display")
    names: list[str] = []
    # Walking the package imports its subpackages, so this step carries most of the import time.
    yield "analysis", lambda: names.extend(analysis_modules())
    for name in names:  # filled once the step above has run (this is a generator)
        yield name, lambda name=name: importlib.import_module(name)
    yield "spacy pipeline", lambda: _pipeline(pipeline)
    yield "claim-stance model", lambda: importlib.import_module("analysis.stance._claim").load_claim_model()
    yield "reordering model", _reordering_model


def _matplotlib() -> None:
    plt = importlib.import_module("matplotlib.pyplot")
    # pyplot loads its backend on the first figure; in a kernel that is the inline backend,
    # which registers its PNG formatter and figure flushing then. It must happen here, before
    # the baseline is recorded, or resetting to the baseline would drop them after one notebook.
    plt.close(plt.figure())


def _pipeline(pipeline: str | None) -> None:
    nlp = importlib.import_module("analysis._nlp").load_pipeline(pipeline)
    nlp("Warm-up sentence for the pipeline.")  # first call initialises lazily built tables


def _reordering_model() -> None:
    reorder = importlib.import_module("analysis.ordering")
    # reorder() keeps one shared instance per method; loading the weights of that instance is
    # what later notebooks reuse (make_method() alone would build a throwaway copy).
    shared = getattr(reorder, "_shared_instance", reorder.make_method)
    shared("pairwise").model


def warm_up(pipeline: str | None = None) -> dict[str, str]:
    """Import what notebooks use and load the models once; report each step.

    Args:
        pipeline: spaCy pipeline the batch's notebooks will ask for (``None``: the default one).

    Returns:
        step name → ``"ok 0.12 s"`` or ``"skipped: ErrorType: message"``; never raises for a step.
    """
    report: dict[str, str] = {}
    for name, step in _steps(pipeline):
        started = time.perf_counter()
        try:
            step()
        except Exception as exc:  # see the module docstring: a failed step only loses its head start
            report[name] = f"skipped: {type(exc).__name__}: {exc}".splitlines()[0]
        else:
            report[name] = f"ok {time.perf_counter() - started:.2f} s"
    return report
