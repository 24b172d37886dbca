"""Chapter 1: every function against its equation, against a direct
computation and, where PyTorch has the same thing, against PyTorch
(float64). The experiments behind the figures are run with the
figures' own settings and checked for what the chapter says they show.
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.optimize import linprog
from threadpoolctl import threadpool_limits

from snippets.data import load_digits_split
from snippets.figures import learning_vs_optimization_early_stopping as fe
from snippets.figures import learning_vs_optimization_shuffling as fo
from snippets.figures import learning_vs_optimization_standard_error as fs
from snippets.figures import learning_vs_optimization_surrogate as fz
from snippets.learning_vs_optimization import (
    digit_pair, empirical_risk, equivalent_l2, flat_gradient, gd_shrinkage,
    gradient_standard_error, hinge_loss, l2_shrinkage, log_loss, sigmoid,
    small_training_set, train_logistic, train_ordered_vs_shuffled,
    train_with_validation, zero_one_loss)
from snippets.models import init_mlp
from snippets.models import loss as mlp_loss
from snippets.problems import Quadratic

F64 = torch.float64


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    # tiny matrices: BLAS threads only add overhead
    with threadpool_limits(limits=1):
        yield


def random_logits(n=2000, scale=8.0, seed=0):
    rng = np.random.default_rng(seed)
    z = scale * rng.standard_normal(n)
    y = rng.integers(0, 2, n).astype(float)
    return z, y


def t(a):
    return torch.tensor(a, dtype=F64)


# ---------------------------------------------------------------------
# eq:zero-one-loss, eq:log-loss, eq:hinge-loss, eq:empirical-risk

def test_zero_one_loss_counts_wrong_signs():
    z = np.array([3.0, -3.0, 0.0, 0.0, 1e-300, -1e-300])
    y = np.array([1, 1, 1, 0, 1, 0])
    # z = 0 predicts class 0
    np.testing.assert_array_equal(zero_one_loss(z, y), [0, 1, 1, 0, 0, 0])
    zz, yy = random_logits()
    np.testing.assert_array_equal(zero_one_loss(zz, yy),
                                  (zz > 0) != (yy == 1))


def test_log_loss_matches_torch():
    # torch loses relative accuracy for losses near 0 (it subtracts
    # numbers close to each other), hence atol; our tails are checked
    # against exact values below
    z, y = random_logits()
    ref = F.binary_cross_entropy_with_logits(t(z), t(y), reduction="none")
    np.testing.assert_allclose(log_loss(z, y), ref.numpy(), rtol=1e-12,
                               atol=1e-14)
    # soft labels too, which torch also accepts
    y_soft = np.random.default_rng(1).random(len(z))
    ref = F.binary_cross_entropy_with_logits(t(z), t(y_soft),
                                             reduction="none")
    np.testing.assert_allclose(log_loss(z, y_soft), ref.numpy(),
                               rtol=1e-12, atol=1e-14)


def test_log_loss_is_the_equation():
    # the formula as written, where it is safe to evaluate
    z, y = random_logits(scale=3.0)
    s = 1 / (1 + np.exp(-z))
    direct = -y * np.log(s) - (1 - y) * np.log(1 - s)
    np.testing.assert_allclose(log_loss(z, y), direct, rtol=1e-12)
    assert math.isclose(float(log_loss(0.0, 0)), math.log(2))


def test_log_loss_is_accurate_in_the_tails():
    # where the formula as written overflows or rounds to 0
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert float(log_loss(-1000.0, 1)) == 1000.0
        assert float(log_loss(1000.0, 0)) == 1000.0
        assert float(log_loss(1000.0, 1)) == 0.0
        # log(1 + e^-40) = e^-40 to double precision, not 0
        assert math.isclose(float(log_loss(40.0, 1)), math.exp(-40),
                            rel_tol=1e-12)
        assert math.isclose(float(log_loss(-40.0, 0)), math.exp(-40),
                            rel_tol=1e-12)
        np.testing.assert_allclose(sigmoid(np.array([-1000.0, 0, 1000])),
                                   [0.0, 0.5, 1.0])
    # log(1 + e^-(2y-1)z), accurate for every z that does not overflow
    z, y = random_logits(scale=20.0)
    exact = np.log1p(np.exp(-(2 * y - 1) * z))
    np.testing.assert_allclose(log_loss(z, y), exact, rtol=1e-13)
    np.testing.assert_allclose(sigmoid(z), torch.sigmoid(t(z)).numpy(),
                               rtol=1e-12)


def test_hinge_loss_matches_torch():
    z, y = random_logits(scale=2.0)
    # the equation, written with torch.clamp
    ref = torch.clamp(1 - (2 * t(y) - 1) * t(z), min=0)
    np.testing.assert_allclose(hinge_loss(z, y), ref.numpy(), rtol=1e-14)
    # an independent implementation: multi-class hinge with two
    # classes and scores (-z/2, z/2) is max(0, 1 - (2y - 1) z) / 2
    scores = torch.stack([-t(z) / 2, t(z) / 2], dim=1)
    ref = 2 * F.multi_margin_loss(scores, torch.tensor(y).long(),
                                  reduction="none")
    np.testing.assert_allclose(hinge_loss(z, y), ref.numpy(), rtol=1e-12)
    # closed-form points: zero loss exactly from margin 1 on
    np.testing.assert_array_equal(
        hinge_loss(np.array([1.0, 2.0, 0.0, -1.0, 0.5]),
                   np.array([1, 1, 1, 0, 0])), [0.0, 0.0, 1.0, 0.0, 1.5])


def test_surrogates_bound_the_zero_one_loss():
    z, y = random_logits()
    z = np.concatenate([z, [0.0, 0.0]])   # the boundary case
    y = np.concatenate([y, [0.0, 1.0]])
    zero_one = zero_one_loss(z, y)
    assert np.all(hinge_loss(z, y) >= zero_one)
    assert np.all(log_loss(z, y) / math.log(2) >= zero_one)


def test_empirical_risk_is_the_mean():
    z, y = random_logits()
    ref = F.binary_cross_entropy_with_logits(t(z), t(y))  # mean
    assert math.isclose(empirical_risk(log_loss, z, y), ref.item(),
                        rel_tol=1e-12)
    assert math.isclose(empirical_risk(hinge_loss, z, y),
                        hinge_loss(z, y).sum() / len(z), rel_tol=1e-12)
    assert empirical_risk(zero_one_loss, z, y) == np.mean(
        (z > 0) != (y == 1))


# ---------------------------------------------------------------------
# surrogate: logistic regression trained past zero training error

@pytest.fixture(scope="module")
def logistic_run():
    return train_logistic(fz.EPS, fz.N_STEPS, fz.DIGITS)


def test_digit_pair_is_linearly_separable():
    # feasibility LP: (2y - 1)(w^T x + b) >= 1 for every example
    X, y = digit_pair(*fz.DIGITS)
    assert len(X) > 250 and set(np.unique(y)) == {0.0, 1.0}
    s = 2 * y - 1
    A = -s[:, None] * np.c_[X, np.ones(len(X))]
    res = linprog(np.zeros(A.shape[1]), A_ub=A, b_ub=-np.ones(len(X)),
                  bounds=(None, None), method="highs")
    assert res.status == 0


def test_train_logistic_matches_torch_gradient_descent():
    n_steps, eps = 200, fz.EPS
    run = train_logistic(eps, n_steps, fz.DIGITS)
    X, y = digit_pair(*fz.DIGITS)
    w = torch.zeros(X.shape[1], dtype=F64, requires_grad=True)
    b = torch.zeros((), dtype=F64, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=eps)
    log, zero_one = [], []
    for _ in range(n_steps + 1):
        z = t(X) @ w + b
        J = F.binary_cross_entropy_with_logits(z, t(y))
        log.append(J.item())
        zero_one.append(((z > 0).double() != t(y)).double().mean().item())
        opt.zero_grad()
        J.backward()
        opt.step()
    np.testing.assert_allclose(run.log, log, rtol=1e-10)
    np.testing.assert_array_equal(run.zero_one, zero_one)
    assert run.log[0] == pytest.approx(math.log(2), rel=1e-14)


def test_log_loss_keeps_falling_after_zero_training_error(logistic_run):
    run = logistic_run
    assert run.zero_one[0] > 0.4          # w = 0: everything is class 0
    k0 = int(np.argmax(run.zero_one == 0))
    assert 0 < k0 < fz.N_STEPS // 10
    assert np.all(run.zero_one[k0:] == 0)   # and it stays there
    # ... while the minimized surrogate keeps falling, by a lot,
    assert np.all(np.diff(run.log[k0:]) < 0)
    assert run.log[-1] < 0.05 * run.log[k0]
    # because the margins keep growing
    assert np.all(np.diff(run.margin[k0:]) > 0)
    assert run.margin[-1] > 2 * run.margin[k0]
    # the log loss bounds the 0-1 loss all along
    assert np.all(run.log / math.log(2) >= run.zero_one)


# ---------------------------------------------------------------------
# early stopping

@pytest.fixture(scope="module")
def validation_run():
    return train_with_validation(fe.N_PER_CLASS, fe.HIDDEN, fe.EPS, fe.M,
                                 fe.N_STEPS, fe.EVAL_EVERY, seed=0)


def test_validation_loss_has_an_interior_minimum(validation_run):
    run = validation_run
    n_evals = fe.N_STEPS // fe.EVAL_EVERY + 1
    np.testing.assert_array_equal(
        run.steps, np.arange(0, fe.N_STEPS + 1, fe.EVAL_EVERY))
    assert len(run.train) == len(run.val) == n_evals
    i = int(np.argmin(run.val))
    assert run.best_step == run.steps[i]
    assert 0.01 * n_evals < i < 0.5 * n_evals      # well inside the run
    # it rises after the minimum: clearly, and to the end
    assert run.val[-1] > 1.1 * run.val[i]
    assert run.val[-1] > run.val[(i + n_evals) // 2] > run.val[i]
    # while the training loss keeps falling
    assert run.train[-1] < 0.2 * run.train[i]
    assert run.train[-1] < 0.01 * run.train[0]


def test_best_params_are_the_ones_at_the_best_step(validation_run):
    run = validation_run
    _, _, X_val, y_val = load_digits_split()
    assert mlp_loss(run.best_params, X_val, y_val) == run.val.min()
    X, y = small_training_set(fe.N_PER_CLASS)
    assert X.shape == (10 * fe.N_PER_CLASS, 64)
    np.testing.assert_array_equal(np.bincount(y), fe.N_PER_CLASS)
    i = int(np.argmin(run.val))
    assert mlp_loss(run.best_params, X, y) == run.train[i]


def test_patience_stops_the_same_run_early(validation_run):
    full, p = validation_run, 20
    run = train_with_validation(fe.N_PER_CLASS, fe.HIDDEN, fe.EPS, fe.M,
                                fe.N_STEPS, fe.EVAL_EVERY, patience=p,
                                seed=0)
    n = len(run.steps)
    assert n < len(full.steps)
    np.testing.assert_array_equal(run.val, full.val[:n])
    np.testing.assert_array_equal(run.train, full.train[:n])
    # it stopped exactly p evaluations after its best one
    i = int(np.argmin(run.val))
    assert n - 1 == i + p and run.best_step == run.steps[i]
    assert np.all(run.val[i + 1:] >= run.val[i])


def test_train_with_validation_is_deterministic():
    kw = dict(n_steps=200, eval_every=20)
    a, b = train_with_validation(**kw), train_with_validation(**kw)
    c = train_with_validation(seed=1, **kw)
    for field in ("steps", "train", "val"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert a.best_step == b.best_step
    assert not np.array_equal(a.val, c.val)


# ---------------------------------------------------------------------
# eq:gd-shrinkage, eq:l2-shrinkage, eq:early-stopping-l2

def random_quadratic(lam, seed=0):
    """J-hat of eq:quadratic-approximation with eigenvalues lam, a
    random eigenbasis Q and a random theta^*."""
    rng = np.random.default_rng(seed)
    d = len(lam)
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    Q = Q * np.sign(np.diag(R))
    H = (Q * lam) @ Q.T
    theta_star = rng.standard_normal(d)
    return Quadratic(0.5 * (H + H.T), theta_star), Q


@pytest.mark.parametrize("tau", [1, 2, 7, 50, 400])
def test_gd_shrinkage_is_gradient_descent_from_zero(tau):
    eps = 0.5
    # eps * lam_i from 0.0005 to 1.9: includes oscillating directions
    lam = np.array([1e-3, 0.01, 0.1, 0.5, 1.0, 2.0, 3.0, 3.8])
    q, Q = random_quadratic(lam)
    theta = np.zeros(len(lam))
    for _ in range(tau):
        theta = theta - eps * q.grad(theta)
    predicted = gd_shrinkage(lam, eps, tau) * (Q.T @ q.theta_star)
    np.testing.assert_allclose(Q.T @ theta, predicted, rtol=1e-10,
                               atol=1e-12)


def test_l2_shrinkage_is_the_regularized_minimizer():
    lam_reg = 0.1
    lam = np.geomspace(1e-3, 10.0, 8)
    q, Q = random_quadratic(lam, seed=1)
    d = len(lam)
    # minimizer of J-hat + lam/2 |theta|^2: (H + lam I) theta = H theta^*
    theta_tilde = np.linalg.solve(q.H + lam_reg * np.eye(d),
                                  q.H @ q.theta_star)
    predicted = l2_shrinkage(lam, lam_reg) * (Q.T @ q.theta_star)
    np.testing.assert_allclose(Q.T @ theta_tilde, predicted, rtol=1e-10,
                               atol=1e-14)
    # and where torch's weight decay converges on the same objective
    p = torch.zeros(d, dtype=F64, requires_grad=True)
    eps = 1.0 / (lam.max() + lam_reg)
    opt = torch.optim.SGD([p], lr=eps, weight_decay=lam_reg)
    H, theta_star = t(q.H), t(q.theta_star)
    for _ in range(2000):
        opt.zero_grad()
        delta = p - theta_star
        (0.5 * delta @ H @ delta).backward()
        opt.step()
    np.testing.assert_allclose(p.detach().numpy(), theta_tilde,
                               rtol=1e-9, atol=1e-12)


def test_equivalent_l2():
    for eps, tau in [(0.1, 100), (0.003, 7), (1.0, 1)]:
        assert math.isclose(equivalent_l2(eps, tau) * tau * eps, 1.0)


# Why the two factors agree, and how well. Put x = eps lam_i and
# u = lam_i / lam = tau x (with lam = 1 / (tau eps)). For 0 <= x <= 1 the
# binomial series of (1 - x)^tau alternates with shrinking terms, so
#     u - u^2 / 2  <=  1 - (1 - x)^tau  <=  u            (GD)
# and, since 1 - u <= 1 / (1 + u) <= 1,
#     u - u^2  <=  u / (1 + u)  <=  u                      (L2).
# Both lie in [u - u^2, u]: |GD - L2| <= u^2, a relative error <= u.
# Expanding to second order, GD - L2 = u^2 (tau + 1) / (2 tau) + O(u^3):
# the relative error really is of order u, between u/2 and u.

@pytest.mark.parametrize("eps,tau", [(0.1, 100), (0.01, 1000), (0.5, 3)])
def test_shrinkage_factors_agree_when_u_is_small(eps, tau):
    lam = equivalent_l2(eps, tau)
    lam_i = lam * np.geomspace(1e-5, 1e-2, 31)     # u from 1e-5 to 0.01
    u = lam_i / lam
    gd, l2 = gd_shrinkage(lam_i, eps, tau), l2_shrinkage(lam_i, lam)
    assert np.all(eps * lam_i <= 0.01)
    rel = np.abs(gd - l2) / l2
    assert np.all(rel <= u * (1 + 1e-6))            # the derived bound
    assert np.all(rel >= 0.45 * u)                  # ... and it is tight
    assert np.all(rel <= 0.01)


def test_shrinkage_factors_disagree_outside_the_conditions():
    eps, tau = 0.01, 100
    lam = equivalent_l2(eps, tau)                   # 1.0
    # u = 1 (lam_i = lam): L2 keeps exactly half, GD about 1 - 1/e
    gd, l2 = gd_shrinkage(lam, eps, tau), l2_shrinkage(lam, lam)
    assert l2 == 0.5 and abs(gd - (1 - math.exp(-1))) < 0.01
    assert gd - l2 > 0.1
    # u >> 1: GD leaves (1 - x)^tau ~ e^-u of theta^*_i unlearned, L2
    # leaves lam / (lam_i + lam) = 1 / (1 + u): far apart in ratio
    lam_i = 10 * lam
    assert (1 - l2_shrinkage(lam_i, lam)) > 1e3 * (
        1 - gd_shrinkage(lam_i, eps, tau))
    # eps lam_i > 1: GD overshoots, which L2 never does; > 2: diverges
    assert gd_shrinkage(1.5 / eps, eps, 7) > 1
    assert abs(gd_shrinkage(2.5 / eps, eps, tau)) > 1e10
    lam_i = np.array([1.5, 2.5, 1e6]) / eps
    assert np.all((0 < l2_shrinkage(lam_i, lam))
                  & (l2_shrinkage(lam_i, lam) < 1))


# ---------------------------------------------------------------------
# eq:standard-error

@pytest.fixture(scope="module")
def standard_error():
    return gradient_standard_error(fs.BATCH_SIZES, fs.N_DRAWS, seed=0)


def rms(a):
    return np.sqrt(np.mean(a ** 2, axis=1))


def test_standard_error_falls_as_one_over_sqrt_m(standard_error):
    se = standard_error
    slope = np.polyfit(np.log(se.m), np.log(rms(se.measured)), 1)[0]
    assert abs(slope - (-0.5)) <= 0.1
    # per coordinate too (those that are not always 0)
    live = se.predicted[0] > 0
    slopes = np.polyfit(np.log(se.m), np.log(se.measured[:, live]), 1)[0]
    assert abs(np.median(slopes) + 0.5) <= 0.02


def test_standard_error_matches_sigma_over_sqrt_m(standard_error):
    se = standard_error
    np.testing.assert_allclose(rms(se.measured), rms(se.predicted),
                               rtol=0.1)
    live = se.predicted[0] > 0
    ratio = se.measured[:, live] / se.predicted[:, live]
    np.testing.assert_allclose(np.median(ratio, axis=1), 1.0, atol=0.05)
    np.testing.assert_allclose(se.predicted * np.sqrt(se.m)[:, None],
                               np.broadcast_to(se.predicted[0],
                                               se.predicted.shape))


def test_minibatch_gradient_is_the_mean_of_single_gradients():
    # what makes the SE shrink: the loss is a mean over the minibatch
    X, y, _, _ = load_digits_split()
    params = init_mlp([64, 32, 10], np.random.default_rng(0))
    idx = np.arange(0, 200, 7)
    singles = [flat_gradient(params, X[i:i + 1], y[i:i + 1]) for i in idx]
    np.testing.assert_allclose(flat_gradient(params, X[idx], y[idx]),
                               np.mean(singles, axis=0), rtol=1e-10,
                               atol=1e-15)


def test_without_replacement_the_full_batch_has_no_spread():
    n = len(load_digits_split().y_train)
    se = gradient_standard_error([n], 3, replace=False)
    assert np.max(se.measured) < 1e-12 * np.max(se.predicted)
    a = gradient_standard_error([1, 4], 5, seed=3)
    b = gradient_standard_error([1, 4], 5, seed=3)
    np.testing.assert_array_equal(a.measured, b.measured)


# ---------------------------------------------------------------------
# shuffling

def test_class_sorted_minibatches_end_clearly_worse():
    for seed in (0, 1, 2):
        runs = train_ordered_vs_shuffled(fo.EPS, fo.M, fo.N_EPOCHS,
                                         fo.HIDDEN, seed=seed)
        J_sorted, J_shuffled = runs["class-sorted"], runs["shuffled"]
        n_steps = fo.N_EPOCHS * (len(load_digits_split().y_train) // fo.M)
        assert len(J_sorted) == len(J_shuffled) == n_steps + 1
        assert J_sorted[0] == J_shuffled[0]          # the same start
        assert J_sorted[-1] > 2 * J_shuffled[-1]
        assert J_shuffled[-1] < 0.1 * J_shuffled[0]  # shuffled learns


def test_train_ordered_vs_shuffled_is_deterministic():
    a = train_ordered_vs_shuffled(n_epochs=1, seed=5)
    b = train_ordered_vs_shuffled(n_epochs=1, seed=5)
    c = train_ordered_vs_shuffled(n_epochs=1, seed=6)
    for name in ("class-sorted", "shuffled"):
        np.testing.assert_array_equal(a[name], b[name])
        assert not np.array_equal(a[name], c[name])
