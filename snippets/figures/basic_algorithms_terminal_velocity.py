"""Speed |v_k| of momentum under a constant gradient, for three alphas."""

import numpy as np

from snippets.basic_algorithms import momentum_step, terminal_speed
from snippets.figures.style import BLUE, GREEN, VERMILLION, new_figure

EPS = 0.1
G = np.array([0.6, -0.8])  # constant gradient, |g| = 1
N_STEPS = 600
ALPHAS = [(0.5, BLUE, "-"), (0.9, VERMILLION, "--"), (0.99, GREEN, "-.")]


def figure():
    fig, ax = new_figure(7.0, 3.6)
    k = np.arange(N_STEPS + 1)
    for alpha, color, ls in ALPHAS:
        theta, v = np.zeros(2), np.zeros(2)
        speed = [0.0]
        for _ in range(N_STEPS):
            theta, v = momentum_step(theta, v, G, EPS, alpha)
            speed.append(np.linalg.norm(v))
        ax.plot(k[1:], speed[1:], color=color, ls=ls)
        v_inf = terminal_speed(EPS, alpha, np.linalg.norm(G))
        ax.axhline(v_inf, color=color, ls=":", lw=1.2)
        label = (rf"$\alpha = {alpha}$:  "
                 rf"$\epsilon\Vert g\Vert/(1-\alpha) = {v_inf:g}$")
        ax.annotate(label,
                    (N_STEPS, v_inf), xytext=(-4, 4),
                    textcoords="offset points", ha="right", va="bottom",
                    color=color)
    ax.set_yscale("log")
    ax.set_ylim(0.05, 30)
    ax.set_yticks([0.1, 1, 10], labels=["0.1", "1", "10"])
    ax.set_xlim(0, N_STEPS)
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$\Vert \boldsymbol{v}_k \Vert$")
    return fig
