"""One unit of batch work: execute one notebook (for one seed, or for the corpus) and export it.

A :class:`Job` is plain data (JSON-serialisable) so any executor — local worker processes, a
Dask cluster — can ship it to a worker and call :func:`execute_job` there, in a fresh kernel
(papermill) or in a warm one (:mod:`._kernel`); both go through :func:`publish_job`.
Outputs appear atomically: the executed notebook, its HTML export and its results folder are
written under hidden ``.partial`` names and renamed into place only when the whole job
succeeded, so an interrupted or failed run never leaves a report that looks complete.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import traceback
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .._atomic import partial_path
from ..errors import NewsdeskError, JobTimeout

if TYPE_CHECKING:
    from ._kernel import WarmKernel

__all__ = ["Job", "JobResult", "JobOutputs", "JobTimeout", "execute_job", "publish_job", "failed_result"]

# papermill wants output names ending in .ipynb; ours end in .partial until they are published.
warnings.filterwarnings("ignore", message=r"The specified file \(.*\.partial\) does not end in", category=UserWarning)

#: Key (and reports folder) of the jobs of notebooks that run once over the whole corpus.
CORPUS_KEY = "corpus"

#: Status values a :class:`JobResult` can carry (``pending``: not finished yet, in the index of a
#: running batch; ``interrupted``: not finished when the batch was stopped).
STATUSES = ("ok", "failed", "timeout", "invalid-seed", "pending", "interrupted")


@dataclass(frozen=True)
class Job:
    """Execute ``notebook`` with ``parameters`` and export it under ``out_dir``.

    Attributes:
        key: the seed id, or ``"corpus"`` for a notebook run once over all seeds.
        notebook: path of the source notebook.
        out_dir: folder of this key's outputs (``reports/<key>``).
        parameters: papermill parameters (the notebook declares each of them).
        kernel: Jupyter kernel name used to execute the notebook.
        keep_code: keep code cells in the HTML export.
        timeout: seconds the whole notebook may take (``None``: no limit).
        inputs: provenance of the job's input files: path → sha256.
        stage: jobs of a stage start only when every job of the earlier stages has finished
            (corpus notebooks, stage 1, read the results the per-seed ones, stage 0, wrote).
    """

    key: str
    notebook: str
    out_dir: str
    parameters: dict[str, Any] = field(default_factory=dict)
    kernel: str = "python3"
    keep_code: bool = False
    timeout: float | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    stage: int = 0

    @property
    def name(self) -> str:
        """The notebook's stem, e.g. ``article_report``."""
        return Path(self.notebook).stem

    @property
    def outputs(self) -> "JobOutputs":
        """Where this job's files go."""
        return JobOutputs.of(self)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Job":
        return cls(**json.loads(text))


@dataclass(frozen=True)
class JobOutputs:
    """Paths a job writes: the executed notebook, its HTML, its results folder, a failure copy."""

    ipynb: Path
    html: Path
    results: Path
    failed_ipynb: Path

    @classmethod
    def of(cls, job: Job) -> "JobOutputs":
        out = Path(job.out_dir)
        return cls(
            ipynb=out / f"{job.name}.ipynb",
            html=out / f"{job.name}.html",
            results=out / f"{job.name}.results",
            failed_ipynb=out / f"{job.name}.failed.ipynb",
        )

    def clear(self) -> None:
        """Remove every output of a previous run (complete, failed or partial)."""
        for path in (self.ipynb, self.html, self.failed_ipynb):
            path.unlink(missing_ok=True)
            partial_path(path).unlink(missing_ok=True)
        for folder in (self.results, partial_path(self.results)):
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class JobResult:
    """What happened to one job."""

    key: str
    notebook: str
    status: str
    duration_s: float
    html: str | None = None
    ipynb: str | None = None
    results: str | None = None
    error: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "JobResult":
        return cls(**json.loads(text))


def failed_result(job: Job, *, status: str, error: str, duration_s: float = 0.0) -> JobResult:
    """A result for a job that produced no report; stale outputs of earlier runs are removed."""
    job.outputs.clear()
    return JobResult(
        key=job.key,
        notebook=job.name,
        status=status,
        duration_s=round(duration_s, 3),
        error=error,
        parameters=dict(job.parameters),
        inputs=dict(job.inputs),
    )


#: Runs a job's notebook into ``target`` with the given parameters; raises when it fails.
NotebookRunner = Callable[[Path, dict[str, Any]], None]


def execute_job(job: Job, kernel: "WarmKernel | None" = None) -> JobResult:
    """Run one job in this process: execute the notebook, export HTML, publish atomically.

    Args:
        job: what to run.
        kernel: a warm kernel to execute in (:class:`~analysis.batch._kernel.WarmKernel`);
            ``None`` starts a fresh kernel through papermill, as a single run would.
    """
    cwd = str(Path(job.notebook).resolve().parent)  # papermill's convention: run beside the notebook
    if kernel is None:
        return publish_job(job, lambda target, parameters: _papermill(job, target, parameters, cwd))
    return publish_job(
        job,
        lambda target, parameters: kernel.execute_notebook(
            job.notebook, target, parameters=parameters, cwd=cwd, timeout=job.timeout
        ),
    )


def _papermill(job: Job, target: Path, parameters: dict[str, Any], cwd: str) -> None:
    import papermill  # imported here: workers pay for it, the CLI's start-up does not

    papermill.execute_notebook(
        job.notebook,
        str(target),
        parameters=parameters,
        kernel_name=job.kernel,
        cwd=cwd,
        progress_bar=False,
        log_output=False,
        execution_timeout=int(job.timeout) if job.timeout else None,
    )


def publish_job(job: Job, run: NotebookRunner) -> JobResult:
    """Execute a job's notebook with ``run``, export it, and publish its outputs atomically.

    The one place that owns a job's files, whichever way the notebook is executed: outputs are
    written under ``.partial`` names and renamed only on success (results folder, executed
    notebook, then the HTML a reader opens); a failure leaves only ``NAME.failed.ipynb``.
    """
    from ._export import export_html

    started = time.perf_counter()
    outputs = job.outputs
    Path(job.out_dir).mkdir(parents=True, exist_ok=True)
    outputs.clear()
    tmp_ipynb, tmp_html = partial_path(outputs.ipynb), partial_path(outputs.html)
    tmp_results = partial_path(outputs.results)
    parameters = dict(job.parameters)
    if "output_dir" in parameters:
        parameters["output_dir"] = str(tmp_results.resolve())
        tmp_results.mkdir(parents=True, exist_ok=True)
    try:
        run(tmp_ipynb, parameters)
        export_html(tmp_ipynb, tmp_html, keep_code=job.keep_code, title=f"{job.name} — {job.key}")
    except Exception as exc:  # any failure of this one notebook is reported, never raised
        if tmp_ipynb.exists():  # keep what ran, under a name that cannot pass for a report
            os.replace(tmp_ipynb, outputs.failed_ipynb)
        for leftover in (tmp_ipynb, tmp_html):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(tmp_results, ignore_errors=True)
        return JobResult(
            key=job.key,
            notebook=job.name,
            status="timeout" if isinstance(exc, JobTimeout) else "failed",
            duration_s=round(time.perf_counter() - started, 3),
            ipynb=str(outputs.failed_ipynb) if outputs.failed_ipynb.exists() else None,
            error=_describe(exc),
            parameters=dict(job.parameters),
            inputs=dict(job.inputs),
        )
    # Publish: results and notebook first, the HTML (what a reader opens) last.
    if tmp_results.exists():
        os.replace(tmp_results, outputs.results)
    os.replace(tmp_ipynb, outputs.ipynb)
    os.replace(tmp_html, outputs.html)
    return JobResult(
        key=job.key,
        notebook=job.name,
        status="ok",
        duration_s=round(time.perf_counter() - started, 3),
        html=str(outputs.html),
        ipynb=str(outputs.ipynb),
        results=str(outputs.results) if outputs.results.exists() else None,
        parameters=dict(job.parameters),
        inputs=dict(job.inputs),
    )


def _describe(exc: BaseException) -> str:
    """One readable paragraph: papermill's errors carry the failing cell's exception."""
    if isinstance(exc, NewsdeskError):  # ours already read as a reason
        return str(exc)
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        cell = getattr(exc, "exec_count", None)
        where = f" in cell [{cell}]" if cell is not None else ""
        return f"{ename}{where}: {evalue}"
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return text or type(exc).__name__

