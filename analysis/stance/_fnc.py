"""FNC-1 (Fake News Challenge, stage 1) data: reading, a dev split by body, and the FNC score.

The task labels a (headline, body) pair ``agree``, ``disagree``, ``discuss`` or ``unrelated``.
The score follows the official scorer (github.com/FakeNewsChallenge/fnc-1, ``scorer.py``):
0.25 for the related/unrelated decision, a further 0.75 for the exact related label; the
relative score divides by the score of the gold labels themselves.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..errors import NewsdeskError
from .._seeds import shared_dir

__all__ = [
    "LABELS",
    "RELATED",
    "FncData",
    "FncScore",
    "shared_dir",
    "fnc_dir",
    "read_fnc",
    "split_by_body",
    "fnc_score",
    "score_report",
]

#: Class order used everywhere in this package (the order of the official scorer).
LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED: frozenset[str] = frozenset({"agree", "disagree", "discuss"})


class FncData(NamedTuple):
    """FNC-1 pairs joined to their bodies: one row per pair (``headline``, ``body_id``, ``body``, ``stance``)."""

    pairs: pd.DataFrame
    bodies: dict[int, str]


class FncScore(NamedTuple):
    """FNC-1 evaluation of predicted labels against gold labels."""

    score: float
    max_score: float
    relative: float
    macro_f1: float
    per_class_f1: dict[str, float]
    accuracy: float
    confusion: pd.DataFrame


def fnc_dir() -> Path:
    """Where the FNC-1 training files are expected (``<shared>/corpora/fnc1``)."""
    return shared_dir() / "corpora" / "fnc1"


def read_fnc(folder: str | Path) -> FncData:
    """Read ``train_bodies.csv`` and ``train_stances.csv`` from ``folder``.

    Rows keep the file order of ``train_stances.csv`` (the official scorer compares in that order).

    Raises:
        NewsdeskError: a file is missing, lacks a column, or a pair names an unknown body or label.
    """
    folder = Path(folder)
    bodies_path, stances_path = folder / "train_bodies.csv", folder / "train_stances.csv"
    for path in (bodies_path, stances_path):
        if not path.is_file():
            raise NewsdeskError(f"{path}: FNC-1 file not found (expected train_bodies.csv and train_stances.csv)")
    # keep_default_na=False: a headline "NA" or "null" is text, not a missing value
    bodies_df = pd.read_csv(bodies_path, dtype={"Body ID": int, "articleBody": str}, keep_default_na=False)
    stances = pd.read_csv(
        stances_path, dtype={"Headline": str, "Body ID": int, "Stance": str}, keep_default_na=False, quoting=csv.QUOTE_MINIMAL
    )
    for frame, path, cols in ((bodies_df, bodies_path, {"Body ID", "articleBody"}), (stances, stances_path, {"Headline", "Body ID", "Stance"})):
        if not cols <= set(frame.columns):
            raise NewsdeskError(f"{path}: expected columns {sorted(cols)}, found {list(frame.columns)}")
    bodies = {int(k): str(v) for k, v in zip(bodies_df["Body ID"], bodies_df["articleBody"])}
    unknown_bodies = set(stances["Body ID"]) - set(bodies)
    if unknown_bodies:
        raise NewsdeskError(f"{stances_path}: {len(unknown_bodies)} pairs name bodies absent from {bodies_path.name}")
    unknown_labels = set(stances["Stance"]) - set(LABELS)
    if unknown_labels:
        raise NewsdeskError(f"{stances_path}: unknown stance labels {sorted(unknown_labels)}")
    pairs = pd.DataFrame(
        {
            "headline": stances["Headline"].astype(str),
            "body_id": stances["Body ID"].astype(int),
            "body": [bodies[b] for b in stances["Body ID"]],
            "stance": stances["Stance"].astype(str),
        }
    )
    return FncData(pairs, bodies)


def split_by_body(pairs: pd.DataFrame, *, dev_fraction: float = 0.2, seed: int = 2017) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out ``dev_fraction`` of the bodies (by ``body_id``, as FNC-1 did) with a fixed seed.

    Every pair of a held-out body goes to dev, so no body text is seen in both parts.

    Returns:
        ``(train, dev)``, each in the original row order.
    """
    if not 0 < dev_fraction < 1:
        raise ValueError(f"dev_fraction must be in (0, 1), got {dev_fraction}")
    ids = np.array(sorted(set(int(b) for b in pairs["body_id"])))
    rng = np.random.default_rng(seed)
    n_dev = int(round(len(ids) * dev_fraction))
    dev_ids = set(rng.permutation(ids)[:n_dev].tolist())
    is_dev = pairs["body_id"].isin(dev_ids).to_numpy()
    return pairs.loc[~is_dev].reset_index(drop=True), pairs.loc[is_dev].reset_index(drop=True)


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """The FNC-1 score of ``predicted`` and the maximum score (that of ``gold``).

    A correct related/unrelated decision earns 0.25; for a related gold pair the exact label
    earns a further 0.75 (the official ``scorer.py``).
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    score = max_score = 0.0
    for g, p in zip(gold, predicted):
        g_related, p_related = g in RELATED, p in RELATED
        max_score += 1.0 if g_related else 0.25
        if g_related == p_related:
            score += 0.25
        if g_related and g == p:
            score += 0.75
    return score, max_score


def score_report(gold: Sequence[str], predicted: Sequence[str]) -> FncScore:
    """FNC score, relative score, macro-F1 over the four classes, per-class F1 and confusion matrix.

    Macro-F1 is the unweighted mean of the four per-class F1 scores (Hanselowski et al. 2018
    proposed it beside the FNC score because the score rewards predicting ``discuss``).
    """
    gold, predicted = list(gold), list(predicted)
    score, max_score = fnc_score(gold, predicted)
    confusion = pd.DataFrame(0, index=pd.Index(LABELS, name="gold"), columns=pd.Index(LABELS, name="predicted"))
    for g, p in zip(gold, predicted):
        confusion.loc[g, p] += 1
    per_class: dict[str, float] = {}
    for label in LABELS:
        tp = confusion.loc[label, label]
        fp = confusion[label].sum() - tp
        fn = confusion.loc[label].sum() - tp
        per_class[label] = float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0
    accuracy = float(np.trace(confusion.to_numpy()) / max(len(gold), 1))
    return FncScore(
        score=score,
        max_score=max_score,
        relative=score / max_score if max_score else 0.0,
        macro_f1=float(np.mean(list(per_class.values()))),
        per_class_f1=per_class,
        accuracy=accuracy,
        confusion=confusion,
    )
