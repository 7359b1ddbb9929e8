"""The batch's table of contents: ``index.html`` for people, ``manifest.json`` for machines."""

from __future__ import annotations

import html
import json
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote

from .._atomic import atomic_write_text
from ._jobs import JobResult

__all__ = ["write_index", "write_manifest", "environment"]

_PACKAGES = ("newsdesk-analysis", "spacy", "pandas", "numpy", "scikit-learn", "matplotlib", "papermill", "nbconvert", "nbclient")


def environment(pipeline: str | None = None) -> dict[str, Any]:
    """Versions that determine the results: Python, key packages and the spaCy pipeline."""
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    info: dict[str, Any] = {"python": platform.python_version(), "packages": versions}
    try:
        from .._nlp import pipeline_info

        info["spacy_model"] = pipeline_info(pipeline)
    except Exception as exc:  # the manifest records the problem; the failing jobs explain it
        info["spacy_model"] = {"error": str(exc)}
    return info


def _relative(path: str | None, root: Path) -> str | None:
    return os.path.relpath(path, root) if path else None


def write_manifest(path: Path, results: Sequence[JobResult], *, settings: dict[str, Any], env: dict[str, Any]) -> Path:
    """Write ``manifest.json``: settings, environment and one record per job, sorted by key."""
    root = path.parent
    records = []
    for r in sorted(results, key=lambda r: (r.key, r.notebook)):
        records.append(
            {
                "key": r.key,
                "notebook": r.notebook,
                "status": r.status,
                "duration_s": r.duration_s,
                "html": _relative(r.html, root),
                "ipynb": _relative(r.ipynb, root),
                "results": _relative(r.results, root),
                "error": r.error,
                "parameters": r.parameters,
                "inputs": r.inputs,
            }
        )
    summary = {status: sum(r.status == status for r in results) for status in sorted({r.status for r in results})}
    document = {"settings": settings, "environment": env, "summary": summary, "jobs": records}
    return atomic_write_text(path, json.dumps(document, indent=2, sort_keys=True) + "\n")


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1250px;color:#222}
table{border-collapse:collapse;width:100%}th,td{padding:.35rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.counts{font-size:1.1rem}small{color:#666}td.n{text-align:right}ul.refused code{white-space:pre-wrap}
.ok{color:#1a7f37}.failed,.timeout,.invalid-seed,.interrupted{color:#b42318;font-weight:600}.pending{color:#777}td.err{font-family:monospace;font-size:12px;white-space:pre-wrap}
"""


def write_index(path: Path, results: Sequence[JobResult], *, title: str = "newsdesk reports",
                dashboard: bool = False) -> Path:
    """Write ``index.html``: one row per key × notebook with status, duration and a link.

    With ``dashboard``, the page starts with the corpus as an editor reads it (one row per
    article from the article reports' results, :mod:`._dashboard`) and ``corpus.csv`` is written
    beside it; a batch does so once its jobs are done.
    """
    root = path.parent
    overview = ""
    if dashboard:
        from ._dashboard import corpus_table, dashboard_html

        table = corpus_table(results, root)
        atomic_write_text(root / "corpus.csv", table.to_csv(index=False))
        overview = dashboard_html(table) + '<p>Machine-readable: <a href="corpus.csv">corpus.csv</a>.</p><h2>Notebook runs</h2>'

    rows = []
    for r in sorted(results, key=lambda r: (r.key, r.notebook)):
        link = _relative(r.html, root)
        # quoted: a seed named "a#1.txt" or "50%.txt" is a folder name, not a fragment or an escape
        target = f'<a href="{html.escape(quote(link))}">report</a>' if link else "—"
        rows.append(
            "<tr>"
            f"<td>{html.escape(r.key)}</td><td>{html.escape(r.notebook)}</td>"
            f'<td class="{html.escape(r.status)}">{html.escape(r.status)}</td>'
            f"<td>{r.duration_s:.1f} s</td><td>{target}</td>"
            f'<td class="err">{html.escape(r.error or "")}</td>'
            "</tr>"
        )
    pending = sum(r.status == "pending" for r in results)
    failed = sum(not r.ok for r in results) - pending
    summary = f"{len(results)} notebook runs, {len(results) - failed - pending} ok, {failed} failed"
    if pending:
        summary += f", {pending} still running or waiting"
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{overview}<p>{html.escape(summary)}. Machine-readable: "
        '<a href="manifest.json">manifest.json</a>.</p>'
        "<table><thead><tr><th>article</th><th>notebook</th><th>status</th><th>time</th><th>output</th><th>error</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
    return atomic_write_text(path, page)
