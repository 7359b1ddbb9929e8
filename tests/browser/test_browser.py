"""JupyterLab and an exported report in a real headless Chromium (Debian's; no browser download).

Run with `make test-browser`. Starts JupyterLab on a free loopback port with a token, opens
notebooks/explore.ipynb, runs all cells, changes a widget and waits for the output to follow,
then opens an HTML report produced by the batch and checks it renders with no script errors.
Screenshots go to reports/screenshots/.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SEED

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SHOTS = ROOT / "reports" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"Chromium not found at {CHROMIUM}; run tests/browser/setup.sh (make test-browser does)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        # user_data_dir is given through launch_persistent_context, as Playwright requires.
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=FLAGS, headless=True, viewport={"width": 1400, "height": 1000}
        )
        yield context
        context.close()


@contextlib.contextmanager
def _jupyterlab(root: Path, home: Path):
    """A JupyterLab server serving ``root`` on loopback with a token; stopped on exit."""
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
    }
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start: " + (home / "lab.log").read_text()[-2000:])
    try:
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab over the project."""
    with _jupyterlab(ROOT, tmp_path_factory.mktemp("lab-home")) as server:
        yield server


def _run_notebook(page, base: str, token: str, path: str) -> None:
    """Open a notebook in JupyterLab, wait for its kernel, and run every cell."""
    page.goto(f"{base}/lab/tree/{path}?token={token}", wait_until="domcontentloaded")
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=120_000)
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget; return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel && w.sessionContext.session.kernel.connectionStatus === 'connected'; }",
        timeout=120_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def test_explorer_runs_and_follows_a_widget_change(lab, browser):
    base, token = lab
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _run_notebook(page, base, token, "notebooks/explore.ipynb")
    table = page.locator(".nd-entity-table")
    table.first.wait_for(timeout=180_000)
    page.wait_for_function(
        "() => { const t = document.querySelector('.nd-entity-table'); return t && t.innerText.includes('Vladimir Putin'); }",
        timeout=180_000,
    )
    before = table.first.inner_text()
    assert "Russia" in before and "Vladimir Putin" in before
    SHOTS.mkdir(parents=True, exist_ok=True)

    # Restrict the entity table to people: the countries must leave it.
    page.select_option(".nd-label select", "PERSON")
    page.wait_for_function(
        "() => { const t = document.querySelector('.nd-entity-table'); return t && !t.innerText.includes('Russia')"
        " && t.innerText.includes('Vladimir Putin'); }",
        timeout=60_000,
    )
    # Room for the explorer: no file browser, no news prompt, the widget scrolled into view.
    page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
    no_news = page.get_by_role("button", name="No")
    if no_news.count():
        no_news.first.click()
    page.locator(".nd-explorer").first.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('.nd-explorer').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "explore.png"), full_page=False)
    assert not errors, errors


def test_exported_report_renders_with_charts_and_no_script_errors(browser, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    out = tmp_path / "reports"
    subprocess.run(
        [sys.executable, "-m", "analysis", "batch", "--seeds", str(seeds), "--out", str(out), "--no-progress",
         "--notebooks", str(ROOT / "notebooks" / "article_report.ipynb")],
        check=True, cwd=ROOT, capture_output=True, timeout=600,
    )
    report = out / SEED.stem / "article_report.html"
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.goto(report.as_uri(), wait_until="load")
    images = page.locator("img")
    assert images.count() >= 1
    widths = page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
    assert all(w > 100 for w in widths), f"charts did not render: {widths}"
    assert "Vladimir Putin" in page.inner_text("body")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "article_report.png"), full_page=False)
    # The method notes start collapsed and open on a click.
    assert not page.get_by_text("Toward the headline.").is_visible(), "a closed note hides its text"
    method = page.locator("details").first
    assert not method.evaluate("d => d.open")
    method.locator("summary").click()
    assert method.evaluate("d => d.open")
    # The contents link scrolls to its section; a line number links to its line.
    page.locator("#line-29").scroll_into_view_if_needed()
    page.click("#line-29 a.nd-lineno")
    assert page.evaluate("location.hash") == "#line-29"
    assert "WASHINGTON AFP" in page.inner_text("#line-29")
    assert page.locator("#line-29 mark.entity").count() >= 1
    page.screenshot(path=str(SHOTS / "article_report_entities.png"), full_page=False)
    assert not problems, problems


def test_dashboard_of_three_seeds_one_refused(browser, tmp_path):
    """The index as an editor opens it: every link resolves, the refused seed shows its rule."""
    from urllib.parse import unquote, urlparse

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "a_seed.txt")
    title, date, url, *body = SEED.read_text(encoding="utf-8").splitlines()
    (seeds / "b_second.txt").write_text("\n".join(["Talks on Ukraine go on in Paris", date, url + "?second", *body[:12]]) + "\n")
    (seeds / "c_refused.txt").write_text("\n".join(["A headline", "27 January 2022", url, *body[:3]]) + "\n")
    out = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "batch", "--seeds", str(seeds), "--out", str(out), "--no-progress"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # one seed refused: a failure, the rest published
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.goto((out / "index.html").as_uri(), wait_until="load")
    text = page.inner_text("body")
    assert "US rejects Russia demand on Ukraine" in text and "Talks on Ukraine go on in Paris" in text
    assert "c_refused.txt:2: [date]" in text, text
    hrefs = page.evaluate("Array.from(document.links).map(a => a.href)")
    local = [h for h in hrefs if h.startswith("file:")]
    assert len(local) >= 4, hrefs  # two reports, the corpus report, corpus.csv
    for href in local:
        assert Path(unquote(urlparse(href).path)).is_file(), href
    assert page.locator("script").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    assert not problems, problems


def test_explorer_saves_an_analysts_order_as_gold(browser, tmp_path):
    """The reordering tab in JupyterLab: move a sentence down, save, and the seeds' gold.jsonl
    holds that order; the tab then reports the model against it."""
    import nbformat

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    cell.source = cell.source.replace('seeds_dir = "../seeds"', 'seeds_dir = "seeds"')
    assert 'seeds_dir = "seeds"' in cell.source
    nbformat.write(notebook, tmp_path / "explore.ipynb")
    home = tmp_path / "lab-home"
    home.mkdir()
    with _jupyterlab(tmp_path, home) as (base, token):
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _run_notebook(page, base, token, "explore.ipynb")
        page.locator(".nd-explorer").first.wait_for(timeout=180_000)
        page.locator(".nd-explorer .lm-TabBar-tab", has_text="Reordering").first.click()
        editor = page.locator(".nd-order-editor select")
        editor.wait_for(timeout=180_000)
        page.wait_for_function("() => document.querySelectorAll('.nd-order-editor option').length === 30", timeout=120_000)
        # An option reads " 1. line 29: WASHINGTON AFP - …" (spaces shown as no-break spaces):
        # the sentence follows the first ": ".
        first = editor.locator("option").first.text_content().replace("\xa0", " ").split(": ", 1)[1][:40]
        editor.select_option(index=0)
        page.locator(".nd-order-down").click()
        page.wait_for_function(
            "first => document.querySelectorAll('.nd-order-editor option')[1].textContent.replace(/\\u00a0/g, ' ').includes(first)",
            arg=first, timeout=60_000,
        )
        page.locator(".nd-order-save").click()
        page.wait_for_function(
            "() => { const s = document.querySelector('.nd-order-status'); return s && s.innerText.includes('Saved as the gold order'); }",
            timeout=60_000,
        )
        page.locator(".nd-corrections").first.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "explore_reorder.png"), full_page=False)
        summary = page.inner_text(".nd-reorder-summary")
        assert "Kendall's tau" in summary and "no gold order" not in summary
        assert not errors, errors
    (record,) = [json.loads(line) for line in (seeds / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["file"] == SEED.name and len(record["sentences"]) == 30
    # The sentence that was first in the model's order is second in the saved one.
    assert record["sentences"][1].startswith(first)
