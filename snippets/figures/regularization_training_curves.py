"""Diagnosing training from loss curves on the digits. Left: the
training loss of one MLP with a too small, a good and a too large
learning rate (the last diverges and leaves the panel). Middle: an
underfitting model (a one-unit bottleneck): J_train and J_val high and
together. Right: an overfitting model (a wide MLP on 100 images):
J_train falls towards 0 while J_val stops falling and drifts up."""

import numpy as np
import torch

from snippets.figures.style import (BLUE, GREEN, ORANGE, VERMILLION,
                                    new_figure)
from snippets.regularization_practice import LR_EPS, diagnosis_runs

YMAX = 10.0
LR_STYLES = {"too small": dict(color=ORANGE, ls=":"),
             "good": dict(color=BLUE, ls="-"),
             "too large": dict(color=VERMILLION, ls="--")}
TRAIN = dict(color=BLUE, ls="-", label=r"$J_{\mathrm{train}}$")
VAL = dict(color=GREEN, ls="--", label=r"$J_{\mathrm{val}}$")


def figure():
    torch.set_num_threads(1)   # small matrices: threads only add overhead
    runs = diagnosis_runs()
    fig, axes = new_figure(7.0, 3.0, ncols=3)
    ax = axes[0]
    for name, eps in LR_EPS.items():
        J = np.where(np.isfinite(runs[name][0]), runs[name][0], np.inf)
        ax.semilogy(np.arange(len(J)), np.minimum(J, 10 * YMAX),
                    label=rf"$\epsilon = {eps:g}$", **LR_STYLES[name])
    ax.set_ylim(1e-2, YMAX)
    ax.set_title(r"$J_{\mathrm{train}}$")
    ax.legend(loc="center right", fontsize=9)
    for ax, name, title in ((axes[1], "underfit", "64–1–10"),
                            (axes[2], "overfit",
                             "64–256–256–10, $n = 100$")):
        J_train, J_val = runs[name]
        epochs = np.arange(len(J_train))
        ax.semilogy(epochs, J_train, **TRAIN)
        ax.semilogy(epochs, J_val, **VAL)
        ax.set_ylim(1e-3 if name == "overfit" else 1e-2, YMAX)
        ax.set_title(title)
        ax.legend(loc="lower left", fontsize=9)
    for ax in axes:
        ax.set_xlabel("epoch")
    axes[0].set_ylabel("$J$")
    return fig
