"""HTML export of executed notebooks: static, self-contained and safe to open.

Uses nbconvert's :class:`~nbconvert.HTMLExporter` with the bundled ``newsdesk`` template: the
lab template minus every script it would load from the web (RequireJS, MathJax, Mermaid, the
widget manager), plus a Content-Security-Policy that forbids scripts and remote loads. Three
walls stand between a seed and a reader's browser: article text reaches the outputs only
through escaping renderers (pandas tables, ``html.escape``); every HTML output is cut down to an
allowlist before export (:mod:`._sanitise`); and :func:`check_static` refuses a finished page that
still holds a script, an event handler, a ``javascript:`` or ``data:`` link, a ``<meta>``
refresh or a ``<base>``. Figures are embedded as SVG images (``<img>``: inert).

nbconvert's own ``sanitize_html`` is not used: it escapes ``<style>`` blocks and HTML tables
into visible text, which made reports unreadable.
"""

from __future__ import annotations

import functools
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat

from .._atomic import atomic_write_text
from ..errors import UnsafeReportError
from ._sanitise import sanitise_outputs, url_scheme

__all__ = ["export_html", "check_static", "UnsafeReportError", "TEMPLATES"]

TEMPLATES = Path(__file__).with_name("templates")


class _ActiveContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "frame", "object", "embed", "base", "form"}:
            self.found.append(f"<{tag}> element")
        if tag == "meta" and any(n == "http-equiv" and (v or "").strip().lower() == "refresh" for n, v in attrs):
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= handler on <{tag}>")
            if name in {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}:
                # browsers drop tabs, newlines and controls inside a scheme ("jav&#x09;ascript:")
                scheme = url_scheme(value or "")
                if scheme.startswith(("javascript:", "vbscript:")):
                    self.found.append(f"script URL in <{tag} {name}>")
                elif scheme.startswith("data:") and not (tag == "img" and scheme.startswith("data:image/")):
                    self.found.append(f"data: URL in <{tag} {name}>")
                elif name == "src" and not scheme.startswith("data:"):
                    self.found.append(f"remote or file source in <{tag} src>")  # a report requests nothing


def check_static(page: str, *, source: str = "report") -> None:
    """Refuse a page holding active content.

    Raises:
        UnsafeReportError: listing what was found (e.g. ``<script> element``).
    """
    parser = _ActiveContent()
    parser.feed(page)
    parser.close()
    if parser.found:
        shown = "; ".join(sorted(set(parser.found))[:5])
        raise UnsafeReportError(f"{source}: refusing to publish a report with active content ({shown})")


def export_html(notebook: str | Path, target: str | Path, *, keep_code: bool = False, title: str | None = None) -> Path:
    """Export an executed notebook to a static HTML file (code cells hidden unless ``keep_code``).

    Raises:
        UnsafeReportError: the export would contain active content; nothing is written.
    """
    nb = nbformat.read(str(notebook), as_version=4)
    sanitise_outputs(nb)
    if title:
        nb.metadata["title"] = title
    with _EXPORT_LOCK:
        body, _ = _exporter(keep_code).from_notebook_node(nb)
    check_static(body, source=str(notebook))
    return atomic_write_text(target, body)


_EXPORT_LOCK = threading.Lock()  # one exporter per setting is shared; its filters are per call


@functools.lru_cache(maxsize=2)
def _exporter(keep_code: bool) -> Any:
    """One exporter per setting and process: building one compiles its templates (a third of a second)."""
    return _static_exporter_class()(
        template_name="newsdesk",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not keep_code,
        exclude_input_prompt=not keep_code,
        exclude_output_prompt=True,
        embed_images=True,
        optimistic_validation=True,  # validate once, not after each of a dozen preprocessors
    )


@functools.lru_cache(maxsize=1)
def _static_exporter_class() -> type:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class StaticHTMLExporter(HTMLExporter):
        """nbconvert's HTML exporter without its BeautifulSoup pass over the finished page.

        That pass only adds a placeholder ``alt`` ("No description has been provided") to images
        and ``tabindex`` to cells, yet parsing and reprinting the whole page took about 80 ms a
        report, half the cost of an export. The rest is :meth:`HTMLExporter.from_notebook_node`
        as nbconvert 7 writes it (pinned in the lock).
        """

        def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[str, dict[str, Any]]:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return StaticHTMLExporter
