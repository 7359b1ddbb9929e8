"""What runs on a Dask worker: one warm kernel per worker process, and the task that uses it.

:class:`WarmKernelPlugin` (registered by :class:`~analysis.batch._dask_executor.DaskExecutor`)
starts the worker's kernel as soon as the worker joins, also for a worker the nanny starts to
replace a dead one, and shuts it down with the worker. :func:`run_job` executes one job in that
kernel exactly as a local worker does (:class:`~analysis.batch._worker.KernelHolder`), so the
isolation, timeouts and atomic publication are the same code on both executors.

This module imports ``distributed``; only Dask workers and the Dask executor import it.
"""

from __future__ import annotations

import threading
import time

from distributed import WorkerPlugin, get_worker

from ._startup import skip_unused_imports
from ._jobs import Job
from ._worker import KernelHolder

__all__ = ["WarmKernelPlugin", "run_job", "kill_kernel", "PLUGIN_NAME", "TOPIC"]

PLUGIN_NAME = "newsdesk-warm-kernel"
#: Event topic on which tasks announce that they started (the client's watchdog listens).
TOPIC = "newsdesk-batch"

# For workers of a cluster that joined without the plugin (it is registered per client).
_FALLBACK = KernelHolder()


class WarmKernelPlugin(WorkerPlugin):
    """Keeps one warm kernel in each Dask worker process, reused by all of its tasks."""

    def __init__(self, kernel_name: str, pipeline: str | None = None) -> None:
        self.kernel_name, self.pipeline = kernel_name, pipeline
        self.holder: KernelHolder | None = None

    def setup(self, worker) -> None:  # noqa: ANN001  (distributed's signature)
        skip_unused_imports()
        self.holder = KernelHolder()
        # In the background: setup() runs on the worker's event loop, and importing papermill
        # and nbconvert takes seconds that would stall the worker's heartbeats.
        start = threading.Thread(target=self.holder.start, args=(self.kernel_name, self.pipeline), daemon=True)
        start.start()

    def teardown(self, worker) -> None:  # noqa: ANN001
        if self.holder is not None:
            self.holder.close()


def _holder(worker) -> KernelHolder:  # noqa: ANN001
    plugin = worker.plugins.get(PLUGIN_NAME)
    return plugin.holder if isinstance(plugin, WarmKernelPlugin) and plugin.holder else _FALLBACK


def run_job(job_json: str) -> str:
    """Dask task: run one Job (JSON) in this worker's warm kernel; return the JobResult JSON."""
    worker = get_worker()
    task = worker.get_current_task()

    def started() -> None:  # once the kernel is ready: the client's watchdog times the job from here
        worker.log_event(TOPIC, {"task": task, "worker": worker.address, "started": time.time()})

    return _holder(worker).run(Job.from_json(job_json), on_start=started).to_json()


def kill_kernel(dask_worker) -> bool:  # noqa: ANN001  (Client.run passes the worker by this name)
    """Kill this worker's kernel now (an interrupted batch); its running notebook publishes nothing."""
    holder = _holder(dask_worker)
    if holder.kernel is None:
        return False
    holder.kernel.kill()
    return True
