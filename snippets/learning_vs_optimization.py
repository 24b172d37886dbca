"""Chapter 1, How learning differs from pure optimization: surrogate
losses, early stopping and its link to L2 regularization, and the
statistics of minibatch gradients, in NumPy.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_learning_vs_optimization.py`` checks it against the
equation, against a direct computation and against PyTorch.
"""

from typing import NamedTuple

import numpy as np

from snippets.data import load_digits_split
from snippets.models import init_mlp, loss_and_grad
from snippets.models import loss as mlp_loss


# --8<-- [start:losses]
# z is the real-valued output w^T x + b, y is the label in {0, 1}.

def zero_one_loss(z, y):
    """Implements eq:zero-one-loss with the prediction y_hat = [z > 0].

    >>> zero_one_loss(np.array([2.0, -0.5, 0.0]), np.array([1, 1, 0]))
    array([0., 1., 0.])
    """
    y_hat = (np.asarray(z) > 0).astype(float)
    return (y_hat != np.asarray(y)).astype(float)


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), without overflow."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def log_loss(z, y):
    """Implements eq:log-loss.

    -log sigma(z) = log(1 + e^-z) and -log(1 - sigma(z)) = log(1 + e^z):
    np.logaddexp(0, t) = log(1 + e^t) computes both without overflow,
    even for |z| in the thousands.

    >>> round(float(log_loss(0.0, 1)), 6)     # log 2
    0.693147
    >>> float(log_loss(-1000.0, 1)), float(log_loss(1000.0, 1))
    (1000.0, 0.0)
    """
    z = np.asarray(z, dtype=float)
    return y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)


def hinge_loss(z, y):
    """Implements eq:hinge-loss; 2y - 1 maps the label to {-1, +1}.

    >>> hinge_loss(np.array([2.0, 0.5, 0.0]), np.array([1, 1, 0]))
    array([0. , 0.5, 1. ])
    """
    return np.maximum(0.0, 1 - (2 * np.asarray(y) - 1) * np.asarray(z))


def empirical_risk(loss, z, y):
    """Implements eq:empirical-risk: the mean loss over the n examples."""
    return float(np.mean(loss(z, y)))
# --8<-- [end:losses]


# --8<-- [start:surrogate]
def digit_pair(a=3, b=8):
    """Training images of the digits a and b; y = 1 for b, 0 for a."""
    X, y, _, _ = load_digits_split()
    keep = (y == a) | (y == b)
    return X[keep], (y[keep] == b).astype(float)


class LogisticRun(NamedTuple):
    zero_one: np.ndarray   # J with the 0-1 loss, at k = 0, ..., n_steps
    log: np.ndarray        # J with the log loss: what is minimized
    margin: np.ndarray     # mean of (2y - 1) z over the training set


def train_logistic(eps=0.5, n_steps=10_000, digits=(3, 8)):
    """Full-batch gradient descent on the log loss of a logistic
    regression z = w^T x + b, from w = 0, b = 0, on two digit classes.

    Records both training losses and the mean margin before every step.
    """
    X, y = digit_pair(*digits)
    w, b = np.zeros(X.shape[1]), 0.0
    zero_one, log, margin = [], [], []
    for k in range(n_steps + 1):
        z = X @ w + b
        zero_one.append(empirical_risk(zero_one_loss, z, y))
        log.append(empirical_risk(log_loss, z, y))
        margin.append(np.mean((2 * y - 1) * z))
        dJ_dz = (sigmoid(z) - y) / len(y)   # gradient of the mean log loss
        w = w - eps * X.T @ dJ_dz
        b = b - eps * dJ_dz.sum()
    return LogisticRun(np.array(zero_one), np.array(log), np.array(margin))
# --8<-- [end:surrogate]


# --8<-- [start:early-stopping]
class ValidationRun(NamedTuple):
    steps: np.ndarray      # the steps at which both losses were measured
    train: np.ndarray      # J on the training set
    val: np.ndarray        # J on the validation set
    best_step: int         # the step with the smallest validation loss
    best_params: dict      # the parameters at that step


def small_training_set(n_per_class):
    """The first n_per_class training images of each digit."""
    X, y, _, _ = load_digits_split()
    idx = np.concatenate([np.flatnonzero(y == c)[:n_per_class]
                          for c in range(10)])
    return X[idx], y[idx]


def train_with_validation(n_per_class=10, hidden=64, eps=0.05, m=10,
                          n_steps=10_000, eval_every=10, patience=None,
                          seed=0):
    """Minibatch SGD on an MLP for a small subset of the digits (10
    images per class by default, which it can memorize), watching the
    loss on the whole validation set every eval_every steps.

    Keeps a copy of the parameters with the lowest validation loss so
    far. With patience = p, training stops after p evaluations in a row
    without improvement; with None it runs all n_steps.
    """
    X, y = small_training_set(n_per_class)
    _, _, X_val, y_val = load_digits_split()
    rng = np.random.default_rng(seed)
    params = init_mlp([X.shape[1], hidden, 10], rng)
    steps, train, val = [], [], []
    best_step, best_val, best_params, waited = 0, np.inf, None, 0
    for k in range(n_steps + 1):
        if k > 0:   # one SGD step on a random minibatch
            batch = rng.choice(len(X), size=m, replace=False)
            _, grads = loss_and_grad(params, X[batch], y[batch])
            for name in params:
                params[name] -= eps * grads[name]
        if k % eval_every:
            continue
        steps.append(k)
        train.append(mlp_loss(params, X, y))
        val.append(mlp_loss(params, X_val, y_val))
        if val[-1] < best_val:
            best_step, best_val, waited = k, val[-1], 0
            best_params = {name: p.copy() for name, p in params.items()}
        else:
            waited += 1
            if patience is not None and waited >= patience:
                break
    return ValidationRun(np.array(steps), np.array(train), np.array(val),
                         best_step, best_params)
# --8<-- [end:early-stopping]


# --8<-- [start:shrinkage]
# lam_i: eigenvalues of H (a number or an array), eps: learning rate,
# tau: number of steps, lam: the L2 coefficient.

def gd_shrinkage(lam_i, eps, tau):
    """Implements eq:gd-shrinkage: the fraction 1 - (1 - eps lam_i)^tau
    of Q^T theta^* that tau steps of gradient descent from theta = 0 on
    eq:quadratic-approximation have covered, one per eigenvalue.

    >>> gd_shrinkage(np.array([0.0, 0.5, 1.0]), eps=1.0, tau=2)
    array([0.  , 0.75, 1.  ])
    """
    return 1 - (1 - eps * np.asarray(lam_i, dtype=float)) ** tau


def l2_shrinkage(lam_i, lam):
    """Implements eq:l2-shrinkage: 1 - lam / (lam_i + lam), i.e.
    lam_i / (lam_i + lam), for the minimizer of
    eq:quadratic-approximation plus (lam / 2) |theta|^2.

    >>> l2_shrinkage(np.array([0.0, 1.0, 3.0]), lam=1.0)
    array([0.  , 0.5 , 0.75])
    """
    lam_i = np.asarray(lam_i, dtype=float)
    return 1 - lam / (lam_i + lam)


def equivalent_l2(eps, tau):
    """Implements eq:early-stopping-l2: lam = 1 / (tau eps).

    >>> equivalent_l2(eps=0.1, tau=100)
    0.1
    """
    return 1 / (tau * eps)
# --8<-- [end:shrinkage]


# --8<-- [start:standard-error]
def flat_gradient(params, X, y):
    """The gradient of the MLP's mean loss on (X, y), as one vector."""
    _, grads = loss_and_grad(params, X, y)
    return np.concatenate([grads[name].ravel() for name in params])


class StandardError(NamedTuple):
    m: np.ndarray          # the minibatch sizes
    measured: np.ndarray   # SE of every gradient coordinate, one row per m
    predicted: np.ndarray  # sigma / sqrt(m), same shape


def gradient_standard_error(batch_sizes, n_draws, hidden=32, seed=0,
                            replace=True):
    """Measures the spread of the minibatch gradient of one fixed MLP
    (the randomly initialized one) on the digits training set, and
    predicts it with eq:standard-error.

    measured: for every m, draw n_draws minibatches of m examples and
    take the standard deviation of every gradient coordinate across
    the draws. predicted: sigma_j / sqrt(m), where sigma_j is the
    standard deviation of coordinate j of the single-example gradients
    over the whole training set. The default, replace=True, draws the
    m examples independently, as eq:standard-error assumes.
    """
    X, y, _, _ = load_digits_split()
    rng = np.random.default_rng(seed)
    params = init_mlp([X.shape[1], hidden, 10], rng)
    single = np.array([flat_gradient(params, X[i:i + 1], y[i:i + 1])
                       for i in range(len(X))])
    sigma = single.std(axis=0)
    m = np.asarray(batch_sizes)
    measured = []
    for size in m:
        draws = []
        for _ in range(n_draws):
            batch = rng.choice(len(X), size=size, replace=replace)
            draws.append(flat_gradient(params, X[batch], y[batch]))
        measured.append(np.std(draws, axis=0, ddof=1))
    predicted = sigma / np.sqrt(m)[:, None]
    return StandardError(m, np.array(measured), predicted)
# --8<-- [end:standard-error]


# --8<-- [start:shuffling]
def train_ordered_vs_shuffled(eps=0.2, m=32, n_epochs=3, hidden=32,
                              seed=0):
    """The same minibatch SGD run on the digits twice, from the same
    initial MLP: once taking consecutive minibatches from the training
    set sorted by class (all 0s, then all 1s, ...), once from a fresh
    random permutation in every epoch.

    Returns {"class-sorted": J, "shuffled": J}, the loss on the whole
    training set at k = 0, 1, ..., n_epochs * (n // m).
    """
    X, y, _, _ = load_digits_split()
    by_class = np.argsort(y, kind="stable")
    runs = {}
    for order in ("class-sorted", "shuffled"):
        rng = np.random.default_rng(seed)
        params = init_mlp([X.shape[1], hidden, 10], rng)
        J = [mlp_loss(params, X, y)]
        for epoch in range(n_epochs):
            if order == "shuffled":
                perm = rng.permutation(len(X))
            else:
                perm = by_class
            for start in range(0, len(X) - m + 1, m):
                batch = perm[start:start + m]
                _, grads = loss_and_grad(params, X[batch], y[batch])
                for name in params:
                    params[name] -= eps * grads[name]
                J.append(mlp_loss(params, X, y))
        runs[order] = np.array(J)
    return runs
# --8<-- [end:shuffling]
