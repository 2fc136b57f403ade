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
# The notebook serves three pages (precision and recall, accuracy versus performance, F1 score) and binds every number of their Example sections.
# Each claim is compared with an independent route: hand formulas on confusion counts against scikit-learn on label vectors, closed forms against simulations (random flagging, calibrated probabilities, cross-validation folds), and algebraic identities against sympy.
# Precision and recall are written $\mathrm{Prec}$ and $\mathrm{Rec}$, and the F-beta weight $\beta_F$.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    jaccard_score,
    matthews_corrcoef,
    precision_recall_curve,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split

rng = np.random.default_rng(0)

# %% [markdown]
# ## The worked example: two screening models on 1,000 cases
#
# Of 1,000 cases, 60 are positive.
# Model A flags 50 cases, 40 of them positive; model B flags 115 cases, 55 of them positive.
# The helper turns confusion counts into label vectors; every number the pages quote is then computed by scikit-learn from those vectors, and the hand formulas of the pages are compared with it.


# %%
def labels_from_counts(tp, fp, fn, tn):
    """(y_true, y_pred) with exactly the given confusion counts."""
    y_true = np.r_[np.ones(tp), np.zeros(fp), np.ones(fn), np.zeros(tn)].astype(int)
    y_pred = np.r_[np.ones(tp), np.ones(fp), np.zeros(fn), np.zeros(tn)].astype(int)
    return y_true, y_pred


def scores_from_counts(tp, fp, fn, tn, beta_f=1.0):
    """Precision, recall, F-beta (two formulas), accuracy, FPR from confusion counts, by the pages' formulas."""
    prec, rec = tp / (tp + fp), tp / (tp + fn)
    b2 = beta_f**2
    return {
        "precision": prec,
        "recall": rec,
        "f_harmonic": (1 + b2) * prec * rec / (b2 * prec + rec),
        "f_counts": (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp),
        "accuracy": (tp + tn) / (tp + fp + fn + tn),
        "fpr": fp / (fp + tn),
    }


models = {"A": (40, 10, 20, 930), "B": (55, 60, 5, 880)}
labels = {name: labels_from_counts(*counts) for name, counts in models.items()}
y_t = labels["A"][0]
bind("n_cases", y_t.size)
bind("n_pos", y_t.sum())
bind("n_neg", y_t.size - y_t.sum())
pi = bind("pi", y_t.mean())
for name, (y_true, y_pred) in labels.items():
    key = name.lower()
    tn_, fp_, fn_, tp_ = confusion_matrix(y_true, y_pred).ravel()
    for cell, value in (("tp", tp_), ("fp", fp_), ("fn", fn_), ("tn", tn_), ("pp", tp_ + fp_)):
        bind(f"{cell}_{key}", value)
    sc = scores_from_counts(*models[name])
    sk = {
        "precision": precision_score(y_true, y_pred),
        "recall": recall_score(y_true, y_pred),
        "f1": f1_score(y_true, y_pred),
        "accuracy": accuracy_score(y_true, y_pred),
        "fpr": fp_ / (fp_ + tn_),
    }
    check_close(
        [sc["precision"], sc["recall"], sc["f_harmonic"], sc["accuracy"]],
        [sk["precision"], sk["recall"], sk["f1"], sk["accuracy"]],
        f"model {name}: hand formulas for precision, recall, F1, accuracy equal sklearn",
        rtol=1e-12,
    )
    check_close(sc["f_harmonic"], sc["f_counts"], f"model {name}: 2 Prec Rec/(Prec+Rec) = 2TP/(2TP+FP+FN)", rtol=1e-12)
    for metric in ("precision", "recall", "f1", "accuracy", "fpr"):
        bind(f"{metric}_{key}", sk[metric])
    print(f"model {name}: " + ", ".join(f"{k} = {v:.4f}" for k, v in sk.items()))
a, b = scores_from_counts(*models["A"]), scores_from_counts(*models["B"])
bind("precision_a_pct", 100 * precision_score(*labels["A"]))
bind("false_alarm_b_pct", 100 * (1 - precision_score(*labels["B"])))

# %% [markdown]
# $F_{\beta_F}$ for $\beta_F = 2$ (recall counts more) and $\beta_F = 0.5$ (precision counts more), by the pages' formulas against `fbeta_score`; the pages say model A wins on $F_1$ and $F_{0.5}$, model B on $F_2$.

# %%
f_sk = {}
for name, (y_true, y_pred) in labels.items():
    for beta_f, tag in ((2.0, "f2"), (0.5, "f05")):
        sc = scores_from_counts(*models[name], beta_f=beta_f)
        check_close(
            sc["f_harmonic"],
            sc["f_counts"],
            f"model {name}, beta_F = {beta_f}: harmonic form = count form",
            rtol=1e-12,
        )
        f_sk[name, tag] = fbeta_score(y_true, y_pred, beta=beta_f)
        check_close(
            sc["f_harmonic"],
            f_sk[name, tag],
            f"model {name}, beta_F = {beta_f}: F-beta formula = sklearn fbeta_score",
            rtol=1e-12,
            name=f"{tag}_{name.lower()}",
        )
        tp_, fp_, fn_, _ = models[name]
        bind(f"{tag}_num_{name.lower()}", (1 + beta_f**2) * tp_)
        bind(f"{tag}_den_{name.lower()}", (1 + beta_f**2) * tp_ + beta_f**2 * fn_ + fp_)
    f_sk[name, "f1"] = f1_score(y_true, y_pred)
    tp_, fp_, fn_, _ = models[name]
    bind(f"f1_num_{name.lower()}", 2 * tp_)
    bind(f"f1_den_{name.lower()}", 2 * tp_ + fp_ + fn_)
check(
    f_sk["A", "f1"] > f_sk["B", "f1"] and f_sk["A", "f05"] > f_sk["B", "f05"] and f_sk["B", "f2"] > f_sk["A", "f2"],
    "sklearn: A wins on F_1 and F_0.5, B wins on F_2",
)

# %% [markdown]
# Trivial classifiers on the same 1,000 cases: answering "negative" every time, answering "positive" every time, and flagging at random.
# For random flagging with probability $q$, step 5 of the precision page says precision is the prevalence $\pi$ and recall is $q$ in expectation; a simulation with 200,000 cases checks both within 4 binomial standard errors.

# %%
y_all_neg, y_all_pos = np.zeros_like(y_t), np.ones_like(y_t)
acc_all_neg = bind("acc_all_neg", accuracy_score(y_t, y_all_neg))
bind("acc_all_neg_pct", 100 * acc_all_neg)
check_close(acc_all_neg, 1 - pi, "always negative: accuracy = 1 - pi (sklearn vs derivation step 2)", rtol=1e-12)
bind("recall_all_neg", recall_score(y_t, y_all_neg, zero_division=0))
bind("f1_all_neg", f1_score(y_t, y_all_neg, zero_division=0))
bind("precision_all_pos", precision_score(y_t, y_all_pos))
bind("recall_all_pos", recall_score(y_t, y_all_pos))
check_close(
    f1_score(y_t, y_all_pos),
    2 * pi / (1 + pi),
    "always positive: sklearn F1 = 2 pi/(1 + pi)",
    rtol=1e-12,
    name="f1_all_pos",
)
bind("amean_all_pos", (precision_score(y_t, y_all_pos) + recall_score(y_t, y_all_pos)) / 2)
bind("amean_a", (precision_score(*labels["A"]) + recall_score(*labels["A"])) / 2)

n_sim, pi_sim = 200_000, 0.06
y_sim = (rng.random(n_sim) < pi_sim).astype(int)
for q in (0.1, 0.3, 0.7):
    flag = (rng.random(n_sim) < q).astype(int)
    n_flag = flag.sum()
    check_close(
        precision_score(y_sim, flag),
        pi_sim,
        f"random flagging with q = {q}: precision = prevalence (4 SE)",
        rtol=0,
        atol=4 * np.sqrt(pi_sim * (1 - pi_sim) / n_flag),
    )
    check_close(
        recall_score(y_sim, flag),
        q,
        f"random flagging with q = {q}: recall = q (4 SE)",
        rtol=0,
        atol=4 * np.sqrt(q * (1 - q) / y_sim.sum()),
    )

# %% [markdown]
# ## The accuracy page: costs, balanced accuracy, and the cost-optimal threshold
#
# Costs are computed from scikit-learn's confusion matrices of the label vectors, with a miss costing 50 and a false alarm 1.
# Accuracy is $\pi\,\mathrm{TPR} + (1-\pi)\,\mathrm{TNR}$ (checked against `accuracy_score`); balanced accuracy is $(\mathrm{TPR} + \mathrm{TNR})/2$ (checked against `balanced_accuracy_score`); the MCC formula is checked against `matthews_corrcoef`.

# %%
cost_fn, cost_fp = 50, 1
bind("cost_fn", cost_fn)
bind("cost_fp", cost_fp)
table = {"always negative": (y_t, y_all_neg), "A": labels["A"], "B": labels["B"]}
keys = {"always negative": "neg", "A": "a", "B": "b"}
cost, acc_table, bal_table = {}, {}, {}
for name, (y_true, y_pred) in table.items():
    tn_, fp_, fn_, tp_ = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    tpr, tnr = tp_ / (tp_ + fn_), tn_ / (tn_ + fp_)
    cost[name] = bind(f"cost_{keys[name]}", cost_fn * fn_ + cost_fp * fp_)
    acc_table[name] = accuracy_score(y_true, y_pred)
    bal_table[name] = balanced_accuracy_score(y_true, y_pred)
    check_close(
        acc_table[name], pi * tpr + (1 - pi) * tnr, f"{name}: accuracy = pi TPR + (1 - pi) TNR (sklearn)", rtol=1e-12
    )
    check_close(bal_table[name], (tpr + tnr) / 2, f"{name}: balanced accuracy = (TPR + TNR)/2 (sklearn)", rtol=1e-12)
    bind(f"bal_{keys[name]}", bal_table[name])
    if name == "always negative":  # models A and B have their counts bound above
        for cell, value in (("tp", tp_), ("fp", fp_), ("fn", fn_), ("tn", tn_)):
            bind(f"{cell}_neg", value)
    if name == "A":
        bind("cost_misses_a", cost_fn * fn_)
    check_close(
        cost_fn * fn_ + cost_fn * fp_,
        cost_fn * y_true.size * (1 - acc_table[name]),
        f"{name}: with equal costs c, cost = c n (1 - accuracy)",
        rtol=1e-12,
    )
check(
    acc_table["A"] > acc_table["always negative"] > acc_table["B"],
    "by accuracy (sklearn), model B is worse than doing nothing",
)
check(cost["B"] < cost["A"] < cost["always negative"], "by cost (sklearn confusion matrices), B is best, then A")
check(
    sorted(bal_table, key=bal_table.get) == sorted(cost, key=cost.get, reverse=True),
    "balanced accuracy ranks the three classifiers the same way as the cost",
)
y_rare = np.r_[np.ones(10), np.zeros(990)].astype(int)  # 1% positives, e.g. fraud
bind("acc_rare_pct", 100 * accuracy_score(y_rare, np.zeros_like(y_rare)))
bind("rare_pct", 100 * y_rare.mean())
check_close(
    balanced_accuracy_score(y_rare, np.zeros_like(y_rare)),
    0.5,
    "1% positives: a constant prediction has balanced accuracy 0.5 (sklearn)",
    rtol=1e-12,
)
mcc_a = (40 * 930 - 10 * 20) / np.sqrt(50 * 60 * 940 * 950)
check_close(
    matthews_corrcoef(*labels["A"]),
    mcc_a,
    "model A: MCC formula = sklearn matthews_corrcoef",
    rtol=1e-12,
    name="mcc_a",
)

# %% [markdown]
# The cost-optimal threshold for calibrated probabilities solves $(1-p)\,c_{\mathrm{FP}} = p\,c_{\mathrm{FN}}$ (sympy).
# Independently, simulated calibrated probabilities ($y \sim \mathrm{Bernoulli}(p)$, 200,000 cases each, from two populations, $p \sim \mathrm{Beta}(0.5, 4)$ and $p \sim \mathrm{Beta}(0.5, 1)$) and a sweep of thresholds must put the empirical minimum of $50\,\mathrm{FN} + \mathrm{FP}$ at the formula's value.
# The tolerance 0.01 is about 4 standard deviations of the empirical minimiser (0.0023, measured over 40 repeated simulations of 200,000 cases when this check was written); a page with $c_{\mathrm{FN}}/(c_{\mathrm{FP}} + c_{\mathrm{FN}})$ would fail.

# %%
p_s, cfp_s, cfn_s = sp.symbols("p c_FP c_FN", positive=True)
t_sym = sp.solve(sp.Eq((1 - p_s) * cfp_s, p_s * cfn_s), p_s)
check(t_sym == [cfp_s / (cfp_s + cfn_s)], "(1 - p) c_FP = p c_FN exactly at p = c_FP/(c_FP + c_FN)")
t_cost = bind("t_cost", float(t_sym[0].subs({cfp_s: cost_fp, cfn_s: cost_fn})))
bind("t_equal_cost", float(t_sym[0].subs({cfp_s: 1, cfn_s: 1})))


def calibrated_sample(a_par, b_par, size=200_000):
    """Probabilities p ~ Beta(a, b), sorted in decreasing order, and labels y ~ Bernoulli(p): calibrated by construction."""
    p = np.sort(rng.beta(a_par, b_par, size))[::-1]
    return p, rng.random(size) < p


def cost_optimal_threshold(p, y):
    """Threshold (one of the scores, p decreasing) minimising c_FN FN + c_FP FP when the top k are flagged."""
    fp_top = np.cumsum(~y)  # false positives when the top k + 1 are flagged
    fn_rest = y.sum() - np.cumsum(y)
    return p[np.argmin(cost_fn * fn_rest + cost_fp * fp_top)]


populations = {"Beta(0.5, 4)": calibrated_sample(0.5, 4.0), "Beta(0.5, 1)": calibrated_sample(0.5, 1.0)}
for pop_name, (p_pop, y_pop) in populations.items():
    t_emp = cost_optimal_threshold(p_pop, y_pop)
    print(f"{pop_name}: cost-optimal threshold, formula {t_cost:.4f}, empirical {t_emp:.4f}")
    check_close(
        t_emp,
        t_cost,
        f"simulated calibrated scores, {pop_name}: the empirical cost-minimising threshold is 1/51 (4 SD)",
        rtol=0,
        atol=0.01,
    )

# %% [markdown]
# ## A threshold sweep on a real classifier
#
# A logistic regression on a synthetic data set with about 10% positives; the scores are its predicted probabilities on a held-out half.
# At each distinct score $t$ the prediction is $\hat y = \mathbf{1}[s \ge t]$, and the confusion counts give $\mathrm{Prec}$, $\mathrm{Rec}$ and $F_1$, compared with scikit-learn at every threshold.

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
bind("n_test", len(y_te))
bind("n_test_pos", y_te.sum())
bind("prev_test", prevalence)
bind("prev_test_pct", 100 * prevalence)
print(f"test set: {len(y_te)} examples, prevalence {prevalence:.3f}")

thresholds = np.unique(s)  # ascending
check(len(thresholds) == len(s), "the test scores are all distinct (each threshold step removes one example)")
TP = np.array([np.sum((s >= t) & (y_te == 1)) for t in thresholds])
FP = np.array([np.sum((s >= t) & (y_te == 0)) for t in thresholds])
FN = np.sum(y_te == 1) - TP
Prec = TP / (TP + FP)  # at least one example (the one scoring t) is predicted positive
Rec = TP / (TP + FN)
F1_counts = 2 * TP / (2 * TP + FP + FN)
has_tp = TP > 0
F1_harmonic = np.where(has_tp, 2 * Prec * Rec / np.where(has_tp, Prec + Rec, 1.0), 0.0)
check_close(
    F1_harmonic[has_tp],
    F1_counts[has_tp],
    "F1 = 2 Prec Rec/(Prec+Rec) = 2TP/(2TP+FP+FN) at every threshold",
    rtol=1e-12,
)
# One column per threshold: sklearn scores each column as a separate binary problem (multilabel format).
Y_true = np.repeat(y_te[:, None], len(thresholds), axis=1)
Y_pred = (s[:, None] >= thresholds[None, :]).astype(int)
F1_sklearn = f1_score(Y_true, Y_pred, average=None, zero_division=0)
check_close(
    F1_counts, F1_sklearn, f"F1 from the counts = sklearn f1_score at all {len(thresholds)} thresholds", rtol=1e-12
)
t_default = bind("t_default", 0.5)
y_half = (s >= t_default).astype(int)
check_close(
    F1_counts[np.searchsorted(thresholds, t_default)],
    f1_score(y_te, y_half),
    "the column-wise sklearn F1 agrees with a plain binary f1_score call at t = 0.5",
    rtol=1e-12,
    name="f1_half",
)
bind("prec_half", precision_score(y_te, y_half))
bind("rec_half", recall_score(y_te, y_half))

prec_sk, rec_sk, thr_sk = precision_recall_curve(y_te, s)
check(
    np.array_equal(thr_sk, thresholds),
    "sklearn's precision_recall_curve uses the same thresholds (the distinct scores)",
)
check_close(
    np.c_[prec_sk[:-1], rec_sk[:-1]],
    np.c_[Prec, Rec],
    "hand-counted precision and recall equal sklearn's precision_recall_curve",
    rtol=1e-12,
)

for beta_f in (0.5, 2.0):
    b2 = beta_f**2
    Fb_counts = (1 + b2) * TP / ((1 + b2) * TP + b2 * FN + FP)
    Fb_sk = fbeta_score(Y_true, Y_pred, beta=beta_f, average=None, zero_division=0)
    check_close(
        Fb_counts,
        Fb_sk,
        f"beta_F = {beta_f}: F-beta count formula = sklearn fbeta_score at all {len(thresholds)} thresholds",
        rtol=1e-12,
    )

# %% [markdown]
# Properties the precision page states about the sweep.
# Raising the threshold removes one example per step; when it is a true positive, precision must fall unless it was already 1 (derivation step 4), and when it is a false positive it cannot fall.
# The Bayes form of precision (step 2) is checked under a change of prevalence: giving each negative weight 5 (scikit-learn's weighted precision) must match $\mathrm{Rec}\,\pi'/(\mathrm{Rec}\,\pi' + \mathrm{FPR}\,(1 - \pi'))$ computed from the unweighted rates and the new prevalence $\pi'$.

# %%
removed_tp = y_te[np.argsort(s)][:-1] == 1  # the example that leaves when moving from threshold k to k + 1
dPrec = np.diff(Prec)
check(
    np.all((dPrec[removed_tp] < 0) | (Prec[:-1][removed_tp] == 1)),
    "when a true positive leaves, precision falls unless it was already 1",
)
check(np.all(dPrec[~removed_tp] >= 0), "when a false positive leaves, precision does not fall")
check(np.any(dPrec < 0) and np.any(dPrec > 0), "precision both rises and falls as the threshold rises")
n_flat = int(np.sum(removed_tp & (dPrec == 0)))
print(f"{removed_tp.sum()} steps remove a true positive; precision stays at 1 in {n_flat} of them")
check(n_flat > 0, "the 'unless it was already 1' case occurs on this classifier")
FPR_k = FP / np.sum(y_te == 0)
w_neg = np.where(y_te == 1, 1.0, 5.0)
pi_w = w_neg[y_te == 1].sum() / w_neg.sum()
prec_w, _, thr_w = precision_recall_curve(y_te, s, sample_weight=w_neg)
check_close(
    prec_w[:-1],
    Rec * pi_w / (Rec * pi_w + FPR_k * (1 - pi_w)),
    "Bayes form: weighted sklearn precision = Rec pi'/(Rec pi' + FPR (1 - pi')) at every threshold",
    rtol=1e-10,
)

# %% [markdown]
# ## Choosing the F1 threshold without touching the test set
#
# The threshold is chosen on out-of-fold predicted probabilities of the training half (5-fold stratified cross-validation), and the test F1 is reported at that threshold.
# The maximum of the test curve itself is shown only as an optimistic (oracle) value.

# %%
cv = StratifiedKFold(n_splits=int(bind("n_folds", 5)), shuffle=True, random_state=0)
s_oof = cross_val_predict(LogisticRegression(max_iter=1000), X_tr, y_tr, cv=cv, method="predict_proba")[:, 1]
order_oof = np.argsort(-s_oof)
tp_oof = np.cumsum(y_tr[order_oof])  # TP when the top k out-of-fold scores are flagged (distinct scores)
f1_oof = 2 * tp_oof / (np.arange(1, y_tr.size + 1) + y_tr.sum())
check(len(np.unique(s_oof)) == len(s_oof), "the out-of-fold scores are distinct, so each k is one threshold")
t_cv = bind("t_cv", s_oof[order_oof][np.argmax(f1_oof)])
y_cv = (s >= t_cv).astype(int)
f1_cv = bind("f1_cv", f1_score(y_te, y_cv))
bind("prec_cv", precision_score(y_te, y_cv))
bind("rec_cv", recall_score(y_te, y_cv))
check(t_cv < t_default, "the F1 threshold chosen on validation folds is below the default 0.5")
check(f1_cv > f1_score(y_te, y_half), "on the test set, F1 at the validated threshold beats F1 at 0.5")
k_best = np.argmax(F1_counts)
t_best, F_best = bind("t_oracle", thresholds[k_best]), bind("f1_oracle", F1_counts[k_best])
check(F_best >= f1_cv, "the test-curve maximum is at least the validated F1 (it is an optimistic, oracle value)")
print(f"validated t = {t_cv:.3f}: test F1 {f1_cv:.3f}; oracle t = {t_best:.3f}: test F1 {F_best:.3f}")

# %% [markdown]
# Average precision: the mean over positives of the precision at each positive's rank (step 6), scikit-learn's step sum, and the trapezoid rule.
# On the fully resolved curve the trapezoid area is slightly below AP, because at every step precision rises between the two points.
# On a sparse set of operating points (every 25th threshold) the straight chord lies above the achievable curve where precision falls; Davis and Goadrich's interpolation (true and false positives grow in proportion between two points) gives the achievable area, and the chord must overstate it.

# %%
ap = bind("ap", average_precision_score(y_te, s))
bind("prec_top", Prec[-1])
bind("rec_top", Rec[-1])
pos_rank_prec = np.array([np.mean(y_te[s >= v]) for v in s[y_te == 1]])  # precision at the rank of each positive
check_close(
    ap,
    pos_rank_prec.mean(),
    "distinct scores: AP = mean over positives of the precision at that positive's rank",
    rtol=1e-12,
)
check_close(ap, np.sum(-np.diff(rec_sk) * prec_sk[:-1]), "AP = sum of (Rec_k - Rec_(k-1)) Prec_k", rtol=1e-12)
trap = bind("pr_trapezoid", np.trapezoid(prec_sk[::-1], rec_sk[::-1]))
print(f"AP {ap:.4f}, trapezoid over all points {trap:.4f}")
check(trap < ap, "over every point of this curve the trapezoid area is below AP")

sparse_step = int(bind("sparse_step", 25))
sparse = np.r_[np.arange(0, len(thresholds), sparse_step), len(thresholds) - 1]
tp_s, fp_s = TP[sparse][::-1], FP[sparse][::-1]  # from the highest threshold down
chord, achievable = 0.0, 0.0
for i in range(len(sparse) - 1):
    x = np.linspace(0, 1, 201)
    tp_x = tp_s[i] + x * (tp_s[i + 1] - tp_s[i])
    fp_x = fp_s[i] + x * (fp_s[i + 1] - fp_s[i])
    rec_x, prec_x = tp_x / y_te.sum(), tp_x / (tp_x + fp_x)
    achievable += np.trapezoid(prec_x, rec_x)
    chord += (rec_x[-1] - rec_x[0]) * (prec_x[0] + prec_x[-1]) / 2
print(f"sparse points: chord area {chord:.4f}, achievable (Davis-Goadrich) area {achievable:.4f}")
prec_sparse = tp_s / (tp_s + fp_s)
n_falling = int(np.sum(np.diff(prec_sparse) < 0))  # segments along which precision falls as recall grows
print(f"precision falls along {n_falling} of the {len(sparse) - 1} sparse segments")
check(n_falling > (len(sparse) - 1) / 2, "precision falls between most neighbouring sparse points")
bind("pr_chord", chord)
bind("pr_achievable", achievable)
check(chord > achievable, "on these sparse operating points, straight PR segments overstate the achievable area")

# %% [markdown]
# ## Inequalities and invariances of F1 (sympy and scikit-learn)
#
# For $0 < m \le M$: $F_1 - m = m(M - m)/(m + M) \ge 0$ and $2m - F_1 = 2m^2/(m + M) > 0$; with $\mathrm{Prec} = u^2$, $\mathrm{Rec} = v^2$, $\sqrt{\mathrm{Prec}\,\mathrm{Rec}} - F_1 = uv(u - v)^2/(u^2 + v^2) \ge 0$.
# F1 does not change when correctly rejected negatives are added, while accuracy rises; F1 is $2\,\mathrm{IoU}/(1 + \mathrm{IoU})$ with `jaccard_score`.

# %%
m_, M_, u_, v_ = sp.symbols("m M u v", positive=True)
f1_sym = 2 * m_ * M_ / (m_ + M_)
check(sp.simplify(f1_sym - m_ - m_ * (M_ - m_) / (m_ + M_)) == 0, "sympy: F1 - min = min (max - min)/(min + max) >= 0")
check(sp.simplify(2 * m_ - f1_sym - 2 * m_**2 / (m_ + M_)) == 0, "sympy: 2 min - F1 = 2 min^2/(min + max) > 0")
f1_uv = 2 * u_**2 * v_**2 / (u_**2 + v_**2)
check(sp.simplify(u_ * v_ - f1_uv - u_ * v_ * (u_ - v_) ** 2 / (u_**2 + v_**2)) == 0, "sympy: sqrt(Prec Rec) - F1 >= 0")
y_more, p_more = labels_from_counts(40, 10, 20, 930 + 10_000)
check_close(
    f1_score(y_more, p_more), f1_score(*labels["A"]), "F1 is unchanged by 10,000 extra true negatives", rtol=1e-12
)
check(accuracy_score(y_more, p_more) > accuracy_score(*labels["A"]), "while accuracy rises")
iou = jaccard_score(*labels["A"])
check_close(f1_score(*labels["A"]), 2 * iou / (1 + iou), "F1 = 2 IoU/(1 + IoU) (sklearn jaccard_score)", rtol=1e-12)
# Per-image pixel counts (TP, FP, FN, TN) with Dice 0.9 and 0.1 for the first model and 0.51 twice for the second;
# sklearn scores each image's pixel labels, and the per-image means are compared.
images = {"first": [(9, 1, 1, 89), (1, 9, 9, 81)], "second": [(51, 49, 49, 851), (51, 49, 49, 851)]}
mean_dice, mean_iou = {}, {}
for model_name, counts in images.items():
    pixels = [labels_from_counts(*c) for c in counts]
    mean_dice[model_name] = np.mean([f1_score(yt, yp) for yt, yp in pixels])
    mean_iou[model_name] = np.mean([jaccard_score(yt, yp) for yt, yp in pixels])
print(f"mean Dice {mean_dice}, mean IoU {mean_iou}")
assert np.allclose([mean_dice["first"], mean_dice["second"]], [0.5, 0.51]), "precondition: the page's Dice values"
check(
    (mean_dice["first"] < mean_dice["second"]) and (mean_iou["first"] > mean_iou["second"]),
    "averaged per image, mean Dice and mean IoU (sklearn) rank the two models differently",
)

# %% [markdown]
# ## Cross-validation under heavy imbalance: average the folds or pool the counts?
#
# Forman and Scholz (2010): with about 3 positives per fold, the average of per-fold F1 values is biased relative to the F1 of the pooled counts.
# A classifier that catches each positive with probability 0.7 and flags each negative with probability 0.01 is applied to 10 folds of 100 cases at 3% prevalence, 2,000 times; the two estimators' means must differ by more than 4 standard errors of the difference.

# %%
reps_cv, folds, fold_n = 2_000, 10, 100
avg_f1, pooled_f1 = [], []
for _ in range(reps_cv):
    y_f = rng.random((folds, fold_n)) < 0.03
    yhat_f = np.where(y_f, rng.random((folds, fold_n)) < 0.7, rng.random((folds, fold_n)) < 0.01)
    tp_f = np.sum(y_f & yhat_f, axis=1)
    fp_f = np.sum(~y_f & yhat_f, axis=1)
    fn_f = np.sum(y_f & ~yhat_f, axis=1)
    den = 2 * tp_f + fp_f + fn_f
    avg_f1.append(np.mean(np.where(den > 0, 2 * tp_f / np.maximum(den, 1), 0.0)))
    pooled_f1.append(2 * tp_f.sum() / (2 * tp_f.sum() + fp_f.sum() + fn_f.sum()))
gap = np.array(pooled_f1) - np.array(avg_f1)
print(f"mean pooled F1 {np.mean(pooled_f1):.3f}, mean fold-averaged F1 {np.mean(avg_f1):.3f}")
check(abs(gap.mean()) > 4 * gap.std(ddof=1) / np.sqrt(reps_cv), "fold-averaged F1 is biased relative to pooled F1")

# %% [markdown]
# ## The F1-optimal threshold depends on the data, the cost-optimal one does not
#
# The two populations of calibrated probabilities simulated above ($\mathrm{Beta}(0.5, 4)$ and $\mathrm{Beta}(0.5, 1)$, sampled labels) share the cost-optimal threshold $1/51$ (checked there), while their F1-optimal thresholds differ.
# The F1-optimal threshold of one simulation has a standard deviation of about 0.006 and 0.008 (40 repeated simulations), so a difference above 0.05 is more than 4 standard deviations of the difference.

# %%
t_f1_pop = []
for p_pop, y_pop in populations.values():
    f1_pop = 2 * np.cumsum(y_pop) / (np.arange(1, p_pop.size + 1) + y_pop.sum())  # top k flagged
    t_f1_pop.append(p_pop[np.argmax(f1_pop)])
print(f"F1-optimal thresholds {np.round(t_f1_pop, 3)}; cost-optimal threshold 1/51 = {t_cost:.4f} on both")
check(abs(t_f1_pop[0] - t_f1_pop[1]) > 0.05, "the F1-optimal threshold differs between the two populations")

# %%
fig, ax = plt.subplots()
ax.plot(thresholds, Prec, label="precision")
ax.plot(thresholds, Rec, label="recall")
ax.plot(thresholds, F1_counts, label="$F_1$")
ax.axvline(t_cv, linestyle="--", color="C2", linewidth=1)
ax.axvline(t_best, linestyle=":", color="grey")
ax.annotate(
    f"validated t = {t_cv:.2f}: test $F_1$ = {f1_cv:.2f}\ntest-curve max $F_1$ = {F_best:.2f} at t = {t_best:.2f}",
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
f_levels = (0.4, 0.6, 0.8)
for i, f_level in enumerate(f_levels, start=1):
    bind(f"f_level{i}", f_level)
    p_iso = f_level * r_grid / (2 * r_grid - f_level)  # solve 2 Prec Rec/(Prec + Rec) = f for Prec
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
ax.plot(Rec[k_best], Prec[k_best], "o", color="C2", label=f"test-curve max $F_1$ = {F_best:.2f}")
ax.set_xlabel("recall")
ax.set_ylabel("precision")
ax.set_xlim(0, 1.12)
ax.set_ylim(0, 1.05)
_ = ax.set_title("Precision-recall curve with lines of equal $F_1$")
_ = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.12), fontsize=9)
save_figure(fig, "pr-curve")

# %% [markdown]
# ## What beta means
#
# Van Rijsbergen chose $\beta_F$ so that, at the point where $\mathrm{Rec}/\mathrm{Prec} = \beta_F$, a small gain in precision and the same small gain in recall change $F_{\beta_F}$ equally.
# Symbolic differentiation checks this, and that $1/F_{\beta_F}$ is the weighted mean of $1/\mathrm{Prec}$ and $1/\mathrm{Rec}$ with weights $1/(1+\beta_F^2)$ and $\beta_F^2/(1+\beta_F^2)$.

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
# The probabilities $p_i$ of the two populations above are calibrated by construction ($y_i \sim \text{Bernoulli}(p_i)$).
# With expected counts ($\mathbb{E}[\mathrm{TP}] = \sum_{p_i \ge t} p_i$ and so on), adding an example with probability $p$ to the predicted positives raises expected $F_1$ exactly when $p > F_1/2$, so the best threshold is $F_1^*/2$.
# The check uses expected counts (exact up to the spacing of the scores) and the sampled labels; the latter's tolerance, 0.03, is about 4 standard deviations of the gap between the empirical best threshold and half the empirical best $F_1$ (0.0065 and 0.0078 over 40 repeated simulations), because the empirical $F_1$ curve is flat near its maximum.

# %%
for pop_name, (p_cal, y_cal) in populations.items():
    e_tp = np.cumsum(p_cal)  # expected TP when the top k are predicted positive (p_cal is decreasing)
    e_fp = np.cumsum(1 - p_cal)
    e_fn = p_cal.sum() - e_tp
    e_f1 = 2 * e_tp / (2 * e_tp + e_fp + e_fn)
    k_star = np.argmax(e_f1)
    print(
        f"{pop_name}, expected counts: best F1 = {e_f1[k_star]:.4f}, best threshold = {p_cal[k_star]:.4f}, half of best F1 = {e_f1[k_star] / 2:.4f}"
    )
    check_close(
        p_cal[k_star],
        e_f1[k_star] / 2,
        f"calibrated scores, {pop_name}, expected counts: F1-optimal threshold = (optimal F1)/2",
        rtol=0,
        atol=1e-3,
    )
    f1_c = (
        2 * np.cumsum(y_cal) / (np.arange(1, p_cal.size + 1) + y_cal.sum())
    )  # 2TP + FP + FN = #predicted + #positives
    k_c = np.argmax(f1_c)
    print(f"{pop_name}, sampled labels: best F1 = {f1_c[k_c]:.4f}, best threshold = {p_cal[k_c]:.4f}")
    check_close(
        p_cal[k_c],
        f1_c[k_c] / 2,
        f"calibrated scores, {pop_name}, sampled labels: F1-optimal threshold = (optimal F1)/2 (4 SD)",
        rtol=0,
        atol=0.03,
    )

# %% [markdown]
# ## Macro, micro and weighted averaging
#
# A three-class example with 100 examples: class $C_1$ has 80, $C_2$ has 15 and $C_3$ has 5.
# Rows of the confusion matrix are true classes, columns predicted classes.
# The per-class values by one-vs-rest counting and the three averages are compared with scikit-learn; micro precision, micro recall and accuracy must coincide for single-label problems.

# %%
cm = np.array([[76, 2, 2], [5, 9, 1], [3, 0, 2]])
y3_true = np.repeat(np.repeat([0, 1, 2], 3), cm.ravel())
y3_pred = np.repeat(np.tile([0, 1, 2], 3), cm.ravel())
cm_sk = confusion_matrix(y3_true, y3_pred)
for i in range(3):
    for j in range(3):
        bind(f"cm{i + 1}{j + 1}", cm_sk[i, j])
bind("n3", cm_sk.sum())

tp3 = np.diag(cm_sk)
fp3 = cm_sk.sum(axis=0) - tp3
fn3 = cm_sk.sum(axis=1) - tp3
p3, r3 = tp3 / (tp3 + fp3), tp3 / (tp3 + fn3)
f3 = 2 * tp3 / (2 * tp3 + fp3 + fn3)
support = cm_sk.sum(axis=1)
p_sk, r_sk, f_sk3, _ = precision_recall_fscore_support(y3_true, y3_pred)
check_close(
    np.c_[p3, r3, f3],
    np.c_[p_sk, r_sk, f_sk3],
    "per-class precision, recall, F1 by one-vs-rest counting = sklearn",
    rtol=1e-12,
)
for k in range(3):
    bind(f"support{k + 1}", support[k])
    bind(f"pp{k + 1}", tp3[k] + fp3[k])
    bind(f"tp3_{k + 1}", tp3[k])
    bind(f"prec3_{k + 1}", p_sk[k])
    bind(f"rec3_{k + 1}", r_sk[k])
    bind(f"f3_{k + 1}", f_sk3[k])
print("per class Prec:", np.round(p3, 3), " Rec:", np.round(r3, 3), " F1:", np.round(f3, 3))

macro = f3.mean()
micro = 2 * tp3.sum() / (2 * tp3.sum() + fp3.sum() + fn3.sum())
weighted = np.sum(support * f3) / support.sum()
f1_of_means = 2 * p3.mean() * r3.mean() / (p3.mean() + r3.mean())
check_close(
    macro,
    f1_score(y3_true, y3_pred, average="macro"),
    "macro F1 = mean of per-class F1 = sklearn average='macro'",
    rtol=1e-12,
    name="macro_f1",
)
check_close(
    micro,
    f1_score(y3_true, y3_pred, average="micro"),
    "micro F1 from pooled counts = sklearn average='micro'",
    rtol=1e-12,
    name="micro_f1",
)
check_close(
    [precision_score(y3_true, y3_pred, average="micro"), recall_score(y3_true, y3_pred, average="micro"), micro],
    [accuracy_score(y3_true, y3_pred)] * 3,
    "single-label multiclass: micro precision = micro recall = micro F1 = accuracy (sklearn)",
    rtol=1e-12,
)
check_close(
    weighted,
    f1_score(y3_true, y3_pred, average="weighted"),
    "support-weighted F1 = sklearn average='weighted'",
    rtol=1e-12,
    name="weighted_f1",
)
bind("f1_of_means", f1_of_means)
bind("tp3_total", tp3.sum())
bind("errors3", cm_sk.sum() - tp3.sum())
bind("micro_num", 2 * tp3.sum())
print(
    f"macro F1 {macro:.3f}, micro F1 {micro:.3f}, weighted F1 {weighted:.3f}, F1 of macro Prec and macro Rec {f1_of_means:.3f}"
)
