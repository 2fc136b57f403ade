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
# # Inside a Transformer block: multi-head attention, residuals, layer normalisation and positional encodings
#
# The notebook builds a pre-LN Transformer block in NumPy and checks the question page against independent routes:
# multi-head attention computed with one batched `einsum` against a loop over heads and a concatenation;
# the page's parameter formula against the sizes of the arrays of an actual block, and the whole GPT-2 small count against OpenAI's published "124M";
# causality through a stack of decoder blocks against a perturbation of future tokens; permutation invariance of cross-attention in the encoder tokens;
# the sinusoidal encoding's shift property (a fixed rotation) and its dot-product formula against direct computation, and its frequencies against the FFT (as on the [Fourier transform page](../questions/fourier-transform.md));
# and the relative-position property of rotary embeddings against shifted positions.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)


def softmax_rows(S):
    E = np.exp(S - S.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def layer_norm(X, gain, bias, eps=1e-5):
    """Normalise each token (row) over its features, then scale and shift."""
    mu = X.mean(axis=-1, keepdims=True)
    var = X.var(axis=-1, keepdims=True)
    return gain * (X - mu) / np.sqrt(var + eps) + bias


def init_block(d_model, n_heads, d_ff, gen):
    s = 1 / np.sqrt(d_model)
    return {
        "W_q": gen.normal(size=(d_model, d_model)) * s,
        "b_q": np.zeros(d_model),
        "W_k": gen.normal(size=(d_model, d_model)) * s,
        "b_k": np.zeros(d_model),
        "W_v": gen.normal(size=(d_model, d_model)) * s,
        "b_v": np.zeros(d_model),
        "W_o": gen.normal(size=(d_model, d_model)) * s,
        "b_o": np.zeros(d_model),
        "W_1": gen.normal(size=(d_model, d_ff)) * s,
        "b_1": np.zeros(d_ff),
        "W_2": gen.normal(size=(d_ff, d_model)) / np.sqrt(d_ff),
        "b_2": np.zeros(d_model),
        "g_1": np.ones(d_model),
        "beta_1": np.zeros(d_model),
        "g_2": np.ones(d_model),
        "beta_2": np.zeros(d_model),
        "n_heads": n_heads,
    }


def mha(X_q, X_kv, p, causal=False):
    """Multi-head attention, all heads at once: queries from X_q, keys and values from X_kv."""
    H = p["n_heads"]
    N_q, d_model = X_q.shape
    d_k = d_model // H
    Q = (X_q @ p["W_q"] + p["b_q"]).reshape(N_q, H, d_k)
    K = (X_kv @ p["W_k"] + p["b_k"]).reshape(len(X_kv), H, d_k)
    V = (X_kv @ p["W_v"] + p["b_v"]).reshape(len(X_kv), H, d_k)
    S = np.einsum("ihd,jhd->hij", Q, K) / np.sqrt(d_k)
    if causal:
        S = np.where(np.triu(np.ones((N_q, len(X_kv)), dtype=bool), k=1), -np.inf, S)
    Z = np.einsum("hij,jhd->ihd", softmax_rows(S), V).reshape(N_q, d_model)
    return Z @ p["W_o"] + p["b_o"]


def mha_loop(X, p):
    """The same, one head at a time: head h uses columns h*d_k:(h+1)*d_k of W_q, W_k, W_v; heads are concatenated."""
    H = p["n_heads"]
    d_k = X.shape[1] // H
    heads = []
    for h in range(H):
        cols = slice(h * d_k, (h + 1) * d_k)
        Qh = X @ p["W_q"][:, cols] + p["b_q"][cols]
        Kh = X @ p["W_k"][:, cols] + p["b_k"][cols]
        Vh = X @ p["W_v"][:, cols] + p["b_v"][cols]
        heads.append(softmax_rows(Qh @ Kh.T / np.sqrt(d_k)) @ Vh)
    return np.concatenate(heads, axis=1) @ p["W_o"] + p["b_o"]


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def block(X, p, causal=False):
    """Pre-LN block: X + MHA(LN(X)), then + FFN(LN(.))."""
    X = X + mha(layer_norm(X, p["g_1"], p["beta_1"]), layer_norm(X, p["g_1"], p["beta_1"]), p, causal)
    H1 = layer_norm(X, p["g_2"], p["beta_2"])
    return X + gelu(H1 @ p["W_1"] + p["b_1"]) @ p["W_2"] + p["b_2"]


# %% [markdown]
# ## Multi-head attention: batched heads against a loop and a concatenation

# %%
d_small, H_small, N_small = 32, 4, 10
p_small = init_block(d_small, H_small, 4 * d_small, rng)
for key in ("b_q", "b_k", "b_v", "b_o"):
    p_small[key] = rng.normal(size=d_small) * 0.1
X_small = rng.normal(size=(N_small, d_small))
check_close(
    mha(X_small, X_small, p_small),
    mha_loop(X_small, p_small),
    "batched multi-head attention equals H separate heads concatenated",
    rtol=1e-11,
)

# %% [markdown]
# ## Parameter count
#
# The page derives, for model width $d_{\text{model}}$ and feed-forward width $d_{\text{ff}}$ (biases and two layer norms included), $4d_{\text{model}}^2 + 4d_{\text{model}}$ for attention, $2d_{\text{model}}d_{\text{ff}} + d_{\text{ff}} + d_{\text{model}}$ for the feed-forward network and $4d_{\text{model}}$ for the layer norms; with $d_{\text{ff}} = 4d_{\text{model}}$ that is $12d_{\text{model}}^2 + 13d_{\text{model}}$.
# The check counts the entries of the arrays of an actual block of GPT-2 small's shape.

# %%
d_model, H, n_layers, vocab, n_ctx = 768, 12, 12, 50_257, 1_024
d_ff = 4 * d_model
p_gpt = init_block(d_model, H, d_ff, rng)
counted = sum(v.size for k, v in p_gpt.items() if k != "n_heads")
formula_attn = 4 * d_model**2 + 4 * d_model
formula_ffn = 2 * d_model * d_ff + d_ff + d_model
formula_block = 12 * d_model**2 + 13 * d_model
check(
    counted == formula_attn + formula_ffn + 4 * d_model == formula_block,
    f"a block of width {d_model} has {counted:,} parameters, as 12 d^2 + 13 d gives",
)
total = (
    n_layers * formula_block + vocab * d_model + n_ctx * d_model + 2 * d_model
)  # + tied embeddings, positions, final LN
check_close(
    total / 1e6,
    124,
    "GPT-2 small (12 blocks, tied input/output embeddings) has about 124 million parameters",
    atol=0.5,
    rtol=0,  # source: OpenAI's checkpoint name "124M" (github.com/openai/gpt-2, download_model.py)
)
for name_, value_ in (
    ("d_model", d_model),
    ("n_heads", H),
    ("d_head", d_model // H),
    ("d_ff", d_ff),
    ("n_layers", n_layers),
    ("vocab", vocab),
    ("n_ctx", n_ctx),
    ("block_params", formula_block),
    ("attn_params", formula_attn),
    ("ffn_params", formula_ffn),
    ("gpt2_params", total),
    ("gpt2_params_m", total / 1e6),
    ("embed_params_m", vocab * d_model / 1e6),
    ("blocks_params_m", n_layers * formula_block / 1e6),
):
    bind(name_, value_)
bind("ffn_share_pct", 100 * formula_ffn / formula_block)

# %% [markdown]
# ## Encoder and decoder: causality through a stack, and cross-attention
#
# A decoder stack uses the causal mask in every block; the layer norms and the feed-forward network act on each token separately, so output $i$ still depends only on tokens $0, \dots, i$.
# In cross-attention the queries come from the decoder and the keys and values from the encoder output, so reordering the encoder tokens changes nothing.

# %%
blocks = [init_block(d_small, H_small, 4 * d_small, rng) for _ in range(3)]


def stack(X, causal):
    for p in blocks:
        X = block(X, p, causal)
    return X


Y = stack(X_small, causal=True)
X_changed = X_small.copy()
X_changed[6:] = rng.normal(size=(N_small - 6, d_small))
Y_changed = stack(X_changed, causal=True)
check_close(Y_changed[:6], Y[:6], "in a causal stack of 3 blocks, outputs 0..5 ignore tokens 6 and later", rtol=1e-12)
check(
    not np.allclose(stack(X_changed, causal=False)[:6], stack(X_small, causal=False)[:6]),
    "without the mask they do not",
)
enc = rng.normal(size=(7, d_small))
perm = rng.permutation(7)
check_close(
    mha(X_small, enc[perm], p_small),
    mha(X_small, enc, p_small),
    "cross-attention is invariant to the order of the encoder tokens",
    rtol=1e-11,
)
perm_x = rng.permutation(N_small)
check_close(
    stack(X_small[perm_x], causal=False),
    stack(X_small, causal=False)[perm_x],
    "an encoder stack without positional encodings is permutation-equivariant",
    rtol=1e-10,
)

# %% [markdown]
# ## Sinusoidal positional encodings
#
# As on the page: position $i$, pair $r$, offset $\Delta$; $\mathrm{PE}_{i, 2r} = \sin(\omega_r i)$ and $\mathrm{PE}_{i, 2r+1} = \cos(\omega_r i)$ with $\omega_r = 10000^{-2r/d}$ radians per position.
# In the code, `t` is the position, `shift` and `o` the offset.


# %%
def sinusoidal(n_pos, d):
    t = np.arange(n_pos)[:, None]
    omega = 10000.0 ** (-np.arange(0, d, 2) / d)
    PE = np.zeros((n_pos, d))
    PE[:, 0::2], PE[:, 1::2] = np.sin(t * omega), np.cos(t * omega)
    return PE, omega


d_pe, n_pos = 64, 256
PE, omega = sinusoidal(n_pos, d_pe)
shift = 5


def rotation(k, omega):
    """Block-diagonal R(Delta), Delta = k: maps (sin w i, cos w i) to (sin w(i+k), cos w(i+k)) for every pair r."""
    R = np.zeros((2 * len(omega), 2 * len(omega)))
    for r, w in enumerate(omega):
        c, s = np.cos(w * k), np.sin(w * k)
        R[2 * r : 2 * r + 2, 2 * r : 2 * r + 2] = [[c, s], [-s, c]]
    return R


check_close(
    PE[:-shift] @ rotation(shift, omega).T,
    PE[shift:],
    "PE(i + Delta) = R(Delta) PE(i), with R(Delta) independent of i",
    rtol=0,
    atol=1e-10,
)
dots = np.array([PE[t] @ PE[t + shift] for t in range(n_pos - shift)])
check_close(
    dots,
    np.full_like(dots, np.sum(np.cos(omega * shift))),
    "PE(i).PE(i + Delta) = sum_r cos(omega_r Delta) for every i",
    rtol=1e-10,
)
bind("d_pe", d_pe)
bind("pe_norm_sq", PE[17] @ PE[17])  # = d/2 for every position
check_close(np.sum(PE**2, axis=1), np.full(n_pos, d_pe / 2), "every encoding has squared norm d/2", rtol=1e-12)

# The link with the Fourier page: column 2r is a sampled sinusoid of omega_r / (2 pi) cycles per position, so
# its DFT over n_pos positions peaks in bin round(n_pos * omega_r / (2 pi)).
bind("n_pos", n_pos)
bind("fft_dim", 2)
bind("fft_peak_r1", np.argmax(np.abs(np.fft.rfft(PE[:, 2]))[1:]) + 1)
bind("fft_expected_r1", n_pos * omega[1] / (2 * np.pi))
for r in (1, 2, 3):
    spec = np.abs(np.fft.rfft(PE[:, 2 * r]))
    check(
        abs(np.argmax(spec[1:]) + 1 - n_pos * omega[r] / (2 * np.pi)) <= 0.5,
        f"dimension {2 * r}: FFT peak in bin {np.argmax(spec[1:]) + 1}, expected {n_pos * omega[r] / (2 * np.pi):.2f}",
    )

# %% [markdown]
# ## Rotary position embeddings
#
# RoPE rotates each pair $r$ of query and key components by the angle $\omega_r i$ of its position $i$, so the score of a query at position $i$ and a key at position $j$ depends only on $j - i$.


# %%
def rope(x, t, omega):
    out = x.copy()
    c, s = np.cos(omega * t), np.sin(omega * t)
    out[0::2], out[1::2] = x[0::2] * c - x[1::2] * s, x[0::2] * s + x[1::2] * c
    return out


q, k = rng.normal(size=d_pe), rng.normal(size=d_pe)
scores = [rope(q, t, omega) @ rope(k, t + 3, omega) for t in (0, 10, 100, 1000)]
check_close(
    scores, np.full(4, scores[0]), "RoPE: the score of positions (i, i + 3) is the same for every i", rtol=1e-10
)
check(not np.isclose(scores[0], rope(q, 0, omega) @ rope(k, 4, omega)), "and it changes with the offset")

# %% [markdown]
# ## Figure: the encodings and their dot products

# %%
n_show = 100
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), constrained_layout=True)
im = axes[0].imshow(PE[:n_show].T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, origin="lower")
axes[0].set_xlabel("position i")
axes[0].set_ylabel("dimension")
axes[0].set_title("sinusoidal encodings (d = 64)", fontsize=10)
axes[0].grid(False)
fig.colorbar(im, ax=axes[0], shrink=0.8)
offsets = np.arange(-100, 101)
axes[1].plot(offsets, [np.sum(np.cos(omega * o)) for o in offsets])
axes[1].set_xlabel(r"offset $\Delta$")
axes[1].set_ylabel(r"$PE_i \cdot PE_{i+\Delta}$")
axes[1].set_title("dot product depends only on the offset", fontsize=10)
save_figure(fig, "positional-encodings")
off_0, off_a, off_b = 0, 10, 100
for name_, value_ in (("off_0", off_0), ("off_a", off_a), ("off_b", off_b), ("pe_show", n_show)):
    bind(name_, value_)
bind("pe_dot_0", np.sum(np.cos(omega * off_0)))
bind("pe_dot_10", np.sum(np.cos(omega * off_a)))
bind("pe_dot_100", np.sum(np.cos(omega * off_b)))
check_close(
    [PE[40] @ PE[40 + o] for o in (off_0, off_a, off_b)],
    [np.sum(np.cos(omega * o)) for o in (off_0, off_a, off_b)],
    "the quoted dot products equal those of actual encodings (at position 40)",
    rtol=1e-10,
)
