"""Explorer tab: the article in its reconstructed order, beside the file order."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from ..reorder import DEFAULT_METHOD, available_methods, evaluate, reorder
from ..reorder.report import reconstructed_html, side_by_side_html
from ..analysed import ArticleLike
from ..seeds import gold_order, load_gold
from .base import ExplorerTab, register_tab


@register_tab("Reordering")
class ReorderTab(ExplorerTab):
    """Method picker; reconstructed prose with weak joins marked; metrics when a gold order is known."""

    accepts_gold = True

    def __init__(self, *, model: str | None = None, gold: str | Path | None = None) -> None:
        super().__init__(model=model)
        self.gold = load_gold(gold) if gold else {}
        methods = list(available_methods())
        self.method = widgets.Dropdown(
            options=methods, value=DEFAULT_METHOD if DEFAULT_METHOD in methods else methods[0], description="Method"
        ).add_class("nd-method")
        self.summary = widgets.HTML().add_class("nd-reorder-summary")
        self.prose = widgets.HTML().add_class("nd-reconstructed")
        self.comparison = widgets.HTML().add_class("nd-side-by-side")
        self.ordering = None
        self.method.observe(self.refresh, "value")
        self._widget = widgets.VBox([self.method, self.error, self.summary, widgets.HBox([self.prose, self.comparison])])

    @property
    def widget(self) -> widgets.Widget:
        return self._widget

    def render(self, article: ArticleLike) -> None:
        method = self.method.value
        ordering = self.cached((article.sha256, method), lambda: reorder(article, method=method))
        self.ordering = ordering
        gold = gold_order(article, self.gold[article.id]) if article.id in self.gold else None
        line = f"<b>{html.escape(method)}</b>: confidence {ordering.confidence:.2f}"
        if gold is not None:
            m = evaluate(ordering.order, gold)
            line += (
                f" · Kendall's tau {m.kendall_tau:.2f} · perfect match {m.perfect_match:.0f}"
                f" · positional accuracy {m.positional_accuracy:.2f} · first sentence {'right' if m.first_sentence_accuracy else 'wrong'}"
            )
        else:
            line += " · no gold order for this article"
        self.summary.value = f"<p>{line}</p>"
        self.prose.value = reconstructed_html(article, ordering)
        self.comparison.value = side_by_side_html(article, ordering, gold)
