"""Choices registered from outside the package: real entry points of an installed distribution,
and the decorator used from a test module."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable

import catalogue
import pytest
from conftest import ROOT, SEED

from analysis.batch._executors import EXECUTORS, get_executor
from analysis.errors import PluginLoadError, UnknownMethodError
from analysis.ordering import METHODS, available_methods, make_method, reorder
from analysis._seeds import load_article
from analysis.stance._baselines import METHODS as STANCE_METHODS
from analysis.stance._baselines import get_method, register_method

Install = Callable[..., Path]


def _write_distribution(folder: Path, module: str, source: str, entry_points: dict[str, dict[str, str]]) -> None:
    """A module and the ``.dist-info`` a wheel install would leave beside it."""
    (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = folder / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n", encoding="utf-8")
    groups = (f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in names.items())
              for group, names in entry_points.items())
    (info / "entry_points.txt").write_text("\n".join(groups), encoding="utf-8")


@pytest.fixture()
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Install a one-module distribution on ``sys.path`` for this test only.

    catalogue reads the installed entry points once, when it is imported; a distribution added
    later is seen by the next process, so the test gives catalogue a fresh read instead.
    """
    modules: list[str] = []

    def add(module: str, source: str, entry_points: dict[str, dict[str, str]]) -> Path:
        folder = tmp_path / f"site-{module}"
        folder.mkdir()
        _write_distribution(folder, module, source, entry_points)
        monkeypatch.syspath_prepend(str(folder))
        importlib.invalidate_caches()
        monkeypatch.setattr(catalogue, "AVAILABLE_ENTRY_POINTS", importlib.metadata.entry_points())
        modules.append(module)
        return folder

    yield add
    for module in modules:
        sys.modules.pop(module, None)


REVERSE_ORDER = """
    from analysis.ordering import Ordering, OrderingMethod


    class ReverseOrder(OrderingMethod):
        '''The file order backwards: a method that knows nothing of newsdesk but its interface.'''

        def predict(self, article):
            n = article.n_sentences
            return Ordering(tuple(reversed(range(n))), (0.5,) * (n - 1), 0.0, self.name)
"""


def test_an_ordering_method_from_an_entry_point_reorders_a_real_seed(install: Install) -> None:
    built_in = METHODS.names()
    install("newsdesk_test_reverse", REVERSE_ORDER,
            {"newsdesk_reorder_methods": {"test-reverse": "newsdesk_test_reverse:ReverseOrder"}})

    assert "test-reverse" in METHODS and "test-reverse" in available_methods()
    assert METHODS.names() == (*built_in, "test-reverse"), "built-in choices first, in registration order"
    assert "newsdesk_test_reverse" not in sys.modules, "listing the choices imports no plugin"

    seed = load_article(SEED)
    ordering = reorder(seed, method="test-reverse")
    assert ordering.order == tuple(reversed(range(seed.n_sentences)))
    assert ordering.method == "test-reverse", "a plugin class that sets no name takes the name it was chosen by"
    assert make_method("test-reverse").score([seed], [tuple(range(seed.n_sentences))])["kendall_tau"] == -1.0

    with pytest.raises(UnknownMethodError) as error:
        reorder(seed, method="no-such-method")
    assert str(error.value) == f"unknown ordering method 'no-such-method'; choose one of: {', '.join(METHODS.names())}"
    assert "pairwise" in str(error.value) and "test-reverse" in str(error.value)


def test_a_registered_name_wins_over_an_entry_point_of_the_same_name(install: Install) -> None:
    install("newsdesk_test_shadow", REVERSE_ORDER,
            {"newsdesk_reorder_methods": {"random": "newsdesk_test_shadow:ReverseOrder"}})
    assert METHODS.names().count("random") == 1
    assert METHODS.get("random").__module__ == "analysis.ordering._baselines"
    assert "newsdesk_test_shadow" not in sys.modules


SERIAL_EXECUTOR = """
    class SerialExecutor:
        def __init__(self, *, workers=None):
            self.workers = workers

        def run(self, jobs, *, on_result=None):
            return []

        def close(self):
            pass
"""


def test_an_executor_from_an_entry_point_is_chosen_by_name(install: Install) -> None:
    install("newsdesk_test_serial", SERIAL_EXECUTOR,
            {"newsdesk_executors": {"test-serial": "newsdesk_test_serial:SerialExecutor"}})
    assert EXECUTORS.names()[:3] == ("inline", "local", "dask") and EXECUTORS.names()[-1] == "test-serial"
    executor = get_executor("test-serial", workers=3)
    assert type(executor).__module__ == "newsdesk_test_serial" and executor.workers == 3
    # The other registries are other groups: this one's entry point is no ordering method.
    assert "test-serial" not in METHODS and "test-serial" not in STANCE_METHODS


def test_a_broken_entry_point_fails_alone_with_one_line_naming_it(install: Install) -> None:
    install("newsdesk_test_broken", "import newsdesk_no_such_dependency\n",
            {"newsdesk_executors": {"test-broken": "newsdesk_test_broken:Executor",
                                    "test-missing": "newsdesk_test_serial_gone:Executor"}})
    assert {"test-broken", "test-missing"} <= set(EXECUTORS.names())  # listing loads nothing
    with pytest.raises(PluginLoadError) as error:
        EXECUTORS.get("test-broken")
    message = str(error.value)
    assert "\n" not in message
    assert message == ("executor 'test-broken' (entry point 'newsdesk_test_broken:Executor' in group newsdesk_executors) "
                       "failed to load: ModuleNotFoundError: No module named 'newsdesk_no_such_dependency'")
    assert isinstance(error.value.__cause__, ModuleNotFoundError)
    with pytest.raises(PluginLoadError, match="'test-missing' .*newsdesk_test_serial_gone"):
        get_executor("test-missing")
    assert get_executor("inline").run([]) == [], "the other choices still work"


def test_a_broken_executor_stops_the_command_line_before_it_writes_reports(tmp_path: Path) -> None:
    # A fresh process finds the distribution as an installed one: catalogue's own read, no help.
    site = tmp_path / "site"
    site.mkdir()
    _write_distribution(site, "newsdesk_test_cli_broken", "raise RuntimeError('cluster library missing')\n",
                        {"newsdesk_executors": {"test-broken": "newsdesk_test_cli_broken:Executor"}})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    out = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "batch", "--seeds", str(SEED.parent), "--out", str(out),
         "--executor", "test-broken", "--no-progress"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        "error: executor 'test-broken' (entry point 'newsdesk_test_cli_broken:Executor' in group newsdesk_executors) "
        "failed to load: RuntimeError: cluster library missing"
    ]
    assert not (out / "index.html").exists() and not (out / "manifest.json").exists()


def test_a_stance_method_registered_with_the_decorator_from_a_test_module() -> None:
    assert "test-always-agree" not in STANCE_METHODS

    @register_method("test-always-agree")
    def always_agree(headlines, bodies, stances, **options):
        return lambda hs, bs: ["agree"] * len(hs)

    try:
        assert STANCE_METHODS.names()[-1] == "test-always-agree"
        assert "test-always-agree" in STANCE_METHODS and "test-always-agree" in list(STANCE_METHODS)
        predictor = get_method("test-always-agree")(["h"], ["b"], ["agree"])
        assert predictor(["a claim", "another"], ["body", "body"]) == ["agree", "agree"]
    finally:
        assert STANCE_METHODS.unregister("test-always-agree") is always_agree
    assert "test-always-agree" not in STANCE_METHODS
    with pytest.raises(UnknownMethodError, match="choose one of: majority, features_gbdt, .*two_stage"):
        get_method("test-always-agree")
    with pytest.raises(UnknownMethodError):
        STANCE_METHODS.unregister("test-always-agree")


def test_importing_the_package_loads_no_entry_point(install: Install) -> None:
    # A plugin that would fail on import is harmless until chosen, in a process that imports
    # every registry.
    folder = install("newsdesk_test_never", "raise SystemExit('imported')\n",
                     {"newsdesk_reorder_methods": {"test-never": "newsdesk_test_never:X"},
                      "newsdesk_stance_models": {"test-never": "newsdesk_test_never:X"},
                      "newsdesk_executors": {"test-never": "newsdesk_test_never:X"}})
    code = ("import analysis.ordering, analysis.stance._baselines as s, analysis.batch as b, analysis.widgets; "
            "print(analysis.ordering.available_methods(), s.METHODS.names(), b.EXECUTORS.names())")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("'test-never'") == 3
