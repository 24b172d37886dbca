"""Coarse-to-fine random search for a softmax regression on 300 digits:
trials in the (log10 eps, log10 lambda) plane coloured by validation
accuracy; stage 1 (circles) over the whole box, stage 2 (triangles) in
the dashed box around stage 1's best trials; stars mark each stage's
best. Right: validation accuracy per trial, with the running best."""

import numpy as np
from matplotlib.patches import Rectangle

from snippets.figures.style import BLACK, BLUE, VERMILLION, new_figure
from snippets.regularization_practice import coarse_to_fine

VMIN = 0.5          # below this the colour saturates (down to chance)


def figure():
    (tr1, acc1), fine, (tr2, acc2) = coarse_to_fine()
    fig, (ax, ax_acc) = new_figure(7.0, 3.4, ncols=2,
                                   width_ratios=[1.35, 1])
    kw = dict(cmap="viridis", vmin=VMIN, vmax=acc1.max().round(2) + 0.01,
              edgecolors="black", linewidths=0.4, zorder=3)
    sc = ax.scatter(tr1[:, 0], tr1[:, 1], c=acc1, marker="o", s=36, **kw)
    ax.scatter(tr2[:, 0], tr2[:, 1], c=acc2, marker="^", s=36, **kw)
    (a, b), (c, d) = fine
    ax.add_patch(Rectangle((a, c), b - a, d - c, fill=False, ls="--",
                           color=BLACK, lw=1.0))
    for tr, acc, color in ((tr1, acc1, BLUE), (tr2, acc2, VERMILLION)):
        ax.plot(*tr[np.argmax(acc)], "*", color=color, ms=15, mec=BLACK,
                mew=0.6, zorder=4)
    ax.set_xlabel(r"$\log_{10} \epsilon$")
    ax.set_ylabel(r"$\log_{10} \lambda$")
    ax.grid(False)
    cb = fig.colorbar(sc, ax=ax, extend="min", pad=0.02)
    cb.set_label(r"$\mathrm{acc}_{\mathrm{val}}$")
    acc = np.concatenate([acc1, acc2])
    k = np.arange(1, len(acc) + 1)
    n1 = len(acc1)
    ax_acc.plot(k[:n1], acc1, "o", color=BLUE, ms=4, label="1")
    ax_acc.plot(k[n1:], acc2, "^", color=VERMILLION, ms=4, label="2")
    ax_acc.step(k, np.maximum.accumulate(acc), where="post",
                color=BLACK, lw=1.2)
    ax_acc.axvline(n1 + 0.5, color="#999999", lw=0.8, ls=":")
    ax_acc.set_ylim(VMIN, 1.0)
    ax_acc.set_xlabel("trial")
    ax_acc.set_ylabel(r"$\mathrm{acc}_{\mathrm{val}}$")
    ax_acc.legend(loc="lower right", title="stage")
    return fig
