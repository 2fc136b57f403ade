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
# # Losses, the properties they estimate, and threshold decisions
#
# Each loss makes a different property of the conditional distribution optimal: squared loss the mean, absolute loss the median, 0-1 loss the most probable class.
# The checks prove these three facts numerically and symbolically, derive the cost threshold $t = c_{\mathrm{FP}}/(c_{\mathrm{FP}} + c_{\mathrm{FN}})$, and recompute both worked examples of the page: the 5-star review and the flight whose mean delay of 13 minutes gives the wrong decision.

# %%
from fractions import Fraction

import numpy as np
import sympy as sp
from handbook_nb import check, check_close
from scipy import stats
from scipy.integrate import quad
from scipy.optimize import minimize_scalar

# %% [markdown]
# ## An ordinal target: the 5-star review
#
# The true rating is 5; model A predicts 4 and model B predicts 1.

# %%
truth, pred_a, pred_b = 5, 4, 1
zero_one = [int(p != truth) for p in (pred_a, pred_b)]
absolute = [abs(truth - p) for p in (pred_a, pred_b)]
squared = [(truth - p) ** 2 for p in (pred_a, pred_b)]
check(zero_one == [1, 1], "0-1 loss: both models are simply wrong (loss 1 each)")
check(absolute == [1, 4], "absolute error: A costs 1 and B costs 4")
check(squared == [1, 16], "squared error: A costs 1 and B costs 16")

# %% [markdown]
# ## The flight-delay example
#
# Among flights with the same features the delay is 0, 0, 0, 5 or 60 minutes, each with probability $1/5$, and the question is whether it exceeds $a = 10$ minutes.
# Exact fractions avoid any rounding.

# %%
delays = [0, 0, 0, 5, 60]
prob = Fraction(1, 5)
a = 10

mean_delay = sum(prob * d for d in delays)
p_late = sum(prob for d in delays if d > a)
check(mean_delay == 13, "the conditional mean delay is (0 + 0 + 0 + 5 + 60)/5 = 13 minutes")
check(mean_delay > a, "thresholding the mean says 'late' because 13 > 10")
check(p_late == Fraction(1, 5), "P(y > 10 | x) = 1/5 = 0.2")
check(float(np.median(delays)) == 0.0, "the median delay is 0")
check(1 - p_late == Fraction(4, 5), "with equal costs 'not late' is right 80 % of the time")
check(p_late == Fraction(1, 5), "and 'late' is right 20 % of the time")

# %% [markdown]
# The best constants under each loss, found by brute force over a fine grid of candidate predictions, are the mean, the median and the most probable value.

# %%
values, counts = np.unique(delays, return_counts=True)
pmf = counts / counts.sum()
grid = np.linspace(-5, 70, 75_001)  # spacing 0.001
exp_sq = ((values[None, :] - grid[:, None]) ** 2) @ pmf
exp_abs = np.abs(values[None, :] - grid[:, None]) @ pmf
check_close(grid[np.argmin(exp_sq)], 13.0, "squared loss: the best constant is the mean, 13", atol=1e-3)
check_close(grid[np.argmin(exp_abs)], 0.0, "absolute loss: the best constant is the median, 0", atol=1e-3)
exp_01 = {c: 1 - pmf[values == c].sum() for c in values}
check(min(exp_01, key=exp_01.get) == 0, "0-1 loss: the best guess is the most probable value, 0")

# %% [markdown]
# ## Unequal costs move the threshold
#
# Predicting positive costs $(1 - p)\,c_{\mathrm{FP}}$ in expectation and predicting negative costs $p\,c_{\mathrm{FN}}$; sympy solves for the break-even probability.

# %%
p_sym, c_fp, c_fn = sp.symbols("p c_FP c_FN", positive=True)
t_sym = sp.solve(sp.Eq((1 - p_sym) * c_fp, p_sym * c_fn), p_sym)
check(
    len(t_sym) == 1 and sp.simplify(t_sym[0] - c_fp / (c_fp + c_fn)) == 0,
    "the break-even probability is t = c_FP / (c_FP + c_FN)",
)
check(t_sym[0].subs({c_fp: 1, c_fn: 1}) == sp.Rational(1, 2), "equal costs give t = 1/2")

t = Fraction(1, 1 + 5)
check(t == Fraction(1, 6), "with c_FN = 5 and c_FP = 1 the threshold is t = 1/(1 + 5) = 1/6")
check_close(float(t), 0.167, "1/6 is about 0.167", atol=5e-4)
check(p_late > t, "0.2 > 1/6, so the best decision flips to 'late'")
cost_late = (1 - p_late) * 1
cost_not_late = p_late * 5
check(cost_late == Fraction(4, 5), "expected cost of 'late' is 0.8 x 1 = 0.8")
check(cost_not_late == 1, "expected cost of 'not late' is 0.2 x 5 = 1.0")
check(cost_late < cost_not_late, "so 'late' is the cheaper decision")
check(p_late < Fraction(1, 2), "but with equal costs (t = 1/2) 'not late' is right, whatever the mean says")

# %% [markdown]
# ## Squared loss: expected loss is variance plus squared bias
#
# Step 2 of the derivation, $\mathbb{E}[(y - c)^2] = \operatorname{Var}(y) + (m - c)^2$, for the flight distribution and for a symbolic $c$.

# %%
c = sp.symbols("c", real=True)
ys = [sp.Integer(d) for d in delays]
m = sum(ys) / 5
var = sum((yv - m) ** 2 for yv in ys) / 5
lhs = sum((yv - c) ** 2 for yv in ys) / 5
check(sp.expand(lhs - (var + (m - c) ** 2)) == 0, "E[(y - c)^2] = Var(y) + (m - c)^2 for every c (flight distribution)")

# %% [markdown]
# ## Absolute loss: the derivative of the expected loss
#
# Step 3 for a continuous, skewed distribution: an exponential with mean 13.
# The derivative of $c \mapsto \mathbb{E}|y - c|$ is compared with $2F(c) - 1$ at several points, and the minimiser with the median $13\ln 2$.

# %%
dist = stats.expon(scale=13.0)


def expected_abs(cc):
    left, _ = quad(lambda v: (cc - v) * dist.pdf(v), 0, cc, epsabs=1e-12)
    right, _ = quad(lambda v: (v - cc) * dist.pdf(v), cc, np.inf, epsabs=1e-12)
    return left + right


for cc in (2.0, 9.0, 20.0, 40.0):
    h = 1e-4
    deriv = (expected_abs(cc + h) - expected_abs(cc - h)) / (2 * h)
    check_close(deriv, 2 * dist.cdf(cc) - 1, f"exponential, c = {cc}: d/dc E|y - c| = 2F(c) - 1", atol=1e-6)

best = minimize_scalar(expected_abs, bounds=(0, 60), method="bounded", options={"xatol": 1e-8})
check_close(best.x, 13 * np.log(2), "the minimiser of E|y - c| is the median 13 ln 2, not the mean 13", atol=1e-5)

# %% [markdown]
# ## A threshold decision needs the exceedance probability, not the mean
#
# Step 6: for the exponential with mean 13 and $a = 10$, the mean says "late" but the median $13\ln 2 \approx 9.0$ is below 10, so $P(y > 10) < 1/2$ and, with equal costs, "not late" is right.
# For a symmetric distribution the mean and median agree and the two rules coincide.

# %%
check(dist.mean() > 10, "exponential: the mean 13 is above a = 10")
check(dist.sf(10) < 0.5, f"but P(y > 10) = {dist.sf(10):.3f} < 1/2, because the median 9.0 is below 10")
sym = stats.norm(loc=13, scale=5)
check(
    sym.sf(10) > 0.5 and sym.median() == sym.mean(),
    "for a symmetric distribution mean and median agree, and both rules say 'late'",
)
