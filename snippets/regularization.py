"""Chapter 8, Regularization: weight decay, dropout and two overfitting
experiments on 300 digits, in PyTorch (float64).

The sections between the ``--8<--`` markers are shown in the book.
``tests/test_regularization.py`` checks the penalty and the decayed SGD
step against autograd and torch.optim.SGD, the dropout functions against
torch.nn.Dropout and their expectations, and the ensemble identities in
closed form.

Weight decay applies to the weights w of the layers, not to the biases.
Dropout's p is PyTorch's: the probability of ZEROING a unit, so a unit
is kept with probability 1 - p. Every random number comes from a
``torch.Generator`` that the caller seeds.
"""

import itertools

import numpy as np
import torch
from torch import nn
from torch.nn.functional import cross_entropy

from snippets.adaptive_learning_rates import Adam, AdamW, optimizer_path
from snippets.basic_algorithms import SGD
from snippets.optimization_strategies_networks import digits, linear

F64 = torch.float64


# --8<-- [start:l2-penalty]
def weights(model):
    """The tensors weight decay acts on: the weight matrices of the
    nn.Linear layers of ``model`` (its biases are left out)."""
    return [m.weight for m in model.modules()
            if isinstance(m, nn.Linear)]


def l2_penalty(ws, lam):
    """Eq. eq:l2-penalty: (lam / 2) ||w||^2, summed over the tensors
    ws."""
    return lam / 2 * sum((w ** 2).sum() for w in ws)


def l2_gradient(grads, ws, lam):
    """Eq. eq:l2-gradient: the gradient of J + penalty, grad J + lam w,
    given the gradients of J."""
    return [g + lam * w for g, w in zip(grads, ws)]
# --8<-- [end:l2-penalty]


# --8<-- [start:decay-in-sgd]
def sgd_step_l2(w, g, eps, lam):
    """One SGD step on J + (lam/2)||w||^2 with the gradient of
    Eq. eq:l2-gradient: w - eps (g + lam w)."""
    return w - eps * (g + lam * w)


def decay_then_step(w, g, eps, lam):
    """The same step written as Eq. eq:decay-sgd: shrink w by the factor
    1 - eps lam, then take the plain step -eps g."""
    return (1 - eps * lam) * w - eps * g


class DecoupledSGD(SGD):
    """Plain SGD (no momentum) with eq:decay-sgd done literally: theta
    is first multiplied by 1 - lr lam, then the step -lr g is taken."""

    def __init__(self, lr, weight_decay):
        super().__init__(lr)
        self.lam = weight_decay

    def update(self, params, grads):
        for theta in params.values():
            theta *= 1 - self.lr * self.lam
        super().update(params, grads)


def l2_vs_decoupled(grad_fn, theta0, lr, lam, n_steps, method="Adam"):
    """Iterates (l2, decoupled) of the two forms of weight decay with
    chapter 5's optimizers: lam theta added to the gradient, or theta
    shrunk by 1 - lr lam. The same for SGD; not for Adam, where the
    L2 form is Adam(weight_decay=lam) and the decoupled one AdamW."""
    if method == "SGD":
        l2, decoupled = SGD(lr, weight_decay=lam), DecoupledSGD(lr, lam)
    else:
        l2 = Adam(lr, weight_decay=lam)          # L2 in the gradient
        decoupled = AdamW(lr, weight_decay=lam)  # decay outside Adam
    return (optimizer_path(l2, grad_fn, theta0, n_steps),
            optimizer_path(decoupled, grad_fn, theta0, n_steps))
# --8<-- [end:decay-in-sgd]


# --8<-- [start:dropout]
def dropout_mask(shape, p, rng):
    """mu with mu_i ~ Bernoulli(1 - p), independent (Eq. eq:dropout-mask):
    1 keeps unit i, 0 drops it; p is the probability of a 0."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must be in [0, 1): {p}")
    return (torch.rand(shape, generator=rng, dtype=F64) >= p).to(F64)


def inverted_dropout(h, p, rng, training):
    """PyTorch's convention (Eq. eq:inverted-dropout): at training time
    mu * h / (1 - p), so E[h~] = h (Eq. eq:dropout-expectation); at
    test time h unchanged."""
    if not training:
        return h
    return dropout_mask(h.shape, p, rng) * h / (1 - p)


def weight_scaling_dropout(h, p, rng, training):
    """The original convention (Eq. eq:weight-scaling): mu * h at training
    time, so E[h~] = (1 - p) h; at test time h scaled by 1 - p."""
    if not training:
        return (1 - p) * h
    return dropout_mask(h.shape, p, rng) * h


class Dropout(nn.Module):
    """inverted_dropout as a layer, like nn.Dropout, but drawing its
    masks from its own generator (so a run is fixed by its seed)."""

    def __init__(self, p, rng):
        super().__init__()
        self.p, self.rng = p, rng

    def forward(self, h):
        return inverted_dropout(h, self.p, self.rng, self.training)
# --8<-- [end:dropout]


# --8<-- [start:ensemble]
def all_masks(n):
    """The 2^n masks of n units, one per row (Eq. eq:dropout-mask)."""
    return torch.tensor(list(itertools.product([0.0, 1.0], repeat=n)),
                        dtype=F64)


def mask_probabilities(masks, p):
    """P(mu) = (1 - p)^(units kept) p^(units dropped) for each row."""
    kept = masks.sum(dim=1)
    return (1 - p) ** kept * p ** (masks.shape[1] - kept)


def ensemble_mean(f, h, p):
    """The exact ensemble: sum over all masks mu of P(mu) f(mu * h),
    for a batch h of shape (batch, n) and p the drop probability."""
    masks = all_masks(h.shape[1])
    probs = mask_probabilities(masks, p)
    outs = torch.stack([f(mu * h) for mu in masks])
    return torch.einsum("m,m...->...", probs, outs)


def ensemble_geometric_mean(logits_fn, h, p):
    """The renormalized weighted geometric mean of the members' softmax
    outputs: prod_mu softmax(z(mu * h))^P(mu), divided by its sum."""
    log_p = ensemble_mean(
        lambda hm: torch.log_softmax(logits_fn(hm), dim=-1), h, p)
    return torch.softmax(log_p, dim=-1)


def weight_scaled(f, h, p):
    """The weight-scaling rule (Eq. eq:weight-scaling): one pass with
    (1 - p) h in place of the random mu * h."""
    return f((1 - p) * h)
# --8<-- [end:ensemble]


# --8<-- [start:overfitting]
N_TRAIN = 300  # a small training set: the first 300 training images


def small_digits(n_train=N_TRAIN):
    """(X, y, X_test, y_test): the first n_train images of the digits
    training split, and the whole validation split (360) as the test
    set, standardized as in snippets.data; float64 and int64."""
    X, y, X_test, y_test = digits()
    return X[:n_train], y[:n_train], X_test, y_test


def deep_mlp(width, depth, p, gen):
    """64 -> depth hidden layers of width ReLU units -> 10, He init,
    zero biases; with p > 0 a dropout layer after every hidden ReLU."""
    sizes = [64] + [width] * depth
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [linear(n_in, n_out, gen), nn.ReLU()]
        if p > 0:
            layers.append(Dropout(p, gen))
    return nn.Sequential(*layers, linear(width, 10, gen))


def accuracy(model, X, y):
    model.eval()              # dropout off: the network used at test
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).double().mean().item()


def overfitting_run(seed, lam=0.0, p=0.0, width=128, depth=4,
                    epochs=50, batch_size=30, eps=0.01, momentum=0.9):
    """SGD with momentum on 300 digits; weight decay lam on the weights
    only (biases in a group with weight_decay=0), dropout p. Returns
    (epoch, train accuracy, test accuracy) after every epoch."""
    X, y, X_test, y_test = small_digits()
    gen = torch.Generator().manual_seed(seed)
    model = deep_mlp(width, depth, p, gen)
    ws = weights(model)
    biases = [m.bias for m in model.modules()
              if isinstance(m, nn.Linear)]
    opt = torch.optim.SGD([{"params": ws, "weight_decay": lam},
                           {"params": biases, "weight_decay": 0.0}],
                          lr=eps, momentum=momentum)
    log = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(X), generator=gen)
        for idx in order.split(batch_size):
            loss = cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        log.append((epoch, accuracy(model, X, y),
                    accuracy(model, X_test, y_test)))
    return tuple(np.array(c) for c in zip(*log))
# --8<-- [end:overfitting]


def overfitting_curves(seeds, **kwargs):
    """overfitting_run for each seed: (epoch, train accuracies, test
    accuracies), the accuracies of shape (len(seeds), epochs)."""
    runs = [overfitting_run(seed, **kwargs) for seed in seeds]
    return (runs[0][0], np.array([r[1] for r in runs]),
            np.array([r[2] for r in runs]))


def small_dropout_net(n_hidden, p, seed, n_steps=300, eps=0.01):
    """64 -> n_hidden ReLU units -> dropout p -> 10, trained by Adam on
    the whole digits training split (full batch). Returns the two
    halves (hidden, output) as nn.Modules in eval mode, so that
    output(mu * hidden(X)) is the ensemble member with mask mu."""
    X, y, _, _ = digits()
    gen = torch.Generator().manual_seed(seed)
    hidden = nn.Sequential(linear(64, n_hidden, gen), nn.ReLU())
    output = linear(n_hidden, 10, gen)
    model = nn.Sequential(hidden, Dropout(p, gen), output)
    opt = torch.optim.Adam(model.parameters(), lr=eps)
    for _ in range(n_steps):
        opt.zero_grad()
        cross_entropy(model(X), y).backward()
        opt.step()
    return hidden.eval(), output.eval()
