"""Stance: how an article stands to its headline, and who says what about whom.

* Claim stance (the FNC-1 task): :func:`predict_claim_stance` for (headline, body) pairs and
  :func:`claim_stance` for an article (the whole body, then each sentence's relevance to the
  title and, when relevant, its stance), with the committed model of :mod:`analysis.stance._claim`.
* Reported statements: :func:`quotes` (direct quotes and reported speech, with speakers).
* Actor stance: :func:`actor_stance` (each speaker toward each target entity, with evidence).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._analysed import ArticleLike, as_analysed
from ._actors import actor_stance, default_targets, stance_matrix
from ._claim import ClaimModel, load_claim_model, predict_claim_proba, predict_claim_stance, sentence_stance
from ._fnc import LABELS, fnc_score, score_report, split_by_body
from ._split import split_by_topic
from ._quotes import quotes
from ._summary import StanceResults, stance_results, write_stance_results

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
    "sentence_stance",
    "split_by_body",
    "split_by_topic",
    "stance_matrix",
    "StanceResults",
    "stance_results",
    "write_stance_results",
]

CLAIM_COLUMNS = ["scope", "line", "text", "label", "relevance", "rank", *(f"p_{label}" for label in LABELS)]


def claim_stance(article: ArticleLike, *, claim_model: ClaimModel | None = None, pipeline: str | None = None) -> pd.DataFrame:
    """FNC-1 stance of the article's body, and of each body sentence, toward its own title.

    The first row (``scope == "body"``, ``line == -1``) is the whole body; then one row per
    sentence (``scope == "sentence"``, ``line`` = index into ``article.sentences``). Columns
    ``p_agree`` … ``p_unrelated`` are the model's class probabilities; ``relevance`` is the
    probability that the text is related to the title (``1 - p_unrelated``). A sentence is
    labelled with a stance only when it is relevant (else ``unrelated``). ``rank`` is 1, 2, 3
    for the sentences the body's stance cues were read from (the three most similar to the
    title, most similar first), else 0. The model reads the repaired text (:mod:`analysis._repair`); ``text`` is as written.

    ``claim_model`` is a claim-stance model (default: the committed one); ``pipeline`` the spaCy
    pipeline, used only to analyse a plain Article.
    """
    a = as_analysed(article, pipeline=pipeline)
    scored = sentence_stance(a.repaired.title.text, list(a.texts), claim_model=claim_model)
    proba = np.vstack([scored.body_proba[None, :], scored.proba])
    ranks = {line: r for r, line in enumerate(scored.top_lines, 1)}
    columns = {
        "scope": ["body", *["sentence"] * len(a.texts)],
        "line": [-1, *range(len(a.texts))],
        "text": [" ".join(article.sentences), *article.sentences],
        "label": [scored.body_label, *scored.labels],
        "relevance": 1.0 - proba[:, LABELS.index("unrelated")],
        "rank": [0, *[ranks.get(i, 0) for i in range(len(a.texts))]],
    }
    columns |= {f"p_{label}": proba[:, k] for k, label in enumerate(LABELS)}
    return pd.DataFrame(columns)[CLAIM_COLUMNS]
