"""Named feature columns of the reordering model, and the check of a stored model's columns
against them, on the real seed and copies of the committed model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import SEED

import analysis
from analysis.errors import ModelMismatchError, NewsdeskError
from analysis.ordering._features import (
    PAIR_FEATURES,
    SENTENCE_COLUMNS,
    SENTENCE_FEATURES,
    article_features,
    sentence_inputs,
)
from analysis.ordering._lexical import LEXICAL_COLUMNS, LEXICAL_SENTENCE_FEATURES
from analysis.ordering._meaning import MEANING_PAIR_FEATURES, MEANING_SENTENCE_FEATURES
from analysis.ordering._pair_features import PAIR_COLUMNS, PairInput
from analysis.ordering._pairwise import MODEL_DIR, PairwiseModel, PairwiseOrdering


@pytest.fixture(scope="module")
def features(seed):
    return article_features(seed)


@pytest.fixture(scope="module")
def stored() -> list[str]:
    return json.loads((MODEL_DIR / "pairwise.json").read_text(encoding="utf-8"))["feature_names"]


def _model_copy(tmp_path: Path, edit) -> Path:
    """The committed model copied into ``tmp_path``, its stored column names passed through ``edit``."""
    for name in ("pairwise.npz", "pairwise.json"):
        shutil.copyfile(MODEL_DIR / name, tmp_path / name)
    meta = tmp_path / "pairwise.json"
    payload = json.loads(meta.read_text(encoding="utf-8"))
    payload["feature_names"] = edit(list(payload["feature_names"]))
    meta.write_text(json.dumps(payload), encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------- names


def test_names_are_derived_from_the_columns() -> None:
    assert SENTENCE_FEATURES == tuple(c.name for c in SENTENCE_COLUMNS) + MEANING_SENTENCE_FEATURES
    assert PAIR_FEATURES == tuple(c.name for c in PAIR_COLUMNS) + MEANING_PAIR_FEATURES
    assert LEXICAL_SENTENCE_FEATURES == tuple(c.name for c in LEXICAL_COLUMNS)
    for names in (SENTENCE_FEATURES, PAIR_FEATURES):
        assert len(set(names)) == len(names)  # a duplicate would make two columns one name
    assert (len(SENTENCE_COLUMNS), len(PAIR_COLUMNS), len(LEXICAL_COLUMNS)) == (40, 26, 4)


def test_committed_model_loads_and_stores_the_code_columns(stored) -> None:
    model = PairwiseModel.load(MODEL_DIR)
    assert list(model.feature_names) == stored and len(stored) == 468
    # The code's own names open the stored list and its second (wire) half, in order.
    half = len(stored) // 2
    assert tuple(stored[: len(SENTENCE_FEATURES)]) == SENTENCE_FEATURES
    assert tuple(stored[len(SENTENCE_FEATURES) : len(SENTENCE_FEATURES) + 4]) == LEXICAL_SENTENCE_FEATURES
    assert tuple(stored[half - len(PAIR_FEATURES) - 1 : half - 1]) == PAIR_FEATURES
    assert stored[half:] == [f"wire:{name}" for name in stored[:half]]


# --------------------------------------------------------------------------- the load check


def test_swapped_columns_are_refused(tmp_path: Path, stored) -> None:
    a, b = SENTENCE_FEATURES.index("starts_pronoun"), SENTENCE_FEATURES.index("starts_connective")

    def swap(names: list[str]) -> list[str]:
        names[a], names[b] = names[b], names[a]
        return names

    directory = _model_copy(tmp_path, swap)
    with pytest.raises(ModelMismatchError) as caught:
        PairwiseModel.load(directory)
    error = caught.value
    assert isinstance(error, NewsdeskError) and isinstance(error, ValueError)
    assert error.path == directory / "pairwise.json"
    assert error.index == a
    assert list(error.expected) == stored and error.found[a] == "starts_connective"
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{directory / 'pairwise.json'}: column {a} is 'starts_connective' in the model")
    assert "but 'starts_pronoun' in this code" in message
    assert "(model 468 columns, code 468)" in message and "retrain it with `python -m analysis train reorder`" in message


def test_renamed_column_is_refused_by_the_ordering_method(tmp_path: Path, seed) -> None:
    position = json.loads((MODEL_DIR / "pairwise.json").read_text())["feature_names"].index("overlap_then_connective")
    assert position > len(SENTENCE_FEATURES)  # a pair column: after the sentence and first-word columns

    def rename(names: list[str]) -> list[str]:
        names[position] = "overlap_then_the"
        return names

    with pytest.raises(ModelMismatchError, match=rf"column {position} is 'overlap_then_the' in the model but 'overlap_then_connective'"):
        PairwiseOrdering(model_dir=_model_copy(tmp_path, rename)).predict(seed)


def test_dropped_and_added_columns_are_refused(tmp_path: Path, stored) -> None:
    with pytest.raises(ModelMismatchError, match=r"column 467 is absent in the model but 'wire:lexical_precedence' in this code \(model 467 columns, code 468\)"):
        PairwiseModel.load(_model_copy(tmp_path, lambda names: names[:-1]))
    with pytest.raises(ModelMismatchError, match=r"column 468 is 'extra' in the model but absent in this code \(model 469 columns, code 468\)"):
        PairwiseModel.load(_model_copy(tmp_path, lambda names: names + ["extra"]))
    dropped = SENTENCE_FEATURES.index("weekday")
    with pytest.raises(ModelMismatchError) as caught:
        PairwiseModel.load(_model_copy(tmp_path, lambda names: names[:dropped] + names[dropped + 1 :]))
    assert caught.value.index == dropped and caught.value.found[dropped] == "background"
    assert len(caught.value.found) == len(caught.value.expected) - 1


def test_mismatch_error_is_exported() -> None:
    assert analysis.ModelMismatchError is ModelMismatchError and "ModelMismatchError" in analysis.__all__
    assert "ModelMismatchError" in analysis.errors.__all__ and "ModelMismatchError" in analysis.errors.__doc__


# --------------------------------------------------------------------------- each column by name


def test_each_sentence_column_function_gives_its_matrix_column(seed, features) -> None:
    inputs = sentence_inputs(seed)
    assert len(inputs) == seed.n_sentences
    for column in SENTENCE_COLUMNS:
        values = np.asarray([column.value(s) for s in inputs], dtype=np.float64)
        np.testing.assert_array_equal(values, features.sentence[:, SENTENCE_FEATURES.index(column.name)], err_msg=column.name)
    # The comparison is not of zeros against zeros: the seed sets most columns somewhere.
    assert (features.sentence[:, : len(SENTENCE_COLUMNS)] != 0).any(axis=0).sum() >= 20
    # A column that drifted to its neighbour's place would be caught.
    assert not np.array_equal(features.sentence[:, SENTENCE_FEATURES.index("has_quote")],
                              features.sentence[:, SENTENCE_FEATURES.index("starts_quote")])


def test_each_pair_column_function_gives_its_tensor_column(seed, features) -> None:
    inputs = sentence_inputs(seed)
    n = seed.n_sentences
    pairs = PairInput([s.cue for s in inputs], features.sentence, SENTENCE_FEATURES)
    off_diagonal = ~np.eye(n, dtype=bool)
    for column in PAIR_COLUMNS:
        values = np.asarray(column.value(pairs), dtype=np.float64)
        assert values.shape == (n, n), column.name
        expected = features.pair[:, :, PAIR_FEATURES.index(column.name)]
        np.testing.assert_array_equal(values[off_diagonal], expected[off_diagonal], err_msg=column.name)
        assert (np.diag(expected) == 0).all()
    assert (features.pair[:, :, : len(PAIR_COLUMNS)] != 0).any(axis=(0, 1)).sum() >= 10


def test_each_lexical_column_gives_its_model_column(features) -> None:
    model = PairwiseModel.load(MODEL_DIR)
    columns = model.lexical.sentence_columns(features)
    matrix = model.cue_matrix(features)
    for k, column in enumerate(LEXICAL_COLUMNS):
        np.testing.assert_array_equal(columns[:, k], matrix[:, model.feature_names.index(column.name)], err_msg=column.name)
    # mean, min and max of the lemma priors: min <= mean for positions, mean <= max for leads.
    assert (columns[:, 2] <= columns[:, 0] + 1e-12).all() and (columns[:, 1] <= columns[:, 3] + 1e-12).all()
    assert (columns != 0).any(axis=0).all()  # each column is set for some sentence of the seed


def test_a_quote_split_over_two_lines_is_opened_then_closed() -> None:
    article = analysis.parse_article(
        "Minister defends budget\n20240102\nhttps://example.org/b\n"
        "\"This has nothing to do with the election,\" the minister told reporters.\n"
        "\"We will not raise taxes this year.\n"
        "The budget is balanced,\" she said after the cabinet met.\n"
        "The minister presented the budget on Tuesday.\n"
        "Critics called it “a missed chance.”\n",
        id="quotes",
    )
    features = article_features(article)
    opens = features.sentence[:, SENTENCE_FEATURES.index("quote_opens")]
    closes = features.sentence[:, SENTENCE_FEATURES.index("quote_closes")]
    # Balanced quotes (lines 1, 5) and no quote (line 4) are neither; curly quotes count too.
    np.testing.assert_array_equal(opens, [0, 1, 0, 0, 0])
    np.testing.assert_array_equal(closes, [0, 0, 1, 0, 0])
    pair = features.pair[:, :, PAIR_FEATURES.index("quote_opened_then_closed")]
    expected = np.zeros((5, 5))
    expected[1, 2] = 1.0
    np.testing.assert_array_equal(pair, expected)
