"""Turn seeds and notebooks into jobs.

A notebook's ``parameters`` cell says how it is run: one that declares ``seed_path`` runs once
per seed; one that declares ``seeds_glob`` runs once over the whole corpus (key ``corpus``),
in a later stage than the per-seed jobs, because it reads the results files they write (its
``reports_dir`` parameter, if declared, is the reports folder; its ``seed_paths``, if declared,
the exact list of accepted seeds, so it never expands a pattern again). Only parameters a
notebook declares are passed to it; a ``gold.jsonl`` beside the seeds (the analyst's gold orders)
goes to the notebooks that declare ``gold_path``. Seeds are checked first as files (:mod:`analysis._seeds`)
and then by their ids as folder names (:mod:`._ids`); planning reads but never writes.

By default a batch runs every corpus notebook and every per-seed notebook except those whose
notebook metadata says ``{"newsdesk": {"batch": "on-request"}}`` (deep dives whose tables the
report already holds): they run only when named, or with ``include_on_request``.
"""

from __future__ import annotations

import glob
import hashlib
import os
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

from ..errors import NewsdeskError
from .._gold import GOLD_FILE, load_gold
from .._seeds import load_corpus
from ._config import BatchConfig
from ._ids import check_ids, safe_to_clear
from ._jobs import CORPUS_KEY, Job, JobResult

__all__ = ["Plan", "plan_jobs", "notebook_parameters", "discover_notebooks", "resolve_notebooks", "stages", "CORPUS_KEY"]

#: Stage of per-seed jobs, and of corpus jobs (which run after every per-seed job finished).
SEED_STAGE, CORPUS_STAGE = 0, 1
ON_REQUEST = "on-request"


class Plan(NamedTuple):
    """Jobs to run, results already known (refused seeds), and the jobs of refused seeds whose
    earlier reports a run removes (planning itself never touches the disk)."""

    jobs: list[Job]
    refused: list[JobResult]
    stale: tuple[Job, ...] = ()


def notebook_parameters(notebook: str | Path) -> dict[str, Any]:
    """Names and defaults of the parameters a notebook declares (papermill's inspection)."""
    import papermill

    try:
        return {name: spec.get("default") for name, spec in papermill.inspect_notebook(str(notebook)).items()}
    except Exception as exc:
        raise NewsdeskError(f"{notebook}: cannot read its parameters cell ({exc})") from None


def batch_mode(notebook: str | Path) -> str | None:
    """The notebook's ``newsdesk.batch`` metadata (``"on-request"`` or ``None``)."""
    import nbformat

    try:
        metadata = nbformat.read(str(notebook), as_version=4).metadata
    except Exception as exc:
        raise NewsdeskError(f"{notebook}: cannot read the notebook ({exc})") from None
    return (metadata.get("newsdesk") or {}).get("batch")


def discover_notebooks(folder: str | Path, *, include_on_request: bool = False) -> list[Path]:
    """Notebooks in ``folder`` that a batch runs by default.

    Per-seed (``seed_path``) and corpus (``seeds_glob``) notebooks; interactive ones are
    skipped, and so are per-seed ones marked ``on-request`` unless ``include_on_request``.
    """
    found = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        declared = notebook_parameters(path)
        if "seeds_glob" in declared:
            found.append(path)
        elif "seed_path" in declared and (include_on_request or batch_mode(path) != ON_REQUEST):
            found.append(path)
    return found


def resolve_notebooks(names: Sequence[str | Path], folder: str | Path) -> list[Path]:
    """Notebooks named on the command line: a path, or a name in ``folder`` (``stance``, ``stance.ipynb``).

    Raises:
        NewsdeskError: a name matches no notebook.
    """
    found = []
    for name in map(str, names):
        candidates = [Path(name), Path(folder) / name, Path(folder) / f"{name}.ipynb"]
        match = next((c for c in candidates if c.is_file()), None)
        if match is None:
            raise NewsdeskError(f"{name}: notebook not found (neither a path nor a notebook in {folder})")
        found.append(match)
    return found


def stages(jobs: Sequence[Job]) -> list[list[Job]]:
    """Jobs grouped by stage, in order: a stage starts when the previous one has finished."""
    return [[job for job in jobs if job.stage == stage] for stage in sorted({job.stage for job in jobs})]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plan_jobs(
    seeds: str | Path | BatchConfig,
    notebooks: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    pattern: str = "*.txt",
    kernel: str = "python3",
    keep_code: bool = False,
    timeout: float | None = None,
    parameters: dict[str, Any] | None = None,
) -> Plan:
    """Plan the jobs of a batch.

    Args:
        seeds: folder of seed files, or the batch's :class:`~analysis.batch._config.BatchConfig`
            (then its settings are used and the keyword options below are ignored).
        notebooks: notebooks to run.
        out_dir: the reports folder; each key gets ``out_dir/<key>/``.
        pattern: glob selecting the seed files in ``seeds``.
        kernel: Jupyter kernel name to execute with.
        keep_code: keep code cells in the HTML exports.
        timeout: seconds a notebook may take.
        parameters: extra parameters (e.g. ``pipeline``), each given to the notebooks that declare it.

    Raises:
        NewsdeskError: a notebook is missing, or a parameter is declared by none of the notebooks.
    """
    if not isinstance(seeds, BatchConfig):
        seeds = BatchConfig(seeds=seeds, out_dir=out_dir, pattern=pattern, kernel=kernel, keep_code=keep_code,
                            timeout=timeout, parameters=parameters or {})
    config = seeds
    seeds, out_dir, pattern, kernel = config.seeds, config.out_dir, config.pattern, config.kernel
    keep_code, timeout, parameters = config.keep_code, config.timeout, dict(config.parameters)
    corpus = load_corpus(seeds, pattern=pattern)
    accepted, id_errors = check_ids(corpus.articles)
    errors = sorted([*corpus.errors, *id_errors], key=lambda e: str(e.path))
    declared_by = {}
    for notebook in map(Path, notebooks):
        if not notebook.is_file():
            raise NewsdeskError(f"{notebook}: notebook not found")
        declared_by[notebook] = notebook_parameters(notebook)
    unknown = [name for name in parameters if not any(name in d for d in declared_by.values())]
    if unknown:
        raise NewsdeskError(f"parameter(s) {', '.join(unknown)} declared by none of the notebooks")
    gold_path = seeds / GOLD_FILE
    # Each article's record is one of its inputs, so saving a correction re-runs that article only.
    gold = {key: hashlib.sha256("\n".join(s).encode("utf-8")).hexdigest()
            for key, s in load_gold(gold_path).items()} if gold_path.is_file() else {}

    jobs: list[Job] = []
    refused: list[JobResult] = []
    stale: list[Job] = []
    for notebook, declared in declared_by.items():
        common = {k: v for k, v in parameters.items() if k in declared}
        if "output_dir" in declared:
            common["output_dir"] = "results"  # replaced by the job's own folder when it runs
        if gold and "gold_path" in declared and "gold_path" not in parameters:
            common["gold_path"] = str(gold_path.resolve())
        base = dict(
            notebook=str(notebook),
            kernel=kernel,
            keep_code=keep_code,
            timeout=timeout,
        )
        nb_input = {str(notebook): _sha256(notebook)}
        if "seed_path" in declared:
            for article in accepted:
                jobs.append(
                    Job(
                        key=article.id,
                        out_dir=str(out_dir / article.id),
                        parameters={**common, "seed_path": str(Path(article.path).resolve())},
                        inputs={str(article.path): article.sha256, **nb_input,
                                **({f"{gold_path}#{article.id}": gold[article.id]}
                                   if article.id in gold and "gold_path" in common else {})},
                        **base,
                    )
                )
            for error in errors:
                key = Path(error.path).stem
                refused.append(JobResult(key=key, notebook=notebook.stem, status="invalid-seed", duration_s=0.0,
                                         error=str(error)))
                if safe_to_clear(key, accepted):  # never a folder outside the reports, or another seed's
                    stale.append(Job(key=key, out_dir=str(out_dir / key), **base))
        else:
            if "seed_paths" in declared:  # the exact seeds accepted here, not a pattern to expand again
                common["seed_paths"] = [str(Path(a.path).resolve()) for a in accepted]
            if "seeds_glob" in declared:
                common["seeds_glob"] = os.path.join(glob.escape(str(seeds.resolve())), pattern)
            if "reports_dir" in declared:
                common["reports_dir"] = str(out_dir.resolve())
            inputs = {str(a.path): a.sha256 for a in accepted}
            jobs.append(
                Job(key=CORPUS_KEY, out_dir=str(out_dir / CORPUS_KEY), parameters=common, inputs={**inputs, **nb_input},
                    stage=CORPUS_STAGE, **base)
            )
    jobs.sort(key=lambda job: job.stage)  # stable: per-seed jobs first, each stage in plan order
    return Plan(jobs, refused, tuple(stale))


def describe(plan: Plan) -> Iterable[str]:
    """Human-readable lines, one per job in the order of their stages, for ``--dry-run``."""
    for job in plan.jobs:
        yield f"{job.key:<24} {job.name:<24} {job.parameters}"
    for result in plan.refused:
        yield f"{result.key:<24} {result.notebook:<24} REFUSED: {result.error}"
