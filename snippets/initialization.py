"""Chapter 4, Parameter initialization strategies, in NumPy.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_initialization.py`` checks it against the equation, by
Monte Carlo, and against ``torch.nn.init``.

Weights follow ``snippets.models``: layer l computes ``h @ W + b`` with
``W`` of shape (n_in, n_out), so column j holds the weights into unit j.
(PyTorch stores the transpose, shape (n_out, n_in).) An ``init`` is any
function ``init(n_in, n_out, rng)`` that returns such a matrix.
"""

import numpy as np

from snippets.basic_algorithms import SGD
from snippets.data import load_digits_split
from snippets.models import loss_and_grad
from snippets.models import loss as mlp_loss


# --8<-- [start:schemes]
def normal_init(n_in, n_out, sigma, rng):
    """W_ij ~ N(0, sigma^2), independently: one sigma for every layer."""
    return sigma * rng.standard_normal((n_in, n_out))


def xavier_uniform(n_in, n_out, rng):
    """Implements eq:glorot-uniform: U(-a, a), a = sqrt(6/(n_in+n_out)).

    U(-a, a) has variance a^2 / 3, which is eq:glorot-variance.
    """
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


def xavier_normal(n_in, n_out, rng):
    """Implements eq:glorot-variance with a normal distribution."""
    sigma = np.sqrt(2.0 / (n_in + n_out))
    return sigma * rng.standard_normal((n_in, n_out))


def he_normal(n_in, n_out, rng):
    """Implements eq:he-variance: N(0, 2 / n_in), for ReLU layers."""
    sigma = np.sqrt(2.0 / n_in)
    return sigma * rng.standard_normal((n_in, n_out))


def orthogonal(n_in, n_out, rng):
    """Implements eq:orthogonal: a random W with orthonormal columns.

    That needs n_in >= n_out; for n_in < n_out the rows are orthonormal
    instead (W W^T = I). The QR factors of a Gaussian matrix, with the
    signs of Q's columns fixed so that diag(R) > 0, make W uniformly
    distributed over such matrices (as torch.nn.init.orthogonal_ does).
    """
    transpose = n_in <= n_out
    A = rng.standard_normal((n_out, n_in) if transpose else (n_in, n_out))
    Q, R = np.linalg.qr(A)          # reduced QR: Q^T Q = I
    Q = Q * np.sign(np.diag(R))     # the sign fix
    return Q.T if transpose else Q


def sparse_init(n_in, n_out, k, rng, sigma=1.0):
    """Each unit gets exactly k nonzero incoming weights (Martens, 2010).

    The k inputs of every unit are chosen at random, without
    replacement; their weights are N(0, sigma^2), all others are 0.
    """
    W = np.zeros((n_in, n_out))
    for j in range(n_out):
        rows = rng.choice(n_in, size=k, replace=False)
        W[rows, j] = sigma * rng.standard_normal(k)
    return W
# --8<-- [end:schemes]


def init_params(sizes, init, rng, bias=0.0):
    """An MLP for snippets.models: W{l} = init(n_in, n_out, rng), b = bias.

    ``sizes`` lists the layer widths, e.g. ``[64, 32, 10]``.

    >>> rng = np.random.default_rng(0)
    >>> p = init_params([4, 3, 2], xavier_normal, rng)
    >>> {k: v.shape for k, v in p.items()}
    {'W1': (4, 3), 'b1': (3,), 'W2': (3, 2), 'b2': (2,)}
    """
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        params[f"W{l}"] = init(n_in, n_out, rng)
        params[f"b{l}"] = np.full(n_out, float(bias))
    return params


def train_mlp(params, n_steps, lr=0.1, batch_size=32, seed=0,
              activation="relu", eval_every=10):
    """Minibatch SGD on the digits; changes ``params`` in place.

    Returns the loss on the whole training set at k = 0, eval_every,
    2 * eval_every, ..., n_steps.
    """
    X, y, _, _ = load_digits_split()
    rng = np.random.default_rng(seed)
    opt = SGD(lr)
    losses = [mlp_loss(params, X, y, activation)]
    for k in range(1, n_steps + 1):
        idx = rng.choice(len(X), size=batch_size, replace=False)
        _, grads = loss_and_grad(params, X[idx], y[idx], activation)
        opt.update(params, grads)
        if k % eval_every == 0:
            losses.append(mlp_loss(params, X, y, activation))
    return np.array(losses)


# --8<-- [start:symmetry]
def constant_init(value):
    """An init that sets every weight to ``value``."""
    return lambda n_in, n_out, rng: np.full((n_in, n_out), value)


def unit_spread(W):
    """How different the hidden units are: the largest difference
    between the incoming weights of any unit and those of unit 0."""
    return np.max(np.abs(W - W[:, :1]))


def symmetry_experiment(n_steps=300, hidden=16, lr=0.1, seed=0):
    """Train a one-hidden-layer ReLU MLP on the digits twice: from
    constant weights (0.1 everywhere) and from random ones (He).

    Returns {"constant": params, "random": params} after training.
    """
    out = {}
    for name, init in [("constant", constant_init(0.1)),
                       ("random", he_normal)]:
        rng = np.random.default_rng(seed)
        params = init_params([64, hidden, 10], init, rng)
        train_mlp(params, n_steps, lr=lr, seed=seed)
        out[name] = params
    return out
# --8<-- [end:symmetry]


# --8<-- [start:activations]
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z))


ACTIVATIONS = {"sigmoid": sigmoid, "tanh": np.tanh,
               "relu": lambda z: np.maximum(z, 0.0)}


def layer_activations(activation, init, n_layers=5, width=100,
                      n_samples=1000, seed=0):
    """Forward n_samples Gaussian inputs x ~ N(0, I) through n_layers
    layers of ``width`` units (zero biases). Returns the list of
    pre-activations z and the list of activations h, one
    (n_samples, width) array per layer.
    """
    rng = np.random.default_rng(seed)
    act = ACTIVATIONS[activation]
    h = rng.standard_normal((n_samples, width))
    zs, hs = [], []
    for _ in range(n_layers):
        z = h @ init(width, width, rng)
        h = act(z)
        zs.append(z)
        hs.append(h)
    return zs, hs
# --8<-- [end:activations]


# --8<-- [start:variance-by-layer]
def relu_second_moment(var_z):
    """Implements eq:relu-second-moment (z symmetric about 0)."""
    return 0.5 * var_z


def predicted_variances(var_w, n_in, depth, var_x=1.0):
    """Var(z) in layers 1..depth of a ReLU net, zero biases.

    Layer 1 gets eq:forward-variance with E[x^2] = var_x; every later
    layer gets it with E[h^2] from eq:relu-second-moment.
    """
    var_z = [n_in * var_w * var_x]
    for _ in range(depth - 1):
        var_z.append(n_in * var_w * relu_second_moment(var_z[-1]))
    return np.array(var_z)


def measured_variances(activation, init, depth=30, width=100,
                       n_samples=1000, seed=0):
    """The sample variance of z in each of ``depth`` layers (over all
    units and inputs)."""
    zs, _ = layer_activations(activation, init, depth, width,
                              n_samples, seed)
    return np.array([z.var() for z in zs])
# --8<-- [end:variance-by-layer]


# --8<-- [start:training]
def train_digits_with_init(init, n_steps=1000, lr=0.05, batch_size=32,
                           hidden=(100, 100, 100, 100), seed=0,
                           eval_every=20):
    """Train a ReLU MLP on the digits from ``init`` (biases 0).

    Every layer, the output layer too, is drawn with
    init(n_in, n_out, rng). Returns the training loss at k = 0,
    eval_every, ..., n_steps.
    """
    rng = np.random.default_rng(seed)
    params = init_params([64, *hidden, 10], init, rng)
    return train_mlp(params, n_steps, lr=lr, batch_size=batch_size,
                     seed=seed, eval_every=eval_every)
# --8<-- [end:training]


def fixed_sigma(sigma):
    """The init W_ij ~ N(0, sigma^2), as a function of (n_in, n_out, rng)."""
    return lambda n_in, n_out, rng: normal_init(n_in, n_out, sigma, rng)
