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
# # Evaluating a logistic regression: likelihoods, tests and calibration
#
# The notebook computes every number of the page's worked example (null log-likelihood, likelihood-ratio test, McFadden's pseudo-$R^2$, AIC, the Wald test and the odds-ratio interval, the cost-based threshold) and binds it for the page; the tail probabilities are computed by two routes.
# On simulated data they then verify the derivation: the gradient $\tilde{\mathbf X}^\top(\mathbf y - \mathbf p)$ and Hessian $-\tilde{\mathbf X}^\top \mathbf W \tilde{\mathbf X}$, the training mean prediction equal to the observed rate, Wald standard errors, Wilks' theorem, the Hosmer-Lemeshow reference distribution, the calibration slope, and the page's warnings about the Wald test, separation and collinearity.

# %%
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close
from scipy.special import expit, logit, xlogy
from scipy.stats import chi2, norm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss

rng = np.random.default_rng(0)


def fit_logistic(X1, y, max_iter=100):
    """Maximum-likelihood fit by Newton's method; X1 includes the column of ones."""
    theta = np.zeros(X1.shape[1])
    for _ in range(max_iter):
        p = expit(X1 @ theta)
        step = np.linalg.solve(X1.T @ (X1 * (p * (1 - p))[:, None]), X1.T @ (y - p))
        theta += step
        if np.max(np.abs(step)) < 1e-12:
            return theta
    raise RuntimeError("Newton's method did not converge")


def loglik(p, y):
    """Bernoulli log-likelihood, with 0 log 0 = 0."""
    return np.sum(xlogy(y, p) + xlogy(1 - y, 1 - p))


def wald_se(X1, theta):
    """Square roots of the diagonal of the inverse Fisher information X^T W X."""
    p = expit(X1 @ theta)
    return np.sqrt(np.diag(np.linalg.inv(X1.T @ (X1 * (p * (1 - p))[:, None]))))


# %% [markdown]
# ## The worked example
#
# $n = 1000$ examples, 200 positive, $d = 5$ features, fitted log-likelihood $-400.0$.
# The intercept-only model predicts $\bar y = 0.2$ for everyone; fitting it to 200 ones and 800 zeros confirms that.

# %%
n, n_pos, d, ell = 1000, 200, 5, -400.0
ybar = n_pos / n
ell0 = n * (ybar * np.log(ybar) + (1 - ybar) * np.log(1 - ybar))
y_ex = np.r_[np.ones(n_pos), np.zeros(n - n_pos)]
theta0 = fit_logistic(np.ones((n, 1)), y_ex)
check_close(expit(theta0[0]), 0.2, "the fitted intercept-only model predicts ybar = 0.2", rtol=1e-12)
check_close(
    loglik(np.full(n, expit(theta0[0])), y_ex),
    ell0,
    "its log-likelihood is n [ybar log ybar + (1 - ybar) log(1 - ybar)]",
    rtol=1e-12,
)
null_dev, resid_dev = -2 * ell0, -2 * ell

lr_stat = null_dev - resid_dev
lr_p = chi2.sf(lr_stat, df=d)
print(f"LR statistic {lr_stat:.3f} on {d} df, p = {lr_p:.3g}")
# Second route for the tail: for 5 degrees of freedom, P(chi2_5 > x) = 2 Phi(-sqrt x) + sqrt(2x/pi) e^(-x/2) (1 + x/3).
sf5 = 2 * norm.sf(np.sqrt(lr_stat)) + np.sqrt(2 * lr_stat / np.pi) * np.exp(-lr_stat / 2) * (1 + lr_stat / 3)
check_close(lr_p, sf5, "chi-squared(5) tail: scipy equals the closed form for odd degrees of freedom", rtol=1e-9)
check(np.floor(np.log10(lr_p)) == -41, f"the LR p-value {lr_p:.2e} has the page's exponent, 10^-41")

mcfadden = 1 - ell / ell0
n_par = d + 1
aic = 2 * n_par - 2 * ell
for name, value in [
    ("ex_d", d),
    ("ex_n", n),
    ("ex_pos", n_pos),
    ("ex_ell", ell),
    ("ex_ell_abs", -ell),
    ("ex_ybar", ybar),
    ("ex_ell0", ell0),
    ("ex_ell0_abs", -ell0),
    ("null_dev", null_dev),
    ("resid_dev", resid_dev),
    ("lr_stat", lr_stat),
    ("lr_p_mant", lr_p / 10.0 ** np.floor(np.log10(lr_p))),  # the page writes p = mant x 10^-41
    ("mcfadden", mcfadden),
    ("n_par", n_par),
    ("aic", aic),
    ("train_logloss", -ell / n),
    ("base_logloss", -ell0 / n),
]:
    bind(name, value)
check_close(
    log_loss(y_ex, np.full(n, 0.2)), -ell0 / n, "sklearn's log loss of the base-rate forecast is -l0/n", rtol=1e-12
)

w_j, se_j = 0.8, 0.25
z_j = w_j / se_j
p_j = 2 * norm.sf(z_j)
odds = np.exp(w_j)
ci = np.exp([w_j - 1.96 * se_j, w_j + 1.96 * se_j])
print(f"z = {z_j:.2f}, p = {p_j:.5f}, odds ratio {odds:.4f}, 95% interval [{ci[0]:.4f}, {ci[1]:.4f}]")
check_close(
    chi2.sf(z_j**2, df=1), p_j, "Wald p-value: chi-squared(1) tail of z^2 = two-sided normal tail of z", rtol=1e-10
)
for name, value in [
    ("w_j", w_j),
    ("se_j", se_j),
    ("z_j", z_j),
    ("p_j", p_j),
    ("odds", odds),
    ("ci_lo", ci[0]),
    ("ci_hi", ci[1]),
    ("z_crit", norm.ppf(0.975)),
    ("ci_pct", 100 * (2 * norm.cdf(1.96) - 1)),
]:
    bind(name, value)

c_fp, c_fn = 1.0, 5.0
t_cost = c_fp / (c_fp + c_fn)
bind("cost_ratio", c_fn / c_fp)
bind("t_cost", t_cost)
bind("t_default", 0.5)

# The page's dated claim: scikit-learn's LogisticRegression penalises by default (C = 1, a pure L2 penalty).
defaults = LogisticRegression().get_params()
print("LogisticRegression defaults:", {key: defaults.get(key) for key in ("penalty", "C", "l1_ratio")})
check(
    defaults["C"] == 1.0
    and defaults.get("l1_ratio") in (None, 0.0)
    and defaults.get("penalty") in ("l2", "deprecated"),
    "scikit-learn's LogisticRegression() defaults to an L2 penalty with C = 1.0",
)

# %% [markdown]
# The threshold minimises the expected cost for calibrated probabilities: with expected counts over 100,001 probabilities spread evenly on $[0, 1]$, predicting positive above $t$ costs $\sum_{p_i < t} 5 p_i + \sum_{p_i \ge t} (1 - p_i)$, smallest at $t = 1/6$; with equal costs the minimiser is 0.5.

# %%
p_grid = np.linspace(0, 1, 100_001)
for cfp, cfn, t_expected in ((1.0, 5.0, 1 / 6), (1.0, 1.0, 0.5)):
    cost = np.array(
        [np.sum(cfn * p_grid[p_grid < t]) + np.sum(cfp * (1 - p_grid[p_grid >= t])) for t in np.linspace(0, 1, 601)]
    )
    t_best = np.linspace(0, 1, 601)[np.argmin(cost)]
    check_close(
        t_best,
        t_expected,
        f"c_FP = {cfp:g}, c_FN = {cfn:g}: the expected-cost-minimising threshold is c_FP/(c_FP + c_FN) = {t_expected:.3f}",
        atol=1 / 600,
    )

# %% [markdown]
# ## A simulated fit for the derivation
#
# 1,000 examples with five standard-normal features and true coefficients $(-1.8, 0.8, -0.5, 0.3, 0, 0)$ (intercept first); about 17% are positive.
# Newton's method gives the maximum-likelihood estimate to machine precision, and scikit-learn's unpenalised fit agrees with it.

# %%
theta_true = np.array([-1.8, 0.8, -0.5, 0.3, 0.0, 0.0])
X1 = np.c_[np.ones(n), rng.normal(size=(n, d))]
y = (rng.random(n) < expit(X1 @ theta_true)).astype(float)
theta_hat = fit_logistic(X1, y)
p_hat = expit(X1 @ theta_hat)
print(f"{int(y.sum())} positives; theta_hat = {np.round(theta_hat, 3)}")
sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X1[:, 1:], y)
check_close(
    np.r_[sk.intercept_, sk.coef_.ravel()],
    theta_hat,
    "sklearn's unpenalised fit = Newton's maximum-likelihood estimate",
    atol=1e-5,
)
check_close(log_loss(y, p_hat), -loglik(p_hat, y) / n, "step 1: log loss = -l(theta)/n", rtol=1e-12)

# %% [markdown]
# ### Gradient and Hessian
#
# Symbolically, the derivative of one example's log-likelihood with respect to $z$ is $y - \sigma(z)$ and the second derivative is $-\sigma(z)(1 - \sigma(z))$; numerically, central finite differences of $\ell$ match $\tilde{\mathbf X}^\top(\mathbf y - \mathbf p)$ and of the gradient match $-\tilde{\mathbf X}^\top \mathbf W \tilde{\mathbf X}$ at a point away from the optimum.

# %%
zs, ys = sp.symbols("z y", real=True)
sig = 1 / (1 + sp.exp(-zs))
ell_i = ys * sp.log(sig) + (1 - ys) * sp.log(1 - sig)
check(sp.simplify(sp.diff(ell_i, zs) - (ys - sig)) == 0, "d/dz [y log s(z) + (1 - y) log(1 - s(z))] = y - s(z)")
check(sp.simplify(sp.diff(sig, zs) - sig * (1 - sig)) == 0, "s'(z) = s(z)(1 - s(z))")
check(sp.simplify(sp.diff(ell_i, zs, 2) + sig * (1 - sig)) == 0, "the second derivative is -s(z)(1 - s(z)), free of y")

theta_a = theta_hat + rng.normal(0, 0.3, size=d + 1)  # any point


def grad(theta):
    return X1.T @ (y - expit(X1 @ theta))


eps = 1e-6
num_grad = np.array(
    [
        (loglik(expit(X1 @ (theta_a + eps * e)), y) - loglik(expit(X1 @ (theta_a - eps * e)), y)) / (2 * eps)
        for e in np.eye(d + 1)
    ]
)
check_close(num_grad, grad(theta_a), "step 2: the gradient of l is X^T (y - p)", rtol=1e-6, atol=1e-5)
p_a = expit(X1 @ theta_a)
hess = -X1.T @ (X1 * (p_a * (1 - p_a))[:, None])
num_hess = np.array([(grad(theta_a + eps * e) - grad(theta_a - eps * e)) / (2 * eps) for e in np.eye(d + 1)])
check_close(num_hess, hess, "step 4: the Hessian of l is -X^T W X", rtol=1e-6, atol=1e-4)

# %% [markdown]
# ### The fit reproduces the observed rate on the training data
#
# At the maximum the gradient vanishes: the mean prediction equals $\bar y$ and the feature-weighted totals match.
# Consequently, refitting $y$ on the model's own logit on the training data gives calibration intercept 0 and slope exactly 1; on a held-out set an overfitted model has a slope below 1.

# %%
# Step 3 with an independent optimiser (scikit-learn's lbfgs, unpenalised): the mean prediction equals ybar, and
# it does so because of the intercept; without one (fit_intercept=False) it does not.
with_b = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X1[:, 1:], y)
without_b = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000, fit_intercept=False).fit(X1[:, 1:], y)
mean_with = with_b.predict_proba(X1[:, 1:])[:, 1].mean()
mean_without = without_b.predict_proba(X1[:, 1:])[:, 1].mean()
print(f"ybar {y.mean():.4f}; mean prediction with intercept {mean_with:.6f}, without {mean_without:.4f}")
check_close(mean_with, y.mean(), "step 3: with an intercept the training mean prediction equals ybar", atol=1e-6)
check(abs(mean_without - y.mean()) > 0.05, "without an intercept it does not (here by more than 0.05)")
# Derivation check (true for any fit with an intercept): recalibrating on the training data gives (0, 1).
recal = fit_logistic(np.c_[np.ones(n), logit(p_hat)], y)
check_close(recal, [0.0, 1.0], "on the training data the calibration intercept is 0 and the slope 1", atol=1e-9)

# An overfitted model: 300 training examples, 3 real and 30 noise features; calibration slope on 20,000 new examples.
theta_of = np.r_[-0.5, 1.0, -1.0, 0.5, np.zeros(30)]
X_tr = np.c_[np.ones(300), rng.normal(size=(300, 33))]
X_te = np.c_[np.ones(20_000), rng.normal(size=(20_000, 33))]
y_tr = (rng.random(300) < expit(X_tr @ theta_of)).astype(float)
y_te = (rng.random(20_000) < expit(X_te @ theta_of)).astype(float)
th_of = fit_logistic(X_tr, y_tr)
slope_te = fit_logistic(np.c_[np.ones(20_000), X_te @ th_of], y_te)[1]
print(f"overfitted model: calibration slope on test data {slope_te:.3f}")
check(
    slope_te < 0.8, "33 features on 300 examples: the test calibration slope is well below 1 (predictions too extreme)"
)

# %% [markdown]
# ### Base-rate scores on held-out data
#
# The baseline forecast is the training rate $\bar y$; on a test set with positive rate $\bar y_{\text{te}}$ it scores the Brier score $\bar y_{\text{te}}(1 - \bar y_{\text{te}}) + (\bar y - \bar y_{\text{te}})^2$ and the log loss $-[\bar y_{\text{te}}\log\bar y + (1-\bar y_{\text{te}})\log(1-\bar y)]$, which reduce to $\bar y(1-\bar y)$ and the entropy of $\bar y$ only when the two rates coincide.
# Checked against scikit-learn on 400 held-out examples drawn from the same model (whose rate differs from the training rate by sampling alone).

# %%
yb = y.mean()
X_ho = np.c_[np.ones(400), rng.normal(size=(400, d))]
y_ho = (rng.random(400) < expit(X_ho @ theta_true)).astype(float)
yt = y_ho.mean()
brier_ho = brier_score_loss(y_ho, np.full(y_ho.size, yb))
check_close(
    brier_ho,
    yt * (1 - yt) + (yb - yt) ** 2,
    "held-out base-rate Brier = ybar_te(1 - ybar_te) + (ybar - ybar_te)^2",
    rtol=1e-12,
)
check_close(
    log_loss(y_ho, np.full(y_ho.size, yb)),
    -(yt * np.log(yb) + (1 - yt) * np.log(1 - yb)),
    "held-out base-rate log loss = -[ybar_te log ybar + (1 - ybar_te) log(1 - ybar)]",
    rtol=1e-12,
)
# The training-data formula ybar(1 - ybar) is off here by (ybar_te - ybar)(1 - 2 ybar), which can have either sign;
# it must be visibly wrong on this held-out set, or the check above would not distinguish the two formulas.
check(
    abs(brier_ho - yb * (1 - yb)) > 1e-3,
    f"ybar(1 - ybar) = {yb * (1 - yb):.4f} misstates the held-out baseline Brier score {brier_ho:.4f}",
)

# %% [markdown]
# ### Coefficients as log-odds
#
# Raising $x_j$ by one unit adds $w_j$ to the log-odds (multiplies the odds by $e^{w_j}$) wherever the example sits, while the change in probability depends on the starting point.

# %%
# Checked with scikit-learn's predicted probabilities (its own fit and predict_proba), at 200 random points:
# the odds ratio for one unit more of x_j is exp(coef_j) at every point, the probability change is not.
j = 1
pts = rng.normal(size=(200, d)) * 2
pts_plus = pts + np.eye(d)[j - 1]
pr, pr_plus = with_b.predict_proba(pts)[:, 1], with_b.predict_proba(pts_plus)[:, 1]
odds_ratio = (pr_plus / (1 - pr_plus)) / (pr / (1 - pr))
check_close(
    odds_ratio,
    np.exp(with_b.coef_[0, j - 1]),
    "one unit more of x_j multiplies the odds by e^(w_j) at every point",
    rtol=1e-8,
)
dp = pr_plus - pr
check(dp.max() - dp.min() > 0.05, f"but the change in probability ranges from {dp.min():.3f} to {dp.max():.3f}")

# %% [markdown]
# ## Wald standard errors, deviance and Wilks' theorem by simulation
#
# Keeping the 1,000 feature vectors fixed and redrawing the labels from the true model 1,000 times: the spread of $\hat{\boldsymbol\theta}$ matches the Wald standard errors $\sqrt{[(\tilde{\mathbf X}^\top \mathbf W \tilde{\mathbf X})^{-1}]_{jj}}$, the Wald intervals cover about 95% of the time, and the likelihood-ratio statistic for the two zero coefficients behaves like $\chi^2_2$.
# The Hosmer-Lemeshow statistic with 10 groups behaves like $\chi^2_8$ under the correct model.


# %%
def hosmer_lemeshow(p, y, groups=10):
    stat = 0.0
    for idx in np.array_split(np.argsort(p, kind="stable"), groups):
        n_k, pi_k, o_k = len(idx), p[idx].mean(), y[idx].sum()
        stat += (o_k - n_k * pi_k) ** 2 / (n_k * pi_k * (1 - pi_k))
    return stat


reps = 1000
p_true = expit(X1 @ theta_true)
thetas, covered, lr_stats, hl_stats = [], [], [], []
for _ in range(reps):
    y_r = (rng.random(n) < p_true).astype(float)
    th = fit_logistic(X1, y_r)
    se = wald_se(X1, th)
    thetas.append(th)
    covered.append(np.abs(th - theta_true) <= 1.96 * se)
    th_small = fit_logistic(X1[:, :4], y_r)  # drops the two features whose true coefficients are 0
    lr_stats.append(2 * (loglik(expit(X1 @ th), y_r) - loglik(expit(X1[:, :4] @ th_small), y_r)))
    hl_stats.append(hosmer_lemeshow(expit(X1 @ th), y_r))
thetas, covered, lr_stats, hl_stats = map(np.array, (thetas, covered, lr_stats, hl_stats))
se_true = wald_se(X1, theta_true)
print("empirical SD of theta_hat:", np.round(thetas.std(axis=0, ddof=1), 4))
print("Wald SE at the truth:     ", np.round(se_true, 4))
check_close(
    thetas.std(axis=0, ddof=1),
    se_true,
    "step 5: the sampling SD of each coefficient matches the Wald standard error (within 10%)",
    rtol=0.10,
)
check_close(
    covered.mean(axis=0),
    np.full(d + 1, 0.95),
    "Wald 95% intervals cover each true coefficient about 95% of the time (+/- 0.03)",
    atol=0.03,
)
tol_rate = 4 * np.sqrt(0.05 * 0.95 / reps)
print(f"LR statistic: mean {lr_stats.mean():.3f}, rejection rate at 5% {np.mean(lr_stats > chi2.ppf(0.95, 2)):.3f}")
check_close(
    lr_stats.mean(),
    2.0,
    "step 7: with 2 zero coefficients the LR statistic has mean about 2, as chi-squared(2)",
    atol=4 * 2 / np.sqrt(reps),
)
check_close(
    np.mean(lr_stats > chi2.ppf(0.95, 2)),
    0.05,
    "and the LR test rejects about 5% of the time at level 0.05",
    atol=tol_rate,
)
print(f"Hosmer-Lemeshow: mean {hl_stats.mean():.3f}, rejection rate at 5% {np.mean(hl_stats > chi2.ppf(0.95, 8)):.3f}")
check_close(
    hl_stats.mean(),
    8.0,
    "Hosmer-Lemeshow with g = 10 groups: mean about g - 2 = 8 under the correct model",
    atol=4 * 4 / np.sqrt(reps),
)
check_close(
    np.mean(hl_stats > chi2.ppf(0.95, 8)),
    0.05,
    "and it rejects about 5% of the time against chi-squared(8)",
    atol=tol_rate,
)

# %% [markdown]
# ## Deviance and the bounds of McFadden's pseudo-R squared
#
# The saturated model predicts $p_i = y_i$ and has log-likelihood 0 (with $0 \log 0 = 0$), so the deviance is $-2\ell$; and $\ell_0 \le \ell(\hat{\boldsymbol\theta}) \le 0$ puts $R^2_{\mathrm{McF}}$ between 0 and 1.

# %%
# Step 6 against scikit-learn: 2 n log_loss (its deviance) equals -2 l(theta_hat) computed from the Bernoulli sum.
check_close(2 * n * log_loss(y, p_hat), -2 * loglik(p_hat, y), "step 6: the deviance is -2 l(theta_hat)", rtol=1e-12)
ell_hat, ell_null = loglik(p_hat, y), loglik(np.full(n, y.mean()), y)
print(f"McFadden's pseudo-R^2 of the simulated fit: {1 - ell_hat / ell_null:.3f}")

# %% [markdown]
# ## The Wald statistic can shrink as the effect grows
#
# For an intercept-only model on 100 examples with observed rate $\hat p$, the Wald statistic for $\theta = 0$ is $\mathrm{logit}(\hat p)\sqrt{n\hat p(1-\hat p)}$ and the likelihood-ratio statistic is $2[\ell(\hat p) - \ell(0.5)]$.
# As $\hat p$ moves from 0.5 towards 1 the evidence grows and the LR statistic rises steadily, but the Wald statistic peaks and then falls (Hauck and Donner).

# %%
n_hd = 100
p_obs = np.arange(51, 100) / n_hd
wald = logit(p_obs) * np.sqrt(n_hd * p_obs * (1 - p_obs))
lr = 2 * n_hd * (p_obs * np.log(p_obs / 0.5) + (1 - p_obs) * np.log((1 - p_obs) / 0.5))
check(np.all(np.diff(lr) > 0), "the likelihood-ratio statistic increases with the effect")
peak = int(np.argmax(wald))
check(
    0 < peak < len(wald) - 1 and wald[-1] < wald[peak],
    f"the Wald statistic peaks at p_hat = {p_obs[peak]:.2f} and then falls ({wald[peak]:.2f} -> {wald[-1]:.2f} at p_hat = 0.99)",
)

# %% [markdown]
# ## Separation and collinearity
#
# When a feature separates the classes perfectly, scaling up its coefficient always raises the likelihood towards 0, so no maximum exists.
# A nearly duplicated feature inflates the standard errors of both copies without changing the predictions much.

# %%
x_sep = np.r_[rng.uniform(-2, -0.1, 50), rng.uniform(0.1, 2, 50)]
y_sep = np.r_[np.zeros(50), np.ones(50)]
scales = np.array([1, 2, 5, 10, 20, 50])
ll_sep = np.array([loglik(expit(s * x_sep), y_sep) for s in scales])
check(
    np.all(np.diff(ll_sep) > 0) and ll_sep[-1] > -1e-1,
    "separated data: l(c w) keeps increasing towards 0 as c grows, so the MLE does not exist",
)
r2_sep = 1 - ll_sep / loglik(np.full(100, 0.5), y_sep)
check(
    np.all(np.diff(r2_sep) > 0) and r2_sep[-1] > 0.99,
    "step 8: McFadden's R^2 approaches 1 only as the separating fit scales up",
)

x_twin = X1[:, 1] + 0.05 * rng.normal(size=n)  # almost a copy of feature 1
X1_twin = np.c_[X1, x_twin]
th_twin = fit_logistic(X1_twin, y)
inflation = wald_se(X1_twin, th_twin)[1] / wald_se(X1, theta_hat)[1]
p_twin = expit(X1_twin @ th_twin)
print(
    f"collinearity: SE of feature 1 inflated by a factor {inflation:.1f}; log loss {log_loss(y, p_hat):.4f} -> {log_loss(y, p_twin):.4f}"
)
check(inflation > 5, "a near-copy of a feature inflates its standard error more than fivefold")
check_close(log_loss(y, p_twin), log_loss(y, p_hat), "while the fitted log loss hardly changes (within 1%)", rtol=0.01)
# ... on data with the same correlation structure. Where the twin no longer follows feature 1, the unstable
# coefficients show: 20,000 new points, with the twin drawn independently of feature 1.
X_new = np.c_[np.ones(20_000), rng.normal(size=(20_000, d))]
y_new = (rng.random(20_000) < expit(X_new @ theta_true)).astype(float)
same = np.c_[X_new, X_new[:, 1] + 0.05 * rng.normal(size=20_000)]
broken = np.c_[X_new, rng.normal(size=20_000)]
ll_base = log_loss(y_new, expit(X_new @ theta_hat))
ll_same = log_loss(y_new, expit(same @ th_twin))
ll_broken = log_loss(y_new, expit(broken @ th_twin))
print(f"new data log loss: base {ll_base:.4f}, twin model {ll_same:.4f} (same structure), {ll_broken:.4f} (broken)")
check_close(
    ll_same, ll_base, "on new data with the same correlation the twin model predicts as well (within 1%)", rtol=0.01
)
check(ll_broken > 1.1 * ll_base, "where the correlation breaks, its log loss is more than 10% worse")

# %% [markdown]
# ## Hosmer-Lemeshow in large samples
#
# A trivial misspecification (the true log-odds have a term $0.05\,x_1^2$ that the model omits) changes the probabilities by well under 0.01, yet with $n = 10^6$ the Hosmer-Lemeshow test rejects it, while at $n = 1000$ it rejects at about its nominal 5 % rate (200 repetitions; tolerance 4 binomial standard errors).


# %%
def hl_pvalue(n_rows, r):
    X = np.c_[np.ones(n_rows), r.normal(size=(n_rows, 2))]
    p_true = expit(X @ [-1.0, 0.8, -0.5] + 0.05 * X[:, 1] ** 2)
    y_r = (r.random(n_rows) < p_true).astype(float)
    p_fit = expit(X @ fit_logistic(X, y_r))
    return chi2.sf(hosmer_lemeshow(p_fit, y_r), 8), np.mean(np.abs(p_fit - p_true))


p_big, gap_big = hl_pvalue(1_000_000, np.random.default_rng(7))
print(f"n = 10^6: HL p-value {p_big:.2g}; mean |p_fit - p_true| = {gap_big:.4f}")
check(gap_big < 0.01 and p_big < 1e-3, "n = 10^6: a misfit below 0.01 in probability is rejected (p < 0.001)")
small = np.array([hl_pvalue(1000, np.random.default_rng(1000 + i))[0] for i in range(200)])
rate_small = np.mean(small < 0.05)
check(
    rate_small < 0.05 + 4 * np.sqrt(0.05 * 0.95 / 200),
    f"n = 1000: the same misfit is rejected {rate_small:.1%} of the time",
)
