"""Adam vs SGD with momentum (0.9) on the digits: a 64-64-10 ReLU MLP,
minibatches of 128, 20 epochs, three learning rates each (LR_GRID in
snippets/trajectory_networks.py) and three seeds (the same initial
weights and minibatch order for both methods). Left: training loss J
against the epoch, mean over the seeds, thicker line = larger learning
rate. Right: test accuracy against training loss at the end, one point
per run."""

import numpy as np
import torch

from snippets.figures.style import METHOD_STYLE, new_figure
from snippets.trajectory_networks import LR_GRID, compare_optimizers

SEEDS = range(3)
EPOCHS = 20
MARKERS = {"momentum": "s", "Adam": "o"}


def runs():
    """{(method, eta): [(train loss, train acc, test acc) per seed]}."""
    torch.set_num_threads(1)
    return {(method, eta): [compare_optimizers(method, eta, seed,
                                               epochs=EPOCHS)
                            for seed in SEEDS]
            for method, grid in LR_GRID.items() for eta in grid}


def figure():
    out = runs()
    fig, (ax, ax2) = new_figure(7.0, 3.6, ncols=2)
    for (method, eta), rs in out.items():
        style = METHOD_STYLE[method]
        lw = 0.8 + 0.7 * LR_GRID[method].index(eta)
        J = np.mean([r[0] for r in rs], axis=0)
        ax.semilogy(np.arange(len(J)), J, color=style["color"],
                    ls=style["linestyle"], lw=lw, marker=MARKERS[method],
                    markevery=5, ms=3 + 1.5 * LR_GRID[method].index(eta),
                    mfc="none" if method == "Adam" else style["color"],
                    label=rf"{method}, $\epsilon$={eta:g}")
        ax2.semilogx([r[0][-1] for r in rs], [r[2][-1] for r in rs],
                     MARKERS[method], color=style["color"],
                     ms=3 + 1.5 * LR_GRID[method].index(eta),
                     mfc="none" if method == "Adam" else style["color"],
                     alpha=0.8)
    ax.set_xlabel("epoch")
    ax.set_ylabel("$J$")
    # the legend sits in the right panel's empty corner
    ax2.legend(*ax.get_legend_handles_labels(), fontsize=8,
               loc="lower left")
    ax2.set_xlabel("$J$")
    ax2.set_ylabel(r"$\mathrm{acc}_{\mathrm{test}}$")
    return fig
