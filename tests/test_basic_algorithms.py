"""Chapter 3: every function against its equation and against PyTorch.

All PyTorch comparisons run in float64 (dtype passed explicitly) and
demand agreement to a relative error of 1e-10 over 200 steps.
"""

import math

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler

from snippets.basic_algorithms import (SGD, cosine_annealing, linear_decay,
                                       minibatch_gradient, momentum_step,
                                       nesterov_step, optimizer_paths, sgd,
                                       step_decay, terminal_speed,
                                       train_digits,
                                       velocity_constant_gradient, warmup)
from snippets.problems import Rosenbrock, ill_conditioned_quadratic

F64 = torch.float64
N_STEPS = 200
TOL = 1e-10


def rel_err(a, b):
    """max |a - b| / max |b| (the scale of the reference)."""
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


# ---------------------------------------------------------------------
# eq:minibatch-gradient

def lstsq_per_example_grad(theta, X, y):
    # gradient of 1/2 (x . theta - y)^2, one row per example
    return (X @ theta - y)[:, None] * X


def make_regression(n=200, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 1.0
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal(n)
    order = np.argsort(y)  # sorted data: the first m are not typical
    return X[order], y[order]


def test_minibatch_full_batch_is_exact_gradient():
    # m = n: every example once, in some order -> the full gradient.
    # (Sampling with replacement would fail this.)
    X, y = make_regression()
    theta = np.array([0.3, 0.1, -0.2])
    full = lstsq_per_example_grad(theta, X, y).mean(axis=0)
    rng = np.random.default_rng(1)
    for _ in range(5):
        g = minibatch_gradient(lstsq_per_example_grad, theta, X, y,
                               len(X), rng)
        np.testing.assert_allclose(g, full, rtol=1e-12)


def within_standard_errors(estimator, n_draws=4000, m=10, z=5.0):
    """Is the mean of n_draws estimates within z standard errors of the
    full gradient, in every coordinate? The standard error is the exact
    one for m of n examples drawn without replacement."""
    X, y = make_regression()
    n = len(X)
    theta = np.array([0.3, 0.1, -0.2])
    G = lstsq_per_example_grad(theta, X, y)
    full = G.mean(axis=0)
    var_one = G.var(axis=0) / m * (n - m) / (n - 1)
    se = np.sqrt(var_one / n_draws)
    rng = np.random.default_rng(2)
    draws = [estimator(theta, X, y, m, rng) for _ in range(n_draws)]
    return np.all(np.abs(np.mean(draws, axis=0) - full) <= z * se)


def test_minibatch_gradient_is_unbiased():
    def ours(theta, X, y, m, rng):
        return minibatch_gradient(lstsq_per_example_grad, theta, X, y,
                                  m, rng)
    assert within_standard_errors(ours)


@pytest.mark.parametrize("variant", ["first m", "first half"])
def test_unbiasedness_check_catches_biased_estimators(variant):
    def biased(theta, X, y, m, rng):
        if variant == "first m":
            idx = np.arange(m)
        else:  # random, but only from the smaller half of y
            idx = rng.choice(len(X) // 2, size=m, replace=False)
        return lstsq_per_example_grad(theta, X[idx], y[idx]).mean(axis=0)
    assert not within_standard_errors(biased)


# ---------------------------------------------------------------------
# eq:sgd-update

def test_sgd_matches_closed_form_on_diagonal_quadratic():
    # For J = 1/2 sum h_i theta_i^2 each coordinate is multiplied by
    # (1 - eps_k h_i) at step k.
    h = np.array([0.1, 1.0, 3.0])
    theta0 = np.array([1.0, -2.0, 0.5])
    schedule = lambda k: 0.5 / (1 + 0.1 * k)  # noqa: E731
    it = sgd(lambda th: h * th, theta0, schedule, 50)
    assert it.shape == (51, 3)
    factors = np.cumprod([1 - schedule(k) * h for k in range(50)], axis=0)
    np.testing.assert_allclose(it[0], theta0)
    np.testing.assert_allclose(it[1:], factors * theta0, rtol=1e-12)
    np.testing.assert_array_equal(theta0, [1.0, -2.0, 0.5])  # untouched


def test_sgd_with_minibatches_and_decay_finds_least_squares():
    # Robbins-Monro style: noisy gradients and a decaying rate still
    # reach the minimiser.
    X, y = make_regression(n=500)
    theta_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    rng = np.random.default_rng(0)

    def g_hat(theta):
        return minibatch_gradient(lstsq_per_example_grad, theta, X, y,
                                  20, rng)
    it = sgd(g_hat, np.zeros(3), lambda k: linear_decay(
        k, 0.05, 0.0005, 1500), 2000)
    assert np.linalg.norm(it[-1] - theta_ls) < 0.05
    assert np.linalg.norm(it[0] - theta_ls) > 1.0


# ---------------------------------------------------------------------
# schedules against torch.optim.lr_scheduler

def torch_lrs(eps0, make_scheduler, n):
    p = torch.zeros(1, dtype=F64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=eps0)
    sched = make_scheduler(opt)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(lrs)


@pytest.mark.parametrize("eps0,eps_tau,tau", [(0.1, 0.001, 100),
                                              (1.0, 0.3, 37),
                                              (0.5, 0.5, 10)])
def test_linear_decay_matches_torch_linearlr(eps0, eps_tau, tau):
    n = 3 * tau
    ref = torch_lrs(eps0, lambda o: lr_scheduler.LinearLR(
        o, start_factor=1.0, end_factor=eps_tau / eps0, total_iters=tau), n)
    k = np.arange(n)
    ours = np.array([linear_decay(i, eps0, eps_tau, tau) for i in k])
    np.testing.assert_allclose(ours, ref, rtol=1e-12)
    np.testing.assert_allclose(linear_decay(k, eps0, eps_tau, tau), ours)
    # the equation itself at three points
    assert linear_decay(0, eps0, eps_tau, tau) == eps0
    assert math.isclose(linear_decay(tau, eps0, eps_tau, tau), eps_tau)
    assert math.isclose(linear_decay(tau // 2, eps0, eps_tau, tau),
                        eps0 + (tau // 2) / tau * (eps_tau - eps0))


@pytest.mark.parametrize("gamma,step_size", [(0.1, 30), (0.5, 7)])
def test_step_decay_matches_torch_steplr(gamma, step_size):
    n = 200
    ref = torch_lrs(0.2, lambda o: lr_scheduler.StepLR(
        o, step_size=step_size, gamma=gamma), n)
    ours = step_decay(np.arange(n), 0.2, gamma, step_size)
    np.testing.assert_allclose(ours, ref, rtol=1e-12)
    assert step_decay(step_size - 1, 0.2, gamma, step_size) == 0.2
    assert math.isclose(step_decay(step_size, 0.2, gamma, step_size),
                        0.2 * gamma)


@pytest.mark.parametrize("eps_min,K", [(0.0, 100), (0.01, 250), (0.0, 7)])
def test_cosine_annealing_matches_torch_recursion(eps_min, K):
    # torch updates the rate recursively; over three periods (past K
    # the cosine rises again) it stays within 1e-12 * eps0 of the
    # closed form.
    eps0, n = 0.1, 3 * K
    ref = torch_lrs(eps0, lambda o: lr_scheduler.CosineAnnealingLR(
        o, T_max=K, eta_min=eps_min), n)
    ours = cosine_annealing(np.arange(n), eps0, eps_min, K)
    assert np.max(np.abs(ours - ref)) <= 1e-12 * eps0
    assert cosine_annealing(0, eps0, eps_min, K) == eps0
    assert math.isclose(cosine_annealing(K, eps0, eps_min, K), eps_min,
                        abs_tol=1e-17)
    assert math.isclose(cosine_annealing(K / 2, eps0, eps_min, K),
                        (eps0 + eps_min) / 2)


@pytest.mark.parametrize("W", [2, 5, 100])
def test_warmup_matches_torch_linearlr(W):
    n = 3 * W
    ref = torch_lrs(0.3, lambda o: lr_scheduler.LinearLR(
        o, start_factor=1 / W, end_factor=1.0, total_iters=W - 1), n)
    ours = warmup(np.arange(n), 0.3, W)
    np.testing.assert_allclose(ours, ref, rtol=1e-12)
    assert math.isclose(warmup(0, 0.3, W), 0.3 / W)
    assert warmup(W - 1, 0.3, W) == 0.3 and warmup(5 * W, 0.3, W) == 0.3


# ---------------------------------------------------------------------
# torch.optim.SGD: random problems with several parameter arrays

SHAPES = {"W": (3, 4), "b": (4,), "s": (), "T": (2, 3, 2)}


class RandomLeastSquares:
    """J = 1/(2r) |A vec(params) - y|^2 across all parameter arrays."""

    def __init__(self, seed):
        rng = np.random.default_rng(seed)
        self.sizes = {k: int(np.prod(s)) for k, s in SHAPES.items()}
        d = sum(self.sizes.values())
        self.A = rng.standard_normal((2 * d, d))
        self.y = rng.standard_normal(2 * d)
        self.lam_max = np.linalg.eigvalsh(self.A.T @ self.A)[-1] / (2 * d)
        self.params0 = {k: rng.standard_normal(s)
                        for k, s in SHAPES.items()}

    def grads(self, params):
        flat = np.concatenate([np.ravel(params[k]) for k in SHAPES])
        g = self.A.T @ (self.A @ flat - self.y) / len(self.y)
        out, i = {}, 0
        for k, s in SHAPES.items():
            out[k] = g[i:i + self.sizes[k]].reshape(s)
            i += self.sizes[k]
        return out


def random_hyperparameters(rng, lam_max):
    nesterov = bool(rng.random() < 0.3)
    momentum = 0.0 if (rng.random() < 0.2 and not nesterov) \
        else float(rng.uniform(0.1, 0.95))
    dampening = 0.0 if (nesterov or rng.random() < 0.4) \
        else float(rng.uniform(0.05, 0.9))
    weight_decay = 0.0 if rng.random() < 0.3 \
        else float(rng.uniform(0.001, 0.1))
    # eps * lambda_max(H + lambda I) <= 0.9 (1 - alpha): stable for all
    lr = float(rng.uniform(0.05, 0.9) * (1 - momentum)
               / (lam_max + weight_decay))
    return dict(lr=lr, momentum=momentum, dampening=dampening,
                weight_decay=weight_decay, nesterov=nesterov)


def run_ours(opt, problem, n_steps=N_STEPS, lrs=None):
    params = {k: v.copy() for k, v in problem.params0.items()}
    trajectory = []
    for k in range(n_steps):
        if lrs is not None:
            opt.lr = lrs[k]
        opt.update(params, problem.grads(params))
        trajectory.append({k: v.copy() for k, v in params.items()})
    return trajectory


def run_torch(hp, problem, n_steps=N_STEPS, make_scheduler=None):
    tp = {k: torch.tensor(v, dtype=F64, requires_grad=True)
          for k, v in problem.params0.items()}
    opt = torch.optim.SGD(list(tp.values()), **hp)
    sched = make_scheduler(opt) if make_scheduler else None
    trajectory = []
    for _ in range(n_steps):
        g = problem.grads({k: p.detach().numpy() for k, p in tp.items()})
        for k, p in tp.items():
            p.grad = torch.tensor(g[k], dtype=F64)
        opt.step()
        if sched:
            sched.step()
        trajectory.append({k: p.detach().numpy().copy()
                           for k, p in tp.items()})
    return trajectory


def trajectory_rel_err(ours, ref):
    return max(rel_err(a[k], b[k]) for a, b in zip(ours, ref) for k in a)


@pytest.mark.parametrize("seed", range(20))
def test_sgd_class_matches_torch(seed):
    problem = RandomLeastSquares(seed)
    hp = random_hyperparameters(np.random.default_rng(1000 + seed),
                                problem.lam_max)
    ours = run_ours(SGD(**hp), problem)
    ref = run_torch(hp, problem)
    assert trajectory_rel_err(ours, ref) <= TOL
    # and the run did something: the parameters moved
    assert rel_err(ref[-1]["W"], problem.params0["W"]) > 1e-3


def test_sgd_class_with_schedule_matches_torch_scheduler():
    problem = RandomLeastSquares(0)
    hp = dict(lr=0.5 / problem.lam_max, momentum=0.9, dampening=0.0,
              weight_decay=0.01, nesterov=True)
    lrs = cosine_annealing(np.arange(N_STEPS), hp["lr"], 0.0, N_STEPS)
    ours = run_ours(SGD(**hp), problem, lrs=lrs)
    ref = run_torch(hp, problem, make_scheduler=lambda o:
                    lr_scheduler.CosineAnnealingLR(o, T_max=N_STEPS))
    assert trajectory_rel_err(ours, ref) <= TOL


def test_sgd_class_updates_in_place_and_keeps_state_per_name():
    theta = {"a": np.array([1.0, 2.0]), "b": np.array([[3.0]])}
    ids = {k: id(v) for k, v in theta.items()}
    opt = SGD(lr=0.1, momentum=0.9)
    opt.update(theta, {"a": np.array([1.0, 1.0]), "b": np.array([[2.0]])})
    assert {k: id(v) for k, v in theta.items()} == ids
    np.testing.assert_allclose(theta["a"], [0.9, 1.9])
    np.testing.assert_allclose(opt.buffers["b"], [[2.0]])
    # a parameter without a gradient is left alone, as in torch
    opt.update(theta, {"a": np.array([0.0, 0.0])})
    np.testing.assert_allclose(theta["a"], [0.9 - 0.09, 1.9 - 0.09])
    np.testing.assert_allclose(theta["b"], [[2.8]])


@pytest.mark.parametrize("kwargs", [
    dict(lr=-0.1), dict(lr=0.1, momentum=-0.5),
    dict(lr=0.1, weight_decay=-1e-4), dict(lr=0.1, nesterov=True),
    dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)])
def test_sgd_class_rejects_what_torch_rejects(kwargs):
    p = torch.zeros(1, dtype=F64, requires_grad=True)
    with pytest.raises(ValueError):
        torch.optim.SGD([p], **kwargs)
    with pytest.raises(ValueError):
        SGD(**kwargs)


# Plausible mistakes, each of which the comparison above must catch.

class DampedFirstStep(SGD):
    # b_1 = (1 - d) g_1 (a zero-initialised buffer) instead of b_1 = g_1
    def update(self, params, grads):
        for name in grads:
            if name not in self.buffers:
                self.buffers[name] = np.zeros_like(params[name])
        super().update(params, grads)


class DecoupledWeightDecay(SGD):
    # shrink theta directly (AdamW style) instead of adding lam * theta
    # to the gradient before the momentum buffer
    def update(self, params, grads):
        lam, self.weight_decay = self.weight_decay, 0.0
        for name in grads:
            params[name] *= 1 - self.lr * lam
        super().update(params, grads)
        self.weight_decay = lam


class NoLookAhead(SGD):
    # "Nesterov" that steps along b only, i.e. plain heavy ball
    def update(self, params, grads):
        self.nesterov = False
        super().update(params, grads)


@pytest.mark.parametrize("mutant,hp", [
    (DampedFirstStep, dict(momentum=0.9, dampening=0.5)),
    (DecoupledWeightDecay, dict(momentum=0.9, weight_decay=0.05)),
    (NoLookAhead, dict(momentum=0.9, nesterov=True)),
])
def test_comparison_catches_plausible_mistakes(mutant, hp):
    problem = RandomLeastSquares(7)
    hp = dict(lr=0.05 / problem.lam_max, **hp)
    ref = run_torch(hp, problem)
    assert trajectory_rel_err(run_ours(SGD(**hp), problem), ref) <= TOL
    assert trajectory_rel_err(run_ours(mutant(**hp), problem), ref) > 1e-4


# ---------------------------------------------------------------------
# momentum (GBC form) and its PyTorch form

def quartic_problem(seed, d=6):
    """A non-quadratic test function: random quadratic + 0.05 |theta|^4."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((d, d))
    H = A @ A.T / d + 0.1 * np.eye(d)
    c = rng.standard_normal(d)

    def grad(theta):
        return H @ (theta - c) + 0.2 * (theta @ theta) * theta
    return grad, rng.standard_normal(d)


@pytest.mark.parametrize("seed", range(4))
def test_momentum_step_equals_sgd_class(seed):
    # constant eps, dampening 0: v = -eps * b and the same theta.
    grad, theta0 = quartic_problem(seed)
    eps, alpha = 0.05, [0.5, 0.9, 0.95, 0.99][seed]
    theta, v = theta0.copy(), np.zeros_like(theta0)
    params = {"theta": theta0.copy()}
    opt = SGD(lr=eps, momentum=alpha)
    vs, minus_eps_b = [], []
    for _ in range(N_STEPS):
        theta, v = momentum_step(theta, v, grad(theta), eps, alpha)
        opt.update(params, {"theta": grad(params["theta"])})
        assert rel_err(theta, params["theta"]) <= TOL
        vs.append(v)
        minus_eps_b.append(-eps * opt.buffers["theta"])
    # v shrinks near the minimum: measure against its own scale
    assert rel_err(vs, minus_eps_b) <= TOL


def test_momentum_forms_differ_when_the_rate_changes():
    # With a schedule PyTorch rescales the whole accumulated velocity by
    # the current rate; eq:momentum-velocity only scales the new gradient.
    grad, theta0 = quartic_problem(0)
    alpha = 0.9
    theta, v = theta0.copy(), np.zeros_like(theta0)
    params = {"theta": theta0.copy()}
    opt = SGD(lr=0.05, momentum=alpha)
    for k in range(50):
        eps = step_decay(k, 0.05, 0.1, 25)
        theta, v = momentum_step(theta, v, grad(theta), eps, alpha)
        opt.lr = eps
        opt.update(params, {"theta": grad(params["theta"])})
        if k < 25:
            assert rel_err(theta, params["theta"]) <= TOL
    assert rel_err(theta, params["theta"]) > 1e-3


def test_velocity_is_a_discounted_sum_of_gradients():
    # eq:velocity-sum: v_k = -eps sum_j alpha^(k-j) g_j, any gradients
    rng = np.random.default_rng(0)
    eps, alpha, k = 0.1, 0.8, 30
    gs = rng.standard_normal((k, 3))
    theta, v = np.zeros(3), np.zeros(3)
    for g in gs:
        theta, v = momentum_step(theta, v, g, eps, alpha)
    weights = alpha ** (k - np.arange(1, k + 1))
    np.testing.assert_allclose(v, -eps * weights @ gs, rtol=1e-12)


@pytest.mark.parametrize("alpha", [0.5, 0.9, 0.99])
def test_velocity_under_constant_gradient(alpha):
    g, eps = np.array([0.6, -0.8]), 0.1
    theta, v = np.zeros(2), np.zeros(2)
    speeds = []
    for k in range(1, 1001):
        theta, v = momentum_step(theta, v, g, eps, alpha)
        np.testing.assert_allclose(
            v, velocity_constant_gradient(k, eps, alpha, g),
            rtol=1e-12, atol=1e-15)
        speeds.append(np.linalg.norm(v))
    # the speed grows towards eq:terminal-velocity and never passes it
    v_inf = terminal_speed(eps, alpha, 1.0)
    assert math.isclose(v_inf, eps / (1 - alpha))
    assert np.all(np.diff(speeds) >= 0)
    assert speeds[0] < v_inf and max(speeds) <= v_inf * (1 + 1e-14)
    assert math.isclose(speeds[-1], v_inf * (1 - alpha ** 1000),
                        rel_tol=1e-12)


# ---------------------------------------------------------------------
# Nesterov: PyTorch stores phi = theta + alpha v (eq:nesterov-phi)

@pytest.mark.parametrize("seed", range(4))
def test_nesterov_step_matches_torch_lookahead_point(seed):
    grad, theta0 = quartic_problem(seed)
    eps, alpha = 0.05, [0.5, 0.9, 0.95, 0.99][seed]
    theta, v = theta0.copy(), np.zeros_like(theta0)
    p = torch.tensor(theta0, dtype=F64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=eps, momentum=alpha, nesterov=True)
    theta_vs_torch = 0.0
    for _ in range(N_STEPS):
        theta, v = nesterov_step(theta, v, grad, eps, alpha)
        p.grad = torch.tensor(grad(p.detach().numpy()), dtype=F64)
        opt.step()
        phi = theta + alpha * v
        assert rel_err(phi, p.detach().numpy()) <= TOL
        theta_vs_torch = max(theta_vs_torch,
                             rel_err(theta, p.detach().numpy()))
    # torch's parameters are phi, not theta: those differ along the way
    assert theta_vs_torch > 1e-3


def test_nesterov_phi_form_is_pytorch_nesterov():
    # Iterate eq:nesterov-phi-velocity / eq:nesterov-phi-update directly:
    # they follow nesterov_step's theta + alpha v (eq:nesterov-phi), and
    # with b = -v / eps they are eq:torch-buffer + eq:torch-nesterov-step.
    grad, theta0 = quartic_problem(5)
    eps, alpha = 0.05, 0.9
    theta, v = theta0.copy(), np.zeros_like(theta0)
    phi, v_phi = theta0.copy(), np.zeros_like(theta0)
    params = {"p": theta0.copy()}
    opt = SGD(lr=eps, momentum=alpha, nesterov=True)
    vs, minus_eps_b = [], []
    for _ in range(N_STEPS):
        theta, v = nesterov_step(theta, v, grad, eps, alpha)
        g = grad(phi)
        v_phi = alpha * v_phi - eps * g
        phi = phi - eps * g + alpha * v_phi
        opt.update(params, {"p": grad(params["p"])})
        assert rel_err(phi, theta + alpha * v) <= TOL
        assert rel_err(phi, params["p"]) <= TOL
        vs.append(v_phi)
        minus_eps_b.append(-eps * opt.buffers["p"])
    # v shrinks to ~1e-7 near the minimum: measure against its own scale
    assert rel_err(vs, minus_eps_b) <= TOL


def test_nesterov_evaluates_gradient_at_lookahead():
    calls = []

    def grad(theta):
        calls.append(theta.copy())
        return theta
    theta, v = np.array([1.0]), np.array([0.5])
    theta_new, v_new = nesterov_step(theta, v, grad, eps=0.1, alpha=0.9)
    np.testing.assert_allclose(calls[0], [1.45])        # theta + alpha v
    np.testing.assert_allclose(v_new, [0.45 - 0.145])   # eq:nesterov-velocity
    np.testing.assert_allclose(theta_new, [1.0 + 0.305])


# ---------------------------------------------------------------------
# comparison on an ill-conditioned quadratic and on Rosenbrock

@pytest.mark.parametrize("eps_lam,alpha,theta0", [
    (0.5, 0.9, (-9.0, -1.0)), (1.0, 0.9, (4.0, 3.0)),
    (1.25, 0.9, (-9.0, -1.0)), (1.0, 0.8, (-3.0, 5.0))])
def test_momentum_methods_beat_sgd_on_ill_conditioned_quadratic(
        eps_lam, alpha, theta0):
    q = ill_conditioned_quadratic(50.0, angle=0.35)
    n = 100
    paths = optimizer_paths(q.grad, theta0, eps_lam, alpha, n)
    assert set(paths) == {"SGD", "momentum", "Nesterov"}
    J0 = q.loss(np.array(theta0))
    final = {name: q.loss(path[-1]) for name, path in paths.items()}
    for name, path in paths.items():
        assert path.shape == (n + 1, 2)
        np.testing.assert_array_equal(path[0], theta0)
        assert final[name] < 0.1 * J0, name           # all converge
    assert final["momentum"] < 0.1 * final["SGD"]
    assert final["Nesterov"] < 0.1 * final["SGD"]


def test_figure_settings_show_what_the_chapter_says():
    from snippets.figures import (basic_algorithms_paths_quadratic as fq,
                                  basic_algorithms_paths_rosenbrock as fr)
    q = ill_conditioned_quadratic(fq.KAPPA, angle=np.deg2rad(fq.ANGLE))
    P = optimizer_paths(q.grad, fq.THETA0, fq.EPS, fq.ALPHA, fq.N_STEPS)
    J = {name: q.loss(path[-1]) for name, path in P.items()}
    assert J["Nesterov"] < J["momentum"] < J["SGD"]
    r = Rosenbrock()
    P = optimizer_paths(r.grad, fr.THETA0, fr.EPS, fr.ALPHA, fr.N_STEPS)
    J = {name: r.loss(path[-1]) for name, path in P.items()}
    assert max(J["momentum"], J["Nesterov"]) < 1e-3 * J["SGD"]


# ---------------------------------------------------------------------
# digits

def test_train_digits_is_deterministic_and_learns():
    a = train_digits(0.1, 40)
    b = train_digits(0.1, 40)
    c = train_digits(0.1, 40, seed=1)
    assert a.shape == (41,)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a[-1] < 0.5 * a[0]
    # a rate far too small barely moves in the same number of steps
    assert train_digits(1e-4, 40)[-1] > 0.97 * a[0]
    # evaluating less often does not change the run, only the record
    np.testing.assert_array_equal(train_digits(0.1, 40, eval_every=8),
                                  a[::8])
