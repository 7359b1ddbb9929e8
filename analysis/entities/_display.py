"""Report-ready views: the text with its entities, the sentences of an entity, the repairs.

Every piece of article text is passed through :func:`html.escape` (displaCy escapes what it
renders too): a seed may hold markup (``<script>...``) and reports must show it as text.
"""

from __future__ import annotations

import glob
import html
from pathlib import Path
from typing import Iterable

import pandas as pd

from .._analysed import ArticleLike, as_analysed
from .._repair import TITLE_LINE
from .._report import line_anchor
from .._seeds import Corpus, load_corpus
from ..names._mentions import mentions

__all__ = [
    "entity_text_html",
    "highlight_html",
    "line_anchor",
    "entity_sentences",
    "sentences_html",
    "repairs_table",
    "load_articles",
]


def highlight_html(text: str, spans: Iterable[tuple[int, int]], *, label: str | None = None) -> str:
    """``text`` as escaped HTML with each ``(start, end)`` span wrapped in ``<mark>``.

    Overlapping or out-of-range spans are clipped; ``label`` becomes the marks' ``title``.
    """
    title = f' title="{html.escape(label, quote=True)}"' if label else ""
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark{title}>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


def entity_text_html(article: ArticleLike, *, table: pd.DataFrame | None = None, pipeline: str | None = None) -> str:
    """The title and every body line as written, in file order, with the canonical entity
    mentions highlighted by spaCy's displaCy (static HTML, no script).

    Each mark is labelled with the entity's label and, where the mention is a shortened or
    variant form, the canonical name it counts for (``PERSON: Vladimir Putin``). Each body line
    carries its line number in the seed file and the id :func:`line_anchor` gives it, so a
    table elsewhere in the report can link to it.

    ``table``: the article's mention table when already known (as in :func:`entity_sentences`).
    """
    from spacy import displacy
    from spacy.displacy.render import DEFAULT_LABEL_COLORS

    if table is None:
        article = as_analysed(article, pipeline=pipeline)
        table = mentions(article)
    by_line: dict[int, list[dict]] = {}
    colors: dict[str, str] = {}
    for line, start, end, text, entity, label in zip(
        table["line"], table["start"], table["end"], table["text"], table["entity"], table["entity_label"]
    ):
        shown = label if entity == text else f"{label}: {entity}"
        colors[shown] = DEFAULT_LABEL_COLORS.get(label, "#ddd")
        by_line.setdefault(int(line), []).append({"start": int(start), "end": int(end), "label": shown})

    def render(text: str, line: int) -> str:
        ents, cursor = [], 0
        for ent in sorted(by_line.get(line, ()), key=lambda e: (e["start"], -e["end"])):
            if ent["start"] >= cursor and ent["end"] <= len(text):  # displaCy needs disjoint spans
                ents.append(ent)
                cursor = ent["end"]
        parsed = {"text": text, "ents": ents, "title": None}
        return displacy.render(parsed, style="ent", manual=True, page=False, jupyter=False, options={"colors": colors})

    rows = [f'<div class="nd-line nd-title"><span class="nd-lineno">title</span>{render(article.title, TITLE_LINE)}</div>']
    for index, (number, text) in enumerate(zip(article.file_lines, article.sentences)):
        anchor = line_anchor(number)
        rows.append(
            f'<div class="nd-line" id="{anchor}"><a class="nd-lineno" href="#{anchor}">{number}</a>'
            f"{render(text, index)}</div>"
        )
    return '<div class="nd-entity-text">' + "".join(rows) + "</div>"


def entity_sentences(
    article: ArticleLike,
    entity: str,
    *,
    pipeline: str | None = None,
    fold_demonyms: bool = False,
    fold_metonyms: bool = False,
    aliases: str | Path | None = None,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The lines mentioning ``entity`` (a canonical name), with the mentions highlighted.

    Columns: ``line`` (-1 for the title), ``sentence`` (original text), ``mentions`` (forms as
    written, ``"; "``-joined) and ``html`` (escaped sentence with ``<mark>`` around each mention).

    ``table``: the article's mention table when it is already known (e.g. read back from its
    report's ``mentions.csv``); then ``article`` may be a plain Article and nothing is analysed.
    """
    if table is None:
        article = as_analysed(article, pipeline=pipeline)
        table = mentions(article, fold_demonyms=fold_demonyms, fold_metonyms=fold_metonyms, aliases=aliases)
    table = table[table["entity"] == entity]
    rows = []
    for line, group in table.groupby("line", sort=True):
        text = article.title if line == TITLE_LINE else article.sentences[line]
        spans = list(zip(group["start"], group["end"]))
        rows.append((int(line), text, "; ".join(group["text"]), highlight_html(text, spans, label=entity)))
    return pd.DataFrame(rows, columns=["line", "sentence", "mentions", "html"])


def repairs_table(article: ArticleLike, *, pipeline: str | None = None) -> pd.DataFrame:
    """Every change made before analysis: ``line`` (-1 = title), ``original``, ``replacement``,
    ``start``, ``end`` (offsets in the original line) and ``reason``."""
    repairs = as_analysed(article, pipeline=pipeline).repairs
    return pd.DataFrame(repairs, columns=["line", "original", "replacement", "start", "end", "reason"])


def sentences_html(table: pd.DataFrame, *, article_id: str | None = None) -> str:
    """An HTML table of :func:`entity_sentences` rows (the ``html`` column is already escaped)."""
    caption = f"<caption>{html.escape(article_id)}</caption>" if article_id else ""
    rows = "".join(
        f"<tr><td style='text-align:right;vertical-align:top'>{'title' if line == TITLE_LINE else html.escape(str(line))}</td>"
        f"<td style='text-align:left'>{cell}</td></tr>"
        for line, cell in zip(table["line"], table["html"])
    )
    return f"<table>{caption}<tr><th>line</th><th>sentence</th></tr>{rows}</table>"


def load_articles(pattern: str, *, base: str | Path | None = None) -> Corpus:
    """Read the seed files matching a glob ``pattern`` (relative patterns are tried from the
    current directory, then from ``base``); files that break the format are collected as errors."""
    paths = sorted(glob.glob(pattern))
    if not paths and base is not None and not Path(pattern).is_absolute():
        paths = sorted(glob.glob(str(Path(base) / pattern)))
    return load_corpus([Path(p) for p in paths if Path(p).is_file()])

