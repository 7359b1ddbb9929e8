"""The local executor: long-lived worker processes, each with one warm kernel, fed from a queue.

Each worker (``python -m analysis.batch._worker --serve``) pays for its imports and its kernel's
warm-up once, then runs job after job. This process keeps every guarantee of a process per job:

- a worker runs in its own session, so a job can never take the batch down with it;
- a worker that dies (``kill -9``, a crash) is replaced and only the job it held fails;
- a watchdog here kills and replaces a worker that has not answered within the job's timeout
  plus a grace period (the worker's own kernel watchdog handles an overrunning notebook; this
  one catches a worker that hangs outside the kernel);
- Ctrl-C and SIGTERM (raised here as :class:`KeyboardInterrupt`) kill every worker and its
  kernel before their partial outputs can be renamed into reports.
"""

from __future__ import annotations

import collections
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from typing import Sequence

from ._executors import OnResult, register_executor
from ._jobs import Job, JobResult, failed_result

__all__ = ["LocalExecutor"]

#: Seconds beyond a job's timeout before the parent gives up on its worker: the kernel's own
#: interrupt grace and the HTML export fit in it.
GRACE_S = 60.0
#: Seconds a worker may take to have its kernel ready for a job (start-up and warm-up, or a
#: replacement kernel after a crash) before it is presumed hung.
READY_S = 900.0


class _Worker:
    """One worker process and the threads that read its output."""

    def __init__(self, kernel: str | None, pipeline: str | None, stopping: threading.Event) -> None:
        self.kernel, self.pipeline = kernel, pipeline
        self.stopping = stopping
        self._lock = threading.Lock()  # a replacement is never spawned after an abort's kill
        self.proc: subprocess.Popen | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=8)
        self.spawn()

    def spawn(self) -> None:
        with self._lock:
            if not self.stopping.is_set():
                self._spawn()

    def _spawn(self) -> None:
        command = [sys.executable, "-m", "analysis.batch._worker", "--serve"]
        if self.kernel:
            command += ["--kernel", self.kernel]
        if self.pipeline:
            command += ["--pipeline", self.pipeline]
        self.lines = queue.Queue()
        self.stderr_tail.clear()
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1, start_new_session=True,
        )
        threading.Thread(target=self._read_stdout, args=(self.proc, self.lines), daemon=True).start()
        threading.Thread(target=self._read_stderr, args=(self.proc,), daemon=True).start()

    @staticmethod
    def _read_stdout(proc: subprocess.Popen, lines: queue.Queue) -> None:
        for line in proc.stdout:
            if line.startswith("{"):
                lines.put(line)
        lines.put(None)  # end of output: the worker is gone

    def _read_stderr(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            if line.strip() and "running over TCP without encryption" not in line:
                self.stderr_tail.append(line.rstrip())

    def run(self, job: Job, grace_s: float) -> JobResult:
        started = time.perf_counter()
        if self.proc.poll() is not None:  # died between jobs: no job was lost, replace it quietly
            self.spawn()
        try:
            self.proc.stdin.write(job.to_json() + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # died while idle: reading below reports it and the job fails like any other
        limit = job.timeout + grace_s if job.timeout else None
        waiting_for = f"a ready kernel within {READY_S:g} s"
        try:
            line = self.lines.get(timeout=READY_S)
            if line is not None and _is_start(line):  # kernel ready: the job's own clock starts
                waiting_for = f"the notebook within {limit:g} s (timeout {job.timeout:g} s + {grace_s:g} s grace)"
                line = self.lines.get(timeout=limit)
        except queue.Empty:
            self.kill()
            self.spawn()
            return failed_result(
                job, status="timeout", duration_s=time.perf_counter() - started,
                error=f"worker hung: no answer for {waiting_for}; it was killed and replaced",
            )
        if line is None:
            code = self.proc.wait()
            reason = f"killed by signal {-code}" if code < 0 else f"exited with code {code}"
            tail = self.stderr_tail[-1] if self.stderr_tail else "no output"
            self.spawn()
            return failed_result(
                job, status="failed", duration_s=time.perf_counter() - started,
                error=f"worker process {reason} during this notebook ({tail}); a new worker replaced it",
            )
        return JobResult.from_json(line)

    def close(self, timeout: float = 30.0) -> None:
        """Let the worker finish (stdin closed: it shuts its kernel down); kill it if it lingers."""
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=timeout)
        except (subprocess.TimeoutExpired, OSError):
            self.kill()

    def kill(self) -> None:
        """Kill the worker and everything under it, its kernel included (own sessions both)."""
        with self._lock:
            _kill_tree(self.proc)


def _is_start(line: str) -> bool:
    try:
        return set(json.loads(line)) == {"started"}
    except (ValueError, TypeError):
        return False


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # gone already, or psutil missing: the kernel exits with its parent anyway
        children = []
    for pid in [proc.pid] + [child.pid for child in children]:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
                break
            except OSError:
                continue
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


@register_executor("local")
class LocalExecutor:
    """Run jobs in parallel on this machine in ``workers`` long-lived worker processes.

    Workers start on the first :meth:`run` and are kept until :meth:`close`, so the stages of a
    batch (per-seed notebooks, then corpus notebooks) share them and their warm kernels.

    Args:
        workers: parallel jobs (default: the number of CPUs).
        grace_s: seconds beyond a job's timeout before its worker is presumed hung.
    """

    def __init__(self, *, workers: int | None = None, grace_s: float = GRACE_S) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.grace_s = grace_s
        self._pool: list[_Worker] = []
        self._stopping = threading.Event()

    def __enter__(self) -> "LocalExecutor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, jobs: Sequence[Job], *, on_result: OnResult | None = None) -> list[JobResult]:
        if not jobs:
            return []
        if not self._pool:
            first = jobs[0]
            pipeline = first.parameters.get("pipeline")
            self._pool = [_Worker(first.kernel, pipeline, self._stopping) for _ in range(min(self.workers, len(jobs)))]
        todo: queue.Queue[Job] = queue.Queue()
        for job in jobs:
            todo.put(job)
        done: queue.Queue[JobResult] = queue.Queue()
        for worker in self._pool:
            threading.Thread(target=self._drive, args=(worker, todo, done), daemon=True).start()
        results: list[JobResult] = []
        try:
            while len(results) < len(jobs):
                try:
                    result = done.get(timeout=0.5)  # a timeout keeps Ctrl-C responsive
                except queue.Empty:
                    continue
                results.append(result)
                if on_result:
                    on_result(result)
        except BaseException:
            self.abort()
            raise
        return results

    def _drive(self, worker: _Worker, todo: queue.Queue, done: queue.Queue) -> None:
        while not self._stopping.is_set():
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            result = worker.run(job, self.grace_s)
            if not self._stopping.is_set():
                done.put(result)

    def abort(self) -> None:
        """Kill every worker now (interrupted batch): nothing they were writing gets published."""
        self._stopping.set()
        for worker in self._pool:
            worker.kill()
        self._pool = []

    def close(self) -> None:
        """Stop the workers once their current job is done (normal end of a batch)."""
        pool, self._pool = self._pool, []
        closers = [threading.Thread(target=worker.close) for worker in pool]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join()
