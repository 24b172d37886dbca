"""Newton's method and damped Newton (eq:newton-regularized) from the
same point near the saddle of J = theta_1^2/2 - theta_2^2/2 + theta_2^4/4.
"""

import numpy as np

from snippets.challenges import saddle_function
from snippets.figures.style import (METHOD_STYLE, PURPLE, new_figure,
                                    parameter_plane)
from snippets.second_order_methods import (SADDLE_STEPS, SADDLE_THETA0,
                                           damped_newton_paths)

XLIM, YLIM = (-0.6, 1.8), (-0.6, 1.35)
STYLES = {0.0: METHOD_STYLE["Newton"],
          1.5: METHOD_STYLE["damped Newton"],
          4.0: {"color": PURPLE, "linestyle": "-."}}


def label(alpha):
    return "Newton" if alpha == 0 else rf"$\alpha = {alpha:g}$"


def figure():
    paths = damped_newton_paths()
    fig, (ax, ax_J) = new_figure(7.0, 3.3, ncols=2,
                                 width_ratios=[1.15, 1])
    t1, t2 = np.meshgrid(np.linspace(*XLIM, 181), np.linspace(*YLIM, 151))
    J = saddle_function(np.stack([t1, t2], axis=-1))
    ax.contour(t1, t2, J, levels=np.linspace(-0.2, 1.6, 10),
               colors="#BBBBBB", linewidths=0.7)
    ax.contour(t1, t2, J, levels=[0.0], colors="#888888",
               linewidths=0.9, linestyles=":")
    for alpha, path in paths.items():
        style = STYLES[alpha]
        ax.plot(path[:, 0], path[:, 1], marker="o", ms=2.5, lw=1.2,
                label=label(alpha), **style)
        ax_J.plot(np.arange(len(path)), saddle_function(path), marker="o",
                  ms=2.5, lw=1.2, label=label(alpha), **style)
    ax.plot(*SADDLE_THETA0, "o", color="black", ms=4, zorder=3)
    ax.plot(0, 0, "x", color="black", ms=7, mew=1.5, zorder=3)
    ax.plot(0, 1, "*", color="black", ms=10, zorder=3)
    parameter_plane(ax, XLIM, YLIM)
    for level, text in ((0.0, r"$J(\mathbf{0})$"), (-0.25, r"$J_{\min}$")):
        ax_J.axhline(level, color="#888888", lw=0.8, ls=":")
        ax_J.annotate(text, (SADDLE_STEPS, level), xytext=(0, 3),
                      textcoords="offset points", ha="right",
                      va="bottom", color="#555555", fontsize=9)
    ax_J.set_xlim(0, SADDLE_STEPS)
    ax_J.set_ylim(-0.32, 1.2)
    ax_J.set_xlabel("$k$")
    ax_J.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    ax_J.legend(loc="upper right")
    return fig
