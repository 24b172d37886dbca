"""Matrix completion of a 20 x 20 rank-2 matrix from |Omega| observed
entries: relative error on all entries after gradient descent on the
deep factorization (eq:matrix-completion) with N = 1, 2, 3 factors from
a small random start, and for nuclear-norm minimization
(eq:nuclear-norm). Lines: mean over three seeds; dots: single seeds.
Dotted lines: the error of W = 0 and the r(2d - r) degrees of freedom
of a rank-r matrix."""

import numpy as np

from snippets.figures.style import (BLACK, BLUE, GREEN, GREY, VERMILLION,
                                    new_figure)
from snippets.trajectory import MC_D, MC_OBS, MC_RANK, completion_experiment

STYLES = {1: dict(color=BLUE, ls="-", marker="o", label="$N = 1$"),
          2: dict(color=VERMILLION, ls="--", marker="s",
                  label="$N = 2$"),
          3: dict(color=GREEN, ls="-.", marker="^", label="$N = 3$"),
          "nuclear": dict(color=BLACK, ls=":", marker="D",
                          label=r"$\min\,\|\mathbf{W}\|_*$")}


def figure():
    errors = completion_experiment()
    obs = np.array(MC_OBS)
    fig, ax = new_figure(7.0, 3.8)
    for key, style in STYLES.items():
        e = errors[key]
        ax.plot(obs, e.mean(axis=0), ms=5, **style)
        for row in e:  # the single seeds, faint
            ax.plot(obs, row, ls="none", marker=style["marker"], ms=3,
                    color=style["color"], alpha=0.3)
    ax.axhline(1.0, color=GREY, lw=0.9, ls=":")
    ax.axvline(MC_RANK * (2 * MC_D - MC_RANK), color=GREY, lw=0.9,
               ls=":")
    ax.set_xlabel(r"$|\Omega|$")
    ax.set_ylabel(r"$\|\mathbf{W} - \mathbf{M}\|_F"
                  r" / \|\mathbf{M}\|_F$")
    ax.set_ylim(-0.05, 3.1)
    ax.legend(loc="upper right")
    return fig
