"""The exact ensemble of all 2^n dropout masks against the
weight-scaling rule, for a net 64 -> n = 10 ReLU units -> dropout
(p = 0.5) -> 10 trained on the digits, on the 360 validation images.
Left: the logit z_y of the true class, ensemble mean against weight
scaling (linear in mu: equal). Right: the softmax probability of the
true class, the ensemble's arithmetic mean (circles, weights P(mu))
and renormalized weighted geometric mean (crosses) against weight
scaling."""

import torch
from threadpoolctl import threadpool_limits

from snippets.data import load_digits_split
from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.regularization import (ensemble_geometric_mean,
                                     ensemble_mean, small_dropout_net,
                                     weight_scaled)

N_HIDDEN, P, SEED = 10, 0.5, 0


def figure():
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    with threadpool_limits(limits=1):
        hidden, output = small_dropout_net(N_HIDDEN, P, SEED)
    with torch.no_grad():
        _, _, X_val, y_val = load_digits_split()
        h = hidden(torch.as_tensor(X_val))
        y = torch.as_tensor(y_val)
        rows = torch.arange(len(y))

        def soft(hm):
            return torch.softmax(output(hm), dim=-1)
        z_ens = ensemble_mean(output, h, P)[rows, y]
        z_ws = weight_scaled(output, h, P)[rows, y]
        p_ari = ensemble_mean(soft, h, P)[rows, y]
        p_geo = ensemble_geometric_mean(output, h, P)[rows, y]
        p_ws = weight_scaled(soft, h, P)[rows, y]
    fig, (left, right) = new_figure(7.0, 3.4, ncols=2)
    left.scatter(z_ws, z_ens, s=8, color=BLUE)
    lo, hi = min(z_ws.min(), z_ens.min()), max(z_ws.max(), z_ens.max())
    left.plot([lo, hi], [lo, hi], color=GREY, lw=0.8, zorder=0)
    left.set_xlabel(r"$z_y((1-p)\,\boldsymbol{h})$")
    left.set_ylabel(
        r"$\mathbb{E}_{\boldsymbol{\mu}}"
        r"[z_y(\boldsymbol{\mu} \odot \boldsymbol{h})]$")
    right.plot([0, 1], [0, 1], color=GREY, lw=0.8, zorder=0)
    right.scatter(p_ws, p_ari, s=10, facecolors="none",
                  edgecolors=VERMILLION, lw=0.7,
                  label=r"$\sum_{\boldsymbol{\mu}} P(\boldsymbol{\mu})\,"
                  r"P(y \mid \boldsymbol{\mu} \odot \boldsymbol{h})$")
    right.scatter(p_ws, p_geo, s=10, marker="x", color=BLUE, lw=0.7,
                  label=r"$\propto \prod_{\boldsymbol{\mu}} P(y \mid "
                  r"\boldsymbol{\mu} \odot \boldsymbol{h})"
                  r"^{P(\boldsymbol{\mu})}$")
    right.set_xlabel(r"$P(y \mid (1-p)\,\boldsymbol{h})$")
    right.set_ylabel(r"$P_{\mathrm{ens}}(y \mid \boldsymbol{x})$")
    right.set_xlim(0, 1.01)
    right.set_ylim(0, 1.01)
    right.legend(loc="upper left")
    return fig
