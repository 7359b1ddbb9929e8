"""Published reports: every known way past a denylist is cut by the allowlist, caught by the
final check, and forbidden by the page's Content-Security-Policy."""

from __future__ import annotations

from html.parser import HTMLParser

import nbformat
import pytest

from analysis.batch._export import UnsafeReportError, check_static, export_html
from analysis.batch._sanitise import sanitise_fragment

BYPASSES = {
    "svg javascript link": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://example.com/">',
    "tab inside the scheme": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "newline inside the scheme": '<a href="java\nscript:alert(1)">x</a>',
    "data: link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "base href": '<base href="https://example.com/">',
    "script": "<script>alert(1)</script>",
    "event handler": '<img src="data:image/png;base64,AA" onerror="alert(1)">',
    "remote image": '<img src="https://example.com/pixel.png">',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "form": '<form action="https://example.com/"><input name="q"></form>',
    "object": '<object data="data:text/html,<script>alert(1)</script>"></object>',
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    parser = _Page()
    parser.feed(page)
    return parser.tags


@pytest.mark.parametrize("name", BYPASSES)
def test_the_final_check_refuses_each_bypass_of_the_old_denylist(name):
    with pytest.raises(UnsafeReportError):
        check_static(f"<html><body><p>ok</p>{BYPASSES[name]}</body></html>")


@pytest.mark.parametrize("name", BYPASSES)
def test_the_allowlist_leaves_nothing_of_each_bypass(name):
    clean = sanitise_fragment(f"<p>before</p>{BYPASSES[name]}<p>after</p>")
    check_static(clean)  # nothing active left
    for tag, attrs in _tags(clean):
        assert tag in {"p", "a", "img"}, clean
        assert not any(k.startswith("on") for k in attrs), clean
        if tag == "img":
            assert attrs.get("src", "data:image/").startswith("data:image/"), clean
        if tag == "a":
            assert "href" not in attrs, clean
    assert "before" in clean and "after" in clean


def test_what_a_report_needs_survives_the_allowlist():
    fragment = (
        '<style type="text/css">#T_x td {background-color: #08306b; color: #f1f1f1}</style>'
        '<table id="T_x" class="dataframe"><thead><tr><th scope="col">entity</th></tr></thead>'
        '<tbody><tr><td style="width:12.5%;background:#0072B2">NATO</td></tr></tbody></table>'
        '<details><summary>Method</summary><p>A <mark class="ent">name</mark>, <a href="#line-29">line 29</a>, '
        '<a href="https://example.com/story">source</a>.</p></details>'
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="figure">'
    )
    clean = sanitise_fragment(fragment)
    for kept in ("#T_x td {background-color: #08306b; color: #f1f1f1}", 'id="T_x"', "width:12.5%",
                 "<details>", "<summary>Method</summary>", '<mark class="ent">', 'href="#line-29"',
                 'href="https://example.com/story"', 'src="data:image/svg+xml;base64,'):
        assert kept in clean, kept


def test_an_exported_report_carries_the_policy_and_no_hostile_output(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(HTML(...))")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": name})
        for name, html in BYPASSES.items()
    ] + [nbformat.v4.new_output("display_data", data={"text/html": "<p>the article text</p>", "text/plain": "x"})]
    nb.cells = [cell]
    source = tmp_path / "hostile.ipynb"
    nbformat.write(nb, str(source))
    page = export_html(source, tmp_path / "hostile.html").read_text(encoding="utf-8")
    assert "the article text" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tags = _tags(page)
    assert not [t for t, _ in tags if t in {"script", "iframe", "object", "form", "base", "svg"}]
    assert not [a for t, a in tags if t == "meta" and a.get("http-equiv", "").lower() == "refresh"]
    assert not [a for t, a in tags if t == "img" and not a.get("src", "data:image/").startswith("data:image/")]
