"""Explorer tab: canonical entities of the article, with their sentences highlighted."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from .._language import MENTION_LABELS
from ..entities import entity_frequency, entity_sentences
from ..plots._entities import entity_bar_chart
from .._analysed import ArticleLike
from ._base import ExplorerTab, figure_html, message_html, table_html

ALL = "all labels"


class EntitiesTab(ExplorerTab):
    """Label filter, top-n slider and folding options over :func:`~analysis.entities.entity_frequency`;
    picking an entity lists its sentences with each mention marked."""

    title = "Entities"

    def __init__(self, *, pipeline: str | None = None) -> None:
        super().__init__(pipeline=pipeline)
        self.label = widgets.Dropdown(options=[ALL, *MENTION_LABELS], value=ALL, description="Label").add_class("nd-label")
        self.top_n = widgets.IntSlider(value=10, min=3, max=40, description="Top n", continuous_update=False).add_class("nd-top-n")
        self.fold_demonyms = widgets.Checkbox(value=False, description="Fold demonyms (Russian → Russia)", indent=False)
        self.fold_metonyms = widgets.Checkbox(value=False, description="Fold metonyms (the Kremlin → Russia)", indent=False)
        self.entity = widgets.Dropdown(options=[], description="Entity").add_class("nd-entity")
        self.chart = widgets.HTML().add_class("nd-entity-chart")
        self.table = widgets.HTML().add_class("nd-entity-table")
        self.sentences = widgets.HTML().add_class("nd-entity-sentences")
        self.frame = pd.DataFrame()
        for control in (self.label, self.top_n, self.fold_demonyms, self.fold_metonyms):
            control.observe(self.refresh, "value")
        self.entity.observe(self._show_sentences, "value")
        self._widget = widgets.VBox(
            [
                widgets.HBox([self.label, self.top_n]),
                widgets.HBox([self.fold_demonyms, self.fold_metonyms]),
                self.error,
                widgets.HBox([self.chart, self.table]),
                self.entity,
                self.sentences,
            ]
        )

    @property
    def widget(self) -> widgets.Widget:
        return self._widget

    def _options(self) -> dict[str, Any]:
        return {
            "labels": None if self.label.value == ALL else self.label.value,
            "fold_demonyms": self.fold_demonyms.value,
            "fold_metonyms": self.fold_metonyms.value,
            "pipeline": self.pipeline,
        }

    def render(self, article: ArticleLike) -> None:
        options = self._options()
        key = (article.sha256, tuple(sorted(options.items())), self.top_n.value)
        frame = self.cached(key, lambda: entity_frequency(article, top_n=self.top_n.value, **options))
        self.frame = frame
        if frame.empty:
            self.chart.value = ""
            self.table.value = message_html("No entity of this label in the article.")
        else:
            self.chart.value = figure_html(entity_bar_chart(frame))
            shown = frame.drop(columns=["lines"], errors="ignore")
            self.table.value = table_html(shown)
        previous = self.entity.value
        names = list(frame["entity"]) if not frame.empty else []
        self.entity.options = names
        self.entity.value = previous if previous in names else (names[0] if names else None)
        self._show_sentences()

    def _show_sentences(self, *_: Any) -> None:
        if self.article is None or not self.entity.value:
            self.sentences.value = ""
            return
        options = self._options()
        options.pop("labels")
        entity = self.entity.value
        key = ("sentences", self.article.sha256, entity, tuple(sorted(options.items())))
        try:
            rows = self.cached(key, lambda: entity_sentences(self.article, entity, **options))
        except Exception as exc:  # shown in the tab; the explorer stays usable
            from ._base import error_html

            self.sentences.value = error_html(exc)
            return
        items = "".join(
            f"<li><small>{'title' if r.line < 0 else f'line {int(r.line)}'}</small> {r.html}</li>" for r in rows.itertuples()
        )
        self.sentences.value = f"<ol class='nd-sentences'>{items}</ol>" if items else message_html("No sentence.")
