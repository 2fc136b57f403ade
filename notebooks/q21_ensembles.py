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
# # Why averaging helps, and where it stops helping
#
# The first part simulates $B$ correlated estimators and checks the variance of their average against $\rho\sigma^2 + (1-\rho)\sigma^2/B$, the formula derived on the question page, then the majority-vote accuracy of independent classifiers and the 63.2% of distinct examples in a bootstrap sample.
# The second part compares bagging and boosting on a synthetic classification task: bagging deep trees lowers their variance, bagging stumps cannot remove their bias, and boosting stumps does; it also checks the AdaBoost weight $\tfrac{1}{2}\log\frac{1-\mathrm{err}}{\mathrm{err}}$ derived on the page.

# %%
import numpy as np
from handbook_nb import check, check_close, save_figure

# %%
import matplotlib.pyplot as plt
from scipy.stats import binom

rng = np.random.default_rng(0)

# %% [markdown]
# ## Variance of an average of correlated estimators
#
# Each of $B$ estimators has variance $\sigma^2$ and every pair has correlation $\rho$, so their covariance matrix is $\sigma^2[(1-\rho)\mathbf{I} + \rho \mathbf{1}\mathbf{1}^\top]$.
# We draw $M = 40{,}000$ replicates from this multivariate normal (through a generic Cholesky factor, which knows nothing of the formula), average each replicate over the $B$ estimators, and measure the variance of the average.
# The relative standard error of a sample variance from $M$ normal draws is $\sqrt{2/(M-1)} \approx 0.7\%$, so a 4% tolerance is about six standard errors.

# %%
sigma, rho, M = 2.0, 0.3, 40_000
B_values = [1, 2, 5, 10, 25, 50, 100]


def formula(B, rho=rho, sigma=sigma):
    return rho * sigma**2 + (1 - rho) * sigma**2 / B


empirical = []
for B in B_values:
    cov = sigma**2 * ((1 - rho) * np.eye(B) + rho * np.ones((B, B)))
    L = np.linalg.cholesky(cov)
    draws = rng.standard_normal((M, B)) @ L.T  # each row: B correlated estimates
    if max(B_values) == B:
        C = np.cov(draws, rowvar=False)
        off_diag = C[~np.eye(B, dtype=bool)]
        check_close(
            [np.diag(C).mean(), off_diag.mean()],
            [sigma**2, rho * sigma**2],
            "the simulated estimators have variance sigma^2 and covariance rho sigma^2 (on average over entries)",
            rtol=0.03,
        )
    empirical.append(draws.mean(axis=1).var(ddof=1))
empirical = np.array(empirical)
for B, v in zip(B_values, empirical, strict=False):
    print(f"B = {B:>3}: simulated {v:.4f}   formula {formula(B):.4f}")
check_close(
    empirical,
    [formula(B) for B in B_values],
    "Var(average) = rho sigma^2 + (1 - rho) sigma^2 / B for every B tested",
    rtol=0.04,
)

# %% [markdown]
# The same check with independent estimators ($\rho = 0$) recovers the familiar $\sigma^2 / B$.

# %%
B = 25
draws0 = rng.standard_normal((M, B)) * sigma
check_close(
    draws0.mean(axis=1).var(ddof=1), sigma**2 / B, "with rho = 0 the variance of the average is sigma^2 / B", rtol=0.04
)

# %% [markdown]
# The numbers quoted on the page, for $\sigma^2 = 1$ and $\rho = 0.3$: ten estimators give $0.3 + 0.7/10 = 0.37$, and the floor as $B \to \infty$ is $0.3$.

# %%
check_close(formula(10, rho=0.3, sigma=1.0), 0.37, "sigma^2 = 1, rho = 0.3, B = 10 gives variance 0.37", rtol=1e-12)
check_close(formula(1e12, rho=0.3, sigma=1.0), 0.3, "the variance tends to rho sigma^2 = 0.3 as B grows", rtol=1e-9)

# %%
fig, ax = plt.subplots()
B_grid = np.arange(1, 101)
_ = ax.plot(B_grid, formula(B_grid), label=r"formula $\rho\sigma^2 + (1-\rho)\sigma^2/B$")
_ = ax.plot(B_values, empirical, "o", label=f"simulation ({M:,} replicates)")
_ = ax.plot(B_grid, sigma**2 / B_grid, ":", label=r"independent estimators, $\sigma^2/B$")
_ = ax.axhline(rho * sigma**2, color="gray", linestyle="--", label=r"floor $\rho\sigma^2$")
_ = ax.set_xscale("log")
_ = ax.set_xticks(B_values, [str(b) for b in B_values])
_ = ax.set_xlabel("number of averaged estimators B")
_ = ax.set_ylabel("variance of the average")
_ = ax.set_title(rf"Averaging correlated estimators ($\sigma^2 = {sigma**2:g}$, $\rho = {rho}$)")
_ = ax.legend()
save_figure(fig, "bagging-variance")

# %% [markdown]
# ## Majority vote of independent classifiers
#
# Five classifiers, each right with probability 0.7 and making independent errors, vote.
# The vote is right when at least 3 of the 5 are right, a binomial tail.

# %%
p_vote = sum(binom.pmf(k, 5, 0.7) for k in range(3, 6))
check_close(
    [binom.pmf(k, 5, 0.7) for k in (3, 4, 5)],
    [0.3087, 0.36015, 0.16807],
    "the three binomial terms are 0.3087, 0.36015 and 0.16807",
    rtol=1e-12,
)
check_close(
    p_vote, 0.83692, "majority of 5 independent 70%-accurate classifiers is right with probability 0.83692", rtol=1e-12
)
p_vote_sim = (rng.random((200_000, 5)) < 0.7).sum(axis=1).__ge__(3).mean()
check_close(p_vote_sim, 0.83692, "simulation agrees with the binomial tail", rtol=0, atol=0.005)
# With perfectly correlated classifiers (all make the same errors), the vote is no better than one classifier.
same = rng.random(200_000) < 0.7
check_close(
    np.mean(np.stack([same] * 5, axis=1).sum(axis=1) >= 3),
    np.mean(same),
    "identical classifiers: the vote equals a single classifier",
    rtol=1e-12,
)

# %% [markdown]
# ## What a bootstrap sample contains
#
# A bootstrap sample draws $n$ examples with replacement; a given example is missed by all $n$ draws with probability $(1 - 1/n)^n \to e^{-1} \approx 0.368$.
# So each bootstrap sample contains about 63.2% of the distinct examples, and the remaining 36.8% are "out of bag" for that model.

# %%
n_boot = 2000
p_in = 1 - (1 - 1 / n_boot) ** n_boot
check_close(p_in, 1 - np.exp(-1), "P(an example is in a bootstrap sample) is close to 1 - 1/e", rtol=0, atol=1e-4)
check_close(1 - np.exp(-1), 0.632, "1 - 1/e = 0.632 to three decimals", rtol=0, atol=5e-4)
frac_unique = np.mean([np.unique(rng.integers(0, n_boot, n_boot)).size / n_boot for _ in range(200)])
check_close(
    frac_unique, p_in, "simulated bootstrap samples contain that fraction of distinct examples", rtol=0, atol=0.005
)

# %% [markdown]
# ## Bagging versus boosting
#
# The task is the one used in *The Elements of Statistical Learning* (§10.1): ten standard normal features, and $y = 1$ when $\sum_j x_j^2 > \chi^2_{10}(0.5) \approx 9.34$, else $y = -1$.
# The boundary is a sphere, which an axis-aligned stump approximates very badly (high bias) and a deep tree approximates with high variance.
# We train on 2,000 examples and test on 10,000.

# %%
from sklearn.datasets import make_hastie_10_2
from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier
from sklearn.tree import DecisionTreeClassifier

X, y = make_hastie_10_2(n_samples=12_000, random_state=0)
X_train, y_train, X_test, y_test = X[:2000], y[:2000], X[2000:], y[2000:]
n_est = 300

stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X_train, y_train)
deep = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
err_stump = np.mean(stump.predict(X_test) != y_test)
err_deep = np.mean(deep.predict(X_test) != y_test)


def bagging_curve(base, n_estimators):
    """Test error of the bagged vote after 1, 2, ..., n_estimators trees."""
    bag = BaggingClassifier(base, n_estimators=n_estimators, random_state=0).fit(X_train, y_train)
    # the base trees predict class indices (0 for -1, 1 for +1); map them back to -1/+1
    votes = np.cumsum([bag.classes_[est.predict(X_test).astype(int)] for est in bag.estimators_], axis=0)
    # ties (possible for an even count) go to +1; the effect on the curve is negligible
    return np.mean(np.where(votes >= 0, 1, -1) != y_test, axis=1)


err_bag_stump = bagging_curve(DecisionTreeClassifier(max_depth=1), n_est)
err_bag_deep = bagging_curve(DecisionTreeClassifier(), n_est)
ada = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=n_est, random_state=0).fit(X_train, y_train)
err_ada = np.array([np.mean(pred != y_test) for pred in ada.staged_predict(X_test)])

print(f"single stump {err_stump:.3f}, single deep tree {err_deep:.3f}")
print(
    f"after {n_est} estimators: bagged stumps {err_bag_stump[-1]:.3f}, bagged deep trees {err_bag_deep[-1]:.3f}, AdaBoost stumps {err_ada[-1]:.3f}"
)

# %% [markdown]
# The page's claims, on this task:
# bagging a stump does not lower its error (averaging cannot remove bias; here the vote is even slightly worse than one stump);
# bagging deep trees cuts their error well below that of one deep tree (variance reduction);
# boosting stumps drives the error far below one stump's (bias reduction).

# %%
check(err_stump > 0.4, "a single stump is barely better than chance (error above 40%)")
check(err_bag_stump[-1] > err_stump - 0.01, "bagging stumps does not lower the stump's error (here it even raises it)")
check(err_bag_deep[-1] < err_deep - 0.05, "bagging deep trees lowers their error by more than 5 points")
check(err_ada[-1] < err_stump / 3, "AdaBoost with stumps cuts the stump's error by more than a factor of 3")

# %% [markdown]
# ## The weight of a weak learner
#
# The page derives that, under the exponential loss, a weak learner with weighted error $\mathrm{err}$ gets the weight $\alpha = \tfrac{1}{2}\log\frac{1-\mathrm{err}}{\mathrm{err}}$, the minimiser of $(1-\mathrm{err})e^{-\alpha} + \mathrm{err}\, e^{\alpha}$.
# We check the minimiser numerically, and check that scikit-learn's AdaBoost (the SAMME algorithm, here with two classes and learning rate 1) uses twice that weight, $\log\frac{1-\mathrm{err}}{\mathrm{err}}$, which gives the same sign of the weighted vote.

# %%
alpha_grid = np.linspace(0.0, 3.0, 300_001)
for err in (0.1, 0.3, 0.45):
    alpha_best = alpha_grid[np.argmin((1 - err) * np.exp(-alpha_grid) + err * np.exp(alpha_grid))]
    check_close(
        alpha_best,
        0.5 * np.log((1 - err) / err),
        f"err = {err}: the exponential loss is minimised at alpha = log((1 - err) / err) / 2",
        rtol=0,
        atol=1e-4,
    )
errs = ada.estimator_errors_
check_close(
    ada.estimator_weights_,
    np.log((1 - errs) / errs),
    "scikit-learn's AdaBoost weights are log((1 - err) / err), twice the derived alpha",
    rtol=1e-10,
)

# %% [markdown]
# The error rates quoted on the page, to the three decimals it prints.

# %%
check_close(
    [err_stump, err_deep, err_bag_stump[-1], err_bag_deep[-1], err_ada[-1]],
    [0.457, 0.273, 0.480, 0.142, 0.133],
    "test errors: stump 0.457, deep tree 0.273, bagged stumps 0.480, bagged deep trees 0.142, AdaBoost 0.133",
    rtol=0,
    atol=5e-4,
)

# %%
fig, ax = plt.subplots()
rounds = np.arange(1, n_est + 1)
_ = ax.plot(rounds, err_bag_stump, label="bagging, stumps")
_ = ax.plot(rounds, err_bag_deep, label="bagging, deep trees")
_ = ax.plot(rounds, err_ada, label="AdaBoost, stumps")
_ = ax.axhline(err_stump, color="gray", linestyle="--", label="single stump")
_ = ax.axhline(err_deep, color="gray", linestyle=":", label="single deep tree")
_ = ax.set_xlabel("number of estimators")
_ = ax.set_ylabel("test error rate")
_ = ax.set_ylim(0, 0.7)
_ = ax.set_title("Bagging reduces variance, boosting reduces bias")
_ = ax.legend(loc="upper center", ncol=2, fontsize=9)
save_figure(fig, "bagging-vs-boosting")

# %% [markdown]
# ## Conclusion
#
# Averaging $B$ estimators divides only the uncorrelated part of their variance by $B$; the correlated part $\rho\sigma^2$ remains, which is why random forests decorrelate their trees.
# Bagging helps low-bias, high-variance learners such as deep trees and does nothing for a biased stump; boosting fits the stumps sequentially to the ensemble's mistakes and removes much of the bias.
