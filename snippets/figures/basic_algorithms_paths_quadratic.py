"""SGD, momentum and Nesterov on an ill-conditioned 2-D quadratic."""

import numpy as np

from snippets.basic_algorithms import optimizer_paths
from snippets.figures.style import path_grid
from snippets.problems import ill_conditioned_quadratic

KAPPA = 50.0      # condition number: eigenvalues 0.02 and 1 of H
ANGLE = 20.0      # degrees between the valley floor and the theta_1 axis
EPS = 1.25        # the same rate for all three; eps * lambda_max = 1.25
ALPHA = 0.9       # momentum
THETA0 = (-9.0, -1.0)
N_STEPS = 100
XLIM, YLIM = (-10.0, 5.0), (-6.0, 3.5)


def figure():
    q = ill_conditioned_quadratic(KAPPA, angle=np.deg2rad(ANGLE))
    paths = optimizer_paths(q.grad, THETA0, EPS, ALPHA, N_STEPS)
    return path_grid(paths, q.loss, THETA0, (0.0, 0.0), XLIM, YLIM,
                     levels=np.geomspace(0.01, 30, 10), height=5.4,
                     xticks=[-10, -5, 0, 5])
