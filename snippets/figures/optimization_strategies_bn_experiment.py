"""Training loss on the digits of a ReLU MLP with three hidden layers,
without and with batch normalization, from four initialization scales:
all weights N(0, (s sigma_He)^2) for s = 0.01, 0.1, 1, 10. Minibatch
SGD, the same minibatches in every run; the loss of the whole training
set at the end of each epoch."""

import numpy as np
import torch

from snippets.figures.style import BLUE, VERMILLION, new_figure
from snippets.optimization_strategies_normalization import (
    INIT_SCALES, bn_experiment)

# local styles: one per arm
ARMS = [(False, "MLP", {"color": VERMILLION, "linestyle": "--"}),
        (True, "MLP + BN", {"color": BLUE, "linestyle": "-"})]
YLIM = (3e-3, 30.0)


def scale_title(s):
    return "He" if s == 1 else rf"${s:g} \times$ He"


def figure():
    torch.set_num_threads(1)   # small matrices: threads only add overhead
    torch.set_flush_denormal(True)   # tiny activations at s = 0.01: faster
    k, losses = bn_experiment()
    fig, axes = new_figure(7.0, 4.6, ncols=2, nrows=2, sharex=True,
                           sharey=True)
    for ax, s in zip(axes.flat, INIT_SCALES):
        for batch_norm, label, style in ARMS:
            J = losses[s, batch_norm]
            ax.semilogy(k, J, label=label, marker="o", ms=2.5, **style)
            if not np.all(np.isfinite(J)):
                # J_0 is above the panel; the loss then overflows to NaN
                # within the first epoch
                ax.plot(0, YLIM[1], "^", color=style["color"], ms=7,
                        clip_on=False, zorder=3)
                ax.annotate("NaN", (0, YLIM[1]), xytext=(9, -3),
                            textcoords="offset points", va="top",
                            color=style["color"])
        ax.set_title(scale_title(s))
        ax.set_xlim(0, k[-1])
        ax.set_ylim(*YLIM)
    for ax in axes[-1]:
        ax.set_xlabel("$k$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    axes[0, 0].legend(loc="lower left")
    return fig
