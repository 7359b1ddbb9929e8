"""FNC-1 reading, the split by body and the FNC score (hand-computed cases)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import NewsdeskError
from analysis.stance._fnc import LABELS, fnc_dir, fnc_score, read_fnc, score_report, split_by_body

HAS_FNC = (fnc_dir() / "train_stances.csv").is_file()


def test_fnc_score_hand_computed():
    gold = ["agree", "unrelated", "discuss", "disagree", "unrelated"]
    pred = ["agree", "unrelated", "agree", "unrelated", "discuss"]
    # agree→agree 1.0; unrelated→unrelated 0.25; discuss→agree 0.25 (related, wrong label);
    # disagree→unrelated 0; unrelated→discuss 0. Max: 1 + 0.25 + 1 + 1 + 0.25 = 3.5
    score, maximum = fnc_score(gold, pred)
    assert (score, maximum) == (1.5, 3.5)
    assert score_report(gold, pred).relative == pytest.approx(1.5 / 3.5)


def test_perfect_and_all_unrelated_scores():
    gold = ["agree", "disagree", "discuss", "unrelated"]
    assert fnc_score(gold, gold) == (3.25, 3.25)
    assert fnc_score(gold, ["unrelated"] * 4) == (0.25, 3.25)


def test_score_report_f1_and_confusion():
    gold = ["agree", "agree", "discuss", "unrelated"]
    pred = ["agree", "discuss", "discuss", "unrelated"]
    report = score_report(gold, pred)
    # agree: tp 1, fn 1 → F1 2/3; discuss: tp 1, fp 1 → 2/3; unrelated 1; disagree absent → 0
    assert report.per_class_f1 == pytest.approx({"agree": 2 / 3, "disagree": 0.0, "discuss": 2 / 3, "unrelated": 1.0})
    assert report.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 4)
    assert report.confusion.loc["agree", "discuss"] == 1
    assert report.confusion.to_numpy().sum() == 4
    assert report.accuracy == 0.75


def test_fnc_score_length_mismatch():
    with pytest.raises(ValueError, match="2 gold labels but 1 predictions"):
        fnc_score(["agree", "agree"], ["agree"])


def test_split_by_body_is_disjoint_and_seeded():
    pairs = pd.DataFrame({"body_id": [i // 3 for i in range(300)], "stance": ["unrelated"] * 300, "headline": ["h"] * 300})
    train, dev = split_by_body(pairs, dev_fraction=0.2, seed=7)
    assert set(train["body_id"]).isdisjoint(dev["body_id"])
    assert dev["body_id"].nunique() == 20 and len(train) + len(dev) == 300
    again = split_by_body(pairs, dev_fraction=0.2, seed=7)[1]
    assert dev.equals(again)
    assert not dev.equals(split_by_body(pairs, dev_fraction=0.2, seed=8)[1])


def test_read_fnc_small_files(tmp_path):
    (tmp_path / "train_bodies.csv").write_text('Body ID,articleBody\n1,"A body, with a comma\nand a new line."\n2,NA\n', encoding="utf-8")
    (tmp_path / "train_stances.csv").write_text('Headline,Body ID,Stance\n"Quote ""here""",1,agree\nnull,2,unrelated\n', encoding="utf-8")
    data = read_fnc(tmp_path)
    assert data.pairs["headline"].tolist() == ['Quote "here"', "null"]
    assert data.pairs["body"].tolist() == ["A body, with a comma\nand a new line.", "NA"]
    assert data.pairs["stance"].tolist() == ["agree", "unrelated"]


def test_read_fnc_errors(tmp_path):
    with pytest.raises(NewsdeskError, match="FNC-1 file not found"):
        read_fnc(tmp_path)
    (tmp_path / "train_bodies.csv").write_text("Body ID,articleBody\n1,text\n", encoding="utf-8")
    (tmp_path / "train_stances.csv").write_text("Headline,Body ID,Stance\nh,1,maybe\n", encoding="utf-8")
    with pytest.raises(NewsdeskError, match="unknown stance labels"):
        read_fnc(tmp_path)


@pytest.mark.skipif(not HAS_FNC, reason="FNC-1 training data (../shared/corpora/fnc1) not present")
def test_real_fnc_split():
    data = read_fnc(fnc_dir())
    assert len(data.pairs) == 49972 and len(data.bodies) == 1683
    assert set(data.pairs["stance"]) == set(LABELS)
    train, dev = split_by_body(data.pairs)
    assert set(train["body_id"]).isdisjoint(dev["body_id"])
    assert dev["body_id"].nunique() == round(1683 * 0.2)


def test_split_by_topic_holds_out_claims_and_bodies():
    from analysis.stance._split import split_by_topic

    # 10 topics, each 2 headlines x 3 bodies related; unrelated pairs link topics to each other
    rows = []
    for t in range(10):
        for h in range(2):
            for b in range(3):
                rows.append({"headline": f"claim {t} variant {h} about topic{t}", "body_id": 3 * t + b, "stance": "discuss"})
        rows.append({"headline": f"claim {t} variant 0 about topic{t}", "body_id": 3 * ((t + 1) % 10), "stance": "unrelated"})
    pairs = pd.DataFrame(rows)
    bodies = {i: f"body number {i} on subject{i // 3} with words{i}" for i in range(30)}
    pairs["body"] = pairs["body_id"].map(bodies)
    split = split_by_topic(pairs, bodies=bodies, dev_fraction=0.2, seed=1)
    assert set(split.train["headline"]).isdisjoint(split.dev["headline"])
    assert set(split.train["body_id"]).isdisjoint(split.dev["body_id"])
    assert split.dev["body_id"].nunique() == 6 and split.dev["topic"].nunique() == 2
    # crossing unrelated pairs are dropped; dev gets unrelated pairs drawn inside dev instead
    assert (split.dev["origin"] == "resampled").any()
    resampled = split.dev[split.dev["origin"] == "resampled"]
    assert all(split.headline_topic[h] != split.body_topic[b] for h, b in zip(resampled["headline"], resampled["body_id"]))
    assert split.dev.equals(split_by_topic(pairs, bodies=bodies, dev_fraction=0.2, seed=1).dev)


def test_near_duplicate_headlines_share_a_topic():
    from analysis.stance._split import topic_groups

    pairs = pd.DataFrame({
        "headline": ["Banksy arrested in London, identity revealed", "BANKSY ARRESTED in London; identity revealed!", "Cat elected mayor"],
        "body_id": [1, 2, 3], "stance": ["agree", "agree", "agree"],
    })
    bodies = {1: "police say the artist was held", 2: "a different text about graffiti", 3: "the town voted for a cat"}
    headline_topic, body_topic = topic_groups(pairs, bodies=bodies)
    assert headline_topic[pairs.headline[0]] == headline_topic[pairs.headline[1]] == body_topic[2]
    assert body_topic[3] != body_topic[1]


@pytest.mark.skipif(not HAS_FNC, reason="FNC-1 training data (../shared/corpora/fnc1) not present")
def test_real_topic_split_has_no_near_duplicates_across():
    from analysis.stance._split import max_cross_similarity, split_by_topic

    data = read_fnc(fnc_dir())
    split = split_by_topic(data.pairs, bodies=data.bodies)
    train, dev = split.train, split.dev
    assert set(train["headline"]).isdisjoint(dev["headline"]) and set(train["body_id"]).isdisjoint(dev["body_id"])
    assert 0.18 <= dev["body_id"].nunique() / 1683 <= 0.25
    assert max_cross_similarity(list(train["headline"].unique()), list(dev["headline"].unique())) < 0.6
    assert set(dev["stance"]) == set(LABELS)
