"""Logistic regression on two digit classes: the 0-1 training loss
reaches zero while the log loss, the surrogate actually minimized,
keeps falling because the margins keep growing."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.learning_vs_optimization import train_logistic

EPS = 0.5
N_STEPS = 10_000
DIGITS = (3, 8)


def figure():
    with threadpool_limits(limits=1):  # small matrices: threads only cost
        run = train_logistic(EPS, N_STEPS, DIGITS)
    k = np.arange(N_STEPS + 1)
    k0 = int(np.argmax(run.zero_one == 0))  # first step with no errors
    fig, (ax, ax_m) = new_figure(7.0, 3.2, ncols=2)
    # log axes: leave out k = 0, and the 0-1 loss once it is exactly 0
    ax.loglog(k[1:], run.log[1:], color=BLUE, label=r"$J_{\log}$")
    ax.loglog(k[1:k0 + 1], run.zero_one[1:k0 + 1], color=VERMILLION,
              ls="--", drawstyle="steps-post", label=r"$J_{0\text{-}1}$")
    ax.set_ylim(1e-4, 1.0)
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax.legend(loc="lower left")
    ax_m.semilogx(k[1:], run.margin[1:], color=BLUE)
    ax_m.set_ylim(0, None)
    ax_m.set_ylabel(r"$\overline{(2y - 1)\, z}$")  # the mean margin
    for a in (ax, ax_m):
        a.axvline(k0, color=GREY, ls=":", lw=1.2)
        a.set_xlim(1, N_STEPS)
        a.set_xlabel("$k$")
    ax.annotate(rf"$J_{{0\text{{-}}1}} = 0,\ k \geq {k0}$",
                (k0, 3e-1), xytext=(4, 0), textcoords="offset points",
                color="#333333")
    return fig
