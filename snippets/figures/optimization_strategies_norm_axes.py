"""Which entries of an (N, C, H, W) tensor share one mean and variance:
batch, layer, instance and group normalization (after Wu & He, 2018,
fig. 2). N runs to the right, C into the page, H and W (flattened)
upwards; the shaded cells are one set S_k of eq:norm-general."""

from matplotlib.colors import to_rgba
from matplotlib.patches import Polygon

from snippets.figures.style import BLUE, new_figure

N, C, HW = 5, 6, 5          # cells along each axis
G = 2                       # groups of C / G = 3 channels
DX, DY = 0.55, 0.45         # the oblique step of one channel
# one set S_k, as the cells (n, c) it covers; every set spans all of HW
SETS = [
    ("BatchNorm", {(n, 0) for n in range(N)}),
    ("LayerNorm", {(0, c) for c in range(C)}),
    ("InstanceNorm", {(0, 0)}),
    (f"GroupNorm, $G = {G}$", {(0, c) for c in range(C // G)}),
]
# the three visible faces, darker towards the side; unshaded, shaded
FACE_COLORS = {"front": ("white", 0.80), "top": ("#F2F2F2", 0.60),
               "side": ("#E4E4E4", 1.0)}


def project(n, c, h):
    """Oblique projection of the point (n, c, h) onto the page."""
    return n + DX * c, h + DY * c


def cell(ax, corners, face, shaded):
    empty, alpha = FACE_COLORS[face]
    ax.add_patch(Polygon([project(*p) for p in corners], closed=True,
                         facecolor=to_rgba(BLUE, alpha) if shaded
                         else empty, edgecolor="#9A9A9A", lw=0.5))


def tensor(ax, S):
    for n in range(N):                          # front face, c = 0
        for h in range(HW):
            cell(ax, [(n, 0, h), (n + 1, 0, h), (n + 1, 0, h + 1),
                      (n, 0, h + 1)], "front", (n, 0) in S)
    for n in range(N):                          # top face, h = HW
        for c in range(C):
            cell(ax, [(n, c, HW), (n + 1, c, HW), (n + 1, c + 1, HW),
                      (n, c + 1, HW)], "top", (n, c) in S)
    for c in range(C):                          # side face, n = N
        for h in range(HW):
            cell(ax, [(N, c, h), (N, c + 1, h), (N, c + 1, h + 1),
                      (N, c, h + 1)], "side", (N - 1, c) in S)
    edges = [[(0, 0, 0), (N, 0, 0), (N, C, 0), (N, C, HW), (0, C, HW),
              (0, 0, HW), (0, 0, 0)],
             [(0, 0, HW), (N, 0, HW), (N, C, HW)],
             [(N, 0, 0), (N, 0, HW)]]
    for edge in edges:
        ax.plot(*zip(*[project(*p) for p in edge]), color="#333333",
                lw=1.0, solid_joinstyle="round")
    # axis names next to the edges they run along
    ax.text(*project(N / 2, 0, -0.45), "$N$", ha="center", va="top")
    ax.text(*project(N + 0.3, C / 2, -0.2), "$C$", ha="left", va="top")
    ax.text(*project(-0.3, 0, HW / 2), "$H, W$", ha="right",
            va="center", rotation=90)


def figure():
    fig, axes = new_figure(7.0, 2.2, ncols=4)
    for ax, (title, S) in zip(axes, SETS):
        tensor(ax, S)
        ax.set_title(title)
        ax.set_aspect("equal")
        ax.set_xlim(-1.0, N + DX * C + 0.8)
        ax.set_ylim(-1.0, HW + DY * C + 0.1)
        ax.axis("off")
    return fig
