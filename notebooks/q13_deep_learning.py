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
# The checks recompute every row of the page's table (which is bound to these values), train deep linear and ReLU networks on XOR, show that gradient descent on separable logistic regression has no optimum to reach, count the linear pieces of deep and shallow ReLU networks, and compare the backpropagation formulas of the derivation with finite differences on a small random network.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import linprog
from scipy.special import expit, softmax
from sklearn.linear_model import LinearRegression, LogisticRegression

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
bind("xor_pos", y[1])
bind("xor_neg", y[0])
design = np.c_[X, np.ones(4)]

# %% [markdown]
# ## Least squares on the four points
#
# Ordinary least squares with an intercept, $\min_{w_1, w_2, b} \sum_i (y_i - w_1 x_{i1} - w_2 x_{i2} - b)^2$, should give $w_1 = w_2 = 0$ and $b = 0.5$.

# %%
coef, *_ = np.linalg.lstsq(design, y, rcond=None)
ols = LinearRegression().fit(X, y)
check_close(coef, [*ols.coef_, ols.intercept_], "least squares on XOR: NumPy lstsq = scikit-learn", atol=1e-12)
check(np.ptp(design @ coef) < 1e-12, "the least-squares fit predicts the same value at all four points")
bind("ols_w", abs(coef[0]) + abs(coef[1]))  # both weights are 0 (the page writes w1 = w2 = 0)
check(abs(coef[0] - coef[1]) < 1e-12, "w1 = w2")
bind("ols_b", coef[2])
bind("ols_pred", (design @ coef)[0])

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

check(np.array_equal(y_hat, y), "the network reproduces the XOR targets exactly")
check(np.array_equal(H[1], H[2]), "the hidden layer maps (0,1) and (1,0) to the same point")
sep_threshold = 0.5
check(
    np.array_equal(np.sign(H @ w2 - sep_threshold), signs),
    "the caption's line h1 - 2 h2 = 0.5 separates the two classes in the hidden space",
)
bind("sep_threshold", sep_threshold)

# %% [markdown]
# In the hidden representation a linear rule separates the classes: the same LP as before, now on $\mathbf{h}$, is feasible.

# %%
A_ub_h = -signs[:, None] * np.c_[H, np.ones(4)]
res_h = linprog(np.zeros(3), A_ub=A_ub_h, b_ub=-np.ones(4), bounds=[(None, None)] * 3, method="highs")
check(res_h.status == 0, "in the learned representation h the classes are linearly separable (LP feasible)")

# %% [markdown]
# ## Without the non-linearity, depth adds nothing
#
# Step 1 of the derivation says that a stack of linear layers is one affine map, so it can do no better than least squares.
# We train a network with two hidden layers of width 10 on XOR by full-batch gradient descent from 10 random starts, once with identity activations (step size 0.01, since products of weights make larger steps diverge) and once with ReLU (step size 0.05).
# The linear network's sum of squared errors must never go below that of least squares (1 on XOR, computed by `lstsq`), while the ReLU network must fit XOR (error below $10^{-3}$) from at least one start.
# A page claiming that depth alone adds expressive power would fail the first check.

# %%
sse_lstsq = np.sum((design @ coef - y) ** 2)
n_starts, width, n_steps = 10, 10, 4000


def train_xor(relu, seed, lr):
    r = np.random.default_rng(seed)
    sizes = [2, width, width, 1]
    Wl = [r.standard_normal((n_starts, sizes[i + 1], sizes[i])) * np.sqrt(2 / sizes[i]) for i in range(3)]
    bl = [np.zeros((n_starts, sizes[i + 1], 1)) for i in range(3)]
    A0 = np.broadcast_to(X.T, (n_starts, 2, 4))
    for _ in range(n_steps):
        hs, zs = [A0], []
        for i in range(3):
            zs.append(Wl[i] @ hs[-1] + bl[i])
            hs.append(np.maximum(0, zs[-1]) if (relu and i < 2) else zs[-1])
        delta = hs[-1] - y  # d(SSE/2)/d(output)
        for i in reversed(range(3)):
            gW, gb = delta @ np.swapaxes(hs[i], 1, 2), delta.sum(axis=2, keepdims=True)
            if i > 0:
                delta = np.swapaxes(Wl[i], 1, 2) @ delta
                if relu:
                    delta = delta * (zs[i - 1] > 0)
            Wl[i] -= lr * gW
            bl[i] -= lr * gb
    return np.sum((hs[-1][:, 0, :] - y) ** 2, axis=1)  # SSE of each start


sse_deep_linear = train_xor(relu=False, seed=1, lr=0.01)
sse_deep_relu = train_xor(relu=True, seed=2, lr=0.05)
print("deep linear SSE:", np.round(sse_deep_linear, 4))
print("deep ReLU SSE:  ", np.round(sse_deep_relu, 4))
check(
    np.all(np.isfinite(sse_deep_linear)) and sse_deep_linear.min() >= sse_lstsq - 1e-6,
    f"a trained 3-layer linear network never beats least squares on XOR (best SSE {sse_deep_linear.min():.4f})",
)
check(sse_deep_relu.min() < 1e-3, f"the same network with ReLU fits XOR (best SSE {sse_deep_relu.min():.1e})")

# %% [markdown]
# ## Backpropagation agrees with finite differences
#
# A random network with layer sizes 3, 4, 5, 1, ReLU hidden activations, a linear output and the squared loss $L = \frac{1}{2}(y - \hat{y})^2$.
# The backward pass uses exactly the page's formulas: $\boldsymbol{\delta}_M = \hat{y} - y$, $\boldsymbol{\delta}_l = g'(\mathbf{z}_l) \odot (\mathbf{W}_{l+1}^\top\boldsymbol{\delta}_{l+1})$, $\partial L/\partial\mathbf{W}_l = \boldsymbol{\delta}_l\mathbf{h}_{l-1}^\top$ and $\partial L/\partial\mathbf{b}_l = \boldsymbol{\delta}_l$.
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
    delta = hs[-1] - target  # step 3: delta_M = y_hat - y
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
check_close(
    dsig.max(), 0.25, "the sigmoid's derivative is at most 1/4 (grid maximum vs the closed form 1/4)", rtol=1e-12
)
check_close(zz[np.argmax(dsig)], 0.0, "and the maximum is at z = 0", atol=1e-12)

# %% [markdown]
# ## Convexity does not mean gradient descent reaches an optimum
#
# The follow-up on logistic regression: its loss is convex, so every local minimum is global, but on linearly separable data no finite minimiser exists (ESL §4.4.5).
# Gradient descent on 100 separable points keeps lowering the loss towards 0 while $\lVert \mathbf{w} \rVert$ grows without bound (asymptotically like the logarithm of the number of steps; Soudry et al., 2018).
# With an L2 penalty a unique minimiser exists, and gradient descent must reach scikit-learn's solution for the same penalty.

# %%
X_sep = np.r_[rng.normal(-2, 1, (50, 2)), rng.normal(2, 1, (50, 2))]
y_sep = np.r_[np.zeros(50), np.ones(50)]
check(
    LogisticRegression(C=1e10, max_iter=10_000).fit(X_sep, y_sep).score(X_sep, y_sep) == 1.0,
    "the 100 points are linearly separable",
)
Xb_sep = np.c_[X_sep, np.ones(100)]


checkpoints = (10, 100, 1000, 10_000, 30_000)


def gd_logistic(n_iter, lam=0.0, eta=0.5):
    w = np.zeros(3)
    norms, losses = {}, {}
    for t in range(1, n_iter + 1):
        p = expit(Xb_sep @ w)
        w -= eta * (Xb_sep.T @ (p - y_sep) / 100 + lam * np.r_[w[:2], 0.0])
        if t in checkpoints:
            norms[t] = np.linalg.norm(w)
            losses[t] = np.mean(np.logaddexp(0, -(2 * y_sep - 1) * (Xb_sep @ w)))  # log loss, computed stably
    return w, norms, losses


_, norms, losses = gd_logistic(checkpoints[-1])
bind("sep_points", X_sep.shape[0])
bind("norm_first", norms[checkpoints[0]])
bind("norm_last", norms[checkpoints[-1]])
bind("steps_first", checkpoints[0])
bind("steps_last", checkpoints[-1])
print({t: round(v, 2) for t, v in norms.items()})
check(np.all(np.diff(list(norms.values())) > 0), "separable data: ||w|| keeps growing over 30,000 gradient steps")
check(np.all(np.diff(list(losses.values())) < 0), "the log loss keeps falling at every checkpoint")
# No finite minimiser: with a minimiser the loss would level off at a positive value, so late steps would barely
# change it; here it still falls roughly like 1/steps (Soudry et al., 2018), so tripling the steps more than halves it.
check(
    losses[checkpoints[-1]] < 0.5 * losses[checkpoints[-2]],
    f"tripling the steps still more than halves the loss ({losses[checkpoints[-2]]:.2e} -> {losses[checkpoints[-1]]:.2e})",
)
lam = 0.01
w_l2, _, _ = gd_logistic(20_000, lam=lam)
sk = LogisticRegression(C=1 / (lam * 100), tol=1e-12, max_iter=10_000).fit(X_sep, y_sep)
check_close(
    w_l2,
    [*sk.coef_[0], sk.intercept_[0]],
    "with an L2 penalty, gradient descent reaches scikit-learn's optimum",
    atol=1e-4,
)

# %% [markdown]
# ## Depth and the number of linear pieces (Telgarsky)
#
# A ReLU network computes a piecewise-linear function of a scalar input.
# The tent map $t(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - 1/2)$ on $[0, 1]$ uses two units; composing it $M$ times (a deep network with $2M$ units) gives $2^M$ pieces.
# A one-hidden-layer network with $u$ units has at most $u + 1$ pieces; we count the pieces of random such networks with $u = 2M$ on a fine grid.

# %%
grid1 = np.linspace(0, 1, 2**14 + 1)


def pieces(values):
    slopes = np.diff(values) / np.diff(grid1)
    change = np.abs(np.diff(slopes)) > 1e-6 * (1 + np.abs(slopes[:-1]))
    starts = np.flatnonzero(change & ~np.r_[False, change[:-1]])  # consecutive changes are one breakpoint
    return starts.size + 1


def tent(v):
    return 2 * np.maximum(0, v) - 4 * np.maximum(0, v - 0.5)


k_comp = 5
deep_vals = grid1.copy()
for _ in range(k_comp):
    deep_vals = tent(deep_vals)
check(
    pieces(deep_vals) == 2**k_comp, f"the tent map composed {k_comp} times has 2^{k_comp} = {2**k_comp} linear pieces"
)
shallow_max = 0
for _ in range(200):
    a_w, a_b, a_v = rng.standard_normal(2 * k_comp), rng.uniform(-1, 0, 2 * k_comp), rng.standard_normal(2 * k_comp)
    shallow_max = max(shallow_max, pieces(np.maximum(0, np.outer(grid1, a_w) + a_b) @ a_v))
check(
    shallow_max <= 2 * k_comp + 1,
    f"200 random one-hidden-layer nets with {2 * k_comp} units have at most {shallow_max} <= {2 * k_comp + 1} pieces",
)

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
