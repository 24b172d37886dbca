"""Full-batch gradient descent on a small network: the loss falls while
the gradient norm and the curvature along the gradient grow."""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from snippets.challenges import track_curvature
from snippets.figures.style import BLUE, VERMILLION, GREEN, new_figure

EPS = 0.2         # learning rate of full-batch gradient descent
HIDDEN = 2        # tanh units: too few to fit the training set
N_STEPS = 6000
EVERY = 40        # g^T H g (one Hessian-vector product) every 40 steps
SEED = 0


def figure():
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    with threadpool_limits(limits=1):
        r = track_curvature(EPS, N_STEPS, HIDDEN, seed=SEED, every=EVERY)
    k = np.arange(N_STEPS + 1)
    fig, axes = new_figure(7.0, 6.0, nrows=3, sharex=True)
    ax = axes[0]
    ax.plot(k, r["J"], color=BLUE)
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax.set_ylim(0.7, 1.5)
    ax = axes[1]
    ax.plot(k, r["g_norm"], color=VERMILLION)
    ax.set_ylabel(r"$\|\boldsymbol{g}\|$")
    ax.set_ylim(0, None)
    ax = axes[2]
    ax.semilogy(r["k"], np.abs(r["gTHg"]), color=GREEN,
                label=r"$|\boldsymbol{g}^\top\boldsymbol{H}"
                      r"\boldsymbol{g}|$")
    ax.semilogy(r["k"], 2 / EPS * r["gTg"], color="black", ls="--",
                lw=1.2, label=r"$\frac{2}{\epsilon}\,"
                              r"\boldsymbol{g}^\top\boldsymbol{g}$")
    ax.set_xlabel("$k$")
    ax.legend(loc="lower right")
    ax.set_xlim(0, N_STEPS)
    return fig
