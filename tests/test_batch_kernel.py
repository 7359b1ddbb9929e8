"""Warm kernels: many notebooks in one live kernel, isolated, with timeouts and crash recovery."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.batch._jobs import Job, JobTimeout, execute_job
from analysis.batch._plan import discover_notebooks, plan_jobs, stages
from conftest import SEED


def make_notebook(path: Path, *cells: str, parameters: str = 'seed_path = ""\noutput_dir = None', metadata=None) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def kernel():
    from analysis.batch._kernel import WarmKernel

    warm = WarmKernel("python3", grace_s=3)
    warm.start()
    yield warm
    warm.shutdown()


def run(kernel, notebook: Path, out: Path, timeout: float | None = 60, **parameters) -> dict:
    kernel.execute_notebook(notebook, out, parameters={"seed_path": "x", **parameters}, cwd=notebook.parent, timeout=timeout)
    return nbformat.read(str(out), as_version=4)  # joins the multi-line strings of the JSON


@pytest.mark.slow
def test_warm_up_loaded_the_models(kernel):
    report = kernel.warmup_report
    for step in ("pandas", "matplotlib", "analysis", "spacy pipeline", "claim-stance model", "reordering model"):
        assert report.get(step, "").startswith("ok"), f"{step}: {report.get(step)}"


@pytest.mark.slow
def test_nothing_leaks_from_one_notebook_to_the_next(kernel, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    first = make_notebook(
        tmp_path / "a" / "a.ipynb",
        "leaked_global = 42\n"
        "import os, sys, warnings, logging\n"
        "import pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt\n"
        "pd.set_option('display.max_rows', 3)\n"
        "mpl.rcParams['lines.linewidth'] = 9.5\n"
        "plt.figure()\n"
        f"os.chdir({str(elsewhere)!r})\n"
        "sys.path.insert(0, '/leaked/path')\n"
        "os.environ['NEWSDESK_LEAK'] = '1'\n"
        "warnings.simplefilter('error')\n"
        "logging.getLogger().addHandler(logging.NullHandler())\n"
        "get_ipython().display_formatter.formatters['text/plain'].for_type(int, lambda n, p, c: p.text('leaked'))",
    )
    second = make_notebook(
        tmp_path / "b" / "b.ipynb",
        "import os, sys, warnings, logging\n"
        "import pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt\n"
        "assert 'leaked_global' not in globals(), 'a global of the previous notebook is visible'\n"
        "assert pd.get_option('display.max_rows') == 60, pd.get_option('display.max_rows')\n"
        "assert mpl.rcParams['lines.linewidth'] == 1.5, mpl.rcParams['lines.linewidth']\n"
        "assert not plt.get_fignums(), 'figures of the previous notebook are open'\n"
        f"assert os.getcwd() == {str(tmp_path / 'b')!r}, os.getcwd()\n"
        "assert '/leaked/path' not in sys.path\n"
        "assert 'NEWSDESK_LEAK' not in os.environ\n"
        "assert not any(f[0] == 'error' and f[2] is Warning for f in warnings.filters), warnings.filters[:3]\n"
        "assert not any(isinstance(h, logging.NullHandler) for h in logging.getLogger().handlers)",
        "7",
    )
    run(kernel, first, tmp_path / "a.out.ipynb")
    executed = run(kernel, second, tmp_path / "b.out.ipynb")
    assert executed["cells"][-1]["outputs"][0]["data"]["text/plain"] == "7", "display formatters are restored"


@pytest.mark.slow
def test_executed_notebook_looks_like_papermills(kernel, tmp_path):
    import papermill

    notebook = make_notebook(
        tmp_path / "p.ipynb",
        "print(seed_path)",
        "import matplotlib.pyplot as plt\nimport pandas as pd\nplt.plot([1, 3, 2])\npd.DataFrame({'a': [1]})",
    )
    papermill.execute_notebook(str(notebook), str(tmp_path / "cold.ipynb"), parameters={"seed_path": "s"},
                               kernel_name="python3", progress_bar=False)
    cold = nbformat.read(str(tmp_path / "cold.ipynb"), as_version=4)

    def shape(nb):
        return [(c.metadata.get("tags"), c.execution_count, [(o.output_type, sorted(o.get("data", {}))) for o in c.outputs])
                for c in nb.cells]

    for attempt in range(2):  # the second run must look like the first: counters restart at 1, figures still render
        executed = run(kernel, notebook, tmp_path / f"p{attempt}.ipynb", seed_path="s")
        assert shape(executed) == shape(cold)
        cells = executed.cells
        assert [c.metadata.get("tags") for c in cells][:2] == [["parameters"], ["injected-parameters"]]
        assert [c.execution_count for c in cells] == [1, 2, 3, 4]
        assert cells[1].source == cold.cells[1].source and cells[2].outputs[0].text == "s\n"
        assert any("image/png" in o.get("data", {}) for o in cells[3].outputs)
        assert sorted(executed.metadata.papermill) == sorted(cold.metadata.papermill)
        assert executed.metadata.papermill.parameters == {"seed_path": "s"}
        assert all(c.metadata.papermill.status == "completed" for c in cells)
        assert executed.metadata.language_info == cold.metadata.language_info


@pytest.mark.slow
def test_timeout_interrupts_and_the_kernel_serves_the_next_notebook(kernel, tmp_path):
    slow = make_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    with pytest.raises(JobTimeout, match="within 2 s"):
        run(kernel, slow, tmp_path / "slow.out.ipynb", timeout=2)
    starts = kernel.starts
    run(kernel, make_notebook(tmp_path / "ok.ipynb", "1"), tmp_path / "ok.out.ipynb")
    assert kernel.starts == starts, "an interrupted, idle kernel is kept"


@pytest.mark.slow
def test_kernel_deaf_to_the_interrupt_is_killed_and_replaced(kernel, tmp_path):
    deaf = make_notebook(tmp_path / "deaf.ipynb", "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)")
    starts = kernel.starts
    with pytest.raises(JobTimeout):
        run(kernel, deaf, tmp_path / "deaf.out.ipynb", timeout=2)
    run(kernel, make_notebook(tmp_path / "after.ipynb", "1"), tmp_path / "after.out.ipynb")
    assert kernel.starts == starts + 1, "the killed kernel was replaced and re-warmed"


@pytest.mark.slow
@pytest.mark.parametrize("crash", ["import os\nos._exit(1)", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"],
                         ids=["os._exit", "kill-9"])
def test_crashed_kernel_fails_its_job_only(kernel, tmp_path, crash):
    from analysis.batch._kernel import KernelDied

    starts = kernel.starts
    with pytest.raises(KernelDied, match="kernel died"):
        run(kernel, make_notebook(tmp_path / "crash.ipynb", crash), tmp_path / "crash.out.ipynb")
    run(kernel, make_notebook(tmp_path / "next.ipynb", "1"), tmp_path / "next.out.ipynb")
    assert kernel.starts == starts + 1


@pytest.mark.slow
def test_execute_job_in_a_warm_kernel_publishes_like_papermill(kernel, tmp_path):
    good = make_notebook(
        tmp_path / "good.ipynb",
        "from pathlib import Path\nPath(output_dir, 'table.csv').write_text('a\\n1\\n')",
    )
    bad = make_notebook(tmp_path / "bad.ipynb", "raise ValueError('broken on purpose')")
    for notebook in (good, bad):
        job = Job(key="k", notebook=str(notebook), out_dir=str(tmp_path / "out"),
                  parameters={"seed_path": str(SEED), "output_dir": "results"}, kernel="python3", timeout=60)
        warm, cold = execute_job(job, kernel=kernel), execute_job(job)
        assert (warm.status, warm.error) == (cold.status, cold.error)
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["bad.failed.ipynb", "good.html", "good.ipynb", "good.results"]
    assert (tmp_path / "out" / "good.results" / "table.csv").read_text() == "a\n1\n"
    assert warm.error == "ValueError in cell [3]: broken on purpose"


def test_warm_up_survives_a_missing_module_and_model(monkeypatch):
    from analysis.batch import _warmup as warmup

    monkeypatch.setattr(warmup, "analysis_modules", lambda: ["analysis.no_such_analysis", "analysis._seeds"])
    report = warmup.warm_up(pipeline="no_such_spacy_pipeline")
    assert report["analysis.no_such_analysis"].startswith("skipped: ModuleNotFoundError")
    assert report["spacy pipeline"].startswith("skipped:") and "no_such_spacy_pipeline" in report["spacy pipeline"]
    assert report["analysis._seeds"].startswith("ok") and report["pandas"].startswith("ok")


def test_on_request_notebooks_run_only_when_asked(tmp_path):
    make_notebook(tmp_path / "report.ipynb", "1")
    make_notebook(tmp_path / "deep_dive.ipynb", "1", metadata={"newsdesk": {"batch": "on-request"}})
    make_notebook(tmp_path / "corpus.ipynb", "1", parameters='seeds_glob = ""\nreports_dir = None')
    make_notebook(tmp_path / "interactive.ipynb", "1", parameters='seeds_dir = ""')
    assert [p.name for p in discover_notebooks(tmp_path)] == ["corpus.ipynb", "report.ipynb"]
    assert [p.name for p in discover_notebooks(tmp_path, include_on_request=True)] == [
        "corpus.ipynb", "deep_dive.ipynb", "report.ipynb",
    ]


def test_corpus_jobs_come_after_every_seed_job_and_get_the_reports_folder(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("a", "b"):
        (seeds / f"{name}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    corpus = make_notebook(tmp_path / "corpus.ipynb", "1", parameters='seeds_glob = ""\nreports_dir = None')
    report = make_notebook(tmp_path / "report.ipynb", "1")
    plan = plan_jobs(seeds, [corpus, report], tmp_path / "out")
    first, second = stages(plan.jobs)
    assert [j.key for j in first] == ["a", "b"] and [j.key for j in second] == ["corpus"]
    assert second[0].parameters["reports_dir"] == str((tmp_path / "out").resolve())


def test_the_seeds_gold_file_reaches_the_notebooks_that_declare_it(tmp_path):
    """An analyst's ``seeds/gold.jsonl`` is passed as ``gold_path``; each article's record is one
    of its job's inputs, so a saved correction re-runs that article only."""
    import json

    from analysis._gold import save_gold_order
    from analysis._seeds import load_article

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("a", "b"):
        (seeds / f"{name}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    with_gold = make_notebook(tmp_path / "report.ipynb", "1", parameters='seed_path = ""\ngold_path = None')
    without = make_notebook(tmp_path / "plain.ipynb", "1")
    assert all("gold_path" not in j.parameters for j in plan_jobs(seeds, [with_gold], tmp_path / "out").jobs)

    article = load_article(seeds / "a.txt")
    save_gold_order(seeds / "gold.jsonl", article, range(article.n_sentences))
    assert json.loads((seeds / "gold.jsonl").read_text())["file"] == "a.txt"
    jobs = {(j.key, Path(j.notebook).stem): j for j in plan_jobs(seeds, [with_gold, without], tmp_path / "out").jobs}
    assert jobs["a", "report"].parameters["gold_path"] == str((seeds / "gold.jsonl").resolve())
    assert "gold_path" not in jobs["a", "plain"].parameters
    gold_inputs = lambda job: {k: v for k, v in job.inputs.items() if "gold.jsonl" in k}  # noqa: E731
    assert len(gold_inputs(jobs["a", "report"])) == 1 and not gold_inputs(jobs["b", "report"])
    before = gold_inputs(jobs["a", "report"])
    save_gold_order(seeds / "gold.jsonl", article, reversed(range(article.n_sentences)))
    again = {j.key: j for j in plan_jobs(seeds, [with_gold], tmp_path / "out").jobs}
    assert gold_inputs(again["a"]) != before and again["b"].inputs == jobs["b", "report"].inputs


def test_one_batch_config_plans_what_the_keywords_plan(tmp_path):
    from analysis.batch import BatchConfig

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    report = make_notebook(tmp_path / "report.ipynb", "1", parameters='seed_path = ""\npipeline = None')
    config = BatchConfig(seeds=str(seeds), out_dir=tmp_path / "out", kernel="python3", timeout=8,
                         parameters={"pipeline": "en_core_web_sm"})
    by_config = plan_jobs(config, [report])
    by_keywords = plan_jobs(seeds, [report], tmp_path / "out", kernel="python3", timeout=8,
                            parameters={"pipeline": "en_core_web_sm"})
    assert by_config.jobs == by_keywords.jobs and by_config.jobs[0].parameters["pipeline"] == "en_core_web_sm"
    assert config.pipeline == "en_core_web_sm" and config.seeds == seeds
    settings = config.replace(workers=3).settings([report])
    assert settings["workers"] == 3 and settings["timeout_s"] == 8 and settings["notebooks"] == [str(report)]
    with pytest.raises(Exception):
        config.workers = 2  # frozen: a batch's settings do not change under it
