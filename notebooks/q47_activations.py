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
# # Sigmoid, tanh, ReLU and GELU: shapes, derivatives and what they do to gradients
#
# The checks test the page's formulas against independent routes: the derivative identities and $\tanh(z) = 2\sigma(2z) - 1$ symbolically (SymPy), the largest derivatives on a dense grid, the GELU derivative against finite differences, the GELU and SiLU minima by numerical minimisation against the root of the derivative and the Lambert-$W$ closed form, GELU as an expected gated input by Monte Carlo, and the error of the two published GELU approximations on a grid.
# A last section backpropagates through a 20-layer network at initialisation, checks the backpropagated gradient against finite differences, and shows how the gradient's size changes from layer to layer for each activation.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from scipy import optimize
from scipy.special import expit, lambertw, ndtr
from scipy.stats import norm

rng = np.random.default_rng(0)

# %% [markdown]
# ## The saturating pair: sigmoid and tanh

# %%
z = sp.symbols("z", real=True)
sig = 1 / (1 + sp.exp(-z))
check(sp.simplify(sp.diff(sig, z) - sig * (1 - sig)) == 0, "sympy: sigma'(z) = sigma(z)(1 - sigma(z))")
check(sp.simplify((sp.tanh(z) - (2 * sig.subs(z, 2 * z) - 1)).rewrite(sp.exp)) == 0, "sympy: tanh(z) = 2 sigma(2z) - 1")
check(sp.simplify(sp.diff(sp.tanh(z), z) - (1 - sp.tanh(z) ** 2)) == 0, "sympy: tanh'(z) = 1 - tanh(z)^2")

grid = np.linspace(-8, 8, 160_001)
d_sig = np.gradient(expit(grid), grid)
d_tanh = np.gradient(np.tanh(grid), grid)
max_dsig, max_dtanh = d_sig.max(), d_tanh.max()
check_close(
    max_dsig, 1 / 4, "the sigmoid's largest slope (grid, finite differences) is 1/4", rtol=1e-6, name="max_dsig"
)
check_close(max_dtanh, 1.0, "tanh's largest slope (grid, finite differences) is 1", rtol=1e-6, name="max_dtanh")
check(abs(grid[np.argmax(d_sig)]) < 1e-3 and abs(grid[np.argmax(d_tanh)]) < 1e-3, "both slopes peak at z = 0")
z_sat = 5.0
bind("z_sat", z_sat)
bind("dsig_at_sat", expit(z_sat) * (1 - expit(z_sat)))
bind("dtanh_at_sat", 1 - np.tanh(z_sat) ** 2)
depth_demo = 10
bind("depth_demo", depth_demo)
bind("sig_bound_depth", 0.25**depth_demo)

# %% [markdown]
# ## GELU, its derivative, its minimum, and the SiLU minimum
#
# $\mathrm{GELU}(z) = z\,\Phi(z)$; the page derives $\mathrm{GELU}'(z) = \Phi(z) + z\,\varphi(z)$, a minimum where this vanishes, and $\mathrm{GELU}(z) = \mathbb{E}[z\,\mathbf{1}[\zeta \le z]]$ for $\zeta \sim \mathcal{N}(0, 1)$.
# For SiLU, $z\,\sigma(z)$, the derivative $\sigma(z)\,(1 + z(1 - \sigma(z)))$ vanishes where $1 + z + e^{z} = 0$, whose root is $z = -1 - W_0(e^{-1})$ with $W_0$ the principal branch of the Lambert function.


# %%
def gelu(x):
    return x * ndtr(x)


def gelu_grad(x):
    return ndtr(x) + x * norm.pdf(x)


xs = rng.normal(scale=2.0, size=50)
h = 1e-6
check_close(
    gelu_grad(xs),
    (gelu(xs + h) - gelu(xs - h)) / (2 * h),
    "GELU'(z) = Phi(z) + z phi(z) (central differences)",
    rtol=1e-6,
    atol=1e-9,
)

res = optimize.minimize_scalar(gelu, bounds=(-3, 0), method="bounded", options={"xatol": 1e-10})
root = optimize.brentq(gelu_grad, -3, -0.1, xtol=1e-14)
check_close(res.x, root, "GELU's minimiser: numerical minimisation equals the root of Phi(z) + z phi(z)", rtol=1e-6)
bind("gelu_zmin", root)
bind("gelu_min", gelu(root))

# GELU'' = phi(z)(2 - z^2), so the largest slope is at z = sqrt(2); compare with a dense grid of the derivative
z_grid = np.linspace(-6, 6, 1_200_001)
g_grid = gelu_grad(z_grid)
check_close(z_grid[np.argmax(g_grid)], np.sqrt(2), "GELU's slope peaks at z = sqrt(2) (dense grid)", rtol=1e-5)
check_close(
    g_grid.max(),
    gelu_grad(np.sqrt(2)),
    "GELU's largest slope Phi(sqrt 2) + sqrt(2) phi(sqrt 2) (dense grid)",
    rtol=1e-10,
    name="gelu_max_slope",
)
check(
    sp.simplify(
        sp.diff(z * (1 + sp.erf(z / sp.sqrt(2))) / 2, z, 2) - sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi) * (2 - z**2)
    )
    == 0,
    "sympy: GELU''(z) = phi(z)(2 - z^2)",
)

silu = lambda x: x * expit(x)  # noqa: E731
res_s = optimize.minimize_scalar(silu, bounds=(-4, 0), method="bounded", options={"xatol": 1e-10})
z_silu = -1 - lambertw(np.exp(-1)).real
check_close(res_s.x, z_silu, "SiLU's minimiser: numerical minimisation equals -1 - W(1/e)", rtol=1e-6)
bind("silu_zmin", z_silu)
check_close(
    res_s.fun,
    -lambertw(np.exp(-1)).real,
    "SiLU's minimum value (numerical) equals -W(1/e) = 1 + its minimiser",
    rtol=1e-9,
    name="silu_min",
)

# GELU as the expected value of the input gated by a standard normal threshold (Monte Carlo)
n_mc = 200_000
zeta = rng.normal(size=n_mc)
for z0 in (-1.0, 0.5, 2.0):
    gated = z0 * (zeta <= z0)
    check(
        abs(gated.mean() - gelu(z0)) < 4 * gated.std() / np.sqrt(n_mc),
        f"GELU({z0}) = E[z 1(zeta <= z)]: Monte Carlo {gated.mean():.4f} against {gelu(z0):.4f} (within 4 SE)",
    )

# the two approximations of Hendrycks and Gimpel
zz = np.linspace(-8, 8, 16_001)
tanh_approx = 0.5 * zz * (1 + np.tanh(np.sqrt(2 / np.pi) * (zz + 0.044715 * zz**3)))
sigm_approx = zz * expit(1.702 * zz)
err_tanh = np.max(np.abs(tanh_approx - gelu(zz)))
err_sigm = np.max(np.abs(sigm_approx - gelu(zz)))
check(err_tanh < err_sigm, f"the tanh approximation (max error {err_tanh:.1e}) beats z sigma(1.702 z) ({err_sigm:.1e})")
bind("err_tanh_approx", err_tanh)
bind("err_sigm_approx", err_sigm)

# %% [markdown]
# ## Figure: the functions and their derivatives

# %%
zp = np.linspace(-4, 4, 801)
funcs = {
    "sigmoid": (expit(zp), expit(zp) * (1 - expit(zp))),
    "tanh": (np.tanh(zp), 1 - np.tanh(zp) ** 2),
    "ReLU": (np.maximum(0, zp), (zp > 0).astype(float)),
    "GELU": (gelu(zp), gelu_grad(zp)),
}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 4.0))
for i, (name, (f, df)) in enumerate(funcs.items()):
    ax1.plot(zp, f, color=f"C{i}", label=name)
    ax2.plot(zp, df, color=f"C{i}", label=name)
ax1.set_ylim(-1.5, 4)
ax1.set_xlabel("z")
ax1.set_title("activation g(z)")
ax1.legend(fontsize=9)
ax2.set_xlabel("z")
ax2.set_title("derivative g'(z)")
ax2.set_ylim(-0.2, 1.2)
save_figure(fig, "activations")

# %% [markdown]
# ## Gradients through 20 layers at initialisation
#
# A fully connected network of width 256 and depth 20 with no biases, Glorot (Xavier) weights $\mathcal{N}(0, 1/\text{width})$ for sigmoid and tanh and He weights $\mathcal{N}(0, 2/\text{width})$ for ReLU and GELU, on a batch of standard normal inputs.
# Backpropagation gives $\boldsymbol{\delta}_l = \partial L/\partial\mathbf{z}_l$ for the loss $L = \sum \mathbf{z}_M$ summed over the batch; the first check compares it with finite differences on a small network.

# %%
width, depth, batch = 256, 20, 64
bind("width", width)
bind("depth", depth)
acts = {
    "sigmoid": (expit, lambda a: expit(a) * (1 - expit(a)), 1.0),
    "tanh": (np.tanh, lambda a: 1 - np.tanh(a) ** 2, 1.0),
    "ReLU": (lambda a: np.maximum(0, a), lambda a: (a > 0).astype(float), 2.0),
    "GELU": (gelu, gelu_grad, 2.0),
}


def forward_backward(x, Ws, g, dg):
    """Pre-activations z_l = W_l h_{l-1}; returns the list of delta_l = dL/dz_l for L = sum of the last z."""
    hs, zs = [x], []
    for W in Ws:
        zs.append(hs[-1] @ W.T)
        hs.append(g(zs[-1]))
    delta = np.ones_like(zs[-1])  # dL/dz_M for L = sum(z_M)
    deltas = [delta]
    for idx in range(len(Ws) - 1, 0, -1):
        delta = dg(zs[idx - 1]) * (delta @ Ws[idx])
        deltas.append(delta)
    return deltas[::-1], zs


# backpropagation against finite differences on a small tanh network
small = [rng.normal(scale=1 / np.sqrt(6), size=(6, 6)) for _ in range(4)]
x_small = rng.normal(size=(1, 6))
deltas, _ = forward_backward(x_small, small, np.tanh, lambda a: 1 - np.tanh(a) ** 2)
# dL/dW_1 = delta_1^T x ; perturb W_1 entries


def loss_small(Ws):
    hcur = x_small
    for W in Ws:
        zcur = hcur @ W.T
        hcur = np.tanh(zcur)
    return zcur.sum()


fd = np.zeros((6, 6))
for a_ in range(6):
    for b_ in range(6):
        Wp = [W.copy() for W in small]
        Wm = [W.copy() for W in small]
        Wp[0][a_, b_] += 1e-6
        Wm[0][a_, b_] -= 1e-6
        fd[a_, b_] = (loss_small(Wp) - loss_small(Wm)) / 2e-6
check_close(deltas[0].T @ x_small, fd, "backpropagated dL/dW_1 matches central differences", rtol=1e-6, atol=1e-10)

x_in = rng.normal(size=(batch, width))
norms = {}
for name, (g, dg, gain) in acts.items():
    gen = np.random.default_rng(1)  # the same weight draws for every activation
    Ws = [gen.normal(scale=np.sqrt(gain / width), size=(width, width)) for _ in range(depth)]
    deltas, _ = forward_backward(x_in, Ws, g, dg)
    norms[name] = np.array([np.sqrt(np.mean(np.sum(dl**2, axis=1))) for dl in deltas])
ratio = {name: v[0] / v[-1] for name, v in norms.items()}

# at initialisation (symmetric weights, no biases) about half the ReLU units of a layer output exactly zero
gen = np.random.default_rng(1)
W_relu_1 = gen.normal(scale=np.sqrt(2.0 / width), size=(width, width))  # the first layer of the ReLU network above
frac_zero = np.mean(x_in @ W_relu_1.T <= 0)
check(
    abs(frac_zero - 0.5) < 0.02,
    f"ReLU with He weights: {frac_zero:.3f} of the first layer's outputs are exactly zero (about half)",
)

# step 4's bound, per example, on the sigmoid network: ||delta_l|| <= (1/4)^(M-l) prod_k ||W_k||_2 ||delta_M||
g_s, dg_s, gain_s = acts["sigmoid"]
gen = np.random.default_rng(1)
Ws_s = [gen.normal(scale=np.sqrt(gain_s / width), size=(width, width)) for _ in range(depth)]
deltas_s, _ = forward_backward(x_in, Ws_s, g_s, dg_s)
spec = [np.linalg.norm(W, 2) for W in Ws_s]
top = np.linalg.norm(deltas_s[-1], axis=1)
bound_ok = all(
    np.all(np.linalg.norm(deltas_s[k], axis=1) <= 0.25 ** (depth - 1 - k) * np.prod(spec[k + 1 :]) * top * (1 + 1e-9))
    for k in range(depth)
)
check(bound_ok, "step 4: the backpropagated sigmoid gradients obey the (1/4)^(M-l) prod ||W_k||_2 bound at every layer")

# step 5: for a pre-activation symmetric about zero, E[max(0, z)^2] = E[z^2]/2, Gaussian or not (Monte Carlo, Laplace z)
z_sym = rng.laplace(size=400_000)
relu_sq = np.maximum(0, z_sym) ** 2
check(
    abs(relu_sq.mean() - 0.5 * np.mean(z_sym**2)) < 4 * np.std(relu_sq - 0.5 * z_sym**2) / np.sqrt(len(z_sym)),
    "E[max(0, z)^2] = E[z^2]/2 for a symmetric (Laplace) z (Monte Carlo, within 4 SE)",
)
for name, r in ratio.items():
    print(f"{name:8s} first/last layer gradient ratio {r:.3g}")
check(ratio["sigmoid"] < 1e-8, f"sigmoid: the gradient at layer 1 is {ratio['sigmoid']:.1e} of that at layer 20")
check(
    ratio["tanh"] < 0.5 and ratio["tanh"] > 1e-3,
    f"tanh with Glorot weights: it shrinks by {ratio['tanh']:.2f} over the 19 steps",
)
check(0.2 < ratio["ReLU"] < 5, f"ReLU with He weights: the ratio stays near 1 ({ratio['ReLU']:.2f})")
bind("ratio_sigmoid", ratio["sigmoid"])
bind("ratio_tanh", ratio["tanh"])
bind("ratio_relu", ratio["ReLU"])
bind("ratio_gelu", ratio["GELU"])

fig, ax = plt.subplots()
for i, name in enumerate(acts):
    ax.semilogy(np.arange(1, depth + 1), norms[name] / norms[name][-1], "o-", color=f"C{i}", markersize=3, label=name)
ax.set_xlabel("layer l")
ax.set_ylabel("gradient size at layer l / at the last layer")
ax.set_title("Backpropagated gradients at initialisation")
ax.legend(fontsize=9)
save_figure(fig, "gradient-depth")


def sci(name, value):
    """Bind a small positive value as mantissa and power of ten, for the page's a x 10^b."""
    exponent = int(np.floor(np.log10(value)))
    bind(f"{name}_mant", value / 10.0**exponent)
    bind(f"{name}_exp", exponent)


sci("sig_bound_depth", 0.25**depth_demo)
sci("ratio_sigmoid", ratio["sigmoid"])
sci("err_tanh_approx", err_tanh)
