"""Chapter 7, normalization: the deep linear chain against its expanded
product, batch normalization (forward, backward, running statistics,
convolutional layers) against torch.nn in float64 and against central
finite differences, layer/instance/group normalization against torch.nn,
and the BN experiment for what the chapter says it shows. Each family of
checks has a negative control that a plausible mistake would fail.
"""

import itertools
import math

import numpy as np
import pytest
import torch

from snippets.optimization_strategies_normalization import (
    INIT_SCALES, BatchNorm1d, batch_norm_2d, batch_norm_backward,
    batch_norm_forward, bn_experiment, chain_grad, chain_output,
    chain_step, full_loss, group_norm, instance_norm, layer_norm, make_mlp,
    normalize)

F64 = torch.float64
TOL = 1e-10


def rel_err(a, b):
    """max |a - b| / max |b| (the scale of the reference)."""
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


def t64(a, grad=False):
    return torch.tensor(a, dtype=F64, requires_grad=grad)


# ---------------------------------------------------------------------
# eq:deep-linear-chain, eq:deep-linear-update

def expanded_terms(x, w, g, eps):
    """The product in eq:deep-linear-update multiplied out: the terms
    with k factors -eps g_i, grouped by k = 0, 1, ..., l."""
    l = len(w)
    by_order = np.zeros(l + 1)
    for S in itertools.product([False, True], repeat=l):
        term = x
        for i, picked in enumerate(S):
            term *= -eps * g[i] if picked else w[i]
        by_order[sum(S)] += term
    return by_order


@pytest.mark.parametrize("seed", range(5))
def test_chain_step_splits_into_first_order_and_the_rest(seed):
    rng = np.random.default_rng(seed)
    l = 6
    x, w, g = rng.normal(), rng.normal(1.0, 0.5, l), rng.normal(size=l)
    eps = 0.3
    exact, first, rest = chain_step(x, w, g, eps)
    terms = expanded_terms(x, w, g, eps)
    assert math.isclose(terms[0], chain_output(x, w), rel_tol=1e-12)
    assert math.isclose(exact, terms.sum(), rel_tol=1e-12)
    assert math.isclose(first, terms[:2].sum(), rel_tol=1e-12)
    # the remainder is every term of order eps^2 and higher
    assert math.isclose(rest, terms[2:].sum(), rel_tol=1e-10)
    # negative control: the second-order terms alone are not all of it
    assert not math.isclose(rest, terms[2], rel_tol=1e-6)


def test_chain_grad_matches_autograd():
    rng = np.random.default_rng(0)
    x, w = 0.7, rng.normal(1.0, 0.3, 8)
    wt = t64(w, grad=True)
    (x * torch.prod(wt)).backward()
    assert rel_err(chain_grad(x, w), wt.grad.numpy()) < 1e-13


def test_remainder_is_second_order_in_eps():
    w = np.full(10, 1.1)
    g = chain_grad(1.0, w)
    ratio = [chain_step(1.0, w, g, eps)[2] / eps ** 2
             for eps in (1e-3, 1e-4)]
    # eps^2 times the sum over pairs i < j of g_i g_j prod_{k != i,j} w_k
    c2 = sum(g[i] * g[j] * np.prod(np.delete(w, [i, j]))
             for i in range(10) for j in range(i + 1, 10))
    assert abs(ratio[1] - c2) / c2 < 1e-2
    assert abs(ratio[0] - c2) > abs(ratio[1] - c2)  # the eps^3 terms


# ---------------------------------------------------------------------
# eq:bn-mean ... eq:bn-scale-shift, eq:bn-backward, eq:bn-backward-params

def random_batch(m=16, d=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(2.0, 3.0, (m, d))
    gamma, beta = rng.normal(1.0, 0.5, d), rng.normal(size=d)
    dy = rng.normal(size=(m, d))
    return x, gamma, beta, dy


def torch_bn(x, gamma, beta, dy, eps=1e-5):
    """torch.nn.BatchNorm1d in training mode: y and, for the loss
    L = sum(dy * y), dL/dx, dL/dgamma, dL/dbeta by autograd."""
    bn = torch.nn.BatchNorm1d(x.shape[1], eps=eps).to(F64)
    with torch.no_grad():
        bn.weight.copy_(t64(gamma))
        bn.bias.copy_(t64(beta))
    xt = t64(x, grad=True)
    y = bn(xt)
    (y * t64(dy)).sum().backward()
    return (y.detach().numpy(), xt.grad.numpy(), bn.weight.grad.numpy(),
            bn.bias.grad.numpy())


@pytest.mark.parametrize("m,d,seed", [(16, 5, 0), (2, 3, 1), (200, 7, 2)])
def test_batch_norm_matches_torch(m, d, seed):
    x, gamma, beta, dy = random_batch(m, d, seed)
    y_ref, dx_ref, dgamma_ref, dbeta_ref = torch_bn(x, gamma, beta, dy)
    y, cache = batch_norm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batch_norm_backward(dy, cache)
    assert rel_err(y, y_ref) < TOL
    assert rel_err(dx, dx_ref) < TOL
    assert rel_err(dgamma, dgamma_ref) < TOL
    assert rel_err(dbeta, dbeta_ref) < TOL


def test_normalized_batch_has_mean_0_and_variance_near_1():
    x, _, _, _ = random_batch(50, 4)
    _, cache = batch_norm_forward(x, 1.0, 0.0, delta=0.0)
    np.testing.assert_allclose(cache["x_hat"].mean(axis=0), 0, atol=1e-14)
    np.testing.assert_allclose(cache["x_hat"].var(axis=0), 1, rtol=1e-12)


def central_difference(f, a, h=1e-6):
    """df/da entrywise for a scalar function f of the array a."""
    grad = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


def test_batch_norm_backward_matches_finite_differences():
    x, gamma, beta, dy = random_batch(8, 3, seed=3)

    def L(x, gamma, beta):
        return np.sum(dy * batch_norm_forward(x, gamma, beta)[0])

    _, cache = batch_norm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batch_norm_backward(dy, cache)
    fd_x = central_difference(lambda a: L(a, gamma, beta), x)
    fd_gamma = central_difference(lambda a: L(x, a, beta), gamma)
    fd_beta = central_difference(lambda a: L(x, gamma, a), beta)
    assert rel_err(dx, fd_x) < 1e-7
    assert rel_err(dgamma, fd_gamma) < 1e-7
    assert rel_err(dbeta, fd_beta) < 1e-7
    # negative control: without the paths through mu and sigma^2 the
    # gradient is gamma dy / sqrt(sigma^2 + delta), which is wrong
    naive = gamma * dy / np.sqrt(cache["var"] + cache["delta"])
    assert rel_err(naive, fd_x) > 1e-2


def test_gradient_is_orthogonal_to_shifts_and_scalings():
    # y does not change when x is shifted or scaled per unit (delta = 0),
    # so dL/dx sums to 0 and is orthogonal to x_hat in every column
    x, gamma, beta, dy = random_batch(30, 4, seed=4)
    _, cache = batch_norm_forward(x, gamma, beta, delta=0.0)
    dx, _, _ = batch_norm_backward(dy, cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose((dx * cache["x_hat"]).sum(axis=0), 0,
                               atol=1e-12)


# ---------------------------------------------------------------------
# eq:bn-running: running statistics and eval() against torch

@pytest.mark.parametrize("momentum", [0.1, 0.5])
def test_running_statistics_and_eval_match_torch(momentum):
    d, rng = 4, np.random.default_rng(5)
    ours = BatchNorm1d(d, momentum=momentum)
    theirs = torch.nn.BatchNorm1d(d, momentum=momentum).to(F64)
    ours.gamma, ours.beta = rng.normal(1, 0.3, d), rng.normal(size=d)
    with torch.no_grad():
        theirs.weight.copy_(t64(ours.gamma))
        theirs.bias.copy_(t64(ours.beta))
    for step, m in enumerate([8, 3, 20, 5, 12]):
        x = rng.normal(step, 2.0, (m, d))      # drifting statistics
        ours.train()
        theirs.train()
        y = ours.forward(x)
        assert rel_err(y, theirs(t64(x)).detach().numpy()) < TOL
        assert rel_err(ours.running_mean,
                       theirs.running_mean.numpy()) < TOL
        assert rel_err(ours.running_var, theirs.running_var.numpy()) < TOL
        x_test = rng.normal(size=(6, d))
        ours.eval()
        theirs.eval()
        with torch.no_grad():
            y_ref = theirs(t64(x_test)).numpy()
        assert rel_err(ours.forward(x_test), y_ref) < TOL


def test_running_statistics_negative_controls():
    d, rng = 3, np.random.default_rng(6)
    theirs = torch.nn.BatchNorm1d(d).to(F64)
    x = rng.normal(1.0, 2.0, (4, d))
    theirs(t64(x))
    mu, var = x.mean(axis=0), x.var(axis=0)     # var: the biased one
    eta = 0.1
    unbiased = (1 - eta) * 1.0 + eta * 4 / 3 * var
    biased = (1 - eta) * 1.0 + eta * var
    assert rel_err(unbiased, theirs.running_var.numpy()) < TOL
    assert rel_err(biased, theirs.running_var.numpy()) > 1e-3
    # eta weighs the NEW batch (not the old average, as rho does)
    swapped = eta * 0.0 + (1 - eta) * mu
    assert rel_err(swapped, theirs.running_mean.numpy()) > 1e-1


def test_eval_output_does_not_depend_on_the_batch():
    bn, rng = BatchNorm1d(3), np.random.default_rng(7)
    for _ in range(20):
        bn.forward(rng.normal(2.0, 3.0, (10, 3)))
    x = rng.normal(size=(5, 3))
    bn.eval()
    np.testing.assert_array_equal(bn.forward(x)[:1], bn.forward(x[:1]))
    bn.train()   # with batch statistics, example 0's output changes
    assert rel_err(bn.forward(x)[:1], bn.forward(x[:2])[:1]) > 1e-2


def test_batchnorm1d_backward_matches_torch():
    x, gamma, beta, dy = random_batch(12, 4, seed=8)
    bn = BatchNorm1d(4)
    bn.gamma, bn.beta = gamma, beta
    bn.forward(x)
    dx = bn.backward(dy)
    _, dx_ref, dgamma_ref, dbeta_ref = torch_bn(x, gamma, beta, dy)
    assert rel_err(dx, dx_ref) < TOL
    assert rel_err(bn.dgamma, dgamma_ref) < TOL
    assert rel_err(bn.dbeta, dbeta_ref) < TOL


# ---------------------------------------------------------------------
# BatchNorm2d, eq:norm-general: LayerNorm, InstanceNorm2d, GroupNorm

def images(N=3, C=6, H=4, W=5, seed=9):
    rng = np.random.default_rng(seed)
    # a different mean and scale per channel and per example
    loc = rng.normal(0, 3, (N, C, 1, 1))
    return loc + rng.exponential(2.0, (N, C, 1, 1)) * rng.normal(
        size=(N, C, H, W))


def affine(shape, seed=10):
    rng = np.random.default_rng(seed)
    return rng.normal(1.0, 0.3, shape), rng.normal(size=shape)


def set_affine(module, gamma, beta):
    with torch.no_grad():
        module.weight.copy_(t64(gamma))
        module.bias.copy_(t64(beta))
    return module


def test_batch_norm_2d_matches_torch():
    x = images()
    gamma, beta = affine(6)
    bn = set_affine(torch.nn.BatchNorm2d(6).to(F64), gamma, beta)
    y_ref = bn(t64(x)).detach().numpy()
    assert rel_err(batch_norm_2d(x, gamma, beta), y_ref) < TOL
    # statistics over m = N H W values per channel: torch's running
    # variance holds m / (m - 1) times our (biased) variance
    m = 3 * 4 * 5
    var = x.transpose(1, 0, 2, 3).reshape(6, -1).var(axis=1)
    assert rel_err(0.9 + 0.1 * m / (m - 1) * var,
                   bn.running_var.numpy()) < TOL
    # the same as normalize over the axes (N, H, W)
    assert rel_err(gamma[:, None, None] * normalize(x, (0, 2, 3))
                   + beta[:, None, None], y_ref) < TOL


def test_batch_norm_2d_backward_by_reshaping_matches_torch():
    x, dy = images(), images(seed=11)
    gamma, beta = affine(6)
    bn = set_affine(torch.nn.BatchNorm2d(6).to(F64), gamma, beta)
    xt = t64(x, grad=True)
    (bn(xt) * t64(dy)).sum().backward()
    cols = x.transpose(0, 2, 3, 1).reshape(-1, 6)
    dcols = dy.transpose(0, 2, 3, 1).reshape(-1, 6)
    _, cache = batch_norm_forward(cols, gamma, beta)
    dx, dgamma, dbeta = batch_norm_backward(dcols, cache)
    dx = dx.reshape(3, 4, 5, 6).transpose(0, 3, 1, 2)
    assert rel_err(dx, xt.grad.numpy()) < TOL
    assert rel_err(dgamma, bn.weight.grad.numpy()) < TOL
    assert rel_err(dbeta, bn.bias.grad.numpy()) < TOL


def test_layer_norm_matches_torch():
    x = images()
    gamma, beta = affine((6, 4, 5))
    ln = set_affine(torch.nn.LayerNorm((6, 4, 5)).to(F64), gamma, beta)
    y_ref = ln(t64(x)).detach().numpy()
    assert rel_err(layer_norm(x, gamma, beta), y_ref) < TOL
    # on an (m, d) layer of an MLP: per row, over the d units
    h = images(1, 1, 7, 9)[0, 0]
    ln = torch.nn.LayerNorm(9).to(F64)
    assert rel_err(layer_norm(h), ln(t64(h)).detach().numpy()) < TOL


@pytest.mark.parametrize("affine_params", [False, True])
def test_instance_norm_matches_torch(affine_params):
    x = images()
    inorm = torch.nn.InstanceNorm2d(6, affine=affine_params).to(F64)
    if affine_params:
        gamma, beta = affine(6)
        set_affine(inorm, gamma, beta)
        ours = instance_norm(x, gamma, beta)
    else:
        ours = instance_norm(x)
    assert rel_err(ours, inorm(t64(x)).detach().numpy()) < TOL


@pytest.mark.parametrize("G", [1, 2, 3, 6])
def test_group_norm_matches_torch(G):
    x = images()
    gamma, beta = affine(6)
    gn = set_affine(torch.nn.GroupNorm(G, 6).to(F64), gamma, beta)
    y_ref = gn(t64(x)).detach().numpy()
    assert rel_err(group_norm(x, G, gamma, beta), y_ref) < TOL


def test_group_norm_extremes_are_layer_and_instance_norm():
    x = images()
    np.testing.assert_allclose(group_norm(x, 1), layer_norm(x),
                               rtol=0, atol=1e-13)
    np.testing.assert_allclose(group_norm(x, 6), instance_norm(x),
                               rtol=0, atol=1e-13)
    # in between it is neither
    assert rel_err(group_norm(x, 2), layer_norm(x)) > 1e-2
    assert rel_err(group_norm(x, 2), instance_norm(x)) > 1e-2


def test_only_batch_norm_mixes_examples():
    x = images()
    for f in (layer_norm, instance_norm, lambda a: group_norm(a, 2)):
        np.testing.assert_allclose(f(x)[:1], f(x[:1]), rtol=0,
                                   atol=1e-13)
    ones, zeros = np.ones(6), np.zeros(6)
    assert rel_err(batch_norm_2d(x, ones, zeros)[:1],
                   batch_norm_2d(x[:2], ones, zeros)[:1]) > 1e-2


@pytest.mark.parametrize("module,axes", [
    (torch.nn.BatchNorm2d(6), (0, 1)),       # over channels, not H, W
    (torch.nn.BatchNorm2d(6), (2, 3)),       # that is instance norm
    (torch.nn.LayerNorm((6, 4, 5)), (0, 2, 3)),
    (torch.nn.InstanceNorm2d(6), (1, 2, 3)),
    (torch.nn.GroupNorm(2, 6), (1, 2, 3)),
])
def test_normalizing_over_the_wrong_axes_differs(module, axes):
    x = images()
    y_ref = module.to(F64)(t64(x)).detach().numpy()
    assert rel_err(normalize(x, axes), y_ref) > 1e-2


# ---------------------------------------------------------------------
# the BN experiment (fig-bn-experiment)

def test_mlp_arms_share_their_weights():
    plain, bn = make_mlp(0.1, False), make_mlp(0.1, True)
    w_plain = [p for n, p in plain.named_parameters() if "weight" in n]
    w_bn = [m.weight for m in bn if isinstance(m, torch.nn.Linear)]
    assert len(w_plain) == len(w_bn) == 4
    for a, b in zip(w_plain, w_bn):
        assert torch.equal(a, b)
    # He times 0.1: the standard deviation of the first layer
    assert abs(w_plain[0].std().item() / (0.1 * math.sqrt(2 / 64)) - 1) \
        < 0.05
    assert sum(isinstance(m, torch.nn.BatchNorm1d) for m in bn) == 3


@pytest.fixture(scope="module")
def experiment_k():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)   # small matrices: threads only add overhead
    torch.set_flush_denormal(True)    # as the figure does: faster
    yield bn_experiment()
    torch.set_flush_denormal(False)
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def experiment(experiment_k):
    return experiment_k[1]


def test_experiment_is_deterministic(experiment_k):
    k, again = bn_experiment(scales=(0.01,), n_epochs=3)
    np.testing.assert_array_equal(k, experiment_k[0][:4])
    for batch_norm in (False, True):
        np.testing.assert_array_equal(
            again[0.01, batch_norm], experiment_k[1][0.01, batch_norm][:4])


def test_update_counts_and_the_running_averages():
    k, _ = bn_experiment(scales=(1.0,), n_epochs=2)
    assert list(k) == [0, 12, 24]            # 1437 examples, 128 a batch
    # measuring the loss leaves the model's running averages alone
    model = make_mlp(1.0, True)
    before = model[1].running_mean.clone()
    X = torch.randn(50, 64)
    full_loss(model, X, torch.zeros(50, dtype=torch.long))
    assert torch.equal(model[1].running_mean, before)
    with torch.no_grad():
        model(X)                             # negative control
    assert not torch.equal(model[1].running_mean, before)


def test_small_init_stalls_without_bn_and_trains_with_it(experiment):
    for scale in (0.01, 0.1):
        plain, bn = experiment[scale, False], experiment[scale, True]
        # both start at the loss of a uniform guess, log 10
        assert abs(plain[0] - math.log(10)) < 0.01
        assert abs(bn[0] - math.log(10)) < 0.01
        assert abs(plain[-1] - plain[0]) < 0.01 * plain[0]  # stuck
        assert bn[-1] < 0.1 * bn[0]                         # learns


def test_he_init_trains_with_and_without_bn(experiment):
    for batch_norm in (False, True):
        losses = experiment[1.0, batch_norm]
        assert losses[-1] < 0.05 * losses[0]


def test_large_init_diverges_without_bn_only(experiment):
    plain, bn = experiment[10.0, False], experiment[10.0, True]
    assert plain[0] > 1e3 and not np.all(np.isfinite(plain))
    assert np.all(np.isfinite(bn)) and bn[-1] < 0.1 * bn[0]


def test_the_figure_uses_every_scale(experiment):
    assert set(experiment) == {(s, b) for s in INIT_SCALES
                               for b in (False, True)}


def test_page_example_values():
    # the >>> example of #bn-reparameterization (pycon in both pages)
    w = np.ones(20)
    g = chain_grad(1.0, w)
    rows = [[eps] + [round(v, 4) for v in chain_step(1.0, w, g, eps)]
            for eps in (0.005, 0.05)]
    assert rows == [[0.005, 0.9046, 0.9, 0.0046],
                    [0.05, 0.3585, 0.0, 0.3585]]
    assert math.isclose(chain_step(1.0, w, g, 0.05)[0], 0.95 ** 20)
