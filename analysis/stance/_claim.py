"""Claim stance: how a body (or one sentence) stands to a headline, the FNC-1 task.

The committed model is the two-stage model of :mod:`analysis.stance._twostage` (related or not,
then agree / disagree / discuss, from features that do not depend on having seen the topic),
stored as ``model/claim_stance.npz`` (plain arrays read with ``allow_pickle=False``) and
``model/claim_stance.json`` (word lists and settings): loading needs neither a download nor
unpickling. :func:`sentence_stance` gives each body sentence its relevance to the claim and, when
relevant, its stance.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from ._fnc import LABELS
from ._twostage import TwoStageConfig, TwoStageModel, fit_two_stage, load_two_stage, save_two_stage, two_stage_proba

__all__ = [
    "MODEL_DIR",
    "MODEL_NAME",
    "ClaimModel",
    "SentenceStance",
    "fit_claim_model",
    "save_claim_model",
    "load_claim_model",
    "predict_claim_proba",
    "predict_claim_stance",
    "sentence_stance",
]

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_NAME = "claim_stance"

ClaimModel = TwoStageModel


def fit_claim_model(
    headlines: Sequence[str], bodies: Sequence[str], stances: Sequence[str], topics: Sequence[int], *, config: TwoStageConfig = TwoStageConfig(), log=lambda m: None
) -> ClaimModel:
    """Train the claim-stance model (see :func:`analysis.stance._twostage.fit_two_stage`)."""
    return fit_two_stage(headlines, bodies, stances, topics, config=config, log=log)


def save_claim_model(claim_model: ClaimModel, directory: str | Path = MODEL_DIR, *, name: str = MODEL_NAME) -> tuple[Path, Path]:
    """Write ``NAME.npz`` and ``NAME.json``; the JSON records the npz's sha256, checked on load."""
    return save_two_stage(claim_model, directory, name=name)


def load_claim_model(directory: str | Path = MODEL_DIR, *, name: str = MODEL_NAME) -> ClaimModel:
    """Load a saved model (the committed one by default); cached per process.

    Raises:
        ModelNotFoundError: the files are missing.
        NewsdeskError: the weights and the JSON do not belong together.
    """
    return load_two_stage(directory, name=name)


def predict_claim_proba(headlines: Sequence[str], bodies: Sequence[str | Sequence[str]], *, claim_model: ClaimModel | None = None) -> np.ndarray:
    """Class probabilities (columns in ``claim_model.labels`` order) for each (headline, body) pair.

    A body is a text or a list of its sentences."""
    if len(headlines) != len(bodies):
        raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
    return two_stage_proba(claim_model or load_claim_model(), headlines, bodies)[0]


def predict_claim_stance(headlines: Sequence[str], bodies: Sequence[str | Sequence[str]], *, claim_model: ClaimModel | None = None) -> list[str]:
    """FNC-1 label (``agree``, ``disagree``, ``discuss``, ``unrelated``) of each (headline, body) pair.

    Uses the committed model unless ``claim_model`` is given. The label applies the model's relatedness
    threshold and stance biases (chosen by cross-validation), so it is not always the class of
    highest probability.
    """
    if len(headlines) != len(bodies):
        raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
    return two_stage_proba(claim_model or load_claim_model(), headlines, bodies)[1]


class SentenceStance(NamedTuple):
    """A body's stance to a claim and each sentence's relevance and stance."""

    body_proba: np.ndarray  # (4,) LABELS order
    body_label: str
    top_lines: list[int]  # the sentences most similar to the claim, best first
    relevance: np.ndarray  # (n,) probability that the sentence is related to the claim
    proba: np.ndarray  # (n, 4)
    labels: list[str]  # ``unrelated`` below the model's threshold, else the sentence's stance


def sentence_stance(claim: str, sentences: Sequence[str], *, claim_model: ClaimModel | None = None) -> SentenceStance:
    """Score the body (all sentences together) and each sentence alone against ``claim``.

    A sentence's relevance is stage 1's probability that it is related to the claim; its stance
    is stage 2 applied to the sentence as a one-sentence body, given only when it is relevant.
    """
    claim_model = claim_model or load_claim_model()
    sentences = list(sentences)
    proba, labels, tops = two_stage_proba(claim_model, [claim] * (len(sentences) + 1), [sentences, *[[s] for s in sentences]])
    return SentenceStance(proba[0], labels[0], tops[0], 1.0 - proba[1:, LABELS.index("unrelated")], proba[1:], labels[1:])
