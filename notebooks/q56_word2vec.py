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
# # Skip-gram with negative sampling factorises a shifted PMI matrix
#
# Levy and Goldberg (2014) showed that when the embedding dimension is large enough for every cell to be fitted on its own, the optimum of the skip-gram negative-sampling (SGNS) objective has $\mathbf{u}_w^\top\mathbf{v}_c = \operatorname{PMI}(w, c) - \log k$.
# The notebook generates a small corpus from a Markov chain, counts word-context pairs in a window, and checks that claim three ways: the per-cell stationary point symbolically (sympy), the full factorised objective minimised by L-BFGS, and the word2vec training procedure itself (stochastic gradient descent on sampled pairs and sampled negatives), each against the closed form computed from the counts.
# It also checks the objective's gradient against finite differences, the context-smoothing variant (negatives drawn from the unigram distribution raised to the power 3/4), and what happens in low dimension, where the fit is only an approximation.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import check_grad, minimize
from scipy.special import expit, log_expit

rng = np.random.default_rng(0)

# %% [markdown]
# ## The corpus and its co-occurrence counts
#
# Eight word types in two groups of four; the next word stays in the current word's group with high probability, and every transition has positive probability, so every word-context pair occurs and every PMI is finite.
# The context of the word at position $t$ is every word at positions $t - 2, \dots, t + 2$ other than $t$ itself (a fixed symmetric window).

# %%
V_words, T_len, window, k_neg = 8, 50_000, 2, 5
bind("v_words", V_words)
bind("t_len", T_len)
bind("window", window)
bind("k_neg", k_neg)
group_size = 4
n_groups = V_words // group_size
bind("group_size", group_size)
bind("n_groups", n_groups)
P = np.full((V_words, V_words), 0.02)
for g in range(n_groups):
    blk = slice(g * group_size, (g + 1) * group_size)
    P[blk, blk] += 0.2
P[np.arange(V_words), (np.arange(V_words) + 1) % V_words] += 0.3
P /= P.sum(axis=1, keepdims=True)
cumP = P.cumsum(axis=1)
draws = rng.random(T_len)
x = np.zeros(T_len, dtype=int)
for t in range(1, T_len):
    x[t] = min(np.searchsorted(cumP[x[t - 1]], draws[t]), V_words - 1)

M = np.zeros((V_words, V_words))
for j in range(1, window + 1):
    np.add.at(M, (x[:-j], x[j:]), 1)
    np.add.at(M, (x[j:], x[:-j]), 1)
n_pairs = M.sum()
n_w, n_c = M.sum(axis=1), M.sum(axis=0)
check(M.min() > 0, "every word-context pair occurs at least once, so every PMI is finite")
check(n_pairs == 2 * sum(T_len - j for j in range(1, window + 1)), "the number of pairs is 2 sum_j (T - j)")
bind("n_pairs", n_pairs)
pmi = np.log(M * n_pairs / np.outer(n_w, n_c))
shifted = pmi - np.log(k_neg)
bind("pmi_min", pmi.min())
bind("pmi_max", pmi.max())

# %% [markdown]
# ## One cell: the stationary point, symbolically
#
# Collecting the terms of the objective that involve one pair $(w, c)$, with the score $s = \mathbf{u}_w^\top\mathbf{v}_c$ (the page's $s_{wc}$; the code calls it `x`), gives $\#(w, c)\log\sigma(s) + k\,\#(w)\frac{\#(c)}{n}\log\sigma(-s)$.
# Its derivative vanishes at $s = \log\frac{\#(w, c)\,n}{\#(w)\,\#(c)} - \log k$, and its second derivative is negative everywhere.

# %%
xs, a, b = sp.symbols("x a b", positive=True)  # a = #(w,c), b = k #(w) #(c) / n
sig = 1 / (1 + sp.exp(-xs))
cell = a * sp.log(sig) + b * sp.log(1 - sig)
d1 = sp.diff(cell, xs)
check(sp.simplify(d1.subs(xs, sp.log(a / b))) == 0, "sympy: the per-cell derivative vanishes at x = log(a / b)")
check(
    sp.simplify(sp.diff(cell, xs, 2) + (a + b) * sig * (1 - sig)) == 0,
    "sympy: the second derivative is -(a + b) sigma(x) sigma(-x) < 0, so the stationary point is the maximum",
)

# %% [markdown]
# ## The global objective and its gradient
#
# With $\mathbf{X} = \mathbf{U}\mathbf{V}^\top$ (row $w$ of $\mathbf{U}$ is $\mathbf{u}_w$, row $c$ of $\mathbf{V}$ is $\mathbf{v}_c$; the code calls $\mathbf{V}$ `C`) and negatives drawn from $P_n(c)$,
# $J = -\frac{1}{n}\sum_{w,c}\big[\#(w,c)\log\sigma(X_{wc}) + k\,\#(w)P_n(c)\log\sigma(-X_{wc})\big]$.


# %%
def sgns_objective(theta, d, p_neg):
    U = theta[: V_words * d].reshape(V_words, d)
    C = theta[V_words * d :].reshape(V_words, d)
    X = U @ C.T
    neg = k_neg * np.outer(n_w, p_neg)
    J = -(np.sum(M * log_expit(X)) + np.sum(neg * log_expit(-X))) / n_pairs
    G = -(M * expit(-X) - neg * expit(X)) / n_pairs  # dJ/dX
    return J, np.r_[(G @ C).ravel(), (G.T @ U).ravel()]


p_unigram = n_c / n_pairs
theta_test = rng.normal(scale=0.5, size=2 * V_words * 3)
err = check_grad(
    lambda th: sgns_objective(th, 3, p_unigram)[0], lambda th: sgns_objective(th, 3, p_unigram)[1], theta_test
)
check(err < 1e-6, f"the analytic gradient matches finite differences (error {err:.1e})")


def fit(d, p_neg, seed):
    th0 = np.random.default_rng(seed).normal(scale=0.1, size=2 * V_words * d)
    res = minimize(
        sgns_objective,
        th0,
        args=(d, p_neg),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 20_000, "gtol": 1e-12, "ftol": 1e-15},
    )
    U = res.x[: V_words * d].reshape(V_words, d)
    C = res.x[V_words * d :].reshape(V_words, d)
    return U, C, res.fun


# %% [markdown]
# ## Full dimension: the optimum is the shifted PMI
#
# With $d = 8$, the number of word types, $\mathbf{U}\mathbf{V}^\top$ can be any $8 \times 8$ matrix, so each cell reaches its own optimum.

# %%
U_full, C_full, J_full = fit(V_words, p_unigram, 1)
X_full = U_full @ C_full.T
gap_full = np.max(np.abs(X_full - shifted))
check_close(X_full, shifted, "d = |V|: L-BFGS on the SGNS objective gives u_w . v_c = PMI - log k", atol=1e-4)
bind("d_full", V_words)

# The minimum value also matches the per-cell closed form, evaluated without any optimisation
neg_w = k_neg * np.outer(n_w, p_unigram)
J_closed = -(np.sum(M * log_expit(shifted)) + np.sum(neg_w * log_expit(-shifted))) / n_pairs
check_close(J_full, J_closed, "the minimum of the objective equals its value at the shifted PMI", rtol=1e-9)

# %% [markdown]
# ## The word2vec procedure: stochastic gradient descent on sampled pairs and negatives
#
# word2vec never forms the counts: it walks through the corpus, and for each (word, context) pair it draws $k$ negative contexts from $P_n$ and takes a gradient step on $-\log\sigma(\mathbf{u}_w^\top\mathbf{v}_c) - \sum_{j=1}^{k}\log\sigma(-\mathbf{u}_w^\top\mathbf{v}_{c_j})$.
# Here each step uses a mini-batch of 2,000 pairs drawn from the corpus's pairs, with 5 sampled negatives each; the expected mini-batch loss is the objective above, so SGD should land near the same optimum, up to its own noise.

# %%
batch, steps, lr0 = 2000, 3000, 2.0
bind("sgd_batch", batch)
bind("sgd_steps", steps)
flat_pairs = (np.arange(V_words)[:, None] * V_words + np.arange(V_words)[None, :]).ravel()
cum_pair = np.cumsum(M.ravel() / n_pairs)
cum_neg = np.cumsum(p_unigram)
U = rng.normal(scale=0.1, size=(V_words, V_words))
C = rng.normal(scale=0.1, size=(V_words, V_words))
for s in range(steps):
    lr = lr0 * (1 - s / steps) + 0.01 * lr0
    idx = np.minimum(np.searchsorted(cum_pair, rng.random(batch)), V_words * V_words - 1)
    pos = np.bincount(flat_pairs[idx], minlength=V_words * V_words).reshape(V_words, V_words)
    w_of_pos = np.repeat(np.arange(V_words), pos.sum(axis=1))
    neg_ctx = np.minimum(np.searchsorted(cum_neg, rng.random(len(w_of_pos) * k_neg)), V_words - 1)
    neg = np.bincount(np.repeat(w_of_pos, k_neg) * V_words + neg_ctx, minlength=V_words * V_words).reshape(
        V_words, V_words
    )
    X = U @ C.T
    G = (pos * (expit(X) - 1) + neg * expit(X)) / batch  # gradient of the mini-batch loss w.r.t. X
    U, C = U - lr * G @ C, C - lr * G.T @ U
X_sgd = U @ C.T
sgd_max_err = np.max(np.abs(X_sgd - shifted))
check(
    sgd_max_err < 0.05, f"SGD with sampled negatives lands within 0.05 of PMI - log k in every cell ({sgd_max_err:.3f})"
)
bind("sgd_max_err", sgd_max_err)
check(
    np.corrcoef(X_sgd.ravel(), shifted.ravel())[0, 1] > 0.999,
    "SGD's dot products are almost perfectly correlated with the shifted PMI",
)

# %% [markdown]
# ## Smoothed negatives: the unigram distribution to the power 3/4
#
# Mikolov et al. draw negatives from $P_n(c) \propto \#(c)^{3/4}$; the same per-cell argument then gives $\log\frac{\#(w,c)}{\#(w)\,P_n(c)} - \log k$ (Levy, Goldberg and Dagan, 2015).

# %%
p_smooth = n_c**0.75 / np.sum(n_c**0.75)
U_s, C_s, _ = fit(V_words, p_smooth, 2)
target_smooth = np.log(M / np.outer(n_w, p_smooth)) - np.log(k_neg)
check_close(
    U_s @ C_s.T,
    target_smooth,
    "with P_n proportional to #(c)^(3/4), the optimum is log(#(w,c) / (#(w) P_n(c))) - log k",
    atol=1e-4,
)
rare = np.argmin(n_c)
check(
    p_smooth[rare] > p_unigram[rare],
    "smoothing raises the probability of drawing the rarest context as a negative",
)

# %% [markdown]
# ## Low dimension: only an approximation
#
# With $d = 2$ the product $\mathbf{U}\mathbf{V}^\top$ has rank at most 2, so it cannot equal the shifted PMI matrix, whose rank is larger; SGNS then finds a weighted low-rank approximation.

# %%
d_low = 2
bind("d_low", d_low)
sv = np.linalg.svd(shifted, compute_uv=False)
check(np.sum(sv > 1e-8 * sv[0]) > d_low, "the shifted PMI matrix has rank above 2")
U_l, C_l, J_low = fit(d_low, p_unigram, 3)
X_low = U_l @ C_l.T
low_max_err = np.max(np.abs(X_low - shifted))
check(low_max_err > 10 * sgd_max_err and J_low > J_full, "d = 2 misses the shifted PMI and has a higher objective")
bind("low_max_err", low_max_err)
# the weighted fit differs from the unweighted best rank-2 approximation (truncated SVD, Eckart-Young)
Us, ss, Vts = np.linalg.svd(shifted)
X_svd2 = (Us[:, :2] * ss[:2]) @ Vts[:2]
check(
    np.max(np.abs(X_low - X_svd2)) > 0.05,
    "SGNS at d = 2 is not the truncated SVD of the shifted PMI",
)
# step 8: near the optimum SGNS weights cell (w, c)'s squared error by the curvature a b / (a + b) of step 6,
# with a = #(w, c) and b = k #(w) #(c) / n; the truncated SVD minimises the unweighted error (Eckart-Young)
a_cell, b_cell = M, k_neg * np.outer(n_w, n_c) / n_pairs
curv = a_cell * b_cell / (a_cell + b_cell)
werr_sgns, werr_svd = np.sum(curv * (X_low - shifted) ** 2), np.sum(curv * (X_svd2 - shifted) ** 2)
err_sgns, err_svd = np.sum((X_low - shifted) ** 2), np.sum((X_svd2 - shifted) ** 2)
check(
    werr_sgns < werr_svd and err_svd < err_sgns,
    f"d = 2: SGNS has the smaller curvature-weighted error ({werr_sgns:.1f} vs {werr_svd:.1f}), "
    f"the SVD the smaller unweighted one ({err_svd:.3f} vs {err_sgns:.3f})",
)
# words of the same group get similar vectors (cosine similarity of the word vectors u_w)
Un = U_l / np.linalg.norm(U_l, axis=1, keepdims=True)
cos = Un @ Un.T
group = np.arange(V_words) // group_size
same = cos[(group[:, None] == group[None, :]) & ~np.eye(V_words, dtype=bool)].mean()
diff = cos[group[:, None] != group[None, :]].mean()
check(same > diff, f"mean cosine similarity within a group {same:.2f} exceeds that between groups {diff:.2f}")
bind("cos_same", same)
bind("cos_diff", diff)

# %%
fig, ax = plt.subplots(figsize=(5.6, 4.6))
lims = [shifted.min() - 0.3, shifted.max() + 0.3]
ax.plot(lims, lims, color="gray", lw=1, label="$y = x$")
ax.scatter(shifted.ravel(), X_full.ravel(), s=40, facecolors="none", edgecolors="C0", label="L-BFGS, $d = 8$")
ax.scatter(shifted.ravel(), X_sgd.ravel(), s=8, color="C1", label="word2vec-style SGD, $d = 8$")
ax.scatter(shifted.ravel(), X_low.ravel(), s=14, marker="x", color="C2", label="L-BFGS, $d = 2$")
ax.set_xlabel(r"$\mathrm{PMI}(w, c) - \log k$ from the counts")
ax.set_ylabel(r"fitted $\mathbf{u}_w^\top \mathbf{v}_c$")
ax.set_xlim(lims)
ax.set_ylim(lims)
ax.legend(fontsize=9, loc="upper left")
save_figure(fig, "sgns-vs-pmi")
