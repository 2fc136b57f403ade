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
# # The unbiased pass@k estimator, checked by enumeration, exact expectation and simulation
#
# Chen et al. (2021) estimate pass@k, the probability that at least one of $k$ samples solves a problem, from $m$ samples of which $c$ are correct, by $1 - \binom{m-c}{k} / \binom{m}{k}$.
# The notebook checks the page's claims against independent routes: the product form against exact binomial coefficients, the estimator against brute-force enumeration of all $k$-subsets, its unbiasedness against the exact expectation under the binomial distribution of $c$ and against a simulated benchmark, the downward bias of the plug-in estimator $1 - (1 - c/m)^k$, the variance gain from drawing $m > k$ samples, and the standard error of a benchmark score against simulation.

# %%
import itertools
from fractions import Fraction
from math import comb

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import comb as scipy_comb
from scipy.stats import binom, norm

rng = np.random.default_rng(0)


def pass_at_k(m, c, k):
    """Unbiased estimator 1 - C(m-c, k)/C(m, k) in the numerically stable product form of Chen et al. (2021)."""
    if m - c < k:
        return 1.0
    return 1.0 - np.prod(1.0 - k / np.arange(m - c + 1, m + 1))


def plug_in(m, c, k):
    """The naive estimator: estimate p by c/m, then plug it into 1 - (1 - p)^k."""
    return 1.0 - (1.0 - c / m) ** k


# %% [markdown]
# ## The product form equals the ratio of binomial coefficients
#
# $\binom{m-c}{k}/\binom{m}{k} = \prod_{j=m-c+1}^{m} (1 - k/j)$; the exact integers of `math.comb` are the independent route.

# %%
m_big = 200
worst = 0.0
for k in (1, 10, 100):
    for c in range(m_big + 1):
        exact = 1 - Fraction(comb(m_big - c, k), comb(m_big, k))
        worst = max(worst, abs(pass_at_k(m_big, c, k) - float(exact)))
check(
    worst < 1e-12, f"product form = 1 - C(m-c,k)/C(m,k) for m = 200, every c, k in 1, 10, 100 (max error {worst:.1e})"
)

# where computing the largest coefficient C(m, m // 2) directly breaks: 64-bit integers, then float64
m_int64 = next(m for m in range(2, 200) if comb(m, m // 2) > np.iinfo(np.int64).max)
with np.errstate(over="ignore"):
    m_float64 = next(m for m in range(2, 5000) if np.isinf(scipy_comb(m, m // 2)))
fmax = float(np.finfo(float).max)  # a Python float, so the comparison with exact integers is exact
check(
    comb(m_float64, m_float64 // 2) > fmax > comb(m_float64 - 1, (m_float64 - 1) // 2),
    "SciPy's float overflow point agrees with the exact integers of math.comb",
)
bind("m_int64", m_int64)
bind("m_float64", m_float64)

# %% [markdown]
# ## The estimator is the fraction of k-subsets that contain a correct sample
#
# Derivation step 2: among the $\binom{m}{k}$ subsets of size $k$ of the $m$ samples, $\binom{m-c}{k}$ contain only failures.

# %%
m_small = 8
ok = True
for c in range(m_small + 1):
    labels = np.r_[np.ones(c), np.zeros(m_small - c)]
    for k in range(1, m_small + 1):
        subsets = list(itertools.combinations(range(m_small), k))
        frac = Fraction(sum(labels[list(s)].max() > 0 for s in subsets), len(subsets))
        ok &= abs(pass_at_k(m_small, c, k) - float(frac)) < 1e-12
check(ok, "for m = 8 and every c and k, the estimator = fraction of k-subsets with at least one correct sample")

# %% [markdown]
# ## Worked example: 10 samples, 3 correct, k = 5

# %%
ex_m, ex_c, ex_k = 10, 3, 5
for name_, value_ in (("ex_m", ex_m), ("ex_c", ex_c), ("ex_k", ex_k), ("ex_m_minus_c", ex_m - ex_c)):
    bind(name_, value_)
bind("ex_comb_fail", comb(ex_m - ex_c, ex_k))
bind("ex_comb_all", comb(ex_m, ex_k))
subsets = list(itertools.combinations(range(ex_m), ex_k))
labels = np.r_[np.ones(ex_c), np.zeros(ex_m - ex_c)]
check_close(
    pass_at_k(ex_m, ex_c, ex_k),
    np.mean([labels[list(s)].max() > 0 for s in subsets]),
    "worked example: estimator = fraction of the 252 subsets of 5 that hold a correct sample",
    rtol=1e-12,
    name="ex_unbiased",
)
bind("ex_phat", ex_c / ex_m)
bind("ex_plugin", plug_in(ex_m, ex_c, ex_k))

# %% [markdown]
# ## Unbiasedness: the exact expectation under c ~ Binomial(m, p)
#
# For a problem whose samples are correct independently with probability $p$, the true pass@k is $1 - (1 - p)^k$.
# Summing the estimator against SciPy's binomial mass function gives its exact expectation; the plug-in estimator's expectation falls below the truth (Jensen's inequality, since $1 - (1 - p)^k$ is concave in $p$).

# %%
m_fig, k_fig = 20, 10
bind("m_fig", m_fig)
bind("k_fig", k_fig)
p_grid = np.linspace(0.0, 1.0, 101)
cs = np.arange(m_fig + 1)
est_u = np.array([pass_at_k(m_fig, c, k_fig) for c in cs])
est_n = np.array([plug_in(m_fig, c, k_fig) for c in cs])
mean_u = np.array([binom.pmf(cs, m_fig, p) @ est_u for p in p_grid])
mean_n = np.array([binom.pmf(cs, m_fig, p) @ est_n for p in p_grid])
truth = 1 - (1 - p_grid) ** k_fig
check_close(mean_u, truth, "E[estimator] = 1 - (1-p)^k exactly, for m = 20, k = 10 and p on a grid", atol=1e-12)
check(np.all(mean_n <= truth + 1e-12), "the plug-in estimator is biased low at every p (Jensen)")
i_worst = np.argmax(truth - mean_n)
bind("bias_p", p_grid[i_worst])
bind("bias_truth", truth[i_worst])
bind("bias_plugin", mean_n[i_worst])

# %% [markdown]
# ## A simulated benchmark: the estimator is unbiased for the benchmark's pass@k
#
# $N$ problems with per-problem success probabilities $p_i$ drawn from a Beta distribution (many hard problems, a few easy ones); each evaluation draws $m$ samples per problem.
# Over many repeated evaluations the mean of the unbiased estimator should sit within sampling error of the true $\frac{1}{N}\sum_i [1 - (1 - p_i)^k]$, and the plug-in mean should not.

# %%
n_problems, m_sim, n_evals = 164, 200, 2000  # 164 problems, as in HumanEval; 200 samples, as in Chen et al.
bind("n_problems", n_problems)
bind("m_sim", m_sim)
bind("n_evals", n_evals)
p_i = rng.beta(0.3, 0.7, size=n_problems)
ks = np.array([1, 2, 5, 10, 20, 50, 100])
true_pk = np.array([np.mean(1 - (1 - p_i) ** k) for k in ks])
c_sim = rng.binomial(m_sim, p_i, size=(n_evals, n_problems))
# tables of both estimators for every possible c, then look them up
tab_u = np.array([[pass_at_k(m_sim, c, k) for c in range(m_sim + 1)] for k in ks])
tab_n = np.array([[plug_in(m_sim, c, k) for c in range(m_sim + 1)] for k in ks])
score_u = tab_u[:, c_sim].mean(axis=2)  # (len(ks), n_evals): the benchmark score of each evaluation
score_n = tab_n[:, c_sim].mean(axis=2)
se_u = score_u.std(axis=1, ddof=1) / np.sqrt(n_evals)
check(
    np.all(np.abs(score_u.mean(axis=1) - true_pk) < 4 * se_u + 1e-12),
    "simulated benchmark: the unbiased estimator's mean is within 4 SE of the true pass@k for every k",
)
se_n = score_n.std(axis=1, ddof=1) / np.sqrt(n_evals)
check(
    np.all((true_pk - score_n.mean(axis=1))[1:] > 4 * se_n[1:]),
    "simulated benchmark: the plug-in estimator is below the true pass@k by more than 4 SE for every k > 1",
)
i100 = int(np.where(ks == 100)[0][0])
bind("sim_k", ks[i100])
bind("sim_true", true_pk[i100])
bind("sim_unbiased", score_u[i100].mean())
bind("sim_plugin", score_n[i100].mean())

# %% [markdown]
# ## Drawing m > k samples lowers the variance
#
# With exactly $m = k$ samples the estimator is the indicator "some sample is correct", with variance $q(1-q)$ for $q = 1 - (1-p)^k$.
# The exact variance with $m$ samples, from the binomial mass function, is smaller; a simulation confirms it.

# %%
p_var, k_var = 0.05, 10
bind("p_var", p_var)
bind("k_var", k_var)
q_var = 1 - (1 - p_var) ** k_var
sd_mk = np.sqrt(q_var * (1 - q_var))
# independent route for the m = k case: the estimator itself with m = k, under c ~ Binomial(k, p)
cs_k = np.arange(k_var + 1)
est_k = np.array([pass_at_k(k_var, c, k_var) for c in cs_k])
pm_k = binom.pmf(cs_k, k_var, p_var)
check_close(np.sqrt(pm_k @ est_k**2 - (pm_k @ est_k) ** 2), sd_mk, "with m = k the SD is sqrt(q(1-q))", rtol=1e-10)
cs_v = np.arange(m_sim + 1)
est_v = np.array([pass_at_k(m_sim, c, k_var) for c in cs_v])
pm = binom.pmf(cs_v, m_sim, p_var)
sd_m = np.sqrt(pm @ est_v**2 - (pm @ est_v) ** 2)
sim_v = est_v[rng.binomial(m_sim, p_var, size=200_000)]
check_close(sim_v.std(), sd_m, "exact SD of the estimator with m = 200 matches 200,000 simulated draws", rtol=0.02)
bind("q_var", q_var)
bind("sd_m_equals_k", sd_mk)
bind("sd_m200", sd_m)
check(sd_m < sd_mk / 2, "200 samples give less than half the SD of exactly k samples")


def exact_sd(m, k, p):
    c = np.arange(m + 1)
    est, pmf = np.array([pass_at_k(m, ci, k) for ci in c]), binom.pmf(c, m, p)
    return np.sqrt(pmf @ est**2 - (pmf @ est) ** 2)


sds = np.array([exact_sd(m, k_var, p_var) for m in (k_var, 20, 50, 100, 200, 400)])
check(np.all(np.diff(sds) < 0), "step 4: the SD falls as m grows (m = k, 20, 50, 100, 200, 400)")

# %% [markdown]
# ## The sampling error of a benchmark score
#
# A benchmark of $N$ independent problems, each solved with probability $a$, has a score with standard error $\sqrt{a(1-a)/N}$ (over the draw of problems from a larger population of similar problems).
# At $a = 0.5$ and $N = 164$ this is about 3.9 points; a simulation confirms it.

# %%
acc = 0.5
se_formula = np.sqrt(acc * (1 - acc) / n_problems)
sim_scores = rng.binomial(n_problems, acc, size=200_000) / n_problems
check_close(sim_scores.std(), se_formula, "SE of a 164-problem score at 50%: formula vs 200,000 simulations", rtol=0.01)
bind("acc_se", acc)
bind("se_points", 100 * se_formula)
ci_level = 95
bind("ci_level", ci_level)
bind("ci_points", 100 * norm.ppf(1 - (1 - ci_level / 100) / 2) * se_formula)

# %% [markdown]
# ## Figure: bias of the plug-in estimator

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
ax = axes[0]
ax.plot(p_grid, truth, "k-", label="true pass@k, $1-(1-p)^k$")
ax.plot(p_grid, mean_u, "C0--", label="mean of unbiased estimator")
ax.plot(p_grid, mean_n, "C3-", label="mean of plug-in $1-(1-c/m)^k$")
ax.set_xlabel("per-sample success probability p")
ax.set_ylabel("pass@k")
ax.set_title(f"One problem, m = {m_fig}, k = {k_fig}")
ax.legend(fontsize=8)
ax = axes[1]
ax.semilogx(ks, true_pk, "k-o", label="true")
ax.semilogx(ks, score_u.mean(axis=1), "C0--s", label="unbiased (mean of evaluations)")
ax.semilogx(ks, score_n.mean(axis=1), "C3-^", label="plug-in (mean of evaluations)")
ax.set_xlabel("k (log scale)")
ax.set_ylabel("benchmark pass@k")
ax.set_title(f"{n_problems} problems, m = {m_sim} samples each")
ax.legend(fontsize=8)
fig.tight_layout()
save_figure(fig, "pass-at-k-bias")
