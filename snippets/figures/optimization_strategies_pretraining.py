"""Training loss (top) and validation accuracy (bottom) on the digits of
a ReLU MLP with four hidden layers of 32 units: trained directly, or by
greedy supervised layer-wise pretraining (dotted lines: a new layer and
a new output layer start) and then fine-tuned. The same number of
updates in both arms; three seeds. Left: PyTorch's default
initialization, U(-a, a) with a = 1/sqrt(n); right: He."""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.optimization_strategies_networks import \
    pretraining_experiment

SEEDS = range(3)
N_LAYERS, N_PRE, N_FINE = 4, 40, 160
INITS = [("torch", r"$W_{ij} \sim U(-1/\sqrt{n},\ 1/\sqrt{n})$"),
         ("he", r"He: $W_{ij} \sim N(0,\ 2/n)$")]
ARMS = [("direct", BLUE, "-"), ("greedy", VERMILLION, "--")]


def figure():
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    fig, axes = new_figure(7.0, 5.0, ncols=2, nrows=2, sharex=True,
                           sharey="row")
    n_steps = N_LAYERS * N_PRE + N_FINE
    for col, (init, title) in enumerate(INITS):
        with threadpool_limits(limits=1):
            runs = [pretraining_experiment(seed, init, N_LAYERS,
                                           n_pre=N_PRE, n_fine=N_FINE)
                    for seed in SEEDS]
        top, bottom = axes[0, col], axes[1, col]
        for ax in (top, bottom):
            for l in range(1, N_LAYERS + 1):
                ax.axvline(l * N_PRE, color=GREY, lw=0.7, ls=":")
        for arm, color, ls in ARMS:
            for i, run in enumerate(runs):
                k, J, acc = run[arm]
                label = arm if i == 0 else None
                top.semilogy(k, J, color=color, ls=ls, lw=1.2,
                             label=label)
                bottom.plot(k, acc, color=color, ls=ls, lw=1.2)
        top.set_title(title)
        bottom.set_xlabel("$k$")
        bottom.set_xlim(0, n_steps)
        bottom.set_xticks(np.arange(0, n_steps + 1, 80))
    axes[0, 0].set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    axes[1, 0].set_ylabel(r"$\mathrm{acc}_{\mathrm{val}}$")
    axes[1, 0].set_ylim(0, 1)
    axes[0, 0].legend(loc="lower left")
    return fig
