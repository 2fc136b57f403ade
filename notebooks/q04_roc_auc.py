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
# # The ROC curve built by hand, and why its area is a ranking probability
#
# The notebook sweeps a threshold over sorted scores to build ROC curves by hand, first on a small example with a tied score and then on a larger sample, and compares them with scikit-learn.
# Every number of the page's Example is bound here, and each claim is compared with an independent route: the trapezoid area under the hand-built curve with the pair count, scikit-learn, SciPy's Mann-Whitney $U$ and the mid-rank formula; the binormal AUC $\Phi(\mu/\sqrt{2})$ with numerical integration and a large sample.
# Under a genuine prior shift (a fresh sample with 5% positives from the same class-conditional distributions) the AUC stays within sampling error while the average precision falls; macro one-vs-rest AUC moves with the class mix while macro one-vs-one does not; the cost-minimising operating point is a vertex of the convex hull; and a randomised mix of two thresholds lands on the segment between them.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy import integrate, optimize, stats
from scipy.spatial import ConvexHull
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    confusion_matrix,
    precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

rng = np.random.default_rng(0)

# %% [markdown]
# ## Three ways to compute the curve and its area
#
# `roc_by_threshold` is the definition: for every threshold $t$ (plus $t = +\infty$, where nothing is predicted positive) it counts $\mathrm{TPR}(t)$, the fraction of positives with score $s \ge t$, and $\mathrm{FPR}(t)$, the fraction of negatives with score $s \ge t$.
# `roc_by_sorting` is the algorithm used in practice: sort the scores once in decreasing order, then walk down the distinct scores, stepping up by $1/n_+$ for each positive and right by $1/n_-$ for each negative; a group of tied scores is one step, a diagonal segment when it holds both classes.
# `auc_by_pairs` compares every positive with every negative: 1 for a correctly ranked pair, $\tfrac12$ for a tie, 0 otherwise, averaged over the $n_+ n_-$ pairs.


# %%
def roc_by_threshold(y, s):
    """(FPR, TPR, thresholds) from the definition, one threshold at a time."""
    thresholds = np.concatenate([[np.inf], np.unique(s)[::-1]])
    n_pos, n_neg = np.sum(y == 1), np.sum(y == 0)
    tpr = np.array([np.sum((s >= t) & (y == 1)) / n_pos for t in thresholds])
    fpr = np.array([np.sum((s >= t) & (y == 0)) / n_neg for t in thresholds])
    return fpr, tpr, thresholds


def roc_by_sorting(y, s):
    """(FPR, TPR) from one sort and cumulative counts over groups of tied scores."""
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    last_of_group = np.r_[s_sorted[1:] != s_sorted[:-1], True]  # last index of each tied group
    tp = np.cumsum(y_sorted == 1)[last_of_group]
    fp = np.cumsum(y_sorted == 0)[last_of_group]
    return np.r_[0.0, fp / np.sum(y == 0)], np.r_[0.0, tp / np.sum(y == 1)]


def auc_by_pairs(y, s):
    """Fraction of (positive, negative) pairs ranked correctly, ties counted half."""
    s_pos, s_neg = s[y == 1][:, None], s[y == 0][None, :]
    return np.mean((s_pos > s_neg) + 0.5 * (s_pos == s_neg))


def auc_by_ranks(y, s):
    """Mann-Whitney form: (sum of the positives' mid-ranks - n+(n+ + 1)/2) / (n+ n-)."""
    ranks = stats.rankdata(s)  # ascending ranks, ties get the average (mid) rank
    n_pos, n_neg = np.sum(y == 1), np.sum(y == 0)
    return (ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def auc_se_hanley_mcneil(auc, n_pos, n_neg):
    """Standard error of an empirical AUC (Hanley and McNeil, 1982, eq. 2)."""
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    return np.sqrt((auc * (1 - auc) + (n_pos - 1) * (q1 - auc**2) + (n_neg - 1) * (q2 - auc**2)) / (n_pos * n_neg))


# %% [markdown]
# ## The worked example of the page
#
# Four positives and four negatives; one positive and one negative share the score 0.6.

# %%
s_small = np.array([0.9, 0.8, 0.6, 0.4, 0.7, 0.6, 0.3, 0.2])
y_small = np.array([1, 1, 1, 1, 0, 0, 0, 0])
for i, v in enumerate(s_small[y_small == 1], start=1):
    bind(f"ex_pos{i}", v)
for i, v in enumerate(s_small[y_small == 0], start=1):
    bind(f"ex_neg{i}", v)

fpr_hand, tpr_hand, thr_hand = roc_by_threshold(y_small, s_small)
for t, f, r in zip(thr_hand, fpr_hand, tpr_hand, strict=False):
    print(f"t = {t:>4}: FPR = {f:.2f}, TPR = {r:.2f}")

fpr_sk, tpr_sk, thr_sk = roc_curve(y_small, s_small, drop_intermediate=False)
check(
    np.array_equal(thr_hand, thr_sk),
    "hand-made thresholds (+inf, then the distinct scores in decreasing order) equal sklearn's",
)
check(
    np.array_equal(fpr_hand, fpr_sk) and np.array_equal(tpr_hand, tpr_sk),
    "worked example: hand-built ROC points equal sklearn.metrics.roc_curve exactly",
)
fpr_sort, tpr_sort = roc_by_sorting(y_small, s_small)
check(
    np.array_equal(fpr_sort, fpr_hand) and np.array_equal(tpr_sort, tpr_hand),
    "worked example: the sorting algorithm gives the same points",
)

for k, (t, f, r) in enumerate(zip(thr_hand, fpr_hand, tpr_hand, strict=True)):
    if np.isfinite(t):
        bind(f"ex_thr{k}", t)
    bind(f"ex_fpr{k}", f)
    bind(f"ex_tpr{k}", r)
k_tie = int(np.flatnonzero(thr_hand == 0.6)[0])
bind("ex_tie", thr_hand[k_tie])
bind("tie_f0", fpr_hand[k_tie - 1])
bind("tie_t0", tpr_hand[k_tie - 1])
bind("tie_f1", fpr_hand[k_tie])
bind("tie_t1", tpr_hand[k_tie])
bind("step_up", 1 / np.sum(y_small == 1))
bind("step_right", 1 / np.sum(y_small == 0))

# %% [markdown]
# Of the 16 (positive, negative) pairs, 12 are ranked correctly, 1 is tied and 3 are ranked the wrong way round, so the pair count gives $(12 + 0.5)/16 = 0.78125$.
# The trapezoid rule under the hand-built curve, scikit-learn's `roc_auc_score` and the Mann-Whitney statistic must all give the same number.

# %%
s_pos, s_neg = s_small[y_small == 1][:, None], s_small[y_small == 0][None, :]
n_correct, n_tied, n_wrong = np.sum(s_pos > s_neg), np.sum(s_pos == s_neg), np.sum(s_pos < s_neg)
print(f"pairs: correct {n_correct}, tied {n_tied}, wrong {n_wrong}")
bind("n_correct", n_correct)
bind("n_tied", n_tied)
bind("n_wrong", n_wrong)
bind("n_pairs", s_pos.size * s_neg.size)

auc_trapezoid = np.trapezoid(tpr_hand, fpr_hand)
auc_pairs = auc_by_pairs(y_small, s_small)
u_scipy = stats.mannwhitneyu(s_small[y_small == 1], s_small[y_small == 0]).statistic
check_close(
    auc_trapezoid,
    auc_pairs,
    "worked example: trapezoid area under the hand-built curve = pair-count AUC",
    rtol=0,
    atol=1e-15,
    name="auc_small",
)
# Step 5 of the derivation: segment k has area (b_k #{positives above v_k} + a_k b_k / 2) / (n+ n-).
widths, mean_heights = np.diff(fpr_hand), (tpr_hand[:-1] + tpr_hand[1:]) / 2
seg_trap = widths * mean_heights
pos, neg = s_small[y_small == 1], s_small[y_small == 0]
seg_pairs = np.array(
    [np.sum(neg == v) * np.sum(pos > v) + 0.5 * np.sum(neg == v) * np.sum(pos == v) for v in thr_hand[1:]]
) / (pos.size * neg.size)
check_close(
    seg_trap,
    seg_pairs,
    "worked example: each trapezoid's area = its pair count (derivation step 5)",
    rtol=0,
    atol=1e-15,
)
for i, k in enumerate(np.flatnonzero(widths > 0), start=1):
    bind(f"seg{i}_area", seg_trap[k])

check_close(
    roc_auc_score(y_small, s_small),
    auc_pairs,
    "worked example: sklearn roc_auc_score = pair-count AUC",
    rtol=0,
    atol=1e-15,
)
check_close(
    u_scipy,
    n_correct + 0.5 * n_tied,
    "worked example: Mann-Whitney U (scipy) = pairs correct + half the ties",
    rtol=0,
    atol=1e-12,
    name="u_small",
)
mid_ranks = stats.rankdata(s_small)[y_small == 1]
for i, v in enumerate(mid_ranks, start=1):
    bind(f"rank{i}", v)
r_plus = bind("r_plus", mid_ranks.sum())
n_pos_small = np.sum(y_small == 1)
check_close(
    r_plus - n_pos_small * (n_pos_small + 1) / 2,
    u_scipy,
    "worked example: R+ - n+(n+ + 1)/2 (SciPy's mid-ranks) = Mann-Whitney U (SciPy)",
    rtol=0,
    atol=1e-12,
)
check_close(
    auc_by_ranks(y_small, s_small),
    auc_pairs,
    "worked example: rank-sum formula (R+ - n+(n+ + 1)/2)/(n+ n-) = pair-count AUC",
    rtol=0,
    atol=1e-15,
)

# %% [markdown]
# The tie is what the diagonal segment from $(0.25, 0.5)$ to $(0.5, 0.75)$ encodes.
# If the tie were broken in favour of the positive, the curve would go up then right (area $13/16$); broken against it, right then up (area $12/16$).
# The diagonal is the average of the two: the expected curve when ties are broken at random.

# %%
s_up = s_small.copy()
s_up[2] = 0.61  # the tied positive now ranks above the tied negative
s_down = s_small.copy()
s_down[2] = 0.59  # and now below it
auc_up, auc_down = roc_auc_score(y_small, s_up), roc_auc_score(y_small, s_down)
check_close(
    [auc_up, auc_down],
    [(n_correct + n_tied) / (pos.size * neg.size), n_correct / (pos.size * neg.size)],
    "worked example: breaking the tie up or down (sklearn) = the pair count with the tie counted 1 or 0",
    rtol=0,
    atol=1e-15,
)
bind("auc_up", auc_up)
bind("auc_down", auc_down)
check_close(
    auc_pairs,
    (auc_up + auc_down) / 2,
    "the diagonal tie segment gives the average of the two tie-breaks",
    rtol=0,
    atol=1e-15,
)

# %%
fig, ax = plt.subplots(figsize=(4.8, 4.4))
ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance (TPR = FPR)")
ax.fill_between(fpr_hand, tpr_hand, alpha=0.15, label=f"area = AUC = {auc_trapezoid:.5f}")
ax.plot(fpr_hand, tpr_hand, marker="o", label="empirical ROC curve")
ax.plot([0.25, 0.5], [0.5, 0.75], linewidth=3, label="tie at score 0.6: diagonal step")
for f, r, t in zip(fpr_hand, tpr_hand, thr_hand, strict=False):
    if np.isfinite(t):
        ax.annotate(f"{t:g}", (f, r), textcoords="offset points", xytext=(6, -12), fontsize=9)
ax.set_xlabel("false positive rate (FPR)")
ax.set_ylabel("true positive rate (TPR)")
ax.set_xlim(-0.02, 1.02)
ax.set_ylim(-0.02, 1.05)
ax.set_aspect("equal")
_ = ax.set_title("Worked example: 4 positives, 4 negatives")
_ = ax.legend(loc="lower right", fontsize=9)
save_figure(fig, "roc-worked-example")

# %% [markdown]
# ## A larger sample with many ties
#
# Negatives score $\mathcal{N}(0, 1)$ and positives $\mathcal{N}(\mu, 1)$ with $\mu = 1.5$ (the binormal model); the scores are rounded to one decimal, which creates many ties, also between the two classes.
# The population ROC curve of this model is $\mathrm{TPR} = \Phi(\mu + \Phi^{-1}(\mathrm{FPR}))$, where $\Phi$ is the standard normal cumulative distribution function, and its area is $\Phi(\mu/\sqrt{2})$.

# %%
mu = bind("mu", 1.5)
n_pos, n_neg = 200, 200
bind("n_pos_big", n_pos)
bind("n_neg_big", n_neg)
s_big = np.round(np.r_[rng.normal(mu, 1.0, n_pos), rng.normal(0.0, 1.0, n_neg)], 1)
y_big = np.r_[np.ones(n_pos, dtype=int), np.zeros(n_neg, dtype=int)]
n_cross_ties = np.sum(s_big[y_big == 1][:, None] == s_big[y_big == 0][None, :])
print(
    f"{len(np.unique(s_big))} distinct scores for {len(s_big)} examples; {n_cross_ties} tied (positive, negative) pairs"
)
check(n_cross_ties >= 200, "the rounded sample has hundreds of tied (positive, negative) pairs")
bind("n_cross_ties", n_cross_ties)

fpr_b, tpr_b, thr_b = roc_by_threshold(y_big, s_big)
fpr_bsk, tpr_bsk, thr_bsk = roc_curve(y_big, s_big, drop_intermediate=False)
check(np.array_equal(thr_b, thr_bsk), "larger sample: hand-made thresholds equal sklearn's")
check_close(
    np.c_[fpr_b, tpr_b],
    np.c_[fpr_bsk, tpr_bsk],
    "larger sample: hand-built ROC points equal sklearn.metrics.roc_curve",
    rtol=0,
    atol=1e-15,
)
fpr_def, tpr_def, _ = roc_curve(y_big, s_big)  # the default drop_intermediate=True
print(f"roc_curve keeps {len(fpr_def)} of the {len(fpr_b)} points by default")
check(len(fpr_def) < len(fpr_b), "the default roc_curve drops collinear points, so it has fewer points")
check_close(
    np.trapezoid(tpr_def, fpr_def),
    np.trapezoid(tpr_b, fpr_b),
    "dropping collinear points leaves the area unchanged",
    rtol=1e-12,
)
bind("n_points_hand", len(fpr_b))
bind("n_points_default", len(fpr_def))
fpr_bs, tpr_bs = roc_by_sorting(y_big, s_big)
check_close(
    np.c_[fpr_bs, tpr_bs],
    np.c_[fpr_b, tpr_b],
    "larger sample: the sorting algorithm gives the same points",
    rtol=0,
    atol=1e-15,
)

auc_b_trap = np.trapezoid(tpr_b, fpr_b)
auc_b_pairs = auc_by_pairs(y_big, s_big)
u_big = stats.mannwhitneyu(s_big[y_big == 1], s_big[y_big == 0]).statistic
print(
    f"AUC: trapezoid {auc_b_trap:.6f}, pairs {auc_b_pairs:.6f}, sklearn {roc_auc_score(y_big, s_big):.6f}, U/(n+ n-) {u_big / (n_pos * n_neg):.6f}"
)
check_close(
    auc_b_trap,
    auc_b_pairs,
    "larger sample with ties: trapezoid area = fraction of pairs ranked correctly (ties half)",
    rtol=1e-12,
)
check_close(
    roc_auc_score(y_big, s_big),
    auc_b_pairs,
    "larger sample with ties: sklearn roc_auc_score = pair-count AUC",
    rtol=1e-12,
)
check_close(
    u_big / (n_pos * n_neg),
    auc_b_pairs,
    "larger sample with ties: Mann-Whitney U / (n+ n-) = pair-count AUC",
    rtol=1e-12,
)
check_close(
    auc_by_ranks(y_big, s_big), auc_b_pairs, "larger sample with ties: mid-rank formula = pair-count AUC", rtol=1e-12
)
bind("auc_big", auc_b_trap)

# %% [markdown]
# ## Properties the page states
#
# Only the order of the scores matters, so a strictly increasing transformation leaves the AUC unchanged; reversing the scores gives $1 - \mathrm{AUC}$ (ties stay ties); and hard 0/1 predictions give a three-point curve whose area is the balanced accuracy $\tfrac12(1 + \mathrm{TPR} - \mathrm{FPR})$.

# %%
check_close(
    roc_auc_score(y_big, np.exp(3 * s_big) - 7),
    auc_b_pairs,
    "AUC is unchanged by a strictly increasing transformation of the scores",
    rtol=1e-12,
)
check_close(roc_auc_score(y_big, -s_big), 1 - auc_b_pairs, "reversing the scores turns AUC into 1 - AUC", rtol=1e-12)
fpr_neg, tpr_neg, _ = roc_by_threshold(y_big, -s_big)
points_turned = np.unique(
    np.round(np.c_[1 - fpr_neg, 1 - tpr_neg], 12), axis=0
)  # (FPR, TPR) pairs, not each axis alone
check(
    np.array_equal(points_turned, np.unique(np.round(np.c_[fpr_b, tpr_b], 12), axis=0)),
    "negating the score maps every ROC point (FPR, TPR) to (1 - FPR, 1 - TPR): a half-turn about (0.5, 0.5)",
)
somers = stats.somersd(y_big, s_big).statistic  # Somers' D of the score given the label, by SciPy
check_close(2 * auc_b_pairs - 1, somers, "Gini coefficient 2 AUC - 1 = Somers' D (SciPy)", rtol=1e-10)

y_hard = (s_big >= 0.75).astype(int)
tpr_hard = np.mean(y_hard[y_big == 1])
fpr_hard = np.mean(y_hard[y_big == 0])
check_close(
    roc_auc_score(y_big, y_hard), (1 + tpr_hard - fpr_hard) / 2, "hard labels: AUC = (1 + TPR - FPR)/2", rtol=1e-12
)
check_close(
    roc_auc_score(y_big, y_hard),
    balanced_accuracy_score(y_big, y_hard),
    "hard labels: AUC = balanced accuracy",
    rtol=1e-12,
)

# %% [markdown]
# The binormal formula: $S_+ - S_- \sim \mathcal{N}(\mu, 2)$, so $P(S_+ > S_-) = \Phi(\mu/\sqrt2)$.
# Numerical integration of the population curve must give the same number, and a large sample must come close to it.

# %%
auc_binormal = stats.norm.cdf(mu / np.sqrt(2))
auc_quad, _ = integrate.quad(lambda u: stats.norm.cdf(mu + stats.norm.ppf(u)), 0, 1)
check_close(
    auc_quad,
    auc_binormal,
    "binormal model: the integral of TPR over FPR equals Phi(mu / sqrt 2)",
    rtol=1e-7,
    name="auc_binormal",
)
n_large = 20_000
s_large = np.r_[rng.normal(mu, 1.0, n_large), rng.normal(0.0, 1.0, n_large)]
y_large = np.r_[np.ones(n_large, dtype=int), np.zeros(n_large, dtype=int)]
auc_large = roc_auc_score(y_large, s_large)
print(f"Phi(mu/sqrt 2) = {auc_binormal:.4f}; AUC on 20,000 + 20,000 draws = {auc_large:.4f}")
check_close(
    auc_large,
    auc_binormal,
    "a large binormal sample has AUC within 4 standard errors (Hanley-McNeil) of Phi(mu / sqrt 2)",
    rtol=0,
    atol=4 * auc_se_hanley_mcneil(auc_binormal, n_large, n_large),
)

# %%
u_grid = np.linspace(0, 1, 401)
fig, ax = plt.subplots(figsize=(4.8, 4.4))
ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance, AUC = 0.5")
ax.plot(
    u_grid,
    stats.norm.cdf(mu + stats.norm.ppf(u_grid)),
    linestyle="--",
    label=f"population curve, AUC = {auc_binormal:.3f}",
)
ax.plot(fpr_b, tpr_b, label=f"empirical, 200 + 200, AUC = {auc_b_trap:.3f}")
for t_mark in (1.5, 0.7, 0.0):
    k = np.flatnonzero(np.isclose(thr_b, t_mark))[0]
    ax.plot(fpr_b[k], tpr_b[k], "ko", markersize=4)
    ax.annotate(f"t = {t_mark:g}", (fpr_b[k], tpr_b[k]), textcoords="offset points", xytext=(8, -12), fontsize=9)
ax.set_xlabel("false positive rate (FPR)")
ax.set_ylabel("true positive rate (TPR)")
ax.set_aspect("equal")
_ = ax.set_title("ROC curve: binormal scores, $\\mu = 1.5$")
_ = ax.legend(loc="lower right", fontsize=9)
save_figure(fig, "roc")

# %% [markdown]
# ## ROC and precision-recall under class imbalance
#
# A fresh sample of 500 positives and 500 negatives (scores not rounded).
# Giving every negative a weight of 19, which is the same as repeating it 19 times, drops the positive fraction from $\pi = 0.5$ to $\pi = 0.05$ while the score distribution within each class stays the same.
# Precision mixes the classes, $\mathrm{Prec} = \mathrm{TPR}\,\pi / (\mathrm{TPR}\,\pi + \mathrm{FPR}\,(1 - \pi))$, and scikit-learn's weighted precision must match this formula at every threshold.

# %%
n_each, neg_weight = 500, 19
bind("n_each", n_each)
bind("neg_weight", neg_weight)
s_bal = np.r_[rng.normal(mu, 1.0, n_each), rng.normal(0.0, 1.0, n_each)]
y_bal = np.r_[np.ones(n_each, dtype=int), np.zeros(n_each, dtype=int)]
w_imb = np.where(y_bal == 1, 1.0, float(neg_weight))
pi_imb = w_imb[y_bal == 1].sum() / w_imb.sum()
bind("pi_bal_pct", 100 * y_bal.mean())
bind("pi_imb_pct", 100 * pi_imb)

fpr_bal, tpr_bal, _ = roc_curve(y_bal, s_bal, drop_intermediate=False)
fpr_imb, tpr_imb, _ = roc_curve(y_bal, s_bal, sample_weight=w_imb, drop_intermediate=False)

prec_imb, rec_imb, thr_pr = precision_recall_curve(y_bal, s_bal, sample_weight=w_imb)
tpr_at = np.array([np.mean(s_bal[y_bal == 1] >= t) for t in thr_pr])
fpr_at = np.array([np.mean(s_bal[y_bal == 0] >= t) for t in thr_pr])
prec_formula = tpr_at * pi_imb / (tpr_at * pi_imb + fpr_at * (1 - pi_imb))
check_close(prec_imb[:-1], prec_formula, "precision = TPR pi / (TPR pi + FPR (1 - pi)) at every threshold", rtol=1e-10)

ap_bal = bind("ap_bal", average_precision_score(y_bal, s_bal))
ap_imb = bind("ap_imb", average_precision_score(y_bal, s_bal, sample_weight=w_imb))
print(f"average precision: {ap_bal:.3f} at 50% positives, {ap_imb:.3f} at 5% positives")
check(
    ap_imb < ap_bal - 0.3, "the same scores lose more than 0.3 of average precision when positives drop from 50% to 5%"
)
rec_half = bind("rec_half_prec", rec_imb[prec_imb >= 0.5].max())
# Population curve: precision is increasing in t (the likelihood ratio of the binormal model is monotone),
# so precision >= 0.5 exactly for recall up to the recall at the root of Prec(t) = 0.5 (brentq), checked on a grid.
pop_t = np.linspace(-4, 6, 4001)
pop_tpr, pop_fpr = stats.norm.sf(pop_t - mu), stats.norm.sf(pop_t)
pop_prec = pop_tpr * pi_imb / (pop_tpr * pi_imb + pop_fpr * (1 - pi_imb))
t_half = optimize.brentq(
    lambda t: stats.norm.sf(t - mu) * pi_imb / (stats.norm.sf(t - mu) * pi_imb + stats.norm.sf(t) * (1 - pi_imb)) - 0.5,
    -4,
    6,
)
pop_rec_half = bind("pop_rec_half_prec", stats.norm.sf(t_half - mu))
check_close(
    pop_tpr[pop_prec >= 0.5].max(),
    pop_rec_half,
    "population curve: the largest recall with precision >= 0.5 on a grid of thresholds = the root-finding value",
    rtol=0,
    atol=1e-3,
)
print(f"5% positives: precision >= 0.5 only up to recall {rec_half:.3f} (sample), {pop_rec_half:.3f} (population)")
check(
    rec_half < 0.5 and pop_rec_half < 0.5,
    "at 5% prevalence most alarms are false (precision < 0.5) unless recall is below one half, in sample and population",
)

# %% [markdown]
# A genuine prior shift: a new test set drawn with 5% positives from the same class-conditional score distributions.
# Its empirical ROC curve is a new sample, so its AUC differs by sampling noise only: it must lie within 4 Hanley-McNeil standard errors of the population AUC, while its average precision falls as on the weighted sample.
# A page claiming that the AUC falls with the prevalence would fail here.

# %%
n_pos_5, n_neg_5 = 1_000, 19_000
s_5 = np.r_[rng.normal(mu, 1.0, n_pos_5), rng.normal(0.0, 1.0, n_neg_5)]
y_5 = np.r_[np.ones(n_pos_5, dtype=int), np.zeros(n_neg_5, dtype=int)]
auc_5, ap_5 = roc_auc_score(y_5, s_5), average_precision_score(y_5, s_5)
print(f"fresh 5% sample: AUC {auc_5:.4f} (population {auc_binormal:.4f}), AP {ap_5:.3f}")
check_close(
    auc_5,
    auc_binormal,
    "a fresh 5%-positive sample has the population AUC within 4 standard errors",
    rtol=0,
    atol=4 * auc_se_hanley_mcneil(auc_binormal, n_pos_5, n_neg_5),
)
check(ap_5 < ap_bal - 0.3, "and its average precision is more than 0.3 below the balanced sample's")

# %% [markdown]
# ## More than two classes: one-vs-rest moves with the class mix, one-vs-one does not
#
# Three classes with fixed class-conditional distributions of a three-dimensional score (a softmax of normal logits), sampled at three class mixes.
# Macro one-vs-rest AUC changes with the mix, because the composition of each "rest" group changes; macro one-vs-one (Hand and Till's M) averages pairwise AUCs, each of which depends on two class-conditional distributions only, so it changes by sampling noise only.
# The tolerance is 4 standard errors of the difference of two macro averages, each bounded by the mean Hanley-McNeil standard error of its pairwise AUCs.

# %%
rng_mc = np.random.default_rng(1)
class_means = np.array([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [1.0, 1.0, 0.0]])


def sample_classes(counts):
    logits = np.vstack([rng_mc.normal(class_means[k], 1.0, size=(c, 3)) for k, c in enumerate(counts)])
    prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return np.repeat(np.arange(3), counts), prob


def ovo_se(y, prob):
    ses = []
    for a_cls in range(3):
        for b_cls in range(a_cls + 1, 3):
            mask = (y == a_cls) | (y == b_cls)
            auc_ab = roc_auc_score(y[mask] == a_cls, prob[mask, a_cls])
            ses.append(auc_se_hanley_mcneil(auc_ab, np.sum(y == a_cls), np.sum(y == b_cls)))
    return np.mean(ses)


mixes = [(10_000, 10_000, 10_000), (1_000, 10_000, 19_000), (19_000, 10_000, 1_000)]
ovr, ovo, se = [], [], []
for counts in mixes:
    y_mc, prob_mc = sample_classes(counts)
    ovr.append(roc_auc_score(y_mc, prob_mc, multi_class="ovr", average="macro"))
    ovo.append(roc_auc_score(y_mc, prob_mc, multi_class="ovo", average="macro"))
    se.append(ovo_se(y_mc, prob_mc))
    print(f"class counts {counts}: macro OvR AUC {ovr[-1]:.4f}, macro OvO AUC {ovo[-1]:.4f}")
check(max(ovr) - min(ovr) > 0.02, "macro one-vs-rest AUC changes by more than 0.02 with the class mix")
check(
    all(abs(ovo[i] - ovo[0]) <= 4 * np.hypot(se[i], se[0]) for i in range(1, len(mixes))),
    "macro one-vs-one AUC stays within 4 standard errors across the class mixes",
)

# %% [markdown]
# ## Operating points: the cost-optimal point is a hull vertex, and mixtures are achievable
#
# For several cost ratios, the threshold minimising $\mathrm{cost}(t) = c_{\mathrm{FN}}\,\pi\,(1 - \mathrm{TPR}) + c_{\mathrm{FP}}\,(1 - \pi)\,\mathrm{FPR}$ on the 200 + 200 sample must give a vertex of the ROC curve's convex hull.
# A classifier that uses threshold $t_a$ with probability $q$ and $t_b$ otherwise must land at $q$ times one point plus $1 - q$ times the other (4 binomial standard errors).

# %%
points = np.unique(np.c_[fpr_b, tpr_b], axis=0)
hull = ConvexHull(np.vstack([points, [1.0, 0.0]]))  # close the region below the curve
hull_vertices = {tuple(np.round(v, 12)) for v in np.vstack([points, [1.0, 0.0]])[hull.vertices]}
pi_half = 0.5
for c_fn, c_fp in ((1, 1), (5, 1), (1, 5), (20, 1)):
    cost_t = c_fn * pi_half * (1 - tpr_b) + c_fp * (1 - pi_half) * fpr_b
    k = np.argmin(cost_t)
    check(
        (round(fpr_b[k], 12), round(tpr_b[k], 12)) in hull_vertices,
        f"c_FN = {c_fn}, c_FP = {c_fp}: the cost-minimising operating point is a vertex of the convex hull",
    )

k_a, k_b, q_mix, n_sim = 10, 30, 0.3, 20_000
s_sim_pos, s_sim_neg = rng.normal(mu, 1.0, n_sim), rng.normal(0.0, 1.0, n_sim)
t_a, t_b = thr_b[k_a], thr_b[k_b]
use_a_pos, use_a_neg = rng.random(n_sim) < q_mix, rng.random(n_sim) < q_mix
tpr_mix = np.mean(np.where(use_a_pos, s_sim_pos >= t_a, s_sim_pos >= t_b))
fpr_mix = np.mean(np.where(use_a_neg, s_sim_neg >= t_a, s_sim_neg >= t_b))
pop_a = np.array([stats.norm.sf(t_a), stats.norm.sf(t_a - mu)])
pop_b = np.array([stats.norm.sf(t_b), stats.norm.sf(t_b - mu)])
check_close(
    [fpr_mix, tpr_mix],
    q_mix * pop_a + (1 - q_mix) * pop_b,
    "a randomised mix of two thresholds lands on the straight segment between their operating points",
    rtol=0,
    atol=4 * np.sqrt(0.25 / n_sim),
)

# %% [markdown]
# The number quoted in the page's explanation: with 1% positives, an operating point with $\mathrm{TPR} = 0.8$ and $\mathrm{FPR} = 0.01$ looks excellent on a ROC plot, yet fewer than half of the flagged examples are positive.
# The Bayes form of precision is compared with scikit-learn's `precision_score` on label vectors with those rates (100,000 cases).

# %%
n_cases, prev_1, tpr_1, fpr_1 = 100_000, 0.01, 0.8, 0.01
precision_example = tpr_1 * prev_1 / (tpr_1 * prev_1 + fpr_1 * (1 - prev_1))
n_p1 = int(n_cases * prev_1)
n_n1 = n_cases - n_p1
y_1 = np.r_[np.ones(n_p1, dtype=int), np.zeros(n_n1, dtype=int)]
yhat_1 = np.r_[np.arange(n_p1) < tpr_1 * n_p1, np.arange(n_n1) < fpr_1 * n_n1].astype(int)
tn1, fp1, fn1, tp1 = confusion_matrix(y_1, yhat_1).ravel()
assert (tp1, fp1) == (800, 990), (
    "precondition: the label vectors have TPR 0.8 and FPR 0.01"
)  # construction, not a claim
check_close(
    precision_example,
    precision_score(y_1, yhat_1),
    "TPR 0.8, FPR 0.01, 1% positives: the Bayes form of precision = sklearn precision_score",
    rtol=1e-12,
    name="precision_example",
)
check(precision_example < 0.5, "more than half of the alarms are false")

# %%
prec_bal, rec_bal, _ = precision_recall_curve(y_bal, s_bal)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.0, 4.0))
ax1.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance")
ax1.plot(fpr_bal, tpr_bal, label="50% positives")
ax1.plot(fpr_imb, tpr_imb, linestyle="--", label="5% positives")
ax1.set_xlabel("false positive rate (FPR)")
ax1.set_ylabel("true positive rate (TPR)")
_ = ax1.set_title("ROC: the same curve")
_ = ax1.legend(loc="lower right", fontsize=9)
ax2.plot(rec_bal, prec_bal, drawstyle="steps-post")
ax2.plot(rec_imb, prec_imb, drawstyle="steps-post")
ax2.axhline(0.5, linestyle=":", color="C0")
ax2.axhline(0.05, linestyle=":", color="C1")
ax2.text(0.45, 0.68, f"50% positives\nAP = {ap_bal:.2f}", color="C0", fontsize=9)
ax2.text(0.62, 0.26, f"5% positives\nAP = {ap_imb:.2f}", color="C1", fontsize=9)
ax2.text(0.6, 0.52, "no skill: $\\pi$ = 0.5", color="C0", fontsize=8)
ax2.text(0.6, 0.07, "no skill: $\\pi$ = 0.05", color="C1", fontsize=8)
ax2.set_xlabel("recall (TPR)")
ax2.set_ylabel("precision")
ax2.set_ylim(0, 1.02)
_ = ax2.set_title("Precision-recall: curve drops")
fig.tight_layout()
save_figure(fig, "roc-vs-pr")
