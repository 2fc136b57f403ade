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
# The checks recompute every number of the page's worked example (null log-likelihood $-500.40$, likelihood-ratio statistic $200.80$, McFadden's pseudo-$R^2$ of 0.201, AIC 812.0, the Wald test and the odds-ratio interval $[1.36, 3.63]$, the cost-based threshold 0.167).
# On simulated data they then verify the derivation: the gradient $\tilde{\mathbf X}^\top(\mathbf y - \mathbf p)$ and Hessian $-\tilde{\mathbf X}^\top \mathbf W \tilde{\mathbf X}$, the training mean prediction equal to the observed rate, Wald standard errors, Wilks' theorem, the Hosmer-Lemeshow reference distribution, the calibration slope, and the page's warnings about the Wald test, separation and collinearity.

# %%
import numpy as np
import sympy as sp
from handbook_nb import check, check_close
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
check_close(ell0, -500.40, "l0 = 1000 (0.2 log 0.2 + 0.8 log 0.8) = -500.40", atol=5e-3)
null_dev, resid_dev = -2 * ell0, -2 * ell
check_close([null_dev, resid_dev], [1000.80, 800.00], "null deviance 1000.80, residual deviance 800.00", atol=5e-3)

lr_stat = null_dev - resid_dev
lr_p = chi2.sf(lr_stat, df=d)
print(f"LR statistic {lr_stat:.3f} on {d} df, p = {lr_p:.3g}")
check_close(lr_stat, 200.80, "likelihood-ratio statistic 1000.80 - 800.00 = 200.80", atol=5e-3)
check_close(lr_p, 2e-41, "p-value about 2e-41 (one significant digit)", rtol=0.25)

mcfadden = 1 - ell / ell0
k = d + 1
aic = 2 * k - 2 * ell
check_close(mcfadden, 0.201, "McFadden's pseudo-R^2 = 1 - 400.0/500.40 = 0.201", atol=5e-4)
check(k == 6, "five features and an intercept: k = 6 parameters")
check_close(aic, 812.0, "AIC = 2 * 6 + 800.0 = 812.0", rtol=1e-12)
check_close(-ell / n, 0.400, "training log loss 400.0/1000 = 0.400", rtol=1e-12)
check_close(-ell0 / n, 0.500, "base-rate log loss 0.500 for always predicting 0.2", atol=5e-4)
check_close(
    log_loss(y_ex, np.full(n, 0.2)), -ell0 / n, "sklearn's log loss of the base-rate forecast is -l0/n", rtol=1e-12
)

w_j, se_j = 0.8, 0.25
z_j = w_j / se_j
p_j = 2 * norm.sf(z_j)
odds = np.exp(w_j)
ci = np.exp([w_j - 1.96 * se_j, w_j + 1.96 * se_j])
print(f"z = {z_j:.2f}, p = {p_j:.5f}, odds ratio {odds:.4f}, 95% interval [{ci[0]:.4f}, {ci[1]:.4f}]")
check_close(z_j, 3.2, "z = 0.8/0.25 = 3.2", rtol=1e-12)
check_close(p_j, 0.0014, "two-sided p-value 0.0014", atol=5e-5)
check_close(odds, 2.23, "odds ratio e^0.8 = 2.23", atol=5e-3)
check_close(odds, 2.2, "about 2.2 per standard deviation of a standardised feature", atol=0.05)
check_close(ci, [1.36, 3.63], "95% interval [e^(0.8 - 1.96 * 0.25), e^(0.8 + 1.96 * 0.25)] = [1.36, 3.63]", atol=5e-3)

c_fp, c_fn = 1.0, 5.0
t_cost = c_fp / (c_fp + c_fn)
check_close(t_cost, 0.167, "a miss costing five false alarms: threshold 1/(1 + 5) = 0.167", atol=5e-4)

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
check(np.all(np.linalg.eigvalsh(hess) <= 0), "the Hessian is negative semidefinite, so l is concave")

# %% [markdown]
# ### The fit reproduces the observed rate on the training data
#
# At the maximum the gradient vanishes: the mean prediction equals $\bar y$ and the feature-weighted totals match.
# Consequently, refitting $y$ on the model's own logit on the training data gives calibration intercept 0 and slope exactly 1; on a held-out set an overfitted model has a slope below 1.

# %%
check_close(grad(theta_hat), np.zeros(d + 1), "step 3: the gradient X^T (y - p_hat) is zero at the fit", atol=1e-9)
check_close(
    p_hat.mean(), y.mean(), "step 3: on the training data the mean prediction equals the observed rate", rtol=1e-12
)
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
# ### Base-rate scores
#
# Predicting $\bar y$ for everyone gives the Brier score $\bar y(1 - \bar y)$ and the log loss $-[\bar y\log\bar y + (1-\bar y)\log(1-\bar y)]$.

# %%
yb = y.mean()
check_close(
    brier_score_loss(y, np.full(n, yb)),
    yb * (1 - yb),
    "the base-rate forecast's Brier score is ybar (1 - ybar)",
    rtol=1e-12,
)
check_close(
    log_loss(y, np.full(n, yb)),
    -(yb * np.log(yb) + (1 - yb) * np.log(1 - yb)),
    "and its log loss is -[ybar log ybar + (1 - ybar) log(1 - ybar)]",
    rtol=1e-12,
)

# %% [markdown]
# ### Coefficients as log-odds
#
# Raising $x_j$ by one unit adds $w_j$ to the log-odds (multiplies the odds by $e^{w_j}$) wherever the example sits, while the change in probability depends on the starting point.

# %%
j = 1
x_a = X1[0].copy()
x_a_plus = x_a + np.eye(d + 1)[j]  # one unit more of feature j
check_close(
    logit(expit(x_a_plus @ theta_hat)) - logit(expit(x_a @ theta_hat)),
    theta_hat[j],
    "one unit more of x_j adds w_j to the log-odds",
    rtol=1e-9,
)
x_far = x_a.copy()
x_far[2] += 5.0
dp_near = expit(x_a @ theta_hat + theta_hat[j]) - expit(x_a @ theta_hat)
dp_far = expit(x_far @ theta_hat + theta_hat[j]) - expit(x_far @ theta_hat)
check_close(
    np.exp(logit(expit(x_far @ theta_hat + theta_hat[j])) - logit(expit(x_far @ theta_hat))),
    np.exp(theta_hat[j]),
    "the odds ratio e^(w_j) is the same at another point",
    rtol=1e-9,
)
check(abs(dp_near - dp_far) > 0.01, f"but the change in probability differs ({dp_near:.3f} against {dp_far:.3f})")

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
check(loglik(y, y) == 0.0, "step 6: the saturated model's log-likelihood is 0, so D = -2 l(theta_hat)")
ell_hat, ell_null = loglik(p_hat, y), loglik(np.full(n, y.mean()), y)
check(ell_null <= ell_hat <= 0, f"step 8: l0 = {ell_null:.2f} <= l(theta_hat) = {ell_hat:.2f} <= 0")
r2 = 1 - ell_hat / ell_null
check(0 <= r2 <= 1, f"McFadden's pseudo-R^2 of the simulated fit is {r2:.3f}, in [0, 1]")

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
