# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Support vector machines: the primal, the dual and the support vectors
#
# The notebook solves the hard-margin and the soft-margin SVM twice, once in the primal (a quadratic program in $\mathbf{w}$, $b$ and the slacks) and once in the dual (a quadratic program in the multipliers $\alpha_i$), with SciPy's general-purpose SLSQP solver, and compares both with scikit-learn's `SVC` (libsvm's SMO solver).
# The checks: the weights and bias from the dual equal the primal ones and libsvm's; the two optimal values are equal (strong duality); the KKT conditions sort the examples into non-support vectors, margin support vectors and bound support vectors; the primal with slacks equals the unconstrained hinge-loss objective; the margin width is $2/\lVert\mathbf{w}\rVert_2$; refitting on the support vectors alone gives the same classifier; the leave-one-out error is at most the fraction of support vectors; and a kernel (RBF) dual predicts like `SVC(kernel="rbf")`.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import linprog, minimize
from sklearn.svm import SVC

rng = np.random.default_rng(0)

# %% [markdown]
# ## Data
#
# Two Gaussian clouds in the plane with labels $y_i \in \{-1, +1\}$: far apart for the hard margin (linear separability is checked with a linear program), closer for the soft margin.

# %%
n_per = 20
bind("n_per", n_per)
n = 2 * n_per
bind("n_svm", n)
y = np.r_[-np.ones(n_per), np.ones(n_per)]
X_sep = np.vstack([rng.normal(size=(n_per, 2)) - 2.2, rng.normal(size=(n_per, 2)) + 2.2])
X_ovl = np.vstack([rng.normal(size=(n_per, 2)) - 1.0, rng.normal(size=(n_per, 2)) + 1.0])


def separable(X, y):
    """Feasibility LP: is there (w, b) with y_i (w^T x_i + b) >= 1 for all i?"""
    A = -y[:, None] * np.hstack([X, np.ones((len(y), 1))])
    res = linprog(np.zeros(3), A_ub=A, b_ub=-np.ones(len(y)), bounds=[(None, None)] * 3, method="highs")
    return res.status == 0


check(separable(X_sep, y), "a linear program finds a separating hyperplane for the far-apart clouds")
check(not separable(X_ovl, y), "the linear program finds none for the overlapping clouds")

# %% [markdown]
# ## The primal and the dual, each solved by a general QP solver
#
# Primal: minimise $\frac{1}{2}\lVert\mathbf{w}\rVert_2^2 + C\sum_i \xi_i$ over $(\mathbf{w}, b, \boldsymbol{\xi})$ subject to $y_i(\mathbf{w}^\top\mathbf{x}_i + b) \ge 1 - \xi_i$ and $\xi_i \ge 0$ (no slacks for the hard margin).
# Dual: maximise $\sum_i \alpha_i - \frac{1}{2}\sum_{i,j}\alpha_i\alpha_j y_i y_j k(\mathbf{x}_i, \mathbf{x}_j)$ subject to $0 \le \alpha_i \le C$ and $\sum_i \alpha_i y_i = 0$.


# %%
def solve_primal(X, y, C=None):
    """SLSQP on the primal QP; C=None is the hard margin. Returns w, b, xi and the optimal value."""
    n_, d_ = X.shape
    soft = C is not None
    m = d_ + 1 + (n_ if soft else 0)

    def obj(v):
        return 0.5 * v[:d_] @ v[:d_] + (C * v[d_ + 1 :].sum() if soft else 0.0)

    def obj_grad(v):
        g = np.zeros(m)
        g[:d_] = v[:d_]
        if soft:
            g[d_ + 1 :] = C
        return g

    A = np.zeros((n_, m))
    A[:, :d_] = y[:, None] * X
    A[:, d_] = y
    if soft:
        A[:, d_ + 1 :] = np.eye(n_)
    cons = [{"type": "ineq", "fun": lambda v: A @ v - 1.0, "jac": lambda v: A}]
    bounds = [(None, None)] * (d_ + 1) + ([(0.0, None)] * n_ if soft else [])
    res = minimize(
        obj,
        np.zeros(m),
        jac=obj_grad,
        constraints=cons,
        bounds=bounds,
        method="SLSQP",
        options={"ftol": 1e-12, "maxiter": 2000},
    )
    assert res.success, res.message
    v = res.x
    return v[:d_], v[d_], (v[d_ + 1 :] if soft else np.zeros(n_)), res.fun


def solve_dual(K, y, C=None):
    """SLSQP on the dual QP with Gram matrix K; C=None means no upper bound (hard margin)."""
    Q = (y[:, None] * y[None, :]) * K

    def neg_dual(a):
        return 0.5 * a @ Q @ a - a.sum()

    def neg_dual_grad(a):
        return Q @ a - 1.0

    cons = [{"type": "eq", "fun": lambda a: a @ y, "jac": lambda a: y}]
    bounds = [(0.0, C)] * len(y)
    res = minimize(
        neg_dual,
        np.zeros(len(y)),
        jac=neg_dual_grad,
        constraints=cons,
        bounds=bounds,
        method="SLSQP",
        options={"ftol": 1e-12, "maxiter": 2000},
    )
    assert res.success, res.message
    a = res.x
    a[a < 1e-8] = 0.0  # the solver's round-off on inactive multipliers
    if C is not None:
        a[a > C - 1e-8] = C
    return a, -res.fun


def bias_from_dual(K, y, a, C=None):
    """b = y_i - sum_j a_j y_j K_ji averaged over margin support vectors (0 < a_i < C)."""
    free = (a > 0) if C is None else (a > 0) & (a < C)
    f_no_b = K @ (a * y)
    return np.mean(y[free] - f_no_b[free])


# %% [markdown]
# ## Hard margin

# %%
K_sep = X_sep @ X_sep.T
w_p, b_p, _, val_p = solve_primal(X_sep, y)
a_hard, val_d = solve_dual(K_sep, y)
w_d = X_sep.T @ (a_hard * y)  # w = sum_i alpha_i y_i x_i
b_d = bias_from_dual(K_sep, y, a_hard)
check_close(w_d, w_p, "hard margin: w = sum_i alpha_i y_i x_i from the dual equals the primal w", rtol=1e-5)
check_close(b_d, b_p, "hard margin: the bias from the dual equals the primal bias", rtol=1e-5, atol=1e-6)
check_close(val_d, val_p, "hard margin: dual optimum = primal optimum (strong duality)", rtol=1e-7)
check_close(a_hard.sum(), w_p @ w_p, "hard margin: sum_i alpha_i = ||w||^2 at the optimum", rtol=1e-5)
margin_width = 2 / np.linalg.norm(w_p)
bind("margin_width", margin_width)
n_sv_hard = int(np.sum(a_hard > 0))
bind("n_sv_hard", n_sv_hard)
f_sep = X_sep @ w_p + b_p  # the score f_hat(x) = w^T x + b
check(
    np.all(np.abs(y[a_hard > 0] * f_sep[a_hard > 0] - 1) < 1e-5)
    and np.all(y[a_hard == 0] * f_sep[a_hard == 0] > 1 - 1e-6),
    f"complementary slackness: the {n_sv_hard} points with alpha_i > 0 lie on the margin, y f_hat(x) = 1; the others have y f_hat(x) >= 1",
)
# the margin width against a brute-force geometric route: the distance between the closest points of the two classes
# projected on the unit normal, i.e. min over positives minus max over negatives of (w/||w||)^T x
u = w_p / np.linalg.norm(w_p)
check_close(
    (X_sep[y == 1] @ u).min() - (X_sep[y == -1] @ u).max(),
    margin_width,
    "margin width 2/||w|| equals the gap between the classes measured along the unit normal",
    rtol=1e-5,
)
# no other unit direction gives a wider gap: scan 20,000 directions
angles = np.linspace(0, 2 * np.pi, 20_000, endpoint=False)
U = np.c_[np.cos(angles), np.sin(angles)]
gaps = (X_sep[y == 1] @ U.T).min(axis=0) - (X_sep[y == -1] @ U.T).max(axis=0)
check(
    gaps.max() <= margin_width + 1e-6,
    f"no direction among 20,000 separates with a wider gap ({gaps.max():.4f} <= {margin_width:.4f})",
)
svc_hard = SVC(kernel="linear", C=1e8, tol=1e-10).fit(X_sep, y)
check_close(svc_hard.coef_[0], w_p, "scikit-learn SVC with a huge C finds the same w", rtol=1e-4)
check(
    set(svc_hard.support_) == set(np.flatnonzero(a_hard > 0)),
    "scikit-learn SVC picks the same support vectors as the hand-solved dual",
)

# %% [markdown]
# ## Soft margin on overlapping data

# %%
C_soft = 1.0
bind("c_soft", C_soft)
K_ovl = X_ovl @ X_ovl.T
w_ps, b_ps, xi_ps, val_ps = solve_primal(X_ovl, y, C_soft)
a_soft, val_ds = solve_dual(K_ovl, y, C_soft)
w_ds = X_ovl.T @ (a_soft * y)
b_ds = bias_from_dual(K_ovl, y, a_soft, C_soft)
check_close(w_ds, w_ps, "soft margin: w from the dual equals the primal w", rtol=1e-5)
check_close(b_ds, b_ps, "soft margin: the bias from the dual equals the primal bias", rtol=1e-4, atol=1e-6)
check_close(val_ds, val_ps, "soft margin: dual optimum = primal optimum (strong duality)", rtol=1e-7)
bind("soft_objective", val_ps)
# the slack formulation equals the hinge-loss formulation at the optimum
hinge_obj = 0.5 * w_ps @ w_ps + C_soft * np.maximum(0, 1 - y * (X_ovl @ w_ps + b_ps)).sum()
check_close(hinge_obj, val_ps, "the primal with slacks equals 1/2||w||^2 + C sum hinge at the optimum", rtol=1e-7)
check_close(xi_ps, np.maximum(0, 1 - y * (X_ovl @ w_ps + b_ps)), "optimal slacks are the hinge losses", atol=1e-6)
# and the hinge objective is minimised there: a generic derivative-free search on the unconstrained hinge objective
nm = minimize(
    lambda v: 0.5 * v[:2] @ v[:2] + C_soft * np.maximum(0, 1 - y * (X_ovl @ v[:2] + v[2])).sum(),
    np.zeros(3),
    method="Nelder-Mead",
    options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000},
)
check(nm.fun >= val_ps - 1e-7, f"Nelder-Mead on the hinge objective finds nothing lower ({nm.fun:.6f} vs {val_ps:.6f})")

svc = SVC(kernel="linear", C=C_soft, tol=1e-10).fit(X_ovl, y)
check_close(svc.coef_[0], w_ps, "scikit-learn SVC (libsvm, SMO) gives the same w", rtol=1e-4)
check_close(svc.intercept_[0], b_ps, "scikit-learn SVC gives the same b", rtol=1e-4, atol=1e-5)
dual_coef = np.zeros(n)
dual_coef[svc.support_] = svc.dual_coef_[0]  # libsvm stores alpha_i y_i for the support vectors
check_close(dual_coef, a_soft * y, "libsvm's dual_coef_ equals alpha_i y_i of the hand-solved dual", atol=1e-4)

f_ovl = X_ovl @ w_ps + b_ps
margin_sv = (a_soft > 0) & (a_soft < C_soft)
bound_sv = a_soft == C_soft
non_sv = a_soft == 0
n_margin_sv, n_bound_sv = int(margin_sv.sum()), int(bound_sv.sum())
n_sv_soft = n_margin_sv + n_bound_sv
bind("n_margin_sv", n_margin_sv)
bind("n_bound_sv", n_bound_sv)
bind("n_sv_soft", n_sv_soft)
check(
    np.all(y[non_sv] * f_ovl[non_sv] >= 1 - 1e-5)
    and np.all(np.abs(y[margin_sv] * f_ovl[margin_sv] - 1) < 1e-4)
    and np.all(y[bound_sv] * f_ovl[bound_sv] <= 1 + 1e-5),
    "KKT: alpha = 0 => y f_hat >= 1; 0 < alpha < C => y f_hat = 1; alpha = C => y f_hat <= 1",
)
n_train_err = int(np.sum(y * f_ovl < 0))
bind("n_train_err", n_train_err)
check(
    set(np.flatnonzero(y * f_ovl < 0)) <= set(np.flatnonzero(bound_sv)),
    f"each of the {n_train_err} training errors is a bound support vector (alpha_i = C)",
)
# the slacks (from the primal solver) bound the errors: every misclassified point has xi_i > 1, so sum xi >= errors
check(
    np.all(xi_ps[y * f_ovl < 0] > 1) and xi_ps.sum() >= n_train_err,
    f"every training error has slack > 1, and sum xi = {xi_ps.sum():.2f} >= {n_train_err} errors",
)
check(
    set(svc.support_) == set(np.flatnonzero(a_soft > 0)), "libsvm's support vectors are the examples with alpha_i > 0"
)

# only the support vectors matter: refit on them alone
sv_idx = np.flatnonzero(a_soft > 0)
svc_sv_only = SVC(kernel="linear", C=C_soft, tol=1e-10).fit(X_ovl[sv_idx], y[sv_idx])
check_close(svc_sv_only.coef_[0], w_ps, "refitting on the support vectors alone gives the same w", rtol=1e-4)

# leave-one-out error is at most (number of support vectors) / n
loo_err = 0
for i in range(n):
    keep = np.arange(n) != i
    m_ = SVC(kernel="linear", C=C_soft, tol=1e-8).fit(X_ovl[keep], y[keep])
    loo_err += int(m_.predict(X_ovl[i : i + 1])[0] != y[i])
bind("loo_err", loo_err)
check(loo_err <= n_sv_soft, f"leave-one-out errors {loo_err} <= number of support vectors {n_sv_soft}")

# %% [markdown]
# ## The effect of C: fewer support vectors and a narrower margin as C grows

# %%
C_grid = np.logspace(-2, 2, 17)
n_sv_grid, width_grid = [], []
for C_ in C_grid:
    m_ = SVC(kernel="linear", C=C_, tol=1e-10).fit(X_ovl, y)
    n_sv_grid.append(len(m_.support_))
    width_grid.append(2 / np.linalg.norm(m_.coef_[0]))
n_sv_grid, width_grid = np.array(n_sv_grid), np.array(width_grid)
bind("c_lo", C_grid[0])
bind("c_hi", C_grid[-1])
bind("n_sv_c_lo", n_sv_grid[0])
bind("n_sv_c_hi", n_sv_grid[-1])
bind("width_c_lo", width_grid[0])
bind("width_c_hi", width_grid[-1])
check(np.all(np.diff(width_grid) <= 1e-6), "the margin width never grows as C increases")
check(n_sv_grid[0] > n_sv_grid[-1], "a small C keeps more support vectors than a large C")

# %% [markdown]
# ## Figure: hard and soft margin


# %%
def draw(ax, X, w, b, a, C, title):
    xs = np.linspace(-5, 5, 2)
    for off, style in ((0, "-"), (1, "--"), (-1, "--")):
        ax.plot(xs, (off - b - w[0] * xs) / w[1], "k" + style, lw=1.2 if off == 0 else 0.9)
    ax.scatter(*X[y == -1].T, marker="o", c="C0", s=22, label="$y=-1$")
    ax.scatter(*X[y == 1].T, marker="s", c="C1", s=22, label="$y=+1$")
    sv = a > 0
    ax.scatter(*X[sv].T, s=110, facecolors="none", edgecolors="k", lw=1.0, label="support vectors")
    ax.set_xlim(-5, 5)
    ax.set_ylim(-5, 5)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("$x_1$")


fig, axes = plt.subplots(1, 2, figsize=(8, 4.2))
draw(axes[0], X_sep, w_p, b_p, a_hard, None, f"hard margin: {n_sv_hard} support vectors")
draw(axes[1], X_ovl, w_ps, b_ps, a_soft, C_soft, f"soft margin, C = {C_soft:g}: {n_sv_soft} support vectors")
axes[0].set_ylabel("$x_2$")
axes[0].legend(fontsize=8, loc="upper left")
save_figure(fig, "margins")

fig, ax1 = plt.subplots()
ax1.semilogx(C_grid, n_sv_grid, "o-", color="C0")
ax1.set_xlabel("C (log scale)")
ax1.set_ylabel("number of support vectors", color="C0")
ax2 = ax1.twinx()
ax2.semilogx(C_grid, width_grid, "s--", color="C3")
ax2.set_ylabel(r"margin width $2/\|\mathbf{w}\|_2$", color="C3")
ax2.grid(False)
_ = ax1.set_title("Soft margin on the overlapping clouds", fontsize=10)
save_figure(fig, "c-sweep")

# %% [markdown]
# ## A kernel SVM from the same dual
#
# Replacing $\mathbf{x}_i^\top\mathbf{x}_j$ by the RBF kernel $\exp(-\gamma\lVert\mathbf{x}_i - \mathbf{x}_j\rVert_2^2)$ in the dual, and $\mathbf{w}^\top\mathbf{x}$ by $\sum_i \alpha_i y_i k(\mathbf{x}_i, \mathbf{x})$, gives libsvm's RBF classifier.

# %%
gamma_rbf = 0.5
bind("gamma_rbf", gamma_rbf)
n_ring = 30
bind("n_ring", n_ring)
r = np.r_[rng.uniform(0, 1.0, n_ring), rng.uniform(1.6, 2.6, n_ring)]
t_ang = rng.uniform(0, 2 * np.pi, 2 * n_ring)
X_ring = np.c_[r * np.cos(t_ang), r * np.sin(t_ang)]
y_ring = np.r_[-np.ones(n_ring), np.ones(n_ring)]


def rbf(A, B):
    return np.exp(-gamma_rbf * ((A[:, None, :] - B[None, :, :]) ** 2).sum(-1))


a_rbf, _ = solve_dual(rbf(X_ring, X_ring), y_ring, C_soft)
b_rbf = bias_from_dual(rbf(X_ring, X_ring), y_ring, a_rbf, C_soft)
X_new = rng.uniform(-3, 3, size=(200, 2))
f_mine = rbf(X_new, X_ring) @ (a_rbf * y_ring) + b_rbf
svc_rbf = SVC(kernel="rbf", gamma=gamma_rbf, C=C_soft, tol=1e-10).fit(X_ring, y_ring)
check_close(
    f_mine,
    svc_rbf.decision_function(X_new),
    "the RBF dual predicts like SVC(kernel='rbf') on 200 new points",
    rtol=1e-4,
    atol=1e-4,
)
n_sv_rbf = int(np.sum(a_rbf > 0))
bind("n_sv_rbf", n_sv_rbf)
bind("n_ring_total", 2 * n_ring)
