"""Chapter 6: Newton's method, linear and nonlinear CG, the line search,
BFGS and L-BFGS against their equations, closed forms, scipy.optimize
and torch.optim.LBFGS (float64), with negative controls; and the claim
of every figure on the data it plots.
"""

import numpy as np
import pytest
import torch

from snippets.data import load_digits_split
from snippets.problems import Quadratic

from snippets.second_order_methods import (
    DISTANCE_BOUND, LAMBDA, METHODS, ROSENBROCK, ROSENBROCK_THETA0,
    SADDLE_ALPHAS, Counted, Logistic, bfgs, bfgs_update,
    comparison_runs, conjugate_gradients, curvature_ok,
    damped_newton_paths, digits_logistic, iteration_counts, lbfgs,
    minimize_ours, minimize_scipy, newton_cost, newton_method,
    newton_step, nonlinear_cg, random_spd, steepest_descent_exact,
    torch_lbfgs, two_loop, wolfe_step)

NS = (2, 5, 10, 20)
KAPPAS = (1e1, 1e3, 1e5)


def rel(a, b):
    return np.max(np.abs(np.asarray(a) - b)) / np.max(np.abs(b))


# ---------------------------------------------------------------------
# Newton: eq:newton-update, eq:newton-regularized

@pytest.mark.parametrize("n", NS)
@pytest.mark.parametrize("kappa", KAPPAS)
def test_one_newton_step_solves_a_quadratic(n, kappa):
    A, _ = random_spd(n, kappa, seed=n)
    rng = np.random.default_rng(1)
    theta_star = rng.standard_normal(n)
    b = A @ theta_star                     # J = 1/2 t^T A t - b^T t
    theta0 = 10 * rng.standard_normal(n)
    theta1 = theta0 + newton_step(A @ theta0 - b, A)
    assert rel(theta1, theta_star) <= 1e-10
    # negative control: the best gradient step is not enough
    g = A @ theta0 - b
    gd = theta0 - (g @ g) / (g @ A @ g) * g
    assert rel(gd, theta_star) > 1e-3


def test_damped_newton_tends_to_gradient_descent():
    A, _ = random_spd(6, 100.0, seed=3)
    g = np.random.default_rng(0).standard_normal(6)
    for alpha in (1e2, 1e4, 1e6):
        # -(H + alpha I)^(-1) g  ~  -g / alpha: GD with eps = 1 / alpha
        step = newton_step(g, A, alpha)
        err = rel(alpha * step, -g)
        assert err <= 2 * np.linalg.norm(A, 2) / alpha
    assert rel(1.0 * newton_step(g, A, 1.0), -g) > 1e-2   # not for small


def test_saddle_newton_is_attracted_damped_newton_escapes():
    paths = damped_newton_paths()
    lam_min = -1.0                          # of H at the saddle
    assert SADDLE_ALPHAS[0] == 0.0
    np.testing.assert_allclose(paths[0.0][-1], [0.0, 0.0], atol=1e-12)
    for alpha in SADDLE_ALPHAS[1:]:
        assert alpha > -lam_min
        np.testing.assert_allclose(paths[alpha][-1], [0.0, 1.0],
                                   atol=1e-2)   # linear rate, 25 steps
    # J along the paths: Newton stops at J(0) = 0, damped reach -1/4
    from snippets.challenges import saddle_function
    assert abs(saddle_function(paths[0.0][-1])) < 1e-12
    for alpha in SADDLE_ALPHAS[1:]:
        assert saddle_function(paths[alpha][-1]) < -0.249


def test_newton_cost():
    assert newton_cost(10 ** 6) == (10 ** 12, 4 * 10 ** 12,
                                    333333333333333333)
    assert repr(newton_cost(10 ** 6)) == (
        "NewtonCost(entries=1.0e+12, bytes=4.0e+12, madds=3.3e+17)")


# ---------------------------------------------------------------------
# linear CG: eq:conjugate-directions, eq:cg-direction, eq:cg-step,
# eq:fletcher-reeves, eq:polak-ribiere

def residuals(A, b, path):
    return np.linalg.norm(path @ A - b, axis=1)


@pytest.mark.parametrize("n", NS)
@pytest.mark.parametrize("kappa", KAPPAS)
def test_cg_finishes_in_n_steps(n, kappa):
    A, b = random_spd(n, kappa, seed=n)
    path = conjugate_gradients(A, b, np.zeros(n))
    assert len(path) - 1 <= n
    assert residuals(A, b, path)[-1] <= 1e-10 * np.linalg.norm(b)
    # eq:conjugate-directions for successive steps, normalized; the
    # steps are differences of iterates, so only those well above the
    # rounding errors of the iterates can be checked to 1e-8
    D = np.diff(path, axis=0)
    big = np.linalg.norm(D, axis=1) >= 1e-4 * np.abs(path).max()
    for d0, d1 in zip(D[:-1][big[1:]], D[1:][big[1:]]):
        cos = (d1 @ A @ d0) / np.sqrt((d0 @ A @ d0) * (d1 @ A @ d1))
        assert abs(cos) <= 1e-8
    # Fletcher-Reeves and Polak-Ribiere agree on a quadratic
    pr = conjugate_gradients(A, b, np.zeros(n), beta="polak-ribiere")
    assert rel(pr, path) <= 1e-8


@pytest.mark.parametrize("kappa", (1e3, 1e5))
def test_steepest_descent_does_not_finish_in_n_steps(kappa):
    n = 10
    A, b = random_spd(n, kappa, seed=n)
    path = steepest_descent_exact(A, b, np.zeros(n), n)
    assert residuals(A, b, path)[-1] > 1e-3 * np.linalg.norm(b)


@pytest.mark.parametrize("k", (1, 2, 3, 5))
def test_k_distinct_eigenvalues_k_steps(k):
    n = 20
    rng = np.random.default_rng(k)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.resize(np.linspace(0.01, 1.0, k), n)     # k distinct values
    A = (Q * lam) @ Q.T
    A = 0.5 * (A + A.T)
    b = rng.standard_normal(n)
    path = conjugate_gradients(A, b, np.zeros(n), n_steps=k)
    assert residuals(A, b, path)[-1] <= 1e-10 * np.linalg.norm(b)
    if k > 1:  # one step fewer is not enough
        assert residuals(A, b, path)[-2] > 1e-6 * np.linalg.norm(b)


def test_geometric_spectra_are_delayed_by_rounding():
    # exact arithmetic would finish in n steps; float64 needs more when
    # the small eigenvalues are well separated (why random_spd spaces
    # them evenly by default)
    A, b = random_spd(10, 1e5, seed=10, spacing="geometric")
    path = conjugate_gradients(A, b, np.zeros(10), n_steps=30)
    r = residuals(A, b, path) / np.linalg.norm(b)
    assert r[10] > 1e-6
    assert r[30] < 1e-10


# ---------------------------------------------------------------------
# line search

def test_wolfe_step_satisfies_strong_wolfe():
    r = ROSENBROCK
    theta = np.array(ROSENBROCK_THETA0)
    g = r.grad(theta)
    d = -g / np.linalg.norm(g)
    for c2 in (0.9, 0.1):
        eps = wolfe_step(r.loss, r.grad, theta, d, g, c2=c2)
        assert eps > 0
        assert r.loss(theta + eps * d) <= r.loss(theta) + 1e-4 * eps * (
            g @ d)
        assert abs(r.grad(theta + eps * d) @ d) <= c2 * abs(g @ d)


def test_wolfe_step_fallback_gives_up_uphill():
    r = ROSENBROCK
    theta = np.array(ROSENBROCK_THETA0)
    g = r.grad(theta)
    assert wolfe_step(r.loss, r.grad, theta, g, g) == 0.0   # d = +g


# ---------------------------------------------------------------------
# BFGS and L-BFGS: eq:secant-condition, eq:curvature-condition,
# eq:bfgs-update, eq:lbfgs-initial-scaling

def random_pair(n, rng, A):
    s = rng.standard_normal(n)
    return s, A @ s                        # y = A s: y^T s > 0


def test_bfgs_update_secant_symmetric_positive_definite():
    rng = np.random.default_rng(0)
    n = 8
    A, _ = random_spd(n, 1e3, seed=1)
    M = np.eye(n)
    for _ in range(20):
        s, y = random_pair(n, rng, A)
        assert curvature_ok(s, y)
        M = bfgs_update(M, s, y)
        np.testing.assert_allclose(M @ y, s, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(M, M.T, rtol=0, atol=1e-10)
        assert np.linalg.eigvalsh(M)[0] > 0
    # negative control: y^T s < 0 breaks positive definiteness
    s = rng.standard_normal(n)
    y = -A @ s
    assert not curvature_ok(s, y)
    assert np.linalg.eigvalsh(bfgs_update(np.eye(n), s, y))[0] < 0


@pytest.mark.parametrize("m", (1, 3, 7))
def test_two_loop_equals_explicit_bfgs_updates(m):
    rng = np.random.default_rng(m)
    n = 12
    A, _ = random_spd(n, 1e2, seed=2)
    pairs = [random_pair(n, rng, A) for _ in range(m)]
    s_list, y_list = [p[0] for p in pairs], [p[1] for p in pairs]
    s, y = pairs[-1]
    M = (s @ y) / (y @ y) * np.eye(n)      # eq:lbfgs-initial-scaling
    for s, y in pairs:                     # oldest first
        M = bfgs_update(M, s, y)
    g = rng.standard_normal(n)
    assert rel(two_loop(g, s_list, y_list), M @ g) <= 1e-10
    # negative control: the wrong order of the updates differs
    M_rev = (s @ y) / (y @ y) * np.eye(n)
    for s, y in reversed(pairs):
        M_rev = bfgs_update(M_rev, s, y)
    if m > 1:
        assert rel(M_rev @ g, M @ g) > 1e-6


def test_two_loop_without_pairs_is_the_gradient():
    g = np.arange(3.0)
    assert np.array_equal(two_loop(g, [], []), g)


@pytest.mark.parametrize("beta", ("polak-ribiere", "fletcher-reeves"))
def test_nonlinear_cg_and_bfgs_on_a_quadratic(beta):
    A, b = random_spd(10, 1e3, seed=4)
    q = Quadratic(A, np.linalg.solve(A, b))
    for path in (nonlinear_cg(q.loss, q.grad, np.zeros(10), beta=beta),
                 bfgs(q.loss, q.grad, np.zeros(10))):
        assert np.max(np.abs(q.grad(path[-1]))) <= 1e-10
        assert rel(path[-1], q.theta_star) <= 1e-6


# ---------------------------------------------------------------------
# against scipy.optimize.minimize

@pytest.mark.parametrize("method", ("CG", "BFGS", "L-BFGS"))
def test_rosenbrock_minimizer_agrees_with_scipy(method):
    theta0 = np.array(ROSENBROCK_THETA0)
    ours, k, n_grad = minimize_ours(method, ROSENBROCK, theta0, 1e-10)
    ref, k_ref, _ = minimize_scipy(method, ROSENBROCK, theta0, 1e-10)
    assert np.max(np.abs(ours - ref)) <= 1e-8
    assert np.max(np.abs(ours - 1.0)) <= 1e-8
    assert k <= 2 * k_ref + 10          # iteration counts of one order


@pytest.fixture(scope="module")
def logistic_optimum():
    """theta* from Newton's method: quadratic convergence, no need for
    the line search to resolve tiny decreases of J."""
    p = digits_logistic()
    thetas = []
    newton_method(p.loss, p.grad, p.hessian, np.zeros(p.dim), 50,
                  tol=1e-14, callback=thetas.append)
    assert np.max(np.abs(p.grad(thetas[-1]))) <= 1e-13
    return thetas[-1]


@pytest.mark.parametrize("method", ("CG", "BFGS", "L-BFGS"))
def test_logistic_minimizer_agrees_with_scipy(method, logistic_optimum):
    p = digits_logistic()
    theta0 = np.zeros(p.dim)
    ours, _, _ = minimize_ours(method, p, theta0, 1e-11)
    assert np.max(np.abs(ours - logistic_optimum)) <= 1e-8
    # SciPy stops ("precision loss") once the decrease of J is below
    # its rounding errors, near max |g_i| ~ 1e-9: within 1e-7
    ref, _, _ = minimize_scipy(method, p, theta0, 1e-10)
    assert np.max(np.abs(ref - logistic_optimum)) <= 1e-7
    assert np.max(np.abs(ours - ref)) <= 1e-7


def test_iteration_counts_table():
    runs = comparison_runs()
    assert len(runs) == 6
    for (method, name), (ours, ref) in runs.items():
        assert np.max(np.abs(ours[0] - ref[0])) < DISTANCE_BOUND[name]
        assert ours[1] <= 2 * ref[1] + 10
    table = iteration_counts()
    assert len(table.splitlines()) == 8
    assert max(len(line) for line in table.splitlines()) <= 79


# ---------------------------------------------------------------------
# against torch.optim.LBFGS and torch.autograd

def torch_logistic_loss(p):
    X, Y = torch.tensor(p.X), torch.tensor(p.Y)

    def loss(theta):
        Z = X @ theta.reshape(p.shape)
        ce = torch.mean(torch.logsumexp(Z, 1) - (Y * Z).sum(1))
        return ce + 0.5 * p.lam * (theta @ theta)
    return loss


@pytest.mark.parametrize("lr", (1.0, 0.5))
def test_fixed_step_lbfgs_reproduces_torch(lr):
    p = digits_logistic()
    loss = torch_logistic_loss(p)
    points = []

    def recording(theta):    # without a line search: once per iterate
        points.append(theta.detach().numpy().copy())
        return loss(theta)

    n = 30
    theta, k, _ = torch_lbfgs(recording, np.zeros(p.dim), n_iter=n, lr=lr,
                              history_size=5, line_search_fn=None,
                              tol=0.0)
    assert k == n
    ref = np.array(points + [theta])
    ours = lbfgs(p.loss, p.grad, np.zeros(p.dim), m=5, n_iter=n, tol=0.0,
                 line_search=False, eps=lr)
    assert ours.shape == ref.shape
    assert rel(ours, ref) <= 1e-10
    # negative control: another memory gives other iterates
    other = lbfgs(p.loss, p.grad, np.zeros(p.dim), m=2, n_iter=n,
                  tol=0.0, line_search=False, eps=lr)
    assert rel(other, ref) > 1e-6


def test_torch_strong_wolfe_minimizer_on_rosenbrock():
    def loss(t):
        return (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2
    theta, k, evals = torch_lbfgs(loss, ROSENBROCK_THETA0, n_iter=200)
    ours = lbfgs(ROSENBROCK.loss, ROSENBROCK.grad, ROSENBROCK_THETA0)[-1]
    assert np.max(np.abs(theta - ours)) <= 1e-8
    assert 0 < k < 200 and evals >= k


def test_logistic_grad_and_hessian_against_autograd():
    X, y, _, _ = load_digits_split()
    p = Logistic(X[:200, :12], y[:200], lam=LAMBDA)      # n = 130
    theta = 0.3 * np.random.default_rng(0).standard_normal(p.dim)
    loss = torch_logistic_loss(p)
    t = torch.tensor(theta, requires_grad=True)
    assert abs(loss(t).item() - p.loss(theta)) <= 1e-12
    g, = torch.autograd.grad(loss(t), t)
    assert rel(p.grad(theta), g.numpy()) <= 1e-10
    H = torch.autograd.functional.hessian(loss, t.detach()).numpy()
    assert rel(p.hessian(theta), H) <= 1e-10
    # negative control: without the penalty the Hessian differs
    assert rel(p.hessian(theta) - LAMBDA * np.eye(p.dim), H) > 1e-3


def test_counted_remembers_the_last_point():
    c = Counted(digits_logistic())
    theta = np.zeros(c.problem.dim)
    c.grad(theta), c.grad(theta), c.fun(theta)
    assert c.calls == {"fun": 1, "grad": 1, "hessian": 0}
    assert c.madds == 3 * 1437 * 65 * 10


# ---------------------------------------------------------------------
# the figures' claims

def test_figure_cg_steps():
    from snippets.figures.second_order_methods_cg_steps import N, curves
    for (method, kappa), r in curves().items():
        if method == "CG":
            assert len(r) == N + 1 and r[N] <= 1e-10 and r[N - 1] > 1e-6
        else:
            assert r[-1] > 1e-3            # steepest descent: far off


def test_figure_paths_quadratic():
    from snippets.figures.second_order_methods_paths_quadratic import (
        quadratic_paths)
    q, paths = quadratic_paths()
    assert len(paths["Newton"]) - 1 == 1 and q.loss(paths["Newton"][1]) \
        <= 1e-20
    for name in ("CG", "BFGS"):
        assert len(paths[name]) - 1 == 2
        assert q.loss(paths[name][-1]) <= 1e-20
        assert q.loss(paths[name][1]) > 1e-3   # not after one step
    assert rel(paths["BFGS"], paths["CG"]) <= 1e-10
    assert q.loss(paths["GD"][-1]) > 1e-2 * q.loss(paths["GD"][0])


def test_figure_paths_rosenbrock():
    from snippets.figures.second_order_methods_paths_rosenbrock import (
        N_ITER, rosenbrock_paths)
    paths = rosenbrock_paths()
    for name in ("Newton", "CG", "BFGS", "L-BFGS"):
        assert len(paths[name]) - 1 < N_ITER
        assert ROSENBROCK.loss(paths[name][-1]) <= 1e-20
    assert ROSENBROCK.loss(paths["GD"][-1]) > 1e-3
    assert len(paths["Newton"]) < min(len(paths[m]) for m in
                                      ("CG", "BFGS", "L-BFGS"))


def test_figure_logistic():
    from snippets.figures.second_order_methods_logistic import (
        logistic_runs)
    runs = logistic_runs()
    assert tuple(runs) == METHODS
    iters = {m: len(gap) - 1 for m, (gap, _) in runs.items()}
    cost = {m: madds[-1] for m, (_, madds) in runs.items()}
    for m in METHODS[1:]:
        assert runs[m][0][-1] <= 1e-12     # converged to TOL
    assert runs["GD"][0][-1] > 1e-6        # not converged
    assert min(iters, key=iters.get) == "Newton"
    quasi = ("CG", "BFGS", "L-BFGS")
    assert min(quasi, key=cost.get) == "L-BFGS"
    assert cost["Newton"] > max(cost[m] for m in quasi)
