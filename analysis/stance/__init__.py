"""Stance: how an article stands to its headline, and who says what about whom.

* Claim stance (the FNC-1 task): :func:`predict_claim_stance` for (headline, body) pairs and
  :func:`claim_stance` for an article (the whole body and each sentence against its title),
  with the committed model of :mod:`analysis.stance.claim`.
* Reported statements: :func:`quotes` (direct quotes and reported speech, with speakers).
* Actor stance: :func:`actor_stance` (each speaker toward each target entity, with evidence).
"""

from __future__ import annotations

import pandas as pd

from ..analysed import ArticleLike, as_analysed
from .actors import actor_stance, default_targets, stance_matrix
from .claim import ClaimModel, load_claim_model, predict_claim_proba, predict_claim_stance
from .fnc import LABELS, fnc_score, score_report, split_by_body
from .quotes import quotes
from .summary import StanceResults, stance_results, write_stance_results

__all__ = [
    "LABELS",
    "ClaimModel",
    "actor_stance",
    "claim_stance",
    "default_targets",
    "fnc_score",
    "load_claim_model",
    "predict_claim_proba",
    "predict_claim_stance",
    "quotes",
    "score_report",
    "split_by_body",
    "stance_matrix",
    "StanceResults",
    "stance_results",
    "write_stance_results",
]

CLAIM_COLUMNS = ["scope", "line", "text", "label", *(f"p_{label}" for label in LABELS)]


def claim_stance(article: ArticleLike, *, model: ClaimModel | None = None, spacy_model: str | None = None) -> pd.DataFrame:
    """FNC-1 stance of the article's body, and of each body sentence, toward its own title.

    The first row (``scope == "body"``, ``line == -1``) is the whole body; then one row per
    sentence (``scope == "sentence"``, ``line`` = index into ``article.sentences``). Columns
    ``p_agree`` … ``p_unrelated`` are the model's class probabilities. The model reads the
    repaired text (:mod:`analysis.repair`); ``text`` is as written.

    ``model`` is a claim-stance model (default: the committed one); ``spacy_model`` the spaCy
    pipeline, used only to analyse a plain Article.

    A single sentence is much shorter than the bodies the model was trained on, so sentence
    labels lean to ``unrelated`` and are less reliable than the body's (see the model card).
    """
    model = model or load_claim_model()
    a = as_analysed(article, pipeline=spacy_model)
    title, texts = a.repaired.title.text, a.texts
    # Word order does not matter to a bag-of-words model, so the shuffled lines are a fine body.
    headlines = [title] * (len(texts) + 1)
    bodies = [" ".join(texts), *texts]
    proba = predict_claim_proba(headlines, bodies, model=model)
    frame = pd.DataFrame(proba, columns=[f"p_{label}" for label in model.labels])
    frame.insert(0, "label", [model.labels[i] for i in proba.argmax(axis=1)])
    frame.insert(0, "text", [" ".join(article.sentences), *article.sentences])
    frame.insert(0, "line", [-1, *range(len(texts))])
    frame.insert(0, "scope", ["body", *["sentence"] * len(texts)])
    return frame[CLAIM_COLUMNS]
