"""The batch CLI end to end: real notebooks executed in real kernels (warm ones, on local workers or Dask)."""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis._results import load_results
from conftest import NOTEBOOKS, ROOT, SEED

REPORT = NOTEBOOKS / "article_report.ipynb"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args, "--no-progress"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


def make_notebook(path: Path, source: str, parameters: str = 'seed_path = ""\noutput_dir = None') -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _seed_folder(tmp_path: Path, *names: str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in names:
        shutil.copy(SEED, seeds / f"{name}.txt")
    return seeds


def _lead_first_gold(seed: Path) -> None:
    """Save a gold order for ``seed`` beside it: the lead (line 29) first, the rest as filed."""
    from analysis._gold import save_gold_order
    from analysis._seeds import load_article

    article = load_article(seed)
    lead = article.file_lines.index(29)
    save_gold_order(seed.parent / "gold.jsonl", article, [lead, *(i for i in range(article.n_sentences) if i != lead)])


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    """One batch over the real seed with the real article report (shared by several tests), and
    an analyst's gold order beside it: the lead (line 29) first, the other lines as filed."""
    seeds = tmp_path_factory.mktemp("seeds")
    shutil.copy(SEED, seeds)
    _lead_first_gold(seeds / SEED.name)
    out = tmp_path_factory.mktemp("reports")
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(REPORT))
    return proc, out


@pytest.mark.slow
def test_real_seed_produces_report_index_and_manifest(real_run):
    proc, out = real_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (out / SEED.stem / "article_report.html").read_text(encoding="utf-8")
    assert "US rejects Russia demand on Ukraine" in html
    assert "<img" in html and "data:image/svg+xml;base64" in html, "figures are embedded as SVG images"
    assert "<script" not in html.lower(), "reports load and run no scripts"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{SEED.stem}/article_report.html" in index and ">ok<" in index
    manifest = json.loads((out / "manifest.json").read_text())
    (job,) = manifest["jobs"]
    assert job["status"] == "ok" and job["duration_s"] > 0
    assert any(sha == "dbdd613800e8bf6bf813ea5729d95dac4ef7fa2841eefe95fe658e4a3fb47b56" for sha in job["inputs"].values())
    assert manifest["environment"]["spacy_model"]["model_version"] == "3.8.0"
    assert not list(out.rglob("*.partial")), "no partial file is left behind"


@pytest.mark.slow
def test_index_reads_as_a_dashboard_of_the_articles(real_run):
    import pandas as pd

    _, out = real_run
    index = (out / "index.html").read_text(encoding="utf-8")
    row = pd.read_csv(out / "corpus.csv").set_index("article").loc[SEED.stem]
    assert row["title"] == "US rejects Russia demand on Ukraine but talks see new life"
    assert (row["date"], row["source"], row["sentences"]) == ("2022-01-27", "dunyanews.tv", 30)
    assert row["top_entities"].split("; ")[0] == "Ukraine" and len(row["top_entities"].split("; ")) == 3
    assert row["headline_stance"] in {"agree", "disagree", "discuss", "unrelated"} and 0 <= row["stance_probability"] <= 1
    assert row["quotes"] > 5 and row["speakers"] > 3 and 0 <= row["reordering_confidence"] <= 1
    assert row["status"] == "ok" and (out / row["report"]).is_file()
    for shown in (f'href="{SEED.stem}/article_report.html"', "dunyanews.tv", "Ukraine; Russia", "1 of 1 articles analysed",
                  '<a href="corpus.csv">'):
        assert shown in index, shown
    assert "<script" not in index.lower()


@pytest.mark.slow
def test_report_tables_show_no_index_nan_or_tuples(real_run):
    import re

    _, out = real_run
    page = (out / SEED.stem / "article_report.html").read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert not re.search(r"\bNaN\b|\bNone\b", text), "missing values show as a dash"
    assert not re.search(r"\(\d+, \d+", text), "sequences read 16, 27, not as a Python tuple"
    assert re.search(r"\b20\s*,\s*31\b", text)  # Blinken's evidence, body lines 16 and 27: lines 20 and 31 of the seed file
    for header in ("<thead><tr><th>line</th><th>sentence</th>", "<thead><tr><th>entity</th><th>label</th>",
                   "<thead><tr><th>speaker</th><th>target</th>"):
        assert header in page, f"tables start with their first column, not a pandas index: {header}"


@pytest.mark.slow
def test_report_has_contents_collapsed_methods_and_the_text_with_its_entities(real_run):
    import re

    _, out = real_run
    page = (out / SEED.stem / "article_report.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    # Every in-page link (the contents at the top, the line numbers) lands on an element of the page.
    targets = re.findall(r'href="#([^"]+)"', page)
    assert {"Entities", "Stance", "Reconstructed-article"} <= set(targets)
    assert set(targets) <= ids, set(targets) - ids
    # The method notes are collapsed (no `open`), one per analysis.
    assert page.count("<details><summary>Method</summary>") == 3 and "<details open" not in page
    assert not re.search(r"<summary>Method</summary>\s*</details>", page), "each note holds its text"
    # The text with its entities: displaCy marks, each body line under its line in the seed file.
    assert page.count('<mark class="entity"') == len(load_results(out / SEED.stem / "article_report.results")["mentions"])
    assert {f"line-{n}" for n in range(4, 34)} <= ids
    assert re.search(r'id="line-29"><a [^>]*href="#line-29"[^>]*>29</a>.*?WASHINGTON AFP', page, flags=re.S)
    # One numbering: the tables cite seed-file lines (4-33), each linked to its line's text.
    cited = [int(n) for n in re.findall(r'<a href="#line-(\d+)"', page)]
    assert cited and all(4 <= n <= 33 for n in cited)
    assert re.search(r'<a href="#line-29"[^>]*>line 29</a>', page)  # the lead's row in the claim-stance table
    assert re.search(r'<sup class="cite"><a href="#line-29"', page)  # the lead, cited in the reconstructed article


@pytest.mark.slow
def test_results_files_cite_seed_file_lines(real_run):
    """The results files speak the report's numbering: a line is its line in the seed file (the
    title 1, the body 4-33, the lead 29), and a sequence reads "20; 31", never as a tuple."""
    _, out = real_run
    folder = out / SEED.stem / "article_report.results"
    results = load_results(folder)
    for name in ("mentions", "repairs", "stance_quotes", "stance_claims"):
        lines = results[name]["line"].dropna().astype(int)
        assert not lines.empty and set(lines) <= {1, *range(4, 34)}, (name, sorted(set(lines)))
    assert 1 in set(results["mentions"]["line"])  # the headline's own entities
    claims = results["stance_claims"]
    assert claims.loc[claims["scope"] == "body", "line"].isna().all(), "the whole body is not a line"
    lead = claims[claims["text"].str.startswith("WASHINGTON AFP", na=False)]
    assert list(lead["line"]) == [29]
    blinken = results["stance_actors"].query("speaker == 'Antony Blinken' and target == 'Russia'")
    assert list(blinken["evidence"]) == ["20; 31"]
    (said,) = [a for a in results["stance_summary"]["actor_stance"]
               if a["speaker"] == "Antony Blinken" and a["target"] == "Russia"]
    assert said["evidence"] == [20, 31]
    for path in folder.glob("*.csv"):
        assert not re.search(r"\(\d+,", path.read_text(encoding="utf-8")), f"{path.name} holds a Python tuple"
    entities = results["entities"].set_index("entity")
    ukraine = [int(n) for n in str(entities.at["Ukraine", "lines"]).split(";")]
    assert ukraine and all(4 <= n <= 33 for n in ukraine)


@pytest.mark.slow
def test_report_measures_the_order_against_the_analysts_gold(real_run):
    _, out = real_run
    page = (out / SEED.stem / "article_report.html").read_text(encoding="utf-8")
    assert "Against the gold order in <code>gold.jsonl</code>: Kendall's tau" in page
    reordering = load_results(out / SEED.stem / "article_report.results")["reordering"]
    assert reordering["metrics"]["first_sentence_accuracy"] == 1.0  # the model also opens with the lead
    index = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert f"tau {reordering['metrics']['kendall_tau']:.2f} vs gold" in index
    assert f"order against the gold: mean Kendall's tau {reordering['metrics']['kendall_tau']:.2f} over 1 article" in index
    assert -1 <= reordering["metrics"]["kendall_tau"] <= 1 and len(reordering["gold_order"]) == 30


@pytest.mark.slow
def test_report_names_the_main_entities(real_run):
    _, out = real_run
    results = load_results(out / SEED.stem / "article_report.results")
    top = list(results["entities"]["entity"][:10])
    for name in ("Vladimir Putin", "Antony Blinken", "Russia", "Ukraine", "United States", "NATO"):
        assert name in top, f"{name} missing from the top entities {top}"
    html = (out / SEED.stem / "article_report.html").read_text(encoding="utf-8")
    assert "Antony Blinken" in html and "Vladimir Putin" in html


@pytest.mark.slow
def test_batch_results_stack_into_a_corpus_table(real_run):
    from analysis._results import collect_results

    _, out = real_run
    table = collect_results(out, "entities")
    assert set(table["article"]) == {SEED.stem}
    assert table.loc[table["entity"] == "Vladimir Putin", "mentions"].item() >= 3


@pytest.mark.slow
def test_bad_seed_and_failing_notebook_do_not_sink_the_batch(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "good.txt")
    (seeds / "baddate.txt").write_text("Title\n20221345\nhttps://example.com/a\nBody.\n")
    shutil.copy(SEED, seeds / "explodes.txt")
    notebook = make_notebook(
        tmp_path / "fragile.ipynb",
        "from pathlib import Path\n"
        "if Path(seed_path).stem == 'explodes':\n"
        "    raise RuntimeError('this notebook fails for one seed')\n"
        "print('fine')",
    )
    out = tmp_path / "reports"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3")
    assert proc.returncode == 1
    assert (out / "good" / "fragile.html").is_file()
    assert not (out / "explodes" / "fragile.html").exists(), "a failed run leaves no report that looks complete"
    assert (out / "explodes" / "fragile.failed.ipynb").is_file(), "what ran is kept for debugging"
    assert "baddate" in proc.stdout and "[date]" in proc.stdout and "baddate.txt:2" in proc.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Not analysed" in index and "baddate.txt:2: [date]" in index, "the dashboard lists refused seeds with their rule"
    assert "RuntimeError" in proc.stdout and "explodes" in proc.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert {j["key"]: j["status"] for j in manifest["jobs"]} == {
        "baddate": "invalid-seed",
        "explodes": "failed",
        "good": "ok",
    }


@pytest.mark.slow
def test_timeout_stops_one_notebook_only(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "quick.txt")
    shutil.copy(SEED, seeds / "slow.txt")
    notebook = make_notebook(
        tmp_path / "sleepy.ipynb",
        "import time\nfrom pathlib import Path\nif Path(seed_path).stem == 'slow':\n    time.sleep(120)",
    )
    out = tmp_path / "reports"
    proc = run_cli(
        "batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3", "--timeout", "10"
    )
    assert proc.returncode == 1
    statuses = {j["key"]: j["status"] for j in json.loads((out / "manifest.json").read_text())["jobs"]}
    assert statuses == {"quick": "ok", "slow": "timeout"}
    assert not (out / "slow" / "sleepy.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupted_batch_stops_its_workers_and_publishes_nothing(tmp_path, signum):
    import time

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "a.txt")
    marker = tmp_path / "started"
    notebook = make_notebook(
        tmp_path / "long.ipynb",
        f"import time, pathlib\npathlib.Path({str(marker)!r}).touch()\ntime.sleep(300)",
    )
    out = tmp_path / "reports"
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook),
         "--kernel", "python3", "--no-progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell without job control starts background commands with SIGINT ignored, and
        # children inherit that; restore the default so Ctrl-C reaches the batch as in a terminal.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "the notebook never started"
    import psutil

    # This batch's own workers and kernels (other batches may run on the machine).
    descendants = psutil.Process(proc.pid).children(recursive=True)
    assert descendants, "the batch started no worker"
    proc.send_signal(signum)
    try:
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()  # never leave a batch behind, even when the assertion below fails
    assert proc.returncode == 128 + signum and "interrupted" in stderr
    assert not (out / "a" / "long.html").exists() and not (out / "a" / "long.ipynb").exists()
    time.sleep(1)
    leftovers = [p.pid for p in descendants if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not leftovers, f"worker or kernel processes left running: {leftovers}"


@pytest.mark.slow
def test_rerun_on_a_dask_cluster_reproduces_the_same_results(real_run, tmp_path):
    """A second run, on a real loopback LocalCluster of 2 workers, gives byte-identical results files."""
    _, first_out = real_run
    seeds = _seed_folder(tmp_path, SEED.stem)
    _lead_first_gold(seeds / f"{SEED.stem}.txt")
    second_out = tmp_path / "reports"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(second_out), "--notebooks", str(REPORT),
                   "--executor", "dask", "--workers", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (second_out / SEED.stem / "article_report.html").read_text(encoding="utf-8")
    assert "US rejects Russia demand on Ukraine" in html and "<script" not in html.lower()
    assert f"{SEED.stem}/article_report.html" in (second_out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((second_out / "manifest.json").read_text())
    assert manifest["settings"]["executor"] == "dask" and [j["status"] for j in manifest["jobs"]] == ["ok"]
    assert not list(second_out.rglob("*.partial"))
    first = first_out / SEED.stem / "article_report.results"
    second = second_out / SEED.stem / "article_report.results"
    names = sorted(p.name for p in first.iterdir())
    assert names and names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between runs"


@pytest.mark.slow
def test_script_in_a_seed_never_reaches_the_report(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = SEED.read_text(encoding="utf-8").splitlines()
    text[0] = "<script>alert(1)</script>"
    text[4] = 'Blinken said <img src=x onerror="alert(2)"> was <b>bold</b>.'
    (seeds / "evil.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(REPORT))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (out / "evil" / "article_report.html").read_text(encoding="utf-8")
    assert "alert(1)" in html, "the title is shown, as text"
    tags = _tags(html)
    assert "script" not in {name for name, _ in tags}
    assert not [attr for _, attrs in tags for attr, _ in attrs if attr.startswith("on")], "no event handler from the seed"
    assert not [value for name, attrs in tags if name == "img" for attr, value in attrs if attr == "src" and value == "x"]


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of an HTML page with its attributes, as a browser's parser sees them."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(page)
    return found


def test_unknown_parameter_and_missing_kernel_are_usage_errors(tmp_path):
    proc = run_cli("batch", "--out", str(tmp_path), "--notebooks", str(REPORT), "-p", "no_such_parameter=1")
    assert proc.returncode == 2 and "no_such_parameter" in proc.stderr
    proc = run_cli("batch", "--out", str(tmp_path), "--notebooks", str(REPORT), "--kernel", "no-such-kernel")
    assert proc.returncode == 2 and "no-such-kernel" in proc.stderr


def test_default_notebooks_skip_on_request_ones_and_names_select_notebooks(tmp_path):
    def planned(*args: str) -> list[str]:
        proc = run_cli("batch", "--dry-run", "--out", str(tmp_path), *args)
        assert proc.returncode == 0, proc.stderr
        return [line.split()[1] for line in proc.stdout.splitlines()]

    on_request = {p.stem for p in NOTEBOOKS.glob("*.ipynb")
                  if nbformat.read(str(p), as_version=4).metadata.get("newsdesk", {}).get("batch") == "on-request"}
    default, everything = planned(), planned("--all-notebooks")
    assert "article_report" in default and not on_request & set(default)
    assert on_request <= set(everything) and set(default) <= set(everything)
    assert default[-1] == "entity_frequency", "the corpus notebook runs after the per-seed ones"
    assert planned("--notebooks", "stance") == ["stance"]
    proc = run_cli("batch", "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1")
    assert proc.returncode == 2 and "--executor dask" in proc.stderr


def test_check_command_reports_bad_seeds(tmp_path):
    (tmp_path / "bad.txt").write_text("Title\n20220127\nnot a url\nBody.\n")
    shutil.copy(SEED, tmp_path)
    proc = subprocess.run([sys.executable, "-m", "analysis", "check", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "bad.txt:3: [url]" in proc.stdout and "1 seed(s) valid, 1 refused" in proc.stdout


@pytest.mark.parametrize(
    "fragment",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<iframe src="https://example.com"></iframe>',
    ],
)
def test_static_check_refuses_active_content(fragment):
    from analysis.batch._export import UnsafeReportError, check_static

    with pytest.raises(UnsafeReportError, match="active content"):
        check_static(f"<html><body><p>ok</p>{fragment}</body></html>")
    check_static("<html><body><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><img src='data:image/png;base64,AA'></body></html>")


@pytest.mark.slow
def test_lost_workers_fail_their_job_only_and_are_replaced(tmp_path):
    """A worker killed with -9 fails its job; a hung (stopped) one is killed by the watchdog; the rest run."""
    import os
    import threading
    import time

    from analysis.batch._local import LocalExecutor
    from analysis.batch._plan import plan_jobs

    seeds = _seed_folder(tmp_path, "a", "b", "c", "d", "e")
    notebook = make_notebook(
        tmp_path / "victim.ipynb",
        "import os, time\nfrom pathlib import Path\n"
        f"Path({str(tmp_path)!r}, Path(seed_path).stem + '.worker').write_text(str(os.getppid()))\n"
        "if Path(seed_path).stem in ('b', 'c'):\n    time.sleep(120)",
    )
    plan = plan_jobs(seeds, [notebook], tmp_path / "out", kernel="python3", timeout=8)
    executor = LocalExecutor(workers=2, grace_s=2)
    results = []
    runner = threading.Thread(target=lambda: results.extend(executor.run(plan.jobs)))
    runner.start()
    try:
        for stem, signum in (("b", signal.SIGKILL), ("c", signal.SIGSTOP)):
            marker = tmp_path / f"{stem}.worker"
            deadline = time.monotonic() + 120
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            os.kill(int(marker.read_text()), signum)  # the kernel's parent is the worker process
        runner.join(timeout=180)
    finally:
        executor.close()
    statuses = {r.key: r.status for r in results}
    assert statuses == {"a": "ok", "b": "failed", "c": "timeout", "d": "ok", "e": "ok"}
    errors = {r.key: r.error for r in results}
    assert "killed by signal 9" in errors["b"] and "worker hung" in errors["c"]
    assert not list((tmp_path / "out").glob("[bc]/victim.html"))


@pytest.mark.slow
def test_dask_executor_keeps_failures_timeouts_and_crashes_to_their_jobs(tmp_path):
    seeds = _seed_folder(tmp_path, "fine", "explodes", "sleepy", "crashes")
    notebook = make_notebook(
        tmp_path / "fragile.ipynb",
        "import os, time\nfrom pathlib import Path\nstem = Path(seed_path).stem\n"
        "if stem == 'explodes':\n    raise RuntimeError('this notebook fails for one seed')\n"
        "if stem == 'sleepy':\n    time.sleep(120)\n"
        "if stem == 'crashes':\n    os._exit(1)",
    )
    out = tmp_path / "reports"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3",
                   "--executor", "dask", "--workers", "2", "--timeout", "8")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    jobs = {j["key"]: j for j in json.loads((out / "manifest.json").read_text())["jobs"]}
    assert {k: j["status"] for k, j in jobs.items()} == {"fine": "ok", "explodes": "failed", "sleepy": "timeout", "crashes": "failed"}
    assert "RuntimeError" in jobs["explodes"]["error"] and "kernel died" in jobs["crashes"]["error"]
    assert [p.parent.name for p in out.glob("*/fragile.html")] == ["fine"]
    assert (out / "explodes" / "fragile.failed.ipynb").is_file() and not list(out.rglob("*.partial"))
