"""Training loss on digits: each method with the rate its grid search
chose (snippets.adaptive_learning_rates.LR_GRID)."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.adaptive_learning_rates import (DIGITS_STEPS, METHODS,
                                              best_lr, train_digits)
from snippets.figures.style import METHOD_STYLE, new_figure

EVAL_EVERY = 5


def figure():
    fig, ax = new_figure(7.0, 3.6)
    k = np.arange(0, DIGITS_STEPS + 1, EVAL_EVERY)
    # tiny matrices: BLAS threads would only add overhead
    with threadpool_limits(limits=1):
        for method in METHODS:
            lr, _ = best_lr(method)
            losses = train_digits(method, lr, eval_every=EVAL_EVERY)
            ax.semilogy(k, losses, lw=1.5, **METHOD_STYLE[method],
                        label=rf"{method},  $\epsilon = {lr:g}$")
    ax.set_xlim(0, DIGITS_STEPS)
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax.legend(loc="lower left")
    return fig
