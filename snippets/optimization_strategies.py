"""Chapter 7, Optimization strategies and meta-algorithms: coordinate
descent, block coordinate descent (alternating least squares), Polyak
averaging and continuation, in NumPy.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_optimization_strategies.py`` checks it against a closed form
and, for the averages, against torch.optim.swa_utils.AveragedModel.
"""

import numpy as np

from snippets.challenges_gradients import gradient_descent
from snippets.problems import ill_conditioned_quadratic


# --8<-- [start:coordinate-descent]
def coordinate_descent(A, b, theta0, n_sweeps):
    """Minimize f(theta) = 1/2 theta^T A theta - b^T theta one coordinate
    at a time (A symmetric positive definite).

    Each move sets theta_i to the exact minimizer of f along axis i,
    eq:coordinate-update, with the other coordinates held fixed; a sweep
    visits i = 1, ..., n in turn, which is the Gauss-Seidel iteration for
    A theta = b. Returns theta_0 and the iterate after every single move,
    shape (n_sweeps * n + 1, n).

    >>> A, b = np.diag([1.0, 4.0]), np.array([1.0, 2.0])
    >>> coordinate_descent(A, b, [0.0, 0.0], n_sweeps=1).tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 0.5]]
    """
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    theta = np.array(theta0, dtype=float)
    path = [theta.copy()]
    for _ in range(n_sweeps):
        for i in range(len(theta)):
            # sum over j != i of A_ij theta_j: row i of A theta, minus
            # the diagonal term; uses the coordinates already updated
            rest = A[i] @ theta - A[i, i] * theta[i]
            theta[i] = (b[i] - rest) / A[i, i]
            path.append(theta.copy())
    return np.array(path)


def coupled_quadratic(alpha):
    """(A, b) of GBC's example f(theta) = (theta_1 - theta_2)^2
    + alpha (theta_1^2 + theta_2^2) = 1/2 theta^T A theta - b^T theta.

    The minimum is at the origin. A coordinate move sets
    theta_1 = theta_2 / (1 + alpha): for small alpha each move barely
    shrinks theta, so coordinate descent crawls along theta_1 = theta_2.

    >>> coupled_quadratic(0.5)[0].tolist()
    [[3.0, -2.0], [-2.0, 3.0]]
    """
    A = 2.0 * np.array([[1.0 + alpha, -1.0], [-1.0, 1.0 + alpha]])
    return A, np.zeros(2)
# --8<-- [end:coordinate-descent]


# --8<-- [start:block-coordinate-descent]
def mf_loss(X, U, V, lam):
    """Implements eq:matrix-factorization: the squared error of
    X ~ U V^T plus the ridge penalty lam/2 (|U|_F^2 + |V|_F^2)."""
    R = X - U @ V.T
    return 0.5 * np.sum(R * R) + 0.5 * lam * (np.sum(U * U)
                                              + np.sum(V * V))


def ridge_block(X, V, lam):
    """The exact minimizer over U of eq:matrix-factorization with V
    fixed: U = X V (V^T V + lam I)^-1, the first half of eq:als-update.
    Called as ridge_block(X.T, U, lam) it gives the V half.
    """
    k = V.shape[1]
    # solve (V^T V + lam I) U^T = V^T X^T rather than invert
    return np.linalg.solve(V.T @ V + lam * np.eye(k), V.T @ X.T).T


def als(X, rank, lam, n_sweeps, rng):
    """Alternating least squares: block coordinate descent on
    eq:matrix-factorization with blocks U and V (eq:als-update).

    U and V start as standard normal (m, rank) and (n, rank) matrices
    from the numpy Generator rng. Returns U, V and the loss before
    the first and after every half-sweep (2 n_sweeps + 1 values).
    """
    m, n = X.shape
    U = rng.standard_normal((m, rank))
    V = rng.standard_normal((n, rank))
    losses = [mf_loss(X, U, V, lam)]
    for _ in range(n_sweeps):
        U = ridge_block(X, V, lam)          # U-block, V fixed
        losses.append(mf_loss(X, U, V, lam))
        V = ridge_block(X.T, U, lam)        # V-block, U fixed
        losses.append(mf_loss(X, U, V, lam))
    return U, V, np.array(losses)


def low_rank_data(m=30, n=20, rank=3, noise=0.1, seed=0):
    """A rank-`rank` m x n matrix plus Gaussian noise (the figure's X)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, rank)) @ rng.standard_normal((rank, n))
    return X + noise * rng.standard_normal((m, n))
# --8<-- [end:block-coordinate-descent]


# --8<-- [start:polyak]
def polyak_average(thetas):
    """Implements eq:polyak-average: row t - 1 is the mean of
    theta^(1), ..., theta^(t) (rows of thetas; time is axis 0).

    Kept as a running mean, hat <- hat + (theta - hat) / t, which is
    how torch.optim.swa_utils.AveragedModel updates its copy.

    >>> polyak_average([1.0, 3.0, 5.0]).tolist()
    [1.0, 2.0, 3.0]
    """
    thetas = np.asarray(thetas, dtype=float)
    hat = thetas[0].copy()
    out = [hat.copy()]
    for t, theta in enumerate(thetas[1:], start=2):
        hat += (theta - hat) / t
        out.append(hat.copy())
    return np.array(out)


def ema_average(thetas, rho):
    """Implements eq:polyak-ema from hat^(1) = theta^(1), as
    AveragedModel does with get_ema_multi_avg_fn(rho): its first update
    copies the parameters. Starting there rather than at 0, the weights
    already sum to 1, so there is no bias to correct.

    >>> ema_average([1.0, 3.0, 5.0], rho=0.5).tolist()
    [1.0, 2.0, 3.5]
    """
    thetas = np.asarray(thetas, dtype=float)
    hat = thetas[0].copy()
    out = [hat.copy()]
    for theta in thetas[1:]:
        hat = rho * hat + (1 - rho) * theta
        out.append(hat.copy())
    return np.array(out)


def noisy_sgd(H, theta0, eps, sigma, n_steps, rng):
    """Constant-step SGD on J = 1/2 theta^T H theta (minimum at 0) with
    the gradient H theta + sigma z, z ~ N(0, I) drawn from rng.

    theta0 may have leading dimensions, e.g. (n_runs, d) for
    independent runs side by side. Returns theta^(0), ..., theta^(n).
    """
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        # theta @ H is H theta for every run (H is symmetric)
        g = theta @ H + sigma * rng.standard_normal(theta.shape)
        theta = theta - eps * g
        path.append(theta)
    return np.array(path)


# the figure's problem: curvatures 1 and 1/4, axes turned by 30 degrees
POLYAK_H = ill_conditioned_quadratic(4.0, angle=np.pi / 6).H
POLYAK_THETA0 = (-3.0, 2.0)
POLYAK_EPS, POLYAK_SIGMA, POLYAK_RHO = 0.2, 1.0, 0.99


def polyak_runs(n_steps, n_runs=1, seed=0):
    """SGD iterates theta^(1), ..., theta^(n) of n_runs runs on
    POLYAK_H, with their running means and EMAs: three arrays of shape
    (n_steps, n_runs, 2)."""
    rng = np.random.default_rng(seed)
    theta0 = np.tile(POLYAK_THETA0, (n_runs, 1))
    thetas = noisy_sgd(POLYAK_H, theta0, POLYAK_EPS, POLYAK_SIGMA,
                       n_steps, rng)[1:]   # eq:polyak-average from t = 1
    return (thetas, polyak_average(thetas),
            ema_average(thetas, POLYAK_RHO))


def polyak_distances(n_steps=1000, n_runs=100, seed=0):
    """Root-mean-square distance to the minimum over n_runs runs at
    t = n_steps, for the last iterate, the average and the EMA."""
    names = ("last", "average", "EMA")
    runs = polyak_runs(n_steps, n_runs, seed)
    return {name: float(np.sqrt(np.mean(np.sum(x[-1] ** 2, axis=-1))))
            for name, x in zip(names, runs)}
# --8<-- [end:polyak]


# --8<-- [start:continuation]
def blurred_cosine(theta, omega, sigma):
    """Implements eq:blurred-cosine: E cos(omega (theta + xi)) with
    xi ~ N(0, sigma^2) is cos(omega theta), damped by
    exp(-omega^2 sigma^2 / 2).

    >>> round(float(blurred_cosine(0.0, omega=2.0, sigma=1.0)), 6)
    0.135335
    """
    return np.exp(-0.5 * (omega * sigma) ** 2) * np.cos(omega * theta)


class Wiggly:
    """J(theta) = a/2 (theta - center)^2 + sum_k c_k cos(omega_k theta):
    a bowl with ripples, so many local minima.

    loss(theta, sigma) and grad(theta, sigma) are the blurred objective
    J^(i) of eq:blurred-objective in closed form: each cosine is damped
    as in eq:blurred-cosine and the quadratic gains the constant
    a sigma^2 / 2 (E xi = 0, E xi^2 = sigma^2). sigma = 0 is J itself.

    >>> f = Wiggly()
    >>> float(f.loss(0.0, sigma=100.0)) == f.a / 2 * (f.center ** 2 + 1e4)
    True
    """

    def __init__(self, a=1.0, center=0.5, c=(1.0, 0.5),
                 omega=(3.0, 7.0)):
        self.a, self.center = float(a), float(center)
        self.c = np.asarray(c, dtype=float)
        self.omega = np.asarray(omega, dtype=float)

    def damping(self, sigma):
        return self.c * np.exp(-0.5 * (self.omega * sigma) ** 2)

    def loss(self, theta, sigma=0.0):
        theta = np.asarray(theta, dtype=float)[..., None]
        bowl = 0.5 * self.a * ((theta[..., 0] - self.center) ** 2
                             + sigma ** 2)
        ripples = self.damping(sigma) * np.cos(self.omega * theta)
        return bowl + ripples.sum(axis=-1)

    def grad(self, theta, sigma=0.0):
        theta = np.asarray(theta, dtype=float)[..., None]
        ripples = self.damping(sigma) * self.omega * np.sin(
            self.omega * theta)
        return (self.a * (theta[..., 0] - self.center)
                - ripples.sum(axis=-1))


def continuation(f, theta0, sigmas, eps, n_steps):
    """Gradient descent on the blurred objectives J^(sigma_i), from the
    most blurred to sigma = 0, each started at the previous minimizer.

    Returns the minimizer found for each sigma_i, in order.
    """
    theta, found = float(theta0), []
    for sigma in sigmas:
        path = gradient_descent(lambda th: f.grad(th, sigma), theta, eps,
                                n_steps)
        theta = float(path[-1])
        found.append(theta)
    return np.array(found)


CONT_THETA0 = 4.0
CONT_SIGMAS = (1.5, 0.8, 0.4, 0.2, 0.0)   # the last is J itself
CONT_EPS, CONT_STEPS = 0.04, 1000          # eps < 2 / max J''
# --8<-- [end:continuation]
