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
# # Vector search for retrieval: exact cosine search, an IVF index and a small HNSW-like graph, compared by recall@k
#
# The notebook builds a synthetic collection of unit-length "embeddings" that form topical clusters, answers held-out queries exactly, and then approximately with two index families:
# an inverted-file (IVF) index, which clusters the vectors with k-means and scans only the lists of the nearest centroids, and a navigable graph in the spirit of HNSW (a k-nearest-neighbour graph searched best-first with a candidate list of size $\mathit{ef}$, entered from a small top layer).
# Checks against independent routes: exact cosine search against scikit-learn's brute-force cosine and Euclidean neighbours (the same ranking on unit vectors);
# the graph's recall rising with the search budget; derivation steps 4 to 6 against a numerical minimisation, simulation and direct computation.
# Two IVF checks (scanning every list equals exact search; recall never falls as more lists are probed) are bookkeeping, true by construction.

# %%
import heapq

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.sparse import csr_matrix
from scipy.optimize import minimize_scalar
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors

rng = np.random.default_rng(0)

# %% [markdown]
# ## The collection and the exact answers

# %%
n, d, n_topics, n_query, k = 10_000, 32, 100, 200, 10
for name_, value_ in (("n_vec", n), ("d_dim", d), ("n_topics", n_topics), ("n_query", n_query), ("k_nn", k)):
    bind(name_, value_)
centres = rng.normal(size=(n_topics, d))


def sample(m):
    x = centres[rng.integers(n_topics, size=m)] + rng.normal(size=(m, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


X = sample(n).astype(np.float64)
Qv = sample(n_query)


def exact_top_k(Qm, Xm, k):
    """Top-k by inner product (cosine, for unit vectors): argpartition, then sort the k."""
    S = Qm @ Xm.T
    idx = np.argpartition(-S, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(S, idx, axis=1), axis=1)
    return np.take_along_axis(idx, order, axis=1)


truth = exact_top_k(Qv, X, k)
nn_cos = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(X)
nn_euc = NearestNeighbors(n_neighbors=k, metric="euclidean", algorithm="brute").fit(X)
check(
    np.array_equal(nn_cos.kneighbors(Qv, return_distance=False), truth),
    "exact inner-product search on unit vectors equals scikit-learn's cosine neighbours, in order",
)
check(
    np.array_equal(nn_euc.kneighbors(Qv, return_distance=False), truth),
    "and its Euclidean neighbours: on unit vectors ||q - x||^2 = 2 - 2 cos(q, x)",
)


def recall_at_k(found, truth):
    """|found ∩ exact top-k| / k, averaged over the queries."""
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)]))


# %% [markdown]
# ## IVF: k-means lists, scan the nearest few lists

# %%
n_list = 100
bind("n_list", n_list)
km = KMeans(n_clusters=n_list, n_init=1, random_state=0).fit(X)
assign = km.labels_
lists = [np.flatnonzero(assign == c) for c in range(n_list)]
C = km.cluster_centers_


def ivf_search(q, n_probe):
    probe = np.argsort(np.sum((C - q) ** 2, axis=1))[:n_probe]
    cand = np.concatenate([lists[c] for c in probe])
    s = X[cand] @ q
    top = cand[np.argsort(-s)[:k]]
    return top, len(cand) + n_list  # vectors compared, plus the centroids


probes = [1, 2, 4, 8, 16, 32, 100]
ivf_recall, ivf_frac = [], []
for n_probe in probes:
    res = [ivf_search(q, n_probe) for q in Qv]
    ivf_recall.append(recall_at_k([r[0] for r in res], truth))
    ivf_frac.append(np.mean([r[1] for r in res]) / n)
# Two bookkeeping checks, true by construction for a correct implementation (scanning every list is a flat scan,
# and the probed lists are nested, so recall = |candidates ∩ exact top-k| / k cannot fall): they catch coding errors,
# not errors of the page.
check(ivf_recall[-1] == 1.0, "IVF scanning all lists returns exactly the exact top-k (bookkeeping)")
check(np.all(np.diff(ivf_recall) >= 0), f"IVF recall@{k} rises with n_probe (bookkeeping): {np.round(ivf_recall, 3)}")
for n_probe, r, f in zip(probes, ivf_recall, ivf_frac, strict=True):
    print(f"n_probe {n_probe:4d}: recall@{k} = {r:.3f}, fraction of vectors compared = {f:.3f}")
i8 = probes.index(8)
bind("probe_a", probes[i8])
bind("ivf_recall_a", ivf_recall[i8])
bind("ivf_frac_a_pct", 100 * ivf_frac[i8])
bind("probe_one", probes[0])
bind("ivf_recall_one", ivf_recall[0])
bind("probe_b", probes[i8 + 1])
bind("ivf_recall_b", ivf_recall[i8 + 1])
bind("ivf_frac_b_pct", 100 * ivf_frac[i8 + 1])

# Step 4: cost(n_list) = n_list + n_probe n / n_list is smallest at sqrt(n_probe n) (numerical minimisation), and
# real, unbalanced lists cost somewhat more than the balanced formula (measured work at n_probe = 8).
opt = minimize_scalar(lambda L: L + probes[i8] * n / L, bounds=(1, n), method="bounded")
check_close(opt.x, np.sqrt(probes[i8] * n), "step 4: the cost is minimised at n_list = sqrt(n_probe n)", rtol=1e-4)
balanced = (n_list + probes[i8] * n / n_list) / n
check(
    balanced <= ivf_frac[i8] < 1.5 * balanced,
    f"step 4: measured work {100 * ivf_frac[i8]:.2f}% is somewhat above the balanced-list formula {100 * balanced:.2f}%",
)

# %% [markdown]
# ## A small HNSW-like graph
#
# The bottom layer is the symmetrised $M$-nearest-neighbour graph (HNSW instead inserts points one by one and prunes links with a diversity heuristic); a top layer of a few random nodes is searched exhaustively to choose the entry point, standing in for HNSW's upper layers.
# The search is HNSW's SEARCH-LAYER: best-first expansion with a candidate heap and a result list of size $\mathit{ef}$, stopping when the nearest unexpanded candidate is farther than the worst result.

# %%
M, n_top = 16, 64
bind("m_links", M)
bind("n_top", n_top)


def knn_graph(Xf, M, block=2_000, n_sub=2_500):
    """Exact M nearest neighbours of every row (no self-links), by inner product, without a full-row selection.

    The M-th largest score among the first n_sub columns is a lower bound on the M-th largest of the whole row,
    so every true neighbour scores at least that much: select among the few columns above the bound only.
    """
    n_ = len(Xf)
    out = np.empty((n_, M), dtype=np.int64)
    for start in range(0, n_, block):
        S = Xf[start : start + block] @ Xf.T
        rb = np.arange(S.shape[0])
        S[rb, rb + start] = -np.inf  # no self-links
        bound = np.partition(S[:, :n_sub], -M, axis=1)[:, -M]
        flat = np.flatnonzero(bound[:, None] <= S)  # row-major, so grouped by row
        r = flat // n_
        key = r + (1.0 - S.ravel()[flat].astype(np.float64)) / 3  # within a row, decreasing score
        flat = flat[np.argsort(key)]
        first = np.searchsorted(r, rb)
        out[start : start + S.shape[0]] = (flat % n_)[first[:, None] + np.arange(M)]
    return out


X32 = X.astype(np.float32)  # single precision is enough to pick the neighbours, and twice as fast
nbrs = knn_graph(X32, M)
# the shortcut against scikit-learn's exact brute-force neighbours on a sample of rows (self is each row's first)
rows_chk = np.arange(0, n, 50)
sk_nbrs = (
    NearestNeighbors(n_neighbors=M + 1, metric="cosine", algorithm="brute")
    .fit(X)
    .kneighbors(X[rows_chk], return_distance=False)
)
check(
    all(set(a) == set(b[1:]) for a, b in zip(nbrs[rows_chk], sk_nbrs, strict=True)),
    f"the {M}-NN lists equal scikit-learn's exact neighbours on {len(rows_chk)} sampled rows",
)
rows = np.repeat(np.arange(n), M)
A = csr_matrix((np.ones(n * M), (rows, nbrs.ravel())), shape=(n, n))
A = ((A + A.T) > 0).tocsr()  # add the reverse links
A.sort_indices()
adj = [a.tolist() for a in np.split(A.indices, A.indptr[1:-1])]
n_comp = connected_components(A, directed=False)[0]
check(n_comp == 1, "the graph is connected, so every vector is reachable from the entry point")
bind("mean_degree", A.nnz / n)
top_layer = rng.choice(n, size=n_top, replace=False)


def graph_search(dist_row, ef):
    """HNSW's SEARCH-LAYER on the bottom layer, entered from the best top-layer vector.

    `dist_row[e]` is the cosine distance from the query to vector e. It is looked up only for the vectors the search
    reaches, and each look-up is counted in `n_dist`, the work an index would do. (Taking the values from one
    precomputed row is only a speed-up for this notebook.)
    """
    entry = int(top_layer[np.argmin([dist_row[e] for e in top_layer])])
    n_dist = n_top
    d0 = dist_row[entry]
    visited = {entry}
    cand = [(d0, entry)]  # min-heap of candidates
    res = [(-d0, entry)]  # max-heap (negated) of the ef best so far
    while cand:
        dc, c = heapq.heappop(cand)
        if dc > -res[0][0] and len(res) >= ef:
            break
        for e in adj[c]:
            if e in visited:
                continue
            visited.add(e)
            de = dist_row[e]
            n_dist += 1
            if len(res) < ef or de < -res[0][0]:
                heapq.heappush(cand, (de, e))
                heapq.heappush(res, (-de, e))
                if len(res) > ef:
                    heapq.heappop(res)
    best = sorted(res, key=lambda t: -t[0])[:k]
    return np.array([e for _, e in best]), n_dist


dist_rows = [(1 - X @ q).tolist() for q in Qv]


efs = [10, 20, 40, 80, 160]
g_recall, g_frac = [], []
for ef in efs:
    res = [graph_search(row, ef) for row in dist_rows]
    g_recall.append(recall_at_k([r[0] for r in res], truth))
    g_frac.append(np.mean([r[1] for r in res]) / n)
for ef, r, f in zip(efs, g_recall, g_frac, strict=True):
    print(f"ef {ef:4d}: recall@{k} = {r:.3f}, fraction of vectors compared = {f:.4f}")
check(np.all(np.diff(g_recall) >= 0), f"graph recall@{k} rises with ef: {np.round(g_recall, 3)}")
check(g_recall[-1] > 0.95, "with ef = 160 the graph finds more than 95% of the true neighbours")
j40 = efs.index(40)
bind("ef_a", efs[j40])
bind("g_recall_a", g_recall[j40])
bind("g_frac_a_pct", 100 * g_frac[j40])
bind("ef_b", efs[-1])
bind("g_recall_b", g_recall[-1])
bind("g_frac_b_pct", 100 * g_frac[-1])
bind("g_speedup_b", 1 / g_frac[-1])
check(
    g_recall[j40] >= ivf_recall[i8] - 0.01 and g_frac[j40] < ivf_frac[i8] / 2,
    f"at about the same recall (graph {g_recall[j40]:.3f}, IVF {ivf_recall[i8]:.3f}) the graph compares"
    f" {100 * g_frac[j40]:.1f}% of the vectors, IVF {100 * ivf_frac[i8]:.1f}%",
)

# %% [markdown]
# ## HNSW's layer distribution and product quantisation (derivation steps 5 and 6)
#
# Step 5: a vector's top layer $\lfloor -\log(U)\, m_L \rfloor$ with $m_L = 1/\log M$ satisfies $P(\text{top layer} \ge l) = M^{-l}$ (Monte Carlo).
# Step 6: with per-sub-vector codebooks, the sum of $m_{\text{sub}}$ looked-up table entries equals the squared distance from the query to the decoded vector (direct computation).
# A separate generator keeps the numbers above unchanged.

# %%
rng_extra = np.random.default_rng(1)
n_levels = 400_000
levels = np.floor(-np.log(rng_extra.random(n_levels)) / np.log(M))
for l_ in (1, 2, 3):
    frac_l = np.mean(levels >= l_)
    se_l = np.sqrt(M**-l_ * (1 - M**-l_) / n_levels)
    check(abs(frac_l - M**-l_) < 5 * se_l, f"step 5: P(top layer >= {l_}) = {frac_l:.6f}, M^-{l_} = {M**-l_:.6f}")

m_sub, n_codes = 8, 256
d_sub = d // m_sub
codebooks = X[rng_extra.choice(n, size=n_codes, replace=False)].reshape(n_codes, m_sub, d_sub).transpose(1, 0, 2)
Xs = X[:2_000].reshape(-1, m_sub, d_sub)
codes = np.stack([np.argmin(((Xs[:, j, None, :] - codebooks[j]) ** 2).sum(-1), axis=1) for j in range(m_sub)], axis=1)
q0 = Qv[0].reshape(m_sub, d_sub)
table = ((q0[:, None, :] - codebooks) ** 2).sum(-1)  # m_sub x 256 squared distances
adc = table[np.arange(m_sub), codes].sum(axis=1)
decoded = np.concatenate([codebooks[j][codes[:, j]] for j in range(m_sub)], axis=1)
check_close(
    adc,
    ((Qv[0] - decoded) ** 2).sum(axis=1),
    "step 6: the table sum equals the squared distance to the decoded vector",
    rtol=1e-10,
)

# %% [markdown]
# ## Figure: recall against work

# %%
fig, ax = plt.subplots()
ax.semilogx(100 * np.array(ivf_frac), ivf_recall, "o-", label=f"IVF, {n_list} lists, n_probe = 1 ... {n_list}")
ax.semilogx(100 * np.array(g_frac), g_recall, "s-", label=f"graph (M = {M}), ef = {efs[0]} ... {efs[-1]}")
ax.axhline(1.0, color="gray", linestyle=":", label="exact search (100% compared)")
ax.set_xlabel("vectors compared per query (% of the collection, log scale)")
ax.set_ylabel(f"recall@{k}")
ax.set_title(f"{n:,} unit vectors in {d} dimensions, {n_query} queries", fontsize=10)
ax.legend(fontsize=9, loc="lower right")
save_figure(fig, "recall-vs-work")
