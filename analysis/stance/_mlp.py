"""A one-hidden-layer perceptron in NumPy, trained with Adam on sparse input.

Written out (instead of using scikit-learn's ``MLPClassifier``) for two reasons: the hidden
layer needs dropout, which Riedel et al. (2017) found necessary on FNC-1, and training must be
bit-for-bit reproducible from a seed, which needs every random draw under our control. Inference
needs only two matrix products, so a saved model is four plain arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import scipy.sparse as sp

__all__ = ["MlpParams", "MlpConfig", "train_mlp", "mlp_proba"]


@dataclass(frozen=True)
class MlpParams:
    """Weights of a trained network: ``softmax(relu(X @ w1 + b1) @ w2 + b2)``."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray


@dataclass(frozen=True)
class MlpConfig:
    """Training hyper-parameters (defaults follow Riedel et al. 2017, "A simple but tough-to-beat baseline")."""

    hidden: int = 100
    epochs: int = 90
    batch_size: int = 500
    learning_rate: float = 0.01
    l2: float = 1e-4
    dropout: float = 0.4
    clip_norm: float = 5.0
    seed: int = 20170601


def mlp_proba(params: MlpParams, x: sp.spmatrix | np.ndarray) -> np.ndarray:
    """Class probabilities for the rows of ``x`` (no dropout at inference)."""
    hidden = np.maximum(x @ params.w1 + params.b1, 0.0)
    return _softmax(hidden @ params.w2 + params.b2)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def train_mlp(
    x: sp.csr_matrix,
    y: np.ndarray,
    *,
    n_classes: int,
    config: MlpConfig = MlpConfig(),
    on_epoch: Callable[[int, MlpParams], None] | None = None,
) -> MlpParams:
    """Train the network with mini-batch Adam (Kingma & Ba 2015) and softmax cross-entropy.

    Args:
        x: features, one row per example (CSR, float32).
        y: integer class of each row.
        n_classes: number of classes.
        config: hyper-parameters and the seed of every random draw (init, shuffling, dropout).
        on_epoch: called after each epoch with the epoch number (1-based) and current weights,
            e.g. to track a dev score.
    """
    rng = np.random.default_rng(config.seed)
    n, d = x.shape
    dtype = np.float32
    # Glorot-uniform initialisation (Glorot & Bengio 2010), as TensorFlow's default.
    lim1, lim2 = np.sqrt(6 / (d + config.hidden)), np.sqrt(6 / (config.hidden + n_classes))
    params = [
        rng.uniform(-lim1, lim1, (d, config.hidden)).astype(dtype),
        np.zeros(config.hidden, dtype),
        rng.uniform(-lim2, lim2, (config.hidden, n_classes)).astype(dtype),
        np.zeros(n_classes, dtype),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    onehot = np.eye(n_classes, dtype=dtype)[y]
    step = 0
    keep = 1.0 - config.dropout
    for epoch in range(1, config.epochs + 1):
        order = rng.permutation(n)
        for start in range(0, n, config.batch_size):
            idx = order[start : start + config.batch_size]
            xb, tb = x[idx], onehot[idx]
            w1, b1, w2, b2 = params
            pre = (xb @ w1) + b1
            hidden = np.maximum(pre, 0.0)
            mask = (rng.random(hidden.shape) < keep).astype(dtype) / keep
            dropped = hidden * mask
            probs = _softmax(dropped @ w2 + b2)
            dlogits = (probs - tb) / len(idx)
            g_w2 = dropped.T @ dlogits + config.l2 * w2
            g_b2 = dlogits.sum(axis=0)
            dhidden = (dlogits @ w2.T) * mask * (pre > 0)
            g_w1 = np.asarray(xb.T @ dhidden) + config.l2 * w1
            g_b1 = dhidden.sum(axis=0)
            grads = [g_w1, g_b1, g_w2, g_b2]
            norm = float(np.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in grads)))
            if norm > config.clip_norm:
                grads = [g * dtype(config.clip_norm / norm) for g in grads]
            step += 1
            lr = config.learning_rate * np.sqrt(1 - beta2**step) / (1 - beta1**step)
            for p, g, mi, vi in zip(params, grads, m, v):
                mi *= beta1
                mi += (1 - beta1) * g
                vi *= beta2
                vi += (1 - beta2) * g * g
                p -= dtype(lr) * mi / (np.sqrt(vi) + dtype(eps))
        if on_epoch is not None:
            on_epoch(epoch, MlpParams(*params))
    return MlpParams(*params)
