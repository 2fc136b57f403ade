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
# The checks test the page's claims: the train/validation gap of a flexible model shrinks as $n$ grows, validation error is U-shaped in complexity, a ridge penalty repairs an over-flexible model, early stopping picks the boosting iteration that minimises validation loss, and scikit-learn's built-in rule returns a model with trees past the best.
# They also test the derivation by simulation: the optimism of the training error is $2\sigma^2 p / n$ for least squares and $2\sigma^2\operatorname{tr}(\mathbf{H}_\lambda)/n$ for ridge, even a correctly specified least-squares fit has training error $\sigma^2(1 - p/n)$ below the noise floor, and gradient descent stopped after $T$ steps is close to ridge with $\lambda = 1/(\eta T)$.
# Two caveats of the page are checked too: near the interpolation threshold more data can raise the test error, and for $k$-NN with fixed $k$ more data lowers the bias.

# %%
import numpy as np
import matplotlib.pyplot as plt
from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import KFold, ShuffleSplit, learning_curve, train_test_split, validation_curve
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## Data for the curves
#
# $y = \sin(2\pi x) + \varepsilon$ with $x \sim \mathcal{U}(0, 1)$ and $\varepsilon \sim \mathcal{N}(0, \sigma^2)$, $\sigma = 0.3$, so no model can beat a mean squared error of $\sigma^2 = 0.09$ on new data.
# The model is a polynomial of a given degree fitted by least squares ($x$ is standardised before the expansion and the powers after it, which keeps the least-squares problem well conditioned).

# %%
sigma = 0.3
bind("sigma_curve", sigma)
bind("noise_var_curve", sigma**2)
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
n_lc_splits, lc_degree = 30, 9
cv_lc = ShuffleSplit(n_splits=n_lc_splits, test_size=80, random_state=0)
sizes_used, tr_scores, va_scores = learning_curve(
    poly_model(lc_degree), X, y, train_sizes=sizes, cv=cv_lc, scoring="neg_mean_squared_error"
)
# Medians over the 30 splits: with 15 points a few fits explode, and the mean would be dominated by them.
tr_mse = np.median(-tr_scores, axis=1)
va_mse = np.median(-va_scores, axis=1)
gap = va_mse - tr_mse
for s_, a_, b_ in zip(sizes_used, tr_mse, va_mse, strict=False):
    print(f"n = {s_:3d}: training MSE {a_:.3f}, validation MSE {b_:.3f}")

check(gap[-1] < 0.1 * gap[0], "the validation-minus-training gap at n = 320 is under a tenth of the gap at n = 15")
check(bool(np.all(np.diff(gap) < 0)), "the gap shrinks at every step as n grows")
check(
    tr_mse[0] < sigma**2 < va_mse[0],
    "with n = 15 the training error is below the noise floor and the validation error above it",
)
check_close(
    [tr_mse[-1], va_mse[-1]], [sigma**2, sigma**2], "at n = 320 both errors are within 20 % of sigma^2 = 0.09", rtol=0.2
)
check(tr_mse[0] < 0.5 * sigma**2, "with n = 15 the training error is far (more than half) below the noise floor")
for name, value in [
    ("lc_degree", lc_degree),
    ("lc_splits", n_lc_splits),
    ("n_small", sizes_used[0]),
    ("n_large", sizes_used[-1]),
    ("tr_n15", tr_mse[0]),
    ("va_n15", va_mse[0]),
    ("tr_n320", tr_mse[-1]),
    ("va_n320", va_mse[-1]),
]:
    bind(name, value)

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
bind("n_vc", len(y40))
bind("vc_folds", cv5.get_n_splits())
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

check(3 <= best_degree <= 8, f"validation error is minimised at an intermediate degree ({best_degree})")
check(
    va_d[0] > 2 * va_d.min() and va_d[-1] > 2 * va_d.min(),
    "validation error at degrees 1 and 15 is more than twice the minimum (underfit and overfit)",
)
check(va_l.min() < 0.5 * va_d[-1], "a tuned ridge penalty more than halves the validation error of the degree-15 model")
check(va_l[-1] > 2 * va_l.min(), "too large a penalty underfits: validation error rises again")
for name, value in [
    ("best_degree", best_degree),
    ("va_best_degree", va_d.min()),
    ("max_degree", degrees[-1]),
    ("va_max_degree", va_d[-1]),
    ("best_lambda", best_lambda),
    ("va_ridge", va_l.min()),
]:
    bind(name, value)

fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.5), sharey=True)
axes[0].plot(degrees, tr_d, "o-", ms=3, label="training")
axes[0].plot(degrees, va_d, "o-", ms=3, label="validation")
axes[0].axvline(best_degree, color="C3", ls="--", lw=1)
_ = axes[0].set_xlabel("polynomial degree")
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
M, gb_depth = 1000, 3
bind("n_trees", M)
bind("gb_depth", gb_depth)
gb = GradientBoostingRegressor(n_estimators=M, learning_rate=0.1, max_depth=gb_depth, random_state=0).fit(Xf_tr, yf_tr)
staged_va = np.array([np.mean((p - yf_va) ** 2) for p in gb.staged_predict(Xf_va)])
staged_tr = np.array([np.mean((p - yf_tr) ** 2) for p in gb.staged_predict(Xf_tr)])
m_star = int(np.argmin(staged_va)) + 1  # number of trees, counting from 1
print(f"validation MSE: minimum {staged_va[m_star - 1]:.2f} at M* = {m_star} trees, {staged_va[-1]:.2f} after {M}")

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
test_stopped = np.mean((stopped.predict(Xf_te) - yf_te) ** 2)
test_full = np.mean((gb.predict(Xf_te) - yf_te) ** 2)
print(f"test MSE: early-stopped {test_stopped:.2f}, all {M} trees {test_full:.2f}")
check(test_stopped < test_full, "on untouched test data the early-stopped model beats the full model")
for name, value in [
    ("m_star", m_star),
    ("va_best_gb", staged_va[m_star - 1]),
    ("va_full_gb", staged_va[-1]),
    ("tr_full_gb", staged_tr[-1]),
    ("test_stopped", test_stopped),
    ("test_full", test_full),
]:
    bind(name, value)

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
# Stage m of a boosted model does not depend on n_estimators, so the shadow needs only enough stages to see the stop.
n_shadow = 300
shadow = GradientBoostingRegressor(n_estimators=n_shadow, learning_rate=0.1, max_depth=3, random_state=0)
shadow.fit(X_in, y_in)
hold_loss = np.array([np.mean((p - y_hold) ** 2) for p in shadow.staged_predict(X_hold)])
stop = next(i for i in range(k_patience, n_shadow) if np.all(hold_loss[i] >= hold_loss[i - k_patience : i])) + 1
best_hold = int(np.argmin(hold_loss[:stop])) + 1
print(f"built-in early stopping kept {auto.n_estimators_} trees; the best held-out loss was at {best_hold}")
check(auto.n_estimators_ == stop, "n_estimators_ equals the stage where the replicated stopping rule fires")
check(auto.n_estimators_ > best_hold, "the built-in rule keeps trees fitted after the best validation stage")
# The returned model predicts like the shadow model after all `stop` trees, not like the best stage.
pred_stop = list(shadow.staged_predict(X_hold))[stop - 1]
check_close(auto.predict(X_hold), pred_stop, "the returned model is the one with every fitted tree", rtol=1e-10)
check(
    np.mean((auto.predict(X_hold) - y_hold) ** 2) > hold_loss[best_hold - 1],
    "so its held-out loss is worse than at the best stage",
)
for name, value in [
    ("patience", k_patience),
    ("auto_trees", auto.n_estimators_),
    ("best_hold", best_hold),
    ("extra_trees", auto.n_estimators_ - best_hold),
    ("val_fraction", auto.validation_fraction),
    ("auto_tol", auto.tol),
]:
    bind(name, value)

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
# We check it by Monte Carlo with $n = 40$, $p = 6$, $\sigma = 1$ and 20 000 noise draws (tolerance: 4 standard errors): the covariance sum $\sum_i \operatorname{Cov}(\hat{y}_i, y_i)$ estimated from the draws against $\sigma^2 p$, the optimism against $2\sigma^2 p/n$, and for ridge the optimism against $2\sigma^2 \operatorname{tr}(\mathbf{H}_\lambda)/n$ with $\operatorname{tr}(\mathbf{H}_\lambda) = \sum_j \delta_j^2/(\delta_j^2 + \lambda)$ ($\delta_j$ the singular values of $\mathbf{X}$).

# %%
n_o, p_o, sig_o, reps = 40, 6, 1.0, 20_000
X_o = rng.normal(size=(n_o, p_o))
f_o = np.sin(X_o[:, 0]) + X_o[:, 1] ** 2  # any fixed mean function
H = X_o @ np.linalg.solve(X_o.T @ X_o, X_o.T)
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
# Step 5 without the trace identity: sum_i Cov(y_hat_i, y_i) estimated across the noise draws.
cov_terms = np.sum((Y_hat - Y_hat.mean(axis=1, keepdims=True)) * (Y - Y.mean(axis=1, keepdims=True)), axis=0)
se_cov = cov_terms.std(ddof=1) / np.sqrt(reps)
check_close(
    cov_terms.mean() * reps / (reps - 1), sig_o**2 * p_o, "sum_i Cov(y_hat_i, y_i) = sigma^2 p", atol=4 * se_cov
)

# Even a correctly specified least-squares fit has expected training error sigma^2 (1 - p/n) < sigma^2 (ESL eq. 3.8).
beta_o = rng.normal(size=p_o)
Y_ws = (X_o @ beta_o)[:, None] + sig_o * rng.normal(size=(n_o, reps))
train_ws = np.mean((Y_ws - H @ Y_ws) ** 2, axis=0)
check_close(
    train_ws.mean(),
    sig_o**2 * (1 - p_o / n_o),
    "well-specified OLS: mean training MSE = sigma^2 (1 - p/n), below the noise floor",
    atol=4 * train_ws.std(ddof=1) / np.sqrt(reps),
)
bind("ws_train_ratio", train_ws.mean() / sig_o**2)
bind("ws_p", p_o)
bind("ws_n", n_o)

lam_o = 5.0
H_ridge = X_o @ np.linalg.solve(X_o.T @ X_o + lam_o * np.eye(p_o), X_o.T)
delta_sv = np.linalg.svd(X_o, compute_uv=False)
df_ridge = np.sum(delta_sv**2 / (delta_sv**2 + lam_o))
check_close(
    np.trace(H_ridge),
    df_ridge,
    "ridge effective degrees of freedom tr(H_lambda) = sum delta_j^2 / (delta_j^2 + lambda)",
    rtol=1e-10,
)
Y_hat_r = H_ridge @ Y
opt_r = np.mean((Y_fresh - Y_hat_r) ** 2, axis=0) - np.mean((Y - Y_hat_r) ** 2, axis=0)
check_close(
    opt_r.mean(),
    2 * sig_o**2 * df_ridge / n_o,
    "ridge optimism = 2 sigma^2 tr(H_lambda) / n (Monte Carlo)",
    atol=4 * opt_r.std(ddof=1) / np.sqrt(reps),
)
check(opt_r.mean() + 4 * opt_r.std(ddof=1) / np.sqrt(reps) < optimism.mean(), "ridge's optimism is smaller than OLS's")

# %% [markdown]
# ## Early stopping of gradient descent acts like ridge
#
# Gradient descent on $\frac{1}{2}\lVert \mathbf{y} - \mathbf{X}\mathbf{w} \rVert_2^2$ from $\mathbf{w} = \mathbf{0}$ with step $\eta$ multiplies the least-squares coordinate along the $j$-th right singular vector by $1 - (1 - \eta \delta_j^2)^T$ after $T$ steps; ridge with penalty $\frac{\lambda}{2}\lVert \mathbf{w} \rVert_2^2$ multiplies it by $\delta_j^2 / (\delta_j^2 + \lambda)$.
# We run the iteration and compare it with the formula, then compare the early-stopped weights with scikit-learn's `Ridge(alpha=1/(eta T))`: the page's $\lambda \approx 1/(\eta T)$ must fit them better than a ten times smaller or larger $\lambda$.

# %%
U, delta_sv, Vt = np.linalg.svd(X_o, full_matrices=False)
y_o = f_o + sig_o * rng.normal(size=n_o)
w_ols = np.linalg.lstsq(X_o, y_o, rcond=None)[0]


def gradient_descent(eta, n_steps):
    w = np.zeros(p_o)
    for _ in range(n_steps):
        w = w + eta * X_o.T @ (y_o - X_o @ w)
    return w


eta, T = 0.5 / delta_sv.max() ** 2, 30
w_gd = gradient_descent(eta, T)
gd_filter = 1 - (1 - eta * delta_sv**2) ** T
check_close(
    Vt @ w_gd,
    gd_filter * (Vt @ w_ols),
    "after T steps, gradient descent = OLS coordinates times 1 - (1 - eta delta_j^2)^T",
    rtol=1e-9,
    atol=1e-12,
)
# Early stopping against scikit-learn's ridge, in the regime of the page's approximation (eta T delta_j^2 <= 0.2 for
# every direction, i.e. stopped early): relative distance of the weights for lambda = c / (eta T).
eta_e, T_e = 0.01 / delta_sv.max() ** 2, 20
w_early = gradient_descent(eta_e, T_e)
rel = {}
for c in (0.1, 1.0, 10.0):
    w_r = Ridge(alpha=c / (eta_e * T_e), fit_intercept=False).fit(X_o, y_o).coef_
    rel[c] = np.linalg.norm(w_early - w_r) / np.linalg.norm(w_early)
print("relative distance to ridge with lambda = c/(eta T):", {c: round(v, 3) for c, v in rel.items()})
check(rel[1.0] < rel[0.1] and rel[1.0] < rel[10.0], "early stopping is closest to ridge with lambda = 1/(eta T)")
check(
    rel[1.0] < 0.15,
    f"and within {100 * rel[1.0]:.0f}% of it (the factors 1 - e^(-x) and x/(1+x) differ by < 10% for x <= 0.2)",
)

# %% [markdown]
# ## More data: when it does not help, and when it lowers the bias
#
# Near the interpolation threshold ($n$ close to the number of parameters) the minimum-norm least-squares fit is very unstable, and adding examples can raise the test error (sample-wise double descent; Nakkiran et al., 2020).
# With $d = 50$ features we compare the median test error over 200 training sets at $n = 30$ and $n = 48$.
# Then $k$-NN with fixed $k = 5$: its bias (averaged over the input range, from 200 training sets) falls as $n$ grows, because the neighbours get closer.

# %%
rng_dd = np.random.default_rng(3)
d_dd, sig_dd, reps_dd = 50, 0.5, 200
w_true = rng_dd.normal(size=d_dd)
w_true /= np.linalg.norm(w_true)
X_dd_test = rng_dd.normal(size=(2000, d_dd))
med_err = {}
for n_dd in (30, 48):
    errs = []
    for _ in range(reps_dd):
        X_dd = rng_dd.normal(size=(n_dd, d_dd))
        y_dd = X_dd @ w_true + sig_dd * rng_dd.normal(size=n_dd)
        errs.append(np.mean((X_dd_test @ (np.linalg.pinv(X_dd) @ y_dd - w_true)) ** 2))
    med_err[n_dd] = np.median(errs)
check(
    med_err[48] > 2 * med_err[30],
    f"min-norm least squares, d = 50: median test error {med_err[30]:.2f} at n = 30, {med_err[48]:.2f} at n = 48",
)
bind("dd_d", d_dd)
bind("dd_n_small", 30)
bind("dd_n_large", 48)
bind("dd_err_small", med_err[30])
bind("dd_err_large", med_err[48])

x_grid = np.linspace(0.05, 0.95, 50)
bias_sq = {}
reps_knn = 200
for n_knn in (20, 200):
    preds = []
    for _ in range(reps_knn):
        x_k = (np.arange(n_knn) + rng_dd.uniform(size=n_knn)) / n_knn
        y_k = np.sin(2 * np.pi * x_k) + 0.3 * rng_dd.normal(size=n_knn)
        preds.append(KNeighborsRegressor(n_neighbors=5).fit(x_k[:, None], y_k).predict(x_grid[:, None]))
    preds = np.array(preds)
    # squared bias of the mean prediction, minus the Monte Carlo variance of that mean
    bias_sq[n_knn] = np.mean(
        (preds.mean(axis=0) - np.sin(2 * np.pi * x_grid)) ** 2 - preds.var(axis=0, ddof=1) / reps_knn
    )
check(
    bias_sq[200] < 0.25 * bias_sq[20],
    f"k-NN, k = 5: squared bias {bias_sq[20]:.4f} at n = 20, {bias_sq[200]:.5f} at n = 200",
)
