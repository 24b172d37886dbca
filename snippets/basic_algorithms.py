"""Chapter 3, Basic algorithms: SGD, learning-rate schedules, momentum
and Nesterov momentum, in NumPy.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_basic_algorithms.py`` checks it against the equation and
against PyTorch.
"""

import numpy as np

from snippets.data import load_digits_split
from snippets.models import init_mlp, loss_and_grad
from snippets.models import loss as mlp_loss


# --8<-- [start:minibatch]
def minibatch_gradient(per_example_grad, theta, X, y, m, rng):
    """Implements eq:minibatch-gradient.

    Draws m of the n training examples uniformly at random, without
    replacement, and averages their gradients. per_example_grad(theta,
    X, y) returns one gradient per row of X, stacked along axis 0.
    """
    idx = rng.choice(len(X), size=m, replace=False)
    G = per_example_grad(theta, X[idx], y[idx])
    return G.mean(axis=0)
# --8<-- [end:minibatch]


# --8<-- [start:sgd]
def sgd(grad_fn, theta0, lr_schedule, n_steps):
    """Implements eq:sgd-update, i.e. Algorithm 3.1 run for n_steps.

    grad_fn(theta) returns the estimate g_hat (a minibatch gradient, or
    the exact gradient for full-batch descent); lr_schedule(k) returns
    eps_k for k = 0, 1, 2, ... Returns theta_0, ..., theta_n as rows.
    """
    theta = np.array(theta0, dtype=float)
    iterates = [theta]
    for k in range(n_steps):
        g = grad_fn(theta)
        theta = theta - lr_schedule(k) * g
        iterates.append(theta)
    return np.array(iterates)
# --8<-- [end:sgd]


# --8<-- [start:schedules]
# k counts the updates already made: k = 0 is the first step.

def linear_decay(k, eps0, eps_tau, tau):
    """Implements eq:linear-decay: eps0 down to eps_tau, then flat."""
    frac = np.minimum(k, tau) / tau
    return (1 - frac) * eps0 + frac * eps_tau


def step_decay(k, eps0, gamma, step_size):
    """Implements eq:step-decay: multiply by gamma every step_size."""
    return eps0 * gamma ** (k // step_size)


def cosine_annealing(k, eps0, eps_min, K):
    """Implements eq:cosine-annealing: eps0 at k = 0, eps_min at k = K.

    (Past K the cosine climbs again, as in PyTorch's CosineAnnealingLR.)
    """
    return eps_min + 0.5 * (eps0 - eps_min) * (1 + np.cos(np.pi * k / K))


def warmup(k, eps0, W):
    """Implements eq:warmup: eps0 / W, 2 eps0 / W, ..., eps0, eps0, ..."""
    return eps0 * np.minimum(1.0, (k + 1) / W)
# --8<-- [end:schedules]


# --8<-- [start:momentum]
def momentum_step(theta, v, g, eps, alpha):
    """Implements eq:momentum-velocity and eq:momentum-update.

    Unrolled from v = 0, the velocity is eq:velocity-sum.
    """
    v = alpha * v - eps * g
    theta = theta + v
    return theta, v


def velocity_constant_gradient(k, eps, alpha, g):
    """Implements eq:velocity-constant-gradient (v_0 = 0, g fixed).

    >>> float(velocity_constant_gradient(1, eps=0.1, alpha=0.9, g=1.0))
    -0.1
    >>> round(float(velocity_constant_gradient(
    ...     1000, eps=0.1, alpha=0.9, g=1.0)), 12)
    -1.0
    """
    return -(1 - alpha ** k) / (1 - alpha) * eps * np.asarray(g)


def terminal_speed(eps, alpha, g_norm):
    """Implements eq:terminal-velocity: the limit of |v_k|.

    >>> round(terminal_speed(eps=0.1, alpha=0.9, g_norm=1.0), 12)
    1.0
    >>> [round(terminal_speed(1.0, a, 1.0), 9) for a in (0.5, 0.9, 0.99)]
    [2.0, 10.0, 100.0]
    """
    return eps * g_norm / (1 - alpha)
# --8<-- [end:momentum]


# --8<-- [start:sgd-class]
class SGD:
    """The update of torch.optim.SGD, on dicts of NumPy arrays.

    Implements eq:torch-weight-decay, eq:torch-buffer,
    eq:torch-momentum-step and, with nesterov=True,
    eq:torch-nesterov-step. update() changes params in place and keeps
    one momentum buffer b per parameter name. lr may be changed between
    calls, e.g. by a schedule.
    """

    def __init__(self, lr, momentum=0.0, dampening=0.0,
                 weight_decay=0.0, nesterov=False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening")
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weight_decay = weight_decay
        self.nesterov = nesterov
        self.buffers = {}

    def update(self, params, grads):
        for name, g in grads.items():
            theta = params[name]
            if self.weight_decay != 0:
                g = g + self.weight_decay * theta
            if self.momentum != 0:
                b = self.buffers.get(name)
                if b is None:
                    b = g.copy()  # first step: b = g, not damped
                else:
                    b = self.momentum * b + (1 - self.dampening) * g
                self.buffers[name] = b
                if self.nesterov:
                    g = g + self.momentum * b
                else:
                    g = b
            theta -= self.lr * g  # in place: the caller sees the change
# --8<-- [end:sgd-class]


# --8<-- [start:nesterov]
def nesterov_step(theta, v, grad_fn, eps, alpha):
    """Implements eq:nesterov-velocity and eq:nesterov-update.

    The only change from momentum_step: the gradient is evaluated at
    the look-ahead point theta + alpha * v instead of at theta.
    """
    g = grad_fn(theta + alpha * v)
    v = alpha * v - eps * g
    theta = theta + v
    return theta, v
# --8<-- [end:nesterov]


# --8<-- [start:paths]
def optimizer_paths(grad_fn, theta0, eps, alpha, n_steps):
    """Iterates of plain SGD, momentum and Nesterov, all from theta0.

    All three use the same constant eps; the two momentum methods use
    the same alpha. Returns {"SGD": ..., "momentum": ...,
    "Nesterov": ...}, each of shape (n_steps + 1, len(theta0)).
    """
    theta0 = np.asarray(theta0, dtype=float)
    paths = {"SGD": sgd(grad_fn, theta0, lambda k: eps, n_steps)}
    for name in ("momentum", "Nesterov"):
        theta, v = theta0, np.zeros_like(theta0)
        path = [theta]
        for _ in range(n_steps):
            if name == "momentum":
                g = grad_fn(theta)
                theta, v = momentum_step(theta, v, g, eps, alpha)
            else:
                theta, v = nesterov_step(theta, v, grad_fn, eps, alpha)
            path.append(theta)
        paths[name] = np.array(path)
    return paths
# --8<-- [end:paths]


# --8<-- [start:digits]
def train_digits(lr, n_steps, batch_size=32, hidden=32, seed=0,
                 eval_every=1):
    """Minibatch SGD (constant lr) on a one-hidden-layer MLP for the
    8x8 digits. Returns the loss on the whole training set at
    k = 0, eval_every, 2 * eval_every, ..., n_steps.
    """
    X, y, _, _ = load_digits_split()
    rng = np.random.default_rng(seed)
    params = init_mlp([X.shape[1], hidden, 10], rng)
    opt = SGD(lr)
    losses = [mlp_loss(params, X, y)]
    for k in range(1, n_steps + 1):
        idx = rng.choice(len(X), size=batch_size, replace=False)
        _, grads = loss_and_grad(params, X[idx], y[idx])
        opt.update(params, grads)
        if k % eval_every == 0:
            losses.append(mlp_loss(params, X, y))
    return np.array(losses)
# --8<-- [end:digits]
