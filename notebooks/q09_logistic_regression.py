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
# # Logistic regression from scratch: gradient ascent on the log-likelihood
#
# The figures show the decision boundary that gradient ascent finds on 2-D data and the loss falling to the optimum.
# The checks prove the page's formulas: the sigmoid-derivative identity (symbolically), the gradient $\mathbf{X}^\top(\mathbf{y} - \sigma(\mathbf{X}\mathbf{w}))$ and the Hessian (against finite differences), agreement with scikit-learn's unpenalised fit, the vanishing gradient of squared error, and the non-existence of the maximum-likelihood estimate on separable data.
# A last section checks the generative-discriminative link used on the generative-vs-discriminative page and compares naive Bayes with logistic regression as the training set grows.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import check, check_close, save_figure
from scipy.special import expit
from scipy.stats import multivariate_normal
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import BernoulliNB

rng = np.random.default_rng(0)

# %% [markdown]
# ## The sigmoid and its derivative, symbolically
#
# With $\sigma(z) = 1/(1 + e^{-z})$ the page claims $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, and that the per-example log-likelihood
# $y \log \sigma(z) + (1 - y)\log(1 - \sigma(z))$ equals $y z - \log(1 + e^{z})$ for $y \in \{0, 1\}$.

# %%
z, yy = sp.symbols("z y", real=True)
s = 1 / (1 + sp.exp(-z))
check(
    sp.simplify(sp.diff(s, z) - s * (1 - s)) == 0,
    "sympy: d/dz sigma(z) - sigma(z)(1 - sigma(z)) simplifies to 0",
)

per_example = yy * sp.log(s) + (1 - yy) * sp.log(1 - s)
compact = yy * z - sp.log(1 + sp.exp(z))
for label in (0, 1):
    diff = sp.simplify(sp.expand_log(sp.exp(per_example.subs(yy, label) - compact.subs(yy, label)), force=True))
    check(
        sp.simplify(diff - 1) == 0,
        f"sympy: for y = {label}, y log sigma + (1-y) log(1-sigma) = y z - log(1 + e^z)",
    )
check(
    sp.simplify(sp.diff(sp.log(1 + sp.exp(z)), z) - s) == 0,
    "sympy: d/dz log(1 + e^z) = sigma(z)",
)

# %% [markdown]
# ## Data
#
# Two overlapping Gaussian classes in the plane, 100 points each.
# Overlap matters: on linearly separable data the maximum-likelihood estimate does not exist (checked at the end).

# %%
n_per = 100
cov = np.array([[1.5, 0.5], [0.5, 1.0]])
chol = np.linalg.cholesky(cov)
X = np.vstack(
    [
        rng.normal(size=(n_per, 2)) @ chol.T + [-1.0, -1.0],
        rng.normal(size=(n_per, 2)) @ chol.T + [1.0, 1.0],
    ]
)
y = np.r_[np.zeros(n_per), np.ones(n_per)]
n = len(y)
X1 = np.hstack([X, np.ones((n, 1))])  # augmented inputs: the last weight is the bias b


def log_lik(w):
    """l(w) = sum_i [y_i z_i - log(1 + e^{z_i})], z_i = w^T x_i (stable log-sum-exp)."""
    zz = X1 @ w
    return np.sum(y * zz - np.logaddexp(0.0, zz))


def grad(w):
    """Analytic gradient X^T (y - sigma(X w))."""
    return X1.T @ (y - expit(X1 @ w))


def hessian(w):
    """Analytic Hessian -X^T S X with S = diag(p_i (1 - p_i))."""
    p = expit(X1 @ w)
    return -(X1.T * (p * (1 - p))) @ X1


# %% [markdown]
# ## The gradient and Hessian against central finite differences
#
# At a random point $\mathbf{w}$, each partial derivative is approximated by $(\ell(\mathbf{w} + h\mathbf{e}_j) - \ell(\mathbf{w} - h\mathbf{e}_j))/(2h)$ with $h = 10^{-5}$, whose error is $O(h^2)$.

# %%
w0 = rng.normal(size=3)
h = 1e-5
eye = np.eye(3)
fd_grad = np.array([(log_lik(w0 + h * e) - log_lik(w0 - h * e)) / (2 * h) for e in eye])
check_close(
    grad(w0),
    fd_grad,
    "gradient X^T(y - sigma(Xw)) matches central differences (rtol 1e-6)",
    rtol=1e-6,
)
fd_hess = np.array([(grad(w0 + h * e) - grad(w0 - h * e)) / (2 * h) for e in eye])
check_close(
    hessian(w0),
    fd_hess,
    "Hessian -X^T S X matches central differences of the gradient (rtol 1e-6)",
    rtol=1e-6,
)
check(
    np.all(np.linalg.eigvalsh(hessian(w0)) < 0),
    "the Hessian is negative definite here, so l(w) is concave",
)

# %% [markdown]
# ## Gradient ascent
#
# We maximise the average log-likelihood $\ell(\mathbf{w})/n$ with the update $\mathbf{w} \leftarrow \mathbf{w} + \eta \, \mathbf{X}^\top(\mathbf{y} - \sigma(\mathbf{X}\mathbf{w}))/n$.
# Because $p_i(1 - p_i) \le 1/4$, the curvature of $\ell/n$ is at most $L = \lambda_{\max}(\mathbf{X}^\top\mathbf{X})/(4n)$, and any step $\eta \le 1/L$ makes the objective increase at every iteration.

# %%
L_smooth = np.linalg.eigvalsh(X1.T @ X1).max() / (4 * n)


def gradient_ascent(eta, iters):
    w = np.zeros(3)
    history = [log_lik(w) / n]
    for _ in range(iters):
        w = w + eta * grad(w) / n
        history.append(log_lik(w) / n)
    return w, np.array(history)


w_hat, hist_fast = gradient_ascent(1.0 / L_smooth, 1000)
_, hist_slow = gradient_ascent(0.25 / L_smooth, 1000)
check(
    np.all(np.diff(hist_fast) >= -1e-14) and np.all(np.diff(hist_slow) >= -1e-14),
    "with eta <= 1/L the log-likelihood never decreases",
)
check(
    np.linalg.norm(grad(w_hat)) / n < 1e-10,
    "after 1,000 steps the gradient is zero to 1e-10",
)

sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)  # C = inf: no penalty
w_sk = np.r_[sk.coef_.ravel(), sk.intercept_]
check_close(
    w_hat,
    w_sk,
    "from-scratch weights and bias equal scikit-learn's unpenalised fit (rtol 1e-6)",
    rtol=1e-6,
)
check(
    np.array_equal((X1 @ w_hat > 0).astype(float), sk.predict(X)),
    "identical training-set predictions",
)
train_acc = np.mean((X1 @ w_hat > 0) == y)
check(
    train_acc < 1.0,
    f"the classes overlap (training accuracy {train_acc:.3f} < 1), so the MLE exists",
)

# %% [markdown]
# Newton's method uses the Hessian as well, $\mathbf{w} \leftarrow \mathbf{w} - \mathbf{H}^{-1}\nabla\ell$; this is iteratively reweighted least squares (IRLS) and converges in a handful of steps.

# %%
w_newton = np.zeros(3)
for _ in range(8):
    w_newton = w_newton - np.linalg.solve(hessian(w_newton), grad(w_newton))
check_close(
    w_newton,
    w_sk,
    "8 Newton (IRLS) steps reach the same optimum (rtol 1e-6)",
    rtol=1e-6,
)

# %% [markdown]
# ## Figure: the decision boundary
#
# The boundary is the line $\mathbf{w}^\top\mathbf{x} + b = 0$, where $\sigma = 0.5$; the dotted lines are the contours $\sigma = 0.1$ and $\sigma = 0.9$.

# %%
w1, w2, b = w_hat
fig, ax = plt.subplots()
ax.scatter(X[y == 0, 0], X[y == 0, 1], s=14, label="class 0")
ax.scatter(X[y == 1, 0], X[y == 1, 1], s=14, marker="^", label="class 1")
xs = np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 2)
for level, style in ((0.5, "-"), (0.1, ":"), (0.9, ":")):
    logit = np.log(level / (1 - level))
    ax.plot(
        xs,
        (logit - b - w1 * xs) / w2,
        style,
        color="black",
        label="P(y=1 | x) = 0.5" if level == 0.5 else None,
    )
ax.plot([], [], ":", color="black", label="P(y=1 | x) = 0.1 and 0.9")
ax.set_xlim(xs[0], xs[-1])
ax.set_ylim(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
ax.set_xlabel("feature $x_1$")
ax.set_ylabel("feature $x_2$")
_ = ax.set_title("Logistic regression fitted by gradient ascent")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize=9)
save_figure(fig, "decision-boundary")

# %% [markdown]
# ## Figure: the loss curve
#
# Left: the average cross-entropy $J = -\ell/n$ per iteration.
# Right: the gap to the optimum on a log scale (drawn down to $10^{-13}$, below which float64 rounding dominates); a straight line means linear convergence, and the larger step converges faster.

# %%
J_star = -log_lik(w_sk) / n
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.6))
iters = np.arange(len(hist_fast))
ax1.plot(iters[:60], -hist_fast[:60], label="η = 1/L")
ax1.plot(iters[:60], -hist_slow[:60], label="η = 0.25/L")
ax1.axhline(J_star, linestyle="--", color="gray", label="optimum")
ax1.set_xlabel("iteration")
ax1.set_ylabel("average cross-entropy (nats)")
ax1.set_title("Loss")
ax1.legend(fontsize=9)
gap_fast, gap_slow = -hist_fast - J_star, -hist_slow - J_star
# below about 1e-13 the gap is rounding noise of the float64 loss, so it is not drawn
ax2.semilogy(iters, np.where(gap_fast > 1e-13, gap_fast, np.nan), label="η = 1/L")
ax2.semilogy(iters, np.where(gap_slow > 1e-13, gap_slow, np.nan), label="η = 0.25/L")
ax2.set_xlabel("iteration")
ax2.set_ylabel("loss minus optimum (log scale)")
ax2.set_title("Gap to the optimum")
fig.tight_layout()
save_figure(fig, "loss-curve")

# %% [markdown]
# ## Why not squared error: the gradient vanishes when the model is confidently wrong
#
# For one example with $y = 1$ and score $z$, the cross-entropy $-\log\sigma(z)$ has $z$-derivative $\sigma(z) - 1$, while the squared error $\tfrac12(\sigma(z) - 1)^2$ has $z$-derivative $(\sigma(z) - 1)\,\sigma(z)(1 - \sigma(z))$.
# At $z = -5$ (the model says $P(y = 1) \approx 0.007$ but the label is 1):

# %%
zc = -5.0
ce_grad = expit(zc) - 1.0
se_grad = (expit(zc) - 1.0) * expit(zc) * (1 - expit(zc))
check_close(expit(zc), 0.0067, "sigma(-5) is about 0.0067", atol=5e-5)
check_close(ce_grad, -0.993, "cross-entropy gradient at z = -5 is about -0.993", atol=5e-4)
check_close(se_grad, -0.0066, "squared-error gradient at z = -5 is about -0.0066", atol=5e-5)
check(
    abs(ce_grad / se_grad) > 150,
    f"the cross-entropy gradient is {abs(ce_grad / se_grad):.0f} times larger",
)

# %% [markdown]
# Squared error composed with the sigmoid is also not convex in $z$: its second derivative is $-\sigma(1-\sigma)^2(1 - 3\sigma)$, negative wherever $\sigma(z) < 1/3$, i.e. $z < -\log 2$.
# The cross-entropy's second derivative is $\sigma(1 - \sigma) > 0$ everywhere.

# %%
se = (s - 1) ** 2 / 2
se2 = sp.diff(se, z, 2)
check(
    sp.simplify(se2 - (-s * (1 - s) ** 2 * (1 - 3 * s))) == 0,
    "sympy: (d/dz)^2 of (sigma - 1)^2/2 equals -sigma (1-sigma)^2 (1 - 3 sigma)",
)
check(
    float(se2.subs(z, -2)) < 0 < float(se2.subs(z, 2)),
    "squared error + sigmoid is concave at z = -2 and convex at z = 2: not convex",
)
check(
    sp.simplify(se2.subs(z, -sp.log(2))) == 0,
    "the inflection point is z = -log 2, where sigma = 1/3",
)
ce2 = sp.diff(-sp.log(s), z, 2)
check(
    sp.simplify(ce2 - s * (1 - s)) == 0,
    "sympy: (d/dz)^2 of -log sigma(z) equals sigma (1-sigma) > 0: cross-entropy is convex",
)

# %% [markdown]
# ## Separable data: the maximum-likelihood estimate does not exist
#
# If a direction $\mathbf{w}$ separates the classes perfectly, scaling it up by $c$ pushes every $p_i$ toward its label, so $\ell(c\mathbf{w})$ keeps increasing toward its supremum 0 and is never attained.

# %%
Xs = np.vstack([rng.normal(size=(20, 2)) * 0.5 + [-2, 0], rng.normal(size=(20, 2)) * 0.5 + [2, 0]])
ys = np.r_[np.zeros(20), np.ones(20)]
Xs1 = np.hstack([Xs, np.ones((40, 1))])
w_sep = np.array([1.0, 0.0, 0.0])
check(
    np.all((Xs1 @ w_sep > 0) == ys),
    "the direction w = (1, 0), b = 0 separates this data set",
)
scales = [1, 2, 4, 8, 16, 32]
ll_sep = [np.sum(ys * (Xs1 @ (c * w_sep)) - np.logaddexp(0.0, Xs1 @ (c * w_sep))) for c in scales]
check(
    np.all(np.diff(ll_sep) > 0) and ll_sep[-1] < 0,
    "l(c w) increases with c toward 0 without reaching it: " + ", ".join(f"{v:.2g}" for v in ll_sep),
)

# %% [markdown]
# ## The generative route to the same form
#
# If $p(\mathbf{x} \mid C_k) = \mathcal{N}(\mathbf{x}; \boldsymbol{\mu}_k, \boldsymbol{\Sigma})$ with a shared covariance, Bayes' rule gives exactly
# $P(C_1 \mid \mathbf{x}) = \sigma(\mathbf{w}^\top\mathbf{x} + b)$ with $\mathbf{w} = \boldsymbol{\Sigma}^{-1}(\boldsymbol{\mu}_1 - \boldsymbol{\mu}_2)$ and
# $b = -\tfrac12\boldsymbol{\mu}_1^\top\boldsymbol{\Sigma}^{-1}\boldsymbol{\mu}_1 + \tfrac12\boldsymbol{\mu}_2^\top\boldsymbol{\Sigma}^{-1}\boldsymbol{\mu}_2 + \log\frac{P(C_1)}{P(C_2)}$.

# %%
mu1, mu2 = np.array([1.0, 0.5, -0.3]), np.array([-0.5, 0.2, 0.4])
A = rng.normal(size=(3, 3))
Sigma = A @ A.T + np.eye(3)
prior1 = 0.3
xq = rng.normal(size=(50, 3)) * 2
joint1 = prior1 * multivariate_normal(mu1, Sigma).pdf(xq)
joint2 = (1 - prior1) * multivariate_normal(mu2, Sigma).pdf(xq)
bayes_posterior = joint1 / (joint1 + joint2)
Si = np.linalg.inv(Sigma)
w_gen = Si @ (mu1 - mu2)
b_gen = -0.5 * mu1 @ Si @ mu1 + 0.5 * mu2 @ Si @ mu2 + np.log(prior1 / (1 - prior1))
check_close(
    expit(xq @ w_gen + b_gen),
    bayes_posterior,
    "shared-covariance Gaussians: Bayes' rule posterior = sigma(w^T x + b) with the stated w, b",
    rtol=1e-10,
)

# %% [markdown]
# ## Naive Bayes against logistic regression as the training set grows
#
# Binary features: 30 features that are conditionally independent given the class, plus two exact copies of the last one, so the conditional-independence assumption is violated.
# The true log-odds is linear in $\mathbf{x}$, so logistic regression (scikit-learn default, L2 penalty with $C = 1$) can reach the Bayes error; Bernoulli naive Bayes ($\alpha = 1$) counts the copied feature three times and converges to a worse classifier.
# Each point is the test error averaged over 30 training sets.

# %%
d_base, n_copies = 30, 2
p_c0 = rng.uniform(0.2, 0.8, size=d_base)
p_c1 = np.clip(p_c0 + rng.normal(scale=0.15, size=d_base), 0.05, 0.95)
p_c0[-1], p_c1[-1] = 0.25, 0.75


def sample_binary(m):
    labels = rng.integers(0, 2, size=m)
    base = (rng.random((m, d_base)) < np.where(labels[:, None] == 1, p_c1, p_c0)).astype(float)
    return np.hstack([base, np.repeat(base[:, -1:], n_copies, axis=1)]), labels


X_te, y_te = sample_binary(5000)
w_true = np.log(p_c1 / p_c0) - np.log((1 - p_c1) / (1 - p_c0))
b_true = np.sum(np.log((1 - p_c1) / (1 - p_c0)))
bayes_error = np.mean(((X_te[:, :d_base] @ w_true + b_true) > 0) != y_te)
w_nb_pop = np.r_[w_true, np.full(n_copies, w_true[-1])]
b_nb_pop = b_true + n_copies * np.log((1 - p_c1[-1]) / (1 - p_c0[-1]))
nb_limit_error = np.mean(((X_te @ w_nb_pop + b_nb_pop) > 0) != y_te)
check_close(
    bayes_error,
    0.14,
    "the Bayes error (true log-odds classifier) on the test set is about 0.14",
    atol=0.005,
)
check_close(
    nb_limit_error,
    0.20,
    "naive Bayes with the true parameters (copies counted three times) errs about 0.20",
    atol=0.005,
)
check(
    nb_limit_error > bayes_error + 0.03,
    f"naive Bayes with the true parameters errs {nb_limit_error:.3f} > Bayes error {bayes_error:.3f}",
)

sizes = [10, 20, 40, 80, 160, 320, 640, 1280, 2560]
err_nb, err_lr = [], []
for m in sizes:
    e_nb, e_lr = [], []
    for _ in range(30):
        Xm, ym = sample_binary(m)
        while ym.min() == ym.max():  # both classes must appear
            Xm, ym = sample_binary(m)
        e_nb.append(np.mean(BernoulliNB(alpha=1.0).fit(Xm, ym).predict(X_te) != y_te))
        e_lr.append(np.mean(LogisticRegression().fit(Xm, ym).predict(X_te) != y_te))
    err_nb.append(np.mean(e_nb))
    err_lr.append(np.mean(e_lr))
err_nb, err_lr = np.array(err_nb), np.array(err_lr)
print("n      naive Bayes  logistic regression")
for m, a, c in zip(sizes, err_nb, err_lr, strict=False):
    print(f"{m:5d}  {a:.3f}        {c:.3f}")
check(
    np.all(err_nb[:3] < err_lr[:3]),
    "with 10 to 40 training examples naive Bayes has the lower test error",
)
check(
    np.all(err_lr[4:] < err_nb[4:]),
    "with 160 or more examples logistic regression has the lower test error",
)
check(
    abs(err_nb[-1] - nb_limit_error) < 0.02,
    "naive Bayes has already reached its (higher) limit at n = 2560",
)
check(
    err_lr[-1] - bayes_error < 0.02 and err_lr[-1] < err_lr[3],
    "logistic regression keeps improving toward the Bayes error",
)

fig, ax = plt.subplots()
ax.semilogx(sizes, err_nb, "o-", label="naive Bayes (generative)")
ax.semilogx(sizes, err_lr, "s-", label="logistic regression (discriminative)")
ax.axhline(nb_limit_error, linestyle=":", color="C0", label="naive Bayes limit")
ax.axhline(bayes_error, linestyle="--", color="gray", label="Bayes error")
ax.set_xlabel("training set size n (log scale)")
ax.set_ylabel("test error rate")
_ = ax.set_title("Generative vs discriminative: two regimes")
ax.legend(fontsize=9)
save_figure(fig, "nb-vs-lr")
