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
# # Lifetime value under churn, and the size of an A/B test
#
# The page sizes a recommendation project for a subscription service in two steps: the lifetime value $m/c$ of a subscriber with monthly churn $c$, and the number of users per group an A/B test needs to detect a churn cut.
# The checks derive both formulas with sympy and test each against a second route: the lifetime values by simulating subscribers, the normal quantiles against sympy's exact inverse error function, the sample-size formula by simulating A/B tests at the computed size, the CUPED factor by simulating experiments, and the discounted value by summing the series.
# The page's numbers are bound from here (`bind`), so the page cannot drift from this computation.

# %%
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close
from scipy.stats import norm

rng = np.random.default_rng(0)

# %% [markdown]
# ## Expected lifetime and lifetime value
#
# With $P(T > k) = (1-c)^k$, the tail-sum formula gives $\mathbb{E}[T] = \sum_{k \ge 0}(1-c)^k = 1/c$.

# %%
c, m, r, d = sp.symbols("c m r d", positive=True)
k = sp.symbols("k", integer=True, nonnegative=True)


def converged(series):
    """The value of a series, dropping sympy's convergence condition |1 - c| < 1 (true for 0 < c < 1)."""
    series = sp.piecewise_fold(series)
    return sp.simplify(series.args[0][0] if isinstance(series, sp.Piecewise) else series)


ET = converged(sp.summation((1 - c) ** k, (k, 0, sp.oo)))
check(sp.simplify(ET - 1 / c) == 0, f"sympy: sum over k >= 0 of (1 - c)^k = 1/c (got {ET})")
check(
    sp.simplify(converged(sp.summation(k * c * (1 - c) ** (k - 1), (k, 1, sp.oo))) - 1 / c) == 0,
    "the direct mean of the geometric pmf c (1 - c)^(k-1) on k = 1, 2, ... is also 1/c",
)
ltv = m * ET
gain_ratio = sp.simplify(ltv.subs(c, (1 - r) * c) / ltv)
check(sp.simplify(gain_ratio - 1 / (1 - r)) == 0, "cutting churn from c to (1 - r) c multiplies the LTV by 1 / (1 - r)")

# %% [markdown]
# ## The worked example: USD 10 a month, churn 5% cut to 4.5%
#
# The lifetime values are measured a second way, by simulating one million subscribers at each churn rate: each pays for a month and then cancels with probability $c$.
# A geometric lifetime has standard deviation $\sqrt{1-c}/c$, so the simulated mean LTV must lie within 4 standard errors of $m/c$.
# A page that wrote the lifetime as $1/c - 1$ (forgetting the first month) or the LTV as $m(1-c)/c$ would fail by about 10 standard errors.

# %%
price, c0, r_cut = 10.0, 0.05, 0.10
c1 = (1 - r_cut) * c0
bind("price_usd", price)
bind("churn0_pct", 100 * c0)
bind("churn1_pct", 100 * c1)
bind("cut_pct", 100 * r_cut)
n_subs = 1_000_000
for churn, label in [(c0, "5%"), (c1, "4.5%")]:
    paid = price * rng.geometric(churn, size=n_subs)  # USD paid over the lifetime, months 1, 2, ...
    se = price * np.sqrt(1 - churn) / churn / np.sqrt(n_subs)
    check(
        abs(paid.mean() - price / churn) <= 4 * se,
        f"at {label} churn the simulated LTV {paid.mean():.2f} is within 4 SE ({se:.2f}) of m / c = {price / churn:.2f}",
    )
bind("life0_months", 1 / c0)
bind("ltv0_usd", price / c0)
bind("life1_months", 1 / c1)
bind("ltv1_usd", price / c1)
gain_usd = bind("gain_usd", price / c1 - price / c0)
gain_pct = bind("gain_pct", 100 * float(gain_ratio.subs(r, r_cut)) - 100)  # sympy's 1 / (1 - r) at r = 0.1
bind("cohort_gain_musd", 1_000_000 * gain_usd / 1e6)

# %% [markdown]
# ## The sample-size formula
#
# With $\mathrm{SE} = \sqrt{2\sigma^2/n}$, the power is $\Phi(\Delta/\mathrm{SE} - z_{1-\alpha/2})$; setting it to $1-\beta$ and solving for $n$ gives $n = 2(z_{1-\alpha/2} + z_{1-\beta})^2\sigma^2/\Delta^2$.
# The quantiles from scipy are compared with sympy's exact $\sqrt{2}\,\operatorname{erf}^{-1}(2q - 1)$.

# %%
n_, sigma2, Delta, za, zb = sp.symbols("n sigma2 Delta z_a z_b", positive=True)
SE = sp.sqrt(2 * sigma2 / n_)
solution = sp.solve(sp.Eq(Delta / SE, za + zb), n_)
check(
    len(solution) == 1 and sp.simplify(solution[0] - 2 * (za + zb) ** 2 * sigma2 / Delta**2) == 0,
    "sympy: Delta / SE = z_(1-alpha/2) + z_(1-beta) solves to n = 2 (z_a + z_b)^2 sigma^2 / Delta^2",
)


def z_exact(q):
    return float(sp.sqrt(2) * sp.erfinv(2 * sp.Rational(q) - 1))


z975, z80, z90 = norm.ppf(0.975), norm.ppf(0.8), norm.ppf(0.9)
check_close(z975, z_exact("0.975"), "scipy's z_0.975 matches sympy's exact quantile", rtol=1e-10, name="z975")
check_close(z80, z_exact("0.8"), "scipy's z_0.8 matches sympy's exact quantile", rtol=1e-10, name="z80")
check_close(z90, z_exact("0.9"), "scipy's z_0.9 matches sympy's exact quantile", rtol=1e-10)
const80 = bind("const80", 2 * (z975 + z80) ** 2)
const90 = bind("const90", 2 * (z975 + z90) ** 2)

# %% [markdown]
# ## The worked test: detecting a churn cut from 5% to 4.5%

# %%
s2 = bind("s2", c0 * (1 - c0))
delta = bind("delta", c0 - c1)
n_rule = bind("n_rule", 16 * s2 / delta**2)
n_exact = const80 * s2 / delta**2
n_exact_up = bind("n_exact", np.ceil(n_exact))
bind("n_spoken", round(n_exact, -3))  # "about 30,000 users per arm"

# %% [markdown]
# The formula is tested by simulation.
# Each of 20 000 simulated experiments has `n_exact` users per group; a user's metric is "churned" (Bernoulli 5%) in control, and the same Bernoulli minus $\Delta$ in treatment, so both groups have the planning variance $\sigma^2$ and the effect is exactly $\Delta$.
# A two-sided $z$-test at $\alpha = 0.05$ must then reject in 80% of experiments, within 4 Monte-Carlo standard errors ($4\sqrt{0.8 \times 0.2/20\,000} \approx 0.011$).
# A page that dropped the factor 2 (one group's variance only) would predict power 0.8 at half this $n$, where the simulation gives about 0.51.

# %%
reps = 20_000
n_sim = int(n_exact_up)
mean_a = rng.binomial(n_sim, c0, size=reps) / n_sim
mean_b = rng.binomial(n_sim, c0, size=reps) / n_sim - delta
power_sim_exact = np.mean(np.abs(mean_a - mean_b) / np.sqrt(2 * s2 / n_sim) > z975)
mc_se = np.sqrt(0.8 * 0.2 / reps)
check(
    abs(power_sim_exact - 0.8) <= 4 * mc_se,
    f"at n = {n_sim} per group the simulated power is {power_sim_exact:.3f}, 0.8 within 4 SE",
)
wrong_tail = norm.cdf(-delta / np.sqrt(2 * s2 / n_exact) - z975)
check(wrong_tail < 1e-4, f"the neglected rejection in the wrong tail has probability {wrong_tail:.1e}")

# %% [markdown]
# The real experiment: two groups of 30 400 users with churn 5% and 4.5%, analysed with the usual pooled two-proportion $z$-test.
# The power should be at least 80%; it comes out a little higher because the treatment group's churn variance, $0.045 \times 0.955$, is below the $0.0475$ used for planning.
# With no true effect the same test must reject in 5% of experiments, within 4 standard errors.

# %%
n_group = int(n_rule)
churn_a = rng.binomial(n_group, c0, size=reps) / n_group
churn_b = rng.binomial(n_group, c1, size=reps) / n_group
pooled = (churn_a + churn_b) / 2
z_stat = (churn_a - churn_b) / np.sqrt(2 * pooled * (1 - pooled) / n_group)
power_sim = np.mean(np.abs(z_stat) > z975)
check(
    power_sim - 4 * mc_se >= 0.8, f"the simulated power at {n_group} users per group is {power_sim:.3f}, at least 0.8"
)
null_b = rng.binomial(n_group, c0, size=reps) / n_group
pooled0 = (churn_a + null_b) / 2
size_sim = np.mean(np.abs((churn_a - null_b) / np.sqrt(2 * pooled0 * (1 - pooled0) / n_group)) > z975)
check(
    abs(size_sim - 0.05) <= 4 * np.sqrt(0.05 * 0.95 / reps),
    f"with no true effect the test rejects {size_sim:.3f} of the time, alpha = 0.05 within 4 SE",
)

# %% [markdown]
# ## Peeking inflates the false-positive rate
#
# The page warns against stopping an A/B test the first time it looks significant.
# We simulate A/A tests (no effect) that look at the data after each of 10 equal batches and stop at the first $\lvert z \rvert > 1.96$.
# The share of tests that ever reject must exceed 0.05 by more than 4 standard errors.

# %%
looks, batch = 10, 3_000
sums_a = np.cumsum(rng.binomial(batch, c0, size=(reps, looks)), axis=1)
sums_b = np.cumsum(rng.binomial(batch, c0, size=(reps, looks)), axis=1)
seen = batch * np.arange(1, looks + 1)
p_pool = (sums_a + sums_b) / (2 * seen)
z_looks = (sums_a - sums_b) / seen / np.sqrt(2 * p_pool * (1 - p_pool) / seen)
peek_fpr = np.mean(np.any(np.abs(z_looks) > z975, axis=1))
check(
    peek_fpr > 0.05 + 4 * np.sqrt(0.05 * 0.95 / reps),
    f"stopping at the first significant look of {looks} gives a false-positive rate of {peek_fpr:.3f}, not 0.05",
)

# %% [markdown]
# ## CUPED shrinks the variance by the squared correlation
#
# With $\theta = \operatorname{Cov}(Y, X)/\operatorname{Var}(X)$, the page says analysing $Y - \theta(X - \mathbb{E}[X])$ multiplies the variance by $1 - \rho^2$ and leaves the effect unbiased.
# In the model below (pre-period hours $X$ gamma with shape 2 and scale 10, in-experiment hours $Y = 0.8X + \text{noise}$ of standard deviation 8) the population values are $\operatorname{Var}X = 200$, $\operatorname{Var}Y = 0.64 \times 200 + 64 = 192$ and $\rho^2 = 160^2/(200 \times 192) = 2/3$.
# We simulate 2 000 A/B tests of 1 000 users per group with a true effect of 0.5 hours, estimate $\theta$ on each test's pooled data, and compare the spread of the plain and the CUPED effect estimates.
# Each sample variance has relative standard error $\sqrt{2/1999} \approx 0.032$, so the ratio is within $4\sqrt{2} \times 0.032 = 0.18$ (relative) of $1 - \rho^2 = 1/3$ (bounding the ratio's error as if the two variances were independent; they are positively correlated, which only helps); writing $1 - \rho$ (0.18, that is 45% lower) would fail.
# The CUPED estimates must average to the true effect within 4 standard errors.

# %%
tests, per_group, effect = 2_000, 1_000, 0.5
x = rng.gamma(2.0, 10.0, size=(tests, 2 * per_group))
y = 0.8 * x + rng.normal(scale=8.0, size=x.shape)
y[:, per_group:] += effect  # the second half of each test is the treatment group
xc = x - x.mean(axis=1, keepdims=True)
yc = y - y.mean(axis=1, keepdims=True)
theta = (xc * yc).sum(axis=1) / (xc**2).sum(axis=1)
y_cuped = y - theta[:, None] * xc
plain = y[:, per_group:].mean(axis=1) - y[:, :per_group].mean(axis=1)
cuped = y_cuped[:, per_group:].mean(axis=1) - y_cuped[:, :per_group].mean(axis=1)
rho2 = 160**2 / (200 * 192)
ratio = cuped.var(ddof=1) / plain.var(ddof=1)
check(
    abs(ratio / (1 - rho2) - 1) <= 4 * np.sqrt(2) * np.sqrt(2 / (tests - 1)),
    f"Var(CUPED effect) / Var(plain effect) = {ratio:.3f}, 1 - rho^2 = {1 - rho2:.3f} within 4 SE",
)
check(
    abs(cuped.mean() - effect) <= 4 * cuped.std(ddof=1) / np.sqrt(tests),
    f"the CUPED effect estimates average {cuped.mean():.4f}, the true effect {effect} within 4 SE",
)

# %% [markdown]
# ## Discounted lifetime value
#
# Payments at months $0, 1, 2, \dots$, surviving with probability $(1-c)^k$ and discounted by $(1+d)^{-k}$, sum to $m(1+d)/(c+d)$.
# The closed form is compared with the series summed term by term, and the 10% churn cut is valued again under discounting at $d = 1\%$ a month: the ratio of the two summed series must equal the page's multiplier $(c+d)/((1-r)c+d)$, and the gain is smaller than the undiscounted 11.1%.

# %%
terms = m * ((1 - c) / (1 + d)) ** k
disc = converged(sp.summation(terms, (k, 0, sp.oo)))
check(sp.simplify(disc - m * (1 + d) / (c + d)) == 0, "sympy: sum of m ((1 - c)/(1 + d))^k = m (1 + d) / (c + d)")
d_rate = 0.01
bind("disc_pct", 100 * d_rate)


def series(churn):
    return sum(price * ((1 - churn) / (1 + d_rate)) ** j for j in range(5000))


check_close(
    series(c0),
    float(disc.subs({m: price, c: c0, d: d_rate})),
    "numerically, m = 10, c = 0.05, d = 0.01: the series matches m (1 + d) / (c + d)",
    rtol=1e-12,
)
gain_disc_pct = bind("gain_disc_pct", 100 * series(c1) / series(c0) - 100)
check_close(
    series(c1) / series(c0),
    (c0 + d_rate) / (c1 + d_rate),
    "the summed series give the page's discounted multiplier (c + d) / ((1 - r) c + d)",
    rtol=1e-10,
)
check(
    gain_disc_pct < gain_pct,
    f"with discounting the 10% churn cut gains {gain_disc_pct:.1f}%, less than {gain_pct:.1f}%",
)
