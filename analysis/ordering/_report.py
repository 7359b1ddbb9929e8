"""Report-ready views of an :class:`~analysis.ordering._base.Ordering`: table, HTML, JSON.

All HTML built here escapes the article's text (a headline may be ``<script>…``), so it can be
shown with ``IPython.display.HTML`` and exported by nbconvert safely.
"""

from __future__ import annotations

import html
from typing import Any, Sequence

import pandas as pd

from .._report import line_anchor
from .._seeds import Article
from ._base import Ordering
from ._metrics import check_permutation, evaluate

__all__ = ["WEAK_JOIN", "ordering_table", "reconstructed_html", "side_by_side_html", "ordering_summary"]

#: A join whose pair score is below this is marked as weak: the model barely prefers this
#: order of the two sentences over the reverse.
WEAK_JOIN = 0.55


def ordering_table(article: Article, ordering: Ordering, gold: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per sentence in the reconstructed order.

    Columns: ``position`` (1-based, reconstructed), ``line`` (the sentence's line in the seed
    file, the numbering every report uses), ``join_score`` (score of the join from the previous sentence; empty for the first),
    ``gold_position`` (when ``gold`` is given), ``sentence``.
    """
    order = check_permutation(ordering.order, article.n_sentences)
    rows: dict[str, Any] = {
        "position": range(1, len(order) + 1),
        "line": [article.file_lines[i] for i in order],
        "join_score": [float("nan"), *ordering.pair_scores],
    }
    if gold is not None:
        gold = check_permutation(gold, article.n_sentences)
        gold_rank = {sentence: k + 1 for k, sentence in enumerate(gold)}
        rows["gold_position"] = [gold_rank[i] for i in order]
    rows["sentence"] = [article.sentences[i] for i in order]
    return pd.DataFrame(rows)


_STYLE = (
    "<style>"
    ".nd-reorder p{margin:0 0 .6em 0;line-height:1.5}"
    ".nd-reorder .weak{display:block;color:#a33;font-size:.8em;margin:.2em 0 .4em 0;"
    "border-top:1px dashed #c88}"
    ".nd-reorder .lead{font-weight:600}"
    ".nd-reorder .cite{font-size:.7em;margin-left:.15em;font-weight:400}.nd-reorder .cite a{color:#777;text-decoration:none}"
    ".nd-side td{vertical-align:top;padding:.2em .6em;text-align:left}"
    "</style>"
)


def reconstructed_html(article: Article, ordering: Ordering, *, weak_join: float = WEAK_JOIN, link_lines: bool = False) -> str:
    """The article as reconstructed, as escaped HTML prose.

    Sentences flow as paragraphs; a weak join (pair score below ``weak_join``) starts a new
    paragraph behind a dashed rule that gives the score, so the reader sees where the order is
    a guess. ``link_lines``: each sentence ends with its line in the seed file, linked to
    ``#line-N`` (for a report whose text carries those ids).
    """
    order = check_permutation(ordering.order, article.n_sentences)
    parts = [_STYLE, '<div class="nd-reorder">', f"<h3>{html.escape(article.title)}</h3>"]
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            parts.append("<p>" + " ".join(paragraph) + "</p>")
            paragraph.clear()

    numbers = article.file_lines
    for k, index in enumerate(order):
        text = html.escape(article.sentences[index])
        if link_lines:
            text += f'<sup class="cite"><a href="#{line_anchor(numbers[index])}">{numbers[index]}</a></sup>'
        if k == 0:
            paragraph.append(f'<span class="lead">{text}</span>')
            continue
        score = ordering.pair_scores[k - 1]
        if score < weak_join:
            flush()
            parts.append(f'<span class="weak">weak join: score {score:.2f}</span>')
        paragraph.append(text)
    flush()
    parts.append(
        f'<p><small>method {html.escape(ordering.method)}, confidence {ordering.confidence:.2f}; '
        f"{sum(s < weak_join for s in ordering.pair_scores)} of {len(ordering.pair_scores)} joins weak "
        f"(score &lt; {weak_join:.2f})</small></p></div>"
    )
    return "".join(parts)


def side_by_side_html(article: Article, ordering: Ordering, gold: Sequence[int] | None = None) -> str:
    """An escaped HTML table: the reconstructed order beside the file order (and the gold
    position of each sentence when ``gold`` is given)."""
    table = ordering_table(article, ordering, gold)
    head = ["#", "reconstructed", "join", "line"] + (["gold #"] if gold is not None else []) + ["line", "file order"]
    cells = ["<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for k, row in table.iterrows():
        join = "" if k == 0 else f"{row['join_score']:.2f}"
        extra = [f"<td>{int(row['gold_position'])}</td>"] if gold is not None else []
        cells.append(
            "<tr>"
            f"<td>{row['position']}</td><td>{html.escape(row['sentence'])}</td><td>{join}</td>"
            f"<td>{row['line']}</td>" + "".join(extra) +
            f"<td>{article.file_lines[k]}</td><td>{html.escape(article.sentences[k])}</td>"
            "</tr>"
        )
    return _STYLE + '<table class="nd-side">' + "".join(cells) + "</table>"


def ordering_summary(article: Article, ordering: Ordering, gold: Sequence[int] | None = None) -> dict[str, Any]:
    """The key results, JSON-ready: article id and sha256, method, order, pair scores,
    confidence, the order as seed-file ``lines``, and the metrics against ``gold`` when given."""
    summary: dict[str, Any] = {"article": article.id, "sha256": article.sha256, "n_sentences": article.n_sentences}
    summary.update(ordering.to_dict())
    # ``order`` indexes the body lines; ``lines`` names them as the seed file does (the reports' numbering).
    summary["lines"] = [article.file_lines[i] for i in ordering.order]
    if gold is not None:
        summary["gold_order"] = list(check_permutation(gold, article.n_sentences))
        summary["gold_lines"] = [article.file_lines[i] for i in summary["gold_order"]]
        summary["metrics"] = evaluate(ordering.order, gold)._asdict()
    return summary
