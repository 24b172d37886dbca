"""Chapter 4: every scheme against its equation and against
torch.nn.init (float64), the variance equations by Monte Carlo, and the
experiments behind the figures for what the chapter says they show.

Statistical checks use a tolerance of Z standard errors, the standard
error derived from the sampling distribution of the statistic; each has
a negative control that a wrong formula would fail. Seeds are fixed,
so every check is deterministic.
"""

import math

import numpy as np
import pytest
import torch
from scipy.stats import ks_2samp
from threadpoolctl import threadpool_limits

from snippets.initialization import (
    constant_init, fixed_sigma, he_normal, init_params, layer_activations,
    measured_variances, normal_init, orthogonal, predicted_variances,
    relu_second_moment, sparse_init, symmetry_experiment,
    train_digits_with_init, unit_spread, xavier_normal, xavier_uniform)

F64 = torch.float64
Z = 6.0                   # standard errors allowed
N_IN, N_OUT = 500, 300    # 150,000 weights per matrix


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    # small matrices: BLAS threads only add overhead
    with threadpool_limits(limits=1):
        yield


def ours(init, n_in=N_IN, n_out=N_OUT, seed=0):
    return init(n_in, n_out, np.random.default_rng(seed))


def theirs(torch_init, n_in=N_IN, n_out=N_OUT, seed=0, **kwargs):
    """torch.nn.init on a (n_out, n_in) float64 tensor, transposed to
    this book's (n_in, n_out) layout."""
    torch.manual_seed(seed)
    w = torch.empty(n_out, n_in, dtype=F64)
    torch_init(w, **kwargs)
    return w.numpy().T.copy()


def variance_ok(W, var, fourth_over_var2):
    """Is mean(W^2) within Z standard errors of ``var``?

    The weights are independent with mean 0, so mean(W^2) estimates the
    variance; its standard error is sqrt((E[W^4] - var^2) / m), with
    E[W^4] = fourth_over_var2 * var^2 (3 for a normal, 9/5 for a
    uniform distribution).
    """
    m = W.size
    se = var * math.sqrt((fourth_over_var2 - 1.0) / m)
    return abs(np.mean(W ** 2) - var) <= Z * se


def mean_ok(W, var):
    return abs(W.mean()) <= Z * math.sqrt(var / W.size)


NORMAL, UNIFORM = 3.0, 9.0 / 5.0
GLOROT_VAR = 2.0 / (N_IN + N_OUT)      # eq:glorot-variance
HE_VAR = 2.0 / N_IN                    # eq:he-variance


# ---------------------------------------------------------------------
# eq:glorot-uniform, eq:glorot-variance, eq:he-variance vs torch.nn.init

def test_shapes_follow_the_book_layout():
    for init in (xavier_uniform, xavier_normal, he_normal, orthogonal,
                 fixed_sigma(0.1), lambda a, b, r: sparse_init(a, b, 3, r)):
        assert ours(init, 7, 4).shape == (7, 4)
        assert ours(init, 4, 7).shape == (4, 7)


def test_xavier_uniform_bound_matches_torch():
    a = math.sqrt(6.0 / (N_IN + N_OUT))                 # eq:glorot-uniform
    for W in (ours(xavier_uniform),
              theirs(torch.nn.init.xavier_uniform_)):
        assert np.max(np.abs(W)) <= a
        # P(max |W| < a (1 - 1e-4)) = (1 - 1e-4)^150000 ~ e^-15
        assert np.max(np.abs(W)) >= a * (1 - 1e-4)
        assert variance_ok(W, GLOROT_VAR, UNIFORM)    # a^2 / 3
        assert mean_ok(W, GLOROT_VAR)
    # the two samples come from the same distribution
    assert ks_2samp(ours(xavier_uniform).ravel(),
                    theirs(torch.nn.init.xavier_uniform_).ravel()
                    ).pvalue > 1e-3


def test_xavier_normal_matches_torch():
    for W in (ours(xavier_normal), theirs(torch.nn.init.xavier_normal_)):
        assert variance_ok(W, GLOROT_VAR, NORMAL)
        assert mean_ok(W, GLOROT_VAR)
    assert ks_2samp(ours(xavier_normal).ravel(),
                    theirs(torch.nn.init.xavier_normal_).ravel()
                    ).pvalue > 1e-3


def test_he_normal_matches_torch():
    torch_he = theirs(torch.nn.init.kaiming_normal_, mode="fan_in",
                      nonlinearity="relu")
    for W in (ours(he_normal), torch_he):
        assert variance_ok(W, HE_VAR, NORMAL)
        assert mean_ok(W, HE_VAR)
    assert ks_2samp(ours(he_normal).ravel(), torch_he.ravel()
                    ).pvalue > 1e-3


def test_normal_init_has_variance_sigma_squared():
    W = ours(fixed_sigma(0.01))
    assert variance_ok(W, 1e-4, NORMAL)
    np.testing.assert_array_equal(
        W, normal_init(N_IN, N_OUT, 0.01, np.random.default_rng(0)))


@pytest.mark.parametrize("init,wrong_var,kurt", [
    (he_normal, 1.0 / N_IN, NORMAL),                  # LeCun, not He
    (he_normal, 2.0 / N_OUT, NORMAL),                 # fan-out
    (xavier_normal, 1.0 / (N_IN + N_OUT), NORMAL),    # factor 2 lost
    (xavier_normal, 1.0 / N_IN, NORMAL),
    (xavier_uniform, 1.0 / (N_IN + N_OUT), UNIFORM),  # a^2 / 6
    (xavier_uniform, 6.0 / (N_IN + N_OUT), UNIFORM),  # a^2, not a^2/3
])
def test_variance_check_catches_wrong_formulas(init, wrong_var, kurt):
    assert not variance_ok(ours(init), wrong_var, kurt)


def test_distribution_check_catches_wrong_scheme():
    # same variance would not be enough: KS sees uniform vs normal
    assert ks_2samp(ours(he_normal).ravel(),
                    ours(xavier_normal).ravel()).pvalue < 1e-6
    torch_xu = theirs(torch.nn.init.xavier_uniform_)
    assert ks_2samp(ours(xavier_normal).ravel(),
                    torch_xu.ravel()).pvalue < 1e-6


# ---------------------------------------------------------------------
# eq:orthogonal

@pytest.mark.parametrize("n_in,n_out", [(300, 100), (100, 100),
                                        (64, 10), (10, 64)])
def test_orthogonal_is_orthonormal(n_in, n_out):
    W = ours(orthogonal, n_in, n_out)
    if n_in >= n_out:
        G = W.T @ W                                  # eq:orthogonal
    else:
        G = W @ W.T
    np.testing.assert_allclose(G, np.eye(min(n_in, n_out)), rtol=0,
                               atol=1e-12)


class GivenGaussian:
    """A stand-in for a Generator that 'draws' a given (n_out, n_in)
    matrix, in whichever layout is asked for."""

    def __init__(self, G):
        self.G = G

    def standard_normal(self, shape):
        return self.G if shape == self.G.shape else self.G.T


@pytest.mark.parametrize("n_in,n_out", [(300, 100), (100, 100),
                                        (64, 10), (10, 64)])
def test_orthogonal_matches_torch_on_the_same_gaussian(n_in, n_out):
    # torch.nn.init.orthogonal_ draws its Gaussian with normal_ first,
    # so the same seed gives the same matrix
    torch.manual_seed(3)
    G = torch.empty(n_out, n_in, dtype=F64).normal_(0, 1).numpy()
    ref = theirs(torch.nn.init.orthogonal_, n_in, n_out, seed=3)
    W = orthogonal(n_in, n_out, GivenGaussian(G))
    np.testing.assert_allclose(W, ref, rtol=0, atol=1e-10)


def test_orthogonal_sign_fix_makes_it_uniform():
    # Haar-distributed: E[W_11] = 0. QR without the sign fix gives a
    # diagonal that is biased (a negative first entry, here).
    n, draws = 4, 4000
    rng = np.random.default_rng(0)
    w11 = np.array([orthogonal(n, n, rng)[0, 0] for _ in range(draws)])
    se = math.sqrt(1.0 / n / draws)          # Var(W_11) = 1 / n
    assert abs(w11.mean()) <= Z * se
    rng = np.random.default_rng(0)
    raw = np.array([np.linalg.qr(rng.standard_normal((n, n)))[0][0, 0]
                    for _ in range(draws)])
    assert abs(raw.mean()) > Z * se


# ---------------------------------------------------------------------
# sparse initialization

def test_sparse_init_has_exactly_k_nonzeros_per_unit():
    k, n_in, n_out = 15, 200, 500
    W = sparse_init(n_in, n_out, k, np.random.default_rng(0), sigma=0.5)
    np.testing.assert_array_equal((W != 0).sum(axis=0), k)
    nz = W[W != 0]
    assert variance_ok(nz, 0.25, NORMAL)
    # every input is chosen equally often: counts ~ Binomial(n_out, k/n)
    counts = (W != 0).sum(axis=1)
    p = k / n_in
    assert np.all(np.abs(counts - n_out * p)
                  <= Z * math.sqrt(n_out * p * (1 - p)))


# ---------------------------------------------------------------------
# breaking symmetry

@pytest.fixture(scope="module")
def symmetry():
    return symmetry_experiment()


def test_constant_init_keeps_hidden_units_identical(symmetry):
    p = symmetry["constant"]
    assert unit_spread(p["W1"]) <= 1e-12
    assert np.ptp(p["b1"]) <= 1e-12
    assert unit_spread(p["W2"].T) <= 1e-12  # rows of W2: unit j's output
    # ... although the weights did change
    assert np.max(np.abs(p["W1"] - 0.1)) > 1e-3


def test_random_init_gives_different_units(symmetry):
    assert unit_spread(symmetry["random"]["W1"]) > 0.1


def test_constant_init_is_constant():
    W = constant_init(0.1)(3, 4, None)
    np.testing.assert_array_equal(W, np.full((3, 4), 0.1))


# ---------------------------------------------------------------------
# eq:forward-variance, eq:backward-variance, eq:relu-second-moment

def test_forward_variance_by_monte_carlo():
    # one unit, many independent draws of (W, h), z = sum_i W_i h_i.
    # With W normal and h uniform, E[z^4] = (3 + 2.4 / n_in) v^2, so
    # Var(z^2) = 2.048 v^2 <= 2.5 v^2: the standard error below.
    rng = np.random.default_rng(0)
    n_in, draws, var_w, var_h = 50, 200_000, 0.03, 2.0
    W = math.sqrt(var_w) * rng.standard_normal((draws, n_in))
    h = rng.uniform(-1, 1, (draws, n_in)) * math.sqrt(3 * var_h)
    z = (W * h).sum(axis=1)
    v = n_in * var_w * var_h                       # eq:forward-variance
    assert abs(np.mean(z ** 2) - v) <= Z * v * math.sqrt(2.5 / draws)
    assert abs(np.mean(z ** 2) - v / 2) > Z * v * math.sqrt(2.5 / draws)


def test_backward_variance_by_monte_carlo():
    # z = h W: dJ/dh_i = sum_j W_ij dJ/dz_j, a sum of n_out terms
    rng = np.random.default_rng(1)
    n_in, n_out, draws, var_w, var_g = 20, 40, 20_000, 0.01, 3.0
    W = math.sqrt(var_w) * rng.standard_normal((draws, n_in, n_out))
    g = math.sqrt(var_g) * rng.standard_normal((draws, n_out, 1))
    dh = (W @ g)[:, :, 0]                           # (draws, n_in)
    v = n_out * var_w * var_g                      # eq:backward-variance
    # The n_in entries of one draw share g, so count draws only: the
    # mean of dh_i^2 within a draw has variance <= Var(dh_i^2)
    # = (2 + 6 / n_out) v^2 <= 2.5 v^2.
    se = v * math.sqrt(2.5 / draws)
    assert abs(np.mean(dh ** 2) - v) <= Z * se
    assert abs(np.mean(dh ** 2) - n_in * var_w * var_g) > Z * se


@pytest.mark.parametrize("dist", ["normal", "uniform", "laplace"])
def test_relu_second_moment_by_monte_carlo(dist):
    rng = np.random.default_rng(0)
    n, s = 1_000_000, 1.7
    z = {"normal": lambda: s * rng.standard_normal(n),
         "uniform": lambda: rng.uniform(-s, s, n) * math.sqrt(3),
         "laplace": lambda: rng.laplace(0, s / math.sqrt(2), n)}[dist]()
    r2 = np.maximum(z, 0) ** 2
    # standard error from the sample itself: sd(r2) / sqrt(n)
    se = r2.std() / math.sqrt(n)
    assert abs(r2.mean() - relu_second_moment(s ** 2)) <= Z * se
    # z not symmetric: the equation does not hold (negative control)
    r2 = np.maximum(z + 0.3 * s, 0) ** 2
    assert abs(r2.mean() - relu_second_moment(np.var(z))) > Z * se


def test_relu_second_moment_normal_standard_error():
    # for normal z, Var(max(0,z)^2) = 3/2 s^4 - s^4/4 = 5/4 s^4
    rng = np.random.default_rng(2)
    r2 = np.maximum(rng.standard_normal(2_000_000), 0) ** 2
    assert abs(r2.var() - 1.25) < 0.02


# ---------------------------------------------------------------------
# layer by layer

def test_layer_activations_shapes_and_ranges():
    zs, hs = layer_activations("sigmoid", xavier_normal, n_layers=5)
    assert len(hs) == 5 and hs[0].shape == (1000, 100)
    assert all(np.all((h > 0) & (h < 1)) for h in hs)
    np.testing.assert_allclose(hs[2], 1 / (1 + np.exp(-zs[2])),
                               rtol=1e-12)


def test_sigmoid_saturates_with_sigma_one_not_with_xavier():
    _, big = layer_activations("sigmoid", fixed_sigma(1.0))
    _, xav = layer_activations("sigmoid", xavier_normal)
    _, tiny = layer_activations("sigmoid", fixed_sigma(0.01))

    def saturated(h):
        return np.mean((h < 0.01) | (h > 0.99))
    # sigma = 1: Var(z) = 100 E[h^2], about 30: nearly half saturate
    assert all(saturated(h) > 0.4 for h in big)
    assert all(saturated(h) < 0.001 for h in xav)
    # sigma = 0.01: every unit stays close to sigmoid(0) = 1/2
    assert all(abs(h.mean() - 0.5) < 0.01 and h.std() < 0.03
               for h in tiny)
    assert all(h.std() > 0.1 for h in xav)


def test_predicted_variances_closed_form():
    v = predicted_variances(0.02, 100, 30)
    np.testing.assert_allclose(v, 2.0, rtol=1e-12)     # He: constant
    v = predicted_variances(0.01, 100, 30)
    np.testing.assert_allclose(v, 0.5 ** np.arange(30), rtol=1e-12)


def test_he_keeps_variance_while_small_sigma_collapses():
    he = measured_variances("relu", he_normal)
    tiny = measured_variances("relu", fixed_sigma(0.01))
    xav = measured_variances("relu", xavier_normal)
    assert len(he) == 30
    # He: within a factor of 10 of layer 1 in every layer (finite
    # width makes Var(z_l) wander, predicted: exactly constant)
    assert np.all((he / he[0] > 0.1) & (he / he[0] < 10))
    # sigma = 0.01 loses a factor 100 * 1e-4 / 2 = 1/200 per layer
    assert tiny[-1] / tiny[0] < 1e-60
    assert xav[-1] / xav[0] < 1e-6                     # 2^-29 predicted
    # prediction and measurement agree within the same factor of 10
    for var_w, meas in [(0.02, he), (1e-4, tiny), (0.01, xav)]:
        ratio = meas / predicted_variances(var_w, 100, 30)
        assert np.all((ratio > 0.1) & (ratio < 10))


# ---------------------------------------------------------------------
# training on the digits

@pytest.fixture(scope="module")
def curves():
    out = {}
    for hidden in [(100,), (100, 100, 100, 100)]:
        for name, init in [("0.01", fixed_sigma(0.01)),
                           ("Xavier", xavier_normal), ("He", he_normal)]:
            out[len(hidden), name] = train_digits_with_init(
                init, hidden=hidden)
    return out


def test_training_is_deterministic(curves):
    again = train_digits_with_init(he_normal, hidden=(100,))
    np.testing.assert_array_equal(again, curves[1, "He"])


def test_xavier_and_he_train_small_sigma_stalls_when_deep(curves):
    log10 = math.log(10)
    for depth in (1, 4):
        for name in ("Xavier", "He"):
            assert curves[depth, name][-1] < 0.05
    # four hidden layers, sigma = 0.01: the loss never leaves log 10
    assert np.all(np.abs(curves[4, "0.01"] - log10) < 0.01)
    # one hidden layer, sigma = 0.01: it trains, but more slowly
    shallow = curves[1, "0.01"]
    assert shallow[-1] < 0.1
    assert shallow[5] > 2 * curves[1, "He"][5]    # k = 100
    assert shallow[-1] > curves[1, "He"][-1]


def test_init_params_biases():
    p = init_params([3, 2], he_normal, np.random.default_rng(0), bias=0.1)
    np.testing.assert_array_equal(p["b1"], [0.1, 0.1])
