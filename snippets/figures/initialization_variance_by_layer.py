"""Var(z) in layers 1-30 of a ReLU net with 100 units per layer, for four
initializations: measured (markers) and predicted by eq:forward-variance
with eq:relu-second-moment (lines). Right: He, five seeds."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREEN, ORANGE, VERMILLION, \
    new_figure
from snippets.initialization import fixed_sigma, he_normal, \
    measured_variances, predicted_variances, xavier_normal

WIDTH, DEPTH = 100, 30
SCHEMES = [(r"$\sigma = 1$", fixed_sigma(1.0), 1.0, ORANGE, "o"),
           ("He", he_normal, 2.0 / WIDTH, BLUE, "s"),
           ("Xavier", xavier_normal, 1.0 / WIDTH, GREEN, "^"),
           (r"$\sigma = 0.01$", fixed_sigma(0.01), 1e-4, VERMILLION, "v")]
SEEDS = range(5)


def figure():
    fig, (ax, ax2) = new_figure(7.0, 3.6, ncols=2,
                                width_ratios=[1.6, 1])
    l = np.arange(1, DEPTH + 1)
    with threadpool_limits(limits=1):
        for label, init, var_w, color, marker in SCHEMES:
            meas = measured_variances("relu", init, DEPTH, WIDTH)
            pred = predicted_variances(var_w, WIDTH, DEPTH)
            ax.semilogy(l, pred, color=color, lw=1.2)
            ax.semilogy(l, meas, marker, color=color, ms=3.5,
                        ls="none", label=label)
        he = [measured_variances("relu", he_normal, DEPTH, WIDTH, seed=s)
              for s in SEEDS]
    ax.set_xlabel("$l$")
    ax.set_ylabel(r"$\operatorname{Var}(z)$")
    ax.set_xlim(0, DEPTH + 1)
    ax.set_yticks(10.0 ** np.arange(-60, 61, 20))
    ax.legend(loc="lower left", ncols=2, fontsize=9)

    for v in he:
        ax2.semilogy(l, v, "-", color=BLUE, lw=0.9, alpha=0.7)
    ax2.semilogy(l, predicted_variances(2.0 / WIDTH, WIDTH, DEPTH),
                 color="black", lw=1.5, ls="--")
    ax2.set_ylim(0.1, 30)
    ax2.set_xlim(1, DEPTH)
    ax2.set_xlabel("$l$")
    ax2.set_title("He")
    return fig
