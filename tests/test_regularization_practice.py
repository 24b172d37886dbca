"""Chapter 8, practice: standardization and PCA/ZCA whitening against
their defining properties, the closed-form Procrustes solution and
scikit-learn; the least-squares Hessian and the softmax-regression
gradient against autograd (float64); GD step counts against a closed
form; the log-uniform sampler against its distribution; and the claims
the four figures make, on the figures' own data. Each group has a
negative control showing that the check can fail.
"""

import numpy as np
import pytest
import torch
from scipy.linalg import orthogonal_procrustes
from scipy.stats import kstest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from snippets.challenges import gd_contraction
from snippets.regularization_practice import (
    F64, LR_EPS, coarse_to_fine, condition_number, correlated_cloud,
    covariance_eig, diagnosis_runs, digits_regression, gd_steps,
    grid_points, hessian, mlp, pca_whiten, preprocessings,
    random_points, sample_log_uniform, search_experiment,
    softmax_grads, softmax_regression, standardize, toy_score,
    zca_whiten, zoom_box)


def random_data(seed, n=200, d=4):
    """Correlated, offset, unequally scaled Gaussian data."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((d, d)) * rng.uniform(0.2, 3.0, d)
    return rng.standard_normal((n, d)) @ A + rng.uniform(-5, 5, d)


def cov(Z):
    Zc = Z - Z.mean(axis=0)
    return Zc.T @ Zc / len(Z)


def random_rotation(d, rng):
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    return Q * np.sign(np.diag(R))


# ---------------------------------------------------------------------
# eq:standardize

@pytest.mark.parametrize("seed", range(5))
def test_standardize_matches_sklearn(seed):
    X = random_data(seed)
    Xs = standardize(X)
    assert np.allclose(Xs, StandardScaler().fit_transform(X), atol=1e-12)
    assert np.allclose(Xs.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(Xs.std(axis=0), 1, atol=1e-12)
    # control: the n - 1 standard deviation is a different scaling
    wrong = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    assert not np.allclose(wrong, Xs, atol=1e-6)


def test_standardize_keeps_constant_features_finite():
    X = np.array([[1.0, 7.0], [2.0, 7.0], [6.0, 7.0]])
    Xs = standardize(X)
    assert np.all(np.isfinite(Xs)) and np.all(Xs[:, 1] == 0)


# ---------------------------------------------------------------------
# eq:pca-whitening, eq:zca-whitening

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("delta", [0.0, 0.3])
def test_whitened_covariance_is_identity_up_to_delta(seed, delta):
    X = random_data(seed)
    _, lam, U = covariance_eig(X)
    shrink = lam / (lam + delta)     # = 1 for every lambda when delta = 0
    assert np.allclose(cov(pca_whiten(X, delta)), np.diag(shrink),
                       atol=1e-10)
    assert np.allclose(cov(zca_whiten(X, delta)),
                       U @ np.diag(shrink) @ U.T, atol=1e-10)
    if delta == 0:
        assert np.allclose(cov(zca_whiten(X)), np.eye(4), atol=1e-10)
    # control: standardizing does not decorrelate
    assert not np.allclose(cov(standardize(X)), np.eye(4), atol=1e-2)


def test_covariance_eig_reconstructs_sigma():
    X = random_data(0)
    x_bar, lam, U = covariance_eig(X)
    assert np.allclose(U @ np.diag(lam) @ U.T, np.cov(X.T, bias=True))
    assert np.all(np.diff(lam) <= 0)          # decreasing order


@pytest.mark.parametrize("seed", range(5))
def test_zca_is_the_closest_whitening(seed):
    # every Q x_PCA (Q orthogonal) is white; ZCA is the one closest to
    # x - x_bar: the orthogonal Procrustes solution, and no random
    # rotation of PCA whitening comes closer
    X = random_data(seed)
    Xc = X - X.mean(axis=0)
    Z_pca, Z_zca = pca_whiten(X), zca_whiten(X)
    R, _ = orthogonal_procrustes(Z_pca, Xc)
    assert np.allclose(Z_pca @ R, Z_zca, atol=1e-8)
    d_zca = np.mean(np.sum((Z_zca - Xc) ** 2, axis=1))
    rng = np.random.default_rng(100 + seed)
    for _ in range(200):
        Z = Z_pca @ random_rotation(4, rng)
        assert np.allclose(cov(Z), np.eye(4), atol=1e-9)
        assert np.mean(np.sum((Z - Xc) ** 2, axis=1)) > d_zca
    # control: PCA whitening itself is farther away than ZCA
    assert np.mean(np.sum((Z_pca - Xc) ** 2, axis=1)) > d_zca + 1e-3


@pytest.mark.parametrize("seed", range(5))
def test_pca_whitening_matches_sklearn(seed):
    X = random_data(seed)
    n = len(X)
    ours = pca_whiten(X)
    # sklearn divides the covariance by n - 1; we divide by n
    ref = PCA(whiten=True).fit_transform(X) * np.sqrt(n / (n - 1))
    signs = np.sign(np.sum(ours * ref, axis=0))   # eigenvectors: +-
    assert np.allclose(ours, ref * signs, atol=1e-8)
    # control: without whitening sklearn only rotates (scales differ)
    plain = PCA(whiten=False).fit_transform(X)
    assert not np.allclose(np.abs(ours), np.abs(plain), atol=1e-3)


# ---------------------------------------------------------------------
# eq:linear-hessian, conditioning, GD steps

@pytest.mark.parametrize("seed", range(3))
def test_hessian_matches_autograd(seed):
    X = random_data(seed, n=50, d=5)
    y = np.random.default_rng(seed).standard_normal(50)
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)

    def J(w):
        return ((Xt @ w - yt) ** 2).sum() / (2 * len(yt))

    H = torch.autograd.functional.hessian(J, torch.zeros(5, dtype=F64))
    assert np.allclose(hessian(X), H.numpy(), rtol=1e-12, atol=1e-12)
    # control: forgetting the 1/n is caught
    assert not np.allclose(X.T @ X, H.numpy(), rtol=1e-3)


def test_condition_number_closed_forms():
    X = random_data(0)
    assert condition_number(X) == pytest.approx(
        np.linalg.cond(hessian(X)), rel=1e-10)
    # standardized 2-D data: H is the correlation matrix [[1, r], [r, 1]]
    # with eigenvalues 1 +- r, so kappa = (1 + r) / (1 - r)
    Z = standardize(correlated_cloud())
    r = np.corrcoef(Z.T)[0, 1]
    assert condition_number(Z) == pytest.approx((1 + r) / (1 - r),
                                                rel=1e-10)
    # control: the raw cloud (offset mean, unequal scales) is worse
    assert condition_number(correlated_cloud()) > 3 * (1 + r) / (1 - r)


@pytest.mark.parametrize("data", ["digits", "cloud"])
def test_preprocessing_improves_conditioning(data):
    X = digits_regression()[0] if data == "digits" else correlated_cloud()
    kappa = {k: condition_number(Z) for k, Z in preprocessings(X).items()}
    assert (kappa["raw"] > kappa["centered"] > kappa["standardized"]
            > kappa["whitened"])
    assert kappa["whitened"] == pytest.approx(1.0, abs=1e-8)
    if data == "digits":
        assert kappa["raw"] > 1e6 and kappa["standardized"] < 1e3


def closed_form_steps(lams, c, tol):
    # GD on a diagonal quadratic: each coordinate of w - w* shrinks by
    # (1 - eps lam_i) per step, so the gap is a sum of geometric terms
    eps, _ = gd_contraction(lams)
    rho = (1 - eps * lams) ** 2
    gap = lambda k: 0.5 * np.sum(lams * c ** 2 * rho ** k)   # noqa: E731
    k = 0
    while gap(k) > tol * gap(0):
        k += 1
    return k


@pytest.mark.parametrize("seed", range(5))
def test_gd_steps_match_closed_form(seed):
    rng = np.random.default_rng(seed)
    n, d = 400, 4
    lams = np.sort(rng.uniform(0.01, 1.0, d))
    X = np.sqrt(n * lams) * np.eye(n, d)          # H = diag(lams)
    w_star = rng.standard_normal(d)
    y = X @ w_star
    expected = closed_form_steps(lams, w_star, 1e-6)
    assert gd_steps(X, y, tol=1e-6) == expected
    # controls: a looser tolerance needs fewer steps; a cap gives None
    assert gd_steps(X, y, tol=1e-2) < expected
    assert gd_steps(X, y, tol=1e-6, max_steps=expected - 1) is None


def test_gd_steps_per_preprocessing_on_digits():
    X, y = digits_regression()
    steps = {k: gd_steps(Z, y) for k, Z in preprocessings(X).items()}
    assert steps["whitened"] == 1        # H = I: one exact step
    assert 1 < steps["standardized"] < 20_000
    assert steps["raw"] is None and steps["centered"] is None


# ---------------------------------------------------------------------
# random search, eq:log-uniform

def test_grid_has_three_distinct_values_random_has_nine():
    G = grid_points(3)
    assert np.allclose(np.unique(G[:, 0]), [1 / 6, 1 / 2, 5 / 6])
    assert len(np.unique(G[:, 1])) == 3 and len(G) == 9
    R = random_points(9, np.random.default_rng(0))
    assert len(np.unique(R[:, 0])) == 9
    assert np.all((R >= 0) & (R <= 1))


def test_toy_score_maximum():
    t = np.linspace(0, 1, 1001)
    T = np.stack(np.meshgrid(t, t, indexing="ij"), axis=-1)
    S = toy_score(T)
    i, j = np.unravel_index(np.argmax(S), S.shape)
    assert (t[i], t[j]) == pytest.approx((0.62, 0.4), abs=1e-3)
    assert S.max() == pytest.approx(1.1, abs=1e-6)


def test_random_search_usually_beats_the_grid():
    best_grid, best_random = search_experiment()
    assert np.mean(best_random > best_grid) > 0.8
    assert np.median(best_random) > best_grid + 0.4
    # control: when the peak sits on a grid value the grid wins
    best_grid, best_random = search_experiment(peak=0.5)
    assert np.mean(best_random > best_grid) < 0.05


def test_log_uniform_distribution():
    rng = np.random.default_rng(0)
    x = sample_log_uniform(-5, 0, 20_000, rng)
    assert kstest((np.log10(x) + 5) / 5, "uniform").pvalue > 0.01
    per_decade = np.histogram(np.log10(x), bins=np.arange(-5, 1))[0]
    # 20,000 draws, p = 0.2 per decade: sd = 57, allow 5 sd
    assert np.all(np.abs(per_decade - 4000) < 5 * 57)
    # control: uniform on [1e-5, 1] puts ~90 % into the top decade
    u = rng.uniform(1e-5, 1.0, 20_000)
    assert kstest((np.log10(u) + 5) / 5, "uniform").pvalue < 1e-6


# ---------------------------------------------------------------------
# coarse to fine

@pytest.mark.parametrize("seed", range(3))
def test_softmax_grads_match_autograd(seed):
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((30, 6)), rng.integers(0, 10, 30)
    W, b = rng.standard_normal((6, 10)), rng.standard_normal(10)
    lam = 0.3
    Wt = torch.tensor(W, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)
    loss = (torch.nn.functional.cross_entropy(
        torch.as_tensor(X) @ Wt + bt, torch.as_tensor(y))
        + lam / 2 * (Wt ** 2).sum())
    loss.backward()
    gW, gb = softmax_grads(X, np.eye(10)[y], W, b, lam)
    assert np.allclose(gW, Wt.grad.numpy(), atol=1e-12)
    assert np.allclose(gb, bt.grad.numpy(), atol=1e-12)
    # control: a penalty on the bias too would change its gradient
    assert not np.allclose(gb + lam * b, bt.grad.numpy(), atol=1e-6)


def test_softmax_regression_diverges_to_chance():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 8)) * 10, rng.integers(0, 10, 50)
    # |1 - eps lam| = 1e5 - 1: the weights overflow within 100 steps
    assert softmax_regression(X, y, X, y, eps=1e4, lam=10.0) == 0.1
    # control: a small step learns (training accuracy far above 0.1)
    assert softmax_regression(X, y, X, y, eps=0.01, lam=0.0) > 0.3


def test_zoom_box_contains_the_best_trials():
    trials = np.array([[0.0, 0.0], [1.0, -1.0], [2.0, 3.0], [5.0, 5.0]])
    acc = np.array([0.9, 0.8, 0.95, 0.1])
    assert zoom_box(trials, acc, 2, 0.5) == ((-0.5, 2.5), (-0.5, 3.5))


@pytest.fixture(scope="module")
def search():
    return coarse_to_fine()


def test_coarse_to_fine_stages(search):
    (tr1, acc1), fine, (tr2, acc2) = search
    (a, b), (c, d) = fine
    assert np.all((tr2[:, 0] >= a) & (tr2[:, 0] <= b))
    assert np.all((tr2[:, 1] >= c) & (tr2[:, 1] <= d))
    top = tr1[np.argsort(-acc1)[:3]]
    assert np.all((top[:, 0] > a) & (top[:, 0] < b))
    # the figure's claims: stage 2 spends its trials in the good region
    # (more of them near the best), but does not raise the best much
    assert np.mean(acc2 >= 0.9) > np.mean(acc1 >= 0.9) + 0.2
    assert abs(acc2.max() - acc1.max()) < 0.02
    assert acc1.max() > 0.9


def test_coarse_to_fine_is_deterministic(search):
    (tr1, acc1), fine, (tr2, acc2) = coarse_to_fine()
    assert np.array_equal(tr1, search[0][0])
    assert np.array_equal(acc2, search[2][1]) and fine == search[1]
    # control: another seed gives other trials
    (other, _), _, _ = coarse_to_fine(seed=1, n_trials=(4, 2))
    assert not np.allclose(other, tr1[:4])


# ---------------------------------------------------------------------
# training curves

def test_mlp_seed_fixes_the_weights():
    a, b, c = mlp([3, 4, 2], 0), mlp([3, 4, 2], 0), mlp([3, 4, 2], 1)
    assert all(torch.equal(p, q)
               for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(next(a.parameters()), next(c.parameters()))


@pytest.fixture(scope="module")
def runs():
    torch.set_num_threads(1)
    return diagnosis_runs()


def test_learning_rate_panel(runs):
    small, good, large = (runs[k][0] for k in LR_EPS)
    assert small[-1] > 0.9 * small[0]        # barely moves
    assert good[-1] < 0.05 * good[0]         # falls steadily
    assert np.all(np.diff(good[1:]) < 0.05)
    assert not np.all(np.isfinite(large)) or large[-1] > 1e6  # diverges


def test_underfit_and_overfit_panels(runs):
    J_train, J_val = runs["underfit"]
    assert J_train[-1] > 1.0 and abs(J_val[-1] - J_train[-1]) < 0.05
    J_train, J_val = runs["overfit"]
    assert J_train[-1] < 0.02 * J_val[-1]
    best = np.argmin(J_val)
    assert 0 < best < len(J_val) - 1 and J_val[-1] > J_val[best]
    # control: the well-tuned run has a far smaller gap
    J_train, J_val = runs["good"]
    assert J_val[-1] - J_train[-1] < 0.3 * (runs["overfit"][1][-1]
                                           - runs["overfit"][0][-1])
