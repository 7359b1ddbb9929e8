"""An analyst's gold orders as training data: reading ``gold.jsonl`` beside seeds, training with
``python -m analysis train reorder --gold``, and pointing the workspace at the model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPORA, SEED, needs_shared

from analysis.errors import GoldFormatError, SeedFormatError
from analysis.ordering import make_method
from analysis.__main__ import main
from analysis.ordering._pairwise import REORDER_MODEL_ENV, PairwiseModel
from analysis.ordering._train import load_gold_articles
from analysis._seeds import load_article


def _gold_beside_seed(folder: Path, order: list[int]) -> Path:
    """The seed copied into ``folder/seeds/`` with a gold.jsonl giving ``order`` (file indices)."""
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    shutil.copy(SEED, seeds / SEED.name)
    sentences = load_article(SEED).sentences
    record = {"file": SEED.name, "sentences": [sentences[i] for i in order]}
    (seeds / "gold.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return seeds / "gold.jsonl"


def test_gold_articles_are_read_relative_to_the_gold_file(tmp_path: Path) -> None:
    n = load_article(SEED).n_sentences
    order = list(reversed(range(n)))
    articles, orders = load_gold_articles(_gold_beside_seed(tmp_path, order))
    assert [a.id for a in articles] == [SEED.stem]
    assert orders == [tuple(order)]


def test_a_gold_order_that_does_not_match_its_file_names_the_line(tmp_path: Path) -> None:
    gold = _gold_beside_seed(tmp_path, list(range(load_article(SEED).n_sentences)))
    record = json.loads(gold.read_text(encoding="utf-8"))
    record["sentences"][0] = "A sentence the article does not have."
    gold.write_text("\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"gold\.jsonl:2: .*does not match"):
        load_gold_articles(gold)


def test_a_gold_record_naming_a_missing_file_is_refused(tmp_path: Path) -> None:
    gold = _gold_beside_seed(tmp_path, list(range(load_article(SEED).n_sentences)))
    gold.write_text(json.dumps({"file": "missing.txt", "sentences": ["x"]}) + "\n", encoding="utf-8")
    with pytest.raises(SeedFormatError, match="missing.txt"):
        load_gold_articles(gold)


def _small_corpus(folder: Path, name: str, n_articles: int) -> Path:
    """The first ``n_articles`` of a shared ordering corpus, copied into a scratch folder."""
    source = CORPORA / name
    target = folder / name
    (target / "articles").mkdir(parents=True)
    lines = (source / "gold.jsonl").read_text(encoding="utf-8").splitlines()[:n_articles]
    for line in lines:
        shutil.copy(source / json.loads(line)["file"], target / "articles")
    (target / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.mark.slow  # trains a model (about 30 s)
@needs_shared
def test_training_with_gold_adds_the_articles_and_the_workspace_uses_the_model(tmp_path: Path, monkeypatch, capsys) -> None:
    corpus = _small_corpus(tmp_path, "conll2003-dev", 30)
    n = load_article(SEED).n_sentences
    order = list(reversed(range(n)))
    gold = _gold_beside_seed(tmp_path, order)
    out = tmp_path / "model"
    assert main(["train", "reorder", "--corpus", str(corpus), "--gold", str(gold), "--out", str(out)]) == 0
    assert str(out / "pairwise.npz") in capsys.readouterr().out
    model = PairwiseModel.load(out)
    assert model.info["n_articles"] == 31
    assert model.info["corpora"][-1]["gold"] == "seeds" and model.info["corpora"][-1]["n_articles"] == 1

    monkeypatch.setenv(REORDER_MODEL_ENV, str(out))
    adapted = make_method("pairwise")
    assert adapted.model_dir == out and adapted.model.info["n_articles"] == 31
    ordering = adapted.predict(load_article(SEED))
    assert sorted(ordering.order) == list(range(n))
    monkeypatch.delenv(REORDER_MODEL_ENV)
    assert make_method("pairwise").model_dir != out
