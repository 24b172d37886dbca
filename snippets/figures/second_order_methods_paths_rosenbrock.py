"""GD, Newton, nonlinear CG, BFGS and L-BFGS on the Rosenbrock function,
all with the strong Wolfe line search of snippets.second_order_methods
(GD and Newton too)."""

import numpy as np

from snippets.figures.style import path_grid
from snippets.second_order_methods import (ROSENBROCK, ROSENBROCK_THETA0,
                                           bfgs, lbfgs, newton_method,
                                           nonlinear_cg, wolfe_step)

N_ITER = 100
TOL = 1e-10
XLIM, YLIM = (-2.0, 2.0), (-0.5, 3.0)


def steepest_descent(fun, grad, theta0, n_iter, tol=TOL):
    """d = -g with the same line search."""
    theta = np.asarray(theta0, dtype=float)
    path = [theta]
    for _ in range(n_iter):
        g = grad(theta)
        if np.max(np.abs(g)) <= tol:
            break
        theta = theta - wolfe_step(fun, grad, theta, -g, g) * g
        path.append(theta)
    return np.array(path)


def rosenbrock_paths():
    r, theta0 = ROSENBROCK, np.array(ROSENBROCK_THETA0)
    newton = [theta0]
    newton_method(r.loss, r.grad, r.hessian, theta0, N_ITER, TOL,
                  callback=newton.append)
    common = dict(n_iter=N_ITER, tol=TOL)
    return {"GD": steepest_descent(r.loss, r.grad, theta0, N_ITER),
            "Newton": np.array(newton),
            "CG": nonlinear_cg(r.loss, r.grad, theta0, **common),
            "BFGS": bfgs(r.loss, r.grad, theta0, **common),
            "L-BFGS": lbfgs(r.loss, r.grad, theta0, **common)}


def figure():
    r = ROSENBROCK
    return path_grid(rosenbrock_paths(), r.loss, ROSENBROCK_THETA0,
                     r.theta_star, XLIM, YLIM,
                     levels=np.geomspace(0.03, 300, 9),
                     loss_ylim=(1e-22, 1e5), height=4.8, ncols=3,
                     outer_labels=True, legend_fontsize=8,
                     legend_loc="lower right")
