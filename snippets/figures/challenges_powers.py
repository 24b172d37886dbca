"""|lambda|^t for eigenvalues on both sides of 1: the vanishing and the
exploding components of W^t."""

import numpy as np

from snippets.challenges_gradients import component_growth
from snippets.figures.style import (BLACK, BLUE, GREEN, ORANGE, PURPLE,
                                    SKY_BLUE, VERMILLION, new_figure)

T = 300
LAMS = [0.5, 0.9, 0.99, 1.0, 1.01, 1.1, 1.5]
STYLES = [(SKY_BLUE, "-"), (BLUE, "--"), (GREEN, "-."), (BLACK, ":"),
          (ORANGE, "-."), (VERMILLION, "--"), (PURPLE, "-")]
YLIM = (1e-8, 1e8)
LABEL_AT = 1e6  # curves that leave the plot are labelled at 1e6, 1e-6


def figure():
    t = np.arange(T + 1)
    growth = component_growth(LAMS, t)
    fig, ax = new_figure(7.0, 3.8)
    for lam, (color, ls), g in zip(LAMS, STYLES, growth.T):
        ax.semilogy(t, g, color=color, ls=ls)
        inside = np.flatnonzero((g >= 1 / LABEL_AT) & (g <= LABEL_AT))
        k = inside[-1]
        if k == T:  # still inside at the right edge: label at the end
            dy, va = 0, "center"
        else:  # beside the line, on its empty side
            dy, va = (-4, "top") if lam > 1 else (4, "bottom")
        ax.annotate(rf"$|\lambda| = {lam:g}$", (t[k], g[k]),
                    xytext=(6, dy), textcoords="offset points",
                    ha="left", va=va, color=color)
    ax.set_ylim(*YLIM)
    ax.set_xlim(0, T)
    ax.set_xlabel("$t$")
    ax.set_ylabel(r"$|\lambda|^t$")
    return fig
