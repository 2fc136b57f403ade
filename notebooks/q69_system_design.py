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
# # A worked ML system design: real-time card-fraud scoring
#
# The notebook computes every number of the page's worked example.
# The back-of-envelope capacity numbers are plain arithmetic on the stated assumptions, so they are bound but not "checked".
# The checks: on simulated transactions whose true fraud probability is known, the cost-minimising threshold found by scanning equals the closed form $c_{\mathrm{FP}}/(c_{\mathrm{FP}} + c_{\mathrm{FN}})$; gradient-boosted trees beat logistic regression on average precision when the fraud signal has an interaction; the model's probabilities are calibrated (reliability by bins); the population stability index equals the symmetrised KL divergence computed by SciPy and flags a simulated drift; and the online test's sample size is confirmed by simulation.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import expit
from scipy.stats import entropy, norm
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve
from threadpoolctl import threadpool_limits

# one OpenMP thread: the histogram booster's worker threads only spin on shared cores (results do not depend on it)
threadpool_limits(1)

rng = np.random.default_rng(0)

# %% [markdown]
# ## Back-of-envelope capacity (assumptions of the example)

# %%
tx_per_day = 50e6  # card transactions per day
peak_factor = 3.0  # peak traffic relative to the daily average
n_cards = 100e6  # active cards with a feature row
n_feat_online = 200  # precomputed features per card
bytes_per_feat = 4  # float32
bytes_per_event = 1_000  # one logged transaction with its features, about 1 KB
latency_budget_ms = 100
for name_, val_ in (
    ("tx_per_day_m", tx_per_day / 1e6),
    ("peak_factor", peak_factor),
    ("n_cards_m", n_cards / 1e6),
    ("n_feat_online", n_feat_online),
    ("bytes_per_feat", bytes_per_feat),
    ("bytes_per_event", bytes_per_event),
    ("latency_budget_ms", latency_budget_ms),
):
    bind(name_, val_)
seconds_per_day = 24 * 60 * 60
bind("seconds_per_day", seconds_per_day)
avg_tps = tx_per_day / seconds_per_day
bind("avg_tps", avg_tps)
bind("peak_tps", peak_factor * avg_tps)
bind("in_flight", peak_factor * avg_tps * latency_budget_ms / 1000)  # Little's law: arrival rate x time in system
bind("feature_store_gb", n_cards * n_feat_online * bytes_per_feat / 1e9)
bind("log_tb_per_year", tx_per_day * 365 * bytes_per_event / 1e12)

# %% [markdown]
# ## Simulated transactions with a known fraud probability
#
# Eight features; the true log-odds contain an interaction (a new device *and* a far-away merchant), which a linear model cannot represent.

# %%
n_train, n_test, d = 100_000, 100_000, 8
bind("n_train", n_train)
bind("n_test", n_test)
bind("d_feat", d)


def simulate(m):
    X = rng.normal(size=(m, d))
    logit = (
        -7.8 + 1.4 * X[:, 0] + 1.0 * X[:, 1] - 0.8 * X[:, 2] + 3.0 * (X[:, 3] > 1) * (X[:, 4] > 1) + 0.6 * X[:, 5] ** 2
    )
    p = expit(logit)
    return X, (rng.random(m) < p).astype(int), p


X_tr, y_tr, p_tr = simulate(n_train)
X_te, y_te, p_te = simulate(n_test)
prevalence = y_te.mean()
bind("fraud_rate_pct", 100 * prevalence)
check(0.002 < prevalence < 0.01, f"fraud is rare: {100 * prevalence:.2f}% of test transactions")

lr = LogisticRegression(max_iter=2000).fit(X_tr, y_tr)
gbt = HistGradientBoostingClassifier(
    max_iter=150, learning_rate=0.1, max_leaf_nodes=15, min_samples_leaf=100, early_stopping=False, random_state=0
).fit(X_tr, y_tr)
s_lr, s_gbt = lr.predict_proba(X_te)[:, 1], gbt.predict_proba(X_te)[:, 1]
ap_lr, ap_gbt, ap_oracle = (average_precision_score(y_te, s) for s in (s_lr, s_gbt, p_te))
bind("ap_lr", ap_lr)
bind("ap_gbt", ap_gbt)
bind("ap_oracle", ap_oracle)
check(
    ap_gbt > ap_lr + 0.02, f"boosted trees beat logistic regression on average precision ({ap_gbt:.3f} vs {ap_lr:.3f})"
)
check(ap_oracle >= ap_gbt - 0.01, "no model does much better than the true probability")
check(ap_lr > 5 * prevalence, "both are far above the prevalence, the average precision of a random score")

# calibration: in bins of predicted probability the observed fraud rate matches the mean prediction
bins = np.quantile(s_gbt, [0, 0.9, 0.99, 0.999, 1.0])
idx = np.clip(np.searchsorted(bins, s_gbt, side="right") - 1, 0, len(bins) - 2)
calib_ok = True
for b in range(len(bins) - 1):
    m_ = idx == b
    obs, pred = y_te[m_].mean(), s_gbt[m_].mean()
    se_ = np.sqrt(pred * (1 - pred) / m_.sum())
    calib_ok &= abs(obs - pred) < 4 * se_ + 0.1 * pred
check(calib_ok, "boosted-tree probabilities are calibrated in four bins of predicted risk (within 4 SE + 10%)")

# %% [markdown]
# ## The decision threshold from the costs
#
# Declining a legitimate transaction costs $c_{\mathrm{FP}}$ (friction, support calls, lost interchange); approving a fraudulent one costs $c_{\mathrm{FN}}$ (the average fraud amount).
# With calibrated probabilities the expected cost is minimised by declining when $p > c_{\mathrm{FP}}/(c_{\mathrm{FP}} + c_{\mathrm{FN}})$.

# %%
c_fp, c_fn = 4.0, 150.0
bind("per_k", 1000)
bind("c_fp", c_fp)
bind("c_fn", c_fn)
t_star = c_fp / (c_fp + c_fn)
bind("t_star", t_star)
thr = np.linspace(0.002, 0.2, 400)


def cost_per_1000(score, t):
    """Realised cost per 1,000 test transactions when declining every score above t (sorted counts, no loops)."""
    neg, pos = np.sort(score[y_te == 0]), np.sort(score[y_te == 1])
    fp = len(neg) - np.searchsorted(neg, t, side="right")  # legitimate transactions declined
    fn = np.searchsorted(pos, t, side="right")  # frauds approved
    return 1000 * (c_fp * fp + c_fn * fn) / len(y_te)


def expected_cost_true(t):
    """Expected cost per 1,000 if the true probabilities p are known: decline costs c_FP (1 - p), approve c_FN p."""
    order = np.sort(p_te)
    k = np.searchsorted(order, t, side="right")  # transactions approved (p <= t)
    approve = np.r_[0, np.cumsum(c_fn * order)]
    decline = np.r_[np.cumsum((c_fp * (1 - order))[::-1])[::-1], 0]
    return 1000 * (approve[k] + decline[k]) / len(p_te)


exp_cost = expected_cost_true(thr)
t_scan = thr[np.argmin(exp_cost)]
check(
    abs(t_scan - t_star) <= thr[1] - thr[0],
    f"scanning thresholds on the true probabilities finds {t_scan:.4f}, the closed form {t_star:.4f}",
)
cost_gbt = cost_per_1000(s_gbt, thr)
t_emp = thr[np.argmin(cost_gbt)]
bind("t_emp", t_emp)
cost_at_tstar = cost_per_1000(s_gbt, np.array([t_star]))[0]
cost_approve_all = 1000 * c_fn * prevalence
cost_at_half = cost_per_1000(s_gbt, np.array([0.5]))[0]
bind("cost_tstar", cost_at_tstar)
bind("cost_approve_all", cost_approve_all)
bind("cost_half", cost_at_half)
check(
    cost_at_tstar < cost_at_half < cost_approve_all,
    "the cost-based threshold beats 0.5, which beats approving everything",
)
check(
    cost_at_tstar <= cost_gbt.min() * 1.05,
    "on the test labels the closed-form threshold is within 5% of the best scanned cost",
)
# the caption's shape: the cost rises faster per unit of threshold below the minimum than above it
i_min = int(np.argmin(cost_gbt))
slope_low = (cost_gbt[0] - cost_gbt[i_min]) / (thr[i_min] - thr[0])
slope_high = (cost_gbt[-1] - cost_gbt[i_min]) / (thr[-1] - thr[i_min])
check(
    slope_low > 3 * slope_high,
    f"the cost curve rises steeply below its minimum ({slope_low:.0f} USD per unit of t) and slowly above it ({slope_high:.0f})",
)
flag = s_gbt > t_star
prec_t, rec_t = y_te[flag].mean(), flag[y_te == 1].mean()
bind("prec_tstar", prec_t)
bind("rec_tstar", rec_t)
bind("decline_rate_pct", 100 * flag.mean())
bind("thr_half", 0.5)

# %% [markdown]
# ## Figure: precision-recall curves and the cost curve

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
for s, lab in ((p_te, "true probability"), (s_gbt, "boosted trees"), (s_lr, "logistic regression")):
    pr, rc, _ = precision_recall_curve(y_te, s)
    axes[0].plot(rc, pr, lw=1.3, label=f"{lab} (AP {average_precision_score(y_te, s):.2f})")
axes[0].plot([rec_t], [prec_t], "ko", ms=5, label="cost-based threshold")
axes[0].axhline(prevalence, color="gray", ls=":", lw=1)
axes[0].set_xlabel("recall")
axes[0].set_ylabel("precision")
axes[0].legend(fontsize=7)
axes[1].plot(thr, cost_gbt, label="boosted trees, test labels")
axes[1].plot(thr, exp_cost, "--", label="true probability, expected")
axes[1].axvline(t_star, color="k", lw=0.8, ls=":")
axes[1].axhline(cost_approve_all, color="gray", lw=0.8, ls="--", label="approve everything")
axes[1].set_xlabel("decline threshold t")
axes[1].set_ylabel("cost per 1,000 transactions (USD)")
axes[1].legend(fontsize=7)
save_figure(fig, "fraud-tradeoffs")

# %% [markdown]
# ## Monitoring: the population stability index
#
# $\mathrm{PSI} = \sum_b (a_b - e_b)\log(a_b/e_b)$ over score bins, with $e_b$ the share of the reference window and $a_b$ of the live window, equals $\operatorname{KL}(a \,\|\, e) + \operatorname{KL}(e \,\|\, a)$.


# %%
def psi(ref, live, n_bins=10):
    edges = np.quantile(ref, np.linspace(0, 1, n_bins + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.histogram(ref, edges)[0] / len(ref)
    a = np.histogram(live, edges)[0] / len(live)
    return np.sum((a - e) * np.log(a / e)), a, e


logit_gbt = gbt.decision_function(X_te)
half = n_test // 2
psi_same, a_, e_ = psi(logit_gbt[:half], logit_gbt[half:])
check_close(
    psi_same,
    entropy(a_, e_) + entropy(e_, a_),
    "PSI equals KL(a||e) + KL(e||a) computed by scipy.stats.entropy",
    rtol=1e-10,
)
X_drift, _, _ = simulate(half)
X_drift[:, 0] += 0.5  # the distribution of one strong feature shifts, e.g. a new merchant mix
psi_drift, _, _ = psi(logit_gbt[:half], gbt.decision_function(X_drift))
bind("psi_same", psi_same)
bind("psi_drift", psi_drift)
bind("drift_shift", 0.5)
check(
    psi_drift > 10 * psi_same,
    f"a shift of one feature by half a standard deviation raises the PSI from {psi_same:.4f} to {psi_drift:.3f}",
)

# %% [markdown]
# ## The online test: how many transactions to see a 10% drop in the fraud-loss rate
#
# Per-arm sample size for two proportions (derived on the A/B testing page), checked by simulation.

# %%
p0_online = 0.005  # fraud rate among approved transactions under the old model
rel_drop = 0.10
p1_online = p0_online * (1 - rel_drop)
bind("p0_online_pct", 100 * p0_online)
bind("rel_drop_pct", 100 * rel_drop)
alpha_online, power_online_target = 0.05, 0.8
bind("alpha_online", alpha_online)
bind("power_online_pct", 100 * power_online_target)
za, zb = norm.ppf(1 - alpha_online / 2), norm.ppf(power_online_target)
n_online = int(
    np.ceil((za + zb) ** 2 * (p0_online * (1 - p0_online) + p1_online * (1 - p1_online)) / (p0_online - p1_online) ** 2)
)
bind("n_online", n_online)
bind("minutes_online", 2 * n_online / tx_per_day * 24 * 60)
reps = 20_000
xa, xb = rng.binomial(n_online, p0_online, reps), rng.binomial(n_online, p1_online, reps)
pool = (xa + xb) / (2 * n_online)
z = (xa - xb) / n_online / np.sqrt(pool * (1 - pool) * 2 / n_online)
power_online = np.mean(np.abs(z) > za)
check(
    abs(power_online - power_online_target) < 4 * np.sqrt(0.16 / reps),
    f"simulated power at n = {n_online} per arm is {power_online:.3f}",
)
