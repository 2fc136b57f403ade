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
# Part A: a class that can fit every labelling has empirical Rademacher complexity exactly 1, which makes the generalisation bound vacuous; we also build Zhang et al.'s two-layer ReLU network with $2n + d$ weights that fits any labels, and watch a small trained network memorise random labels.
# Part B: minimising $L(N, D) = E + AN^{-\alpha} + BD^{-\beta}$ under $C = 6ND$ gives $N_{\text{opt}} \propto C^{\beta/(\alpha+\beta)}$; sympy confirms the closed form, a numerical minimisation confirms the exponents 0.45 and 0.55, and the Chinchilla ratio is 20 tokens per parameter.

# %%
import itertools
import warnings

import numpy as np
import sympy as sp
from handbook_nb import check, check_close
from scipy.optimize import minimize_scalar
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

rng = np.random.default_rng(0)

# %% [markdown]
# ## Part A: Rademacher complexity of a class that fits every labelling
#
# $\hat{\mathfrak{R}}_S(\mathcal{H}) = \mathbb{E}_s[\sup_h \frac{1}{n}\sum_i s_i h(\mathbf{x}_i)]$, computed exactly by enumerating all $2^n$ sign vectors for $n = 10$ points.
# For the class of all labellings the supremum is always 1; for a small class (one-dimensional thresholds and their negations) it is well below 1.

# %%
n_pts = 10
x1d = np.sort(rng.normal(size=n_pts))
signs = np.array(list(itertools.product([-1, 1], repeat=n_pts)))

all_labellings = signs  # every function from the 10 points to {-1, +1}
cuts = np.concatenate([[x1d[0] - 1], (x1d[:-1] + x1d[1:]) / 2, [x1d[-1] + 1]])
thresholds = np.array([np.where(x1d > t, 1, -1) for t in cuts])
thresholds = np.vstack([thresholds, -thresholds])


def empirical_rademacher(hypotheses):
    """Exact E_s[ sup_h (1/n) sum_i s_i h(x_i) ] over all 2^n sign vectors s."""
    return float(np.mean(np.max(signs @ hypotheses.T, axis=1)) / n_pts)


r_all = empirical_rademacher(all_labellings)
r_thr = empirical_rademacher(thresholds)
check(r_all == 1.0, "the class of all labellings has empirical Rademacher complexity exactly 1")
check(r_thr <= 1.0, "any class of +-1 functions has complexity at most 1")
check(r_thr < 0.7, f"one-dimensional thresholds, which cannot fit every labelling, have only {r_thr:.3f}")

# %% [markdown]
# With $\mathfrak{R}_n = 1$ the bound's right-hand side is at least 1 for every training error and every $\delta$, so it says nothing about a 0-1 error.

# %%
for train_err in (0.0, 0.1):
    for delta, n in ((0.05, 50_000), (0.5, 10**9)):
        rhs = train_err + 1.0 + np.sqrt(np.log(1 / delta) / (2 * n))
        check(rhs >= 1.0, f"training error {train_err}, delta {delta}, n {n}: the bound is {rhs:.4f} >= 1, vacuous")

# %% [markdown]
# ## A small two-layer ReLU network fits any labels
#
# Zhang et al.'s construction: project every input on one random direction $\mathbf{a}$ ($d$ weights), so the projections $z_i$ are distinct; sort them and put one bias $b_j$ just below each $z_{(j)}$ ($n$ weights); then $c(\mathbf{x}) = \sum_j w_j \max(\mathbf{a}^\top\mathbf{x} - b_j, 0)$ with $n$ output weights.
# The matrix $\max(z_{(i)} - b_j, 0)$ is lower triangular with a positive diagonal, so the $w_j$ solving for any targets exist.

# %%
n, d = 60, 8
X = rng.normal(size=(n, d))
labels = rng.choice([-1.0, 1.0], size=n)  # random labels
a = rng.normal(size=d)
z = X @ a
order = np.argsort(z)
z_sorted = z[order]
gaps = np.diff(z_sorted)
check(np.all(gaps > 0), "the projections on a random direction are distinct")
b = z_sorted - np.concatenate([[1.0], gaps]) / 2  # b_1 < z_(1) < b_2 < z_(2) < ...
A = np.maximum(z_sorted[:, None] - b[None, :], 0.0)
check(
    np.allclose(A, np.tril(A)) and np.all(np.diag(A) > 0),
    "the hidden-activation matrix is lower triangular with a positive diagonal",
)
w = np.linalg.solve(A, labels[order])


def two_layer(x):
    return np.maximum((x @ a)[:, None] - b[None, :], 0.0) @ w


check_close(two_layer(X), labels, "the network reproduces the random labels exactly", atol=1e-8)
check(
    a.size + b.size + w.size == 2 * n + d,
    f"with a.size + b.size + w.size = {a.size + b.size + w.size} = 2n + d weights",
)
real_targets = rng.normal(size=n)
w_real = np.linalg.solve(A, real_targets[order])
check_close(
    np.maximum((X @ a)[:, None] - b[None, :], 0.0) @ w_real,
    real_targets,
    "the same architecture fits arbitrary real-valued targets too",
    atol=1e-8,
)

# %% [markdown]
# ## A trained network memorises random labels
#
# A small version of the randomisation test: a one-hidden-layer network trained with Adam on 300 Gaussian points whose labels are coin flips reaches zero training error, although there is nothing to learn (its test accuracy on fresh random labels is near chance).

# %%
X_tr = rng.normal(size=(300, 20))
y_tr = rng.integers(2, size=300)
X_te = rng.normal(size=(2000, 20))
y_te = rng.integers(2, size=2000)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    net = MLPClassifier(hidden_layer_sizes=(256,), alpha=0.0, max_iter=2000, random_state=0).fit(X_tr, y_tr)
train_acc, test_acc = net.score(X_tr, y_tr), net.score(X_te, y_te)
check(train_acc == 1.0, "zero training error on random labels")
check(
    abs(test_acc - 0.5) < 0.05,
    f"test accuracy {test_acc:.3f} is chance level, so memorisation says nothing about generalisation",
)

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
check_close(slope_n, beta / (alpha + beta), "the numerical slope of N_opt equals beta / (alpha + beta)", atol=1e-6)
check_close(slope_n, 0.45, "N_opt grows as C^0.45", atol=0.005)
check_close(slope_d, 0.55, "D_opt grows as C^0.55", atol=0.005)
check_close(slope_n + slope_d, 1.0, "and the two exponents add up to 1, since N D = C/6", atol=1e-6)

# %% [markdown]
# The paper's 0.46 and 0.54 come from unrounded exponents.
# They are consistent with the rounding: over all $\alpha \in [0.335, 0.345)$ and $\beta \in [0.275, 0.285)$, $\beta/(\alpha+\beta)$ reaches values that round to 0.46.

# %%
a_grid, b_grid = np.meshgrid(np.linspace(0.335, 0.345, 201), np.linspace(0.275, 0.285, 201))
ratio = b_grid / (a_grid + b_grid)
check(
    ratio.min() < 0.45 and ratio.max() >= 0.455,
    f"beta/(alpha+beta) ranges over [{ratio.min():.4f}, {ratio.max():.4f}], which includes 0.45 and 0.46",
)

# %% [markdown]
# ## Chinchilla's tokens per parameter, and doubling
#
# Chinchilla had 70B parameters and 1.4T tokens.
# Under the fitted exponents, doubling the optimal model size multiplies the optimal token count by $2^{\alpha/\beta}$, roughly a doubling.

# %%
check_close(1.4e12 / 70e9, 20, "1.4T tokens for 70B parameters is 20 tokens per parameter", rtol=1e-12)
data_factor = 2 ** (alpha / beta)
check(
    2.0 <= data_factor < 2.5,
    f"doubling N_opt multiplies D_opt by 2^(alpha/beta) = {data_factor:.2f}, roughly doubling the data",
)
check_close(2 ** (0.5 / 0.5), 2.0, "with both exponents 0.5 the data exactly doubles", rtol=1e-12)
