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
# # Cross-validation on a time series: forward chaining versus shuffled k-fold
#
# The first figure draws the folds of scikit-learn's `TimeSeriesSplit` (expanding window with a gap) next to shuffled k-fold.
# The second compares three estimates of forecasting error on simulated AR(1) series: shuffled k-fold, forward chaining, and a true hold-out taken from the future.
# The checks prove that `TimeSeriesSplit` never trains on the future and honours its `gap`, that shuffled k-fold is optimistic by the factor the page derives, $\frac{2\sigma^2/(1+a)}{2\sigma_y^2(1-\overline{a^h})}$, and that the optimism disappears for a correctly specified autoregressive model.

# %%
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, TimeSeriesSplit, cross_val_score
from sklearn.neighbors import KNeighborsRegressor

from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## `TimeSeriesSplit` never trains on the future
#
# For each split we check, over many configurations, that every training index precedes every test index, that exactly `gap` samples separate the last training index from the first test index, that test blocks are contiguous, consecutive and disjoint, and that the default test size is $\lfloor n / (\text{n\_splits} + 1) \rfloor$.
# With `max_train_size` set, the window rolls instead of expanding.

# %%
from collections import Counter
from itertools import product

grid = list(product([30, 97, 500], [2, 3, 5], [0, 1, 3], [None, 10]))
violations = Counter()  # property -> number of (configuration, split) pairs that break it
for n_samples, n_splits, gap, max_train in grid:
    cv = TimeSeriesSplit(n_splits=n_splits, gap=gap, max_train_size=max_train)
    folds = list(cv.split(np.zeros((n_samples, 1))))
    test_size = n_samples // (n_splits + 1)
    violations["number of splits"] += len(folds) != n_splits
    previous_test_end = None
    for train, test in folds:
        violations["trains on the future"] += train.max() >= test.min()
        violations["gap"] += test.min() - train.max() - 1 != gap
        violations["contiguous"] += not np.array_equal(train, np.arange(train.min(), train.max() + 1))
        violations["contiguous"] += not np.array_equal(test, np.arange(test.min(), test.max() + 1))
        violations["test size"] += len(test) != test_size
        if max_train is None:
            violations["window"] += train.min() != 0  # expands from the start
        else:
            violations["window"] += len(train) > max_train  # rolls
        if previous_test_end is not None:
            violations["consecutive"] += test.min() != previous_test_end + 1
        previous_test_end = test.max()
    violations["consecutive"] += previous_test_end != n_samples - 1  # the last block ends at the last row
n_configs = len(grid)
bind("n_configs", n_configs)
check(
    violations["trains on the future"] == 0, f"in all {n_configs} configurations no training index follows a test index"
)
check(violations["gap"] == 0, "exactly `gap` rows separate the last training index from the first test index")
check(violations["test size"] == 0, "the default test block has floor(n / (n_splits + 1)) rows")
check(violations["window"] == 0, "the window expands from the first row, or rolls to at most max_train_size rows")
check(
    violations["contiguous"] + violations["consecutive"] + violations["number of splits"] == 0,
    "n_splits contiguous, consecutive test blocks, the last ending at the last row",
)

# %% [markdown]
# ## Figure: the folds
#
# Thirty time steps, five splits, a gap of two.
# Shuffled k-fold scatters the test points through time, so the model is trained on points on both sides of each test point.

# %%
n_show, k_show, gap_show = 30, 5, 2
bind("n_show", n_show)
bind("k_show", k_show)
bind("gap_show", gap_show)
shuffled = list(KFold(n_splits=k_show, shuffle=True, random_state=0).split(np.zeros((n_show, 1))))
forward = list(TimeSeriesSplit(n_splits=k_show, gap=gap_show).split(np.zeros((n_show, 1))))

fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.4), sharey=True)
for ax, folds, title in [
    (axes[0], shuffled, "Shuffled k-fold"),
    (axes[1], forward, f"TimeSeriesSplit (gap = {gap_show})"),
]:
    for row, (train, test) in enumerate(folds):
        colours = np.full(n_show, "none", dtype=object)
        colours[train] = "C0"
        colours[test] = "C1"
        for t in range(n_show):
            if colours[t] != "none":
                ax.add_patch(plt.Rectangle((t, row + 0.1), 1, 0.8, color=colours[t], lw=0))
            elif t <= test.max():
                ax.add_patch(plt.Rectangle((t, row + 0.1), 1, 0.8, color="0.8", lw=0))
    ax.set_xlim(0, n_show)
    ax.set_ylim(k_show, 0)
    ax.grid(False)
    _ = ax.set_xlabel("time step")
    _ = ax.set_title(title, fontsize=10)
_ = axes[0].set_yticks(np.arange(k_show) + 0.5, [f"split {i + 1}" for i in range(k_show)])
legend_items = [
    Patch(color="C0", label="train"),
    Patch(color="C1", label="test"),
    Patch(color="0.8", label="gap (unused)"),
]
_ = fig.legend(handles=legend_items, loc="lower center", ncol=3, fontsize=9, bbox_to_anchor=(0.5, -0.15))
fig.suptitle("Which time steps each split trains and tests on", y=1.0)
save_figure(fig, "folds")

# %% [markdown]
# ## Simulation: AR(1) series and two models
#
# Each series follows $y_t = a y_{t-1} + \varepsilon_t$ with $a = 0.9$ and $\varepsilon_t \sim \mathcal{N}(0, \sigma^2)$, $\sigma = 1$, started from its stationary distribution $\mathcal{N}(0, \sigma_y^2)$ with $\sigma_y^2 = \sigma^2 / (1 - a^2)$.
# We observe $n = 500$ steps for training and cross-validation, and the next 100 steps are the true future.
#
# * Model A, a 1-nearest-neighbour regressor on the time index, can only exploit closeness in time: it is the extreme case of a flexible model whose features carry time information (a trend index, slowly drifting covariates, rolling statistics).
# * Model B, linear regression on the lag $y_{t-1}$, is the correctly specified AR(1) forecaster.
#
# For model A the page derives the expected errors: a shuffled test point has a training neighbour one step away, so its squared error is about $\mathbb{E}[(y_t - y_{t-1})^2] = 2\sigma^2/(1+a)$; a forecast $h$ steps past the end of training is the last observed value, with error $2\sigma_y^2(1 - a^h)$.

# %%
phi, sigma, n_obs, n_future, n_rep, k = 0.9, 1.0, 500, 100, 100, 5
var_y = sigma**2 / (1 - phi**2)


def simulate_ar1(length, rng):
    y = np.empty(length)
    y[0] = rng.normal(scale=np.sqrt(var_y))
    eps = rng.normal(scale=sigma, size=length)
    for t in range(1, length):
        y[t] = phi * y[t - 1] + eps[t]
    return y


def mse_estimates(model, X_all, y_all):
    """Shuffled k-fold, forward-chaining and future hold-out MSE for one series."""
    X_obs, y_obs = X_all[:n_obs], y_all[:n_obs]
    scoring = "neg_mean_squared_error"
    shuffled_mse = -cross_val_score(
        model, X_obs, y_obs, cv=KFold(k, shuffle=True, random_state=0), scoring=scoring
    ).mean()
    forward_mse = -cross_val_score(model, X_obs, y_obs, cv=TimeSeriesSplit(k), scoring=scoring).mean()
    fitted = model.fit(X_obs, y_obs)
    future_mse = np.mean((fitted.predict(X_all[n_obs:]) - y_all[n_obs:]) ** 2)
    return shuffled_mse, forward_mse, future_mse


k_nn = 1  # model A: the single nearest neighbour in time
results = {"A": [], "B": []}
for _ in range(n_rep):
    series = simulate_ar1(n_obs + n_future + 1, rng)
    y_all = series[1:]  # targets y_1 .. y_600
    time_index = np.arange(len(y_all), dtype=float).reshape(-1, 1)
    lag = series[:-1].reshape(-1, 1)  # y_{t-1} for each target
    results["A"].append(mse_estimates(KNeighborsRegressor(n_neighbors=k_nn), time_index, y_all))
    results["B"].append(mse_estimates(LinearRegression(), lag, y_all))
mean_A = np.mean(results["A"], axis=0)
mean_B = np.mean(results["B"], axis=0)
sem_A = np.std(results["A"], axis=0, ddof=1) / np.sqrt(n_rep)
sem_B = np.std(results["B"], axis=0, ddof=1) / np.sqrt(n_rep)
print("model A (1-NN on time):  shuffled {:.2f}  forward {:.2f}  future {:.2f}".format(*tuple(mean_A)))
print("model B (linear on lag): shuffled {:.2f}  forward {:.2f}  future {:.2f}".format(*tuple(mean_B)))
print("standard errors, model A:", np.round(sem_A, 2))
bind("phi", phi)
bind("sigma", sigma)
bind("n_rep", n_rep)
bind("n_obs", n_obs)
bind("n_future", n_future)
bind("k_folds", k)
bind("noise_var", sigma**2)
bind("ar_order", 1)  # y_t depends on y_(t-1) only (simulate_ar1)
bind("k_nn", k_nn)

# %% [markdown]
# ## Checks: theory and the size of the optimism
#
# Expected forward-chaining error for model A: each of the $k = 5$ test blocks has $m = \lfloor 500/6 \rfloor = 83$ points at horizons $h = 1, \dots, m$ past the last training point, so the expected MSE is $2\sigma_y^2\left(1 - \frac{1}{m}\sum_{h=1}^{m}a^h\right)$; the future hold-out uses $m = 100$.
# The shuffled estimate should be close to $2\sigma^2/(1+a) \approx 1.05$ (slightly above, because about $1/k^2$ of the test points have both time neighbours in the same test fold).
# Tolerances: 15 % of the theoretical value for the shuffled estimate (its standard error is about 1 %), and 3 standard errors of the 100-series averages for the forward-chaining and future estimates, which vary much more from series to series.


# %%
def expected_forecast_mse(m):
    h = np.arange(1, m + 1)
    return 2 * var_y * (1 - np.mean(phi**h))


theory_shuffled = 2 * sigma**2 / (1 + phi)
m_forward = n_obs // (k + 1)
bind("m_forward", m_forward)
theory_forward = expected_forecast_mse(m_forward)
theory_future = expected_forecast_mse(n_future)

# Steps 1 and 3-4 against fresh simulated series (100 series of 2,000 steps): the sample variance and the mean
# squared one-step difference, each within 4 standard errors (over series) of the page's formula.
# A wrong step 1 (e.g. sigma^2 / (1 - phi)) or step 4 (e.g. 2 sigma^2 (1 - phi)) would be far outside.
sims = np.array([simulate_ar1(2000, np.random.default_rng(100 + i)) for i in range(100)])
per_series_var = sims.var(axis=1)
per_series_diff2 = np.mean(np.diff(sims, axis=1) ** 2, axis=1)
check(
    abs(per_series_var.mean() - var_y) < 4 * per_series_var.std(ddof=1) / 10,
    f"simulated Var(y_t) {per_series_var.mean():.2f} matches sigma^2 / (1 - phi^2) = {var_y:.2f} (step 1)",
)
check(
    abs(per_series_diff2.mean() - theory_shuffled) < 4 * per_series_diff2.std(ddof=1) / 10,
    f"simulated E[(y_t - y_(t-1))^2] {per_series_diff2.mean():.3f} matches 2 sigma^2 / (1 + phi) = {theory_shuffled:.3f}",
)
# Step 5 in closed form (geometric sum) against the numerical mean over horizons.
for m_try in [m_forward, n_future]:
    closed = 2 * var_y * (1 - phi * (1 - phi**m_try) / (m_try * (1 - phi)))
    check_close(expected_forecast_mse(m_try), closed, f"step 5 for m = {m_try}: the geometric sum in closed form")
bind("var_y", var_y)
bind("theory_shuffled", theory_shuffled)
bind("theory_forward", theory_forward)
bind("theory_future", theory_future)
bind("theory_fraction", theory_shuffled / theory_future)
bind("theory_fraction_inv", theory_future / theory_shuffled)

check_close(mean_A[0], theory_shuffled, "shuffled k-fold MSE of model A matches 2 sigma^2 / (1 + phi)", rtol=0.15)
# Refinement: a test point has no training neighbour at distance 1 when both t-1 and t+1 fall in its own
# fold (probability (m-1)(m-2)/((n-1)(n-2)) with m = n/k points per fold); its nearest training point is
# then 2 steps away, with expected error 2 sigma_y^2 (1 - phi^2) = 2 sigma^2.
m_fold = n_obs // k
p_both = (m_fold - 1) * (m_fold - 2) / ((n_obs - 1) * (n_obs - 2))
theory_shuffled_refined = (1 - p_both) * theory_shuffled + p_both * 2 * var_y * (1 - phi**2)
# The within-fold probability against the actual folds of KFold(shuffle=True, random_state=0), the splitter
# used above: the share of points whose two time neighbours share their test fold (binomial SE about 0.009).
fold_of = np.empty(n_obs, dtype=int)
for f, (_, test) in enumerate(KFold(k, shuffle=True, random_state=0).split(np.zeros((n_obs, 1)))):
    fold_of[test] = f
inner = np.arange(1, n_obs - 1)
share_both = np.mean((fold_of[inner - 1] == fold_of[inner]) & (fold_of[inner + 1] == fold_of[inner]))
check(
    abs(share_both - p_both) < 4 * np.sqrt(p_both * (1 - p_both) / len(inner)),
    f"the share of test points with both neighbours in their own fold, {share_both:.3f}, matches {p_both:.4f}",
)
check(abs(p_both - 1 / k**2) < 0.1 / k**2, "that probability is about 1 / k^2 (within 10 %)")
bind("p_both", p_both)
bind("theory_shuffled_refined", theory_shuffled_refined)
check_close(
    mean_A[0], theory_shuffled_refined, "shuffled k-fold MSE of model A matches the refined value within 3 %", rtol=0.03
)
check(
    abs(mean_A[1] - theory_forward) < 3 * sem_A[1],
    "forward-chaining MSE of model A matches the forecast formula (within 3 standard errors)",
)
check(
    abs(mean_A[2] - theory_future) < 3 * sem_A[2],
    "future hold-out MSE of model A matches the forecast formula (within 3 standard errors)",
)
# The size of the optimism: measured ratios against the theoretical ratios, within 4 standard errors (delta method).
for i, theory in [(1, theory_forward), (2, theory_future)]:
    ratio = mean_A[i] / mean_A[0]
    ratio_se = ratio * np.hypot(sem_A[i] / mean_A[i], sem_A[0] / mean_A[0])
    check(
        abs(ratio - theory / theory_shuffled_refined) < 4 * ratio_se,
        f"shuffled k-fold understates error {i + 1} of 3 by a factor {ratio:.1f}, "
        f"theory {theory / theory_shuffled_refined:.1f} (within 4 SE)",
    )
bind("ratio_forward", mean_A[1] / mean_A[0])
bind("ratio_future", mean_A[2] / mean_A[0])
check(
    abs(mean_A[1] - mean_A[2]) < 3 * np.hypot(sem_A[1], sem_A[2]),
    "forward chaining and the future hold-out agree within 3 combined standard errors (model A)",
)
n_wins = int(np.sum(np.array(results["A"])[:, 0] < np.array(results["A"])[:, 2]))
check(n_wins == n_rep, f"shuffled k-fold is below the future error in all {n_rep} series ({n_wins})")
bind("n_wins", n_wins)
bind("z_forward", (theory_forward - mean_A[1]) / sem_A[1])
bind("z_future", (mean_A[2] - theory_future) / sem_A[2])
for i, row in enumerate(["shuffled", "forward", "future"]):
    bind(f"a_{row}", mean_A[i])
    bind(f"a_{row}_se", sem_A[i])
    bind(f"b_{row}", mean_B[i])

# Model B: the AR(1) regression has uncorrelated residuals, so shuffling does no harm.
check_close(
    mean_B,
    [sigma**2] * 3,
    "for the correctly specified AR(1) model all three estimates are close to sigma^2 = 1",
    rtol=0.1,
)

# %% [markdown]
# ## Figure: the three error estimates
#
# Bars are averages over 100 simulated series, with error bars of two standard errors; the black ticks mark the theoretical values.

# %%
fig, ax = plt.subplots()
labels = ["shuffled k-fold", "forward chaining", "future hold-out"]
x = np.arange(2)
width = 0.26
for i, lab in enumerate(labels):
    ax.bar(
        x + (i - 1) * width,
        [mean_A[i], mean_B[i]],
        width,
        yerr=[2 * sem_A[i], 2 * sem_B[i]],
        capsize=3,
        label=lab,
        color=f"C{i}",
    )
theory_A = [theory_shuffled_refined, theory_forward, theory_future]
for i in range(3):
    ax.plot([x[0] + (i - 1.4) * width, x[0] + (i - 0.6) * width], [theory_A[i]] * 2, color="k", lw=2)
    ax.plot(
        [x[1] + (i - 1.4) * width, x[1] + (i - 0.6) * width],
        [sigma**2] * 2,
        color="k",
        lw=2,
        label="theory" if i == 0 else None,
    )
_ = ax.set_xticks(x, ["A: 1-NN on time index", "B: linear on lag $y_{t-1}$"])
_ = ax.set_ylabel("mean squared error")
_ = ax.set_title(rf"Error estimates on AR(1) series ($a = {phi:g}$, {n_rep} series)")
_ = ax.legend(fontsize=9, loc="upper right")
save_figure(fig, "cv-estimates")
