"""Training (solid) and test (dashed) accuracy per epoch of the same
ReLU MLP (four hidden layers of 128 units, SGD with momentum, the first
300 digits training images) without and with dropout after every hidden
layer; thin lines: three seeds, thick: their mean. The test set is the
360-image validation split; accuracies are measured in eval mode."""

import torch

from snippets.figures.regularization_weight_decay import (EPOCHS,
                                                         plot_arms)
from snippets.figures.style import BLUE, GREEN, new_figure

P = 0.2
ARMS = [({}, BLUE, r"$p = 0$"),
        ({"p": P}, GREEN, rf"$p = {P:g}$")]


def figure():
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    fig, axes = new_figure(7.0, 3.2, ncols=2)
    plot_arms(axes, ARMS, EPOCHS)
    return fig
