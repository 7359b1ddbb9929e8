"""The committed claim-stance model: portable files, loading, predictions on real-language
pairs, sentence stance, the article table, the tree export, and bit-for-bit reproducible training."""

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
from analysis.stance import LABELS, claim_stance, load_claim_model, predict_claim_proba, predict_claim_stance, sentence_stance
from analysis.stance._claim import MODEL_DIR, MODEL_NAME, fit_claim_model, save_claim_model
from analysis.stance._features import split_sentences, words
from analysis.stance._fnc import RELATED, fnc_dir, read_fnc
from analysis.stance._split import topic_groups
from analysis.stance._trees import export_trees, softmax, tree_logits
from analysis.stance._twostage import TwoStageConfig

from conftest import SEED
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
HOAX = (
    "The story that a spider burrowed into a tourist's stomach is a hoax. Doctors at the hospital said no such "
    "patient was ever treated, and the photos were doctored. The website that first ran the claim is a satire site."
)


def test_committed_files_are_small_and_portable():
    npz, meta = MODEL_DIR / f"{MODEL_NAME}.npz", MODEL_DIR / f"{MODEL_NAME}.json"
    assert npz.stat().st_size + meta.stat().st_size < 25 * 1024 * 1024
    with zipfile.ZipFile(npz) as archive:  # plain .npy arrays, no pickled objects
        assert all(name.endswith(".npy") for name in archive.namelist())
        assert {"lsa.npy", "idf.npy", "w1.npy", "w2.npy", "trees_value.npy"} <= set(archive.namelist())
    with np.load(npz, allow_pickle=False) as arrays:
        assert arrays["lsa"].dtype == np.float32 and all(arrays[k].dtype != object for k in arrays.files)
    payload = json.loads(meta.read_text(encoding="utf-8"))
    assert payload["labels"] == list(LABELS)
    assert payload["weights_sha256"] == hashlib.sha256(npz.read_bytes()).hexdigest()
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()


def test_model_loads_with_consistent_shapes():
    model = load_claim_model()
    assert model.labels == LABELS
    assert model.space.lsa.shape[1] == len(model.space.vocabulary) == model.space.idf.shape[0]
    assert 0 < model.threshold < 1 and model.bias.shape == (3,)
    assert model.w2.shape[1] == 3 and len(model.space.cue_words) > 100


def test_unrelated_pairs():
    headlines = ["Spider burrowed through tourist's stomach and up into his chest", "Apple to launch streaming TV service with HBO"]
    assert predict_claim_stance(headlines, [APPLE, FOOTBALL]) == ["unrelated", "unrelated"]


def test_related_pairs():
    labels = predict_claim_stance(
        ["Apple to launch streaming TV service with HBO", "ISIS beheads American journalist"], [APPLE, BEHEADING]
    )
    assert all(label in RELATED for label in labels), labels


CONFIRMING = (
    "A spider burrowed into the stomach of a tourist and up into his chest, doctors confirmed. "
    "The man had returned from a trip to Bali."
)


def test_a_debunking_body_raises_disagree():
    # The same claim against a confirming and a debunking body: the refuting cues must move
    # probability to disagree (the label itself is still often agree: disagree is the weak class).
    claim = "Spider burrowed through tourist's stomach and up into his chest"
    confirming, debunking = predict_claim_proba([claim, claim], [CONFIRMING, HOAX])
    d = LABELS.index("disagree")
    assert debunking[d] > 3 * confirming[d]
    assert debunking[LABELS.index("agree")] < confirming[LABELS.index("agree")]


def test_probabilities_are_distributions():
    proba = predict_claim_proba(["Apple to launch streaming TV service with HBO"] * 2, [APPLE, FOOTBALL])
    assert proba.shape == (2, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert proba[0, LABELS.index("unrelated")] < proba[1, LABELS.index("unrelated")]
    assert predict_claim_stance([], []) == []
    with pytest.raises(ValueError, match="2 headlines but 1 bodies"):
        predict_claim_stance(["a", "b"], ["c"])


def test_sentence_stance_ranks_the_relevant_sentence_first():
    sentences = [FOOTBALL, APPLE.split(". ")[0] + ".", "The bakery on Main Street will sell apple pies at half price this weekend."]
    scored = sentence_stance("Apple to launch streaming TV service with HBO", sentences)
    assert scored.top_lines[0] == 1
    assert scored.relevance[1] > scored.relevance[0] and scored.relevance[1] > scored.relevance[2]
    assert scored.labels[0] == "unrelated" and scored.labels[1] in RELATED
    assert scored.body_label in RELATED


def test_claim_stance_of_the_seed():
    article = load_article(SEED)
    frame = claim_stance(article)
    assert len(frame) == article.n_sentences + 1
    assert frame.loc[0, "scope"] == "body" and frame.loc[0, "line"] == -1
    assert frame["line"].iloc[1:].tolist() == list(range(article.n_sentences))
    assert frame["text"].iloc[1:].tolist() == list(article.sentences)
    np.testing.assert_allclose(frame[[f"p_{l}" for l in LABELS]].sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(frame["relevance"], 1.0 - frame["p_unrelated"])
    assert sorted(frame["rank"].iloc[1:][frame["rank"].iloc[1:] > 0]) == [1, 2, 3]
    # the body is about the US reply to Russia's demands on Ukraine: related to its title
    assert frame.loc[0, "label"] in RELATED
    relevant = frame.iloc[1:]["relevance"] >= load_claim_model().threshold
    assert (frame.iloc[1:]["label"][~relevant] == "unrelated").all()


def test_sentence_labels_separate_on_topic_from_off_topic_lines():
    text = (
        "US rejects Russia demand on Ukraine but talks see new life\n20220127\nurn:test:claim\n"
        "The United States rejected Russia's key demand to bar Ukraine from NATO but offered a new diplomatic path.\n"
        "The football club confirmed on Sunday that its striker had signed a new three-year contract.\n"
        "The bakery on Main Street will sell apple pies at half price this weekend.\n"
    )
    frame = claim_stance(parse_article(text, id="claim-test"))
    assert frame["label"].tolist()[2:] == ["unrelated", "unrelated"]
    assert frame.loc[1, "label"] in RELATED and frame.loc[0, "label"] in RELATED
    assert frame.loc[1, "rank"] == 1


def test_tampered_or_missing_model(tmp_path):
    with pytest.raises(ModelNotFoundError, match="python -m analysis train stance"):
        load_claim_model(tmp_path)
    shutil.copy(MODEL_DIR / f"{MODEL_NAME}.json", tmp_path / f"{MODEL_NAME}.json")
    data = bytearray((MODEL_DIR / f"{MODEL_NAME}.npz").read_bytes())
    data[-100] ^= 0xFF
    (tmp_path / f"{MODEL_NAME}.npz").write_bytes(bytes(data))
    with pytest.raises(NewsdeskError, match="does not match"):
        load_claim_model(tmp_path)


def test_words_and_sentences():
    assert words("The U.S. said it's \"ready\"?") == ["the", "u", "s", "said", "it's", '"', "ready", '"', "?"]
    assert split_sentences("One claim. Another one!\nA third") == ["One claim.", "Another one!", "A third"]
    assert split_sentences("Dr. smith said so.") == ["Dr. smith said so."]


def test_exported_trees_match_scikit_learn():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 4))
    y = np.where(x[:, 0] + x[:, 1] ** 2 > 1, "a", np.where(x[:, 2] > 0, "b", "c"))
    model = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, early_stopping=False, random_state=0).fit(x, y)
    np.testing.assert_allclose(softmax(tree_logits(export_trees(model), x)), model.predict_proba(x), rtol=1e-6, atol=1e-9)


def _tiny_training(tmp_path: Path, name: str) -> bytes:
    data = read_fnc(fnc_dir())
    pairs = data.pairs.iloc[:3000]
    headline_topic, _ = topic_groups(pairs, bodies=data.bodies)
    model = fit_claim_model(
        list(pairs["headline"]), list(pairs["body"]), list(pairs["stance"]), [headline_topic[h] for h in pairs["headline"]],
        config=TwoStageConfig(trees=5, inner_folds=2, seed=3),
    )
    npz, meta = save_claim_model(model, tmp_path / name)
    return npz.read_bytes() + meta.read_bytes()


@pytest.mark.slow  # trains the claim model twice (about 20 s)
@pytest.mark.skipif(not HAS_FNC, reason="FNC-1 training data (../shared/corpora/fnc1) not present")
def test_training_is_bit_for_bit_reproducible(tmp_path):
    first, second = _tiny_training(tmp_path, "a"), _tiny_training(tmp_path, "b")
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
