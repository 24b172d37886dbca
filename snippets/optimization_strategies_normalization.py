"""Chapter 7, Optimization strategies: batch normalization and its
relatives (layer, instance and group normalization), in NumPy, and an
experiment with PyTorch networks on the digits.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_optimization_strategies_normalization.py`` checks it
against torch.nn (float64) and against finite differences. The class
BatchNorm1d takes PyTorch's argument names: ``eps`` is our delta (the
small constant) and ``momentum`` is our eta (the weight of the newest
batch in the running averages, not momentum in the sense of chapter 3).
Arrays hold one example per row: x has shape (m, d), m examples of d
units, or (N, C, H, W) for convolutional layers.
"""

import copy

import numpy as np
import torch

from snippets.data import load_digits_split


# --8<-- [start:deep-linear]
def chain_output(x, w):
    """Implements eq:deep-linear-chain: y_hat = x w_1 w_2 ... w_l, one
    unit per layer, no nonlinearity (x and each w_i are numbers)."""
    return x * np.prod(w)


def chain_grad(x, w):
    """The gradient of y_hat with respect to w: x times the product of
    every weight but w_i, in entry i."""
    w = np.asarray(w, dtype=float)
    return np.array([chain_output(x, np.delete(w, i))
                     for i in range(len(w))])


def chain_step(x, w, g, eps):
    """Implements eq:deep-linear-update: every layer steps at once.

    Returns the exact new output y_hat', the first-order prediction
    y_hat - eps g^T grad(y_hat) and the remainder (their difference),
    which holds every term with eps^2, eps^3, ..., eps^l.

    Twenty layers with w_i = 1 and g = grad(y_hat) = (1, ..., 1): the
    step eps = 1/20 should take y_hat from 1 to 0 to first order.

    >>> w = np.ones(20)
    >>> g = chain_grad(1.0, w)
    >>> exact, first, rest = chain_step(1.0, w, g, eps=0.05)
    >>> round(exact, 4), round(first, 4), round(rest, 4)
    (0.3585, 0.0, 0.3585)
    """
    w, g = np.asarray(w, dtype=float), np.asarray(g, dtype=float)
    exact = chain_output(x, w - eps * g)
    first = chain_output(x, w) - eps * (g @ chain_grad(x, w))
    return float(exact), float(first), float(exact - first)
# --8<-- [end:deep-linear]


# --8<-- [start:bn-forward]
def batch_norm_forward(x, gamma, beta, delta=1e-5):
    """Implements eq:bn-mean, eq:bn-variance, eq:bn-normalize and
    eq:bn-scale-shift for each column (unit) of x, shape (m, d).

    Returns y and a cache of what the backward pass needs.
    """
    mu = x.mean(axis=0)                       # eq:bn-mean
    var = ((x - mu) ** 2).mean(axis=0)        # eq:bn-variance (1/m)
    x_hat = (x - mu) / np.sqrt(var + delta)   # eq:bn-normalize
    y = gamma * x_hat + beta                  # eq:bn-scale-shift
    cache = {"x_hat": x_hat, "gamma": gamma, "mu": mu, "var": var,
             "delta": delta}
    return y, cache
# --8<-- [end:bn-forward]


# --8<-- [start:bn-backward]
def batch_norm_backward(dy, cache):
    """Implements eq:bn-backward and eq:bn-backward-params.

    dy holds dL/dy_i in row i; returns dL/dx, dL/dgamma, dL/dbeta.
    """
    x_hat, gamma = cache["x_hat"], cache["gamma"]
    m = dy.shape[0]
    dgamma = (dy * x_hat).sum(axis=0)     # sum_j dL/dy_j x_hat_j
    dbeta = dy.sum(axis=0)                # sum_j dL/dy_j
    # the two sums reappear in dx: the paths through mu and sigma^2
    dx = gamma / np.sqrt(cache["var"] + cache["delta"]) * (
        dy - dbeta / m - x_hat * dgamma / m)
    return dx, dgamma, dbeta
# --8<-- [end:bn-backward]


# --8<-- [start:bn-running]
class BatchNorm1d:
    """Batch normalization of d = num_features units, with running
    statistics as in torch.nn.BatchNorm1d (eps is our delta, momentum
    our eta). Call train() or eval() to switch mode; x is (m, d).
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.eps, self.momentum = eps, momentum
        self.gamma = np.ones(num_features)
        self.beta = np.zeros(num_features)
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)
        self.training = True

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def forward(self, x):
        if not self.training:  # inference: fixed, stored statistics
            x_hat = ((x - self.running_mean)
                     / np.sqrt(self.running_var + self.eps))
            return self.gamma * x_hat + self.beta
        y, self.cache = batch_norm_forward(x, self.gamma, self.beta,
                                           self.eps)
        m, eta = x.shape[0], self.momentum
        # eq:bn-running; the stored variance is the unbiased one
        self.running_mean = ((1 - eta) * self.running_mean
                             + eta * self.cache["mu"])
        self.running_var = ((1 - eta) * self.running_var
                            + eta * m / (m - 1) * self.cache["var"])
        return y

    def backward(self, dy):
        """dL/dx; stores dL/dgamma and dL/dbeta (training mode only)."""
        dx, self.dgamma, self.dbeta = batch_norm_backward(dy, self.cache)
        return dx
# --8<-- [end:bn-running]


# --8<-- [start:bn-2d]
def batch_norm_2d(x, gamma, beta, delta=1e-5):
    """Batch normalization of a convolutional layer's output x, shape
    (N, C, H, W): one mean and variance per channel, over the m = N H W
    values of that channel. gamma and beta have shape (C,).
    """
    N, C, H, W = x.shape
    # make each channel a column: (N, H, W, C), then (N H W, C)
    cols = x.transpose(0, 2, 3, 1).reshape(N * H * W, C)
    y, _ = batch_norm_forward(cols, gamma, beta, delta)
    return y.reshape(N, H, W, C).transpose(0, 3, 1, 2)
# --8<-- [end:bn-2d]


# --8<-- [start:norm-family]
def normalize(x, axes, delta=1e-5):
    """Implements eq:norm-general: each set S_k holds the entries of x
    that share their indices along every axis NOT in ``axes``. For x of
    shape (N, C, H, W): axes (0, 2, 3) is batch norm, (1, 2, 3) layer
    norm, (2, 3) instance norm."""
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    return (x - mu) / np.sqrt(var + delta)


def per_channel(a):
    """gamma or beta of shape (C,), or a number, as shape (C, 1, 1):
    then it broadcasts against (N, C, H, W)."""
    return np.reshape(a, (-1, 1, 1))


def layer_norm(x, gamma=1.0, beta=0.0, delta=1e-5):
    """Per example, over all its other axes: (C, H, W) for images.
    gamma and beta have shape x.shape[1:] (torch.nn.LayerNorm)."""
    axes = tuple(range(1, x.ndim))
    return gamma * normalize(x, axes, delta) + beta


def instance_norm(x, gamma=1.0, beta=0.0, delta=1e-5):
    """Per example and channel, over (H, W); gamma, beta: (C,)."""
    x_hat = normalize(x, (2, 3), delta)
    return per_channel(gamma) * x_hat + per_channel(beta)


def group_norm(x, G, gamma=1.0, beta=0.0, delta=1e-5):
    """Per example, over groups of C/G channels and (H, W); gamma and
    beta: (C,). G = 1 is layer norm over (C, H, W), G = C is instance
    norm."""
    N, C, H, W = x.shape
    # group g holds the channels g C/G, ..., (g + 1) C/G - 1
    groups = x.reshape(N, G, C // G, H, W)
    x_hat = normalize(groups, (2, 3, 4), delta).reshape(N, C, H, W)
    return per_channel(gamma) * x_hat + per_channel(beta)
# --8<-- [end:norm-family]


# --8<-- [start:bn-experiment]
INIT_SCALES = (0.01, 0.1, 1.0, 10.0)  # times He's standard deviation


def make_mlp(scale, batch_norm, hidden=(100, 100, 100), seed=0):
    """A ReLU MLP for the digits, with or without BatchNorm1d between
    each hidden Linear layer and its ReLU. All weights are drawn from
    N(0, (scale * sqrt(2 / n_in))^2), biases are 0 (before BN a bias
    does nothing: BN subtracts the mean); the same seed gives both
    arms the same weights."""
    gen = torch.Generator().manual_seed(seed)
    sizes, layers = [64, *hidden, 10], []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        linear = torch.nn.Linear(n_in, n_out)
        with torch.no_grad():
            std = scale * np.sqrt(2.0 / n_in)     # He times scale
            linear.weight.normal_(0.0, std, generator=gen)
            linear.bias.zero_()
        layers.append(linear)
        if l < len(sizes) - 1:                    # a hidden layer
            if batch_norm:
                layers.append(torch.nn.BatchNorm1d(n_out))
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def full_loss(model, X, y):
    """The loss on all of (X, y) in training mode: BN layers normalize
    with the statistics of all of X. A copy of the model runs it, so
    the running averages of the model itself are left alone."""
    with torch.no_grad():
        logits = copy.deepcopy(model)(X)
    return torch.nn.functional.cross_entropy(logits, y).item()


def bn_experiment(scales=INIT_SCALES, n_epochs=20, lr=0.1,
                  batch_size=128, seed=0):
    """Minibatch SGD on the digits from each init scale, without and
    with BN; the same minibatches in every run.

    Returns k, the update counts at the end of each epoch (0 first),
    and {(scale, batch_norm): the training loss at each k}.
    """
    d = load_digits_split()
    X = torch.tensor(d.X_train, dtype=torch.float32)
    y = torch.tensor(d.y_train)
    steps_per_epoch = -(-len(X) // batch_size)    # the last batch: short
    k = steps_per_epoch * np.arange(n_epochs + 1)
    out = {}
    for scale in scales:
        for batch_norm in (False, True):
            model = make_mlp(scale, batch_norm, seed=seed)
            opt = torch.optim.SGD(model.parameters(), lr=lr)
            gen = torch.Generator().manual_seed(seed)  # same batches
            losses = [full_loss(model, X, y)]
            for _ in range(n_epochs):
                for idx in torch.randperm(len(X), generator=gen
                                          ).split(batch_size):
                    loss = torch.nn.functional.cross_entropy(
                        model(X[idx]), y[idx])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                losses.append(full_loss(model, X, y))
            out[scale, batch_norm] = np.array(losses)
    return k, out
# --8<-- [end:bn-experiment]
