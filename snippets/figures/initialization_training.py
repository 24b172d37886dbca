"""Training loss on the digits of ReLU MLPs with one and with four hidden
layers of 100 units, from sigma = 0.01, Xavier and He."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREEN, VERMILLION, new_figure
from snippets.initialization import fixed_sigma, he_normal, \
    train_digits_with_init, xavier_normal

N_STEPS, EVAL_EVERY = 1000, 20
SCHEMES = [(r"$\sigma = 0.01$", fixed_sigma(0.01), VERMILLION, "-"),
           ("Xavier", xavier_normal, GREEN, "--"),
           ("He", he_normal, BLUE, "-.")]
DEPTHS = [(100,), (100, 100, 100, 100)]


def figure():
    fig, axes = new_figure(7.0, 3.2, ncols=2, sharey=True)
    k = np.arange(0, N_STEPS + 1, EVAL_EVERY)
    for ax, hidden in zip(axes, DEPTHS):
        for label, init, color, ls in SCHEMES:
            with threadpool_limits(limits=1):
                J = train_digits_with_init(init, N_STEPS, hidden=hidden,
                                           eval_every=EVAL_EVERY)
            ax.semilogy(k, J, color=color, ls=ls, label=label)
        ax.set_title(f"$L = {len(hidden) + 1}$")
        ax.set_xlabel("$k$")
        ax.set_xlim(0, N_STEPS)
    axes[0].set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    axes[0].legend(loc="lower left")
    return fig
