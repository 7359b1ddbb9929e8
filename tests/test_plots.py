"""Figures and heatmap tables: article text is drawn and shown as written, never interpreted."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import matplotlib
import pandas as pd
import pytest

from analysis import load_article
from analysis._analysed import analyse
from analysis.entities import cooccurrence, entity_frequency
from analysis.plots import heatmap_table, literal
from analysis.plots._layout import text_width
from analysis.plots._entities import cooccurrence_heatmap, cooccurrence_table, entity_bar_chart, label_breakdown_chart
from analysis.plots._reorder import join_scores_figure
from analysis.plots._stance import actor_stance_heatmap, actor_stance_table, claim_stance_figure, claim_stance_table
from analysis.ordering import reorder
from analysis.stance import stance_results

from conftest import SEED

HOSTILE = r"Ke$\sqrt{ha$ <script>alert(1)</script> & co"


@pytest.fixture(scope="module")
def seed():
    return analyse(load_article(SEED))


def _svg(fig) -> str:
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "test"}):
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _entity_table(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"entity": names, "label": ["PERSON"] * len(names), "mentions": range(len(names), 0, -1)})


def test_a_dollar_pair_in_a_name_is_drawn_as_written_not_as_mathtext():
    # Two dollar signs around TeX used to raise ParseSyntaxException on draw and sink the report.
    svg = _svg(entity_bar_chart(_entity_table([HOSTILE, "Ke$ha", "Joe Biden"])))
    assert "Ke$\\sqrt{ha$ &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in svg
    assert "<script" not in svg
    assert ">Ke$ha<" in svg
    matrix = pd.DataFrame([[2, 1], [1, 3]], index=[HOSTILE, "B"], columns=[HOSTILE, "B"])
    assert "Ke$\\sqrt{ha$" in _svg(cooccurrence_heatmap(matrix))
    stances = pd.DataFrame({"speaker": [HOSTILE], "target": ["$x$"], "score": [-1.0]})
    assert ">$x$<" in _svg(actor_stance_heatmap(stances))
    assert literal("$5 and $6") == r"\$5 and \$6"


def test_every_report_figure_of_the_seed_draws(seed):
    entities = entity_frequency(seed)
    stance = stance_results(seed)
    figures = [
        entity_bar_chart(entities.head(15)),
        label_breakdown_chart(entities),
        cooccurrence_heatmap(cooccurrence(seed, top_n=10)),
        claim_stance_figure(stance.claims),
        actor_stance_heatmap(stance.actors, targets=list(stance.targets)),
        join_scores_figure(reorder(seed)),
    ]
    for fig in figures:
        svg = _svg(fig)
        assert svg.startswith("<?xml") and "</svg>" in svg
    assert "Antony Blinken" in _svg(figures[0])


def test_margins_fit_the_longest_label():
    short = entity_bar_chart(_entity_table(["Ukraine", "Russia"]))
    long_name = "the Organization for Security and Co-operation in Europe"
    long = entity_bar_chart(_entity_table(["Ukraine", long_name]))
    # the axes start right of the widest label, and the figure grows rather than squeezing the bars
    left_inches = long.subplotpars.left * long.get_size_inches()[0]
    assert left_inches >= text_width([long_name], 10)
    assert long.subplotpars.left * long.get_size_inches()[0] > short.subplotpars.left * short.get_size_inches()[0]
    assert long.get_size_inches()[0] > short.get_size_inches()[0]


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Cells:
    parser = _Cells()
    parser.feed(page)
    return parser


def test_heatmap_table_escapes_labels_and_shows_missing_as_empty():
    matrix = pd.DataFrame([[1.0, float("nan")], [0.5, -1.0]], index=[HOSTILE, "B"], columns=["<b>x</b>", "y"])
    page = heatmap_table(matrix, cmap="RdBu", vmin=-1, vmax=1, formatter="{:+.1f}", empty="–", table_id="t",
                         caption="a <caption>")
    parsed = _parse(page)
    assert "script" not in parsed.tags and "b" not in parsed.tags, "labels are text, not markup"
    text = "".join(parsed.text)
    assert HOSTILE in text and "<b>x</b>" in text and "a <caption>" in text
    assert "nan" not in text.lower() and "–" in text and "+0.5" in text
    assert "background-color" in page
    # fixed ids: the same table gives the same HTML on every run
    assert page == heatmap_table(matrix, cmap="RdBu", vmin=-1, vmax=1, formatter="{:+.1f}", empty="–",
                                 table_id="t", caption="a <caption>")
    assert "none" in heatmap_table(pd.DataFrame(), cmap="Blues", caption="Pairs")


def test_seed_tables(seed):
    co = cooccurrence(seed, top_n=10)
    page = cooccurrence_table(co)
    text = "".join(_parse(page).text)
    assert "Ukraine" in text and "Russia" in text
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert len(cells) == co.size and "0" not in cells, "empty where two entities never share a sentence"

    stance = stance_results(seed)
    claims = claim_stance_table(stance.claims, max_chars=80)
    parsed = _parse(claims)
    assert parsed.tags.count("tr") == len(stance.claims) + 1
    assert "whole body" in "".join(parsed.text)
    assert stance.claims.loc[0, "text"][:200] not in claims, "the body is not printed in one cell"
    assert "…" in claims and "nan" not in claims.lower()
    actors = actor_stance_table(stance.actors, targets=list(stance.targets))
    assert "Antony Blinken" in actors and "–" in actors and "nan" not in actors.lower()


def test_report_tables_are_escaped_and_read_like_prose():
    from analysis._report import table_html

    frame = pd.DataFrame({"speaker": ["<b>x</b>", None], "evidence": [(16, 27), ()], "score": [0.5, float("nan")]})
    page = table_html(frame)
    assert "<b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<td>16, 27</td>" in page and "<td>0.500</td>" in page
    assert "nan" not in page.lower() and "none" not in page.lower() and page.count("<td>–</td>") == 3
    assert "<th>speaker</th><th>evidence</th><th>score</th>" in page, "no index column"
    assert "<em>none</em>" in table_html(frame.iloc[:0])


def test_report_tables_cite_seed_file_lines_and_link_them(seed):
    from analysis._report import seed_lines, table_html

    stance = stance_results(seed)
    # The analyses index body lines from 0 (-1 the title); a report names them by seed-file line.
    shown = seed_lines(stance.actors, seed)
    blinken = shown[(shown["speaker"] == "Antony Blinken") & (shown["target"] == "Russia")]["evidence"].item()
    assert blinken == (20, 31)
    claims = seed_lines(stance.claims, seed)
    assert claims["line"].iloc[0] == "title" and claims["line"].iloc[1:].tolist() == list(range(4, 34))
    assert stance.claims["line"].iloc[1] == 0, "the analysis's own table is not changed"
    page = table_html(shown, links=("evidence",))
    assert '<a href="#line-20">20</a>, <a href="#line-31">31</a>' in page
    assert '<a href="#line-29">line 29</a>' in claim_stance_table(claims, link_lines=True)
    assert "href" not in claim_stance_table(stance.claims)  # body indices are not linked
