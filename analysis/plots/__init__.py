"""What a report shows: static figures, heatmap tables and HTML views of each analysis.

A notebook imports what it shows from here (``from analysis.plots import entity_bar_chart,
table_html``); the figures live in one module per analysis, the HTML views beside the analysis
whose rows they render.

Figures are plain matplotlib, so an HTML export embeds them as images and a report reads
without a live kernel. They use no layout engine (constrained or tight layout): a notebook
shows a figure through the inline backend, which crops it to its artists
(``bbox_inches="tight"``), and a layout pass on top of that doubled the time a report spends
drawing, the largest cost of a batch run. Save one with ``fig.savefig(path,
bbox_inches="tight")`` for the same result.

Matrices (entities sharing a sentence, speaker × target stance) and per-sentence probabilities
are shown as HTML tables coloured like a heatmap (:func:`heatmap_table`): the numbers stay
readable and searchable, and a table costs a few milliseconds where a matplotlib heatmap costs a
few hundred, which decides how long a batch of a thousand reports takes.

No text from an article is ever interpreted by the plotting layer: every label passes through
:func:`literal`, so ``Ke$ha`` or a cashtag pair is drawn as written, never as mathtext.
"""

from __future__ import annotations

import html
import importlib
from typing import Any, Callable, Iterable

import pandas as pd

#: What a notebook shows, by name -> the module that defines it (imported on first use, so a
#: report that draws no entity figure never imports that module). Figures are matplotlib
#: figures; the ``*_html`` and ``*_table`` helpers return HTML or display frames.
_LAZY: dict[str, str] = {
    # entities
    "entity_bar_chart": "analysis.plots._entities",
    "label_breakdown_chart": "analysis.plots._entities",
    "cooccurrence_heatmap": "analysis.plots._entities",
    "cooccurrence_table": "analysis.plots._entities",
    "mentions_over_time_chart": "analysis.plots._entities",
    "entity_text_html": "analysis.entities._display",
    "sentences_html": "analysis.entities._display",
    # stance
    "claim_stance_figure": "analysis.plots._stance",
    "claim_stance_table": "analysis.plots._stance",
    "actor_stance_heatmap": "analysis.plots._stance",
    "actor_stance_table": "analysis.plots._stance",
    "speakers_html": "analysis._corpus",
    "stance_articles_html": "analysis._corpus",
    "headline_stance_distribution": "analysis._corpus",
    # reordering
    "join_scores_figure": "analysis.plots._reorder",
    "order_comparison_figure": "analysis.plots._reorder",
    "ordering_summary": "analysis.ordering._report",
    "ordering_table": "analysis.ordering._report",
    "reconstructed_html": "analysis.ordering._report",
    "side_by_side_html": "analysis.ordering._report",
    "WEAK_JOIN": "analysis.ordering._report",
    # any article
    "article_overview": "analysis._report",
    "sentences_table": "analysis._report",
    "seed_lines": "analysis._report",
    "corpus_seed_lines": "analysis._report",
    "table_html": "analysis._report",
}

__all__ = ["literal", "literals", "use_svg", "heatmap_table", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.plots' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def literal(text: object) -> str:
    """``text`` as a matplotlib label that is drawn as written.

    Matplotlib reads a pair of unescaped ``$`` as mathtext (a ``$\\sqrt{`` in a name raises on
    draw); an escaped ``\\$`` is drawn as a plain dollar sign when the label holds no math.
    """
    return str(text).replace("$", r"\$")


def literals(texts: Iterable[object]) -> list[str]:
    """:func:`literal` of each text."""
    return [literal(t) for t in texts]


def use_svg() -> None:
    """Show this kernel's figures as SVG, with text kept as text (crisp, small, reproducible).

    SVG with ``svg.fonttype = "none"`` draws no glyph outlines, which makes a report's figures
    about twice as fast to render as PNG; the fixed hash salt and the absent date make the same
    figure give the same bytes on every run. A no-op outside IPython.
    """
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "newsdesk"
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - IPython is a dependency of the workspace
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg", bbox_inches=None, metadata={"Date": None})


def heatmap_table(matrix: pd.DataFrame, *, cmap: str, vmin: float | None = None, vmax: float | None = None,
                  formatter: Callable[[Any], str] | str | None = None, empty: str = "",
                  table_id: str = "heatmap", caption: str | None = None) -> str:
    """``matrix`` as an HTML table whose cells are coloured by value (a heatmap that stays text).

    Every label and value is HTML-escaped; a missing value shows ``empty``. ``table_id`` fixes the
    ids pandas gives the cells' styles, so one notebook gives the same HTML on every run (give
    each table in a page its own).
    """
    if matrix.empty:
        return f"<p><em>{html.escape(caption or 'nothing to show')}: none.</em></p>"
    matrix = matrix.rename_axis(index=None, columns=None)  # the caption names both axes
    styler = (
        matrix.style.set_uuid(table_id)
        .background_gradient(cmap=cmap, vmin=vmin, vmax=vmax, axis=None)
        .highlight_null(props="background-color:transparent;color:#888")  # not a colour of the scale
        .format(formatter, na_rep=empty, escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_table_attributes('class="nd-heatmap"')
        .set_table_styles([
            {"selector": "td", "props": "text-align:center;min-width:2.6em;padding:.2em .4em"},
            {"selector": "th.col_heading", "props": "writing-mode:vertical-rl;transform:rotate(180deg);"
                                                    "text-align:left;font-weight:normal;padding:.3em .1em"},
            {"selector": "th.row_heading", "props": "text-align:right;font-weight:normal;padding-right:.5em"},
            {"selector": "caption", "props": "caption-side:top;text-align:left;font-weight:600;padding:.3em 0"},
        ])
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler.to_html()
