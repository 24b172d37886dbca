"""Standard error of minibatch gradient coordinates against the
minibatch size m, measured over many random minibatches, with the
prediction sigma_j / sqrt(m) of eq:standard-error."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLUE, GREEN, GREY, VERMILLION, \
    new_figure
from snippets.learning_vs_optimization import gradient_standard_error

BATCH_SIZES = 2 ** np.arange(9)      # 1, 2, 4, ..., 256
N_DRAWS = 1000
QUANTILES = [(0.9, BLUE), (0.5, VERMILLION), (0.1, GREEN)]


def figure():
    with threadpool_limits(limits=1):  # tiny matrices: threads only cost
        se = gradient_standard_error(BATCH_SIZES, N_DRAWS, seed=0)
    sigma = se.predicted[0]            # m = 1: sigma itself
    live = np.flatnonzero(sigma > 0)   # skip coordinates that are always 0
    fig, (ax, ax_r) = new_figure(7.0, 3.4, ncols=2)
    by_sigma = live[np.argsort(sigma[live])]
    for q, color in QUANTILES:
        j = by_sigma[int(q * (len(live) - 1))]
        ax.loglog(se.m, se.predicted[:, j], color=color, lw=1.4)
        ax.loglog(se.m, se.measured[:, j], "o", color=color, ms=4.5)
    ax.plot([], [], "o", color=GREY, label=r"$\widehat{\mathrm{SE}}"
            r"(\hat g_j)$")
    ax.plot([], [], "-", color=GREY, label=r"$\sigma_j / \sqrt{m}$")
    ax.set_xlabel("$m$")
    ax.set_ylabel(r"$\mathrm{SE}(\hat g_j)$")
    ax.legend(loc="lower left")

    ratio = se.measured[:, live] / se.predicted[:, live]
    lo, mid, hi = np.quantile(ratio, [0.05, 0.5, 0.95], axis=1)
    ax_r.fill_between(se.m, lo, hi, color=BLUE, alpha=0.25, lw=0)
    ax_r.plot(se.m, mid, "o-", color=BLUE, ms=4)
    ax_r.axhline(1.0, color=GREY, ls=":", lw=1.2)
    ax_r.set_xscale("log")
    ax_r.set_ylim(0.4, 1.6)
    ax_r.set_xlabel("$m$")
    ax_r.set_ylabel(r"$\widehat{\mathrm{SE}}(\hat g_j)\ /\ "
                    r"(\sigma_j / \sqrt{m})$")
    for a in (ax, ax_r):
        a.set_xticks(se.m[::2], labels=[str(v) for v in se.m[::2]])
    return fig
