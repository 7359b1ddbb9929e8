"""Claim stance: how a body (or one sentence) stands to a headline, the FNC-1 task.

The model follows Riedel et al. (2017), "A simple but tough-to-beat baseline for the Fake News
Challenge stance detection task" (UCL Machine Reading, 3rd in FNC-1): an L2-normalised
term-frequency vector of the headline, one of the body (a shared vocabulary of the most frequent
training terms, stop words removed), and the TF-IDF cosine similarity of the two, fed to a
perceptron with one hidden layer of 100 ReLU units (:mod:`analysis.stance.mlp`).

The trained model is stored as ``model/claim_mlp.npz`` (weights and IDF, plain arrays read
with ``allow_pickle=False``) and ``model/claim_mlp.json`` (vocabulary and settings), so loading
needs neither a download nor unpickling.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from ..errors import ModelNotFoundError, NewsdeskError
from .fnc import LABELS
from .mlp import MlpConfig, MlpParams, mlp_proba, train_mlp

__all__ = [
    "MODEL_DIR",
    "MODEL_NAME",
    "STOP_WORDS",
    "ClaimModel",
    "tokenize",
    "build_vocabulary",
    "idf_weights",
    "pair_features",
    "fit_claim_model",
    "save_claim_model",
    "load_claim_model",
    "predict_claim_proba",
    "predict_claim_stance",
]

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_NAME = "claim_mlp"

_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern

#: scikit-learn's English stop-word list (Glasgow IR group), copied so that the model's
#: vocabulary does not change with a scikit-learn upgrade.
STOP_WORDS: frozenset[str] = frozenset(
    """a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg eight
    either eleven else elsewhere empty enough etc even ever every everyone everything everywhere
    except few fifteen fifty fill find fire first five for former formerly forty found four from
    front full further get give go had has hasnt have he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into
    is it its itself keep last latter latterly least less ltd made many may me meanwhile might
    mill mine more moreover most mostly move much must my myself name namely neither never
    nevertheless next nine no nobody none noone nor not nothing now nowhere of off often on once
    one only onto or other others otherwise our ours ourselves out over own part per perhaps
    please put rather re same see seem seemed seeming seems serious several she should show side
    since sincere six sixty so some somehow someone something sometime sometimes somewhere still
    such system take ten than that the their them themselves then thence there thereafter thereby
    therefore therein thereupon these they thick thin third this those three through throughout
    thru thus to together too top toward towards twelve twenty two un under until up upon us very
    via was we well were what whatever when whence whenever where whereafter whereas whereby
    wherein whereupon wherever whether which while whither who whoever whole whom whose why will
    with within without would yet you your yours yourself yourselves""".split()
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of two or more characters (scikit-learn's default pattern)."""
    return _TOKEN_RE.findall(text.lower())


def build_vocabulary(texts: Iterable[str], *, size: int = 5000) -> list[str]:
    """The ``size`` most frequent non-stop-word terms; ties broken alphabetically so the
    vocabulary is the same on every run and platform."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(t for t in tokenize(text) if t not in STOP_WORDS)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return sorted(term for term, _ in ranked[:size])


@dataclass(frozen=True)
class ClaimModel:
    """A trained claim-stance model: vocabulary, IDF weights, network, and how it was made."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray
    params: MlpParams
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Term → column."""
        return {t: i for i, t in enumerate(self.vocabulary)}


def _counts(texts: Sequence[str], index: dict[str, int]) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        for col, count in Counter(index[t] for t in tokenize(text) if t in index).items():
            rows.append(r)
            cols.append(col)
            vals.append(count)
    return sp.csr_matrix((np.asarray(vals, np.float32), (rows, cols)), shape=(len(texts), len(index)), dtype=np.float32)


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ m, dtype=np.float32)


def idf_weights(texts: Sequence[str], index: dict[str, int]) -> np.ndarray:
    """Smooth inverse document frequency of each vocabulary term, as scikit-learn computes it:
    ``ln((1 + n) / (1 + df)) + 1``."""
    df = np.asarray((_counts(texts, index) > 0).sum(axis=0)).ravel()
    return (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)


def _distinct(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The distinct texts, and for each input the row of its text among them."""
    distinct = list(dict.fromkeys(texts))
    position = {t: i for i, t in enumerate(distinct)}
    return distinct, [position[t] for t in texts]


def pair_features(
    headlines: Sequence[str], bodies: Sequence[str], *, index: dict[str, int], idf: np.ndarray
) -> sp.csr_matrix:
    """``[tf(headline) | tf(body) | cos(tfidf(headline), tfidf(body))]`` for each pair."""
    # Each distinct text is vectorised once: FNC-1 pairs share bodies ~30 times each, and an
    # article's sentences all face the same headline.
    heads, head_rows = _distinct(headlines)
    distinct, rows = _distinct(bodies)
    head_counts, body_counts = _counts(heads, index), _counts(distinct, index)
    head_tf, body_tf = _l2_rows(head_counts)[head_rows], _l2_rows(body_counts)[rows]
    scale = sp.diags(idf)
    head_tfidf, body_tfidf = _l2_rows(head_counts @ scale)[head_rows], _l2_rows(body_counts @ scale)[rows]
    cosine = np.asarray(head_tfidf.multiply(body_tfidf).sum(axis=1), dtype=np.float32)
    return sp.hstack([head_tf, body_tf, sp.csr_matrix(cosine)], format="csr", dtype=np.float32)


def fit_claim_model(
    headlines: Sequence[str],
    bodies: Sequence[str],
    stances: Sequence[str],
    *,
    vocabulary_size: int = 5000,
    config: MlpConfig = MlpConfig(),
    on_epoch: Callable[[int, ClaimModel], None] | None = None,
) -> ClaimModel:
    """Train the claim-stance model on (headline, body, stance) triples.

    ``on_epoch(epoch, model)`` is called after each epoch (e.g. to follow a dev score).

    The vocabulary and IDF come from the training headlines and the distinct training bodies
    only, never from evaluation text.
    """
    if not (len(headlines) == len(bodies) == len(stances)):
        raise ValueError("headlines, bodies and stances must have the same length")
    unknown = set(stances) - set(LABELS)
    if unknown:
        raise NewsdeskError(f"unknown stance labels {sorted(unknown)}; expected {list(LABELS)}")
    documents = list(dict.fromkeys(headlines)) + list(dict.fromkeys(bodies))
    vocabulary = tuple(build_vocabulary(documents, size=vocabulary_size))
    index = {t: i for i, t in enumerate(vocabulary)}
    idf = idf_weights(documents, index)
    x = pair_features(headlines, bodies, index=index, idf=idf)
    y = np.array([LABELS.index(s) for s in stances])
    callback = None
    if on_epoch is not None:
        callback = lambda epoch, params: on_epoch(epoch, ClaimModel(vocabulary, idf, params))  # noqa: E731
    params = train_mlp(x, y, n_classes=len(LABELS), config=config, on_epoch=callback)
    meta = {
        "method": "Riedel et al. 2017: TF(headline) + TF(body) + TF-IDF cosine -> MLP(100, ReLU)",
        "vocabulary_size": vocabulary_size,
        "mlp": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "n_pairs": len(headlines),
        "n_bodies": len(set(bodies)),
    }
    return ClaimModel(vocabulary, idf, params, LABELS, meta)


def predict_claim_proba(headlines: Sequence[str], bodies: Sequence[str], *, model: ClaimModel | None = None) -> np.ndarray:
    """Class probabilities (columns in ``model.labels`` order) for each (headline, body) pair."""
    if len(headlines) != len(bodies):
        raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
    model = model or load_claim_model()
    if not headlines:
        return np.zeros((0, len(model.labels)))
    x = pair_features(list(headlines), list(bodies), index=model.index, idf=model.idf)
    return mlp_proba(model.params, x)


def predict_claim_stance(headlines: Sequence[str], bodies: Sequence[str], *, model: ClaimModel | None = None) -> list[str]:
    """FNC-1 label (``agree``, ``disagree``, ``discuss``, ``unrelated``) of each (headline, body) pair.

    Uses the committed model unless ``model`` is given.
    """
    model = model or load_claim_model()
    proba = predict_claim_proba(headlines, bodies, model=model)
    return [model.labels[i] for i in proba.argmax(axis=1)]


# --- storage -------------------------------------------------------------------------------

# A fixed timestamp in the zip entries: numpy's savez stamps the current time, which would make
# two trainings of the same model differ byte-wise.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def save_claim_model(model: ClaimModel, directory: str | Path = MODEL_DIR, *, name: str = MODEL_NAME) -> tuple[Path, Path]:
    """Write ``NAME.npz`` (float32 arrays) and ``NAME.json`` (vocabulary, labels, settings).

    The JSON records the sha256 of the npz, which :func:`load_claim_model` checks.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    npz, meta_path = directory / f"{name}.npz", directory / f"{name}.json"
    p = model.params
    _write_npz(npz, {"w1": p.w1, "b1": p.b1, "w2": p.w2, "b2": p.b2, "idf": model.idf})
    payload = {
        "format": 1,
        "labels": list(model.labels),
        "meta": model.meta,
        "weights_sha256": hashlib.sha256(npz.read_bytes()).hexdigest(),
        "vocabulary": list(model.vocabulary),
    }
    meta_path.write_text(json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return npz, meta_path


@functools.lru_cache(maxsize=4)
def _load(directory: str, name: str) -> ClaimModel:
    npz, meta_path = Path(directory) / f"{name}.npz", Path(directory) / f"{name}.json"
    if not npz.is_file() or not meta_path.is_file():
        raise ModelNotFoundError(
            f"claim-stance model {name!r} not found in {directory} (expected {npz.name} and {meta_path.name}); "
            "train it with `python -m analysis.stance train --fnc DIR`"
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(npz.read_bytes()).hexdigest()
    if meta.get("weights_sha256") != digest:
        raise NewsdeskError(f"{npz}: sha256 {digest[:12]}… does not match {meta_path.name}; the two files are from different trainings")
    with np.load(npz, allow_pickle=False) as arrays:
        params = MlpParams(arrays["w1"], arrays["b1"], arrays["w2"], arrays["b2"])
        idf = arrays["idf"]
    vocabulary = tuple(meta["vocabulary"])
    if params.w1.shape[0] != 2 * len(vocabulary) + 1 or idf.shape != (len(vocabulary),):
        raise NewsdeskError(f"{npz}: weight shapes {params.w1.shape} do not fit a vocabulary of {len(vocabulary)} terms")
    return ClaimModel(vocabulary, idf, params, tuple(meta["labels"]), meta.get("meta", {}))


def load_claim_model(directory: str | Path = MODEL_DIR, *, name: str = MODEL_NAME) -> ClaimModel:
    """Load a saved model (the committed one by default); cached per process.

    Raises:
        ModelNotFoundError: the files are missing.
        NewsdeskError: the weights and the JSON do not belong together.
    """
    return _load(str(Path(directory).resolve()), name)
