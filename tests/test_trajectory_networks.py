"""Chapter 9, networks: the empirical NTK eq:ntk against a closed form
and finite differences; eq:ntk-regression against the linearized model
eq:linearized-model trained by gradient descent; random labels that
really are random; determinism; and the claims the figures make, on the
figures' own data.
"""

import math

import numpy as np
import pytest
import torch

from snippets.figures import trajectory_adam_vs_sgd as fig_adam
from snippets.figures import trajectory_memorization as fig_mem
from snippets.figures import trajectory_ntk_width as fig_width
from snippets.trajectory_networks import (
    F64, TwoLayerNet, compare_optimizers, digits_subset, empirical_ntk,
    flat_params, jacobian, lazy_training, make_optimizer, memorization,
    mlp, ntk_fit, ntk_regression, random_labels, toy_regression)


def inputs(n, d, seed):
    g = torch.Generator().manual_seed(100 + seed)
    return torch.randn(n, d, dtype=F64, generator=g)


def closed_form_ntk(net, X, X2, bias_term=True):
    """Theta(x, x') = (1/m) sum_j [s(z_j) s(z'_j)
    + a_j^2 s'(z_j) s'(z'_j) (x.x'/d + 1)], written out by hand."""
    W, b, a = net.W.detach(), net.b.detach(), net.a.detach()
    m, d = W.shape
    z, z2 = X @ W.T / math.sqrt(d) + b, X2 @ W.T / math.sqrt(d) + b
    if net.act is torch.relu:
        s, s2, ds, ds2 = z.clamp(min=0), z2.clamp(min=0), \
            (z > 0).to(F64), (z2 > 0).to(F64)
    else:
        s, s2 = torch.tanh(z), torch.tanh(z2)
        ds, ds2 = 1 - s ** 2, 1 - s2 ** 2
    xx = X @ X2.T / d + (1.0 if bias_term else 0.0)
    return (s @ s2.T + (ds * a ** 2) @ ds2.T * xx) / m


# ---------------------------------------------------------------------
# eq:ntk

@pytest.mark.parametrize("act", ["relu", "tanh"])
@pytest.mark.parametrize("seed", range(4))
def test_ntk_matches_closed_form(act, seed):
    net = TwoLayerNet(50, d_in=3, seed=seed, act=act)
    X, X2 = inputs(6, 3, seed), inputs(4, 3, seed + 50)
    K = empirical_ntk(net, X, X2)
    assert K.shape == (6, 4)
    assert torch.max(torch.abs(K - closed_form_ntk(net, X, X2))) <= 1e-12


@pytest.mark.parametrize("seed", range(4))
def test_closed_form_without_bias_term_fails(seed):
    # negative control: dropping the bias's share of the kernel is seen
    net = TwoLayerNet(50, d_in=3, seed=seed)
    X = inputs(6, 3, seed)
    wrong = closed_form_ntk(net, X, X, bias_term=False)
    assert torch.max(torch.abs(empirical_ntk(net, X) - wrong)) > 0.1


@pytest.mark.parametrize("seed", range(3))
def test_jacobian_matches_finite_differences(seed):
    # central differences on a smooth (tanh) net, one parameter at a time
    net = TwoLayerNet(8, d_in=2, seed=seed, act="tanh")
    X = inputs(5, 2, seed)
    params = list(net.parameters())
    h, cols = 1e-6, []
    with torch.no_grad():
        for p in params:
            flat = p.view(-1)
            for i in range(flat.numel()):
                old = flat[i].item()
                flat[i] = old + h
                up = net(X)
                flat[i] = old - h
                down = net(X)
                flat[i] = old
                cols.append((up - down) / (2 * h))
    J_fd = torch.stack(cols, dim=1)
    J = jacobian(net, X)
    assert torch.max(torch.abs(J - J_fd)) <= 1e-8
    assert torch.allclose(empirical_ntk(net, X), J_fd @ J_fd.T,
                          rtol=0, atol=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_ntk_is_symmetric_psd(seed):
    net = TwoLayerNet(64, d_in=2, seed=seed)
    K = empirical_ntk(net, inputs(10, 2, seed))
    # J J^T is symmetric up to rounding (BLAS need not be bitwise so)
    assert torch.max(torch.abs(K - K.T)) <= 1e-14 * K.abs().max()
    lam = torch.linalg.eigvalsh(K)
    assert lam.min() >= -1e-12 * lam.max()
    # a Gram matrix of 10 vectors in R^P, P = 4 * 64 > 10: full rank
    assert lam.min() > 0


def test_cross_ntk_is_a_block_of_the_full_ntk():
    net = TwoLayerNet(32, d_in=2, seed=1)
    X, X2 = inputs(4, 2, 1), inputs(3, 2, 2)
    full = empirical_ntk(net, torch.cat([X, X2]))
    assert torch.allclose(empirical_ntk(net, X, X2), full[:4, 4:],
                          rtol=0, atol=1e-13)


def test_parameters_and_forward():
    net = TwoLayerNet(5, d_in=2, seed=0)
    assert flat_params(net).shape == (5 * 2 + 5 + 5,)
    X = inputs(3, 2, 0)
    z = X @ net.W.T / math.sqrt(2) + net.b
    manual = torch.relu(z) @ net.a / math.sqrt(5)
    assert torch.allclose(net(X), manual, rtol=0, atol=1e-15)


# ---------------------------------------------------------------------
# eq:ntk-regression vs the linearized model eq:linearized-model

def linearized_gd(net, X, y, x, eta, n_steps):
    """GD on J(theta) = |f_lin(X) - y|^2 / (2n) with f_lin(x) = f_0(x)
    + J_0(x) (theta - theta_0), run on theta itself."""
    J_X, J_x = jacobian(net, X), jacobian(net, x)
    with torch.no_grad():
        f0_X, f0_x = net(X), net(x)
    delta = torch.zeros(J_X.shape[1], dtype=F64)
    for _ in range(n_steps):
        r = f0_X + J_X @ delta - y
        delta -= eta * J_X.T @ r / len(y)
    return f0_x + J_x @ delta


@pytest.mark.parametrize("n_steps", [0, 1, 7, 60])
def test_ntk_regression_equals_trained_linearized_model(n_steps):
    net = TwoLayerNet(40, seed=3)
    X, y = toy_regression()
    x = torch.linspace(-1.5, 1.5, 9, dtype=F64)[:, None]
    with torch.no_grad():
        f0_x, f0_X = net(x), net(X)
    pred = ntk_regression(empirical_ntk(net, x, X), empirical_ntk(net, X),
                          f0_x, f0_X, y, eta=0.5, n_steps=n_steps)
    lin = linearized_gd(net, X, y, x, 0.5, n_steps)
    assert torch.max(torch.abs(pred - lin)) <= 1e-10
    if n_steps == 0:
        assert torch.equal(pred, f0_x)
    else:  # negative control: another step size gives another answer
        other = linearized_gd(net, X, y, x, 0.4, n_steps)
        assert torch.max(torch.abs(pred - other)) > 1e-4


def test_ntk_regression_limit_is_the_kernel_formula():
    net = TwoLayerNet(40, seed=3)
    X, y = toy_regression()
    x = torch.linspace(-1, 1, 7, dtype=F64)[:, None]
    with torch.no_grad():
        f0_x, f0_X = net(x), net(X)
    K_xX, K_XX = empirical_ntk(net, x, X), empirical_ntk(net, X)
    limit = ntk_regression(K_xX, K_XX, f0_x, f0_X, y)
    direct = f0_x + K_xX @ torch.linalg.solve(K_XX, y - f0_X)
    assert torch.allclose(limit, direct, rtol=1e-8, atol=1e-8)
    # at the training inputs the limit interpolates the targets
    at_X = ntk_regression(K_XX, K_XX, f0_X, f0_X, y)
    assert torch.max(torch.abs(at_X - y)) <= 1e-6
    # many steps of GD (eta lam / n < 2 for every lam) reach the limit
    far = ntk_regression(K_xX, K_XX, f0_x, f0_X, y, eta=1.0,
                         n_steps=10 ** 9)
    assert torch.max(torch.abs(far - limit)) <= 1e-6


def test_trained_net_approaches_ntk_regression_with_width():
    gaps = []
    for width in (32, 2048):
        x, net, lin_T, _, _ = ntk_fit(width)
        inside = x.abs() <= 1
        gaps.append(torch.max(torch.abs(net - lin_T)[inside]).item())
    assert gaps[1] < gaps[0] / 4
    assert gaps[1] < 0.1


# ---------------------------------------------------------------------
# fig-ntk-width: lazy training, on the figure's data

@pytest.fixture(scope="module")
def width_runs():
    return fig_width.changes()


def test_runs_fit_the_data(width_runs):
    assert np.all(width_runs[:, :, 2] < 0.03)


def test_relative_changes_shrink_with_width(width_runs):
    mean = width_runs[:, :, :2].mean(axis=1)
    assert np.all(np.diff(mean, axis=0) < 0)  # both, at every doubling
    # the weights move like m^(-1/2): log-log slope near -1/2
    slope = np.polyfit(np.log(fig_width.WIDTHS), np.log(mean[:, 0]), 1)[0]
    assert -0.65 < slope < -0.35
    # the NTK at the widest net moves by < 5 %, at the narrowest > 50 %
    assert mean[-1, 1] < 0.05 and mean[0, 1] > 0.5


def test_lazy_training_is_deterministic():
    assert lazy_training(16, seed=2, n_steps=20) == \
        lazy_training(16, seed=2, n_steps=20)
    assert lazy_training(16, seed=2, n_steps=20) != \
        lazy_training(16, seed=3, n_steps=20)


# ---------------------------------------------------------------------
# memorization

def test_random_labels_are_a_permutation_at_chance():
    _, y, _, _ = digits_subset(500)
    yr = random_labels(y, seed=0)
    assert torch.equal(torch.bincount(yr, minlength=10),
                       torch.bincount(y, minlength=10))
    agree = (yr == y).double().mean().item()
    # chance agreement is sum_c p_c^2 ~ 0.1; 500 draws: sd ~ 0.013
    chance = ((torch.bincount(y) / len(y)) ** 2).sum().item()
    assert abs(agree - chance) < 0.05
    # negative control: the true labels agree with themselves
    assert (y == y).all()
    assert torch.equal(random_labels(y, 0), yr)
    assert not torch.equal(random_labels(y, 1), yr)


@pytest.fixture(scope="module")
def mem_runs():
    return fig_mem.runs()


def test_memorization_figure_claim(mem_runs):
    for _, train_acc, test_acc in mem_runs["random"]:
        assert train_acc[-1] >= 0.99     # random labels are memorized
        assert test_acc[-1] <= 0.2       # ... and nothing generalizes
    for _, train_acc, test_acc in mem_runs["true"]:
        assert train_acc[-1] >= 0.99
        assert test_acc[-1] >= 0.9       # control: true labels do
    # random labels take longer to fit than true ones
    assert np.mean([r[1][5] for r in mem_runs["random"]]) < \
        np.mean([r[1][5] for r in mem_runs["true"]]) - 0.2


def test_memorization_is_deterministic():
    a = memorization("random", seed=4, epochs=2)
    b = memorization("random", seed=4, epochs=2)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert a[0].shape == (3,)


# ---------------------------------------------------------------------
# adaptive vs SGD

def test_methods_start_from_the_same_weights():
    for p, q in zip(mlp(64, 5).parameters(), mlp(64, 5).parameters()):
        assert torch.equal(p, q)
    assert not torch.equal(next(mlp(64, 5).parameters()),
                           next(mlp(64, 6).parameters()))
    with pytest.raises(ValueError):
        make_optimizer("Lion", mlp(4, 0).parameters(), 0.1)


def test_compare_optimizers_is_deterministic():
    a = compare_optimizers("Adam", 1e-3, seed=1, epochs=1)
    b = compare_optimizers("Adam", 1e-3, seed=1, epochs=1)
    c = compare_optimizers("momentum", 1e-2, seed=1, epochs=1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert a[0][0] == c[0][0]  # same start ...
    assert a[0][1] != c[0][1]  # ... different first epoch


@pytest.fixture(scope="module")
def adam_runs():
    return fig_adam.runs()


def test_adam_vs_sgd_figure_claim(adam_runs):
    # what the results file reports: every run learns; the best learning
    # rate of each method gives the same test accuracy within 1 point
    best = {}
    for (method, eta), rs in adam_runs.items():
        assert all(r[2][-1] > 0.9 for r in rs)
        acc = np.mean([r[2][-1] for r in rs])
        best[method] = max(best.get(method, 0.0), acc)
    assert abs(best["Adam"] - best["momentum"]) < 0.01
