"""Chapter 9, Optimization as a trajectory: the neural tangent kernel,
lazy training, memorization of random labels and Adam vs SGD, in
PyTorch (float64).

The sections between the ``--8<--`` markers are shown in the book.
``tests/test_trajectory_networks.py`` checks the empirical NTK eq:ntk
against a closed form and finite differences, the kernel-regression
prediction eq:ntk-regression against the linearized model
eq:linearized-model trained by gradient descent, and the claims of the
figures on their own data.

Every random number comes from a ``torch.Generator`` that the caller
seeds, so a run is fixed by its seed.
"""

import math

import numpy as np
import torch
from torch import nn
from torch.nn.functional import cross_entropy

from snippets.optimization_strategies_networks import digits
from snippets.regularization import deep_mlp

F64 = torch.float64


# --8<-- [start:ntk]
class TwoLayerNet(nn.Module):
    """f(x) = a . sigma(W x / sqrt(d) + b) / sqrt(m), m hidden units.

    NTK parameterization: every parameter starts as N(0, 1) and the
    1/sqrt(fan-in) factors sit in the forward pass, so the NTK has a
    limit as m grows (Jacot et al., 2018).
    """

    def __init__(self, width, d_in=1, seed=0, act="relu"):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)

        def standard_normal(*shape):
            return nn.Parameter(
                torch.randn(*shape, generator=gen, dtype=F64))

        self.W = standard_normal(width, d_in)
        self.b = standard_normal(width)
        self.a = standard_normal(width)
        self.act = torch.relu if act == "relu" else torch.tanh

    def forward(self, X):
        d, m = self.W.shape[1], self.W.shape[0]
        z = X @ self.W.T / math.sqrt(d) + self.b
        return self.act(z) @ self.a / math.sqrt(m)


def flat_params(model):
    """All parameters as one vector theta."""
    return torch.cat([p.detach().reshape(-1)
                      for p in model.parameters()])


def jacobian(model, X):
    """J[i] = grad_theta f(x_i; theta): one row per input, by autograd."""
    params = list(model.parameters())
    rows = []
    for x in X:
        grads = torch.autograd.grad(model(x[None])[0], params)
        rows.append(torch.cat([g.reshape(-1) for g in grads]))
    return torch.stack(rows)


def empirical_ntk(model, X, X2=None):
    """Eq. eq:ntk: Theta(x, x') = grad f(x)^T grad f(x'), for all pairs
    of rows of X and X2 (default X2 = X): Theta = J(X) J(X2)^T."""
    J = jacobian(model, X)
    J2 = J if X2 is None else jacobian(model, X2)
    return J @ J2.T


def train_gd(model, X, y, eta, n_steps):
    """Full-batch gradient descent on J = sum_i (f(x_i) - y_i)^2 / (2n).
    """
    opt = torch.optim.SGD(model.parameters(), lr=eta)
    for _ in range(n_steps):
        loss = 0.5 * ((model(X) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def toy_regression(n=8, seed=0):
    """n inputs in [-1, 1] (one feature) and targets y = sin(3x)."""
    gen = torch.Generator().manual_seed(seed)
    X = 2 * torch.rand(n, 1, generator=gen, dtype=F64) - 1
    return X, torch.sin(3 * X[:, 0])


def lazy_training(width, seed=0, eta=1.0, n_steps=500, n=8):
    """Train a TwoLayerNet on toy_regression; return the relative
    changes ||theta_T - theta_0|| / ||theta_0|| (weights) and
    ||Theta_T - Theta_0||_F / ||Theta_0||_F (NTK on the training set),
    and the final training loss."""
    X, y = toy_regression(n)
    model = TwoLayerNet(width, seed=seed)
    theta0, ntk0 = flat_params(model), empirical_ntk(model, X)
    train_gd(model, X, y, eta, n_steps)
    theta, ntk = flat_params(model), empirical_ntk(model, X)
    loss = 0.5 * ((model(X) - y) ** 2).mean().item()
    return ((theta - theta0).norm() / theta0.norm()).item(), \
        ((ntk - ntk0).norm() / ntk0.norm()).item(), loss
# --8<-- [end:ntk]


# --8<-- [start:ntk-regression]
def ntk_regression(ntk_xX, ntk_XX, f0_x, f0_X, y, eta=None,
                   n_steps=None):
    """Eq. eq:ntk-regression: the linearized model eq:linearized-model
    trained on J = sum_i (f(x_i) - y_i)^2 / (2n) from f_0, at inputs x:

        f(x) = f_0(x) + Theta(x, X) Theta(X, X)^-1 (y - f_0(X)).

    That is the limit of gradient flow. With eta and n_steps it is the
    prediction after n_steps of gradient descent instead: the residual
    r = f(X) - y obeys r_{k+1} = (I - eta Theta / n) r_k, so Theta^-1
    becomes V diag((1 - (1 - eta lam / n)^k) / lam) V^T (eigenpairs
    lam, V of Theta(X, X)).
    """
    lam, V = torch.linalg.eigh(ntk_XX)
    if n_steps is None:
        g = 1 / lam
    else:
        g = (1 - (1 - eta * lam / len(y)) ** n_steps) / lam
    return f0_x + ntk_xX @ (V @ (g * (V.T @ (y - f0_X))))


def ntk_fit(width, seed=0, eta=1.0, n_steps=500, n=8, n_test=201):
    """The trained network vs kernel regression with its NTK at
    initialization, on a grid of test inputs x in [-1.2, 1.2].
    Returns (x, network after training, NTK prediction after the same
    n_steps of gradient descent, NTK prediction eq:ntk-regression, f_0
    at x)."""
    X, y = toy_regression(n)
    x = torch.linspace(-1.2, 1.2, n_test, dtype=F64)[:, None]
    model = TwoLayerNet(width, seed=seed)
    with torch.no_grad():
        f0_x, f0_X = model(x), model(X)
    ntk_xX, ntk_XX = empirical_ntk(model, x, X), empirical_ntk(model, X)
    lin_T = ntk_regression(ntk_xX, ntk_XX, f0_x, f0_X, y, eta, n_steps)
    lin_inf = ntk_regression(ntk_xX, ntk_XX, f0_x, f0_X, y)
    train_gd(model, X, y, eta, n_steps)
    with torch.no_grad():
        net = model(x)
    return x[:, 0], net, lin_T, lin_inf, f0_x
# --8<-- [end:ntk-regression]


def digits_subset(n_train, seed=0):
    """n_train training images drawn at random (fixed by ``seed``) from
    the digits training split, and the whole validation split as the
    test set: (X, y, X_test, y_test)."""
    X, y, X_test, y_test = digits()
    gen = torch.Generator().manual_seed(seed)
    idx = torch.randperm(len(X), generator=gen)[:n_train]
    return X[idx], y[idx], X_test, y_test


def mlp(width, seed, n_hidden=1):
    """64 -> width (x n_hidden) -> 10, ReLU, He initialization: chapter
    8's deep_mlp without dropout."""
    return deep_mlp(width, n_hidden, 0.0,
                    torch.Generator().manual_seed(seed))


def accuracy(model, X, y):
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).double().mean().item()


def train_classifier(model, opt, data, epochs, batch_size, seed):
    """Minibatch training on the cross-entropy; minibatches are a fresh
    random permutation of the training set each epoch (from ``seed``).
    Logs (train loss, train accuracy, test accuracy) after each epoch,
    and before the first: arrays of length epochs + 1."""
    X, y, X_test, y_test = data
    gen = torch.Generator().manual_seed(seed)
    log = []

    def record():
        with torch.no_grad():
            J = cross_entropy(model(X), y).item()
        log.append((J, accuracy(model, X, y),
                    accuracy(model, X_test, y_test)))

    record()
    for _ in range(epochs):
        for idx in torch.randperm(len(X), generator=gen).split(batch_size):
            loss = cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        record()
    return tuple(np.array(col) for col in zip(*log))


# --8<-- [start:memorization]
def random_labels(y, seed):
    """Random labels as in Zhang et al. (2017): the labels of the
    training set, shuffled. Each class keeps its count, but the label
    of an image no longer depends on the image.

    >>> y = torch.tensor([0, 0, 1, 1, 2, 2])
    >>> sorted(random_labels(y, seed=0).tolist())
    [0, 0, 1, 1, 2, 2]
    """
    gen = torch.Generator().manual_seed(seed)
    return y[torch.randperm(len(y), generator=gen)]


def memorization(labels="random", seed=0, n_train=500, width=512,
                 epochs=30, eta=3e-3, batch_size=50):
    """A wide MLP trained by Adam on n_train digits with their true or
    random labels; test accuracy is measured against the true labels.
    Returns (train loss, train accuracy, test accuracy) per epoch."""
    X, y, X_test, y_test = digits_subset(n_train, seed)
    if labels == "random":
        y = random_labels(y, seed)
    model = mlp(width, seed)
    opt = torch.optim.Adam(model.parameters(), lr=eta)
    return train_classifier(model, opt, (X, y, X_test, y_test), epochs,
                            batch_size, seed)
# --8<-- [end:memorization]


# --8<-- [start:adaptive-generalization]
# the learning rates tried, for each method (a small grid, no tuning
# beyond it); momentum is the heavy-ball SGD of chapter 3 with 0.9
LR_GRID = {"momentum": (0.01, 0.03, 0.1), "Adam": (1e-3, 3e-3, 1e-2)}


def make_optimizer(method, params, eta):
    if method == "SGD":
        return torch.optim.SGD(params, lr=eta)
    if method == "momentum":
        return torch.optim.SGD(params, lr=eta, momentum=0.9)
    if method == "Adam":
        return torch.optim.Adam(params, lr=eta)
    raise ValueError(f"unknown method {method!r}")


def compare_optimizers(method, eta, seed, width=64, epochs=30,
                       batch_size=128):
    """One run on the whole digits training set: the same initial
    weights and minibatch order for every method with the same seed.
    Returns (train loss, train accuracy, test accuracy) per epoch."""
    model = mlp(width, seed)
    opt = make_optimizer(method, model.parameters(), eta)
    return train_classifier(model, opt, digits(), epochs, batch_size,
                            seed)
# --8<-- [end:adaptive-generalization]
