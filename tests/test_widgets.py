"""The explorer driven from Python, as a user's clicks would drive it."""

from __future__ import annotations

import re
import shutil

import pytest

pytest.importorskip("ipywidgets")

import ipywidgets as widgets  # noqa: E402

from analysis.errors import NewsdeskError  # noqa: E402
from analysis._seeds import load_article  # noqa: E402
from analysis.widgets import TABS, Explorer, ExplorerTab  # noqa: E402
from conftest import SEED  # noqa: E402


@pytest.fixture()
def explorer(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder)
    # A second, valid article built from the seed's lines about one topic only.
    lines = SEED.read_text(encoding="utf-8").splitlines()
    france = [line for line in lines[3:] if "France" in line]
    (folder / "france.txt").write_text("France pushes Normandy talks\n20220128\nhttps://example.com/f\n" + "\n".join(france) + "\n")
    (folder / "zz_broken.txt").write_text("Broken\n20221345\nhttps://example.com/b\nBody.\n")
    return Explorer(folder)


def test_only_real_analyses_have_tabs(explorer):
    assert list(explorer.tabs) == [tab.title for tab in TABS]
    assert {"Entities", "Stance", "Reordering"} <= set(explorer.tabs)
    assert explorer.tab.titles == tuple(explorer.tabs)


def test_tabs_are_picked_by_title_and_a_tab_of_ones_own_is_its_class(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder)

    class SentenceCount(ExplorerTab):
        title = "Sentences"

        def __init__(self, *, pipeline=None):
            super().__init__(pipeline=pipeline)
            self.count = widgets.HTML()

        @property
        def widget(self):
            return self.count

        def render(self, article):
            self.count.value = str(article.n_sentences)

    explorer = Explorer(folder, tabs=[SentenceCount, "Entities"])
    assert list(explorer.tabs) == ["Sentences", "Entities"] and explorer.tab.titles == ("Sentences", "Entities")
    assert explorer.tabs["Sentences"].count.value == str(load_article(SEED).n_sentences), "the first tab is shown"
    titles = [tab.title for tab in TABS]
    with pytest.raises(NewsdeskError, match=re.escape(f"unknown tab(s) ['Nope']; available: {titles}")):
        Explorer(folder, tabs=["Nope", "Entities"])


def test_entities_tab_follows_label_slider_and_entity_choice(explorer):
    tab = explorer.select("Entities")
    assert "Vladimir Putin" in tab.table.value and "Russia" in tab.table.value
    assert tab.chart.value.startswith('<img class="nd-figure"')
    assert len(tab.frame) == tab.top_n.value == 10

    tab.top_n.value = 5
    assert len(tab.frame) == 5

    tab.label.value = "PERSON"
    assert set(tab.frame["label"]) == {"PERSON"}
    assert "Russia" not in tab.table.value

    tab.entity.value = "Antony Blinken"
    marked = tab.sentences.value
    assert marked.count("<li>") == 4, "Blinken is named in four body sentences of the seed"
    assert "<mark" in marked and ">Blinken</mark>" in marked


def test_seed_dropdown_switches_article_and_bad_seed_shows_a_message(explorer):
    tab = explorer.select("Entities")
    tab.label.value = "GPE"
    first = list(tab.frame["entity"])
    explorer.seed.value = next(v for label, v in explorer.seed.options if label == "france")
    assert "France pushes Normandy talks" in explorer.title.value
    assert list(tab.frame["entity"]) != first and tab.frame.iloc[0]["entity"] == "France"

    explorer.seed.value = next(v for label, v in explorer.seed.options if label == "zz_broken")
    assert "zz_broken.txt:2" in explorer.status.value and "Cannot analyse" in explorer.status.value
    # The UI is still alive: going back works.
    explorer.seed.value = next(v for label, v in explorer.seed.options if label == "france")
    assert explorer.status.value == "" and "France" in tab.table.value


def test_results_are_cached_per_article_and_options(explorer, monkeypatch):
    tab = explorer.select("Entities")
    tab.top_n.value = 7
    import analysis.widgets._entities as module

    def refuse(*args, **kwargs):
        raise AssertionError("recomputed a cached result")

    monkeypatch.setattr(module, "entity_frequency", refuse)
    tab.top_n.value = 10
    tab.top_n.value = 7
    assert len(tab.frame) == 7 and tab.error.value == ""


def test_error_in_a_callback_is_shown_not_raised(explorer, monkeypatch):
    tab = explorer.select("Entities")
    import analysis.widgets._entities as module

    def broken(*args, **kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(module, "entity_frequency", broken)
    tab.top_n.value = 12  # not cached yet: the callback fails
    assert "RuntimeError" in tab.error.value and "model exploded" in tab.error.value


def test_stance_tab_shows_claims_quotes_and_follows_targets(explorer):
    tab = explorer.select("Stance")
    assert tab.error.value == ""
    assert "agree" in tab.claims.value or "discuss" in tab.claims.value or "unrelated" in tab.claims.value
    assert "Stoltenberg" in tab.quotes.value and "Blinken" in tab.quotes.value
    assert "Vladimir Putin" in tab.targets.options
    tab.targets.value = ("Vladimir Putin",)
    table = tab.actors.value
    assert "Vladimir Putin" in table and "Russia</td>" not in table
    tab.targets.value = ()
    assert "Pick one or more targets" in tab.actors.value


def test_reorder_tab_follows_method_and_shows_gold_metrics(tmp_path):
    import json

    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder)
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines()[3:] if line.strip()]
    lead = next(line for line in lines if line.startswith("WASHINGTON AFP"))
    # Only the lead is certain; a gold order with the lead first and the rest as filed is enough to exercise metrics.
    gold = [lead] + [line for line in lines if line != lead]
    (tmp_path / "gold.jsonl").write_text(json.dumps({"file": f"articles/{SEED.name}", "sentences": gold}) + "\n")
    explorer = Explorer(folder, gold=tmp_path / "gold.jsonl")
    tab = explorer.select("Reordering")
    assert tab.error.value == ""
    assert "Kendall" in tab.summary.value and "first sentence right" in tab.summary.value
    assert explorer.article.sentences[tab.ordering.order[0]] == lead
    learned = tab.ordering.order
    tab.method.value = "random"
    assert tab.ordering.method == "random" and tab.ordering.order != learned
    assert "random" in tab.summary.value
    assert sorted(tab.ordering.order) == list(range(explorer.article.n_sentences))


def test_reorder_tab_corrections_are_saved_as_gold_and_reported_against(tmp_path):
    """Move a sentence, type an order, save: the seeds' gold.jsonl holds the order in the
    development corpora's format, other records are kept, and the tab reports against it."""
    import json

    from analysis._gold import article_gold, load_gold

    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder)
    other = {"file": "elsewhere.txt", "sentences": ["An analyst's earlier record, kept as written."]}
    (folder / "gold.jsonl").write_text(json.dumps(other) + "\n")
    explorer = Explorer(folder)  # corrections go to seeds/gold.jsonl by default
    tab = explorer.select("Reordering")
    article = explorer.article
    model = list(tab.ordering.order)
    assert tab.working == model, "with no gold of its own, your order starts as the model's"
    assert "Kendall's tau 1.00 · positional accuracy 1.00" in tab.versus.value

    # Move the model's second sentence to the top: the model now misplaces two sentences.
    tab.editor.value = model[1]
    tab.move(-1)
    assert tab.working == [model[1], model[0], *model[2:]]
    assert f"positional accuracy {(article.n_sentences - 2) / article.n_sentences:.2f}" in tab.versus.value
    tab.move(-1)  # already first: stays
    assert tab.working[0] == model[1]

    # Type the order as seed-file lines: the lead (line 29) first, then the rest as filed.
    rest = [n for n in article.file_lines if n != 29]
    tab.typed.value = "29, " + " ".join(map(str, rest))
    tab.use_typed()
    assert article.file_lines[tab.working[0]] == 29 and len(tab.working) == article.n_sentences
    tab.typed.value = "29 29 4"
    tab.use_typed()
    assert "given more than once" in tab.saved.value and article.file_lines[tab.working[0]] == 29

    path = tab.save_gold()
    assert path == folder / "gold.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records[0] == other
    assert records[1]["file"] == SEED.name
    assert records[1]["sentences"][0].startswith("WASHINGTON AFP") and sorted(records[1]["sentences"]) == sorted(article.sentences)
    assert article_gold(path, article) == tuple(tab.working)
    assert "Saved as the gold order" in tab.saved.value and "Kendall" in tab.summary.value

    # Saving again replaces the article's record in place; a new explorer starts from it.
    tab.editor.value = tab.working[-1]
    tab.move(-1)
    tab.save_gold()
    assert len(load_gold(path)) == 2 and len(path.read_text().splitlines()) == 2
    again = Explorer(folder).select("Reordering")
    assert again.working == tab.working and "no gold order" not in again.summary.value


def test_typed_order_names_the_rule_it_breaks():
    from analysis import load_article
    from analysis.errors import GoldFormatError
    from analysis.widgets._reorder import parse_typed_order

    article = load_article(SEED)
    lines = list(article.file_lines)
    assert parse_typed_order(" ".join(map(str, reversed(lines))), article) == tuple(reversed(range(article.n_sentences)))
    for typed, rule in (("", "empty"), ("2 " + " ".join(map(str, lines)), "not a body line"),
                        (" ".join(map(str, lines[:-1])), f"line(s) {lines[-1]} missing"), ("4 x", "'x'")):
        with pytest.raises(GoldFormatError, match=re.escape(rule)):
            parse_typed_order(typed, article)
