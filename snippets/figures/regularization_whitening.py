"""A correlated 2-D cloud after each preprocessing of eq:standardize,
eq:pca-whitening and eq:zca-whitening (delta = 0), with the condition
number kappa of H = X^T X / n (eq:linear-hessian) of each. Points are
coloured by their raw x_1, so one sees PCA rotate the cloud and ZCA
keep it in place."""

import numpy as np

from snippets.figures.style import new_figure
from snippets.regularization_practice import (condition_number,
                                              correlated_cloud,
                                              pca_whiten, standardize,
                                              zca_whiten)

LIM = (-4.2, 6.2)


def figure():
    X = correlated_cloud()
    panels = [(r"$\boldsymbol{x}$", X),
              (r"$\boldsymbol{x} - \bar{\boldsymbol{x}}$",
               X - X.mean(axis=0)),
              (r"$\boldsymbol{x}'$", standardize(X)),
              (r"$\boldsymbol{x}_{\mathrm{PCA}}$", pca_whiten(X)),
              (r"$\boldsymbol{x}_{\mathrm{ZCA}}$", zca_whiten(X))]
    fig, axes = new_figure(7.0, 2.2, ncols=5, sharex=True, sharey=True)
    for i, (ax, (title, Z)) in enumerate(zip(axes, panels)):
        ax.axhline(0, color="#999999", lw=0.6)
        ax.axvline(0, color="#999999", lw=0.6)
        ax.scatter(Z[:, 0], Z[:, 1], c=X[:, 0], cmap="viridis", s=3,
                   linewidths=0)
        ax.set_title(title)
        ax.text(0.04, 0.96, rf"$\kappa = {condition_number(Z):.3g}$",
                transform=ax.transAxes, va="top", fontsize=9)
        ax.set_xlim(*LIM)
        ax.set_ylim(*LIM)
        ax.set_aspect("equal")
        ax.set_xticks([-3, 0, 3, 6])
        ax.set_yticks([-3, 0, 3, 6])
        ax.set_xlabel(r"$x_1$")
        if i == 0:
            ax.set_ylabel(r"$x_2$")
    return fig
