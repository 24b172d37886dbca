"""Singular values of the end-to-end matrix W during gradient descent on
eq:matrix-completion (the 20 x 20 rank-2 matrix of seed 0, |Omega| =
150), for N = 1 and N = 3 factors from the same small scale. With one
factor all singular values move at once, toward those of the observed
entries; with three they stay near zero and then rise one at a time
(incremental learning); the rest stay near zero. Dotted: the singular
values of the ground truth M."""

import numpy as np

from snippets.figures.style import (BLUE, GREEN, GREY, ORANGE, PURPLE,
                                    VERMILLION, new_figure)
from snippets.trajectory import (MC_RUNS, completion_problems,
                                 deep_mf)

OBS, EVERY, N_SHOWN = 150, 10, 5
COLORS = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE]
STEPS = {1: 60, 3: 3000}


def figure():
    M, mask = completion_problems(seeds=(0,), obs=(OBS,))
    M, mask = M[0, 0], mask[0, 0]
    true = np.linalg.svd(M, compute_uv=False)
    fig, axes = new_figure(7.0, 3.4, ncols=2, sharey=True)
    for ax, depth in zip(axes, (1, 3)):
        kw = dict(MC_RUNS[depth], n_steps=STEPS[depth])
        _, s = deep_mf(M, mask, depth, rng=np.random.default_rng(0),
                       record=EVERY if depth == 3 else 1, **kw)
        k = np.arange(len(s)) * (EVERY if depth == 3 else 1)
        for i, color in zip(range(N_SHOWN), COLORS):
            ax.plot(k, s[:, i], color=color, label=rf"$\sigma_{i + 1}$")
        for sigma in true[:2]:
            ax.axhline(sigma, color=GREY, lw=0.9, ls=":")
        ax.set_title(f"$N = {depth}$")
        ax.set_xlabel("$k$")
    axes[0].set_ylabel(r"$\sigma_i(\mathbf{W}_k)$")
    axes[1].legend(loc="center right", fontsize=9)
    return fig
