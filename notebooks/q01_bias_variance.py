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
# The checks test the decomposition $\mathbb{E}_{\mathcal{D},\varepsilon}[(y - \hat{f}_{\mathcal{D}}(x))^2] = \sigma^2 + \text{bias}^2 + \text{variance}$ of the question page, including that the two cross terms with the test noise vanish (the third, bias times deviation, vanishes by the definition of the mean prediction and needs no simulation).

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure

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
N_SE = 4  # tolerance of the Monte-Carlo checks, in standard errors
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
# First, the two terms by a second route that draws no noise at all.
# Least squares is linear in the targets: for training design $b$ the prediction on the grid is $\hat{f}_{\mathcal{D}_b} = \mathbf{A}_b \mathbf{y}_b$ with $\mathbf{A}_b = \Phi(x)(\Phi_b^\top\Phi_b)^{-1}\Phi_b^\top$.
# Given the inputs, its mean is $\mathbf{A}_b f(\mathbf{x}_b)$ and its variance at each test input is $\sigma^2$ times the squared norm of the matching row of $\mathbf{A}_b$.
# The law of total variance combines these over the $B$ designs.
# For the estimators of the Monte-Carlo section the exact expectations (over the noise, given the designs) are then
# $\mathbb{E}[\widehat{\text{bias}^2}] = (f - \bar{\mu})^2 + \bar{V}/B$ and $\mathbb{E}[\widehat{\text{variance}}] = (1 - 1/B)\bar{V} + \operatorname{Var}_b(\mu_b)$,
# where $\mu_b$ is the conditional mean, $\bar{\mu}$ its average over designs and $\bar{V}$ the average conditional variance.
# The Monte-Carlo estimates must agree with these within 4 standard deviations of the estimators, which we measure from 40 further noise replicates.
# A page whose variance were off by a factor, or whose bias were measured against the noisy $y$ instead of $f$, fails here.

# %%
n_rep = 40
for i, degree in enumerate(degrees):
    A = np.stack([design(x_test, degree) @ np.linalg.pinv(design(X_train[b], degree)) for b in range(B)])  # B x M x n
    mu = A @ f(X_train)[:, :, None]  # conditional means, B x M x 1
    mu = mu[:, :, 0]
    V_bar = (sigma**2 * (A**2).sum(axis=2)).mean(axis=0)  # average conditional variance at each test input
    exp_bias2 = np.mean((f_test - mu.mean(axis=0)) ** 2 + V_bar / B)
    exp_var = np.mean((1 - 1 / B) * V_bar + mu.var(axis=0))
    reps = mu[None] + sigma * np.einsum("bmn,rbn->rbm", A, rng.standard_normal(size=(n_rep, B, n)))
    sd_bias2 = np.mean((f_test - reps.mean(axis=1)) ** 2, axis=1).std(ddof=1)
    sd_var = reps.var(axis=1).mean(axis=1).std(ddof=1)
    check(
        abs(bias2[i] - exp_bias2) <= 4 * sd_bias2 and abs(variance[i] - exp_var) <= 4 * sd_var,
        f"degree {degree}: Monte-Carlo bias^2 and variance match the noise-free closed form within 4 SD",
    )
    if degree == degrees[-1]:
        # the true bias^2 at degree 10, without the variance/B that the average of B fits still carries
        true_bias2_deg10 = np.mean((f_test - mu.mean(axis=0)) ** 2) - np.mean(mu.var(axis=0)) / B

# %% [markdown]
# At degree 10 the page says that the small bias estimate is mostly Monte-Carlo error, the variance divided by $B$.
# We check that the variance share of the estimate is above one half.

# %%
mc_share_pct = 100 * (variance[-1] / B) / bias2[-1]
check(mc_share_pct > 50, f"degree 10: variance/B is {mc_share_pct:.0f} % of the bias^2 estimate (more than half)")
check(
    true_bias2_deg10 < 0.5 * bias2[-1],
    f"degree 10: the bias^2 without the Monte-Carlo term ({true_bias2_deg10:.5f}) is under half the estimate",
)

# %% [markdown]
# Second, the full decomposition: the Monte-Carlo expected test error, measured with fresh test noise, equals $\sigma^2 + \text{bias}^2 + \text{variance}$.
# The only Monte-Carlo error left is the fresh noise, $\varepsilon^2 + 2\varepsilon(f - \hat{f}_{\mathcal{D}})$, whose mean should be exactly $\sigma^2$.
# We require agreement within 4 standard errors of that term.
# Dropping the $\sigma^2$ term, or keeping a non-zero cross term, would fail this by a wide margin at low degree, where the standard error is below 0.001.

# %%
for d, t, e, se in zip(degrees, theory, mc_error, mc_se, strict=False):
    check(
        abs(e - t) <= N_SE * se,
        f"degree {d}: |Monte Carlo - (sigma^2 + bias^2 + variance)| = {abs(e - t):.5f} <= {N_SE} SE = {N_SE * se:.5f}",
    )
check(mc_se[:3].max() < 0.001, "the Monte-Carlo standard error at degrees 1 to 3 is below 0.001 (the check has power)")

# %% [markdown]
# ## The numbers quoted on the question page
#
# The page's table quotes the three terms and the measured test error at degrees 1, 3 and 10; they are bound here.

# %%
bind("n_sets", B)
bind("n_train", n)
bind("sigma", sigma)
bind("noise_var", sigma**2)
bind("deg_min", degrees[0])
bind("deg_max", degrees[-1])
bind("deg_mid", degrees[2])
bind("mc_share_pct", mc_share_pct)
bind("n_se", N_SE)
bind("n_grid", M)
bind("deg_best", degrees[np.argmin(mc_error)])
for i in (0, 2, len(degrees) - 1):
    bind(f"deg{degrees[i]}_bias2", bias2[i])
    bind(f"deg{degrees[i]}_var", variance[i])
    bind(f"deg{degrees[i]}_mc", mc_error[i])
bind("var_ratio", variance[-1] / variance[0])
check(np.all(np.diff(variance) > 0), "the variance increases with every added degree")
check(np.all(np.diff(bias2[:5]) < 0), "bias^2 decreases from degree 1 to degree 5")
check(
    degrees[np.argmin(theory)] == degrees[np.argmin(mc_error)],
    "sigma^2 + bias^2 + variance and the measured error are lowest at the same degree",
)

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
# With the inputs held fixed (only the noise resampled), least squares with $p$ parameters has prediction variance averaged over the training inputs equal to $\sigma^2 p / n$ (the trace of the hat matrix is $p$).
# We fit 20,000 noise draws with `lstsq` (not with the hat matrix) for a cubic, $p = 4$, and compare with $\sigma^2 p/n$.
# The relative standard error of a sample variance from $N$ draws is $\sqrt{2/N} = 1\,\%$ at each input, so 4 % is 4 standard errors (averaging over inputs only shrinks it).
# The same draws test step 7: the training error underestimates the error on fresh noise at the same inputs by the optimism $2\sigma^2 p/n$ (ESL §7.4).

# %%
x_fixed = X_train[0]
Phi = design(x_fixed, 3)
p_cubic = Phi.shape[1]
n_draws = 20000
Y_fixed = f(x_fixed) + sigma * rng.standard_normal(size=(n_draws, n))
W, *_ = np.linalg.lstsq(Phi, Y_fixed.T, rcond=None)
fitted = (Phi @ W).T  # each row: fitted values for one noise draw
check_close(
    fitted.var(axis=0).mean(),
    sigma**2 * p_cubic / n,
    "average prediction variance at the training inputs = sigma^2 p / n",
    rtol=4 * np.sqrt(2 / n_draws),
)
train_err = ((Y_fixed - fitted) ** 2).mean(axis=1)
fresh = f(x_fixed) + sigma * rng.standard_normal(size=(n_draws, n))
test_err = ((fresh - fitted) ** 2).mean(axis=1)
gap = test_err - train_err
check(
    abs(gap.mean() - 2 * sigma**2 * p_cubic / n) <= 4 * gap.std() / np.sqrt(n_draws),
    f"training error underestimates the fresh-noise error by 2 sigma^2 p / n: {gap.mean():.4f} vs {2 * sigma**2 * p_cubic / n:.4f}",
)

# %% [markdown]
# ## The follow-up claims on training-set size: parametric fits and k-NN differ
#
# The page's table says that more data leaves the bias of a fixed parametric family unchanged and lowers its variance, while for k-NN with fixed $k$ it lowers the bias and leaves the variance near $\sigma^2/k$.
# We compute both with scikit-learn on the same sine, at $n = 20$ and $n = 200$ (stratified inputs, 300 training sets each).
# Targets without noise give the conditional mean of each fit (both methods are linear in $y$); a fit to many noisy target columns at once gives the variance.

# %%
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor

k_nn = 5
n_sets_size = 300
sizes = (20, 200)
n_noise = 200
size_terms = {}
for n_size in sizes:
    mu_line, mu_knn, var_line, var_knn = [], [], [], []
    for _ in range(n_sets_size):
        x_s = ((np.arange(n_size) + rng.uniform(size=n_size)) / n_size)[:, None]
        targets = np.column_stack(
            [f(x_s[:, 0]), f(x_s[:, 0])[:, None] + sigma * rng.standard_normal((n_size, n_noise))]
        )
        pl = LinearRegression().fit(x_s, targets).predict(x_test[:, None])
        pk = KNeighborsRegressor(n_neighbors=k_nn).fit(x_s, targets).predict(x_test[:, None])
        mu_line.append(pl[:, 0])
        mu_knn.append(pk[:, 0])
        var_line.append(pl[:, 1:].var(axis=1, ddof=1))
        var_knn.append(pk[:, 1:].var(axis=1, ddof=1))
    terms = {}
    for name, mus, vs in (("line", mu_line, var_line), ("knn", mu_knn, var_knn)):
        mus, vs = np.array(mus), np.array(vs)
        terms[name] = (
            np.mean((f_test - mus.mean(axis=0)) ** 2) - np.mean(mus.var(axis=0)) / n_sets_size,  # bias^2
            np.mean(vs.mean(axis=0) + mus.var(axis=0)),  # law of total variance
            np.mean(vs.mean(axis=0)),  # variance with the inputs held fixed
        )
    size_terms[n_size] = terms
    print(n_size, terms)

line20, line200 = size_terms[sizes[0]]["line"], size_terms[sizes[1]]["line"]
knn20, knn200 = size_terms[sizes[0]]["knn"], size_terms[sizes[1]]["knn"]
check(
    abs(line200[0] - line20[0]) < 0.05 * line20[0],
    "straight line: bias^2 unchanged (within 5 %) from n = 20 to n = 200",
)
check(line200[1] < line20[1] / 5, "straight line: variance falls with n (tenfold data, more than fivefold drop)")
check(knn200[0] < knn20[0] / 10, "k-NN with fixed k: bias^2 falls more than tenfold from n = 20 to n = 200")
check(abs(knn200[1] - knn20[1]) < 0.15 * knn20[1], "k-NN with fixed k: variance about unchanged (within 15 %)")
# With the inputs fixed, the k-NN variance is sigma^2/k; each per-input estimate from n_noise draws has relative
# SE sqrt(2/(n_noise - 1)), and averaging over 300 sets and 200 inputs only shrinks it.
check_close(
    knn200[2],
    sigma**2 / k_nn,
    "k-NN variance with the inputs held fixed = sigma^2/k",
    rtol=4 * np.sqrt(2 / (n_noise - 1)) / np.sqrt(n_sets_size),
)
bind("k_nn", k_nn)
bind("size_small", sizes[0])
bind("size_large", sizes[1])
bind("n_sets_size", n_sets_size)
bind("line_bias2_n20", line20[0])
bind("line_bias2_n200", line200[0])
bind("line_var_n20", line20[1])
bind("line_var_n200", line200[1])
bind("knn_bias2_n20", knn20[0])
bind("knn_bias2_n200", knn200[0])
bind("knn_var_n20", knn20[1])
bind("knn_var_n200", knn200[1])

# %% [markdown]
# ## The ensemble follow-up: the variance of an average of correlated predictors
#
# Averaging $B$ predictors with variance $\tau^2$ and pairwise correlation $\rho$ gives variance $\rho\tau^2 + (1 - \rho)\tau^2/B$ (ESL eq. 15.1).
# We draw equicorrelated normal predictions through the Cholesky factor of their covariance matrix and measure the variance of their mean.
# The standard error of a sample variance from $N$ normal draws is $\sqrt{2/N}$ times the variance; we allow 4 of them.

# %%
B_ens, rho, tau2 = 10, 0.3, 2.0
cov = tau2 * (rho * np.ones((B_ens, B_ens)) + (1 - rho) * np.eye(B_ens))
N_ens = 200000
draws = rng.standard_normal((N_ens, B_ens)) @ np.linalg.cholesky(cov).T
check_close(
    draws.mean(axis=1).var(),
    rho * tau2 + (1 - rho) * tau2 / B_ens,
    "variance of an average of B correlated predictors = rho tau^2 + (1 - rho) tau^2 / B",
    rtol=4 * np.sqrt(2 / N_ens),
)
