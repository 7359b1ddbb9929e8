"""The sentence-reordering notebook: committed clean, and executes end to end with papermill."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from conftest import CORPORA, NOTEBOOKS, SEED, needs_shared

NOTEBOOK = NOTEBOOKS / "sentence_reordering.ipynb"




def _run(tmp_path, *parameters: str) -> dict:
    out = tmp_path / "executed.ipynb"
    command = [
        sys.executable, "-m", "papermill", str(NOTEBOOK), str(out), "-k", "python3", "--cwd", str(NOTEBOOK.parent),
        "-p", "output_dir", str(tmp_path / "results"), *parameters,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    html = "".join(
        o.get("data", {}).get(kind, "")
        for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code" for o in c.outputs
        for kind in ("text/html", "text/markdown")
    )
    return {"html": html, "json": json.loads((tmp_path / "results" / "reordering.json").read_text())}


@pytest.mark.slow
def test_notebook_reconstructs_the_seed(tmp_path) -> None:
    result = _run(tmp_path, "-p", "seed_path", str(SEED))
    assert result["json"]["article"] == SEED.stem and "metrics" not in result["json"]
    assert sorted(result["json"]["order"]) == list(range(30))
    assert result["html"].index("WASHINGTON AFP") < result["html"].index("Kozak said")


@needs_shared
@pytest.mark.slow
def test_notebook_reports_metrics_with_a_gold_order(tmp_path) -> None:
    article = CORPORA / "conll2003-dev" / "articles" / "testa_0022.txt"
    result = _run(
        tmp_path, "-p", "seed_path", str(article), "-p", "gold_path", str(CORPORA / "conll2003-dev" / "gold.jsonl")
    )
    metrics = result["json"]["metrics"]
    assert set(metrics) == {"kendall_tau", "perfect_match", "positional_accuracy", "first_sentence_accuracy"}
    assert -1.0 <= metrics["kendall_tau"] <= 1.0
    assert "Kendall" in result["html"]
