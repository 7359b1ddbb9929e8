"""The analysed article: each distinct text parsed once, every analysis reading the same Docs."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis._analysed as analysed_module
import analysis._nlp as nlp_module
from analysis import load_article, parse_article
from analysis._analysed import AnalysedArticle, analyse, analyse_many, as_analysed
from analysis._repair import written_docs
from analysis.entities import (
    cooccurrence,
    cooccurrence_from_mentions,
    entity_frequency,
    frequency_from_mentions,
    mentions,
)
from analysis.entities._frequency import corpus_mentions
from analysis.ordering import reorder
from analysis.stance import actor_stance, claim_stance, quotes


@pytest.fixture
def counted_parses(monkeypatch, tmp_path):
    """Every text the pipeline parses, from empty caches."""
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(nlp_module, "_MEMORY", type(nlp_module._MEMORY)())
    monkeypatch.setattr(analysed_module, "_RECENT", type(analysed_module._RECENT)())
    parsed: list[str] = []
    original = nlp_module.parse

    def parse(nlp, texts, **kwargs):
        texts = list(texts)
        parsed.extend(texts)
        return original(nlp, texts, **kwargs)

    monkeypatch.setattr(nlp_module, "parse", parse)
    return parsed


def test_each_distinct_text_is_parsed_once_for_all_analyses(seed_path, counted_parses):
    article = load_article(seed_path)
    a = analyse(article)
    # Every analysis, through the adapter or on the analysed article, parses nothing more.
    entity_frequency(article)
    cooccurrence(a)
    claim_stance(article)
    quotes(a)
    actor_stance(article)
    reorder(article)
    written = [article.title, *article.sentences]
    repaired = [a.repaired.title.text, *a.texts]
    changed = [r for r, w in zip(repaired, written) if r != w]
    assert changed, "the seed has stripped apostrophes and a dateline: some lines must change"
    # A dated line is parsed as its dateline and the rest; the rest is what the repair leaves
    # when it changes nothing else, so that text is parsed once for both views.
    dated = a.dateline_line
    assert dated is not None, "the seed's lead carries a wire dateline"
    cut = article.sentences[dated][a.dateline.end :]
    pieces = set(written) - {article.sentences[dated]} | {a.dateline.text, cut}
    assert sorted(counted_parses) == sorted(pieces | set(changed))
    assert len(counted_parses) == len(set(counted_parses))
    # Unchanged lines share one Doc between the written and the repaired view.
    for doc, raw, r, w in zip(a.docs, a.raw_docs, a.texts, article.sentences):
        assert (doc is raw) == (r == w)
        assert doc.text == r and raw.text == w
    # The written lead is the dateline's Doc and the rest's, joined: the rest keeps its parse.
    lead = a.raw_docs[dated]
    rest = lead.char_span(a.dateline.end, len(lead.text))
    assert [(e.text, e.label_) for e in rest.ents] == [(e.text, e.label_) for e in nlp_module.annotate([cut])[0].ents]


def test_adapter_and_analysed_article_give_the_same_tables(seed_path):
    article = load_article(seed_path)
    a = analyse(article)
    assert as_analysed(a) is a
    assert as_analysed(article) is a  # the recent analysis is reused, not redone
    pd.testing.assert_frame_equal(entity_frequency(article), entity_frequency(a))
    pd.testing.assert_frame_equal(quotes(article), quotes(a))
    assert reorder(article) == reorder(a)
    with pytest.raises(TypeError, match="Article or an AnalysedArticle"):
        as_analysed("seeds/000.txt")


def test_the_dateline_is_found_once_for_every_analysis(seed_path):
    a = analyse(load_article(seed_path))
    assert (a.dateline.place, a.dateline.agency) == ("WASHINGTON", "AFP")
    assert a.sentences[a.dateline_line].startswith("WASHINGTON AFP -")
    assert not a.texts[a.dateline_line].startswith("WASHINGTON")


def test_reordering_reads_the_docs_of_the_analysed_article(seed_path, monkeypatch):
    from analysis.ordering import _shared_instance

    a = analyse(load_article(seed_path))
    method = _shared_instance("pairwise")
    if not hasattr(method, "predict_docs"):
        pytest.skip("the ordering method predicts from Articles only")
    seen = {}

    def spy(article, docs, title_doc):
        seen.update(docs=docs, title=title_doc)
        return type(method).predict_docs(method, article, docs, title_doc)

    monkeypatch.setattr(method, "predict_docs", spy)
    reorder(a)
    assert seen["docs"] == a.raw_docs and seen["title"] is a.raw_title_doc


def test_corpus_tables_from_stacked_mention_tables_equal_a_fresh_count(seed_path):
    seed = load_article(seed_path)
    other = parse_article(
        "Merkel meets Macron in Berlin\n20240102\nhttps://example.org/a\n"
        "Chancellor Angela Merkel met Emmanuel Macron in Berlin on Tuesday.\n"
        "Merkel said Germany and France would work together.\n",
        id="other",
    )
    analysed = analyse_many([seed, other])
    assert [a.id for a in analysed] == [seed.id, "other"]
    fresh = entity_frequency(analysed)
    # What the corpus notebook reads: every article's mention table, stacked.
    stacked = corpus_mentions(analysed, include_title=True)
    from_tables = frequency_from_mentions(stacked, n_articles=2)
    pd.testing.assert_frame_equal(fresh, from_tables)
    names = list(fresh["entity"].head(6))
    pd.testing.assert_frame_equal(
        cooccurrence(analysed, top_n=6), cooccurrence_from_mentions(stacked, names), check_names=False
    )


def test_memo_computes_once_per_key(seed_path):
    a = analyse(load_article(seed_path))
    calls = []
    assert a.memo("test.key", lambda: calls.append(1) or 41) == 41
    assert a.memo("test.key", lambda: calls.append(1) or 42) == 41
    assert calls == [1]
    assert isinstance(a, AnalysedArticle) and "sentences=" in repr(a)


def test_mentions_of_an_analysed_article_are_a_fresh_copy(seed_path):
    a = analyse(load_article(seed_path))
    first = mentions(a)
    first.loc[:, "entity"] = "changed"
    assert "changed" not in set(mentions(a)["entity"])


def test_a_dated_line_is_parsed_as_its_dateline_and_the_rest(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path))
    lead = "GENEVA 1996-08-30 - UEFA came down heavily on Belgian club Standard Liege on Friday."
    rest = lead[len("GENEVA 1996-08-30 - ") :]
    # One piece already parsed (and cached without its tensor), the other fresh: they still join.
    nlp_module.annotate([rest])
    monkeypatch.setattr(nlp_module, "_MEMORY", type(nlp_module._MEMORY)())
    (doc,) = written_docs([lead])
    assert doc.text == lead
    assert ("UEFA", "ORG") in [(e.text, e.label_) for e in doc.ents]
    assert all(e.end_char <= 20 or e.start_char >= 20 for e in doc.ents), "no entity crosses the dateline"
    # A headline is never cut, and a line without a dateline is one parse.
    (title,) = written_docs([lead], datelines=False)
    assert title.text == lead and title is nlp_module.annotate([lead])[0]
    with pytest.raises(ValueError, match="dateline flags"):
        written_docs([lead, rest], datelines=[True])
