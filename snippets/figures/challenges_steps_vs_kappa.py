"""Steps gradient descent needs on a 2-D quadratic, against kappa."""

import numpy as np

from snippets.challenges import steps_to_tolerance
from snippets.figures.style import BLUE, VERMILLION, new_figure

KAPPAS = np.geomspace(1.0, 1e3, 19)
TOLS = (1e-3, 1e-6)    # shrink |theta - theta*| by this factor


def figure():
    fig, ax = new_figure(7.0, 3.6)
    kappa_line = np.geomspace(3.0, KAPPAS[-1], 50)
    for tol, color, marker in zip(TOLS, (BLUE, VERMILLION), "os"):
        steps = [steps_to_tolerance(kappa, tol) for kappa in KAPPAS]
        ax.loglog(KAPPAS, steps, marker, color=color, ms=5,
                  label=rf"$\|\boldsymbol{{\theta}}_k\| \leq "
                        rf"10^{{{np.log10(tol):.0f}}}\,"
                        rf"\|\boldsymbol{{\theta}}_0\|$")
        # for large kappa: k = ln(1/tol) / ln((kappa+1)/(kappa-1))
        #                    ~ kappa/2 ln(1/tol)
        ax.loglog(kappa_line, kappa_line / 2 * np.log(1 / tol), "--",
                  color=color, lw=1.0,
                  label=rf"$\frac{{\kappa}}{{2}}\,\ln 10^{{"
                        rf"{-np.log10(tol):.0f}}}$")
    ax.set_xlabel(r"$\kappa$")
    ax.set_ylabel("$k$")
    ax.legend(loc="upper left")
    return fig
