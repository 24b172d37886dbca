"""Bergstra & Bengio's picture: nine trials on a 3 x 3 grid and nine
random trials on a score that depends strongly on theta_1 and hardly on
theta_2. Top: the score along theta_1 with the trials projected on it
(3 distinct values against 9). Right: the best score of the grid and of
1,000 random searches of nine trials."""

import numpy as np

from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.regularization_practice import (grid_points, random_points,
                                              search_experiment,
                                              toy_score)

SEED = 3            # the random search shown


def figure():
    fig, axes = new_figure(7.0, 3.9, nrows=2, ncols=3,
                           height_ratios=[1, 2.6],
                           width_ratios=[1, 1, 1.05])
    t = np.linspace(0, 1, 201)
    t1, t2 = np.meshgrid(t, t, indexing="ij")
    S = toy_score(np.stack([t1, t2], axis=-1))
    g = toy_score(np.stack([t, np.full_like(t, 0.4)], axis=-1))
    pts = {"grid": grid_points(3),
           "random": random_points(9, np.random.default_rng(SEED))}
    for col, (name, P) in enumerate(pts.items()):
        top, ax = axes[0, col], axes[1, col]
        ax.contour(t1, t2, S, levels=[0.2, 0.4, 0.6, 0.8, 1.0],
                   colors="#BBBBBB", linewidths=0.7)
        ax.plot(P[:, 0], P[:, 1], "o", color=BLUE, ms=6)
        best = P[np.argmax(toy_score(P))]
        ax.plot(*best, "*", color=VERMILLION, ms=13, zorder=3)
        for x in P[:, 0]:                 # rug: theta_1 of each trial
            ax.axvline(x, ymax=0.04, color=BLUE, lw=1.2)
        for y in P[:, 1]:
            ax.axhline(y, xmax=0.04, color=BLUE, lw=1.2)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.grid(False)
        ax.set_xlabel(r"$\theta_1$")
        ax.set_ylabel(r"$\theta_2$" if col == 0 else "")
        top.plot(t, g, color=GREY, lw=1.2)
        top.plot(P[:, 0], toy_score(P), "o", color=BLUE, ms=4)
        top.set_xlim(0, 1)
        top.set_ylim(0, 1.25)
        top.set_xticklabels([])
        top.set_title(name)
        top.set_ylabel("$f$" if col == 0 else "")
    best_grid, best_random = search_experiment()
    axes[0, 2].set_visible(False)
    ax = axes[1, 2]
    ax.hist(best_random, bins=np.linspace(0, 1.15, 24), color=BLUE,
            alpha=0.8, label="random")
    ax.axvline(best_grid, color=VERMILLION, ls="--", lw=1.8,
               label="grid")
    ax.set_xlabel(r"$\max f$")
    ax.legend(loc="upper left")
    return fig
