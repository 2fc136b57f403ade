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
# The checks prove the page's formulas: the area under the curve (trapezoid rule) equals the fraction of (positive, negative) pairs ranked correctly with ties counted half, which is the Mann-Whitney $U$ statistic divided by $n_+ n_-$; the binormal AUC is $\Phi(\mu/\sqrt{2})$; and the ROC curve does not depend on the class ratio while the precision-recall curve does.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import check, check_close, save_figure
from scipy import integrate, stats
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
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


# %% [markdown]
# ## The worked example of the page
#
# Four positives and four negatives; one positive and one negative share the score 0.6.

# %%
s_small = np.array([0.9, 0.8, 0.6, 0.4, 0.7, 0.6, 0.3, 0.2])
y_small = np.array([1, 1, 1, 1, 0, 0, 0, 0])

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

expected_points = np.array([[0, 0], [0, 0.25], [0, 0.5], [0.25, 0.5], [0.5, 0.75], [0.5, 1], [0.75, 1], [1, 1]])
check(
    np.array_equal(np.c_[fpr_hand, tpr_hand], expected_points),
    "worked example: the ROC points are the eight listed on the page",
)

# %% [markdown]
# Of the 16 (positive, negative) pairs, 12 are ranked correctly, 1 is tied and 3 are ranked the wrong way round, so the pair count gives $(12 + 0.5)/16 = 0.78125$.
# The trapezoid rule under the hand-built curve, scikit-learn's `roc_auc_score` and the Mann-Whitney statistic must all give the same number.

# %%
s_pos, s_neg = s_small[y_small == 1][:, None], s_small[y_small == 0][None, :]
n_correct, n_tied, n_wrong = np.sum(s_pos > s_neg), np.sum(s_pos == s_neg), np.sum(s_pos < s_neg)
print(f"pairs: correct {n_correct}, tied {n_tied}, wrong {n_wrong}")
check(n_correct == 12 and n_tied == 1 and n_wrong == 3, "worked example: 12 correct pairs, 1 tie, 3 wrong pairs")

auc_trapezoid = np.trapezoid(tpr_hand, fpr_hand)
auc_pairs = auc_by_pairs(y_small, s_small)
u_scipy = stats.mannwhitneyu(s_small[y_small == 1], s_small[y_small == 0]).statistic
check_close(auc_pairs, 12.5 / 16, "worked example: pair-count AUC = 12.5/16 = 0.78125", rtol=0, atol=1e-15)
check_close(
    auc_trapezoid,
    auc_pairs,
    "worked example: trapezoid area under the hand-built curve = pair-count AUC",
    rtol=0,
    atol=1e-15,
)
check_close(
    roc_auc_score(y_small, s_small),
    auc_pairs,
    "worked example: sklearn roc_auc_score = pair-count AUC",
    rtol=0,
    atol=1e-15,
)
check_close(
    u_scipy, 12.5, "worked example: Mann-Whitney U (scipy) = 12.5 = pairs correct + half the ties", rtol=0, atol=1e-12
)
r_plus = stats.rankdata(s_small)[y_small == 1].sum()
check_close(
    r_plus,
    3 + 4.5 + 7 + 8,
    "worked example: the positives' mid-ranks are 3, 4.5, 7, 8, so R+ = 22.5",
    rtol=0,
    atol=1e-12,
)
check_close(r_plus - 4 * 5 / 2, 12.5, "worked example: U = R+ - n+(n+ + 1)/2 = 22.5 - 10 = 12.5", rtol=0, atol=1e-12)
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
    [13 / 16, 12 / 16],
    "worked example: breaking the tie up or down gives 13/16 or 12/16",
    rtol=0,
    atol=1e-15,
)
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
mu = 1.5
n_pos, n_neg = 200, 200
s_big = np.round(np.r_[rng.normal(mu, 1.0, n_pos), rng.normal(0.0, 1.0, n_neg)], 1)
y_big = np.r_[np.ones(n_pos, dtype=int), np.zeros(n_neg, dtype=int)]
n_cross_ties = np.sum(s_big[y_big == 1][:, None] == s_big[y_big == 0][None, :])
print(
    f"{len(np.unique(s_big))} distinct scores for {len(s_big)} examples; {n_cross_ties} tied (positive, negative) pairs"
)
check(n_cross_ties > 100, "the rounded sample has many tied (positive, negative) pairs")

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
check_close(
    round(auc_b_trap, 3), 0.872, "larger sample: empirical AUC = 0.872, as quoted on the page", rtol=0, atol=1e-12
)

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
    round(auc_binormal, 3), 0.856, "binormal model with mu = 1.5: AUC = Phi(1.5 / sqrt 2) = 0.856", rtol=0, atol=1e-12
)
check_close(auc_quad, auc_binormal, "binormal model: the integral of TPR over FPR equals Phi(mu / sqrt 2)", rtol=1e-7)
n_large = 20_000
s_large = np.r_[rng.normal(mu, 1.0, n_large), rng.normal(0.0, 1.0, n_large)]
y_large = np.r_[np.ones(n_large, dtype=int), np.zeros(n_large, dtype=int)]
auc_large = roc_auc_score(y_large, s_large)
print(f"Phi(mu/sqrt 2) = {auc_binormal:.4f}; AUC on 20,000 + 20,000 draws = {auc_large:.4f}")
check_close(
    auc_large, auc_binormal, "a large binormal sample has AUC within 0.01 of Phi(mu / sqrt 2)", rtol=0, atol=0.01
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
# Give every negative a weight of 19, which is the same as repeating it 19 times: the positive fraction drops from $\pi = 0.5$ to $\pi = 0.05$ while the score distribution within each class stays the same.
# TPR and FPR are each computed within one class, so the ROC curve and its AUC cannot move; precision mixes the classes, $\text{precision} = \mathrm{TPR}\,\pi / (\mathrm{TPR}\,\pi + \mathrm{FPR}\,(1 - \pi))$, so the precision-recall curve drops.

# %%
n_each = 500
s_bal = np.r_[rng.normal(mu, 1.0, n_each), rng.normal(0.0, 1.0, n_each)]
y_bal = np.r_[np.ones(n_each, dtype=int), np.zeros(n_each, dtype=int)]
w_imb = np.where(y_bal == 1, 1.0, 19.0)
pi_imb = n_each / (n_each + 19 * n_each)
check_close(pi_imb, 0.05, "weighting each negative by 19 gives a positive fraction of 5%", rtol=1e-12)

fpr_bal, tpr_bal, _ = roc_curve(y_bal, s_bal, drop_intermediate=False)
fpr_imb, tpr_imb, _ = roc_curve(y_bal, s_bal, sample_weight=w_imb, drop_intermediate=False)
check_close(
    np.c_[fpr_imb, tpr_imb], np.c_[fpr_bal, tpr_bal], "the ROC curve is identical at 50% and 5% positives", rtol=1e-12
)
check_close(
    roc_auc_score(y_bal, s_bal, sample_weight=w_imb),
    roc_auc_score(y_bal, s_bal),
    "the ROC AUC is identical at 50% and 5% positives",
    rtol=1e-12,
)

prec_imb, rec_imb, thr_pr = precision_recall_curve(y_bal, s_bal, sample_weight=w_imb)
tpr_at = np.array([np.mean(s_bal[y_bal == 1] >= t) for t in thr_pr])
fpr_at = np.array([np.mean(s_bal[y_bal == 0] >= t) for t in thr_pr])
prec_formula = tpr_at * pi_imb / (tpr_at * pi_imb + fpr_at * (1 - pi_imb))
check_close(prec_imb[:-1], prec_formula, "precision = TPR pi / (TPR pi + FPR (1 - pi)) at every threshold", rtol=1e-10)

ap_bal = average_precision_score(y_bal, s_bal)
ap_imb = average_precision_score(y_bal, s_bal, sample_weight=w_imb)
print(f"average precision: {ap_bal:.3f} at 50% positives, {ap_imb:.3f} at 5% positives")
check_close(
    [round(ap_bal, 2), round(ap_imb, 2)],
    [0.85, 0.34],
    "average precision as quoted on the page: 0.85 at 50%, 0.34 at 5% positives",
    rtol=0,
    atol=1e-12,
)
check(
    ap_imb < ap_bal - 0.3, "the same scores lose more than 0.3 of average precision when positives drop from 50% to 5%"
)

# %% [markdown]
# The number quoted in the page's explanation: with 1% positives, an operating point with $\mathrm{TPR} = 0.8$ and $\mathrm{FPR} = 0.01$ looks excellent on a ROC plot, yet fewer than half of the flagged examples are positive.

# %%
precision_example = 0.8 * 0.01 / (0.8 * 0.01 + 0.01 * 0.99)
print(f"precision at TPR 0.8, FPR 0.01, prevalence 1%: {precision_example:.4f}")
check_close(precision_example, 0.447, "TPR 0.8, FPR 0.01, 1% positives: precision = 0.447", rtol=0, atol=5e-4)

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
