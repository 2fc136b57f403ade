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
# # Missing data: mechanisms, deletion and mean imputation
#
# The checks recompute the page's worked example (four observed values $1, 3, 5, 7$ in six rows, whose variance falls from $20/3$ to $4$ after mean imputation) and the share $0.95^{20} \approx 0.36$ of complete rows.
# They prove the variance and covariance identities of steps 7 and 8 on random data, show by simulation what the MCAR, MAR and MNAR mechanisms do to complete-case estimates, and confirm the scikit-learn behaviour the page relies on.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import check, check_close, save_figure
from scipy.special import expit
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import KNNImputer, SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline

rng = np.random.default_rng(0)

# %% [markdown]
# ## The worked example: six rows, four observed
#
# The column is $1, 3, 5, 7$ plus two missing entries; scikit-learn's `SimpleImputer` fills the gaps with the observed mean.

# %%
col = np.array([1.0, 3.0, 5.0, 7.0, np.nan, np.nan])
observed = col[~np.isnan(col)]
n, n_o = col.size, observed.size

check(observed.mean() == 4.0, "the observed mean is 4")
ss = np.sum((observed - observed.mean()) ** 2)
check(ss == 20.0, "the sum of squared deviations (1-4)^2 + (3-4)^2 + (5-4)^2 + (7-4)^2 is 20")
s2_o = observed.var(ddof=1)
check_close(s2_o, 20 / 3, "the observed sample variance is 20/3", rtol=1e-12)
check_close(s2_o, 6.67, "20/3 is about 6.67", atol=5e-3)

filled = SimpleImputer(strategy="mean").fit_transform(col[:, None]).ravel()
check(np.array_equal(filled, [1, 3, 5, 7, 4, 4]), "SimpleImputer fills both gaps with 4")
check(np.sum((filled - filled.mean()) ** 2) == 20.0, "after filling, the sum of squared deviations is still 20")
check_close(filled.var(ddof=1), 4.0, "divided by n - 1 = 5, the variance of the filled column is 4", rtol=1e-12)
check_close((n_o - 1) / (n - 1) * s2_o, 4.0, "step 7: (n_o - 1)/(n - 1) s_o^2 = 3/5 x 20/3 = 4", rtol=1e-12)
check_close(1 - filled.var(ddof=1) / s2_o, 0.40, "a 40 % understatement of the spread", rtol=1e-12)

# %% [markdown]
# ## Listwise deletion with many columns
#
# With 5 % of values missing independently in each of 20 columns, a row is complete with probability $0.95^{20}$.
# A simulation of 200,000 rows must agree.

# %%
p_complete = 0.95**20
check_close(p_complete, 0.36, "0.95^20 is about 0.36 (36 % of rows complete)", atol=5e-3)
check(0.6 < 1 - p_complete < 2 / 3, f"listwise deletion discards {1 - p_complete:.3f} of the rows: almost two-thirds")
mask = rng.random((200_000, 20)) < 0.05
check_close((~mask).all(axis=1).mean(), p_complete, "simulated: the share of complete rows matches 0.95^20", atol=5e-3)

# %% [markdown]
# ## Steps 7 and 8 on random data
#
# For any column with $n_o$ of $n$ values observed, mean imputation multiplies the sample variance by exactly $(n_o - 1)/(n - 1)$, and the sample covariance with a fully observed $z$ by the same factor, against the complete-case covariance.

# %%
n_big = 1000
z = rng.standard_normal(n_big)
x = 1.0 + 0.8 * z + 0.6 * rng.standard_normal(n_big)
miss = rng.random(n_big) < 0.3  # MCAR
obs = ~miss
x_tilde = np.where(miss, x[obs].mean(), x)
factor = (obs.sum() - 1) / (n_big - 1)

check_close(
    x_tilde.var(ddof=1),
    factor * x[obs].var(ddof=1),
    "step 7: var(x_tilde) = (n_o - 1)/(n - 1) s_o^2 exactly",
    rtol=1e-12,
)
cov_tilde = np.cov(x_tilde, z)[0, 1]
cov_cc = np.cov(x[obs], z[obs])[0, 1]
check_close(
    cov_tilde, factor * cov_cc, "step 8: cov(x_tilde, z) = (n_o - 1)/(n - 1) complete-case cov exactly", rtol=1e-12
)

# %% [markdown]
# The correlation then shrinks by about $\sqrt{(n_o - 1)/(n - 1)}$; with 30 % missing that is $\sqrt{0.7} \approx 0.84$.
# We check it on a larger sample, where the variance of $z$ over all rows is close to its complete-case value.

# %%
n_corr = 200_000
z2 = rng.standard_normal(n_corr)
x2 = 0.8 * z2 + 0.6 * rng.standard_normal(n_corr)
obs2 = rng.random(n_corr) >= 0.3
x2_tilde = np.where(obs2, x2, x2[obs2].mean())
ratio = np.corrcoef(x2_tilde, z2)[0, 1] / np.corrcoef(x2[obs2], z2[obs2])[0, 1]
check_close(
    ratio,
    np.sqrt((obs2.sum() - 1) / (n_corr - 1)),
    "the correlation shrinks by about sqrt((n_o - 1)/(n - 1))",
    atol=2e-3,
)
check_close(ratio, np.sqrt(0.7), "with 30 % missing the factor is about sqrt(0.7) = 0.84", atol=5e-3)

# %% [markdown]
# ## What each mechanism does to complete-case estimates
#
# In 200,000 rows, $z \sim N(0, 1)$ is always observed and $x = 2 + 1.5z + \varepsilon$ with $\varepsilon \sim N(0, 1)$, so $\mathbb{E}[x] = 2$.
# Three mechanisms hide about half of $x$: MCAR (a coin flip), MAR (rows with large $z$ are more often missing) and MNAR (rows with large $x$ are more often missing).
# For each we compare the complete-case mean with 2 and the complete-case regression of $x$ on $z$ with the true line.

# %%
n_sim = 200_000
z3 = rng.standard_normal(n_sim)
x3 = 2.0 + 1.5 * z3 + rng.standard_normal(n_sim)
u = rng.random(n_sim)
mechanisms = {
    "MCAR": u < 0.5,
    "MAR": u < expit(2.0 * z3),
    "MNAR": u < expit(1.5 * (x3 - 2.0)),
}
fits = {}
for name, missing in mechanisms.items():
    keep = ~missing
    reg = LinearRegression().fit(z3[keep, None], x3[keep])
    fits[name] = (x3[keep].mean(), reg.intercept_, reg.coef_[0], keep)
    print(
        f"{name}: {missing.mean():.2f} missing, complete-case mean {fits[name][0]:.3f}, line {reg.intercept_:.3f} + {reg.coef_[0]:.3f} z"
    )

check_close(fits["MCAR"][0], 2.0, "MCAR: the complete-case mean is unbiased (step 2)", atol=0.02)
check(
    fits["MAR"][0] < 1.5,
    "MAR: the complete-case mean is biased (step 4): rows with large z, hence large x, are missing",
)
check_close(
    fits["MAR"][1:3],
    [2.0, 1.5],
    "MAR: the regression of x on z fitted on complete rows is still right (step 3)",
    atol=0.02,
)

keep = fits["MAR"][3]
x_reg_imputed = np.where(keep, x3, fits["MAR"][1] + fits["MAR"][2] * z3)
check_close(x_reg_imputed.mean(), 2.0, "MAR: regression imputation from z recovers the mean E[x] = 2", atol=0.02)
check(
    abs(fits["MNAR"][2] - 1.5) > 0.2 and abs(fits["MNAR"][1] - 2.0) > 0.2,
    "MNAR: even the regression on z fitted on complete rows is biased (step 5)",
)

# %% [markdown]
# ## Step 6: dropping incomplete rows is safe if missingness ignores the target
#
# The claim concerns the conditional distribution $p(y \mid \mathbf{x})$ that a predictive model learns.
# With $y = 1 + 2x + \varepsilon$, rows are incomplete with a probability that depends on $x$ only; the regression of $y$ on $x$ over complete rows is unbiased.
# If instead the probability depends on $y$, it is not.

# %%
x4 = rng.standard_normal(n_sim)
y4 = 1.0 + 2.0 * x4 + rng.standard_normal(n_sim)
u4 = rng.random(n_sim)
keep_x = u4 >= expit(2.0 * x4)
keep_y = u4 >= expit(y4 - 1.0)
fit_x = LinearRegression().fit(x4[keep_x, None], y4[keep_x])
fit_y = LinearRegression().fit(x4[keep_y, None], y4[keep_y])
check_close(
    [fit_x.intercept_, fit_x.coef_[0]],
    [1.0, 2.0],
    "missingness depending on x only: complete-row fit of y on x is unbiased",
    atol=0.02,
)
check(abs(fit_y.coef_[0] - 2.0) > 0.2, "missingness depending on y: the complete-row fit is biased")

# %% [markdown]
# ## Multiple imputation and Rubin's rules
#
# `IterativeImputer` must be enabled by an explicit experimental import, as the page says.
# With `sample_posterior=True` and different seeds it returns different completed datasets, so the between-imputation variance $B$ of an estimate is positive and the total variance $T = \bar{U} + (1 + 1/M)B$ exceeds the within-imputation variance $\bar{U}$ that a single imputation would report.

# %%
try:
    from sklearn.impute import IterativeImputer

    needs_flag = False
except ImportError:
    needs_flag = True
check(needs_flag, "IterativeImputer is still experimental: importing it without the enabling import fails")

from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer

n_mi, M = 500, 5
z5 = rng.standard_normal(n_mi)
x5 = 2.0 + 1.5 * z5 + rng.standard_normal(n_mi)
x5_missing = np.where(rng.random(n_mi) < expit(2.0 * z5), np.nan, x5)
data = np.c_[x5_missing, z5]
estimates, within = [], []
for seed in range(M):
    completed = IterativeImputer(sample_posterior=True, random_state=seed, max_iter=10, tol=1e-3).fit_transform(data)
    estimates.append(completed[:, 0].mean())
    within.append(completed[:, 0].var(ddof=1) / n_mi)  # variance of the mean
U_bar, B = np.mean(within), np.var(estimates, ddof=1)
T = U_bar + (1 + 1 / M) * B
check(len(set(np.round(estimates, 12))) == M, "sample_posterior=True with different seeds gives different imputations")
check(B > 0 and U_bar < T, f"Rubin's rules: T = {T:.5f} exceeds the single-imputation variance U_bar = {U_bar:.5f}")

# %% [markdown]
# ## The scikit-learn behaviour the page relies on
#
# `SimpleImputer(add_indicator=True)` appends one indicator column per feature with missing values; `KNNImputer` fills a value with the average over the nearest rows that have it; histogram gradient boosting accepts missing values natively; logistic regression rejects them.

# %%
X_small = np.array([[1.0, 10.0], [np.nan, 20.0], [3.0, np.nan], [5.0, 40.0]])
out = SimpleImputer(strategy="median", add_indicator=True).fit_transform(X_small)
check(out.shape == (4, 4), "add_indicator=True appends one indicator per column with missing values")
check(
    np.array_equal(out[:, 2:], np.isnan(X_small).astype(float)),
    "the indicators are 1 exactly where a value was missing",
)

X_knn = np.array([[1.0, 1.0], [2.0, 2.0], [10.0, 10.0], [1.5, np.nan]])
filled_knn = KNNImputer(n_neighbors=2).fit_transform(X_knn)
check(filled_knn[3, 1] == 1.5, "KNNImputer fills (1.5, ?) with the mean of its 2 nearest rows' values, (1 + 2)/2")

X_clf = rng.standard_normal((400, 3))
y_clf = (X_clf[:, 0] + X_clf[:, 1] > 0).astype(int)
X_clf[rng.random(X_clf.shape) < 0.2] = np.nan
hgb = HistGradientBoostingClassifier(random_state=0).fit(X_clf, y_clf)
check(hgb.score(X_clf, y_clf) > 0.8, "HistGradientBoostingClassifier trains on data with missing values, no imputation")
try:
    LogisticRegression().fit(X_clf, y_clf)
    rejected = False
except ValueError:
    rejected = True
check(rejected, "LogisticRegression rejects missing values (ValueError)")

# %% [markdown]
# ## The page's pipeline refits the imputer on each training fold
#
# The code block of the page runs as written, and the median stored by each fold's imputer is the median of that fold's training rows only.

# %%
model = make_pipeline(
    SimpleImputer(strategy="median", add_indicator=True),
    LogisticRegression(max_iter=1000),
)
scores = cross_val_score(model, X_clf, y_clf, cv=5)
check(
    scores.shape == (5,) and np.all(scores > 0.6),
    f"the page's pipeline runs under 5-fold CV (mean accuracy {scores.mean():.2f})",
)

cv = KFold(n_splits=5)
res = cross_validate(model, X_clf, y_clf, cv=cv, return_estimator=True)
for k, (train_idx, _) in enumerate(cv.split(X_clf)):
    fold_median = np.nanmedian(X_clf[train_idx], axis=0)
    fitted = res["estimator"][k].named_steps["simpleimputer"].statistics_
    check_close(fitted, fold_median, f"fold {k}: the imputer's medians come from the training fold only", rtol=1e-12)

# %% [markdown]
# ## Figure: mean imputation flattens a relationship
#
# Rows whose $x$ was missing (MCAR, 30 %) are filled with the observed mean, so they sit on one vertical line and pull the correlation towards zero.

# %%
r_observed = np.corrcoef(x2[obs2], z2[obs2])[0, 1]
r_imputed = np.corrcoef(x2_tilde, z2)[0, 1]
check_close(r_observed, 0.80, "figure: the complete-case correlation is about 0.80", atol=5e-3)
check_close(r_imputed, 0.67, "figure: after mean imputation it is about 0.67", atol=5e-3)

sub = rng.choice(n_corr, 400, replace=False)
fig, ax = plt.subplots()
o, m = obs2[sub], ~obs2[sub]
ax.scatter(x2[sub][o], z2[sub][o], s=12, alpha=0.6, color="C0", label=f"observed (r = {r_observed:.2f})")
ax.scatter(x2_tilde[sub][m], z2[sub][m], s=12, alpha=0.8, color="C1", label="x filled with the observed mean")
ax.set_xlabel("x (30 % missing, mean-imputed)")
ax.set_ylabel("z (always observed)")
ax.set_title(f"Correlation after imputation: r = {r_imputed:.2f}", fontsize=10)
ax.legend(fontsize=8, loc="upper left")
save_figure(fig, "mean-imputation")
