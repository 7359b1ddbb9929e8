"""FNC-1 reading, the split by body and the FNC score (hand-computed cases)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import NewsdeskError
from analysis.stance.fnc import LABELS, fnc_dir, fnc_score, read_fnc, score_report, split_by_body

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
