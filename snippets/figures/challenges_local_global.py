"""Gradient descent started behind a mountain: it first walks away from
the minimum, then has to go around."""

import numpy as np
from matplotlib.patches import Circle

from snippets.challenges_gradients import Mountain, gradient_descent
from snippets.figures.style import (BLUE, GREY, VERMILLION, new_figure,
                                    parameter_plane)

A, M, R = 0.2, 4.0, 3.0        # bowl curvature, mountain height, radius
THETA_STAR = (4.0, 0.0)
THETA0 = (-2.0, 0.1)           # on the back slope, just off the axis
THETA0_AXIS = (-2.0, 0.0)      # exactly on the axis: a 1-D problem
EPS = 0.3
N_STEPS = 250
XLIM, YLIM = (-5.0, 6.0), (-3.5, 4.5)


def figure():
    mountain = Mountain(A, M, R, THETA_STAR)
    bowl = Mountain(A, 0.0, R, THETA_STAR)  # the same bowl, no mountain
    runs = [
        ("GD", mountain, THETA0, dict(color=BLUE, ls="-")),
        (r"GD, $\theta_2^{(0)} = 0$", mountain, THETA0_AXIS,
         dict(color=VERMILLION, ls="--")),
        (r"GD, $M = 0$", bowl, THETA0, dict(color=GREY, ls=":")),
    ]
    fig, (ax, ax_dist) = new_figure(7.0, 3.9, ncols=2,
                                    width_ratios=[1.3, 1])

    t1, t2 = np.meshgrid(np.linspace(*XLIM, 221), np.linspace(*YLIM, 161))
    J = mountain.loss(np.stack([t1, t2], axis=-1))
    ax.contour(t1, t2, J, levels=np.arange(0.25, 12, 0.5),
               colors="#BBBBBB", linewidths=0.7)
    for name, problem, theta0, style in runs:
        path = gradient_descent(problem.grad, theta0, EPS, N_STEPS)
        # without the mountain the path is the straight line to theta*
        marker = "" if problem is bowl else "o"
        ax.plot(path[:, 0], path[:, 1], lw=1.2, marker=marker, ms=2,
                **style)
        if theta0 is THETA0_AXIS:  # where it stops for good
            ax.plot(*path[-1], "x", color=style["color"], ms=7, mew=2,
                    zorder=4)
        dist = np.linalg.norm(path - mountain.theta_star, axis=1)
        ax_dist.semilogy(np.arange(N_STEPS + 1), dist, label=name,
                         **style)
    ax.add_patch(Circle((0, 0), R, color="#F0F0F0", lw=0, zorder=0))
    ax.plot(*THETA0, "o", color="black", ms=4, zorder=3)
    ax.plot(*THETA_STAR, "*", color="black", ms=10, zorder=3)
    parameter_plane(ax, XLIM, YLIM)

    ax_dist.set_xlim(0, N_STEPS)
    ax_dist.set_xlabel("$k$")
    ax_dist.set_ylabel(r"$\Vert\boldsymbol{\theta}_k"
                       r" - \boldsymbol{\theta}^*\Vert$")
    ax_dist.legend(loc="lower left")
    return fig
