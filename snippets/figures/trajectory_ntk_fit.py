"""The trained network vs kernel regression with its NTK at
initialization: a two-layer ReLU net (NTK parameterization) of width
m = 32 (left) and m = 2048 (right), trained by full-batch gradient
descent (eta = 1, 500 steps) on 8 points of y = sin(3x) (dots). Solid:
the network after training; dashed: the linearized model after the
same 500 steps (eq:ntk-regression with the finite-time factor); grey:
the network at initialization, f_0."""

import torch

from snippets.figures.style import BLACK, BLUE, GREY, VERMILLION, \
    new_figure
from snippets.trajectory_networks import ntk_fit, toy_regression

WIDTHS = (32, 2048)


def figure():
    torch.set_num_threads(1)
    X, y = toy_regression()
    fig, axes = new_figure(7.0, 3.2, ncols=2, sharey=True)
    for ax, m in zip(axes, WIDTHS):
        x, net, lin_T, _, f0 = ntk_fit(m)
        ax.plot(x, f0, color=GREY, lw=1.0, label="$f_0$")
        ax.plot(x, net, color=BLUE, label=r"$f(x;\theta_T)$")
        ax.plot(x, lin_T, "--", color=VERMILLION, label="NTK")
        ax.plot(X[:, 0], y, "o", color=BLACK, ms=5, zorder=3)
        ax.set_title(f"$m = {m}$")
        ax.set_xlabel("$x$")
    axes[0].legend(loc="lower right", fontsize=9)
    return fig
