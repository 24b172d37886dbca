"""Chapter 7, networks: the residual Jacobian against autograd and a
closed form; the experiments compare like with like (same updates, same
initial weights, pools that really grow from easy to hard); results are
deterministic; and the claims the three figures make, on the figures'
own data.
"""

import numpy as np
import pytest
import torch

from snippets.figures import optimization_strategies_curriculum as fig_cur
from snippets.figures import optimization_strategies_pretraining as fig_pre
from snippets.figures import optimization_strategies_skip_gradients as \
    fig_skip
from snippets.optimization_strategies_networks import (
    F64, SGDRun, Block, baby_steps, curriculum_experiment, deep_net,
    digits, easy_to_hard, hidden_layers, linear, margin_scores,
    pretraining_experiment, residual_jacobian, train_greedy)

WIDTH = 7


def random_block(seed, residual=True):
    return Block(WIDTH, torch.Generator().manual_seed(seed), residual)


def random_h(seed):
    g = torch.Generator().manual_seed(1000 + seed)
    return torch.randn(WIDTH, dtype=F64, generator=g)


# ---------------------------------------------------------------------
# eq:residual-jacobian

@pytest.mark.parametrize("seed", range(20))
def test_residual_jacobian_matches_autograd(seed):
    J, I_plus_dF = residual_jacobian(random_block(seed), random_h(seed))
    assert J.shape == (WIDTH, WIDTH)
    assert torch.max(torch.abs(J - I_plus_dF)) <= 1e-10


@pytest.mark.parametrize("seed", range(20))
def test_residual_jacobian_closed_form(seed):
    # F(h) = W relu(h) + b, so dF/dh = W diag(1[h > 0]): no autograd
    block, h = random_block(seed), random_h(seed)
    W = block.linear.weight.detach()
    closed = torch.eye(WIDTH, dtype=F64) + W * (h > 0).to(F64)
    J, _ = residual_jacobian(block, h)
    assert torch.max(torch.abs(J - closed)) <= 1e-12


@pytest.mark.parametrize("seed", range(5))
def test_plain_block_jacobian_lacks_the_identity(seed):
    # negative control: without the skip the Jacobian is dF/dh alone,
    # so it misses I + dF/dh by exactly the identity
    J, I_plus_dF = residual_jacobian(random_block(seed, residual=False),
                                     random_h(seed))
    assert torch.max(torch.abs(J - I_plus_dF)) > 0.99
    assert torch.allclose(I_plus_dF - J, torch.eye(WIDTH, dtype=F64),
                          rtol=0, atol=1e-12)


def test_plain_and_residual_nets_share_their_weights():
    plain = deep_net(5, 8, seed=3, residual=False)
    res = deep_net(5, 8, seed=3, residual=True)
    for p, q in zip(plain.parameters(), res.parameters()):
        assert torch.equal(p, q)
    other = deep_net(5, 8, seed=4, residual=True)
    assert not torch.equal(next(res.parameters()),
                           next(other.parameters()))


def test_linear_init_variances():
    g = torch.Generator().manual_seed(0)
    n = 400
    he = linear(n, 300, g, "he").weight
    pt = linear(n, 300, g, "torch").weight
    # 120,000 draws: the sample variance is within 2 % of the truth
    assert he.var().item() == pytest.approx(2.0 / n, rel=0.02)
    assert pt.var().item() == pytest.approx(1.0 / (3 * n), rel=0.02)
    assert pt.abs().max().item() <= 1.0 / np.sqrt(n)
    with pytest.raises(ValueError):
        linear(2, 2, g, "glorot")


# ---------------------------------------------------------------------
# fig-skip-gradients: the figure's claim on its own data

@pytest.fixture(scope="module")
def skip_norms():
    return fig_skip.gradient_norms()


def test_skip_figure_claim(skip_norms):
    for plain, res in zip(skip_norms["plain"], skip_norms["residual"]):
        assert len(plain) == len(res) == fig_skip.DEPTH
        # plain: the first block's gradient is > 6 orders of magnitude
        # below the last block's; residual: within a factor of 10
        assert plain[0] / plain[-1] < 1e-6
        assert 0.1 < res[0] / res[-1] < 10
        assert np.all(res > plain)


# ---------------------------------------------------------------------
# curriculum: scores, ordering, pools, equal budgets

@pytest.fixture(scope="module")
def data():
    return digits()


@pytest.fixture(scope="module")
def scores(data):
    X, y = data[0].numpy(), data[1].numpy()
    return margin_scores(X, y)


def test_margin_is_positive_exactly_when_reference_is_right(data,
                                                            scores):
    from sklearn.linear_model import LogisticRegression
    X, y = data[0].numpy(), data[1].numpy()
    ref = LogisticRegression(max_iter=2000).fit(X, y)
    right = ref.predict(X) == y
    assert np.array_equal(scores > 0, right)
    assert right.mean() > 0.9 and not right.all()  # some hard ones


def test_order_is_easy_to_hard(scores):
    order = easy_to_hard(scores)
    assert sorted(order.tolist()) == list(range(len(scores)))
    assert np.all(np.diff(scores[order]) <= 0)
    # negative control: the order of the examples as stored is not
    assert np.any(np.diff(scores) > 0)


def test_pools_grow_to_everything():
    n = 1437
    schedule = baby_steps(n, fig_cur.N_STEPS, fig_cur.PHASE,
                          fig_cur.FRACTIONS)
    sizes = [m for _, m in schedule]
    assert all(a < b for a, b in zip(sizes, sizes[1:]))
    assert sizes[-1] == n and sizes[0] == int(np.ceil(0.2 * n))
    assert sum(u for u, _ in schedule) == fig_cur.N_STEPS


@pytest.fixture(scope="module")
def curriculum_runs():
    return [curriculum_experiment(s, fig_cur.N_STEPS, fig_cur.PHASE,
                                  fig_cur.FRACTIONS)
            for s in fig_cur.SEEDS]


def test_both_arms_get_the_same_updates(curriculum_runs):
    for run in curriculum_runs:
        k_cur, k_rand = run["curriculum"][0], run["random"][0]
        assert np.array_equal(k_cur, k_rand)
        assert k_cur[-1] == fig_cur.N_STEPS
        # both start from the same weights: the same loss at k = 0
        assert run["curriculum"][1][0] == run["random"][1][0]


def test_curriculum_draws_only_from_its_pool(data, scores):
    # run the first two phases by hand and look at what was drawn
    order = torch.as_tensor(easy_to_hard(scores))
    run = SGDRun(data, 0.05, 32, seed=0, eval_every=10)
    gen = torch.Generator().manual_seed(0)
    model = torch.nn.Sequential(linear(64, 8, gen), torch.nn.ReLU(),
                                linear(8, 10, gen))
    n = len(order)
    for n_updates, m in baby_steps(n, 60, 30, (0.2,))[:1]:
        run.train(model, list(model.parameters()), n_updates, order[:m])
    drawn = run.draws[order]
    m = int(np.ceil(0.2 * n))
    assert drawn[:m].sum() == 30 * 32 and drawn[m:].sum() == 0
    # the random arm draws from everywhere (negative control)
    run2 = SGDRun(data, 0.05, 32, seed=0, eval_every=10)
    run2.train(model, list(model.parameters()), 30)
    assert run2.draws[order][m:].sum() > 0


def test_curriculum_is_deterministic(curriculum_runs):
    again = curriculum_experiment(0, fig_cur.N_STEPS, fig_cur.PHASE,
                                  fig_cur.FRACTIONS)
    for arm in again:
        for a, b in zip(again[arm], curriculum_runs[0][arm]):
            assert np.array_equal(a, b)


def test_curriculum_figure_claim(curriculum_runs):
    # what results-ch7.md reports: random order is ahead (mean over
    # seeds) through most of the first half; at the end the two are
    # within two percentage points
    acc = {arm: np.mean([r[arm][2] for r in curriculum_runs], axis=0)
           for arm in ("curriculum", "random")}
    k = curriculum_runs[0]["random"][0]
    early = (k >= 30) & (k <= 120)
    assert np.all(acc["random"][early] > acc["curriculum"][early])
    assert abs(acc["random"][-1] - acc["curriculum"][-1]) < 0.02


# ---------------------------------------------------------------------
# pretraining: equal budgets, freezing, determinism, the figure's claim

class SnapshotRun(SGDRun):
    """An SGDRun that keeps a copy of the hidden layers after each call
    to train (one call per greedy stage, then one for fine-tuning)."""

    layers = None

    def train(self, model, params, n_steps, pool=None):
        super().train(model, params, n_steps, pool)
        self.snapshots.append([l[0].weight.detach().clone()
                               for l in self.layers])


def test_greedy_trains_one_layer_per_stage(data):
    gen = torch.Generator().manual_seed(0)
    layers = hidden_layers(16, 3, gen, "he")
    before = [l[0].weight.detach().clone() for l in layers]
    run = SnapshotRun(data, 0.1, 64, seed=0, eval_every=10)
    run.layers, run.snapshots = layers, []
    train_greedy(run, layers, gen, "he", n_pre=10, n_fine=10)
    stages = [before] + run.snapshots      # 3 stages, then fine-tuning
    for s in range(1, 4):
        for l in range(3):
            changed = not torch.equal(stages[s][l], stages[s - 1][l])
            assert changed == (l == s - 1), (s, l)
    # fine-tuning changes every layer
    assert all(not torch.equal(a, b)
               for a, b in zip(stages[4], stages[3]))
    assert run.k == 3 * 10 + 10


@pytest.fixture(scope="module")
def pretraining_runs():
    return {init: [pretraining_experiment(s, init, fig_pre.N_LAYERS,
                                          n_pre=fig_pre.N_PRE,
                                          n_fine=fig_pre.N_FINE)
                   for s in fig_pre.SEEDS]
            for init, _ in fig_pre.INITS}


def test_pretraining_arms_get_the_same_updates(pretraining_runs):
    n_steps = fig_pre.N_LAYERS * fig_pre.N_PRE + fig_pre.N_FINE
    for runs in pretraining_runs.values():
        for run in runs:
            assert np.array_equal(run["direct"][0], run["greedy"][0])
            assert run["direct"][0][-1] == n_steps


def test_pretraining_is_deterministic(pretraining_runs):
    again = pretraining_experiment(0, "torch", fig_pre.N_LAYERS,
                                   n_pre=fig_pre.N_PRE,
                                   n_fine=fig_pre.N_FINE)
    for arm in again:
        for a, b in zip(again[arm], pretraining_runs["torch"][0][arm]):
            assert np.array_equal(a, b)
    other = pretraining_experiment(1, "torch", fig_pre.N_LAYERS,
                                   n_pre=fig_pre.N_PRE,
                                   n_fine=fig_pre.N_FINE)
    assert not np.array_equal(other["direct"][1], again["direct"][1])


def test_pretraining_figure_claim(pretraining_runs):
    # what results-ch7.md reports, seed by seed, at the last update:
    # with PyTorch's default init greedy + fine-tuning ends lower than
    # direct training; with He init direct training ends lower
    for run in pretraining_runs["torch"]:
        assert run["greedy"][1][-1] < run["direct"][1][-1]
    for run in pretraining_runs["he"]:
        assert run["direct"][1][-1] < run["greedy"][1][-1]
