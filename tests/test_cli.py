"""The one command line: ``python -m analysis`` reaches every command, training included."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_train_reaches_each_models_own_options():
    stance = _run("train", "stance", "--help")
    assert stance.returncode == 0 and "--fnc" in stance.stdout
    reorder = _run("train", "reorder", "--help")
    assert reorder.returncode == 0 and "usage:" in reorder.stdout
    unknown = _run("train", "sentiment")
    assert unknown.returncode == 2 and "invalid choice: 'sentiment'" in unknown.stderr


def test_a_training_error_is_one_line_naming_the_folder(tmp_path):
    missing = tmp_path / "no-fnc"
    proc = _run("train", "stance", "--fnc", str(missing), "--out", str(tmp_path / "model"))
    assert proc.returncode != 0
    assert str(missing) in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "model").exists(), "nothing is written when training cannot start"


def test_every_training_command_exits_2_when_its_input_is_unusable(tmp_path):
    """One exit-code policy: 2 when a command cannot start (usage, input), 1 when work ran and failed."""
    missing = tmp_path / "no-corpus"
    proc = _run("train", "reorder", "--corpus", str(missing), "--out", str(tmp_path / "model"))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and str(missing) in proc.stderr
    stance = _run("train", "stance", "--fnc", str(missing), "--out", str(tmp_path / "model"))
    assert stance.returncode == 2, stance.stderr


def test_there_is_one_command_line():
    """The analyses have no command lines of their own: every command is ``python -m analysis``."""
    for package in ("analysis.stance", "analysis.ordering"):
        proc = subprocess.run([sys.executable, "-m", package], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode != 0 and "cannot be directly executed" in proc.stderr, (package, proc.stderr)
    vectors = _run("train", "vectors", "--help")
    assert vectors.returncode == 0 and "--glove" in vectors.stdout
