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
# The checks recompute the page's worked example, two classifiers on the same 1,000 test examples: the unpaired two-proportion test ($z = 0.96$, $p = 0.34$), McNemar's test on the 45 disagreements ($196/45 = 4.36$, $p = 0.037$, exact $p = 0.036$) and the standard error 0.011 of one accuracy.
# Simulations confirm the derivation (the test error of a fixed model is unbiased with variance $a(1-a)/n$, the validation score of the chosen model is optimistic, fresh data removes the bias), and a small experiment shows that selecting features before cross-validation makes pure noise look predictive.

# %%
from math import comb

import numpy as np
import sympy as sp
from handbook_nb import check, check_close
from scipy.stats import binomtest, chi2, norm
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

rng = np.random.default_rng(0)

# %% [markdown]
# ## The worked example as label vectors
#
# A is right on 850 of 1,000 examples and B on 865; A is right where B is wrong on $b = 15$ examples and B right where A is wrong on $c = 30$.
# So both are right on $850 - 15 = 835$ examples and both wrong on the remaining 120; the vectors below have exactly these counts.

# %%
n_test, b, c = 1000, 15, 30
both_right = 850 - b
both_wrong = n_test - both_right - b - c
y_true = np.ones(n_test, dtype=int)  # only right/wrong matters, so every true label can be 1
a_right = np.r_[np.ones(both_right), np.ones(b), np.zeros(c), np.zeros(both_wrong)].astype(bool)
b_right = np.r_[np.ones(both_right), np.zeros(b), np.ones(c), np.zeros(both_wrong)].astype(bool)
pred_a, pred_b = a_right.astype(int), b_right.astype(int)
acc_a, acc_b = accuracy_score(y_true, pred_a), accuracy_score(y_true, pred_b)
check([int(a_right.sum()), int(b_right.sum())] == [850, 865], "A is right on 850 examples and B on 865")
check(
    [int(np.sum(a_right & ~b_right)), int(np.sum(~a_right & b_right))] == [15, 30],
    "b = 15 (A right, B wrong) and c = 30 (A wrong, B right)",
)
check(
    both_wrong == 120 and int(np.sum(a_right == b_right)) == 955,
    "the models agree on 955 examples (835 both right, 120 both wrong)",
)
check_close(
    acc_b - acc_a, (c - b) / n_test, "the accuracy difference is (c - b)/n = 0.015, a 1.5-point gap", rtol=1e-12
)
check_close(acc_b - acc_a, 0.015, "B - A = 0.865 - 0.850 = 0.015", rtol=1e-9)

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
check_close(se_pooled, 0.0156, "standard error of the difference 0.0156", atol=5e-5)
se_unpooled = np.sqrt(acc_a * (1 - acc_a) / n_test + acc_b * (1 - acc_b) / n_test)
check_close(se_unpooled, 0.0156, "(the unpooled standard error is also 0.0156)", atol=5e-5)
check_close(z_unpaired, 0.96, "z = 0.015/0.0156 = 0.96", atol=5e-3)
check_close(p_unpaired, 0.34, "two-sided p-value 0.34", atol=5e-3)

# %% [markdown]
# ## McNemar's test on the disagreements
#
# The continuity-corrected statistic $(|b - c| - 1)^2/(b + c)$ against $\chi^2_1$, and the exact test: under the null, $b \sim \text{Binomial}(b + c, 1/2)$.

# %%
stat = (abs(b - c) - 1) ** 2 / (b + c)
p_mcnemar = chi2.sf(stat, df=1)
p_exact = binomtest(b, b + c, 0.5).pvalue
print(f"McNemar statistic {stat:.4f}, p {p_mcnemar:.4f}; exact binomial p {p_exact:.4f}")
check((abs(b - c) - 1) ** 2 == 196 and b + c == 45, "(|15 - 30| - 1)^2 = 196 over b + c = 45 disagreements")
check_close(stat, 4.36, "McNemar statistic 196/45 = 4.36", atol=5e-3)
check_close(p_mcnemar, 0.037, "p-value 0.037 against chi-squared with 1 degree of freedom", atol=5e-4)
check_close(p_exact, 0.036, "the exact binomial test gives 0.036", atol=5e-4)
check_close(
    p_exact,
    2 * sum(comb(b + c, k) for k in range(b + 1)) / 2 ** (b + c),
    "exact p = 2 P(Binomial(45, 1/2) <= 15)",
    rtol=1e-9,
)
check(p_mcnemar < 0.05 < p_unpaired, "the paired test detects the difference (p < 0.05) that the unpaired test misses")

# Step 5 of the derivation: the binomial has mean (b+c)/2 and variance (b+c)/4, and the standardised count squared is (b-c)^2/(b+c).
bs, cs = sp.symbols("b c", positive=True)
z_std = (bs - (bs + cs) / 2) / sp.sqrt((bs + cs) / 4)
check(sp.simplify(z_std - (bs - cs) / sp.sqrt(bs + cs)) == 0, "((b - (b+c)/2) / sqrt((b+c)/4)) = (b - c)/sqrt(b + c)")
check(sp.simplify(z_std**2 - (bs - cs) ** 2 / (bs + cs)) == 0, "its square is (b - c)^2/(b + c)")

# %% [markdown]
# ## The standard error of one accuracy
#
# $\sqrt{0.85 \cdot 0.15/1000}$, and the half-width $1.96 \times$ that of a 95% interval; a simulation of 1,000 independent test examples confirms the formula of step 1.

# %%
se_a = np.sqrt(acc_a * (1 - acc_a) / n_test)
check_close(se_a, 0.011, "SE of A's accuracy sqrt(0.85 * 0.15/1000) = 0.011", atol=5e-4)
check_close(1.96 * se_a, 0.022, "95% interval 0.85 +/- 0.022", atol=5e-4)
sim_acc = rng.binomial(n_test, 0.85, size=50_000) / n_test
check_close(
    sim_acc.mean(),
    0.85,
    "step 1: the test accuracy of a fixed model is unbiased",
    atol=4 * se_a / np.sqrt(sim_acc.size),
)
check_close(sim_acc.std(ddof=1), se_a, "step 1: its standard deviation is sqrt(a(1-a)/n_test)", rtol=0.02)

# %% [markdown]
# ## The winner's validation score is optimistic
#
# $M$ models with true error rates $R_m$ (all close to 0.20) are scored on a validation set of 500 examples and the one with the lowest validation error is chosen.
# Over 20,000 repetitions: $\mathbb{E}[\hat R_{\hat m}] \le \min_m R_m \le \mathbb{E}[R_{\hat m}]$, the gap grows with $M$, and a fresh test set scores the chosen model without bias.

# %%
n_val, reps = 500, 20_000
gaps = {}
for M in (1, 2, 5, 20, 100):
    risks = 0.20 + 0.01 * np.linspace(0, 1, M)  # the best model has risk 0.20
    val_err = rng.binomial(n_val, risks, size=(reps, M)) / n_val
    chosen = np.argmin(val_err, axis=1)
    reported = val_err[np.arange(reps), chosen]
    true_risk = risks[chosen]
    fresh = rng.binomial(n_val, true_risk) / n_val  # a new test set, drawn after the choice
    gaps[M] = true_risk.mean() - reported.mean()
    print(
        f"M = {M:3d}: mean reported {reported.mean():.4f}, min risk {risks.min():.3f}, mean true risk of winner {true_risk.mean():.4f}, fresh test {fresh.mean():.4f}"
    )
    tol = 4 * np.sqrt(0.2 * 0.8 / n_val / reps)
    if M == 1:
        check_close(reported.mean(), 0.20, "M = 1: the validation score of a fixed model is unbiased", atol=tol)
    else:
        check(
            reported.mean() < risks.min() <= true_risk.mean(),
            f"M = {M}: E[reported score of the winner] < min risk <= E[true risk of the winner]",
        )
    check_close(
        fresh.mean(), true_risk.mean(), f"M = {M}: a fresh test set estimates the winner's risk without bias", atol=tol
    )
check(
    all(gaps[m1] < gaps[m2] for m1, m2 in zip((1, 2, 5, 20), (2, 5, 20, 100), strict=False)),
    "the optimism grows with the number of models compared: " + ", ".join(f"M={m}: {g:.4f}" for m, g in gaps.items()),
)

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

# %% [markdown]
# ## Ranking metrics are blind to calibration
#
# A strictly increasing distortion of calibrated probabilities leaves the ROC AUC unchanged but worsens the Brier score and the log loss.

# %%
p_true = rng.beta(2, 5, size=20_000)
y_cal = (rng.random(p_true.size) < p_true).astype(int)
p_distorted = p_true**3  # same order, badly calibrated
check_close(
    roc_auc_score(y_cal, p_distorted),
    roc_auc_score(y_cal, p_true),
    "the AUC is unchanged by a monotone distortion of the scores",
    rtol=1e-12,
)
check(
    brier_score_loss(y_cal, p_distorted) > brier_score_loss(y_cal, p_true)
    and log_loss(y_cal, p_distorted) > log_loss(y_cal, p_true),
    "while the Brier score and log loss get worse",
)
