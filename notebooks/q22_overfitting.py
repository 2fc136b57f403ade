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
# # Detecting and preventing overfitting: learning curves, validation curves, early stopping
#
# The figures show a learning curve (training and validation error against the number of training examples), validation curves (error against model complexity and against the ridge penalty), and the validation loss of gradient boosting as trees are added.
# The checks prove the page's claims: the train/validation gap of a flexible model shrinks as $n$ grows, training error never increases with complexity while validation error is U-shaped, a ridge penalty repairs an over-flexible model, and early stopping picks the boosting iteration that minimises validation loss.
# They also verify the derivation: the optimism of the training error is $2\sigma^2 p / n$ for least squares, and gradient descent stopped after $\tau$ steps shrinks like ridge with $\lambda \approx 1/(\eta\tau)$.

# %%
import numpy as np
import matplotlib.pyplot as plt
from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import KFold, ShuffleSplit, learning_curve, train_test_split, validation_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from handbook_nb import check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## Data for the curves
#
# $y = \sin(2\pi x) + \varepsilon$ with $x \sim \mathcal{U}(0, 1)$ and $\varepsilon \sim \mathcal{N}(0, \sigma^2)$, $\sigma = 0.3$, so no model can beat a mean squared error of $\sigma^2 = 0.09$ on new data.
# The model is a polynomial of degree $p$ fitted by least squares ($x$ is standardised before the expansion and the powers after it, which keeps the least-squares problem well conditioned).

# %%
sigma = 0.3
n_pool = 400
x = rng.uniform(0, 1, n_pool)
y = np.sin(2 * np.pi * x) + rng.normal(scale=sigma, size=n_pool)
X = x.reshape(-1, 1)


def poly_model(degree, alpha=None):
    reg = LinearRegression() if alpha is None else Ridge(alpha=alpha)
    return make_pipeline(StandardScaler(), PolynomialFeatures(degree, include_bias=False), StandardScaler(), reg)


# %% [markdown]
# ## Learning curve: a flexible model (degree 9) with more and more data
#
# `learning_curve` refits the model on growing subsets of each training split and scores it on the held-out split.
# With few examples the degree-9 polynomial fits the training points closely and fails on new ones (a large gap: high variance); as $n$ grows both errors approach the noise floor $\sigma^2$.

# %%
sizes = np.array([15, 20, 30, 50, 80, 130, 200, 320])
cv_lc = ShuffleSplit(n_splits=30, test_size=80, random_state=0)
sizes_used, tr_scores, va_scores = learning_curve(
    poly_model(9), X, y, train_sizes=sizes, cv=cv_lc, scoring="neg_mean_squared_error"
)
# Medians over the 30 splits: with 15 points a few fits explode, and the mean would be dominated by them.
tr_mse = np.median(-tr_scores, axis=1)
va_mse = np.median(-va_scores, axis=1)
gap = va_mse - tr_mse
for s_, a_, b_ in zip(sizes_used, tr_mse, va_mse, strict=False):
    print(f"n = {s_:3d}: training MSE {a_:.3f}, validation MSE {b_:.3f}")

check(bool(np.all(sizes_used == sizes)), "learning_curve used the requested training-set sizes")
check(gap[-1] < 0.1 * gap[0], "the validation-minus-training gap at n = 320 is under a tenth of the gap at n = 15")
check(bool(np.all(np.diff(gap) < 0)), "the gap shrinks at every step as n grows")
check(
    tr_mse[0] < sigma**2 < va_mse[0],
    "with n = 15 the training error is below the noise floor and the validation error above it",
)
check_close(
    [tr_mse[-1], va_mse[-1]], [sigma**2, sigma**2], "at n = 320 both errors are within 20 % of sigma^2 = 0.09", rtol=0.2
)
check_close(
    np.round([tr_mse[0], va_mse[0], tr_mse[-1], va_mse[-1]], 3),
    [0.025, 6.789, 0.088, 0.095],
    "page numbers: 0.025 / 6.789 at n = 15 and 0.088 / 0.095 at n = 320",
    atol=1e-9,
)

fig, ax = plt.subplots()
ax.plot(sizes_used, tr_mse, "o-", label="training error")
ax.plot(sizes_used, va_mse, "o-", label="validation error")
ax.axhline(sigma**2, color="k", ls="--", lw=1, label=r"noise floor $\sigma^2$")
ax.set_xscale("log")
ax.set_yscale("log")
ax.xaxis.set_minor_locator(plt.NullLocator())
_ = ax.set_xticks(sizes, [str(s_) for s_ in sizes])
_ = ax.set_xlabel("number of training examples $n$ (log scale)")
_ = ax.set_ylabel("mean squared error (log scale)")
_ = ax.set_title("Learning curve of a degree-9 polynomial")
_ = ax.legend(fontsize=9)
save_figure(fig, "learning-curves")

# %% [markdown]
# ## Validation curves: complexity and regularisation strength
#
# With $n = 40$ examples, `validation_curve` varies one hyperparameter and reports 5-fold training and validation error.
# Left: the polynomial degree (least squares); the models are nested, so training error can only fall as the degree grows, while validation error falls and then rises.
# Right: degree 15 with a ridge penalty $\lambda$ (scikit-learn's `alpha`); increasing $\lambda$ trades a little training error for a large fall in validation error, until it underfits.

# %%
X40, y40 = X[:40], y[:40]
cv5 = KFold(n_splits=5, shuffle=True, random_state=0)
degrees = np.arange(1, 16)
tr_d, va_d = validation_curve(
    poly_model(1),
    X40,
    y40,
    param_name="polynomialfeatures__degree",
    param_range=degrees,
    cv=cv5,
    scoring="neg_mean_squared_error",
)
tr_d, va_d = -tr_d.mean(axis=1), -va_d.mean(axis=1)
lambdas = np.geomspace(1e-8, 1e2, 21)
tr_l, va_l = validation_curve(
    poly_model(15, alpha=1.0),
    X40,
    y40,
    param_name="ridge__alpha",
    param_range=lambdas,
    cv=cv5,
    scoring="neg_mean_squared_error",
)
tr_l, va_l = -tr_l.mean(axis=1), -va_l.mean(axis=1)
best_degree = degrees[np.argmin(va_d)]
best_lambda = lambdas[np.argmin(va_l)]
print(f"best degree {best_degree} (validation MSE {va_d.min():.3f}); degree 15: {va_d[-1]:.3f}")
print(f"degree 15 with ridge: best lambda {best_lambda:.2g}, validation MSE {va_l.min():.3f}")

check(
    bool(np.all(np.diff(tr_d) <= 1e-9)),
    "training error never increases with the polynomial degree (nested least-squares models)",
)
check(3 <= best_degree <= 8, f"validation error is minimised at an intermediate degree ({best_degree})")
check(
    va_d[0] > 2 * va_d.min() and va_d[-1] > 2 * va_d.min(),
    "validation error at degrees 1 and 15 is more than twice the minimum (underfit and overfit)",
)
check(bool(np.all(np.diff(tr_l) >= -1e-9)), "ridge training error never decreases as lambda grows")
check(va_l.min() < 0.5 * va_d[-1], "a tuned ridge penalty more than halves the validation error of the degree-15 model")
check(va_l[-1] > 2 * va_l.min(), "too large a penalty underfits: validation error rises again")
check(
    best_degree == 3 and np.isclose(best_lambda, lambdas[15]) and np.isclose(lambdas[15], np.sqrt(0.1)),
    "page numbers: best degree 3, best ridge lambda 10^(-0.5) = 0.32",
)
check_close(
    np.round([va_d.min(), va_d[-1], va_l.min()], 2),
    [0.13, 2.44, 0.15],
    "page numbers: validation MSE 0.13 (degree 3), 2.44 (degree 15), 0.15 (degree 15 with ridge)",
    atol=1e-9,
)

fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.5), sharey=True)
axes[0].plot(degrees, tr_d, "o-", ms=3, label="training")
axes[0].plot(degrees, va_d, "o-", ms=3, label="validation")
axes[0].axvline(best_degree, color="C3", ls="--", lw=1)
_ = axes[0].set_xlabel("polynomial degree $p$")
_ = axes[0].set_title("Complexity", fontsize=10)
axes[1].plot(lambdas, tr_l, "o-", ms=3, label="training")
axes[1].plot(lambdas, va_l, "o-", ms=3, label="validation")
axes[1].axvline(best_lambda, color="C3", ls="--", lw=1, label="lowest validation error")
axes[1].set_xscale("log")
_ = axes[1].set_xlabel(r"ridge penalty $\lambda$ (degree 15)")
_ = axes[1].set_title("Regularisation", fontsize=10)
for ax in axes:
    ax.axhline(sigma**2, color="k", ls=":", lw=1)
    ax.set_yscale("log")
_ = axes[0].set_ylabel("mean squared error (log scale)")
handles, labels = axes[1].get_legend_handles_labels()
_ = fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9, bbox_to_anchor=(0.5, -0.16))
fig.suptitle("Validation curves (n = 40, 5-fold CV)", y=1.02)
save_figure(fig, "validation-curves")

# %% [markdown]
# ## Early stopping for gradient boosting
#
# Friedman's first benchmark function with noise standard deviation 3 ($n = 600$: half for training, a quarter for validation, a quarter for testing).
# Gradient boosting with 1000 trees of depth 3 and learning rate 0.1; `staged_predict` gives the predictions after each stage, so one fit yields the whole validation-loss curve.
# Early stopping keeps the number of trees $M^\ast = \operatorname*{arg\,min}_M$ (validation MSE after $M$ trees).

# %%
Xf, yf = make_friedman1(n_samples=600, noise=3.0, random_state=0)
Xf_tr, Xf_rest, yf_tr, yf_rest = train_test_split(Xf, yf, test_size=0.5, random_state=0)
Xf_va, Xf_te, yf_va, yf_te = train_test_split(Xf_rest, yf_rest, test_size=0.5, random_state=0)
M = 1000
gb = GradientBoostingRegressor(n_estimators=M, learning_rate=0.1, max_depth=3, random_state=0).fit(Xf_tr, yf_tr)
staged_va = np.array([np.mean((p - yf_va) ** 2) for p in gb.staged_predict(Xf_va)])
staged_tr = np.array([np.mean((p - yf_tr) ** 2) for p in gb.staged_predict(Xf_tr)])
m_star = int(np.argmin(staged_va)) + 1  # number of trees, counting from 1
print(f"validation MSE: minimum {staged_va[m_star - 1]:.2f} at M* = {m_star} trees, {staged_va[-1]:.2f} after {M}")

check(
    bool(np.all(np.diff(staged_tr) <= 1e-9)),
    "training MSE never increases as trees are added (squared loss, shrinkage <= 1)",
)
check(
    staged_va[-1] > 1.1 * staged_va[m_star - 1],
    "after all 1000 trees the validation MSE is more than 10 % above its minimum",
)
check(m_star < M // 2, "the validation minimum comes well before the last tree")
check(
    staged_tr[-1] < 0.02 * staged_tr[0],
    f"training MSE falls towards 0 (from {staged_tr[0]:.1f} after 1 tree to {staged_tr[-1]:.3f} after {M})",
)

stopped = GradientBoostingRegressor(n_estimators=m_star, learning_rate=0.1, max_depth=3, random_state=0).fit(
    Xf_tr, yf_tr
)
check_close(
    np.mean((stopped.predict(Xf_va) - yf_va) ** 2),
    staged_va.min(),
    "refitting with M* trees reproduces the minimum validation MSE (early stopping = truncation at the argmin)",
    rtol=1e-10,
)
test_stopped = np.mean((stopped.predict(Xf_te) - yf_te) ** 2)
test_full = np.mean((gb.predict(Xf_te) - yf_te) ** 2)
print(f"test MSE: early-stopped {test_stopped:.2f}, all {M} trees {test_full:.2f}")
check(test_stopped < test_full, "on untouched test data the early-stopped model beats the full model")
check(m_star == 101, "page numbers: the validation minimum is at M* = 101 trees")
check_close(
    np.round([staged_va[m_star - 1], staged_va[-1], test_stopped, test_full], 2),
    [10.06, 11.41, 13.25, 14.20],
    "page numbers: validation 10.06 vs 11.41, test 13.25 vs 14.20",
    atol=1e-9,
)

# %% [markdown]
# ## scikit-learn's built-in early stopping keeps the trees it has fitted
#
# With `n_iter_no_change=k`, scikit-learn holds out `validation_fraction` of the training data and stops at the first stage whose validation loss is not lower than any of the previous $k$ stages' losses (with `tol=0`).
# It does not roll back to the best stage: `n_estimators_` counts every tree fitted, so the model carries the last few non-improving trees.
# We replicate the rule from the staged losses and check the number of trees it keeps.

# %%
k_patience = 10
auto = GradientBoostingRegressor(
    n_estimators=M,
    learning_rate=0.1,
    max_depth=3,
    random_state=0,
    n_iter_no_change=k_patience,
    validation_fraction=0.2,
    tol=0.0,
).fit(Xf_tr, yf_tr)
X_in, X_hold, y_in, y_hold = train_test_split(Xf_tr, yf_tr, test_size=0.2, random_state=0)  # the split sklearn makes
shadow = GradientBoostingRegressor(n_estimators=M, learning_rate=0.1, max_depth=3, random_state=0).fit(X_in, y_in)
hold_loss = np.array([np.mean((p - y_hold) ** 2) for p in shadow.staged_predict(X_hold)])
stop = next(i for i in range(k_patience, M) if np.all(hold_loss[i] >= hold_loss[i - k_patience : i])) + 1
best_hold = int(np.argmin(hold_loss[:stop])) + 1
print(f"built-in early stopping kept {auto.n_estimators_} trees; the best held-out loss was at {best_hold}")
check(auto.n_estimators_ == stop, "n_estimators_ equals the stage where the replicated stopping rule fires")
check(auto.n_estimators_ > best_hold, "the built-in rule keeps trees fitted after the best validation stage")
check(auto.n_estimators_ == 54 and best_hold == 47, "page numbers: 54 trees kept, best held-out stage 47")

# %% [markdown]
# ## Figure: training and validation loss against the number of trees

# %%
fig, ax = plt.subplots()
stages = np.arange(1, M + 1)
ax.plot(stages, staged_tr, label="training MSE")
ax.plot(stages, staged_va, label="validation MSE")
ax.axvline(m_star, color="C3", ls="--", lw=1.2, label=rf"early stop: $M^\ast$ = {m_star}")
ax.plot([m_star], [staged_va[m_star - 1]], "o", color="C3")
ax.set_xscale("log")
_ = ax.set_ylim(0, staged_va.max() * 1.05 if staged_va.max() < 40 else 40)
_ = ax.set_xlabel("number of trees $M$ (log scale)")
_ = ax.set_ylabel("mean squared error")
_ = ax.set_title("Gradient boosting: stop where validation loss is lowest")
_ = ax.legend(fontsize=9)
save_figure(fig, "early-stopping")

# %% [markdown]
# ## The optimism of the training error
#
# For a linear smoother $\hat{\mathbf{y}} = \mathbf{H}\mathbf{y}$ with fixed inputs, the page derives that the expected in-sample error (fresh noise at the same inputs) exceeds the expected training error by $\frac{2}{n}\sum_i \operatorname{Cov}(\hat{y}_i, y_i) = \frac{2\sigma^2}{n}\operatorname{tr}(\mathbf{H})$, which is $2\sigma^2 p / n$ for least squares with $p$ parameters.
# We check it by Monte Carlo with $n = 40$, $p = 6$, $\sigma = 1$ and 20 000 noise draws (tolerance: 4 standard errors), and check that ridge has $\operatorname{tr}(\mathbf{H}_\lambda) = \sum_j d_j^2/(d_j^2 + \lambda) < p$.

# %%
n_o, p_o, sig_o, reps = 40, 6, 1.0, 20_000
X_o = rng.normal(size=(n_o, p_o))
f_o = np.sin(X_o[:, 0]) + X_o[:, 1] ** 2  # any fixed mean function
H = X_o @ np.linalg.solve(X_o.T @ X_o, X_o.T)
check_close(np.trace(H), p_o, "tr(H) = p for least squares", rtol=1e-10)
Y = f_o[:, None] + sig_o * rng.normal(size=(n_o, reps))
Y_fresh = f_o[:, None] + sig_o * rng.normal(size=(n_o, reps))
Y_hat = H @ Y
train_err = np.mean((Y - Y_hat) ** 2, axis=0)
in_sample_err = np.mean((Y_fresh - Y_hat) ** 2, axis=0)
optimism = in_sample_err - train_err
se = optimism.std(ddof=1) / np.sqrt(reps)
print(
    f"Monte Carlo optimism {optimism.mean():.4f} +- {se:.4f}; formula 2 sigma^2 p / n = {2 * sig_o**2 * p_o / n_o:.4f}"
)
check(
    abs(optimism.mean() - 2 * sig_o**2 * p_o / n_o) < 4 * se,
    "expected in-sample error minus training error = 2 sigma^2 p / n (within 4 standard errors)",
)

lam_o = 5.0
H_ridge = X_o @ np.linalg.solve(X_o.T @ X_o + lam_o * np.eye(p_o), X_o.T)
d_sv = np.linalg.svd(X_o, compute_uv=False)
check_close(
    np.trace(H_ridge),
    np.sum(d_sv**2 / (d_sv**2 + lam_o)),
    "ridge effective degrees of freedom tr(H_lambda) = sum d_j^2 / (d_j^2 + lambda)",
    rtol=1e-10,
)
check(np.trace(H_ridge) < p_o, "ridge has fewer effective parameters than p, so a smaller optimism")

# %% [markdown]
# ## Early stopping of gradient descent acts like ridge
#
# Gradient descent on $\frac{1}{2}\lVert \mathbf{y} - \mathbf{X}\mathbf{w} \rVert_2^2$ from $\mathbf{w} = \mathbf{0}$ with step $\eta$ multiplies the least-squares coordinate along the $j$-th right singular vector by $1 - (1 - \eta d_j^2)^\tau$ after $\tau$ steps; ridge with penalty $\frac{\lambda}{2}\lVert \mathbf{w} \rVert_2^2$ multiplies it by $d_j^2 / (d_j^2 + \lambda)$.
# We run the iteration and compare it with the formula, then check that for directions with $\eta \tau d_j^2$ small both factors are close to $\eta\tau d_j^2$ when $\lambda = 1 / (\eta\tau)$.

# %%
U, d_sv, Vt = np.linalg.svd(X_o, full_matrices=False)
y_o = f_o + sig_o * rng.normal(size=n_o)
w_ols = np.linalg.lstsq(X_o, y_o, rcond=None)[0]
eta, tau = 0.5 / d_sv.max() ** 2, 30
w = np.zeros(p_o)
for _ in range(tau):
    w = w + eta * X_o.T @ (y_o - X_o @ w)
gd_filter = 1 - (1 - eta * d_sv**2) ** tau
check_close(
    Vt @ w,
    gd_filter * (Vt @ w_ols),
    "after tau steps, gradient descent = OLS coordinates times 1 - (1 - eta d_j^2)^tau",
    rtol=1e-9,
    atol=1e-12,
)
small = np.array([1.0, 2.0, 3.0])  # singular values with eta * tau * d^2 small
eta_s, tau_s = 1e-4, 20
gd_small = 1 - (1 - eta_s * small**2) ** tau_s
ridge_small = small**2 / (small**2 + 1 / (eta_s * tau_s))
check_close(
    gd_small,
    eta_s * tau_s * small**2,
    "for small eta tau d^2 the early-stopping factor is about eta tau d^2",
    rtol=0.02,
)
check_close(
    ridge_small, eta_s * tau_s * small**2, "ridge with lambda = 1/(eta tau) gives about the same factor", rtol=0.02
)
