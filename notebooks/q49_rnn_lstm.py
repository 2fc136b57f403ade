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
# # RNN, LSTM and GRU cells by hand: how far back does the gradient reach?
#
# The three cells are written in NumPy.
# The checks test the page's claims against independent routes: the RNN's step Jacobian $\operatorname{diag}(1 - \mathbf{h}_t^2)\,\mathbf{W}_{hh}$ and the LSTM's direct cell path $\operatorname{diag}(\mathbf{f}_t)$ against finite differences; the norm bound $\lVert\partial\mathbf{h}_T/\partial\mathbf{h}_k\rVert_2 \le \lVert\mathbf{W}_{hh}\rVert_2^{T-k}$ on random instances; the product of step Jacobians against finite differences of the whole unrolled network; and the sensitivity of the last state to earlier inputs for each cell, with the LSTM's forget-gate bias varied.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import expit

rng = np.random.default_rng(0)
d_in, d_h, T = 8, 32, 100
bind("d_in", d_in)
bind("d_h", d_h)
bind("t_len", T)


def lecun_normal(rows, cols, gen):
    """Gaussian weights of variance 1/fan-in (the matrix's number of columns)."""
    return gen.normal(scale=1 / np.sqrt(cols), size=(rows, cols))


def make_rnn(gen):
    return {"Wxh": lecun_normal(d_h, d_in, gen), "Whh": lecun_normal(d_h, d_h, gen), "b": np.zeros(d_h)}


def rnn_step(p, x, state):
    (h,) = state
    return (np.tanh(x @ p["Wxh"].T + h @ p["Whh"].T + p["b"]),)


def make_lstm(gen, forget_bias):
    p = {g: (lecun_normal(d_h, d_in, gen), lecun_normal(d_h, d_h, gen)) for g in "fiog"}
    p["bias"] = {"f": np.full(d_h, forget_bias), "i": np.zeros(d_h), "o": np.zeros(d_h), "g": np.zeros(d_h)}
    return p


def lstm_gates(p, x, h):
    pre = {g: x @ p[g][0].T + h @ p[g][1].T + p["bias"][g] for g in "fiog"}
    return expit(pre["f"]), expit(pre["i"]), expit(pre["o"]), np.tanh(pre["g"])


def lstm_step(p, x, state):
    h, c = state
    f, i, o, g = lstm_gates(p, x, h)
    c_new = f * c + i * g
    return (o * np.tanh(c_new), c_new)


def make_gru(gen, update_bias=0.0):
    p = {g: (lecun_normal(d_h, d_in, gen), lecun_normal(d_h, d_h, gen)) for g in "urn"}
    p["bias"] = {"u": np.full(d_h, update_bias), "r": np.zeros(d_h), "n": np.zeros(d_h)}
    return p


def gru_step(p, x, state):
    (h,) = state
    u = expit(x @ p["u"][0].T + h @ p["u"][1].T + p["bias"]["u"])
    r = expit(x @ p["r"][0].T + h @ p["r"][1].T + p["bias"]["r"])
    cand = np.tanh(x @ p["n"][0].T + (r * h) @ p["n"][1].T + p["bias"]["n"])
    return (u * h + (1 - u) * cand,)


def run(step, p, xs, state):
    states = [state]
    for x in xs:
        states.append(step(p, x, states[-1]))
    return states


def flat(state):
    return np.concatenate(state, axis=-1)


def unflat(v, like):
    out, k = [], 0
    for s in like:
        out.append(v[..., k : k + s.shape[-1]])
        k += s.shape[-1]
    return tuple(out)


def step_jacobian(step, p, x, state, eps=1e-6):
    """Jacobian of the flattened next state with respect to the flattened state, by central differences
    (all perturbed states in one batch, one per row)."""
    v = flat(state)
    E = eps * np.eye(len(v))
    return (flat(step(p, x, unflat(v + E, state))) - flat(step(p, x, unflat(v - E, state)))).T / (2 * eps)


# %% [markdown]
# ## The two Jacobians of the derivation

# %%
xs = rng.normal(size=(T, d_in))
rnn = make_rnn(np.random.default_rng(1))
h_prev = np.tanh(rng.normal(size=d_h))
(h_next,) = rnn_step(rnn, xs[0], (h_prev,))
check_close(
    step_jacobian(rnn_step, rnn, xs[0], (h_prev,)),
    (1 - h_next**2)[:, None] * rnn["Whh"],
    "RNN: dh_t/dh_{t-1} = diag(1 - h_t^2) W_hh (central differences)",
    rtol=1e-6,
    atol=1e-9,
)
lstm = make_lstm(np.random.default_rng(2), forget_bias=1.0)
h0, c0 = np.tanh(rng.normal(size=d_h)), rng.normal(size=d_h)
f0 = lstm_gates(lstm, xs[0], h0)[0]
J_full = step_jacobian(lstm_step, lstm, xs[0], (h0, c0))
check_close(
    J_full[d_h:, d_h:],
    np.diag(f0),
    "LSTM: dc_t/dc_{t-1} with h_{t-1} held fixed is diag(f_t) (central differences)",
    rtol=1e-6,
    atol=1e-9,
)

# the norm bound, on random RNNs of several weight scales
violations = 0
for trial in range(30):
    gen = np.random.default_rng(100 + trial)
    p = make_rnn(gen)
    p["Whh"] *= gen.uniform(0.5, 2.0)
    states = run(rnn_step, p, gen.normal(size=(20, d_in)), (np.zeros(d_h),))
    P = np.eye(d_h)
    norm_W = np.linalg.norm(p["Whh"], 2)
    for t in range(1, 21):
        P = ((1 - states[t][0] ** 2)[:, None] * p["Whh"]) @ P
        violations += np.linalg.norm(P, 2) > norm_W**t * (1 + 1e-12)
check(violations == 0, "||dh_T/dh_k||_2 <= ||W_hh||_2^(T-k) on 30 random RNNs and 20 lags each")

# %% [markdown]
# ## Sensitivity of the last state to earlier inputs
#
# For each cell, $\lVert\partial\mathbf{h}_T/\partial\mathbf{x}_t\rVert_2$ is computed as a product of step Jacobians (backpropagation through time); one entry is checked against finite differences of the whole unrolled network.


# %%
def input_jacobian(step, p, x, state, eps=1e-6):
    """Jacobian of the flattened next state with respect to the input x."""
    E = eps * np.eye(len(x))
    return (flat(step(p, x + E, state)) - flat(step(p, x - E, state))).T / (2 * eps)


def rnn_jacobians(p, x, state):
    """The RNN's analytic step Jacobians (step 1 of the page): with respect to h_{t-1} and to x_t."""
    (h_new,) = rnn_step(p, x, state)
    dtanh = (1 - h_new**2)[:, None]
    return dtanh * p["Whh"], dtanh * p["Wxh"]


def sensitivities(step, p, state0, analytic=None):
    """||d h_T / d x_t||_2 for t = 1..T by backpropagation through time (products of step Jacobians);
    `analytic` gives the step Jacobians in closed form, otherwise they are central differences."""
    states = run(step, p, xs, state0)
    back = np.eye(len(flat(state0)))[:d_h]  # d h_T / d state_T (h comes first in the state)
    out = np.zeros(T)
    for t in range(T, 0, -1):
        if analytic is None:
            J_state, J_x = (
                step_jacobian(step, p, xs[t - 1], states[t - 1]),
                input_jacobian(step, p, xs[t - 1], states[t - 1]),
            )
        else:
            J_state, J_x = analytic(p, xs[t - 1], states[t - 1])
        out[t - 1] = np.linalg.norm(back @ J_x, 2)
        back = back @ J_state
    return out, states


cells = {
    "RNN": (rnn_step, rnn, (np.zeros(d_h),)),
    "GRU": (gru_step, make_gru(np.random.default_rng(3)), (np.zeros(d_h),)),
}
for b_f in (0.0, 1.0, 3.0):
    cells[f"LSTM, forget bias {b_f:g}"] = (
        lstm_step,
        make_lstm(np.random.default_rng(2), b_f),
        (np.zeros(d_h), np.zeros(d_h)),
    )
sens, all_states = {}, {}
for name, (step, p, s0) in cells.items():
    sens[name], all_states[name] = sensitivities(step, p, s0, analytic=rnn_jacobians if name == "RNN" else None)
# the RNN's BPTT with the analytic Jacobians of steps 1-2 against the same product of finite-difference Jacobians
sens_rnn_fd, _ = sensitivities(rnn_step, rnn, (np.zeros(d_h),))
check_close(
    sens["RNN"],
    sens_rnn_fd,
    "RNN: BPTT with the analytic step Jacobians equals the product of finite-difference Jacobians",
    rtol=1e-5,
    atol=1e-30,
)

# finite differences of the whole unrolled RNN, for the input 20 steps back, against the analytic BPTT column
fd_rnn = []
for sign in (+1, -1):
    xs_p = xs.copy()
    xs_p[T - 20 - 1, 0] += sign * 1e-6
    fd_rnn.append(run(rnn_step, rnn, xs_p, (np.zeros(d_h),))[-1][0])
fd_rnn = (fd_rnn[0] - fd_rnn[1]) / 2e-6
states_rnn = all_states["RNN"]
back = np.eye(d_h)
for t in range(T, T - 20, -1):
    back = back @ rnn_jacobians(rnn, xs[t - 1], states_rnn[t - 1])[0]
check_close(
    (back @ rnn_jacobians(rnn, xs[T - 21], states_rnn[T - 21])[1])[:, 0],
    fd_rnn,
    "RNN: analytic BPTT column for the input 20 steps back equals finite differences of the unrolled network",
    rtol=1e-4,
    atol=1e-9,
)

# finite differences of the whole unrolled network for the input at t = T - 20
step, p, s0 = cells["LSTM, forget bias 3"]
t_probe = T - 20
fd_col = []
for sign in (+1, -1):
    xs_p = xs.copy()
    xs_p[t_probe - 1, 0] += sign * 1e-6
    fd_col.append(run(step, p, xs_p, s0)[-1][0])
fd_col = (fd_col[0] - fd_col[1]) / 2e-6
states = all_states["LSTM, forget bias 3"]
back = np.eye(2 * d_h)[:d_h]
for t in range(T, t_probe, -1):
    back = back @ step_jacobian(step, p, xs[t - 1], states[t - 1])
bptt_col = (back @ input_jacobian(step, p, xs[t_probe - 1], states[t_probe - 1]))[:, 0]
check_close(
    bptt_col,
    fd_col,
    "BPTT (product of step Jacobians) equals finite differences of the unrolled LSTM",
    rtol=1e-4,
    atol=1e-9,
)

lag_probe = 50
bind("lag_probe", lag_probe)
rel = {name: s[T - 1 - lag_probe] / s[T - 1] for name, s in sens.items()}
for name, r in rel.items():
    print(f"{name:22s} sensitivity at lag {lag_probe} relative to lag 0: {r:.3g}")
check(
    max(rel["RNN"], rel["GRU"], rel["LSTM, forget bias 0"])
    < 1e-6
    < rel["LSTM, forget bias 1"]
    < 1e-2
    < rel["LSTM, forget bias 3"],
    "at lag 50 the RNN, the GRU and the LSTM with forget bias 0 keep less than 1e-6 of the sensitivity; "
    "forget bias 1 keeps more, and forget bias 3 more than 1%",
)


def sci(name, value):
    exponent = int(np.floor(np.log10(value)))
    bind(f"{name}_mant", value / 10.0**exponent)
    bind(f"{name}_exp", exponent)


sci("rel_rnn", rel["RNN"])
sci("rel_lstm0", rel["LSTM, forget bias 0"])
sci("rel_gru", rel["GRU"])
sci("rel_lstm1", rel["LSTM, forget bias 1"])
bind("rel_lstm3", rel["LSTM, forget bias 3"])
bind("rel_lstm3_end", sens["LSTM, forget bias 3"][0] / sens["LSTM, forget bias 3"][-1])
bind("max_lag", T - 1)
mean_f = {}
for b_f in (0.0, 3.0):
    name = f"LSTM, forget bias {b_f:g}"
    step, p, _ = cells[name]
    mean_f[b_f] = np.mean([lstm_gates(p, xs[t], all_states[name][t][0])[0].mean() for t in range(T)])
# the cell path's own factor over the last lag_probe steps: the product of the forget gates, per unit
name3 = "LSTM, forget bias 3"
f_last = np.array([lstm_gates(cells[name3][1], xs[t], all_states[name3][t][0])[0] for t in range(T - lag_probe, T)])
cell_path = np.prod(f_last, axis=0)
check(
    cell_path.max() < rel["LSTM, forget bias 3"] / 2,
    f"forget bias 3: the cell path alone keeps at most {cell_path.max():.3f} over {lag_probe} steps, "
    f"well below the measured ratio {rel[name3]:.2f} (the ratio is not the product of the forget gates)",
)
bind("cell_path_max", cell_path.max())

# step 7: an update gate near 1 plays the forget gate's role (same GRU weights, update-gate bias 3)
sens_gru3, _ = sensitivities(gru_step, make_gru(np.random.default_rng(3), update_bias=3.0), (np.zeros(d_h),))
rel_gru3 = sens_gru3[T - 1 - lag_probe] / sens_gru3[T - 1]
check(
    rel_gru3 > 1e-2 > 1e6 * rel["GRU"],
    f"GRU with update-gate bias 3 keeps {rel_gru3:.2f} at lag {lag_probe} (bias 0: {rel['GRU']:.1e})",
)
bind("rel_gru3", rel_gru3)
bind("mean_f0", mean_f[0.0])
bind("mean_f3", mean_f[3.0])
bind("forget_bias_hi", 3)

fig, ax = plt.subplots()
lags = np.arange(T)
for i, (name, s) in enumerate(sens.items()):
    ax.semilogy(lags, s[::-1] / s[-1], color=f"C{i}", label=name)
ax.set_xlabel("lag T - t (steps back from the last state)")
ax.set_ylabel("||dh_T/dx_t|| relative to lag 0")
ax.set_title("How far back the gradient reaches, at initialisation")
ax.set_ylim(1e-16, 10)
ax.legend(fontsize=8)
save_figure(fig, "gradient-reach")

# %% [markdown]
# ## Parameter counts
#
# A cell with $d$ inputs and $d_h$ hidden units has $d_h(d + d_h + 1)$ parameters per gate or candidate block: one for the RNN, four for the LSTM, three for the GRU.
# The counts below are those of the implementations above, for the page's example sizes.

# %%
d_ex, h_ex = 128, 256
bind("d_ex", d_ex)
bind("h_ex", h_ex)
gen = np.random.default_rng(9)


def count(p):
    total = 0
    for v in p.values():
        if isinstance(v, dict):
            total += sum(a.size for a in v.values())
        elif isinstance(v, tuple):
            total += sum(a.size for a in v)
        else:
            total += v.size
    return total


d_in, d_h = d_ex, h_ex  # the factory functions read these sizes
n_rnn, n_lstm, n_gru = count(make_rnn(gen)), count(make_lstm(gen, 1.0)), count(make_gru(gen))
check(
    n_lstm == 4 * n_rnn and n_gru == 3 * n_rnn and n_rnn == h_ex * (d_ex + h_ex + 1),
    "LSTM = 4 x RNN and GRU = 3 x RNN parameters, d_h (d + d_h + 1) per block",
)
bind("n_rnn", n_rnn)
bind("n_lstm", n_lstm)
bind("n_gru", n_gru)
bind("n_lstm_torch", 4 * h_ex * (d_ex + h_ex + 2))
