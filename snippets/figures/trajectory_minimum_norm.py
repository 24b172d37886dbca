"""One equation, two unknowns (eq:underdetermined with n = 1, d = 2):
every point of the line x^T w = y is a global minimum. Gradient descent
moves along x (eq:gd-row-space), so each start lands at the foot of its
perpendicular; from w_0 = 0 that is the minimum-norm point (eq:min-norm),
where the circle of radius |w_dagger| touches the line."""

import numpy as np

from snippets.figures.style import (BLACK, BLUE, GREEN, GREY, ORANGE,
                                    PURPLE, VERMILLION, new_figure,
                                    parameter_plane)
from snippets.trajectory import gd_least_squares, min_norm_solution

X = np.array([[1.0, 2.0]])
Y = np.array([4.0])
STARTS = [(0.0, 0.0), (-2.5, 3.0), (3.5, 3.5), (-1.5, -1.0),
          (3.0, -0.5)]
COLORS = [VERMILLION, BLUE, GREEN, ORANGE, PURPLE]
EPS, N_STEPS = 0.08, 30
LIM = (-3.0, 4.0)


def figure():
    fig, ax = new_figure(5.6, 4.6)
    w1 = np.linspace(*LIM, 2)
    # the solution set: w_2 = (y - x_1 w_1) / x_2
    ax.plot(w1, (Y[0] - X[0, 0] * w1) / X[0, 1], color=BLACK, lw=1.6,
            label=r"$\mathbf{x}^\top\mathbf{w} = y$")
    # the row space of X: the direction of every gradient
    ax.plot(w1, X[0, 1] / X[0, 0] * w1, color=GREY, lw=0.9, ls=":",
            label=r"$\mathrm{span}(\mathbf{x})$")
    w_dag = min_norm_solution(X, Y)
    t = np.linspace(0, 2 * np.pi, 361)
    r = np.linalg.norm(w_dag)
    ax.plot(r * np.cos(t), r * np.sin(t), color=GREY, lw=0.9, ls="--")
    for w0, color in zip(STARTS, COLORS):
        path = gd_least_squares(X, Y, w0, EPS, N_STEPS)
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, lw=1.0,
                ms=2.5)
        ax.plot(*w0, "o", color=color, ms=6, mfc="white", mew=1.5,
                zorder=3)
        ax.plot(*path[-1], "o", color=color, ms=5, zorder=3)
    ax.plot(*w_dag, "*", color=BLACK, ms=13, zorder=4,
            label=r"$\mathbf{w}^\dagger$")
    parameter_plane(ax, LIM, LIM)
    ax.set_xlabel(r"$w_1$")
    ax.set_ylabel(r"$w_2$")
    ax.legend(loc="lower left", fontsize=9)
    return fig
