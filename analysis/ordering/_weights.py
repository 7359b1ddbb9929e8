"""Weights of the pairwise ordering model: storage, columns, and the probabilities they give.

:class:`PairwiseModel` holds what :func:`analysis.ordering._pairwise.fit_model` learns and what is
committed under ``analysis/ordering/model/``: the two logistic regressions (precedence and lead),
the learned vocabularies, the position trees (:mod:`analysis.ordering._position`) and the lexical
order statistics (:mod:`analysis.ordering._lexical`). Weights are stored as ``npz`` (arrays) plus
``json`` (names, vocabularies, provenance): no pickle.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._atomic import atomic_write_bytes, atomic_write_text
from ..errors import ModelMismatchError, ModelNotFoundError
from ._features import PAIR_FEATURES, SENTENCE_FEATURES, ArticleFeatures
from ._lexical import LEXICAL_ARRAYS, LEXICAL_PAIR_FEATURE, LEXICAL_SENTENCE_FEATURES, LexicalModel
from ._pair_trees import SplitPlan, pair_tree_logits, split_plan
from ._position import POSITION_ARRAYS, PositionModel, TreeEnsemble, array_names

__all__ = [
    "MODEL_DIR",
    "POSITION_COLUMN",
    "PairwiseModel",
    "is_wire",
    "styled_columns",
    "styled_weights",
    "lead_log_probabilities",
    "pair_probabilities",
    "weights_digest",
]

#: Where the committed default weights live.
MODEL_DIR = Path(__file__).resolve().parent / "model"
_STEM = "pairwise"
_OOV = "<other>"
#: Name of the sentence column holding the position model's prediction.
POSITION_COLUMN = "predicted_position"
_PAIR_TREES = "pair_trees"


@dataclass(frozen=True)
class PairwiseModel:
    """Weights of the pairwise model.

    Attributes:
        vocabulary: first words with their own one-hot column (others share ``<other>``).
        scale: per-column divisor applied before the weights (feature spread in training).
        coef: logistic-regression weights, sentence columns then pair columns.
        lexicon: common lemmas with a presence column each (learned in training).
        lead_scale, lead_coef: the "which sentence opens the article" model over the sentence
            columns (a conditional logit: softmax of ``x @ lead_coef / lead_scale`` over the
            article's sentences).
        info: provenance (training corpora, article counts, seed, C, versions).
        position: the pointwise position model (:mod:`analysis.ordering._position`) whose
            prediction is one more sentence column (``predicted_position``), or ``None``.
        lexical: lexical order statistics (:mod:`analysis.ordering._lexical`) giving four more
            sentence columns and one more pair column, or ``None``.
        pair_trees: gradient-boosted trees over the same difference rows as the logistic
            regression, giving a second "i before j" log-odds; the two are averaged. ``None``
            for the logistic regression alone.
    """

    vocabulary: tuple[str, ...]
    scale: np.ndarray
    coef: np.ndarray
    lead_scale: np.ndarray
    lead_coef: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)
    lexicon: tuple[str, ...] = ()
    position: PositionModel | None = None
    lexical: LexicalModel | None = None
    pair_trees: TreeEnsemble | None = None

    @property
    def pair_names(self) -> tuple[str, ...]:
        """The pair columns: pair features, then the lexical precedence column if any."""
        return PAIR_FEATURES + ((LEXICAL_PAIR_FEATURE,) if self.lexical is not None else ())

    @property
    def base_names(self) -> tuple[str, ...]:
        """Columns of one style: sentence features (with the lexical ones), ``first=<word>``,
        ``lemma=<word>``, the predicted position, then the pair columns."""
        return (
            SENTENCE_FEATURES
            + (LEXICAL_SENTENCE_FEATURES if self.lexical is not None else ())
            + tuple(f"first={w}" for w in self.vocabulary + (_OOV,))
            + tuple(f"lemma={w}" for w in self.lexicon)
            + ((POSITION_COLUMN,) if self.position is not None else ())
            + self.pair_names
        )

    @property
    def feature_names(self) -> tuple[str, ...]:
        """All columns: the base columns, then the same again prefixed ``wire:`` (active only
        in articles with a dateline)."""
        return self.base_names + tuple(f"wire:{name}" for name in self.base_names)

    @property
    def lead_feature_names(self) -> tuple[str, ...]:
        """Columns of the lead model: sentence columns, then the same prefixed ``wire:``."""
        sentence = self.base_names[: len(self.base_names) - len(self.pair_names)]
        return sentence + tuple(f"wire:{name}" for name in sentence)

    def save(self, directory: str | Path) -> tuple[Path, Path]:
        """Write ``pairwise.npz`` and ``pairwise.json`` into ``directory``; return their paths.

        The npz is written without compression timestamps issues: arrays only, so two trainings
        with the same seed give byte-identical files.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        npz, meta = directory / f"{_STEM}.npz", directory / f"{_STEM}.json"
        # np.savez writes zip entries with a fixed date, so the bytes depend on the arrays only;
        # the whole file is assembled in memory and published in one rename.
        handle = io.BytesIO()
        np.savez(
            handle,
            scale=self.scale,
            coef=self.coef,
            lead_scale=self.lead_scale,
            lead_coef=self.lead_coef,
            **(self.position.arrays() if self.position is not None else {}),
            **(self.lexical.arrays() if self.lexical is not None else {}),
            **(self.pair_trees.arrays(_PAIR_TREES) if self.pair_trees is not None else {}),
        )
        payload = {
            "vocabulary": list(self.vocabulary),
            "lexicon": list(self.lexicon),
            "lexical_lemmas": list(self.lexical.lemmas) if self.lexical is not None else None,
            "feature_names": list(self.feature_names),
            "info": self.info,
        }
        atomic_write_bytes(npz, handle.getvalue())
        atomic_write_text(meta, json.dumps(payload, indent=1, sort_keys=True) + "\n")
        return npz, meta

    @classmethod
    def load(cls, directory: str | Path = MODEL_DIR) -> "PairwiseModel":
        """Read weights written by :meth:`save`.

        Raises:
            ModelNotFoundError: the files are missing, lack an array, or hold a number of
                weights other than the number of columns.
            ModelMismatchError: the stored column names are not those this code computes (a
                column renamed, added, dropped or moved since the model was trained).
        """
        directory = Path(directory)
        npz, meta = directory / f"{_STEM}.npz", directory / f"{_STEM}.json"
        if not npz.is_file() or not meta.is_file():
            raise ModelNotFoundError(
                f"no pairwise ordering model in {directory} (expected {npz.name} and {meta.name}); "
                "train one with `python -m analysis train reorder`"
            )
        payload = json.loads(meta.read_text(encoding="utf-8"))
        try:
            with np.load(npz, allow_pickle=False) as arrays:
                model = cls(
                    tuple(payload["vocabulary"]),
                    arrays["scale"],
                    arrays["coef"],
                    arrays["lead_scale"],
                    arrays["lead_coef"],
                    payload.get("info", {}),
                    tuple(payload.get("lexicon", ())),
                    PositionModel.from_arrays(arrays) if POSITION_ARRAYS[0] in arrays.files else None,
                    LexicalModel.from_arrays(payload["lexical_lemmas"], arrays)
                    if LEXICAL_ARRAYS[0] in arrays.files
                    else None,
                    TreeEnsemble.from_arrays(arrays, _PAIR_TREES)
                    if array_names(_PAIR_TREES)[0] in arrays.files
                    else None,
                )
        except KeyError as exc:
            raise ModelNotFoundError(f"{npz} lacks array {exc}; retrain with `python -m analysis train reorder`") from None
        # The weights are matched to the columns by position: the stored names must be the ones
        # this code computes, in the same order (the first=/lemma= vocabularies come from the file).
        stored = payload.get("feature_names", [])
        if list(model.feature_names) != stored:
            raise ModelMismatchError(
                meta, model.feature_names, stored, remedy="retrain it with `python -m analysis train reorder`"
            )
        if model.coef.shape != (len(model.feature_names),) or model.lead_coef.shape != (len(model.lead_feature_names),):
            raise ModelNotFoundError(
                f"{npz}: {model.coef.shape[0]} precedence and {model.lead_coef.shape[0]} lead weights for "
                f"{len(model.feature_names)} and {len(model.lead_feature_names)} columns; "
                "retrain it with `python -m analysis train reorder`"
            )
        return model

    @functools.cached_property
    def _vocabulary_index(self) -> dict[str, int]:
        return {w: k for k, w in enumerate(self.vocabulary)}

    def cue_matrix(self, features: ArticleFeatures) -> np.ndarray:
        """Sentence features, the lexical columns, the first-word one-hot (and lemma bag), shape (n, d)."""
        index = self._vocabulary_index
        onehot = np.zeros((len(features.first_words), len(self.vocabulary) + 1))
        columns = [index.get(w, len(self.vocabulary)) for w in features.first_words]
        onehot[np.arange(len(columns)), columns] = 1.0
        lexicon = {w: k for k, w in enumerate(self.lexicon)}
        bag = np.zeros((len(features.first_words), len(self.lexicon)))
        for row, lemmas in enumerate(features.lemmas):
            for lemma in lemmas:
                if lemma in lexicon:
                    bag[row, lexicon[lemma]] = 1.0
        lexical = self.lexical.sentence_columns(features) if self.lexical is not None else np.zeros((len(onehot), 0))
        return np.hstack([features.sentence, lexical, onehot, bag])

    def position_inputs(self, features: ArticleFeatures, cues: np.ndarray | None = None) -> np.ndarray:
        """Input rows of the position model: the cue matrix, the wire flag and log(n)."""
        cues = self.cue_matrix(features) if cues is None else cues
        n = cues.shape[0]
        return np.hstack([cues, np.full((n, 1), is_wire(features)), np.full((n, 1), np.log(n))])

    def sentence_matrix(self, features: ArticleFeatures, positions: np.ndarray | None = None) -> np.ndarray:
        """The sentence columns of the model, shape (n, d_sentence): the cue matrix, then the
        predicted relative position when the model has a position model (``positions``
        overrides the prediction, as in training)."""
        cues = self.cue_matrix(features)
        if self.position is None:
            return cues
        if positions is None:
            positions = self.position.predict(self.position_inputs(features, cues))
        return np.hstack([cues, np.asarray(positions, dtype=np.float64)[:, None]])

    def pair_rows(
        self, features: ArticleFeatures, positions: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One difference row per ordered pair ``(i, j)``, ``i != j``: ``s(i) - s(j)``, then
        ``g(i, j) - g(j, i)`` and the lexical precedence column, in both styles. Returns the
        rows and the ``i`` and ``j`` of each."""
        return self._pair_rows(features, self.sentence_matrix(features, positions), self._lexical_pairs(features))

    def _lexical_pairs(self, features: ArticleFeatures) -> np.ndarray | None:
        return self.lexical.pair_column(features) if self.lexical is not None else None

    @staticmethod
    def _pair_rows(
        features: ArticleFeatures, sentence: np.ndarray, lexical_pairs: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = sentence.shape[0]
        i, j = np.where(~np.eye(n, dtype=bool))
        columns = [sentence[i] - sentence[j], features.pair[i, j] - features.pair[j, i]]
        if lexical_pairs is not None:
            columns.append(lexical_pairs[i, j][:, None])
        return styled_columns(np.hstack(columns), is_wire(features)), i, j

    def logits(self, features: ArticleFeatures, *, sentence: np.ndarray | None = None) -> np.ndarray:
        """``Z[i, j]``: log-odds that sentence ``i`` precedes sentence ``j`` (antisymmetric).

        ``sentence`` is :meth:`sentence_matrix` of ``features`` when the caller has it already.
        """
        weights = styled_weights(self.coef / self.scale, is_wire(features))
        sentence = self.sentence_matrix(features) if sentence is None else sentence
        lexical_pairs = self._lexical_pairs(features)
        d = sentence.shape[1]
        u = sentence @ weights[:d]
        v = features.pair @ weights[d : d + len(PAIR_FEATURES)]
        z = (u[:, None] - u[None, :]) + (v - v.T)
        if lexical_pairs is not None:
            z = z + lexical_pairs * weights[-1]
        if self.pair_trees is not None and z.shape[0] > 1:
            z = (z + self._tree_logits(features, sentence, lexical_pairs)) / 2
        return z

    @functools.cached_property
    def _split_plans(self) -> dict[float, SplitPlan]:
        # Per value of the wire flag, built on first use (see analysis.ordering._pair_trees).
        return {}

    def _split_plan(self, wire: float) -> SplitPlan:
        """The splits of the pair trees to evaluate for articles with this wire flag."""
        plans = self._split_plans
        if wire not in plans:
            half = len(self.base_names)
            lexical = half - 1 if self.lexical is not None else None
            plans[wire] = split_plan(self.pair_trees.compiled, half, lexical, wire)
        return plans[wire]

    def _tree_logits(self, features: ArticleFeatures, sentence: np.ndarray, lexical_pairs: np.ndarray | None) -> np.ndarray:
        """The pair trees' antisymmetric log-odds ``(f(x) - f(-x)) / 2`` of every pair."""
        # Trees are not antisymmetric by themselves: average f(x) and -f(-x).
        if self.pair_trees.compiled is not None:
            plan = self._split_plan(is_wire(features))
            return pair_tree_logits(self.pair_trees, plan, sentence, features.pair, lexical_pairs)
        rows, i, j = self._pair_rows(features, sentence, lexical_pairs)
        trees = np.zeros((sentence.shape[0],) * 2)
        trees[i, j] = (self.pair_trees.predict(rows) - self.pair_trees.predict(-rows)) / 2
        return trees


def is_wire(features: ArticleFeatures) -> float:
    """1.0 when the article's lead carries a wire dateline, else 0.0."""
    # Wire copy (a dateline opens the lead) and web news order their sentences differently:
    # every weight gets a second, "wire" part that only counts when the article has a dateline.
    return float(any(features.datelines))


def styled_columns(x: np.ndarray, wire: float) -> np.ndarray:
    """The columns of ``x`` twice: as they are (shared part), then times ``wire`` (wire part)."""
    return np.hstack([x, wire * x])


def styled_weights(weights: np.ndarray, wire: float) -> np.ndarray:
    """Fold the shared and wire halves of ``weights`` into the weights of one article."""
    half = weights.shape[0] // 2
    return weights[:half] + wire * weights[half:]


def lead_log_probabilities(
    model: PairwiseModel, features: ArticleFeatures, *, sentence: np.ndarray | None = None
) -> np.ndarray:
    """``log P(sentence i opens the article)``: a softmax over the article's sentences.

    ``sentence`` is ``model.sentence_matrix(features)`` when the caller has it already.
    """
    sentence = model.sentence_matrix(features) if sentence is None else sentence
    z = sentence @ styled_weights(model.lead_coef / model.lead_scale, is_wire(features))
    return z - np.logaddexp.reduce(z)


def pair_probabilities(
    model: PairwiseModel, features: ArticleFeatures, *, sentence: np.ndarray | None = None
) -> np.ndarray:
    """``P[i, j]``: the model's probability that sentence ``i`` precedes sentence ``j``
    (``sentence`` as for :func:`lead_log_probabilities`)."""
    z = model.logits(features, sentence=sentence)
    probabilities = 1.0 / (1.0 + np.exp(-z))
    np.fill_diagonal(probabilities, 0.5)
    return probabilities



def weights_digest(directory: str | Path = MODEL_DIR) -> str:
    """sha256 over the committed weight files (to compare two trainings)."""
    digest = hashlib.sha256()
    for name in (f"{_STEM}.npz", f"{_STEM}.json"):
        digest.update((Path(directory) / name).read_bytes())
    return digest.hexdigest()


