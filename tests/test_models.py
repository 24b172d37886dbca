"""The NumPy MLP against torch autograd (float64), and the digits data."""

import numpy as np
import pytest
import torch

from snippets.data import load_digits_split
from snippets.models import (accuracy, forward, init_mlp, loss,
                             loss_and_grad, softmax_cross_entropy)


def torch_loss(params, X, y, activation):
    tp = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
          for k, v in params.items()}
    h = torch.tensor(X, dtype=torch.float64)
    L = len(params) // 2
    act = torch.relu if activation == "relu" else torch.tanh
    for l in range(1, L + 1):
        h = h @ tp[f"W{l}"] + tp[f"b{l}"]
        if l < L:
            h = act(h)
    J = torch.nn.functional.cross_entropy(h, torch.tensor(y))
    J.backward()
    return J.item(), {k: v.grad.numpy() for k, v in tp.items()}


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("sizes", [[5, 3], [6, 8, 4], [7, 9, 5, 3]])
def test_gradients_match_torch_autograd(sizes, activation):
    rng = np.random.default_rng(len(sizes))
    params = init_mlp(sizes, rng, activation)
    for k in params:  # nonzero biases, so their gradients matter too
        params[k] = params[k] + 0.1 * rng.standard_normal(params[k].shape)
    X = rng.standard_normal((11, sizes[0]))
    y = rng.integers(0, sizes[-1], 11)
    J, grads = loss_and_grad(params, X, y, activation)
    J_t, grads_t = torch_loss(params, X, y, activation)
    assert np.isclose(J, J_t, rtol=1e-13)
    assert J == loss(params, X, y, activation)
    assert grads.keys() == params.keys()
    for k in params:
        assert grads[k].shape == params[k].shape
        np.testing.assert_allclose(grads[k], grads_t[k],
                                   rtol=1e-11, atol=1e-14)


def test_softmax_cross_entropy_stable_for_huge_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 1e4, 0.0]])
    y = np.array([0, 2])
    J, dlogits = softmax_cross_entropy(logits, y)
    J_t = torch.nn.functional.cross_entropy(
        torch.tensor(logits), torch.tensor(y))
    assert np.isfinite(J) and np.isclose(J, J_t.item(), rtol=1e-14)
    assert np.all(np.isfinite(dlogits))
    # rows of softmax - onehot sum to zero
    np.testing.assert_allclose(dlogits.sum(axis=1), 0.0, atol=1e-15)


def test_init_scales_and_forward_shapes():
    rng = np.random.default_rng(0)
    params = init_mlp([400, 300, 10], rng)
    assert np.isclose(params["W1"].std(), np.sqrt(2 / 400), rtol=0.02)
    assert np.all(params["b1"] == 0)
    logits, cache = forward(params, rng.standard_normal((4, 400)))
    assert logits.shape == (4, 10) and len(cache) == 3
    with pytest.raises(ValueError):
        forward(params, np.zeros((1, 400)), activation="nope")


def test_digits_split_shapes_and_standardization():
    d = load_digits_split()
    assert d.X_train.shape == (1437, 64) and d.X_val.shape == (360, 64)
    assert d.y_train.shape == (1437,) and d.y_val.shape == (360,)
    assert d.X_train.dtype == np.float64 and d.y_train.dtype == np.int64
    assert set(np.unique(d.y_train)) == set(range(10))
    np.testing.assert_allclose(d.X_train.mean(axis=0), 0.0, atol=1e-12)
    std = d.X_train.std(axis=0)
    assert np.all(np.isclose(std, 1.0) | np.isclose(std, 0.0))
    # stratified: every class is 8-12 % of the validation set
    counts = np.bincount(d.y_val, minlength=10)
    assert counts.min() >= 0.08 * 360 and counts.max() <= 0.12 * 360


def test_digits_split_is_deterministic_and_seeded():
    a, b = load_digits_split(seed=0), load_digits_split(seed=0)
    c = load_digits_split(seed=1)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.y_val, c.y_val)
    a.X_train[:] = 0.0  # callers may modify their copy freely
    assert load_digits_split().X_train.any()
    raw = load_digits_split(standardize=False)
    assert raw.X_train.max() == 16.0 and raw.X_train.min() == 0.0


def test_mlp_learns_digits():
    # a few hundred full-batch gradient steps reach good accuracy,
    # so the gradient points somewhere useful on real data
    d = load_digits_split()
    params = init_mlp([64, 32, 10], np.random.default_rng(0))
    for _ in range(200):
        _, grads = loss_and_grad(params, d.X_train, d.y_train)
        for k in params:
            params[k] -= 0.5 * grads[k]
    assert accuracy(params, d.X_val, d.y_val) > 0.9
