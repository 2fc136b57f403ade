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
# # LoRA: parameter counts and a low-rank update trained by gradient descent
#
# The notebook counts LoRA's trainable parameters for two published model shapes and checks the counts against the numbers the papers report; checks that the map $(\mathbf{A}, \mathbf{B}) \mapsto \mathbf{B}\mathbf{A}$ has fewer degrees of freedom than parameters (the rank of its Jacobian against the dimension of the set of rank-$r$ matrices); checks the gradients at LoRA's zero initialisation against finite differences; and fine-tunes a linear layer with LoRA of several ranks by gradient descent, comparing the loss it reaches with the closed-form best rank-$r$ update (reduced-rank regression).

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## Parameter counts
#
# A weight matrix $\mathbf{W}_0 \in \mathbb{R}^{d_{\text{out}} \times d_{\text{in}}}$ has $d_{\text{out}} d_{\text{in}}$ entries; LoRA trains $\mathbf{B} \in \mathbb{R}^{d_{\text{out}} \times r}$ and $\mathbf{A} \in \mathbb{R}^{r \times d_{\text{in}}}$, $r(d_{\text{in}} + d_{\text{out}})$ numbers.


# %%
def lora_params(d_out, d_in, r):
    return r * (d_in + d_out)


d_model, r_ex = 4096, 8
bind("d_model", d_model)
bind("r_ex", r_ex)
full_one = d_model * d_model
lora_one = lora_params(d_model, d_model, r_ex)
bind("full_one", full_one)
bind("lora_one", lora_one)
bind("pct_one", 100 * lora_one / full_one)
# break-even rank: solve r (d_in + d_out) = d_in d_out symbolically, then evaluate it for a square matrix
r_sym, din_sym, dout_sym = sp.symbols("r d_in d_out", positive=True)
r_break = sp.solve(sp.Eq(r_sym * (din_sym + dout_sym), din_sym * dout_sym), r_sym)[0]
check(
    sp.simplify(r_break.subs(dout_sym, din_sym) - din_sym / 2) == 0,
    "sympy: LoRA matches the full count at r = d_in d_out / (d_in + d_out), half the width for a square matrix",
)
r_even = int(r_break.subs({din_sym: d_model, dout_sym: d_model}))
bind("r_even", r_even)

# LLaMA-7B's shape: 32 layers and width 4096 (Touvron et al., 2023, Table 2); a 32,000-token vocabulary (the released
# tokenizer.model: section 2.1 describes the tokeniser but gives no size); feed-forward width 11008 (section 2.2 gives
# 2/3 of 4d; the released code rounds it up to a multiple of 256)
n_layers, d_ff, vocab = 32, 11008, 32_000
bind("n_layers_llama", n_layers)
per_layer = 4 * d_model * d_model + 3 * d_model * d_ff + 2 * d_model  # attention, SwiGLU MLP, two RMSNorm gains
total_llama = n_layers * per_layer + 2 * vocab * d_model + d_model  # + input embedding, output layer, final norm
check_close(
    total_llama, 6.7e9, "the architecture gives LLaMA-7B's published 6.7B parameters", rtol=0.01
)  # source: Touvron et al. (2023), Table 2
bind("total_llama_b", total_llama / 1e9)
lora_llama = n_layers * 2 * lora_params(d_model, d_model, r_ex)  # W_q and W_v in every layer
bind("lora_llama", lora_llama)
bind("lora_llama_m", lora_llama / 1e6)
bind("pct_llama", 100 * lora_llama / total_llama)

# GPT-3 175B (Brown et al., 2020, Table 2.1): 96 layers, width 12288; LoRA with r = 4 on W_q and W_v
d_gpt3, layers_gpt3, r_gpt3 = 12288, 96, 4
bind("r_gpt3", r_gpt3)
lora_gpt3 = layers_gpt3 * 2 * lora_params(d_gpt3, d_gpt3, r_gpt3)
bind("lora_gpt3_m", lora_gpt3 / 1e6)
mb_fp16 = 2 * lora_gpt3 / 2**20  # two bytes per parameter in 16-bit floats, in MiB
check_close(
    mb_fp16, 35.0, "r = 4 on W_q, W_v of GPT-3 in 16 bits is about the paper's 35MB", rtol=0.1
)  # source: Hu et al. (2022), section 4.2
bind("mb_gpt3", mb_fp16)
ratio_gpt3 = 175e9 / lora_gpt3
check(
    5_000 < ratio_gpt3 < 20_000, f"175B / {lora_gpt3:,} = {ratio_gpt3:,.0f}, 'roughly 10,000 times'"
)  # source: Hu et al. (2022), abstract
bind("ratio_gpt3", ratio_gpt3)
bind("gpt3_params_b", 175)  # source: Brown et al. (2020), Table 2.1
bind("paper_ratio", 10_000)  # source: Hu et al. (2022), abstract and section 4.2
# the paper's Table 4 lists 4.7M and 37.7M trainable parameters for GPT-3 with LoRA
check_close(
    layers_gpt3 * 2 * lora_params(d_gpt3, d_gpt3, 1) / 1e6, 4.7, "r = 1 on W_q and W_v gives Table 4's 4.7M", rtol=0.01
)  # source: Hu et al. (2022), Table 4
check_close(
    layers_gpt3 * 2 * lora_params(d_gpt3, d_gpt3, 8) / 1e6,
    37.7,
    "r = 8 on W_q and W_v gives Table 4's 37.7M",
    rtol=0.01,
)  # source: Hu et al. (2022), Table 4

# %% [markdown]
# ## Memory for Adam, ignoring activations
#
# Mixed-precision training with Adam keeps, per trained parameter, a 16-bit weight and gradient and 32-bit copies of the weight and the two moments: $2 + 2 + 4 + 4 + 4 = 16$ bytes (Rajbhandari et al., 2020); a frozen 16-bit weight needs 2 bytes.

# %%
bytes_trained, bytes_frozen = 2 + 2 + 4 + 4 + 4, 2
bind("bytes_trained", bytes_trained)
bind("bytes_frozen", bytes_frozen)
bind("bits_half", 16)
bind("bits_single", 32)
full_gb = bytes_trained * total_llama / 1e9
lora_gb = (bytes_frozen * total_llama + bytes_trained * lora_llama) / 1e9
bind("full_gb", full_gb)
bind("lora_gb", lora_gb)
check_close(
    bytes_trained * 1.5e9 / 1e9,
    24.0,
    "16 bytes per parameter give ZeRO's 24 GB of model states for a 1.5B model",
    rtol=1e-9,
)  # source: Rajbhandari et al. (2020), section 3.1

# %% [markdown]
# ## Parameters against degrees of freedom
#
# $\mathbf{B}\mathbf{A} = (\mathbf{B}\mathbf{R})(\mathbf{R}^{-1}\mathbf{A})$ for any invertible $r \times r$ matrix $\mathbf{R}$, so $r^2$ of the $r(d_{\text{in}} + d_{\text{out}})$ parameters are redundant: the rank-$r$ matrices form a set of dimension $r(d_{\text{in}} + d_{\text{out}} - r)$.
# The rank of the Jacobian of $(\mathbf{A}, \mathbf{B}) \mapsto \mathbf{B}\mathbf{A}$ at a random point measures that dimension independently.

# %%
for d_o, d_i, r in [(7, 5, 2), (9, 6, 3), (8, 8, 1)]:
    A = rng.normal(size=(r, d_i))
    B = rng.normal(size=(d_o, r))
    # vec(BA) = (I kron B) vec(A) = (A^T kron I) vec(B), column-major vec
    jac = np.hstack([np.kron(np.eye(d_i), B), np.kron(A.T, np.eye(d_o))])

    # the same Jacobian by central finite differences
    def f(theta, d_o=d_o, d_i=d_i, r=r):
        A_ = theta[: r * d_i].reshape(d_i, r).T
        B_ = theta[r * d_i :].reshape(r, d_o).T
        return (B_ @ A_).ravel(order="F")

    theta0 = np.r_[A.T.ravel(), B.T.ravel()]
    h = 1e-6
    jac_fd = np.column_stack([(f(theta0 + h * e) - f(theta0 - h * e)) / (2 * h) for e in np.eye(theta0.size)])
    check_close(jac, jac_fd, f"({d_o}x{d_i}, r={r}): the Kronecker Jacobian matches finite differences", atol=1e-7)
    rank = np.linalg.matrix_rank(jac)
    check(
        rank == r * (d_i + d_o - r) < r * (d_i + d_o),
        f"({d_o}x{d_i}, r={r}): Jacobian rank {rank} = r(d_in + d_out - r) < {r * (d_i + d_o)} parameters",
    )

# %% [markdown]
# ## Gradients at the zero initialisation
#
# With $\mathbf{h} = \mathbf{W}_0\mathbf{x} + s\,\mathbf{B}\mathbf{A}\mathbf{x}$ and $\mathbf{G} = \partial L / \partial \mathbf{W}$ the gradient the full matrix would get, the chain rule gives $\partial L/\partial \mathbf{B} = s\,\mathbf{G}\mathbf{A}^\top$ and $\partial L/\partial \mathbf{A} = s\,\mathbf{B}^\top\mathbf{G}$.
# At $\mathbf{B} = \mathbf{0}$ the update is zero, the gradient of $\mathbf{A}$ is zero, and the gradient of $\mathbf{B}$ is not.

# %%
d_o, d_i, r, n_small, s_scale = 6, 5, 2, 40, 2.0
W0 = rng.normal(size=(d_o, d_i))
Xs = rng.normal(size=(n_small, d_i))
Ys = rng.normal(size=(n_small, d_o))


def loss_ab(A, B):
    W = W0 + s_scale * B @ A
    return 0.5 * np.mean(np.sum((Xs @ W.T - Ys) ** 2, axis=1))


def grads_ab(A, B):
    W = W0 + s_scale * B @ A
    G = (Xs @ W.T - Ys).T @ Xs / n_small  # dL/dW
    return s_scale * B.T @ G, s_scale * G @ A.T


def fd(fun, P, h=1e-6):
    out = np.zeros_like(P)
    for idx in np.ndindex(P.shape):
        E = np.zeros_like(P)
        E[idx] = h
        out[idx] = (fun(P + E) - fun(P - E)) / (2 * h)
    return out


for label, B_init in (("B = 0", np.zeros((d_o, r))), ("random B", rng.normal(size=(d_o, r)))):
    A_init = rng.normal(size=(r, d_i))
    gA, gB = grads_ab(A_init, B_init)
    check_close(
        gA,
        fd(lambda P, B_=B_init: loss_ab(P, B_), A_init),
        f"{label}: dL/dA = s B^T G matches finite differences",
        atol=1e-7,
    )
    check_close(
        gB,
        fd(lambda P, A_=A_init: loss_ab(A_, P), B_init),
        f"{label}: dL/dB = s G A^T matches finite differences",
        atol=1e-7,
    )
    if label == "B = 0":
        check(np.all(gA == 0) and np.linalg.norm(gB) > 0, "at B = 0 only B receives a gradient on the first step")

# %% [markdown]
# ## Fine-tuning a linear layer with LoRA of rank r
#
# A "pre-trained" layer $\mathbf{W}_0$ must be adapted to a task whose best weights are $\mathbf{W}_0 + \Delta\mathbf{W}^\star$, where $\Delta\mathbf{W}^\star$ has rank 4.
# Gradient descent on $\mathbf{A}$ and $\mathbf{B}$ (from $\mathbf{B} = \mathbf{0}$) is compared with the closed-form best rank-$r$ update: reduced-rank regression, which projects the full least-squares update onto the top $r$ principal directions of its fitted outputs.

# %%
d_o, d_i, n_fit, true_rank = 24, 32, 2000, 4
bind("d_out_fit", d_o)
bind("d_in_fit", d_i)
bind("n_fit", n_fit)
bind("true_rank", true_rank)
W0 = rng.normal(size=(d_o, d_i)) / np.sqrt(d_i)
Uq, _ = np.linalg.qr(rng.normal(size=(d_o, true_rank)))
Vq, _ = np.linalg.qr(rng.normal(size=(d_i, true_rank)))
dW_true = Uq @ np.diag([2.0, 1.5, 1.0, 0.5]) @ Vq.T
X = rng.normal(size=(n_fit, d_i))
noise_sd = 0.5
Y = X @ (W0 + dW_true).T + noise_sd * rng.normal(size=(n_fit, d_o))
R = Y - X @ W0.T  # what the update must explain


def mse(dW):
    return np.mean(np.sum((R - X @ dW.T) ** 2, axis=1))


dW_ls = np.linalg.lstsq(X, R, rcond=None)[0].T  # full fine-tuning of this layer: ordinary least squares
fitted = X @ dW_ls.T
evals, evecs = np.linalg.eigh(fitted.T @ fitted)
evecs = evecs[:, ::-1]


def rrr(r):
    P_r = evecs[:, :r] @ evecs[:, :r].T
    return P_r @ dW_ls


def lora_gd(r, steps=8000, lr=0.05, seed=0):
    g = np.random.default_rng(seed)
    A = g.normal(size=(r, d_i)) / np.sqrt(d_i)
    B = np.zeros((d_o, r))
    Sxx = X.T @ X / n_fit
    Sxr = R.T @ X / n_fit
    for _ in range(steps):
        G = 2 * ((B @ A) @ Sxx - Sxr)  # gradient of mse with respect to the update
        A, B = A - lr * B.T @ G, B - lr * G @ A.T
    return B @ A


ranks = [1, 2, 4, 8]
dW_gd = {r: lora_gd(r) for r in ranks}
mse_gd = np.array([mse(dW_gd[r]) for r in ranks])
mse_rrr = np.array([mse(rrr(r)) for r in ranks])
mse_full, mse_zero = mse(dW_ls), mse(np.zeros_like(dW_ls))
print("r   LoRA by GD   reduced-rank regression")
for r, a, b in zip(ranks, mse_gd, mse_rrr, strict=True):
    print(f"{r}   {a:.6f}     {b:.6f}")
check_close(
    mse_gd[:3],
    mse_rrr[:3],
    "up to the true rank, LoRA trained by gradient descent reaches the best rank-r loss",
    rtol=1e-6,
)
# beyond the true rank the extra directions only fit noise; their gradient is tiny, so descent approaches them slowly
check(
    mse_rrr[3] < mse_gd[3] < mse_rrr[2],
    f"at r = 8 descent is below the rank-4 optimum and still approaching the rank-8 one ({mse_gd[3]:.5f} vs {mse_rrr[3]:.5f})",
)
# step 2, the converse: any rank-r update is s B A with B = U_r D_r / s and A = V_r^T from its truncated SVD
dW_r = rng.normal(size=(d_o, 3)) @ rng.normal(size=(3, d_i))  # a random update of rank 3
U_, D_, Vt_ = np.linalg.svd(dW_r)
s_ex = 2.0
B_svd, A_svd = U_[:, :3] * D_[:3] / s_ex, Vt_[:3]
check_close(s_ex * B_svd @ A_svd, dW_r, "B = U_r D_r / s and A = V_r^T reproduce a rank-r update exactly", atol=1e-10)
for r, v in zip(ranks, mse_rrr, strict=True):
    bind(f"mse_r{r}", v)
bind("mse_full", mse_full)
bind("mse_zero", mse_zero)
bind("noise_var", noise_sd**2 * d_o)
check(
    mse_rrr[2] - mse_full < 0.01 * (mse_zero - mse_full),
    "rank 4, the true rank, closes more than 99% of the gap between no update and full fine-tuning",
)
check(mse_rrr[0] > mse_rrr[1] > mse_rrr[2], "below the true rank, every extra rank lowers the loss")
bind("zero_params", 0)
for r in ranks:
    bind(f"rank_{r}", r)
    bind(f"params_r{r}", lora_params(d_o, d_i, r))
bind("params_full_fit", d_o * d_i)

# held-out data: rank 4 generalises at least as well as full fine-tuning, which also fits noise
X_te = rng.normal(size=(20_000, d_i))
Y_te = X_te @ (W0 + dW_true).T + noise_sd * rng.normal(size=(20_000, d_o))
R_te = Y_te - X_te @ W0.T
test_mse = {r: np.mean(np.sum((R_te - X_te @ rrr(r).T) ** 2, axis=1)) for r in ranks}
test_full = np.mean(np.sum((R_te - X_te @ dW_ls.T) ** 2, axis=1))
check(test_mse[4] < test_full, "on held-out data the rank-4 update beats full fine-tuning")
bind("test_mse_r4", test_mse[4])
bind("test_mse_full", test_full)

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.6, 3.6))
ax1.plot(ranks, mse_rrr, "-", color="C0", label="best rank-$r$ (closed form)")
ax1.plot(ranks, mse_gd, "o", color="C1", label="LoRA by gradient descent")
ax1.axhline(mse_full, color="gray", ls="--", label="full fine-tuning")
ax1.set_xscale("log", base=2)
ax1.set_xticks(ranks, [str(r) for r in ranks])
ax1.set_xlabel("LoRA rank $r$")
ax1.set_ylabel("training mean squared error")
ax1.legend(fontsize=8)
ax1.set_title("Loss saturates at the true rank 4")
rs = 2 ** np.arange(0, 13)
ax2.loglog(rs, [lora_params(d_model, d_model, r) for r in rs], "o-", color="C1", label="LoRA, $r(d_{in}+d_{out})$")
ax2.axhline(full_one, color="gray", ls="--", label=r"full matrix, $d_{out} d_{in}$")
ax2.set_xlabel("rank $r$")
ax2.set_ylabel("trainable parameters")
ax2.set_title(f"One {d_model}×{d_model} matrix")
ax2.legend(fontsize=8)
fig.tight_layout()
save_figure(fig, "lora-rank")
