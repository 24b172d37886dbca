"""Histograms of sigmoid activations in layers 1-5 of a net with 100
units per layer: sigma = 1, sigma = 0.01 and Xavier (rows)."""

import numpy as np

from snippets.figures.style import GREEN, ORANGE, VERMILLION, \
    new_figure
from snippets.initialization import fixed_sigma, layer_activations, \
    xavier_normal

ROWS = [(r"$\sigma = 1$", fixed_sigma(1.0), ORANGE),
        (r"$\sigma = 0.01$", fixed_sigma(0.01), VERMILLION),
        ("Xavier", xavier_normal, GREEN)]
N_LAYERS = 5
BINS = np.linspace(0.0, 1.0, 51)


def figure():
    fig, axes = new_figure(7.0, 4.2, ncols=N_LAYERS, nrows=len(ROWS),
                           sharex=True, sharey="row")
    for row, (label, init, color) in zip(axes, ROWS):
        _, hs = layer_activations("sigmoid", init, n_layers=N_LAYERS)
        for l, (ax, h) in enumerate(zip(row, hs), start=1):
            ax.hist(h.ravel(), bins=BINS, density=True, color=color)
            ax.set_yticks([])
            ax.set_xlim(0, 1)
            ax.set_xticks([0, 0.5, 1], ["0", "0.5", "1"])
            ax.grid(False)
            if label == ROWS[0][0]:
                ax.set_title(f"$l = {l}$")
        row[0].set_ylabel(label)
    for ax in axes[-1]:
        ax.set_xlabel("$h$")
    fig.suptitle("sigmoid")
    return fig
