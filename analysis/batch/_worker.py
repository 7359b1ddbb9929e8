"""Worker entry point.

``python -m analysis.batch._worker --serve [--kernel NAME] [--pipeline P]`` is a long-lived worker
of the local executor: it imports papermill and nbconvert once, keeps one warm kernel
(:class:`~analysis.batch._kernel.WarmKernel`), reads one Job as a JSON line on stdin at a time
and answers each on stdout with a ``{"started": KEY}`` line once its kernel is ready (the
parent's watchdog counts the job's time from there, not from the kernel's warm-up) and then
one JobResult JSON line, until stdin closes.

Without ``--serve`` it reads a single Job (JSON) from stdin, executes it in a fresh kernel
through papermill and prints the JobResult as the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from typing import IO, Callable

from ._startup import skip_unused_imports
from ._jobs import Job, JobResult, execute_job

__all__ = ["main", "serve", "KernelHolder"]

log = logging.getLogger("analysis.batch._worker")


class KernelHolder:
    """The worker's warm kernel, started for the kernel name and pipeline its jobs ask for.

    A kernel that cannot be warmed up (a kernelspec whose Python lacks the ``analysis``
    package) is not retried for every job: those jobs run in fresh kernels through papermill.
    """

    def __init__(self) -> None:
        self.kernel = None
        self._cold: set[str] = set()
        self._lock = threading.Lock()  # a background start and the first job never make two kernels

    def start(self, kernel_name: str, pipeline: str | None, *, wait: bool = False) -> None:
        """Have a warm kernel for ``kernel_name`` (``wait=False``: warm it in the background)."""
        with self._lock:
            from ._kernel import WarmKernel

            if self.kernel is None or self.kernel.kernel_name != kernel_name:
                self.close()
                self.kernel = WarmKernel(kernel_name, pipeline=pipeline)
            kernel = self.kernel
        kernel.start(wait=wait)  # returns at once when the kernel is already up

    def run(self, job: Job, on_start: Callable[[], None] | None = None) -> JobResult:
        """Execute ``job`` in the warm kernel; ``on_start`` is called once the kernel is ready."""
        from ._kernel import WarmUpError

        if job.kernel not in self._cold:
            try:
                self.start(job.kernel, job.parameters.get("pipeline"), wait=True)
            except WarmUpError as exc:
                log.warning("%s; running its notebooks in fresh kernels instead", exc)
                self._cold.add(job.kernel)
                self.close()
        if on_start:
            on_start()
        if job.kernel in self._cold:
            return execute_job(job)
        return execute_job(job, kernel=self.kernel)

    def close(self) -> None:
        if self.kernel is not None:
            self.kernel.shutdown()
            self.kernel = None


def _protocol_channel() -> IO[str]:
    """stdout for JobResult lines only; anything else printed in this process goes to stderr."""
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # kernels inherit fd 1 too
    return channel


def serve(kernel_name: str | None = None, pipeline: str | None = None) -> int:
    """Answer Job lines on stdin with JobResult lines on stdout until stdin closes."""
    channel = _protocol_channel()
    holder = KernelHolder()
    if kernel_name:
        holder.start(kernel_name, pipeline)  # the kernel starts and warms up while this process imports
    import nbconvert  # noqa: F401  (imported once here rather than in the first job)
    import papermill  # noqa: F401

    from . import _export as export  # noqa: F401
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            job = Job.from_json(line)
            started = lambda: channel.write(json.dumps({"started": job.key}) + "\n")  # noqa: E731
            channel.write(holder.run(job, on_start=started).to_json() + "\n")
    finally:
        holder.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.batch._worker")
    parser.add_argument("--serve", action="store_true", help="long-lived: one Job JSON line in, one JobResult line out")
    parser.add_argument("--kernel", help="kernel to start and warm up before the first job")
    parser.add_argument("--pipeline", help="spaCy pipeline the warm-up loads")
    args = parser.parse_args(argv)
    skip_unused_imports()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if args.serve:
        return serve(args.kernel, args.pipeline)
    job = Job.from_json(sys.stdin.read())
    result = execute_job(job)
    sys.stdout.write("\n" + result.to_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
