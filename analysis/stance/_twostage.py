"""The claim-stance model: *related or not*, then *agree / disagree / discuss*, across topics.

Stage 1 is a logistic regression on the similarity features of :mod:`analysis.stance._features`
(cosines in a TF-IDF/LSA space fitted on training text, overlaps with the body and with its
sentences most similar to the claim, open-vocabulary cosines and overlaps). Both stages are
fitted on cross-fitted features: each training pair's inputs come from a space fitted without
its fold's topics, as a new claim's will. Stage 2, for related pairs, averages two classifiers: a
gradient-boosted tree model on the similarity and cue features and a class-balanced logistic
regression that also reads the bag of cross-topic words. The relatedness threshold and a bias
per stance class (so that ``disagree``, 1.7 % of FNC-1 pairs, is predicted at all) are chosen by
cross-validation grouped by topic inside the training data, never on the pairs scored.

The four probabilities are ``p_unrelated = 1 - p_related`` and ``p_x = p_related * q_x`` with
``q`` the stage-2 distribution; the label applies the chosen threshold and biases.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import scipy.sparse as sp

from .._atomic import atomic_write_text
from ..errors import ModelNotFoundError, NewsdeskError
from ._features import SIMILARITY_NAMES, PairInputs, TextSpace, fit_text_space, pair_matrix
from ._fnc import LABELS, score_report
from ._storage import write_npz
from ._trees import TreeArrays, export_trees, softmax, tree_logits

__all__ = ["TwoStageConfig", "TwoStageModel", "fit_two_stage", "two_stage_proba", "two_stage_labels", "save_two_stage", "load_two_stage"]

STANCES: tuple[str, ...] = ("agree", "disagree", "discuss")


@dataclass(frozen=True)
class TwoStageConfig:
    """Settings; the defaults are the ones chosen by grouped cross-validation (model card)."""

    stage1_c: float = 1.0
    stage2_c: float = 0.1
    trees: int = 200
    tree_leaves: int = 15
    tree_learning_rate: float = 0.05
    tree_l2: float = 1.0
    inner_folds: int = 5
    seed: int = 0


@dataclass(frozen=True)
class TwoStageModel:
    """Everything the model needs at prediction time (arrays, word lists, chosen settings)."""

    space: TextSpace
    scale1: np.ndarray  # (2, d1): mean and std of the stage-1 design
    w1: np.ndarray  # (d1,)
    b1: float
    scale2: np.ndarray  # (2, d2) dense part of the stage-2 design
    w2: np.ndarray  # (d2 + bow, 3)
    b2: np.ndarray  # (3,)
    trees: TreeArrays
    threshold: float
    bias: np.ndarray  # (3,) added to the stage-2 log-probabilities before the argmax
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


def _design1(x: PairInputs) -> np.ndarray:
    s = x.similarity.astype(np.float64)
    return np.hstack([s, s**2, np.sqrt(np.abs(s))])


def _dense2(x: PairInputs) -> np.ndarray:
    return np.hstack([x.similarity, np.log1p(x.cues)]).astype(np.float64)


def _scale(m: np.ndarray) -> np.ndarray:
    return np.vstack([m.mean(axis=0), m.std(axis=0) + 1e-6])


def _stage_probabilities(model: TwoStageModel, x: PairInputs) -> tuple[np.ndarray, np.ndarray]:
    """``p_related`` (n,) and the stage-2 distribution over agree/disagree/discuss (n, 3)."""
    z1 = (_design1(x) - model.scale1[0]) / model.scale1[1]
    p_related = 1.0 / (1.0 + np.exp(-(z1 @ model.w1 + model.b1)))
    dense = _dense2(x)
    z2 = sp.hstack([sp.csr_matrix((dense - model.scale2[0]) / model.scale2[1]), x.bow], format="csr")
    linear = softmax(np.asarray(z2 @ model.w2) + model.b2)
    boosted = softmax(tree_logits(model.trees, dense))
    return p_related, (linear + boosted) / 2


def _labels(p_related: np.ndarray, q: np.ndarray, threshold: float, bias: np.ndarray) -> list[str]:
    stance = np.array(STANCES, dtype=object)[(np.log(q + 1e-12) + bias).argmax(axis=1)]
    return [str(s) if r >= threshold else "unrelated" for r, s in zip(p_related, stance)]


def _fit_stages(x: PairInputs, stances: np.ndarray, config: TwoStageConfig) -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    related = stances != "unrelated"
    d1 = _design1(x)
    scale1 = _scale(d1)
    lr1 = LogisticRegression(C=config.stage1_c, max_iter=3000).fit((d1 - scale1[0]) / scale1[1], related.astype(int))
    dense = _dense2(x)
    scale2 = _scale(dense[related])
    z2 = sp.hstack([sp.csr_matrix((dense - scale2[0]) / scale2[1]), x.bow], format="csr")[np.flatnonzero(related)]
    lr2 = LogisticRegression(C=config.stage2_c, max_iter=5000, class_weight="balanced").fit(z2, stances[related])
    hgb = HistGradientBoostingClassifier(
        max_iter=config.trees, learning_rate=config.tree_learning_rate, max_leaf_nodes=config.tree_leaves,
        l2_regularization=config.tree_l2, class_weight="balanced", early_stopping=False, random_state=config.seed,
    ).fit(dense[related], stances[related])
    if tuple(lr2.classes_) != STANCES or tuple(hgb.classes_) != STANCES:
        raise NewsdeskError(f"training data lacks a stance class: found {list(lr2.classes_)}")
    return {
        "scale1": scale1, "w1": lr1.coef_.ravel(), "b1": float(lr1.intercept_[0]), "scale2": scale2,
        "w2": lr2.coef_.T.copy(), "b2": lr2.intercept_.copy(), "trees": export_trees(hgb),
    }


def _rows(x: PairInputs, rows: np.ndarray) -> PairInputs:
    return PairInputs(x.similarity[rows], x.cues[rows], x.bow[rows], [x.top_sentences[i] for i in rows])


def _space_for(headlines: Sequence[str], bodies: Sequence[str], topics: Sequence[int]) -> TextSpace:
    documents: dict[str, int] = {}
    for h, b, t in zip(headlines, bodies, topics):
        documents.setdefault(h, t)
        documents.setdefault(b, t)
    return fit_text_space(list(documents), list(documents.values()))


def _fast_objective(gold: np.ndarray, predicted: np.ndarray) -> float:
    """Relative FNC score + macro-F1 for integer labels (3 = unrelated), as score_report computes them."""
    confusion = np.bincount(gold * 4 + predicted, minlength=16).reshape(4, 4).astype(float)
    related_gold, related_pred = gold < 3, predicted < 3
    score = 0.25 * (related_gold == related_pred).sum() + 0.75 * (related_gold & (gold == predicted)).sum()
    maximum = related_gold.sum() + 0.25 * (~related_gold).sum()
    tp = np.diag(confusion)
    f1 = np.where(tp > 0, 2 * tp / np.maximum(confusion.sum(0) + confusion.sum(1), 1), 0.0)
    return float(score / maximum + f1.mean())


def _choose_settings(oof_related: np.ndarray, oof_q: np.ndarray, stances: np.ndarray) -> tuple[float, np.ndarray, float]:
    """Threshold and stance biases maximising relative FNC score + macro-F1 out of fold."""
    best = (-1.0, 0.5, np.zeros(3))
    grid = np.arange(-1.0, 1.51, 0.25)
    gold = np.array([LABELS.index(s) for s in stances])
    log_q = np.log(oof_q + 1e-12)
    for threshold in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        for b_agree in grid:
            for b_disagree in grid:
                bias = np.array([b_agree, b_disagree, 0.0])
                predicted = np.where(oof_related >= threshold, (log_q + bias).argmax(axis=1), 3)
                value = _fast_objective(gold, predicted)
                if value > best[0] + 1e-12:
                    best = (value, threshold, bias)
    return best[1], best[2], best[0]


def fit_two_stage(
    headlines: Sequence[str],
    bodies: Sequence[str],
    stances: Sequence[str],
    topics: Sequence[int],
    *,
    config: TwoStageConfig = TwoStageConfig(),
    log: Callable[[str], None] = lambda message: None,
) -> TwoStageModel:
    """Train on (headline, body, stance) triples; ``topics`` groups pairs for the inner
    cross-validation (see :func:`analysis.stance._split.topic_groups`) and names the topics the
    cross-topic words must span."""
    from sklearn.model_selection import GroupKFold

    headlines, bodies, y, groups = list(headlines), list(bodies), np.asarray(stances, dtype=object), np.asarray(topics)
    if not (len(headlines) == len(bodies) == len(y) == len(groups)):
        raise ValueError("headlines, bodies, stances and topics must have the same length")
    unknown = set(y) - set(LABELS)
    if unknown:
        raise NewsdeskError(f"unknown stance labels {sorted(unknown)}; expected {list(LABELS)}")
    # Cross-fitting: each pair's similarities and cues are computed in a space fitted on the
    # other folds' texts only, so the stages learn from pairs whose topic words the space has
    # not seen, as every claim an analyst brings will be. (Fitted on in-space features, the
    # stages trusted vocabulary cosines that a new topic's words do not reach.) The bag of
    # cross-topic words comes from the full space: its words span many topics by definition.
    folds = list(GroupKFold(n_splits=config.inner_folds).split(headlines, y, groups))
    similarity = cues = None
    for fold, (a, b) in enumerate(folds, 1):
        part_space = _space_for([headlines[i] for i in a], [bodies[i] for i in a], groups[a])
        xb = pair_matrix([headlines[i] for i in b], [bodies[i] for i in b], space=part_space)
        if similarity is None:
            similarity = np.zeros((len(y), xb.similarity.shape[1]), np.float32)
            cues = np.zeros((len(y), xb.cues.shape[1]), np.float32)
        similarity[b], cues[b] = xb.similarity, xb.cues
        log(f"fold {fold}/{config.inner_folds}: features in a space without its topics")
    space = _space_for(headlines, bodies, groups)
    full = pair_matrix(headlines, bodies, space=space)
    x = PairInputs(similarity, cues, full.bow, full.top_sentences)
    oof_related, oof_q = np.zeros(len(y)), np.zeros((len(y), 3))
    for fold, (a, b) in enumerate(folds, 1):
        part = TwoStageModel(space=space, threshold=0.5, bias=np.zeros(3), **_fit_stages(_rows(x, a), y[a], config))
        oof_related[b], oof_q[b] = _stage_probabilities(part, _rows(x, b))
        log(f"inner fold {fold}/{config.inner_folds} done")
    threshold, bias, value = _choose_settings(oof_related, oof_q, y)
    inner = score_report(y, _labels(oof_related, oof_q, threshold, bias))
    log(f"inner CV: threshold {threshold}, bias {bias.tolist()}, relative {inner.relative:.4f}, macro-F1 {inner.macro_f1:.4f}")
    meta = {
        "method": "two stages, cross-fitted (features of each pair in a space without its topic): related (logistic regression on similarities), then stance (boosted trees + logistic regression on cues and cross-topic words)",
        "config": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "similarity_features": list(SIMILARITY_NAMES),
        "n_pairs": len(headlines),
        "n_bodies": len(set(bodies)),
        "inner_cv": {
            "relative_fnc": round(inner.relative, 4), "macro_f1": round(inner.macro_f1, 4),
            "per_class_f1": {k: round(v, 4) for k, v in inner.per_class_f1.items()},
        },
    }
    return TwoStageModel(space=space, threshold=threshold, bias=bias, meta=meta, **_fit_stages(x, y, config))


def two_stage_proba(model: TwoStageModel, headlines: Sequence[str], bodies: Sequence[str | Sequence[str]]) -> tuple[np.ndarray, list[str], list[list[int]]]:
    """Class probabilities (LABELS order), labels, and each pair's most similar body sentences."""
    if not headlines:
        return np.zeros((0, len(LABELS))), [], []
    x = pair_matrix(list(headlines), list(bodies), space=model.space)
    p_related, q = _stage_probabilities(model, x)
    proba = np.column_stack([p_related[:, None] * q, 1.0 - p_related])
    return proba, _labels(p_related, q, model.threshold, model.bias), x.top_sentences


def two_stage_labels(model: TwoStageModel, headlines: Sequence[str], bodies: Sequence[str]) -> list[str]:
    return two_stage_proba(model, headlines, bodies)[1]


# --- storage -------------------------------------------------------------------------------

_ARRAYS = ("scale1", "w1", "scale2", "w2", "b2")


def save_two_stage(model: TwoStageModel, directory: str | Path, *, name: str) -> tuple[Path, Path]:
    """Write ``NAME.npz`` (arrays) and ``NAME.json`` (word lists, settings, sha256 of the npz)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    npz, meta_path = directory / f"{name}.npz", directory / f"{name}.json"
    arrays = {k: np.asarray(getattr(model, k)) for k in _ARRAYS}
    arrays |= {"idf": model.space.idf, "lsa": model.space.lsa, "bias": model.bias}
    arrays |= {f"trees_{k}": v for k, v in model.trees._asdict().items()}
    write_npz(npz, arrays)
    payload = {
        "format": 3,
        "n_documents": model.space.n_documents,
        "labels": list(model.labels),
        "b1": model.b1,
        "threshold": model.threshold,
        "meta": model.meta,
        "weights_sha256": hashlib.sha256(npz.read_bytes()).hexdigest(),
        "vocabulary": list(model.space.vocabulary),
        "cue_words": list(model.space.cue_words),
    }
    atomic_write_text(meta_path, json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return npz, meta_path


@functools.lru_cache(maxsize=4)
def _load(directory: str, name: str) -> TwoStageModel:
    npz, meta_path = Path(directory) / f"{name}.npz", Path(directory) / f"{name}.json"
    if not npz.is_file() or not meta_path.is_file():
        raise ModelNotFoundError(
            f"claim-stance model {name!r} not found in {directory} (expected {npz.name} and {meta_path.name}); "
            "train it with `python -m analysis train stance --fnc DIR`"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != 3:
        raise NewsdeskError(f"{meta_path}: format {meta.get('format')!r}, this code reads format 3; retrain with `python -m analysis train stance`")
    digest = hashlib.sha256(npz.read_bytes()).hexdigest()
    if meta.get("weights_sha256") != digest:
        raise NewsdeskError(f"{npz}: sha256 {digest[:12]}… does not match {meta_path.name}; the two files are from different trainings")
    with np.load(npz, allow_pickle=False) as a:
        arrays = {k: a[k] for k in a.files}
    vocabulary, cue_words = tuple(meta["vocabulary"]), tuple(meta["cue_words"])
    if arrays["idf"].shape != (len(vocabulary),) or arrays["lsa"].shape[1] != len(vocabulary):
        raise NewsdeskError(f"{npz}: array shapes do not fit a vocabulary of {len(vocabulary)} terms")
    trees = TreeArrays(**{k: arrays[f"trees_{k}"] for k in TreeArrays._fields})
    return TwoStageModel(
        space=TextSpace(vocabulary, arrays["idf"], arrays["lsa"], cue_words, int(meta["n_documents"])),
        scale1=arrays["scale1"].astype(np.float64), w1=arrays["w1"].astype(np.float64), b1=float(meta["b1"]),
        scale2=arrays["scale2"].astype(np.float64), w2=arrays["w2"].astype(np.float64), b2=arrays["b2"].astype(np.float64),
        trees=trees, threshold=float(meta["threshold"]), bias=arrays["bias"].astype(np.float64),
        labels=tuple(meta["labels"]), meta=meta.get("meta", {}),
    )


def load_two_stage(directory: str | Path, *, name: str) -> TwoStageModel:
    """Load a saved model; cached per process."""
    return _load(str(Path(directory).resolve()), name)
