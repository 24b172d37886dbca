"""The EMA of a constant and of a noisy constant signal, with and
without bias correction (eq:ema, eq:bias-correction)."""

import numpy as np

from snippets.adaptive_learning_rates import bias_corrected, ema
from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure

T = 60
RHOS = (0.9, 0.99)
NOISE = 0.5       # standard deviation of the noisy signal
SEED = 0


def figure():
    fig, (left, right) = new_figure(7.0, 3.0, ncols=2, sharey=True)
    t = np.arange(1, T + 1)
    g = np.ones(T)
    left.plot(t, g, color=GREY, lw=1.0, label="$g_t$")
    for rho, color, ls in zip(RHOS, (BLUE, VERMILLION), ("-", "--")):
        s = ema(g, rho)
        left.plot(t, s, color=color, ls=ls,
                  label=rf"$s_t,\ \rho = {rho:g}$")
    left.plot(t, bias_corrected(ema(g, RHOS[1]), t, RHOS[1]), "o",
              color=VERMILLION, ms=2.5, markevery=3,
              label=rf"$\hat s_t,\ \rho = {RHOS[1]:g}$")
    left.legend(loc="upper right", ncols=2)

    rng = np.random.default_rng(SEED)
    g = 1.0 + NOISE * rng.standard_normal(T)
    rho = RHOS[0]
    s = ema(g, rho)
    right.plot(t, g, "o", color=GREY, ms=2.5, label="$g_t$")
    right.plot(t, s, color=BLUE, label=rf"$s_t,\ \rho = {rho:g}$")
    right.plot(t, bias_corrected(s, t, rho), color=VERMILLION, ls="--",
               label=rf"$\hat s_t,\ \rho = {rho:g}$")
    right.legend(loc="upper right", ncols=3, handlelength=1.5,
                 columnspacing=1.0)
    for ax in (left, right):
        ax.set_xlabel("$t$")
        ax.set_xlim(0, T)
    left.set_ylim(-0.05, 2.6)
    return fig
