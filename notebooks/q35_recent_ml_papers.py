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
# # Random labels, Rademacher complexity and the Chinchilla allocation
#
# The page's two derivations are checked here on small, exact examples.
# Part A: Zhang et al.'s two-layer ReLU network with $2n + d$ weights is fitted to every one of the $2^{10}$ labellings of 10 points, which gives its class empirical Rademacher complexity 1 (a class of thresholds, which cannot fit every labelling, stays far below); a trained network memorises random labels, taking somewhat longer than on learnable labels.
# Part B: minimising $L(N, D) = E + AN^{-\alpha} + BD^{-\beta}$ under $C = 6ND$ gives $N_{\text{opt}} \propto C^{\beta/(\alpha+\beta)}$; sympy derives the closed form and a numerical minimisation checks the exponents, which are bound to the page.

# %%
import itertools

import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close
from scipy.optimize import minimize_scalar
from sklearn.neural_network import MLPClassifier

rng = np.random.default_rng(0)

# %% [markdown]
# ## Part A: the two-layer ReLU construction fits every labelling
#
# Zhang et al.'s construction: project every input on one random direction $\mathbf{a}$ ($d$ weights), so the projections $z_i$ are distinct; sort them and put one bias $b_j$ just below each $z_{(j)}$ ($n$ weights); then $c(\mathbf{x}) = \sum_j w_j \max(\mathbf{a}^\top\mathbf{x} - b_j, 0)$ with $n$ output weights.
# The matrix $\max(z_{(i)} - b_j, 0)$ is lower triangular with a positive diagonal, so output weights solving for any targets exist.
# The check does not rely on that argument: numpy's SVD must find the matrix of full rank $n$.


# %%
def relu_construction(X, targets, rng):
    """Zhang et al.'s network for inputs X (n x d): returns (a, b, w) with the network reproducing `targets`."""
    a = rng.normal(size=X.shape[1])
    z_sorted = np.sort(X @ a)
    b = z_sorted - np.concatenate([[1.0], np.diff(z_sorted)]) / 2  # b_1 < z_(1) < b_2 < z_(2) < ...
    hidden = np.maximum(z_sorted[:, None] - b[None, :], 0.0)
    order = np.argsort(X @ a)
    return a, b, np.linalg.solve(hidden, targets[order])


def two_layer(X, a, b, w):
    return np.maximum((X @ a)[:, None] - b[None, :], 0.0) @ w


n, d = 60, 8
X = rng.normal(size=(n, d))
a, b, w = relu_construction(X, rng.choice([-1.0, 1.0], size=n), rng)
hidden = np.maximum((X @ a)[:, None] - b[None, :], 0.0)
check(np.linalg.matrix_rank(hidden) == n, f"the {n} x {n} hidden-activation matrix has full rank (SVD)")

# %% [markdown]
# Empirical Rademacher complexity $\hat{\mathfrak{R}}_S(\mathcal{H}) = \mathbb{E}_s[\sup_h \frac{1}{n}\sum_i s_i h(\mathbf{x}_i)]$, computed exactly by enumerating all $2^n$ sign vectors for $n = 10$ points in $d = 3$ dimensions.
# For the network class, each sign vector gets its own network from the construction, and the classifier $\operatorname{sign}(c(\mathbf{x}))$ is evaluated on the points: if it reproduces every sign vector, the supremum is 1 for each and $\hat{\mathfrak{R}}_S = 1$.
# For contrast, one-dimensional thresholds (and their negations) on the first coordinate cannot fit every labelling; their complexity must come out well below 1.
# A page that claimed the result for a class that cannot shatter the sample would fail the first check.

# %%
n_pts = 10
x_small = rng.normal(size=(n_pts, 3))
signs = np.array(list(itertools.product([-1, 1], repeat=n_pts)))
fitted = np.array([np.sign(two_layer(x_small, *relu_construction(x_small, s.astype(float), rng))) for s in signs])
r_net = float(np.mean(np.sum(signs * fitted, axis=1)) / n_pts)
check(
    r_net == 1.0, f"the 2n + d ReLU networks fit all {len(signs)} labellings: empirical Rademacher complexity {r_net}"
)

x1d = np.sort(x_small[:, 0])
cuts = np.concatenate([[x1d[0] - 1], (x1d[:-1] + x1d[1:]) / 2, [x1d[-1] + 1]])
thresholds = np.array([np.where(x_small[:, 0] > t, 1, -1) for t in cuts])
thresholds = np.vstack([thresholds, -thresholds])
r_thr = float(np.mean(np.max(signs @ thresholds.T, axis=1)) / n_pts)
check(r_thr < 0.7, f"one-dimensional thresholds, which cannot fit every labelling, have only {r_thr:.3f}")

# %% [markdown]
# ## A trained network memorises random labels
#
# A small version of the randomisation test: a one-hidden-layer network trained with L-BFGS on 300 Gaussian points whose labels are coin flips reaches zero training error, although there is nothing to learn.
# The page also says (after Zhang et al.) that fitting random labels takes only a small constant factor longer than fitting real ones.
# In this small test the "real" labels are a linear rule, $y = 1[x_1 + x_2 > 0]$; the optimiser must need more iterations on the random labels, but fewer than ten times as many.

# %%
X_tr = rng.normal(size=(300, 20))
y_random = rng.integers(2, size=300)
y_rule = (X_tr[:, 0] + X_tr[:, 1] > 0).astype(int)
iters = {}
for label, y_fit in [("random", y_random), ("rule", y_rule)]:
    net = MLPClassifier(hidden_layer_sizes=(256,), alpha=0.0, solver="lbfgs", max_iter=2000, random_state=0)
    net.fit(X_tr, y_fit)
    check(net.score(X_tr, y_fit) == 1.0, f"zero training error on the {label} labels after {net.n_iter_} iterations")
    iters[label] = net.n_iter_
slowdown = iters["random"] / iters["rule"]
check(1 < slowdown < 10, f"random labels take {slowdown:.2f} times as many iterations: longer, by a small factor")

# %% [markdown]
# ## Part B: the compute-optimal split, symbolically
#
# Substituting $D = C/(6N)$ and setting $dL/dN = 0$ must give $N_{\text{opt}} = (\frac{\alpha A}{\beta B})^{1/(\alpha+\beta)} (C/6)^{\beta/(\alpha+\beta)}$.

# %%
N, C, A_, B_, E_, al, be = sp.symbols("N C A B E alpha beta", positive=True)
L = E_ + A_ * N**-al + B_ * (C / 6) ** -be * N**be
dL = sp.diff(L, N)
bracket = be * B_ * (C / 6) ** -be - al * A_ * N ** (-al - be)
check(
    sp.simplify(dL - N ** (be - 1) * bracket) == 0, "dL/dN = N^(beta-1) [beta B (C/6)^-beta - alpha A N^-(alpha+beta)]"
)
check(
    sp.simplify(sp.diff(bracket, N) - al * A_ * (al + be) * N ** (-al - be - 1)) == 0,
    "the bracket's derivative alpha (alpha+beta) A N^-(alpha+beta+1) is positive, so the zero is unique",
)
N_opt = (al * A_ / (be * B_)) ** (1 / (al + be)) * (C / 6) ** (be / (al + be))
check(sp.simplify(bracket.subs(N, N_opt)) == 0, "the closed-form N_opt zeroes the bracket")
D_opt = C / (6 * N_opt)
check(
    sp.simplify(sp.diff(sp.log(D_opt), C) * C - al / (al + be)) == 0,
    "D_opt = C / (6 N_opt) scales as C^(alpha/(alpha+beta))",
)

# %% [markdown]
# ## The exponents, numerically
#
# With the rounded exponents $\alpha = 0.34$, $\beta = 0.28$ and Hoffmann et al.'s fitted $E = 1.69$, $A = 406.4$, $B = 410.7$ (the exponents of the allocation do not depend on $E$, $A$, $B$), we minimise $L$ over $N$ at each budget and fit the slope of $\log N_{\text{opt}}$ against $\log C$.

# %%
alpha, beta, E, A, B = 0.34, 0.28, 1.69, 406.4, 410.7
budgets = np.logspace(18, 26, 9)
n_opts = []
for budget in budgets:
    res = minimize_scalar(
        lambda log_n, budget=budget: E + A * np.exp(-alpha * log_n) + B * (budget / (6 * np.exp(log_n))) ** -beta,
        bounds=(np.log(1e5), np.log(1e15)),
        method="bounded",
        options={"xatol": 1e-10},
    )
    n_opts.append(np.exp(res.x))
n_opts = np.array(n_opts)
d_opts = budgets / (6 * n_opts)
slope_n = np.polyfit(np.log(budgets), np.log(n_opts), 1)[0]
slope_d = np.polyfit(np.log(budgets), np.log(d_opts), 1)[0]
check_close(
    slope_n,
    beta / (alpha + beta),
    "the numerical slope of N_opt equals beta / (alpha + beta)",
    atol=1e-6,
    name="slope_n",
)
check_close(
    slope_d,
    alpha / (alpha + beta),
    "the numerical slope of D_opt equals alpha / (alpha + beta)",
    atol=1e-6,
    name="slope_d",
)
bind("alpha_fit", alpha)
bind("beta_fit", beta)

# %% [markdown]
# ## Doubling the model size
#
# Under the rounded exponents, $D_{\text{opt}} \propto N_{\text{opt}}^{\alpha/\beta}$, so doubling the optimal model size multiplies the optimal token count by $2^{\alpha/\beta}$, read here from the numerical optima at two budgets.
# It equals 2 only when the two exponents are equal.

# %%
log_ratio = np.log(d_opts[-1] / d_opts[0]) / np.log(n_opts[-1] / n_opts[0])
check_close(log_ratio, alpha / beta, "numerically, log D_opt / log N_opt has slope alpha / beta", rtol=1e-6)
bind("data_factor", 2**log_ratio)

# %% [markdown]
# ## Literature values quoted on the page
#
# Numbers the page quotes from the papers themselves, kept here so that the page has one source for them: Chinchilla's 70B parameters and 1.4T tokens (Hoffmann et al. 2022) and the 11–14 point accuracy drop on ImageNet (Recht et al. 2019, abstract).

# %%
bind("tokens_per_param", 1.4e12 / 70e9)
bind("imagenet_drop_lo", 11)
bind("imagenet_drop_hi", 14)
