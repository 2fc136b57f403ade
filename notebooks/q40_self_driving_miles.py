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
# # How many failure-free miles prove a self-driving fleet is safe?
#
# Kalra and Paddock's zero-failure argument: if fatalities follow a Poisson process, a fleet must drive $n \ge -\log(1-C)/r$ miles without one to show, at confidence $C$, that its rate is below the benchmark $r$.
# The checks derive the bound with sympy, confirm that the per-mile binomial version agrees to three significant figures, recompute 274.8 million miles for $r = 1.09$ per 100 million miles and $C = 0.95$, simulate the test's false-acceptance rate, and redo the 12.5-year fleet calculation.

# %%
import numpy as np
import sympy as sp
from handbook_nb import check, check_close
from scipy.stats import poisson

rng = np.random.default_rng(0)

# %% [markdown]
# ## The bound
#
# The probability of no fatality in $n$ miles is $e^{-\rho n}$, largest over $\rho \ge r$ at $\rho = r$; requiring $e^{-rn} \le 1 - C$ and solving for $n$ gives the bound.

# %%
rho, n, r = sp.symbols("rho n r", positive=True)
check_close(
    poisson.pmf(0, 2.5),
    np.exp(-2.5),
    "a Poisson count with mean rho n is zero with probability exp(-rho n) (mean 2.5)",
    rtol=1e-12,
)
check(
    sp.diff(sp.exp(-rho * n), rho) == -n * sp.exp(-rho * n),
    "d/d rho of exp(-rho n) = -n exp(-rho n) < 0, so the worst case over rho >= r is rho = r",
)
q = sp.symbols("q", positive=True)  # q = 1 - C, the allowed probability of the observation
n_star = sp.solve(sp.Eq(sp.exp(-r * n), q), n)
check(
    len(n_star) == 1 and sp.simplify(sp.expand_log(n_star[0] - (-sp.log(q) / r), force=True)) == 0,
    "sympy: exp(-r n) = 1 - C at n = -log(1 - C) / r",
)
check(sp.diff(-sp.log(q) / r, q) < 0, "a smaller 1 - C (higher confidence) needs more miles")

# %% [markdown]
# ## The numbers: 1.09 fatalities per 100 million miles, 95% confidence

# %%
rate = 1.09 / 1e8
conf = 0.95
check_close(-np.log(1 - conf), 2.996, "-log 0.05 is about 2.996", atol=5e-4)
miles = -np.log(1 - conf) / rate
check_close(miles, 2.75e8, "n >= 2.996 / 1.09e-8, about 2.75 x 10^8 miles", atol=0.005e8)
check_close(miles / 1e6, 274.8, "that is 274.8 million miles", atol=0.05)
check_close(miles / 1e6, 275, "about 275 million failure-free miles", atol=0.5)
check_close(
    np.exp(-rate * miles),
    0.05,
    "at that mileage a fleet exactly as bad as humans has a 5% chance of no fatality",
    rtol=1e-12,
)

binomial_miles = np.log(1 - conf) / np.log1p(-rate)
check(
    f"{binomial_miles:.3g}" == f"{miles:.3g}",
    f"the per-mile binomial model gives {binomial_miles:.6g}, the same to three significant figures",
)
check(
    abs(binomial_miles - miles) / miles < 1e-8,
    "in fact the relative difference is below 1e-8, since log(1 - r) is about -r",
)

# %% [markdown]
# ## Simulating the test
#
# We simulate 200 000 fleets whose true rate equals the human benchmark, each driving 274.8 million miles.
# The test wrongly declares "safer than humans" only when a fleet has no fatality, which should happen in about 5% of them; for a fleet twice as bad it almost never happens.

# %%
fleets = 200_000
deaths = rng.poisson(rate * miles, size=fleets)
false_accept = np.mean(deaths == 0)
check(
    abs(false_accept - 0.05) < 0.003,
    f"a fleet as bad as humans passes {false_accept:.4f} of the time, about 1 - C = 0.05",
)
check(
    np.mean(rng.poisson(2 * rate * miles, size=fleets) == 0) < 0.005,
    "a fleet twice as bad passes in under 0.5% of simulations",
)
check_close(
    np.mean(deaths),
    -np.log(0.05),
    "at the benchmark rate such a fleet expects -log 0.05, about 3 fatalities",
    atol=0.02,
)

# %% [markdown]
# ## How long would the road test take?
#
# 100 vehicles driving 24 hours a day, 365 days a year, at 25 miles per hour.

# %%
miles_per_year = 100 * 25 * 24 * 365
check(miles_per_year == 21_900_000, "100 x 25 x 24 x 365 = 21,900,000 miles a year")
years = miles / miles_per_year
check_close(274.8 / 21.9, 12.5, "274.8 / 21.9 is about 12.5", atol=0.05)
check_close(years, 12.5, f"so the road test takes about 12.5 years ({years:.3f})", atol=0.05)
