"""Training and validation loss of an MLP trained on 10 images per
digit: the validation loss has a minimum, where early stopping stops,
and rises afterwards while the training loss keeps falling."""

from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.learning_vs_optimization import train_with_validation

N_PER_CLASS = 10   # 100 training images: easy to memorize
HIDDEN = 64
EPS = 0.05
M = 10
N_STEPS = 10_000
EVAL_EVERY = 10


def figure():
    with threadpool_limits(limits=1):  # tiny matrices: threads only cost
        run = train_with_validation(N_PER_CLASS, HIDDEN, EPS, M, N_STEPS,
                                    EVAL_EVERY, seed=0)
    k, k_star = run.steps, run.best_step
    fig, ax = new_figure(7.0, 3.4)
    ax.plot(k, run.train, color=BLUE, label=r"$J_{\mathrm{train}}$")
    ax.plot(k, run.val, color=VERMILLION, ls="--",
            label=r"$J_{\mathrm{val}}$")
    ax.axvline(k_star, color=GREY, ls=":", lw=1.2)
    ax.plot(k_star, run.val.min(), "o", color=VERMILLION, ms=6, zorder=3)
    ax.annotate(rf"$k^* = {k_star}$", (k_star, 1.0), xytext=(5, 0),
                textcoords="offset points", color="#333333")
    ax.set_xscale("log")
    ax.set_xlim(EVAL_EVERY, N_STEPS)
    ax.set_ylim(0, 1.2)
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax.legend(loc="upper right")
    return fig
