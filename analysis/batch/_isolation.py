"""Kernel-side isolation: every notebook in a warm kernel starts from the same clean state.

Runs inside the Jupyter kernel. :func:`snapshot` records the state right after the warm-up
(the baseline); :func:`prepare` runs before each notebook and puts the kernel back to it:

- the IPython user namespace, input/output history and execution counter (``reset``), so
  cell numbers start at 1 as in a fresh kernel;
- matplotlib: open figures closed, rcParams and the backend restored, the inline backend's
  settings restored;
- pandas options reset to their defaults;
- working directory set to the notebook's folder (as papermill does for a fresh kernel);
  ``sys.path``, ``os.environ``, warnings filters, the root logger, IPython's display
  formatters and event callbacks restored; ``random`` and NumPy's global generator reseeded from the OS, as a
  new process would be.

Imported modules are kept, and with them the module-level caches of the ``analysis`` package
(the spaCy pipeline, the models): keeping those is the point of a warm kernel. A notebook that
rebinds attributes of an imported module would still leak; notebooks do not do that.
"""

from __future__ import annotations

import copy
import gc
import logging
import os
import random
import sys
import warnings
from typing import Any

__all__ = ["snapshot", "prepare", "baseline"]

_BASELINE: dict[str, Any] | None = None


def _shell() -> Any:
    from IPython import get_ipython

    return get_ipython()


def _formatters(shell: Any) -> list[tuple[Any, dict[str, Any]]]:
    if shell is None:
        return []
    display = shell.display_formatter
    found = list(display.formatters.values()) + [display.ipython_display_formatter, display.mimebundle_formatter]
    saved = []
    for formatter in found:
        state = {
            name: copy.copy(getattr(formatter, name))
            for name in ("enabled", "type_printers", "deferred_printers", "singleton_printers")
            if hasattr(formatter, name)
        }
        saved.append((formatter, state))
    return saved


def _events(shell: Any) -> dict[str, list[Any]]:
    if shell is None:
        return {}
    return {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()}


def _restore_events(shell: Any, saved: dict[str, list[Any]]) -> None:
    if shell is None:
        return
    for name, callbacks in shell.events.callbacks.items():
        callbacks[:] = saved.get(name, [])


def _inline_backend() -> tuple[Any, dict[str, Any]] | None:
    module = sys.modules.get("matplotlib_inline.config")
    if module is None or not module.InlineBackend.initialized():
        return None
    config = module.InlineBackend.instance()
    return config, {name: copy.deepcopy(getattr(config, name)) for name in config.trait_names(config=True)}


def _matplotlib() -> dict[str, Any] | None:
    mpl = sys.modules.get("matplotlib")
    if mpl is None:
        return None
    # "backend" is handled apart: reading it through rcParams may resolve (and switch) it.
    params = {k: copy.deepcopy(v) for k, v in dict.items(mpl.rcParams) if k != "backend"}
    return {"rc": params, "backend": mpl.get_backend()}


def snapshot() -> dict[str, Any]:
    """Record the current kernel state as the baseline :func:`prepare` restores."""
    global _BASELINE
    root = logging.getLogger()
    _BASELINE = {
        "cwd": os.getcwd(),
        "sys_path": list(sys.path),
        "environ": dict(os.environ),
        "warnings": list(warnings.filters),
        "showwarning": warnings.showwarning,
        "logging": (root.level, list(root.handlers)),
        "formatters": _formatters(_shell()),
        "events": _events(_shell()),
        "inline": _inline_backend(),
        "matplotlib": _matplotlib(),
    }
    # What exists now (modules, the spaCy pipeline, the models) lives as long as the kernel.
    # Freezing it keeps every later collection, such as the one IPython's reset runs before
    # each notebook, from re-scanning it: that scan cost more than half a second a notebook.
    gc.collect()
    gc.freeze()
    return _BASELINE


def baseline() -> dict[str, Any] | None:
    """The recorded baseline (``None`` before :func:`snapshot`)."""
    return _BASELINE


def _restore_environ(saved: dict[str, str]) -> None:
    for key in set(os.environ) - set(saved):
        del os.environ[key]
    for key, value in saved.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _restore_matplotlib(saved: dict[str, Any] | None, inline: tuple[Any, dict[str, Any]] | None) -> None:
    mpl = sys.modules.get("matplotlib")
    if mpl is None:
        return
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    if saved is None:  # imported by a notebook, not by the warm-up: a fresh kernel has defaults
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mpl.rcdefaults()
        return
    if plt is not None and mpl.get_backend() != saved["backend"]:
        plt.switch_backend(saved["backend"])
    with warnings.catch_warnings():  # deprecated keys warn when set, even to their own value
        warnings.simplefilter("ignore")
        mpl.rcParams.update(saved["rc"])
    if inline is not None:
        config, values = inline
        for name, value in values.items():
            if getattr(config, name) != value:
                setattr(config, name, copy.deepcopy(value))


def _restore_formatters(saved: list[tuple[Any, dict[str, Any]]]) -> None:
    for formatter, state in saved:
        for name, value in state.items():
            current = getattr(formatter, name)
            if isinstance(current, dict):
                current.clear()
                current.update(value)
            else:
                setattr(formatter, name, value)


def _reseed() -> None:
    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def prepare(cwd: str) -> None:
    """Reset the kernel to the baseline and enter ``cwd``; called before every notebook.

    Raises:
        RuntimeError: :func:`snapshot` was never called in this kernel.
    """
    if _BASELINE is None:
        raise RuntimeError("isolation.prepare() before isolation.snapshot(): the kernel was not warmed up")
    saved = _BASELINE
    shell = _shell()
    if shell is not None:
        shell.reset(new_session=True)  # namespace, In/Out, execution count back to 1
    _restore_matplotlib(saved["matplotlib"], saved["inline"])
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        with warnings.catch_warnings():  # resetting deprecated options warns
            warnings.simplefilter("ignore")
            pandas.reset_option("all")
    _restore_formatters(saved["formatters"])
    _restore_events(shell, saved["events"])
    _restore_environ(saved["environ"])
    sys.path[:] = saved["sys_path"]
    warnings.filters[:] = saved["warnings"]
    warnings.showwarning = saved["showwarning"]
    getattr(warnings, "_filters_mutated", lambda: None)()  # drop the "already shown once" caches
    root = logging.getLogger()
    root.setLevel(saved["logging"][0])
    root.handlers[:] = saved["logging"][1]
    _reseed()
    os.chdir(cwd)
