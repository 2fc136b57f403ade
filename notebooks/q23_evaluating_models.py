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
# # Evaluating models: selection bias, leakage and McNemar's test
#
# The checks recompute the page's worked example, two classifiers on the same test examples, each number by two routes: the unpaired two-proportion test (by hand and with `scipy.stats.chi2_contingency`), McNemar's test on the disagreements (the chi-squared tail, the normal tail and the exact binomial), and the standard error of one accuracy.
# Simulations check the derivation: a fixed classifier's test error is unbiased with variance $a(1-a)/n_{\text{test}}$ (against its closed-form risk), the winner's validation score is optimistic, and nested cross-validation removes the optimism; McNemar's test has more power than the unpaired test.
# Two experiments compare leaks: selecting features on all the data makes pure noise look predictive, while a label-free step (standardisation) fitted on all the data moves the score far less.

# %%
from math import comb

import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close
from scipy.stats import binomtest, chi2, chi2_contingency, norm
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(0)

# %% [markdown]
# ## The worked example as label vectors
#
# A is right on 850 of 1,000 examples and B on 865; A is right where B is wrong on $n_{10} = 15$ examples and B right where A is wrong on $n_{01} = 30$.
# So both are right on $850 - 15 = 835$ examples and both wrong on the remaining 120; the vectors below are built with these counts (`b`, `c` in the code are $n_{10}$, $n_{01}$), and every number the page quotes is computed from them.

# %%
n_test, b, c = 1000, 15, 30
both_right = 850 - b
both_wrong = n_test - both_right - b - c
y_true = np.ones(n_test, dtype=int)  # only right/wrong matters, so every true label can be 1
a_right = np.r_[np.ones(both_right), np.ones(b), np.zeros(c), np.zeros(both_wrong)].astype(bool)
b_right = np.r_[np.ones(both_right), np.zeros(b), np.ones(c), np.zeros(both_wrong)].astype(bool)
pred_a, pred_b = a_right.astype(int), b_right.astype(int)
acc_a, acc_b = accuracy_score(y_true, pred_a), accuracy_score(y_true, pred_b)
bind("n_test", n_test)
bind("a_correct", a_right.sum())
bind("b_correct", b_right.sum())
bind("n10", np.sum(a_right & ~b_right))
bind("n01", np.sum(~a_right & b_right))
bind("n_agree", np.sum(a_right == b_right))
bind("acc_diff", acc_b - acc_a)
bind("gap_points", 100 * (acc_b - acc_a))
bind("acc_a", acc_a)
# Step 4's identity, on random paired predictions (not on the vectors built above): a sign or factor error fails.
for seed in range(3):
    r = np.random.default_rng(seed)
    ra, rb = r.random(777) < 0.8, r.random(777) < 0.7
    check_close(
        rb.mean() - ra.mean(),
        (np.sum(~ra & rb) - np.sum(ra & ~rb)) / ra.size,
        f"random pair {seed}: acc_B - acc_A = (n01 - n10) / n_test",
        rtol=1e-12,
        atol=1e-15,
    )

# %% [markdown]
# ## The unpaired test the page warns against
#
# Treating the accuracies as independent proportions: pooled rate $\bar a = 1715/2000$, standard error $\sqrt{\bar a(1-\bar a)(2/1000)}$, then $z$ and a two-sided p-value.

# %%
pooled = (850 + 865) / 2000
se_pooled = np.sqrt(pooled * (1 - pooled) * 2 / n_test)
z_unpaired = (acc_b - acc_a) / se_pooled
p_unpaired = 2 * norm.sf(z_unpaired)
print(f"SE {se_pooled:.5f}, z {z_unpaired:.4f}, p {p_unpaired:.4f}")
# Second route: the 2 x 2 table (model x right/wrong) treated as independent samples, with scipy.
table_unpaired = [[a_right.sum(), n_test - a_right.sum()], [b_right.sum(), n_test - b_right.sum()]]
chi2_unpaired, p_unpaired_scipy, _, _ = chi2_contingency(table_unpaired, correction=False)
check_close(
    chi2_unpaired, z_unpaired**2, "the two-proportion z squared equals scipy's chi-squared statistic", rtol=1e-10
)
check_close(p_unpaired_scipy, p_unpaired, "and the two-sided p-values agree", rtol=1e-10)
bind("se_pooled", se_pooled)
bind("z_unpaired", z_unpaired)
bind("p_unpaired", p_unpaired)

# %% [markdown]
# ## McNemar's test on the disagreements
#
# The continuity-corrected statistic $(|b - c| - 1)^2/(b + c)$ against $\chi^2_1$, and the exact test: under the null, $b \sim \text{Binomial}(b + c, 1/2)$.

# %%
stat = (abs(b - c) - 1) ** 2 / (b + c)
p_mcnemar = chi2.sf(stat, df=1)
p_exact = binomtest(b, b + c, 0.5).pvalue
print(f"McNemar statistic {stat:.4f}, p {p_mcnemar:.4f}; exact binomial p {p_exact:.4f}")
bind("mcnemar_num", (abs(b - c) - 1) ** 2)
bind("n_disagree", b + c)
bind("mcnemar_stat", stat)
check_close(
    2 * norm.sf(np.sqrt(stat)), p_mcnemar, "chi-squared(1) tail = two-sided normal tail of sqrt(stat)", rtol=1e-10
)
bind("p_mcnemar", p_mcnemar)
bind("p_exact", p_exact)
check_close(
    p_exact,
    2 * sum(comb(b + c, k) for k in range(b + 1)) / 2 ** (b + c),
    "exact p = 2 P(Binomial(45, 1/2) <= 15)",
    rtol=1e-9,
)
check(p_mcnemar < 0.05 < p_unpaired, "on these counts the paired test rejects at 5 % and the unpaired test does not")

# Power, by simulation: paired outcomes with the example's cell probabilities (a true 1.5-point gap, 4.5 % of
# examples discordant), 4,000 test sets of 1,000; how often each test rejects at the 5 % level.
cells = np.array([both_right, b, c, both_wrong]) / n_test  # both right, A only, B only, both wrong
draws = rng.multinomial(n_test, cells, size=4000)
acc_a_sim = (draws[:, 0] + draws[:, 1]) / n_test
acc_b_sim = (draws[:, 0] + draws[:, 2]) / n_test
pool_sim = (acc_a_sim + acc_b_sim) / 2
z_sim = (acc_b_sim - acc_a_sim) / np.sqrt(pool_sim * (1 - pool_sim) * 2 / n_test)
power_unpaired = np.mean(2 * norm.sf(np.abs(z_sim)) < 0.05)
disagree = draws[:, 1] + draws[:, 2]
stat_sim = (np.abs(draws[:, 1] - draws[:, 2]) - 1) ** 2 / np.maximum(disagree, 1)
power_mcnemar = np.mean(chi2.sf(stat_sim, 1) < 0.05)
print(f"power at the 5 % level: McNemar {power_mcnemar:.3f}, unpaired two-proportion test {power_unpaired:.3f}")
check(
    power_mcnemar > 2 * power_unpaired,
    "McNemar's test has more than twice the power of the unpaired test for this paired difference",
)
bind("n_power_sets", draws.shape[0])
bind("alpha_pct", 5)  # the level used in both power computations above
bind("power_mcnemar_pct", 100 * power_mcnemar)
bind("power_unpaired_pct", 100 * power_unpaired)

# Step 5 of the derivation: the binomial has mean (n10 + n01)/2 and variance (n10 + n01)/4, and the standardised count
# squared is (n10 - n01)^2 / (n10 + n01) (sympy, symbolically).
bs, cs = sp.symbols("b c", positive=True)
z_std = (bs - (bs + cs) / 2) / sp.sqrt((bs + cs) / 4)
check(sp.simplify(z_std - (bs - cs) / sp.sqrt(bs + cs)) == 0, "((b - (b+c)/2) / sqrt((b+c)/4)) = (b - c)/sqrt(b + c)")
check(sp.simplify(z_std**2 - (bs - cs) ** 2 / (bs + cs)) == 0, "its square is (b - c)^2/(b + c)")

# %% [markdown]
# ## The standard error of one accuracy
#
# $\sqrt{a(1-a)/n_{\text{test}}}$ for A, and the half-width $1.96 \times$ that of a 95% interval.
# Step 1 is then checked on a real classifier whose risk is known in closed form: classes $\pm 1$ with equal priors and $x \mid y \sim \mathcal{N}(y\,\Delta/2, 1)$, classified by the sign of $x$, have risk $R = \Phi(-\Delta/2)$.
# Over 4,000 fresh test sets of 1,000 examples, the mean test error must match $R$ (within 4 Monte-Carlo standard errors) and its standard deviation must match $\sqrt{R(1-R)/n_{\text{test}}}$ (within 4 % , about 4 standard errors of a standard deviation estimated from 4,000 draws).

# %%
se_a = np.sqrt(acc_a * (1 - acc_a) / n_test)
bind("se_a", se_a)
bind("ci_pct", 100 * (2 * norm.cdf(1.96) - 1))  # 1.96 standard errors cover 95 %
bind("ci_half", 1.96 * se_a)
delta = 2.0
risk = norm.cdf(-delta / 2)
y_sets = rng.choice([-1, 1], size=(4000, n_test))
x_sets = y_sets * delta / 2 + rng.normal(size=y_sets.shape)
test_err = np.mean(np.sign(x_sets) != y_sets, axis=1)
check_close(
    test_err.mean(),
    risk,
    f"step 1: a fixed classifier's test error is unbiased for its risk Phi(-1) = {risk:.4f}",
    atol=4 * test_err.std(ddof=1) / np.sqrt(test_err.size),
)
check_close(
    test_err.std(ddof=1), np.sqrt(risk * (1 - risk) / n_test), "step 1: its SD is sqrt(R(1-R)/n_test)", rtol=0.04
)

# %% [markdown]
# ## The winner's validation score is optimistic
#
# $M$ models with true error rates $R_m$ (all close to 0.20) are scored on a validation set of 500 examples and the one with the lowest validation error is chosen.
# Over 20,000 repetitions the mean reported score of the winner falls below the smallest true risk (the first inequality of step 2, strict here), and the optimism grows with $M$.

# %%
n_val, reps = 500, 20_000
gaps = {}
for M in (1, 2, 5, 20, 100):
    risks = 0.20 + 0.01 * np.linspace(0, 1, M)  # the best model has risk 0.20
    val_err = rng.binomial(n_val, risks, size=(reps, M)) / n_val
    chosen = np.argmin(val_err, axis=1)
    reported = val_err[np.arange(reps), chosen]
    true_risk = risks[chosen]
    gaps[M] = true_risk.mean() - reported.mean()
    print(
        f"M = {M:3d}: mean reported {reported.mean():.4f}, min risk {risks.min():.3f}, mean true risk of winner {true_risk.mean():.4f}"
    )
    tol = 4 * reported.std(ddof=1) / np.sqrt(reps)  # 4 Monte-Carlo standard errors
    if M > 1:
        check(
            reported.mean() + tol < risks.min(),
            f"M = {M}: E[reported score of the winner] is below the smallest risk by more than 4 Monte-Carlo SE",
        )
check(
    all(gaps[m1] < gaps[m2] for m1, m2 in zip((1, 2, 5, 20), (2, 5, 20, 100), strict=False)),
    "the optimism grows with the number of models compared: " + ", ".join(f"M={m}: {g:.4f}" for m, g in gaps.items()),
)

# %% [markdown]
# ## Nested cross-validation removes the optimism
#
# Pure-noise data (labels independent of 20 features, 60 examples), and a grid of 8 odd values of $k$ for a $k$-nearest-neighbour classifier, written out with NumPy so that 40 data sets run in a second.
# The best grid score of a plain 5-fold cross-validation is optimistic (above chance); nested cross-validation (the grid search run inside each outer training fold, the outer fold never seen by it) reports chance, 0.5.
# Tolerance: 4 standard errors of the mean over the 40 data sets.

# %%
grid_k = np.array([1, 3, 5, 7, 9, 11, 15, 21])


def knn_accuracy(dist, y, train, test):
    """Accuracy on `test` of k-NN trained on `train`, for every k in grid_k (odd k: no ties)."""
    order = np.argsort(dist[np.ix_(test, train)], axis=1)
    votes = np.cumsum(y[train][order], axis=1)  # positives among the j nearest, j = 1, 2, ...
    pred = votes[:, grid_k - 1] > grid_k / 2
    return np.mean(pred == y[test][:, None], axis=0)


def fold_indices(idx, n_folds, r):
    return np.array_split(r.permutation(idx), n_folds)


def cv_scores(dist, y, idx, r):
    folds = fold_indices(idx, 5, r)
    return np.mean([knn_accuracy(dist, y, np.setdiff1d(idx, f), f) for f in folds], axis=0)


best_plain, nested = [], []
for _ in range(40):
    X_noise = rng.normal(size=(60, 20))
    y_noise = rng.permutation(np.r_[np.zeros(30), np.ones(30)].astype(int))
    dist = np.linalg.norm(X_noise[:, None, :] - X_noise[None, :, :], axis=2)
    everyone = np.arange(60)
    best_plain.append(cv_scores(dist, y_noise, everyone, rng).max())  # plain CV: report the best grid score
    outer_scores = []
    for f in fold_indices(everyone, 5, rng):
        train = np.setdiff1d(everyone, f)
        k_best = np.argmax(cv_scores(dist, y_noise, train, rng))  # inner CV on the outer training part only
        outer_scores.append(knn_accuracy(dist, y_noise, train, f)[k_best])
    nested.append(np.mean(outer_scores))
best_plain, nested = np.array(best_plain), np.array(nested)
optimism = best_plain - nested
print(f"noise data: best grid score {best_plain.mean():.3f}, nested CV {nested.mean():.3f}")
check(
    abs(nested.mean() - 0.5) < 4 * nested.std(ddof=1) / np.sqrt(nested.size),
    "nested cross-validation reports chance accuracy on noise (within 4 SE of 0.5)",
)
check(
    optimism.mean() > 4 * optimism.std(ddof=1) / np.sqrt(optimism.size),
    "the best score of the plain grid search is optimistic (above nested CV by more than 4 SE)",
)
# The hand-written k-NN against scikit-learn's on one split, for every k of the grid.
tr, te = np.arange(45), np.arange(45, 60)
sk = [
    KNeighborsClassifier(n_neighbors=int(kk)).fit(X_noise[tr], y_noise[tr]).score(X_noise[te], y_noise[te])
    for kk in grid_k
]
check_close(
    knn_accuracy(dist, y_noise, tr, te), sk, "the NumPy k-NN agrees with scikit-learn's on a test split", rtol=1e-12
)
bind("nested_best_plain", best_plain.mean())
bind("nested_score", nested.mean())
bind("n_grid", grid_k.size)

# %% [markdown]
# ## Selecting features before cross-validation makes noise look predictive
#
# The example of Hastie, Tibshirani and Friedman: 50 examples, 5,000 features of pure noise, balanced random labels, the 100 features most correlated with the labels, and a 1-nearest-neighbour classifier.
# Choosing the features on all 50 examples and then cross-validating reports a high accuracy; refitting the selection inside each fold (a pipeline) gives the true 50%.

# %%
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
wrong, right = [], []
for _ in range(10):
    X = rng.normal(size=(50, 5000))
    y = rng.permutation(np.r_[np.zeros(25), np.ones(25)].astype(int))
    X_sel = SelectKBest(f_classif, k=100).fit_transform(X, y)  # leak: selection sees every fold
    wrong.append(cross_val_score(KNeighborsClassifier(n_neighbors=1), X_sel, y, cv=cv).mean())
    pipe = make_pipeline(SelectKBest(f_classif, k=100), KNeighborsClassifier(n_neighbors=1))
    right.append(cross_val_score(pipe, X, y, cv=cv).mean())
print(
    f"cross-validated accuracy on noise: selection outside the folds {np.mean(wrong):.3f}, inside the folds {np.mean(right):.3f}"
)
check(
    np.mean(wrong) > 0.9, "selecting features on the full data, then cross-validating: pure noise looks > 90% accurate"
)
check_close(np.mean(right), 0.5, "selection refitted in each fold: accuracy at chance, 0.5 +/- 0.1", atol=0.1)
bind("select_outside", np.mean(wrong))
bind("n_select", 100)  # the k of SelectKBest above
bind("n_noise_features", X.shape[1])
bind("n_noise_examples", X.shape[0])
bind("k_nn", 1)  # n_neighbors of the classifier above
bind("select_inside", np.mean(right))

# %% [markdown]
# ## A label-free step fitted on all the data leaks far less
#
# ESL §7.10.2: unsupervised steps do not give the features an unfair advantage the way supervised screening does, though they can still move the estimate a little, in either direction (Moscovich and Rosset, 2022).
# Same noise data and 1-NN classifier, with features of unequal scales; standardisation fitted on all 50 examples versus inside each fold, on the same folds.
# The mean difference in accuracy must be below a tenth of the supervised-selection leak above.

# %%
scale_gap = []
for _ in range(10):
    X = rng.normal(size=(50, 200)) * rng.uniform(0.1, 10, size=200)
    y = rng.permutation(np.r_[np.zeros(25), np.ones(25)].astype(int))
    outside = cross_val_score(KNeighborsClassifier(n_neighbors=1), StandardScaler().fit_transform(X), y, cv=cv).mean()
    inside = cross_val_score(make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=1)), X, y, cv=cv).mean()
    scale_gap.append(outside - inside)
scale_gap = np.array(scale_gap)
print(f"standardisation outside minus inside the folds: {scale_gap.mean():+.4f} (SD {scale_gap.std(ddof=1):.4f})")
check(
    abs(scale_gap.mean()) < 0.1 * (np.mean(wrong) - np.mean(right)),
    "the label-free leak is less than a tenth of the supervised-selection leak",
)
bind("scale_leak", abs(scale_gap.mean()))

# %% [markdown]
# ## Ranking metrics are blind to calibration
#
# A strictly increasing distortion of calibrated probabilities leaves the ROC AUC unchanged but worsens the Brier score and the log loss.
# The AUC of the distorted scores is computed by a second route, the Mann-Whitney count of correctly ordered (positive, negative) pairs.

# %%
p_true = rng.beta(2, 5, size=20_000)
y_cal = (rng.random(p_true.size) < p_true).astype(int)
p_distorted = p_true**3  # same order, badly calibrated
pos, neg = np.sort(p_distorted[y_cal == 1]), np.sort(p_distorted[y_cal == 0])
below = np.searchsorted(neg, pos, side="left")  # negatives strictly below each positive
ties = np.searchsorted(neg, pos, side="right") - below
auc_pairs = (below.sum() + 0.5 * ties.sum()) / (pos.size * neg.size)
check_close(
    auc_pairs,
    roc_auc_score(y_cal, p_true),
    "the AUC (pair count on distorted scores) equals sklearn's AUC of the calibrated scores",
    rtol=1e-12,
)
check(
    brier_score_loss(y_cal, p_distorted) > brier_score_loss(y_cal, p_true)
    and log_loss(y_cal, p_distorted) > log_loss(y_cal, p_true),
    "while the Brier score and log loss get worse",
)
