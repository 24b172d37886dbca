"""SGD, momentum, AdaGrad, RMSProp and Adam on f = x^2 / 20 + y^2."""

from snippets.adaptive_learning_rates import (ELONGATED, ELONGATED_LRS,
                                              ELONGATED_STEPS,
                                              ELONGATED_THETA0,
                                              adaptive_paths)
from snippets.figures.style import path_grid

XLIM, YLIM = (-10.0, 2.0), (-2.0, 2.0)
MARK_EVERY = 1


def figure():
    f = ELONGATED
    paths = adaptive_paths(f.grad, ELONGATED_THETA0, ELONGATED_LRS,
                           ELONGATED_STEPS)
    return path_grid(paths, f.loss, ELONGATED_THETA0, f.theta_star,
                     XLIM, YLIM, levels=[0.05, 0.2, 0.5, 1, 2, 4, 8],
                     mark_every=MARK_EVERY, loss_ylim=(1e-12, 1e2),
                     height=4.8, ncols=2, outer_labels=True,
                     legend_fontsize=8)
