"""How much of each eigen-direction of theta^* is learned: tau steps of
gradient descent from 0 against L2 regularization with lambda =
1 / (tau eps), as a function of the eigenvalue lambda_i of H."""

import numpy as np

from snippets.figures.style import BLACK, BLUE, GREEN, VERMILLION, \
    new_figure
from snippets.learning_vs_optimization import (equivalent_l2, gd_shrinkage,
                                               l2_shrinkage)

EPS = 0.1                      # eps * lambda_i <= 1 on the whole axis
TAUS = [(10, BLUE), (100, VERMILLION), (1000, GREEN)]
LAM_I = np.geomspace(1e-4, 1 / EPS, 400)


def figure():
    fig, ax = new_figure(7.0, 3.6)
    for tau, color in TAUS:
        lam = equivalent_l2(EPS, tau)
        ax.plot(LAM_I, gd_shrinkage(LAM_I, EPS, tau), color=color, ls="-")
        ax.plot(LAM_I, l2_shrinkage(LAM_I, lam), color=color, ls="--")
        ax.plot(lam, l2_shrinkage(lam, lam), "o", color=color, ms=5)
        ax.annotate(rf"$\tau = {tau}$", (lam, 0.5), xytext=(6, -14),
                    textcoords="offset points", color=color)
    # two black proxies explain the line styles once
    ax.plot([], [], color=BLACK, ls="-",
            label=r"$1 - (1 - \epsilon\lambda_i)^\tau$")
    ax.plot([], [], color=BLACK, ls="--",
            label=r"$1 - \lambda / (\lambda_i + \lambda),\ "
                  r"\lambda = 1/(\tau\epsilon)$")
    ax.set_xscale("log")
    ax.set_xlim(LAM_I[0], LAM_I[-1])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(r"$\lambda_i$")
    ax.set_ylabel(r"$[\boldsymbol{Q}^\top\boldsymbol{\theta}]_i\ /\ "
                  r"[\boldsymbol{Q}^\top\boldsymbol{\theta}^*]_i$")
    ax.legend(loc="upper left")
    return fig
