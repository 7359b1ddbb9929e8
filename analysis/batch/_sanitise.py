"""Allowlist sanitising of the HTML a notebook's cells put into a report.

Every ``text/html`` output is passed through Ammonia (``nh3``) before the report is exported:
only the tags a report uses survive (tables, text markup, ``<details>``, ``<mark>``, ``<style>``
blocks, images whose source is a ``data:image/`` URI), only harmless attributes, only styling
properties, links only to pages (``http``, ``https``, ``mailto``) or within the report. Whatever a
seed or a future cell manages to put into an output, no script, event handler, ``javascript:`` or
``data:`` link, ``<meta>`` refresh, ``<base>``, form, frame or inline SVG reaches a reader. The
template's own markup is not touched, and the report's Content-Security-Policy (in the template)
forbids scripts and every remote load as a second wall.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["TAGS", "url_scheme", "sanitise_fragment", "sanitise_outputs"]

_CONTROLS = "".join(map(chr, range(33)))


def url_scheme(value: str) -> str:
    """The start of a URL as a browser reads its scheme, lower-cased: leading spaces and controls
    dropped, tabs and newlines inside ignored (``" jav&#x09;ascript:"`` is ``javascript:``).

    Only the first characters are looked at, so a picture's long ``data:`` URI costs nothing.
    """
    head = value.lstrip(_CONTROLS)[:64]
    return "".join(ch for ch in head if ch > " ").lower()


#: Tags kept in cell outputs.
TAGS = frozenset(
    """a abbr b blockquote br caption code col colgroup dd del details div dl dt em figcaption figure
    h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong style sub summary
    sup table tbody td tfoot th thead time tr u ul""".split()
)
_ATTRIBUTES = {
    "*": {"class", "id", "style", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "ol": {"start"},
    "time": {"datetime"},
}
#: Elements removed together with everything inside them (not only their tags).
_REMOVED_WITH_CONTENT = frozenset(
    {"script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
     "form", "textarea", "select", "button", "title"}
)
#: CSS properties kept in ``style`` attributes.
_STYLE_PROPERTIES = frozenset(
    """background background-color border border-bottom border-collapse border-left border-right border-top
    color display font-size font-style font-variant-numeric font-weight height line-height margin margin-bottom
    margin-left margin-right margin-top max-width min-width padding padding-bottom padding-left padding-right
    padding-top text-align text-decoration transform vertical-align white-space width writing-mode""".split()
)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name in {"src", "href"}:
        # Browsers ignore tabs, newlines and leading controls in a URL scheme ("jav&#x09;ascript:").
        scheme = url_scheme(value)
        if tag == "img" and name == "src":  # pictures come inline: a remote source would be a request
            return value if scheme.startswith("data:image/") else None
        if scheme.startswith("data:"):  # a data: link opens a page of its own
            return None
    return value


def sanitise_fragment(fragment: str) -> str:
    """``fragment`` with everything outside the allowlist removed."""
    return _cleaner().clean(fragment)


@functools.lru_cache(maxsize=1)
def _cleaner() -> Any:
    """One Ammonia cleaner per process: the allowlist is compiled once, not for every output."""
    import nh3

    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(_REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_attribute,
        url_schemes={"http", "https", "mailto", "data"},  # data: survives only in <img src> (filter above)
        filter_style_properties=set(_STYLE_PROPERTIES),
        strip_comments=True,
    )


def sanitise_outputs(nb: Any) -> int:
    """Sanitise every ``text/html`` output of a notebook in place; return how many changed."""
    changed = 0
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            data = output.get("data")
            if not data or "text/html" not in data:
                continue
            html = data["text/html"]
            html = "".join(html) if isinstance(html, list) else html
            clean = sanitise_fragment(html)
            if clean != html:
                changed += 1
            data["text/html"] = clean
    return changed
