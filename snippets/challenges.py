"""Chapter 2, Challenges in neural-network optimization: ill-conditioning,
weight-space symmetry, saddle points and the Hessian of a small network.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_challenges.py`` checks it against the equation, against
finite differences and against PyTorch. NumPy does the arithmetic;
PyTorch's autograd supplies the second derivatives of networks.
"""

import math

import numpy as np
import torch

from snippets.basic_algorithms import SGD, sgd
from snippets.data import load_digits_split
from snippets.models import init_mlp, loss_and_grad


# --8<-- [start:taylor-step]
def predicted_change(g, H, eps):
    """Implements eq:taylor-step: J(theta0 - eps g) - J(theta0) as the
    second-order Taylor series eq:second-order-taylor predicts it.

    >>> g, H = np.array([1.0, 1.0]), np.diag([1.0, 3.0])
    >>> float(predicted_change(g, H, eps=0.5))   # -0.5 * 2 + 0.125 * 4
    -0.5
    """
    return -eps * (g @ g) + 0.5 * eps ** 2 * (g @ H @ g)


def step_hurts(g, H, eps):
    """Implements eq:step-hurts: the curvature term outweighs the
    first-order decrease, so the step increases J (to second order)."""
    return 0.5 * eps ** 2 * (g @ H @ g) > eps * (g @ g)


def optimal_step(g, H):
    """Implements eq:optimal-step: the eps that minimizes eq:taylor-step.

    If g^T H g <= 0 the Taylor model keeps falling along -g, however
    large the step; then there is no best eps and we return inf.

    >>> float(optimal_step(np.array([1.0, 1.0]), np.diag([1.0, 3.0])))
    0.5
    """
    gHg = g @ H @ g
    if gHg <= 0:
        return np.inf
    return (g @ g) / gHg
# --8<-- [end:taylor-step]


# --8<-- [start:condition-number]
def gd_contraction(lams):
    """Implements eq:gd-contraction for a quadratic whose Hessian has the
    eigenvalues lams (all > 0).

    Returns the best fixed rate eps = 2 / (lam_min + lam_max) and the
    factor (kappa - 1) / (kappa + 1) by which one step of gradient
    descent then shrinks the distance to the minimum, with kappa from
    eq:condition-number.

    >>> eps, rate = gd_contraction([1.0, 0.5, 0.1])
    >>> round(float(eps), 12), round(float(rate), 12)   # kappa = 10
    (1.818181818182, 0.818181818182)
    """
    lam_min, lam_max = np.min(lams), np.max(lams)
    kappa = lam_max / lam_min
    eps = 2.0 / (lam_min + lam_max)
    return eps, (kappa - 1.0) / (kappa + 1.0)


def steps_to_tolerance(kappa, tol):
    """Steps of gradient descent, with the best fixed eps, until
    |theta_k| <= tol |theta_0| on the 2-D quadratic
    J = 1/2 (theta_1^2 / kappa + theta_2^2), from theta_0 = (1, 1).

    >>> steps_to_tolerance(1.0, 1e-6)    # kappa = 1: one exact step
    1
    """
    lams = np.array([1.0 / kappa, 1.0])   # eigenvalues of H
    eps, _ = gd_contraction(lams)
    theta0 = np.ones(2)
    theta, k = theta0, 0
    while np.linalg.norm(theta) > tol * np.linalg.norm(theta0):
        theta = theta - eps * lams * theta   # the gradient is H theta
        k += 1
    return k
# --8<-- [end:condition-number]


# --8<-- [start:hvp]
def hessian_vector_product(loss_fn, theta, v):
    """Implements eq:hessian-vector-product: H v without forming H.

    loss_fn maps a 1-D tensor theta to the scalar J(theta). The first
    backward pass keeps its graph (create_graph=True), so the gradient
    g is itself a function of theta that can be differentiated again:
    the second pass differentiates the scalar g^T v.
    """
    theta = theta.detach().requires_grad_(True)
    g, = torch.autograd.grad(loss_fn(theta), theta, create_graph=True)
    Hv, = torch.autograd.grad(g @ v, theta)
    return Hv


def curvature_along_gradient(loss_fn, theta):
    """g^T g and g^T H g at theta: the two terms of eq:taylor-step."""
    theta = theta.detach().requires_grad_(True)
    g, = torch.autograd.grad(loss_fn(theta), theta)  # no graph: constant
    gHg = g @ hessian_vector_product(loss_fn, theta, g)
    return float(g @ g), float(gHg)
# --8<-- [end:hvp]


# --8<-- [start:torch-mlp]
def flatten(params):
    """The dict {"W1": ..., "b1": ..., "W2": ...} (parameters or their
    gradients) as one vector theta, in the order W1, b1, W2, b2, ..."""
    L = sum(1 for name in params if name.startswith("W"))
    return np.concatenate([params[f"{kind}{l}"].ravel()
                           for l in range(1, L + 1) for kind in "Wb"])


def mlp_loss_fn(sizes, X, y, activation="tanh"):
    """loss_fn(theta) in PyTorch: the loss of snippets.models' MLP with
    layer widths sizes on (X, y), as a function of theta = flatten(...).
    """
    shapes = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        shapes += [(n_in, n_out), (n_out,)]
    counts = [math.prod(s) for s in shapes]
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    act = torch.tanh if activation == "tanh" else torch.relu

    def loss_fn(theta):
        parts = torch.split(theta, counts)
        h = X
        for l in range(0, len(shapes), 2):
            W = parts[l].reshape(shapes[l])
            h = h @ W + parts[l + 1]
            if l + 2 < len(shapes):
                h = act(h)
        return torch.nn.functional.cross_entropy(h, y)
    return loss_fn


def digits_gd(eps, n_steps, hidden, activation="tanh", seed=0):
    """Full-batch gradient descent with rate eps on the digits training
    set, for a one-hidden-layer MLP. Yields (k, params, J, grads) at
    theta_k for k = 0, ..., n_steps; params is then updated in place.
    """
    X, y, _, _ = load_digits_split()
    rng = np.random.default_rng(seed)
    params = init_mlp([X.shape[1], hidden, 10], rng, activation)
    opt = SGD(eps)
    for k in range(n_steps + 1):
        J, grads = loss_and_grad(params, X, y, activation)
        yield k, params, J, grads
        if k < n_steps:
            opt.update(params, grads)
# --8<-- [end:torch-mlp]


# --8<-- [start:gradient-norm]
def track_curvature(eps, n_steps, hidden, activation="tanh", seed=0,
                    every=20):
    """Trains with digits_gd. Records J and |g| at every step, and
    g^T g and g^T H g (curvature_along_gradient) every `every` steps.
    """
    X, y, _, _ = load_digits_split()
    loss_fn = mlp_loss_fn([X.shape[1], hidden, 10], X, y, activation)
    out = {"J": [], "g_norm": [], "k": [], "gTg": [], "gTHg": []}
    for k, params, J, grads in digits_gd(eps, n_steps, hidden,
                                         activation, seed):
        out["J"].append(J)
        out["g_norm"].append(np.linalg.norm(flatten(grads)))
        if k % every == 0:
            theta = torch.as_tensor(flatten(params))
            gTg, gTHg = curvature_along_gradient(loss_fn, theta)
            out["k"].append(k)
            out["gTg"].append(gTg)
            out["gTHg"].append(gTHg)
    return {name: np.array(values) for name, values in out.items()}
# --8<-- [end:gradient-norm]


# --8<-- [start:symmetry]
# A hidden layer l has weights W{l} (fan_in, n), biases b{l} (n,) and
# outgoing weights W{l+1} (n, fan_out): column j of W{l}, b{l}[j] and
# row j of W{l+1} belong to hidden unit j. Each function returns new
# parameters that compute the same function as the old ones.

def permute_hidden_units(params, perm, l=1):
    """Reorder the units of hidden layer l: new unit j is old perm[j]."""
    new = {name: p.copy() for name, p in params.items()}
    new[f"W{l}"] = params[f"W{l}"][:, perm]
    new[f"b{l}"] = params[f"b{l}"][perm]
    new[f"W{l + 1}"] = params[f"W{l + 1}"][perm, :]
    return new


def flip_tanh_signs(params, signs, l=1):
    """Multiply everything into and out of unit j by signs[j] = +-1.

    Correct for tanh units, because tanh(-z) = -tanh(z).
    """
    s = np.asarray(signs, dtype=float)
    new = {name: p.copy() for name, p in params.items()}
    new[f"W{l}"] = params[f"W{l}"] * s
    new[f"b{l}"] = params[f"b{l}"] * s
    new[f"W{l + 1}"] = params[f"W{l + 1}"] * s[:, None]
    return new


def rescale_relu_unit(params, i, c, l=1):
    """Scale the weights and bias into ReLU unit i by c > 0 and its
    outgoing weights by 1 / c: relu(c z) / c = relu(z)."""
    if c <= 0:
        raise ValueError("c must be positive: relu(c z) != c relu(z)")
    new = {name: p.copy() for name, p in params.items()}
    new[f"W{l}"][:, i] *= c
    new[f"b{l}"][i] *= c
    new[f"W{l + 1}"][i, :] /= c
    return new


def n_equivalent(n):
    """Implements eq:symmetry-count: n! orders times 2^n sign patterns
    of a layer of n tanh units.

    >>> [n_equivalent(n) for n in (1, 2, 3, 10)]
    [2, 8, 48, 3715891200]
    """
    return math.factorial(n) * 2 ** n
# --8<-- [end:symmetry]


# --8<-- [start:saddle]
# theta may carry leading batch dimensions, shape (..., 2), so that the
# figures can evaluate J on a whole grid at once.

def saddle_function(theta):
    """Implements eq:saddle-function."""
    t1, t2 = np.moveaxis(np.asarray(theta, dtype=float), -1, 0)
    return 0.5 * t1 ** 2 - 0.5 * t2 ** 2 + 0.25 * t2 ** 4


def saddle_grad(theta):
    """The gradient of eq:saddle-function."""
    t1, t2 = np.moveaxis(np.asarray(theta, dtype=float), -1, 0)
    return np.stack([t1, -t2 + t2 ** 3], axis=-1)


def saddle_hessian(theta):
    """The Hessian of eq:saddle-function at one point theta."""
    t1, t2 = np.asarray(theta, dtype=float)
    return np.array([[1.0, 0.0], [0.0, 3.0 * t2 ** 2 - 1.0]])


def newton_step(theta, grad, hessian):
    """Implements eq:newton-step. The step lands on the critical point
    of the local quadratic model, whatever its kind: a minimum, a
    maximum or a saddle."""
    return theta - np.linalg.solve(hessian(theta), grad(theta))


def gd_path(grad, theta0, eps, n_steps):
    """Gradient descent with constant eps: sgd (chapter 3) with exact
    gradients. Returns theta_0, ..., theta_n as rows."""
    return sgd(grad, theta0, lambda k: eps, n_steps)


def newton_path(grad, hessian, theta0, n_steps):
    """n_steps of eq:newton-step from theta0, as rows."""
    theta = np.asarray(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        theta = newton_step(theta, grad, hessian)
        path.append(theta)
    return np.array(path)
# --8<-- [end:saddle]


# --8<-- [start:hessian-spectrum]
def full_hessian(loss_fn, theta):
    """The whole d x d Hessian: d Hessian-vector products, vectorized.
    Affordable only for small d (a few hundred parameters here)."""
    return torch.autograd.functional.hessian(
        loss_fn, torch.as_tensor(theta), vectorize=True)


def hessian_spectra(eps, checkpoints, hidden, activation="tanh", seed=0):
    """Trains with digits_gd and returns {k: eigenvalues of H} for each
    k in checkpoints, eigenvalues in ascending order. H is symmetric,
    so its eigenvalues are real: eigvalsh finds them."""
    X, y, _, _ = load_digits_split()
    loss_fn = mlp_loss_fn([X.shape[1], hidden, 10], X, y, activation)
    spectra = {}
    for k, params, _, _ in digits_gd(eps, max(checkpoints), hidden,
                                     activation, seed):
        if k in checkpoints:
            H = full_hessian(loss_fn, flatten(params))
            spectra[k] = np.linalg.eigvalsh(H.numpy())
    return spectra
# --8<-- [end:hessian-spectrum]
