"""Validation accuracy on the digits against the update k, for a
64-32-10 ReLU MLP trained by minibatch SGD: curriculum ("baby steps":
minibatches from the easiest 20 %, 40 %, ... of the training set by the
margin of a logistic-regression reference model) vs random order. Thin
lines: three seeds; thick: their mean. Bottom: the curriculum's pool."""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, VERMILLION, new_figure
from snippets.optimization_strategies_networks import baby_steps, \
    curriculum_experiment, digits

SEEDS = range(3)
N_STEPS, PHASE, FRACTIONS = 300, 30, (0.2, 0.4, 0.6, 0.8)
ARMS = [("random", BLUE, "-"), ("curriculum", VERMILLION, "--")]


def figure():
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    with threadpool_limits(limits=1):
        runs = [curriculum_experiment(seed, N_STEPS, PHASE, FRACTIONS)
                for seed in SEEDS]
    fig, (ax, ax2) = new_figure(7.0, 4.2, nrows=2, sharex=True,
                                height_ratios=[3, 1])
    for arm, color, ls in ARMS:
        accs = []
        for run in runs:
            k, _, acc = run[arm]
            ax.plot(k, acc, color=color, ls=ls, lw=0.8, alpha=0.6)
            accs.append(acc)
        ax.plot(k, np.mean(accs, axis=0), color=color, ls=ls, lw=2.0,
                label=arm)
    ax.set_ylabel(r"$\mathrm{acc}_{\mathrm{val}}$")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right")

    n = len(digits()[0])
    schedule = baby_steps(n, N_STEPS, PHASE, FRACTIONS)
    edges = np.cumsum([0] + [n_updates for n_updates, _ in schedule])
    ax2.stairs([m / n for _, m in schedule], edges, baseline=None,
               color=VERMILLION, lw=1.5)
    ax2.axhline(1.0, color=BLUE, lw=1.5)
    ax2.set_ylim(0, 1.1)
    ax2.set_yticks([0, 0.5, 1])
    ax2.set_ylabel("$m / n$")
    ax2.set_xlabel("$k$")
    ax2.set_xlim(0, N_STEPS)
    return fig
