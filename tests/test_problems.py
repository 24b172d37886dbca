"""Synthetic problems: losses, gradients and Hessians are consistent."""

import numpy as np
import pytest
import torch

from snippets.problems import (Quadratic, Rosenbrock,
                               ill_conditioned_quadratic, rosenbrock,
                               rosenbrock_grad)


def numerical_grad(f, theta, h=1e-6):
    g = np.zeros_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        g[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return g


def test_quadratic_loss_grad_hessian():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((5, 5))
    H = A @ A.T + np.eye(5)
    theta_star = rng.standard_normal(5)
    q = Quadratic(H, theta_star)
    theta = rng.standard_normal(5)
    delta = theta - theta_star
    assert np.isclose(q.loss(theta), 0.5 * delta @ H @ delta, rtol=1e-14)
    np.testing.assert_allclose(q.grad(theta), H @ delta, rtol=1e-13)
    np.testing.assert_allclose(q.grad(theta),
                               numerical_grad(q.loss, theta), rtol=1e-7)
    np.testing.assert_array_equal(q.hessian(), H)
    assert q.loss(theta_star) == 0.0


def test_quadratic_batched_matches_loop():
    q = ill_conditioned_quadratic(10.0, angle=0.4)
    grid = np.random.default_rng(1).standard_normal((4, 3, 2))
    J = q.loss(grid)
    G = q.grad(grid)
    assert J.shape == (4, 3) and G.shape == (4, 3, 2)
    for i in range(4):
        for j in range(3):
            assert np.isclose(J[i, j], q.loss(grid[i, j]), rtol=1e-14)
            np.testing.assert_allclose(G[i, j], q.grad(grid[i, j]))


def test_quadratic_rejects_nonsymmetric():
    with pytest.raises(ValueError):
        Quadratic(np.array([[1.0, 2.0], [0.0, 1.0]]))


@pytest.mark.parametrize("kappa", [1.0, 50.0, 1e4])
@pytest.mark.parametrize("dim", [2, 7])
def test_ill_conditioned_quadratic_spectrum(kappa, dim):
    rng = np.random.default_rng(3)
    q = ill_conditioned_quadratic(kappa, dim=dim, lam_max=2.0, rng=rng)
    lam = q.eigenvalues
    assert np.isclose(lam[-1], 2.0, rtol=1e-12)
    assert np.isclose(lam[0], 2.0 / kappa, rtol=1e-10)
    assert np.isclose(q.condition_number, kappa, rtol=1e-10)
    np.testing.assert_allclose(q.H, q.H.T, atol=0)


def test_ill_conditioned_quadratic_rotation():
    # in 2-D the shallow eigenvector (the valley floor) points at `angle`
    angle = np.deg2rad(20.0)
    q = ill_conditioned_quadratic(50.0, angle=angle)
    u = np.array([np.cos(angle), np.sin(angle)])
    np.testing.assert_allclose(q.H @ u, (1 / 50.0) * u, atol=1e-15)


def test_rosenbrock_against_torch():
    rng = np.random.default_rng(4)
    r = Rosenbrock(a=1.5, b=30.0)
    for _ in range(10):
        theta = rng.uniform(-2, 2, 2)
        t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
        J = (1.5 - t[0]) ** 2 + 30.0 * (t[1] - t[0] ** 2) ** 2
        (g,) = torch.autograd.grad(J, t, create_graph=True)
        H = torch.stack([torch.autograd.grad(g[i], t, retain_graph=True)[0]
                         for i in range(2)])
        assert np.isclose(r.loss(theta), J.item(), rtol=1e-14)
        np.testing.assert_allclose(r.grad(theta), g.detach().numpy(),
                                   rtol=1e-13)
        np.testing.assert_allclose(r.hessian(theta), H.numpy(),
                                   rtol=1e-13)


def test_rosenbrock_minimum_and_shorthands():
    r = Rosenbrock()
    assert r.loss(r.theta_star) == 0.0
    np.testing.assert_array_equal(r.grad(r.theta_star), [0.0, 0.0])
    # positive definite Hessian at the minimum, badly conditioned
    lam = np.linalg.eigvalsh(r.hessian(r.theta_star))
    assert lam[0] > 0 and lam[-1] / lam[0] > 2000
    theta = np.array([-1.2, 1.0])
    assert rosenbrock(theta) == r.loss(theta)
    np.testing.assert_array_equal(rosenbrock_grad(theta), r.grad(theta))
    grid = np.stack(np.meshgrid([-1.0, 0.0, 2.0], [0.5, 1.0]), axis=-1)
    assert r.loss(grid).shape == (2, 3)
    assert r.grad(grid).shape == (2, 3, 2)
