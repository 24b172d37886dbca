"""Chapter 6, Approximate second-order methods: Newton's method and its
damping, linear and nonlinear conjugate gradients, line search, BFGS and
L-BFGS, in NumPy, compared with SciPy and torch.optim.LBFGS.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_second_order_methods.py`` checks it against the equation,
against scipy.optimize and against PyTorch (float64). The symbols follow
the book: g the gradient, H the Hessian, eps a step size, alpha the
damping, d a search direction, beta the CG coefficient, (s, y) the BFGS
pairs, M the approximate INVERSE Hessian and m the L-BFGS memory.
"""

import warnings
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import scipy.optimize
import torch
from threadpoolctl import threadpool_limits

from snippets.challenges import saddle_grad, saddle_hessian
from snippets.data import load_digits_split
from snippets.problems import Rosenbrock


# --8<-- [start:newton]
def newton_step(g, H, alpha=0.0):
    """The step theta* - theta_0 of eq:newton-update, or with alpha > 0
    of eq:newton-regularized: -(H + alpha I)^(-1) g.

    We solve the linear system instead of inverting the matrix: the
    same answer, a third of the work and smaller rounding errors.

    On a quadratic J = 1/2 theta^T A theta - b^T theta, g = A theta - b
    and H = A: one step from any point lands on the minimum A^(-1) b.

    >>> A, b = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -1.0])
    >>> theta0 = np.array([10.0, -7.0])
    >>> theta1 = theta0 + newton_step(A @ theta0 - b, A)
    >>> np.allclose(theta1, np.linalg.solve(A, b))
    True
    """
    n = len(g)
    return -np.linalg.solve(H + alpha * np.eye(n), g)


def newton_path(grad, hessian, theta0, n_steps, alpha=0.0):
    """n_steps full steps of eq:newton-regularized (alpha = 0:
    eq:newton-update) from theta0; the iterates as rows."""
    theta = np.asarray(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        theta = theta + newton_step(grad(theta), hessian(theta), alpha)
        path.append(theta)
    return np.array(path)
# --8<-- [end:newton]


# --8<-- [start:damped-newton]
# The saddle of chapter 2: J = theta_1^2/2 - theta_2^2/2 + theta_2^4/4,
# a saddle at the origin (eigenvalues of H: 1 and -1), minima at
# (0, +-1). Anywhere, lambda_min(H) >= -1, so alpha > 1 makes H + alpha I
# positive definite on the whole plane.
SADDLE_THETA0 = (1.5, 0.1)
SADDLE_ALPHAS = (0.0, 1.5, 4.0)     # 0 is plain Newton
SADDLE_STEPS = 25


def damped_newton_paths(theta0=SADDLE_THETA0, alphas=SADDLE_ALPHAS,
                        n_steps=SADDLE_STEPS):
    """{alpha: iterates} of eq:newton-regularized on the saddle."""
    return {alpha: newton_path(saddle_grad, saddle_hessian, theta0,
                               n_steps, alpha)
            for alpha in alphas}
# --8<-- [end:damped-newton]


# --8<-- [start:newton-cost]
class NewtonCost(NamedTuple):
    """What one Newton step costs for n parameters (exact integers;
    shown to two significant digits)."""
    entries: int    # of H: n^2
    bytes: int      # to store H in float32: 4 n^2
    madds: int      # multiply-adds to factor H (LU, as np.linalg.solve)

    def __repr__(self):
        return (f"NewtonCost(entries={self.entries:.1e}, "
                f"bytes={self.bytes:.1e}, madds={self.madds:.1e})")


def newton_cost(n):
    """Memory and arithmetic of one Newton step with n parameters.

    >>> newton_cost(1000)
    NewtonCost(entries=1.0e+06, bytes=4.0e+06, madds=3.3e+08)
    """
    return NewtonCost(entries=n ** 2, bytes=4 * n ** 2, madds=n ** 3 // 3)
# --8<-- [end:newton-cost]


# --8<-- [start:conjugate-gradients]
def conjugate_gradients(A, b, theta0, n_steps=None, beta="fletcher-reeves"):
    """Linear CG on J = 1/2 theta^T A theta - b^T theta (A symmetric
    positive definite), whose gradient is g = A theta - b. Returns the
    iterates theta_0, ..., theta_k as rows; n_steps defaults to n.

    Directions: eq:cg-direction, with beta from eq:fletcher-reeves or
    eq:polak-ribiere (equal here: successive gradients are orthogonal).
    Steps: the exact line search eq:cg-step. The directions come out
    A-conjugate (eq:conjugate-directions), so in exact arithmetic at
    most n steps reach the minimum A^(-1) b.

    >>> A, b = np.diag([1.0, 10.0, 100.0]), np.ones(3)
    >>> path = conjugate_gradients(A, b, np.zeros(3))
    >>> len(path) - 1, bool(np.allclose(path[-1], [1.0, 0.1, 0.01]))
    (3, True)
    """
    theta = np.asarray(theta0, dtype=float)
    n_steps = len(theta) if n_steps is None else n_steps
    g = A @ theta - b
    d = -g
    path = [theta]
    for _ in range(n_steps):
        if not np.any(g):
            break                          # exactly at the minimum
        Ad = A @ d
        eps = -(g @ d) / (d @ Ad)          # eq:cg-step
        theta = theta + eps * d
        g_new = g + eps * Ad               # = A theta - b, one product
        if beta == "fletcher-reeves":
            b_t = (g_new @ g_new) / (g @ g)             # eq:fletcher-reeves
        else:
            b_t = ((g_new - g) @ g_new) / (g @ g)       # eq:polak-ribiere
        d = -g_new + b_t * d               # eq:cg-direction
        g = g_new
        path.append(theta)
    return np.array(path)


def steepest_descent_exact(A, b, theta0, n_steps):
    """For comparison: d = -g with the same exact step eq:cg-step."""
    theta = np.asarray(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        g = A @ theta - b
        if not np.any(g):
            break
        theta = theta - (g @ g) / (g @ A @ g) * g
        path.append(theta)
    return np.array(path)
# --8<-- [end:conjugate-gradients]


def random_spd(n, kappa, seed=0, spacing="linear"):
    """(A, b): A symmetric with eigenvalues from 1/kappa to 1, evenly
    ("linear") or geometrically ("geometric") spaced, random
    eigenvectors; b random. With geometric spacing rounding errors
    delay linear CG by a few steps beyond n when kappa is large."""
    rng = np.random.default_rng(seed)
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    Q = Q * np.sign(np.diag(R))
    if spacing == "linear":
        lam = np.linspace(1.0 / kappa, 1.0, n)
    else:
        lam = np.geomspace(1.0 / kappa, 1.0, n)
    A = (Q * lam) @ Q.T
    return 0.5 * (A + A.T), rng.standard_normal(n)  # exactly symmetric


# --8<-- [start:line-search]
C1 = 1e-4       # sufficient decrease (Armijo)
C2_QUASI_NEWTON = 0.9    # curvature condition for BFGS and L-BFGS
C2_CG = 0.1              # stricter for nonlinear CG


def wolfe_step(fun, grad, theta, d, g, c2=C2_QUASI_NEWTON, f=None,
               f_prev=None):
    """A step size eps along the descent direction d that satisfies the
    strong Wolfe conditions with c1 = C1 and c2, found by SciPy.

    f = J(theta) saves one evaluation; f_prev, J at the previous
    iterate, makes SciPy's first trial step the minimizer of a quadratic
    fitted to the last decrease instead of eps = 1.

    SciPy gives up when no step passes: typically close to a minimum,
    where the decrease of J is smaller than the rounding errors of J
    itself, but slopes are still accurate. Then we fit a quadratic to
    the slopes phi'(0) and phi'(1) of phi(eps) = J(theta + eps d) and
    return its minimizer, or 0.0 (stop) if d shows no upward curvature.
    """
    with warnings.catch_warnings():  # a failure is handled below
        warnings.simplefilter("ignore", RuntimeWarning)
        eps = scipy.optimize.line_search(
            fun, grad, theta, d, gfk=g, old_fval=f, old_old_fval=f_prev,
            c1=C1, c2=c2)[0]
    if eps is not None:
        return eps
    slope0, slope1 = g @ d, grad(theta + d) @ d
    if slope0 >= 0 or slope1 <= slope0:
        return 0.0
    return slope0 / (slope0 - slope1)
# --8<-- [end:line-search]


# --8<-- [start:nonlinear-cg]
def nonlinear_cg(fun, grad, theta0, n_iter=1000, beta="polak-ribiere",
                 restart=None, tol=1e-10, callback=None):
    """Nonlinear conjugate gradients with a strong Wolfe line search.

    beta: "polak-ribiere" (eq:polak-ribiere, clipped at 0: PR+) or
    "fletcher-reeves" (eq:fletcher-reeves). Every `restart` iterations
    (default n, the number of parameters) and whenever d is not a
    descent direction, d restarts as -g. Stops when max |g_i| <= tol.
    callback(theta) runs after every iteration. Returns the iterates.
    """
    theta = np.asarray(theta0, dtype=float)
    restart = restart or len(theta)
    g, f = grad(theta), fun(theta)
    f_prev = f + np.linalg.norm(g) / 2   # first trial step: length ~1
    d = -g
    path = [theta]
    for t in range(1, n_iter + 1):
        if np.max(np.abs(g)) <= tol:
            break
        eps = wolfe_step(fun, grad, theta, d, g, C2_CG, f, f_prev)
        if eps == 0.0:
            break
        theta = theta + eps * d
        g_new = grad(theta)
        f_prev, f = f, fun(theta)
        if beta == "fletcher-reeves":
            b_t = (g_new @ g_new) / (g @ g)
        else:
            b_t = max((g_new - g) @ g_new / (g @ g), 0.0)     # PR+
        if t % restart == 0:
            b_t = 0.0
        d = -g_new + b_t * d                 # eq:cg-direction
        if g_new @ d >= 0:
            d = -g_new                       # not downhill: restart
        g = g_new
        path.append(theta)
        if callback:
            callback(theta)
    return np.array(path)
# --8<-- [end:nonlinear-cg]


# --8<-- [start:bfgs]
def curvature_ok(s, y):
    """eq:curvature-condition, y^T s > 0, with a margin for rounding
    errors: relative to |s| |y|, so it does not depend on the scale.
    (torch.optim.LBFGS asks for y^T s > 1e-10, an absolute margin.)"""
    return y @ s > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y)


def bfgs_update(M, s, y):
    """Implements eq:bfgs-update: the new inverse-Hessian approximation
    M_{t+1} from M_t and the pair (s_t, y_t).

    The product of eq:bfgs-update, multiplied out, costs O(n^2), not the
    O(n^3) of three matrix products. The result is symmetric, satisfies
    the secant condition eq:secant-condition, M_{t+1} y = s, and is
    positive definite if M_t is and y^T s > 0 (eq:curvature-condition).

    >>> M = bfgs_update(np.eye(2), np.array([1.0, 0.0]),
    ...                 np.array([2.0, 1.0]))
    >>> M @ np.array([2.0, 1.0])
    array([1., 0.])
    """
    rho = 1.0 / (y @ s)
    My = M @ y
    return (M - rho * (np.outer(s, My) + np.outer(My, s))
            + (rho ** 2 * (y @ My) + rho) * np.outer(s, s))


def bfgs(fun, grad, theta0, n_iter=1000, tol=1e-10, callback=None):
    """BFGS: eq:bfgs-step with eps from wolfe_step, then eq:bfgs-update,
    skipped when eq:curvature-condition fails. Stops when
    max |g_i| <= tol. Returns the iterates.

    M_0 = I; after the first step, before the first update, M_0 is
    rescaled as in eq:lbfgs-initial-scaling (Nocedal & Wright 2006), so
    that it has the size of the inverse curvature just measured.
    """
    theta = np.asarray(theta0, dtype=float)
    M = np.eye(len(theta))
    g = grad(theta)
    path = [theta]
    for t in range(n_iter):
        if np.max(np.abs(g)) <= tol:
            break
        d = -M @ g
        eps = wolfe_step(fun, grad, theta, d, g)
        if eps == 0.0:
            break
        s = eps * d
        theta = theta + s                    # eq:bfgs-step
        g_new = grad(theta)
        y = g_new - g
        if curvature_ok(s, y):
            if t == 0:
                M = (s @ y) / (y @ y) * M
            M = bfgs_update(M, s, y)
        g = g_new
        path.append(theta)
        if callback:
            callback(theta)
    return np.array(path)
# --8<-- [end:bfgs]


# --8<-- [start:lbfgs]
def two_loop(g, s_list, y_list):
    """M_t g for the L-BFGS M_t: BFGS updates (eq:bfgs-update) with the
    stored pairs, oldest first, applied to M_t^(0) of
    eq:lbfgs-initial-scaling -- without forming any n x n matrix.
    O(mn) time and memory for m pairs.
    """
    rho = [1.0 / (y @ s) for s, y in zip(s_list, y_list)]
    q = np.array(g, dtype=float)
    a = [0.0] * len(s_list)
    for i in reversed(range(len(s_list))):      # newest to oldest
        a[i] = rho[i] * (s_list[i] @ q)
        q -= a[i] * y_list[i]
    gamma = 1.0                                 # M^(0) = gamma I
    if s_list:
        s, y = s_list[-1], y_list[-1]
        gamma = (s @ y) / (y @ y)               # eq:lbfgs-initial-scaling
    r = gamma * q
    for i in range(len(s_list)):                # oldest to newest
        b = rho[i] * (y_list[i] @ r)
        r += (a[i] - b) * s_list[i]
    return r


def lbfgs(fun, grad, theta0, m=10, n_iter=1000, tol=1e-10,
          line_search=True, eps=1.0, callback=None):
    """L-BFGS with memory m: the direction -M_t g from two_loop, the
    step from wolfe_step (line_search=True) or the fixed eps. Stops
    when max |g_i| <= tol. Returns the iterates.

    The first direction is -g scaled to an l1 length of at most 1 (no
    curvature is known yet); torch.optim.LBFGS does the same, so with
    line_search=False this reproduces its iterates with lr=eps.
    """
    theta = np.asarray(theta0, dtype=float)
    g = grad(theta)
    s_list, y_list = [], []
    path = [theta]
    for t in range(n_iter):
        if np.max(np.abs(g)) <= tol:
            break
        if t == 0:
            d = -g * min(1.0, 1.0 / np.sum(np.abs(g)))
        else:
            d = -two_loop(g, s_list, y_list)
        step = wolfe_step(fun, grad, theta, d, g) if line_search else eps
        if step == 0.0:
            break
        s = step * d
        theta = theta + s
        g_new = grad(theta)
        y = g_new - g
        if curvature_ok(s, y):
            s_list.append(s)
            y_list.append(y)
            if len(s_list) > m:              # forget the oldest pair
                s_list.pop(0)
                y_list.pop(0)
        g = g_new
        path.append(theta)
        if callback:
            callback(theta)
    return np.array(path)
# --8<-- [end:lbfgs]


# --8<-- [start:torch-lbfgs]
def torch_lbfgs(loss_fn, theta0, n_iter=1000, lr=1.0, history_size=10,
                line_search_fn="strong_wolfe", tol=1e-10):
    """Minimize loss_fn (a 1-D float64 tensor -> scalar tensor) with
    torch.optim.LBFGS, full batch. Returns (theta, iterations, function
    evaluations).

    One call of step() runs up to max_iter iterations; the closure
    recomputes the loss and its gradient wherever the optimizer asks.
    line_search_fn=None takes fixed steps of size lr.
    """
    theta = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS(
        [theta], lr=lr, max_iter=n_iter, max_eval=10 * n_iter,
        history_size=history_size, line_search_fn=line_search_fn,
        tolerance_grad=tol, tolerance_change=0.0)

    def closure():
        opt.zero_grad()
        loss = loss_fn(theta)
        loss.backward()
        return loss

    opt.step(closure)
    state = opt.state[theta]
    return theta.detach().numpy(), state["n_iter"], state["func_evals"]
# --8<-- [end:torch-lbfgs]


class Counted:
    """fun, grad and hessian of a problem that count their calls and,
    if the problem has `costs`, the multiply-adds they take. The last
    point of each is remembered: asking again at the same theta (the
    methods recompute g where the line search stopped) is free.
    """

    def __init__(self, problem):
        self.problem = problem
        self.costs = getattr(problem, "costs", {})
        self.calls = {"fun": 0, "grad": 0, "hessian": 0}
        self.madds = 0
        self._last = {}

    def _call(self, what, method, theta):
        key = np.asarray(theta, dtype=float).tobytes()
        if what in self._last and self._last[what][0] == key:
            return self._last[what][1]
        value = method(theta)
        self.calls[what] += 1
        self.madds += self.costs.get(what, 0)
        self._last[what] = (key, value)
        return value

    def fun(self, theta):
        return self._call("fun", self.problem.loss, theta)

    def grad(self, theta):
        return self._call("grad", self.problem.grad, theta).copy()

    def hessian(self, theta):
        return self._call("hessian", self.problem.hessian, theta).copy()


# --8<-- [start:logistic]
class Logistic:
    """Multinomial logistic regression with an L2 penalty:
    J(theta) = mean cross-entropy of softmax(x W) + lam/2 |theta|^2,
    theta = W.ravel(), W of shape (d, K); a constant 1 appended to every
    x gives the biases. loss, grad and hessian take the flat theta.

    `costs` holds the multiply-adds of each evaluation: the logits X W
    (N d K) for J, twice that for g (backward as well), and
    N d^2 K (K + 1) / 2 for H (one d x d block per pair k <= l).
    """

    def __init__(self, X, y, lam, n_classes=10):
        self.X = np.hstack([X, np.ones((len(X), 1))])
        self.Y = np.eye(n_classes)[y]               # one-hot targets
        self.lam = lam
        N, d = self.X.shape
        K = n_classes
        self.shape = (d, K)
        self.dim = d * K
        self.costs = {"fun": N * d * K, "grad": 2 * N * d * K,
                      "hessian": N * d * d * K * (K + 1) // 2}

    def probs(self, theta):
        Z = self.X @ theta.reshape(self.shape)
        Z = Z - Z.max(axis=1, keepdims=True)        # no overflow in exp
        P = np.exp(Z)
        return P / P.sum(axis=1, keepdims=True)

    def loss(self, theta):
        Z = self.X @ theta.reshape(self.shape)
        Zmax = Z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(Z - Zmax).sum(axis=1)) + Zmax[:, 0]
        ce = np.mean(lse - np.sum(self.Y * Z, axis=1))
        return ce + 0.5 * self.lam * (theta @ theta)

    def grad(self, theta):
        E = self.probs(theta) - self.Y               # dJ/dZ, times N
        G = self.X.T @ E / len(self.X)
        return G.ravel() + self.lam * theta

    def hessian(self, theta):
        """Block (k, l) is X^T diag(p_k (delta_kl - p_l)) X / N."""
        P = self.probs(theta)
        (d, K), N = self.shape, len(self.X)
        H = np.zeros((d, K, d, K))
        for k in range(K):
            for l in range(k, K):
                w = P[:, k] * ((k == l) - P[:, l]) / N
                H[:, k, :, l] = H[:, l, :, k] = self.X.T @ (
                    w[:, None] * self.X)
        H = H.reshape(self.dim, self.dim)
        return H + self.lam * np.eye(self.dim)


LAMBDA = 1e-2


@lru_cache(maxsize=None)
def digits_logistic(lam=LAMBDA):
    """The logistic-regression problem on the digits training set:
    1,437 images, 64 pixels + 1, 10 classes, n = 650 parameters."""
    X, y, _, _ = load_digits_split()
    return Logistic(X, y, lam)


def gradient_descent(grad, theta0, eps, n_iter, tol=1e-10, callback=None):
    """theta <- theta - eps g with a constant eps (chapter 3)."""
    theta, g = np.asarray(theta0, dtype=float), grad(theta0)
    for _ in range(n_iter):
        if np.max(np.abs(g)) <= tol:
            break
        theta = theta - eps * g
        g = grad(theta)
        if callback:
            callback(theta)


def newton_method(fun, grad, hessian, theta0, n_iter, tol=1e-10,
                  callback=None):
    """eq:newton-update as a direction, eps from wolfe_step."""
    theta, g = np.asarray(theta0, dtype=float), grad(theta0)
    for _ in range(n_iter):
        if np.max(np.abs(g)) <= tol:
            break
        d = newton_step(g, hessian(theta))
        theta = theta + wolfe_step(fun, grad, theta, d, g) * d
        g = grad(theta)
        if callback:
            callback(theta)


METHODS = ("GD", "Newton", "CG", "BFGS", "L-BFGS")


def run_methods(problem, n_iter, tol=1e-10, m=10):
    """From theta = 0: {method: (J per iteration, multiply-adds so far)}.

    Multiply-adds count the evaluations (problem.costs) and the linear
    algebra of each method: n^3 / 3 per Newton solve, 5 n^2 per BFGS
    iteration, 4 m n per two-loop recursion; O(n) vector operations are
    left out. GD uses eps = 1 / lambda_max(H(0)). Counted (above,
    not shown) wraps fun, grad and hessian to count their calls.
    """
    n = problem.dim
    theta0 = np.zeros(n)
    eps_gd = 1.0 / np.linalg.eigvalsh(problem.hessian(theta0))[-1]
    algebra = {"GD": lambda t: 0, "Newton": lambda t: n ** 3 // 3,
               "CG": lambda t: 0, "BFGS": lambda t: 5 * n * n,
               "L-BFGS": lambda t: 4 * min(t - 1, m) * n}
    runs = {}
    for method in METHODS:
        c = Counted(problem)
        losses, madds = [problem.loss(theta0)], [0]
        extra = [0]

        def record(theta):
            extra[0] += algebra[method](len(losses))
            losses.append(problem.loss(theta))
            madds.append(c.madds + extra[0])

        args = dict(n_iter=n_iter, tol=tol, callback=record)
        if method == "GD":
            gradient_descent(c.grad, theta0, eps_gd, **args)
        elif method == "Newton":
            newton_method(c.fun, c.grad, c.hessian, theta0, **args)
        elif method == "CG":
            nonlinear_cg(c.fun, c.grad, theta0, **args)
        elif method == "BFGS":
            bfgs(c.fun, c.grad, theta0, **args)
        else:
            lbfgs(c.fun, c.grad, theta0, m=m, **args)
        runs[method] = (np.array(losses), np.array(madds))
    return runs
# --8<-- [end:logistic]


# --8<-- [start:comparison]
ROSENBROCK = Rosenbrock()
ROSENBROCK_THETA0 = (-1.5, 2.0)
SCIPY_METHOD = {"CG": "CG", "BFGS": "BFGS", "L-BFGS": "L-BFGS-B"}
# Ours and SciPy's stop when max |g_i| <= TOL. Then theta is within
# about |g| / lambda_min(H) of the minimizer: for the logistic problem
# (lambda_min = LAMBDA) that is up to ~1e-5. Far smaller TOLs reach the
# regime where the decrease of J drowns in its rounding errors; there
# the counts would depend on the machine.
TOL = 1e-7
DISTANCE_BOUND = {"Rosenbrock": 1e-7, "logistic": 1e-4}


def minimize_ours(method, problem, theta0, tol=TOL):
    """(minimizer, iterations, gradient evaluations) of our method."""
    c = Counted(problem)
    run = {"CG": nonlinear_cg, "BFGS": bfgs, "L-BFGS": lbfgs}[method]
    path = run(c.fun, c.grad, theta0, n_iter=10_000, tol=tol)
    return path[-1], len(path) - 1, c.calls["grad"]


def minimize_scipy(method, problem, theta0, tol=TOL):
    """The same from scipy.optimize.minimize (L-BFGS-B: memory 10)."""
    options = {"gtol": tol, "maxiter": 10_000}
    if method == "L-BFGS":
        options.update(maxcor=10, ftol=0.0, maxfun=100_000)
    res = scipy.optimize.minimize(problem.loss, theta0, jac=problem.grad,
                                  method=SCIPY_METHOD[method],
                                  options=options)
    return res.x, res.nit, res.njev


def comparison_problems():
    return {"Rosenbrock": (ROSENBROCK, np.array(ROSENBROCK_THETA0)),
            "logistic": (digits_logistic(),
                         np.zeros(digits_logistic().dim))}


@lru_cache(maxsize=None)
def comparison_runs(tol=TOL):
    """{(method, problem): (ours, scipy)}, each (theta, iterations,
    gradient evaluations)."""
    runs = {}
    with threadpool_limits(limits=1):   # small matrices: one thread
        for name, (problem, theta0) in comparison_problems().items():
            for method in SCIPY_METHOD:
                runs[method, name] = (
                    minimize_ours(method, problem, theta0, tol),
                    minimize_scipy(method, problem, theta0, tol))
    return runs


def iteration_counts():
    """Our CG, BFGS and L-BFGS against SciPy's: iterations, gradient
    evaluations, and how far apart the two minimizers are.

    >>> print(iteration_counts())
    method  problem         iterations     gradients    max |Δθ|
                           ours  scipy   ours  scipy
    CG      Rosenbrock        35    30      75    79      < 1e-7
    BFGS    Rosenbrock        44    38      47    45      < 1e-7
    L-BFGS  Rosenbrock        42    43      47    53      < 1e-7
    CG      logistic          39    44     171   107      < 1e-4
    BFGS    logistic          75    96      76    97      < 1e-4
    L-BFGS  logistic          39    38      45    41      < 1e-4
    """
    rows = [f"{'method':<8}{'problem':<12}{'iterations':>14}"
            f"{'gradients':>14}{'max |Δθ|':>12}",
            f"{'':<20}{'ours  scipy':>14}{'ours  scipy':>14}"]
    for (method, name), (ours, ref) in comparison_runs().items():
        dist = np.max(np.abs(ours[0] - ref[0]))
        bound = DISTANCE_BOUND[name]
        shown = f"< 1e{round(np.log10(bound))}" if dist < bound \
            else f"{dist:.1e}"
        rows.append(f"{method:<8}{name:<12}{ours[1]:>8}{ref[1]:>6}"
                    f"{ours[2]:>8}{ref[2]:>6}{shown:>12}")
    return "\n".join(rows)
# --8<-- [end:comparison]
