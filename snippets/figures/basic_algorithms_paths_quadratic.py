"""SGD, momentum and Nesterov on an ill-conditioned 2-D quadratic."""

import numpy as np

from snippets.basic_algorithms import optimizer_paths
from snippets.figures.style import METHOD_STYLE, new_figure
from snippets.problems import ill_conditioned_quadratic

KAPPA = 50.0      # condition number: eigenvalues 0.02 and 1 of H
ANGLE = 20.0      # degrees between the valley floor and the theta_1 axis
EPS = 1.25        # the same rate for all three; eps * lambda_max = 1.25
ALPHA = 0.9       # momentum
THETA0 = (-9.0, -1.0)
N_STEPS = 100
XLIM, YLIM = (-10.0, 5.0), (-6.0, 3.5)


def figure():
    q = ill_conditioned_quadratic(KAPPA, angle=np.deg2rad(ANGLE))
    paths = optimizer_paths(q.grad, THETA0, EPS, ALPHA, N_STEPS)

    fig, axes = new_figure(7.0, 5.4, ncols=2, nrows=2)
    t1, t2 = np.meshgrid(np.linspace(*XLIM, 201), np.linspace(*YLIM, 121))
    J = q.loss(np.stack([t1, t2], axis=-1))
    for ax, (name, path) in zip(axes.flat, paths.items()):
        ax.contour(t1, t2, J, levels=np.geomspace(0.01, 30, 10),
                   colors="#BBBBBB", linewidths=0.7)
        color = METHOD_STYLE[name]["color"]
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, lw=1.1, ms=2.5)
        ax.plot(*THETA0, "o", color="black", ms=4, zorder=3)
        ax.plot(0.0, 0.0, "*", color="black", ms=10, zorder=3)
        ax.set_title(name)
        ax.set_xlim(XLIM)
        ax.set_ylim(YLIM)
        ax.set_xticks([-10, -5, 0, 5])
        ax.set_aspect("equal")
        ax.set_xlabel(r"$\theta_1$")
        ax.set_ylabel(r"$\theta_2$")
        ax.grid(False)

    ax = axes[1, 1]
    k = np.arange(N_STEPS + 1)
    for name, path in paths.items():
        ax.semilogy(k, q.loss(path), label=name, **METHOD_STYLE[name])
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax.legend(loc="lower left")
    return fig
