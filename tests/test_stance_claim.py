"""The committed claim-stance model: portable files, loading, predictions on real-language
pairs, the article table, and bit-for-bit reproducible training."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from analysis import load_article, parse_article
from analysis.errors import ModelNotFoundError, NewsdeskError
from analysis.stance import LABELS, claim_stance, load_claim_model, predict_claim_proba, predict_claim_stance
from analysis.stance.claim import MODEL_DIR, build_vocabulary, fit_claim_model, save_claim_model, tokenize
from analysis.stance.fnc import RELATED, fnc_dir, read_fnc
from analysis.stance.mlp import MlpConfig

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_3b38e28e8b9a1ce3.txt"
HAS_FNC = (fnc_dir() / "train_stances.csv").is_file()

APPLE = (
    "Apple is in talks with HBO and other networks to launch a streaming television service for 15 dollars "
    "a month in April, according to people familiar with the plans. The service would run on Apple TV and iPhones."
)
FOOTBALL = (
    "The football club confirmed on Sunday that its striker had signed a new three-year contract after weeks "
    "of negotiations with the league champions."
)
BEHEADING = (
    "A video released on Tuesday appears to show Islamic State militants beheading an American journalist. "
    "The White House said it was working to verify the video, and officials said they had no reason to doubt it."
)


def test_committed_files_are_small_and_portable():
    npz, meta = MODEL_DIR / "claim_mlp.npz", MODEL_DIR / "claim_mlp.json"
    assert npz.stat().st_size + meta.stat().st_size < 25 * 1024 * 1024
    with zipfile.ZipFile(npz) as archive:  # plain .npy arrays, no pickled objects
        assert sorted(archive.namelist()) == ["b1.npy", "b2.npy", "idf.npy", "w1.npy", "w2.npy"]
    with np.load(npz, allow_pickle=False) as arrays:
        assert arrays["w1"].dtype == np.float32
    payload = json.loads(meta.read_text(encoding="utf-8"))
    assert payload["labels"] == list(LABELS)
    assert payload["weights_sha256"] == hashlib.sha256(npz.read_bytes()).hexdigest()
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()


def test_model_loads_with_consistent_shapes():
    model = load_claim_model()
    assert model.labels == LABELS
    assert model.params.w1.shape == (2 * len(model.vocabulary) + 1, 100)
    assert len(model.vocabulary) == 5000 and model.idf.shape == (5000,)


def test_unrelated_pairs():
    headlines = ["Spider burrowed through tourist's stomach and up into his chest", "Apple to launch streaming TV service with HBO"]
    assert predict_claim_stance(headlines, [APPLE, FOOTBALL]) == ["unrelated", "unrelated"]


def test_related_pairs():
    labels = predict_claim_stance(
        ["Apple to launch streaming TV service with HBO", "ISIS beheads American journalist"], [APPLE, BEHEADING]
    )
    assert all(label in RELATED for label in labels), labels


def test_probabilities_are_distributions():
    proba = predict_claim_proba(["Apple to launch streaming TV service with HBO"] * 2, [APPLE, FOOTBALL])
    assert proba.shape == (2, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert predict_claim_stance([], []) == []
    with pytest.raises(ValueError, match="2 headlines but 1 bodies"):
        predict_claim_stance(["a", "b"], ["c"])


def test_claim_stance_of_the_seed():
    article = load_article(SEED)
    frame = claim_stance(article)
    assert len(frame) == article.n_sentences + 1
    assert frame.loc[0, "scope"] == "body" and frame.loc[0, "line"] == -1
    assert frame["line"].iloc[1:].tolist() == list(range(article.n_sentences))
    assert frame["text"].iloc[1:].tolist() == list(article.sentences)
    np.testing.assert_allclose(frame[[f"p_{l}" for l in LABELS]].sum(axis=1), 1.0, rtol=1e-5)
    # the body is about the US reply to Russia's demands on Ukraine: related to its title
    assert frame.loc[0, "label"] in RELATED
    assert set(frame["label"].iloc[1:]) <= set(LABELS)


def test_sentence_labels_separate_on_topic_from_off_topic_lines():
    text = (
        "US rejects Russia demand on Ukraine but talks see new life\n20220127\nurn:test:claim\n"
        "The United States rejected Russia's key demand to bar Ukraine from NATO but offered a new diplomatic path.\n"
        "The football club confirmed on Sunday that its striker had signed a new three-year contract.\n"
        "The bakery on Main Street will sell apple pies at half price this weekend.\n"
    )
    frame = claim_stance(parse_article(text, id="claim-test"))
    assert frame["label"].tolist()[1:] == [frame.loc[1, "label"], "unrelated", "unrelated"]
    assert frame.loc[1, "label"] in RELATED and frame.loc[0, "label"] in RELATED


def test_tampered_or_missing_model(tmp_path):
    with pytest.raises(ModelNotFoundError, match="python -m analysis.stance train"):
        load_claim_model(tmp_path)
    shutil.copy(MODEL_DIR / "claim_mlp.json", tmp_path / "claim_mlp.json")
    data = bytearray((MODEL_DIR / "claim_mlp.npz").read_bytes())
    data[-100] ^= 0xFF
    (tmp_path / "claim_mlp.npz").write_bytes(bytes(data))
    with pytest.raises(NewsdeskError, match="does not match"):
        load_claim_model(tmp_path)


def test_vocabulary_is_frequency_ranked_without_stop_words():
    assert tokenize("The U.S. said it's 'ready'") == ["the", "said", "it", "ready"]
    vocab = build_vocabulary(["talks talks talks the the the the sanctions", "talks sanctions envoy"], size=2)
    assert vocab == ["sanctions", "talks"]


def _tiny_training(tmp_path: Path, name: str) -> bytes:
    pairs = read_fnc(fnc_dir()).pairs.iloc[:1500]
    model = fit_claim_model(
        list(pairs["headline"]), list(pairs["body"]), list(pairs["stance"]),
        vocabulary_size=500, config=MlpConfig(hidden=16, epochs=2, seed=3),
    )
    npz, meta = save_claim_model(model, tmp_path / name)
    return npz.read_bytes() + meta.read_bytes()


@pytest.mark.skipif(not HAS_FNC, reason="FNC-1 training data (../shared/corpora/fnc1) not present")
def test_training_is_bit_for_bit_reproducible(tmp_path):
    first, second = _tiny_training(tmp_path, "a"), _tiny_training(tmp_path, "b")
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
