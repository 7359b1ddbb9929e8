"""The Dask executor: the batch's jobs on a ``distributed`` cluster.

By default it starts a :class:`distributed.LocalCluster` on the loopback interface
(``workers`` processes, one thread each, no dashboard); ``scheduler`` connects to a running
cluster instead, whose workers must see the same file system (they write the reports) and
have this package installed. Each worker process keeps one warm kernel
(:mod:`._dask_worker`); a task is :func:`~analysis.batch._dask_worker.run_job`, the same code a
local worker runs, so isolation, per-notebook timeouts and atomic publication are identical,
and the runner writes the same index and manifest.

Beyond what the cluster does itself (a nanny restarts a dead worker; Dask reschedules the task
a dead worker held, a few times, before it fails with ``KilledWorker``), a watchdog here cancels
a task that has run longer than its timeout plus a grace period and restarts its worker.
On Ctrl-C or SIGTERM every task is cancelled and every worker's kernel killed, so nothing
half-written is published.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from typing import Any, Sequence

from ._executors import OnResult, register_executor
from ._jobs import Job, JobResult, failed_result

__all__ = ["DaskExecutor"]

log = logging.getLogger(__name__)

#: Seconds beyond a job's timeout before a running task is presumed hung (see :mod:`._local`).
GRACE_S = 90.0


@register_executor("dask")
class DaskExecutor:
    """Run jobs as Dask tasks, one warm kernel per worker process.

    Args:
        workers: worker processes of the local cluster (default: the number of CPUs); ignored
            with ``scheduler``.
        scheduler: address of a running scheduler (``tcp://host:8786``); default: a local cluster.
        grace_s: seconds beyond a job's timeout before its task is cancelled and its worker restarted.
    """

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None, grace_s: float = GRACE_S) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.scheduler, self.grace_s = scheduler, grace_s
        self._client: Any = None
        self._cluster: Any = None
        self._started: dict[str, tuple[float, str]] = {}  # task key -> (start time, worker address)

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connect(self, first: Job) -> Any:
        if self._client is not None:
            return self._client
        from distributed import Client, LocalCluster

        from ._dask_worker import PLUGIN_NAME, TOPIC, WarmKernelPlugin

        if self.scheduler:
            self._client = Client(self.scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, worker_dashboard_address=None, silence_logs=logging.ERROR,
                memory_limit=0,  # the kernels hold the memory, not the workers; never pause or kill a worker for it
            )
            self._client = Client(self._cluster)
        self._client.subscribe_topic(TOPIC, self._on_event)
        plugin = WarmKernelPlugin(first.kernel, first.parameters.get("pipeline"))
        self._client.register_plugin(plugin, name=PLUGIN_NAME)
        return self._client

    def _on_event(self, event: tuple[float, dict[str, Any]]) -> None:
        _, message = event
        self._started[message["task"]] = (message["started"], message["worker"])

    def run(self, jobs: Sequence[Job], *, on_result: OnResult | None = None) -> list[JobResult]:
        if not jobs:
            return []
        from ._dask_worker import run_job

        client = self._connect(jobs[0])
        pending: dict[Any, Job] = {}
        for job in jobs:
            key = f"newsdesk-{job.name}-{job.key}-{uuid.uuid4().hex[:8]}"
            pending[client.submit(run_job, job.to_json(), key=key, pure=False)] = job
        results: list[JobResult] = []
        try:
            while pending:
                batch = [self._result(f, pending.pop(f)) for f in [f for f in pending if f.done()]]
                batch += [self._stop_overdue(f, pending.pop(f)) for f in self._overdue(pending)]
                for result in batch:
                    results.append(result)
                    if on_result:
                        on_result(result)
                if pending and not batch:
                    time.sleep(0.2)  # polling keeps Ctrl-C responsive and lets the watchdog look
        except BaseException:
            self.abort(list(pending))
            raise
        return results

    def _result(self, future: Any, job: Job) -> JobResult:
        self._started.pop(future.key, None)
        try:
            return JobResult.from_json(future.result())
        except Exception as exc:  # the task never ran to the end: e.g. KilledWorker after repeated worker deaths
            reason = str(exc).splitlines()[0] if str(exc) else ""
            return failed_result(job, status="failed", error=f"dask task failed: {type(exc).__name__}: {reason}".rstrip(": "))

    def _overdue(self, pending: dict[Any, Job]) -> list[Any]:
        now = time.time()
        late = []
        for future, job in pending.items():
            started = self._started.get(future.key)
            if job.timeout and started and now - started[0] > job.timeout + self.grace_s:
                late.append(future)
        return late

    def _stop_overdue(self, future: Any, job: Job) -> JobResult:
        started, worker = self._started.pop(future.key)
        future.cancel(force=True)
        try:
            self._client.restart_workers([worker], raise_for_error=False)
        except Exception as exc:  # a worker without a nanny cannot be restarted; it stays busy
            log.warning("cannot restart Dask worker %s: %s", worker, exc)
        limit = job.timeout + self.grace_s
        return failed_result(
            job, status="timeout", duration_s=time.time() - started,
            error=f"task did not finish within {limit:g} s (timeout {job.timeout:g} s + {self.grace_s:g} s grace); "
            "it was cancelled and its worker restarted",
        )

    def abort(self, futures: Sequence[Any] = ()) -> None:
        """Cancel the batch's tasks and kill every worker's kernel (interrupted batch)."""
        if self._client is None:
            return
        from ._dask_worker import kill_kernel

        try:
            self._client.cancel(list(futures), force=True)
            self._client.run(kill_kernel, wait=True, timeout=10)
        except Exception as exc:
            log.warning("could not stop every Dask worker's kernel: %s", exc)
        self.close()

    def close(self) -> None:
        """Disconnect; a cluster started here is shut down with its workers and their kernels."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            try:
                client.close(timeout=30)
            except Exception as exc:
                log.debug("closing the Dask client: %s", exc)
        if cluster is not None:
            try:
                cluster.close(timeout=30)
            except Exception as exc:
                log.debug("closing the local cluster: %s", exc)
