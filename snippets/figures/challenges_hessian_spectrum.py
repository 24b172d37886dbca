"""All eigenvalues of the Hessian of a small network on the digits, at
three points of full-batch gradient descent."""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from snippets.challenges import hessian_spectra
from snippets.figures.style import BLUE, VERMILLION, GREEN, new_figure

EPS = 0.5
HIDDEN = 4            # 64 -> 4 -> 10 tanh: 310 parameters
CHECKPOINTS = (0, 100, 3000)
SEED = 0
LINTHRESH = 1e-3      # the symlog axis is linear on [-1e-3, 1e-3]


def figure():
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    with threadpool_limits(limits=1):
        spectra = hessian_spectra(EPS, CHECKPOINTS, HIDDEN, seed=SEED)
    fig, ax = new_figure(7.0, 3.6)
    for (k, lam), color, ls in zip(spectra.items(),
                                   (BLUE, VERMILLION, GREEN),
                                   ("-", "--", "-.")):
        i = np.arange(1, len(lam) + 1)
        ax.plot(i, lam, color=color, ls=ls, label=f"$k = {k}$")
    ax.axhline(0.0, color="black", lw=0.8)
    ax.set_yscale("symlog", linthresh=LINTHRESH)
    ax.set_xlim(1, len(lam))
    ax.set_xlabel("$i$")
    ax.set_ylabel(r"$\lambda_i$")
    ax.legend(loc="upper left")
    return fig
