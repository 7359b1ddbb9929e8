"""Report-facing pieces of the stance analysis: figures, result files and the notebook."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import load_article
from analysis.plots._stance import actor_stance_heatmap, claim_stance_figure
from analysis.stance import stance_results, write_stance_results

from conftest import ROOT, SEED

NOTEBOOK = ROOT / "notebooks" / "stance.ipynb"


@pytest.fixture(scope="module")
def results():
    return stance_results(load_article(SEED))


def test_figures(results):
    fig = claim_stance_figure(results.claims)
    assert isinstance(fig, Figure)
    assert len(fig.axes[0].get_yticklabels()) == len(results.claims)
    heat = actor_stance_heatmap(results.actors, targets=list(results.targets))
    image = heat.axes[0].images[0].get_array()
    assert image.shape == (results.actors["speaker"].nunique(), len(results.targets))
    empty = actor_stance_heatmap(results.actors.iloc[0:0])
    assert isinstance(empty, Figure)


def test_written_results(results, tmp_path):
    paths = write_stance_results(results, tmp_path / "out")
    assert sorted(p.name for p in paths) == ["stance_actors.csv", "stance_claims.csv", "stance_quotes.csv", "stance_summary.json"]
    summary = json.loads((tmp_path / "out" / "stance_summary.json").read_text(encoding="utf-8"))
    assert summary["article_id"] == "000_3b38e28e8b9a1ce3"
    assert summary["n_statements"] == len(results.quotes) and summary["n_statements"] >= 20
    assert "Antony Blinken" in summary["speakers"]
    quotes = pd.read_csv(tmp_path / "out" / "stance_quotes.csv")
    assert len(quotes) == len(results.quotes)
    assert not list((tmp_path / "out").glob("*.tmp"))
    # Lines are cited by their line in the seed file (the lead is line 29), as in every results file.
    claims = pd.read_csv(tmp_path / "out" / "stance_claims.csv")
    assert claims.loc[claims["text"].str.startswith("WASHINGTON AFP", na=False), "line"].tolist() == [29]
    assert set(quotes["line"]) <= set(range(4, 34))




@pytest.mark.slow
def test_notebook_executes_with_papermill(tmp_path):
    out = tmp_path / "stance.ipynb"
    command = [
        sys.executable, "-m", "papermill", str(NOTEBOOK), str(out), "-k", "python3",
        "--cwd", str(NOTEBOOK.parent), "-p", "output_dir", str(tmp_path / "results"), "-y", "targets: [Russia, NATO]",
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    executed = nbformat.read(out, as_version=4)
    images = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if "image/svg+xml" in o.get("data", {})]
    assert len(images) == 2
    actors = pd.read_csv(tmp_path / "results" / "stance_actors.csv")
    assert set(actors["target"]) <= {"Russia", "NATO"} and "Russia" in set(actors["target"])


@pytest.mark.slow
def test_notebook_html_escapes_article_text(tmp_path):
    from nbconvert import HTMLExporter

    seed = tmp_path / "injection.txt"
    seed.write_text(
        "<script>alert(1)</script>\n20220127\nurn:test:injection\n"
        '"<script>alert(1)</script> is harmless," Jan Novak told reporters.\n'
        "Maria Lopez said the <b>talks</b> would resume.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.ipynb"
    command = [sys.executable, "-m", "papermill", str(NOTEBOOK), str(out), "-k", "python3", "--cwd", str(NOTEBOOK.parent), "-p", "seed_path", str(seed)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    html, _ = HTMLExporter(exclude_input=True).from_filename(str(out))
    assert "<script>alert(1)</script>" not in html
    assert "<b>talks</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
