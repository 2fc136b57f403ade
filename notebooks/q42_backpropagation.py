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
# # Backpropagation through a two-layer network, checked three ways
#
# The notebook implements the forward and backward passes of the page's derivation for a two-layer network (a tanh hidden layer and a softmax output with the cross-entropy loss) on a mini-batch.
# The backward pass is compared with two independent routes: central finite differences and the complex-step derivative, which has no subtraction error.
# A one-unit network is worked through by hand with the same formulas, and the figure shows how the error of one-sided and central differences depends on the step $\Delta$.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## A worked example: one input, one tanh unit, one linear output, squared loss
#
# $z_1 = w_1 x + b_1$, $h_1 = \tanh(z_1)$, $\hat{y} = w_2 h_1 + b_2$, $L = \frac12(\hat{y} - y)^2$.
# The backward pass of the page: $\delta_2 = \hat{y} - y$, $\partial L/\partial w_2 = \delta_2 h_1$, $\delta_1 = (1 - h_1^2)\, w_2 \delta_2$, $\partial L/\partial w_1 = \delta_1 x$.
# The route to check it against is sympy's symbolic derivative of the composed expression.

# %%
x_s, y_s, w1_s, b1_s, w2_s, b2_s = 1.5, 1.0, 0.8, 0.0, -1.2, 0.0
for name_, value_ in (("ex_x", x_s), ("ex_y", y_s), ("ex_w1", w1_s), ("ex_b1", b1_s), ("ex_w2", w2_s), ("ex_b2", b2_s)):
    bind(name_, value_)
z1_s = w1_s * x_s + b1_s
h1_s = np.tanh(z1_s)
yhat_s = w2_s * h1_s + b2_s
loss_s = 0.5 * (yhat_s - y_s) ** 2
delta2_s = yhat_s - y_s
dw2_s = delta2_s * h1_s
delta1_s = (1 - h1_s**2) * w2_s * delta2_s
dw1_s = delta1_s * x_s
for name_, value_ in (
    ("ex_z1", z1_s),
    ("ex_h1", h1_s),
    ("ex_yhat", yhat_s),
    ("ex_loss", loss_s),
    ("ex_delta2", delta2_s),
    ("ex_dw2", dw2_s),
    ("ex_tanh_slope", 1 - h1_s**2),
    ("ex_delta1", delta1_s),
    ("ex_dw1", dw1_s),
):
    bind(name_, value_)

W1, B1, W2, B2, X, Y = sp.symbols("w1 b1 w2 b2 x y", real=True)
L_sym = sp.Rational(1, 2) * (W2 * sp.tanh(W1 * X + B1) + B2 - Y) ** 2
at = {W1: w1_s, B1: b1_s, W2: w2_s, B2: b2_s, X: x_s, Y: y_s}
check_close(
    [dw1_s, dw2_s, delta2_s, delta1_s],
    [float(sp.diff(L_sym, v).subs(at)) for v in (W1, W2, B2, B1)],
    "hand backward pass = sympy's symbolic derivatives for w1, w2, b2 (= delta2) and b1 (= delta1)",
    rtol=1e-12,
)
check(
    sp.simplify(sp.diff(sp.tanh(X), X) - (1 - sp.tanh(X) ** 2)) == 0,
    "sympy: tanh'(z) = 1 - tanh(z)^2",
)

# %% [markdown]
# ## The two-layer network on a mini-batch
#
# Rows are examples: $\mathbf{Z}_1 = \mathbf{X}\mathbf{W}_1^\top + \mathbf{b}_1^\top$, $\mathbf{H}_1 = \tanh(\mathbf{Z}_1)$, $\mathbf{Z}_2 = \mathbf{H}_1\mathbf{W}_2^\top + \mathbf{b}_2^\top$, softmax probabilities $\mathbf{P}$, and $J = -\frac{1}{B}\sum_i \log P_{i, y_i}$ over the $B$ examples of the mini-batch.
# The backward pass: $\mathbf{D}_2 = (\mathbf{P} - \mathbf{Y})/B$ with one-hot rows $\mathbf{Y}$, $\nabla_{\mathbf{W}_2} J = \mathbf{D}_2^\top\mathbf{H}_1$, $\mathbf{D}_1 = (1 - \mathbf{H}_1^2)\odot(\mathbf{D}_2\mathbf{W}_2)$, $\nabla_{\mathbf{W}_1} J = \mathbf{D}_1^\top\mathbf{X}$; bias gradients are column sums.
# The functions work with complex numbers too, which the complex-step check needs.

# %%
d_in, d_hid, n_cls, n_batch = 4, 5, 3, 8
for name_, value_ in (("d_in", d_in), ("d_hid", d_hid), ("n_cls", n_cls), ("n_batch", n_batch)):
    bind(name_, value_)
Xb = rng.normal(size=(n_batch, d_in))
yb = rng.integers(0, n_cls, size=n_batch)
Yb = np.eye(n_cls)[yb]
shapes = [(d_hid, d_in), (d_hid,), (n_cls, d_hid), (n_cls,)]
sizes = [int(np.prod(s)) for s in shapes]
n_params = sum(sizes)
bind("n_params", n_params)
bind("n_fd_passes", 2 * n_params)


def unpack(theta):
    parts, start = [], 0
    for shape, size in zip(shapes, sizes, strict=True):
        parts.append(theta[start : start + size].reshape(shape))
        start += size
    return parts


def loss(theta, x=Xb, onehot=Yb):
    """Average cross-entropy of the two-layer network (complex-safe: no max-shift, no abs)."""
    w1, b1, w2, b2 = unpack(theta)
    z2 = np.tanh(x @ w1.T + b1) @ w2.T + b2
    log_norm = np.log(np.sum(np.exp(z2), axis=1))
    return np.mean(log_norm - np.sum(onehot * z2, axis=1))


def backprop(theta, x=Xb, onehot=Yb):
    """The page's backward pass, in matrix form over the mini-batch."""
    w1, b1, w2, b2 = unpack(theta)
    h1 = np.tanh(x @ w1.T + b1)
    z2 = h1 @ w2.T + b2
    p = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    d2 = (p - onehot) / len(x)
    d1 = (1 - h1**2) * (d2 @ w2)
    return np.concatenate([(d1.T @ x).ravel(), d1.sum(axis=0), (d2.T @ h1).ravel(), d2.sum(axis=0)])


theta0 = rng.normal(scale=0.7, size=n_params)
g_bp = backprop(theta0)
eye = np.eye(n_params)


def central(h):
    return np.array([(loss(theta0 + h * e) - loss(theta0 - h * e)) / (2 * h) for e in eye])


def forward_diff(h):
    f0 = loss(theta0)
    return np.array([(loss(theta0 + h * e) - f0) / h for e in eye])


def rel_err(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


h_check = 1e-5
err_central = rel_err(central(h_check), g_bp)
bind("cen_digits", np.floor(-np.log10(err_central)))
bind("h_check_exp", np.log10(h_check))
check(err_central < 1e-8, f"backprop = central differences with h = 1e-5 (relative error {err_central:.1e})")

# Complex step: Im J(theta + i D e_j) / D = dJ/dtheta_j + O(D^2), with no cancellation, so h can be 1e-20.
g_cs = np.array([loss(theta0 + 1e-20j * e).imag / 1e-20 for e in eye])
err_complex = rel_err(g_bp, g_cs)
bind("cs_digits", np.floor(-np.log10(err_complex)))
check(err_complex < 1e-13, f"backprop = complex-step derivative to {err_complex:.1e}, machine precision")

# The softmax + cross-entropy output error p - onehot, against central differences in the logits.
z_test = rng.normal(size=n_cls)
c_test = 1


def ce_of_logits(z):
    return np.log(np.sum(np.exp(z))) - z[c_test]


fd_logits = np.array(
    [(ce_of_logits(z_test + 1e-6 * e) - ce_of_logits(z_test - 1e-6 * e)) / 2e-6 for e in np.eye(n_cls)]
)
softmax_test = np.exp(z_test) / np.exp(z_test).sum()
check_close(softmax_test - np.eye(n_cls)[c_test], fd_logits, "dL/dz = softmax(z) - onehot(y)", atol=1e-9)

# The gradient of the mini-batch average is the average of per-example gradients.
# (Same backprop code on both sides: this only catches a wrong 1/B scaling; the finite-difference checks above are the independent route.)
per_example = [backprop(theta0, Xb[i : i + 1], Yb[i : i + 1]) for i in range(n_batch)]
check_close(np.mean(per_example, axis=0), g_bp, "batch gradient = mean of per-example gradients", rtol=1e-12)

# %% [markdown]
# ## Gradient descent with these gradients lowers the loss
#
# A gradient that is right but has the wrong sign, or the wrong scale, would not train; a few hundred steps should drive the training loss of the 8 examples towards 0.

# %%
theta = theta0.copy()
losses = [loss(theta)]
for _ in range(500):
    theta -= 0.5 * backprop(theta)
    losses.append(loss(theta))
bind("loss_start", losses[0])
bind("loss_end", losses[-1])
bind("gd_steps", len(losses) - 1)
check(
    losses[-1] < 0.05 * losses[0],
    f"500 steps of gradient descent cut the loss from {losses[0]:.3f} to {losses[-1]:.4f}",
)

# %% [markdown]
# ## How the finite-difference error depends on the step
#
# One-sided differences have truncation error $O(\Delta)$, central differences $O(\Delta^2)$; both suffer round-off of order $\epsilon_{\mathrm{mach}}/\Delta$ as the step $\Delta$ shrinks.
# So the error is V-shaped, with its minimum near $\Delta \approx \epsilon_{\mathrm{mach}}^{1/2}$ (one-sided) and $\epsilon_{\mathrm{mach}}^{1/3}$ (central).

# %%
hs = np.logspace(-13, -1, 49)
e_fwd = np.array([rel_err(forward_diff(h), g_bp) for h in hs])
e_cen = np.array([rel_err(central(h), g_bp) for h in hs])
best_fwd, best_cen = hs[np.argmin(e_fwd)], hs[np.argmin(e_cen)]
eps_mach = np.finfo(float).eps
bind("fwd_best_digits", np.floor(-np.log10(e_fwd.min())))
bind("cen_best_digits", np.floor(-np.log10(e_cen.min())))
check(
    abs(np.log10(best_fwd) - np.log10(eps_mach**0.5)) <= 1.5
    and abs(np.log10(best_cen) - np.log10(eps_mach ** (1 / 3))) <= 1.5,
    f"best steps {best_fwd:.0e} (one-sided) and {best_cen:.0e} (central) are within 1.5 decades of eps^(1/2) and eps^(1/3)",
)
# slopes of the truncation branch (large h): about 1 for one-sided, 2 for central
big = (hs >= 1e-4) & (hs <= 1e-2)
slope_fwd = np.polyfit(np.log10(hs[big]), np.log10(e_fwd[big]), 1)[0]
slope_cen = np.polyfit(np.log10(hs[big]), np.log10(e_cen[big]), 1)[0]
check(abs(slope_fwd - 1) < 0.15 and abs(slope_cen - 2) < 0.15, f"truncation slopes {slope_fwd:.2f} and {slope_cen:.2f}")
check(e_cen.min() < e_fwd.min() / 100, "central differences reach an error 100 times smaller than one-sided")
check(
    best_cen > best_fwd, f"the best central step {best_cen:.0e} is larger than the best one-sided step {best_fwd:.0e}"
)

fig, ax = plt.subplots()
ax.loglog(hs, e_fwd, "o-", ms=3, label="one-sided $(J(\\theta+\\Delta)-J(\\theta))/\\Delta$")
ax.loglog(hs, e_cen, "s-", ms=3, label="central $(J(\\theta+\\Delta)-J(\\theta-\\Delta))/2\\Delta$")
ax.axhline(max(err_complex, eps_mach / 10), color="gray", ls=":", label="complex step, $\\Delta = 10^{-20}$")
ax.set_xlabel("finite-difference step $\\Delta$")
ax.set_ylabel("relative error against backprop")
ax.set_title("Gradient check: truncation (right) vs round-off (left)")
ax.legend(fontsize=9)
save_figure(fig, "gradient-check")
