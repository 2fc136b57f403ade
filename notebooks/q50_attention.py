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
# # Scaled dot-product attention, the square-root scaling and the causal mask
#
# The notebook implements single-head self-attention in NumPy and checks the claims of the question page against independent routes:
# the variance of a dot product of random vectors (closed form $d_k$) against simulation; the softmax Jacobian against finite differences, and how it vanishes when the scores are not scaled;
# the vectorised attention against a loop over queries; permutation equivariance; the causal mask against a perturbation of future tokens;
# and the block-wise "online softmax" used by memory-efficient attention against the ordinary one.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import softmax as scipy_softmax

rng = np.random.default_rng(0)


def softmax_rows(S):
    """Row-wise softmax, stabilised by subtracting each row's maximum (which leaves it unchanged)."""
    E = np.exp(S - S.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def attention(Q, K, V, causal=False):
    """softmax(Q K^T / sqrt(d_k)) V, optionally with position j > i masked out; returns (Z, A)."""
    d_k = Q.shape[-1]
    S = Q @ K.T / np.sqrt(d_k)
    if causal:
        S = np.where(np.triu(np.ones(S.shape, dtype=bool), k=1), -np.inf, S)
    A = softmax_rows(S)
    return A @ V, A


def self_attention(X, W_q, W_k, W_v, causal=False):
    return attention(X @ W_q, X @ W_k, X @ W_v, causal=causal)


# %% [markdown]
# ## The vectorised formula against a loop over queries
#
# Each output row is $\mathbf{z}_i = \sum_j A_{ij}\mathbf{v}_j$ with $A_{ij} = \exp(\mathbf{q}_i^\top\mathbf{k}_j/\sqrt{d_k}) / \sum_{j'} \exp(\mathbf{q}_i^\top\mathbf{k}_{j'}/\sqrt{d_k})$, computed here one query at a time with SciPy's softmax.

# %%
N_tok, d_model, d_k, d_v = 8, 16, 64, 64
bind("n_tok", N_tok)
X = rng.normal(size=(N_tok, d_model))
W_q, W_k, W_v = (rng.normal(size=(d_model, d)) / np.sqrt(d_model) for d in (d_k, d_k, d_v))
Z, A = self_attention(X, W_q, W_k, W_v)
Q, Kmat, V = X @ W_q, X @ W_k, X @ W_v
Z_loop = np.array([scipy_softmax([Q[i] @ Kmat[j] / np.sqrt(d_k) for j in range(N_tok)]) @ V for i in range(N_tok)])
check_close(Z, Z_loop, "vectorised attention equals the per-query sum of weighted values", rtol=1e-12)
check(
    np.allclose(A.sum(axis=1), 1) and np.all(A > 0),
    "each row of A is a probability vector, so each output is a convex combination of the values",
)

# %% [markdown]
# ## Permutation equivariance
#
# Without positional information, permuting the input tokens permutes the outputs in the same way: $\mathrm{Attn}(\mathbf{P}\mathbf{X}) = \mathbf{P}\,\mathrm{Attn}(\mathbf{X})$.

# %%
perm = rng.permutation(N_tok)
Z_perm, _ = self_attention(X[perm], W_q, W_k, W_v)
check_close(Z_perm, Z[perm], "self-attention without positions is permutation-equivariant", rtol=1e-12)

# %% [markdown]
# ## Why divide by the square root of the key dimension
#
# If the components of $\mathbf{q}$ and $\mathbf{k}$ are independent with mean 0 and variance 1, then $\mathbf{q}^\top\mathbf{k}$ has mean 0 and variance $d_k$.
# The simulation below checks the variance for several $d_k$, and measures what it does to the softmax: the average largest weight in a row, and the size of the softmax Jacobian, with and without the scaling.

# %%
n_mc = 20_000
dk_sweep = (4, 16, 64, 256)
bind("n_mc", n_mc)
bind("dk_min", min(dk_sweep))
bind("dk_max", max(dk_sweep))
for dk_ in dk_sweep:
    qs, ks = rng.normal(size=(n_mc, dk_)), rng.normal(size=(n_mc, dk_))
    dots = np.sum(qs * ks, axis=1)
    # standard error of a sample variance: var * sqrt((2 + excess kurtosis) / n); each product q_m k_m has
    # kurtosis 9 (excess 6), so the sum of d_k of them has excess kurtosis 6 / d_k
    se_rel = np.sqrt((2 + 6 / dk_) / n_mc)
    check(
        abs(dots.var() - dk_) < 5 * dk_ * se_rel,
        f"d_k = {dk_}: Var(q.k) = {dots.var():.2f}, closed form {dk_} (within 5 SE)",
    )
    check(
        abs((dots / np.sqrt(dk_)).var() - 1) < 5 * se_rel,
        f"d_k = {dk_}: the scaled score q.k/sqrt(d_k) has variance {(dots / np.sqrt(dk_)).var():.3f}, about 1",
    )
bind("d_k", d_k)
bind("sd_unscaled", np.sqrt(d_k))


def softmax_jacobian(a):
    """Analytic Jacobian of the softmax: da_i/ds_j = a_i (delta_ij - a_j)."""
    return np.diag(a) - np.outer(a, a)


s0 = rng.normal(size=N_tok) * 2
eps = 1e-6
J_fd = np.array([(scipy_softmax(s0 + eps * e) - scipy_softmax(s0 - eps * e)) / (2 * eps) for e in np.eye(N_tok)]).T
check_close(
    softmax_jacobian(scipy_softmax(s0)),
    J_fd,
    "softmax Jacobian a_i(delta_ij - a_j) equals central differences",
    rtol=1e-6,
    atol=1e-9,
)

n_rows = 2_000
bind("n_rows", n_rows)
Qr, Kr = rng.normal(size=(n_rows, N_tok, d_k)), rng.normal(size=(n_rows, N_tok, d_k))
S_raw = np.einsum("rd,rjd->rj", Qr[:, 0], Kr)  # one query row against N_tok keys, n_rows times
A_raw, A_scaled = softmax_rows(S_raw), softmax_rows(S_raw / np.sqrt(d_k))
max_raw, max_scaled = A_raw.max(axis=1).mean(), A_scaled.max(axis=1).mean()
jac_raw = np.mean([np.linalg.norm(softmax_jacobian(a)) for a in A_raw])
jac_scaled = np.mean([np.linalg.norm(softmax_jacobian(a)) for a in A_scaled])
bind("max_w_raw", max_raw)
bind("max_w_scaled", max_scaled)
bind("jac_raw", jac_raw)
bind("jac_scaled", jac_scaled)
bind("jac_ratio", jac_scaled / jac_raw)
check(
    max_raw > 0.8 and max_scaled < 0.6,
    f"unscaled rows are nearly one-hot ({max_raw:.2f}), scaled ones are not ({max_scaled:.2f})",
)
check(jac_scaled > 2 * jac_raw, f"the softmax Jacobian is {jac_scaled / jac_raw:.1f} times larger with the scaling")

# %% [markdown]
# ## The causal mask
#
# With $S_{ij} = -\infty$ for $j > i$, output $i$ must not change when any later token changes.

# %%
Zc, Ac = self_attention(X, W_q, W_k, W_v, causal=True)
check(np.all(Ac[np.triu_indices(N_tok, k=1)] == 0), "masked weights are exactly zero")
X_future = X.copy()
t_cut = 4
X_future[t_cut + 1 :] = rng.normal(size=(N_tok - t_cut - 1, d_model))
Zc_future, _ = self_attention(X_future, W_q, W_k, W_v, causal=True)
check_close(
    Zc_future[: t_cut + 1], Zc[: t_cut + 1], "causal outputs up to position i ignore tokens after i", rtol=1e-12
)
check(not np.allclose(Zc_future[t_cut + 1 :], Zc[t_cut + 1 :]), "later outputs do change (the test can fail)")
# Position i of the causal output equals attention of token i over the prefix 0..i alone,
# which is what autoregressive generation computes one token at a time.
Z_prefix = np.array([self_attention(X[: i + 1], W_q, W_k, W_v)[0][-1] for i in range(N_tok)])
check_close(Zc, Z_prefix, "masked parallel attention equals attention recomputed on each prefix", rtol=1e-12)

# %% [markdown]
# ## Block-wise (online) softmax
#
# Memory-efficient attention never stores the $T \times T$ matrix: it visits the keys in blocks, keeping for each query the running maximum $S_{\max}$ (`m_run`), the running normaliser $c$ (`c_run`) and the running weighted sum of values (`acc`), rescaled when the maximum grows.

# %%
N_long, block = 512, 64
Ql, Kl, Vl = (rng.normal(size=(N_long, d_k)) for _ in range(3))
Z_full, _ = attention(Ql, Kl, Vl)
m_run = np.full(N_long, -np.inf)
c_run = np.zeros(N_long)
acc = np.zeros((N_long, d_k))
for start in range(0, N_long, block):
    S_blk = Ql @ Kl[start : start + block].T / np.sqrt(d_k)
    m_new = np.maximum(m_run, S_blk.max(axis=1))
    scale = np.exp(m_run - m_new)
    P_blk = np.exp(S_blk - m_new[:, None])
    c_run = c_run * scale + P_blk.sum(axis=1)
    acc = acc * scale[:, None] + P_blk @ Vl[start : start + block]
    m_run = m_new
check_close(acc / c_run[:, None], Z_full, "block-wise online softmax equals full attention", rtol=1e-10)
bind("n_long", N_long)
bind("block", block)

# %% [markdown]
# ## Cost in sequence length
#
# The score matrix has $T^2$ entries per head; at a context of 32,768 tokens in 32-bit floats that is 4 GiB per head and per layer if stored.

# %%
n_ctx, d_head_example = 32_768, 128
bind("n_ctx", n_ctx)
bind("score_gib", n_ctx**2 * 4 / 2**30)  # 4 bytes per single-precision float
bind("flops_qk_tera", 2 * n_ctx**2 * d_head_example / 1e12)
bind("d_head_example", d_head_example)

# %% [markdown]
# ## Figure: attention weights with and without the scaling, and with the causal mask

# %%
Q8, K8 = rng.normal(size=(N_tok, d_k)), rng.normal(size=(N_tok, d_k))
A_u = softmax_rows(Q8 @ K8.T)
A_s = softmax_rows(Q8 @ K8.T / np.sqrt(d_k))
_, A_c = attention(Q8, K8, np.eye(N_tok, d_k), causal=True)
fig, axes = plt.subplots(1, 3, figsize=(10, 3.6), constrained_layout=True)
titles = ("unscaled $QK^T$", r"scaled $QK^T/\sqrt{d_k}$", "scaled + causal mask")
for ax, W, title in zip(axes, (A_u, A_s, A_c), titles, strict=True):
    im = ax.imshow(W, vmin=0, vmax=1, cmap="viridis")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("key position j")
    ax.set_xticks(range(N_tok))
    ax.set_yticks(range(N_tok))
    ax.grid(False)
axes[0].set_ylabel("query position i")
fig.colorbar(im, ax=axes, shrink=0.8, label="weight $A_{ij}$")
save_figure(fig, "attention-weights")
bind("fig_max_raw", A_u.max(axis=1).mean())
bind("fig_max_scaled", A_s.max(axis=1).mean())
