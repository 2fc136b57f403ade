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
# # Designing and analysing an A/B test: sample size, peeking, sequential boundaries, multiple comparisons
#
# The worked example is a conversion-rate test: control rate 10%, smallest effect worth detecting one percentage point, two-sided $\alpha = 0.05$, power 80%.
# The checks compare each closed form with an independent route: the sample size with simulated experiments on Bernoulli data; the false-positive rate of peeking with simulated A/A tests and with a numerical recursion for the Brownian-motion limit (and with Armitage, McPherson and Rowe's published values); the Pocock and O'Brien-Fleming constants with the published tables and with simulation; and the multiple-comparison corrections with simulation and with SciPy's Benjamini-Hochberg.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import brentq
from scipy.signal import fftconvolve
from scipy.stats import false_discovery_control, multivariate_normal, norm

rng = np.random.default_rng(0)

# %% [markdown]
# ## Sample size per arm for two proportions
#
# $n = (z_{1-\alpha/2} + z_{1-\beta})^2\,[p_A(1 - p_A) + p_B(1 - p_B)]/\Delta^2$ per arm, with $\Delta = p_B - p_A$.

# %%
p_a, delta_abs, alpha, power_target = 0.10, 0.01, 0.05, 0.80
p_b = p_a + delta_abs
for name_, val_ in (
    ("p_a_pct", 100 * p_a),
    ("delta_pp", 100 * delta_abs),
    ("p_b_pct", 100 * p_b),
    ("alpha", alpha),
    ("power_pct", 100 * power_target),
):
    bind(name_, val_)
bind("rel_lift_pct", 100 * delta_abs / p_a)
z_a, z_b = norm.ppf(1 - alpha / 2), norm.ppf(power_target)
bind("z_975", z_a)
bind("z_80", z_b)
bind(
    "rule_const", 2 * (z_a + z_b) ** 2
)  # the constant of the rule of thumb n = 16 sigma^2 / Delta^2 (arithmetic, not a check)
var_sum = p_a * (1 - p_a) + p_b * (1 - p_b)
n_exact = (z_a + z_b) ** 2 * var_sum / delta_abs**2
n_arm = int(np.ceil(n_exact))
bind("n_arm", n_arm)
bind("n_total", 2 * n_arm)
# Kohavi et al.'s rule of thumb n = 16 sigma^2 / Delta^2 with sigma^2 = p_A (1 - p_A)
n_rule = 16 * p_a * (1 - p_a) / delta_abs**2
bind("n_rule", n_rule)
# a rare event: 1% to 1.1% needs about eleven times the sample
p_rare = 0.01
n_rare = (z_a + z_b) ** 2 * (p_rare * (1 - p_rare) + 1.1 * p_rare * (1 - 1.1 * p_rare)) / (0.1 * p_rare) ** 2
bind("rare_ratio", n_rare / n_exact)
bind("n_arm_thousands", n_arm / 1000)


def z_two_prop(x_a, x_b, n_a, n_b):
    """Pooled two-proportion z statistic."""
    p_pool = (x_a + x_b) / (n_a + n_b)
    se = np.sqrt(p_pool * (1 - p_pool) * (1 / n_a + 1 / n_b))
    return (x_b / n_b - x_a / n_a) / se


reps = 40_000
bind("reps_power", reps)
xa = rng.binomial(n_arm, p_a, reps)
xb = rng.binomial(n_arm, p_b, reps)
power_sim = np.mean(np.abs(z_two_prop(xa, xb, n_arm, n_arm)) > z_a)
bind("power_sim", power_sim)
se_mc = np.sqrt(power_target * (1 - power_target) / reps)
check(
    abs(power_sim - power_target) < 4 * se_mc,
    f"simulated power {power_sim:.4f} is 0.80 within 4 Monte Carlo SE ({se_mc:.4f})",
)
xb0 = rng.binomial(n_arm, p_a, reps)
fpr_fixed = np.mean(np.abs(z_two_prop(xa, xb0, n_arm, n_arm)) > z_a)
bind("fpr_fixed", fpr_fixed)
check(
    abs(fpr_fixed - alpha) < 4 * np.sqrt(alpha * (1 - alpha) / reps),
    f"A/A false-positive rate {fpr_fixed:.4f} is 0.05 within 4 SE",
)
# half the sample gives much less power: the normal approximation against simulation
n_half = n_arm // 2
power_half_formula = norm.cdf(delta_abs / np.sqrt(var_sum / n_half) - z_a)
power_half_sim = np.mean(
    np.abs(z_two_prop(rng.binomial(n_half, p_a, reps), rng.binomial(n_half, p_b, reps), n_half, n_half)) > z_a
)
check(
    abs(power_half_sim - power_half_formula) < 4 * np.sqrt(0.25 / reps) + 0.005,
    f"with half the sample, power {power_half_formula:.3f} (formula) vs {power_half_sim:.3f} (simulation)",
)
bind("power_half", power_half_formula)
bind("n_half", n_half)

# %% [markdown]
# ## Peeking: testing after every batch and stopping at the first significant result
#
# Exact route: with $n_{\mathrm{looks}}$ equally spaced looks, the cumulative sum $S_k$ of $k$ independent standard normal increments gives $Z_k = S_k/\sqrt{k}$.
# The probability of never crossing is obtained by propagating the density of $S_k$ on a grid, keeping only the part inside the continuation region $\lvert S_k\rvert \le c_k\sqrt{k}$ (the recursion of Armitage, McPherson and Rowe, 1969).


# %%
def crossing_prob(bounds, h=0.004):
    """P(|Z_k| > bounds[k-1] for some k) for Z_k = S_k / sqrt(k), S a standard Gaussian random walk."""
    K = len(bounds)
    half = max(b * np.sqrt(k + 1) for k, b in enumerate(bounds)) + 1
    x = np.arange(-half, half + h / 2, h)
    dens = norm.pdf(x)
    kern = norm.pdf(np.arange(-8, 8 + h / 2, h)) * h
    for k in range(K):
        if k > 0:
            dens = fftconvolve(dens, kern, mode="same")
        dens = np.where(np.abs(x) <= bounds[k] * np.sqrt(k + 1), dens, 0.0)
    return 1 - dens.sum() * h


# the recursion against a multivariate normal integral for 5 looks
K5 = 5
t5 = np.arange(1, K5 + 1) / K5
cov5 = np.sqrt(np.minimum.outer(t5, t5) / np.maximum.outer(t5, t5))
mvn5 = 1 - multivariate_normal(np.zeros(K5), cov5).cdf(
    np.full(K5, z_a), lower_limit=np.full(K5, -z_a), rng=np.random.default_rng(1)
)
check_close(
    crossing_prob([z_a] * K5),
    mvn5,
    "5 looks: the grid recursion equals SciPy's multivariate normal integral",
    atol=5e-4,
)

looks = [1, 2, 3, 5, 10, 20]
fpr_exact = np.array([crossing_prob([z_a] * K) for K in looks])
check_close(fpr_exact[0], alpha, "one look: the recursion gives alpha", atol=1e-4)
# published values (Armitage, McPherson and Rowe 1969; Jennison and Turnbull 2000, ch. 1)
check_close(
    fpr_exact[looks.index(5)], 0.142, "5 looks at 1.96: 0.142", atol=1e-3
)  # source: Armitage, McPherson & Rowe (1969); Jennison & Turnbull (2000), ch. 1
check_close(
    fpr_exact[looks.index(10)], 0.193, "10 looks at 1.96: 0.193", atol=1e-3
)  # source: Armitage, McPherson & Rowe (1969); Jennison & Turnbull (2000), ch. 1
check_close(
    fpr_exact[looks.index(20)], 0.248, "20 looks at 1.96: 0.248", atol=1e-3
)  # source: Armitage, McPherson & Rowe (1969); Jennison & Turnbull (2000), ch. 1
for K, f in zip(looks, fpr_exact, strict=True):
    bind(f"fpr_looks_{K}", f)
    bind(f"fpr_k{K}", K)
bind("fpr_looks_10_pct", 100 * fpr_exact[looks.index(10)])
fwer_indep_10 = 1 - (1 - alpha) ** 10  # what ten independent tests would give
bind("fwer_indep_10_pct", 100 * fwer_indep_10)
check(fpr_exact[looks.index(10)] < fwer_indep_10, "ten correlated looks inflate less than ten independent tests")

# simulated A/A tests on Bernoulli data with the pooled z-test at each look
reps_peek = 20_000
bind("reps_peek", reps_peek)
fpr_sim, fpr_sim_se = [], []
for K in looks:
    batch = n_arm // K
    ca = np.cumsum(rng.binomial(batch, p_a, (reps_peek, K)), axis=1)
    cb = np.cumsum(rng.binomial(batch, p_a, (reps_peek, K)), axis=1)
    nn = batch * np.arange(1, K + 1)
    zs = z_two_prop(ca, cb, nn, nn)
    f = np.mean(np.any(np.abs(zs) > z_a, axis=1))
    fpr_sim.append(f)
    fpr_sim_se.append(np.sqrt(f * (1 - f) / reps_peek))
fpr_sim, fpr_sim_se = np.array(fpr_sim), np.array(fpr_sim_se)
check(
    np.all(np.abs(fpr_sim - fpr_exact) < 4 * fpr_sim_se + 0.003),
    "simulated A/A peeking rates match the recursion: "
    + ", ".join(f"{K}: {s:.3f} vs {e:.3f}" for K, s, e in zip(looks, fpr_sim, fpr_exact, strict=True)),
)
check(np.all(np.diff(fpr_exact) > 0), "the false-positive rate grows with every extra look")

# %% [markdown]
# ## Group-sequential boundaries: Pocock and O'Brien-Fleming for 5 looks

# %%
c_pocock = brentq(lambda c: crossing_prob([c] * K5) - alpha, 1.9, 3.5)
c_obf = brentq(lambda c: crossing_prob([c * np.sqrt(K5 / k) for k in range(1, K5 + 1)]) - alpha, 1.9, 3.5)
bind("c_pocock", c_pocock)
bind("c_obf", c_obf)
bind("k_looks", K5)
check_close(
    c_pocock, 2.413, "Pocock constant for 5 looks, alpha = 0.05", atol=2e-3
)  # source: Pocock (1977); Jennison & Turnbull (2000), ch. 2
check_close(
    c_obf, 2.040, "O'Brien-Fleming constant for 5 looks, alpha = 0.05", atol=2e-3
)  # source: O'Brien & Fleming (1979); Jennison & Turnbull (2000), ch. 2
obf_bounds = c_obf * np.sqrt(K5 / np.arange(1, K5 + 1))
bind("obf_first", obf_bounds[0])
bind("obf_last", obf_bounds[-1])
pocock_nominal = 2 * (1 - norm.cdf(c_pocock))
bind("pocock_nominal", pocock_nominal)


def simulate_sequential(bounds, p_treat, reps_, n_max):
    """Reject at the first look where |Z_k| > bounds[k]; returns rejection rate and mean sample size per arm."""
    K = len(bounds)
    batch = n_max // K
    ca = np.cumsum(rng.binomial(batch, p_a, (reps_, K)), axis=1)
    cb = np.cumsum(rng.binomial(batch, p_treat, (reps_, K)), axis=1)
    nn = batch * np.arange(1, K + 1)
    cross = np.abs(z_two_prop(ca, cb, nn, nn)) > np.asarray(bounds)
    hit = cross.any(axis=1)
    first = np.where(hit, cross.argmax(axis=1), K - 1)
    return hit.mean(), np.mean(nn[first])


results = {}
for name_, bounds in (("fixed", [z_a]), ("pocock", [c_pocock] * K5), ("obf", list(obf_bounds))):
    fpr_, _ = simulate_sequential(bounds, p_a, reps_peek, n_arm)
    pow_, ess_ = simulate_sequential(bounds, p_b, reps_peek, n_arm)
    results[name_] = (fpr_, pow_, ess_)
    se_ = np.sqrt(alpha * (1 - alpha) / reps_peek)
    check(abs(fpr_ - alpha) < 4 * se_ + 0.003, f"{name_}: simulated false-positive rate {fpr_:.4f} is alpha")
bind("power_pocock", results["pocock"][1])
bind("power_obf", results["obf"][1])
bind("power_fixed", results["fixed"][1])
bind("ess_pocock_pct", 100 * results["pocock"][2] / n_arm)
bind("ess_obf_pct", 100 * results["obf"][2] / n_arm)
check(
    results["pocock"][1] < results["obf"][1] < results["fixed"][1] + 0.01,
    "at the same maximum sample size, Pocock loses more power than O'Brien-Fleming, which loses little",
)
check(
    results["pocock"][2] < results["obf"][2] < n_arm, "both stop early on average under the alternative, Pocock earlier"
)

# %% [markdown]
# ## Figures: the cost of peeking and the boundaries

# %%
fig, ax = plt.subplots()
K_grid = np.arange(1, 21)
ax.plot(K_grid, [crossing_prob([z_a] * K) for K in K_grid], "-", color="C0", label="exact (random-walk recursion)")
ax.errorbar(looks, fpr_sim, yerr=2 * fpr_sim_se, fmt="o", color="C1", ms=4, capsize=2, label="simulated A/A tests")
ax.axhline(alpha, color="gray", ls="--", label=r"nominal $\alpha$")
ax.plot([K5], [results["pocock"][0]], "s", color="C2", label="5 looks, Pocock boundary (simulated)")
ax.set_xlabel("number of equally spaced looks")
ax.set_ylabel("P(at least one |Z| > 1.96 | no effect)")
ax.set_xticks([1, 2, 3, 5, 10, 15, 20])
ax.set_ylim(0, 0.3)
ax.legend(fontsize=8, loc="lower right")
save_figure(fig, "peeking")

fig, ax = plt.subplots()
kk = np.arange(1, K5 + 1)
info = kk / K5
batch = n_arm // K5
for _ in range(25):  # a few A/A paths
    ca = np.cumsum(rng.binomial(batch, p_a, K5))
    cb = np.cumsum(rng.binomial(batch, p_a, K5))
    ax.plot(info, z_two_prop(ca, cb, batch * kk, batch * kk), color="gray", lw=0.6, alpha=0.5)
for sign in (1, -1):
    ax.plot(info, sign * np.full(K5, z_a), "k--", lw=1, label="fixed 1.96 (invalid if peeking)" if sign > 0 else None)
    ax.plot(info, sign * np.full(K5, c_pocock), "o-", color="C0", label=f"Pocock {c_pocock:.3f}" if sign > 0 else None)
    ax.plot(info, sign * obf_bounds, "s-", color="C3", label="O'Brien-Fleming" if sign > 0 else None)
ax.set_xlabel("fraction of the planned sample")
ax.set_ylabel("z statistic")
ax.set_ylim(-5, 5)
ax.legend(fontsize=8, ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
save_figure(fig, "boundaries")

# %% [markdown]
# ## Multiple comparisons: five variants against one shared control
#
# All five variants are null. With a shared control the five z statistics are correlated (correlation 1/2 for equal arms), so the family-wise error rate is below the independent-tests value $1 - (1 - \alpha)^m$.

# %%
m_var = 5
bind("m_var", m_var)
reps_mc = 40_000
bind("reps_mc", reps_mc)
xc = rng.binomial(n_arm, p_a, reps_mc)
xv = rng.binomial(n_arm, p_a, (reps_mc, m_var))
zv = z_two_prop(xc[:, None], xv, n_arm, n_arm)
pv = 2 * norm.sf(np.abs(zv))
fwer_unc = np.mean((pv < alpha).any(axis=1))
fwer_indep = 1 - (1 - alpha) ** m_var
fwer_bonf = np.mean((pv < alpha / m_var).any(axis=1))
bind("fwer_unc", fwer_unc)
bind("fwer_indep", fwer_indep)
bind("fwer_bonf", fwer_bonf)
corr = np.full((m_var, m_var), 0.5) + 0.5 * np.eye(m_var)
fwer_corr_exact = 1 - multivariate_normal(np.zeros(m_var), corr).cdf(
    np.full(m_var, z_a), lower_limit=np.full(m_var, -z_a), rng=np.random.default_rng(2)
)
bind("fwer_corr_exact", fwer_corr_exact)
check(
    abs(fwer_unc - fwer_corr_exact) < 4 * np.sqrt(fwer_unc * (1 - fwer_unc) / reps_mc) + 0.002,
    f"uncorrected FWER {fwer_unc:.4f} matches the equicorrelated normal integral {fwer_corr_exact:.4f}",
)
check(fwer_unc < fwer_indep, f"and is below the independent-tests value {fwer_indep:.4f}")
check(
    fwer_bonf <= alpha + 4 * np.sqrt(alpha * (1 - alpha) / reps_mc),
    f"Bonferroni keeps the FWER at most alpha ({fwer_bonf:.4f})",
)
fwer_bonf_indep = 1 - (1 - alpha / m_var) ** m_var
bind("fwer_bonf_indep", fwer_bonf_indep)
check(
    fwer_bonf < fwer_bonf_indep < alpha,
    f"Bonferroni is conservative: {fwer_bonf:.4f} with the shared control, below {fwer_bonf_indep:.4f} for independent tests, below alpha",
)


def holm_reject(p, a):
    order = np.argsort(p)
    m_ = len(p)
    ok = p[order] <= a / (m_ - np.arange(m_))
    n_rej = m_ if ok.all() else int(np.argmin(ok))
    rej = np.zeros(m_, bool)
    rej[order[:n_rej]] = True
    return rej


def bh_adjusted(p):
    """Benjamini-Hochberg adjusted p-values by the step-up formula."""
    m_ = len(p)
    order = np.argsort(p)
    adj = np.minimum.accumulate((p[order] * m_ / np.arange(1, m_ + 1))[::-1])[::-1]
    out = np.empty(m_)
    out[order] = np.minimum(adj, 1)
    return out


check_close(
    np.array([bh_adjusted(p) for p in pv[:500]]),
    false_discovery_control(pv[:500], axis=1),
    "hand-written Benjamini-Hochberg adjusted p-values equal scipy.stats.false_discovery_control",
    rtol=1e-12,
)

# a mixed family: two real effects of one point among the five; Holm rejects at least as much as Bonferroni
xv_mix = xv.copy()
xv_mix[:, :2] = rng.binomial(n_arm, p_b, (reps_mc, 2))
pv_mix = 2 * norm.sf(np.abs(z_two_prop(xc[:, None], xv_mix, n_arm, n_arm)))
n_mix = 10_000
bind("reps_mix", n_mix)
sub = pv_mix[:n_mix]
holm_rej = np.array([holm_reject(p, alpha) for p in sub])
# an independent route to Holm: the closed testing procedure with Bonferroni local tests rejects H_i when every
# intersection hypothesis containing i is rejected, i.e. min over the subset S of p_j <= alpha / |S| (Holm, 1979)
subsets = [np.array([(s_ >> j) & 1 for j in range(m_var)], bool) for s_ in range(1, 2**m_var)]
local_rej = np.stack([(sub[:, S].min(axis=1) <= alpha / S.sum()) for S in subsets], axis=1)
closed_rej = np.stack([local_rej[:, [S[i] for S in subsets]].all(axis=1) for i in range(m_var)], axis=1)
check(
    np.array_equal(holm_rej, closed_rej),
    f"the step-down Holm code equals closed testing over all {len(subsets)} intersection hypotheses in {n_mix:,} experiments",
)
power_bonf_mix = np.mean(sub[:, :2] < alpha / m_var)
bind("power_bonf_mix", power_bonf_mix)
power_unc_mix = np.mean(sub[:, :2] < alpha)
bind("power_unc_mix", power_unc_mix)
check(
    abs(power_unc_mix - power_target) < 4 * np.sqrt(0.16 / sub[:, :2].size) + 0.005,
    "uncorrected, each real effect keeps its design power",
)
bind("n_real_mix", 2)
bind("n_null_mix", m_var - 2)
# Holm controls the family-wise rate: the chance of rejecting any of the three true nulls stays below alpha
fwer_holm_mix = np.mean(holm_rej[:, 2:].any(axis=1))
bind("fwer_holm_mix", fwer_holm_mix)
bind("power_holm_mix", np.mean(holm_rej[:, :2]))
check(
    fwer_holm_mix <= alpha + 4 * np.sqrt(alpha * (1 - alpha) / n_mix),
    f"Holm: P(any of the {m_var - 2} true nulls rejected) = {fwer_holm_mix:.4f} <= alpha",
)
