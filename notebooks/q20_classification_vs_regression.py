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
# The checks test these three facts numerically and symbolically, derive the cost threshold $t = c_{\mathrm{FP}}/(c_{\mathrm{FP}} + c_{\mathrm{FN}})$, recompute both worked examples of the page (the 5-star review, and the flight whose mean delay gives the wrong decision) and check the decisions by simulation, and compare a thresholded regression with a classifier trained on the threshold event.

# %%
from fractions import Fraction

import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close
from scipy import stats
from scipy.integrate import quad
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, zero_one_loss

# %% [markdown]
# ## An ordinal target: the 5-star review
#
# The true rating is 5; model A predicts 4 and model B predicts 1.

# %%
truth, pred_a, pred_b = 5, 4, 1
losses = {
    name: [metric([truth], [p]) for p in (pred_a, pred_b)]
    for name, metric in (
        ("zero_one", zero_one_loss),
        ("absolute", mean_absolute_error),
        ("squared", mean_squared_error),
    )
}
check(losses["zero_one"][0] == losses["zero_one"][1], "0-1 loss (scikit-learn): A and B are equally wrong")
check(
    losses["absolute"][0] < losses["absolute"][1] and losses["squared"][0] < losses["squared"][1],
    "absolute and squared error (scikit-learn) tell A's near miss from B's blunder",
)
bind("stars_true", truth)
bind("stars_a", pred_a)
bind("stars_b", pred_b)
for name, (la, lb) in losses.items():
    bind(f"{name}_a", la)
    bind(f"{name}_b", lb)

# %% [markdown]
# ## The flight-delay example
#
# Among flights with the same features the delay is 0, 0, 0, 5 or 60 minutes, each with probability $1/5$, and the question is whether it exceeds $a = 10$ minutes.
# The page's numbers are computed exactly with fractions; a simulation of a million flights then checks every decision independently.

# %%
delays = [0, 0, 0, 5, 60]
prob = Fraction(1, 5)
a = 10
cost_fn_ratio = 5  # a missed late flight costs five false alarms
cost_fp = 1  # the cost of a false alarm

mean_delay = sum(prob * d for d in delays)
p_late = sum(prob for d in delays if d > a)
median_delay = float(np.median(delays))
bind("mean_delay", mean_delay)
bind("p_late", p_late)
bind("p_right_not_late_pct", 100 * (1 - p_late))
bind("p_right_late_pct", 100 * p_late)
bind("median_delay", median_delay)
bind("threshold_a", a)
bind("n_values", len(delays))
for i, d in enumerate(delays, start=1):
    bind(f"delay{i}", d)

# %% [markdown]
# The best constants under each loss, found by brute force over a fine grid of candidate predictions, must be the mean, the median and the most probable value.
# The page's flight distribution cannot tell the median from the mode (both 0), so we also use delays 0, 0, 3, 4, 60, whose mode 0, median 3 and mean 13.4 all differ.
# A page saying that 0-1 loss gives the median, or absolute loss the mean, fails here.

# %%
grid = np.linspace(-5, 70, 75_001)  # spacing 0.001
for sample in (delays, [0, 0, 3, 4, 60]):
    values, counts = np.unique(sample, return_counts=True)
    pmf = counts / counts.sum()
    exp_sq = ((values[None, :] - grid[:, None]) ** 2) @ pmf
    exp_abs = np.abs(values[None, :] - grid[:, None]) @ pmf
    exp_01 = {c: 1 - pmf[values == c].sum() for c in values}
    check_close(grid[np.argmin(exp_sq)], np.mean(sample), f"{sample}: squared loss picks the mean", atol=1e-3)
    check_close(grid[np.argmin(exp_abs)], np.median(sample), f"{sample}: absolute loss picks the median", atol=1e-3)
    check(min(exp_01, key=exp_01.get) == stats.mode(sample).mode, f"{sample}: 0-1 loss picks the most probable value")

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
t_equal = t_sym[0].subs({c_fp: cost_fp, c_fn: cost_fp})
t_cost = t_sym[0].subs({c_fp: cost_fp, c_fn: cost_fn_ratio})
bind("t_equal", float(t_equal))
bind("t_cost", float(t_cost))
bind("c_fn", cost_fn_ratio)
bind("c_fp", cost_fp)
cost_late = (1 - p_late) * cost_fp
cost_not_late = p_late * cost_fn_ratio
bind("cost_late", cost_late)
bind("cost_not_late", cost_not_late)

# %% [markdown]
# Now the decisions by simulation: a million flights drawn from the five-point distribution.
# For each cost setting we estimate the expected cost of always saying "late" and of always saying "not late", and the cheaper one must be the decision of the rule $P(y > a) > t$ with $t$ from sympy.
# The exact expected costs must lie within 4 Monte-Carlo standard errors of the simulated ones.
# Under equal costs, the rule "late when the mean exceeds $a$" must cost more than the Bayes rule by $1 - 2P(y > a)$, again within 4 standard errors.
# A page with the threshold formula inverted, $t = c_{\mathrm{FN}}/(c_{\mathrm{FP}} + c_{\mathrm{FN}}) = 5/6$, would get the second decision wrong here.

# %%
rng = np.random.default_rng(0)
n_sim = 1_000_000
sim = rng.choice(delays, size=n_sim)
late = sim > a
check_close(sim.mean(), float(mean_delay), "simulated mean delay = exact mean", atol=4 * sim.std() / np.sqrt(n_sim))
check_close(
    late.mean(),
    float(p_late),
    "simulated P(y > a) = exact value",
    atol=4 * np.sqrt(float(p_late * (1 - p_late)) / n_sim),
)
settings = (
    (cost_fp, t_equal, (1 - p_late) * cost_fp, p_late * cost_fp),
    (cost_fn_ratio, t_cost, cost_late, cost_not_late),
)
for c_fn_value, t_value, exact_late, exact_not in settings:
    say_late = np.where(late, 0.0, float(cost_fp))  # a false alarm costs c_FP
    say_not = np.where(late, float(c_fn_value), 0.0)  # a missed late flight costs c_FN
    se_late, se_not = say_late.std() / np.sqrt(n_sim), say_not.std() / np.sqrt(n_sim)
    check_close(say_late.mean(), float(exact_late), f"c_FN = {c_fn_value}: cost of 'late'", atol=4 * se_late)
    check_close(say_not.mean(), float(exact_not), f"c_FN = {c_fn_value}: cost of 'not late'", atol=4 * se_not)
    check(
        (say_late.mean() < say_not.mean()) == (float(p_late) > float(t_value)),
        f"c_FN = {c_fn_value}: the simulated cheaper decision is the rule P(y > a) > t = {t_value}",
    )
mean_rule_cost = (~late).mean() if mean_delay > a else late.mean()  # equal costs: the error rate of the mean rule
bayes_cost = min(late.mean(), (~late).mean())
check_close(
    mean_rule_cost - bayes_cost,
    1 - 2 * float(p_late),
    "equal costs: thresholding the mean costs 1 - 2P(y > a) more than the Bayes rule",
    atol=4 * np.sqrt(4 * float(p_late * (1 - p_late)) / n_sim),
)

# %% [markdown]
# ## Squared loss: expected loss is variance plus squared bias
#
# Step 2 of the derivation, $\mathbb{E}[(y - c)^2] = \operatorname{Var}(y) + (m - c)^2$ with $m = \mathbb{E}[y]$ (the page's $f(\mathbf{x})$) and a candidate prediction $c$ (the page's $\hat{y}$), for the flight distribution and a symbolic $c$.

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
# Step 6, end to end: with one input $x$ uniform on $[0, 1]$, delays are exponential with mean $8 + 8x$ (skewed), and the decision is whether the delay exceeds $a = 10$.
# A least-squares regression (which learns the mean, linear here) thresholded at $a$ says "late" for $x > 0.25$; the right rule, $P(y > a \mid x) > 1/2$, says "late" only when the median exceeds $a$, for $x > 10/(8\ln 2) - 1 \approx 0.80$.
# A logistic regression trained on the event $y > a$ must take the right decision more often on fresh test flights than the thresholded regression, by more than 4 standard errors of the paired difference.


# %%
def flights(m):
    x = rng.uniform(0, 1, m)
    return x[:, None], rng.exponential(8 + 8 * x)


n_fl = 20_000
x_tr, y_tr = flights(n_fl)
x_te, y_te = flights(n_fl)
event_te = y_te > a
reg_says = LinearRegression().fit(x_tr, y_tr).predict(x_te) > a
clf_says = LogisticRegression().fit(x_tr, y_tr > a).predict(x_te)
right_reg, right_clf = reg_says == event_te, clf_says == event_te
gain = right_clf.astype(float) - right_reg
check(
    gain.mean() > 4 * gain.std() / np.sqrt(n_fl),
    f"classifier on 'y > a' right {right_clf.mean():.3f} of the time vs thresholded regression {right_reg.mean():.3f}",
)
bind("n_flights", n_fl)
bind("acc_reg_pct", 100 * right_reg.mean())
bind("acc_clf_pct", 100 * right_clf.mean())
