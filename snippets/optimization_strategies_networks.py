"""Chapter 7, Optimization strategies: supervised pretraining, skip
connections and curriculum learning, in PyTorch (float64).

The sections between the ``--8<--`` markers are shown in the book.
``tests/test_optimization_strategies_networks.py`` checks the residual
Jacobian eq:residual-jacobian against autograd, and that the experiments
compare like with like (the same number of updates in both arms, the
same initial weights, the same minibatch stream).

Layers are ``torch.nn.Linear`` (weights of shape (n_out, n_in)). Every
random number comes from a ``torch.Generator`` that the caller seeds, so
a run is fixed by its seed.
"""

import math

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from torch import nn
from torch.nn.functional import cross_entropy

from snippets.data import load_digits_split

F64 = torch.float64


def digits():
    """The digits split of snippets.data as tensors:
    (X_train, y_train, X_val, y_val), float64 inputs, int64 labels."""
    return tuple(torch.as_tensor(a) for a in load_digits_split())


def linear(n_in, n_out, gen, init="he"):
    """A float64 nn.Linear with weights drawn from ``gen``.

    init="he": W ~ N(0, 2 / n_in), b = 0 (chapter 4). init="torch":
    PyTorch's default for nn.Linear, W and b ~ U(-a, a), a = 1/sqrt(n_in),
    so Var(W) = 1 / (3 n_in).
    """
    layer = nn.Linear(n_in, n_out, dtype=F64)
    with torch.no_grad():
        if init == "he":
            layer.weight.normal_(0.0, math.sqrt(2.0 / n_in), generator=gen)
            layer.bias.zero_()
        elif init == "torch":
            a = 1.0 / math.sqrt(n_in)
            layer.weight.uniform_(-a, a, generator=gen)
            layer.bias.uniform_(-a, a, generator=gen)
        else:
            raise ValueError(f"unknown init {init!r}")
    return layer


def evaluate(model, data):
    """Training loss J and validation accuracy of ``model``."""
    X, y, X_val, y_val = data
    with torch.no_grad():
        J = cross_entropy(model(X), y).item()
        acc = (model(X_val).argmax(dim=1) == y_val).double().mean().item()
    return J, acc


class SGDRun:
    """Minibatch SGD that counts its updates k across calls and logs
    (k, J, validation accuracy) at k = 0, eval_every, 2 eval_every, ...

    Minibatches are drawn (with replacement) from ``gen``: two runs with
    the same seed and the same calls see the same stream of draws.
    ``draws[i]`` counts how often training example i was drawn.
    """

    def __init__(self, data, eps, batch_size, seed, eval_every):
        self.data, self.eps, self.batch_size = data, eps, batch_size
        self.gen = torch.Generator().manual_seed(seed)
        self.eval_every = eval_every
        self.k = 0
        self.log = []
        self.draws = torch.zeros(len(data[0]), dtype=torch.int64)

    def train(self, model, params, n_steps, pool=None):
        """n_steps SGD updates of ``params`` (a list of tensors) on the
        training examples ``pool`` (indices; default: all of them)."""
        X, y = self.data[0], self.data[1]
        if pool is None:
            pool = torch.arange(len(X))
        opt = torch.optim.SGD(params, lr=self.eps)
        if self.k == 0 and not self.log:
            self.log.append((0, *evaluate(model, self.data)))
        for _ in range(n_steps):
            draw = torch.randint(len(pool), (self.batch_size,),
                                 generator=self.gen)
            idx = pool[draw]
            self.draws += torch.bincount(idx, minlength=len(X))
            loss = cross_entropy(model(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            self.k += 1
            if self.k % self.eval_every == 0:
                self.log.append((self.k, *evaluate(model, self.data)))

    def history(self):
        """The log as arrays: k, J, validation accuracy."""
        k, J, acc = map(np.array, zip(*self.log))
        return k, J, acc


# --8<-- [start:pretraining]
def hidden_layers(width, n_layers, gen, init):
    """n_layers Linear + ReLU blocks: 64 -> width -> ... -> width."""
    sizes = [64] + [width] * n_layers
    return [nn.Sequential(linear(n_in, n_out, gen, init), nn.ReLU())
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def train_direct(run, layers, gen, init, n_steps):
    """The whole net (layers + a softmax output layer), trained from the
    start for n_steps updates."""
    width = layers[0][0].out_features
    model = nn.Sequential(*layers, linear(width, 10, gen, init))
    run.train(model, list(model.parameters()), n_steps)
    return model


def train_greedy(run, layers, gen, init, n_pre, n_fine):
    """Greedy supervised layer-wise pretraining, then fine-tuning.

    Stage l trains layer l and a new output layer for n_pre updates,
    with layers 1..l-1 frozen; the previous output layer is discarded.
    Then all layers and the last output layer are trained together for
    n_fine updates. Total: len(layers) * n_pre + n_fine updates.
    """
    width = layers[0][0].out_features
    for l in range(1, len(layers) + 1):
        head = linear(width, 10, gen, init)
        model = nn.Sequential(*layers[:l], head)
        for frozen in layers[:l - 1]:
            frozen.requires_grad_(False)
        new = list(layers[l - 1].parameters()) + list(head.parameters())
        run.train(model, new, n_pre)
    model.requires_grad_(True)             # fine-tune everything
    run.train(model, list(model.parameters()), n_fine)
    return model


def pretraining_experiment(seed, init="he", n_layers=4, width=32,
                           n_pre=40, n_fine=160, eps=0.1,
                           batch_size=64, eval_every=10):
    """Both arms from the same initial hidden layers and the same
    minibatch stream, with the same number of updates:
    {"direct": (k, J, acc), "greedy": (k, J, acc)}."""
    data = digits()
    n_steps = n_layers * n_pre + n_fine
    out = {}
    for arm in ("direct", "greedy"):
        gen = torch.Generator().manual_seed(seed)
        layers = hidden_layers(width, n_layers, gen, init)
        run = SGDRun(data, eps, batch_size, seed, eval_every)
        if arm == "direct":
            train_direct(run, layers, gen, init, n_steps)
        else:
            train_greedy(run, layers, gen, init, n_pre, n_fine)
        out[arm] = run.history()
    return out
# --8<-- [end:pretraining]


# --8<-- [start:skip-connections]
class Block(nn.Module):
    """h -> h + F(h) (eq:residual) or, without the skip, h -> F(h),
    with the branch F(h; W) = W relu(h) + b."""

    def __init__(self, width, gen, residual, init="torch"):
        super().__init__()
        self.linear = linear(width, width, gen, init)
        self.residual = residual

    def branch(self, h):
        return self.linear(torch.relu(h))

    def forward(self, h):
        return h + self.branch(h) if self.residual else self.branch(h)


def deep_net(depth, width, seed, residual, init="torch"):
    """Input layer 64 -> width, ``depth`` blocks, output layer
    width -> 10. The same seed gives the same weights with and without
    the skips, so the two nets differ only in the ``h +``."""
    gen = torch.Generator().manual_seed(seed)
    blocks = [Block(width, gen, residual, init) for _ in range(depth)]
    return nn.Sequential(linear(64, width, gen, init), *blocks,
                         nn.ReLU(), linear(width, 10, gen, init))


def block_gradient_norms(model, X, y):
    """||dL/dW^(l)|| (Frobenius) for the blocks l = 1, ..., depth."""
    model.zero_grad()
    cross_entropy(model(X), y).backward()
    return np.array([m.linear.weight.grad.norm().item()
                     for m in model if isinstance(m, Block)])


def residual_jacobian(block, h):
    """Implements eq:residual-jacobian for one input vector h: returns
    (dh^(l)/dh^(l-1) by autograd, I + dF/dh with dF/dh by autograd).

    >>> block = Block(3, torch.Generator().manual_seed(0), residual=True)
    >>> J, I_plus_dF = residual_jacobian(block, torch.ones(3, dtype=F64))
    >>> bool(torch.allclose(J, I_plus_dF))
    True
    """
    jac = torch.autograd.functional.jacobian
    J_block = jac(block, h)
    J_branch = jac(block.branch, h)
    eye = torch.eye(len(h), dtype=h.dtype)
    return J_block, eye + J_branch
# --8<-- [end:skip-connections]


# --8<-- [start:curriculum]
def margin_scores(X, y):
    """How easy each example is: the margin z_y - max_{j != y} z_j of
    its logits z under a reference model (logistic regression fitted
    to the same training set). Large margin = easy."""
    ref = LogisticRegression(max_iter=2000).fit(X, y)
    z = ref.decision_function(X)
    z_true = z[np.arange(len(y)), y]
    z[np.arange(len(y)), y] = -np.inf
    return z_true - z.max(axis=1)


def easy_to_hard(scores):
    """Indices of the examples, easiest (largest score) first.

    >>> easy_to_hard(np.array([0.5, 2.0, -1.0])).tolist()
    [1, 0, 2]
    """
    return np.argsort(-scores, kind="stable")


def baby_steps(n, n_steps, phase, fractions):
    """The curriculum's schedule: a list of (updates, pool size).

    ``phase`` updates on the easiest fractions[0] * n examples, then
    ``phase`` on the easiest fractions[1] * n, ..., and the remaining
    updates (up to n_steps) on all n examples.

    >>> baby_steps(10, n_steps=100, phase=20, fractions=(0.2, 0.5))
    [(20, 2), (20, 5), (60, 10)]
    """
    schedule = [(phase, math.ceil(f * n)) for f in fractions]
    return schedule + [(n_steps - phase * len(fractions), n)]


def curriculum_experiment(seed, n_steps=300, phase=30,
                          fractions=(0.2, 0.4, 0.6, 0.8), hidden=32,
                          eps=0.05, batch_size=32, eval_every=10):
    """Curriculum (easy -> hard pools) vs random order: the same net
    (64 -> hidden -> 10, ReLU, He), the same initial weights and the
    same number of updates. Returns {"curriculum": (k, J, acc),
    "random": (k, J, acc)}."""
    data = digits()
    X, y = data[0], data[1]
    scores = margin_scores(X.numpy(), y.numpy())
    order = torch.as_tensor(easy_to_hard(scores))
    out = {}
    for arm in ("curriculum", "random"):
        gen = torch.Generator().manual_seed(seed)
        model = nn.Sequential(linear(64, hidden, gen), nn.ReLU(),
                              linear(hidden, 10, gen))
        run = SGDRun(data, eps, batch_size, seed, eval_every)
        for n_updates, m in baby_steps(len(X), n_steps, phase,
                                       fractions):
            # random order: every update draws from all examples
            pool = order[:m] if arm == "curriculum" else None
            run.train(model, list(model.parameters()), n_updates, pool)
        out[arm] = run.history()
    return out
# --8<-- [end:curriculum]
