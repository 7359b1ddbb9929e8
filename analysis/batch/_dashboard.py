"""The corpus as an editor reads it: one row per article, from the article reports' results files.

:func:`corpus_table` reads what each article's report already wrote (``article.json``,
``entities.csv``, ``stance_summary.json``, ``reordering.json``) and analyses nothing again; an
article whose report failed, or whose seed was refused, keeps its row with the run's status and
reason. :func:`dashboard_html` renders that table and a header of corpus counts as static HTML
(every value escaped, no script); the batch writes it at the top of ``index.html`` and the table
itself as ``corpus.csv``.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote, urlsplit

import pandas as pd

from ._jobs import CORPUS_KEY, JobResult

__all__ = ["REPORT", "CORPUS_COLUMNS", "corpus_table", "dashboard_html"]

#: The notebook whose results describe an article.
REPORT = "article_report"
CORPUS_COLUMNS = [
    "article", "title", "date", "source", "sentences", "top_entities", "headline_stance", "stance_probability",
    "quotes", "speakers", "reordering_confidence", "reordering_tau", "status", "error", "report",
]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _entities(path: Path) -> list[str]:
    """The article's canonical entities, most mentioned first (its ``entities.csv``)."""
    try:
        table = pd.read_csv(path, usecols=["entity"], keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return []
    return [str(e) for e in table["entity"]]


def corpus_table(results: Sequence[JobResult], root: Path) -> pd.DataFrame:
    """One row per seed of the batch (columns :data:`CORPUS_COLUMNS`; missing values are empty).

    ``attrs`` holds the corpus's distinct canonical entities and named speakers
    (``distinct_entities``, ``distinct_speakers``), counted over the analysed articles.
    """
    rows = []
    entities: set[str] = set()
    speakers: set[str] = set()
    for r in _one_per_seed(results):
        row: dict[str, Any] = {"article": r.key, "status": r.status, "error": r.error or ""}
        if r.ok and r.results:
            folder = Path(r.results)
            overview = _read_json(folder / "article.json")
            stance = _read_json(folder / "stance_summary.json")
            ordering = _read_json(folder / "reordering.json")
            body = stance.get("body_label")
            named = _entities(folder / "entities.csv")
            entities.update(named)
            # A named speaker is one of the article's entities; a described one ("a spokesman")
            # is quoted too but not named.
            known = set(named)
            quoted = [s for s in stance.get("speakers") or [] if s in known]
            speakers.update(quoted)
            row.update(
                title=overview.get("title", ""),
                date=overview.get("date", ""),
                source=urlsplit(overview.get("url", "")).netloc or overview.get("url", ""),
                sentences=overview.get("sentences"),
                top_entities="; ".join(named[:3]),
                headline_stance=body or "",
                stance_probability=(stance.get("body_probabilities") or {}).get(body) if body else None,
                quotes=stance.get("n_statements"),
                speakers=len(quoted),
                reordering_confidence=ordering.get("confidence"),
                # Kendall's tau against the analyst's gold order, when seeds/gold.jsonl holds one.
                reordering_tau=(ordering.get("metrics") or {}).get("kendall_tau"),
                report=os.path.relpath(r.html, root) if r.html else "",
            )
        rows.append(row)
    table = pd.DataFrame(rows, columns=CORPUS_COLUMNS)
    text = ["title", "date", "source", "top_entities", "headline_stance", "error", "report"]
    table[text] = table[text].astype(object).where(table[text].notna(), "")
    counts = ["sentences", "quotes", "speakers"]
    table[counts] = table[counts].astype("Int64")  # whole numbers, empty where there is no report
    table.attrs.update(distinct_entities=len(entities), distinct_speakers=len(speakers))
    return table


def _one_per_seed(results: Sequence[JobResult]) -> list[JobResult]:
    """Per seed, the result of its report notebook, else its first failure, else its first result
    (batches of other notebooks still list every seed, refused ones with their rule)."""
    by_key: dict[str, list[JobResult]] = {}
    for r in results:
        if r.key != CORPUS_KEY:
            by_key.setdefault(r.key, []).append(r)
    chosen = []
    for key in sorted(by_key):
        runs = by_key[key]
        report = [r for r in runs if r.notebook == REPORT]
        failed = [r for r in runs if not r.ok]
        chosen.append((report or failed or runs)[0])
    return chosen


def _cell(value: Any, fmt: str = "{}") -> str:
    if isinstance(value, str):
        return html.escape(value) if value else "–"
    if value is None or pd.isna(value):
        return "–"
    return html.escape(fmt.format(value))


def dashboard_html(table: pd.DataFrame) -> str:
    """The header of corpus counts, the refused and failed seeds with their reasons, and one row
    per article, as an HTML fragment (``table`` from :func:`corpus_table`)."""
    distinct_entities = table.attrs.get("distinct_entities")
    distinct_speakers = table.attrs.get("distinct_speakers")
    ok = table[table["status"] == "ok"]
    dates = sorted(d for d in ok["date"] if d)
    counts = [
        f"{len(ok):,} of {len(table):,} articles analysed",
        f"{int(ok['sentences'].fillna(0).sum()):,} sentences",
    ]
    if distinct_entities is not None:
        counts.append(f"{distinct_entities:,} distinct entities")
    if distinct_speakers is not None:
        counts.append(f"{distinct_speakers:,} named speakers")
    if dates:
        counts.append(f"dated {dates[0]} to {dates[-1]}")
    measured = ok["reordering_tau"].dropna() if "reordering_tau" in ok else pd.Series(dtype=float)
    if len(measured):
        n = len(measured)
        counts.append(f"order against the gold: mean Kendall's tau {measured.mean():.2f} over {n:,} article{'s' * (n != 1)}")
    parts = [f"<p class=\"counts\">{html.escape(' · '.join(counts))}</p>"]
    bad = table[table["status"] != "ok"]
    if len(bad):
        items = "".join(
            f"<li><strong>{html.escape(r.article)}</strong> ({html.escape(r.status)}): <code>{html.escape(r.error)}</code></li>"
            for r in bad.itertuples()
        )
        parts.append(f"<h2>Not analysed ({len(bad):,})</h2><ul class=\"refused\">{items}</ul>")
    rows = []
    for r in table.itertuples():
        title = html.escape(r.title or r.article)
        link = f'<a href="{html.escape(quote(r.report))}">{title}</a>' if r.report else title
        stance = "–" if not r.headline_stance else (
            f"{html.escape(r.headline_stance)} {_cell(r.stance_probability, '{:.2f}')}")
        rows.append(
            f'<tr><td>{link}<br><small>{html.escape(r.article)}</small></td>'
            f"<td>{_cell(r.date)}</td><td>{_cell(r.source)}</td><td class=\"n\">{_cell(r.sentences)}</td>"
            f"<td>{_cell(r.top_entities)}</td><td>{stance}</td><td class=\"n\">{_cell(r.quotes)}</td>"
            f"<td class=\"n\">{_cell(r.speakers)}</td><td class=\"n\">{_cell(r.reordering_confidence, '{:.2f}')}"
            f"{'' if pd.isna(r.reordering_tau) else f'<br><small>tau {r.reordering_tau:.2f} vs gold</small>'}</td>"
            f'<td class="{html.escape(r.status)}">{html.escape(r.status)}</td></tr>'
        )
    parts.append(
        "<h2>Articles</h2><table class=\"articles\"><thead><tr><th>title</th><th>date</th><th>source</th>"
        "<th>sentences</th><th>top entities</th><th>body to headline</th><th>quotes</th><th>speakers</th>"
        "<th>order confidence</th><th>status</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return "".join(parts)
