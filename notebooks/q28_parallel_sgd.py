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
# # Data-parallel SGD with a ring all-reduce, and MapReduce k-means
#
# We run the page's pseudo-code literally in NumPy: $p$ simulated workers each compute a shard gradient, a ring all-reduce (reduce-scatter, then all-gather) sums them, and every worker applies the same update.
# The checks prove that the ring leaves the exact sum on every worker after $2(p-1)$ steps of $N/p$ bytes each, that data-parallel SGD follows the same parameter path as single-machine SGD on the whole batch, that a plain average of unequal shards is biased while the weighted version is exact, that MapReduce k-means reproduces sequential Lloyd iterations, and that the worked communication table (175 MB, 197 MB, 700 MB, 6300 MB and their times) is right.

# %%
import numpy as np
import sympy as sp
from handbook_nb import check, check_close
from sklearn.cluster import KMeans

rng = np.random.default_rng(0)

# %% [markdown]
# ## Ring all-reduce, step by step
#
# Worker $k$ splits its vector into $p$ chunks.
# In every step all workers send simultaneously, so we first collect the outgoing chunks and then deliver them.
# Alongside the numbers we track which workers' contributions each chunk contains, to check the invariants of the derivation.


# %%
def ring_all_reduce(vectors):
    """Sum the workers' vectors with the page's two-phase ring; return results and a log."""
    p = len(vectors)
    chunks = [np.array_split(v.astype(float).copy(), p) for v in vectors]
    owners = [[{k} for _ in range(p)] for k in range(p)]  # whose contributions chunk c holds
    sent = np.zeros(p, dtype=int)  # elements sent per worker
    messages_per_step = []

    # Phase 1: reduce-scatter.
    for s in range(p - 1):
        outgoing = [((k - s) % p, chunks[k][(k - s) % p].copy(), set(owners[k][(k - s) % p])) for k in range(p)]
        messages_per_step.append(len(outgoing))
        for k in range(p):
            left = (k - 1) % p
            c, buf, who = outgoing[left]
            assert c == (k - s - 1) % p  # left sends exactly the chunk the pseudo-code expects
            chunks[k][c] = chunks[k][c] + buf
            owners[k][c] |= who
            sent[left] += buf.size
    after_phase1 = [set(owners[k][(k + 1) % p]) for k in range(p)]

    # Phase 2: all-gather.
    for s in range(p - 1):
        outgoing = [
            ((k + 1 - s) % p, chunks[k][(k + 1 - s) % p].copy(), set(owners[k][(k + 1 - s) % p])) for k in range(p)
        ]
        messages_per_step.append(len(outgoing))
        for k in range(p):
            left = (k - 1) % p
            c, buf, who = outgoing[left]
            assert c == (k - s) % p
            chunks[k][c] = buf
            owners[k][c] = who
            sent[left] += buf.size
    results = [np.concatenate(ch) for ch in chunks]
    complete = all(owners[k][c] == set(range(p)) for k in range(p) for c in range(p))
    return results, after_phase1, complete, sent, messages_per_step


for p, length in [(2, 10), (4, 1000), (5, 1003), (8, 4096)]:
    vectors = [rng.normal(size=length) for _ in range(p)]
    results, after_phase1, complete, sent, messages = ring_all_reduce(vectors)
    total = np.sum(vectors, axis=0)
    check(
        all(np.allclose(r, total, rtol=1e-12, atol=1e-12) for r in results),
        f"p={p}, N={length}: every worker ends with the element-wise sum",
    )
    check(
        all(np.array_equal(r, results[0]) for r in results),
        f"p={p}: all workers hold bit-identical results (the complete chunks are copied, not recomputed)",
    )
    check(
        all(owners == set(range(p)) for owners in after_phase1),
        f"p={p}: after reduce-scatter, chunk (k+1) mod p on worker k holds all p contributions",
    )
    check(complete, f"p={p}: after all-gather every chunk on every worker holds all p contributions")
    check(
        len(messages) == 2 * (p - 1) and all(m == p for m in messages),
        f"p={p}: 2(p-1) = {2 * (p - 1)} steps, each worker sending exactly one chunk per step",
    )
    if length % p == 0:
        check(
            np.all(sent == 2 * (p - 1) * length // p),
            f"p={p}, N={length}: each worker sends 2(p-1)N/p = {2 * (p - 1) * length // p} elements",
        )

# %% [markdown]
# ## Data-parallel SGD equals single-machine SGD
#
# Logistic regression on synthetic data, $p = 4$ workers, global batch $B = 64$, so $B/p = 16$ examples per worker per step.
# Each worker owns a disjoint shard and takes the next 16 of its examples; the single machine takes the union of the four per-worker batches.
# Parameters are broadcast from worker 0 at the start.

# %%
n, d, p, B, eta, T = 4096, 10, 4, 64, 0.5, 200
X = rng.normal(size=(n, d))
w_true = rng.normal(size=d)
y = (rng.random(n) < 1 / (1 + np.exp(-X @ w_true))).astype(float)
shards = np.array_split(np.arange(n), p)


def grad_mean(theta, idx):
    """Mean gradient of the logistic log-loss over the examples idx."""
    z = X[idx] @ theta
    return X[idx].T @ (1 / (1 + np.exp(-z)) - y[idx]) / len(idx)


theta0 = rng.normal(size=d)
replicas = [theta0.copy() for _ in range(p)]  # broadcast from worker 0
theta_single = theta0.copy()
max_gap, replicas_identical = 0.0, True
for t in range(T):
    start = (t * (B // p)) % len(shards[0])
    batches = [shard[start : start + B // p] for shard in shards]
    local = [grad_mean(replicas[k], batches[k]) for k in range(p)]
    summed, *_ = ring_all_reduce(local)
    replicas = [replicas[k] - eta * summed[k] / p for k in range(p)]
    theta_single = theta_single - eta * grad_mean(theta_single, np.concatenate(batches))
    replicas_identical &= all(np.array_equal(r, replicas[0]) for r in replicas)
    max_gap = max(max_gap, float(np.max(np.abs(replicas[0] - theta_single))))

check(replicas_identical, f"all {p} replicas hold bit-identical parameters after every one of the {T} steps")
check(
    max_gap < 1e-12,
    f"data-parallel SGD follows single-machine SGD with batch B = {B} to floating-point error (max gap {max_gap:.1e})",
)
loss_start = np.mean(np.logaddexp(0, X @ theta0) - y * (X @ theta0))
loss_end = np.mean(np.logaddexp(0, X @ theta_single) - y * (X @ theta_single))
check(loss_end < loss_start, f"and the training actually learns (log-loss {loss_start:.3f} -> {loss_end:.3f})")

# %% [markdown]
# ## The gradient identity, and unequal shards
#
# $\nabla J = \sum_k \frac{B_k}{B}\mathbf{g}_k$ holds for any sizes; with equal shards the weights are $1/p$.
# With unequal shards the plain average $\frac{1}{p}\sum_k \mathbf{g}_k$ is biased, and all-reducing the sums $B_k\mathbf{g}_k$ and the counts $B_k$ is exact.

# %%
theta = rng.normal(size=d)
sizes = [40, 16, 6, 2]
idx = rng.permutation(n)[: sum(sizes)]
parts = np.split(idx, np.cumsum(sizes)[:-1])
g_full = grad_mean(theta, idx)
g_k = [grad_mean(theta, part) for part in parts]
weighted = sum(len(part) / len(idx) * g for part, g in zip(parts, g_k, strict=False))
check_close(
    weighted, g_full, "full gradient = sum_k (B_k / B) g_k for shards of sizes 40, 16, 6, 2", rtol=1e-12, atol=1e-14
)
sums, _, _, _, _ = ring_all_reduce([len(part) * g for part, g in zip(parts, g_k, strict=False)])
counts, _, _, _, _ = ring_all_reduce([np.array([float(len(part))]) for part in parts])
check_close(
    sums[0] / counts[0], g_full, "all-reducing B_k g_k and B_k, then dividing, is exact", rtol=1e-12, atol=1e-14
)
plain = np.mean(g_k, axis=0)
rel_err = np.linalg.norm(plain - g_full) / np.linalg.norm(g_full)
check(rel_err > 0.05, f"the plain average of unequal shards is off by {rel_err:.0%} of the gradient's norm")
equal_parts = np.array_split(idx, 4)
check_close(
    np.mean([grad_mean(theta, part) for part in equal_parts], axis=0),
    g_full,
    "with equal shards (16 each) the plain average is the full gradient",
    rtol=1e-12,
    atol=1e-14,
)

# %% [markdown]
# ## Communication volume and time
#
# Each of the $2(p-1)$ steps sends $N/p$ bytes, so a worker sends $2\frac{p-1}{p}N$; with latency $a$ per message and bandwidth $\beta$ the time is $2(p-1)a + 2\frac{p-1}{p}\frac{N}{\beta}$.

# %%
P_, N_, a_, beta_ = sp.symbols("p N a beta", positive=True)
per_step = a_ + (N_ / P_) / beta_
T_ring = 2 * (P_ - 1) * a_ + 2 * (P_ - 1) / P_ * N_ / beta_
check(sp.simplify(2 * (P_ - 1) * per_step - T_ring) == 0, "2(p-1) steps of a + (N/p)/beta add up to T_ring")
check(sp.simplify(2 * (P_ - 1) * N_ / P_ - 2 * (P_ - 1) / P_ * N_) == 0, "2(p-1) N/p = 2 (p-1)/p N")
check(
    sp.limit(2 * (P_ - 1) / P_ * N_ / beta_, P_, sp.oo) == 2 * N_ / beta_,
    "the bandwidth term tends to 2N/beta as p grows",
)

# %% [markdown]
# ## The worked example: 25 million parameters over a 10 GB/s link
#
# The gradient is $N = 25 \times 10^6 \times 4$ bytes; MB and GB are $10^6$ and $10^9$ bytes, and latency is ignored.

# %%
N_bytes = 25_000_000 * 4
bandwidth = 10e9  # bytes per second
check(N_bytes == 100_000_000, "25 million float32 parameters are N = 100 MB")


def ring_bytes(p):
    return 2 * (p - 1) / p * N_bytes


def root_bytes(p):
    return (p - 1) * N_bytes


check_close(ring_bytes(8) / 1e6, 175, "p = 8: ring sends 2 x 7/8 x 100 = 175 MB per worker", rtol=1e-12)
check_close(ring_bytes(8) / bandwidth * 1e3, 17.5, "p = 8: ring time 17.5 ms", rtol=1e-12)
check_close(root_bytes(8) / 1e6, 700, "p = 8: the root receives 7 x 100 = 700 MB", rtol=1e-12)
check_close(root_bytes(8) / bandwidth * 1e3, 70, "p = 8: root time 70 ms", rtol=1e-12)
check_close(ring_bytes(64) / 1e6, 197, "p = 64: ring sends 2 x 63/64 x 100, about 197 MB", atol=0.5)
check_close(ring_bytes(64) / bandwidth * 1e3, 19.7, "p = 64: ring time about 19.7 ms", atol=0.05)
check_close(root_bytes(64) / 1e6, 6300, "p = 64: the root receives 63 x 100 = 6300 MB", rtol=1e-12)
check_close(root_bytes(64) / bandwidth * 1e3, 630, "p = 64: root time 630 ms", rtol=1e-12)
check_close(ring_bytes(64) / ring_bytes(8), 1.125, "growing eightfold raises the ring's cost by 12.5%", rtol=1e-12)
check_close(root_bytes(64) / root_bytes(8), 9, "while the central root's cost grows ninefold", rtol=1e-12)
check_close(ring_bytes(64) / bandwidth * 1e3, 20, "the ring's time at p = 64 is about 20 ms", atol=0.5)
check(ring_bytes(64) / bandwidth < 0.100, "which is well under a 100 ms compute step, so overlap can hide it")

# %% [markdown]
# The formula also matches the simulated ring: scaled to elements, the per-worker count from the simulation above is the same expression.

# %%
*_, sent8, _ = ring_all_reduce([np.zeros(800) for _ in range(8)])
check(
    np.all(sent8 == 2 * 7 * 800 // 8),
    "simulated p = 8 ring on 800 elements: each worker sends 2 x 7/8 x 800 = 1400 elements",
)

# %% [markdown]
# ## MapReduce k-means reproduces sequential Lloyd
#
# Each shard emits, for every centroid $c$, the sum $\mathbf{S}_{k,c}$ and count $N_{k,c}$ of its points assigned to $c$; the reducer adds them and divides.
# We run both versions from the same initial centroids and compare assignments and centroids at every iteration.

# %%
K, dim, n_pts, n_shards = 4, 2, 2000, 5
centres = np.array([[0, 0], [5, 0], [0, 5], [5, 5]], dtype=float)
pts = centres[rng.integers(K, size=n_pts)] + rng.normal(scale=1.2, size=(n_pts, dim))
init = pts[rng.choice(n_pts, size=K, replace=False)]


def assign(x, mu):
    return np.argmin(((x[:, None, :] - mu[None, :, :]) ** 2).sum(axis=2), axis=1)


def lloyd_sequential(x, mu):
    a = assign(x, mu)
    new = np.array([x[a == c].mean(axis=0) if np.any(a == c) else mu[c] for c in range(len(mu))])
    return a, new


def lloyd_mapreduce(x, mu, n_shards):
    records = []
    for shard in np.array_split(x, n_shards):  # map, with the combiner built in
        a = assign(shard, mu)
        for c in range(len(mu)):
            records.append((c, shard[a == c].sum(axis=0), int(np.sum(a == c))))
    new = mu.copy()
    for c in range(len(mu)):  # reduce
        S_c = sum(r[1] for r in records if r[0] == c)
        N_c = sum(r[2] for r in records if r[0] == c)
        if N_c > 0:
            new[c] = S_c / N_c
    return assign(x, mu), new, len(records)


mu_seq, mu_par = init.copy(), init.copy()
same_assign, max_diff, iters = True, 0.0, 0
for _iteration in range(1, 101):
    a_seq, new_seq = lloyd_sequential(pts, mu_seq)
    a_par, new_par, n_records = lloyd_mapreduce(pts, mu_par, n_shards)
    same_assign &= np.array_equal(a_seq, a_par)
    max_diff = max(max_diff, float(np.max(np.abs(new_seq - new_par))))
    converged = np.array_equal(assign(pts, new_seq), a_seq)
    mu_seq, mu_par = new_seq, new_par
    if converged:
        break

check(same_assign, f"the assignments agree at every one of the {iters} iterations")
check(max_diff < 1e-12, f"the centroids agree to floating-point error (max gap {max_diff:.1e})")
check(
    n_records == K * n_shards,
    f"each shard emits K = {K} records, {K * (dim + 1)} numbers, however many points it holds",
)

km = KMeans(n_clusters=K, init=init, n_init=1, algorithm="lloyd", tol=0.0, max_iter=300, random_state=0).fit(pts)
order = [int(np.argmin(np.linalg.norm(km.cluster_centers_ - m, axis=1))) for m in mu_par]
check_close(
    km.cluster_centers_[order],
    mu_par,
    "scikit-learn's sequential Lloyd from the same start gives the same centroids",
    atol=1e-9,
)
