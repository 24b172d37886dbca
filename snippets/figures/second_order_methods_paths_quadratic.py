"""GD, Newton, CG and BFGS on an ill-conditioned 2-D quadratic. GD and
CG take exact steps (eq:cg-step); BFGS too, here, which makes its
iterates those of CG: both finish in n = 2 steps, Newton in one."""

import numpy as np

from snippets.figures.style import METHOD_STYLE, new_figure, parameter_plane
from snippets.problems import ill_conditioned_quadratic
from snippets.second_order_methods import (bfgs_update,
                                           conjugate_gradients,
                                           newton_path,
                                           steepest_descent_exact)

KAPPA = 50.0
ANGLE = 20.0        # degrees, as the quadratic of chapter 3
THETA0 = (-9.0, -3.0)   # near GD's slowest start: a long zigzag
N_GD = 30
XLIM, YLIM = (-10.0, 5.0), (-6.0, 3.5)
FLOOR = 1e-20       # J below this (rounding errors) is drawn at FLOOR


def bfgs_exact(A, theta0, n_steps):
    """BFGS (M_0 = I) with the exact step eq:cg-step on 1/2 theta^T A
    theta: on a quadratic it reproduces the CG iterates."""
    theta = np.asarray(theta0, dtype=float)
    M = np.eye(len(theta))
    path = [theta]
    for _ in range(n_steps):
        g = A @ theta
        if not np.any(g):
            break
        d = -M @ g
        s = -(g @ d) / (d @ A @ d) * d
        M = bfgs_update(M, s, A @ s)
        theta = theta + s
        path.append(theta)
    return np.array(path)


def quadratic_paths():
    q = ill_conditioned_quadratic(KAPPA, angle=np.deg2rad(ANGLE))
    A, zero = q.H, np.zeros(2)
    return q, {
        "GD": steepest_descent_exact(A, zero, THETA0, N_GD),
        "Newton": newton_path(q.grad, q.hessian, THETA0, 1),
        "CG": conjugate_gradients(A, zero, THETA0),
        "BFGS": bfgs_exact(A, THETA0, 2)}


def figure():
    q, paths = quadratic_paths()
    fig, axes = new_figure(7.0, 4.6, ncols=3, nrows=2,
                           width_ratios=[1, 1, 1.05])
    gs = axes[0, 2].get_gridspec()
    for ax in axes[:, 2]:
        ax.remove()
    ax_J = fig.add_subplot(gs[:, 2])
    t1, t2 = np.meshgrid(np.linspace(*XLIM, 241), np.linspace(*YLIM, 161))
    J = q.loss(np.stack([t1, t2], axis=-1))
    for i, (ax, (name, path)) in enumerate(zip(axes[:, :2].flat,
                                               paths.items())):
        ax.contour(t1, t2, J, levels=np.geomspace(0.01, 30, 10),
                   colors="#BBBBBB", linewidths=0.7)
        color = METHOD_STYLE[name]["color"]
        ax.plot(path[:, 0], path[:, 1], "o-", color=color, lw=1.1, ms=3)
        ax.plot(*THETA0, "o", color="black", ms=4, zorder=3)
        ax.plot(0, 0, "*", color="black", ms=10, zorder=3)
        ax.set_title(name)
        parameter_plane(ax, XLIM, YLIM, ylabel=i % 2 == 0)
        ax.set_xticks([-10, -5, 0, 5])
        if i < 2:
            ax.set_xlabel("")
    for name, path in paths.items():
        k = np.arange(len(path))
        ax_J.semilogy(k, np.maximum(q.loss(path), FLOOR), marker="o",
                      ms=3, label=name, **METHOD_STYLE[name])
    ax_J.set_xlim(0, N_GD)
    ax_J.set_ylim(FLOOR / 10, 1e3)
    ax_J.set_xlabel("$k$")
    ax_J.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax_J.legend(loc="center right", fontsize=9)
    return fig
