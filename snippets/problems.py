"""Synthetic test problems shared by every chapter.

Each problem has ``loss(theta)`` and ``grad(theta)``; ``theta`` may carry
leading batch dimensions (shape ``(..., d)``), which is how the figures
evaluate a loss on a whole grid at once.
"""

import numpy as np


class Quadratic:
    """J(theta) = 1/2 (theta - theta_star)^T H (theta - theta_star).

    ``H`` must be symmetric positive semi-definite. The minimum value is 0,
    reached at ``theta_star`` (the origin by default).

    >>> q = Quadratic(np.diag([1.0, 4.0]))
    >>> float(q.loss(np.array([1.0, 1.0])))
    2.5
    >>> q.grad(np.array([1.0, 1.0])).tolist()
    [1.0, 4.0]
    """

    def __init__(self, H, theta_star=None):
        self.H = np.asarray(H, dtype=float)
        d = self.H.shape[0]
        if self.H.shape != (d, d) or not np.allclose(self.H, self.H.T):
            raise ValueError("H must be a symmetric square matrix")
        if theta_star is None:
            theta_star = np.zeros(d)
        self.theta_star = np.asarray(theta_star, dtype=float)
        self.dim = d

    def loss(self, theta):
        delta = np.asarray(theta) - self.theta_star
        return 0.5 * np.einsum("...i,ij,...j->...", delta, self.H, delta)

    def grad(self, theta):
        delta = np.asarray(theta) - self.theta_star
        return delta @ self.H  # H is symmetric: same as H @ delta

    def hessian(self, theta=None):
        return self.H.copy()

    @property
    def eigenvalues(self):
        return np.linalg.eigvalsh(self.H)

    @property
    def condition_number(self):
        lam = self.eigenvalues
        return lam[-1] / lam[0]


def ill_conditioned_quadratic(kappa, dim=2, lam_max=1.0, angle=0.0,
                              rng=None):
    """Quadratic with condition number ``kappa``, minimum at the origin.

    The eigenvalues of H are spaced geometrically from
    ``lam_max / kappa`` up to ``lam_max``. In 2-D the eigenvectors are the
    axes rotated by ``angle`` (radians); in higher dimensions they are
    random (from the numpy Generator ``rng``) or the coordinate axes if
    ``rng`` is None.

    >>> q = ill_conditioned_quadratic(50.0)
    >>> round(float(q.condition_number), 6)
    50.0
    >>> np.round(q.eigenvalues, 3).tolist()
    [0.02, 1.0]
    """
    if kappa < 1:
        raise ValueError("kappa must be >= 1")
    lam = np.geomspace(lam_max / kappa, lam_max, dim)
    if dim == 2:
        c, s = np.cos(angle), np.sin(angle)
        Q = np.array([[c, -s], [s, c]])
    elif rng is None:
        Q = np.eye(dim)
    else:
        Q, R = np.linalg.qr(rng.standard_normal((dim, dim)))
        Q = Q * np.sign(np.diag(R))  # uniformly random orthogonal
    H = (Q * lam) @ Q.T
    return Quadratic(0.5 * (H + H.T))


class Rosenbrock:
    """J(theta) = (a - x)^2 + b (y - x^2)^2, with theta = (x, y).

    A curved, narrow valley; the minimum J = 0 is at (a, a^2).

    >>> r = Rosenbrock()
    >>> float(r.loss(np.array([1.0, 1.0])))
    0.0
    >>> r.grad(np.array([0.0, 0.0])).tolist()
    [-2.0, 0.0]
    """

    def __init__(self, a=1.0, b=100.0):
        self.a = float(a)
        self.b = float(b)
        self.theta_star = np.array([self.a, self.a ** 2])
        self.dim = 2

    def loss(self, theta):
        x, y = np.moveaxis(np.asarray(theta, dtype=float), -1, 0)
        return (self.a - x) ** 2 + self.b * (y - x ** 2) ** 2

    def grad(self, theta):
        x, y = np.moveaxis(np.asarray(theta, dtype=float), -1, 0)
        r = y - x ** 2
        dx = -2.0 * (self.a - x) - 4.0 * self.b * x * r
        dy = 2.0 * self.b * r
        return np.stack([dx, dy], axis=-1)

    def hessian(self, theta):
        x, y = np.asarray(theta, dtype=float)
        dxx = 2.0 - 4.0 * self.b * (y - 3.0 * x ** 2)
        dxy = -4.0 * self.b * x
        return np.array([[dxx, dxy], [dxy, 2.0 * self.b]])


def rosenbrock(theta, a=1.0, b=100.0):
    """Rosenbrock loss; shorthand for ``Rosenbrock(a, b).loss(theta)``."""
    return Rosenbrock(a, b).loss(theta)


def rosenbrock_grad(theta, a=1.0, b=100.0):
    """Rosenbrock gradient; shorthand for ``Rosenbrock(a, b).grad``."""
    return Rosenbrock(a, b).grad(theta)


class Cliff:
    """J(theta) = 1/2 |theta|^2 + h ramp((theta_1 - c) / w), a bowl with
    a cliff; ramp(x) = min(max(x, 0), 1).

    For theta_1 > c + w the bowl is lifted by h (a plateau); on the face
    c < theta_1 < c + w the loss climbs with slope h / w, so there the
    gradient gets h / w added to its first component. With c > 0 the
    minimum J = 0 is at the origin, below the cliff.

    >>> cliff = Cliff(h=20.0, c=1.0, w=0.2)
    >>> float(cliff.loss(np.array([3.0, 4.0])))
    32.5
    >>> cliff.grad(np.array([1.1, 0.0])).tolist()  # on the face
    [101.1, 0.0]
    """

    def __init__(self, h=20.0, c=1.0, w=0.2):
        if h < 0 or c <= 0 or w <= 0:
            raise ValueError("need h >= 0, c > 0 and w > 0")
        self.h, self.c, self.w = float(h), float(c), float(w)
        self.theta_star = np.zeros(2)
        self.dim = 2

    def loss(self, theta):
        theta = np.asarray(theta, dtype=float)
        ramp = np.clip((theta[..., 0] - self.c) / self.w, 0.0, 1.0)
        return 0.5 * np.sum(theta ** 2, axis=-1) + self.h * ramp

    def grad(self, theta):
        theta = np.asarray(theta, dtype=float)
        x1 = theta[..., 0]
        on_face = (x1 > self.c) & (x1 < self.c + self.w)
        g = theta.copy()
        g[..., 0] += np.where(on_face, self.h / self.w, 0.0)
        return g
