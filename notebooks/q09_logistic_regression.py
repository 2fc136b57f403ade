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
# The checks test the page's formulas against independent routes: the sigmoid-derivative identity (symbolically), the gradient $\mathbf{X}^\top(\mathbf{y} - \sigma(\mathbf{X}\mathbf{w}))$ and the Hessian (against finite differences), concavity (the chord inequality), agreement with scikit-learn's unpenalised and penalised fits, linear and quadratic convergence, the divergence of undamped Newton from a bad start, the vanishing gradient of squared error (finite differences), and the non-existence of the maximum-likelihood estimate on separable data (a linear program and the growth of the weights).
# A last section checks the generative-discriminative link used on the generative-vs-discriminative page and compares naive Bayes with logistic regression as the training set grows.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import linprog, minimize
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
# Two overlapping Gaussian classes in the plane.
# Overlap matters: on linearly separable data the maximum-likelihood estimate does not exist (checked at the end).

# %%
n_per = 100
bind("n_per", n_per)
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
# Concavity without the Hessian formula: l(t a + (1 - t) b) >= t l(a) + (1 - t) l(b) for random pairs and t.
chord_rng = np.random.default_rng(2)  # its own stream, so the data below stay as they were
pairs = chord_rng.normal(scale=3.0, size=(100, 2, 3))
ts = chord_rng.uniform(size=100)
gaps = [
    log_lik(t * wa + (1 - t) * wb) - (t * log_lik(wa) + (1 - t) * log_lik(wb))
    for (wa, wb), t in zip(pairs, ts, strict=True)
]
check(
    min(gaps) >= -1e-9,
    f"chord inequality holds for 100 random pairs (smallest gap {min(gaps):.3g}): l(w) is concave",
)

# %% [markdown]
# ## Gradient ascent
#
# We maximise the average log-likelihood $\ell(\mathbf{w})/n$ with the update $\mathbf{w} \leftarrow \mathbf{w} + \eta \, \mathbf{X}^\top(\mathbf{y} - \sigma(\mathbf{X}\mathbf{w}))/n$.
# Because $p_i(1 - p_i) \le 1/4$, the curvature of $\ell/n$ is at most $L_{\text{smooth}} = \mu_{\max}(\mathbf{X}^\top\mathbf{X})/(4n)$ ($\mu_{\max}$ the largest eigenvalue), and any step $\eta \le 1/L_{\text{smooth}}$ makes the objective increase at every iteration.

# %%
L_smooth = np.linalg.eigvalsh(X1.T @ X1).max() / (4 * n)


def gradient_ascent(eta, iters):
    w = np.zeros(3)
    history = [log_lik(w) / n]
    for _ in range(iters):
        w = w + eta * grad(w) / n
        history.append(log_lik(w) / n)
    return w, np.array(history)


eta_fast, eta_slow = 1.0, 0.25  # in units of 1/L_smooth
bind("eta_fast", eta_fast)
bind("eta_slow", eta_slow)
w_hat, hist_fast = gradient_ascent(eta_fast / L_smooth, 1000)
_, hist_slow = gradient_ascent(eta_slow / L_smooth, 1000)
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


def separation_lp(Xa, ya):
    """Largest total margin sum_i s_i w^T x_i over |w_j| <= 1 with every margin s_i w^T x_i >= 0 (s_i = 2 y_i - 1).

    It is 0 exactly when the classes overlap in the sense of Albert and Anderson (1984), i.e. there is neither
    complete nor quasi-complete separation, which is when the maximum-likelihood estimate exists (Konis, 2007).
    """
    margins = (2 * ya - 1)[:, None] * Xa
    res = linprog(
        -margins.sum(axis=0), A_ub=-margins, b_ub=np.zeros(len(ya)), bounds=[(-1, 1)] * Xa.shape[1], method="highs"
    )
    return -res.fun


check(
    separation_lp(X1, y) < 1e-9,
    "a linear program finds no hyperplane with each class on its own side (points on it allowed): "
    "the classes overlap, so the MLE exists",
)
check(
    abs(sk.predict_proba(X)[:, 1].mean() - y.mean()) < 1e-8,
    "at scikit-learn's MLE (with intercept) the mean predicted probability equals the positive rate",
)

# Linear convergence: the gap to the optimum shrinks by a constant factor per step, a smaller factor for the larger step.
J_opt = -log_lik(w_sk) / n
ratios = {}
for label, hist in (("fast", hist_fast), ("slow", hist_slow)):
    gap = -hist[20:120] - J_opt
    ratios[label] = gap[1:] / gap[:-1]
check(
    all(np.ptp(r) < 0.05 for r in ratios.values()) and ratios["fast"].max() < ratios["slow"].min() < 1,
    f"linear convergence: gap ratios per step {ratios['fast'].mean():.3f} (eta = 1/L) and {ratios['slow'].mean():.3f} (eta = 0.25/L)",
)

# %% [markdown]
# Newton's method uses the Hessian as well, $\mathbf{w} \leftarrow \mathbf{w} - \mathbf{H}^{-1}\nabla\ell$; this is iteratively reweighted least squares (IRLS) and converges in a handful of steps.

# %%
w_newton = np.zeros(3)
path = []
for _ in range(8):
    w_newton = w_newton - np.linalg.solve(hessian(w_newton), grad(w_newton))
    path.append(w_newton)
check_close(
    w_newton,
    w_sk,
    "8 Newton (IRLS) steps from w = 0 reach the same optimum (rtol 1e-6)",
    rtol=1e-6,
)
errs = np.array([np.linalg.norm(w - w_newton) for w in path[:-1]])
big = errs[:-1] > 1e-7
check(
    np.all(errs[1:][big] <= errs[:-1][big] ** 2),
    "quadratic convergence near the optimum: each Newton error is at most the square of the previous one "
    + ", ".join(f"{e:.1e}" for e in errs[errs > 1e-12]),
)

# Undamped Newton is not globally convergent: from w = (3, 3, 3) the steps overshoot and blow up.
w_bad = np.full(3, 3.0)
norms_bad = []
with np.errstate(over="ignore"):
    for _ in range(4):
        try:
            w_bad = w_bad - np.linalg.solve(hessian(w_bad), grad(w_bad))
        except np.linalg.LinAlgError:
            norms_bad.append(np.inf)
            break
        norms_bad.append(np.linalg.norm(w_bad))
check(
    max(norms_bad) > 1e3,
    "pure Newton from w = (3, 3, 3) diverges: |w| = " + ", ".join(f"{v:.3g}" for v in norms_bad),
)
# With a backtracking line search (damped Newton) the same start converges to the optimum.
w_damped = np.full(3, 3.0)
for _ in range(50):
    g = grad(w_damped)
    step = np.linalg.solve(-hessian(w_damped), g)
    t = 1.0
    while log_lik(w_damped + t * step) < log_lik(w_damped) + 0.25 * t * g @ step:
        t /= 2
    w_damped = w_damped + t * step
check_close(w_damped, w_sk, "damped Newton from w = (3, 3, 3) reaches scikit-learn's optimum (rtol 1e-6)", rtol=1e-6)

# %% [markdown]
# ## Interpreting a coefficient
#
# One more unit of $x_j$ multiplies the odds by $e^{w_j}$; a weight of $\log 2$ doubles them.

# %%
# An identity of the model, so there is nothing independent to check; the page's 0.69 is bound.
bind("log2_weight", np.log(2))

# %% [markdown]
# ## More than two classes: the softmax gradient
#
# The page gives the gradient of the softmax cross-entropy with respect to $\mathbf{w}_k$ as $-\sum_i (\mathbf{1}[y_i = C_k] - P(C_k \mid \mathbf{x}_i))\,\mathbf{x}_i$.
# It is checked against central differences, and it vanishes at scikit-learn's unpenalised multinomial fit.

# %%
soft_rng = np.random.default_rng(3)
Xm3 = np.hstack([soft_rng.normal(size=(150, 2)) + np.repeat([[0, 0], [2, 0], [0, 2]], 50, axis=0), np.ones((150, 1))])
ym3 = np.repeat([0, 1, 2], 50)
Y3 = np.eye(3)[ym3]


def softmax_ce(W):
    scores = Xm3 @ W.T  # W has one row per class
    return -np.sum(scores[np.arange(len(ym3)), ym3] - np.logaddexp.reduce(scores, axis=1))


def softmax_grad(W):
    scores = Xm3 @ W.T
    probs = np.exp(scores - np.logaddexp.reduce(scores, axis=1, keepdims=True))
    return -(Y3 - probs).T @ Xm3  # row k: -sum_i (1[y_i = k] - P(C_k | x_i)) x_i


W0 = soft_rng.normal(size=(3, 3))
fd_soft = np.zeros_like(W0)
for idx in np.ndindex(W0.shape):
    E = np.zeros_like(W0)
    E[idx] = 1e-5
    fd_soft[idx] = (softmax_ce(W0 + E) - softmax_ce(W0 - E)) / 2e-5
check_close(
    softmax_grad(W0), fd_soft, "softmax cross-entropy gradient matches central differences (rtol 1e-6)", rtol=1e-6
)
sk3 = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(Xm3[:, :2], ym3)
W_sk3 = np.hstack([sk3.coef_, sk3.intercept_[:, None]])
check(
    np.abs(softmax_grad(W_sk3)).max() / len(ym3) < 1e-6,
    "the page's softmax gradient vanishes at scikit-learn's multinomial fit",
)

# %% [markdown]
# ## The penalised objective and scikit-learn's C
#
# The page writes the L2-penalised objective as $J(\mathbf{w}) = -\ell(\mathbf{w}) + \lambda\lVert\tilde{\mathbf{w}}\rVert_2^2$, with $\tilde{\mathbf{w}}$ the weights without the bias, and says scikit-learn's `C` is $1/(2\lambda)$.
# Newton's method on that objective, written from the page's gradient $\mathbf{X}^\top(\sigma(\mathbf{X}\mathbf{w}) - \mathbf{y}) + 2\lambda\tilde{\mathbf{w}}$, is compared with scikit-learn's fit.

# %%
for C_val in (0.01, 1.0):
    lam = 1 / (2 * C_val)
    w_l2 = np.zeros(3)
    for _ in range(30):
        p_l2 = expit(X1 @ w_l2)
        g_l2 = X1.T @ (p_l2 - y) + 2 * lam * np.r_[w_l2[:2], 0.0]
        H_l2 = (X1.T * (p_l2 * (1 - p_l2))) @ X1 + 2 * lam * np.diag([1.0, 1.0, 0.0])
        w_l2 = w_l2 - np.linalg.solve(H_l2, g_l2)
    sk_l2 = LogisticRegression(C=C_val, tol=1e-12, max_iter=10_000).fit(X, y)
    check_close(
        w_l2,
        np.r_[sk_l2.coef_.ravel(), sk_l2.intercept_],
        f"C = {C_val}: minimising -l(w) + lambda |w without bias|^2 with lambda = 1/(2C) gives scikit-learn's fit",
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
p_boundary, contour_lo, contour_hi = 0.5, 0.1, 0.9
bind("p_boundary", p_boundary)
bind("contour_lo", contour_lo)
bind("contour_hi", contour_hi)
for level, style in ((p_boundary, "-"), (contour_lo, ":"), (contour_hi, ":")):
    logit = np.log(level / (1 - level))
    ax.plot(
        xs,
        (logit - b - w1 * xs) / w2,
        style,
        color="black",
        label=f"P(y=1 | x) = {p_boundary}" if level == p_boundary else None,
    )
ax.plot([], [], ":", color="black", label=f"P(y=1 | x) = {contour_lo} and {contour_hi}")
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
ax1.plot(iters[:60], -hist_fast[:60], label=f"η = {eta_fast:g}/L")
ax1.plot(iters[:60], -hist_slow[:60], label=f"η = {eta_slow:g}/L")
ax1.axhline(J_star, linestyle="--", color="gray", label="optimum")
ax1.set_xlabel("iteration")
ax1.set_ylabel("average cross-entropy (nats)")
ax1.set_title("Loss")
ax1.legend(fontsize=9)
gap_fast, gap_slow = -hist_fast - J_star, -hist_slow - J_star
# below about 1e-13 the gap is rounding noise of the float64 loss, so it is not drawn
ax2.semilogy(iters, np.where(gap_fast > 1e-13, gap_fast, np.nan), label=f"η = {eta_fast:g}/L")
ax2.semilogy(iters, np.where(gap_slow > 1e-13, gap_slow, np.nan), label=f"η = {eta_slow:g}/L")
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
zc, y_conf = -5.0, 1.0
bind("z_conf", zc)
bind("y_conf", y_conf)
ce_grad = expit(zc) - y_conf  # the page's closed forms
se_grad = (expit(zc) - y_conf) * expit(zc) * (1 - expit(zc))
hz = 1e-5


def ce_loss(zz):
    return -np.log(expit(zz))


def se_loss(zz):
    return 0.5 * (expit(zz) - y_conf) ** 2


# central differences of the two losses, a route that does not use the closed-form gradients
check_close(
    ce_grad, (ce_loss(zc + hz) - ce_loss(zc - hz)) / (2 * hz), "cross-entropy z-gradient sigma(z) - 1", rtol=1e-7
)
check_close(
    se_grad,
    (se_loss(zc + hz) - se_loss(zc - hz)) / (2 * hz),
    "squared-error z-gradient (sigma(z) - 1) sigma(z)(1 - sigma(z))",
    rtol=1e-6,
)
bind("sigma_conf", expit(zc))
bind("ce_grad", ce_grad)
bind("se_grad", se_grad)
bind("grad_ratio", abs(ce_grad / se_grad))

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
check(separation_lp(Xs1, ys) > 1.0, "the linear program finds a separating hyperplane for this data set")

# Gradient ascent with eta = 1/L: the weights keep growing and the gradient never reaches 0.
L_sep = np.linalg.eigvalsh(Xs1.T @ Xs1).max() / (4 * len(ys))
w_run, marks, directions = np.zeros(3), {}, []
for step_i in range(1, 10_001):
    w_run = w_run + Xs1.T @ (ys - expit(Xs1 @ w_run)) / len(ys) / L_sep
    if step_i in (100, 1000, 10_000):
        marks[step_i] = (np.linalg.norm(w_run), np.linalg.norm(Xs1.T @ (ys - expit(Xs1 @ w_run))) / len(ys))
        directions.append(w_run / np.linalg.norm(w_run))
norms_sep = [v[0] for v in marks.values()]
check(
    np.all(np.diff(norms_sep) > 1.0) and all(v[1] > 0 for v in marks.values()),
    "separable data: |w| after 100, 1,000, 10,000 steps = "
    + ", ".join(f"{v:.2f}" for v in norms_sep)
    + ", still growing",
)

# The direction of the augmented w approaches the maximum-margin separator of the augmented inputs (Soudry et al.
# treat predictors without a separate bias): minimise |v|^2 subject to s_i v^T x_i >= 1, a small quadratic program.
sep_margins = (2 * ys - 1)[:, None] * Xs1
qp = minimize(
    lambda v: v @ v,
    np.ones(3),
    jac=lambda v: 2 * v,
    constraints=[{"type": "ineq", "fun": lambda v: sep_margins @ v - 1, "jac": lambda v: sep_margins}],
    method="SLSQP",
    options={"ftol": 1e-14, "maxiter": 500},
)
check(qp.success and np.min(sep_margins @ qp.x) > 1 - 1e-6, "the hard-margin quadratic program is solved")
w_svm = qp.x / np.linalg.norm(qp.x)
cosines = [float(dvec @ w_svm) for dvec in directions]
check(
    np.all(np.diff(cosines) > 0),
    "the direction of w moves towards the max-margin separator: cosines " + ", ".join(f"{c:.4f}" for c in cosines),
)

# With an L2 penalty the same data have a finite optimum: Newton on the penalised objective and scikit-learn agree.
C_sep = 1.0
pen = np.diag([1.0, 1.0, 0.0])  # the bias is not penalised
w_pen = np.zeros(3)
for _ in range(30):
    p_sep = expit(Xs1 @ w_pen)
    g_pen = Xs1.T @ (p_sep - ys) + pen @ w_pen / C_sep  # 2 lambda = 1/C
    H_pen = (Xs1.T * (p_sep * (1 - p_sep))) @ Xs1 + pen / C_sep
    w_pen = w_pen - np.linalg.solve(H_pen, g_pen)
sk_sep = LogisticRegression(C=C_sep, tol=1e-12, max_iter=10_000).fit(Xs, ys)
check_close(
    w_pen,
    np.r_[sk_sep.coef_.ravel(), sk_sep.intercept_],
    "separable data with an L2 penalty: a finite optimum, equal to scikit-learn's C = 1 fit",
    rtol=1e-6,
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
# The true log-odds is linear in $\mathbf{x}$, so logistic regression (L2 penalty with $C = 1$) can reach the Bayes error; Bernoulli naive Bayes ($\alpha = 1$) counts the copied feature three times and converges to a worse classifier.
# Each point is the test error averaged over 30 training sets, on one test set of 50,000 points.
# The two limiting errors quoted on the page are population values, computed exactly: given the class the features are independent, so the distribution of a linear score $\sum_j w_j x_j$ follows from its two halves of 15 features ($2^{15}$ values each), combined by sorting ("meet in the middle").
# The test-set estimates of the same errors must agree with them within 4 binomial standard errors.

# %%
d_base, n_copies, n_reps, C_lr, alpha_nb = 30, 2, 30, 1.0, 1.0
for name_, value_ in (("d_base", d_base), ("n_copies", n_copies), ("n_counted", 1 + n_copies), ("n_reps", n_reps)):
    bind(name_, value_)
bind("c_lr", C_lr)
bind("alpha_nb", alpha_nb)
p_c0 = rng.uniform(0.2, 0.8, size=d_base)
p_c1 = np.clip(p_c0 + rng.normal(scale=0.15, size=d_base), 0.05, 0.95)
p_c0[-1], p_c1[-1] = 0.25, 0.75


def sample_binary(m, gen=rng):
    labels = gen.integers(0, 2, size=m)
    base = (gen.random((m, d_base)) < np.where(labels[:, None] == 1, p_c1, p_c0)).astype(float)
    return np.hstack([base, np.repeat(base[:, -1:], n_copies, axis=1)]), labels


n_test = 50_000
bind("n_test", n_test)
X_te, y_te = sample_binary(n_test)
w_true = np.log(p_c1 / p_c0) - np.log((1 - p_c1) / (1 - p_c0))
b_true = np.sum(np.log((1 - p_c1) / (1 - p_c0)))
w_nb_pop = np.r_[w_true, np.full(n_copies, w_true[-1])]
b_nb_pop = b_true + n_copies * np.log((1 - p_c1[-1]) / (1 - p_c0[-1]))


def p_score_positive(w, b, p):
    """Exact P(sum_j w_j x_j + b > 0) for independent x_j ~ Bernoulli(p_j), by meeting in the middle."""

    def half(wh, ph):  # all 2^h values of the partial score and their probabilities
        vals, probs = np.zeros(1), np.ones(1)
        for wj, pj in zip(wh, ph, strict=True):
            vals, probs = np.r_[vals, vals + wj], np.r_[probs * (1 - pj), probs * pj]
        return vals, probs

    h = len(w) // 2
    va, pa = half(w[:h], p[:h])
    vb, pb = half(w[h:], p[h:])
    order = np.argsort(vb)
    vb, tail = vb[order], np.r_[np.cumsum(pb[order][::-1])[::-1], 0.0]  # tail[i] = P(second half >= vb[i])
    return float(pa @ tail[np.searchsorted(vb, -b - va, side="right")])


def population_error(w, b):
    """0-1 error of the rule 'class 1 if w^T x + b > 0' on the base features, with equal class priors."""
    return 0.5 * p_score_positive(w, b, p_c0) + 0.5 * (1 - p_score_positive(w, b, p_c1))


# the meet-in-the-middle sum against brute-force enumeration of all 2^12 cells of the first 12 features
cells12 = (np.arange(2**12)[:, None] >> np.arange(12) & 1).astype(float)
prob12 = np.prod(np.where(cells12 == 1, p_c1[:12], 1 - p_c1[:12]), axis=1)
check_close(
    p_score_positive(w_true[:12], -1.0, p_c1[:12]),
    prob12 @ (cells12 @ w_true[:12] - 1.0 > 0),
    "the meet-in-the-middle score distribution equals brute-force enumeration on 12 features",
    rtol=1e-12,
)
w_nb_base = w_true.copy()
w_nb_base[-1] *= 1 + n_copies  # the copies are the last base feature, so naive Bayes weighs it three times
bayes_error = population_error(w_true, b_true)
nb_limit_error = population_error(w_nb_base, b_nb_pop)
bind("bayes_error", bayes_error)
bind("nb_limit_error", nb_limit_error)
test_estimates = (
    np.mean(((X_te[:, :d_base] @ w_true + b_true) > 0) != y_te),
    np.mean(((X_te @ w_nb_pop + b_nb_pop) > 0) != y_te),
)
for exact, estimate, what in zip(
    (bayes_error, nb_limit_error), test_estimates, ("Bayes error", "naive Bayes limit"), strict=True
):
    check(
        abs(estimate - exact) < 4 * np.sqrt(exact * (1 - exact) / n_test),
        f"{what}: exactly {exact:.4f}; on the {n_test:,} test points {estimate:.4f} (within 4 SE)",
    )
check(
    nb_limit_error > bayes_error + 0.03,
    f"naive Bayes with the true parameters errs {nb_limit_error:.3f} > Bayes error {bayes_error:.3f}",
)

sizes = [10, 20, 40, 80, 160, 320, 640, 1280, 2560]
bind("size_small_lo", sizes[0])
bind("size_small_hi", sizes[2])
bind("size_large_lo", sizes[4])
err_nb, err_lr = np.zeros((len(sizes), n_reps)), np.zeros((len(sizes), n_reps))
for i_size, m in enumerate(sizes):
    W_nb, W_lr = np.zeros((X_te.shape[1] + 1, n_reps)), np.zeros((X_te.shape[1] + 1, n_reps))
    for r in range(n_reps):
        Xm, ym = sample_binary(m)
        while ym.min() == ym.max():  # both classes must appear
            Xm, ym = sample_binary(m)
        # Bernoulli naive Bayes by counting, (D_kj + alpha)/(n_k + 2 alpha) (checked against BernoulliNB in q07);
        # its log-odds of class 1 is linear in x: weights log(p1/p0) - log((1-p1)/(1-p0)) and a bias.
        n_k = np.array([np.sum(ym == 0), np.sum(ym == 1)])
        p_hat = (np.array([Xm[ym == 0].sum(axis=0), Xm[ym == 1].sum(axis=0)]) + alpha_nb) / (
            n_k[:, None] + 2 * alpha_nb
        )
        W_nb[:-1, r] = np.log(p_hat[1] / p_hat[0]) - np.log((1 - p_hat[1]) / (1 - p_hat[0]))
        W_nb[-1, r] = np.log(n_k[1] / n_k[0]) + np.sum(np.log((1 - p_hat[1]) / (1 - p_hat[0])))
        lr = LogisticRegression(C=C_lr, solver="newton-cholesky").fit(Xm, ym)
        W_lr[:-1, r], W_lr[-1, r] = lr.coef_[0], lr.intercept_[0]
    # all repetitions of one size in one product with the test set
    err_nb[i_size] = np.mean(((X_te @ W_nb[:-1] + W_nb[-1]) > 0) != y_te[:, None], axis=0)
    err_lr[i_size] = np.mean(((X_te @ W_lr[:-1] + W_lr[-1]) > 0) != y_te[:, None], axis=0)
nb = BernoulliNB(alpha=alpha_nb).fit(Xm, ym)  # the last training set of the loop
nb_score = X_te @ W_nb[:-1, -1] + W_nb[-1, -1]
check(
    np.array_equal((nb_score > 0).astype(int), nb.predict(X_te))
    and np.array_equal((X_te @ lr.coef_[0] + lr.intercept_[0] > 0).astype(int), lr.predict(X_te)),
    "the linear log-odds used in the loop give the same test predictions as BernoulliNB.predict and LogisticRegression.predict",
)
se_nb, se_lr = err_nb.std(axis=1, ddof=1) / np.sqrt(n_reps), err_lr.std(axis=1, ddof=1) / np.sqrt(n_reps)
err_nb, err_lr = err_nb.mean(axis=1), err_lr.mean(axis=1)
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
# Overconfidence: on the test set the last naive Bayes fit (n = 2560) has more extreme log-odds than the true posterior.
true_logodds = X_te[:, :d_base] @ w_true + b_true
check(
    np.mean(np.abs(nb_score)) > 1.1 * np.mean(np.abs(true_logodds)),
    f"naive Bayes is overconfident: mean |log-odds| {np.mean(np.abs(nb_score)):.2f} against {np.mean(np.abs(true_logodds)):.2f} for the true posterior",
)
# "From 160 on naive Bayes has reached its limit": each mean is within 4 SE (over the 30 training sets) plus the
# test set's own 4 SE of the exact limit; logistic regression improves at every size and ends near the Bayes error.
se_test_nb = np.sqrt(nb_limit_error * (1 - nb_limit_error) / n_test)
check(
    np.all(np.abs(err_nb[4:] - nb_limit_error) < 4 * (se_nb[4:] + se_test_nb)),
    "from 160 examples on naive Bayes is at its (higher) limit: "
    + ", ".join(f"{e:.4f} ± {s:.4f}" for e, s in zip(err_nb[4:], se_nb[4:], strict=True)),
)
check(
    np.all(np.diff(err_lr) < 0) and err_lr[-1] - bayes_error < (nb_limit_error - bayes_error) / 4,
    "logistic regression improves at every size and ends within a quarter of the naive Bayes gap of the Bayes error",
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

# %% [markdown]
# ## Logistic regression fitted by log loss is not always asymptotically better
#
# Ng and Jordan's Proposition 1 is about the discriminative classifier that minimises 0-1 error.
# On this joint distribution of two binary features (a misspecified model), the population logistic regression, fitted by log loss with the exact probabilities as sample weights, has a higher 0-1 error than population naive Bayes.

# %%
joint = np.array(
    [[0.028, 0.210], [0.245, 0.120], [0.133, 0.139], [0.017, 0.108]]
)  # rows x = 00, 01, 10, 11; columns y = 0, 1
joint = joint / joint.sum()
cells = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def pop_error(pred):
    """0-1 error under the joint distribution of a prediction per cell."""
    return float(sum(joint[i, 1 - int(c)] for i, c in enumerate(pred)))


lr_pop = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(
    np.vstack([cells, cells]), np.r_[np.zeros(4), np.ones(4)], sample_weight=np.r_[joint[:, 0], joint[:, 1]]
)
# population naive Bayes by hand: class priors and per-feature probabilities from the joint
prior_y = joint.sum(axis=0)
p_feat = np.array([[joint[cells[:, j] == 1, c].sum() / prior_y[c] for j in range(2)] for c in range(2)])
nb_logodds = np.log(prior_y[1] / prior_y[0]) + np.sum(
    cells * np.log(p_feat[1] / p_feat[0]) + (1 - cells) * np.log((1 - p_feat[1]) / (1 - p_feat[0])), axis=1
)
nb_pop_sk = BernoulliNB(alpha=1e-12, force_alpha=True).fit(
    np.vstack([cells, cells]), np.r_[np.zeros(4), np.ones(4)], sample_weight=np.r_[joint[:, 0], joint[:, 1]]
)
check(
    np.array_equal((nb_logodds > 0).astype(float), nb_pop_sk.predict(cells)),
    "population naive Bayes by hand and scikit-learn's BernoulliNB predict the same classes",
)
err_lr_pop, err_nb_pop = pop_error(lr_pop.predict(cells)), pop_error(nb_logodds > 0)
bayes_pop = pop_error(joint[:, 1] > joint[:, 0])
bind("err_lr_pop", err_lr_pop)
bind("err_nb_pop", err_nb_pop)
check(
    err_lr_pop > err_nb_pop >= bayes_pop - 1e-12,
    f"population logistic regression errs {err_lr_pop:.3f}, population naive Bayes {err_nb_pop:.3f} (Bayes error {bayes_pop:.3f})",
)
