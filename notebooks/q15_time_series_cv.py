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
# # Cross-validation on a time series: forward chaining versus shuffled K-fold
#
# The first figure draws the folds of scikit-learn's `TimeSeriesSplit` (expanding window with a gap) next to shuffled K-fold.
# The second compares three estimates of forecasting error on simulated AR(1) series: shuffled K-fold, forward chaining, and a true hold-out taken from the future.
# The checks prove that `TimeSeriesSplit` never trains on the future and honours its `gap`, that shuffled K-fold is optimistic by the factor the page derives, $\frac{2\sigma^2/(1+\phi)}{2\sigma_y^2(1-\overline{\phi^h})}$, and that the optimism disappears for a correctly specified autoregressive model.

# %%
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, TimeSeriesSplit, cross_val_score
from sklearn.neighbors import KNeighborsRegressor

from handbook_nb import check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## `TimeSeriesSplit` never trains on the future
#
# For each split we check, over many configurations, that every training index precedes every test index, that exactly `gap` samples separate the last training index from the first test index, that test blocks are contiguous, consecutive and disjoint, and that the default test size is $\lfloor n / (\text{n\_splits} + 1) \rfloor$.
# With `max_train_size` set, the window rolls instead of expanding.

# %%
n_configs = 0
for n_samples in [30, 97, 500]:
    for n_splits in [2, 3, 5]:
        for gap in [0, 1, 3]:
            for max_train in [None, 10]:
                cv = TimeSeriesSplit(n_splits=n_splits, gap=gap, max_train_size=max_train)
                folds = list(cv.split(np.zeros((n_samples, 1))))
                test_size = n_samples // (n_splits + 1)
                assert len(folds) == n_splits
                previous_test_end = None
                for train, test in folds:
                    assert train.max() < test.min(), "trained on the future"
                    assert test.min() - train.max() - 1 == gap, "gap not honoured"
                    assert np.array_equal(train, np.arange(train.min(), train.max() + 1)), "train not contiguous"
                    assert np.array_equal(test, np.arange(test.min(), test.max() + 1)), "test not contiguous"
                    assert len(test) == test_size
                    if max_train is None:
                        assert train.min() == 0, "window should expand from the start"
                    else:
                        assert len(train) <= max_train
                    if previous_test_end is not None:
                        assert test.min() == previous_test_end + 1, "test blocks should be consecutive"
                    previous_test_end = test.max()
                assert previous_test_end == n_samples - 1, "last test block should end at the last sample"
                n_configs += 1
check(
    n_configs == 54,
    "in all 54 configurations every training index precedes every test index, with exactly `gap` samples between",
)

# %% [markdown]
# ## Figure: the folds
#
# Thirty time steps, five splits, a gap of two.
# Shuffled K-fold scatters the test points through time, so the model is trained on points on both sides of each test point.

# %%
n_show, k_show, gap_show = 30, 5, 2
shuffled = list(KFold(n_splits=k_show, shuffle=True, random_state=0).split(np.zeros((n_show, 1))))
forward = list(TimeSeriesSplit(n_splits=k_show, gap=gap_show).split(np.zeros((n_show, 1))))

fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.4), sharey=True)
for ax, folds, title in [
    (axes[0], shuffled, "Shuffled K-fold"),
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
# Each series follows $y_t = \phi y_{t-1} + \varepsilon_t$ with $\phi = 0.9$ and $\varepsilon_t \sim \mathcal{N}(0, \sigma^2)$, $\sigma = 1$, started from its stationary distribution $\mathcal{N}(0, \sigma_y^2)$ with $\sigma_y^2 = \sigma^2 / (1 - \phi^2)$.
# We observe $n = 500$ steps for training and cross-validation, and the next 100 steps are the true future.
#
# * Model A, a 1-nearest-neighbour regressor on the time index, can only exploit closeness in time: it is the extreme case of a flexible model whose features carry time information (a trend index, slowly drifting covariates, rolling statistics).
# * Model B, linear regression on the lag $y_{t-1}$, is the correctly specified AR(1) forecaster.
#
# For model A the page derives the expected errors: a shuffled test point has a training neighbour one step away, so its squared error is about $\mathbb{E}[(y_t - y_{t-1})^2] = 2\sigma^2/(1+\phi)$; a forecast $h$ steps past the end of training is the last observed value, with error $2\sigma_y^2(1 - \phi^h)$.

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
    """Shuffled K-fold, forward-chaining and future hold-out MSE for one series."""
    X_obs, y_obs = X_all[:n_obs], y_all[:n_obs]
    scoring = "neg_mean_squared_error"
    shuffled_mse = -cross_val_score(
        model, X_obs, y_obs, cv=KFold(k, shuffle=True, random_state=0), scoring=scoring
    ).mean()
    forward_mse = -cross_val_score(model, X_obs, y_obs, cv=TimeSeriesSplit(k), scoring=scoring).mean()
    fitted = model.fit(X_obs, y_obs)
    future_mse = np.mean((fitted.predict(X_all[n_obs:]) - y_all[n_obs:]) ** 2)
    return shuffled_mse, forward_mse, future_mse


results = {"A": [], "B": []}
for _ in range(n_rep):
    series = simulate_ar1(n_obs + n_future + 1, rng)
    y_all = series[1:]  # targets y_1 .. y_600
    time_index = np.arange(len(y_all), dtype=float).reshape(-1, 1)
    lag = series[:-1].reshape(-1, 1)  # y_{t-1} for each target
    results["A"].append(mse_estimates(KNeighborsRegressor(n_neighbors=1), time_index, y_all))
    results["B"].append(mse_estimates(LinearRegression(), lag, y_all))
mean_A = np.mean(results["A"], axis=0)
mean_B = np.mean(results["B"], axis=0)
sem_A = np.std(results["A"], axis=0, ddof=1) / np.sqrt(n_rep)
sem_B = np.std(results["B"], axis=0, ddof=1) / np.sqrt(n_rep)
print("model A (1-NN on time):  shuffled {:.2f}  forward {:.2f}  future {:.2f}".format(*tuple(mean_A)))
print("model B (linear on lag): shuffled {:.2f}  forward {:.2f}  future {:.2f}".format(*tuple(mean_B)))
print("standard errors, model A:", np.round(sem_A, 2))

# %% [markdown]
# ## Checks: theory and the size of the optimism
#
# Expected forward-chaining error for model A: each of the $k = 5$ test blocks has $m = \lfloor 500/6 \rfloor = 83$ points at horizons $h = 1, \dots, m$ past the last training point, so the expected MSE is $2\sigma_y^2\left(1 - \frac{1}{m}\sum_{h=1}^{m}\phi^h\right)$; the future hold-out uses $m = 100$.
# The shuffled estimate should be close to $2\sigma^2/(1+\phi) \approx 1.05$ (slightly above, because about $1/k^2$ of the test points have both time neighbours in the same test fold).
# Tolerances: 15 % of the theoretical value for the shuffled estimate (its standard error is about 1 %), and 3 standard errors of the 100-series averages for the forward-chaining and future estimates, which vary much more from series to series.


# %%
def expected_forecast_mse(m):
    h = np.arange(1, m + 1)
    return 2 * var_y * (1 - np.mean(phi**h))


theory_shuffled = 2 * sigma**2 / (1 + phi)
theory_forward = expected_forecast_mse(n_obs // (k + 1))
theory_future = expected_forecast_mse(n_future)
check_close(var_y, 1 / 0.19, "stationary variance sigma_y^2 = sigma^2 / (1 - phi^2) = 5.26")
check_close(theory_shuffled, 2 / 1.9, "E[(y_t - y_{t-1})^2] = 2 sigma^2 / (1 + phi) = 1.05")
check_close(theory_forward, 9.39, "expected forward-chaining MSE of model A is about 9.4", atol=0.01)
check_close(theory_future, 9.58, "expected future hold-out MSE of model A is about 9.6", atol=0.01)

check_close(mean_A[0], theory_shuffled, "shuffled K-fold MSE of model A matches 2 sigma^2 / (1 + phi)", rtol=0.15)
# Refinement: a test point has no training neighbour at distance 1 when both t-1 and t+1 fall in its own
# fold (probability (m-1)(m-2)/((n-1)(n-2)) with m = n/k points per fold); its nearest training point is
# then 2 steps away, with expected error 2 sigma_y^2 (1 - phi^2) = 2 sigma^2.
m_fold = n_obs // k
p_both = (m_fold - 1) * (m_fold - 2) / ((n_obs - 1) * (n_obs - 2))
theory_shuffled_refined = (1 - p_both) * theory_shuffled + p_both * 2 * var_y * (1 - phi**2)
check_close(theory_shuffled_refined, 1.09, "refined expected shuffled MSE = 1.09", atol=0.005)
check_close(
    mean_A[0], theory_shuffled_refined, "shuffled K-fold MSE of model A matches the refined value within 3 %", rtol=0.03
)
check(
    abs(mean_A[1] - theory_forward) < 3 * sem_A[1],
    "forward-chaining MSE of model A matches the forecast formula (within 3 standard errors)",
)
check(
    abs(mean_A[2] - theory_future) < 3 * sem_A[2],
    "future hold-out MSE of model A matches the forecast formula (within 3 standard errors)",
)
check(
    mean_A[0] < 0.25 * mean_A[1] and mean_A[0] < 0.25 * mean_A[2],
    "shuffled K-fold reports less than a quarter of the forward-chaining and future errors (model A)",
)
check(
    abs(mean_A[1] - mean_A[2]) < 3 * np.hypot(sem_A[1], sem_A[2]),
    "forward chaining and the future hold-out agree within 3 combined standard errors (model A)",
)
wins = np.mean(np.array(results["A"])[:, 0] < np.array(results["A"])[:, 2])
check(wins >= 0.95, f"shuffled K-fold is below the future error in {wins:.0%} of the 100 series")

# Model B: the AR(1) regression has uncorrelated residuals, so shuffling does no harm.
check_close(np.round(mean_A, 2), [1.09, 8.84, 10.53], "page numbers: model A estimates 1.09, 8.84 and 10.53", atol=1e-9)
check(
    abs(sem_A[0] - 0.01) < 0.005 and abs(sem_A[1] - 0.3) < 0.05 and abs(sem_A[2] - 0.9) < 0.05,
    "page numbers: their standard errors are about 0.01, 0.3 and 0.9",
)
check_close(np.round(mean_B, 2), [1.00, 1.01, 1.01], "page numbers: model B estimates 1.00, 1.01 and 1.01", atol=1e-9)
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
labels = ["shuffled K-fold", "forward chaining", "future hold-out"]
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
_ = ax.set_title(r"Error estimates on AR(1) series ($\phi = 0.9$, 100 series)")
_ = ax.legend(fontsize=9, loc="upper right")
save_figure(fig, "cv-estimates")
