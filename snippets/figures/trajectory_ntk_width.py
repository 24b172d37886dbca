"""Lazy training: a two-layer ReLU net in NTK parameterization, trained
by full-batch gradient descent (eta = 1, 300 steps) on 8 points of
y = sin(3x). The relative change of the weights and of the NTK on the
training inputs against the width m (log-log); dots: three seeds,
line: their mean; grey: the slope m^(-1/2)."""

import numpy as np
import torch

from snippets.figures.style import BLUE, GREY, VERMILLION, new_figure
from snippets.trajectory_networks import lazy_training

WIDTHS = (16, 32, 64, 128, 256, 512, 1024)
SEEDS = range(3)
N_STEPS = 300


def changes():
    """Array (len(WIDTHS), len(SEEDS), 3): weight change, NTK change,
    final training loss."""
    torch.set_num_threads(1)
    return np.array([[lazy_training(m, seed, n_steps=N_STEPS)
                      for seed in SEEDS] for m in WIDTHS])


def figure():
    out = changes()
    m = np.array(WIDTHS)
    fig, ax = new_figure(7.0, 3.6)
    labels = [r"$\|\theta_T-\theta_0\|\,/\,\|\theta_0\|$",
              r"$\|\Theta_T-\Theta_0\|_F\,/\,\|\Theta_0\|_F$"]
    for i, (label, color, ls, mk) in enumerate(
            zip(labels, (BLUE, VERMILLION), ("-", "--"), ("o", "s"))):
        for s in range(out.shape[1]):
            ax.plot(m, out[:, s, i], mk, color=color, ms=3.5, alpha=0.5)
        ax.plot(m, out[:, :, i].mean(axis=1), ls, marker=mk, color=color,
                label=label)
    ref = out[0, :, 0].mean() * np.sqrt(m[0] / m)
    ax.plot(m, ref, ":", color=GREY, lw=1.5, label=r"$\propto m^{-1/2}$")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(m, [str(w) for w in WIDTHS])
    ax.set_xlabel("$m$")
    ax.legend(loc="lower left")
    return fig
