"""Warm kernels: one live Jupyter kernel executes many notebooks, one after another.

A fresh kernel per notebook costs seconds before the first cell runs (process start, imports,
the spaCy pipeline and the models). :class:`WarmKernel` starts one kernel, warms it up once
(:func:`analysis.batch._warmup.warm_up`, run inside the kernel) and then executes each notebook
in it with nbclient through a papermill engine (:data:`ENGINE`), so the executed notebook is
exactly papermill's: injected-parameters cell, papermill metadata, per-cell timings, the same
errors. Before each notebook the kernel is reset to the state recorded after the warm-up
(:mod:`._isolation`); nothing a notebook defines, sets or changes reaches the next one, except
the module-level caches of the ``analysis`` package, which are kept on purpose.

Failures stay with the notebook that caused them:

- the wall-clock ``timeout`` of a notebook interrupts the kernel (SIGINT, as Jupyter's
  "interrupt" does); a kernel still busy ``grace_s`` later is killed; the notebook ends with
  :class:`~analysis.batch._jobs.JobTimeout`;
- a kernel that dies (``os._exit``, a signal, out of memory) ends its notebook with
  :class:`KernelDied`;
- either way a dead kernel is replaced, and re-warmed, before the next notebook.

All kernel I/O happens on one private thread: nbclient's asyncio loop and zmq sockets are
bound to the thread that created them, and callers (a worker's main thread, a Dask task
thread) vary.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..errors import KernelDied, WarmUpError
from ._jobs import JobTimeout

__all__ = ["WarmKernel", "KernelDied", "WarmUpError", "ENGINE"]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Name of the papermill engine that executes in an already running kernel.
ENGINE = "newsdesk-warm"

# nbclient starts kernels with an in-memory IPython history (no sqlite file shared by workers).
_KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]

_WARM_CODE = """\
import json as _nd_json
from analysis.batch import _warmup as _nd_warmup
print(_nd_json.dumps(_nd_warmup.warm_up({pipeline!r})))
"""
# A request of its own, after the warm-up's: hooks that run after a cell (matplotlib's inline
# backend registers its figure formatters in one) must be part of the recorded baseline.
_SNAPSHOT_CODE = "from analysis.batch import _isolation as _nd_isolation\n_nd_isolation.snapshot()\n"

_PREPARE_CODE = "from analysis.batch import _isolation as _nd_isolation\n_nd_isolation.prepare({cwd!r})\n"


def _register_engine() -> None:
    import nbformat
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, pointed at a running kernel instead of starting one."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     km=None, kc=None, save_partial_to=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log=logging.getLogger("papermill"), log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kc = kc  # reuse the kernel's client: a new one per notebook would leak sockets
            try:
                return client.execute()
            except Exception:
                # The notebook is saved once at the end, not after every cell (that cost a third
                # of a report's time); when the kernel dies mid-way, keep what ran for debugging.
                if save_partial_to:
                    nbformat.write(nb_man.nb, save_partial_to)
                raise

    papermill_engines.register(ENGINE, WarmKernelEngine)


class _Watchdog:
    """Interrupts, then kills, a kernel that overruns a notebook's wall-clock timeout."""

    def __init__(self, kernel: "WarmKernel", timeout: float | None) -> None:
        self.kernel, self.timeout = kernel, timeout
        self.fired = False
        self._lock = threading.Lock()
        self._timers: list[threading.Timer] = []
        self._active = False

    def __enter__(self) -> "_Watchdog":
        if self.timeout:
            self._active = True
            self._arm(self.timeout, self._interrupt)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._active = False
            for timer in self._timers:
                timer.cancel()

    def _arm(self, delay: float, action: Callable[[], None]) -> None:
        timer = threading.Timer(delay, action)
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _interrupt(self) -> None:
        with self._lock:
            if not self._active:
                return
            self.fired = True
            self.kernel._signal(signal.SIGINT)
            self._arm(self.kernel.grace_s, self._kill)

    def _kill(self) -> None:
        with self._lock:
            if self._active:
                log.warning("kernel still busy %.0f s after the interrupt; killing it", self.kernel.grace_s)
                self.kernel._signal(signal.SIGKILL)


class WarmKernel:
    """A Jupyter kernel started once, warmed up, and reused for many notebooks.

    Args:
        kernel_name: Jupyter kernel to start (the job's ``kernel``).
        pipeline: spaCy pipeline the warm-up loads (``None``: the default one).
        grace_s: seconds an interrupted kernel gets to become idle before it is killed.
        startup_timeout: seconds the kernel may take to answer after it starts.
        warmup_timeout: seconds the warm-up may take.
    """

    def __init__(self, kernel_name: str = "python3", *, pipeline: str | None = None, grace_s: float = 10.0,
                 startup_timeout: float = 60.0, warmup_timeout: float = 600.0) -> None:
        self.kernel_name, self.pipeline = kernel_name, pipeline
        self.grace_s, self.startup_timeout, self.warmup_timeout = grace_s, startup_timeout, warmup_timeout
        self.warmup_report: dict[str, str] = {}
        self.starts = 0  # kernels started so far (1 + replacements)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-kernel")
        self._km: Any = None
        self._kc: Any = None
        self._pid: int | None = None

    # -- public API (any thread) -------------------------------------------------------------

    def start(self, *, wait: bool = True) -> Future:
        """Start and warm up the kernel (``wait=False``: in the background; later calls queue behind it)."""
        future = self._thread.submit(self._ensure_ready)
        if wait:
            future.result()
        return future

    def execute_notebook(self, notebook: str | Path, output_path: str | Path, *, parameters: dict[str, Any],
                         cwd: str | Path, timeout: float | None = None) -> None:
        """Execute ``notebook`` with papermill's parameters into ``output_path``, in this kernel.

        Raises:
            JobTimeout: the notebook overran ``timeout`` and was stopped.
            KernelDied: the kernel exited during the notebook (a new one replaces it).
            WarmUpError: no working kernel could be started.
            PapermillExecutionError: a cell raised (as with papermill in a fresh kernel).
        """
        self._thread.submit(self._execute, str(notebook), str(output_path), dict(parameters), str(cwd), timeout).result()

    @property
    def pid(self) -> int | None:
        """Process id of the live kernel (``None`` when none is running)."""
        return self._pid

    def shutdown(self) -> None:
        """Stop the kernel and the I/O thread."""
        try:
            self._thread.submit(self._discard).result(timeout=30)
        except Exception as exc:  # the process is going away anyway; the kernel follows its parent
            log.debug("warm kernel shutdown: %s", exc)
        self._thread.shutdown(wait=False)

    def kill(self) -> None:
        """Kill the kernel from any thread, now (an aborted batch); the next notebook gets a new one."""
        self._signal(signal.SIGKILL)

    # -- kernel thread -----------------------------------------------------------------------

    def _run(self, awaitable: Any) -> Any:
        from jupyter_core.utils import ensure_event_loop

        # The same per-thread loop nbclient's run_sync uses, so sockets stay on one loop.
        return ensure_event_loop().run_until_complete(awaitable)

    def _alive(self) -> bool:
        process = getattr(getattr(self._km, "provisioner", None), "process", None)
        return process is not None and process.poll() is None

    def _exit_code(self) -> int | None:
        process = getattr(getattr(self._km, "provisioner", None), "process", None)
        return process.poll() if process is not None else None

    def _signal(self, signum: int) -> None:
        pid = self._pid
        if pid is None:
            return
        try:
            os.killpg(pid, signum)  # the kernel leads its own process group (jupyter_client)
        except (ProcessLookupError, PermissionError, OSError):
            try:
                os.kill(pid, signum)
            except OSError:
                pass

    def _ensure_ready(self) -> None:
        if self._km is not None and self._alive():
            return
        self._discard()
        self._start()

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        try:
            self._run(km.start_kernel(extra_arguments=list(_KERNEL_ARGS)))
        except Exception as exc:  # no such kernelspec, or its command does not run
            raise WarmUpError(f"kernel {self.kernel_name!r} could not be started: {exc}") from None
        self._km = km
        self._pid = getattr(km.provisioner, "pid", None)
        self.starts += 1
        kc = km.client()
        kc.start_channels()
        self._kc = kc
        try:
            self._run(kc.wait_for_ready(timeout=self.startup_timeout))
        except RuntimeError as exc:
            self._discard()
            raise WarmUpError(f"kernel {self.kernel_name!r} did not start: {exc}") from None
        kc.allow_stdin = False
        started = time.perf_counter()
        try:
            content, output = self._exec(_WARM_CODE.format(pipeline=self.pipeline), self.warmup_timeout)
            if content.get("status") == "ok":
                content, _ = self._exec(_SNAPSHOT_CODE, self.startup_timeout)
        except (TimeoutError, KernelDied) as exc:
            self._discard()
            raise WarmUpError(f"kernel {self.kernel_name!r} failed during the warm-up: {exc}") from None
        if content.get("status") != "ok":
            self._discard()
            reason = f"{content.get('ename')}: {content.get('evalue')}"
            raise WarmUpError(f"kernel {self.kernel_name!r} cannot run the warm-up ({reason})")
        lines = [line for line in output.splitlines() if line.startswith("{")]
        self.warmup_report = json.loads(lines[-1]) if lines else {}
        skipped = {k: v for k, v in self.warmup_report.items() if not v.startswith("ok")}
        log.info("kernel %s (pid %s) warm in %.1f s", self.kernel_name, self._pid, time.perf_counter() - started)
        for name, reason in skipped.items():
            log.warning("warm-up step %s %s", name, reason)

    def _discard(self) -> None:
        """Kill the kernel (if any) and release its client, ports and connection file."""
        km, kc = self._km, self._kc
        self._km = self._kc = None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:
                pass
        if km is not None:
            try:
                self._run(km.shutdown_kernel(now=True))
            except Exception as exc:
                log.debug("kernel shutdown: %s", exc)
        self._pid = None

    def _exec(self, code: str, timeout: float) -> tuple[dict[str, Any], str]:
        """Run ``code`` outside the notebook's history; return the reply content and its stdout."""
        return self._run(self._exec_async(code, timeout))

    async def _exec_async(self, code: str, timeout: float) -> tuple[dict[str, Any], str]:
        kc = self._kc
        msg_id = kc.execute(code, silent=False, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        reply = None
        while reply is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernel did not answer within {timeout:g} s")
            try:
                msg = await kc.get_shell_msg(timeout=1.0)
            except queue.Empty:
                if not self._alive():
                    raise KernelDied(f"kernel exited with code {self._exit_code()}") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = msg["content"]
        output: list[str] = []
        while time.monotonic() < deadline:  # the outputs of the request end with its "idle" status
            try:
                msg = await kc.get_iopub_msg(timeout=1.0)
            except queue.Empty:
                break
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                output.append(msg["content"]["text"])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        return reply, "".join(output)

    def _prepare(self, cwd: str) -> None:
        """Reset the kernel for the next notebook; a kernel that cannot be reset is replaced."""
        for attempt in (1, 2):
            self._ensure_ready()
            try:
                content, _ = self._exec(_PREPARE_CODE.format(cwd=cwd), 30.0)
            except (TimeoutError, KernelDied) as exc:
                log.warning("kernel reset failed (%s); starting a new kernel", exc)
                self._discard()
                continue
            if content.get("status") == "ok":
                return
            if attempt == 2:
                raise WarmUpError(f"cannot reset the kernel ({content.get('ename')}: {content.get('evalue')})")
            self._discard()

    def _execute(self, notebook: str, output_path: str, parameters: dict[str, Any], cwd: str,
                 timeout: float | None) -> None:
        import papermill

        self._prepare(cwd)
        watchdog = _Watchdog(self, timeout)
        try:
            with watchdog:
                papermill.execute_notebook(
                    notebook, output_path, parameters=parameters, engine_name=ENGINE, kernel_name=self.kernel_name,
                    km=self._km, kc=self._kc, progress_bar=False, log_output=False,
                    request_save_on_cell_execute=False, save_partial_to=output_path,
                )
        except Exception as exc:
            if watchdog.fired:
                self._settle()
                raise JobTimeout(f"notebook did not finish within {timeout:g} s and was stopped") from exc
            if not self._alive():
                code = self._exit_code()
                self._discard()
                raise KernelDied(
                    f"kernel died while running the notebook (exit code {code}); a new kernel replaces it"
                ) from None
            raise
        if watchdog.fired:  # finished only because a cell swallowed the interrupt: still overran
            self._settle()
            raise JobTimeout(f"notebook did not finish within {timeout:g} s and was stopped")

    def _settle(self) -> None:
        """After a timeout: keep an idle kernel, drop a killed one (the next notebook restarts it)."""
        if not self._alive():
            self._discard()


_register_engine()
