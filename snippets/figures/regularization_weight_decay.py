"""Training (solid) and test (dashed) accuracy per epoch of a ReLU MLP
with four hidden layers of 128 units, trained by SGD with momentum on
the first 300 digits training images, with and without weight decay on
the weights; thin lines: three seeds, thick: their mean. The test set
is the 360-image validation split."""

import torch
from threadpoolctl import threadpool_limits

from snippets.figures.style import BLACK, BLUE, VERMILLION, new_figure
from snippets.regularization import overfitting_curves

SEEDS = range(3)
EPOCHS = 40
LAM = 1e-2
ARMS = [({}, BLUE, r"$\lambda = 0$"),
        ({"lam": LAM}, VERMILLION, rf"$\lambda = {LAM:g}$")]


def plot_arms(axes, arms, epochs):
    """Train and test accuracy per epoch for each (kwargs, colour,
    label) arm on axes[0], and again on axes[1] zoomed in on the top;
    the gap between train and test is the overfitting."""
    for kwargs, color, label in arms:
        with threadpool_limits(limits=1):
            epoch, train, test = overfitting_curves(SEEDS, epochs=epochs,
                                                    **kwargs)
        for curves, ls in ((train, "-"), (test, "--")):
            for ax in axes:
                for c in curves:
                    ax.plot(epoch, c, color=color, ls=ls, lw=0.5,
                            alpha=0.4)
                ax.plot(epoch, curves.mean(axis=0), color=color, ls=ls,
                        lw=1.6, label=label if ls == "-" else None)
    for ax in axes:
        ax.set_xlabel("epoch")
    axes[0].set_ylabel(r"$\mathrm{acc}$")
    axes[0].set_xlim(1, epochs)
    axes[0].set_ylim(0, 1.01)
    # line styles: solid = training set, dashed = test set
    for ls, acc in (("-", "train"), ("--", "test")):
        axes[0].plot([], [], color=BLACK, ls=ls, lw=1.6,
                     label=rf"$\mathrm{{acc}}_{{\mathrm{{{acc}}}}}$")
    axes[0].legend(loc="lower right")
    axes[1].set_xlim(10, epochs)
    axes[1].set_ylim(0.85, 1.005)


def figure():
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    fig, axes = new_figure(7.0, 3.2, ncols=2)
    plot_arms(axes, ARMS, EPOCHS)
    return fig
