"""Executors: how a list of jobs gets run.

The batch runner only needs ``executor.run(jobs, on_result=...)`` (called once per stage) and
``executor.close()`` at the end; an executor is looked up by name in :data:`EXECUTORS`:
``local`` (:mod:`._local`, long-lived worker processes with warm kernels, the default),
``dask`` (:mod:`._dask_executor`, the same jobs on a ``distributed`` cluster) and ``inline``
(this process, one fresh kernel per notebook, for debugging). Another package adds one through
an entry point of group ``newsdesk_executors`` (:mod:`analysis._registry`).
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence

from .._registry import Registry
from ._jobs import Job, JobResult, execute_job

__all__ = ["Executor", "EXECUTORS", "register_executor", "get_executor", "InlineExecutor"]

OnResult = Callable[[JobResult], None]


class Executor(Protocol):
    """Runs jobs and reports each result as soon as it is known."""

    def run(self, jobs: Sequence[Job], *, on_result: OnResult | None = None) -> list[JobResult]:
        """Run every job; never raise for a failing job (it becomes a failed result)."""
        ...

    def close(self) -> None:
        """Release workers, kernels or clusters kept between :meth:`run` calls."""
        ...


#: The executors by name: ``inline`` (below), ``local``, ``dask``, and entry points of group
#: ``newsdesk_executors`` (see :mod:`analysis._registry`).
EXECUTORS: Registry[type] = Registry("executors", kind="executor")
register_executor = EXECUTORS.register


def get_executor(name: str, **options: object) -> Executor:
    """Instantiate the executor registered as ``name`` with ``options``.

    Raises:
        UnknownMethodError: no executor has that name.
        PluginLoadError: the entry point of that name failed to load.
    """
    return EXECUTORS.get(name)(**options)


@register_executor("inline")
class InlineExecutor:
    """Run jobs one after another in this process (debugging; no per-notebook wall timeout)."""

    def __init__(self, *, workers: int | None = None) -> None:
        del workers  # accepted so executors are interchangeable

    def close(self) -> None:
        pass

    def run(self, jobs: Sequence[Job], *, on_result: OnResult | None = None) -> list[JobResult]:
        results = []
        for job in jobs:
            result = execute_job(job)
            results.append(result)
            if on_result:
                on_result(result)
        return results


# Executors defined in their own modules register themselves on import.
from . import _local as local  # noqa: E402,F401  (the default, listed first)
from . import _dask_executor as dask_executor  # noqa: E402,F401
