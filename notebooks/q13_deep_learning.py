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
# # XOR, linear collapse and backpropagation
#
# The XOR problem is the page's worked example: no linear model can classify its four points, least squares predicts $0.5$ everywhere, and one hidden ReLU layer with the weights of Goodfellow et al. solves it exactly.
# The checks recompute every row of the page's table, prove that a stack of linear layers is one affine map, and compare the backpropagation formulas of the derivation with finite differences on a small random network.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import check, check_close, save_figure
from scipy.optimize import linprog
from scipy.special import expit, softmax

rng = np.random.default_rng(0)

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([0.0, 1.0, 1.0, 0.0])

# %% [markdown]
# ## No linear threshold classifier separates XOR
#
# A linear classifier with score $s(\mathbf{x}) = w_1 x_1 + w_2 x_2 + b$ and threshold $t$ would need $s > t$ on the two positive points and $s < t$ on the two negative ones.
# Absorbing $t$ into $b$ and scaling, this is the linear feasibility problem $(2y_i - 1)\, s(\mathbf{x}_i) \ge 1$ for all four points; the LP solver must report it infeasible.
# The page's proof adds the two pairs of inequalities: both pairs sum to $w_1 + w_2 + 2b$.

# %%
signs = 2 * y - 1
A_ub = -signs[:, None] * np.c_[X, np.ones(4)]  # -(2y-1) (w.x + b) <= -1
res = linprog(np.zeros(3), A_ub=A_ub, b_ub=-np.ones(4), bounds=[(None, None)] * 3, method="highs")
check(res.status == 2, "XOR: no (w1, w2, b) classifies all four points with a linear score (LP infeasible)")

design = np.c_[X, np.ones(4)]
check(
    np.array_equal(design[1] + design[2], design[0] + design[3]),
    "s(0,1) + s(1,0) and s(0,0) + s(1,1) are both w1 + w2 + 2b, the page's contradiction",
)

# %% [markdown]
# ## Least squares on the four points
#
# Ordinary least squares with an intercept, $\min_{w_1, w_2, b} \sum_i (y_i - w_1 x_{i1} - w_2 x_{i2} - b)^2$, should give $w_1 = w_2 = 0$ and $b = 0.5$.

# %%
coef, *_ = np.linalg.lstsq(design, y, rcond=None)
check_close(coef, [0.0, 0.0, 0.5], "least squares on XOR gives w1 = w2 = 0 and b = 0.5", atol=1e-12)
check_close(design @ coef, np.full(4, 0.5), "so the linear fit predicts 0.5 at every point", atol=1e-12)

# %% [markdown]
# ## One hidden ReLU layer solves XOR exactly
#
# With $\mathbf{W}_1$ all ones, $\mathbf{b}_1 = (0, -1)$, $\mathbf{h} = \max(\mathbf{0}, \mathbf{W}_1\mathbf{x} + \mathbf{b}_1)$ and $\hat{y} = h_1 - 2h_2$, each column of the page's table is recomputed.

# %%
W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
b1 = np.array([0.0, -1.0])
w2 = np.array([1.0, -2.0])

Z = X @ W1.T + b1
H = np.maximum(0.0, Z)
y_hat = H @ w2

check_close(Z, [[0, -1], [1, 0], [1, 0], [2, 1]], "table column W1 x + b1: (0,-1), (1,0), (1,0), (2,1)", atol=0)
check_close(H, [[0, 0], [1, 0], [1, 0], [2, 1]], "table column h: (0,0), (1,0), (1,0), (2,1)", atol=0)
check_close(y_hat, [0, 1, 1, 0], "table column y_hat = h1 - 2 h2: 0, 1, 1, 0", atol=0)
check(np.array_equal(y_hat, y), "the network reproduces the XOR targets exactly")
check(
    np.array_equal(H[1], H[2]) and np.array_equal(H[1], [1.0, 0.0]) and np.array_equal(H[3], [2.0, 1.0]),
    "the hidden layer maps (0,1) and (1,0) to the same point (1,0) and (1,1) to (2,1)",
)

# %% [markdown]
# In the hidden representation a linear rule separates the classes: the same LP as before, now on $\mathbf{h}$, is feasible.

# %%
A_ub_h = -signs[:, None] * np.c_[H, np.ones(4)]
res_h = linprog(np.zeros(3), A_ub=A_ub_h, b_ub=-np.ones(4), bounds=[(None, None)] * 3, method="highs")
check(res_h.status == 0, "in the learned representation h the classes are linearly separable (LP feasible)")

# %% [markdown]
# ## Without the non-linearity, depth adds nothing
#
# Step 1 of the derivation: $\mathbf{W}_2(\mathbf{W}_1\mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2 = (\mathbf{W}_2\mathbf{W}_1)\mathbf{x} + (\mathbf{W}_2\mathbf{b}_1 + \mathbf{b}_2)$.
# We check it on a random stack of five linear layers, and show that the XOR network with the ReLU removed gets the targets wrong: it becomes the affine map $2 - x_1 - x_2$, and no affine map fits XOR better than least squares.

# %%
sizes = [3, 5, 4, 6, 2, 1]
Ws = [rng.standard_normal((sizes[i + 1], sizes[i])) for i in range(len(sizes) - 1)]
bs = [rng.standard_normal(sizes[i + 1]) for i in range(len(sizes) - 1)]
X_rand = rng.standard_normal((50, sizes[0]))

out = X_rand.T
W_tot, b_tot = np.eye(sizes[0]), np.zeros(sizes[0])
for W, b in zip(Ws, bs, strict=False):
    out = W @ out + b[:, None]
    W_tot, b_tot = W @ W_tot, W @ b_tot + b
check_close(
    out.T, X_rand @ W_tot.T + b_tot, "a stack of 5 linear layers equals one affine map W x + b", rtol=1e-10, atol=1e-12
)

y_linear = (X @ W1.T + b1) @ w2
check_close(y_linear, 2 - X.sum(axis=1), "the XOR network without ReLU is the affine map 2 - x1 - x2", atol=1e-12)
check(not np.array_equal(y_linear, y), "and it no longer reproduces XOR (it predicts 2, 1, 1, 0)")
sse_linear_best = np.sum((design @ coef - y) ** 2)
check_close(
    sse_linear_best,
    1.0,
    "the best affine fit (least squares) still has a sum of squared errors of 1.0 on XOR",
    atol=1e-12,
)

# %% [markdown]
# ## Backpropagation agrees with finite differences
#
# A random network with layer sizes 3, 4, 5, 1, ReLU hidden activations, a linear output and the squared loss $L = \frac{1}{2}(y - \hat{y})^2$.
# The backward pass uses exactly the page's formulas: $\boldsymbol{\delta}_m = \hat{y} - y$, $\boldsymbol{\delta}_l = g'(\mathbf{z}_l) \odot (\mathbf{W}_{l+1}^\top\boldsymbol{\delta}_{l+1})$, $\partial L/\partial\mathbf{W}_l = \boldsymbol{\delta}_l\mathbf{h}_{l-1}^\top$ and $\partial L/\partial\mathbf{b}_l = \boldsymbol{\delta}_l$.
# Central differences with step $10^{-6}$ must agree to about $10^{-7}$.

# %%
net_sizes = [3, 4, 5, 1]
params = [
    (rng.standard_normal((net_sizes[i + 1], net_sizes[i])), rng.standard_normal(net_sizes[i + 1])) for i in range(3)
]


def forward(params, x):
    """Pre-activations z_l and activations h_l; the output layer is linear."""
    hs, zs = [x], []
    for i, (W, b) in enumerate(params):
        z = W @ hs[-1] + b
        zs.append(z)
        hs.append(np.maximum(0.0, z) if i < len(params) - 1 else z)
    return zs, hs


def loss(params, x, target):
    return 0.5 * (target - forward(params, x)[1][-1][0]) ** 2


def backprop(params, x, target):
    zs, hs = forward(params, x)
    delta = hs[-1] - target  # step 3: delta_m = y_hat - y
    grads = [None] * len(params)
    for layer in reversed(range(len(params))):
        grads[layer] = (np.outer(delta, hs[layer]), delta.copy())  # step 5
        if layer > 0:
            W = params[layer][0]
            delta = (zs[layer - 1] > 0) * (W.T @ delta)  # step 4, ReLU' = 1[z > 0]
    return grads


def numeric_grads(params, x, target, eps=1e-6):
    grads = []
    for W, b in params:
        gW, gb = np.zeros_like(W), np.zeros_like(b)
        for arr, g in ((W, gW), (b, gb)):
            for idx in np.ndindex(arr.shape):
                old = arr[idx]
                arr[idx] = old + eps
                up = loss(params, x, target)
                arr[idx] = old - eps
                down = loss(params, x, target)
                arr[idx] = old
                g[idx] = (up - down) / (2 * eps)
        grads.append((gW, gb))
    return grads


max_err = 0.0
for _ in range(5):
    x0, t0 = rng.standard_normal(3), rng.standard_normal()
    for (gW, gb), (nW, nb) in zip(backprop(params, x0, t0), numeric_grads(params, x0, t0), strict=False):
        max_err = max(max_err, np.max(np.abs(gW - nW)), np.max(np.abs(gb - nb)))
check(max_err < 1e-7, f"backprop gradients match central differences on 5 random examples (max error {max_err:.1e})")

# %% [markdown]
# The gradient of a mini-batch average is the average of the per-example gradients (step 7), which follows from linearity of differentiation.

# %%
batch = [(rng.standard_normal(3), rng.standard_normal()) for _ in range(8)]
per_example = [backprop(params, xb, tb) for xb, tb in batch]
avg_W0 = np.mean([g[0][0] for g in per_example], axis=0)


def batch_loss(W0):
    trial = [(W0, params[0][1]), *params[1:]]
    return np.mean([loss(trial, xb, tb) for xb, tb in batch])


num_W0 = np.zeros_like(params[0][0])
for idx in np.ndindex(num_W0.shape):
    step = np.zeros_like(num_W0)
    step[idx] = 1e-6
    num_W0[idx] = (batch_loss(params[0][0] + step) - batch_loss(params[0][0] - step)) / 2e-6
check_close(avg_W0, num_W0, "the gradient of the batch-average loss is the average of per-example gradients", atol=1e-7)

# %% [markdown]
# ## Softmax with cross-entropy, and the sigmoid's small derivative
#
# For a softmax output $\mathbf{p} = \operatorname{softmax}(\mathbf{z})$ and the loss $-\log p_c$, the page states $\partial L/\partial\mathbf{z} = \mathbf{p} - \mathbf{e}_c$, the predicted probabilities minus the one-hot target.
# The follow-up on vanishing gradients states that the sigmoid's derivative $\sigma(z)(1 - \sigma(z))$ is at most $1/4$, reached at $z = 0$.

# %%
z = rng.standard_normal(6)
c = 2


def ce(zv):
    return -np.log(softmax(zv)[c])


num = np.array([(ce(z + 1e-6 * e) - ce(z - 1e-6 * e)) / 2e-6 for e in np.eye(6)])
check_close(num, softmax(z) - np.eye(6)[c], "softmax + cross-entropy: dL/dz = p - onehot", atol=1e-8)

zz = np.linspace(-20, 20, 400_001)
dsig = expit(zz) * (1 - expit(zz))
check_close(dsig.max(), 0.25, "the sigmoid's derivative is at most 1/4", rtol=1e-12)
check_close(zz[np.argmax(dsig)], 0.0, "and the maximum is at z = 0", atol=1e-12)

# %% [markdown]
# ## Figure: the hidden layer changes the representation
#
# Left, the inputs: no straight line separates the two classes.
# Right, the same four points after the hidden ReLU layer: $(0, 1)$ and $(1, 0)$ land on the same point, and the line $h_1 - 2h_2 = 1/2$ separates the classes.

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.2))
colors = np.where(y == 1, "C1", "C0")
for ax, pts, title, xl, yl in (
    (ax1, X, "Input space x", "x₁", "x₂"),
    (ax2, H, "Hidden space h = ReLU(W₁x + b₁)", "h₁", "h₂"),
):
    ax.scatter(pts[:, 0], pts[:, 1], c=colors, s=120, zorder=3, edgecolors="black")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xl)
    ax.set_ylabel(yl)
ax1.set_xlim(-0.4, 1.4)
ax1.set_ylim(-0.4, 1.4)
ax2.set_xlim(-0.4, 2.4)
ax2.set_ylim(-0.4, 1.4)
line_h1 = np.linspace(-0.4, 2.4, 2)
ax2.plot(line_h1, (line_h1 - 0.5) / 2, "--", color="gray", label="h₁ − 2h₂ = 0.5")
ax2.annotate(
    "(0,1) and (1,0)", xy=(1, 0), xytext=(1.05, 0.45), fontsize=8, arrowprops={"arrowstyle": "->", "color": "gray"}
)
ax2.legend(fontsize=8, loc="upper left")
ax1.scatter([], [], c="C1", label="y = 1", edgecolors="black")
ax1.scatter([], [], c="C0", label="y = 0", edgecolors="black")
ax1.legend(fontsize=8, loc="center")
fig.tight_layout()
save_figure(fig, "xor-representation")
