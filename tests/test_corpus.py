"""The corpus sections (entities over time, speakers, headline stance) on real article text."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import load_article, parse_article
from analysis._analysed import analyse_many
from analysis._corpus import STANCE_ORDER, body_stance, headline_stance_distribution, mentions_over_time, speakers_html, speakers_table
from analysis.entities import mentions
from analysis.plots._entities import mentions_over_time_chart
from analysis.stance import stance_results

from conftest import SEED


@pytest.fixture(scope="module")
def corpus():
    """The seed, and a second article of its first seventeen lines dated five weeks later."""
    seed = load_article(SEED)
    title, _, url, *body = SEED.read_text(encoding="utf-8").splitlines()
    later = parse_article("\n".join([f"Later: {title}", "20220303", url + "?later", *body[:17]]) + "\n", id="later")
    analysed = analyse_many([seed, later])
    results = {a.id: stance_results(a) for a in analysed}
    stack = lambda name: pd.concat([getattr(r, name).assign(article=i) for i, r in results.items()], ignore_index=True)  # noqa: E731
    table = pd.concat([mentions(a).assign(article=a.id) for a in analysed], ignore_index=True)
    return analysed, table, stack("quotes"), stack("actors"), stack("claims")


def test_mentions_over_time_counts_per_dated_period(corpus):
    analysed, table, *_ = corpus
    dates = {a.id: a.date for a in analysed}
    counts = mentions_over_time(table, dates, entities=["Ukraine", "Russia", "Nobody"])
    # Five weeks apart: days, and only the two days that have articles (no zeros in between).
    assert list(counts.columns) == ["Ukraine", "Russia", "Nobody"]
    assert [d.date() for d in counts.index] == [dt.date(2022, 1, 27), dt.date(2022, 3, 3)]
    seed_ukraine = int(((table["article"] == SEED.stem) & (table["entity"] == "Ukraine")).sum())
    assert counts.loc["2022-01-27", "Ukraine"] == seed_ukraine and counts["Nobody"].sum() == 0
    weekly = mentions_over_time(table, dates, entities=["Ukraine"], period="W")
    assert [d.date() for d in weekly.index] == [dt.date(2022, 1, 24), dt.date(2022, 2, 28)]  # Mondays
    assert weekly["Ukraine"].sum() == int((table["entity"] == "Ukraine").sum())
    years = {"a": dt.date(2020, 1, 5), "b": dt.date(2022, 6, 1)}
    assert len(mentions_over_time(pd.DataFrame({"article": ["a", "b"], "entity": ["X", "X"]}), years, entities=["X"])) == 2
    daily = counts[["Ukraine"]]
    assert len(mentions_over_time_chart(counts).axes[0].lines) == 3
    assert len(mentions_over_time_chart(daily.iloc[:1]).axes[0].patches) == 1  # one date: bars


def test_speakers_across_articles_cite_seed_file_lines(corpus):
    analysed, _, quotes, actors, _ = corpus
    table = speakers_table(quotes, actors, line_numbers={a.id: a.line_numbers for a in analysed}, top_n=None)
    blinken = table.set_index("speaker").loc["Antony Blinken"]
    # Blinken speaks in both articles; each cited line is a line of its seed file (4..33).
    assert blinken["articles"] == 2 and blinken["statements"] >= 3
    assert {a for a, _ in blinken["evidence"]} == {SEED.stem, "later"}
    assert all(4 <= line <= 33 for _, line in blinken["evidence"])
    assert "Russia:" in blinken["targets"]
    assert table["statements"].is_monotonic_decreasing
    named = quotes[quotes["resolved"].astype(bool)]
    assert table["statements"].sum() == len(named)
    _, mentioned, *_ = corpus
    only_names = speakers_table(quotes, actors, line_numbers={a.id: a.line_numbers for a in analysed}, mentions=mentioned, top_n=None)
    described = set(table["speaker"]) - set(only_names["speaker"])
    assert "aide to French President Emmanuel Macron" in described and "Antony Blinken" in set(only_names["speaker"])
    page = speakers_html(table, href=lambda a, n: f"../{a}/article_report.html#line-{n}")
    assert f'href="../{SEED.stem}/article_report.html#line-' in page


def test_headline_stance_lists_the_surprising_articles_first():
    claims = pd.DataFrame(
        {
            "article": ["a", "a", "b", "c"],
            "scope": ["body", "sentence", "body", "body"],
            "line": [-1, 0, -1, -1],
            "label": ["discuss", "agree", "unrelated", "disagree"],
            "p_agree": [0.1, 0.9, 0.0, 0.1], "p_disagree": [0.1, 0.0, 0.1, 0.6],
            "p_discuss": [0.7, 0.1, 0.2, 0.2], "p_unrelated": [0.1, 0.0, 0.7, 0.1],
        }
    )
    body = body_stance(claims, {"a": "A", "b": "B", "c": "C"})
    assert body["article"].tolist() == ["c", "b", "a"] and body["probability"].tolist() == [0.6, 0.7, 0.7]
    dist = headline_stance_distribution(body)
    assert tuple(dist["stance"]) == STANCE_ORDER and dist["articles"].tolist() == [1, 1, 1, 0]


def test_speaker_names_are_escaped():
    quotes = pd.DataFrame({"article": ["x"], "line": [0], "speaker": ["<b>"], "speaker_entity": ["<script>x</script>"], "resolved": [True]})
    actors = pd.DataFrame(columns=["speaker", "target", "stance", "n_statements"])
    page = speakers_html(speakers_table(quotes, actors, line_numbers={"x": (4,)}))
    assert "<script>" not in page and "&lt;script&gt;" in page and ">x:4<" in page


def test_stacked_tables_cite_each_articles_own_lines(corpus):
    from analysis._report import corpus_seed_lines

    analysed, table, *_ = corpus
    shown = corpus_seed_lines(table, analysed)
    assert shown.index.equals(table.index) and (shown["article"] == table["article"]).all()
    assert set(shown.loc[table["line"] == -1, "line"]) == {"title"}
    body = shown[table["line"] >= 0]
    assert (body["line"].astype(int) == table.loc[table["line"] >= 0, "line"] + 4).all()  # no blank lines in these seeds


def test_headline_articles_link_their_reports_and_escape_titles():
    from analysis._corpus import stance_articles_html

    body = pd.DataFrame({"article": ["a b", "c"], "title": ["<script>x</script>", "Fine"], "stance": ["disagree", "agree"],
                         "probability": [0.61, 0.9]})
    page = stance_articles_html(body, href=lambda a: f"../{a}/article_report.html", max_rows=1)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<a href="../a b/article_report.html">' in page and "Fine" not in page and "and 1 more articles" in page
    assert "href" not in stance_articles_html(body)


@pytest.mark.slow
def test_corpus_report_without_any_article_report_says_so_in_one_line(tmp_path):
    import papermill

    from conftest import NOTEBOOKS

    reports = tmp_path / "reports"
    reports.mkdir()
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        papermill.execute_notebook(
            str(NOTEBOOKS / "entity_frequency.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3",
            parameters={"seed_paths": [str(SEED)], "reports_dir": str(reports)}, cwd=str(NOTEBOOKS), progress_bar=False,
        )
    assert failure.value.ename == "FileNotFoundError"
    assert f"no article report could be read from {reports} (seeds given: 1)" in failure.value.evalue
