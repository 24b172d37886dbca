"""Gradient descent with the best fixed rate on two quadratics that
differ only in their condition number."""

import numpy as np

from snippets.challenges import gd_contraction, gd_path
from snippets.figures.style import BLUE, new_figure, parameter_plane
from snippets.problems import ill_conditioned_quadratic

KAPPAS = (5.0, 50.0)   # condition numbers; lambda_max = 1 in both
ANGLE = 20.0           # degrees between the valley floor and theta_1
THETA0 = (-8.0, -1.5)
N_STEPS = 30
XLIM, YLIM = (-9.0, 3.0), (-4.5, 2.5)


def figure():
    fig, axes = new_figure(7.0, 2.9, ncols=2, sharey=True)
    t1, t2 = np.meshgrid(np.linspace(*XLIM, 241), np.linspace(*YLIM, 141))
    for ax, kappa in zip(axes, KAPPAS):
        q = ill_conditioned_quadratic(kappa, angle=np.deg2rad(ANGLE))
        eps, _ = gd_contraction(q.eigenvalues)
        path = gd_path(q.grad, THETA0, eps, N_STEPS)
        J = q.loss(np.stack([t1, t2], axis=-1))
        ax.contour(t1, t2, J, levels=np.geomspace(0.01, 30, 10),
                   colors="#BBBBBB", linewidths=0.7)
        ax.plot(path[:, 0], path[:, 1], "-o", color=BLUE, lw=1.0, ms=2.5)
        ax.plot(*THETA0, "o", color="black", ms=4, zorder=3)
        ax.plot(0, 0, "*", color="black", ms=10, zorder=3)
        ax.set_title(rf"$\kappa = {kappa:g}$")
        parameter_plane(ax, XLIM, YLIM, ylabel=ax is axes[0])
    return fig
