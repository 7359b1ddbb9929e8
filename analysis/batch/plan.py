"""Turn seeds and notebooks into jobs.

A notebook's ``parameters`` cell says how it is run: one that declares ``seed_path`` runs once
per seed; one that declares ``seeds_glob`` runs once over the whole corpus (key ``corpus``).
Only parameters a notebook declares are passed to it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

from ..errors import NewsdeskError
from ..seeds import load_corpus
from .jobs import Job, JobResult, failed_result

__all__ = ["Plan", "plan_jobs", "notebook_parameters", "discover_notebooks", "CORPUS_KEY"]

CORPUS_KEY = "corpus"


class Plan(NamedTuple):
    """Jobs to run, and results already known (seeds refused by the parser)."""

    jobs: list[Job]
    refused: list[JobResult]


def notebook_parameters(notebook: str | Path) -> dict[str, Any]:
    """Names and defaults of the parameters a notebook declares (papermill's inspection)."""
    import papermill

    try:
        return {name: spec.get("default") for name, spec in papermill.inspect_notebook(str(notebook)).items()}
    except Exception as exc:
        raise NewsdeskError(f"{notebook}: cannot read its parameters cell ({exc})") from None


def discover_notebooks(folder: str | Path) -> list[Path]:
    """Notebooks in ``folder`` that run per seed or per corpus (interactive ones are skipped)."""
    found = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        declared = notebook_parameters(path)
        if "seed_path" in declared or "seeds_glob" in declared:
            found.append(path)
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plan_jobs(
    seeds: str | Path,
    notebooks: Sequence[str | Path],
    out_dir: str | Path,
    *,
    pattern: str = "*.txt",
    kernel: str = "python3",
    keep_code: bool = False,
    timeout: float | None = None,
    parameters: dict[str, Any] | None = None,
) -> Plan:
    """Plan the jobs of a batch.

    Args:
        seeds: folder of seed files.
        notebooks: notebooks to run.
        out_dir: the reports folder; each key gets ``out_dir/<key>/``.
        pattern: glob selecting the seed files in ``seeds``.
        kernel: Jupyter kernel name to execute with.
        keep_code: keep code cells in the HTML exports.
        timeout: seconds a notebook may take.
        parameters: extra parameters (e.g. ``model``), each given to the notebooks that declare it.

    Raises:
        NewsdeskError: a notebook is missing, or a parameter is declared by none of the notebooks.
    """
    seeds, out_dir = Path(seeds), Path(out_dir)
    parameters = dict(parameters or {})
    corpus = load_corpus(seeds, pattern=pattern)
    declared_by = {}
    for notebook in map(Path, notebooks):
        if not notebook.is_file():
            raise NewsdeskError(f"{notebook}: notebook not found")
        declared_by[notebook] = notebook_parameters(notebook)
    unknown = [name for name in parameters if not any(name in d for d in declared_by.values())]
    if unknown:
        raise NewsdeskError(f"parameter(s) {', '.join(unknown)} declared by none of the notebooks")

    jobs: list[Job] = []
    refused: list[JobResult] = []
    for notebook, declared in declared_by.items():
        common = {k: v for k, v in parameters.items() if k in declared}
        if "output_dir" in declared:
            common["output_dir"] = "results"  # replaced by the job's own folder when it runs
        base = dict(
            notebook=str(notebook),
            kernel=kernel,
            keep_code=keep_code,
            timeout=timeout,
        )
        nb_input = {str(notebook): _sha256(notebook)}
        if "seed_path" in declared:
            for article in corpus.articles:
                jobs.append(
                    Job(
                        key=article.id,
                        out_dir=str(out_dir / article.id),
                        parameters={**common, "seed_path": str(Path(article.path).resolve())},
                        inputs={str(article.path): article.sha256, **nb_input},
                        **base,
                    )
                )
            for error in corpus.errors:
                job = Job(key=Path(error.path).stem, out_dir=str(out_dir / Path(error.path).stem), **base)
                refused.append(failed_result(job, status="invalid-seed", error=str(error)))
        else:
            if "seeds_glob" in declared:
                common["seeds_glob"] = str(seeds.resolve() / pattern)
            inputs = {str(a.path): a.sha256 for a in corpus.articles}
            jobs.append(
                Job(key=CORPUS_KEY, out_dir=str(out_dir / CORPUS_KEY), parameters=common, inputs={**inputs, **nb_input}, **base)
            )
    return Plan(jobs, refused)


def describe(plan: Plan) -> Iterable[str]:
    """Human-readable lines, one per job, for ``--dry-run``."""
    for job in plan.jobs:
        yield f"{job.key:<24} {job.name:<24} {job.parameters}"
    for result in plan.refused:
        yield f"{result.key:<24} {result.notebook:<24} REFUSED: {result.error}"
