"""Chapter 7, snippets/optimization_strategies.py: coordinate descent
against Gauss-Seidel and A^-1 b, ALS against its closed form and
np.linalg.lstsq, the averages against torch's AveragedModel (float64),
the blurred objective against Monte Carlo, and the figures' claims on
their data. Each check has a negative control showing it can fail.
"""

import numpy as np
import pytest
import torch
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from snippets.challenges_gradients import gradient_descent
from snippets.optimization_strategies import (
    CONT_EPS, CONT_SIGMAS, CONT_STEPS, CONT_THETA0, POLYAK_EPS, POLYAK_H,
    POLYAK_RHO, Wiggly, als, blurred_cosine, continuation,
    coordinate_descent, coupled_quadratic, ema_average, low_rank_data,
    mf_loss, noisy_sgd, polyak_average, polyak_distances, polyak_runs,
    ridge_block)


def random_spd(n, seed):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    return M @ M.T + n * np.eye(n), rng.standard_normal(n)


def f_quad(A, b, theta):
    return 0.5 * theta @ A @ theta - b @ theta


# ---------------------------------------------------------------------
# eq:coordinate-update

@pytest.mark.parametrize("seed", range(3))
def test_coordinate_descent_is_gauss_seidel(seed):
    # one sweep = one Gauss-Seidel step: (D + L) theta' = b - U theta
    A, b = random_spd(5, seed)
    theta0 = np.random.default_rng(seed + 10).standard_normal(5)
    path = coordinate_descent(A, b, theta0, n_sweeps=4)
    assert path.shape == (4 * 5 + 1, 5)
    lower, upper = np.tril(A), np.triu(A, 1)
    theta = theta0
    for sweep in range(1, 5):
        theta = np.linalg.solve(lower, b - upper @ theta)
        np.testing.assert_allclose(path[5 * sweep], theta, rtol=1e-12,
                                   atol=1e-12)
    # control: Jacobi (all coordinates from the old iterate) differs
    D = np.diag(np.diag(A))
    jacobi = np.linalg.solve(D, b - (A - D) @ theta0)
    assert np.max(np.abs(jacobi - path[5])) > 1e-3


@pytest.mark.parametrize("seed", range(3))
def test_coordinate_descent_converges_to_solution(seed):
    A, b = random_spd(6, seed)
    path = coordinate_descent(A, b, np.zeros(6), n_sweeps=200)
    np.testing.assert_allclose(path[-1], np.linalg.solve(A, b),
                               rtol=1e-10, atol=1e-10)
    # f never increases, one move at a time
    f = np.array([f_quad(A, b, th) for th in path])
    assert np.all(np.diff(f) <= 1e-12 * np.abs(f).max())


def test_each_move_is_the_exact_coordinate_minimizer():
    A, b = random_spd(4, 0)
    path = coordinate_descent(A, b, np.ones(4), n_sweeps=3)
    for k in range(1, len(path)):
        i = (k - 1) % 4
        moved = np.flatnonzero(path[k] != path[k - 1])
        assert set(moved) <= {i}              # only coordinate i moves
        # the partial derivative along i vanishes after the move ...
        assert abs((A @ path[k] - b)[i]) <= 1e-12
        # ... and no point on that axis line is lower
        for step in (-1e-3, 1e-3, 0.5):
            other = path[k].copy()
            other[i] += step
            assert f_quad(A, b, other) > f_quad(A, b, path[k])
    # control: an update without the coupling terms is not a minimizer
    theta = np.ones(4)
    theta[0] = b[0] / A[0, 0]
    assert abs((A @ theta - b)[0]) > 1e-3


def test_coupled_quadratic_matches_gbc():
    for alpha in (0.01, 0.5, 2.0):
        A, b = coupled_quadratic(alpha)
        theta = np.random.default_rng(1).standard_normal(2)
        gbc = (theta[0] - theta[1]) ** 2 + alpha * (theta @ theta)
        assert np.isclose(f_quad(A, b, theta), gbc, rtol=1e-14)


@pytest.mark.parametrize("alpha", [0.01, 0.1, 1.0])
def test_coupled_quadratic_shrinks_by_one_plus_alpha_per_move(alpha):
    A, b = coupled_quadratic(alpha)
    path = coordinate_descent(A, b, [1.0, 1.0], n_sweeps=10)
    # theta_1 <- theta_2 / (1 + alpha), then theta_2 <- theta_1 / (...)
    moved = path[np.arange(1, 21), np.arange(20) % 2]
    np.testing.assert_allclose(moved, (1 + alpha) ** -np.arange(1.0, 21),
                               rtol=1e-12)


def sweeps_to(A, b, theta0, tol=1e-6, max_sweeps=5000):
    path = coordinate_descent(A, b, theta0, max_sweeps)[::len(b)]
    solution = np.linalg.solve(A, b)
    below = np.linalg.norm(path - solution, axis=1) <= tol
    return int(np.argmax(below)) if below.any() else np.inf


def test_slow_when_coupled_fast_when_decoupled():
    theta0 = [1.0, 0.5]
    # decoupled: f = theta_1^2 + theta_2^2, done in one sweep
    assert sweeps_to(2.0 * np.eye(2), np.zeros(2), theta0) == 1
    assert sweeps_to(*coupled_quadratic(1.0), theta0) < 15
    assert sweeps_to(*coupled_quadratic(0.01), theta0) > 500


# ---------------------------------------------------------------------
# eq:matrix-factorization, eq:als-update

def grad_U(X, U, V, lam):
    return -(X - U @ V.T) @ V + lam * U


def grad_V(X, U, V, lam):
    return -(X - U @ V.T).T @ U + lam * V


@pytest.mark.parametrize("rank,lam", [(2, 0.1), (3, 0.1), (5, 1.0)])
def test_als_loss_nonincreasing(rank, lam):
    X = low_rank_data()
    _, _, losses = als(X, rank, lam, 30, np.random.default_rng(1))
    assert len(losses) == 61
    assert np.all(np.diff(losses) <= 1e-12 * losses[0])
    assert losses[-1] < 0.5 * losses[0]


def test_each_block_update_zeroes_that_blocks_gradient():
    X, lam = low_rank_data(), 0.3
    rng = np.random.default_rng(2)
    V = rng.standard_normal((20, 3))
    U = ridge_block(X, V, lam)
    scale = np.abs(X).max() * np.abs(V).max()
    assert np.abs(grad_U(X, U, V, lam)).max() <= 1e-10 * scale
    V2 = ridge_block(X.T, U, lam)
    assert np.abs(grad_V(X, U, V2, lam)).max() <= 1e-10 * scale
    # control: V2 moved V, so U is no longer the U-block minimizer
    assert np.abs(grad_U(X, U, V2, lam)).max() > 1e-3


def test_ridge_block_vs_lstsq():
    # each row u_i minimizes |x_i - V u_i|^2 + lam |u_i|^2: least squares
    # for the stacked system [V; sqrt(lam) I] u_i = [x_i; 0]
    X, lam = low_rank_data(), 0.3
    V = np.random.default_rng(3).standard_normal((20, 4))
    stacked = np.vstack([V, np.sqrt(lam) * np.eye(4)])
    rhs = np.vstack([X.T, np.zeros((4, X.shape[0]))])
    U_ref = np.linalg.lstsq(stacked, rhs, rcond=None)[0].T
    np.testing.assert_allclose(ridge_block(X, V, lam), U_ref, rtol=1e-10,
                               atol=1e-12)
    # control: without the ridge term the answer differs
    U_plain = np.linalg.lstsq(V, X.T, rcond=None)[0].T
    assert np.abs(U_plain - U_ref).max() > 1e-3


def test_mf_loss_by_hand():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    U, V = np.array([[1.0], [2.0]]), np.array([[1.0], [1.0]])
    # residual [[0, 1], [1, 2]]: 1/2 (0 + 1 + 1 + 4) = 3; penalty
    # lam/2 (5 + 2) = 3.5 for lam = 1
    assert mf_loss(X, U, V, 1.0) == 6.5


# ---------------------------------------------------------------------
# eq:polyak-average, eq:polyak-ema against torch's AveragedModel

def torch_averages(thetas, multi_avg_fn=None):
    model = torch.nn.Linear(2, 1, bias=False).double()
    averaged = AveragedModel(model, multi_avg_fn=multi_avg_fn)
    out = []
    for theta in thetas:
        with torch.no_grad():
            model.weight.copy_(torch.from_numpy(theta.reshape(1, 2)))
        averaged.update_parameters(model)
        out.append(averaged.module.weight.detach().numpy().ravel().copy())
    return np.array(out)


def iterates(seed=0, n=300):
    rng = np.random.default_rng(seed)
    return noisy_sgd(POLYAK_H, [-3.0, 2.0], POLYAK_EPS, 1.0, n, rng)[1:]


def test_polyak_average_vs_averaged_model():
    thetas = iterates()
    ours = polyak_average(thetas)
    np.testing.assert_allclose(ours, torch_averages(thetas), rtol=0,
                               atol=1e-12)
    # and it is the plain mean of eq:polyak-average
    t = np.arange(1, len(thetas) + 1)[:, None]
    np.testing.assert_allclose(ours, np.cumsum(thetas, axis=0) / t,
                               atol=1e-12)
    # control: an average that also includes theta^(0) differs
    with_zero = polyak_average(np.vstack([[-3.0, 2.0], thetas]))[1:]
    assert np.abs(with_zero - ours).max() > 1e-3


@pytest.mark.parametrize("rho", [0.5, 0.9, 0.99])
def test_ema_average_vs_averaged_model(rho):
    thetas = iterates(seed=1)
    ours = ema_average(thetas, rho)
    ref = torch_averages(thetas, get_ema_multi_avg_fn(rho))
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)
    # control: the chapter 5 EMA from s_0 = 0 (no copy first) differs
    s, from_zero = np.zeros(2), []
    for theta in thetas:
        s = rho * s + (1 - rho) * theta
        from_zero.append(s)
    assert np.abs(np.array(from_zero) - ref).max() > 1e-3


def test_averages_keep_leading_dimensions():
    thetas, avg, ema = polyak_runs(50, n_runs=4)
    assert thetas.shape == avg.shape == ema.shape == (50, 4, 2)
    for r in range(4):
        np.testing.assert_allclose(avg[:, r], polyak_average(thetas[:, r]),
                                   atol=1e-14)
        np.testing.assert_allclose(
            ema[:, r], ema_average(thetas[:, r], POLYAK_RHO), atol=1e-14)


def test_noisy_sgd_without_noise_is_gradient_descent():
    rng = np.random.default_rng(0)
    ours = noisy_sgd(POLYAK_H, [1.0, -2.0], 0.3, 0.0, 20, rng)
    ref = gradient_descent(lambda th: POLYAK_H @ th, [1.0, -2.0], 0.3, 20)
    np.testing.assert_allclose(ours, ref, rtol=1e-14, atol=1e-15)


def test_polyak_figure_claim():
    # constant-step SGD stalls in a noise ball; the EMA shrinks it and
    # the arithmetic average keeps closing in on the minimum
    d = polyak_distances(n_steps=1000, n_runs=100)
    assert d["average"] < d["EMA"] < d["last"]
    assert d["average"] < 0.75 * d["EMA"]
    assert d["EMA"] < 0.5 * d["last"]
    # the values printed by the >>> example at the end of
    # #polyak-averaging (2 significant digits)
    assert {k: float(f"{v:.2g}") for k, v in d.items()} == {
        "last": 0.71, "average": 0.14, "EMA": 0.24}
    later = polyak_distances(n_steps=2000, n_runs=100)
    assert later["average"] < 0.8 * d["average"]      # still falling
    assert later["last"] > 0.8 * d["last"]            # stalled


# ---------------------------------------------------------------------
# eq:blurred-cosine, eq:blurred-objective

@pytest.mark.parametrize("theta,omega,sigma", [(0.3, 3.0, 0.4),
                                               (-1.0, 7.0, 0.2),
                                               (2.0, 2.0, 0.5)])
def test_blurred_cosine_monte_carlo(theta, omega, sigma):
    n = 400_000
    xi = sigma * np.random.default_rng(0).standard_normal(n)
    samples = np.cos(omega * (theta + xi))
    mean, se = samples.mean(), samples.std() / np.sqrt(n)
    assert abs(mean - blurred_cosine(theta, omega, sigma)) <= 5 * se
    # control: damping by exp(-omega sigma^2 / 2) (omega not squared)
    wrong = np.exp(-omega * sigma ** 2 / 2) * np.cos(omega * theta)
    assert abs(mean - wrong) > 20 * se


def test_blurred_objective_monte_carlo():
    f, n = Wiggly(), 400_000
    xi = np.random.default_rng(1).standard_normal(n)
    for theta in (-1.0, 0.4, 2.5):
        for sigma in (0.1, 0.5, 1.5):
            samples = f.loss(theta + sigma * xi)
            se = samples.std() / np.sqrt(n)
            assert abs(samples.mean() - f.loss(theta, sigma)) <= 5 * se
    # control: without the constant a sigma^2 / 2 of the bowl
    samples = f.loss(0.4 + 1.5 * xi)
    unlifted = f.loss(0.4, 1.5) - 0.5 * f.a * 1.5 ** 2
    assert abs(samples.mean() - unlifted) > 20 * samples.std() / np.sqrt(n)


def test_wiggly_grad_vs_finite_differences():
    f, h = Wiggly(), 1e-6
    theta = np.linspace(-3.0, 4.0, 29)
    for sigma in CONT_SIGMAS:
        fd = (f.loss(theta + h, sigma) - f.loss(theta - h, sigma)) / (2 * h)
        np.testing.assert_allclose(f.grad(theta, sigma), fd, atol=1e-7)


def global_minimizer(f):
    grid = np.linspace(-6.0, 6.0, 120_001)
    theta = grid[np.argmin(f.loss(grid))]
    path = gradient_descent(f.grad, theta, CONT_EPS, 2000)  # polish
    return float(path[-1])


def test_continuation_finds_global_minimum_plain_gd_does_not():
    f = Wiggly()
    best = global_minimizer(f)
    found = continuation(f, CONT_THETA0, CONT_SIGMAS, CONT_EPS,
                         CONT_STEPS)
    assert len(found) == len(CONT_SIGMAS)
    assert abs(found[-1] - best) < 1e-6
    # plain GD, as many steps in all, from the same start
    plain = gradient_descent(f.grad, CONT_THETA0, CONT_EPS,
                             len(CONT_SIGMAS) * CONT_STEPS)[-1]
    assert abs(f.grad(plain)) < 1e-8          # a stationary point ...
    assert abs(plain - best) > 1.0            # ... far from the best
    assert f.loss(plain) > f.loss(best) + 1.0
    # each stage ends at a stationary point of its blurred objective
    for theta, sigma in zip(found, CONT_SIGMAS):
        assert abs(f.grad(theta, sigma)) < 1e-8
    # the most blurred objective has a single minimum: J'' > 0 all over
    grid = np.linspace(-6.0, 6.0, 2001)
    fd2 = np.diff(f.loss(grid, CONT_SIGMAS[0]), 2)
    assert np.all(fd2 > 0)
    assert np.any(np.diff(f.loss(grid), 2) < 0)   # control: J has not
