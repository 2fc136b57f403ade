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
# # Batch normalisation and layer normalisation, checked
#
# Batch normalisation standardises each feature over the examples of a mini-batch; layer normalisation standardises each example over its features.
# The checks compare the page's formulas with independent routes: both normalisations with scikit-learn's `StandardScaler`, the batch-norm backward formula with central finite differences, the scale invariance of a batch-normalised layer (output unchanged, gradient divided by the scale, gradient orthogonal to the weights) with finite differences, and the batch-to-batch noise of one example's normalised value with the delta-method formula.

# %%
from math import erf, sqrt

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from matplotlib.patches import Rectangle
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(0)


def batch_norm(x, gamma, beta, eps=0.0):
    """Normalise each column (feature) over the rows (examples) of the batch."""
    mu = x.mean(axis=0)
    var = x.var(axis=0)  # biased (1/B), as in training mode
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def layer_norm(x, gamma, beta, eps=0.0):
    """Normalise each row (example) over its columns (features)."""
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


# %% [markdown]
# ## Both are standardisations, along different axes

# %%
B, d_feat = 32, 6
X = rng.normal(loc=3.0, scale=2.0, size=(B, d_feat)) * rng.uniform(0.5, 5, size=d_feat)
ones, zeros = np.ones(d_feat), np.zeros(d_feat)
check_close(
    batch_norm(X, ones, zeros),
    StandardScaler().fit_transform(X),
    "batch norm = StandardScaler over the batch",
    rtol=1e-10,
    atol=1e-12,
)
check_close(
    layer_norm(X, 1.0, 0.0),
    StandardScaler().fit_transform(X.T).T,
    "layer norm = StandardScaler over each example's features",
    rtol=1e-10,
    atol=1e-12,
)
# With eps > 0 the variance of the normalised feature is s^2/(s^2 + eps), slightly below 1 (the page's step 1);
# the batch variance s^2 on the right is scikit-learn's, not ours. A large eps makes the shortfall visible.
eps_big = 0.5
s2_sk = StandardScaler().fit(X).var_
bn_eps = batch_norm(X, ones, zeros, eps_big)
check_close(
    bn_eps.var(axis=0),
    s2_sk / (s2_sk + eps_big),
    "eps > 0: variance of the normalised feature = s^2/(s^2 + eps)",
    rtol=1e-10,
)
check(np.all(bn_eps.var(axis=0) < 1), "and it is below 1")

# %% [markdown]
# ## The backward pass of batch normalisation
#
# With $\hat{x}_i = (x_i - \mu)/s_\epsilon$, $s_\epsilon = \sqrt{s^2 + \epsilon}$ and upstream gradient $u_i = \partial L/\partial o_i$ (with $o_i = \gamma\hat{x}_i + \beta$ the layer's output), the page derives
# $\partial L/\partial x_i = \frac{\gamma}{B s_\epsilon}\big(B u_i - \sum_k u_k - \hat{x}_i \sum_k u_k \hat{x}_k\big)$ for one feature.

# %%
x1 = rng.normal(size=B) * 3 + 1
u = rng.normal(size=B)  # dL/do for a loss L = sum(u * o)
g_scale, b_shift, eps_t = 1.7, -0.3, 1e-3


def loss_of_x(x):
    return np.sum(u * batch_norm(x[:, None], g_scale, b_shift, eps_t)[:, 0])


s_t = np.sqrt(x1.var() + eps_t)
xhat = (x1 - x1.mean()) / s_t
grad_formula = g_scale / (B * s_t) * (B * u - u.sum() - xhat * np.sum(u * xhat))
fd = np.array([(loss_of_x(x1 + 1e-6 * e) - loss_of_x(x1 - 1e-6 * e)) / 2e-6 for e in np.eye(B)])
check_close(grad_formula, fd, "batch-norm backward formula = central differences", rtol=1e-6, atol=1e-9)
check(abs(fd.sum()) < 1e-7, "the input gradient (finite differences) sums to 0 over the batch")
# with eps = 0 it is also orthogonal to x-hat: the loss is unchanged when x is scaled about its mean
x_scaled = x1.mean() + 1.01 * (x1 - x1.mean())
check_close(
    np.sum(u * batch_norm(x_scaled[:, None], g_scale, b_shift)[:, 0]),
    np.sum(u * batch_norm(x1[:, None], g_scale, b_shift)[:, 0]),
    "eps = 0: scaling the inputs about their mean leaves the output unchanged, so the gradient is orthogonal to x - mean",
    rtol=1e-12,
)
# with eps = 0 the backward formula (the page's step 4) is orthogonal to x - mean; with eps > 0 it is not
s0 = np.sqrt(x1.var())
xhat0 = (x1 - x1.mean()) / s0
grad0 = g_scale / (B * s0) * (B * u - u.sum() - xhat0 * np.sum(u * xhat0))
fd0 = np.array(
    [
        (
            np.sum(u * batch_norm((x1 + 1e-6 * e)[:, None], g_scale, b_shift)[:, 0])
            - np.sum(u * batch_norm((x1 - 1e-6 * e)[:, None], g_scale, b_shift)[:, 0])
        )
        / 2e-6
        for e in np.eye(B)
    ]
)
check_close(grad0, fd0, "eps = 0: the backward formula = central differences", rtol=1e-6, atol=1e-9)
check(
    abs(fd0 @ (x1 - x1.mean())) < 1e-6 * np.linalg.norm(fd0) * np.linalg.norm(x1 - x1.mean()),
    "eps = 0: the input gradient (finite differences) is orthogonal to x - mean",
)
check(
    abs(fd @ (x1 - x1.mean())) > 1e-6 * np.linalg.norm(fd) * np.linalg.norm(x1 - x1.mean()),
    "eps > 0: it is not exactly orthogonal",
)


# dL/dgamma and dL/dbeta by central differences in gamma and beta, against sum u x-hat and sum u
def loss_gb(gam, bet):
    return np.sum(u * batch_norm(x1[:, None], gam, bet, eps_t)[:, 0])


fd_gamma = (loss_gb(g_scale + 1e-6, b_shift) - loss_gb(g_scale - 1e-6, b_shift)) / 2e-6
fd_beta = (loss_gb(g_scale, b_shift + 1e-6) - loss_gb(g_scale, b_shift - 1e-6)) / 2e-6
check_close(
    [np.sum(u * xhat), u.sum()],
    [fd_gamma, fd_beta],
    "dL/dgamma = sum u x-hat and dL/dbeta = sum u (central differences)",
    rtol=1e-7,
)

# %% [markdown]
# ## Scale invariance of a batch-normalised linear layer
#
# $y = \mathrm{BN}(\mathbf{X}\mathbf{w})$ does not change when $\mathbf{w}$ is multiplied by $a > 0$ (with $\epsilon = 0$), so the gradient with respect to $\mathbf{w}$ is orthogonal to $\mathbf{w}$ and scales as $1/a$.
# Both are checked with finite differences, not with the derivation's formulas.

# %%
d_in = 5
Xin = rng.normal(size=(B, d_in))
w0 = rng.normal(size=d_in)
u2 = rng.normal(size=B)


def loss_w(w):
    z = Xin @ w
    return np.sum(u2 * np.tanh(batch_norm(z[:, None], 1.0, 0.0)[:, 0]))


def fd_grad_w(w, h=1e-6):
    return np.array([(loss_w(w + h * e) - loss_w(w - h * e)) / (2 * h) for e in np.eye(d_in)])


a_scale = 4.0
bind("a_scale", a_scale)
check_close(
    loss_w(a_scale * w0), loss_w(w0), "BN(X (a w)) = BN(X w): the loss does not depend on the scale of w", rtol=1e-12
)
g0, ga = fd_grad_w(w0), fd_grad_w(a_scale * w0)
check_close(ga, g0 / a_scale, "gradient at a w = gradient at w divided by a (finite differences)", rtol=1e-5, atol=1e-9)
check(abs(g0 @ w0) < 1e-6 * np.linalg.norm(g0) * np.linalg.norm(w0), "the gradient is orthogonal to w")

# %% [markdown]
# ## Batch dependence: the same example gets a different output in every batch
#
# For one example with value $x$ among $B - 1$ others drawn from $\mathcal{N}(0, 1)$, the delta method gives the standard deviation of its batch-normalised value over random batches as about $\sqrt{(1 + x^2/2)/B}$ for large $B$.
# Layer norm's output for that example does not depend on the batch at all.

# %%
x_fixed = 1.5
bind("x_fixed", x_fixed)
batch_sizes = np.array([2, 4, 8, 16, 32, 64, 128, 256])
n_batches = 4000
bind("n_batches", n_batches)
sd_bn = []
for bs in batch_sizes:
    others = rng.normal(size=(n_batches, bs - 1))
    full = np.hstack([np.full((n_batches, 1), x_fixed), others])
    vals = (x_fixed - full.mean(axis=1)) / full.std(axis=1)
    sd_bn.append(vals.std(ddof=1))
sd_bn = np.array(sd_bn)
delta_pred = np.sqrt((1 + x_fixed**2 / 2) / batch_sizes)
check(
    np.all(np.abs(sd_bn[-3:] / delta_pred[-3:] - 1) < 0.06),
    f"delta method sqrt((1 + x^2/2)/B) matches the simulated spread for B = 64, 128, 256: {np.round(sd_bn[-3:] / delta_pred[-3:], 3)}",
)
for bs, sd in zip(batch_sizes, sd_bn, strict=True):
    if bs in (2, 8, 32, 256):
        bind(f"sd_bn_{bs}", sd)
bind("pred_256", delta_pred[-1])
bind("b_two", batch_sizes[0])
bind("b_big", batch_sizes[-1])
# with B = 2 each normalised value is exactly +1 or -1 (eps = 0), whatever x is
two = np.array([[x_fixed, rng.normal()] for _ in range(5)])
check(
    np.allclose(np.abs((two - two.mean(axis=1, keepdims=True)) / two.std(axis=1, keepdims=True)), 1),
    "B = 2: outputs are exactly +-1",
)
# So at B = 2 the value is +1 exactly when the companion is below x: its std is 2 sqrt(Phi(x)(1 - Phi(x))) in closed form.
p_plus = 0.5 * (1 + erf(x_fixed / sqrt(2)))  # Phi(x)
sd_b2_exact = 2 * np.sqrt(p_plus * (1 - p_plus))
# the sample std of a +-1 variable with mean m = 2 Phi(x) - 1 has standard error about |m| / sqrt(n) (delta method)
se_sd_b2 = abs(2 * p_plus - 1) / np.sqrt(n_batches)
check(
    abs(sd_bn[0] - sd_b2_exact) < 4 * se_sd_b2,
    f"B = 2: simulated std {sd_bn[0]:.3f} = exact 2 sqrt(Phi(x)(1 - Phi(x))) = {sd_b2_exact:.3f}",
)
feat = rng.normal(size=(3, 16))
# Our row-wise layer_norm is batch-independent by construction; the independent route is StandardScaler on the lone row.
ln_alone = StandardScaler().fit_transform(feat[:1].T).T
ln_in_batch = layer_norm(feat, 1.0, 0.0)[:1]
check_close(
    ln_in_batch,
    ln_alone,
    "layer norm of an example in a batch = the example standardised alone",
    rtol=1e-10,
    atol=1e-12,
)

# %% [markdown]
# ## Figure

# %%
fig, axes = plt.subplots(1, 2, figsize=(9.4, 3.9), gridspec_kw={"width_ratios": [1, 1.25]})
ax = axes[0]
n_rows, n_cols = 6, 8
for i in range(n_rows):
    for j in range(n_cols):
        ax.add_patch(Rectangle((j, n_rows - 1 - i), 1, 1, fill=False, lw=0.5, ec="gray"))
ax.add_patch(Rectangle((2, 0), 1, n_rows, color="C0", alpha=0.45, label="batch norm: one feature, all examples"))
ax.add_patch(Rectangle((0, 1), n_cols, 1, color="C1", alpha=0.45, label="layer norm: one example, all features"))
ax.set_xlim(-0.2, n_cols + 0.2)
ax.set_ylim(-2.6, n_rows + 0.2)
ax.set_xticks([])
ax.set_yticks([])
ax.set_xlabel("features (columns)")
ax.set_ylabel("examples in the batch (rows)")
ax.grid(False)
ax.legend(loc="lower center", fontsize=8)
ax.set_title("what is averaged", fontsize=11)
ax = axes[1]
ax.loglog(batch_sizes, sd_bn, "o-", label="batch norm, simulated")
ax.loglog(batch_sizes, delta_pred, "k--", lw=1, label=r"delta method $\sqrt{(1 + x^2/2)/B}$")
ax.axhline(1e-3, color="C1", lw=2, label="layer norm: 0 (no dependence)")
ax.set_xlabel("batch size $B$")
ax.set_ylabel("std of one example's output")
ax.set_title(f"output noise from the batch, $x$ = {x_fixed}", fontsize=11)
ax.legend(fontsize=8)
fig.tight_layout()
save_figure(fig, "bn-vs-ln")
bind("b_8", batch_sizes[2])
bind("b_32", batch_sizes[4])
