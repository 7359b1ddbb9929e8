"""HTML export of executed notebooks: static, self-contained and safe to open.

Uses nbconvert's :class:`~nbconvert.HTMLExporter` with the bundled ``newsdesk`` template (the
lab template minus every script it would load from the web) and ``sanitize_html``, so markup
coming from an article's text cannot run in a reader's browser. Plots are embedded as PNG.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .._atomic import atomic_write_text

__all__ = ["export_html", "TEMPLATES"]

TEMPLATES = Path(__file__).with_name("templates")


def export_html(notebook: str | Path, target: str | Path, *, keep_code: bool = False, title: str | None = None) -> Path:
    """Export an executed notebook to a static HTML file (code cells hidden unless ``keep_code``)."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="newsdesk",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not keep_code,
        exclude_input_prompt=not keep_code,
        exclude_output_prompt=True,
        sanitize_html=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    return atomic_write_text(target, body)
