"""Chapter 2, second half: clipping against PyTorch, the cliff, matrix
powers against NumPy and PyTorch, and the mountain.

PyTorch comparisons run in float64. The claims the figures make are
tested on the figures' own parameters (imported from their modules).
"""

import math

import numpy as np
import pytest
import torch

from snippets.challenges_gradients import (Mountain, clip_grad_norm,
                                           cliff_paths, component_growth,
                                           gradient_descent,
                                           matrix_power_eigen, path_length)
from snippets.figures import challenges_clipping as fig_clip
from snippets.figures import challenges_local_global as fig_lg
from snippets.problems import Cliff

F64 = torch.float64
TOL = 1e-12
SHAPES = {"W": (3, 4), "b": (4,), "s": (), "T": (2, 3, 2), "u": (50,)}


def rel_err(a, b):
    """max |a - b| / max |b| (the scale of the reference)."""
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


def random_grads(rng, scale):
    # np.asarray: keep the 0-d gradient an array (scaled in place)
    return {k: np.asarray(scale * rng.standard_normal(s))
            for k, s in SHAPES.items()}


def torch_clip(grads, max_norm):
    """torch.nn.utils.clip_grad_norm_ on copies: (total norm, grads)."""
    params = []
    for g in grads.values():
        p = torch.zeros(g.shape, dtype=F64, requires_grad=True)
        p.grad = torch.tensor(g, dtype=F64)
        params.append(p)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    assert total.dtype == F64
    return float(total), {k: p.grad.numpy()
                          for k, p in zip(grads, params)}


def norm_of(grads):
    return math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))


# ---------------------------------------------------------------------
# eq:clip-by-norm against torch.nn.utils.clip_grad_norm_

def random_case(seed):
    """Gradients whose norm is 1e-3 to 1e3 times the threshold v."""
    rng = np.random.default_rng(seed)
    v = float(10 ** rng.uniform(-2, 2))
    grads = random_grads(rng, 1.0)
    ratio = 10 ** rng.uniform(-3, 3)
    grads = {k: np.asarray(g * (ratio * v / norm_of(grads)))
             for k, g in grads.items()}
    return grads, v


@pytest.mark.parametrize("seed", range(200))
def test_clip_grad_norm_matches_torch(seed):
    grads, v = random_case(seed)
    ref_total, ref = torch_clip(grads, v)
    ours = {k: g.copy() for k, g in grads.items()}
    total = clip_grad_norm(ours, v)
    # the same total norm; the summation order inside torch's norm is
    # its own, so the two may differ in the last bit, never more
    assert abs(total - ref_total) <= 2 * np.spacing(ref_total)
    for k in grads:
        assert ours[k].shape == grads[k].shape
        assert rel_err(ours[k], ref[k]) <= TOL


def test_random_cases_cover_both_sides_of_the_threshold():
    ratios = []
    for seed in range(200):
        grads, v = random_case(seed)
        ratios.append(norm_of(grads) / v)
    assert sum(r > 1 for r in ratios) >= 60
    assert sum(r < 1 for r in ratios) >= 60


@pytest.mark.parametrize("seed", range(20))
def test_coefficient_is_bit_for_bit_torch(seed):
    # Given the same total norm, torch's scaling step
    # (clip_grads_with_norm_) and ours produce identical bits.
    grads, v = random_case(seed)
    ours = {k: g.copy() for k, g in grads.items()}
    total = clip_grad_norm(ours, v)
    params = []
    for g in grads.values():
        p = torch.zeros(g.shape, dtype=F64, requires_grad=True)
        p.grad = torch.tensor(g, dtype=F64)
        params.append(p)
    torch.nn.utils.clip_grads_with_norm_(
        params, v, torch.tensor(total, dtype=F64))
    for k, p in zip(grads, params):
        np.testing.assert_array_equal(ours[k], p.grad.numpy())


def test_clip_grad_norm_edge_cases_match_torch():
    v = 2.0
    direction = {"a": np.array([3.0, 4.0]), "b": np.array([[0.0]])}
    cases = {
        "zero": 0.0,            # v / (0 + 1e-6) clamps to 1: no 0 / 0
        "exactly v": v,         # already scaled, by v / (v + 1e-6)
        "just below v": v - 5e-7,   # still scaled: within 1e-6 of v
        "below v": v - 2e-6,    # coefficient clamps to 1: unchanged
    }
    for name, norm in cases.items():
        grads = {k: g * (norm / 5.0) for k, g in direction.items()}
        ref_total, ref = torch_clip(grads, v)
        ours = {k: g.copy() for k, g in grads.items()}
        total = clip_grad_norm(ours, v)
        assert abs(total - ref_total) <= 4 * np.spacing(max(ref_total, 1))
        for k in ours:
            np.testing.assert_allclose(ours[k], ref[k], rtol=TOL, atol=0)
            assert np.all(np.isfinite(ours[k])), name
        changed = any(np.any(ours[k] != grads[k]) for k in ours)
        assert changed == (name in ("exactly v", "just below v")), name
    # no gradients at all: nothing to clip, norm 0 (as torch)
    assert clip_grad_norm({}, v) == 0.0
    assert float(torch.nn.utils.clip_grad_norm_([], v)) == 0.0


def test_clip_grad_norm_is_eq_clip_by_norm_up_to_the_1e6():
    rng = np.random.default_rng(0)
    v = 1.5
    grads = random_grads(rng, 3.0)
    before = {k: g.copy() for k, g in grads.items()}
    ids = {k: id(g) for k, g in grads.items()}
    norm = clip_grad_norm(grads, v)
    assert norm > v
    assert math.isclose(norm, norm_of(before), rel_tol=1e-14)
    assert {k: id(g) for k, g in grads.items()} == ids  # in place
    for k in grads:
        # the same direction, v / |g| times as long (eq:clip-by-norm),
        # exactly as long as v |g| / (|g| + 1e-6)
        np.testing.assert_allclose(grads[k], v / norm * before[k],
                                   rtol=1e-6 / norm * 1.01)
        np.testing.assert_allclose(grads[k],
                                   v / (norm + 1e-6) * before[k],
                                   rtol=1e-15)
    assert math.isclose(norm_of(grads), v * norm / (norm + 1e-6),
                        rel_tol=1e-14)
    assert norm_of(grads) < v


# Plausible mistakes, and how far each is from torch.

def clip_without_eps(grads, max_norm):
    total = norm_of(grads)
    coef = min(max_norm / total, 1.0)
    for g in grads.values():
        g *= coef
    return total


def clip_without_clamp(grads, max_norm):
    total = norm_of(grads)
    coef = max_norm / (total + 1e-6)
    for g in grads.values():
        g *= coef
    return total


@pytest.mark.parametrize("seed", range(40))
def test_comparison_catches_a_missing_eps(seed):
    # Leaving out the 1e-6 changes a clipped gradient by a relative
    # 1e-6 / (|g| + 1e-6): tiny, but above the 1e-12 tolerance for any
    # |g| below 1e6 (here |g| <= 1e5). Unclipped ones agree exactly.
    grads, v = random_case(seed)
    _, ref = torch_clip(grads, v)
    mutant = {k: g.copy() for k, g in grads.items()}
    norm = clip_without_eps(mutant, v)
    err = max(rel_err(mutant[k], ref[k]) for k in grads)
    if norm > v:
        assert norm <= 1e5
        assert err > 10 * TOL
        assert math.isclose(err, 1e-6 / (norm + 1e-6), rel_tol=1e-3)
    else:
        assert err == 0.0


@pytest.mark.parametrize("seed", range(40))
def test_comparison_catches_a_missing_clamp(seed):
    # Without min(., 1) a short gradient is stretched to length ~v.
    grads, v = random_case(seed)
    _, ref = torch_clip(grads, v)
    mutant = {k: g.copy() for k, g in grads.items()}
    norm = clip_without_clamp(mutant, v)
    err = max(rel_err(mutant[k], ref[k]) for k in grads)
    if norm < 0.999 * v:
        assert err > 1e-3
    elif norm > v:
        assert err <= TOL


# ---------------------------------------------------------------------
# The cliff (problems.Cliff) and gradient descent with clipping

def test_cliff_gradient_matches_torch_autograd():
    cliff = Cliff(h=7.0, c=0.5, w=0.3)
    rng = np.random.default_rng(0)
    thetas = np.concatenate([rng.uniform(-3, 3, (40, 2)),
                             rng.uniform([0.5, -1], [0.8, 1], (20, 2))])
    for theta in thetas:
        t = torch.tensor(theta, dtype=F64, requires_grad=True)
        ramp = torch.clamp((t[0] - 0.5) / 0.3, 0.0, 1.0)
        J = 0.5 * torch.sum(t ** 2) + 7.0 * ramp
        J.backward()
        assert math.isclose(cliff.loss(theta), J.item(), rel_tol=1e-14)
        np.testing.assert_allclose(cliff.grad(theta), t.grad.numpy(),
                                   rtol=1e-14)
    # batched, as the figures use it
    G = cliff.grad(thetas.reshape(3, 20, 2))
    np.testing.assert_array_equal(G.reshape(60, 2),
                                  [cliff.grad(t) for t in thetas])
    assert cliff.loss(np.zeros(2)) == 0.0


def test_gradient_descent_without_v_is_plain_and_with_v_clips():
    cliff = Cliff()
    theta0 = np.array([0.3, -2.0])
    path = gradient_descent(cliff.grad, theta0, 0.1, 5)
    np.testing.assert_allclose(path, theta0 * 0.9 ** np.arange(6)[:, None],
                               rtol=1e-15)
    np.testing.assert_array_equal(theta0, [0.3, -2.0])  # untouched
    clipped = gradient_descent(cliff.grad, theta0, 0.1, 1, v=1.0)
    g = cliff.grad(theta0)
    expected = theta0 - 0.1 * g / (np.linalg.norm(g) + 1e-6)
    np.testing.assert_allclose(clipped[1], expected, rtol=1e-15)


@pytest.fixture(scope="module")
def figure_cliff():
    cliff = Cliff(fig_clip.H, fig_clip.C, fig_clip.W)
    paths = cliff_paths(cliff, fig_clip.THETA0, fig_clip.EPS, fig_clip.V,
                        fig_clip.N_STEPS)
    return cliff, paths


def test_gd_is_catapulted_off_the_cliff(figure_cliff):
    cliff, paths = figure_cliff
    path, eps = paths["GD"], fig_clip.EPS
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    k = int(np.argmax(steps))
    theta = path[k]
    # the long step starts on the face and is the closed form
    # theta - eps (theta + h / w e_1)
    assert cliff.c < theta[0] < cliff.c + cliff.w
    jump = theta - eps * (theta + np.array([cliff.h / cliff.w, 0.0]))
    np.testing.assert_allclose(path[k + 1], jump, rtol=1e-14)
    # it is long: 20 times the longest clipped step eps v ...
    assert steps[k] > 20 * eps * fig_clip.V
    # ... and undoes all the progress: J afterwards exceeds J(theta_0)
    J = cliff.loss(path)
    assert J[k + 1] > J[0] > J[k]
    # it is the only such step (on the way back, from 9 away, GD's
    # steps are eps |theta| < 1)
    assert np.sum(steps > 2 * eps * fig_clip.V) == 1


def test_clipped_gd_walks_down_the_cliff(figure_cliff):
    cliff, paths = figure_cliff
    eps, v = fig_clip.EPS, fig_clip.V
    path = paths["clipped"]
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    assert np.all(steps <= eps * v)
    J = cliff.loss(path)
    assert np.all(np.diff(J) <= 0)  # the loss never rises
    assert J[-1] < 1e-4
    assert J[-1] < cliff.loss(paths["GD"][-1]) / 10
    # up to the cliff the two runs are the same: |g| < v on the plateau
    on_plateau = path[:, 0] > cliff.c + cliff.w
    n = int(np.argmin(on_plateau))
    assert n >= 5 and np.all(on_plateau[:n])
    np.testing.assert_array_equal(path[:n + 1], paths["GD"][:n + 1])


def test_every_start_on_the_plateau_lands_on_the_face():
    # Not a lucky start: on the plateau theta_1 shrinks by the factor
    # 1 - eps per step, and (c + w) / c > 1 / (1 - eps), so GD cannot
    # step over the face. Each start gets exactly one catapult; clipped
    # GD never steps farther than eps v and ends near the minimum.
    cliff, eps, v = Cliff(fig_clip.H, fig_clip.C, fig_clip.W), \
        fig_clip.EPS, fig_clip.V
    assert (cliff.c + cliff.w) / cliff.c > 1 / (1 - eps)
    for x in np.linspace(1.25, 4.0, 12):
        for y in np.linspace(-2.5, 2.5, 7):
            paths = cliff_paths(cliff, (x, y), eps, v, 80)
            steps = np.linalg.norm(np.diff(paths["GD"], axis=0), axis=1)
            assert np.sum(steps > 5 * eps * v) == 1
            clipped = paths["clipped"]
            assert np.all(np.linalg.norm(np.diff(clipped, axis=0), axis=1)
                          <= eps * v)
            assert cliff.loss(clipped[-1]) < 1e-3


# ---------------------------------------------------------------------
# eq:matrix-power

def random_diagonalizable(rng, d, complex_pairs):
    """Real W = V diag(lam) V^-1 with |lam| in [0.5, 1.2]; complex_pairs
    of the eigenvalues come as conjugate pairs (rotations)."""
    blocks, lams = [], []
    for _ in range(complex_pairs):
        r, phi = rng.uniform(0.5, 1.2), rng.uniform(0.1, 3.0)
        blocks.append(r * np.array([[np.cos(phi), -np.sin(phi)],
                                    [np.sin(phi), np.cos(phi)]]))
        lams += [r * np.exp(1j * phi), r * np.exp(-1j * phi)]
    n_real = d - 2 * complex_pairs
    real = rng.uniform(0.5, 1.2, n_real) * rng.choice([-1, 1], n_real)
    D = np.zeros((d, d))
    i = 0
    for B in blocks:
        D[i:i + 2, i:i + 2] = B
        i += 2
    D[i:, i:] = np.diag(real)
    S = rng.standard_normal((d, d)) + 2 * np.eye(d)
    return S @ D @ np.linalg.inv(S), np.array(lams + list(real))


@pytest.mark.parametrize("seed", range(10))
def test_matrix_power_eigen_matches_numpy_and_torch(seed):
    rng = np.random.default_rng(seed)
    W, lams = random_diagonalizable(rng, d=6, complex_pairs=seed % 3)
    np.testing.assert_allclose(np.sort_complex(np.linalg.eigvals(W)),
                               np.sort_complex(lams), rtol=1e-9)
    for t in [0, 1, 2, 7, 30, 60]:
        ref = np.linalg.matrix_power(W, t)
        ours = matrix_power_eigen(W, t)
        assert ours.dtype == np.float64
        assert rel_err(ours, ref) <= 1e-10
        ref_torch = torch.linalg.matrix_power(
            torch.tensor(W, dtype=F64), t).numpy()
        assert rel_err(ours, ref_torch) <= 1e-10
    np.testing.assert_allclose(matrix_power_eigen(W, 0), np.eye(6),
                               atol=1e-12)


def test_matrix_power_eigen_of_a_complex_matrix():
    rng = np.random.default_rng(0)
    W = (rng.standard_normal((4, 4))
         + 1j * rng.standard_normal((4, 4))) / 2
    ours = matrix_power_eigen(W, 9)
    assert np.iscomplexobj(ours)
    assert rel_err(ours, np.linalg.matrix_power(W, 9)) <= 1e-10


def test_component_growth_closed_forms():
    lams = np.array([0.5, -0.9, 0.99, 1.0, 1.01, -1.1, 0.6 + 0.8j])
    t = np.arange(0, 301)
    G = component_growth(lams, t)
    assert G.shape == (301, 7)
    np.testing.assert_allclose(G, np.exp(np.outer(t, np.log(np.abs(lams)))),
                               rtol=1e-12)
    np.testing.assert_array_equal(G[0], 1.0)
    # |lam| = 1 (also the complex 0.6 + 0.8i): neither shrinks nor grows
    np.testing.assert_allclose(G[:, [3, 6]], 1.0, rtol=1e-13)
    # monotone: down for |lam| < 1, up for |lam| > 1
    assert np.all(np.diff(G[:, [0, 1, 2]], axis=0) < 0)
    assert np.all(np.diff(G[:, [4, 5]], axis=0) > 0)
    # half-life / doubling time: |lam|^t = 1/2 at t = log 2 / -log |lam|
    for lam in [0.5, 0.9, 0.99]:
        t_half = math.log(2) / -math.log(lam)
        assert math.isclose(component_growth([lam], [t_half])[0, 0], 0.5)
    assert G[300, 1] < 1e-13 and G[300, 5] > 1e12


def test_eigen_components_of_w_t_h_grow_as_component_growth():
    # Write h_0 = V c. Then W^t h_0 = V diag(lam)^t c: its coordinates
    # in the eigenbasis have magnitude |lam_i|^t |c_i|.
    rng = np.random.default_rng(3)
    W, _ = random_diagonalizable(rng, d=5, complex_pairs=1)
    lams, V = np.linalg.eig(W)
    h0 = rng.standard_normal(5)
    c = np.linalg.solve(V, h0)
    t = np.arange(0, 41)
    G = component_growth(lams, t)
    h = h0.copy()
    for k in t:
        if k > 0:
            h = W @ h  # the recurrence h_t = W h_(t-1), no nonlinearity
        np.testing.assert_allclose(matrix_power_eigen(W, k) @ h0, h,
                                   rtol=1e-9, atol=1e-12)
        coords = np.abs(np.linalg.solve(V, h))
        # (rounding errors of the largest component set the floor)
        np.testing.assert_allclose(coords, G[k] * np.abs(c), rtol=1e-8,
                                   atol=1e-12 * coords.max())


# ---------------------------------------------------------------------
# Local versus global structure: the mountain

def test_mountain_loss_and_gradient_match_torch():
    mountain = Mountain(a=0.3, M=2.5, R=2.0, theta_star=(1.0, 2.5))
    rng = np.random.default_rng(0)
    for theta in rng.uniform(-4, 4, (60, 2)):
        t = torch.tensor(theta, dtype=F64, requires_grad=True)
        u = torch.clamp(1 - torch.sum(t ** 2) / 4.0, min=0.0)
        star = torch.tensor([1.0, 2.5], dtype=F64)
        J = 0.15 * torch.sum((t - star) ** 2) + 2.5 * u ** 2
        J.backward()
        assert math.isclose(mountain.loss(theta), J.item(), rel_tol=1e-13)
        np.testing.assert_allclose(mountain.grad(theta), t.grad.numpy(),
                                   rtol=1e-12, atol=1e-15)
    assert mountain.loss(mountain.theta_star) == 0.0
    with pytest.raises(ValueError):
        Mountain(R=3.0, theta_star=(1.0, 0.0))


@pytest.fixture(scope="module")
def figure_mountain():
    mountain = Mountain(fig_lg.A, fig_lg.M, fig_lg.R, fig_lg.THETA_STAR)
    path = gradient_descent(mountain.grad, fig_lg.THETA0, fig_lg.EPS,
                            fig_lg.N_STEPS)
    return mountain, path


def test_downhill_points_away_from_the_minimum(figure_mountain):
    mountain, path = figure_mountain
    theta0 = np.asarray(fig_lg.THETA0)
    g = mountain.grad(theta0)
    to_star = mountain.theta_star - theta0
    cos = -g @ to_star / (np.linalg.norm(g) * np.linalg.norm(to_star))
    assert cos < -0.99
    dist = np.linalg.norm(path - mountain.theta_star, axis=1)
    assert np.all(np.diff(dist[:6]) > 0)  # the first steps move away
    assert dist.max() > dist[0] + 0.4


def test_gd_goes_around_the_mountain(figure_mountain):
    mountain, path = figure_mountain
    dist = np.linalg.norm(path - mountain.theta_star, axis=1)
    assert dist[-1] < 1e-4  # it does reach the minimum ...
    straight = dist[0]
    assert path_length(path) > 1.5 * straight  # ... the long way round
    # around, not over: it stays off the mountain's high ground
    assert np.all(mountain.loss(path) <= mountain.loss(path[0]) + 1e-12)
    assert np.max(np.abs(path[:, 1])) > 2.5
    # and it needs more steps than on the same bowl without a mountain
    bowl = Mountain(fig_lg.A, 0.0, fig_lg.R, fig_lg.THETA_STAR)
    plain = gradient_descent(bowl.grad, fig_lg.THETA0, fig_lg.EPS,
                             fig_lg.N_STEPS)
    d_plain = np.linalg.norm(plain - mountain.theta_star, axis=1)
    np.testing.assert_allclose(path_length(plain), straight *
                               (1 - (1 - fig_lg.EPS * fig_lg.A)
                                ** fig_lg.N_STEPS), rtol=1e-12)
    k_mountain = int(np.argmax(dist < 1e-3))
    k_plain = int(np.argmax(d_plain < 1e-3))
    assert k_mountain > k_plain + 30


def test_on_the_axis_gd_stops_at_a_saddle(figure_mountain):
    # Exactly on the axis the problem is one-dimensional: GD stops where
    # the pull of the bowl and the push of the mountain cancel. In 2-D
    # that point is a saddle: the curvature across the axis is negative.
    mountain = figure_mountain[0]
    a, M, R = mountain.a, mountain.M, mountain.R
    path = gradient_descent(mountain.grad, fig_lg.THETA0_AXIS,
                            fig_lg.EPS, fig_lg.N_STEPS)
    assert np.all(path[:, 1] == 0.0)
    x = path[-1, 0]
    # the stationary point on the axis solves a (x - x*) = 4 M u x / R^2
    u = 1 - x ** 2 / R ** 2
    assert math.isclose(a * (x - mountain.theta_star[0]), 4 * M * u * x
                        / R ** 2, rel_tol=1e-9)
    assert -R < x < fig_lg.THETA0_AXIS[0]  # behind the start
    assert a - 4 * M * u / R ** 2 < 0      # d2J / d theta_2^2 < 0
    assert mountain.loss(path[-1]) > 1.0   # far above J(theta*) = 0


def test_the_minimum_is_the_only_one():
    # Critical points solve a (theta - theta*) = 4 M u theta / R^2, so
    # they lie on the axis; in front of the mountain there is none but
    # theta*, behind it the top and the saddle above. Numerically: from
    # a grid of starts off the axis, GD always ends at theta*.
    mountain = Mountain(fig_lg.A, fig_lg.M, fig_lg.R, fig_lg.THETA_STAR)
    starts = np.stack(np.meshgrid(np.linspace(-5, 6, 12),
                                  np.linspace(-3.3, 4.3, 9)), -1)
    starts = starts.reshape(-1, 2)
    starts = starts[np.abs(starts[:, 1]) > 0.05]
    theta = starts.copy()
    for _ in range(1500):  # all starts at once: grad takes a batch
        theta = theta - fig_lg.EPS * mountain.grad(theta)
    assert np.max(np.linalg.norm(theta - mountain.theta_star, axis=1)) \
        < 1e-6
