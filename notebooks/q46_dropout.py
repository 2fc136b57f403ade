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
# # Dropout: inverted scaling, the ridge penalty it induces, and the ensemble it approximates
#
# The checks test the page's claims against independent routes: the mean and variance of an inverted-dropout unit (Monte Carlo), the mean and variance of a linear layer's output (exact enumeration of all masks), the expected squared error under input dropout (Monte Carlo) and its minimiser (stochastic gradient descent with fresh masks against the closed form), the $(1 - p)$ shrinkage for an orthogonal design, the scale invariance of the dropout penalty, and the ensemble view: the weight-scaled softmax equals the renormalised weighted geometric mean over all $2^d$ masks, while behind a ReLU the weight-scaled network only approximates the ensemble mean.

# %%
import itertools

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import log_softmax, softmax

rng = np.random.default_rng(0)


def all_masks(m):
    """All 2^m binary masks of length m, one per row."""
    return np.array(list(itertools.product([0, 1], repeat=m)), dtype=float)


def mask_probs(masks, p):
    """Probability of each mask when every entry is kept independently with probability 1 - p."""
    kept = masks.sum(axis=1)
    return (1 - p) ** kept * p ** (masks.shape[1] - kept)


# %% [markdown]
# ## One unit, and one linear layer behind it
#
# Inverted dropout multiplies a unit $h_j$ by $m_j/(1 - p)$ with $m_j \sim \mathrm{Bernoulli}(1 - p)$.
# The page derives $\mathbb{E}[\tilde h_j] = h_j$ and $\operatorname{Var}(\tilde h_j) = h_j^2\,p/(1 - p)$, and for $a = \mathbf{w}^\top\tilde{\mathbf{h}}$ the mean $\mathbf{w}^\top\mathbf{h}$ and the variance $\frac{p}{1-p}\sum_j w_j^2 h_j^2$.
# The first pair is checked by Monte Carlo, the second by summing over all $2^{10}$ masks with their probabilities.

# %%
p_drop = 0.5
bind("p_drop", p_drop)
h_unit = 1.7
n_mc = 400_000
# p = 0.5 alone could not tell p/(1-p) from (1-p)/p, or 1/(1-p) from 1/p; p = 0.2 and 0.7 can
rng_extra = np.random.default_rng(10)  # the extra rates draw from their own stream, so the main stream is unchanged
for p_ in (p_drop, 0.2, 0.7):
    gen_ = rng if p_ == p_drop else rng_extra
    draws = h_unit * (gen_.random(n_mc) >= p_) / (1 - p_)  # kept with probability 1 - p_
    check(
        abs(draws.mean() - h_unit) < 4 * draws.std() / np.sqrt(n_mc),
        f"p = {p_}: inverted dropout keeps the mean: Monte Carlo {draws.mean():.4f} against h = {h_unit} (within 4 SE)",
    )
    check_close(
        draws.var(),
        h_unit**2 * p_ / (1 - p_),
        f"p = {p_}: Var of an inverted-dropout unit is h^2 p/(1-p) (Monte Carlo, 1% tolerance)",
        rtol=0.01,
    )

m_hidden = 10
h_vec = np.abs(rng.normal(size=m_hidden))  # ReLU outputs are non-negative
w_vec = rng.normal(size=m_hidden)
for p_ in (0.2, 0.5):
    masks = all_masks(m_hidden)
    probs = mask_probs(masks, p_)
    a_vals = (masks * h_vec / (1 - p_)) @ w_vec
    mean_enum = probs @ a_vals
    var_enum = probs @ (a_vals - mean_enum) ** 2
    check_close(mean_enum, w_vec @ h_vec, f"p = {p_}: mean of w^T h~ over all 2^10 masks equals w^T h", rtol=1e-12)
    check_close(
        var_enum,
        p_ / (1 - p_) * np.sum(w_vec**2 * h_vec**2),
        f"p = {p_}: variance over all masks equals p/(1-p) sum_j w_j^2 h_j^2",
        rtol=1e-10,
    )

# %% [markdown]
# ## Input dropout in linear regression is a data-scaled ridge penalty
#
# Averaged over the masks, the squared error of $\hat y = \mathbf{w}^\top(\mathbf{m} \odot \mathbf{x})/(1 - p)$ is the ordinary squared error plus $\frac{p}{1-p}\sum_j w_j^2 x_j^2$, so the training objective is minimised by
# $\mathbf{w}_{\text{drop}} = \big(\mathbf{X}^\top\mathbf{X} + \tfrac{p}{1-p}\operatorname{diag}(\mathbf{X}^\top\mathbf{X})\big)^{-1}\mathbf{X}^\top\mathbf{y}$.
# The expected loss is checked by Monte Carlo over masks; the minimiser against stochastic gradient descent that draws a fresh mask for every example at every step, as dropout training does.

# %%
n_reg, d_reg = 80, 5
bind("n_reg", n_reg)
bind("d_reg", d_reg)
corr = 0.5 ** np.abs(np.subtract.outer(np.arange(d_reg), np.arange(d_reg)))  # correlated features
X_reg = rng.normal(size=(n_reg, d_reg)) @ np.linalg.cholesky(corr).T * np.array([1.0, 2.0, 0.5, 1.0, 3.0])
w_star = np.array([1.5, -0.8, 2.0, 0.0, 0.5])
y_reg = X_reg @ w_star + rng.normal(scale=1.0, size=n_reg)


def w_dropout(X, y, p):
    """Closed-form minimiser of the expected squared error under inverted input dropout."""
    G = X.T @ X
    return np.linalg.solve(G + p / (1 - p) * np.diag(np.diag(G)), X.T @ y)


def expected_loss(w, X, y, p):
    """Closed form: sum_i (y_i - w^T x_i)^2 + p/(1-p) sum_i sum_j w_j^2 x_ij^2."""
    return np.sum((y - X @ w) ** 2) + p / (1 - p) * np.sum((X**2) @ (w**2))


w_probe = rng.normal(size=d_reg)
n_mask_draws = 20_000
for p_ in (p_drop, 0.2):
    gen_ = rng if p_ == p_drop else rng_extra
    losses = np.empty(n_mask_draws)
    for r in range(n_mask_draws):
        M = gen_.random(X_reg.shape) >= p_
        losses[r] = np.sum((y_reg - (M * X_reg / (1 - p_)) @ w_probe) ** 2)
    check(
        abs(losses.mean() - expected_loss(w_probe, X_reg, y_reg, p_)) < 4 * losses.std() / np.sqrt(n_mask_draws),
        f"p = {p_}: expected loss under input dropout: Monte Carlo {losses.mean():.2f} against closed form "
        f"{expected_loss(w_probe, X_reg, y_reg, p_):.2f} (within 4 SE)",
    )
    # the drop/keep confusion (penalty factor (1-p)/p) is far outside the Monte Carlo error at p = 0.2
    wrong = np.sum((y_reg - X_reg @ w_probe) ** 2) + (1 - p_) / p_ * np.sum((X_reg**2) @ (w_probe**2))
    if p_ != 0.5:
        check(
            abs(losses.mean() - wrong) > 10 * losses.std() / np.sqrt(n_mask_draws),
            f"p = {p_}: the Monte Carlo loss rules out the factor (1-p)/p ({wrong:.2f})",
        )


n_sgd_steps = 30_000
bind("n_sgd_steps", n_sgd_steps)


def sgd_dropout(X, y, p, steps=n_sgd_steps, lr0=0.02, seed=1):
    """Full-batch SGD on the per-step dropout loss (fresh masks each step), Polyak-averaged over the last half."""
    gen = np.random.default_rng(seed)
    w = np.zeros(X.shape[1])
    avg = np.zeros_like(w)
    n_avg = 0
    for step in range(steps):
        Xm = (gen.random(X.shape) >= p) * X / (1 - p)
        w -= lr0 / (1 + step / 2500) * Xm.T @ (Xm @ w - y) / len(y)
        if step >= steps // 2:
            avg += w
            n_avg += 1
    return avg / n_avg


w_ols = np.linalg.lstsq(X_reg, y_reg, rcond=None)[0]
p_grid = np.linspace(0.0, 0.9, 46)
path = np.array([w_dropout(X_reg, y_reg, p_) for p_ in p_grid])
p_sgd = [0.2, 0.5, 0.8]
w_sgd = np.array([sgd_dropout(X_reg, y_reg, p_) for p_ in p_sgd])
bind("p_sgd_lo", p_sgd[0])
bind("p_sgd_hi", p_sgd[-1])
bind("p_grid_max", p_grid[-1])

for p_, ws in zip(p_sgd, w_sgd, strict=True):
    wd = w_dropout(X_reg, y_reg, p_)
    err = np.linalg.norm(ws - wd) / np.linalg.norm(wd)
    check(
        err < 0.03 and np.linalg.norm(ws - w_ols) > 5 * np.linalg.norm(ws - wd),
        f"p = {p_}: dropout SGD lands on the closed form (relative error {err:.4f}), not on least squares",
    )
i_half = p_sgd.index(0.5)
bind(
    "sgd_rel_err",
    np.linalg.norm(w_sgd[i_half] - w_dropout(X_reg, y_reg, 0.5)) / np.linalg.norm(w_dropout(X_reg, y_reg, 0.5)),
)
bind("norm_ols", np.linalg.norm(w_ols))
bind("norm_drop_half", np.linalg.norm(w_dropout(X_reg, y_reg, 0.5)))

fig, ax = plt.subplots()
for j in range(d_reg):
    ax.plot(p_grid, path[:, j], color=f"C{j}", label=f"$w_{j + 1}$")
    ax.plot(p_sgd, w_sgd[:, j], "o", color=f"C{j}", markersize=6, markerfacecolor="none")
ax.axhline(0, color="gray", linewidth=0.8)
ax.set_xlabel("drop probability p")
ax.set_ylabel("weight")
ax.set_title("Input dropout shrinks the least-squares weights")
ax.legend(fontsize=9, ncol=5, loc="upper right")
save_figure(fig, "dropout-shrinkage")

# %% [markdown]
# ## Orthogonal design: every weight shrinks by the same factor, and the penalty ignores feature scales
#
# When $\mathbf{X}^\top\mathbf{X}$ is diagonal the closed form reduces to $(1 - p)\,\mathbf{w}_{\text{OLS}}$; the check solves the general closed form on a design with orthogonal columns.
# Rescaling a feature by $c$ divides its dropout weight by $c$ and leaves predictions unchanged, whereas ridge's predictions change (the penalty $\lambda\lVert\mathbf{w}\rVert_2^2$ is not scale-free).

# %%
Q, _ = np.linalg.qr(rng.normal(size=(n_reg, d_reg)))
X_orth = Q * np.array([3.0, 1.0, 5.0, 2.0, 0.7])
y_orth = X_orth @ w_star + rng.normal(size=n_reg)
w_orth_ols = np.linalg.lstsq(X_orth, y_orth, rcond=None)[0]
for p_ in (0.2, 0.5):
    check_close(
        w_dropout(X_orth, y_orth, p_),
        (1 - p_) * w_orth_ols,
        f"orthogonal design, p = {p_}: dropout weights are (1 - p) times least squares",
        rtol=1e-9,
    )
bind("shrink_half", 1 - p_drop)

scale = np.array([10.0, 1.0, 1.0, 0.1, 1.0])
pred_a = X_reg @ w_dropout(X_reg, y_reg, p_drop)
pred_b = (X_reg * scale) @ w_dropout(X_reg * scale, y_reg, p_drop)
check_close(pred_b, pred_a, "dropout predictions do not change when features are rescaled", rtol=1e-9)
lam = 5.0


def ridge(X, y):
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


ridge_shift = np.max(np.abs((X_reg * scale) @ ridge(X_reg * scale, y_reg) - X_reg @ ridge(X_reg, y_reg)))
check(ridge_shift > 0.05, f"ridge predictions do change under the same rescaling (max change {ridge_shift:.3f})")

# %% [markdown]
# ## The ensemble view, exactly: softmax regression on dropped inputs
#
# A softmax layer with weights $\mathbf{W}$ applied to $\mathbf{m} \odot \mathbf{x}/(1-p)$ is one sub-model per mask.
# The page derives that the test-time model $\operatorname{softmax}(\mathbf{W}\mathbf{x})$ equals the renormalised geometric mean of the $2^d$ sub-models weighted by the mask probabilities.
# The check enumerates all masks; it also measures how far the arithmetic mean (the ensemble's other natural average) is from the test-time model.

# %%
d_ens, K_ens = 10, 3
bind("d_ens", d_ens)
bind("n_masks", 2**d_ens)
V = rng.normal(scale=0.8, size=(K_ens, d_ens))
x_ens = rng.normal(size=d_ens)
masks = all_masks(d_ens)
max_gap_geo, max_gap_arith = 0.0, 0.0
for p_ in (0.2, 0.5):
    probs = mask_probs(masks, p_)
    logp = log_softmax((masks * x_ens / (1 - p_)) @ V.T, axis=1)  # one row of class log-probabilities per mask
    geo = softmax(probs @ logp)
    arith = probs @ np.exp(logp)
    test_time = softmax(V @ x_ens)
    check_close(
        geo,
        test_time,
        f"p = {p_}: weighted geometric mean over all 2^10 masks equals the weight-scaled softmax",
        rtol=1e-12,
    )
    max_gap_arith = max(max_gap_arith, np.max(np.abs(arith - test_time)))
check(max_gap_arith > 1e-3, f"the arithmetic mean of the sub-models differs (by up to {max_gap_arith:.3f})")
bind("gap_arith", max_gap_arith)

# %% [markdown]
# ## Behind a non-linearity the weight-scaling rule is only an approximation
#
# With dropout on the inputs of a ReLU hidden layer, the ensemble mean $\mathbb{E}_{\mathbf{m}}[\hat y]$ and the test-time output differ, because $\mathbb{E}[g(a)] \ne g(\mathbb{E}[a])$ for a non-linear $g$ (Jensen's inequality is strict for the convex ReLU when the pre-activation changes sign across masks).
# The ensemble mean is computed by enumerating all $2^{10}$ masks.

# %%
W1 = rng.normal(scale=1 / np.sqrt(d_ens), size=(16, d_ens))
b1 = np.zeros(16)
w2 = rng.normal(scale=1 / 4, size=16)
pre_masks = (masks * x_ens / (1 - p_drop)) @ W1.T + b1  # one row of hidden pre-activations per mask
outs = np.maximum(0, pre_masks) @ w2
probs = mask_probs(masks, p_drop)
# step 7's direction of Jensen's inequality, unit by unit: E_m[max(0, a_k)] >= max(0, E_m[a_k]) for the convex ReLU
jensen_gap = probs @ np.maximum(0, pre_masks) - np.maximum(0, probs @ pre_masks)
check(
    np.all(jensen_gap >= -1e-12) and np.max(jensen_gap) > 1e-3,
    f"every hidden ReLU unit: ensemble mean of max(0, a) >= max(0, mean a) over all masks (largest gap {np.max(jensen_gap):.3f})",
)
ens_mean = probs @ outs
ens_sd = np.sqrt(probs @ (outs - ens_mean) ** 2)
test_out = np.maximum(0, W1 @ x_ens + b1) @ w2
n_passes = 4000
bind("n_passes", n_passes)
mc_out = np.mean(
    [np.maximum(0, W1 @ (x_ens * (rng.random(d_ens) >= p_drop) / (1 - p_drop)) + b1) @ w2 for _ in range(n_passes)]
)
check(
    abs(mc_out - ens_mean) < 4 * ens_sd / np.sqrt(n_passes),
    f"Monte Carlo dropout (4000 passes) recovers the enumerated ensemble mean {ens_mean:.4f}",
)
check(
    abs(ens_mean - test_out) > 0.01,
    f"ReLU network: ensemble mean {ens_mean:.4f} differs from the weight-scaled output {test_out:.4f}",
)
bind("relu_ens_mean", ens_mean)
bind("relu_test_out", test_out)
bind("relu_ens_sd", ens_sd)
