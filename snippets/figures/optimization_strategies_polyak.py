"""Constant-step SGD with noisy gradients on a 2-D quadratic: the
iterates keep jittering around the minimum, their running (Polyak)
average and their EMA settle. Left: one run; right: the root-mean-square
distance to the minimum over many runs, against t."""

import numpy as np

from snippets.figures.style import (BLUE, GREY, VERMILLION,
                                    new_figure, parameter_plane)
from snippets.optimization_strategies import (POLYAK_H, POLYAK_RHO,
                                              POLYAK_THETA0, polyak_runs)

N_SHOW = 300                  # iterates drawn on the left
N_STEPS, N_RUNS = 2000, 100
XLIM, YLIM = (-3.4, 1.4), (-1.2, 2.4)
STYLES = {"last": dict(color=GREY, ls="-", lw=1.0),
          "average": dict(color=BLUE, ls="-", lw=1.8),
          "EMA": dict(color=VERMILLION, ls="--", lw=1.8)}
LABELS = {"last": r"$\boldsymbol{\theta}^{(t)}$",
          "average": "Polyak",
          "EMA": rf"EMA, $\rho = {POLYAK_RHO:g}$"}


def figure():
    fig, (ax, ax_dist) = new_figure(7.0, 3.5, ncols=2,
                                    width_ratios=[1.15, 1])
    thetas, avg, ema = (x[:, 0] for x in polyak_runs(N_SHOW))
    t1, t2 = np.meshgrid(np.linspace(*XLIM, 201), np.linspace(*YLIM, 161))
    grid = np.stack([t1, t2], axis=-1)
    J = 0.5 * np.einsum("...i,ij,...j->...", grid, POLYAK_H, grid)
    ax.contour(t1, t2, J, levels=[0.1, 0.4, 1.0, 2.0, 3.5],
               colors="#BBBBBB", linewidths=0.7)
    path = np.vstack([POLYAK_THETA0, thetas])   # from theta^(0)
    ax.plot(path[:, 0], path[:, 1], "o-", ms=1.8, lw=0.4, color=GREY,
            alpha=0.7)
    for name, path in (("average", avg), ("EMA", ema)):
        ax.plot(path[:, 0], path[:, 1], **STYLES[name])
    ax.plot(*POLYAK_THETA0, "o", color="black", ms=4, zorder=3)
    ax.plot(0.0, 0.0, "*", color="black", ms=10, zorder=4)
    parameter_plane(ax, XLIM, YLIM)

    t = np.arange(1, N_STEPS + 1)
    for name, x in zip(STYLES, polyak_runs(N_STEPS, N_RUNS)):
        rms = np.sqrt(np.mean(np.sum(x ** 2, axis=-1), axis=-1))
        ax_dist.loglog(t, rms, label=LABELS[name], **STYLES[name])
    ax_dist.set_xlabel("$t$")
    ax_dist.set_ylabel(r"$\Vert\boldsymbol{\theta}"
                       r" - \boldsymbol{\theta}^*\Vert$")
    ax_dist.set_xlim(1, N_STEPS)
    ax_dist.legend(loc="lower left")
    return fig
