"""Gradient descent and Newton's method from the same point near the
saddle of J = theta_1^2 / 2 - theta_2^2 / 2 + theta_2^4 / 4."""

import numpy as np

from snippets.challenges import (gd_path, newton_path, saddle_function,
                                 saddle_grad, saddle_hessian)
from snippets.figures.style import (BLUE, ORANGE, new_figure,
                                    parameter_plane)

THETA0 = (1.5, 0.1)   # |theta_2| < 1/sqrt(5): Newton's basin of the saddle
EPS = 0.1             # gradient descent
N_GD, N_NEWTON = 60, 6
XLIM, YLIM = (-1.8, 1.8), (-1.5, 1.5)
GD = {"color": BLUE, "linestyle": "-"}
NEWTON = {"color": ORANGE, "linestyle": "--"}


def saddle_figure(paths, theta0, minima, xlim, ylim, n_steps):
    """Paths on the saddle's contours (left) and J against k (right).

    ``paths`` maps a legend label to (iterates, line style); ``minima``
    lists the minima to mark with a star. Chapter 6 reuses it.
    """
    fig, (ax, ax_J) = new_figure(7.0, 3.3, ncols=2,
                                 width_ratios=[1.15, 1])
    t1, t2 = np.meshgrid(np.linspace(*xlim, 181), np.linspace(*ylim, 151))
    J = saddle_function(np.stack([t1, t2], axis=-1))
    ax.contour(t1, t2, J, levels=np.linspace(-0.2, 1.6, 10),
               colors="#BBBBBB", linewidths=0.7)
    ax.contour(t1, t2, J, levels=[0.0], colors="#888888",
               linewidths=0.9, linestyles=":")
    for name, (path, style) in paths.items():
        ax.plot(path[:, 0], path[:, 1], marker="o", ms=2.5, lw=1.2,
                label=name, **style)
        ax_J.plot(np.arange(len(path)), saddle_function(path), marker="o",
                  ms=2.5, lw=1.2, label=name, **style)
    ax.plot(*theta0, "o", color="black", ms=4, zorder=3)
    ax.plot(0, 0, "x", color="black", ms=7, mew=1.5, zorder=3)
    ax.plot(*np.transpose(minima), "*", color="black", ms=10, zorder=3)
    parameter_plane(ax, xlim, ylim)
    for level, text in ((0.0, r"$J(\mathbf{0})$"), (-0.25, r"$J_{\min}$")):
        ax_J.axhline(level, color="#888888", lw=0.8, ls=":")
        ax_J.annotate(text, (n_steps, level), xytext=(0, 3),
                      textcoords="offset points", ha="right",
                      va="bottom", color="#555555", fontsize=9)
    ax_J.set_xlim(0, n_steps)
    ax_J.set_ylim(-0.32, 1.2)
    ax_J.set_xlabel("$k$")
    ax_J.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax_J.legend(loc="upper right")
    return fig, (ax, ax_J)


def figure():
    gd = gd_path(saddle_grad, THETA0, EPS, N_GD)
    newton = newton_path(saddle_grad, saddle_hessian, THETA0, N_NEWTON)
    paths = {"GD": (gd, GD), "Newton": (newton, NEWTON)}
    fig, _ = saddle_figure(paths, THETA0, [(0, -1), (0, 1)], XLIM, YLIM,
                           N_GD)
    return fig
