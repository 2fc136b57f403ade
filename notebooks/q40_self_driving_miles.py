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
# Kalra and Paddock's zero-failure argument: if fatalities follow a Poisson process, a fleet must drive $M \ge -\log\alpha/r$ miles without one to show, at confidence $1 - \alpha$, that its rate is below the benchmark $r$.
# The checks derive the bound with sympy, compare it with the exact (Garwood) Poisson upper confidence limit from scipy and with the per-mile binomial model, simulate the test's false-acceptance rate, simulate the precision argument behind "billions of miles", and bind every number the page quotes.

# %%
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close
from scipy.stats import chi2, norm, poisson

rng = np.random.default_rng(0)

# %% [markdown]
# ## The bound
#
# The probability of no fatality in $M$ miles is $e^{-\nu M}$, largest over $\nu \ge r$ at $\nu = r$; requiring $e^{-rM} \le \alpha$ and solving for $M$ gives the bound.

# %%
nu, M, r = sp.symbols("nu M r", positive=True)
check_close(
    poisson.pmf(0, 2.5),
    np.exp(-2.5),
    "scipy: a Poisson count with mean nu M is zero with probability exp(-nu M) (mean 2.5)",
    rtol=1e-12,
)
check(
    sp.diff(sp.exp(-nu * M), nu) == -M * sp.exp(-nu * M),
    "d/d nu of exp(-nu M) = -M exp(-nu M) < 0, so the worst case over nu >= r is nu = r",
)
a = sp.symbols("alpha", positive=True)  # the allowed probability of the observation
M_star = sp.solve(sp.Eq(sp.exp(-r * M), a), M)
check(
    len(M_star) == 1 and sp.simplify(sp.expand_log(M_star[0] - (-sp.log(a) / r), force=True)) == 0,
    "sympy: exp(-r M) = alpha at M = -log(alpha) / r",
)

# %% [markdown]
# ## The numbers: the 2013 rate of 1.09 fatalities per 100 million miles, 95% confidence
#
# A second route: the exact one-sided upper confidence limit for a Poisson mean after zero events is $\chi^2_{1-\alpha}(2)/2$ (Garwood 1936).
# After $M$ failure-free miles the upper limit on the rate is that number divided by $M$; at the page's mileage it must equal the benchmark $r$.
# A page that used the two-sided quantile ($-\log 0.025 \approx 3.69$) would fail here.

# %%
rate_2013 = bind("rate_2013", 1.09) / 1e8  # Kalra and Paddock's benchmark, fatalities per mile
alpha = 0.05
bind("conf_pct", 100 * (1 - alpha))
bind("alpha", alpha)
neg_log = bind("neg_log_alpha", -np.log(alpha))
miles = neg_log / rate_2013
garwood = chi2.ppf(1 - alpha, 2) / 2
check_close(
    garwood / miles, rate_2013, "the exact Poisson 95% upper limit after 0 events in M miles equals r", rtol=1e-10
)
bind("miles_1e8", miles / 1e8)
bind("miles_m", miles / 1e6)
check_close(
    np.log(alpha) / np.log1p(-rate_2013),
    miles,
    "the per-mile binomial model log(alpha) / log(1 - r) gives the same miles, to 8 significant figures",
    rtol=1e-8,
)

# %% [markdown]
# At the 2023 US rate, 1.26 fatalities per 100 million vehicle miles (NHTSA, *Traffic Safety Facts* 2023), the same argument needs fewer miles, because the benchmark is worse.
# The number is bound, not checked: comparing it with the 2013 mileage would only re-check that 1.26 > 1.09.

# %%
rate_2023 = bind("rate_2023", 1.26) / 1e8
miles_2023 = bind("miles_2023_m", chi2.ppf(1 - alpha, 2) / 2 / rate_2023 / 1e6)
print(f"{miles_2023:.0f} million failure-free miles at the 2023 rate")

# %% [markdown]
# ## Simulating the test
#
# We simulate 200 000 fleets whose true rate equals the 2013 human benchmark, each driving the bound's mileage.
# The test wrongly declares "safer than humans" only when a fleet has no fatality, which must happen in $\alpha = 5\%$ of them within 4 Monte-Carlo standard errors; for a fleet twice as bad it must happen in about $\alpha^2 = 0.25\%$.

# %%
fleets = 200_000
false_accept = np.mean(rng.poisson(rate_2013 * miles, size=fleets) == 0)
check(
    abs(false_accept - alpha) <= 4 * np.sqrt(alpha * (1 - alpha) / fleets),
    f"a fleet as bad as humans passes {false_accept:.4f} of the time, alpha = 0.05 within 4 SE",
)
twice = np.mean(rng.poisson(2 * rate_2013 * miles, size=fleets) == 0)
check(
    abs(twice - alpha**2) <= 4 * np.sqrt(alpha**2 * (1 - alpha**2) / fleets),
    f"a fleet twice as bad passes {twice:.4f} of the time, alpha^2 = 0.0025 within 4 SE",
)

# %% [markdown]
# ## "Billions of miles" to estimate the rate precisely
#
# Kalra and Paddock also ask how many miles estimate the fatality rate to within 20% with 95% confidence.
# With $k$ fatalities the estimate $k/M$ has relative standard error $1/\sqrt{\nu M}$, so the normal approximation needs $\nu M = (z_{0.975}/0.2)^2 \approx 96$ expected fatalities.
# A simulation of fleets at that mileage must find the estimate within 20% of the truth in the share that the exact Poisson distribution gives (within 4 Monte-Carlo standard errors), and that exact share must be close to 95% (within 0.01, the error we allow the normal approximation).

# %%
events = (norm.ppf(0.975) / 0.2) ** 2
precise_miles = events / rate_2013
bind("precise_miles_bn", precise_miles / 1e9)
estimates = rng.poisson(events, size=fleets) / precise_miles
within = np.mean(np.abs(estimates / rate_2013 - 1) <= 0.2)
exact = poisson.cdf(np.floor(1.2 * events), events) - poisson.cdf(np.ceil(0.8 * events) - 1, events)
check(
    abs(within - exact) <= 4 * np.sqrt(exact * (1 - exact) / fleets),
    f"simulated share within 20%: {within:.4f}, exact Poisson share {exact:.4f}, within 4 SE",
)
check(
    abs(exact - 0.95) <= 0.01, f"at {precise_miles / 1e9:.1f} billion miles the exact share {exact:.3f} is about 0.95"
)

# %% [markdown]
# ## How long would the road test take?
#
# Kalra and Paddock's fleet: 100 vehicles driving 24 hours a day, 365 days a year, at 25 miles per hour.

# %%
vehicles, hours, days, mph = bind("vehicles", 100), bind("hours", 24), bind("days", 365), bind("mph", 25)
miles_per_year = vehicles * mph * hours * days
bind("miles_per_year_m", miles_per_year / 1e6)
years = bind("years", miles / miles_per_year)

# %% [markdown]
# ## Literature values quoted on the page
#
# Waymo's reported rider-only mileage through September 2025 (Waymo Safety Impact pages), kept here so that the page has one source for it.

# %%
bind("waymo_ro_miles_m", 127)
