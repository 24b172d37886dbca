"""Chapter 9, snippets/trajectory.py: the minimum-norm solution and
gradient descent against np.linalg.pinv and the null-space closed form,
the deep-factorization gradients against torch autograd (float64), the
nuclear-norm solver against closed forms and its optimality certificate,
and the claims of the figures on their data. Each check has a negative
control showing it can fail.
"""

import numpy as np
import pytest
import torch

from snippets.trajectory import (
    MC_OBS, completion_experiment, completion_grads, completion_loss,
    completion_problems, deep_mf, end_to_end, gd_least_squares, gd_limit,
    low_rank_matrix, min_norm_solution, nuclear_norm_completion,
    observation_mask, relative_error, svt)


def problem(n, d, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal(n), rng


def null_projector(X):
    return np.eye(X.shape[1]) - np.linalg.pinv(X) @ X


def nuc(W):
    return np.linalg.svd(W, compute_uv=False).sum()


# ---------------------------------------------------------------------
# eq:min-norm, eq:gd-row-space

@pytest.mark.parametrize("n,d", [(1, 2), (3, 5), (5, 20), (10, 40)])
def test_gd_from_zero_reaches_the_pseudoinverse_solution(n, d):
    X, y, _ = problem(n, d, seed=n + d)
    w_dag = np.linalg.pinv(X) @ y
    np.testing.assert_allclose(min_norm_solution(X, y), w_dag,
                               rtol=0, atol=1e-10)
    eps = 1.0 / np.linalg.norm(X, 2) ** 2
    w = gd_least_squares(X, y, np.zeros(d), eps, 20000)[-1]
    np.testing.assert_allclose(w, w_dag, rtol=0, atol=1e-8)
    # it is a global minimum: the residual vanishes
    assert np.linalg.norm(X @ w - y) < 1e-8


@pytest.mark.parametrize("n,d", [(1, 2), (3, 5), (5, 20)])
def test_gd_from_elsewhere_keeps_the_null_space_part(n, d):
    X, y, rng = problem(n, d, seed=10 + n)
    w0 = rng.standard_normal(d)
    eps = 1.0 / np.linalg.norm(X, 2) ** 2
    w = gd_least_squares(X, y, w0, eps, 20000)[-1]
    expected = np.linalg.pinv(X) @ y + null_projector(X) @ w0
    np.testing.assert_allclose(gd_limit(X, y, w0), expected, atol=1e-10)
    np.testing.assert_allclose(w, expected, rtol=0, atol=1e-8)
    assert np.linalg.norm(X @ w - y) < 1e-8
    # control: the start matters; this is not the min-norm solution
    assert np.linalg.norm(w - np.linalg.pinv(X) @ y) > 0.1
    assert np.linalg.norm(w) > np.linalg.norm(np.linalg.pinv(X) @ y)


def test_iterates_stay_in_row_space_plus_start():
    X, y, rng = problem(4, 12, seed=3)
    w0 = rng.standard_normal(12)
    path = gd_least_squares(X, y, w0, 0.01, 50)
    P = null_projector(X)
    moves = path - w0
    assert np.abs(moves @ P.T).max() < 1e-12
    # control: the moves are not zero, and a random direction is not in
    # the row space
    assert np.abs(moves).max() > 0.1
    assert np.linalg.norm(P @ rng.standard_normal(12)) > 0.1


# ---------------------------------------------------------------------
# eq:deep-factorization, eq:matrix-completion

def torch_grads(Ws, M, mask):
    Wt = [torch.tensor(W, requires_grad=True) for W in Ws]
    P = Wt[0]
    for W in Wt[1:]:
        P = W @ P
    R = torch.tensor(mask) * (P - torch.tensor(M))
    loss = 0.5 * (R * R).sum()
    loss.backward()
    return loss.item(), [W.grad.numpy() for W in Wt]


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_gradients_match_autograd(depth):
    rng = np.random.default_rng(depth)
    d = 6
    M = low_rank_matrix(d, 2, rng)
    mask = observation_mask(d, 15, rng)
    Ws = [rng.standard_normal((d, d)) for _ in range(depth)]
    loss, expected = torch_grads(Ws, M, mask)
    assert completion_loss(Ws, M, mask) == pytest.approx(loss, rel=1e-12)
    got = completion_grads(Ws, M, mask)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)
    if depth > 1:
        # control: the factors in the other order give other gradients
        _, wrong = torch_grads(Ws[::-1], M, mask)
        assert max(np.abs(g - w).max() for g, w in zip(got, wrong)) > 1e-3


def test_gradients_batch_wise():
    rng = np.random.default_rng(7)
    M = rng.standard_normal((3, 5, 5))
    mask = (rng.random((3, 5, 5)) < 0.5).astype(float)
    Ws = [rng.standard_normal((3, 5, 5)) for _ in range(3)]
    got = completion_grads(Ws, M, mask)
    for b in range(3):
        _, expected = torch_grads([W[b] for W in Ws], M[b], mask[b])
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g[b], e, rtol=1e-10, atol=1e-12)
    assert np.abs(got[0][0] - got[0][1]).max() > 1e-3     # control


def test_end_to_end_order():
    rng = np.random.default_rng(0)
    Ws = [rng.standard_normal((4, 4)) for _ in range(3)]
    np.testing.assert_allclose(end_to_end(Ws), Ws[2] @ Ws[1] @ Ws[0])
    assert np.abs(end_to_end(Ws) - Ws[0] @ Ws[1] @ Ws[2]).max() > 1e-3


def test_depth_one_leaves_unobserved_entries_at_their_start():
    # gradient mask * (W - M) never touches an unobserved entry: depth 1
    # gradient descent ends at M on Omega and at W_0 elsewhere
    rng = np.random.default_rng(1)
    M = low_rank_matrix(8, 2, rng)
    mask = observation_mask(8, 30, rng)
    W = deep_mf(M, mask, 1, 0.1, 0.5, 100, np.random.default_rng(5))
    W0 = 0.1 * np.random.default_rng(5).standard_normal((8, 8)) / np.sqrt(8)
    np.testing.assert_allclose(W, mask * M + (1 - mask) * W0, atol=1e-12)
    # control: depth 2 does change the unobserved entries
    W2 = deep_mf(M, mask, 2, 0.1, 0.1, 2000, np.random.default_rng(5))
    assert np.abs((1 - mask) * (W2 - W0)).max() > 0.1


def test_deep_mf_fits_the_observed_entries_and_is_deterministic():
    rng = np.random.default_rng(2)
    M = low_rank_matrix(10, 2, rng)
    mask = observation_mask(10, 60, rng)
    runs = [deep_mf(M, mask, 3, 1e-2, 0.1, 6000,
                    np.random.default_rng(9)) for _ in range(2)]
    np.testing.assert_array_equal(runs[0], runs[1])
    assert np.abs(mask * (runs[0] - M)).max() < 1e-4
    other = deep_mf(M, mask, 3, 1e-2, 0.1, 6000, np.random.default_rng(8))
    assert np.abs(other - runs[0]).max() > 0      # control: seed matters


# ---------------------------------------------------------------------
# eq:nuclear-norm

def test_svt_is_the_proximal_map():
    rng = np.random.default_rng(0)
    Y, tau = rng.standard_normal((6, 4)), 0.8
    W = svt(Y, tau)

    def obj(V):
        return tau * nuc(V) + 0.5 * np.sum((V - Y) ** 2)
    U, s, Vt = np.linalg.svd(Y, full_matrices=False)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False),
                               np.maximum(s - tau, 0), atol=1e-12)
    for _ in range(50):
        assert obj(W + 1e-3 * rng.standard_normal(W.shape)) > obj(W)
    # control: plain shrinkage of every entry is not the minimizer
    soft = np.sign(Y) * np.maximum(np.abs(Y) - tau, 0)
    assert obj(soft) > obj(W) + 1e-3
    assert np.abs(svt(Y, s[0] + 1e-9)).max() < 1e-12


def test_fully_observed_returns_m():
    M = low_rank_matrix(8, 3, np.random.default_rng(4))
    W, _ = nuclear_norm_completion(M, np.ones_like(M), n_iter=5000)
    np.testing.assert_allclose(W, M, atol=1e-7)


@pytest.mark.parametrize("a,b,c", [(1.0, 2.0, 2.0), (3.0, 1.0, 2.0),
                                   (0.5, 1.0, 3.0)])
def test_two_by_two_closed_form(a, b, c):
    # |W|_*^2 = |W|_F^2 + 2 |det W| for 2 x 2: over the missing x the
    # minimum is at x = a when a^2 < bc, else at the rank-1 x = bc / a
    M = np.array([[a, b], [c, 0.0]])
    mask = np.array([[1.0, 1.0], [1.0, 0.0]])
    W, _ = nuclear_norm_completion(M, mask, n_iter=20000, tol=1e-12)
    x = a if a * a < b * c else b * c / a
    assert W[1, 1] == pytest.approx(x, abs=1e-6)
    np.testing.assert_allclose(W * mask, M * mask, atol=1e-6)
    rank_one = np.array([[a, b], [c, b * c / a]])
    if a * a < b * c:
        # control: the rank-1 completion is feasible but not optimal
        assert nuc(rank_one) > nuc(W) + 0.1


def certificate_gap(W, Y, mask, rank):
    """How far Y is from proving W optimal: off-Omega mass of Y, and
    for Y = U V^T + R the parts of R not orthogonal to W's singular
    spaces and the excess of |R|_2 over 1."""
    U, s, Vt = np.linalg.svd(W)
    U, Vt = U[:, :rank], Vt[:rank]
    R = Y - U @ Vt
    return (np.abs((1 - mask) * Y).max(), np.abs(U.T @ R).max(),
            np.abs(R @ Vt.T).max(), np.linalg.norm(R, 2) - 1)


def test_kkt_certificate():
    rng = np.random.default_rng(0)
    M = low_rank_matrix(12, 2, rng)
    mask = observation_mask(12, 100, rng)
    W, Y = nuclear_norm_completion(M, mask, n_iter=20000, tol=1e-11)
    s = np.linalg.svd(W, compute_uv=False)
    rank = int(np.sum(s > 1e-6 * s[0]))
    off, left, right, excess = certificate_gap(W, Y, mask, rank)
    assert max(off, left, right) < 1e-6 and excess < 1e-6
    assert np.abs(mask * (W - M)).max() < 1e-8
    # the ground truth is feasible: it cannot have a smaller norm
    assert nuc(W) <= nuc(M) + 1e-8
    # control: for another feasible matrix the certificate fails
    V = W + (1 - mask) * rng.standard_normal(W.shape)
    assert max(certificate_gap(V, Y, mask, rank)[1:3]) > 1e-2


# ---------------------------------------------------------------------
# the figure's experiment (fig-matrix-completion)

@pytest.fixture(scope="module")
def errors():
    return completion_experiment()


def test_experiment_shapes_and_depth_one(errors):
    obs = np.array(MC_OBS)
    assert all(e.shape == (3, len(obs)) for e in errors.values())
    # depth 1 fills nothing: the error falls only with what is observed
    assert np.all(errors[1] > 0.4)


def test_depth_three_recovers_where_nuclear_norm_does_not(errors):
    i = MC_OBS.index(150)
    assert errors[3][:, i:].max() < 1e-3
    assert errors["nuclear"][:, i].mean() > 0.1
    assert errors[2][:, i].mean() > 0.1
    # control, and the honest caveat: with very few entries depth 3 is
    # worse than the zero matrix and than the nuclear norm
    assert errors[3][:, 0].mean() > 1.0 > errors["nuclear"][:, 0].mean()


def test_relative_error():
    M = np.ones((2, 3, 3))
    assert relative_error(np.zeros_like(M), M).tolist() == [1.0, 1.0]
    assert relative_error(M, M).tolist() == [0.0, 0.0]


def test_depth_three_learns_one_singular_value_at_a_time():
    # fig-singular-values: seed 0, |Omega| = 150
    M, mask = completion_problems(seeds=(0,), obs=(150,))
    M, mask = M[0, 0], mask[0, 0]
    true = np.linalg.svd(M, compute_uv=False)
    _, s3 = deep_mf(M, mask, 3, 1e-2, 0.1, 3000, np.random.default_rng(0),
                    record=10)
    # a stretch where sigma_1 is learnt and sigma_2 is still near 0
    staged = (s3[:, 0] > 0.5 * true[0]) & (s3[:, 1] < 0.05 * true[1])
    assert staged.sum() >= 5
    np.testing.assert_allclose(s3[-1, :2], true[:2], rtol=1e-3)
    assert s3[-1, 2] < 1e-3
    # control: with one factor no such stretch, and sigma_3 is not small
    _, s1 = deep_mf(M, mask, 1, 1e-2, 0.5, 60, np.random.default_rng(0),
                    record=1)
    assert not np.any((s1[:, 0] > 0.5 * s1[-1, 0])
                      & (s1[:, 1] < 0.05 * s1[-1, 1]))
    assert s1[-1, 2] > 0.5
