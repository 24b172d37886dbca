"""Newton's method and damped Newton (eq:newton-regularized) from the
same point near the saddle of J = theta_1^2/2 - theta_2^2/2 + theta_2^4/4.
"""

from snippets.figures.challenges_saddle import saddle_figure
from snippets.figures.style import METHOD_STYLE, PURPLE
from snippets.second_order_methods import (SADDLE_STEPS, SADDLE_THETA0,
                                           damped_newton_paths)

XLIM, YLIM = (-0.6, 1.8), (-0.6, 1.35)
STYLES = {0.0: METHOD_STYLE["Newton"],
          1.5: METHOD_STYLE["damped Newton"],
          4.0: {"color": PURPLE, "linestyle": "-."}}


def label(alpha):
    return "Newton" if alpha == 0 else rf"$\alpha = {alpha:g}$"


def figure():
    paths = {label(alpha): (path, STYLES[alpha])
             for alpha, path in damped_newton_paths().items()}
    fig, _ = saddle_figure(paths, SADDLE_THETA0, [(0, 1)], XLIM, YLIM,
                           SADDLE_STEPS)
    return fig
