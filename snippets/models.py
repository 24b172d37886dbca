"""A small multilayer perceptron in NumPy, with hand-written backprop.

Parameters are a dict of arrays ``{"W1": ..., "b1": ..., "W2": ...}``;
layer ``l`` computes ``h @ W{l} + b{l}``, so ``W{l}`` has shape
(fan_in, fan_out). Hidden layers use ReLU (or tanh); the last layer gives
logits for a softmax cross-entropy loss. Gradients come back as a dict
with the same keys, which is what the optimizers in this book take.
"""

import numpy as np


def init_mlp(sizes, rng, activation="relu"):
    """Random weights (He scaling for ReLU, Glorot for tanh), zero biases.

    ``sizes`` lists the layer widths, e.g. ``[64, 32, 10]``.

    >>> p = init_mlp([64, 32, 10], np.random.default_rng(0))
    >>> {k: v.shape for k, v in p.items()}
    {'W1': (64, 32), 'b1': (32,), 'W2': (32, 10), 'b2': (10,)}
    """
    params = {}
    layers = zip(sizes[:-1], sizes[1:])
    for l, (n_in, n_out) in enumerate(layers, start=1):
        if activation == "relu":
            scale = np.sqrt(2.0 / n_in)
        else:
            scale = np.sqrt(2.0 / (n_in + n_out))
        params[f"W{l}"] = scale * rng.standard_normal((n_in, n_out))
        params[f"b{l}"] = np.zeros(n_out)
    return params


def n_layers(params):
    return sum(1 for k in params if k.startswith("W"))


def _act(z, activation):
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "tanh":
        return np.tanh(z)
    raise ValueError(f"unknown activation {activation!r}")


def _act_grad(z, h, activation):
    # derivative of the activation at z, given h = act(z)
    if activation == "relu":
        return (z > 0.0).astype(z.dtype)
    return 1.0 - h ** 2


def forward(params, X, activation="relu"):
    """Logits of shape (n, n_classes) and the cache backprop needs."""
    h = X
    cache = [(None, X)]
    L = n_layers(params)
    for l in range(1, L + 1):
        z = h @ params[f"W{l}"] + params[f"b{l}"]
        h = z if l == L else _act(z, activation)
        cache.append((z, h))
    return h, cache


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of integer labels ``y``; also d loss / d logits.

    >>> loss, _ = softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 3]))
    >>> round(float(loss), 6) == round(float(np.log(4)), 6)
    True
    """
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)  # no overflow
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(n), y].mean()
    dlogits = np.exp(log_p)
    dlogits[np.arange(n), y] -= 1.0
    return loss, dlogits / n


def loss_and_grad(params, X, y, activation="relu"):
    """Mean cross-entropy on (X, y) and its gradient (a dict of arrays)."""
    logits, cache = forward(params, X, activation)
    loss, delta = softmax_cross_entropy(logits, y)
    grads = {}
    for l in range(n_layers(params), 0, -1):
        h_prev = cache[l - 1][1]
        grads[f"W{l}"] = h_prev.T @ delta
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            z, h = cache[l - 1]
            delta = (delta @ params[f"W{l}"].T) * _act_grad(z, h, activation)
    return loss, grads


def loss(params, X, y, activation="relu"):
    """Mean cross-entropy of the MLP on (X, y)."""
    logits, _ = forward(params, X, activation)
    return softmax_cross_entropy(logits, y)[0]


def accuracy(params, X, y, activation="relu"):
    """Fraction of examples whose largest logit is the true class."""
    logits, _ = forward(params, X, activation)
    return float(np.mean(logits.argmax(axis=1) == y))
