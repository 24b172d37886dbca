"""SGD, momentum, AdaGrad, RMSProp and Adam on the Rosenbrock function."""

import numpy as np

from snippets.adaptive_learning_rates import (ROSENBROCK, ROSENBROCK_LRS,
                                              ROSENBROCK_STEPS,
                                              ROSENBROCK_THETA0,
                                              adaptive_paths)
from snippets.figures.style import path_grid

MARK_EVERY = 50   # a dot every 50 iterations shows the speed
XLIM, YLIM = (-1.5, 1.5), (-0.5, 1.5)


def figure():
    r = ROSENBROCK
    paths = adaptive_paths(r.grad, ROSENBROCK_THETA0, ROSENBROCK_LRS,
                           ROSENBROCK_STEPS)
    return path_grid(paths, r.loss, ROSENBROCK_THETA0, r.theta_star,
                     XLIM, YLIM, levels=np.geomspace(0.03, 300, 9),
                     mark_every=MARK_EVERY, loss_ylim=(1e-9, 1e2),
                     height=4.6, ncols=3, outer_labels=True,
                     legend_fontsize=8)
