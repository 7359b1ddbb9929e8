"""Explorer tab: claim stance toward the headline, quotes, and speaker × target stance."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..plots._stance import actor_stance_heatmap, claim_stance_figure
from .._analysed import ArticleLike
from ..stance import actor_stance, claim_stance, default_targets, quotes
from ._base import ExplorerTab, figure_html, message_html, table_html


class StanceTab(ExplorerTab):
    """Per-sentence claim stance, the quotes table, and a heatmap over the picked targets."""

    title = "Stance"

    def __init__(self, *, pipeline: str | None = None) -> None:
        super().__init__(pipeline=pipeline)
        self.targets = widgets.SelectMultiple(options=[], description="Targets", rows=6).add_class("nd-targets")
        self.claims_chart = widgets.HTML().add_class("nd-claims-chart")
        self.claims = widgets.HTML().add_class("nd-claims-table")
        self.heatmap = widgets.HTML().add_class("nd-stance-heatmap")
        self.actors = widgets.HTML().add_class("nd-actor-table")
        self.quotes = widgets.HTML().add_class("nd-quotes-table")
        self._article_shown: str | None = None
        self.targets.observe(self._show_actors, "value")
        self._widget = widgets.VBox(
            [
                self.error,
                widgets.HTML("<h4>Each sentence toward the headline</h4>"),
                self.claims_chart,
                self.claims,
                widgets.HTML("<h4>Who says what about whom</h4>"),
                widgets.HBox([self.targets, self.heatmap]),
                self.actors,
                widgets.HTML("<h4>Quotes and reported speech</h4>"),
                self.quotes,
            ]
        )

    @property
    def widget(self) -> widgets.Widget:
        return self._widget

    def render(self, article: ArticleLike) -> None:
        claims = self.cached(("claims", article.sha256, self.pipeline), lambda: claim_stance(article, pipeline=self.pipeline))
        self.claims_chart.value = figure_html(claim_stance_figure(claims))
        self.claims.value = table_html(claims.round(3))
        found = self.cached(("quotes", article.sha256, self.pipeline), lambda: quotes(article, pipeline=self.pipeline))
        self.quotes.value = table_html(found)
        if self._article_shown != article.sha256:
            # A new article brings its own entities: offer them, preselect the top ones.
            candidates = self.cached(("targets", article.sha256, self.pipeline), lambda: default_targets(article, top=12, pipeline=self.pipeline))
            self._article_shown = article.sha256
            self.targets.unobserve(self._show_actors, "value")
            self.targets.options = candidates
            self.targets.value = tuple(candidates[:5])
            self.targets.observe(self._show_actors, "value")
        self._show_actors()

    def _show_actors(self, *_: Any) -> None:
        article = self.article
        if article is None:
            return
        chosen = tuple(self.targets.value)
        if not chosen:
            self.heatmap.value = ""
            self.actors.value = message_html("Pick one or more targets.")
            return
        stances = self.cached(("actors", article.sha256, chosen, self.pipeline), lambda: actor_stance(article, list(chosen), pipeline=self.pipeline))
        self.heatmap.value = figure_html(actor_stance_heatmap(stances, targets=list(chosen))) if not stances.empty else ""
        self.actors.value = table_html(stances) if not stances.empty else message_html("No named speaker mentions these targets.")
