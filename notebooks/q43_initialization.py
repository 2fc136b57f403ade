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
# # Why gradients vanish or explode, and what Glorot and He initialisation do about it
#
# The page's variance argument predicts how the variance of the pre-activations (forward) and of the back-propagated errors (backward) changes from layer to layer at initialisation.
# The notebook checks each step against an independent route: the ReLU moments by numerical integration, the uniform bound by SciPy's variance, the deep-linear-network formula and the per-layer factors of deep ReLU networks by Monte Carlo, and scikit-learn's initialiser against the Glorot variance.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy import integrate, stats
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

rng = np.random.default_rng(0)

# %% [markdown]
# ## The moments the derivation uses
#
# For $z \sim \mathcal{N}(0, s^2)$: $\mathbb{E}[\max(0, z)^2] = s^2/2$ and $\mathbb{E}[\mathbf{1}[z > 0]^2] = 1/2$ (the ReLU's derivative squared).
# The uniform distribution on $[-a, a]$ has variance $a^2/3$, so $a = \sqrt{6/(n_{\text{in}} + n_{\text{out}})}$ gives the Glorot variance $2/(n_{\text{in}} + n_{\text{out}})$.

# %%
s_test = 1.7
relu_sq, _ = integrate.quad(lambda z: z**2 * stats.norm.pdf(z, scale=s_test), 0, np.inf)
check_close(relu_sq, s_test**2 / 2, "E[ReLU(z)^2] = Var(z)/2 for a zero-mean normal z (quadrature)", rtol=1e-8)
z_mc = rng.normal(scale=s_test, size=1_000_000)
check_close(np.mean(np.maximum(z_mc, 0) ** 2), s_test**2 / 2, "and by Monte Carlo (1e6 draws, 1%)", rtol=0.01)
# The page says symmetry about 0 is all that is needed (no Gaussian assumption): check a Laplace z by quadrature,
# and show that a zero-mean but asymmetric z (a centred exponential) breaks the factor 1/2.
lap = stats.laplace(scale=s_test)
relu_sq_lap, _ = integrate.quad(lambda z: z**2 * lap.pdf(z), 0, np.inf)
check_close(
    relu_sq_lap, lap.var() / 2, "symmetric non-Gaussian z (Laplace): E[ReLU(z)^2] = Var(z)/2 (quadrature)", rtol=1e-8
)
expo = stats.expon(loc=-s_test, scale=s_test)  # mean 0, variance s^2, skewed
relu_sq_exp, _ = integrate.quad(lambda z: z**2 * expo.pdf(z), 0, np.inf)
check(
    abs(relu_sq_exp / (expo.var() / 2) - 1) > 0.2,
    f"asymmetric zero-mean z: E[ReLU(z)^2] / (Var(z)/2) = {relu_sq_exp / (expo.var() / 2):.3f}, not 1",
)
fan_in_t, fan_out_t = 300, 100
a_glorot = np.sqrt(6 / (fan_in_t + fan_out_t))
check_close(
    stats.uniform(-a_glorot, 2 * a_glorot).var(),
    2 / (fan_in_t + fan_out_t),
    "U(-a, a) with a = sqrt(6/(n_in + n_out)) has variance 2/(n_in + n_out) (SciPy)",
    rtol=1e-12,
)

# scikit-learn's MLP initialises with Glorot uniform; a tiny learning rate keeps one epoch from moving the weights.
Xs = rng.normal(size=(64, fan_in_t))
ys = rng.normal(size=64)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    mlp = MLPRegressor(
        hidden_layer_sizes=(fan_out_t,),
        activation="relu",
        solver="sgd",
        learning_rate_init=1e-12,
        max_iter=1,
        random_state=0,
    ).fit(Xs, ys)
w_sk = mlp.coefs_[0]
check_close(
    w_sk.var(), 2 / (fan_in_t + fan_out_t), "scikit-learn's MLP weights have the Glorot variance (3%)", rtol=0.03
)
check(np.abs(w_sk).max() <= a_glorot, "and lie within the Glorot uniform bound")
# For the logistic activation scikit-learn uses the bound sqrt(2/(n_in + n_out)), i.e. variance 2/(3(n_in + n_out)).
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    mlp_log = MLPRegressor(
        hidden_layer_sizes=(fan_out_t,),
        activation="logistic",
        solver="sgd",
        learning_rate_init=1e-12,
        max_iter=1,
        random_state=0,
    ).fit(Xs, ys)
w_log = mlp_log.coefs_[0]
check_close(w_log.var(), 2 / (3 * (fan_in_t + fan_out_t)), "logistic MLP: variance 2/(3(n_in + n_out)) (3%)", rtol=0.03)
check(
    np.sqrt(2 / (fan_in_t + fan_out_t)) * 0.98 < np.abs(w_log).max() <= np.sqrt(2 / (fan_in_t + fan_out_t)),
    "logistic MLP: the largest weight is just inside the bound sqrt(2/(n_in + n_out))",
)

# %% [markdown]
# ## A deep linear network: the variance is multiplied by the same factor at every layer
#
# With $z_l = \mathbf{W}_l z_{l-1}$ and no activation, the derivation gives $\operatorname{Var}(z_M) = (n_{\text{in}}\operatorname{Var}(W))^M \operatorname{Var}(x)$.
# Monte Carlo over many independent networks checks the closed form for a factor a little above and a little below 1.

# %%
width_lin, depth_lin, n_nets = 64, 20, 400
for name_, value_ in (("width_lin", width_lin), ("depth_lin", depth_lin), ("n_nets", n_nets)):
    bind(name_, value_)
lin_results = {}
for gain_sq in (0.9, 1.1):
    var_w = gain_sq / width_lin
    finals = []
    for _ in range(n_nets):
        z = rng.normal(size=width_lin)
        for _ in range(depth_lin):
            z = rng.normal(scale=np.sqrt(var_w), size=(width_lin, width_lin)) @ z
        finals.append(np.mean(z**2))
    mc = np.mean(finals)
    se = np.std(finals, ddof=1) / np.sqrt(n_nets)
    closed = gain_sq**depth_lin
    check(
        abs(mc - closed) < 4 * se,
        f"linear net, factor {gain_sq}: Monte Carlo {mc:.3f} vs closed form {closed:.3f} (4 SE = {4 * se:.3f})",
    )
    lin_results[gain_sq] = closed
bind("lin_gain_lo", 0.9)
bind("lin_gain_hi", 1.1)
bind("lin_var_lo", lin_results[0.9])
bind("lin_var_hi", lin_results[1.1])

# %% [markdown]
# ## Deep ReLU and tanh networks: forward and backward passes at initialisation
#
# A batch of inputs goes forward through $M$ layers of equal width $d_h$; then a random error vector of unit variance is fed in at the top and propagated back with the page's recursion $\boldsymbol{\delta}_{l-1} = g'(\mathbf{z}_{l-1}) \odot \mathbf{W}_l^\top \boldsymbol{\delta}_l$.
# For ReLU the derivation predicts a per-layer factor $\tfrac12 d_h \operatorname{Var}(W)$ in both directions: $\tfrac12$ for Glorot ($\operatorname{Var}(W) = 2/(2 d_h) = 1/d_h$), 1 for He ($2/d_h$).

# %%
width, depth, batch, n_reps = 256, 30, 64, 16
for name_, value_ in (("width", width), ("depth", depth), ("batch", batch), ("n_reps", n_reps)):
    bind(name_, value_)
std_small = 0.01
bind("std_small", std_small)


def run_all(schemes):
    """For each scheme (weight std, activation): mean squared pre-activation per layer (forward) and mean squared
    error signal per layer (backward), averaged over n_reps independent networks, each with its own batch of inputs.
    Every scheme sees the same inputs, the same unit-variance weight matrices (scaled by its std) and the same top
    error signals; the draws are made once per network and shared."""
    net_rng = np.random.default_rng(1)
    out = {label: (np.zeros(depth), np.zeros(depth)) for label in schemes}
    for _ in range(n_reps):
        h_in = net_rng.normal(size=(batch, width))
        w_unit = net_rng.normal(size=(depth, width, width))
        delta_top = net_rng.normal(size=(batch, width))  # dL/dz at the top layer
        for label, (std_w, act) in schemes.items():
            fwd, bwd = out[label]
            h, zs = h_in, []
            for layer in range(depth):
                z = h @ (std_w * w_unit[layer]).T
                zs.append(z)
                fwd[layer] += np.mean(z**2) / n_reps
                h = np.maximum(z, 0) if act == "relu" else np.tanh(z)
            delta = delta_top
            bwd[depth - 1] += np.mean(delta**2) / n_reps
            for layer in range(depth - 1, 0, -1):
                slope = (zs[layer - 1] > 0) if act == "relu" else 1 - np.tanh(zs[layer - 1]) ** 2
                delta = slope * (delta @ (std_w * w_unit[layer]))
                bwd[layer - 1] += np.mean(delta**2) / n_reps
    return out


schemes = {
    "ReLU, N(0, 0.01²)": (std_small, "relu"),
    "ReLU, Glorot": (np.sqrt(2 / (2 * width)), "relu"),
    "ReLU, He": (np.sqrt(2 / width), "relu"),
    "tanh, Glorot": (np.sqrt(2 / (2 * width)), "tanh"),
}
results = run_all(schemes)


def per_layer_factor(series):
    """Geometric mean of the layer-to-layer ratio."""
    return float(np.exp(np.mean(np.diff(np.log(series)))))


for label, predicted in (("ReLU, Glorot", 0.5), ("ReLU, He", 1.0), ("ReLU, N(0, 0.01²)", 0.5 * width * std_small**2)):
    fwd, bwd = results[label]
    f_fwd, f_bwd = per_layer_factor(fwd), per_layer_factor(bwd[::-1])  # backward: from layer M down to layer 1
    check(
        abs(f_fwd / predicted - 1) < 0.03 and abs(f_bwd / predicted - 1) < 0.03,
        f"{label}: per-layer factor forward {f_fwd:.4f}, backward {f_bwd:.4f}, predicted {predicted:.4f} (3%)",
    )
fwd_g, bwd_g = results["ReLU, Glorot"]
fwd_he, bwd_he = results["ReLU, He"]
fwd_sm, bwd_sm = results["ReLU, N(0, 0.01²)"]
fwd_th, bwd_th = results["tanh, Glorot"]
bind("factor_small", 0.5 * width * std_small**2)
bind("glorot_fwd_orders", -np.log10(fwd_g[-1] / fwd_g[0]))
bind("glorot_bwd_orders", -np.log10(bwd_g[0] / bwd_g[-1]))
bind("glorot_predicted_orders", (depth - 1) * np.log10(2))
bind("he_fwd_ratio", fwd_he[-1] / fwd_he[0])
bind("he_bwd_ratio", bwd_he[0] / bwd_he[-1])
bind("small_orders", -np.log10(fwd_sm[-1] / fwd_sm[0]))
bind("tanh_fwd_ratio", fwd_th[-1] / fwd_th[0])
check(
    0.5 < fwd_he[-1] / fwd_he[0] < 2 and 0.5 < bwd_he[0] / bwd_he[-1] < 2,
    "He: both variances stay within a factor 2 over 30 layers",
)
check(
    fwd_th[-1] < fwd_th[0] and per_layer_factor(fwd_th[-10:]) > per_layer_factor(fwd_th[:10]),
    "tanh with Glorot: the variance shrinks, but slower and slower (sub-geometric decay)",
)
# The weight gradient dL/dW_l = delta_l h_{l-1}^T: its scale is the product of the forward and backward scales.
# For He both are flat, so the weight-gradient scale is similar in every layer; for Glorot it is flat too only because the
# forward decay (1/2 per layer upward) and the backward decay (1/2 per layer downward) cancel in the product.
prod_g = fwd_g[:-1] * bwd_g[1:]
check(
    per_layer_factor(prod_g) > 0.9 and per_layer_factor(prod_g) < 1.1,
    "Glorot + ReLU: forward x backward scale is about constant across layers",
)

fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.8), sharey=True)
layers = np.arange(1, depth + 1)
for label in schemes:
    fwd, bwd = results[label]
    axes[0].semilogy(layers, fwd / fwd[0], label=label)
    axes[1].semilogy(layers, bwd / bwd[-1], label=label)
axes[0].set_title("forward: mean $z_l^2$ / mean $z_1^2$", fontsize=11)
axes[1].set_title("backward: mean $\\delta_l^2$ / mean $\\delta_M^2$", fontsize=11)
for ax in axes:
    ax.set_xlabel("layer $l$")
    ax.set_ylim(1e-12, 1e3)  # the N(0, 0.01^2) curve leaves the plot after a few layers
axes[0].set_ylabel("relative variance (log scale)")
axes[1].legend(fontsize=8, loc="lower right")
fig.tight_layout()
save_figure(fig, "variance-by-layer")
bind("n_halvings", depth - 1)
bind("tol_pct", 3)
bind("n_se", 4)
