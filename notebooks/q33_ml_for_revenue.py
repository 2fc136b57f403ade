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
# The checks derive both formulas with sympy, confirm the geometric lifetime by simulation, recompute the worked numbers (USD 200 against USD 222.22, the constants 15.7 and 21, and 30,400 against 29,826 users per group), check the test's power by simulating it, and verify the CUPED variance factor and the discounted lifetime value.

# %%
import numpy as np
import sympy as sp
from handbook_nb import check, check_close
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
check(
    sp.simplify(ltv.subs(c, (1 - r) * c) / ltv - 1 / (1 - r)) == 0,
    "cutting churn from c to (1 - r) c multiplies the LTV by 1 / (1 - r)",
)
check_close(1 / (1 - 0.10), 1.111, "a 10% relative churn cut is worth about 11% more per subscriber", atol=5e-4)

# %% [markdown]
# A simulation of one million subscribers, each cancelling with probability 5% every month after paying for it, gives a mean lifetime close to 20 months.

# %%
lifetimes = rng.geometric(0.05, size=1_000_000)  # months paid, support 1, 2, ...
check(lifetimes.min() == 1, "every simulated subscriber pays for at least the first month")
check_close(lifetimes.mean(), 20.0, "the simulated mean lifetime at c = 5% is 20 months (within 0.1)", atol=0.1)

# %% [markdown]
# ## The worked example: USD 10 a month, churn 5% cut to 4.5%

# %%
price, c0, c1 = 10.0, 0.05, 0.045
check_close(c1, 0.9 * c0, "4.5% is a 10% relative cut of 5%", rtol=1e-12)
check_close(1 / c0, 20, "at 5% churn a subscriber pays on average 20 months", rtol=1e-12)
check_close(price / c0, 200, "so the lifetime value is USD 200", rtol=1e-12)
check_close(1 / c1, 22.2, "at 4.5% the expected lifetime is about 22.2 months", atol=0.05)
check_close(price / c1, 222.22, "and the lifetime value about USD 222.22", atol=0.005)
check_close(price / c1 - price / c0, 22.22, "an increase of USD 22.22 per subscriber", atol=0.005)
check_close((price / c1) / (price / c0) - 1, 0.111, "that is 11.1% more", atol=5e-4)
check_close(
    1_000_000 * (price / c1 - price / c0) / 1e6, 22.2, "about USD 22.2 million for a cohort of one million", atol=0.05
)

# %% [markdown]
# ## The sample-size formula
#
# With $\mathrm{SE} = \sqrt{2\sigma^2/n}$, the power is $\Phi(\Delta/\mathrm{SE} - z_{1-\alpha/2})$; setting it to $1-\beta$ and solving for $n$ gives $n = 2(z_{1-\alpha/2} + z_{1-\beta})^2\sigma^2/\Delta^2$.

# %%
n_, sigma2, Delta, za, zb = sp.symbols("n sigma2 Delta z_a z_b", positive=True)
SE = sp.sqrt(2 * sigma2 / n_)
solution = sp.solve(sp.Eq(Delta / SE, za + zb), n_)
check(
    len(solution) == 1 and sp.simplify(solution[0] - 2 * (za + zb) ** 2 * sigma2 / Delta**2) == 0,
    "sympy: Delta / SE = z_(1-alpha/2) + z_(1-beta) solves to n = 2 (z_a + z_b)^2 sigma^2 / Delta^2",
)

z975, z80, z90 = norm.ppf(0.975), norm.ppf(0.8), norm.ppf(0.9)
check_close(z975, 1.960, "z_0.975 is about 1.960", atol=5e-4)
check_close(z80, 0.842, "z_0.8 is about 0.842", atol=5e-4)
const80 = 2 * (z975 + z80) ** 2
const90 = 2 * (z975 + z90) ** 2
check_close(const80, 15.7, "2 (1.960 + 0.842)^2 is about 15.7", atol=0.05)
check(int(np.ceil(const80)) == 16, "which rounds up to the rule of thumb 16 sigma^2 / Delta^2")
check_close(const90, 21, "for power 0.9 the constant is about 21", atol=0.05)

# %% [markdown]
# ## The worked test: detecting a churn cut from 5% to 4.5%

# %%
s2 = 0.05 * 0.95
delta = 0.005
check_close(s2, 0.0475, "sigma^2 = 0.05 x 0.95 = 0.0475", rtol=1e-12)
n_rule = 16 * s2 / delta**2
n_exact = const80 * s2 / delta**2
check_close(n_rule, 30_400, "16 x 0.0475 / 0.005^2 = 30,400 users per group", rtol=1e-12)
check(int(np.ceil(n_exact)) == 29_826, f"the exact constant gives about 29,826 ({n_exact:.1f}, rounded up)")
check(
    max(abs(n_rule - 30_000), abs(n_exact - 30_000)) / 30_000 < 0.02,
    "both are 'about 30,000 users per arm', as the spoken answer says",
)
se_exact = np.sqrt(2 * s2 / n_exact)
check_close(norm.cdf(delta / se_exact - z975), 0.8, "at that n the one-tail power formula gives exactly 0.8", rtol=1e-9)
wrong_tail = norm.cdf(-delta / se_exact - z975)
check(wrong_tail < 1e-4, f"the neglected rejection in the wrong tail has probability {wrong_tail:.1e}")

# %% [markdown]
# A simulated experiment: 20 000 repetitions of a two-group test with $n = 30\,400$ users per group, churn 5% in control and 4.5% in treatment, analysed with the usual two-proportion $z$-test.
# The power should be at least 80%; it comes out a little higher because the treatment group's churn variance, $0.045 \times 0.955$, is below the $0.0475$ used for planning.

# %%
n_group, reps = 30_400, 20_000
churn_a = rng.binomial(n_group, 0.05, size=reps) / n_group
churn_b = rng.binomial(n_group, 0.045, size=reps) / n_group
pooled = (churn_a + churn_b) / 2
z_stat = (churn_a - churn_b) / np.sqrt(2 * pooled * (1 - pooled) / n_group)
power_sim = np.mean(np.abs(z_stat) > z975)
check(0.80 <= power_sim <= 0.86, f"the simulated power at 30,400 users per group is {power_sim:.3f}, at least 0.8")
null_b = rng.binomial(n_group, 0.05, size=reps) / n_group
pooled0 = (churn_a + null_b) / 2
size_sim = np.mean(np.abs((churn_a - null_b) / np.sqrt(2 * pooled0 * (1 - pooled0) / n_group)) > z975)
check(
    abs(size_sim - 0.05) < 0.006,
    f"with no true effect the test rejects {size_sim:.3f} of the time, close to alpha = 0.05",
)

# %% [markdown]
# ## CUPED shrinks the variance by the squared correlation
#
# With $\theta = \operatorname{Cov}(Y, X)/\operatorname{Var}(X)$, $\operatorname{Var}(Y - \theta X) = \operatorname{Var}(Y)(1 - \rho^2)$.
# The identity holds exactly for sample moments, so we check it on simulated pre-period and in-experiment listening hours.

# %%
x_pre = rng.gamma(2.0, 10.0, size=50_000)
y_exp = 0.8 * x_pre + rng.normal(scale=8.0, size=x_pre.size)
cov = np.cov(y_exp, x_pre)
theta = cov[0, 1] / cov[1, 1]
rho = cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1])
y_cuped = y_exp - theta * (x_pre - x_pre.mean())
check_close(
    np.var(y_cuped, ddof=1),
    cov[0, 0] * (1 - rho**2),
    "sample Var(Y - theta (X - mean X)) = Var(Y) (1 - rho^2)",
    rtol=1e-10,
)
check_close(y_cuped.mean(), y_exp.mean(), "and the adjustment leaves the mean unchanged", rtol=1e-12)

# %% [markdown]
# ## Discounted lifetime value
#
# Payments at months $0, 1, 2, \dots$, surviving with probability $(1-c)^k$ and discounted by $(1+d)^{-k}$, sum to $m(1+d)/(c+d)$.

# %%
terms = m * ((1 - c) / (1 + d)) ** k
disc = converged(sp.summation(terms, (k, 0, sp.oo)))
check(sp.simplify(disc - m * (1 + d) / (c + d)) == 0, "sympy: sum of m ((1 - c)/(1 + d))^k = m (1 + d) / (c + d)")
check(sp.simplify((m * (1 + d) / (c + d)).subs(d, 0) - m / c) == 0, "with d = 0 it reduces to m / c")
check_close(
    sum(10 * (0.95 / 1.01) ** j for j in range(5000)),
    10 * 1.01 / 0.06,
    "numerically, m = 10, c = 0.05, d = 0.01: the series matches 10 x 1.01 / 0.06",
    rtol=1e-12,
)
