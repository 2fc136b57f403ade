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
# # A convolutional layer by hand: output size, parameters, receptive field
#
# A direct implementation of a 2-D convolutional layer (cross-correlation with stride, zero padding and dilation) is checked against SciPy's `correlate`, and the output-size formula against the positions at which the kernel actually fits.
# The parameter count is checked as the dimension of the space of linear maps the layer can represent (the rank of its basis matrices), the backward pass as a full convolution with the kernel (SciPy), translation equivariance by shifting the input, and the receptive-field recursion against the set of inputs that actually influence one output of a stack of layers.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy import signal

rng = np.random.default_rng(0)


def out_size(N, F, S=1, Q=0, D=1):
    """The page's formula: floor((N + 2Q - D(F - 1) - 1)/S) + 1."""
    return (N + 2 * Q - D * (F - 1) - 1) // S + 1


def rf_formula(layers):
    r, jump = 1, 1
    out = []
    for F, S, D in layers:
        r += (F - 1) * D * jump
        jump *= S
        out.append(r)
    return out


def conv2d(x, w, b=None, S=1, Q=0, D=1):
    """x: (c_in, N, N), w: (c_out, c_in, F, F); cross-correlation with stride S, zero padding Q, dilation D."""
    c_out, _, F, _ = w.shape
    xp = np.pad(x, ((0, 0), (Q, Q), (Q, Q)))
    No = (xp.shape[1] - D * (F - 1) - 1) // S + 1
    out = np.zeros((c_out, No, No))
    for u in range(F):
        for v in range(F):
            patch = xp[:, u * D : u * D + S * (No - 1) + 1 : S, v * D : v * D + S * (No - 1) + 1 : S]
            out += np.einsum("oc,chw->ohw", w[:, :, u, v], patch)
    return out if b is None else out + b[:, None, None]


# %% [markdown]
# ## The output size: the formula against the positions where the kernel fits
#
# For every combination of input length, kernel size, stride, padding and dilation in a grid, the kernel's first tap is slid over the padded input in steps of $S$ and the positions where its last tap still lands inside are counted.
# For stride 1, the length of SciPy's `correlate(..., "valid")` with the dilated kernel (zeros inserted between taps) is a second route.

# %%
mismatch = 0
n_cases = 0
for N in range(4, 14):
    for F in range(1, 6):
        for S in (1, 2, 3):
            for Q in (0, 1, 2):
                for D in (1, 2, 3):
                    padded = N + 2 * Q
                    fits = sum(1 for start in range(0, padded, S) if start + D * (F - 1) <= padded - 1)
                    if padded < D * (F - 1) + 1:
                        continue
                    n_cases += 1
                    mismatch += fits != out_size(N, F, S, Q, D)
                    # a transposed convolution maps N_out back to (N_out - 1)S - 2Q + D(F - 1) + 1 + a, 0 <= a < S
                    a_extra = N - ((out_size(N, F, S, Q, D) - 1) * S - 2 * Q + D * (F - 1) + 1)
                    mismatch += not (0 <= a_extra < S)
                    if S == 1:
                        dil = np.zeros(D * (F - 1) + 1)
                        dil[::D] = 1.0
                        mismatch += len(signal.correlate(np.ones(padded), dil, "valid")) != out_size(N, F, 1, Q, D)
check(
    mismatch == 0,
    f"output-size formula agrees with counting kernel positions in all {n_cases} cases (and with SciPy at stride 1), "
    "and the transposed-convolution size recovers N up to an output padding below S",
)

# %% [markdown]
# ## The layer against SciPy, and the ResNet stem of the page's example
#
# SciPy correlates one channel with one kernel at stride 1; summing over input channels and keeping every $S$-th output gives the strided layer.

# %%
x_img = rng.normal(size=(3, 224, 224))
w_stem = rng.normal(size=(64, 3, 7, 7))
y_stem = conv2d(x_img, w_stem, S=2, Q=3)
n_ref = 16  # SciPy recomputes the first 16 output channels
ref = np.zeros_like(y_stem[:n_ref])
x_pad = np.pad(x_img, ((0, 0), (3, 3), (3, 3)))
for o in range(n_ref):
    full = sum(signal.correlate(x_pad[c], w_stem[o, c], "valid") for c in range(3))
    ref[o] = full[::2, ::2]
check_close(
    y_stem[:n_ref],
    ref,
    "7x7 stride-2 layer on a 224x224x3 input equals SciPy's correlate, summed and subsampled",
    rtol=1e-9,
    atol=1e-9,
)
n_in_stem, f_stem, s_stem, q_stem, c_in_stem, c_out_stem = 224, 7, 2, 3, 3, 64
# the shape of SciPy's subsampled output (not the hand-written layer, which uses the formula internally)
scipy_side = signal.correlate(x_pad[0], w_stem[0, 0], "valid")[::2, ::2].shape
check(
    scipy_side == (out_size(n_in_stem, f_stem, s_stem, q_stem),) * 2 and y_stem.shape[1:] == scipy_side,
    f"the output side from SciPy, {scipy_side[0]}, is the formula's",
)
for name_, v_ in (
    ("n_in_stem", n_in_stem),
    ("f_stem", f_stem),
    ("s_stem", s_stem),
    ("q_stem", q_stem),
    ("c_in_stem", c_in_stem),
    ("c_out_stem", c_out_stem),
    ("n_out_stem", y_stem.shape[1]),
):
    bind(name_, v_)
params_stem = f_stem**2 * c_in_stem * c_out_stem
bind("params_stem", params_stem)
macs_stem = y_stem.shape[1] ** 2 * f_stem**2 * c_in_stem * c_out_stem
bind("macs_stem_m", macs_stem / 1e6)
dense_stem = (n_in_stem**2 * c_in_stem) * (y_stem.shape[1] ** 2 * c_out_stem)
bind("dense_stem_bn", dense_stem / 1e9)
# max pooling 3x3, stride 2, padding 1 after the stem
pool_f, pool_s, pool_q = 3, 2, 1
bind("pool_f", pool_f)
bind("pool_s", pool_s)
bind("pool_q", pool_q)
pool_out = out_size(y_stem.shape[1], pool_f, pool_s, pool_q)
bind("n_out_pool", pool_out)
rf_stem = 1 + (f_stem - 1)
rf_pool = rf_formula([(f_stem, s_stem, 1), (pool_f, pool_s, 1)])[-1]
bind("rf_stem", rf_stem)
bind("rf_pool", rf_pool)

# %% [markdown]
# ## The parameter count is the number of degrees of freedom
#
# The layer is linear in its input; each weight contributes one matrix (its effect on the flattened output), and the layer can represent exactly the span of these matrices.
# The rank of the stacked basis matrices is the number of free parameters: $F^2 c_{\text{in}} c_{\text{out}}$, against $(N^2 c_{\text{in}})(N_{\text{out}}^2 c_{\text{out}})$ for a dense layer between the same shapes.


# %%
def as_matrix(w, N, S=1, Q=0, D=1):
    """The dense matrix of the (bias-free) layer, column by column from unit inputs (one batched pass)."""
    c_in, F = w.shape[1], w.shape[2]
    units = np.eye(c_in * N * N).reshape(-1, c_in, N, N)
    xp = np.pad(units, ((0, 0), (0, 0), (Q, Q), (Q, Q)))
    No = (xp.shape[2] - D * (F - 1) - 1) // S + 1
    out = np.zeros((units.shape[0], w.shape[0], No, No))
    for u in range(F):
        for v in range(F):
            patch = xp[:, :, u * D : u * D + S * (No - 1) + 1 : S, v * D : v * D + S * (No - 1) + 1 : S]
            out += np.einsum("oc,bchw->bohw", w[:, :, u, v], patch)
    return out.reshape(units.shape[0], -1).T


N_s, F_s, ci_s, co_s = 6, 3, 2, 3
basis = []
for idx in range(co_s * ci_s * F_s * F_s):
    w_b = np.zeros(co_s * ci_s * F_s * F_s)
    w_b[idx] = 1.0
    basis.append(as_matrix(w_b.reshape(co_s, ci_s, F_s, F_s), N_s, Q=1).ravel())
basis = np.array(basis)
rank = np.linalg.matrix_rank(basis)
check(rank == F_s**2 * ci_s * co_s, f"the layer's linear maps form a space of dimension {rank} = F^2 c_in c_out")
# a dense layer between the same shapes: the matrix of a stride-2, unpadded layer (N_out != N), built column by column
# from SciPy's response to unit impulses (no use of the formula), equals the hand-written layer's matrix and has
# (N^2 c_in)(N_out^2 c_out) entries
w_s2 = rng.normal(size=(co_s, ci_s, F_s, F_s))
N7 = 7
cols = []
for c in range(ci_s):
    for i in range(N7):
        for j in range(N7):
            e = np.zeros((N7, N7))
            e[i, j] = 1.0
            cols.append(
                np.concatenate([signal.correlate(e, w_s2[o, c], "valid")[::2, ::2].ravel() for o in range(co_s)])
            )
A_scipy = np.array(cols).T
n_out7 = out_size(N7, F_s, 2)
check_close(
    A_scipy,
    as_matrix(w_s2, N7, S=2),
    "the stride-2 layer's dense matrix from SciPy equals the hand-written layer's",
    rtol=1e-12,
)
check(
    A_scipy.size == (N7**2 * ci_s) * (n_out7**2 * co_s) and n_out7 != N7,
    f"a dense layer between a {ci_s}x{N7}x{N7} input and a {co_s}x{n_out7}x{n_out7} output has (N^2 c_in)(N_out^2 c_out) "
    f"= {A_scipy.size} weights (SciPy's matrix)",
)

# backward pass: dL/dx = A^T g, which is a full convolution of the output gradient with the kernel
w1 = rng.normal(size=(1, 1, 3, 3))
x1 = rng.normal(size=(1, 7, 7))
g1 = rng.normal(size=(5, 5))
A = as_matrix(w1, 7)
check_close(
    (A.T @ g1.ravel()).reshape(7, 7),
    signal.convolve(g1, w1[0, 0], "full"),
    "the input gradient is a full convolution of the output gradient with the kernel (a transposed convolution)",
    rtol=1e-10,
)

# translation equivariance: circular padding, stride 1 commutes with shifts; stride 2 does not
x_c = rng.normal(size=(1, 12, 12))
w_c = rng.normal(size=(2, 1, 3, 3))


def conv_circ(x, w, S=1):
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="wrap")
    return conv2d(xp, w, S=S)


shift = (0, 2, 3)
check_close(
    conv_circ(np.roll(x_c, shift, axis=(0, 1, 2)), w_c),
    np.roll(conv_circ(x_c, w_c), shift, axis=(0, 1, 2)),
    "stride 1: shifting the input shifts the output by the same amount",
    rtol=1e-12,
)
y0, y1 = conv_circ(x_c, w_c, S=2), conv_circ(np.roll(x_c, 1, axis=2), w_c, S=2)
check(
    min(np.max(np.abs(y1 - np.roll(y0, k, axis=2))) for k in range(y0.shape[2])) > 0.1,
    "stride 2: a one-pixel shift of the input is no shift of the output",
)
# a shift by a multiple of the stride, Delta = 2 at S = 2, shifts the output by Delta / S = 1 (and not by Delta)
y2 = conv_circ(np.roll(x_c, 2, axis=2), w_c, S=2)
check_close(y2, np.roll(y0, 1, axis=2), "stride 2: shifting the input by 2 shifts the output by 2/S = 1", rtol=1e-12)
check(np.max(np.abs(y2 - np.roll(y0, 2, axis=2))) > 0.1, "stride 2: the output does not shift by the full 2")

# %% [markdown]
# ## Receptive field: the recursion against the inputs that actually reach one output
#
# The page's recursion is $r_l = r_{l-1} + (F_l - 1) D_l \prod_{i < l} S_i$ with $r_0 = 1$.
# The empirical route multiplies the dense matrices of a stack of 1-D layers with positive weights (so no contributions cancel) and counts the inputs with a nonzero weight on a central output.


# %%
def conv1d_matrix(N, F, S=1, D=1):
    """Dense matrix of a 1-D valid cross-correlation with positive random weights."""
    No = (N - D * (F - 1) - 1) // S + 1
    A = np.zeros((No, N))
    w = rng.uniform(0.5, 1.5, size=F)
    for i in range(No):
        for u in range(F):
            A[i, i * S + u * D] = w[u]
    return A


def rf_empirical(layers, N=1200):
    """Receptive field of a central unit after each layer, from the rows of the product of the layers' matrices."""
    mats, size = [], N
    for F, S, D in layers:
        mats.append(conv1d_matrix(size, F, S, D))
        size = mats[-1].shape[0]
    out = []
    for depth in range(1, len(layers) + 1):
        row = np.zeros(mats[depth - 1].shape[0])
        row[len(row) // 2] = 1.0
        for A in reversed(mats[:depth]):  # row^T A_depth ... A_1: the weights of the inputs in that unit
            row = row @ A
        nz = np.nonzero(row > 0)[0]
        out.append(nz[-1] - nz[0] + 1)
    return out


configs = {
    "3-wide, stride 1": [(3, 1, 1)] * 8,
    "3-wide, stride 2": [(3, 2, 1)] * 8,
    "3-wide, dilation 1, 2, 4, ...": [(3, 1, 2**i) for i in range(8)],
}
rf = {}
for name, layers in configs.items():
    formula, empirical = rf_formula(layers), rf_empirical(layers, N=1200)
    check(formula == empirical, f"{name}: recursion {formula} equals the measured receptive field")
    rf[name] = formula
bind("rf_s1_l8", rf["3-wide, stride 1"][-1])
bind("rf_s2_l8", rf["3-wide, stride 2"][-1])
bind("rf_dil_l8", rf["3-wide, dilation 1, 2, 4, ..."][-1])
bind("n_layers_rf", 8)
# the ResNet stem of the example: 7x7 stride-2 convolution, then 3x3 stride-2 max pooling (a window, as for a convolution)
check(
    rf_empirical([(f_stem, s_stem, 1), (pool_f, pool_s, 1)], N=400) == [rf_stem, rf_pool],
    f"stem receptive field: measured {rf_empirical([(f_stem, s_stem, 1), (pool_f, pool_s, 1)], N=400)} equals the recursion",
)
bind("f_rf", 3)
bind("s_rf", 2)

# %% [markdown]
# ## The effective receptive field: paths concentrate in the centre
#
# With all weights equal to 1, the weight of an input in a central output after $M$ stride-1 layers of $3 \times 3$ kernels is the number of paths from it, the coefficients of $(1 + x + x^2)^M$ in each direction.
# The check compares the stack of 2-D convolutions (SciPy) with the outer product of polynomial coefficients (NumPy).

# %%
M_erf = 5
bind("m_erf", M_erf)
impulse = np.zeros((2 * M_erf + 1, 2 * M_erf + 1))
impulse[M_erf, M_erf] = 1.0
paths = impulse
for _ in range(M_erf):
    paths = signal.convolve2d(paths, np.ones((3, 3)), mode="same")
coeffs = np.array([1.0])
for _ in range(M_erf):
    coeffs = np.polymul(coeffs, [1.0, 1.0, 1.0])
check_close(
    paths,
    np.outer(coeffs, coeffs),
    "path counts after 5 layers equal the coefficients of (1 + x + x^2)^5 squared",
    rtol=1e-12,
)
rf_erf = 1 + 2 * M_erf
bind("rf_erf", rf_erf)
share = paths / paths.sum()
c = M_erf
central = share[c - 2 : c + 3, c - 2 : c + 3].sum()
central_side = 5
bind("central_side", central_side)
bind("central_share", central)
bind("central_area_share", central_side**2 / rf_erf**2)
check(central > 0.6, f"the central 5x5 of the 11x11 field carries {central:.2f} of the total weight")

# VGG's argument: stacks of 3x3 layers against one large kernel with the same receptive field
rf_two, rf_three = rf_empirical([(3, 1, 1)] * 3, N=60)[1:]  # measured, as in the receptive-field check above
check(
    rf_formula([(3, 1, 1)] * 3)[1:] == [rf_two, rf_three],
    "two 3x3 layers see 5x5, three see 7x7 (recursion and measurement)",
)
bind("rf_two", rf_two)
bind("rf_three", rf_three)
check(
    rf_two**2 > 2 * 3**2 and rf_three**2 > 3 * 3**2, "the stacks have fewer weights than one filter of the same field"
)
bind("vgg_two", 2 * 3**2)
bind("vgg_five", rf_two**2)
bind("vgg_three", 3 * 3**2)
bind("vgg_seven", rf_three**2)

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 4.0))
depths = np.arange(1, 9)
for i, (name, values) in enumerate(rf.items()):
    ax1.semilogy(depths, values, ["o-", "s-", "x--"][i], color=f"C{i}", label=name, markersize=7 - 2 * i)
ax1.set_xlabel("number of layers")
ax1.set_ylabel("receptive field (inputs)")
ax1.set_title("Receptive field grows with depth")
ax1.legend(fontsize=8)
im = ax2.imshow(share, cmap="viridis")
ax2.set_title(f"Share of each input in one output\n({M_erf} layers of 3x3, stride 1)")
ax2.set_xticks([])
ax2.set_yticks([])
fig.colorbar(im, ax=ax2, fraction=0.046)
save_figure(fig, "receptive-field")
