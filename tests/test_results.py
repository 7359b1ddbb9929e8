"""Results files in the seed file's numbering, read back as the analyses' own tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import load_article, parse_article
from analysis._analysed import analyse_many
from analysis.entities import entity_frequency, mentions
from analysis._results import file_numbered, index_numbered, save_results, stack_results
from analysis.stance import stance_results

from conftest import SEED


@pytest.fixture(scope="module")
def articles():
    """The seed, and a copy of it whose sentences sit two lines lower in its file."""
    seed = load_article(SEED)
    title, date, url, *body = SEED.read_text(encoding="utf-8").splitlines()
    lower = parse_article("\n".join([title, date, url, "", "", *body]) + "\n", id="lower")
    return analyse_many([seed, lower])


def test_a_table_names_seed_file_lines_and_comes_back_unchanged(articles):
    seed = articles[0]
    table = mentions(seed)
    written = file_numbered(table, seed)
    assert set(written.loc[table["line"] == -1, "line"]) == {1}  # the headline is line 1 of the file
    assert set(written["line"]) - {1} <= set(range(4, 34))
    lead = seed.file_lines.index(29)
    assert seed.sentences[lead].startswith("WASHINGTON AFP")
    assert (written.loc[table["line"] == lead, "line"] == 29).all()
    assert index_numbered(written, seed)["line"].astype(int).tolist() == table["line"].tolist()


def test_a_row_about_the_whole_body_names_no_line(articles):
    claims = stance_results(articles[0]).claims
    written = file_numbered(claims, articles[0])
    assert written.loc[claims["scope"] == "body", "line"].isna().all()
    assert (written.loc[claims["scope"] == "sentence", "line"] >= 4).all()
    assert index_numbered(written, articles[0])["line"].tolist() == claims["line"].tolist()


def test_saved_tables_cite_each_articles_lines_and_stack_back(articles, tmp_path):
    for article in articles:
        save_results(tmp_path / article.id / "article_report.results", lines_of=article,
                     mentions=mentions(article), entities=entity_frequency(article))
    seed, lower = articles
    text = {a.id: (tmp_path / a.id / "article_report.results" / "mentions.csv").read_text() for a in articles}
    assert text["lower"] != text[seed.id], "the same sentence sits on another line of the other file"
    entities = pd.read_csv(tmp_path / "lower" / "article_report.results" / "entities.csv").set_index("entity")
    cited = [int(n) for n in entities.at["Ukraine", "lines"].split(";")]
    assert min(cited) >= 6 and "(" not in entities.at["Ukraine", "lines"]

    stacked, missing = stack_results(tmp_path, "mentions", articles)
    assert missing == []
    fresh = pd.concat([mentions(a).assign(article=a.id) for a in articles], ignore_index=True)
    assert stacked["line"].astype(int).tolist() == fresh["line"].tolist()
    as_written, _ = stack_results(tmp_path, "mentions", [a.id for a in articles])  # ids only: the files' lines
    assert as_written.loc[as_written["article"] == "lower", "line"].min() == 1
    assert as_written.loc[as_written["article"] == "lower", "line"].drop_duplicates().nsmallest(2).tolist() == [1, 6]
