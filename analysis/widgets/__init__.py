"""An ipywidgets explorer over a folder of seeds: pick an article, then one tab per analysis.

    from analysis.widgets import Explorer
    Explorer("../seeds")          # in a notebook cell: displays itself

The tabs are :data:`TABS`, in the order they are shown; a tab whose analysis cannot be
imported is left out rather than shown empty. ``Explorer(..., tabs=[...])`` picks some of them by
title, or adds a tab of one's own (any :class:`~analysis.widgets._base.ExplorerTab` subclass).
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any, Iterable

import ipywidgets as widgets

from ..errors import NewsdeskError
from .._analysed import AnalysedArticle, analyse
from .._gold import GOLD_FILE
from .._seeds import load_article
from ._base import ExplorerTab, error_html

__all__ = ["Explorer", "TABS", "ExplorerTab"]

log = logging.getLogger(__name__)


def _available_tabs() -> tuple[type[ExplorerTab], ...]:
    # An analysis that is missing from the installation simply has no tab.
    tabs = []
    for module, name in (("_entities", "EntitiesTab"), ("_stance", "StanceTab"), ("_reorder", "ReorderTab")):
        try:
            tabs.append(getattr(importlib.import_module(f"{__name__}.{module}"), name))
        except ImportError as exc:  # pragma: no cover - depends on the installation
            log.info("explorer tab %s unavailable: %s", module, exc)
    return tuple(tabs)


#: The explorer's tabs, in the order they are shown.
TABS: tuple[type[ExplorerTab], ...] = _available_tabs()


class Explorer:
    """The workspace's interactive view of a corpus.

    Args:
        seeds: a folder of seed files, or an iterable of seed paths.
        pipeline: spaCy pipeline for every analysis (default: the workspace's).
        gold: the ``gold.jsonl`` of original orders: reordering metrics, and where the Reordering
            tab saves the analyst's corrections (default: ``gold.jsonl`` in the ``seeds`` folder).
        tabs: the tabs to show, in order: titles of :data:`TABS` entries, or tab classes
            (default: :data:`TABS`).

    Raises:
        NewsdeskError: no seed files, or a title that is no tab of :data:`TABS`.
    """

    def __init__(
        self,
        seeds: str | Path | Iterable[str | Path] = "seeds",
        *,
        pipeline: str | None = None,
        gold: str | Path | None = None,
        tabs: Iterable[str | type[ExplorerTab]] | None = None,
    ) -> None:
        paths = sorted(Path(seeds).glob("*.txt")) if isinstance(seeds, (str, Path)) else [Path(p) for p in seeds]
        if not paths:
            raise NewsdeskError(f"no seed files (*.txt) in {seeds}")
        self.pipeline = pipeline
        if gold is None and isinstance(seeds, (str, Path)):
            gold = Path(seeds) / GOLD_FILE
        self.gold = Path(gold) if gold else None
        by_title = {tab.title: tab for tab in TABS}
        chosen = list(tabs) if tabs is not None else list(TABS)
        unknown = [t for t in chosen if isinstance(t, str) and t not in by_title]
        if unknown:
            raise NewsdeskError(f"unknown tab(s) {unknown}; available: {list(by_title)}")
        self.tabs: dict[str, ExplorerTab] = {}
        for tab in chosen:
            cls = by_title[tab] if isinstance(tab, str) else tab
            options: dict[str, Any] = {"pipeline": pipeline}
            if getattr(cls, "accepts_gold", False):
                options["gold"] = self.gold
            self.tabs[cls.title] = cls(**options)

        self.seed = widgets.Dropdown(
            options=[(p.stem, str(p)) for p in paths], description="Article", layout=widgets.Layout(width="520px")
        ).add_class("nd-seed")
        self.title = widgets.HTML().add_class("nd-title")
        self.status = widgets.HTML().add_class("nd-status")
        self.progress = widgets.IntProgress(value=0, min=0, max=max(1, len(self.tabs)), description="", layout=widgets.Layout(width="160px", visibility="hidden"))
        self.tab = widgets.Tab(children=[t.widget for t in self.tabs.values()], titles=list(self.tabs))
        self.widget = widgets.VBox([widgets.HBox([self.seed, self.progress]), self.title, self.status, self.tab]).add_class("nd-explorer")
        self._articles: dict[str, AnalysedArticle] = {}
        self._shown: dict[str, str] = {}  # tab name -> path of the article it shows
        self.seed.observe(self._on_change, "value")
        self.tab.observe(self._on_change, "selected_index")
        self._on_change()

    @property
    def article(self) -> AnalysedArticle | None:
        """The article picked in the dropdown, analysed once for every tab."""
        path = self.seed.value
        if path not in self._articles:
            self._articles[path] = analyse(load_article(path), pipeline=self.pipeline)
        return self._articles[path]

    def _on_change(self, *_: Any) -> None:
        """Render the visible tab for the picked article; other tabs catch up when opened."""
        try:
            article = self.article
        except Exception as exc:  # a bad seed is a message, not a dead UI
            self.title.value = ""
            self.status.value = error_html(exc)
            self._shown.clear()
            return
        self.status.value = ""
        import html

        self.title.value = (
            f"<h3 style='margin:.3rem 0'>{html.escape(article.title)}</h3>"
            f"<span style='color:#666'>{article.date.isoformat()} · {article.n_sentences} sentences · "
            f"{html.escape(article.url)}</span>"
        )
        if not self.tabs:
            return
        name = list(self.tabs)[self.tab.selected_index or 0]
        if self._shown.get(name) == self.seed.value:
            return
        self.progress.layout.visibility = "visible"
        self.progress.bar_style = "info"
        self.progress.value = 0
        try:
            self.tabs[name].show(article)
            self._shown[name] = self.seed.value
        finally:
            self.progress.value = self.progress.max
            self.progress.layout.visibility = "hidden"

    def select(self, tab: str) -> ExplorerTab:
        """Switch to a tab by name (as a click would) and return it."""
        self.tab.selected_index = list(self.tabs).index(tab)
        return self.tabs[tab]

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
