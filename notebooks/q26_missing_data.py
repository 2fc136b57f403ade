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
# The notebook computes the page's worked example (four observed values in six rows, whose variance falls after mean imputation) and the share of complete rows under independent missingness, and binds them for the page.
# The checks test the variance and covariance identities of steps 7 and 8, the bias of mean imputation under MCAR by simulation, what the MCAR, MAR and MNAR mechanisms do to complete-case estimates (including a MAR mechanism under which the complete-case mean happens to be unbiased), the coverage of Rubin's rules against single imputation, the size of the leak from imputing before splitting (label-free and target-using), and the scikit-learn behaviour the page relies on.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import expit
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import KNNImputer, SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier

rng = np.random.default_rng(0)

# %% [markdown]
# ## The worked example: six rows, four observed
#
# The column is $1, 3, 5, 7$ plus two missing entries; scikit-learn's `SimpleImputer` fills the gaps with the observed mean.

# %%
col = np.array([1.0, 3.0, 5.0, 7.0, np.nan, np.nan])
observed = col[~np.isnan(col)]
n, n_o = col.size, observed.size

ss = np.sum((observed - observed.mean()) ** 2)
s2_o = observed.var(ddof=1)
filled = SimpleImputer(strategy="mean").fit_transform(col[:, None]).ravel()
# Two routes: the library's fill value against the hand-computed mean, and the filled column's variance
# (NumPy on the completed column) against the page's step-7 formula.
check(np.all(filled[np.isnan(col)] == observed.mean()), "SimpleImputer fills both gaps with the observed mean")
check_close(
    filled.var(ddof=1), (n_o - 1) / (n - 1) * s2_o, "step 7 on the example: var = (n_o-1)/(n-1) s_o^2", rtol=1e-12
)
for i, v in enumerate(observed, start=1):
    bind(f"ex_v{i}", v)
bind("ex_n", n)
bind("ex_no", n_o)
bind("ex_nmiss", n - n_o)
bind("ex_no_m1", n_o - 1)
bind("ex_mean", observed.mean())
bind("ex_ss", ss)
bind("ex_ss_filled", np.sum((filled - filled.mean()) ** 2))
bind("ex_var_obs", s2_o)
bind("ex_fill", filled[4])
bind("ex_nm1", n - 1)
bind("ex_var_filled", filled.var(ddof=1))
bind("ex_var_loss_pct", 100 * (1 - filled.var(ddof=1) / s2_o))
bind("ex_sd_loss_pct", 100 * (1 - filled.std(ddof=1) / observed.std(ddof=1)))

# %% [markdown]
# ## Listwise deletion with many columns
#
# With 5 % of values missing independently in each of 20 columns, a row is complete with probability $0.95^{20}$.
# A simulation of 200,000 rows must agree.

# %%
rate, n_cols = 0.05, 20
p_complete = (1 - rate) ** n_cols
mask = rng.random((200_000, n_cols)) < rate
sim_complete = (~mask).all(axis=1).mean()
check_close(
    sim_complete,
    p_complete,
    "simulated: the share of complete rows matches 0.95^20 (4 binomial SE)",
    atol=4 * np.sqrt(p_complete * (1 - p_complete) / mask.shape[0]),
)
check(
    0.6 < 1 - sim_complete < 2 / 3,
    f"simulated: listwise deletion discards {1 - sim_complete:.3f} of the rows, almost two-thirds",
)
bind("miss_rate_pct", 100 * rate)
bind("n_cols", n_cols)
bind("keep_base", 1 - rate)
bind("p_complete", p_complete)
bind("p_complete_pct", 100 * p_complete)

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

# The claim that follows from step 7: under MCAR the imputed column *systematically* understates Var(x).
# 4,000 columns of n = 50 values with Var(x) = 1, each 30 % MCAR: the mean of s^2 of the imputed column must
# match E[n_o - 1]/(n - 1) (within 4 Monte-Carlo SE) and be well below 1.
xs = rng.standard_normal((4000, 50))
ms = rng.random(xs.shape) < 0.3
xo_mean = np.nanmean(np.where(ms, np.nan, xs), axis=1, keepdims=True)
s2_imp = np.where(ms, xo_mean, xs).var(axis=1, ddof=1)
expected = (50 * 0.7 - 1) / 49
check_close(
    s2_imp.mean(),
    expected,
    f"MCAR: E[s^2 of the imputed column] = E[n_o - 1]/(n - 1) Var(x) = {expected:.3f}",
    atol=4 * s2_imp.std(ddof=1) / np.sqrt(s2_imp.size),
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
bind("corr_miss_pct", 100 * (1 - obs2.mean()))
bind("corr_factor", ratio)

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
# Step 4 says "generally biased", not "always": MAR missingness that depends on |z| only changes p(z | R = 1)
# but keeps E[z | R = 1] = 0, so with E[x | z] linear the complete-case mean is unbiased (4 SE) while the
# complete-case variance is not.
keep_sym = ~(u < expit(2.0 * (np.abs(z3) - 0.7)))
mean_sym, var_sym = x3[keep_sym].mean(), x3[keep_sym].var(ddof=1)
print(
    f"symmetric MAR: {1 - keep_sym.mean():.2f} missing, complete-case mean {mean_sym:.3f}, variance {var_sym:.2f} (true 3.25)"
)
check_close(
    mean_sym,
    2.0,
    "symmetric MAR: the complete-case mean is unbiased here (4 SE)",
    atol=4 * x3[keep_sym].std(ddof=1) / np.sqrt(keep_sym.sum()),
)
check(abs(var_sym - 3.25) > 0.5, "but the complete-case variance is biased (true Var(x) = 1.5^2 + 1 = 3.25)")
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
# `IterativeImputer` must be enabled by an explicit experimental import, as the page says (scikit-learn 1.9), and with `sample_posterior=True` and different seeds it returns different completed datasets.
# Rubin's rules are then checked by coverage: over 400 data sets with MAR missingness, proper multiple imputation (normal linear-regression imputation with parameter draws, van Buuren's Algorithm 3.1, $M = 20$) gives 95 % intervals for $\mathbb{E}[x]$ from $T = \bar{U} + (1 + 1/M)B$ that cover the truth about 95 % of the time, while intervals from $\bar{U}$ alone (what single imputation reports) undercover.

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
check(len(set(np.round(estimates, 12))) == M, "sample_posterior=True with different seeds gives different imputations")


def mi_mean(x_mis, z, M, r):
    """Pooled mean of x and (U_bar, B) from M imputations by Bayesian linear regression of x on z."""
    o = ~np.isnan(x_mis)
    A = np.c_[np.ones(o.sum()), z[o]]
    beta_hat, rss = np.linalg.lstsq(A, x_mis[o], rcond=None)[:2]
    inv = np.linalg.inv(A.T @ A)
    est, var = [], []
    for _ in range(M):
        sigma2 = rss[0] / r.chisquare(o.sum() - 2)
        beta = r.multivariate_normal(beta_hat, sigma2 * inv)
        x_c = x_mis.copy()
        x_c[~o] = beta[0] + beta[1] * z[~o] + np.sqrt(sigma2) * r.standard_normal((~o).sum())
        est.append(x_c.mean())
        var.append(x_c.var(ddof=1) / x_c.size)
    return np.mean(est), np.mean(var), np.var(est, ddof=1)


n_cov, M_cov, cover_T, cover_U = 400, 20, [], []
for _ in range(n_cov):
    zc = rng.standard_normal(200)
    xc = 2.0 + 1.5 * zc + rng.standard_normal(200)
    xc_mis = np.where(rng.random(200) < expit(2.0 * zc), np.nan, xc)
    q, U_bar, B = mi_mean(xc_mis, zc, M_cov, rng)
    T = U_bar + (1 + 1 / M_cov) * B
    cover_T.append(abs(q - 2.0) < 1.96 * np.sqrt(T))
    cover_U.append(abs(q - 2.0) < 1.96 * np.sqrt(U_bar))
cover_T, cover_U = np.mean(cover_T), np.mean(cover_U)
print(f"coverage of nominal 95 % intervals: Rubin's T {cover_T:.3f}, within-imputation U_bar only {cover_U:.3f}")
tol_cov = 4 * np.sqrt(0.95 * 0.05 / n_cov)
check(abs(cover_T - 0.95) < tol_cov, "Rubin's total variance T gives about 95 % coverage (4 binomial SE)")
check(cover_U < 0.95 - tol_cov, "the single-imputation variance U_bar alone undercovers (by more than 4 SE)")

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
# As of scikit-learn 1.9, decision trees (since 1.3), random forests (since 1.4) and extra-trees (since 1.6) accept NaN too.
for est in (
    DecisionTreeClassifier(random_state=0),
    RandomForestClassifier(n_estimators=20, random_state=0),
    ExtraTreesClassifier(n_estimators=20, random_state=0),
):
    check(est.fit(X_clf, y_clf).score(X_clf, y_clf) > 0.8, f"{type(est).__name__} trains on data with missing values")
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
scores = cross_val_score(model, X_clf, y_clf, cv=5)  # the page's code block, as written

cv = KFold(n_splits=5)
res = cross_validate(model, X_clf, y_clf, cv=cv, return_estimator=True)
for k, (train_idx, _) in enumerate(cv.split(X_clf)):
    fold_median = np.nanmedian(X_clf[train_idx], axis=0)
    fitted = res["estimator"][k].named_steps["simpleimputer"].statistics_
    check_close(fitted, fold_median, f"fold {k}: the imputer's medians come from the training fold only", rtol=1e-12)

# %% [markdown]
# ## How much imputing before the split leaks
#
# Regression data ($n = 60$, $d = 5$, $y = x_1 + 0.5 x_2 + \varepsilon$, 30 % of the features MCAR), least squares, 5-fold CV, 300 data sets, the same folds for every variant.
# The honest estimate refits mean imputation inside each training fold.
# Fitting the label-free mean imputer on all the rows first moves the CV error only slightly; an imputer that uses the target (each $x_j$ regressed on $y$, fitted on all rows) makes the CV error far too optimistic.
# The label-free optimism must be below a tenth of the target-using optimism, which must be positive by more than 4 SE.


# %%
def ols_cv_mse(X_tr, y_tr, X_te, y_te):
    A = np.c_[np.ones(len(X_tr)), X_tr]
    coef = np.linalg.lstsq(A, y_tr, rcond=None)[0]
    return np.mean((coef[0] + X_te @ coef[1:] - y_te) ** 2)


leak = []
for _ in range(300):
    X6 = rng.standard_normal((60, 5))
    y6 = X6 @ [1.0, 0.5, 0.0, 0.0, 0.0] + rng.standard_normal(60)
    M6 = rng.random(X6.shape) < 0.3
    X6m = np.where(M6, np.nan, X6)
    X_label_free = np.where(M6, np.nanmean(X6m, axis=0), X6m)  # fitted on all rows
    X_target = X6m.copy()
    for j in range(5):  # x_j regressed on y over the rows where x_j is observed, all folds included
        o = ~M6[:, j]
        X_target[~o, j] = np.polyval(np.polyfit(y6[o], X6m[o, j], 1), y6[~o])
    mse = np.zeros(3)
    for te in np.array_split(rng.permutation(60), 5):
        tr = np.setdiff1d(np.arange(60), te)
        mu = np.nanmean(X6m[tr], axis=0)
        honest = ols_cv_mse(np.where(M6[tr], mu, X6m[tr]), y6[tr], np.where(M6[te], mu, X6m[te]), y6[te])
        mse += [
            honest,
            ols_cv_mse(X_label_free[tr], y6[tr], X_label_free[te], y6[te]),
            ols_cv_mse(X_target[tr], y6[tr], X_target[te], y6[te]),
        ] / np.array(5.0)
    leak.append(mse)
leak = np.array(leak)
opt_free, opt_target = leak[:, 0] - leak[:, 1], leak[:, 0] - leak[:, 2]
print(
    f"CV MSE: honest {leak[:, 0].mean():.3f}; optimism of label-free imputation on all rows {opt_free.mean():+.4f} "
    f"(SE {opt_free.std(ddof=1) / np.sqrt(len(opt_free)):.4f}); of target-using imputation {opt_target.mean():+.3f}"
)
check(
    opt_target.mean() > 4 * opt_target.std(ddof=1) / np.sqrt(len(opt_target)),
    "an imputer that uses the target, fitted before splitting, makes the CV error optimistic",
)
check(abs(opt_free.mean()) < 0.1 * opt_target.mean(), "a label-free imputer fitted before splitting leaks far less")
bind("leak_reps", len(leak))
bind("leak_miss_pct", 30)  # the MCAR rate of M6 above
bind("leak_free_pct", 100 * opt_free.mean() / leak[:, 0].mean())
bind("leak_target_pct", 100 * opt_target.mean() / leak[:, 0].mean())

# %% [markdown]
# ## Figure: mean imputation flattens a relationship
#
# Rows whose $x$ was missing (MCAR, 30 %) are filled with the observed mean, so they sit on one vertical line and pull the correlation towards zero.

# %%
r_observed = np.corrcoef(x2[obs2], z2[obs2])[0, 1]
r_imputed = np.corrcoef(x2_tilde, z2)[0, 1]
bind("r_observed", r_observed)
bind("r_imputed", r_imputed)

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
