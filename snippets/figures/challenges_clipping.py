"""Gradient descent with and without clipping on a bowl with a cliff."""

import numpy as np

from snippets.challenges_gradients import cliff_paths
from snippets.figures.style import (BLUE, VERMILLION, new_figure,
                                    parameter_plane)
from snippets.problems import Cliff

H, C, W = 20.0, 1.0, 0.2   # cliff height h, edge c, width w: slope 100
THETA0 = (4.0, 2.5)        # on the plateau, above the cliff
EPS = 0.1
V = 5.0                    # threshold: above |g| on the plateau
N_STEPS = 60
XLIM, YLIM = (-10.5, 5.0), (-1.0, 3.2)
STYLE = {"GD": dict(color=BLUE, ls="-", marker="o", ms=2.5, zorder=3),
         "clipped": dict(color=VERMILLION, ls="--", marker="s", ms=4,
                         zorder=2)}


def figure():
    cliff = Cliff(H, C, W)
    paths = cliff_paths(cliff, THETA0, EPS, V, N_STEPS)
    fig, (ax, ax_loss) = new_figure(7.0, 4.6, nrows=2,
                                    height_ratios=[1, 1])

    t1, t2 = np.meshgrid(np.linspace(*XLIM, 621), np.linspace(*YLIM, 181))
    J = cliff.loss(np.stack([t1, t2], axis=-1))
    ax.axvspan(C, C + W, color="#E8E8E8", lw=0, zorder=0)
    ax.axvspan(C + W, XLIM[1], color="#F4F4F4", lw=0, zorder=0)
    ax.contour(t1, t2, J, levels=np.arange(2, 60, 4), colors="#BBBBBB",
               linewidths=0.7)
    for name, path in paths.items():
        s = STYLE[name]
        ax.plot(path[:, 0], path[:, 1], color=s["color"], ls=s["ls"],
                lw=1.1, marker=s["marker"], ms=s["ms"], label=name,
                zorder=s["zorder"])
    k = np.argmax(np.linalg.norm(np.diff(paths["GD"], axis=0), axis=1))
    jump = paths["GD"][k:k + 2].mean(axis=0)
    ax.annotate(r"$\boldsymbol{\theta}_{k+1} - \boldsymbol{\theta}_k$",
                jump, xytext=(0, 6),
                textcoords="offset points", ha="center", color=BLUE)
    ax.plot(*THETA0, "o", color="black", ms=4, zorder=4)
    ax.plot(0, 0, "*", color="black", ms=10, zorder=4)
    parameter_plane(ax, XLIM, YLIM)
    ax.legend(loc="upper left")

    for name, path in paths.items():
        s = STYLE[name]
        ax_loss.semilogy(np.arange(len(path)), cliff.loss(path),
                         color=s["color"], ls=s["ls"])
    ax_loss.set_xlim(0, N_STEPS)
    ax_loss.set_xlabel("$k$")
    ax_loss.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    return fig
