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
# # Precision, recall and the F-scores, threshold by threshold
#
# The figures show how precision, recall and F1 move as the decision threshold of a logistic regression rises, and the precision-recall curve with lines of equal F1.
# The checks prove the formulas of the precision-recall and F1 pages: $F_1 = 2PR/(P+R) = 2\mathrm{TP}/(2\mathrm{TP}+\mathrm{FP}+\mathrm{FN})$ at every threshold, the $F_\beta$ formula, van Rijsbergen's meaning of $\beta$, the half-F1 optimal threshold for calibrated probabilities, macro and micro averaging, and every number of the pages' worked examples.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import check, check_close, save_figure
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
    precision_recall_curve,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from sklearn.model_selection import train_test_split

rng = np.random.default_rng(0)

# %% [markdown]
# ## The worked example: two screening models on 1,000 cases
#
# Of 1,000 cases, 60 are positive.
# Model A flags 50 cases, 40 of them positive; model B flags 115 cases, 55 of them positive.
# The helper turns confusion counts into label vectors, so that scikit-learn can recompute every number from scratch.


# %%
def labels_from_counts(tp, fp, fn, tn):
    """(y_true, y_pred) with exactly the given confusion counts."""
    y_true = np.r_[np.ones(tp), np.zeros(fp), np.ones(fn), np.zeros(tn)].astype(int)
    y_pred = np.r_[np.ones(tp), np.ones(fp), np.zeros(fn), np.zeros(tn)].astype(int)
    return y_true, y_pred


def scores_from_counts(tp, fp, fn, tn, beta=1.0):
    """Precision, recall, F-beta (two formulas), accuracy, FPR from confusion counts."""
    p, r = tp / (tp + fp), tp / (tp + fn)
    b2 = beta**2
    return {
        "precision": p,
        "recall": r,
        "f_harmonic": (1 + b2) * p * r / (b2 * p + r),
        "f_counts": (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp),
        "accuracy": (tp + tn) / (tp + fp + fn + tn),
        "fpr": fp / (fp + tn),
    }


models = {"A": (40, 10, 20, 930), "B": (55, 60, 5, 880)}
for name, counts in models.items():
    y_t, y_p = labels_from_counts(*counts)
    sc = scores_from_counts(*counts)
    check_close(
        [sc["precision"], sc["recall"], sc["f_harmonic"], sc["accuracy"]],
        [precision_score(y_t, y_p), recall_score(y_t, y_p), f1_score(y_t, y_p), accuracy_score(y_t, y_p)],
        f"model {name}: hand formulas for precision, recall, F1, accuracy equal sklearn",
        rtol=1e-12,
    )
    check_close(sc["f_harmonic"], sc["f_counts"], f"model {name}: 2PR/(P+R) = 2TP/(2TP+FP+FN)", rtol=1e-12)
    print(
        f"model {name}: P = {sc['precision']:.3f}, R = {sc['recall']:.3f}, F1 = {sc['f_harmonic']:.3f}, accuracy = {sc['accuracy']:.3f}, FPR = {sc['fpr']:.4f}"
    )

a, b = scores_from_counts(*models["A"]), scores_from_counts(*models["B"])
check_close(
    [a["precision"], a["recall"], a["f_harmonic"]],
    [0.8, 2 / 3, 80 / 110],
    "model A: P = 0.8, R = 0.667, F1 = 80/110 = 0.727",
    rtol=1e-12,
)
check_close([a["accuracy"], a["fpr"]], [0.97, 10 / 940], "model A: accuracy 0.97, FPR = 10/940 = 0.0106", rtol=1e-12)
check_close(
    [b["precision"], b["recall"], b["f_harmonic"]],
    [55 / 115, 55 / 60, 110 / 175],
    "model B: P = 0.478, R = 0.917, F1 = 110/175 = 0.629",
    rtol=1e-12,
)
check_close([b["accuracy"], b["fpr"]], [0.935, 60 / 940], "model B: accuracy 0.935, FPR = 60/940 = 0.0638", rtol=1e-12)
check_close(
    [
        round(a["recall"], 3),
        round(a["f_harmonic"], 3),
        round(b["precision"], 3),
        round(b["recall"], 3),
        round(b["f_harmonic"], 3),
        round(a["fpr"], 4),
        round(b["fpr"], 4),
    ],
    [0.667, 0.727, 0.478, 0.917, 0.629, 0.0106, 0.0638],
    "the rounded values quoted on the pages",
    rtol=0,
    atol=1e-12,
)

# %% [markdown]
# $F_\beta$ for $\beta = 2$ (recall counts more) and $\beta = 0.5$ (precision counts more): model A wins on $F_1$ and $F_{0.5}$, model B on $F_2$.

# %%
f_quoted = {("A", 2): 200 / 290, ("A", 0.5): 50 / 65, ("B", 2): 275 / 355, ("B", 0.5): 68.75 / 130}
for (name, beta), value in f_quoted.items():
    y_t, y_p = labels_from_counts(*models[name])
    sc = scores_from_counts(*models[name], beta=beta)
    check_close(
        sc["f_harmonic"],
        sc["f_counts"],
        f"model {name}, beta = {beta}: (1+b^2)PR/(b^2 P + R) = (1+b^2)TP/((1+b^2)TP + b^2 FN + FP)",
        rtol=1e-12,
    )
    check_close(
        sc["f_harmonic"],
        fbeta_score(y_t, y_p, beta=beta),
        f"model {name}, beta = {beta}: F-beta formula = sklearn fbeta_score",
        rtol=1e-12,
    )
    check_close(sc["f_harmonic"], value, f"model {name}: F_{beta} = {value:.3f}", rtol=1e-12)
check(
    f_quoted[("A", 0.5)] > f_quoted[("B", 0.5)] and f_quoted[("B", 2)] > f_quoted[("A", 2)],
    "A wins on F_0.5 and F_1, B wins on F_2",
)

# %% [markdown]
# Trivial classifiers on the same 1,000 cases: answering "negative" every time gives 94% accuracy and recall 0; answering "positive" every time gives recall 1, precision equal to the prevalence 0.06, and an $F_1$ of only 0.113, while the arithmetic mean of precision and recall would still be 0.53.
# The accuracy page uses the same cases with a cost of 50 per missed positive and 1 per false alarm.

# %%
y_t, _ = labels_from_counts(*models["A"])
y_all_neg, y_all_pos = np.zeros_like(y_t), np.ones_like(y_t)
check_close(accuracy_score(y_t, y_all_neg), 0.94, "always negative: accuracy 0.94", rtol=1e-12)
check(recall_score(y_t, y_all_neg, zero_division=0) == 0, "always negative: recall 0")
check_close(
    [precision_score(y_t, y_all_pos), recall_score(y_t, y_all_pos)],
    [0.06, 1.0],
    "always positive: precision 0.06 = prevalence, recall 1",
    rtol=1e-12,
)
check_close(f1_score(y_t, y_all_pos), 2 * 0.06 / 1.06, "always positive: F1 = 2(0.06)(1)/(1.06) = 0.113", rtol=1e-12)
check_close(round(2 * 0.06 / 1.06, 3), 0.113, "always positive: F1 rounds to 0.113", rtol=0, atol=1e-12)
check_close((0.06 + 1) / 2, 0.53, "always positive: arithmetic mean of P and R = 0.53", rtol=1e-12)
check_close(
    a["precision"] / 2 + a["recall"] / 2,
    0.7333333333333333,
    "model A: arithmetic mean of P and R = 0.733 (F1 = 0.727 is below it)",
    rtol=1e-12,
)

cost_fn, cost_fp = 50, 1
cost = {name: cost_fn * fn + cost_fp * fp for name, (tp, fp, fn, tn) in models.items()}
cost["always negative"] = cost_fn * 60
check(
    cost == {"A": 1010, "B": 310, "always negative": 3000},
    "costs at 50 per miss and 1 per false alarm: A 1010, B 310, always negative 3000",
)
bal = {name: balanced_accuracy_score(*labels_from_counts(*counts)) for name, counts in models.items()}
check_close(
    [bal["A"], bal["B"], balanced_accuracy_score(y_t, y_all_neg)],
    [(2 / 3 + 930 / 940) / 2, (55 / 60 + 880 / 940) / 2, 0.5],
    "balanced accuracy = (TPR + TNR)/2: A 0.828, B 0.926, always negative 0.5",
    rtol=1e-12,
)
check_close(
    [round(bal["A"], 3), round(bal["B"], 3)], [0.828, 0.926], "balanced accuracies as quoted", rtol=0, atol=1e-12
)
pi = 0.06
check_close(
    a["accuracy"],
    pi * a["recall"] + (1 - pi) * (1 - a["fpr"]),
    "accuracy = pi TPR + (1 - pi) TNR (model A)",
    rtol=1e-12,
)
mcc_a = (40 * 930 - 10 * 20) / np.sqrt(50 * 60 * 940 * 950)
check_close(
    matthews_corrcoef(*labels_from_counts(*models["A"])),
    mcc_a,
    "model A: MCC formula = sklearn matthews_corrcoef",
    rtol=1e-12,
)
check_close(round(mcc_a, 3), 0.715, "model A: MCC = 0.715", rtol=0, atol=1e-12)

# %% [markdown]
# ## The accuracy page: baselines, rankings and the cost-optimal threshold
#
# Each row of the accuracy page's table has 1,000 cases and 60 positives.
# Accuracy is $\pi\,\mathrm{TPR} + (1-\pi)\,\mathrm{TNR}$ for every classifier; a constant prediction scores $\max(\pi, 1-\pi)$ at best and always has balanced accuracy 0.5; with equal error costs the total cost is $c\,n\,(1 - \text{accuracy})$, but with a miss costing 50 and a false alarm 1 the accuracy and cost rankings disagree.
# The cost-optimal threshold for calibrated probabilities solves $(1-p)\,c_{\mathrm{FP}} = p\,c_{\mathrm{FN}}$.

# %%
table = {"always negative": (0, 0, 60, 940), **models}
check(
    all(sum(cnt) == 1000 and cnt[0] + cnt[2] == 60 for cnt in table.values()),
    "every row of the accuracy table has 1,000 cases, 60 of them positive",
)
acc_table = {name: (cnt[0] + cnt[3]) / 1000 for name, cnt in table.items()}
for name, (tp, fp, fn, tn) in table.items():
    check_close(
        acc_table[name],
        pi * tp / (tp + fn) + (1 - pi) * tn / (tn + fp),
        f"{name}: accuracy = pi TPR + (1 - pi) TNR",
        rtol=1e-12,
    )
check_close(
    [acc_table["always negative"], acc_table["A"], acc_table["B"]],
    [0.94, 0.97, 0.935],
    "table accuracies 0.94, 0.97, 0.935",
    rtol=1e-12,
)
check(
    acc_table["A"] > acc_table["always negative"] > acc_table["B"],
    "by accuracy, model B (0.935) is worse than doing nothing (0.94)",
)
check(
    cost["B"] < cost["A"] < cost["always negative"],
    "by cost, B (310) is best, then A (1010), then always negative (3000)",
)
bal_table = {"always negative": balanced_accuracy_score(y_t, y_all_neg), **bal}
check(
    sorted(bal_table, key=bal_table.get) == sorted(cost, key=cost.get, reverse=True),
    "balanced accuracy ranks the three classifiers the same way as the cost",
)
check([table["A"][2], table["B"][2]] == [20, 5], "model A misses 20 positives, model B 5")
check(cost_fn * table["A"][2] == 1000, "model A's 20 misses at 50 units each cost 1,000 units per 1,000 cases")

check_close(accuracy_score(y_t, y_all_pos), pi, "always positive: accuracy pi = 0.06", rtol=1e-12)
check_close(
    max(accuracy_score(y_t, y_all_neg), accuracy_score(y_t, y_all_pos)),
    max(pi, 1 - pi),
    "the best constant prediction scores max(pi, 1 - pi)",
    rtol=1e-12,
)
y_rare = np.r_[np.ones(10), np.zeros(990)].astype(int)  # 1% positives, e.g. fraud
check_close(
    accuracy_score(y_rare, np.zeros_like(y_rare)), 0.99, "1% positives: always negative is 99% accurate", rtol=1e-12
)
for y_c in (y_t, y_rare):
    for const in (0, 1):
        check_close(
            balanced_accuracy_score(y_c, np.full_like(y_c, const)),
            0.5,
            f"prevalence {y_c.mean():.2f}, constant prediction {const}: balanced accuracy 0.5",
            rtol=1e-12,
        )
c_equal = 7.0
for name, (_tp, fp, fn, _tn) in table.items():
    check_close(
        c_equal * fn + c_equal * fp,
        c_equal * 1000 * (1 - acc_table[name]),
        f"{name}: with equal costs c, cost = c n (1 - accuracy)",
        rtol=1e-12,
    )

p_s, cfp_s, cfn_s = sp.symbols("p c_FP c_FN", positive=True)
check(
    sp.solve(sp.Eq((1 - p_s) * cfp_s, p_s * cfn_s), p_s) == [cfp_s / (cfp_s + cfn_s)],
    "(1 - p) c_FP = p c_FN exactly at p = c_FP/(c_FP + c_FN)",
)
check_close(cost_fp / (cost_fp + cost_fn), 0.02, "threshold 1/(1 + 50) = 0.0196, about 0.02", atol=5e-3)
check_close(1 / (1 + 1), 0.5, "equal costs give the threshold 0.5", rtol=1e-12)

# %% [markdown]
# ## A threshold sweep on a real classifier
#
# A logistic regression on a synthetic data set with about 10% positives; the scores are its predicted probabilities on a held-out half.
# At each distinct score $t$ the prediction is $\hat y = \mathbf{1}[s \ge t]$, and the confusion counts give precision $P$, recall $R$ and $F_1$.

# %%
X, y = make_classification(
    n_samples=3000,
    n_features=8,
    n_informative=4,
    n_redundant=2,
    weights=[0.9, 0.1],
    class_sep=1.5,
    flip_y=0.01,
    random_state=0,
)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)
clf = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
s = clf.predict_proba(X_te)[:, 1]
prevalence = y_te.mean()
print(f"test set: {len(y_te)} examples, prevalence {prevalence:.3f}")

thresholds = np.unique(s)  # ascending
TP = np.array([np.sum((s >= t) & (y_te == 1)) for t in thresholds])
FP = np.array([np.sum((s >= t) & (y_te == 0)) for t in thresholds])
FN = np.sum(y_te == 1) - TP
t_half = thresholds[np.searchsorted(thresholds, 0.5)]  # the smallest score >= 0.5
P = TP / (TP + FP)  # at least one example (the one scoring t) is predicted positive
R = TP / (TP + FN)
F1_counts = 2 * TP / (2 * TP + FP + FN)
has_tp = TP > 0
F1_harmonic = np.where(has_tp, 2 * P * R / np.where(has_tp, P + R, 1.0), 0.0)

check_close(F1_harmonic[has_tp], F1_counts[has_tp], "F1 = 2PR/(P+R) = 2TP/(2TP+FP+FN) at every threshold", rtol=1e-12)
check(np.all(F1_counts[~has_tp] == 0), "where TP = 0 the count formula gives F1 = 0 (the harmonic form is 0/0 there)")
# One column per threshold: sklearn scores each column as a separate binary problem (multilabel format).
Y_true = np.repeat(y_te[:, None], len(thresholds), axis=1)
Y_pred = (s[:, None] >= thresholds[None, :]).astype(int)
F1_sklearn = f1_score(Y_true, Y_pred, average=None, zero_division=0)
check_close(
    F1_counts, F1_sklearn, f"F1 from the counts = sklearn f1_score at all {len(thresholds)} thresholds", rtol=1e-12
)
check_close(
    F1_counts[thresholds == t_half],
    f1_score(y_te, (s >= t_half).astype(int)),
    "the column-wise sklearn F1 agrees with a plain binary f1_score call",
    rtol=1e-12,
)

prec_sk, rec_sk, thr_sk = precision_recall_curve(y_te, s)
check(
    np.array_equal(thr_sk, thresholds),
    "sklearn's precision_recall_curve uses the same thresholds (the distinct scores)",
)
check_close(
    np.c_[prec_sk[:-1], rec_sk[:-1]],
    np.c_[P, R],
    "hand-counted precision and recall equal sklearn's precision_recall_curve",
    rtol=1e-12,
)

# %% [markdown]
# $F_\beta$ at every threshold, by the harmonic and by the count formula, against scikit-learn's `fbeta_score`.

# %%
for beta in (0.5, 2.0):
    b2 = beta**2
    Fb_counts = (1 + b2) * TP / ((1 + b2) * TP + b2 * FN + FP)
    Fb_harm = np.where(has_tp, (1 + b2) * P * R / np.where(has_tp, b2 * P + R, 1.0), 0.0)
    check_close(
        Fb_harm, Fb_counts, f"beta = {beta}: (1+b^2)PR/(b^2 P + R) = count formula at every threshold", rtol=1e-12
    )
    Fb_sk = fbeta_score(Y_true, Y_pred, beta=beta, average=None, zero_division=0)
    check_close(Fb_counts, Fb_sk, f"beta = {beta}: F-beta formula = sklearn fbeta_score at every threshold", rtol=1e-12)

# %% [markdown]
# Properties the pages state: recall never rises as the threshold rises, precision can go either way, and the harmonic mean lies between the smaller of $P$ and $R$ and their arithmetic mean (and below their geometric mean).

# %%
check(np.all(np.diff(R) <= 0), "recall is non-increasing in the threshold")
check(
    np.any(np.diff(P) < 0) and np.any(np.diff(P) > 0),
    "precision both rises and falls as the threshold rises (not monotone)",
)
Pm, Rm, Fm = P[has_tp], R[has_tp], F1_counts[has_tp]
check(np.all(np.minimum(Pm, Rm) <= Fm + 1e-15), "min(P, R) <= F1 at every threshold")
check(
    np.all(Fm <= np.sqrt(Pm * Rm) + 1e-15) and np.all(np.sqrt(Pm * Rm) <= (Pm + Rm) / 2 + 1e-15),
    "F1 <= sqrt(PR) <= (P+R)/2 at every threshold",
)
check(np.all(Fm <= 2 * np.minimum(Pm, Rm) + 1e-15), "F1 <= 2 min(P, R) at every threshold")

k_best = np.argmax(F1_counts)
t_best, F_best = thresholds[k_best], F1_counts[k_best]
ap = average_precision_score(y_te, s)
print(
    f"best F1 = {F_best:.3f} at t = {t_best:.3f} (P = {P[k_best]:.3f}, R = {R[k_best]:.3f}); F1 at t = 0.5: {f1_score(y_te, (s >= 0.5).astype(int)):.3f}; AP = {ap:.3f}"
)
y_half = (s >= 0.5).astype(int)
quoted = [
    np.sum(y_te),
    prevalence,
    precision_score(y_te, y_half),
    recall_score(y_te, y_half),
    f1_score(y_te, y_half),
    t_best,
    P[k_best],
    R[k_best],
    F_best,
    ap,
]
check_close(
    np.round(quoted, 3),
    [154, 0.103, 0.835, 0.429, 0.567, 0.402, 0.762, 0.519, 0.618, 0.645],
    "quoted: 154 positives (10.3%); at t = 0.5 P 0.835, R 0.429, F1 0.567; best F1 0.618 at t = 0.402 (P 0.762, R 0.519); AP 0.645",
    rtol=0,
    atol=1e-12,
)
check(t_best < 0.5, "the F1-maximising threshold is below the default 0.5")
check(len(thresholds) == len(s), "the 1,500 test scores are all distinct")
pos_rank_prec = np.array([np.mean(y_te[s >= v]) for v in s[y_te == 1]])  # precision at the rank of each positive
check_close(
    ap,
    pos_rank_prec.mean(),
    "distinct scores: AP = mean over positives of the precision at that positive's rank",
    rtol=1e-12,
)
ap_formula = np.sum(-np.diff(rec_sk) * prec_sk[:-1])
check_close(ap, ap_formula, "average precision = sum over thresholds of (R_k - R_(k-1)) P_k", rtol=1e-12)

# %%
fig, ax = plt.subplots()
ax.plot(thresholds, P, label="precision $P$")
ax.plot(thresholds, R, label="recall $R$")
ax.plot(thresholds, F1_counts, label="$F_1$")
ax.axvline(t_best, linestyle=":", color="grey")
ax.annotate(
    f"max $F_1$ = {F_best:.2f} at t = {t_best:.2f}",
    (t_best, F_best),
    xytext=(t_best + 0.03, 0.08),
    fontsize=9,
    arrowprops={"arrowstyle": "->", "color": "grey"},
)
ax.set_xlabel("threshold t on the predicted probability")
ax.set_ylabel("score")
ax.set_ylim(0, 1.05)
_ = ax.set_title(f"Precision, recall and $F_1$ vs threshold ({prevalence:.0%} positives)")
_ = ax.legend(loc="center right")
save_figure(fig, "pr-vs-threshold")

# %%
fig, ax = plt.subplots(figsize=(5.2, 4.4))
r_grid = np.linspace(0.01, 1, 300)
for f_level in (0.4, 0.6, 0.8):
    p_iso = f_level * r_grid / (2 * r_grid - f_level)  # solve 2PR/(P+R) = f for P
    ok = (2 * r_grid > f_level) & (p_iso <= 1.0)
    ax.plot(r_grid[ok], p_iso[ok], color="grey", linewidth=0.8, linestyle="--")
    ax.annotate(
        f"$F_1$ = {f_level}",
        (1.0, f_level / (2 - f_level)),
        textcoords="offset points",
        xytext=(2, 0),
        fontsize=8,
        color="grey",
    )
ax.plot(rec_sk, prec_sk, drawstyle="steps-post", label=f"logistic regression, AP = {ap:.2f}")
ax.axhline(prevalence, linestyle=":", color="C1", label=f"no skill: precision = {prevalence:.2f}")
ax.plot(R[k_best], P[k_best], "o", color="C2", label=f"max $F_1$ = {F_best:.2f}")
ax.set_xlabel("recall $R$")
ax.set_ylabel("precision $P$")
ax.set_xlim(0, 1.12)
ax.set_ylim(0, 1.05)
_ = ax.set_title("Precision-recall curve with lines of equal $F_1$")
_ = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.12), fontsize=9)
save_figure(fig, "pr-curve")

# %% [markdown]
# ## What beta means
#
# Van Rijsbergen chose $\beta$ so that, at the point where $R/P = \beta$, a small gain in precision and the same small gain in recall change $F_\beta$ equally: $\partial F_\beta/\partial P = \partial F_\beta/\partial R$ exactly when $R = \beta P$.
# Symbolic differentiation checks this, and that $1/F_\beta$ is the weighted mean of $1/P$ and $1/R$ with weights $1/(1+\beta^2)$ and $\beta^2/(1+\beta^2)$.

# %%
Ps, Rs, bs = sp.symbols("P R beta", positive=True)
F_beta = (1 + bs**2) * Ps * Rs / (bs**2 * Ps + Rs)
dP, dR = sp.diff(F_beta, Ps), sp.diff(F_beta, Rs)
check(sp.simplify(dP - (1 + bs**2) * Rs**2 / (bs**2 * Ps + Rs) ** 2) == 0, "dF/dP = (1+b^2) R^2 / (b^2 P + R)^2")
check(
    sp.simplify(dR - (1 + bs**2) * bs**2 * Ps**2 / (bs**2 * Ps + Rs) ** 2) == 0,
    "dF/dR = (1+b^2) b^2 P^2 / (b^2 P + R)^2",
)
check(sp.solve(sp.Eq(dP, dR), Rs) == [bs * Ps], "dF/dP = dF/dR exactly when R = beta P")
check(
    sp.simplify(1 / F_beta - (1 / Ps + bs**2 / Rs) / (1 + bs**2)) == 0,
    "1/F_beta = (1/P + beta^2/R)/(1 + beta^2), a weighted harmonic mean",
)

# %% [markdown]
# ## The F1-optimal threshold for calibrated probabilities is half the optimal F1
#
# Draw probabilities $p_i$ and labels $y_i \sim \text{Bernoulli}(p_i)$, so the scores are calibrated by construction.
# With expected counts ($\mathbb{E}[\mathrm{TP}] = \sum_{p_i \ge t} p_i$ and so on), adding an example with probability $p$ to the predicted positives raises expected $F_1$ exactly when $p > F_1/2$, so the best threshold is $F_1^*/2$.
# The check uses expected counts (exact up to the spacing of the scores) and one random draw of labels (looser tolerance, because the empirical $F_1$ curve is flat near its maximum).

# %%
p_cal = np.sort(rng.beta(0.6, 4.0, size=100_000))[::-1]  # decreasing
e_tp = np.cumsum(p_cal)  # expected TP when the top k are predicted positive
e_fp = np.cumsum(1 - p_cal)
e_fn = p_cal.sum() - e_tp
e_f1 = 2 * e_tp / (2 * e_tp + e_fp + e_fn)
k_star = np.argmax(e_f1)
print(
    f"expected counts: best F1 = {e_f1[k_star]:.4f}, best threshold = {p_cal[k_star]:.4f}, half of best F1 = {e_f1[k_star] / 2:.4f}"
)
check_close(
    p_cal[k_star],
    e_f1[k_star] / 2,
    "calibrated scores, expected counts: F1-optimal threshold = (optimal F1)/2",
    rtol=0,
    atol=1e-3,
)

y_cal = (rng.random(p_cal.size) < p_cal).astype(int)
tp_c = np.cumsum(y_cal)
f1_c = 2 * tp_c / (np.arange(1, p_cal.size + 1) + y_cal.sum())  # 2TP + FP + FN = #predicted + #positives
k_c = np.argmax(f1_c)
print(f"one draw of labels: best F1 = {f1_c[k_c]:.4f}, best threshold = {p_cal[k_c]:.4f}")
check_close(
    p_cal[k_c],
    f1_c[k_c] / 2,
    "calibrated scores, sampled labels: F1-optimal threshold within 0.02 of (optimal F1)/2",
    rtol=0,
    atol=0.02,
)

# %% [markdown]
# ## Macro, micro and weighted averaging
#
# A three-class example with 100 examples: class $C_1$ has 80, $C_2$ has 15 and $C_3$ has 5.
# Rows of the confusion matrix are true classes, columns predicted classes.

# %%
cm = np.array([[76, 2, 2], [5, 9, 1], [3, 0, 2]])
y3_true = np.repeat(np.repeat([0, 1, 2], 3), cm.ravel())
y3_pred = np.repeat(np.tile([0, 1, 2], 3), cm.ravel())
check(np.array_equal(confusion_matrix(y3_true, y3_pred), cm), "the label vectors reproduce the confusion matrix")

tp3 = np.diag(cm)
fp3 = cm.sum(axis=0) - tp3
fn3 = cm.sum(axis=1) - tp3
p3, r3 = tp3 / (tp3 + fp3), tp3 / (tp3 + fn3)
f3 = 2 * tp3 / (2 * tp3 + fp3 + fn3)
support = cm.sum(axis=1)
p_sk, r_sk, f_sk, _ = precision_recall_fscore_support(y3_true, y3_pred)
check_close(
    np.c_[p3, r3, f3],
    np.c_[p_sk, r_sk, f_sk],
    "per-class precision, recall, F1 by one-vs-rest counting = sklearn",
    rtol=1e-12,
)
print("per class P:", np.round(p3, 3), " R:", np.round(r3, 3), " F1:", np.round(f3, 3))
check_close(
    np.round(np.c_[p3, r3, f3], 3),
    [[0.905, 0.95, 0.927], [0.818, 0.6, 0.692], [0.4, 0.4, 0.4]],
    "per-class values as quoted (3 decimals)",
    rtol=0,
    atol=1e-12,
)

macro = f3.mean()
micro = 2 * tp3.sum() / (2 * tp3.sum() + fp3.sum() + fn3.sum())
weighted = np.sum(support * f3) / support.sum()
f1_of_means = 2 * p3.mean() * r3.mean() / (p3.mean() + r3.mean())
check_close(
    macro,
    f1_score(y3_true, y3_pred, average="macro"),
    "macro F1 = mean of per-class F1 = sklearn average='macro'",
    rtol=1e-12,
)
check_close(
    micro,
    f1_score(y3_true, y3_pred, average="micro"),
    "micro F1 from pooled counts = sklearn average='micro'",
    rtol=1e-12,
)
check_close(micro, accuracy_score(y3_true, y3_pred), "single-label multiclass: micro F1 = accuracy", rtol=1e-12)
check_close(
    weighted,
    f1_score(y3_true, y3_pred, average="weighted"),
    "support-weighted F1 = sklearn average='weighted'",
    rtol=1e-12,
)
print(
    f"macro F1 {macro:.3f}, micro F1 {micro:.3f}, weighted F1 {weighted:.3f}, F1 of macro P and macro R {f1_of_means:.3f}"
)
check_close(
    np.round([macro, micro, weighted, f1_of_means], 3),
    [0.673, 0.87, 0.865, 0.678],
    "macro 0.673, micro 0.87, weighted 0.865, F1-of-averages 0.678",
    rtol=0,
    atol=1e-12,
)
