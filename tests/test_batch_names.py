"""Seed names and folders a hostile user picks: ids that escape or collide, a second batch on the
same folder, a dry run, odd `-p` values. Real batches (a tiny notebook in the `python3` kernel) on
real files in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from analysis.batch._ids import RESERVED, check_ids, id_problem
from analysis.batch._lock import BatchLocked, batch_lock
from analysis.batch._plan import CORPUS_KEY, plan_jobs
from analysis._seeds import load_corpus
from conftest import ROOT, SEED
from test_batch import make_notebook, run_cli

TINY = "from pathlib import Path\nprint(Path(seed_path).name)"


def _seeds(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SEED, folder / name)
    return folder


def _manifest(out: Path) -> dict[str, dict]:
    jobs = json.loads((out / "manifest.json").read_text())["jobs"]
    return {job["key"]: job for job in jobs}


@pytest.mark.slow
def test_ids_that_would_escape_the_reports_folder_are_refused_and_nothing_outside_is_touched(tmp_path):
    seeds = _seeds(tmp_path / "seeds", "good.txt", "...txt", "..txt", ".hidden.txt", "index.html.txt", "corpus.txt")
    out = tmp_path / "area" / "reports"
    out.mkdir(parents=True)
    sentinel = tmp_path / "area" / "keep.txt"  # beside the reports: what a seed named `...txt` would reach
    sentinel.write_text("not the batch's")
    (out / "stale.txt").write_text("inside the reports, but no seed's")
    notebook = make_notebook(tmp_path / "tiny.ipynb", TINY)
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    jobs = _manifest(out)
    assert jobs["good"]["status"] == "ok" and (out / "good" / "tiny.html").is_file()
    for key in ("..", ".", ".hidden", "index.html", "corpus"):
        assert jobs[key]["status"] == "invalid-seed", key
        assert "[id]" in jobs[key]["error"] and jobs[key]["html"] is None
    assert "...txt: [id]" in proc.stdout
    assert sentinel.read_text() == "not the batch's" and (out / "stale.txt").is_file()
    assert not (tmp_path / "area" / "tiny.html").exists() and not (out / "tiny.html").exists()
    assert (out / "index.html").is_file() and (out / "index.html").read_text().startswith("<!DOCTYPE html>")


def test_colliding_ids_keep_the_first_seed_and_name_it_in_the_refusal(tmp_path):
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    seeds = _seeds(tmp_path / "seeds", "Case.txt", "case.txt", f"{nfc}.txt", f"{nfd}.txt")
    corpus = load_corpus(seeds)
    accepted, refused = check_ids(corpus.articles)
    assert len(accepted) == 2 and len(refused) == 2
    assert all(e.rule == "duplicate-id" for e in refused)
    kept = {a.path.name for a in accepted}
    for error in refused:
        assert any(name in str(error) for name in kept), "the refusal names the seed that keeps the id"
    # the same answer whichever order the files come in
    again, _ = check_ids(reversed(corpus.articles))
    assert [a.path for a in again] == [a.path for a in accepted]
    # the same name in two subfolders (a recursive pattern) is one id too
    _seeds(tmp_path / "nested" / "one", "story.txt")
    _seeds(tmp_path / "nested" / "two", "story.txt")
    accepted, refused = check_ids(load_corpus(tmp_path / "nested", pattern="**/*.txt").articles)
    assert [a.path.parent.name for a in accepted] == ["one"] and refused[0].rule == "duplicate-id"
    assert "one/story.txt" in str(refused[0])


def test_reserved_names_cover_the_batch_files():
    assert CORPUS_KEY in RESERVED and "index.html" in RESERVED and "manifest.json" in RESERVED
    for bad in ("", " ", ".", "..", ".x", "a/b", "a\\b", "tab\there", "x" * 201, "INDEX.HTML", "r.partial"):
        assert id_problem(bad) is not None, bad
    for fine in ("a#1", "50%", "what?", "café", "Ke$ha", "x" * 200):
        assert id_problem(fine) is None, fine


@pytest.mark.slow
def test_odd_but_safe_names_get_reports_and_working_index_links(tmp_path):
    names = ["a#1.txt", "50%.txt", "what?.txt", "spaced name.txt"]
    seeds = _seeds(tmp_path / "seeds", *names)
    out = tmp_path / "reports"
    notebook = make_notebook(tmp_path / "tiny.ipynb", TINY)
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from html.parser import HTMLParser
    from urllib.parse import unquote

    class Links(HTMLParser):
        hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.hrefs.append(dict(attrs)["href"])

    parser = Links()
    parser.feed((out / "index.html").read_text())
    reports = {h for h in parser.hrefs if h.endswith("tiny.html")}  # the dashboard and the run log both link
    assert len(reports) == len(names)
    for href in reports:
        assert "#" not in href and "?" not in href, href
        assert (out / unquote(href)).is_file(), href


@pytest.mark.slow
def test_dry_run_touches_nothing(tmp_path):
    seeds = _seeds(tmp_path / "seeds", "good.txt")
    (seeds / "broken.txt").write_text("Title\nnot a date\nhttps://example.com/a\nBody.\n")
    out = tmp_path / "reports"
    earlier = out / "broken" / "tiny.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("an earlier report")
    notebook = make_notebook(tmp_path / "tiny.ipynb", TINY)
    proc = run_cli("batch", "--dry-run", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook))
    assert proc.returncode == 0 and "REFUSED" in proc.stdout and "[date]" in proc.stdout
    assert earlier.read_text() == "an earlier report", "planning never deletes"
    plan = plan_jobs(seeds, [notebook], out)
    assert [job.key for job in plan.stale] == ["broken"] and earlier.is_file()
    # a real run removes the stale report of the now-refused seed, as the index will say
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3")
    assert proc.returncode == 1 and not earlier.exists()


def test_a_second_batch_on_the_same_folder_exits_at_once_naming_the_holder(tmp_path):
    seeds = _seeds(tmp_path / "seeds", "good.txt")
    out = tmp_path / "reports"
    notebook = make_notebook(tmp_path / "tiny.ipynb", TINY)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom analysis.batch._lock import batch_lock\n"
         f"with batch_lock({str(out)!r}):\n    print('held', flush=True)\n    time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3")
        assert proc.returncode == 2
        assert f"PID {holder.pid}" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        assert not (out / "good").exists() and not (out / "index.html").exists()
        with pytest.raises(BatchLocked) as raised:
            with batch_lock(out):
                pass
        assert raised.value.pid == holder.pid
    finally:
        holder.kill()
        holder.wait()
    with batch_lock(out):  # released when its holder dies, however it dies
        pass


def test_a_read_only_reports_folder_is_one_line(tmp_path):
    seeds = _seeds(tmp_path / "seeds", "good.txt")
    locked = tmp_path / "ro"
    locked.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(locked)], capture_output=True).returncode == 0
    if not mounted:
        if os.geteuid() == 0:
            pytest.skip("root writes any folder, and no read-only tmpfs can be mounted here")
        locked.chmod(0o500)
    try:
        proc = run_cli("batch", "--seeds", str(seeds), "--out", str(locked / "reports"), "--kernel", "python3")
    finally:
        if mounted:
            subprocess.run(["umount", str(locked)], capture_output=True)
        else:
            locked.chmod(0o700)
    assert proc.returncode == 2 and "cannot write the reports folder" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_file_where_the_reports_folder_should_be_is_one_line(tmp_path):
    seeds = _seeds(tmp_path / "seeds", "good.txt")
    (tmp_path / "reports").write_text("a file, not a folder")
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(tmp_path / "reports"), "--kernel", "python3")
    assert proc.returncode == 2 and "cannot write the reports folder" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_parameter_values_that_yaml_misreads_or_cannot_read(tmp_path):
    seeds = _seeds(tmp_path / "seeds", "good.txt")
    notebook = make_notebook(tmp_path / "echo.ipynb", "print(repr(since))", parameters='seed_path = ""\nsince = None')
    out = tmp_path / "reports"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "--kernel", "python3",
                   "-p", "since=2022-01-01")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    executed = (out / "good" / "echo.ipynb").read_text()
    assert "'2022-01-01'" in executed, "a YAML date is passed on as the text typed"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook), "-p", "since=[1, 2")
    assert proc.returncode == 2 and "not valid YAML" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_corpus_notebooks_get_exactly_the_accepted_seeds(tmp_path):
    seeds = _seeds(tmp_path / "glob[x]", "a.txt", "B.txt", "b.txt", ".hidden.txt")
    _seeds(tmp_path / "globx", "intruder.txt")  # what the unescaped pattern glob[x]/*.txt matches
    corpus_nb = make_notebook(
        tmp_path / "corpus_names.ipynb",
        "import glob, json\nfrom pathlib import Path\n"
        "print(json.dumps({'paths': sorted(Path(p).name for p in seed_paths),"
        " 'glob': sorted(Path(p).name for p in glob.glob(seeds_glob))}))",
        parameters='seeds_glob = "../seeds/*.txt"\nseed_paths = None',
    )
    per_seed = make_notebook(tmp_path / "tiny.ipynb", TINY)
    out = tmp_path / "reports"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(per_seed), str(corpus_nb),
                   "--kernel", "python3")
    assert proc.returncode == 1, proc.stdout + proc.stderr  # two seeds are refused by their ids
    assert "b.txt: [duplicate-id]" in proc.stdout and ".hidden.txt: [id]" in proc.stdout
    executed = json.loads((out / "corpus" / "corpus_names.ipynb").read_text())
    printed = json.loads("".join(executed["cells"][-1]["outputs"][0]["text"]))
    assert printed["paths"] == ["B.txt", "a.txt"], "the refused duplicate and the hidden seed are left out"
    assert "intruder.txt" not in printed["glob"], "the folder name is not read as a pattern"


@pytest.mark.slow
def test_a_cell_stuck_in_c_code_is_killed_with_its_kernel_and_the_batch_goes_on(tmp_path):
    import time

    import psutil

    seeds = _seeds(tmp_path / "seeds", "quick.txt", "stuck.txt", "zafter.txt")
    # Catastrophic backtracking: the regex engine never returns to Python, so the kernel cannot
    # see the interrupt; the batch must kill it and start a new kernel for the next seed.
    notebook = make_notebook(
        tmp_path / "stuck.ipynb",
        "import re\nfrom pathlib import Path\nif Path(seed_path).stem == 'stuck':\n"
        "    re.match(r'(a+)+$', 'a' * 60 + 'b')\nprint('done')",
    )
    out = tmp_path / "reports"
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook),
         "--kernel", "python3", "--timeout", "4", "--workers", "1", "--no-progress"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    family: set[int] = set()
    while proc.poll() is None:  # every process the batch starts, to check none outlives it
        try:
            family |= {p.pid for p in psutil.Process(proc.pid).children(recursive=True)}
        except psutil.Error:
            pass
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    assert proc.returncode == 1, proc.stdout + proc.stderr
    jobs = _manifest(out)
    assert {k: j["status"] for k, j in jobs.items()} == {"quick": "ok", "stuck": "timeout", "zafter": "ok"}
    assert (out / "zafter" / "stuck.html").is_file()
    assert elapsed < 90, f"the batch took {elapsed:.0f} s"
    time.sleep(1)
    alive = [pid for pid in family if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert not alive, "no kernel or worker outlives the batch"


@pytest.mark.slow
def test_the_index_is_true_while_a_rerun_runs_and_after_it_is_interrupted(tmp_path):
    import signal
    import time
    from html.parser import HTMLParser
    from urllib.parse import unquote

    seeds = _seeds(tmp_path / "seeds", "a.txt", "b.txt", "c.txt")
    marker = tmp_path / "stuck-on-b"
    notebook = make_notebook(
        tmp_path / "slow.ipynb",
        "import os, time, pathlib\nfrom pathlib import Path\n"
        f"if Path(seed_path).stem == 'b' and os.environ.get('SECOND_RUN'):\n"
        f"    pathlib.Path({str(marker)!r}).touch()\n    time.sleep(300)\nprint('done')",
    )
    out = tmp_path / "reports"
    args = [sys.executable, "-m", "analysis", "batch", "--seeds", str(seeds), "--out", str(out), "--notebooks",
            str(notebook), "--kernel", "python3", "--workers", "1", "--no-progress"]
    first = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs = []

        def handle_starttag(self, tag, attrs):
            if tag == "a" and dict(attrs)["href"].endswith(".html"):
                self.hrefs.append(dict(attrs)["href"])

    def links() -> list[str]:
        parser = Links()
        parser.feed((out / "index.html").read_text())
        return sorted(set(parser.hrefs))

    assert len(links()) == 3
    second = subprocess.Popen(args, cwd=ROOT, env={**os.environ, "SECOND_RUN": "1"}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), "the rerun never reached b"
        time.sleep(1.5)
        # mid-run: every link of the index opens a report that exists, b's is not among them
        assert links() and all((out / unquote(h)).is_file() for h in links())
        assert not any(h.startswith("b/") for h in links())
        manifest = _manifest(out)
        assert manifest["b"]["status"] == "pending" and manifest["b"]["html"] is None
        second.send_signal(signal.SIGINT)
        second.communicate(timeout=60)
    finally:
        second.kill()
    assert second.returncode == 128 + signal.SIGINT
    assert all((out / unquote(h)).is_file() for h in links())
    statuses = {k: j["status"] for k, j in _manifest(out).items()}
    assert statuses == {"a": "ok", "b": "interrupted", "c": "interrupted"}
    assert "interrupted run" in (out / "index.html").read_text()


def _small_disk(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.mark.slow
def test_a_full_disk_fails_the_reports_that_do_not_fit_and_keeps_the_rest(tmp_path):
    disk = tmp_path / "disk"
    if not _small_disk(disk, "800k"):
        pytest.skip("needs root and tmpfs to make a small disk")
    try:
        seeds = _seeds(tmp_path / "seeds", "a.txt", "b.txt", "c.txt", "d.txt")
        notebook = make_notebook(tmp_path / "tiny.ipynb", TINY)
        out = disk / "reports"
        proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--notebooks", str(notebook),
                       "--kernel", "python3", "--workers", "1")
        assert proc.returncode in (1, 2), proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        if proc.returncode == 1:  # the index fitted: it says which reports did not
            jobs = _manifest(out)
            full = [k for k, j in jobs.items() if j["status"] == "failed"]
            assert full and all("No space left on device" in jobs[k]["error"] for k in full)
            for key, job in jobs.items():
                html = out / key / "tiny.html"
                assert html.is_file() == (job["status"] == "ok"), key
                if html.is_file():
                    assert html.read_text().rstrip().endswith("</html>"), "no truncated report looks complete"
        else:
            assert len(proc.stderr.strip().splitlines()) == 1 and "No space left on device" in proc.stderr
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


@pytest.mark.slow
def test_a_name_full_of_dollars_renders_in_every_report_and_the_corpus_report(tmp_path):
    seeds = _seeds(tmp_path / "seeds", "ukraine.txt")
    hostile = (
        "Executives at Ke$\\sqrt{ha$ Records said on Monday the label would appeal.\n"
        "Ke$\\sqrt{ha$ Records said the ruling was wrong.\n"
        "The singer Ke$ha and the label Ke$\\sqrt{ha$ Records met in Los Angeles with $TSLA traders.\n"
    )
    (seeds / "dollars.txt").write_text("Label appeals $5 million ruling\n20220301\nhttps://example.com/a\n" + hostile)
    out = tmp_path / "reports"
    proc = run_cli("batch", "--seeds", str(seeds), "--out", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    jobs = _manifest(out)
    assert {k: j["status"] for k, j in jobs.items()} == {"corpus": "ok", "dollars": "ok", "ukraine": "ok"}
    report = (out / "dollars" / "article_report.html").read_text()
    assert "Ke$\\sqrt{ha$" in report
    corpus = (out / "corpus" / "entity_frequency.html").read_text()
    assert "2 of 2 articles" in corpus


def test_result_files_a_corpus_report_cannot_read_are_listed_not_fatal(tmp_path):
    from analysis._results import stack_results

    for key, text in {"good": "entity,mentions\nNATO,2\n", "empty": "", "binary": "\udcff"}.items():
        folder = tmp_path / key / "article_report.results"
        folder.mkdir(parents=True)
        (folder / "mentions.csv").write_text(text, errors="surrogateescape")
    (tmp_path / "mangled" / "article_report.results").mkdir(parents=True)
    (tmp_path / "mangled" / "article_report.results" / "mentions.csv").write_text('entity,mentions\n"NATO,2\nx,1,2,3\n')
    table, unusable = stack_results(tmp_path, "mentions", ["good", "empty", "binary", "mangled", "absent"])
    assert list(table["article"]) == ["good"] and list(table["entity"]) == ["NATO"]
    assert unusable == ["empty", "binary", "mangled", "absent"]
