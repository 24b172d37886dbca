"""A wiggly 1-D objective J and its blurred versions J^(i) (exact, via
eq:blurred-cosine): continuation follows the minimizer from the most
blurred objective down to J and ends at the global minimum, while plain
gradient descent from the same start stops in a local minimum."""

import numpy as np

from snippets.challenges_gradients import gradient_descent
from snippets.figures.style import (BLACK, BLUE, GREEN, ORANGE, PURPLE,
                                    VERMILLION, new_figure)
from snippets.optimization_strategies import (CONT_EPS, CONT_SIGMAS,
                                              CONT_STEPS, CONT_THETA0,
                                              Wiggly, continuation)

XLIM = (-3.0, 4.6)
# one colour and dash per blur width, the true objective in black
SIGMA_STYLES = [dict(color=c, ls=ls) for c, ls in
                zip((ORANGE, GREEN, PURPLE, BLUE, BLACK),
                    ((0, (1, 1)), ":", "-.", "--", "-"))]


def figure():
    f = Wiggly()
    fig, ax = new_figure(7.0, 3.6)
    theta = np.linspace(*XLIM, 1201)
    found = continuation(f, CONT_THETA0, CONT_SIGMAS, CONT_EPS,
                         CONT_STEPS)
    for sigma, style in zip(CONT_SIGMAS, SIGMA_STYLES):
        label = "$J$" if sigma == 0 else rf"$\sigma = {sigma:g}$"
        ax.plot(theta, f.loss(theta, sigma), lw=1.8 if sigma == 0 else 1.4,
                label=label, **style)
    # the first stage slides down the smoothest curve from theta0 ...
    first = gradient_descent(lambda th: f.grad(th, CONT_SIGMAS[0]),
                             CONT_THETA0, CONT_EPS, CONT_STEPS)[:120:4]
    ax.plot(first, f.loss(first, CONT_SIGMAS[0]), "o", color=VERMILLION,
            ms=2.5, zorder=4)
    # ... then each stage starts where the last one ended
    ax.plot(found, [f.loss(th, s) for th, s in zip(found, CONT_SIGMAS)],
            "-o", color=VERMILLION, lw=1.2, ms=5, zorder=4,
            label="continuation")
    plain = gradient_descent(f.grad, CONT_THETA0, CONT_EPS,
                             len(CONT_SIGMAS) * CONT_STEPS)
    ax.plot(plain[:40], f.loss(plain[:40]), "o", color=BLUE, ms=2.5,
            zorder=4)
    ax.plot(plain[-1], f.loss(plain[-1]), "X", color=BLUE, ms=9,
            zorder=5, label="GD")
    ax.plot(CONT_THETA0, f.loss(CONT_THETA0), "o", color="black", ms=5,
            zorder=5)
    ax.set_xlim(*XLIM)
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel(r"$J^{(i)}(\theta)$")
    ax.set_ylim(-1.6, 12.5)  # headroom for the legend
    ax.legend(loc="upper center", ncols=4, fontsize=9)
    return fig
