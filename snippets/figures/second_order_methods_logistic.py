"""GD, Newton, nonlinear CG, BFGS and L-BFGS on multinomial logistic
regression on digits (n = 650 parameters): J - J* against iterations
and against counted multiply-adds (deterministic, unlike a clock)."""

import numpy as np
from threadpoolctl import threadpool_limits

from snippets.figures.style import METHOD_STYLE, new_figure
from snippets.second_order_methods import (digits_logistic,
                                           newton_method, run_methods)

N_ITER = 150
TOL = 1e-9          # stop when max |g_i| <= TOL
FLOOR = 1e-14       # below this J - J* is rounding error


def optimum(problem):
    """J* from Newton's method run far past TOL."""
    thetas = []
    newton_method(problem.loss, problem.grad, problem.hessian,
                  np.zeros(problem.dim), 50, tol=1e-14,
                  callback=thetas.append)
    return problem.loss(thetas[-1])


def logistic_runs():
    problem = digits_logistic()
    with threadpool_limits(limits=1):  # small matrices: one thread
        runs = run_methods(problem, N_ITER, tol=TOL)
        J_star = optimum(problem)
    return {m: (J - J_star, madds) for m, (J, madds) in runs.items()}


def figure():
    fig, (ax_k, ax_c) = new_figure(7.0, 3.4, ncols=2)
    for method, (gap, madds) in logistic_runs().items():
        keep = gap > FLOOR
        style = dict(lw=1.5, label=method, **METHOD_STYLE[method])
        ax_k.semilogy(np.arange(len(gap))[keep], gap[keep], **style)
        ax_c.loglog(madds[keep][1:], gap[keep][1:], **style)
    ax_k.set_xlim(0, N_ITER)
    ax_k.set_xlabel("$k$")
    ax_k.set_ylabel(r"$J(\boldsymbol{\theta}_k) - J^*$")
    ax_c.set_xlabel("$C_k$")  # multiply-adds up to iteration k
    for ax in (ax_k, ax_c):
        ax.set_ylim(FLOOR, 10)
    ax_k.legend(loc="lower right", fontsize=9)
    return fig
