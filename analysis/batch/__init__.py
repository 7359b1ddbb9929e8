"""Batch execution of the notebooks over many seeds, with HTML reports.

Data flow: a :class:`BatchConfig` (:mod:`._config`) holds a batch's settings, the one record
shared by the command line, the planner, the runner and the manifest. :mod:`._plan` turns seeds ×
notebooks into :class:`Job` records in stages (per-seed notebooks, then corpus notebooks), an
executor from :mod:`._executors` runs them — long-lived local workers (:mod:`._local`,
:mod:`._worker`) or Dask workers (:mod:`._dask_executor`), each with one warm kernel
(:mod:`._kernel`, :mod:`._warmup`, :mod:`._isolation`) — through :func:`execute_job` (execution,
then :mod:`._export` to HTML, then atomic publication), and :mod:`._index` writes ``index.html``
and ``manifest.json``. :func:`run_batch` ties them together.
"""

from ._executors import EXECUTORS, Executor, get_executor, register_executor
from ._jobs import Job, JobResult, execute_job
from ._plan import Plan, discover_notebooks, plan_jobs
from ._config import BatchConfig
from ._run import BatchResult, run_batch

__all__ = [
    "EXECUTORS",
    "BatchConfig",
    "BatchResult",
    "Executor",
    "Job",
    "JobResult",
    "Plan",
    "discover_notebooks",
    "execute_job",
    "get_executor",
    "plan_jobs",
    "register_executor",
    "run_batch",
]
