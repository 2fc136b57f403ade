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
# Notation as on the page: $\tau^2$ is the variance of one base model's prediction and $\rho$ the correlation between two of them ($\sigma^2$ is reserved for the noise variance).
# The first part simulates $B$ correlated estimators and checks the variance of their average against $\rho\tau^2 + (1-\rho)\tau^2/B$, the formula derived on the question page, then the majority-vote accuracy of independent and of correlated classifiers, the negative-correlation bound, the 63.2% of distinct examples in a bootstrap sample (against scikit-learn's `BaggingClassifier`), and that bagging a nonlinear estimator changes its bias.
# The second part compares bagging and boosting on a synthetic classification task: bagging deep trees lowers their variance, bagging stumps does not help them (here it hurts), and boosting stumps does; it also checks the AdaBoost weight $\tfrac{1}{2}\log\frac{1-\mathrm{err}}{\mathrm{err}}$ derived on the page.

# %%
import numpy as np
from handbook_nb import bind, check, check_close, save_figure

# %%
import matplotlib.pyplot as plt
from math import comb

from scipy.integrate import quad
from scipy.stats import binom, norm

rng = np.random.default_rng(0)

# %% [markdown]
# ## Variance of an average of correlated estimators
#
# Each of $B$ estimators has variance $\tau^2$ and every pair has correlation $\rho$, so their covariance matrix is $\tau^2[(1-\rho)\mathbf{I} + \rho \mathbf{1}\mathbf{1}^\top]$.
# We draw $M = 40{,}000$ replicates from this multivariate normal (through a generic Cholesky factor, which knows nothing of the formula), average each replicate over the $B$ estimators, and measure the variance of the average.
# The relative standard error of a sample variance from $M$ normal draws is $\sqrt{2/(M-1)} \approx 0.7\%$, so a 4% tolerance is about six standard errors.

# %%
tau, rho, M, rtol_sim = 2.0, 0.3, 40_000, 0.04
B_values = [1, 2, 5, 10, 25, 50, 100]
for name, value in [
    ("m_sim", M),
    ("tau2_sim", tau**2),
    ("rho_sim", rho),
    ("rtol_sim_pct", 100 * rtol_sim),
    ("n_b_values", len(B_values)),
    ("b_min", min(B_values)),
    ("b_max", max(B_values)),
]:
    bind(name, value)


def formula(B, rho=rho, tau=tau):
    return rho * tau**2 + (1 - rho) * tau**2 / B


empirical = []
for B in B_values:
    cov = tau**2 * ((1 - rho) * np.eye(B) + rho * np.ones((B, B)))
    L = np.linalg.cholesky(cov)
    draws = rng.standard_normal((M, B)) @ L.T  # each row: B correlated estimates
    empirical.append(draws.mean(axis=1).var(ddof=1))
empirical = np.array(empirical)
for B, v in zip(B_values, empirical, strict=False):
    print(f"B = {B:>3}: simulated {v:.4f}   formula {formula(B):.4f}")
check_close(
    empirical,
    [formula(B) for B in B_values],
    "Var(average) = rho tau^2 + (1 - rho) tau^2 / B for every B tested",
    rtol=rtol_sim,
)

# %% [markdown]
# The same check with independent estimators ($\rho = 0$) recovers the familiar $\tau^2 / B$.

# %%
B = 25
draws0 = rng.standard_normal((M, B)) * tau
check_close(
    draws0.mean(axis=1).var(ddof=1), tau**2 / B, "with rho = 0 the variance of the average is tau^2 / B", rtol=rtol_sim
)

# %% [markdown]
# The numbers quoted on the page, for $\tau^2 = 1$ and $\rho = 0.3$, against a second, independent simulator: a one-factor model $Z_b = \tau(\sqrt{\rho}\,U + \sqrt{1-\rho}\,E_b)$ with independent standard normals $U, E_b$, which has exactly this covariance.
# The tolerance is 4 standard errors of a sample variance, $4\sqrt{2/(M-1)}$ relative.

# %%
rho_ex = 0.3
rtol_4se = 4 * np.sqrt(2 / (M - 1))
for B_ex, name in [(10, "var_b10"), (10_000, "var_floor")]:
    U = rng.standard_normal(M)
    # the mean of B independent standard normals is exactly N(0, 1/B): draw it directly
    E_mean = rng.standard_normal(M) / np.sqrt(B_ex)
    z_bar = np.sqrt(rho_ex) * U + np.sqrt(1 - rho_ex) * E_mean
    check_close(
        formula(B_ex, rho=rho_ex, tau=1.0),
        z_bar.var(ddof=1),
        f"tau^2 = 1, rho = 0.3, B = {B_ex}: formula = one-factor simulation",
        rtol=rtol_4se,
        name=name,
    )
bind("rho_ex", rho_ex)
bind("tau2_ex", 1.0)
bind("b_ex", 10)

# %% [markdown]
# ## How negative can the correlation be?
#
# The equicorrelation matrix $(1-\rho)\mathbf{I} + \rho\mathbf{1}\mathbf{1}^\top$ is a valid covariance matrix only if it is positive semidefinite.
# The page claims this holds exactly when $\rho \ge -1/(B-1)$, and that at the bound the average has variance 0; we check the eigenvalues numerically and simulate at the bound.

# %%
for B_neg in (2, 5, 20):
    bound = -1 / (B_neg - 1)
    min_eig = {
        r: np.linalg.eigvalsh((1 - r) * np.eye(B_neg) + r * np.ones((B_neg, B_neg))).min()
        for r in (bound - 1e-3, bound, bound + 1e-3)
    }
    check(
        min_eig[bound - 1e-3] < 0 < min_eig[bound + 1e-3] and abs(min_eig[bound]) < 1e-12,
        f"B = {B_neg}: the equicorrelation matrix is PSD exactly for rho >= -1/(B-1) = {bound:.3f}",
    )
B_neg = 5
C_bound = (1 + 1 / (B_neg - 1)) * np.eye(B_neg) - 1 / (B_neg - 1) * np.ones((B_neg, B_neg))
vals, vecs = np.linalg.eigh(C_bound)
root = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None)))  # C_bound = root root^T, Cholesky fails on a singular matrix
draws_neg = rng.standard_normal((M, B_neg)) @ root.T
check(draws_neg.mean(axis=1).var() < 1e-20, "at rho = -1/(B-1) the average of the B estimators has variance 0")

# %%
fig, ax = plt.subplots()
B_grid = np.arange(1, 101)
_ = ax.plot(B_grid, formula(B_grid), label=r"formula $\rho\tau^2 + (1-\rho)\tau^2/B$")
_ = ax.plot(B_values, empirical, "o", label=f"simulation ({M:,} replicates)")
_ = ax.plot(B_grid, tau**2 / B_grid, ":", label=r"independent estimators, $\tau^2/B$")
_ = ax.axhline(rho * tau**2, color="gray", linestyle="--", label=r"floor $\rho\tau^2$")
_ = ax.set_xscale("log")
_ = ax.set_xticks(B_values, [str(b) for b in B_values])
_ = ax.set_xlabel("number of averaged estimators B")
_ = ax.set_ylabel("variance of the average")
_ = ax.set_title(rf"Averaging correlated estimators ($\tau^2 = {tau**2:g}$, $\rho = {rho}$)")
_ = ax.legend()
save_figure(fig, "bagging-variance")

# %% [markdown]
# ## Majority vote of independent classifiers
#
# Five classifiers, each right with probability 0.7 and making independent errors, vote.
# The vote is right when at least 3 of the 5 are right, a binomial tail.

# %%
n_clf, acc_clf, n_votes = 5, 0.7, 200_000
# the page's formula, term by term: C(5, k) p^k (1 - p)^(5 - k) for k = 3, 4, 5
terms = [comb(n_clf, k) * acc_clf**k * (1 - acc_clf) ** (n_clf - k) for k in (3, 4, 5)]
p_vote = sum(terms)
for k, term in zip((3, 4, 5), terms, strict=True):
    bind(f"vote_term{k}", term)
bind("n_clf", n_clf)
bind("acc_clf", acc_clf)
bind("acc_clf_pct", 100 * acc_clf)
# Independent route: simulate the five independent classifiers; each term is the frequency of exactly k right.
n_right = (rng.random((n_votes, n_clf)) < acc_clf).sum(axis=1)
for k, term in zip((3, 4, 5), terms, strict=True):
    freq = np.mean(n_right == k)
    check_close(
        term, freq, f"P(exactly {k} of 5 right) = simulated frequency", atol=4 * np.sqrt(term * (1 - term) / n_votes)
    )
p_vote_sim = np.mean(n_right >= 3)
se_vote = np.sqrt(p_vote * (1 - p_vote) / n_votes)
check_close(p_vote, p_vote_sim, "majority vote: binomial tail = simulation", rtol=0, atol=4 * se_vote, name="p_vote")
bind("p_vote_pct", 100 * p_vote)

# %% [markdown]
# Correlated errors: classifier $b$ is right when $\sqrt{r}\,U + \sqrt{1-r}\,E_b < \Phi^{-1}(0.7)$, with a shared $U$ and independent $E_b$, so each is right 70% of the time and the shared part makes their errors coincide.
# The page says the vote's advantage shrinks as the errors become more alike, down to no advantage when all make the same errors ($r = 1$, where the five are one classifier, so that end needs no check).
# The simulated accuracies at intermediate $r$ are checked against numerical integration over the shared part $U$.

# %%
q_right = norm.ppf(acc_clf)
U_shared = rng.standard_normal(n_votes)
E_own = rng.standard_normal((n_votes, n_clf))
vote_acc = []
for r_lat in (0.0, 0.25, 0.5, 0.75, 1.0):
    right = (np.sqrt(r_lat) * U_shared[:, None] + np.sqrt(1 - r_lat) * E_own) < q_right
    vote_acc.append(np.mean(right.sum(axis=1) >= 3))
vote_acc = np.array(vote_acc)
print("vote accuracy for latent correlation 0, 0.25, 0.5, 0.75, 1:", np.round(vote_acc, 4))
check(bool(np.all(np.diff(vote_acc) < 0)), "the vote's accuracy falls as the classifiers' errors become more alike")


# Independent route for the correlated case: given the shared part U = u, the five are independent, each right with
# probability Phi((q - sqrt(r) u) / sqrt(1 - r)), so P(vote right) = integral of a binomial tail against phi(u).
def vote_quadrature(r_lat):
    def integrand(u):
        return norm.pdf(u) * binom.sf(2, n_clf, norm.cdf((q_right - np.sqrt(r_lat) * u) / np.sqrt(1 - r_lat)))

    return quad(integrand, -np.inf, np.inf)[0]


for r_lat, acc in zip((0.25, 0.5, 0.75), vote_acc[1:4], strict=True):
    p_q = vote_quadrature(r_lat)
    check_close(
        acc,
        p_q,
        f"latent correlation {r_lat}: simulated vote = quadrature",
        atol=4 * np.sqrt(p_q * (1 - p_q) / n_votes),
    )

# %% [markdown]
# ## What a bootstrap sample contains
#
# A bootstrap sample draws $n$ examples with replacement; a given example is missed by all $n$ draws with probability $(1 - 1/n)^n \to e^{-1} \approx 0.368$.
# So each bootstrap sample contains about 63.2% of the distinct examples, and the remaining 36.8% are "out of bag" for that model.

# %%
n_boot = 2000
p_in = 1 - (1 - 1 / n_boot) ** n_boot
# Independent route: the bootstrap samples scikit-learn's BaggingClassifier actually draws (100 estimators).
from sklearn.ensemble import BaggingClassifier
from sklearn.tree import DecisionTreeClassifier

X_b = rng.standard_normal((n_boot, 2))
y_b = (X_b[:, 0] > 0).astype(int)
bag_b = BaggingClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=100, random_state=0).fit(X_b, y_b)
frac_in = np.array([np.unique(s).size / n_boot for s in bag_b.estimators_samples_])
# each fraction is an average over n_boot weakly dependent indicators: SE about sqrt(p(1-p)/n_boot) per sample
se_in = np.sqrt(p_in * (1 - p_in) / n_boot) / np.sqrt(len(frac_in))
check_close(p_in, frac_in.mean(), "(1 - 1/n)^n formula = sklearn's bootstrap samples", atol=4 * se_in)
bind("in_bag_pct", 100 * p_in)
bind("oob_prob", 1 - p_in)

# %% [markdown]
# ## Bagging can change the bias of a nonlinear estimator
#
# Step 2 of the derivation shows that the bagged average has the bias of one *bootstrap* member, which need not be the bias of the estimator fitted on the full sample.
# Example: estimate $\mu^2$ by $\bar{x}^2$ from $n$ draws of $\mathcal{N}(\mu, 1)$: its bias is $1/n$; the bagged estimate $\mathbb{E}^*[(\bar{x}^*)^2] = \bar{x}^2 + \hat{s}^2/n$ (with $\hat{s}^2$ the sample variance with divisor $n$) has bias $(2 - 1/n)/n$, almost double.

# %%
n_sq, mu_sq, R_sq, B_sq = 10, 1.0, 2000, 100
x_sq = rng.normal(mu_sq, 1.0, (R_sq, n_sq))
single_sq = x_sq.mean(axis=1) ** 2
boot_idx = rng.integers(0, n_sq, (R_sq, B_sq, n_sq))
bagged_sq = (np.take_along_axis(x_sq[:, None, :], boot_idx, axis=2).mean(axis=2) ** 2).mean(axis=1)
for est, theory, label in [
    (single_sq, 1 / n_sq, "x-bar squared has bias 1/n"),
    (bagged_sq, (2 - 1 / n_sq) / n_sq, "bagged x-bar squared has bias (2 - 1/n)/n"),
]:
    se = est.std(ddof=1) / np.sqrt(R_sq)
    check_close(est.mean() - mu_sq**2, theory, f"Monte Carlo: {label}", atol=4 * se)
diff = bagged_sq - single_sq
check(diff.mean() > 4 * diff.std(ddof=1) / np.sqrt(R_sq), "bagging changes (here raises) the bias of x-bar squared")
bind("bias_single", single_sq.mean() - mu_sq**2)
bind("bias_bagged", bagged_sq.mean() - mu_sq**2)
bind("n_sq", n_sq)

# %% [markdown]
# ## Bagging versus boosting
#
# The task is generated as in *The Elements of Statistical Learning* (§10.1, eq. 10.2; scikit-learn's `make_hastie_10_2`): ten standard normal features, and $y = 1$ when $\sum_j x_j^2 > \chi^2_{10}(0.5) \approx 9.34$, else $y = -1$.
# The boundary is a sphere, which an axis-aligned stump approximates very badly (high bias) and a deep tree approximates with high variance.
# We train on 2,000 examples and test on 10,000; the error rates below are this notebook's (one data draw, scikit-learn's trees), not the book's.

# %%
from sklearn.datasets import make_hastie_10_2
from sklearn.ensemble import AdaBoostClassifier

X, y = make_hastie_10_2(n_samples=12_000, random_state=0)
X_train, y_train, X_test, y_test = X[:2000], y[:2000], X[2000:], y[2000:]
n_est = 200
bind("n_train_h", len(y_train))
bind("n_test_h", len(y_test))
bind("n_est", n_est)

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
    wrong = np.where(votes >= 0, 1, -1) != y_test
    return wrong.mean(axis=1), wrong[-1], bag


err_bag_stump, wrong_bag_stump, bag_stump = bagging_curve(DecisionTreeClassifier(max_depth=1), n_est)
err_bag_deep, _, _ = bagging_curve(DecisionTreeClassifier(), n_est)
# scikit-learn's own predict averages the members' predicted probabilities (soft voting) instead of counting votes.
err_bag_stump_soft = np.mean(bag_stump.predict(X_test) != y_test)
ada = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=n_est, random_state=0).fit(X_train, y_train)
err_ada = np.array([np.mean(pred != y_test) for pred in ada.staged_predict(X_test)])

print(f"single stump {err_stump:.3f}, single deep tree {err_deep:.3f}")
print(
    f"after {n_est} estimators: bagged stumps {err_bag_stump[-1]:.3f}, bagged deep trees {err_bag_deep[-1]:.3f}, AdaBoost stumps {err_ada[-1]:.3f}"
)

# %% [markdown]
# The page's claims, on this task:
# bagging a stump does not lower its error (under 0-1 loss the vote can even make a poor classifier worse, as here);
# bagging deep trees cuts their error well below that of one deep tree (variance reduction);
# boosting stumps drives the error far below one stump's (bias reduction).

# %%
# Standard error of a difference of two test error rates on 10,000 examples is at most sqrt(2 * 0.25 / 10,000) = 0.007.
se_diff = np.sqrt(2 * 0.25 / len(y_test))
check(err_stump > 0.4, "a single stump is barely better than chance (error above 40%)")
# Paired comparisons on the same test points: SE of the mean difference of two error indicators.
wrong_stump = stump.predict(X_test) != y_test


def paired(wrong_a, wrong_b):
    d = wrong_a.astype(float) - wrong_b
    return d.mean(), d.std(ddof=1) / np.sqrt(len(d))


d_hard, se_hard = paired(wrong_bag_stump, wrong_stump)
d_soft, se_soft = paired(bag_stump.predict(X_test) != y_test, wrong_stump)
check(d_hard > 4 * se_hard, "a majority vote of bagged stumps is worse than one stump (0-1 loss: bagging can hurt)")
check(
    d_soft < -4 * se_soft, "averaging the bagged stumps' probabilities instead beats one stump: voting changes the rule"
)
check(err_bag_deep[-1] < err_deep - 0.05, "bagging deep trees lowers their error by more than 5 points")
check(err_ada[-1] < err_stump / 3, "AdaBoost with stumps cuts the stump's error by more than a factor of 3")
# More bagged trees do not overfit: after 100 trees the error stays within noise of its best value.
check(
    err_bag_deep[99:].max() - err_bag_deep[99:].min() < 4 * se_diff,
    f"the bagged deep trees' test error is flat from 100 to {n_est} trees (more trees do not overfit)",
)
# The out-of-bag error is a nearly free estimate of the test error (SE of the OOB estimate on 2,000 points ~ 0.008).
n_oob_trees = 50
bind("n_oob_trees", n_oob_trees)
bag_oob = BaggingClassifier(DecisionTreeClassifier(), n_estimators=n_oob_trees, oob_score=True, random_state=0)
bag_oob.fit(X_train, y_train)
err_oob = 1 - bag_oob.oob_score_
err_test_oob = np.mean(bag_oob.predict(X_test) != y_test)
se_oob = np.sqrt(err_oob * (1 - err_oob) / len(y_train) + err_test_oob * (1 - err_test_oob) / len(y_test))
check_close(err_oob, err_test_oob, "the out-of-bag error estimates the test error", atol=4 * se_oob)

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
# The error rates quoted on the page are bound to the values computed here.

# %%
for name, value in [
    ("err_stump", err_stump),
    ("err_deep", err_deep),
    ("err_bag_stump", err_bag_stump[-1]),
    ("err_bag_stump_soft", err_bag_stump_soft),
    ("err_bag_deep", err_bag_deep[-1]),
    ("err_ada", err_ada[-1]),
    ("err_oob", err_oob),
    ("err_test_oob", err_test_oob),
]:
    bind(name, value)

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
# Averaging $B$ estimators divides only the uncorrelated part of their variance by $B$; the correlated part $\rho\tau^2$ remains, which is why random forests decorrelate their trees.
# Bagging helps low-bias, high-variance learners such as deep trees and does not help a biased stump (here the vote is worse); boosting fits the stumps sequentially to the ensemble's mistakes and removes much of the bias.
