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
# # Type I and Type II errors of a one-sided test for a mean
#
# The checks recompute the page's worked example (an A/B test on order values with $\sigma = 2$, effect $0.5$ and $n = 100$): the shift $\delta = 2.5$, the power $0.804$ at $\alpha = 0.05$ and $0.569$ at $\alpha = 0.01$, and the sample sizes 99 and 161 for 80% power.
# Simulated experiments confirm that the test's Type I error rate is $\alpha$ and its power is $\Phi(\delta - z_{1-\alpha})$, and smaller checks cover the family-wise error rate of 20 tests, the Bonferroni correction and the cost of peeking at a running test.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import check, check_close, save_figure
from scipy.stats import norm

rng = np.random.default_rng(0)

sigma, effect, n = 2.0, 0.5, 100  # USD standard deviation, hoped-for increase, orders
mu0 = 50.0  # the old page's known mean (any value gives the same results)
mu1 = mu0 + effect


def power(alpha, delta):
    """Power of the one-sided z-test that rejects when Z > z_(1-alpha), if Z ~ N(delta, 1)."""
    return norm.cdf(delta - norm.ppf(1 - alpha))


def sample_size(alpha, target_power, effect, sigma):
    """Smallest n with power >= target_power: ((z_(1-alpha) + z_(power)) sigma / effect)^2, rounded up."""
    return ((norm.ppf(1 - alpha) + norm.ppf(target_power)) * sigma / effect) ** 2


# %% [markdown]
# ## The worked example
#
# The shift of the test statistic under $H_1$ is $\delta = (\mu_1 - \mu_0)\sqrt{n}/\sigma$, and the table's quantiles, Type II error probabilities and powers follow from $\beta = \Phi(z_{1-\alpha} - \delta)$.

# %%
delta = effect * np.sqrt(n) / sigma
check_close(delta, 2.5, "delta = 0.5 * sqrt(100) / 2 = 2.5", rtol=1e-12)

z95, z99, z80 = norm.ppf([0.95, 0.99, 0.80])
check_close([z95, z99, z80], [1.645, 2.326, 0.842], "z_0.95 = 1.645, z_0.99 = 2.326, z_0.8 = 0.842", atol=5e-4)
check_close([z95 - delta, z99 - delta], [-0.855, -0.174], "z_(1-alpha) - 2.5 = -0.855 and -0.174", atol=5e-4)

beta05, beta01 = norm.cdf(z95 - delta), norm.cdf(z99 - delta)
print(f"alpha = 0.05: beta = {beta05:.4f}, power = {1 - beta05:.4f}")
print(f"alpha = 0.01: beta = {beta01:.4f}, power = {1 - beta01:.4f}")
check_close([beta05, beta01], [0.196, 0.431], "beta = Phi(-0.855) = 0.196 and Phi(-0.174) = 0.431", atol=5e-4)
check_close(
    [1 - beta05, 1 - beta01], [0.804, 0.569], "power 0.804 at alpha = 0.05 and 0.569 at alpha = 0.01", atol=5e-4
)
check_close(
    norm.cdf([-0.855, -0.174]), [0.196, 0.431], "the rounded arguments shown give the same rounded beta", atol=5e-4
)
check_close(
    [power(0.05, delta), power(0.01, delta)],
    [1 - beta05, 1 - beta01],
    "1 - beta = Phi(delta - z_(1-alpha)), by 1 - Phi(u) = Phi(-u)",
    rtol=1e-12,
)

check_close(0.05 / 0.01, 5.0, "alpha 0.05 -> 0.01 cuts the false-positive risk by a factor of five", rtol=1e-12)
check(beta01 / beta05 > 2, f"and more than doubles the miss probability (ratio {beta01 / beta05:.2f})")

# %% [markdown]
# ## Sample sizes for 80% power
#
# $n = \left((z_{1-\alpha} + z_{1-\beta})\,\sigma/(\mu_1 - \mu_0)\right)^2$, rounded up.
# With the unrounded quantiles the two sizes are 98.9 and 160.6; the quantiles rounded to three decimals, as printed on the page, give 98.96 and 160.6, so the orders needed (99 and 161) are the same either way.
# Rounding up is what the target requires: one order fewer falls just short of 80% power.

# %%
n05, n01 = sample_size(0.05, 0.8, effect, sigma), sample_size(0.01, 0.8, effect, sigma)
print(f"n = {n05:.3f} at alpha = 0.05 and {n01:.3f} at alpha = 0.01")
check_close(
    [n05, n01], [98.9, 160.6], "unrounded quantiles: n = 98.9 at alpha = 0.05 and 160.6 at alpha = 0.01", atol=0.05
)
check_close(
    ((1.645 + 0.842) * 2 / 0.5) ** 2,
    98.96,
    "with the three-decimal quantiles ((1.645 + 0.842) * 2 / 0.5)^2 = 98.96",
    atol=5e-3,
)
check_close(
    ((2.326 + 0.842) * 2 / 0.5) ** 2,
    160.6,
    "with the three-decimal quantiles ((2.326 + 0.842) * 2 / 0.5)^2 = 160.6",
    atol=0.05,
)
check([int(np.ceil(n05)), int(np.ceil(n01))] == [99, 161], "rounded up: 99 orders and 161 orders")


def power_at_n(alpha, n_orders):
    return power(alpha, effect * np.sqrt(n_orders) / sigma)


check(power_at_n(0.05, 99) >= 0.8 > power_at_n(0.05, 98), "alpha = 0.05: 99 orders reach 80% power, 98 do not")
check(power_at_n(0.01, 161) >= 0.8 > power_at_n(0.01, 160), "alpha = 0.01: 161 orders reach 80% power, 160 do not")
check_close(power_at_n(0.01, n01), 0.8, "at the unrounded n the power is exactly 0.8", rtol=1e-12)

# %% [markdown]
# ## The derivation, symbolically
#
# Under $H_1$, $Z = (\bar x - \mu_1)/(\sigma/\sqrt n) + \delta$; the sample-size formula solves $\delta - z_{1-\alpha} = z_{1-\beta}$ for $n$; and the Neyman-Pearson likelihood ratio of $H_1$ to $H_0$ is increasing in $\bar x$, so "reject when the ratio is large" is "reject when $Z$ is large".

# %%
xbar, m0, m1, s, nn, za, zb = sp.symbols("xbar mu0 mu1 sigma n z_a z_b", positive=True)
Z = (xbar - m0) / (s / sp.sqrt(nn))
check(
    sp.simplify(Z - ((xbar - m1) / (s / sp.sqrt(nn)) + (m1 - m0) * sp.sqrt(nn) / s)) == 0,
    "Z = (xbar - mu1)/(sigma/sqrt n) + (mu1 - mu0) sqrt(n)/sigma",
)
n_sol = sp.solve(sp.Eq((m1 - m0) * sp.sqrt(nn) / s - za, zb), nn)
check(
    len(n_sol) == 1 and sp.simplify(n_sol[0] - ((za + zb) * s / (m1 - m0)) ** 2) == 0,
    "delta - z_(1-alpha) = z_(1-beta) solves to n = ((z_(1-alpha) + z_(1-beta)) sigma / (mu1 - mu0))^2",
)
log_lr = nn * (-((xbar - m1) ** 2) + (xbar - m0) ** 2) / (2 * s**2)  # log N(xbar; mu1, s^2/n) - log N(xbar; mu0, s^2/n)
check(
    sp.simplify(sp.diff(log_lr, xbar) - nn * (m1 - m0) / s**2) == 0,
    "d/d(xbar) of the log likelihood ratio is n (mu1 - mu0)/sigma^2 > 0: the ratio is increasing in xbar",
)

u = np.linspace(-4, 4, 81)
check_close(1 - norm.cdf(u), norm.cdf(-u), "1 - Phi(u) = Phi(-u)", rtol=1e-12, atol=1e-15)

# %% [markdown]
# ## Simulated experiments
#
# 40,000 experiments of 100 normal orders each, half with no effect and half with the USD 0.50 effect.
# The rejection rate under $H_0$ estimates $\alpha$ and under $H_1$ estimates the power; the tolerances are four binomial standard errors.
# Rejecting when the one-sided p-value is at most $\alpha$ is the same decision as $Z > z_{1-\alpha}$.

# %%
reps = 20_000
xbar_h0 = rng.normal(mu0, sigma, size=(reps, n)).mean(axis=1)
xbar_h1 = rng.normal(mu1, sigma, size=(reps, n)).mean(axis=1)
z_h0 = (xbar_h0 - mu0) / (sigma / np.sqrt(n))
z_h1 = (xbar_h1 - mu0) / (sigma / np.sqrt(n))
for alpha in (0.05, 0.01):
    crit = norm.ppf(1 - alpha)
    type1 = np.mean(z_h0 > crit)
    pw = np.mean(z_h1 > crit)
    print(
        f"alpha = {alpha}: simulated Type I rate {type1:.4f}, simulated power {pw:.4f} (formula {power(alpha, delta):.4f})"
    )
    check_close(
        type1,
        alpha,
        f"alpha = {alpha}: the simulated Type I error rate is alpha",
        atol=4 * np.sqrt(alpha * (1 - alpha) / reps),
    )
    check_close(
        pw,
        power(alpha, delta),
        f"alpha = {alpha}: the simulated power matches Phi(delta - z_(1-alpha))",
        atol=4 * np.sqrt(0.25 / reps),
    )
    check(
        np.array_equal(norm.sf(z_h0) <= alpha, z_h0 > crit),
        f"alpha = {alpha}: p <= alpha is the same decision as Z > z_(1-alpha)",
    )
check_close(np.var(xbar_h1, ddof=1), sigma**2 / n, "the sample mean has variance sigma^2/n", rtol=0.05)

# Two arms of n orders each: the difference of the means has variance 2 sigma^2 / n.
diff = rng.normal(0, sigma, size=(reps, n)).mean(axis=1) - rng.normal(0, sigma, size=(reps, n)).mean(axis=1)
check_close(
    np.var(diff, ddof=1),
    2 * sigma**2 / n,
    "two arms of n orders: the difference of the means has variance 2 sigma^2/n",
    rtol=0.05,
)

# %% [markdown]
# ## The trade-off and the escape
#
# At fixed $n$, $\beta$ rises as $\alpha$ falls; at fixed $\alpha$, power rises with $n$, with the effect and as $\sigma$ falls; and a one-sided test is more powerful than a two-sided one at the same level when the effect is in the stated direction.

# %%
alphas = np.linspace(0.001, 0.2, 200)
betas = 1 - power(alphas, delta)
check(
    np.all(np.diff(betas) < 0), "at fixed n, beta decreases as alpha increases (so a smaller alpha means a larger beta)"
)
ns = np.arange(10, 400)
check(np.all(np.diff(power_at_n(0.05, ns)) > 0), "at fixed alpha, power increases with n")
effects = np.linspace(0.1, 1.0, 50)
check(
    np.all(np.diff(power(0.05, effects * np.sqrt(n) / sigma)) > 0),
    "at fixed alpha, power increases with the effect size",
)
sigmas = np.linspace(0.5, 4.0, 50)
check(
    np.all(np.diff(power(0.05, effect * np.sqrt(n) / sigmas)) < 0),
    "at fixed alpha, power decreases as the noise sigma grows",
)
two_sided = norm.cdf(delta - norm.ppf(0.975)) + norm.cdf(-delta - norm.ppf(0.975))
print(f"power at alpha = 0.05: one-sided {power(0.05, delta):.3f}, two-sided {two_sided:.3f}")
check(power(0.05, delta) > two_sided, "a one-sided test has more power than a two-sided test at the same alpha")

# %% [markdown]
# ## Alpha is not the fraction of false alarms
#
# If only 0.1% of tested changes have a real effect, a test with $\alpha = 0.01$ and power 0.8 produces mostly false alarms: the false discovery proportion is $\alpha(1-\pi)/(\alpha(1-\pi) + 0.8\,\pi)$ with $\pi = 0.001$.

# %%
prior, alpha, pw = 0.001, 0.01, 0.8
fdp = alpha * (1 - prior) / (alpha * (1 - prior) + pw * prior)
print(f"false discovery proportion: {fdp:.3f}")
check(fdp > 0.5, f"with rare real effects, alpha = 0.01 still gives mostly false alarms (FDP = {fdp:.2f})")

# %% [markdown]
# ## Many tests at once
#
# With $m = 20$ independent true null hypotheses at $\alpha = 0.05$, the chance of at least one false positive is $1 - 0.95^{20}$; Bonferroni's level $\alpha/m$ brings it back below $\alpha$.
# Peeking at a running test after every 100 orders, ten times, and stopping at the first $Z > z_{0.95}$ raises the Type I error rate well above 0.05.

# %%
m = 20
fwer = 1 - (1 - 0.05) ** m
check_close(fwer, 0.64, "1 - (1 - 0.05)^20 = 0.64", atol=5e-3)
pvals = rng.random((reps, m))  # p-values of true nulls are uniform
check_close(
    np.mean((pvals <= 0.05).any(axis=1)),
    fwer,
    "simulated: P(at least one of 20 true nulls rejected) = 1 - 0.95^20",
    atol=4 * np.sqrt(fwer * (1 - fwer) / reps),
)
bonf = 1 - (1 - 0.05 / m) ** m
check(bonf <= 0.05, f"Bonferroni: testing each at 0.05/20 gives a family-wise rate {bonf:.4f} <= 0.05")

looks, block = 10, 100
block_sums = rng.normal(0, sigma * np.sqrt(block), size=(reps, looks))  # sums of 100 orders each, under H0
z_looks = np.cumsum(block_sums, axis=1) / (sigma * np.sqrt(block * np.arange(1, looks + 1)))
peek_rate = np.mean((z_looks > z95).any(axis=1))
print(f"peeking ten times at alpha = 0.05: Type I error rate {peek_rate:.3f}")
check(peek_rate > 0.1, "stopping at the first significant look out of ten more than doubles the Type I error rate")
check_close(
    np.mean(z_looks[:, -1] > z95),
    0.05,
    "a single look at the planned end keeps the rate at alpha",
    atol=4 * np.sqrt(0.05 * 0.95 / reps),
)

# %% [markdown]
# ## Figure: the two error probabilities in the example
#
# The statistic $Z$ is $\mathcal{N}(0, 1)$ under $H_0$ and $\mathcal{N}(2.5, 1)$ under $H_1$; moving the critical value from $z_{0.95}$ to $z_{0.99}$ shrinks the Type I area and grows the Type II area.

# %%
fig, axes = plt.subplots(1, 2, figsize=(7.6, 3.4), sharey=True)
zz = np.linspace(-3.5, 6.0, 800)
for ax, alpha in zip(axes, (0.05, 0.01), strict=False):
    crit = norm.ppf(1 - alpha)
    b = norm.cdf(crit - delta)
    ax.plot(zz, norm.pdf(zz), color="C0", label="$H_0$: N(0, 1)")
    ax.plot(zz, norm.pdf(zz, delta), color="C1", label="$H_1$: N(2.5, 1)")
    ax.fill_between(zz, norm.pdf(zz), where=zz > crit, color="C0", alpha=0.5, label=f"Type I, α = {alpha}")
    ax.fill_between(zz, norm.pdf(zz, delta), where=zz <= crit, color="C1", alpha=0.3, label=f"Type II, β = {b:.3f}")
    ax.axvline(crit, color="grey", linestyle="--", linewidth=1)
    ax.set_title(f"α = {alpha}: reject when Z > {crit:.3f}\npower = {1 - b:.3f}", fontsize=10)
    ax.set_xlabel("test statistic Z")
    ax.legend(fontsize=7.5, loc="upper left")
axes[0].set_ylabel("density")
axes[0].set_ylim(0, 0.72)
fig.tight_layout()
save_figure(fig, "error-areas")
