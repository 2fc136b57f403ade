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
# # L1 versus L2 regularisation: coefficient paths, geometry and closed forms
#
# The figures show how lasso (L1) and ridge (L2) coefficients shrink as the penalty grows, and why the L1 constraint region produces exact zeros while the L2 region does not.
# The checks test the ridge closed form $\hat{\mathbf{w}} = (\mathbf{X}^\top \mathbf{X} + \lambda \mathbf{I})^{-1} \mathbf{X}^\top \mathbf{y}$, the scaling between the page's objectives and scikit-learn's `alpha`, the soft-thresholding formula for an orthonormal design, the value of $\lambda$ above which the lasso is all zeros, the MAP interpretation with $\lambda = \sigma^2 / \tau_w^2$ (Gaussian prior) and $\lambda = 2\sigma^2 / \kappa$ (Laplace prior), and that with correlated features neither penalty acts weight by weight.

# %%
import numpy as np
import matplotlib.pyplot as plt
from scipy.optimize import brentq, minimize
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, Ridge, lars_path

from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## Objectives and scikit-learn's scalings
#
# The page writes both penalised least-squares problems on the same footing:
#
# $$J_{\text{ridge}}(\mathbf{w}) = \lVert \mathbf{y} - \mathbf{X}\mathbf{w} \rVert_2^2 + \lambda \lVert \mathbf{w} \rVert_2^2, \qquad J_{\text{lasso}}(\mathbf{w}) = \lVert \mathbf{y} - \mathbf{X}\mathbf{w} \rVert_2^2 + \lambda \lVert \mathbf{w} \rVert_1 .$$
#
# scikit-learn's `Ridge` minimises exactly $J_{\text{ridge}}$ with `alpha` $= \lambda$.
# Its `Lasso` minimises $\frac{1}{2n}\lVert \mathbf{y} - \mathbf{X}\mathbf{w} \rVert_2^2 + \alpha \lVert \mathbf{w} \rVert_1$, which is $J_{\text{lasso}} / (2n)$ when $\alpha = \lambda / (2n)$; dividing an objective by a positive constant does not move its minimiser.
# We use the diabetes data set shipped with scikit-learn ($n = 442$, $d = 10$), with the target centred so no intercept is needed (the features are already centred and scaled to unit Euclidean norm).

# %%
X, y = load_diabetes(return_X_y=True)
y = y - y.mean()
n, d = X.shape
feature_names = load_diabetes().feature_names
bind("d_diabetes", d)
# Preconditions of the caption ("centred features scaled to unit norm"), read from the data, not assumed.
check_close(X.mean(axis=0), np.zeros(d), "the diabetes features are centred", atol=1e-12)
check_close(np.linalg.norm(X, axis=0), np.ones(d), "the diabetes features have unit Euclidean norm", rtol=1e-6)


def ridge_closed_form(X, y, lam):
    """Solve (X^T X + lam I) w = X^T y; solving is more stable than inverting."""
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def lasso_sk(X, y, lam):
    """Minimiser of ||y - Xw||^2 + lam ||w||_1 via scikit-learn (alpha = lam / (2n))."""
    model = Lasso(alpha=lam / (2 * X.shape[0]), fit_intercept=False, tol=1e-12, max_iter=100_000)
    return model.fit(X, y).coef_


# %% [markdown]
# ## Check 1: the ridge closed form equals scikit-learn's `Ridge`
#
# Setting the gradient $-2\mathbf{X}^\top(\mathbf{y} - \mathbf{X}\mathbf{w}) + 2\lambda\mathbf{w}$ to zero gives the closed form.
# We compare it with `Ridge(alpha=lam, fit_intercept=False)` for several $\lambda$, and with a general-purpose minimiser (BFGS) of $J_{\text{ridge}}$ written from its definition, which would disagree if the page's normal equations had, say, $2\lambda\mathbf{I}$ in place of $\lambda\mathbf{I}$.

# %%
for lam in [0.01, 0.1, 1.0, 10.0]:
    w_closed = ridge_closed_form(X, y, lam)
    w_sk = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    check_close(w_closed, w_sk, f"ridge closed form = sklearn Ridge(alpha={lam})", rtol=1e-8, atol=1e-8)

    def j_ridge(w, lam=lam):
        return np.sum((y - X @ w) ** 2) + lam * np.sum(w**2)

    w_bfgs = minimize(j_ridge, np.zeros(d), method="BFGS", options={"gtol": 1e-10}).x  # numerical gradient
    # BFGS stops at ||grad|| ~ 1e-6; with the smallest eigenvalue of X^T X + lam I near lam, w is off by <~ 1e-6/lam.
    check_close(w_closed, w_bfgs, f"closed form = BFGS minimum of J_ridge (lambda={lam})", rtol=1e-3, atol=1e-2)

# A different solver (iterative) agrees too, so the match is not an artefact of one code path.
w_lsqr = Ridge(alpha=1.0, fit_intercept=False, solver="lsqr", tol=1e-12).fit(X, y).coef_
check_close(
    ridge_closed_form(X, y, 1.0),
    w_lsqr,
    "closed form = sklearn Ridge with the iterative lsqr solver",
    rtol=1e-6,
    atol=1e-6,
)

# Step 5: the fit shrinks y along the principal directions by delta_j^2 / (delta_j^2 + lambda).
U, delta, _ = np.linalg.svd(X, full_matrices=False)
for lam in [0.1, 10.0]:
    check_close(
        X @ ridge_closed_form(X, y, lam),
        U @ (delta**2 / (delta**2 + lam) * (U.T @ y)),
        f"ridge fit = sum_j u_j delta_j^2/(delta_j^2 + lambda) u_j^T y (SVD route, lambda={lam})",
        rtol=1e-8,
        atol=1e-8,
    )

# %% [markdown]
# ## Check 2: the lasso scaling and its optimality (KKT) conditions
#
# The lasso has no closed form in general, but its solution is characterised by the subgradient conditions of $J_{\text{lasso}}$:
# $2\mathbf{c}_j^\top(\mathbf{y} - \mathbf{X}\hat{\mathbf{w}}) = \lambda \operatorname{sign}(\hat w_j)$ when $\hat w_j \neq 0$, and $\lvert 2\mathbf{c}_j^\top(\mathbf{y} - \mathbf{X}\hat{\mathbf{w}}) \rvert \le \lambda$ when $\hat w_j = 0$, where $\mathbf{c}_j$ is the $j$-th column of $\mathbf{X}$.
# If the scaling $\alpha = \lambda/(2n)$ were wrong, these conditions would fail for the page's $\lambda$.

# %%
for lam in [5.0, 50.0, 200.0]:
    w = lasso_sk(X, y, lam)
    corr = 2 * X.T @ (y - X @ w)
    active = w != 0
    check_close(corr[active], lam * np.sign(w[active]), f"lasso KKT on active set, lambda={lam}", rtol=1e-6, atol=1e-6)
    check(
        bool(np.all(np.abs(corr[~active]) <= lam + 1e-6)),
        f"lasso KKT on zero set, lambda={lam} ({(~active).sum()} zeros)",
    )

# %% [markdown]
# ## Check 3: lasso gives exact zeros, ridge does not
#
# At $\mathbf{w} = \mathbf{0}$ the KKT condition reads $\lvert 2\mathbf{c}_j^\top \mathbf{y} \rvert \le \lambda$ for all $j$, so the lasso solution is exactly zero as soon as $\lambda \ge \lambda_{\max} = 2 \max_j \lvert \mathbf{c}_j^\top \mathbf{y} \rvert$.
# Ridge, by contrast, gives $\hat{\mathbf{w}} \approx \mathbf{X}^\top \mathbf{y} / \lambda$ for large $\lambda$: small but never exactly zero.

# %%
lam_max = 2 * np.max(np.abs(X.T @ y))
w_at_max = lasso_sk(X, y, lam_max)
w_below = lasso_sk(X, y, 0.95 * lam_max)
check(bool(np.all(w_at_max == 0.0)), f"lasso coefficients are all exactly 0 at lambda_max = {lam_max:.1f}")
check(int(np.sum(w_below != 0)) == 1, "just below lambda_max exactly one lasso coefficient is non-zero")
w_mid = lasso_sk(X, y, 0.1 * lam_max)
check(
    0 < int(np.sum(w_mid == 0)) < d, "at lambda = 0.1 lambda_max the lasso keeps some features and zeros others exactly"
)

for lam in [lam_max, 100 * lam_max, 1e4 * lam_max]:
    w_r = ridge_closed_form(X, y, lam)
    check(bool(np.all(np.abs(w_r) > 0)), f"ridge has no exact zero at lambda = {lam:.3g}")
w_huge = ridge_closed_form(X, y, 1e6)
check_close(w_huge * 1e6, X.T @ y, "for large lambda, ridge weights approach X^T y / lambda", rtol=1e-4)

# %% [markdown]
# ## Check 4: soft-thresholding for an orthonormal design (the page's worked example)
#
# When $\mathbf{X}^\top\mathbf{X} = \mathbf{I}$, let $\mathbf{z} = \mathbf{X}^\top\mathbf{y}$ (the least-squares solution).
# Then ridge gives $\hat w_j = z_j / (1 + \lambda)$ and the lasso gives $\hat w_j = \operatorname{sign}(z_j)\max(\lvert z_j \rvert - \lambda/2, 0)$.
# We build an $n = 50$, $d = 3$ orthonormal design with $\mathbf{z} = (3, 1.2, -0.4)$ and use $\lambda = 2$, as in the page's example.

# %%
n_o, z = 50, np.array([3.0, 1.2, -0.4])
Q, _ = np.linalg.qr(rng.standard_normal((n_o, 3)))  # orthonormal columns
noise = rng.standard_normal(n_o)
noise -= Q @ (Q.T @ noise)  # residual orthogonal to the columns, so X^T y = z exactly
X_o, y_o = Q, Q @ z + noise
# Preconditions of the construction (they hold by QR and by the projection above), not page claims.
assert np.allclose(X_o.T @ X_o, np.eye(3), atol=1e-12), "precondition: the constructed design is orthonormal"
assert np.allclose(X_o.T @ y_o, z, atol=1e-12), "precondition: X^T y equals z = (3, 1.2, -0.4)"

lam = 2.0
bind("n_orth", n_o)
bind("lam_ex", lam)
# The table's least-squares row is the OLS fit on the constructed data (lstsq, not z itself).
w_ols_o = np.linalg.lstsq(X_o, y_o, rcond=None)[0]
for j in range(3):
    bind(f"z{j + 1}", w_ols_o[j])
soft = np.sign(z) * np.maximum(np.abs(z) - lam / 2, 0)
shrunk = z / (1 + lam)
w_lasso_o = lasso_sk(X_o, y_o, lam)
w_ridge_o = Ridge(alpha=lam, fit_intercept=False).fit(X_o, y_o).coef_
check_close(w_lasso_o, soft, "sklearn Lasso(alpha=lambda/(2n)) equals the soft-thresholding formula", atol=1e-9)
check_close(w_ridge_o, shrunk, "sklearn Ridge(alpha=lambda) equals z/(1+lambda)", atol=1e-9)
# The page's table cells come from scikit-learn's fits, so a mistyped cell fails the build.
for j in range(3):
    bind(f"ridge_w{j + 1}", w_ridge_o[j])
    bind(f"lasso_w{j + 1}", w_lasso_o[j])
ratios = w_ols_o / w_ridge_o
check_close(ratios, ratios[0], "ridge divides every weight by the same factor (orthonormal design)", rtol=1e-8)
bind("ridge_factor", ratios[0])
shifts = (np.abs(w_ols_o) - np.abs(w_lasso_o))[w_lasso_o != 0]
check_close(shifts, shifts[0], "the lasso subtracts the same amount from every surviving magnitude", rtol=1e-8)
bind("lasso_shift", shifts[0])

# The same formula across many random z and lambda, so the check is not tuned to one case.
max_err = 0.0
n_random_pairs = 20
bind("n_random_pairs", n_random_pairs)
for _ in range(n_random_pairs):
    z_r = rng.normal(scale=2.0, size=3)
    lam_r = rng.uniform(0.1, 6.0)
    soft_r = np.sign(z_r) * np.maximum(np.abs(z_r) - lam_r / 2, 0)
    max_err = max(max_err, np.max(np.abs(lasso_sk(X_o, Q @ z_r + noise, lam_r) - soft_r)))
check(
    max_err < 1e-8,
    f"soft-thresholding = sklearn Lasso for {n_random_pairs} random (z, lambda) pairs (max error < 1e-8)",
)

# %% [markdown]
# ## Check 5: MAP estimation with Gaussian and Laplace priors
#
# Model: $\mathbf{y} \mid \mathbf{X}, \mathbf{w} \sim \mathcal{N}(\mathbf{X}\mathbf{w}, \sigma^2 \mathbf{I})$.
# With independent priors $w_j \sim \mathcal{N}(0, \tau_w^2)$ the negative log-posterior is $\frac{1}{2\sigma^2}\lVert \mathbf{y} - \mathbf{X}\mathbf{w}\rVert_2^2 + \frac{1}{2\tau_w^2}\lVert \mathbf{w} \rVert_2^2 + \text{const}$, whose minimiser is ridge with $\lambda = \sigma^2/\tau_w^2$.
# With Laplace priors $p(w_j) = \frac{1}{2\kappa} e^{-\lvert w_j \rvert / \kappa}$ it is $\frac{1}{2\sigma^2}\lVert \mathbf{y} - \mathbf{X}\mathbf{w}\rVert_2^2 + \frac{1}{\kappa}\lVert \mathbf{w} \rVert_1 + \text{const}$, whose minimiser is the lasso with $\lambda = 2\sigma^2 / \kappa$.
# We minimise the Gaussian-prior posterior numerically (it is smooth) and check the Laplace case through the KKT conditions of the posterior itself.

# %%
sigma, tau_w = 50.0, 20.0


def neg_log_post_gauss(w):
    r = y - X @ w
    # Full negative log density of likelihood times prior, constants included.
    nll = 0.5 * r @ r / sigma**2 + 0.5 * n * np.log(2 * np.pi * sigma**2)
    nlp = 0.5 * w @ w / tau_w**2 + 0.5 * d * np.log(2 * np.pi * tau_w**2)
    return nll + nlp


def grad_gauss(w):
    return -X.T @ (y - X @ w) / sigma**2 + w / tau_w**2


res = minimize(neg_log_post_gauss, np.zeros(d), jac=grad_gauss, method="BFGS", options={"gtol": 1e-12})
w_map = res.x
check_close(
    w_map,
    ridge_closed_form(X, y, sigma**2 / tau_w**2),
    "Gaussian-prior MAP = ridge with lambda = sigma^2 / tau_w^2",
    rtol=1e-5,
    atol=1e-4,
)
check(
    not np.allclose(w_map, ridge_closed_form(X, y, sigma / tau_w), rtol=1e-3),
    "the MAP estimate is NOT ridge with lambda = sigma / tau_w (the square matters)",
)

kappa = 25.0  # lambda = 2 sigma^2 / kappa = 200
w_lap = lasso_sk(X, y, 2 * sigma**2 / kappa)
g = X.T @ (y - X @ w_lap) / sigma**2  # minus the gradient of the likelihood term
act = w_lap != 0
check_close(
    g[act],
    np.sign(w_lap[act]) / kappa,
    "Laplace-prior MAP stationarity on active set with lambda = 2 sigma^2 / kappa",
    rtol=1e-6,
    atol=1e-9,
)
check(bool(np.all(np.abs(g[~act]) <= 1 / kappa + 1e-9)), "Laplace-prior MAP subgradient condition on the zero set")
check(0 < act.sum() < d, "the Laplace-prior MAP estimate is sparse here")

# %% [markdown]
# ## Coefficient paths
#
# Ridge weights stay non-zero on the grid (some cross zero between grid points); lasso weights hit exactly zero, and beyond $\lambda_{\max}$ all are zero.
# With correlated features neither path is monotone coefficient by coefficient, which the checks below establish on the data.
# Both panels use the page's $\lambda$ (scikit-learn's `alpha` would be $\lambda$ for ridge and $\lambda/(2n)$ for lasso).

# %%
lams_lasso = np.geomspace(lam_max * 1e-3, lam_max * 1.5, 80)
path_lasso = np.array([lasso_sk(X, y, lam) for lam in lams_lasso])
lams_ridge = np.geomspace(1e-3, 1e3, 80)
path_ridge = np.array([ridge_closed_form(X, y, lam) for lam in lams_ridge])

n_zero_lasso = (path_lasso == 0).sum(axis=1)
check(
    bool(np.all(np.diff(n_zero_lasso[lams_lasso > 0.5 * lam_max]) >= 0)),
    "near lambda_max the number of lasso zeros only grows with lambda",
)
check(bool(np.all(path_ridge != 0)), "no ridge coefficient on the path is exactly zero")

# The page's caveat: coordinate-wise rules hold only for an orthonormal design. On diabetes (correlated features):
w_ols = np.linalg.lstsq(X, y, rcond=None)[0]
lasso_demo_lam = 200.0
w_demo = lasso_sk(X, y, lasso_demo_lam)
i_s1, i_s3 = feature_names.index("s1"), feature_names.index("s3")
check(int(np.argmax(np.abs(w_ols))) == i_s1, "s1 has the largest least-squares weight in magnitude")
check(
    w_demo[i_s1] == 0.0, f"the lasso at lambda = {lasso_demo_lam:.0f} sets s1 (the largest OLS weight) exactly to zero"
)
check(
    abs(w_demo[i_s3]) > abs(w_ols[i_s3]) and np.sign(w_demo[i_s3]) == -np.sign(w_ols[i_s3]),
    "the lasso weight of s3 has the opposite sign to its OLS weight and a larger magnitude",
)
bind("lasso_demo_lam", lasso_demo_lam)
bind("ols_s1_abs", abs(w_ols[i_s1]))
bind("ols_s3", w_ols[i_s3])
bind("lasso_s3", w_demo[i_s3])
# Ridge: a fine path from OLS (lambda -> 0) to large lambda; count coefficients that change sign.
lams_fine = np.geomspace(1e-4, 1e4, 2000)
path_fine = np.array([ridge_closed_form(X, y, lam) for lam in lams_fine])
sign_changers = int(np.sum(np.any(np.diff(np.sign(path_fine), axis=0) != 0, axis=0)))
check(sign_changers > 0, f"{sign_changers} ridge coefficients change sign along the path (not proportional shrinkage)")
bind("ridge_n_sign_change", sign_changers)
# Independent route for the count: the path runs from OLS (lambda -> 0) to X^T y / lambda (lambda -> infinity, step 10),
# so the coefficients that change sign an odd number of times are exactly those where sign(OLS) != sign(c_j^T y).
n_changes = np.sum(np.diff(np.sign(path_fine), axis=0) != 0, axis=0)
check(
    np.array_equal(n_changes % 2 == 1, np.sign(w_ols) != np.sign(X.T @ y)),
    "odd numbers of ridge sign changes on the grid = sign(OLS) differs from sign(X^T y)",
)
check(
    bool(np.any(np.diff(np.abs(path_fine), axis=0) > 1e-9)), "some ridge coefficient grows in magnitude as lambda grows"
)
# Step 5's norm formula, ||w_ridge||^2 = sum_j delta_j^2 (u_j^T y)^2 / (delta_j^2 + lambda)^2 (each term falls with
# lambda, which is why the norm falls), against the closed form along the whole path.
uty = U.T @ y
check_close(
    np.sum(path_fine**2, axis=1),
    [np.sum(delta**2 * uty**2 / (delta**2 + lam) ** 2) for lam in lams_fine],
    "ridge weight norm = the SVD formula of step 5 along the path",
    rtol=1e-8,
)
# Caption: s3 is exactly zero on part of the lasso grid and then non-zero again, with the opposite sign, at larger lambda.
s3 = path_lasso[:, i_s3]
first_zero = np.flatnonzero(s3 == 0)[0]
later = s3[first_zero:][s3[first_zero:] != 0]
check(
    later.size > 0 and np.sign(later[0]) == -np.sign(s3[first_zero - 1]),
    "the lasso's s3 leaves the zero set and re-enters with the opposite sign as lambda grows",
)

# Correlated-features section: two identical columns. Ridge splits equally; the lasso keeps one.
X_dup = np.c_[X[:, 2], X[:, 2]]
w_dup_ridge = ridge_closed_form(X_dup, y, 1.0)
w_dup_lasso = Lasso(alpha=0.01, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X_dup, y).coef_
check_close(w_dup_ridge[0], w_dup_ridge[1], "ridge gives two identical features the same weight", rtol=1e-10)
check(int(np.sum(w_dup_lasso != 0)) == 1, "coordinate-descent lasso keeps one of two identical features")

# d > n: the lasso keeps at most n non-zero weights, the elastic net can keep more.
rng_dn = np.random.default_rng(1)
n_s, d_s = 20, 100
X_s = rng_dn.standard_normal((n_s, d_s))
y_s = X_s[:, :40] @ np.ones(40) + rng_dn.standard_normal(n_s)
# Exact lasso path by LARS (lasso modification): the largest active set along the whole path.
_, _, coefs_s = lars_path(X_s, y_s, method="lasso")
nz_lasso = int((coefs_s != 0).sum(axis=0).max())
en_s = ElasticNet(alpha=0.5, l1_ratio=0.1, fit_intercept=False, max_iter=100_000, tol=1e-8).fit(X_s, y_s)
nz_en = int(np.sum(en_s.coef_ != 0))
check(
    nz_lasso <= n_s < nz_en,
    f"d > n: the lasso path keeps at most {nz_lasso} <= n = {n_s} weights, the elastic net {nz_en} > n",
)

fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.6), sharey=True)
for j in range(d):
    axes[0].plot(lams_lasso, path_lasso[:, j], lw=1.4)
    axes[1].plot(lams_ridge, path_ridge[:, j], lw=1.4, label=feature_names[j])
axes[0].axvline(lam_max, color="k", ls="--", lw=1)
axes[0].annotate(
    r"$\lambda_{\max}$", (lam_max, axes[0].get_ylim()[1] * 0.85), xytext=(4, 0), textcoords="offset points"
)
for ax, name in zip(axes, ["Lasso (L1)", "Ridge (L2)"], strict=False):
    ax.set_xscale("log")
    _ = ax.set_xlabel(r"penalty strength $\lambda$ (log scale)")
    _ = ax.set_title(name)
    ax.axhline(0, color="k", lw=0.6)
_ = axes[0].set_ylabel(r"coefficient $\hat{w}_j$")
_ = axes[1].legend(fontsize=7, ncol=2, loc="upper right", title="feature", title_fontsize=7)
fig.suptitle("Coefficient paths on the diabetes data", y=1.02)
save_figure(fig, "paths")

# %% [markdown]
# ## Geometry: diamond versus disc
#
# In two dimensions we minimise a quadratic loss $(\mathbf{w} - \hat{\mathbf{w}}_{\text{OLS}})^\top \mathbf{A} (\mathbf{w} - \hat{\mathbf{w}}_{\text{OLS}})$ (elliptical contours) subject to $\lVert \mathbf{w} \rVert_1 \le s$ or $\lVert \mathbf{w} \rVert_2 \le s$.
# The L1 solution is found exactly by checking the four corners and the minimiser on each edge; the L2 solution solves $(\mathbf{A} + \mu \mathbf{I})\mathbf{w} = \mathbf{A}\hat{\mathbf{w}}_{\text{OLS}}$ with $\mu \ge 0$ chosen so that $\lVert \mathbf{w} \rVert_2 = s$.

# %%
A = np.array([[1.0, 0.5], [0.5, 1.2]])
w_ols = np.array([2.0, 0.6])
s = 1.0


def quad(w):
    diff = w - w_ols
    return diff @ A @ diff


def l1_constrained():
    corners = [np.array(c, float) for c in [(s, 0), (0, s), (-s, 0), (0, -s)]]
    cands = list(corners)
    for a_, b_ in zip(corners, corners[1:] + corners[:1], strict=False):
        e = b_ - a_  # minimise quad(a + u e) over u in [0, 1]
        u = np.clip(-(e @ A @ (a_ - w_ols)) / (e @ A @ e), 0, 1)
        cands.append(a_ + u * e)
    return min(cands, key=quad)


def l2_constrained():
    def norm_gap(mu):
        return np.linalg.norm(np.linalg.solve(A + mu * np.eye(2), A @ w_ols)) - s

    mu = brentq(norm_gap, 0.0, 1e6, xtol=1e-14)
    return np.linalg.solve(A + mu * np.eye(2), A @ w_ols)


w1, w2 = l1_constrained(), l2_constrained()
assert np.abs(w_ols).sum() > s and np.linalg.norm(w_ols) > s, "precondition: the optimum lies outside both regions"
check(w1[1] == 0.0 and np.isclose(w1[0], s), "the L1-constrained solution sits exactly on the corner (s, 0): w_2 = 0")
bind("geom_l1_w2", w1[1])
check(bool(np.all(np.abs(w2) > 0.1)), "the L2-constrained solution has both coordinates clearly non-zero")
# Brute-force confirmation on a fine grid of the boundaries.
th = np.linspace(0, 2 * np.pi, 200_001)
circle = s * np.c_[np.cos(th), np.sin(th)]
check_close(
    quad(w2),
    np.min(np.einsum("ij,jk,ik->i", circle - w_ols, A, circle - w_ols)),
    "L2 solution = brute-force minimum on the circle",
    rtol=1e-6,
)
diamond = s * np.c_[np.cos(th), np.sin(th)] / (np.abs(np.cos(th)) + np.abs(np.sin(th)))[:, None]
check(
    quad(w1) <= np.min(np.einsum("ij,jk,ik->i", diamond - w_ols, A, diamond - w_ols)) + 1e-12,
    "L1 solution = brute-force minimum on the diamond",
)

g1 = np.linspace(-1.6, 2.6, 300)
W1, W2 = np.meshgrid(g1, g1)
P = np.stack([W1 - w_ols[0], W2 - w_ols[1]], axis=-1)
Z = np.einsum("...i,ij,...j->...", P, A, P)

fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.4))
regions = [
    (np.array([[s, 0], [0, s], [-s, 0], [0, -s]]), w1, r"L1: $|w_1| + |w_2| \leq s$"),
    (circle[::2000], w2, r"L2: $w_1^2 + w_2^2 \leq s^2$"),
]
for ax, (poly, w_star, title) in zip(axes, regions, strict=False):
    ax.fill(poly[:, 0], poly[:, 1], alpha=0.25, color="C0", label="constraint region")
    ax.contour(W1, W2, Z, levels=quad(w_star) * np.array([0.1, 0.35, 0.7]), colors="0.55", linewidths=0.8)
    ax.contour(W1, W2, Z, levels=[quad(w_star)], colors="C3", linewidths=1.6)
    ax.plot(*w_ols, "k+", ms=10, mew=2, label="least squares")
    ax.plot(*w_star, "o", color="C3", ms=7, label="constrained optimum")
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_aspect("equal")
    ax.set_xlim(-1.5, 2.5)
    ax.set_ylim(-1.5, 2.5)
    _ = ax.set_xlabel(r"$w_1$")
    _ = ax.set_title(title, fontsize=10)
_ = axes[0].set_ylabel(r"$w_2$")
handles, labels = axes[0].get_legend_handles_labels()
_ = fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, bbox_to_anchor=(0.5, -0.08))
fig.suptitle("Loss contours first touch the diamond at a corner", y=1.02)
save_figure(fig, "geometry")

# %% [markdown]
# ## Elastic net objective scaling
#
# scikit-learn's `ElasticNet(alpha, l1_ratio)` minimises $\frac{1}{2n}\lVert \mathbf{y}-\mathbf{X}\mathbf{w}\rVert_2^2 + \alpha r\lVert\mathbf{w}\rVert_1 + \frac{\alpha(1-r)}{2}\lVert\mathbf{w}\rVert_2^2$ with $r$ = `l1_ratio`.
# Multiplying by $2n$ gives $\lVert \mathbf{y}-\mathbf{X}\mathbf{w}\rVert_2^2 + \lambda_1\lVert\mathbf{w}\rVert_1 + \lambda_2\lVert\mathbf{w}\rVert_2^2$ with $\lambda_1 = 2n\alpha r$ and $\lambda_2 = n\alpha(1-r)$.
# For the orthonormal design the (naive elastic net) minimiser is $\operatorname{sign}(z_j)\max(\lvert z_j\rvert - \lambda_1/2, 0)/(1+\lambda_2)$: soft-threshold, then shrink.

# %%
alpha_en, r = 0.02, 0.5
lam1, lam2 = 2 * n_o * alpha_en * r, n_o * alpha_en * (1 - r)
en = ElasticNet(alpha=alpha_en, l1_ratio=r, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X_o, y_o)
check_close(
    en.coef_,
    np.sign(z) * np.maximum(np.abs(z) - lam1 / 2, 0) / (1 + lam2),
    "elastic net on an orthonormal design = soft-threshold then divide by (1 + lambda_2)",
    atol=1e-9,
)
