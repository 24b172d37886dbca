"""Chapter 9, Beyond the landscape: optimization as a trajectory. The
implicit bias of gradient descent in NumPy: the minimum-norm solution of
underdetermined least squares, gradient descent on a deep matrix
factorization for matrix completion, and the convex baseline,
nuclear-norm minimization.

The sections between the ``--8<--`` markers are shown in the book. Every
function that implements an equation names its label, and
``tests/test_trajectory.py`` checks it against np.linalg.pinv, torch
autograd (float64) or a closed form.
"""

import numpy as np


# --8<-- [start:minimum-norm]
def min_norm_solution(X, y):
    """Implements eq:min-norm: w = X^T (X X^T)^-1 y, the solution of
    eq:underdetermined (X of full row rank n < d) with the least |w|.

    >>> min_norm_solution(np.array([[1.0, 2.0]]), np.array([5.0]))
    array([1., 2.])
    """
    # solve (X X^T) a = y rather than invert; w = X^T a
    return X.T @ np.linalg.solve(X @ X.T, y)


def gd_least_squares(X, y, w0, eps, n_steps):
    """Gradient descent on eq:underdetermined, 1/2 |X w - y|^2, with
    step eps from w0. Returns w_0, ..., w_{n_steps}, shape
    (n_steps + 1, d).

    Every gradient X^T (X w - y) is a combination of the rows of X, so
    w_k - w_0 stays in their span (eq:gd-row-space).
    """
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w = w - eps * X.T @ (X @ w - y)
        path.append(w.copy())
    return np.array(path)


def gd_limit(X, y, w0):
    """Where gradient descent from w0 ends (for a small enough step):
    w_dagger plus the part of w0 in the null space of X, which no
    gradient step can change (eq:gd-row-space). From w0 = 0 it is
    w_dagger itself."""
    w0 = np.asarray(w0, dtype=float)
    row_part = min_norm_solution(X, X @ w0)   # projection on row space
    return min_norm_solution(X, y) + (w0 - row_part)
# --8<-- [end:minimum-norm]


# --8<-- [start:deep-matrix-factorization]
def end_to_end(Ws):
    """Implements eq:deep-factorization: W = W_N ... W_2 W_1, with
    Ws = [W_1, ..., W_N] (stacks of matrices multiply batch-wise)."""
    W = Ws[0]
    for Wj in Ws[1:]:
        W = Wj @ W
    return W


def completion_loss(Ws, M, mask):
    """Implements eq:matrix-completion: half the squared error of the
    end-to-end matrix on the observed entries (mask == 1)."""
    R = mask * (end_to_end(Ws) - M)
    return 0.5 * np.sum(R * R, axis=(-2, -1))


def completion_grads(Ws, M, mask):
    """Gradients of eq:matrix-completion for every factor: with the
    residual G = mask * (W - M), the gradient for W_j is
    (W_N ... W_{j+1})^T G (W_{j-1} ... W_1)^T."""
    N = len(Ws)
    below = [None] * N          # below[j] = W_{j-1} ... W_1 (j > 0)
    for j in range(1, N):
        below[j] = Ws[j - 1] if j == 1 else Ws[j - 1] @ below[j - 1]
    W = Ws[-1] if N == 1 else Ws[-1] @ below[-1]
    G = mask * (W - M)
    grads = [None] * N
    above = None                # above = W_N ... W_{j+1}
    for j in reversed(range(N)):
        g = G if above is None else above.swapaxes(-1, -2) @ G
        if j == 0:
            grads[j] = g
            break
        grads[j] = g @ below[j].swapaxes(-1, -2)
        above = Ws[j] if above is None else above @ Ws[j]
    return grads


def deep_mf(M, mask, depth, alpha, eps, n_steps, rng, record=None):
    """Gradient descent on eq:matrix-completion with `depth` square
    factors, each alpha times a standard normal matrix / sqrt(d).

    M and mask may carry leading batch dimensions (independent problems
    trained side by side). Returns the end-to-end matrix after n_steps;
    with record = k, also the singular values of W every k steps.
    """
    d = M.shape[-1]
    Ws = [alpha * rng.standard_normal(M.shape) / np.sqrt(d)
          for _ in range(depth)]
    svals = []
    for k in range(n_steps + 1):
        if record and k % record == 0:
            svals.append(np.linalg.svd(end_to_end(Ws), compute_uv=False))
        if k == n_steps:
            break
        grads = completion_grads(Ws, M, mask)
        Ws = [Wj - eps * g for Wj, g in zip(Ws, grads)]
    W = end_to_end(Ws)
    return (W, np.array(svals)) if record else W


def low_rank_matrix(d, rank, rng):
    """A d x d matrix of the given rank, U V^T with standard normal
    U, V, scaled so that its Frobenius norm is sqrt(d)."""
    M = (rng.standard_normal((d, rank))
         @ rng.standard_normal((rank, d)))
    return M * np.sqrt(d) / np.linalg.norm(M)


def observation_mask(d, n_obs, rng):
    """A d x d 0/1 mask with n_obs ones at uniformly random places."""
    mask = np.zeros(d * d)
    mask[rng.choice(d * d, size=n_obs, replace=False)] = 1.0
    return mask.reshape(d, d)


def relative_error(W, M):
    """|W - M|_F / |M|_F over all entries, observed or not."""
    return (np.linalg.norm(W - M, axis=(-2, -1))
            / np.linalg.norm(M, axis=(-2, -1)))
# --8<-- [end:deep-matrix-factorization]


# --8<-- [start:nuclear-norm]
def svt(Y, tau):
    """Singular value thresholding: the proximal map of tau |.|_*,
    argmin_W tau |W|_* + 1/2 |W - Y|_F^2 = U max(S - tau, 0) V^T.

    >>> svt(np.diag([3.0, 0.5]), 1.0)
    array([[2., 0.],
           [0., 0.]])
    """
    U, s, Vt = np.linalg.svd(Y, full_matrices=False)
    return (U * np.maximum(s - tau, 0.0)[..., None, :]) @ Vt


def nuclear_norm_completion(M, mask, rho=1.0, n_iter=2000, tol=1e-9):
    """Implements eq:nuclear-norm by ADMM (Boyd et al. 2011): split
    min |W|_* s.t. W = Z, Z_ij = M_ij on the observed entries.

    W-step: the prox of |.|_*/rho (svt); Z-step: project W + U on the
    constraint (copy M on Omega); U accumulates W - Z. Stops when
    |W - Z|_F and the change in Z are below tol (relative to |M|_F).
    Returns W and the certificate Y = -rho U, which at the optimum is a
    subgradient of |.|_* at W that vanishes off Omega.
    """
    Z = mask * M
    U = np.zeros_like(M)
    scale = np.linalg.norm(M)
    for _ in range(n_iter):
        W = svt(Z - U, 1.0 / rho)
        Z_old = Z
        Z = np.where(mask > 0, M, W + U)
        U = U + W - Z
        if (np.linalg.norm(W - Z) < tol * scale
                and rho * np.linalg.norm(Z - Z_old) < tol * scale):
            break
    return W, -rho * U
# --8<-- [end:nuclear-norm]


# --8<-- [start:mf-experiment]
# The completion experiment behind fig-matrix-completion: a 20 x 20
# rank-2 matrix, |Omega| observed entries, three seeds. Step sizes are
# near the largest stable ones; alpha is the initialization scale.
MC_D, MC_RANK, MC_SEEDS = 20, 2, (0, 1, 2)
MC_OBS = (50, 75, 100, 125, 150, 175, 200, 250)
MC_RUNS = {1: dict(alpha=1e-2, eps=0.5, n_steps=200),
           2: dict(alpha=1e-2, eps=0.1, n_steps=5000),
           3: dict(alpha=1e-2, eps=0.1, n_steps=10000)}
MC_ADMM = dict(rho=0.5, n_iter=500)  # error within ~0.01 of converged


def completion_problems(seeds=MC_SEEDS, obs=MC_OBS, d=MC_D,
                        rank=MC_RANK):
    """Ground truths and masks, shape (len(seeds), len(obs), d, d): one
    matrix per seed, one random mask per |Omega| (not nested)."""
    Ms, masks = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        M = low_rank_matrix(d, rank, rng)
        Ms.append([M] * len(obs))
        masks.append([observation_mask(d, n, rng) for n in obs])
    return np.array(Ms), np.array(masks)


def completion_experiment(seeds=MC_SEEDS, obs=MC_OBS, runs=MC_RUNS,
                          admm=MC_ADMM):
    """Relative error on all entries, shape (len(seeds), len(obs)), for
    each depth in runs and for "nuclear" (eq:nuclear-norm). All
    problems are solved side by side as one batch."""
    M, mask = completion_problems(seeds, obs)
    errors = {}
    for depth, kw in runs.items():
        rng = np.random.default_rng(100 + depth)
        W = deep_mf(M, mask, depth, rng=rng, **kw)
        errors[depth] = relative_error(W, M)
    W, _ = nuclear_norm_completion(M, mask, **admm)
    errors["nuclear"] = relative_error(W, M)
    return errors
# --8<-- [end:mf-experiment]
