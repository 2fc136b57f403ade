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
# The notebook computes the page's worked example (an A/B test on order values with $\sigma = 2$, effect $0.5$ and $n = 100$) and binds every number the page quotes: the shift $\delta$, the quantiles, $\beta$ and the power at $\alpha = 0.05$ and $0.01$, and the sample sizes for 80% power.
# Each closed form is compared with an independent route: quantiles with numerical integration of the normal density, $\beta$ and the power with simulated experiments, the sample size with a search over $n$ and a simulation at that $n$.
# Further simulations check the page's other claims: the p-value of a $t$-test is uniform under $H_0$, the likelihood-ratio test beats the sign test, the false discovery proportion under rare effects, the family-wise error rate of 20 tests with and without Bonferroni (also under dependence), Benjamini-Hochberg, and the cost of peeking.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from scipy import integrate, stats
from scipy.stats import norm
from sklearn.metrics import confusion_matrix

rng = np.random.default_rng(0)

sigma, effect, n = 2.0, 0.5, 100  # USD standard deviation, hoped-for increase, orders
mu0 = 50.0  # the old page's known mean (any value gives the same results)
mu1 = mu0 + effect
alpha_a, alpha_b, target_power = 0.05, 0.01, 0.8
bind("sigma_usd", sigma)
bind("effect_usd", effect)
bind("n_orders", n)
bind("alpha_a", alpha_a)
bind("alpha_b", alpha_b)
bind("target_power_pct", 100 * target_power)


def power(alpha, delta):
    """Power of the one-sided z-test that rejects when Z > z_(1-alpha), if Z ~ N(delta, 1)."""
    return norm.cdf(delta - norm.ppf(1 - alpha))


def sample_size(alpha, target_power, effect, sigma):
    """((z_(1-alpha) + z_(power)) sigma / effect)^2, before rounding up."""
    return ((norm.ppf(1 - alpha) + norm.ppf(target_power)) * sigma / effect) ** 2


def simulate_z(mu, sd, n_obs, reps):
    """Z statistics (known sigma = sd) of `reps` experiments with `n_obs` normal orders of mean mu."""
    xbar = rng.normal(mu, sd, size=(reps, n_obs)).mean(axis=1)
    return (xbar - mu0) / (sd / np.sqrt(n_obs))


def binomial_se(p, reps):
    return np.sqrt(p * (1 - p) / reps)


# %% [markdown]
# ## The worked example
#
# The shift of the test statistic under $H_1$ is $\delta = (\mu_1 - \mu_0)\sqrt{n}/\sigma$, and the table's quantiles, Type II error probabilities and powers follow from $\beta = \Phi(z_{1-\alpha} - \delta)$.
# The quantiles from `norm.ppf` are checked by integrating the normal density numerically up to them.

# %%
delta = bind("delta", effect * np.sqrt(n) / sigma)
z95, z99, z80 = norm.ppf([1 - alpha_a, 1 - alpha_b, target_power])
for z, q in ((z95, 1 - alpha_a), (z99, 1 - alpha_b), (z80, target_power)):
    area, _ = integrate.quad(norm.pdf, -np.inf, z)
    check_close(area, q, f"the integral of the normal density up to z = {z:.3f} is {q}", rtol=0, atol=1e-9)
bind("z95", z95)
bind("z99", z99)
bind("z80", z80)
bind("arg05", z95 - delta)
bind("arg01", z99 - delta)

beta05, beta01 = norm.cdf(z95 - delta), norm.cdf(z99 - delta)
bind("beta05", beta05)
bind("beta01", beta01)
bind("power05", 1 - beta05)
bind("power01", 1 - beta01)
print(f"alpha = 0.05: beta = {beta05:.4f}, power = {1 - beta05:.4f}")
print(f"alpha = 0.01: beta = {beta01:.4f}, power = {1 - beta01:.4f}")
bind("alpha_ratio", alpha_a / alpha_b)
bind("beta_ratio", beta01 / beta05)

# %% [markdown]
# ## Sample sizes for 80% power
#
# $n = \left((z_{1-\alpha} + z_{1-\beta})\,\sigma/(\mu_1 - \mu_0)\right)^2$, rounded up.
# The page also shows the value with the quantiles rounded to three decimals, as printed in its table.
# Independent routes: the smallest integer $n$ whose closed-form power reaches 0.8, found by a search, must be the rounded-up formula, and the power simulated at that $n$ must be 0.8 within 4 binomial standard errors.

# %%
n05, n01 = sample_size(alpha_a, target_power, effect, sigma), sample_size(alpha_b, target_power, effect, sigma)
print(f"n = {n05:.3f} at alpha = 0.05 and {n01:.3f} at alpha = 0.01")
bind("n05", n05)
bind("n01", n01)
bind("n05_3dec", ((round(z95, 3) + round(z80, 3)) * sigma / effect) ** 2)


def power_at_n(alpha, n_orders):
    return power(alpha, effect * np.sqrt(n_orders) / sigma)


ns = np.arange(2, 1000)
reps_n = 20_000
for alpha, n_formula, name in ((alpha_a, n05, "n05_ceil"), (alpha_b, n01, "n01_ceil")):
    n_search = ns[np.argmax(power_at_n(alpha, ns) >= target_power)]
    check(
        n_search == int(np.ceil(n_formula)),
        f"alpha = {alpha}: the smallest n with power >= 0.8 ({n_search}) is the formula rounded up",
    )
    bind(name, n_search)
    sim_power = np.mean(simulate_z(mu1, sigma, int(n_search), reps_n) > norm.ppf(1 - alpha))
    check_close(
        sim_power,
        target_power,
        f"alpha = {alpha}: simulated power at n = {n_search} is 0.8 within 4 SE ({sim_power:.4f})",
        rtol=0,
        atol=4 * binomial_se(target_power, reps_n),
    )

# %% [markdown]
# ## The derivation, symbolically
#
# Under $H_1$, $Z = (\bar x - \mu_1)/(\sigma/\sqrt n) + \delta$; the sample-size formula solves $\delta - z_{1-\alpha} = z_{1-\beta}$ for $n$; and the Neyman-Pearson log likelihood ratio, built from the two normal densities of $\bar x$, is increasing in $\bar x$, so "reject when the ratio is large" is "reject when $Z$ is large".

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
var_xbar = s**2 / nn


def normal_density(mean):
    return sp.exp(-((xbar - mean) ** 2) / (2 * var_xbar)) / sp.sqrt(2 * sp.pi * var_xbar)


log_lr = sp.expand_log(sp.log(normal_density(m1) / normal_density(m0)), force=True)
check(
    sp.simplify(sp.diff(log_lr, xbar) - nn * (m1 - m0) / s**2) == 0,
    "d/d(xbar) of the log likelihood ratio of the two normal densities is n (mu1 - mu0)/sigma^2 > 0",
)

# %% [markdown]
# ## Simulated experiments
#
# 20,000 experiments of 100 normal orders with no effect and 20,000 with the USD 0.50 effect.
# The rejection rate under $H_0$ estimates $\alpha$ and under $H_1$ estimates the power; the tolerances are four binomial standard errors.
# A confusion matrix of the decisions gives the same estimates as FP/(FP + TN) and FN/(FN + TP), as the follow-up question says.

# %%
reps = 20_000
z_h0 = simulate_z(mu0, sigma, n, reps)
z_h1 = simulate_z(mu1, sigma, n, reps)
truth = np.r_[np.zeros(reps), np.ones(reps)].astype(int)  # 1 = H0 false
sim_beta = {}
for alpha in (alpha_a, alpha_b):
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
        rtol=0,
        atol=4 * binomial_se(alpha, reps),
    )
    check_close(
        pw,
        power(alpha, delta),
        f"alpha = {alpha}: the simulated power matches Phi(delta - z_(1-alpha))",
        rtol=0,
        atol=4 * binomial_se(power(alpha, delta), reps),
    )
    tn, fp, fn, tp = confusion_matrix(truth, (np.r_[z_h0, z_h1] > crit).astype(int)).ravel()
    beta_a = 1 - power(alpha, delta)
    check_close(
        [fp / (fp + tn), fn / (fn + tp)],
        [alpha, beta_a],
        f"alpha = {alpha}: FP/(FP+TN) estimates alpha and FN/(FN+TP) estimates beta (4 SE each)",
        rtol=0,
        atol=4 * np.array([binomial_se(alpha, reps), binomial_se(beta_a, reps)]),
    )
    sim_beta[alpha] = fn / (fn + tp)
# The page's ratio beta(0.01)/beta(0.05): the simulated ratio must match the closed form within 4 delta-method
# standard errors. Both estimates come from the same H1 draws and every miss at 0.05 is also a miss at 0.01, so
# Cov = beta05 (1 - beta01)/reps and Var(log ratio) = (1/beta05 - 1/beta01)/reps.
ratio_sim = sim_beta[alpha_b] / sim_beta[alpha_a]
ratio_se = (beta01 / beta05) * np.sqrt((1 / beta05 - 1 / beta01) / reps)
print(f"beta(0.01)/beta(0.05): closed form {beta01 / beta05:.3f}, simulated {ratio_sim:.3f} (SE {ratio_se:.3f})")
check_close(
    ratio_sim,
    beta01 / beta05,
    "tightening alpha from 0.05 to 0.01 multiplies the simulated miss probability by the closed-form ratio (4 SE)",
    rtol=0,
    atol=4 * ratio_se,
)
check(ratio_sim - 4 * ratio_se > 2, "and the simulated ratio is more than 2 by over 4 standard errors")

# Two arms of n orders each: the difference of the means has variance 2 sigma^2 / n.
# The sample variance of `reps` normal values has relative standard error sqrt(2/(reps - 1)); 4 of them is the tolerance.
diff = rng.normal(0, sigma, size=(reps, n)).mean(axis=1) - rng.normal(0, sigma, size=(reps, n)).mean(axis=1)
check_close(
    np.var(diff, ddof=1),
    2 * sigma**2 / n,
    "two arms of n orders: the difference of the means has variance 2 sigma^2/n",
    rtol=4 * np.sqrt(2 / (reps - 1)),
)

# %% [markdown]
# ## p-values
#
# With $\sigma$ estimated, $\mu = \mu_0$ is a composite null ($\sigma$ is unknown), but the $t$ statistic's null distribution does not depend on $\sigma$, so the one-sided $t$-test's p-value (`scipy.stats.ttest_1samp`) is uniform and "reject when the p-value is at most $\alpha$" has Type I error exactly $\alpha$.
# Under the composite null $\mu \le \mu_0$ the rate is below $\alpha$ when $\mu < \mu_0$.

# %%
reps_t = 10_000
x_h0 = rng.normal(mu0, sigma, size=(reps_t, 30))
p_h0 = stats.ttest_1samp(x_h0, mu0, axis=1, alternative="greater").pvalue
ks = stats.kstest(p_h0, "uniform")
print(f"KS test of uniform p-values under H0: p = {ks.pvalue:.3f}")
check(ks.pvalue > 0.001, "t-test p-values are uniform under mu = mu0 with sigma unknown (KS test p > 0.001)")
check_close(
    np.mean(p_h0 <= alpha_a),
    alpha_a,
    "rejecting when p <= 0.05 has Type I error rate 0.05 (4 SE)",
    rtol=0,
    atol=4 * binomial_se(alpha_a, reps_t),
)
p_inside = stats.ttest_1samp(rng.normal(mu0 - 0.3, sigma, size=(reps_t, 30)), mu0, axis=1, alternative="greater")
check(
    np.mean(p_inside.pvalue <= alpha_a) < alpha_a - 4 * binomial_se(alpha_a, reps_t),
    "inside a composite null (mu < mu0) the rejection rate is below alpha",
)

# %% [markdown]
# ## The trade-off and the escape
#
# At fixed $n$, $\beta$ rises as $\alpha$ falls; at fixed $\alpha$, power rises with $n$ and with the effect and falls as $\sigma$ grows; a one-sided test is more powerful than a two-sided one at the same level when the effect is in the stated direction.
# Each claim is a comparison of two simulated rejection rates whose 4-standard-error intervals do not overlap.

# %%
reps_s = 10_000


def sim_power(alpha, eff, sd, n_obs, two_sided=False):
    z = simulate_z(mu0 + eff, sd, n_obs, reps_s)
    if two_sided:
        return np.mean(np.abs(z) > norm.ppf(1 - alpha / 2))
    return np.mean(z > norm.ppf(1 - alpha))


def clearly_above(p_hi, p_lo):
    return p_hi - 4 * binomial_se(p_hi, reps_s) > p_lo + 4 * binomial_se(p_lo, reps_s)


base = sim_power(alpha_a, effect, sigma, n)
check(
    clearly_above(1 - sim_power(alpha_b, effect, sigma, n), 1 - base),
    "at fixed n, alpha 0.05 -> 0.01 raises beta",
)
check(clearly_above(base, sim_power(alpha_a, effect, sigma, n // 2)), "at fixed alpha, power increases with n")
check(clearly_above(base, sim_power(alpha_a, effect / 2, sigma, n)), "at fixed alpha, power increases with the effect")
check(clearly_above(base, sim_power(alpha_a, effect, 2 * sigma, n)), "at fixed alpha, power falls as sigma grows")
two_sided = sim_power(alpha_a, effect, sigma, n, two_sided=True)
print(f"simulated power at alpha = 0.05: one-sided {base:.3f}, two-sided {two_sided:.3f}")
check(clearly_above(base, two_sided), "a one-sided test has more power than a two-sided test at the same alpha")

# %% [markdown]
# ## Neyman-Pearson: the likelihood-ratio test is the most powerful
#
# On the same simulated data, the $z$-test (the likelihood-ratio test) against the sign test, which rejects when the number of orders above $\mu_0$ is large.
# The sign test is discrete; its critical count is chosen so that its level is at most 0.05.

# %%
x0 = rng.normal(mu0, sigma, size=(reps_s, n))
x1 = rng.normal(mu1, sigma, size=(reps_s, n))
k_crit = int(stats.binom.ppf(1 - alpha_a, n, 0.5)) + 1  # reject when #(x > mu0) >= k_crit
sign_level = stats.binom.sf(k_crit - 1, n, 0.5)
check(sign_level <= alpha_a, f"the sign test with critical count {k_crit} has level {sign_level:.4f} <= 0.05")
sign_power = np.mean((x1 > mu0).sum(axis=1) >= k_crit)
z_power = np.mean((x1.mean(axis=1) - mu0) / (sigma / np.sqrt(n)) > z95)
check_close(
    np.mean((x0 > mu0).sum(axis=1) >= k_crit),
    sign_level,
    "the sign test's simulated Type I rate is its exact level (4 SE)",
    rtol=0,
    atol=4 * binomial_se(sign_level, reps_s),
)
print(f"power at level 0.05: z-test {z_power:.3f}, sign test {sign_power:.3f}")
check(clearly_above(z_power, sign_power), "the likelihood-ratio (z) test is more powerful than the sign test")

# %% [markdown]
# ## Alpha is not the fraction of false alarms
#
# If only 0.1% of tested changes have a real effect, a test with $\alpha = 0.01$ and power 0.8 produces mostly false alarms: the formula gives the false discovery proportion $\alpha(1-\pi)/(\alpha(1-\pi) + 0.8\,\pi)$ with $\pi = 0.001$.
# A simulation of 400,000 experiments (a real effect with probability $\pi$, the statistic $Z \sim \mathcal{N}(0, 1)$ or $\mathcal{N}(z_{0.99} + z_{0.8}, 1)$) must agree within 4 standard errors.

# %%
prior, pw = 0.001, 0.8
fdp = alpha_b * (1 - prior) / (alpha_b * (1 - prior) + pw * prior)
n_exp = 400_000
real = rng.random(n_exp) < prior
z_exp = rng.normal(np.where(real, z99 + z80, 0.0), 1.0)
rejected = z_exp > z99
fdp_sim = np.mean(~real[rejected])
print(f"false discovery proportion: formula {fdp:.3f}, simulated {fdp_sim:.3f} ({rejected.sum()} rejections)")
check_close(
    fdp_sim,
    fdp,
    "rare real effects: simulated false fraction of rejections matches the formula (4 SE)",
    rtol=0,
    atol=4 * binomial_se(fdp, rejected.sum()),
)
check(fdp_sim > 0.5, "with rare real effects, alpha = 0.01 still gives mostly false alarms")

# %% [markdown]
# ## Many tests at once
#
# With $m = 20$ independent true null hypotheses at $\alpha = 0.05$, the chance of at least one false positive is $1 - 0.95^{20}$ (closed form against simulated uniform p-values).
# Bonferroni's level $\alpha/m$ keeps it at most $\alpha$, also when the tests are dependent (equicorrelated normal statistics with correlation 0.5), because it rests on the union bound only.
# Benjamini-Hochberg at $q = 0.05$, with 1,000 tests of which 10% have an effect and independent statistics, keeps the false discovery rate at most $q$ and rejects more than Bonferroni.
# Peeking at a running test after every 100 orders, ten times, and stopping at the first $Z > z_{0.95}$ raises the Type I error rate well above 0.05.

# %%
m = 20
fwer = bind("fwer", 1 - (1 - alpha_a) ** m)
bind("m_tests", m)
pvals = rng.random((reps, m))  # p-values of true nulls are uniform
check_close(
    np.mean((pvals <= alpha_a).any(axis=1)),
    fwer,
    "simulated: P(at least one of 20 true nulls rejected) = 1 - 0.95^20 (4 SE)",
    rtol=0,
    atol=4 * binomial_se(fwer, reps),
)
shared = rng.standard_normal((reps, 1))
z_corr = np.sqrt(0.5) * shared + np.sqrt(0.5) * rng.standard_normal((reps, m))  # correlation 0.5
for label, z_fam in (("independent", rng.standard_normal((reps, m))), ("correlation 0.5", z_corr)):
    bonf_rate = np.mean((z_fam > norm.ppf(1 - alpha_a / m)).any(axis=1))
    print(f"Bonferroni, {label}: family-wise rate {bonf_rate:.4f}")
    check(
        bonf_rate <= alpha_a + 4 * binomial_se(alpha_a, reps),
        f"Bonferroni at 0.05/20, {label} tests: family-wise rate <= 0.05 (+4 SE)",
    )

reps_bh, m_bh, q_bh = 1_000, 1_000, 0.05
has_effect = np.zeros(m_bh, dtype=bool)
has_effect[: m_bh // 10] = True
fdp_bh, n_bh, n_bonf = [], [], []
for _ in range(reps_bh):
    z_bh = rng.normal(np.where(has_effect, 3.0, 0.0), 1.0)
    p_bh = norm.sf(z_bh)
    rej = stats.false_discovery_control(p_bh, method="bh") <= q_bh
    fdp_bh.append(np.sum(rej & ~has_effect) / max(rej.sum(), 1))
    n_bh.append(rej.sum())
    n_bonf.append(np.sum(p_bh <= q_bh / m_bh))
fdr, fdr_se = np.mean(fdp_bh), np.std(fdp_bh, ddof=1) / np.sqrt(reps_bh)
print(
    f"BH: FDR {fdr:.4f} (bound (1 - 0.1) q = {0.9 * q_bh}); rejections BH {np.mean(n_bh):.1f}, Bonferroni {np.mean(n_bonf):.1f}"
)
check(fdr <= q_bh + 4 * fdr_se, "Benjamini-Hochberg, independent tests: false discovery rate <= q (+4 SE)")
check(np.mean(n_bh) > np.mean(n_bonf), "Benjamini-Hochberg rejects more hypotheses than Bonferroni")

looks, block = 10, 100
block_sums = rng.normal(0, sigma * np.sqrt(block), size=(reps, looks))  # sums of 100 orders each, under H0
z_looks = np.cumsum(block_sums, axis=1) / (sigma * np.sqrt(block * np.arange(1, looks + 1)))
peek_rate = np.mean((z_looks > z95).any(axis=1))
print(f"peeking ten times at alpha = 0.05: Type I error rate {peek_rate:.3f}")
check(
    peek_rate > 2 * alpha_a + 4 * binomial_se(peek_rate, reps),
    "stopping at the first significant look out of ten more than doubles the Type I error rate",
)
check_close(
    np.mean(z_looks[:, -1] > z95),
    alpha_a,
    "a single look at the planned end keeps the rate at alpha (4 SE)",
    rtol=0,
    atol=4 * binomial_se(alpha_a, reps),
)

# %% [markdown]
# ## Figure: the two error probabilities in the example
#
# The statistic $Z$ is $\mathcal{N}(0, 1)$ under $H_0$ and $\mathcal{N}(\delta, 1)$ under $H_1$; moving the critical value from $z_{0.95}$ to $z_{0.99}$ shrinks the Type I area and grows the Type II area.

# %%
fig, axes = plt.subplots(1, 2, figsize=(7.6, 3.4), sharey=True)
zz = np.linspace(-3.5, 6.0, 800)
for ax, alpha in zip(axes, (alpha_a, alpha_b), strict=True):
    crit = norm.ppf(1 - alpha)
    b = norm.cdf(crit - delta)
    ax.plot(zz, norm.pdf(zz), color="C0", label="$H_0$: N(0, 1)")
    ax.plot(zz, norm.pdf(zz, delta), color="C1", label=f"$H_1$: N({delta:g}, 1)")
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
