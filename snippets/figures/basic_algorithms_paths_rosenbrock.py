"""SGD, momentum and Nesterov on the Rosenbrock function."""

import numpy as np

from snippets.basic_algorithms import optimizer_paths
from snippets.figures.style import METHOD_STYLE, new_figure
from snippets.problems import Rosenbrock

EPS = 1e-3        # the same rate for all three (b = 100 needs it small)
ALPHA = 0.9       # momentum
THETA0 = (-1.2, 1.0)   # the classic starting point
N_STEPS = 2000
MARK_EVERY = 50   # a dot every 50 iterations shows the speed
XLIM, YLIM = (-1.5, 1.5), (-0.5, 1.5)


def figure():
    r = Rosenbrock(a=1.0, b=100.0)
    paths = optimizer_paths(r.grad, THETA0, EPS, ALPHA, N_STEPS)

    fig, axes = new_figure(7.0, 5.0, ncols=2, nrows=2)
    t1, t2 = np.meshgrid(np.linspace(*XLIM, 241), np.linspace(*YLIM, 161))
    J = r.loss(np.stack([t1, t2], axis=-1))
    for ax, (name, path) in zip(axes.flat, paths.items()):
        ax.contour(t1, t2, J, levels=np.geomspace(0.03, 300, 9),
                   colors="#BBBBBB", linewidths=0.7)
        color = METHOD_STYLE[name]["color"]
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.1)
        ax.plot(path[::MARK_EVERY, 0], path[::MARK_EVERY, 1], "o",
                color=color, ms=3)
        ax.plot(*THETA0, "o", color="black", ms=4, zorder=3)
        ax.plot(*r.theta_star, "*", color="black", ms=10, zorder=3)
        ax.set_title(name)
        ax.set_xlim(XLIM)
        ax.set_ylim(YLIM)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$\theta_1$")
        ax.set_ylabel(r"$\theta_2$")
        ax.grid(False)

    ax = axes[1, 1]
    k = np.arange(N_STEPS + 1)
    for name, path in paths.items():
        ax.semilogy(k, r.loss(path), label=name, **METHOD_STYLE[name])
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax.set_ylim(1e-9, 1e6)  # headroom for the legend
    ax.legend(loc="upper right")
    return fig
