"""Per-coordinate effective rates eps / (delta + sqrt(r)) of AdaGrad
(eq:adagrad-update) and RMSProp (eq:rmsprop-update) on a stream of
noisy gradients with two very different scales."""

import numpy as np

from snippets.adaptive_learning_rates import Adagrad, RMSprop
from snippets.figures.style import METHOD_STYLE, new_figure

T = 2000
LR = 0.01          # eps, the same for both
RHO = 0.99         # RMSProp's decay rate (PyTorch's default alpha)
SIGMA = np.array([0.1, 1.0])   # gradient scale of theta_1, theta_2
SEED = 0


def effective_rates(opt, key, gs):
    """eps / (delta + sqrt(r_t)) after each of the gradients gs."""
    params = {"theta": np.zeros(2)}
    out = []
    for g in gs:
        opt.update(params, {"theta": g})
        out.append(opt.lr / (opt.eps + np.sqrt(opt.state["theta"][key])))
    return np.array(out)


def figure():
    rng = np.random.default_rng(SEED)
    gs = SIGMA * rng.standard_normal((T, 2))
    t = np.arange(1, T + 1)
    rates = {"AdaGrad": effective_rates(Adagrad(LR), "sum", gs),
             "RMSProp": effective_rates(RMSprop(LR, alpha=RHO),
                                        "square_avg", gs)}
    fig, ax = new_figure(7.0, 3.4)
    for name, eff in rates.items():
        for i, ls in ((0, "-"), (1, "--")):
            ax.loglog(t, eff[:, i], color=METHOD_STYLE[name]["color"], ls=ls,
                      lw=1.4, label=rf"{name},  $i = {i + 1}$")
    for i in (0, 1):   # where RMSProp settles: eps / sigma_i
        ax.axhline(LR / SIGMA[i], color="#999999", lw=0.8, ls=":")
    ax.set_xlim(1, T)
    ax.set_xlabel("$t$")
    ax.set_ylabel(r"$\epsilon / (\delta + \sqrt{r_{t,i}})$")
    ax.legend(loc="lower left", ncols=2)
    return fig
