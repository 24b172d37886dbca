"""Linear conjugate gradients on quadratics with n = 10 parameters and
several condition numbers (eigenvalues evenly spaced from 1/kappa to
1): the residual collapses at step n. Steepest descent with the same
exact steps, for comparison."""

import numpy as np

from snippets.figures.style import GREY, METHOD_STYLE, PALETTE, new_figure
from snippets.second_order_methods import (conjugate_gradients,
                                           random_spd,
                                           steepest_descent_exact)

N = 10
KAPPAS = (1e1, 1e3, 1e5)
SD_KAPPA = 1e1             # steepest descent: even kappa = 10 is slow
N_SD = 25
SEED = 0


def relative_residuals(A, b, path):
    """|A theta_k - b| / |b| for every iterate."""
    return np.linalg.norm(path @ A - b, axis=1) / np.linalg.norm(b)


def curves():
    out = {}
    for kappa in KAPPAS:
        A, b = random_spd(N, kappa, SEED)
        out["CG", kappa] = relative_residuals(
            A, b, conjugate_gradients(A, b, np.zeros(N)))
    A, b = random_spd(N, SD_KAPPA, SEED)
    out["GD", SD_KAPPA] = relative_residuals(
        A, b, steepest_descent_exact(A, b, np.zeros(N), N_SD))
    return out


def figure():
    fig, ax = new_figure(7.0, 3.4)
    colors = iter(PALETTE[1:])
    for (method, kappa), r in curves().items():
        exponent = round(np.log10(kappa))
        text = rf"{method},  $\kappa = 10^{{{exponent}}}$"
        if method == "CG":
            ax.semilogy(np.arange(len(r)), np.maximum(r, 1e-17), "o-",
                        ms=3.5, lw=1.5, color=next(colors), label=text)
        else:
            ax.semilogy(np.arange(len(r)), r, "s--", ms=3, lw=1.2,
                        color=METHOD_STYLE["GD"]["color"], label=text)
    ax.axvline(N, color=GREY, lw=0.8, ls=":")
    ax.annotate("$k = n$", (N, 1e2), xytext=(4, -12),
                textcoords="offset points", color="#555555")
    ax.set_xlim(0, N_SD)
    ax.set_ylim(1e-17, 1e2)
    ax.set_xlabel("$k$")
    ax.set_ylabel(r"$\|\boldsymbol{A}\boldsymbol{\theta}_k - "
                  r"\boldsymbol{b}\| / \|\boldsymbol{b}\|$")
    ax.legend(loc="center right", fontsize=9)
    return fig
