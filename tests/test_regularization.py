"""Chapter 8, regularization: the L2 penalty and its gradient against
autograd, the decayed SGD step against torch.optim.SGD (float64), L2 vs
AdamW, the dropout conventions against torch.nn.Dropout and their
expectations, the ensemble identities in closed form, and the
overfitting runs (deterministic, decay on weights only).
"""

import math

import numpy as np
import pytest
import torch
from torch import nn

from snippets.adaptive_learning_rates import ELONGATED
from snippets.regularization import (
    F64, Dropout, all_masks, decay_then_step, deep_mlp, dropout_mask,
    ensemble_geometric_mean, ensemble_mean, inverted_dropout,
    l2_gradient, l2_penalty, l2_vs_decoupled, mask_probabilities,
    overfitting_curves, overfitting_run, sgd_step_l2, small_dropout_net,
    weight_scaled, weight_scaling_dropout, weights)


def small_net(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 7, dtype=F64), nn.Tanh(),
                         nn.Linear(7, 3, dtype=F64))


def batch(seed, shape=(11, 5)):
    g = torch.Generator().manual_seed(100 + seed)
    return torch.randn(shape, dtype=F64, generator=g)


# ---------------------------------------------------------------------
# eq:l2-penalty, eq:l2-gradient

@pytest.mark.parametrize("seed", range(5))
def test_l2_gradient_matches_autograd(seed):
    net, lam = small_net(seed), 0.3
    X = batch(seed)
    J = (net(X) ** 2).mean()
    grads = torch.autograd.grad(J, weights(net), retain_graph=True)
    ours = l2_gradient(grads, weights(net), lam)
    full = torch.autograd.grad(J + l2_penalty(weights(net), lam),
                               weights(net))
    for a, b in zip(ours, full):
        assert torch.allclose(a, b, rtol=0, atol=1e-12)


def test_penalty_leaves_biases_alone():
    net = small_net(0)
    pen = l2_penalty(weights(net), 1.0)
    grads = torch.autograd.grad(pen, [m.bias for m in net
                                      if isinstance(m, nn.Linear)],
                                allow_unused=True)
    assert all(g is None for g in grads)
    # closed form: (1/2) sum of squared weights
    expect = 0.5 * sum((m.weight ** 2).sum().item() for m in net
                       if isinstance(m, nn.Linear))
    assert pen.item() == pytest.approx(expect, rel=1e-14)
    # negative control: penalising every parameter gives more
    every = l2_penalty(list(net.parameters()), 1.0)
    assert every.item() > pen.item() + 1e-3


# ---------------------------------------------------------------------
# eq:decay-sgd

@pytest.mark.parametrize("seed", range(5))
def test_decay_step_equals_l2_step(seed):
    w, g = batch(seed, (4, 6)), batch(seed + 50, (4, 6))
    a = sgd_step_l2(w, g, eps=0.1, lam=0.5)
    b = decay_then_step(w, g, eps=0.1, lam=0.5)
    assert torch.allclose(a, b, rtol=0, atol=1e-14)
    # negative control: forgetting the eps in the decay factor
    wrong = (1 - 0.5) * w - 0.1 * g
    assert torch.max(torch.abs(wrong - a)) > 1e-2


@pytest.mark.parametrize("seed", range(3))
def test_decay_step_matches_torch_sgd(seed):
    net, eps, lam = small_net(seed), 0.05, 0.2
    X = batch(seed)
    ref = small_net(seed)
    biases = [m.bias for m in ref if isinstance(m, nn.Linear)]
    opt = torch.optim.SGD([{"params": weights(ref), "weight_decay": lam},
                           {"params": biases, "weight_decay": 0.0}],
                          lr=eps)
    for _ in range(5):
        J = (net(X) ** 2).mean()
        gw = torch.autograd.grad(J, weights(net), retain_graph=True)
        gb = torch.autograd.grad(J, [m.bias for m in net
                                     if isinstance(m, nn.Linear)])
        with torch.no_grad():
            for w, g in zip(weights(net), gw):
                w.copy_(decay_then_step(w, g, eps, lam))
            for b, g in zip([m.bias for m in net
                             if isinstance(m, nn.Linear)], gb):
                b.sub_(eps * g)
        opt.zero_grad()
        (ref(X) ** 2).mean().backward()
        opt.step()
    for p, q in zip(net.parameters(), ref.parameters()):
        assert torch.allclose(p, q, rtol=0, atol=1e-12)
    # negative control: torch decaying the biases too ends elsewhere
    wrong = small_net(seed)
    opt = torch.optim.SGD(wrong.parameters(), lr=eps, weight_decay=lam)
    for _ in range(5):
        opt.zero_grad()
        (wrong(X) ** 2).mean().backward()
        opt.step()
    diff = max(torch.max(torch.abs(p - q)).item()
               for p, q in zip(net.parameters(), wrong.parameters()))
    assert diff > 1e-6


def test_l2_and_decoupled_agree_for_sgd_not_adam():
    grad = ELONGATED.grad
    l2, dec = l2_vs_decoupled(grad, (-9.0, 1.5), 0.1, 0.5, 50, "SGD")
    assert np.allclose(l2, dec, rtol=0, atol=1e-12)
    l2, dec = l2_vs_decoupled(grad, (-9.0, 1.5), 0.1, 0.5, 50, "Adam")
    assert np.max(np.abs(l2 - dec)) > 0.1


def test_adam_l2_converges_to_penalised_minimum():
    # f = theta^T A theta / 2 with A = diag(0.1, 2): the minimum of
    # f + (lam/2)||theta||^2 is 0, so check a shifted quadratic instead:
    # grad = A (theta - c) has the penalised minimum (A + lam I)^-1 A c
    A, c, lam = np.diag([0.1, 2.0]), np.array([3.0, -2.0]), 0.5
    target = np.linalg.solve(A + lam * np.eye(2), A @ c)
    l2, dec = l2_vs_decoupled(lambda t: A @ (t - c), (0.0, 0.0), 0.01,
                              lam, 3000, "Adam")
    assert np.allclose(l2[-1], target, atol=1e-2)
    # negative control: AdamW's end point is not that minimum
    assert np.max(np.abs(dec[-1] - target)) > 0.1


# ---------------------------------------------------------------------
# eq:dropout-mask, eq:inverted-dropout, eq:weight-scaling,
# eq:dropout-expectation

N = 200_000


def z_bound(n, q):
    """Half-width of a 5-sigma binomial interval for a fraction q."""
    return 5 * math.sqrt(q * (1 - q) / n)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_mask_drop_fraction(p):
    mu = dropout_mask((N,), p, torch.Generator().manual_seed(0))
    assert set(mu.unique().tolist()) <= {0.0, 1.0}
    assert abs((mu == 0).double().mean().item() - p) < z_bound(N, p)


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_torch_dropout_statistics(p):
    torch.manual_seed(1)
    h = torch.full((N,), 3.0, dtype=F64)
    out = nn.Dropout(p)(h)
    zeroed = (out == 0).double().mean().item()
    assert abs(zeroed - p) < z_bound(N, p)
    kept = out[out != 0]
    assert torch.allclose(kept, h[:len(kept)] / (1 - p), rtol=0,
                          atol=1e-14)
    ours = inverted_dropout(h, p, torch.Generator().manual_seed(1), True)
    assert abs((ours == 0).double().mean().item() - p) < z_bound(N, p)
    assert torch.allclose(ours[ours != 0], h[:1] / (1 - p))
    # eval() is the identity, for torch and for inverted dropout
    d = nn.Dropout(p).eval()
    assert torch.equal(d(h), h)
    assert torch.equal(inverted_dropout(h, p, None, False), h)


@pytest.mark.parametrize("p", [0.25, 0.5])
def test_expected_activation_both_conventions(p):
    h = torch.linspace(-2, 3, 7, dtype=F64)
    H = h.expand(N, 7)
    gen = torch.Generator().manual_seed(2)
    inv = inverted_dropout(H, p, gen, True).mean(dim=0)
    ws = weight_scaling_dropout(H, p, gen, True).mean(dim=0)
    # standard error of a mean of N draws of mu h / (1 - p)
    se = h.abs() * math.sqrt(p / (1 - p) / N)
    assert torch.all(torch.abs(inv - h) < 5 * se + 1e-12)
    test_ws = weight_scaling_dropout(h, p, None, False)
    assert torch.all(torch.abs(ws - test_ws) < 5 * se + 1e-12)
    # negative control: weight-scaling training outputs compared with
    # the unscaled h (the wrong test-time rule) are off by p h
    assert torch.max(torch.abs(ws - h)).item() > 0.5 * p * 3


def test_dropout_layer_follows_train_and_eval():
    layer = Dropout(0.5, torch.Generator().manual_seed(0))
    h = torch.ones(1000, dtype=F64)
    out = layer(h)
    assert set(out.unique().tolist()) == {0.0, 2.0}
    layer.eval()
    assert torch.equal(layer(h), h)


def test_bad_p():
    with pytest.raises(ValueError):
        dropout_mask((3,), 1.0, None)


# ---------------------------------------------------------------------
# the ensemble view

def test_masks_and_probabilities():
    masks = all_masks(4)
    assert masks.shape == (16, 4)
    assert len({tuple(m.tolist()) for m in masks}) == 16
    assert mask_probabilities(masks, 0.3).sum().item() == \
        pytest.approx(1.0, abs=1e-14)


def layer(seed, n=6, k=4):
    g = torch.Generator().manual_seed(seed)
    W = torch.randn(k, n, dtype=F64, generator=g)
    b = torch.randn(k, dtype=F64, generator=g)
    return lambda h: h @ W.T + b


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_linear_ensemble_equals_weight_scaling(p):
    f, h = layer(0), batch(3, (5, 6))
    assert torch.allclose(ensemble_mean(f, h, p), weight_scaled(f, h, p),
                          rtol=0, atol=1e-12)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_softmax_geometric_mean_equals_weight_scaling(p):
    z, h = layer(1), batch(4, (5, 6))
    soft = lambda hm: torch.softmax(z(hm), dim=-1)   # noqa: E731
    geo = ensemble_geometric_mean(z, h, p)
    ws = weight_scaled(soft, h, p)
    assert torch.allclose(geo, ws, rtol=0, atol=1e-12)
    # negative control: the arithmetic mean is close but not equal
    arith = ensemble_mean(soft, h, p)
    gap = torch.max(torch.abs(arith - ws)).item()
    assert 1e-4 < gap < 0.5
    assert torch.allclose(arith.sum(dim=-1), torch.ones(5, dtype=F64))


def test_relu_hidden_layer_breaks_the_identity():
    f1, f2 = layer(2, 6, 5), layer(3, 5, 3)
    net = lambda hm: f2(torch.relu(f1(hm)))   # noqa: E731
    h = batch(5, (8, 6))
    gap = torch.max(torch.abs(ensemble_mean(net, h, 0.5)
                              - weight_scaled(net, h, 0.5))).item()
    assert gap > 1e-3


# ---------------------------------------------------------------------
# the overfitting runs

def test_overfitting_run_is_deterministic_and_short():
    a = overfitting_run(0, lam=1e-2, p=0.3, width=16, epochs=3)
    b = overfitting_run(0, lam=1e-2, p=0.3, width=16, epochs=3)
    for x, y in zip(a, b):
        assert np.array_equal(x, y)
    assert a[0].tolist() == [1, 2, 3]
    assert np.all((a[1] >= 0) & (a[1] <= 1))


def test_deep_mlp_layout():
    net = deep_mlp(8, 4, 0.5, torch.Generator().manual_seed(0))
    assert len(weights(net)) == 5
    assert sum(isinstance(m, Dropout) for m in net) == 4
    plain = deep_mlp(8, 4, 0.0, torch.Generator().manual_seed(0))
    assert not any(isinstance(m, Dropout) for m in plain)


def test_ensemble_figure_claims():
    # the figure's net: logits and geometric mean equal weight scaling;
    # the arithmetic mean is less confident but mostly agrees on argmax
    from snippets.data import load_digits_split
    from snippets.figures import regularization_dropout_ensemble as fig
    hidden, output = small_dropout_net(fig.N_HIDDEN, fig.P, fig.SEED)
    X_val = torch.as_tensor(load_digits_split().X_val)
    with torch.no_grad():
        h = hidden(X_val)

        def soft(hm):
            return torch.softmax(output(hm), dim=-1)
        ws = weight_scaled(soft, h, fig.P)
        assert torch.allclose(ensemble_mean(output, h, fig.P),
                              weight_scaled(output, h, fig.P),
                              rtol=0, atol=1e-10)
        assert torch.allclose(
            ensemble_geometric_mean(output, h, fig.P), ws,
            rtol=0, atol=1e-12)
        arith = ensemble_mean(soft, h, fig.P)
    assert torch.max(torch.abs(arith - ws)).item() > 0.1
    agree = (arith.argmax(dim=1) == ws.argmax(dim=1)).double().mean()
    assert agree.item() > 0.95


@pytest.mark.parametrize("kwargs", [{"lam": 1e-2}, {"p": 0.2}])
def test_overfitting_figure_claims(kwargs):
    # the figures' runs: every net fits the 300 images perfectly, and
    # the regularized net ends with the higher test accuracy in each of
    # the three seeds; the plain arm is the control
    from snippets.figures import regularization_weight_decay as fig
    _, train0, test0 = overfitting_curves(fig.SEEDS, epochs=fig.EPOCHS)
    _, train, test = overfitting_curves(fig.SEEDS, epochs=fig.EPOCHS,
                                        **kwargs)
    assert np.all(train0[:, -1] == 1.0) and np.all(train[:, -1] == 1.0)
    assert np.all(test[:, -1] > test0[:, -1])
    assert np.all(train0[:, -1] - test0[:, -1] > 0.05)
