"""Executors: how a list of jobs gets run.

The batch runner only needs ``executor.run(jobs, on_result=...)``; an executor is looked up by
name in :data:`EXECUTORS`, so a distributed engine (a Dask ``Client.map`` over
:func:`~analysis.batch.jobs.execute_job`) can be registered beside the local one without
touching the runner, the CLI or the reports.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable, Protocol, Sequence

from ..registry import Registry
from .jobs import Job, JobResult, execute_job, failed_result

__all__ = ["Executor", "EXECUTORS", "register_executor", "get_executor", "LocalExecutor", "InlineExecutor"]

OnResult = Callable[[JobResult], None]


class Executor(Protocol):
    """Runs jobs and reports each result as soon as it is known."""

    def run(self, jobs: Sequence[Job], *, on_result: OnResult | None = None) -> list[JobResult]:
        """Run every job; never raise for a failing job (it becomes a failed result)."""
        ...


EXECUTORS: Registry[type] = Registry("executor")
register_executor = EXECUTORS.register


def get_executor(name: str, **options: object) -> Executor:
    """Instantiate the executor registered as ``name`` with ``options``.

    Raises:
        UnknownMethodError: no executor has that name.
    """
    return EXECUTORS.get(name)(**options)


@register_executor("local")
class LocalExecutor:
    """Run jobs in parallel on this machine, each in its own worker process.

    A separate process per job (``python -m analysis.batch.worker``) isolates crashes and makes
    the per-notebook ``timeout`` enforceable: on expiry the worker's process group is killed,
    and its kernel exits with it (ipykernel watches its parent).

    Args:
        workers: parallel jobs (default: the number of CPUs).
    """

    def __init__(self, *, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def run(self, jobs: Sequence[Job], *, on_result: OnResult | None = None) -> list[JobResult]:
        results: list[JobResult] = []
        pool = ThreadPoolExecutor(max_workers=self.workers)
        try:
            futures = [pool.submit(self._run_one, job) for job in jobs]
            for future in as_completed(futures):
                result = future.result()
                results.append(result)
                if on_result:
                    on_result(result)
        except BaseException:
            # Interrupted (Ctrl-C): workers run in their own sessions, so stop them explicitly;
            # their partial files never become reports.
            pool.shutdown(wait=False, cancel_futures=True)
            with self._lock:
                for proc in list(self._running):
                    _kill_group(proc)
            raise
        pool.shutdown(wait=True)
        return results

    def _run_one(self, job: Job) -> JobResult:
        return _run_in_subprocess(job, running=self._running, lock=self._lock)


@register_executor("inline")
class InlineExecutor:
    """Run jobs one after another in this process (debugging; no per-notebook wall timeout)."""

    def __init__(self, *, workers: int | None = None) -> None:
        del workers  # accepted so executors are interchangeable

    def run(self, jobs: Sequence[Job], *, on_result: OnResult | None = None) -> list[JobResult]:
        results = []
        for job in jobs:
            result = execute_job(job)
            results.append(result)
            if on_result:
                on_result(result)
        return results


def _run_in_subprocess(job: Job, *, running: set[subprocess.Popen], lock: threading.Lock) -> JobResult:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis.batch.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    with lock:
        running.add(proc)
    try:
        stdout, stderr = proc.communicate(job.to_json(), timeout=job.timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        return failed_result(
            job,
            status="timeout",
            error=f"notebook did not finish within {job.timeout:g} s and was stopped",
            duration_s=time.perf_counter() - started,
        )
    finally:
        with lock:
            running.discard(proc)
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    if proc.returncode == 0 and last.startswith("{"):
        return JobResult.from_json(last)
    tail = "\n".join(stderr.strip().splitlines()[-5:])
    return failed_result(
        job,
        status="failed",
        error=f"worker exited with code {proc.returncode}: {tail or 'no output'}",
        duration_s=time.perf_counter() - started,
    )


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
