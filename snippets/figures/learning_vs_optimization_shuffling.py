"""Minibatch SGD on the digits with consecutive minibatches from the
class-sorted training set against minibatches from a random
permutation; everything else, including the initial MLP, is the same."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.learning_vs_optimization import train_ordered_vs_shuffled

EPS = 0.2
M = 32
N_EPOCHS = 3
HIDDEN = 32
STYLE = {"class-sorted": {"color": VERMILLION, "ls": "--"},
         "shuffled": {"color": BLUE, "ls": "-"}}


def figure():
    with threadpool_limits(limits=1):  # tiny matrices: threads only cost
        runs = train_ordered_vs_shuffled(EPS, M, N_EPOCHS, HIDDEN, seed=0)
    steps_per_epoch = (len(runs["shuffled"]) - 1) // N_EPOCHS
    fig, ax = new_figure(7.0, 3.4)
    for name, J in runs.items():
        ax.plot(np.arange(len(J)), J, label=name, **STYLE[name])
    for epoch in range(1, N_EPOCHS):
        ax.axvline(epoch * steps_per_epoch, color=GREY, ls=":", lw=1.0)
    ax.set_yscale("log")
    ax.set_xlim(0, N_EPOCHS * steps_per_epoch)
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J_{\mathrm{train}}(\boldsymbol{\theta}_k)$")
    ax.legend(loc="upper right")
    return fig
