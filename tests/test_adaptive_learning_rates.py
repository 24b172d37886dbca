"""Chapter 5: the EMA against its equations, the optimizers against
torch.optim (float64, 200 steps, relative error <= 1e-10), and the
mistakes the chapter warns about against the same references.
"""

import numpy as np
import pytest
import torch

from snippets.adaptive_learning_rates import (
    ELONGATED, ELONGATED_LRS, ELONGATED_STEPS, ELONGATED_THETA0,
    LR_GRID, METHODS, ROSENBROCK, ROSENBROCK_LRS, ROSENBROCK_STEPS,
    ROSENBROCK_THETA0, Adagrad, Adam, AdamW, RMSprop, adaptive_paths,
    best_lr, bias_corrected, comparison_table, ema, ema_weight_sum,
    ema_weights)

F64 = torch.float64
N_STEPS = 200
TOL = 1e-10
SEEDS = range(10)


def rel_err(a, b):
    """max |a - b| / max |b| (the scale of the reference)."""
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


# ---------------------------------------------------------------------
# eq:ema, eq:ema-unrolled, eq:ema-weight-sum, eq:bias-correction

@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9, 0.999])
def test_ema_recursion_equals_unrolled_sum(rho):
    gs = np.random.default_rng(0).standard_normal((50, 3))
    s = ema(gs, rho)
    for t in (1, 2, 17, 50):
        w = ema_weights(t, rho)
        np.testing.assert_allclose(s[t - 1], w @ gs[:t][::-1],
                                   rtol=1e-12, atol=1e-15)
        assert np.isclose(w.sum(), ema_weight_sum(t, rho), rtol=1e-12)
        # eq:bias-correction turns the weights into an average
        assert np.isclose(bias_corrected(w, t, rho).sum(), 1.0) or rho == 0


def test_bias_corrected_ema_of_constant_is_exact():
    for rho in (0.5, 0.9, 0.99, 0.999):
        s = ema(np.full(300, -2.5), rho)
        t = np.arange(1, 301)
        np.testing.assert_allclose(bias_corrected(s, t, rho), -2.5,
                                   rtol=1e-12)
        assert abs(s[0] + 2.5) > 1.0  # the uncorrected EMA is not


def mean_s_t(mu, sigma, rho, t, n, rng):
    """Monte Carlo mean of s_t over n runs, and its standard error."""
    g = mu + sigma * rng.standard_normal((t, n))
    s = ema(g, rho)[-1]
    # Var s_t = (1 - rho)^2 sum rho^(2k) sigma^2 (independent g's)
    var = (1 - rho) / (1 + rho) * (1 - rho ** (2 * t)) * sigma ** 2
    return s.mean(), np.sqrt(var / n)


@pytest.mark.parametrize("rho,t", [(0.9, 1), (0.9, 5), (0.99, 20),
                                   (0.999, 10)])
def test_adam_bias_monte_carlo(rho, t):
    # eq:adam-bias: E[s_t] = (1 - rho^t) E[g], to within 5 standard
    # errors; and the gap to E[g] is far larger than that.
    mu, sigma, n = 1.5, 2.0, 200_000
    rng = np.random.default_rng(t)
    m, se = mean_s_t(mu, sigma, rho, t, n, rng)
    assert abs(m - (1 - rho ** t) * mu) <= 5 * se
    assert abs(m - mu) > 50 * se
    assert abs(bias_corrected(m, t, rho) - mu) <= 5 * se / (1 - rho ** t)


# ---------------------------------------------------------------------
# random problems with several parameter arrays

SHAPES = {"W": (3, 4), "b": (4,), "s": (), "T": (2, 3, 2)}


class RandomProblem:
    """J = b . vec + 1/(2r) |A vec - y|^2 + c/4 |vec|^4, vec the
    parameter arrays flattened and joined; at step k the gradient gets
    fixed noise z_k added, as a minibatch gradient would (without it,
    r - s * s of centered RMSProp would be a cancellation of rounding
    errors).

    The linear term b is large enough that no gradient component
    changes sign within 200 steps. Where one does while r is small,
    g / sqrt(r) amplifies rounding errors chaotically: torch against
    itself, started 1e-15 apart, then ends percent apart, and no
    comparison at 1e-10 could pass.
    """

    def __init__(self, seed, scale=1.0):
        rng = np.random.default_rng(seed)
        self.scale = scale  # multiplies every gradient
        self.sizes = {k: int(np.prod(s)) for k, s in SHAPES.items()}
        d = sum(self.sizes.values())
        self.A = rng.standard_normal((2 * d, d))
        self.y = rng.standard_normal(2 * d)
        self.b = rng.choice([-1.0, 1.0], d) * rng.uniform(30.0, 60.0, d)
        self.c = 0.001
        self.noise = 5.0 * rng.standard_normal((N_STEPS, d))
        self.params0 = {k: rng.standard_normal(s)
                        for k, s in SHAPES.items()}

    def grads(self, params, k=None):
        flat = np.concatenate([np.ravel(params[k]) for k in SHAPES])
        g = self.A.T @ (self.A @ flat - self.y) / len(self.y)
        g = g + self.b + self.c * (flat @ flat) * flat
        if k is not None:
            g = g + self.noise[k]
        g = self.scale * g
        out, i = {}, 0
        for k, s in SHAPES.items():
            out[k] = g[i:i + self.sizes[k]].reshape(s)
            i += self.sizes[k]
        return out


def run_ours(opt, problem, n_steps=N_STEPS):
    params = {k: v.copy() for k, v in problem.params0.items()}
    trajectory = []
    for k in range(n_steps):
        opt.update(params, problem.grads(params, k))
        trajectory.append({k: v.copy() for k, v in params.items()})
    return trajectory


def run_torch(torch_cls, hp, problem, n_steps=N_STEPS):
    tp = {k: torch.tensor(v, dtype=F64, requires_grad=True)
          for k, v in problem.params0.items()}
    opt = torch_cls(list(tp.values()), **hp)
    trajectory = []
    for i in range(n_steps):
        g = problem.grads({k: p.detach().numpy() for k, p in tp.items()},
                          i)
        for k, p in tp.items():
            p.grad = torch.tensor(g[k], dtype=F64)
        opt.step()
        trajectory.append({k: p.detach().numpy().copy()
                           for k, p in tp.items()})
    return trajectory


def trajectory_rel_err(ours, ref):
    return max(rel_err(a[k], b[k]) for a, b in zip(ours, ref) for k in a)


def maybe(rng, p_zero, low, high):
    return 0.0 if rng.random() < p_zero else float(rng.uniform(low, high))


def log_uniform(rng, low, high):
    return float(10 ** rng.uniform(np.log10(low), np.log10(high)))


def adagrad_hp(rng):
    return dict(lr=float(rng.uniform(0.01, 0.3)),
                lr_decay=maybe(rng, 0.4, 0.001, 0.1),
                weight_decay=maybe(rng, 0.4, 0.001, 0.1),
                initial_accumulator_value=maybe(rng, 0.4, 0.01, 1.0),
                eps=log_uniform(rng, 1e-10, 1e-4))


def rmsprop_hp(rng, centered):
    return dict(lr=log_uniform(rng, 1e-4, 2e-3),
                alpha=float(rng.uniform(0.8, 0.999)),
                eps=log_uniform(rng, 1e-8, 1e-4),
                weight_decay=maybe(rng, 0.4, 0.001, 0.1),
                momentum=maybe(rng, 0.4, 0.1, 0.9), centered=centered)


def adam_hp(rng, amsgrad, weight_decay):
    return dict(lr=log_uniform(rng, 1e-3, 3e-2),
                betas=(float(rng.uniform(0.5, 0.95)),
                       float(rng.uniform(0.9, 0.9999))),
                eps=log_uniform(rng, 1e-8, 1e-4),
                weight_decay=weight_decay, amsgrad=amsgrad)


def check_against_torch(ours_cls, torch_cls, hp, seed):
    problem = RandomProblem(seed)
    ref = run_torch(torch_cls, hp, problem)
    assert trajectory_rel_err(run_ours(ours_cls(**hp), problem),
                              ref) <= TOL
    # and the run did something: the parameters moved
    assert rel_err(ref[-1]["W"], problem.params0["W"]) > 1e-3


@pytest.mark.parametrize("seed", SEEDS)
def test_adagrad_matches_torch(seed):
    hp = adagrad_hp(np.random.default_rng(100 + seed))
    check_against_torch(Adagrad, torch.optim.Adagrad, hp, seed)


@pytest.mark.parametrize("centered", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_rmsprop_matches_torch(seed, centered):
    hp = rmsprop_hp(np.random.default_rng(200 + seed), centered)
    check_against_torch(RMSprop, torch.optim.RMSprop, hp, seed)


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_adam_matches_torch(seed, amsgrad):
    rng = np.random.default_rng(300 + seed)
    hp = adam_hp(rng, amsgrad, maybe(rng, 0.3, 0.001, 0.1))
    check_against_torch(Adam, torch.optim.Adam, hp, seed)


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_adamw_matches_torch(seed, amsgrad):
    rng = np.random.default_rng(400 + seed)
    hp = adam_hp(rng, amsgrad, float(rng.uniform(0.001, 0.1)))
    check_against_torch(AdamW, torch.optim.AdamW, hp, seed)


def test_every_option_is_exercised():
    # the random hyperparameters above switch each option on somewhere
    rng = [np.random.default_rng(100 + s) for s in SEEDS]
    hps = [adagrad_hp(r) for r in rng]
    for key in ("lr_decay", "weight_decay", "initial_accumulator_value"):
        assert any(hp[key] > 0 for hp in hps)
        assert any(hp[key] == 0 for hp in hps)
    hps = [rmsprop_hp(np.random.default_rng(200 + s), False)
           for s in SEEDS]
    for key in ("momentum", "weight_decay"):
        assert any(hp[key] > 0 for hp in hps)
        assert any(hp[key] == 0 for hp in hps)


def test_defaults_are_torchs():
    p = [torch.zeros(1, dtype=F64, requires_grad=True)]
    for ours, theirs in [(Adagrad(), torch.optim.Adagrad(p)),
                         (RMSprop(), torch.optim.RMSprop(p)),
                         (Adam(), torch.optim.Adam(p)),
                         (AdamW(), torch.optim.AdamW(p))]:
        group = theirs.param_groups[0]
        for key, value in vars(ours).items():
            if key != "state":
                assert group[key] == value, (type(ours).__name__, key)


@pytest.mark.parametrize("cls", [Adagrad, RMSprop, Adam, AdamW])
def test_update_in_place_and_state_per_name(cls):
    theta = {"a": np.array([1.0, 2.0]), "b": np.array([[3.0]])}
    ids = {k: id(v) for k, v in theta.items()}
    opt = cls(lr=0.1)
    opt.update(theta, {"a": np.array([1.0, -1.0]), "b": np.array([[2.0]])})
    assert {k: id(v) for k, v in theta.items()} == ids
    # the first step is about lr * sign(g) per coordinate; RMSprop's
    # r_1 = (1 - alpha) g^2 makes it lr / sqrt(1 - alpha) * sign(g)
    step = 0.1 / np.sqrt(1 - 0.99) if cls is RMSprop else 0.1
    decay = 1 - 0.1 * opt.weight_decay  # AdamW only
    np.testing.assert_allclose(
        theta["a"], np.array([1.0, 2.0]) * decay - step * np.array(
            [1.0, -1.0]), rtol=1e-6, atol=1e-6)
    b_before = theta["b"].copy()
    # a parameter without a gradient is left alone, as in torch
    opt.update(theta, {"a": np.array([0.5, 0.5])})
    np.testing.assert_array_equal(theta["b"], b_before)
    assert opt.state["a"]["step"] == 2 and opt.state["b"]["step"] == 1


@pytest.mark.parametrize("cls,torch_cls,kwargs", [
    (Adagrad, torch.optim.Adagrad, dict(lr=-0.1)),
    (Adagrad, torch.optim.Adagrad, dict(lr_decay=-0.1)),
    (Adagrad, torch.optim.Adagrad, dict(initial_accumulator_value=-1.0)),
    (Adagrad, torch.optim.Adagrad, dict(eps=-1e-10)),
    (RMSprop, torch.optim.RMSprop, dict(alpha=-0.5)),
    (RMSprop, torch.optim.RMSprop, dict(momentum=-0.5)),
    (RMSprop, torch.optim.RMSprop, dict(weight_decay=-0.5)),
    (Adam, torch.optim.Adam, dict(betas=(1.0, 0.999))),
    (Adam, torch.optim.Adam, dict(betas=(0.9, -0.1))),
    (Adam, torch.optim.Adam, dict(eps=-1.0)),
    (AdamW, torch.optim.AdamW, dict(weight_decay=-0.01)),
])
def test_rejects_what_torch_rejects(cls, torch_cls, kwargs):
    p = torch.zeros(1, dtype=F64, requires_grad=True)
    with pytest.raises(ValueError):
        torch_cls([p], **kwargs)
    with pytest.raises(ValueError):
        cls(**kwargs)


# ---------------------------------------------------------------------
# where delta sits, and L2 versus decoupled weight decay

class RMSpropDeltaInside(RMSprop):
    """GBC's Algorithm 8.5: theta -= lr g / sqrt(delta + r)."""

    def update(self, params, grads):
        for name, g in grads.items():
            st = self.state.setdefault(
                name, {"step": 0, "square_avg": np.zeros_like(g)})
            st["step"] += 1
            r = st["square_avg"] = (self.alpha * st["square_avg"]
                                    + (1 - self.alpha) * g * g)
            params[name] -= self.lr * g / np.sqrt(self.eps + r)


class AdamDeltaBeforeCorrection(Adam):
    """delta added to sqrt(r) before r is bias-corrected:
    theta -= lr s_hat / ((sqrt(r) + delta) / sqrt(1 - rho_2^t))."""

    def update(self, params, grads):
        rho1, rho2 = self.betas
        for name, g in grads.items():
            st = self.state.setdefault(name, {
                "step": 0, "exp_avg": np.zeros_like(g),
                "exp_avg_sq": np.zeros_like(g)})
            t = st["step"] = st["step"] + 1
            s = st["exp_avg"] = rho1 * st["exp_avg"] + (1 - rho1) * g
            r = st["exp_avg_sq"] = (rho2 * st["exp_avg_sq"]
                                    + (1 - rho2) * g * g)
            denom = (np.sqrt(r) + self.eps) / np.sqrt(1 - rho2 ** t)
            params[name] -= self.lr * s / (1 - rho1 ** t) / denom


@pytest.mark.parametrize("seed", range(3))
def test_delta_inside_the_root_is_not_torchs_rmsprop(seed):
    # gradients of order 1e-3 and torch's default delta = 1e-8
    problem = RandomProblem(seed, scale=1e-4)
    hp = dict(lr=1e-3, alpha=0.99, eps=1e-8)
    ref = run_torch(torch.optim.RMSprop, hp, problem)
    assert trajectory_rel_err(run_ours(RMSprop(**hp), problem),
                              ref) <= TOL
    wrong = run_ours(RMSpropDeltaInside(**hp), problem)
    assert trajectory_rel_err(wrong, ref) > 1e-6


@pytest.mark.parametrize("seed", range(3))
def test_delta_before_bias_correction_is_not_torchs_adam(seed):
    problem = RandomProblem(seed, scale=1e-4)
    hp = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    ref = run_torch(torch.optim.Adam, hp, problem)
    assert trajectory_rel_err(run_ours(Adam(**hp), problem), ref) <= TOL
    wrong = run_ours(AdamDeltaBeforeCorrection(**hp), problem)
    assert trajectory_rel_err(wrong, ref) > 1e-6


@pytest.mark.parametrize("seed", range(3))
def test_l2_in_adam_is_not_adamw(seed):
    problem = RandomProblem(seed)
    hp = dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05)
    adamw_ref = run_torch(torch.optim.AdamW, hp, problem)
    adam_ref = run_torch(torch.optim.Adam, hp, problem)
    assert trajectory_rel_err(run_ours(Adam(**hp), problem),
                              adamw_ref) > 1e-3
    assert trajectory_rel_err(run_ours(AdamW(**hp), problem),
                              adam_ref) > 1e-3


def decay_effect(cls, sigma, n_steps=100, lam=0.1, lr=1e-3):
    """theta(lam) - theta(0) after n_steps from theta = 1, when the loss
    gradient is zero-mean noise of scale sigma (one coordinate per
    entry); both runs see the same noise."""
    out = []
    for wd in (lam, 0.0):
        rng = np.random.default_rng(0)
        params = {"theta": np.ones_like(sigma)}
        opt = cls(lr=lr, weight_decay=wd)
        for _ in range(n_steps):
            g = sigma * rng.standard_normal(sigma.shape)
            opt.update(params, {"theta": g})
        out.append(params["theta"])
    return out[0] - out[1]


def test_l2_in_adam_decays_large_gradient_coordinates_less():
    # The chapter's claim (Loshchilov & Hutter): with eq:l2-in-adam the
    # decay lambda theta is divided by sqrt(r_hat), so a coordinate with
    # large gradients is hardly decayed; AdamW decays all alike.
    sigma = np.array([0.01, 10.0])   # small and large gradients
    l2 = decay_effect(Adam, sigma)
    decoupled = decay_effect(AdamW, sigma)
    assert np.all(l2 < 0) and np.all(decoupled < 0)
    assert abs(l2[1]) < 0.05 * abs(l2[0])
    assert 0.5 < decoupled[1] / decoupled[0] < 2.0


# ---------------------------------------------------------------------
# comparison

def test_paths_on_both_problems():
    for f, theta0, lrs, n in [
            (ELONGATED, ELONGATED_THETA0, ELONGATED_LRS, ELONGATED_STEPS),
            (ROSENBROCK, ROSENBROCK_THETA0, ROSENBROCK_LRS,
             ROSENBROCK_STEPS)]:
        paths = adaptive_paths(f.grad, theta0, lrs, n)
        assert list(paths) == list(METHODS)
        J0 = f.loss(np.array(theta0))
        for name, path in paths.items():
            assert path.shape == (n + 1, 2)
            np.testing.assert_array_equal(path[0], theta0)
            assert f.loss(path[-1]) < 0.01 * J0, name


def test_elongated_is_x2_over_20_plus_y2():
    x, y = 3.0, -2.0
    assert np.isclose(ELONGATED.loss(np.array([x, y])), x ** 2 / 20 + y ** 2)


def test_grid_search_picks_interior_rates():
    # the grid brackets each choice: neither its smallest nor largest
    for method in METHODS:
        lr, final = best_lr(method)
        assert LR_GRID[method][0] < lr < LR_GRID[method][-1], method
        assert final < 0.05


def test_comparison_table_is_deterministic():
    a = comparison_table()
    assert a == comparison_table()
    lines = a.splitlines()
    assert len(lines) == 1 + len(METHODS)
    assert [line.split()[0] for line in lines[1:]] == list(METHODS)
