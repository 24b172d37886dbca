"""SGD, momentum and Nesterov on the Rosenbrock function."""

import numpy as np

from snippets.basic_algorithms import optimizer_paths
from snippets.figures.style import path_grid
from snippets.problems import Rosenbrock

EPS = 1e-3        # the same rate for all three (b = 100 needs it small)
ALPHA = 0.9       # momentum
THETA0 = (-1.2, 1.0)   # the classic starting point
N_STEPS = 2000
MARK_EVERY = 50   # a dot every 50 iterations shows the speed
XLIM, YLIM = (-1.5, 1.5), (-0.5, 1.5)


def figure():
    r = Rosenbrock(a=1.0, b=100.0)
    paths = optimizer_paths(r.grad, THETA0, EPS, ALPHA, N_STEPS)
    return path_grid(paths, r.loss, THETA0, r.theta_star, XLIM, YLIM,
                     levels=np.geomspace(0.03, 300, 9),
                     mark_every=MARK_EVERY, loss_ylim=(1e-9, 1e6),
                     legend_loc="upper right")
