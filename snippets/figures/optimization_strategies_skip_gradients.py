"""||dL/dW^(l)|| in each of the 30 blocks of a ReLU MLP with 32 units
per layer, at initialization (PyTorch's default for nn.Linear), on the
whole digits training set: without skips (plain) and with them
(residual, eq:residual). Three seeds; the same weights in both nets."""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, VERMILLION, new_figure
from snippets.optimization_strategies_networks import \
    block_gradient_norms, deep_net, digits

DEPTH, WIDTH = 30, 32
SEEDS = range(3)
NETS = [("plain", False, BLUE, "-", "o"),
        ("residual", True, VERMILLION, "--", "s")]


def gradient_norms():
    """{name: [norms for each seed]}: the figure's data."""
    torch.set_num_threads(1)
    X, y, _, _ = digits()
    with threadpool_limits(limits=1):
        return {name: [block_gradient_norms(
                    deep_net(DEPTH, WIDTH, seed, residual), X, y)
                    for seed in SEEDS]
                for name, residual, *_ in NETS}


def figure():
    data = gradient_norms()
    fig, ax = new_figure(7.0, 3.4)
    l = np.arange(1, DEPTH + 1)
    for name, _, color, ls, marker in NETS:
        for i, norms in enumerate(data[name]):
            ax.semilogy(l, norms, color=color, ls=ls, marker=marker,
                        ms=3, lw=1.2, label=name if i == 0 else None)
    ax.set_xlabel("$l$")
    ax.set_ylabel(r"$\|\partial L / \partial \boldsymbol{W}^{(l)}\|$")
    ax.set_xlim(0.5, DEPTH + 0.5)
    ax.legend(loc="lower right")
    return fig
