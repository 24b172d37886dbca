"""The shared look of every figure in the book.

Figures carry their own white background so they read on light and dark
pages. Colours are the Okabe-Ito palette, which stays distinguishable
under the common colour-vision deficiencies; lines also differ in dash
pattern so they survive greyscale printing. Text is DejaVu Sans (shipped
with matplotlib) and sized for an SVG shown about 700 px wide.
"""

import matplotlib
import numpy as np
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"

PALETTE = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY_BLUE, BLACK]
DASHES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1))]

# One colour and dash per optimizer, the same in every chapter.
METHOD_STYLE = {
    "SGD": {"color": BLUE, "linestyle": "-"},
    "momentum": {"color": VERMILLION, "linestyle": "--"},
    "Nesterov": {"color": GREEN, "linestyle": "-."},
    "AdaGrad": {"color": ORANGE, "linestyle": ":"},
    "RMSProp": {"color": PURPLE, "linestyle": (0, (5, 1, 1, 1, 1, 1))},
    "Adam": {"color": BLACK, "linestyle": "-."},
    # chapter 6: full-batch methods
    "GD": {"color": BLUE, "linestyle": "-"},
    "Newton": {"color": ORANGE, "linestyle": "--"},
    "damped Newton": {"color": GREEN, "linestyle": "-"},
    "CG": {"color": GREEN, "linestyle": ":"},
    "BFGS": {"color": VERMILLION, "linestyle": "-."},
    "L-BFGS": {"color": SKY_BLUE, "linestyle": (0, (5, 1, 1, 1, 1, 1))},
}

RC = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "axes.linewidth": 0.8,
    "axes.edgecolor": "#333333",
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "lines.linewidth": 1.8,
    "legend.frameon": True,
    "legend.framealpha": 0.9,
    "legend.edgecolor": "#CCCCCC",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
}


def new_figure(width=7.0, height=3.4, ncols=1, nrows=1, **kwargs):
    """A white Figure of ``width`` x ``height`` inches and its axes.

    Returns ``(fig, ax)`` for a single panel, else ``(fig, axes)`` with
    ``axes`` a numpy array as from ``Figure.subplots``. The book style
    is applied to matplotlib's rcParams (fonts are looked up at draw
    time too, so a context manager would not be enough).
    """
    matplotlib.rcParams.update(RC)
    fig = Figure(figsize=(width, height), facecolor="white",
                 layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    return fig, axes


def parameter_plane(ax, xlim, ylim, ylabel=True):
    """Axes that show the (theta_1, theta_2) plane: equal scales, no grid."""
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$\theta_1$")
    if ylabel:
        ax.set_ylabel(r"$\theta_2$")
    ax.grid(False)


def path_grid(paths, loss, theta0, theta_star, xlim, ylim, levels,
              height=5.0, mark_every=1, xticks=None, loss_ylim=None,
              legend_loc="lower left", ncols=2, outer_labels=False,
              legend_fontsize=None):
    """Optimizer paths on contours of ``loss``, then J against k.

    ``paths`` maps a method name (a key of METHOD_STYLE) to its iterates,
    shape (n_steps + 1, 2): one panel each, in ``ncols`` columns, and the
    loss panel last. Dots mark every ``mark_every``-th iterate. With
    ``outer_labels`` only the left column and the bottom row carry axis
    labels.
    """
    nrows = -(-(len(paths) + 1) // ncols)
    fig, axes = new_figure(7.0, height, ncols=ncols, nrows=nrows)
    t1, t2 = np.meshgrid(np.linspace(*xlim, 241), np.linspace(*ylim, 161))
    J = loss(np.stack([t1, t2], axis=-1))
    for i, (ax, (name, path)) in enumerate(zip(axes.flat, paths.items())):
        ax.contour(t1, t2, J, levels=levels, colors="#BBBBBB",
                   linewidths=0.7)
        color = METHOD_STYLE[name]["color"]
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.1)
        ax.plot(path[::mark_every, 0], path[::mark_every, 1], "o",
                color=color, ms=2.5 if mark_every == 1 else 3)
        ax.plot(*theta0, "o", color="black", ms=4, zorder=3)
        ax.plot(*theta_star, "*", color="black", ms=10, zorder=3)
        ax.set_title(name)
        parameter_plane(ax, xlim, ylim,
                        ylabel=not outer_labels or i % ncols == 0)
        if xticks is not None:
            ax.set_xticks(xticks)
        if outer_labels and i < (nrows - 1) * ncols:
            ax.set_xlabel("")  # the panel below carries it

    ax = axes[-1, -1]
    for name, path in paths.items():
        ax.semilogy(np.arange(len(path)), loss(path), label=name,
                    **METHOD_STYLE[name])
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$J(\boldsymbol{\theta}_k)$")
    if loss_ylim is not None:
        ax.set_ylim(*loss_ylim)  # headroom for the legend
    ax.legend(loc=legend_loc, fontsize=legend_fontsize)
    return fig
