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
# # Decoding: greedy and beam search against exact search, and temperature, top-k and top-p sampling
#
# The notebook decodes from small language models whose exact answers are known and checks the question page against independent routes:
# greedy and beam search against exhaustive enumeration and the Viterbi algorithm on bigram models;
# the "empty output" failure of exact search with an end-of-sequence token, and what length normalisation does to it;
# the entropy derivative $dH/dT = \operatorname{Var}(z)/T^3$ against finite differences;
# top-p as a sorted prefix against a brute-force search over all subsets;
# and Gumbel-max sampling and the truncated samplers against their closed-form distributions by chi-square tests.

# %%
import itertools

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy import stats
from scipy.special import logsumexp, softmax

rng = np.random.default_rng(0)

# %% [markdown]
# ## A worked example where greedy search is not optimal
#
# A two-step model: the first token is A with probability 0.5 or B with 0.4 (or C with 0.1); after A the best next token has probability 0.4, after B 0.9.

# %%
first = {"A": 0.5, "B": 0.4, "C": 0.1}
second = {
    "A": {"x": 0.4, "y": 0.3, "z": 0.3},
    "B": {"x": 0.9, "y": 0.05, "z": 0.05},
    "C": {"x": 1.0, "y": 0.0, "z": 0.0},
}
seq_prob = {(a, b): first[a] * second[a][b] for a in first for b in second[a]}
greedy_first = max(first, key=first.get)
greedy_second = max(second[greedy_first], key=second[greedy_first].get)
best = max(seq_prob, key=seq_prob.get)
bind("p_a", first["A"])
bind("p_b", first["B"])
bind("p_ax", second["A"]["x"])
bind("p_bx", second["B"]["x"])
bind("p_c", first["C"])
bind("p_ay", second["A"]["y"])
bind("beam_w", 2)
bind("p_greedy", seq_prob[(greedy_first, greedy_second)])
bind("p_best", seq_prob[best])
check(
    best == ("B", "x") and (greedy_first, greedy_second) == ("A", "x"),
    "greedy picks A x, the most probable sequence is B x",
)
# a beam of width 2 keeps A and B after step 1, so it finds B x
beam = sorted(first, key=first.get, reverse=True)[:2]
beam_best = max(((a, b) for a in beam for b in second[a]), key=seq_prob.get)
check(beam_best == best, "beam search with B = 2 finds the most probable sequence")


# %% [markdown]
# ## Bigram models: greedy and beam search against exact search
#
# For a first-order Markov model the most probable sequence of a fixed length is found exactly by the Viterbi algorithm (dynamic programming), which must agree with brute-force enumeration.


# %%
def greedy(log_p0, log_T, L):
    seq = [int(np.argmax(log_p0))]
    for _ in range(L - 1):
        seq.append(int(np.argmax(log_T[seq[-1]])))
    return seq


def beam_search(log_p0, log_T, L, B):
    beams = [([int(v)], log_p0[v]) for v in np.argsort(-log_p0)[:B]]
    for _ in range(L - 1):
        cands = [([*s, v], lp + log_T[s[-1], v]) for s, lp in beams for v in range(len(log_p0))]
        beams = sorted(cands, key=lambda c: -c[1])[:B]
    return beams[0][0]


def viterbi(log_p0, log_T, L):
    delta, back = log_p0.copy(), []
    for _ in range(L - 1):
        scores = delta[:, None] + log_T
        back.append(np.argmax(scores, axis=0))
        delta = scores.max(axis=0)
    seq = [int(np.argmax(delta))]
    for b in reversed(back):
        seq.append(int(b[seq[-1]]))
    return seq[::-1]


def seq_logp(seq, log_p0, log_T):
    return log_p0[seq[0]] + sum(log_T[a, b] for a, b in itertools.pairwise(seq))


V_size, L_len, n_models = 6, 5, 200
b_small, b_large = 2, 5
bind("b_small", b_small)
bind("b_large", b_large)
bind("n_all_seqs", V_size**L_len)
bind("v_size", V_size)
bind("l_len", L_len)
bind("n_models", n_models)
all_seqs = np.array(list(itertools.product(range(V_size), repeat=L_len)))
found = {"greedy": 0, "beam2": 0, "beam5": 0}
gaps = {"greedy": [], "beam2": [], "beam5": []}
vit_ok, never_better = [], []
for _ in range(n_models):
    log_p0 = np.log(rng.dirichlet(np.full(V_size, 0.5)))
    log_T = np.log(rng.dirichlet(np.full(V_size, 0.5), size=V_size))
    lp_all = log_p0[all_seqs[:, 0]] + log_T[all_seqs[:, :-1], all_seqs[:, 1:]].sum(axis=1)
    lp_max = lp_all.max()
    vit = viterbi(log_p0, log_T, L_len)
    vit_ok.append(np.isclose(seq_logp(vit, log_p0, log_T), lp_max, rtol=1e-12))
    for name, seq in (
        ("greedy", greedy(log_p0, log_T, L_len)),
        ("beam2", beam_search(log_p0, log_T, L_len, b_small)),
        ("beam5", beam_search(log_p0, log_T, L_len, b_large)),
    ):
        lp = seq_logp(seq, log_p0, log_T)
        never_better.append(lp <= lp_max + 1e-12)
        found[name] += np.isclose(lp, lp_max)
        gaps[name].append(lp_max - lp)
check(all(vit_ok), f"Viterbi's sequence has the brute-force maximum probability on all {n_models} models")
check(all(never_better), "greedy and beam search never beat exhaustive search")
for name in found:
    bind(f"frac_{name}", found[name] / n_models)
    bind(f"gap_{name}", np.mean(gaps[name]))
check(found["greedy"] < found["beam2"] <= found["beam5"] < n_models, f"exact-search hits: {found}")

# %% [markdown]
# ## With an end-of-sequence token, exact search prefers short outputs
#
# Every extra token multiplies the probability by a factor below one, so the most probable complete sequence can be very short, even when the model puts most of its mass on long ones.
# Dividing the log-probability by the length (length normalisation) shifts the choice to longer outputs.

# %%
V_w, L_max = 4, 6  # 4 word tokens plus EOS (index 4); sequences stop at EOS or at L_max words
p_eos_first, p_eos_step = 0.2, 0.1
bind("v_w", V_w)
bind("l_max", L_max)
bind("p_eos_step", p_eos_step)
log_p0_e = np.log(np.r_[(1 - p_eos_first) * rng.dirichlet(np.full(V_w, 0.7)), p_eos_first])
T_e = np.zeros((V_w, V_w + 1))
for a in range(V_w):
    T_e[a, :V_w] = (1 - p_eos_step) * rng.dirichlet(np.full(V_w, 0.7))
    T_e[a, V_w] = p_eos_step
log_T_e = np.log(T_e)
complete, lengths = [], []
for n_words in range(0, L_max + 1):
    for words in itertools.product(range(V_w), repeat=n_words):
        toks = [*words, V_w]  # every sequence ends with EOS...
        if n_words == L_max:
            toks = list(words)  # ...except those cut at the maximum length
        lp = log_p0_e[toks[0]] + sum(log_T_e[a, b] for a, b in itertools.pairwise(toks))
        complete.append((toks, lp))
        lengths.append(n_words)
lps = np.array([c[1] for c in complete])
lengths = np.array(lengths)
check_close(logsumexp(lps), 0.0, "the enumerated outputs exhaust the probability mass", atol=1e-12)
i_map = int(np.argmax(lps))
i_norm = int(np.argmax(lps / np.array([len(c[0]) for c in complete])))
mean_len = float(np.sum(np.exp(lps) * lengths))
bind("p_eos_first", p_eos_first)
bind("len_map", lengths[i_map])
bind("p_map_eos", np.exp(lps[i_map]))
bind("len_norm", lengths[i_norm])
bind("mean_len", mean_len)
bind("p_len_ge3", np.exp(lps)[lengths >= 3].sum())
# Closed forms: the end token has probability p_eos_first first and p_eos_step after every word, whatever the words,
# so P(length = 0) = p_eos_first, P(length = m) = (1 - p_eos_first)(1 - p_eos_step)^(m-1) p_eos_step for 0 < m < L_max,
# and P(length = L_max) = (1 - p_eos_first)(1 - p_eos_step)^(L_max-1) (cut at the limit).
p_len = np.array(
    [p_eos_first]
    + [(1 - p_eos_first) * (1 - p_eos_step) ** (m - 1) * p_eos_step for m in range(1, L_max)]
    + [(1 - p_eos_first) * (1 - p_eos_step) ** (L_max - 1)]
)
check_close(
    mean_len, np.arange(L_max + 1) @ p_len, "mean output length: enumeration equals the closed form", rtol=1e-10
)
check_close(
    np.exp(lps)[lengths >= 3].sum(),
    (1 - p_eos_first) * (1 - p_eos_step) ** 2,
    "P(length >= 3): enumeration equals (1 - p_eos_first)(1 - p_eos_step)^2",
    rtol=1e-10,
)
check(
    lengths[i_norm] == L_max and len(complete[i_norm][0]) == L_max,
    "the length-normalised pick is an output cut at the limit (no end token)",
)
check(
    lengths[i_map] == 0 and lengths[i_norm] > 0,
    "the exact mode is the empty output; length normalisation picks a longer one",
)

# %% [markdown]
# ## Temperature
#
# $p_v(T) = \exp(z_v/T) / \sum_u \exp(z_u/T)$; its entropy $H(T)$ satisfies $dH/dT = \operatorname{Var}_{p(T)}(z)/T^3 \ge 0$.

# %%
words = ["mat", "floor", "sofa", "bed", "chair", "roof", "table", "grass", "moon", "piano"]
z = np.array([3.0, 2.2, 1.9, 1.6, 1.2, 0.6, 0.4, 0.0, -1.0, -1.5])


def entropy(p):
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def dH_dT(z, T):
    p = softmax(z / T)
    return float(np.sum(p * z**2) - np.sum(p * z) ** 2) / T**3


for T in (0.3, 1.0, 2.5):
    h = 1e-5
    check_close(
        dH_dT(z, T),
        (entropy(softmax(z / (T + h))) - entropy(softmax(z / (T - h)))) / (2 * h),
        f"T = {T}: dH/dT = Var(z)/T^3 equals a central difference",
        rtol=1e-6,
    )
T_grid = np.linspace(0.05, 20, 400)
H_grid = np.array([entropy(softmax(z / T)) for T in T_grid])
check(np.all(np.diff(H_grid) > 0), "entropy increases with the temperature")
check(
    softmax(z / 0.01)[0] > 0.999 and abs(H_grid[-1] - np.log(len(z))) < 0.05,
    "T -> 0 gives the argmax, large T nearly uniform",
)
bind("t_low", 0.5)
bind("t_high", 2.0)
bind("t_mid", 1.0)
for T in (0.5, 1.0, 2.0):
    bind(f"p_top_t{int(10 * T)}", softmax(z / T)[0])
    bind(f"h_t{int(10 * T)}", entropy(softmax(z / T)))
bind("h_max", np.log(len(z)))


# %% [markdown]
# ## Top-k and top-p (nucleus) truncation
#
# Top-p keeps the smallest set of tokens whose probabilities sum to at least $p_{\text{top}}$; sorting and taking a prefix gives it, and a brute-force search over all $2^{10}$ subsets must agree.


# %%
def top_k(p, k):
    keep = np.zeros_like(p, dtype=bool)
    keep[np.argsort(-p)[:k]] = True
    q = np.where(keep, p, 0)
    return q / q.sum()


def top_p(p, p_top):
    order = np.argsort(-p)
    n_keep = int(np.searchsorted(np.cumsum(p[order]), p_top - 1e-12) + 1)
    keep = np.zeros_like(p, dtype=bool)
    keep[order[:n_keep]] = True
    q = np.where(keep, p, 0)
    return q / q.sum()


p1 = softmax(z)
k_top, p_top = 3, 0.9
bind("k_top", k_top)
bind("p_top", p_top)
for thr in (0.5, 0.75, 0.9, 0.95):
    subsets = [
        s for r in range(1, len(p1) + 1) for s in itertools.combinations(range(len(p1)), r) if p1[list(s)].sum() >= thr
    ]
    smallest = min(len(s) for s in subsets)
    brute = max((s for s in subsets if len(s) == smallest), key=lambda s: p1[list(s)].sum())
    check(
        set(np.flatnonzero(top_p(p1, thr))) == set(brute),
        f"top-p {thr}: the sorted prefix is the smallest set (size {smallest})",
    )
bind("n_nucleus", np.count_nonzero(top_p(p1, p_top)))
bind("mass_top3", np.sort(p1)[::-1][:3].sum())
bind("p_mat_topk", top_k(p1, k_top)[0])
bind("p_mat", p1[0])
# the nucleus adapts: a flatter distribution (T = 2) needs more tokens for the same p_top
bind("n_nucleus_t20", np.count_nonzero(top_p(softmax(z / 2), p_top)))

# %% [markdown]
# ## Sampling: Gumbel-max and the truncated samplers against their closed forms
#
# $\arg\max_v (z_v/T + g_v)$ with independent standard Gumbel $g_v$ is distributed as $\mathrm{softmax}(z/T)$.

# %%
n_draw = 40_000
bind("n_draw", n_draw)
for T in (0.5, 1.0, 2.0):
    g = rng.gumbel(size=(n_draw, len(z)))
    counts = np.bincount(np.argmax(z / T + g, axis=1), minlength=len(z))
    expected = n_draw * softmax(z / T)
    big = expected > 5  # chi-square needs expected counts of at least about 5; pool the rest
    obs = np.r_[counts[big], counts[~big].sum()] if (~big).any() else counts
    exp_ = np.r_[expected[big], expected[~big].sum()] if (~big).any() else expected
    pval = stats.chisquare(obs, exp_).pvalue
    check(pval > 1e-3, f"Gumbel-max at T = {T} matches softmax(z/T) (chi-square p = {pval:.2f})")
# Independent route for "keep a set, then renormalise": rejection sampling, i.e. draw from the untruncated
# distribution p and discard draws outside the kept set; the survivors follow p conditioned on the set,
# which must equal the page's closed form q_v = p_v 1[v in set] / sum_{u in set} p_u.
for name, q in (("top-k", top_k(p1, k_top)), ("top-p", top_p(p1, p_top))):
    support = q > 0
    raw = rng.choice(len(p1), size=int(2 * n_draw / p1[support].sum()), p=p1)
    draws = raw[support[raw]][:n_draw]
    check(len(draws) == n_draw, f"{name}: enough accepted draws")
    counts = np.bincount(draws, minlength=len(q))
    pval = stats.chisquare(counts[support], n_draw * q[support]).pvalue
    check(pval > 1e-3, f"{name}: rejection samples from p match the renormalised closed form (p = {pval:.2f})")
# The kept set of top-k itself, by a route other than its argsort: exactly k tokens, and every kept probability at
# least every discarded one (the rejection check above takes its set from top_k, so it cannot catch a wrong set).
kept_k = top_k(p1, k_top) > 0
check(
    kept_k.sum() == k_top and p1[kept_k].min() >= p1[~kept_k].max(),
    f"top-k keeps exactly the {k_top} most probable tokens",
)
# Temperature keeps the ranking, so top-k keeps the same tokens at every T (the page's claim); top-p need not.
check(
    all(
        set(np.flatnonzero(top_k(softmax(z / T), k_top))) == set(np.flatnonzero(top_k(p1, k_top)))
        for T in (0.3, 0.5, 2.0, 5.0)
    ),
    "top-k keeps the same tokens at every temperature",
)

# %% [markdown]
# ## Figure

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), constrained_layout=True)
xpos = np.arange(len(z))
for j, T in enumerate((0.5, 1.0, 2.0)):
    axes[0].bar(xpos + (j - 1) * 0.27, softmax(z / T), width=0.27, label=f"T = {T}")
axes[0].set_xticks(xpos, words, rotation=60)
axes[0].set_ylabel("probability")
axes[0].set_title("temperature reshapes the distribution", fontsize=10)
axes[0].legend()
axes[1].bar(xpos - 0.2, top_k(p1, k_top), width=0.4, label=f"top-k, k = {k_top}")
axes[1].bar(xpos + 0.2, top_p(p1, p_top), width=0.4, label=f"top-p, p = {p_top}")
axes[1].plot(xpos, p1, "k.", label="T = 1, untruncated")
axes[1].set_xticks(xpos, words, rotation=60)
axes[1].set_title("truncation, then renormalisation", fontsize=10)
axes[1].legend()
save_figure(fig, "sampling")
