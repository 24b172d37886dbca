"""SGD, momentum, AdaGrad, RMSProp and Adam on f = x^2 / 20 + y^2.

Also defines STYLE (a colour and dash per method, extending the book's
METHOD_STYLE) and paths_figure(), which the other figures of the
chapter share.
"""

import numpy as np

from snippets.adaptive_learning_rates import (ELONGATED, ELONGATED_LRS,
                                              ELONGATED_STEPS,
                                              ELONGATED_THETA0,
                                              adaptive_paths)
from snippets.figures.style import (BLACK, METHOD_STYLE, ORANGE, PURPLE,
                                    new_figure, parameter_plane)

STYLE = {"SGD": METHOD_STYLE["SGD"],
         "momentum": METHOD_STYLE["momentum"],
         "AdaGrad": {"color": ORANGE, "linestyle": ":"},
         "RMSProp": {"color": PURPLE, "linestyle": (0, (5, 1, 1, 1, 1, 1))},
         "Adam": {"color": BLACK, "linestyle": "-."}}

XLIM, YLIM = (-10.0, 2.0), (-2.0, 2.0)
MARK_EVERY = 1


def paths_figure(paths, loss, theta0, theta_star, xlim, ylim, levels,
                 height=4.6, ncols=3, mark_every=1, loss_ylim=None,
                 legend_loc="lower left"):
    """Five paths on contours of ``loss`` and, last, J against k, in
    ncols columns (3 or 2)."""
    nrows = 6 // ncols
    fig, axes = new_figure(7.0, height, ncols=ncols, nrows=nrows)
    t1, t2 = np.meshgrid(np.linspace(*xlim, 241), np.linspace(*ylim, 161))
    J = loss(np.stack([t1, t2], axis=-1))
    for i, (ax, (name, path)) in enumerate(zip(axes.flat, paths.items())):
        ax.contour(t1, t2, J, levels=levels, colors="#BBBBBB",
                   linewidths=0.7)
        color = STYLE[name]["color"]
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.1)
        ax.plot(path[::mark_every, 0], path[::mark_every, 1], "o",
                color=color, ms=2.5 if mark_every == 1 else 3)
        ax.plot(*theta0, "o", color="black", ms=4, zorder=3)
        ax.plot(*theta_star, "*", color="black", ms=10, zorder=3)
        ax.set_title(name)
        parameter_plane(ax, xlim, ylim, ylabel=i % ncols == 0)
        if i < (nrows - 1) * ncols:
            ax.set_xlabel("")  # the panel below carries it

    ax = axes[-1, -1]
    for name, path in paths.items():
        ax.semilogy(np.arange(len(path)), loss(path), label=name,
                    **STYLE[name])
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    if loss_ylim is not None:
        ax.set_ylim(*loss_ylim)
    ax.legend(loc=legend_loc, fontsize=8)
    return fig


def figure():
    f = ELONGATED
    paths = adaptive_paths(f.grad, ELONGATED_THETA0, ELONGATED_LRS,
                           ELONGATED_STEPS)
    return paths_figure(paths, f.loss, ELONGATED_THETA0, f.theta_star,
                        XLIM, YLIM, levels=[0.05, 0.2, 0.5, 1, 2, 4, 8],
                        mark_every=MARK_EVERY, loss_ylim=(1e-12, 1e2),
                        height=4.8, ncols=2, legend_loc="lower left")
