"""Chapter 5, Algorithms with adaptive learning rates: the exponential
moving average, AdaGrad, RMSProp, Adam and AdamW, in NumPy.

The sections between the ``--8<--`` markers are shown in the book. The
optimizer classes take PyTorch's argument names: ``lr`` is our eps (the
learning rate), ``eps`` is our delta (the small stabilizing constant),
``alpha`` (RMSprop) is our rho and ``betas`` are (rho_1, rho_2).
``tests/test_adaptive_learning_rates.py`` checks every class against
torch.optim in float64.
"""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.basic_algorithms import SGD
from snippets.data import load_digits_split
from snippets.models import init_mlp, loss_and_grad
from snippets.models import loss as mlp_loss
from snippets.problems import Quadratic, Rosenbrock


# --8<-- [start:ema]
def ema(gs, rho):
    """Implements eq:ema from s_0 = 0: returns s_1, ..., s_t as rows.

    >>> ema([1.0, 1.0, 1.0], rho=0.5).tolist()
    [0.5, 0.75, 0.875]
    """
    s = np.zeros_like(np.asarray(gs[0], dtype=float))
    out = []
    for g in gs:
        s = rho * s + (1 - rho) * np.asarray(g)
        out.append(s)
    return np.array(out)


def ema_weights(t, rho):
    """The weights (1 - rho) rho^k of g_{t-k}, k = 0, ..., t - 1, in
    eq:ema-unrolled: the newest gradient first.

    >>> ema_weights(3, rho=0.5).tolist()
    [0.5, 0.25, 0.125]
    >>> gs = np.random.default_rng(0).standard_normal(20)
    >>> bool(np.isclose(ema(gs, 0.9)[-1], ema_weights(20, 0.9) @ gs[::-1]))
    True
    """
    return (1 - rho) * rho ** np.arange(t)


def ema_weight_sum(t, rho):
    """The right-hand side of eq:ema-weight-sum: the weights sum to
    1 - rho^t, short of 1 while t is small.

    >>> [bool(np.isclose(ema_weights(t, 0.9).sum(), ema_weight_sum(t, 0.9)))
    ...  for t in (1, 10, 100)]
    [True, True, True]
    >>> round(ema_weight_sum(10, 0.9), 4)
    0.6513
    """
    return 1 - rho ** t


def bias_corrected(s_t, t, rho):
    """Implements eq:bias-correction (t counts from 1).

    The EMA of a constant signal, corrected, is the constant exactly:

    >>> s = ema([3.0] * 5, rho=0.9)
    >>> [round(float(bias_corrected(s[t - 1], t, 0.9)), 12)
    ...  for t in range(1, 6)]
    [3.0, 3.0, 3.0, 3.0, 3.0]
    """
    return s_t / (1 - rho ** t)
# --8<-- [end:ema]


# --8<-- [start:adagrad]
class Adagrad:
    """The update of torch.optim.Adagrad, on dicts of NumPy arrays.

    Implements eq:adagrad-accumulate and eq:adagrad-update, with delta
    (``eps``) added OUTSIDE the square root: sqrt(r) + delta. Optional,
    as in torch: weight_decay adds lambda theta to g first; lr_decay
    divides lr by 1 + (t - 1) lr_decay at step t; r starts at
    initial_accumulator_value. State per parameter name: "step", "sum"
    (our r).
    """

    def __init__(self, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10):
        for what, value in [("learning rate", lr), ("lr_decay", lr_decay),
                            ("weight_decay", weight_decay),
                            ("initial_accumulator_value",
                             initial_accumulator_value),
                            ("epsilon", eps)]:
            if value < 0.0:
                raise ValueError(f"Invalid {what} value: {value}")
        self.lr = lr
        self.lr_decay = lr_decay
        self.weight_decay = weight_decay
        self.initial_accumulator_value = initial_accumulator_value
        self.eps = eps
        self.state = {}

    def update(self, params, grads):
        for name, g in grads.items():
            theta = params[name]
            st = self.state.setdefault(name, {
                "step": 0, "sum": np.full_like(
                    theta, self.initial_accumulator_value, dtype=float)})
            st["step"] += 1
            if self.weight_decay != 0:
                g = g + self.weight_decay * theta
            lr = self.lr / (1 + (st["step"] - 1) * self.lr_decay)
            st["sum"] += g * g                       # eq:adagrad-accumulate
            theta -= lr * g / (np.sqrt(st["sum"]) + self.eps)
# --8<-- [end:adagrad]


# --8<-- [start:rmsprop]
class RMSprop:
    """The update of torch.optim.RMSprop, on dicts of NumPy arrays.

    Implements eq:rmsprop-accumulate and eq:rmsprop-update (alpha is our
    rho), with delta (``eps``) added OUTSIDE the square root:
    sqrt(r) + delta, where GBC's Algorithm 8.5 has sqrt(delta + r).
    centered=True also keeps the EMA s of g and divides by
    sqrt(r - s * s) + delta (eq:rmsprop-centered). With momentum > 0 a
    buffer b <- momentum b + g / (sqrt(...) + delta) is kept and
    theta <- theta - lr b. State per parameter name: "step",
    "square_avg" (r), "grad_avg" (s), "momentum_buffer" (b).
    """

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0,
                 momentum=0.0, centered=False):
        for what, value in [("learning rate", lr), ("epsilon", eps),
                            ("momentum", momentum),
                            ("weight_decay", weight_decay),
                            ("alpha", alpha)]:
            if value < 0.0:
                raise ValueError(f"Invalid {what} value: {value}")
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weight_decay = weight_decay
        self.momentum = momentum
        self.centered = centered
        self.state = {}

    def update(self, params, grads):
        rho = self.alpha
        for name, g in grads.items():
            theta = params[name]
            st = self.state.setdefault(name, {
                "step": 0, "square_avg": np.zeros_like(theta, dtype=float),
                "grad_avg": np.zeros_like(theta, dtype=float),
                "momentum_buffer": np.zeros_like(theta, dtype=float)})
            st["step"] += 1
            if self.weight_decay != 0:
                g = g + self.weight_decay * theta
            r = st["square_avg"] = rho * st["square_avg"] + (1 - rho) * g * g
            if self.centered:
                s = st["grad_avg"] = rho * st["grad_avg"] + (1 - rho) * g
                denom = np.sqrt(r - s * s) + self.eps
            else:
                denom = np.sqrt(r) + self.eps
            if self.momentum > 0:
                b = self.momentum * st["momentum_buffer"] + g / denom
                st["momentum_buffer"] = b
                theta -= self.lr * b
            else:
                theta -= self.lr * g / denom
# --8<-- [end:rmsprop]


# --8<-- [start:adam]
class Adam:
    """The update of torch.optim.Adam, on dicts of NumPy arrays.

    Implements eq:adam-first-moment, eq:adam-second-moment,
    eq:adam-moments-corrected and eq:adam-update; betas = (rho_1,
    rho_2). Delta (``eps``) is added OUTSIDE the square root and AFTER
    the bias correction of r: sqrt(r_hat) + delta. weight_decay adds
    lambda theta to g first (eq:l2-in-adam), which is NOT AdamW.
    amsgrad=True keeps the running maximum of r and bias-corrects that.
    State per parameter name: "step" (t), "exp_avg" (s), "exp_avg_sq"
    (r), "max_exp_avg_sq".
    """

    decoupled = False  # AdamW sets this

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0.0, amsgrad=False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.amsgrad = amsgrad
        self.state = {}

    def update(self, params, grads):
        rho1, rho2 = self.betas
        for name, g in grads.items():
            theta = params[name]
            st = self.state.setdefault(name, {
                "step": 0, "exp_avg": np.zeros_like(theta, dtype=float),
                "exp_avg_sq": np.zeros_like(theta, dtype=float),
                "max_exp_avg_sq": np.zeros_like(theta, dtype=float)})
            t = st["step"] = st["step"] + 1
            if self.weight_decay != 0:
                if self.decoupled:                   # AdamW
                    theta *= 1 - self.lr * self.weight_decay
                else:                                # eq:l2-in-adam
                    g = g + self.weight_decay * theta
            s = st["exp_avg"] = rho1 * st["exp_avg"] + (1 - rho1) * g
            r = st["exp_avg_sq"] = (rho2 * st["exp_avg_sq"]
                                    + (1 - rho2) * g * g)
            if self.amsgrad:
                r = st["max_exp_avg_sq"] = np.maximum(
                    st["max_exp_avg_sq"], r)
            s_hat = s / (1 - rho1 ** t)       # eq:adam-moments-corrected
            r_hat = r / (1 - rho2 ** t)
            theta -= self.lr * s_hat / (np.sqrt(r_hat) + self.eps)
# --8<-- [end:adam]


# --8<-- [start:adamw]
class AdamW(Adam):
    """The update of torch.optim.AdamW, on dicts of NumPy arrays.

    Implements eq:adamw-update: theta is first multiplied by
    1 - lr * weight_decay (decoupled weight decay), then the Adam step
    of eq:adam-update is taken with the unmodified gradient, delta
    (``eps``) again outside the square root, after bias correction.
    """

    decoupled = True

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=1e-2, amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad)
# --8<-- [end:adamw]


# --8<-- [start:comparison]
METHODS = ("SGD", "momentum", "AdaGrad", "RMSProp", "Adam")
MOMENTUM = 0.9  # the momentum coefficient alpha of chapter 3


def make_optimizer(method, lr):
    """A fresh optimizer; apart from lr, PyTorch's defaults."""
    return {"SGD": lambda: SGD(lr),
            "momentum": lambda: SGD(lr, momentum=MOMENTUM),
            "AdaGrad": lambda: Adagrad(lr),
            "RMSProp": lambda: RMSprop(lr),
            "Adam": lambda: Adam(lr)}[method]()


def optimizer_path(opt, grad_fn, theta0, n_steps):
    """Iterates theta_0, ..., theta_n of opt on a 2-D problem."""
    params = {"theta": np.array(theta0, dtype=float)}
    path = [params["theta"].copy()]
    for _ in range(n_steps):
        opt.update(params, {"theta": grad_fn(params["theta"])})
        path.append(params["theta"].copy())
    return np.array(path)


def adaptive_paths(grad_fn, theta0, lrs, n_steps):
    """{method: iterates} for every method, each with its rate lrs[m]."""
    return {m: optimizer_path(make_optimizer(m, lrs[m]), grad_fn,
                              theta0, n_steps) for m in METHODS}


# f(x, y) = x^2 / 20 + y^2: curvatures 1/10 and 2, kappa = 20
ELONGATED = Quadratic(np.diag([0.1, 2.0]))
ELONGATED_THETA0 = (-9.0, 1.5)
ELONGATED_STEPS = 100
ELONGATED_LRS = {"SGD": 0.4, "momentum": 0.1, "AdaGrad": 1.0,
                 "RMSProp": 0.1, "Adam": 0.5}

ROSENBROCK = Rosenbrock(a=1.0, b=100.0)
ROSENBROCK_THETA0 = (-1.2, 1.0)
ROSENBROCK_STEPS = 2000
ROSENBROCK_LRS = {"SGD": 1e-3, "momentum": 1e-3, "AdaGrad": 0.5,
                  "RMSProp": 3e-3, "Adam": 0.02}

# digits: one MLP, one step budget, one minibatch sequence for all;
# each method gets the rate from its grid with the lowest final loss.
DIGITS_STEPS = 400
DIGITS_BATCH = 32
DIGITS_HIDDEN = 32
DIGITS_SEED = 0
LR_GRID = {"SGD": (0.1, 0.3, 1.0, 3.0),
           "momentum": (0.01, 0.03, 0.1, 0.3),
           "AdaGrad": (0.03, 0.1, 0.3, 1.0),
           "RMSProp": (0.001, 0.003, 0.01, 0.03),
           "Adam": (0.001, 0.003, 0.01, 0.03)}


def train_digits(method, lr, n_steps=DIGITS_STEPS, eval_every=None):
    """Minibatch training of the digits MLP with one method.

    Returns the loss on the whole training set at k = 0, eval_every,
    ..., n_steps (only at k = n_steps if eval_every is None).
    """
    X, y, _, _ = load_digits_split()
    rng = np.random.default_rng(DIGITS_SEED)
    params = init_mlp([X.shape[1], DIGITS_HIDDEN, 10], rng)
    opt = make_optimizer(method, lr)
    losses = [mlp_loss(params, X, y)]
    with np.errstate(all="ignore"):  # a rate too large may overflow
        for k in range(1, n_steps + 1):
            idx = rng.choice(len(X), size=DIGITS_BATCH, replace=False)
            _, grads = loss_and_grad(params, X[idx], y[idx])
            opt.update(params, grads)
            if k == n_steps or (eval_every and k % eval_every == 0):
                losses.append(mlp_loss(params, X, y))
    return np.array(losses)


def best_lr(method):
    """The rate of LR_GRID[method] with the lowest final training loss
    (a run that diverged counts as infinitely bad); and that loss."""
    finals = {}
    for lr in LR_GRID[method]:
        with threadpool_limits(limits=1):  # tiny matrices: 1 thread
            final = train_digits(method, lr)[-1]
        finals[lr] = final if np.isfinite(final) else np.inf
    lr = min(finals, key=finals.get)
    return lr, float(finals[lr])


def comparison_table():
    """Method, chosen rate and final training loss (3 significant
    digits) after DIGITS_STEPS minibatch steps on digits.

    >>> print(comparison_table())
    method          lr      loss
    SGD              1    0.0106
    momentum       0.1   0.00366
    AdaGrad        0.3   0.00543
    RMSProp       0.01   0.00376
    Adam          0.01   0.00865
    """
    rows = [f"{'method':<10}{'lr':>8}{'loss':>10}"]
    for method in METHODS:
        lr, final = best_lr(method)
        rows.append(f"{method:<10}{lr:>8g}{final:>10.3g}")
    return "\n".join(rows)
# --8<-- [end:comparison]
