"""What every explorer tab shares: the tab interface, HTML rendering of tables and figures,
and errors shown as readable messages instead of tracebacks that would stop the UI.

Tabs render into :class:`ipywidgets.HTML` values (not ``Output`` capture), so what a tab shows
is plain data that tests can read from Python and a browser displays as it is.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from abc import ABC, abstractmethod
from typing import Any, Callable

import ipywidgets as widgets
import pandas as pd

from ..errors import NewsdeskError
from .._analysed import ArticleLike

__all__ = ["ExplorerTab", "table_html", "figure_html", "error_html", "message_html"]

log = logging.getLogger(__name__)


class ExplorerTab(ABC):
    """One tab of the explorer: its controls, and :meth:`show` to render an article.

    Subclasses set :attr:`title` (the tab's name in the explorer), build their controls in
    ``__init__`` and call :meth:`refresh` when one changes. Results are cached per article and
    option set, so moving back to a setting is instant.
    """

    title: str = ""

    def __init__(self, *, pipeline: str | None = None) -> None:
        self.pipeline = pipeline
        self.article: ArticleLike | None = None
        self.error = widgets.HTML().add_class("nd-error")
        self._cache: dict[tuple, Any] = {}

    @property
    @abstractmethod
    def widget(self) -> widgets.Widget:
        """The tab's root widget."""

    @abstractmethod
    def render(self, article: ArticleLike) -> None:
        """Compute (or fetch from the cache) and display the analysis of ``article``."""

    def show(self, article: ArticleLike) -> None:
        """Render ``article``; any failure becomes a message in the tab, never an exception."""
        self.article = article
        self.refresh()

    def refresh(self, *_: Any) -> None:
        """Render the current article again (used as the callback of every control)."""
        if self.article is None:
            return
        self.error.value = ""
        try:
            self.render(self.article)
        except Exception as exc:  # a callback must never raise into the widget machinery
            log.exception("%s tab failed on %s", self.title, self.article.id)
            self.error.value = error_html(exc)

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per ``key`` (the article's sha256 and the options that matter)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


def table_html(frame: pd.DataFrame, *, max_rows: int = 60) -> str:
    """A DataFrame as an HTML table; pandas escapes every cell."""
    if frame.empty:
        return message_html("Nothing to show for these options.")
    return frame.head(max_rows).to_html(index=False, escape=True, border=0, classes="nd-table")


def figure_html(figure: Any, *, dpi: int = 90) -> str:
    """A matplotlib figure as an embedded PNG ``<img>``; the figure is closed afterwards."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="nd-figure" alt="chart" src="data:image/png;base64,{data}"/>'


def message_html(text: str) -> str:
    return f'<p class="nd-message" style="color:#555">{html.escape(text)}</p>'


def error_html(exc: BaseException) -> str:
    """A readable message for an error raised inside a callback."""
    if isinstance(exc, NewsdeskError):
        title, detail = "Cannot analyse this article", str(exc)
    else:
        title, detail = f"Unexpected {type(exc).__name__}", str(exc) or repr(exc)
    return (
        '<div class="nd-error-box" style="border-left:4px solid #b42318;padding:.4rem .8rem;background:#fef3f2">'
        f"<b>{html.escape(title)}</b><br><code>{html.escape(detail)}</code></div>"
    )
