"""Chapter 8, Regularization and practice: data preprocessing, the
conditioning of the least-squares Hessian, hyperparameter search and
training curves.

The sections between the ``--8<--`` markers are shown in the book.
``tests/test_regularization_practice.py`` checks the whitening
transforms against their defining properties and scikit-learn, the
softmax-regression gradient against autograd, and the claims the
figures make on the figures' own data.

Data are arrays of shape (n, d): one example per row. Every random
number comes from a generator that the caller seeds.
"""

import numpy as np
import torch
from torch import nn
from torch.nn.functional import cross_entropy

from snippets.challenges import gd_contraction
from snippets.data import load_digits_split

F64 = torch.float64


# --8<-- [start:preprocessing]
def standardize(X):
    """Eq. eq:standardize: x'_j = (x_j - mean_j) / s_j for every
    feature j; a constant feature (s_j = 0) is only centred.

    >>> standardize(np.array([[1.0, 5.0], [3.0, 5.0]])).tolist()
    [[-1.0, 0.0], [1.0, 0.0]]
    """
    s = X.std(axis=0)
    s[s == 0.0] = 1.0
    return (X - X.mean(axis=0)) / s


def covariance_eig(X):
    """The mean x_bar and Sigma = U Lambda U^T, the covariance of the
    rows of X (divided by n), eigenvalues in decreasing order."""
    x_bar = X.mean(axis=0)
    Xc = X - x_bar
    lam, U = np.linalg.eigh(Xc.T @ Xc / len(X))
    return x_bar, lam[::-1], U[:, ::-1]


def pca_whiten(X, delta=0.0):
    """Eq. eq:pca-whitening, one row per example:
    x_PCA = (Lambda + delta I)^(-1/2) U^T (x - x_bar).
    Column i is the i-th principal component, scaled to variance
    lambda_i / (lambda_i + delta), i.e. 1 when delta = 0."""
    x_bar, lam, U = covariance_eig(X)
    return (X - x_bar) @ U / np.sqrt(lam + delta)


def zca_whiten(X, delta=0.0):
    """Eq. eq:zca-whitening: x_ZCA = U x_PCA, i.e. PCA whitening
    rotated back to the original axes."""
    x_bar, lam, U = covariance_eig(X)
    return (X - x_bar) @ U / np.sqrt(lam + delta) @ U.T
# --8<-- [end:preprocessing]


# --8<-- [start:conditioning]
def hessian(X):
    """Eq. eq:linear-hessian: H = X^T X / n, the (constant) Hessian of
    least squares J(w) = ||X w - y||^2 / (2 n)."""
    return X.T @ X / len(X)


def condition_number(X):
    """kappa = lambda_max / lambda_min of H (eq:linear-hessian), the
    condition number of chapter 2."""
    lam = np.linalg.eigvalsh(hessian(X))
    return lam[-1] / lam[0]


def preprocessings(X, delta=0.0):
    """The same features four ways. Constant features (e.g. the always
    blank corner pixels of the digits) are dropped first: they make H
    singular whatever we do."""
    X = X[:, X.std(axis=0) > 0]
    return {"raw": X,
            "centered": X - X.mean(axis=0),
            "standardized": standardize(X),
            "whitened": zca_whiten(X, delta)}


def gd_steps(X, y, tol=1e-6, max_steps=20_000):
    """Steps of gradient descent on J(w) = ||X w - y||^2 / (2 n) from
    w = 0, with chapter 2's best fixed eps = 2 / (lam_min + lam_max),
    until J(w) - J* <= tol (J(0) - J*); None if max_steps is not
    enough."""
    n = len(X)
    H, b = hessian(X), X.T @ y / n
    eps, _ = gd_contraction(np.linalg.eigvalsh(H))
    w_star = np.linalg.solve(H, b)

    def gap(w):            # J(w) - J*, exact for a quadratic
        return 0.5 * (w - w_star) @ H @ (w - w_star)

    w = np.zeros(X.shape[1])
    gap0 = gap(w)
    for k in range(max_steps + 1):
        if gap(w) <= tol * gap0:
            return k
        w = w - eps * (H @ w - b)    # the gradient is H w - X^T y / n
    return None
# --8<-- [end:conditioning]


def correlated_cloud(n=300, seed=0):
    """A 2-D Gaussian cloud with an offset mean, unequal scales and
    correlation 0.8 between the two (scaled) coordinates."""
    rng = np.random.default_rng(seed)
    L = np.linalg.cholesky(np.array([[1.0, 0.8], [0.8, 1.0]]))
    z = rng.standard_normal((n, 2)) @ L.T
    return np.array([3.0, 2.0]) + z * np.array([1.5, 0.5])


def digits_regression():
    """Raw digits pixels (training split) and a least-squares target:
    the centred label, so that the problem needs no bias."""
    d = load_digits_split(standardize=False)
    return d.X_train, d.y_train - d.y_train.mean()


# --8<-- [start:random-search]
def toy_score(theta, peak=0.62):
    """A validation score over (theta_1, theta_2) in [0, 1]^2 that
    depends strongly on theta_1 and hardly on theta_2 (Bergstra &
    Bengio, 2012). Its maximum, 1.1, is at (peak, 0.4)."""
    t1, t2 = theta[..., 0], theta[..., 1]
    return (np.exp(-0.5 * ((t1 - peak) / 0.08) ** 2)
            + 0.1 * np.exp(-0.5 * ((t2 - 0.4) / 0.3) ** 2))


def grid_points(n_per_dim):
    """n_per_dim^2 points: a grid of cell centres in [0, 1]^2."""
    g = (np.arange(n_per_dim) + 0.5) / n_per_dim
    t1, t2 = np.meshgrid(g, g, indexing="ij")
    return np.stack([t1.ravel(), t2.ravel()], axis=1)


def random_points(n, rng):
    """n points drawn uniformly from [0, 1]^2."""
    return rng.uniform(0.0, 1.0, size=(n, 2))


def search_experiment(n_per_dim=3, n_seeds=1000, seed=0, peak=0.62):
    """Best toy_score of one grid and of n_seeds random searches, each
    with as many trials (n_per_dim^2) as the grid."""
    rng = np.random.default_rng(seed)
    best_grid = toy_score(grid_points(n_per_dim), peak).max()
    best_random = np.array(
        [toy_score(random_points(n_per_dim ** 2, rng), peak).max()
         for _ in range(n_seeds)])
    return best_grid, best_random
# --8<-- [end:random-search]


# --8<-- [start:log-scale]
def sample_log_uniform(a, b, size, rng):
    """Eq. eq:log-uniform: 10^u with u ~ U(a, b), so every decade in
    [10^a, 10^b] gets the same share of the samples.

    >>> x = sample_log_uniform(-4, 0, 1000, np.random.default_rng(0))
    >>> bool(x.min() >= 1e-4 and x.max() <= 1.0)
    True
    """
    return 10.0 ** rng.uniform(a, b, size)
# --8<-- [end:log-scale]


# --8<-- [start:coarse-to-fine]
def softmax_grads(X, Y, W, b, lam):
    """Gradients of the mean cross-entropy of softmax(X W + b) against
    one-hot targets Y, plus (lam / 2) ||W||^2 (eq:l2-penalty): the
    penalty is on the weights W, not on the bias b."""
    Z = X @ W + b
    P = np.exp(Z - Z.max(axis=1, keepdims=True))    # stable softmax
    P /= P.sum(axis=1, keepdims=True)
    G = (P - Y) / len(X)               # dJ/dZ of the mean cross-entropy
    return X.T @ G + lam * W, G.sum(axis=0)


def softmax_regression(X, y, X_val, y_val, eps, lam, n_steps=100):
    """n_steps of full-batch gradient descent from W = 0, b = 0 on a
    softmax regression with weight decay lam. Returns the validation
    accuracy, or 0.1 (chance) if the run diverged."""
    Y = np.eye(10)[y]
    W, b = np.zeros((X.shape[1], 10)), np.zeros(10)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps):
            gW, gb = softmax_grads(X, Y, W, b, lam)
            W, b = W - eps * gW, b - eps * gb
        if not np.all(np.isfinite(W)):
            return 0.1
        return np.mean((X_val @ W + b).argmax(axis=1) == y_val)


def random_search(data, box, n_trials, rng):
    """n_trials of (log10 eps, log10 lam), uniform in
    box = ((a_eps, b_eps), (a_lam, b_lam)): eq:log-uniform for both.
    Returns the trials (n_trials, 2) and their validation accuracies."""
    trials = np.column_stack([rng.uniform(*box[0], n_trials),
                              rng.uniform(*box[1], n_trials)])
    acc = np.array([softmax_regression(*data, 10.0 ** u, 10.0 ** v)
                    for u, v in trials])
    return trials, acc


def zoom_box(trials, acc, n_best, pad):
    """The box around the n_best best trials, widened by pad decades."""
    top = trials[np.argsort(-acc, kind="stable")[:n_best]]
    return tuple((lo - pad, hi + pad)
                 for lo, hi in zip(top.min(axis=0), top.max(axis=0)))


def coarse_to_fine(seed=0, n_train=300, n_trials=(30, 30),
                   box=((-3.0, 1.5), (-5.0, 0.0)), n_best=3, pad=0.2):
    """Stage 1: random search over box. Stage 2: random search in the
    zoom_box of stage 1's best trials. Trained on the first n_train
    digits of the training split, scored on the validation split."""
    d = load_digits_split()
    data = (d.X_train[:n_train], d.y_train[:n_train], d.X_val, d.y_val)
    rng = np.random.default_rng(seed)
    stage1 = random_search(data, box, n_trials[0], rng)
    fine = zoom_box(*stage1, n_best, pad)
    stage2 = random_search(data, fine, n_trials[1], rng)
    return stage1, fine, stage2
# --8<-- [end:coarse-to-fine]


# --8<-- [start:training-curves]
def mlp(sizes, seed):
    """A float64 ReLU MLP with PyTorch's default initialization."""
    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out, dtype=F64), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def train_curves(model, data, eps, n_epochs, batch_size=32, seed=0):
    """Minibatch SGD; after every epoch the training and validation
    loss (the mean cross-entropy): arrays of length n_epochs + 1."""
    X, y, X_val, y_val = (torch.as_tensor(a) for a in data)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.SGD(model.parameters(), lr=eps)
    log = []

    def record():
        with torch.no_grad():
            log.append((cross_entropy(model(X), y).item(),
                        cross_entropy(model(X_val), y_val).item()))

    record()
    for _ in range(n_epochs):
        for idx in torch.randperm(len(X), generator=gen).split(batch_size):
            opt.zero_grad()
            cross_entropy(model(X[idx]), y[idx]).backward()
            opt.step()
        record()
    J_train, J_val = np.array(log).T
    return J_train, J_val
# --8<-- [end:training-curves]


LR_EPS = {"too small": 1e-3, "good": 0.3, "too large": 3.0}


def diagnosis_runs(n_epochs=20, batch_size=64, seed=0):
    """The runs of the training-curves figure, on the digits.

    "lr": one MLP 64-32-10 on the whole training split with the three
    learning rates of LR_EPS. "underfit": a 64-1-10 MLP (a one-unit
    bottleneck), eps = 0.3. "overfit": a 64-256-256-10 MLP on only the
    first 100 training images, eps = 0.1, 100 epochs. Returns
    {name: (J_train, J_val)}, the lr runs keyed by their LR_EPS name."""
    d = load_digits_split()
    full = tuple(d)
    small = (d.X_train[:100], d.y_train[:100], d.X_val, d.y_val)
    runs = {}
    for name, eps in LR_EPS.items():
        runs[name] = train_curves(mlp([64, 32, 10], seed), full, eps,
                                  n_epochs, batch_size, seed)
    runs["underfit"] = train_curves(mlp([64, 1, 10], seed), full, 0.3,
                                    n_epochs, batch_size, seed)
    runs["overfit"] = train_curves(mlp([64, 256, 256, 10], seed), small,
                                   0.1, 100, 32, seed)
    return runs
