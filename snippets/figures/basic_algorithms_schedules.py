"""The four learning-rate schedules of the chapter, eps_k against k."""

import numpy as np

from snippets.basic_algorithms import (cosine_annealing, linear_decay,
                                       step_decay, warmup)
from snippets.figures.style import BLUE, GREEN, PURPLE, VERMILLION, \
    new_figure

EPS0 = 0.1
N_STEPS = 1000             # K for the cosine schedules
TAU = 800                  # end of the linear decay
EPS_TAU = 0.01 * EPS0      # about 1% of eps0, as GBC advise
GAMMA, STEP_SIZE = 0.5, 200
W = 100                    # warm-up length


def figure():
    k = np.arange(N_STEPS)
    warm_cos = np.where(k < W, warmup(k, EPS0, W),
                        cosine_annealing(k - W, EPS0, 0.0, N_STEPS - W))
    panels = [
        ("linear decay", linear_decay(k, EPS0, EPS_TAU, TAU), BLUE),
        ("step decay", step_decay(k, EPS0, GAMMA, STEP_SIZE), VERMILLION),
        ("cosine annealing", cosine_annealing(k, EPS0, 0.0, N_STEPS),
         GREEN),
        ("warm-up + cosine", warm_cos, PURPLE),
    ]
    fig, axes = new_figure(7.0, 4.4, ncols=2, nrows=2,
                           sharex=True, sharey=True)
    for ax, (title, eps, color) in zip(axes.flat, panels):
        ax.plot(k, eps, color=color, lw=2.0)
        ax.set_title(title)
        ax.set_ylim(-0.005, 0.11)
        ax.set_xlim(0, N_STEPS)
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$\epsilon_k$")
    for ax in axes[1, :]:
        ax.set_xlabel("$k$")

    ax = axes[0, 0]
    ax.axvline(TAU, color="#555555", ls=":", lw=1.0)
    ax.annotate(r"$k = \tau$", (TAU, 0.06), xytext=(6, 0),
                textcoords="offset points", color="#333333")
    ax = axes[1, 1]
    ax.axvline(W, color="#555555", ls=":", lw=1.0)
    ax.annotate(r"$W$", (W, 0.02), xytext=(6, 0),
                textcoords="offset points", color="#333333")
    return fig
