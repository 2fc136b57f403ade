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
# # Bias, variance and noise of polynomial fits, measured by Monte Carlo
#
# We fit polynomials of degree 1 to 10 to 500 independently drawn training sets and measure, on a grid of test inputs, the squared bias, the variance and the noise of the predictions.
# The figures show bias squared falling and variance rising with the degree, and a few fitted curves.
# The checks prove the decomposition $\mathbb{E}_{\mathcal{D},\varepsilon}[(y - \hat{f}_{\mathcal{D}}(x))^2] = \sigma^2 + \text{bias}^2 + \text{variance}$ of the question page, including that every cross term vanishes.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import check, check_close, save_figure

# %% [markdown]
# ## The data-generating process
#
# The true function is $f(x) = \sin(1.5\pi x)$ on $[0, 1]$ and the targets are $y = f(x) + \varepsilon$ with $\varepsilon \sim \mathcal{N}(0, \sigma^2)$, $\sigma = 0.5$.
# Each training set $\mathcal{D}$ has $n = 20$ examples: both the inputs and the noise are drawn afresh for each of the $B = 500$ training sets, so the average over training sets is the full $\mathbb{E}_{\mathcal{D}}$.
# The inputs are drawn by stratified sampling, one uniformly at random in each of the 20 intervals $[i/20, (i+1)/20)$.
# With fully independent uniform inputs the qualitative picture is the same, but at high degree the variance is then dominated by the rare training sets that leave a gap near an end of $[0, 1]$, where the polynomial extrapolates wildly, and the Monte-Carlo estimates become erratic.
# The test inputs are a grid of $M = 200$ points on $[0, 1]$; averaging over the grid approximates the average over $p(x)$.

# %%
rng = np.random.default_rng(0)

sigma = 0.5  # noise standard deviation
n = 20  # training examples per training set
B = 500  # number of independent training sets
M = 200  # test inputs
R = 5  # fresh test-noise draws per (training set, test input) pair
degrees = np.arange(1, 11)


def f(x):
    """The true function."""
    return np.sin(1.5 * np.pi * x)


def design(x, degree):
    """Polynomial features of degree `degree` (Legendre basis on [-1, 1], well conditioned)."""
    return np.polynomial.legendre.legvander(2 * x - 1, degree)


x_test = np.linspace(0.0, 1.0, M)
X_train = (np.arange(n) + rng.uniform(0.0, 1.0, size=(B, n))) / n  # one input per interval [i/n, (i+1)/n)
Y_train = f(X_train) + sigma * rng.standard_normal(size=(B, n))

# %% [markdown]
# ## Fitting every training set at every degree
#
# `preds[degree]` is a $B \times M$ array: row $b$ holds $\hat{f}_{\mathcal{D}_b}(x)$ on the test grid, the least-squares polynomial fitted to training set $b$.

# %%
preds = {}
for degree in degrees:
    P = np.empty((B, M))
    for b in range(B):
        w, *_ = np.linalg.lstsq(design(X_train[b], degree), Y_train[b], rcond=None)
        P[b] = design(x_test, degree) @ w
    preds[degree] = P

# %% [markdown]
# ## The three terms, and the Monte-Carlo expected test error
#
# At each test input $x$, with $\bar{f}(x) = \mathbb{E}_{\mathcal{D}}[\hat{f}_{\mathcal{D}}(x)]$ estimated by the average over the $B$ fits:
#
# - squared bias: $(f(x) - \bar{f}(x))^2$;
# - variance: $\mathbb{E}_{\mathcal{D}}[(\hat{f}_{\mathcal{D}}(x) - \bar{f}(x))^2]$, estimated with the $1/B$ average;
# - noise: $\sigma^2 = 0.25$, known here.
#
# Each is then averaged over the test grid.
# Independently of these three numbers we estimate the expected test error directly: for every training set and test input we draw $R = 5$ fresh test targets $y = f(x) + \varepsilon$, never seen in training, and average $(y - \hat{f}_{\mathcal{D}}(x))^2$.

# %%
f_test = f(x_test)
bias2, variance, mc_error, mc_se, mean_sq_dev = [], [], [], [], []
for degree in degrees:
    P = preds[degree]
    f_bar = P.mean(axis=0)
    bias2.append(np.mean((f_test - f_bar) ** 2))
    variance.append(np.mean(P.var(axis=0)))  # 1/B normalisation
    mean_sq_dev.append(np.mean((f_test - P) ** 2))  # E_D[(f(x) - f_hat_D(x))^2], no noise
    eps = sigma * rng.standard_normal(size=(R, B, M))  # fresh test noise, independent of D
    sq_err = (f_test + eps - P) ** 2
    mc_error.append(sq_err.mean())
    # The Monte-Carlo fluctuation comes only from the fresh noise: eps^2 + 2 eps (f - f_hat).
    noise_part = sq_err - (f_test - P) ** 2
    mc_se.append(noise_part.std() / np.sqrt(noise_part.size))
bias2, variance, mc_error, mc_se, mean_sq_dev = map(np.array, (bias2, variance, mc_error, mc_se, mean_sq_dev))
theory = bias2 + variance + sigma**2

for d, b2, v, t, e in zip(degrees, bias2, variance, theory, mc_error, strict=False):
    print(f"degree {d:2d}: bias^2 = {b2:9.4f}  variance = {v:9.4f}  sum + sigma^2 = {t:9.4f}  Monte Carlo = {e:9.4f}")

# %% [markdown]
# ## Checks of the decomposition
#
# First, the step of the derivation that removes the cross term $2(f(x) - \bar{f}(x))(\bar{f}(x) - \hat{f}_{\mathcal{D}}(x))$: averaged over training sets, $(f - \hat{f}_{\mathcal{D}})^2$ equals bias squared plus variance.
# With $\bar{f}$ defined as the sample mean of the fits this holds to rounding error, so a tight tolerance applies.

# %%
check_close(
    mean_sq_dev,
    bias2 + variance,
    "E_D[(f - f_hat_D)^2] = bias^2 + variance at every degree (cross term vanishes)",
    rtol=1e-10,
)

# %% [markdown]
# Second, the full decomposition: the Monte-Carlo expected test error, measured with fresh test noise, equals $\sigma^2 + \text{bias}^2 + \text{variance}$.
# The only Monte-Carlo error left is the fresh noise, $\varepsilon^2 + 2\varepsilon(f - \hat{f}_{\mathcal{D}})$, whose mean should be exactly $\sigma^2$.
# We require agreement within 4 standard errors of that term, and within 1 % relative error.
# Dropping the $\sigma^2$ term, or keeping a non-zero cross term, would fail this by a wide margin at low degree, where the standard error is below 0.001.

# %%
for d, t, e, se in zip(degrees, theory, mc_error, mc_se, strict=False):
    check(
        abs(e - t) <= 4 * se,
        f"degree {d}: |Monte Carlo - (sigma^2 + bias^2 + variance)| = {abs(e - t):.5f} <= 4 SE = {4 * se:.5f}",
    )
check_close(mc_error, theory, "expected test error = sigma^2 + bias^2 + variance at every degree", rtol=0.01)
check(mc_se[:3].max() < 0.001, "the Monte-Carlo standard error at degrees 1 to 3 is below 0.001")

# %% [markdown]
# ## The numbers quoted on the question page

# %%
check_close(bias2[0], 0.183, "degree 1: bias^2 = 0.183", atol=5e-4)
check_close(variance[0], 0.024, "degree 1: variance = 0.024", atol=5e-4)
check_close(theory[0], 0.458, "degree 1: expected test error = 0.458", atol=5e-4)
check_close(bias2[2], 0.003, "degree 3: bias^2 = 0.003", atol=5e-4)
check_close(variance[2], 0.050, "degree 3: variance = 0.050", atol=5e-4)
check_close(theory[2], 0.303, "degree 3: expected test error = 0.303", atol=5e-4)
check_close(bias2[-1], 0.0025, "degree 10: bias^2 = 0.0025", atol=5e-5)
check_close(variance[-1], 1.135, "degree 10: variance = 1.135", atol=5e-4)
check_close(theory[-1], 1.388, "degree 10: expected test error = 1.388", atol=5e-4)
check(degrees[np.argmin(theory)] == 3, "the expected test error is smallest at degree 3")
check(
    variance[-1] / variance[0] > 45,
    f"the variance at degree 10 is more than 45 times that at degree 1 ({variance[-1] / variance[0]:.1f})",
)
check(np.all(np.diff(variance) > 0), "the variance increases with every added degree")
check(np.all(np.diff(bias2[:5]) < 0), "bias^2 decreases from degree 1 to degree 5")
check(bias2[2] < bias2[0] / 10, "bias^2 at degree 3 is less than a tenth of bias^2 at degree 1")
check(theory.min() > sigma**2, "no degree gets below the noise floor sigma^2 = 0.25")

# %% [markdown]
# ## Figure: the decomposition against the degree
#
# The dots (measured with fresh test noise) sit on the line $\sigma^2 + \text{bias}^2 + \text{variance}$.
# Beyond degree 5 the true bias of the polynomial fits is essentially zero; what remains of the bias estimate (about 0.0025 at degree 10) is mostly Monte-Carlo error, since the squared error of an average of $B$ fits contains variance$/B$.

# %%
fig, ax = plt.subplots()
ax.plot(degrees, mc_error, "o", color="black", label="Monte-Carlo expected test error")
ax.plot(degrees, theory, "-", color="black", alpha=0.5, label=r"$\sigma^2$ + bias$^2$ + variance")
ax.plot(degrees, bias2, "s-", label=r"bias$^2$")
ax.plot(degrees, variance, "^-", label="variance")
ax.axhline(sigma**2, linestyle="--", color="grey", label=r"noise $\sigma^2$")
ax.set_xticks(degrees)
_ = ax.set_xlabel("polynomial degree")
_ = ax.set_ylabel("squared error")
_ = ax.set_title("Bias-variance decomposition, n = 20, 500 training sets")
_ = ax.legend(fontsize=9)
save_figure(fig, "decomposition")

# %% [markdown]
# ## Figure: fitted curves at low and high degree
#
# Twenty of the 500 fits at degree 1 and at degree 10, with the average of all 500 fits.
# Degree 1 gives nearly the same wrong line on every training set (high bias, low variance); degree 10 follows $f$ on average but each fit wiggles differently (low bias, high variance).

# %%
fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.4), sharey=True)
for ax, degree in zip(axes, (1, 10), strict=False):
    P = preds[degree]
    for b in range(20):
        ax.plot(
            x_test, P[b], color="C0", alpha=0.35, linewidth=0.8, label="fits to 20 training sets" if b == 0 else None
        )
    ax.plot(x_test, P.mean(axis=0), color="C1", linewidth=2, label="average of 500 fits")
    ax.plot(x_test, f_test, "k--", linewidth=1.5, label="true $f(x)$")
    ax.set_ylim(-2.5, 2.5)
    _ = ax.set_xlabel("$x$")
    _ = ax.set_title(f"degree {degree}")
_ = axes[0].set_ylabel(r"$\hat{f}_{\mathcal{D}}(x)$")
_ = axes[0].legend(fontsize=8, loc="lower left")
save_figure(fig, "fits")

# %% [markdown]
# ## A follow-up claim: the variance of least squares shrinks with n
#
# With the inputs held fixed (only the noise resampled), least squares with $p$ parameters has prediction variance averaged over the training inputs equal to $\sigma^2 \operatorname{tr}(\mathbf{H}) / n = \sigma^2 p / n$, where $\mathbf{H} = \mathbf{X}(\mathbf{X}^\top\mathbf{X})^{-1}\mathbf{X}^\top$ is the hat matrix, whose trace is $p$.
# We check the trace exactly and the variance by Monte Carlo for a cubic ($p = 4$).

# %%
x_fixed = X_train[0]
Phi = design(x_fixed, 3)
H = Phi @ np.linalg.solve(Phi.T @ Phi, Phi.T)
check_close(np.trace(H), 4.0, "trace of the hat matrix = number of parameters p = 4", rtol=1e-9)
Y_fixed = f(x_fixed) + sigma * rng.standard_normal(size=(20000, n))
fitted = Y_fixed @ H.T  # each row: fitted values H y for one noise draw
check_close(
    fitted.var(axis=0).mean(),
    sigma**2 * 4 / n,
    "average prediction variance at the training inputs = sigma^2 p / n",
    rtol=0.03,
)
