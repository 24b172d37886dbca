"""Training loss of plain minibatch SGD on digits for several rates."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.basic_algorithms import train_digits
from snippets.figures.style import PALETTE, DASHES, new_figure

N_STEPS = 500
BATCH_SIZE = 32
EVAL_EVERY = 5    # full training loss every 5 steps keeps this fast
RATES = [0.003, 0.03, 0.3, 1.5, 2.0]  # too small ... too large
Y_MAX = 20.0


def figure():
    fig, ax = new_figure(7.0, 3.8)
    k = np.arange(0, N_STEPS + 1, EVAL_EVERY)
    # The matrices are tiny: BLAS threads only add overhead, and a lot
    # of it when other figures are being built on the same cores.
    with threadpool_limits(limits=1):
        curves = [train_digits(lr, N_STEPS, batch_size=BATCH_SIZE,
                               seed=0, eval_every=EVAL_EVERY)
                  for lr in RATES]
    for lr, losses, color, ls in zip(RATES, curves, PALETTE, DASHES):
        ax.plot(k, losses, color=color, ls=ls, lw=1.5,
                label=rf"$\epsilon = {lr:g}$")
        if losses[-1] > Y_MAX:  # left the plot: point out where
            k_out = k[np.argmax(losses > Y_MAX)]
            ax.annotate(rf"$\epsilon = {lr:g}$:  $J \to \infty$",
                        (k_out, Y_MAX),
                        xytext=(40, Y_MAX / 2), color=color,
                        va="center", arrowprops={"arrowstyle": "->",
                                                 "color": color})
    ax.set_yscale("log")
    ax.set_ylim(1e-3, Y_MAX)
    ax.set_xlim(0, N_STEPS)
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax.legend(loc="lower right", ncols=3)
    return fig
