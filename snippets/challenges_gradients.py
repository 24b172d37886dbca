"""Chapter 2, Challenges: cliffs and gradient clipping, long-term
dependencies, and poor correspondence between local and global
structure, in NumPy.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_challenges_gradients.py`` checks it against the equation
and, for clipping, against PyTorch.
"""

import numpy as np


# --8<-- [start:clipping]
def clip_grad_norm(grads, max_norm):
    """Implements eq:clip-by-norm with the arithmetic of PyTorch's
    torch.nn.utils.clip_grad_norm_ (norm_type=2); max_norm is v.

    grads maps parameter names to NumPy arrays (as in the book's
    optimizers) and is scaled in place. The norm is that of all arrays
    flattened into one vector: the 2-norm of the per-array 2-norms.
    Returns that norm, measured before clipping.

    Where the 1e-6 sits: in the denominator, added to the norm itself
    (not to its square, not to v). Every array is multiplied by
    min(v / (|g| + 1e-6), 1). So a zero gradient needs no special case;
    a clipped gradient ends up with norm v |g| / (|g| + 1e-6), a hair
    below v; and scaling starts at |g| > v - 1e-6 rather than at
    |g| > v. Below that the min gives exactly 1 and the gradient keeps
    every bit (torch, too, multiplies by 1.0 rather than branch).

    >>> grads = {"w": np.array([3.0, 4.0]), "b": np.array(0.0)}
    >>> float(clip_grad_norm(grads, max_norm=1.0))
    5.0
    >>> np.round(grads["w"], 6).tolist()
    [0.6, 0.8]
    """
    norms = [np.sqrt(np.sum(g * g)) for g in grads.values()]
    total_norm = np.sqrt(np.sum(np.square(norms)))
    # torch evaluates v / x as (1 / x) * v; so do we, for the same bits
    coef = min(max_norm * (1 / (total_norm + 1e-6)), 1.0)
    for g in grads.values():
        g *= coef  # in place: the caller's arrays change
    return total_norm
# --8<-- [end:clipping]


# --8<-- [start:cliff]
def gradient_descent(grad_fn, theta0, eps, n_steps, v=None):
    """theta <- theta - eps g, n_steps times from theta0.

    With a threshold v, each gradient is first clipped by
    eq:clip-by-norm (clip_grad_norm above), so no step is longer than
    eps v. Returns theta_0, ..., theta_n as rows.
    """
    theta = np.array(theta0, dtype=float)
    iterates = [theta]
    for _ in range(n_steps):
        grads = {"theta": grad_fn(theta)}
        if v is not None:
            clip_grad_norm(grads, v)
        theta = theta - eps * grads["theta"]
        iterates.append(theta)
    return np.array(iterates)


def cliff_paths(cliff, theta0, eps, v, n_steps):
    """Plain and clipped gradient descent on the same cliff, with the
    same eps: {"GD": ..., "clipped": ...}."""
    return {"GD": gradient_descent(cliff.grad, theta0, eps, n_steps),
            "clipped": gradient_descent(cliff.grad, theta0, eps,
                                        n_steps, v=v)}
# --8<-- [end:cliff]


# --8<-- [start:matrix-power]
def matrix_power_eigen(W, t):
    """Implements eq:matrix-power: W^t = V diag(lam)^t V^-1.

    W must be diagonalizable (W = V diag(lam) V^-1); t is a whole
    number >= 0. The eigenvalues of a real W may be complex, in
    conjugate pairs; the imaginary parts then cancel and the real part
    is returned.
    """
    lam, V = np.linalg.eig(W)
    Wt = (V * lam ** t) @ np.linalg.inv(V)
    return Wt.real if np.isrealobj(W) else Wt


def component_growth(lams, t):
    """|lam_i|^t: the factor by which W^t (eq:matrix-power) scales the
    component of a vector along the i-th eigenvector of W.

    Shape (len(t), len(lams)). It vanishes for |lam_i| < 1 and explodes
    for |lam_i| > 1, geometrically in t.

    >>> component_growth([0.5, 2.0], [0, 1, 10]).tolist()
    [[1.0, 1.0], [0.5, 2.0], [0.0009765625, 1024.0]]
    """
    lams = np.abs(np.asarray(lams))
    t = np.asarray(t)
    return lams[None, :] ** t[:, None]
# --8<-- [end:matrix-power]


# --8<-- [start:local-global]
class Mountain:
    """J(theta) = a/2 |theta - theta_star|^2 + M bump(theta): a bowl with
    its minimum at theta_star and a mountain in front of it, where
    bump(theta) = max(1 - |theta|^2 / R^2, 0)^2.

    The mountain of height M is centred at the origin and vanishes
    beyond radius R; it is kept clear of theta_star (|theta_star| >= R),
    so the only minimum is theta_star, with J = 0. (The other critical
    points lie behind the mountain, on the line through theta_star and
    the origin: its top and a saddle at its foot.)
    """

    def __init__(self, a=0.2, M=4.0, R=3.0, theta_star=(4.0, 0.0)):
        self.a, self.M, self.R = float(a), float(M), float(R)
        self.theta_star = np.array(theta_star, dtype=float)
        if np.linalg.norm(self.theta_star) < self.R:
            raise ValueError("theta_star must lie off the mountain")
        self.dim = 2

    def loss(self, theta):
        theta = np.asarray(theta, dtype=float)
        u = np.maximum(1 - np.sum(theta ** 2, -1) / self.R ** 2, 0.0)
        d = theta - self.theta_star
        return 0.5 * self.a * np.sum(d ** 2, -1) + self.M * u ** 2

    def grad(self, theta):
        theta = np.asarray(theta, dtype=float)
        u = np.maximum(1 - np.sum(theta ** 2, -1) / self.R ** 2, 0.0)
        slope = -4 * self.M * u / self.R ** 2  # grad of M u^2 is slope theta
        return (self.a * (theta - self.theta_star)
                + slope[..., None] * theta)


def path_length(path):
    """Total length of the steps of a path, rows theta_0, ..., theta_n."""
    return float(np.sum(np.linalg.norm(np.diff(path, axis=0), axis=1)))
# --8<-- [end:local-global]
