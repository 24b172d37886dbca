"""Histograms of activations in layers 1-5 (100 units per layer): tanh
with Xavier, and ReLU with sigma = 0.01, Xavier and He (rows). In the
ReLU rows the bar at h = 0, about half of all activations, is cut off.
"""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREEN, PURPLE, VERMILLION, \
    new_figure
from snippets.initialization import fixed_sigma, he_normal, \
    layer_activations, xavier_normal

ROWS = [("tanh, Xavier", "tanh", xavier_normal, PURPLE),
        (r"ReLU, $\sigma = 0.01$", "relu", fixed_sigma(0.01), VERMILLION),
        ("ReLU, Xavier", "relu", xavier_normal, GREEN),
        ("ReLU, He", "relu", he_normal, BLUE)]
N_LAYERS = 5


def figure():
    fig, axes = new_figure(7.0, 5.4, ncols=N_LAYERS, nrows=len(ROWS),
                           sharey="row")
    for row, (label, act, init, color) in zip(axes, ROWS):
        with threadpool_limits(limits=1):
            _, hs = layer_activations(act, init, n_layers=N_LAYERS)
        if act == "tanh":
            bins = np.linspace(-1.0, 1.0, 51)
        else:  # the range of layer 1, for every layer of the row
            bins = np.linspace(0.0, np.quantile(hs[0], 0.995), 51)
        top = 0.0
        for l, (ax, h) in enumerate(zip(row, hs), start=1):
            counts, _, _ = ax.hist(np.clip(h.ravel(), bins[0], bins[-1]),
                                   bins=bins, color=color)
            top = max(top, counts[1:].max())
            ax.set_yticks([])
            ax.set_xlim(bins[0], bins[-1])
            ax.grid(False)
            if row is axes[0]:
                ax.set_title(f"$l = {l}$")
        row[0].set_ylabel(label, fontsize=9)
        if act == "relu":  # cut the bar at h = 0 (about half the units)
            row[0].set_ylim(0, 4 * top)
        for ax in row[1:]:
            ax.sharex(row[0])
    for ax in axes[-1]:
        ax.set_xlabel("$h$")
    return fig
