"""Left: coordinate descent's axis-aligned staircase on GBC's coupled
quadratic, with gradient descent for contrast. Right: the matrix-
factorization loss of alternating least squares per half-sweep."""

import numpy as np

from snippets.challenges_gradients import gradient_descent
from snippets.figures.style import (BLUE, GREEN, ORANGE, VERMILLION,
                                    new_figure, parameter_plane)
from snippets.optimization_strategies import (als, coordinate_descent,
                                              coupled_quadratic,
                                              low_rank_data)

ALPHA = 0.2                   # f = (theta_1 - theta_2)^2 + alpha |theta|^2
THETA0 = (0.5, 2.0)
N_SWEEPS = 12                 # GD gets as many steps (one gradient each)
XLIM, YLIM = (-0.4, 2.4), (-0.4, 2.4)
LAM, ALS_SWEEPS, SEED = 0.1, 30, 1
RANKS = (2, 3, 5)             # the data have rank 3
STYLES = {"CD": dict(color=VERMILLION, ls="-"),
          "GD": dict(color=BLUE, ls="--")}
RANK_STYLES = [dict(color=ORANGE, ls=":", marker="s"),
               dict(color=VERMILLION, ls="-", marker="o"),
               dict(color=GREEN, ls="-.", marker="^")]


def figure():
    fig, (ax, ax_als) = new_figure(7.0, 3.5, ncols=2,
                                   width_ratios=[1, 1.25])
    A, b = coupled_quadratic(ALPHA)
    L = np.linalg.eigvalsh(A)[-1]
    paths = {"CD": coordinate_descent(A, b, THETA0, N_SWEEPS),
             "GD": gradient_descent(lambda th: A @ th - b, THETA0,
                                    1.0 / L, N_SWEEPS)}
    t1, t2 = np.meshgrid(np.linspace(*XLIM, 201), np.linspace(*YLIM, 201))
    f = (t1 - t2) ** 2 + ALPHA * (t1 ** 2 + t2 ** 2)
    ax.contour(t1, t2, f, levels=[0.02, 0.1, 0.25, 0.5, 1.0, 1.6],
               colors="#BBBBBB", linewidths=0.7)
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], lw=1.2, marker="o", ms=2.5,
                label=name, **STYLES[name])
    ax.plot(*THETA0, "o", color="black", ms=4, zorder=3)
    ax.plot(0.0, 0.0, "*", color="black", ms=10, zorder=3)
    parameter_plane(ax, XLIM, YLIM)
    ax.legend(loc="lower right")

    X = low_rank_data()
    half = np.arange(2 * ALS_SWEEPS + 1) / 2   # in sweeps
    for rank, style in zip(RANKS, RANK_STYLES):
        _, _, losses = als(X, rank, LAM, ALS_SWEEPS,
                           np.random.default_rng(SEED))
        ax_als.semilogy(half, losses, ms=2.5, lw=1.2, label=f"$r = {rank}$",
                        **style)
    ax_als.set_xlabel("$k$")
    ax_als.set_ylabel(r"$J(\boldsymbol{U}, \boldsymbol{V})$")
    ax_als.set_xlim(0, ALS_SWEEPS)
    ax_als.legend(loc="upper right")
    return fig
