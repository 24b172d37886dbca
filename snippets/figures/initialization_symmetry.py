"""Incoming weights of eight hidden units after training on the digits,
from constant weights (top) and from He's random ones (bottom)."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import new_figure
from snippets.initialization import symmetry_experiment

N_UNITS = 8
# Row labels are symbols: the figure is shown on the Chinese page too.
ROWS = [("constant", r"$W_{ij} = 0.1$"), ("random", "He")]


def figure():
    with threadpool_limits(limits=1):
        params = symmetry_experiment()
    fig, axes = new_figure(7.0, 2.4, ncols=N_UNITS, nrows=2)
    for row, (key, label) in zip(axes, ROWS):
        W = params[key]["W1"][:, :N_UNITS]
        vmax = np.max(np.abs(W))
        for j, ax in enumerate(row):
            im = ax.imshow(W[:, j].reshape(8, 8), cmap="PuOr_r",
                           vmin=-vmax, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            if key == "constant":
                ax.set_title(f"$j = {j + 1}$")
        row[0].set_ylabel(label)
        fig.colorbar(im, ax=list(row), shrink=0.9, pad=0.02)
    return fig
