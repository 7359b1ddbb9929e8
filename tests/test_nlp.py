"""The spaCy pipeline: one load per process, disk cache across calls, clear errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import ModelNotFoundError, load_article
from analysis import _nlp as nlp
from conftest import SEED


def test_annotate_returns_one_doc_per_sentence_with_entities():
    article = load_article(SEED)
    docs = nlp.annotate(article.sentences)
    assert [d.text for d in docs] == list(article.sentences)
    entities = {e.text for d in docs for e in d.ents}
    assert {"Blinken", "Putin", "NATO"} <= entities
    assert nlp.load_pipeline() is nlp.load_pipeline(), "the pipeline is loaded once per process"


def test_second_call_reads_the_disk_cache_and_does_not_parse(monkeypatch, tmp_path):
    monkeypatch.setenv(nlp.CACHE_ENV, str(tmp_path))
    texts = ["Kremlin spokesman Dmitry Peskov spoke in Moscow on Tuesday.", "NATO met in Brussels."]
    first = nlp.annotate(texts)
    assert len(list(tmp_path.rglob("*.spacy"))) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again instead of reading the cache")

    monkeypatch.setattr(nlp, "parse", refuse)
    second = nlp.annotate(texts)
    assert [[(e.text, e.label_) for e in d.ents] for d in second] == [[(e.text, e.label_) for e in d.ents] for d in first]
    assert [t.dep_ for t in second[0]] == [t.dep_ for t in first[0]]


def test_cache_is_shared_across_processes(tmp_path):
    code = (
        "from analysis import _nlp as nlp;"
        "docs = nlp.annotate(['Antony Blinken met Sergei Lavrov in Geneva.']);"
        "print(len(docs[0].ents))"
    )
    env = {"NEWSDESK_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
    files = list(tmp_path.rglob("*.spacy"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True)
    assert int(out.stdout) >= 2
    assert files[0].stat().st_mtime_ns == stamp, "the second process read the cache instead of rewriting it"


def test_corrupt_cache_file_is_parsed_again(monkeypatch, tmp_path):
    monkeypatch.setenv(nlp.CACHE_ENV, str(tmp_path))
    texts = ["France said the talks were difficult."]
    nlp.annotate(texts)
    (cache,) = tmp_path.rglob("*.spacy")
    cache.write_bytes(b"not a docbin")
    docs = nlp.annotate(texts)
    assert [e.text for e in docs[0].ents] == ["France"]


def test_missing_model_says_how_to_install(monkeypatch):
    with pytest.raises(ModelNotFoundError, match="not installed.*install"):
        nlp.load_pipeline("en_core_web_nonexistent")
    monkeypatch.setenv(nlp.PIPELINE_ENV, "another_model")
    assert nlp.resolve_pipeline() == "another_model"
    assert nlp.resolve_pipeline("explicit") == "explicit"


def test_an_unwritable_cache_only_costs_the_cache(monkeypatch, tmp_path, caplog):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(nlp.CACHE_ENV, str(blocker))
    docs = nlp.annotate(["Olaf Scholz spoke in Berlin on a day no other test parses."])
    assert [e.text for e in docs[0].ents][:1] == ["Olaf Scholz"]
    assert "cannot write annotation cache" in caplog.text
    assert blocker.read_text() == "a file where the cache folder should be"


def test_numpy_matmul_changes_speed_not_annotations():
    """The loaded pipeline multiplies on numpy's BLAS; a stock ``spacy.load`` annotates the same."""
    import numpy as np
    import spacy
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
    from thinc.api import Model, NumpyOps

    article = load_article(SEED)
    texts = [article.title, *article.sentences]
    loaded = nlp.load_pipeline()
    stock = spacy.load(nlp.resolve_pipeline())
    ops = {type(layer.ops).__name__ + str(getattr(layer.ops, "use_blis", "")) for _, p in loaded.pipeline
           if isinstance(getattr(p, "model", None), Model) for layer in p.model.walk()}
    assert ops == {"NumpyOpsFalse"}, ops
    assert nlp._use_numpy_matmul(stock) > 100 and nlp._use_numpy_matmul(stock) == 0  # switched once
    stock = spacy.load(nlp.resolve_pipeline())
    assert isinstance(stock.get_pipe("ner").model.ops, NumpyOps) and stock.get_pipe("ner").model.ops.use_blis
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]
    for ours, theirs in zip(nlp.parse(loaded, texts), stock.pipe(texts)):
        assert np.array_equal(ours.to_array(attrs), theirs.to_array(attrs)), ours.text
        assert np.allclose(ours.tensor, theirs.tensor, atol=1e-4)
