"""Memorization (Zhang et al., 2017): a 64-512-10 ReLU MLP trained by
Adam on 500 digits, with their true labels and with the labels
shuffled. Training accuracy (solid) and accuracy on the 360 test digits
with their true labels (dashed) against the epoch; thin: two seeds,
thick: their mean; grey: chance, 1/10."""

import numpy as np
import torch

from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.trajectory_networks import memorization

SEEDS = range(2)
ARMS = [("true", BLUE), ("random", VERMILLION)]


def runs():
    """{arm: [(train loss, train acc, test acc) per seed]}."""
    torch.set_num_threads(1)
    return {arm: [memorization(arm, seed) for seed in SEEDS]
            for arm, _ in ARMS}


def figure():
    out = runs()
    fig, ax = new_figure(7.0, 3.6)
    for arm, color in ARMS:
        for col, ls, name in ((1, "-", "train"), (2, "--", "test")):
            curves = np.array([r[col] for r in out[arm]])
            epochs = np.arange(curves.shape[1])
            for c in curves:
                ax.plot(epochs, c, ls, color=color, lw=0.7, alpha=0.5)
            ax.plot(epochs, curves.mean(axis=0), ls, color=color, lw=2.0,
                    label=arm + r", $\mathrm{acc}_{\mathrm{" + name
                    + "}}$")
    ax.axhline(0.1, color=GREY, lw=1.0, ls=":")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, epochs[-1])
    ax.set_xlabel("epoch")
    ax.set_ylabel("acc")
    ax.legend(loc="center right")
    return fig
