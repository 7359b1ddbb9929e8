"""The model savers write through the atomic writer and reproduce the committed files byte for byte."""

from __future__ import annotations

import os

import numpy as np

from analysis.ordering._weights import MODEL_DIR as ORDER_DIR
from analysis.ordering._weights import PairwiseModel
from analysis.stance._claim import MODEL_DIR as CLAIM_DIR
from analysis.stance._claim import MODEL_NAME
from analysis.stance._twostage import load_two_stage, save_two_stage


def _no_partials(folder) -> list[str]:
    return [p for p in os.listdir(folder) if ".partial" in p or p.startswith(".")]


def test_claim_model_saves_back_to_the_committed_bytes(tmp_path):
    model = load_two_stage(CLAIM_DIR, name=MODEL_NAME)
    npz, meta = save_two_stage(model, tmp_path, name=MODEL_NAME)
    assert npz.read_bytes() == (CLAIM_DIR / f"{MODEL_NAME}.npz").read_bytes()
    assert meta.read_text(encoding="utf-8") == (CLAIM_DIR / f"{MODEL_NAME}.json").read_text(encoding="utf-8")
    assert _no_partials(tmp_path) == []


def test_reordering_model_round_trips_through_its_saver(tmp_path):
    model = PairwiseModel.load(ORDER_DIR)
    npz, meta = model.save(tmp_path)
    again = PairwiseModel.load(tmp_path)
    np.testing.assert_array_equal(again.coef, model.coef)
    assert again.feature_names == model.feature_names
    assert npz.read_bytes() == (ORDER_DIR / npz.name).read_bytes()
    assert _no_partials(tmp_path) == []
