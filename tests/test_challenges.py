"""Chapter 2 (code writer A): ill-conditioning, symmetry, saddles, the
Hessian. Every function against its equation, against finite
differences and against PyTorch (float64 throughout)."""

import itertools
import math

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

from snippets.challenges import (curvature_along_gradient, digits_gd,
                                 flatten, flip_tanh_signs, full_hessian,
                                 gd_contraction, gd_path,
                                 hessian_spectra, hessian_vector_product,
                                 mlp_loss_fn, n_equivalent, newton_path,
                                 newton_step, optimal_step,
                                 permute_hidden_units, predicted_change,
                                 rescale_relu_unit, saddle_function,
                                 saddle_grad, saddle_hessian, step_hurts,
                                 steps_to_tolerance, track_curvature)
from snippets.data import load_digits_split
from snippets.models import forward, init_mlp, loss_and_grad
from snippets.models import loss as mlp_loss
from snippets.problems import Quadratic, Rosenbrock

F64 = torch.float64


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny tensors: extra threads only fight each other (and numpy)."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        yield
    torch.set_num_threads(n)


def rel_err(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


def random_spd(rng, d, lam_min=0.1, lam_max=5.0):
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = np.geomspace(lam_min, lam_max, d)
    H = (Q * lam) @ Q.T
    return 0.5 * (H + H.T)


# ---------------------------------------------------------------------
# eq:taylor-step, eq:step-hurts, eq:optimal-step

@pytest.mark.parametrize("seed", range(5))
def test_taylor_step_is_exact_on_a_quadratic(seed):
    # J = 1/2 theta^T H theta + b^T theta has no third derivative: the
    # second-order Taylor series is J itself, so eq:taylor-step is exact
    # for every eps, including steps that hurt.
    rng = np.random.default_rng(seed)
    d = 6
    H = random_spd(rng, d)
    if seed % 2:  # an indefinite H as well
        H = H - 2.0 * np.eye(d)
    b = rng.standard_normal(d)

    def J(theta):
        return 0.5 * theta @ H @ theta + b @ theta
    theta0 = rng.standard_normal(d)
    g = H @ theta0 + b
    for eps in (1e-3, 0.1, 0.7, 3.0, 20.0):
        exact = J(theta0 - eps * g) - J(theta0)
        assert math.isclose(predicted_change(g, H, eps), exact,
                            rel_tol=1e-10, abs_tol=1e-12)
        assert step_hurts(g, H, eps) == (exact > 0)


def test_step_hurts_beyond_twice_the_optimal_step():
    rng = np.random.default_rng(0)
    H = random_spd(rng, 5)
    g = rng.standard_normal(5)
    eps_star = optimal_step(g, H)
    # eq:step-hurts <=> eps > 2 g^T g / g^T H g = 2 eps*
    for factor, hurts in ((0.5, False), (1.0, False), (1.99, False),
                          (2.01, True), (5.0, True)):
        assert step_hurts(g, H, factor * eps_star) == hurts
        assert (predicted_change(g, H, factor * eps_star) > 0) == hurts


def test_taylor_step_error_is_third_order_on_rosenbrock():
    # Away from quadratics the prediction is only second-order
    # accurate: halving eps divides the error by 2^3.
    r = Rosenbrock()
    theta0 = np.array([-0.5, 0.8])
    g, H = r.grad(theta0), r.hessian(theta0)
    errors = []
    for eps in (1e-3, 5e-4, 2.5e-4):
        exact = r.loss(theta0 - eps * g) - r.loss(theta0)
        errors.append(abs(predicted_change(g, H, eps) - exact))
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    np.testing.assert_allclose(ratios, 8.0, rtol=0.05)


@pytest.mark.parametrize("seed", range(4))
def test_optimal_step_minimizes_the_quadratic_along_the_gradient(seed):
    rng = np.random.default_rng(seed)
    q = Quadratic(random_spd(rng, 4), rng.standard_normal(4))
    theta0 = rng.standard_normal(4)
    g = q.grad(theta0)
    eps_star = optimal_step(g, q.H)
    # a fine line search along -g
    eps = np.linspace(0.0, 3.0 * eps_star, 300_001)
    losses = q.loss(theta0[None, :] - eps[:, None] * g[None, :])
    eps_best = eps[np.argmin(losses)]
    assert abs(eps_best - eps_star) <= eps[1] - eps[0]
    # the decrease it buys: -(g^T g)^2 / (2 g^T H g)
    gHg = g @ q.H @ g
    assert math.isclose(q.loss(theta0 - eps_star * g) - q.loss(theta0),
                        -(g @ g) ** 2 / (2 * gHg), rel_tol=1e-10)
    # the line minimum: the new gradient is orthogonal to g
    assert abs(q.grad(theta0 - eps_star * g) @ g) <= 1e-10 * (g @ g)


def test_optimal_step_without_positive_curvature_is_infinite():
    g = np.array([1.0, 0.0])
    assert optimal_step(g, np.diag([-1.0, 2.0])) == np.inf
    assert optimal_step(g, np.diag([0.0, 2.0])) == np.inf
    # indefinite H, but positive curvature along g: the formula holds
    assert optimal_step(np.array([1.0, 0.1]), np.diag([2.0, -1.0])) == \
        pytest.approx(1.01 / 1.99, rel=1e-14)


# ---------------------------------------------------------------------
# eq:gd-contraction, eq:condition-number, steps against kappa

@pytest.mark.parametrize("seed", range(6))
def test_gd_contraction_is_the_spectral_radius_of_the_iteration(seed):
    # On a quadratic, theta_{k+1} - theta* = (I - eps H)(theta_k -
    # theta*): the rate is the spectral radius of I - eps H.
    rng = np.random.default_rng(seed)
    d = 2 + seed
    H = random_spd(rng, d, lam_min=rng.uniform(0.01, 1.0),
                   lam_max=rng.uniform(1.0, 10.0))
    lam = np.linalg.eigvalsh(H)
    eps, rate = gd_contraction(lam)
    rho = np.max(np.abs(np.linalg.eigvals(np.eye(d) - eps * H)))
    assert math.isclose(rate, rho, rel_tol=1e-12)
    kappa = lam[-1] / lam[0]
    assert math.isclose(rate, (kappa - 1) / (kappa + 1), rel_tol=1e-12)
    # and no other fixed eps does better
    for other in np.linspace(0.01, 2.0 / lam[-1], 400):
        rho_other = np.max(np.abs(np.linalg.eigvals(np.eye(d) - other * H)))
        assert rho_other >= rate * (1 - 1e-12)


def test_gd_contraction_worst_case_is_attained():
    # the rate is exact, not only a bound: both extreme eigen-directions
    # shrink by (kappa - 1) / (kappa + 1), one of them flipping sign
    lam = np.array([0.04, 0.3, 2.0])
    q = Quadratic(np.diag(lam))
    eps, rate = gd_contraction(lam)
    path = gd_path(q.grad, [1.0, 1.0, 1.0], eps, 10)
    np.testing.assert_allclose(path[-1, 0], rate ** 10, rtol=1e-12)
    np.testing.assert_allclose(path[-1, 2], rate ** 10, rtol=1e-12)
    assert np.all(np.sign(path[1:, 2]) == (-1) ** np.arange(1, 11))


@pytest.mark.parametrize("tol", [1e-3, 1e-6])
def test_steps_to_tolerance_matches_closed_form(tol):
    # with the best eps, |theta_k| = rate^k |theta_0| exactly, so the
    # count is ceil(ln tol / ln rate)
    for kappa in (2.0, 10.0, 31.6, 100.0, 1000.0, 1e4):
        _, rate = gd_contraction([1.0 / kappa, 1.0])
        expected = math.ceil(math.log(tol) / math.log(rate))
        assert steps_to_tolerance(kappa, tol) == expected


def test_steps_grow_linearly_in_kappa():
    # ceil(ln(1/tol) / ln((kappa+1)/(kappa-1))), and
    # 1 / ln((kappa+1)/(kappa-1)) = kappa/2 - 1/(6 kappa) + ...:
    # steps ~ kappa/2 ln(1/tol). For kappa >= 10 the 1/(6 kappa) term
    # and the ceil together change the count by at most 1.5 % (at
    # kappa = 10, 69 steps), so over two decades the log-log slope is
    # within log10(1.015) / 2 < 0.004 of 1. A band of +-0.01 leaves
    # room, and excludes e.g. sqrt(kappa) (slope 0.5) or kappa^2.
    kappas = np.geomspace(10.0, 1000.0, 9)
    steps = [steps_to_tolerance(kappa, 1e-6) for kappa in kappas]
    slope = np.polyfit(np.log(kappas), np.log(steps), 1)[0]
    assert 0.99 <= slope <= 1.01
    np.testing.assert_allclose(np.array(steps) / kappas,
                               0.5 * np.log(1e6), rtol=0.02)


def test_figure_settings_zigzag():
    from snippets.figures import challenges_zigzag as fz
    from snippets.problems import ill_conditioned_quadratic
    dist = {}
    for kappa in fz.KAPPAS:
        q = ill_conditioned_quadratic(kappa, angle=np.deg2rad(fz.ANGLE))
        eps, rate = gd_contraction(q.eigenvalues)
        path = gd_path(q.grad, fz.THETA0, eps, fz.N_STEPS)
        d = np.linalg.norm(path, axis=1)
        np.testing.assert_allclose(d[1:] / d[:-1], rate, rtol=1e-10)
        dist[kappa] = d[-1] / d[0]
        # the steep component flips sign at every step: a zigzag
        steep = path @ np.linalg.eigh(q.H)[1][:, -1]
        assert np.all(steep[1:] * steep[:-1] < 0)
        # every iterate stays inside the drawn frame
        assert np.all((path[:, 0] > fz.XLIM[0]) & (path[:, 0] < fz.XLIM[1]))
        assert np.all((path[:, 1] > fz.YLIM[0]) & (path[:, 1] < fz.YLIM[1]))
    small, large = fz.KAPPAS
    assert dist[small] < 1e-4 and dist[large] > 0.2


# ---------------------------------------------------------------------
# eq:hessian-vector-product

SIZES = [64, 3, 10]  # 235 parameters


@pytest.fixture(scope="module")
def digits():
    X, y, _, _ = load_digits_split()
    return X[:300], y[:300]


@pytest.fixture(scope="module")
def mlp_point(digits):
    params = init_mlp(SIZES, np.random.default_rng(0), activation="tanh")
    return params, flatten(params)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_torch_loss_is_the_numpy_mlp(digits, activation):
    X, y = digits
    params = init_mlp(SIZES, np.random.default_rng(1), activation)
    loss_fn = mlp_loss_fn(SIZES, X, y, activation)
    theta = torch.tensor(flatten(params), dtype=F64, requires_grad=True)
    J = loss_fn(theta)
    J.backward()
    J_np, grads = loss_and_grad(params, X, y, activation)
    assert math.isclose(J.item(), J_np, rel_tol=1e-12)
    assert rel_err(theta.grad.numpy(), flatten(grads)) <= 1e-10


def numpy_grad(theta, params_like, X, y):
    """The NumPy MLP's gradient at a flat theta (laid out by flatten)."""
    params, i = {}, 0
    for name, p in params_like.items():
        params[name] = theta[i:i + p.size].reshape(p.shape)
        i += p.size
    return flatten(loss_and_grad(params, X, y, "tanh")[1])


@pytest.mark.parametrize("seed", range(3))
def test_hvp_matches_finite_differences_of_the_gradient(digits, mlp_point,
                                                        seed):
    # H v = lim (grad J(theta + h v) - grad J(theta - h v)) / (2 h);
    # the gradients here come from the NumPy backprop, not from torch.
    # With |v| = 1, central differences err by O(h^2) + O(rounding / h),
    # a few 1e-9 at h = 1e-5 (relative).
    X, y = digits
    params, theta = mlp_point
    v = np.random.default_rng(seed).standard_normal(theta.size)
    v /= np.linalg.norm(v)
    Hv = hessian_vector_product(mlp_loss_fn(SIZES, X, y),
                                torch.tensor(theta), torch.tensor(v))

    def fd(h):
        return (numpy_grad(theta + h * v, params, X, y)
                - numpy_grad(theta - h * v, params, X, y)) / (2 * h)
    assert rel_err(Hv.numpy(), fd(1e-5)) <= 1e-7
    # the gap is the h^2 truncation error of the differences, which
    # means H v is their limit: 10x smaller h, 100x smaller gap
    gaps = [rel_err(Hv.numpy(), fd(h)) for h in (1e-3, 1e-4)]
    assert 80 < gaps[0] / gaps[1] < 120
    assert np.linalg.norm(Hv.numpy()) > 1e-2  # not a trivially small H v


def test_hvp_matches_the_explicit_hessian(digits, mlp_point):
    X, y = digits
    _, theta = mlp_point
    loss_fn = mlp_loss_fn(SIZES, X, y)
    t = torch.tensor(theta)
    H = torch.autograd.functional.hessian(loss_fn, t)
    rng = np.random.default_rng(0)
    for _ in range(3):
        v = torch.tensor(rng.standard_normal(theta.size))
        assert rel_err(hessian_vector_product(loss_fn, t, v).numpy(),
                       (H @ v).numpy()) <= 1e-12
    # full_hessian is the same matrix, column by column H e_i
    np.testing.assert_allclose(full_hessian(loss_fn, theta).numpy(),
                               H.numpy(), rtol=0, atol=1e-13)
    for i in (0, 100, theta.size - 1):
        e = torch.zeros(theta.size, dtype=F64)
        e[i] = 1.0
        assert rel_err(hessian_vector_product(loss_fn, t, e).numpy(),
                       H[:, i].numpy()) <= 1e-12


def test_hvp_on_a_quadratic_is_the_matrix_product():
    rng = np.random.default_rng(3)
    A = torch.tensor(random_spd(rng, 7))
    v = torch.tensor(rng.standard_normal(7))
    theta = torch.tensor(rng.standard_normal(7))
    Hv = hessian_vector_product(lambda t: 0.5 * t @ A @ t, theta, v)
    assert rel_err(Hv.numpy(), (A @ v).numpy()) <= 1e-14
    assert not theta.requires_grad  # the caller's tensor is untouched


def test_curvature_along_gradient(digits, mlp_point):
    X, y = digits
    params, theta = mlp_point
    loss_fn = mlp_loss_fn(SIZES, X, y)
    gTg, gTHg = curvature_along_gradient(loss_fn, torch.tensor(theta))
    g = flatten(loss_and_grad(params, X, y, "tanh")[1])
    H = torch.autograd.functional.hessian(loss_fn, torch.tensor(theta))
    assert math.isclose(gTg, g @ g, rel_tol=1e-12)
    assert math.isclose(gTHg, g @ H.numpy() @ g, rel_tol=1e-10)


def test_digits_gd_is_full_batch_gradient_descent():
    steps = list(itertools.islice(
        ((k, flatten(p), J, flatten(g)) for k, p, J, g in
         digits_gd(0.3, 3, hidden=2)), 4))
    assert [s[0] for s in steps] == [0, 1, 2, 3]
    for (_, th0, _, g0), (_, th1, _, _) in zip(steps, steps[1:]):
        np.testing.assert_allclose(th1, th0 - 0.3 * g0, rtol=1e-14)
    X, y, _, _ = load_digits_split()
    params = init_mlp([64, 2, 10], np.random.default_rng(0), "tanh")
    assert steps[0][2] == mlp_loss(params, X, y, "tanh")


def test_figure_settings_gradient_norm_grows_while_loss_falls():
    """What the figure and the chapter claim, on the figure's run."""
    from snippets.figures import challenges_gradient_norm as fg
    r = track_curvature(fg.EPS, fg.N_STEPS, fg.HIDDEN, seed=fg.SEED,
                        every=fg.EVERY)
    J, g_norm = r["J"], r["g_norm"]
    assert len(J) == fg.N_STEPS + 1
    np.testing.assert_allclose(r["gTg"], g_norm[r["k"]] ** 2, rtol=1e-10)
    # Where g^T H g first reaches half the boundary of eq:step-hurts,
    # (2 / eps) g^T g, gradient descent stops settling down:
    ratio = fg.EPS * r["gTHg"] / (2 * r["gTg"])
    k_star = r["k"][np.argmax(ratio > 0.5)]
    assert 0 < k_star < fg.N_STEPS / 2
    # ... from then on the ratio stays near 1: each step is close to
    # the largest that still helps ...
    after = r["k"] >= k_star
    assert np.all((ratio[after] > 0.6) & (ratio[after] < 1.1))
    # ... before, the curvature along g was negligible
    assert np.all(ratio[~after] < 0.1)
    # The loss falls and the gradient norm grows (means over windows of
    # 500 steps: after k_star, J goes up at every other step).
    win = 500
    J_win = J[:-1].reshape(-1, win).mean(axis=1)
    g_win = g_norm[:-1].reshape(-1, win).mean(axis=1)
    assert np.all(np.diff(J_win) < 0)
    first = k_star // win + 1
    assert np.all(np.diff(g_win[first:]) > 0)
    assert g_norm[-1] > 20 * g_norm.min()
    assert J[-1] < J[k_star] - 0.1
    # g^T H g grows much more than g^T g: the ratio by > 100x
    curv = r["gTHg"] / r["gTg"]
    assert curv[-1] > 100 * curv[r["k"] == 400][0]


# ---------------------------------------------------------------------
# weight-space symmetry, eq:symmetry-count

def logits(params, X, activation):
    return forward(params, X, activation)[0]


@pytest.fixture(scope="module")
def two_layer_nets(digits):
    X, _ = digits
    rng = np.random.default_rng(5)
    nets = {}
    for activation in ("tanh", "relu"):
        params = init_mlp([64, 7, 5, 10], rng, activation)
        for name in params:  # non-zero biases: they must move too
            if name.startswith("b"):
                params[name] = 0.3 * rng.standard_normal(params[name].shape)
        nets[activation] = params
    return nets


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("l", [1, 2])
def test_permuting_hidden_units_keeps_the_loss(digits, two_layer_nets,
                                               activation, l):
    X, y = digits
    params = two_layer_nets[activation]
    before = {k: v.copy() for k, v in params.items()}
    rng = np.random.default_rng(l)
    for _ in range(5):
        perm = rng.permutation(params[f"b{l}"].size)
        new = permute_hidden_units(params, perm, l=l)
        assert abs(mlp_loss(new, X, y, activation)
                   - mlp_loss(params, X, y, activation)) <= 1e-12
        assert rel_err(logits(new, X, activation),
                       logits(params, X, activation)) <= 1e-12
        assert not np.array_equal(new[f"W{l}"], params[f"W{l}"])
    for k in params:  # the input is left alone
        np.testing.assert_array_equal(params[k], before[k])


def test_a_half_done_permutation_changes_the_loss(digits, two_layer_nets):
    # the test above has teeth: permuting W1 and b1 but not the rows of
    # W2 is a different network
    X, y = digits
    params = two_layer_nets["tanh"]
    perm = np.roll(np.arange(7), 1)
    wrong = dict(params, W1=params["W1"][:, perm], b1=params["b1"][perm])
    assert abs(mlp_loss(wrong, X, y, "tanh")
               - mlp_loss(params, X, y, "tanh")) > 1e-3


@pytest.mark.parametrize("l", [1, 2])
def test_tanh_sign_flips_keep_the_loss(digits, two_layer_nets, l):
    X, y = digits
    rng = np.random.default_rng(10 + l)
    for activation, same in (("tanh", True), ("relu", False)):
        params = two_layer_nets[activation]
        n = params[f"b{l}"].size
        signs = rng.choice([-1.0, 1.0], size=n)
        signs[0] = -1.0
        new = flip_tanh_signs(params, signs, l=l)
        diff = abs(mlp_loss(new, X, y, activation)
                   - mlp_loss(params, X, y, activation))
        # tanh is odd; relu is not (relu(-z) != -relu(z))
        assert (diff <= 1e-12) if same else (diff > 1e-3)


@pytest.mark.parametrize("l", [1, 2])
def test_relu_rescaling_keeps_the_loss(digits, two_layer_nets, l):
    X, y = digits
    params = two_layer_nets["relu"]
    J = mlp_loss(params, X, y, "relu")
    new = params
    for i, c in ((0, 3.0), (1, 0.01), (2, 170.0), (0, 0.5)):
        new = rescale_relu_unit(new, i, c, l=l)
        assert abs(mlp_loss(new, X, y, "relu") - J) <= 1e-12
    assert not np.allclose(new[f"W{l}"], params[f"W{l}"])
    # tanh is not positively homogeneous: the same change shows
    tparams = two_layer_nets["tanh"]
    assert abs(mlp_loss(rescale_relu_unit(tparams, 0, 3.0, l=l),
                        X, y, "tanh")
               - mlp_loss(tparams, X, y, "tanh")) > 1e-3
    for c in (0.0, -2.0):
        with pytest.raises(ValueError):
            rescale_relu_unit(params, 0, c, l=l)


def test_n_equivalent_formula():
    assert [n_equivalent(n) for n in range(6)] == [1, 2, 8, 48, 384, 3840]
    for n in range(1, 30):
        assert n_equivalent(n) == n * 2 * n_equivalent(n - 1)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_n_equivalent_by_brute_force(n):
    # A tanh layer of n units with distinct weights: every permutation
    # combined with every sign pattern gives a different parameter
    # vector, all computing the same function.
    rng = np.random.default_rng(n)
    params = init_mlp([5, n, 3], rng, activation="tanh")
    params["b1"] = rng.standard_normal(n)
    X = rng.standard_normal((20, 5))
    out = logits(params, X, "tanh")
    seen = set()
    for perm in itertools.permutations(range(n)):
        for signs in itertools.product([-1.0, 1.0], repeat=n):
            new = flip_tanh_signs(permute_hidden_units(params, list(perm)),
                                  signs)
            assert rel_err(logits(new, X, "tanh"), out) <= 1e-13
            seen.add(tuple(np.round(flatten(new), 12)))
    assert len(seen) == n_equivalent(n)
    # the set is closed: transforming a member again gives a member
    member = flip_tanh_signs(permute_hidden_units(
        params, np.roll(np.arange(n), 1)), -np.ones(n))
    again = permute_hidden_units(member, np.arange(n)[::-1])
    assert tuple(np.round(flatten(again), 12)) in seen


# ---------------------------------------------------------------------
# eq:saddle-function, eq:newton-step

def torch_saddle(theta):
    return 0.5 * theta[0] ** 2 - 0.5 * theta[1] ** 2 + 0.25 * theta[1] ** 4


def test_saddle_derivatives_match_autograd():
    rng = np.random.default_rng(0)
    for theta in rng.uniform(-2, 2, size=(10, 2)):
        t = torch.tensor(theta, requires_grad=True)
        J = torch_saddle(t)
        g, = torch.autograd.grad(J, t)
        H = torch.autograd.functional.hessian(torch_saddle,
                                              torch.tensor(theta))
        assert math.isclose(saddle_function(theta), J.item(),
                            rel_tol=1e-14, abs_tol=1e-15)
        np.testing.assert_allclose(saddle_grad(theta), g.numpy(),
                                   rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(saddle_hessian(theta), H.numpy(),
                                   rtol=1e-14, atol=1e-15)
    grid = rng.uniform(-2, 2, size=(4, 3, 2))  # batch dimensions
    assert saddle_function(grid).shape == (4, 3)
    assert saddle_grad(grid).shape == (4, 3, 2)
    np.testing.assert_allclose(saddle_grad(grid)[1, 2],
                               saddle_grad(grid[1, 2]))


def test_critical_points_of_the_saddle_function():
    origin = np.zeros(2)
    np.testing.assert_array_equal(saddle_grad(origin), [0.0, 0.0])
    lam = np.linalg.eigvalsh(saddle_hessian(origin))
    np.testing.assert_array_equal(lam, [-1.0, 1.0])  # mixed sign
    for t2 in (1.0, -1.0):
        minimum = np.array([0.0, t2])
        np.testing.assert_array_equal(saddle_grad(minimum), [0.0, 0.0])
        assert np.all(np.linalg.eigvalsh(saddle_hessian(minimum)) > 0)
        assert saddle_function(minimum) == -0.25
    # theta_2 curvature -1 + 3 theta_2^2 changes sign at 1/sqrt(3)
    for t2, sign in ((0.57, -1), (0.58, 1)):
        assert np.sign(saddle_hessian([0.0, t2])[1, 1]) == sign


@pytest.mark.parametrize("theta0", [(1.0, 1e-3), (-1.5, -1e-3),
                                    (0.3, 1e-8), (1.5, 0.1)])
def test_gradient_descent_escapes_the_saddle(theta0):
    eps = 0.1
    path = gd_path(saddle_grad, theta0, eps, 400)
    target = np.array([0.0, np.sign(theta0[1])])
    assert np.linalg.norm(path[-1] - target) < 1e-8
    # near the axis |theta_2| grows by about (1 + eps) per step
    np.testing.assert_allclose(path[1, 1] / path[0, 1],
                               1 + eps - eps * theta0[1] ** 2)


def test_gradient_descent_exactly_on_the_axis_stays_there():
    path = gd_path(saddle_grad, (1.0, 0.0), 0.1, 400)
    assert np.all(path[:, 1] == 0.0)
    assert np.linalg.norm(path[-1]) < 1e-15  # it converges to the saddle


def newton_map(t2):
    # one eq:newton-step in theta_2 alone:
    # t - (t^3 - t) / (3 t^2 - 1) = 2 t^3 / (3 t^2 - 1)
    return 2 * t2 ** 3 / (3 * t2 ** 2 - 1)


@pytest.mark.parametrize("t2", [0.01, 0.1, 0.3, 0.44, -0.2, -0.44])
def test_newton_converges_to_the_saddle(t2):
    # |theta_2| < 1/sqrt(5): |2 t^3 / (3 t^2 - 1)| < |t|, so theta_2
    # shrinks at every step (cubically); theta_1 is exact at once.
    path = newton_path(saddle_grad, saddle_hessian, (1.7, t2), 12)
    assert path[1, 0] == 0.0
    # (the step subtracts nearly equal numbers: compare on |t2|'s scale)
    assert abs(path[1, 1] - newton_map(t2)) <= 1e-14 * abs(t2)
    assert np.all(np.abs(path[1:, 1]) < np.abs(path[:-1, 1]) + 1e-300)
    assert np.linalg.norm(path[-1]) < 1e-12


@pytest.mark.parametrize("t2", [0.46, 0.5, 0.55, -0.5])
def test_newton_beyond_one_over_sqrt5_overshoots_to_a_minimum(t2):
    # 1/sqrt(5) < |theta_2| < 1/sqrt(3): the curvature is still
    # negative and the step still points at the saddle (against the
    # descent direction), but it overshoots it, and the iterates end at
    # a minimum after all.
    assert 1 / math.sqrt(5) < abs(t2) < 1 / math.sqrt(3)
    theta = np.array([0.4, t2])
    step = newton_step(theta, saddle_grad, saddle_hessian) - theta
    assert np.sign(step[1]) == -np.sign(t2)
    assert np.sign(-saddle_grad(theta)[1]) == np.sign(t2)
    path = newton_path(saddle_grad, saddle_hessian, theta, 30)
    assert abs(abs(path[-1, 1]) - 1.0) < 1e-12
    # and the boundary itself is a 2-cycle: 1/sqrt(5) <-> -1/sqrt(5)
    r5 = 1 / math.sqrt(5)
    assert math.isclose(newton_map(r5), -r5, rel_tol=1e-13)


def test_newton_step_jumps_to_the_critical_point_of_a_quadratic():
    rng = np.random.default_rng(2)
    H = random_spd(rng, 4) - 1.0 * np.eye(4)  # indefinite
    assert np.linalg.eigvalsh(H)[0] < 0 < np.linalg.eigvalsh(H)[-1]
    q = Quadratic(H, rng.standard_normal(4))
    theta = newton_step(rng.standard_normal(4), q.grad, q.hessian)
    np.testing.assert_allclose(theta, q.theta_star, rtol=1e-12)


def test_figure_settings_saddle():
    from snippets.figures import challenges_saddle as fs
    assert abs(fs.THETA0[1]) < 1 / math.sqrt(5)
    gd = gd_path(saddle_grad, fs.THETA0, fs.EPS, fs.N_GD)
    newton = newton_path(saddle_grad, saddle_hessian, fs.THETA0,
                         fs.N_NEWTON)
    assert np.linalg.norm(gd[-1] - [0.0, 1.0]) < 1e-2
    assert np.linalg.norm(newton[-1]) < 1e-12
    assert saddle_function(gd[-1]) < -0.2499


# ---------------------------------------------------------------------
# the Hessian spectrum of a small network

def test_full_hessian_is_symmetric_with_real_eigenvalues(digits,
                                                         mlp_point):
    X, y = digits
    _, theta = mlp_point
    H = full_hessian(mlp_loss_fn(SIZES, X, y), theta).numpy()
    assert rel_err(H, H.T) <= 1e-12
    lam = np.linalg.eigvals(H)  # the general routine, for non-symmetric
    assert np.max(np.abs(lam.imag)) <= 1e-10 * np.max(np.abs(lam))
    np.testing.assert_allclose(np.sort(lam.real), np.linalg.eigvalsh(H),
                               atol=1e-10 * np.max(np.abs(lam)))


def test_figure_settings_hessian_spectrum():
    from snippets.figures import challenges_hessian_spectrum as fh
    spectra = hessian_spectra(fh.EPS, fh.CHECKPOINTS, fh.HIDDEN,
                              seed=fh.SEED)
    assert list(spectra) == list(fh.CHECKPOINTS)
    X = load_digits_split().X_train
    n_const = int(np.sum(X.std(axis=0) == 0))  # always-blank pixels
    d = 64 * fh.HIDDEN + fh.HIDDEN + fh.HIDDEN * 10 + 10
    negatives = []
    for k, lam in spectra.items():
        assert lam.shape == (d,) and np.all(np.diff(lam) >= 0)
        scale = np.max(np.abs(lam))
        # exact zeros: the weights out of a blank pixel (n_const times
        # HIDDEN of them) and the directions along which the softmax
        # does not change (a constant added to all logits: one per
        # hidden unit plus the biases): HIDDEN + 1
        # (rounding in eigvalsh is ~1e-16 scale; the next eigenvalue is
        # 1e-13 scale or more)
        assert np.sum(np.abs(lam) <= 1e-14 * scale) == \
            n_const * fh.HIDDEN + fh.HIDDEN + 1
        negatives.append(int(np.sum(lam < -1e-6 * scale)))
    lam0, lam_end = spectra[0], spectra[fh.CHECKPOINTS[-1]]
    # at initialization: a large share of negative eigenvalues, as
    # large in size as the positive ones (the point is a saddle)
    assert negatives[0] > d / 3
    assert lam0[0] < -0.3 * lam0[-1]
    # during training they become fewer and much smaller, but (here)
    # some remain: gradient descent is not at a minimum yet
    assert negatives[0] > negatives[1] > negatives[2] > 0
    assert -1e-3 * lam_end[-1] < lam_end[0] < 0
    assert lam_end[-1] > 2 * lam0[-1]  # the largest curvature grows
