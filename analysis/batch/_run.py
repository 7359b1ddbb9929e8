"""Run a batch: plan the jobs, execute them with an executor, write the index and manifest."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from ._config import BatchConfig
from ._executors import EXECUTORS, get_executor
from ._index import environment, write_index, write_manifest
from ._lock import batch_lock
from ._jobs import JobResult
from ._plan import Plan, discover_notebooks, plan_jobs, stages

__all__ = ["BatchConfig", "BatchResult", "run_batch"]


class BatchResult(NamedTuple):
    """Every job's result, and where the index and manifest were written."""

    results: list[JobResult]
    index: Path
    manifest: Path

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failed


def run_batch(config: BatchConfig | str | Path = "seeds", **options: Any) -> BatchResult:
    """Execute every chosen notebook for every seed and write the reports.

    One refused seed or failing notebook never stops the others: each becomes a failed
    :class:`~analysis.batch._jobs.JobResult`, listed in ``index.html`` and ``manifest.json``.

    Args:
        config: the batch's settings (:class:`~analysis.batch._config.BatchConfig`), or the seeds
            folder; ``options`` are :class:`BatchConfig` fields that set or override settings,
            e.g. ``run_batch("seeds", out_dir="reports", workers=2)``.

    Raises:
        UnknownMethodError: no executor has the configured name.
        PluginLoadError: the executor is another package's entry point, and it failed to load.
    """
    from tqdm.auto import tqdm

    if not isinstance(config, BatchConfig):
        config = BatchConfig(seeds=config, **options)
    elif options:
        config = config.replace(**options)
    # Before the reports folder is touched: a misspelt or broken executor leaves no index that
    # says a batch is running.
    EXECUTORS.get(config.executor)
    out_dir = config.out_dir
    with batch_lock(out_dir):  # one batch per reports folder, for its whole run
        chosen = list(config.notebooks) or discover_notebooks(config.notebooks_dir, include_on_request=config.all_notebooks)
        plan = plan_jobs(config, chosen)
        for job in plan.stale:  # a seed refused now: its earlier reports would contradict the index
            job.outputs.clear()
        settings = config.settings(chosen)
        index_path, manifest_path = out_dir / "index.html", out_dir / "manifest.json"
        results: list[JobResult] = []
        finished: list[JobResult] = []  # as the executor reports them, for the index of a running batch
        progress_index = _ProgressIndex(index_path, manifest_path, plan, settings)
        progress_index.write(finished)  # from now on neither file lists a report that is not there
        bar = tqdm(total=len(plan.jobs), desc="notebooks", unit="nb", file=sys.stderr, disable=not config.progress)

        def done(result: JobResult) -> None:
            bar.update(1)
            finished.append(result)
            progress_index.write(finished, at_most_every_s=1.0)
            if not result.ok:
                bar.write(f"FAILED {result.key} / {result.notebook}: {result.error}", file=sys.stderr)

        engine: dict[str, Any] = {"workers": config.workers}
        if config.scheduler:
            engine["scheduler"] = config.scheduler
        runner = get_executor(config.executor, **engine)
        try:
            # One executor for every stage: its workers and their warm kernels serve them all.
            for stage in stages(plan.jobs):
                results += runner.run(stage, on_result=done)
        except BaseException:
            # Interrupted: the index and manifest say what was finished and what was not.
            progress_index.write(finished, unfinished="interrupted", title="newsdesk reports (interrupted run)")
            raise
        finally:
            getattr(runner, "close", lambda: None)()
            bar.close()
        results = sorted(plan.refused + results, key=lambda r: (r.key, r.notebook))
        manifest = write_manifest(
            manifest_path, results, settings=settings, env=environment(config.pipeline)
        )
        index = write_index(index_path, results, dashboard=True)
        return BatchResult(results, index, manifest)


class _ProgressIndex:
    """Index and manifest while a batch runs: finished jobs as they finish, the rest ``pending``."""

    def __init__(self, index: Path, manifest: Path, plan: Plan, settings: dict[str, Any]) -> None:
        self.index, self.manifest, self.plan, self.settings = index, manifest, plan, settings
        self._written = float("-inf")

    def write(self, finished: Sequence[JobResult], *, at_most_every_s: float = 0.0, unfinished: str = "pending",
              title: str = "newsdesk reports (batch running)") -> None:
        now = time.monotonic()
        if now - self._written < at_most_every_s:
            return
        self._written = now
        done = {(r.key, r.notebook) for r in finished}
        rest = [
            JobResult(key=job.key, notebook=job.name, status=unfinished, duration_s=0.0,
                      parameters=dict(job.parameters), inputs=dict(job.inputs))
            for job in self.plan.jobs
            if (job.key, job.name) not in done
        ]
        rows = sorted([*self.plan.refused, *finished, *rest], key=lambda r: (r.key, r.notebook))
        write_manifest(self.manifest, rows, settings=self.settings, env={})
        write_index(self.index, rows, title=title)
