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
# # Amdahl's law and combining before a shuffle
#
# The page on big data tools makes two back-of-the-envelope arguments: Amdahl's law caps the speed-up of a job whose serial fraction is $1 - f$, and aggregating inside each partition before a shuffle bounds the data sent by $\min(n, PK)$ partial results.
# The checks derive Amdahl's formula with sympy, recompute the worked speed-ups (9.1 on 16 executors, 15.4 on 64, ceiling 20) and the 400 GB table size, and simulate a per-key count to confirm that combined partial counts give the exact answer, obey the bound, and that a median cannot be combined the same way.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## Amdahl's law from the running time
#
# The serial part takes $(1-f)T_1$ and the parallel part $fT_1/p$; the speed-up is $T_1/T_p$, and its limit as $p \to \infty$ is $1/(1-f)$.

# %%
f, p, T1 = sp.symbols("f p T_1", positive=True)
T_p = (1 - f) * T1 + f * T1 / p
S = sp.simplify(T1 / T_p)
check(
    sp.simplify(S - 1 / ((1 - f) + f / p)) == 0,
    "T_1 / T_p simplifies to S(p) = 1 / ((1 - f) + f / p)",
)
ceiling = sp.limit(S, p, sp.oo)
check(sp.simplify(ceiling - 1 / (1 - f)) == 0, "as p -> infinity, S(p) -> 1 / (1 - f)")
check(ceiling.subs(f, sp.Rational(95, 100)) == 20, "with f = 0.95 the ceiling is exactly 20")
check(
    sp.diff(S, p).subs({f: sp.Rational(95, 100), p: 10**6}) > 0,
    "S(p) is still increasing for large p, so 20 is approached but never exceeded",
)


def amdahl(frac, workers):
    """Speed-up on `workers` workers when a fraction `frac` of the work parallelises."""
    return 1.0 / ((1.0 - frac) + frac / workers)


ps = np.array([1, 2, 4, 16, 64, 256, 1024, 10**6])
check(bool(np.all(amdahl(0.95, ps) < 20.0)), "for f = 0.95, S(p) < 20 for every p tried, up to a million workers")

# %% [markdown]
# ## The worked example: 95% parallelisable on 16 and 64 executors

# %%
s16, s64 = amdahl(0.95, 16), amdahl(0.95, 64)
check_close(s16, 9.1, "S(16) = 1 / (0.05 + 0.95/16) is about 9.1", atol=0.05)
check_close(s64, 15.4, "S(64) = 1 / (0.05 + 0.95/64) is about 15.4", atol=0.05)
check(s64 / s16 < 2.0, f"quadrupling from 16 to 64 executors buys less than a doubling of speed ({s64 / s16:.3f}x)")

# %% [markdown]
# ## The size of the feature table
#
# Two billion rows of 50 single-precision (4-byte) features, with 1 GB taken as $10^9$ bytes.

# %%
rows, features, bytes_per = 2 * 10**9, 50, 4
check(rows * features * bytes_per == 400 * 10**9, "2e9 rows x 50 features x 4 bytes = 400 GB")
check(rows * 10 * bytes_per == 80 * 10**9, "10 of the columns are 80 GB")

# %% [markdown]
# ## Combining before the shuffle: exact and bounded
#
# We simulate $n$ click events over $K$ keys with a skewed (Zipf-like) key distribution, spread over $P$ partitions.
# Each partition emits one partial count per distinct key it holds (what `reduceByKey` does); the reducer adds them.
# The merged counts must equal a direct count, and the number of partial results must satisfy $\sum_j \min(n_j, K) \le \min(n, PK)$.


# %%
def combined_shuffle(keys, n_partitions, n_keys):
    """Per-partition partial counts, as emitted by a combiner, and their merged total."""
    parts = np.array_split(keys, n_partitions)
    partials = [np.bincount(part, minlength=n_keys) for part in parts]
    emitted = sum(int(np.count_nonzero(c)) for c in partials)
    bound_terms = sum(min(len(part), n_keys) for part in parts)
    return np.sum(partials, axis=0), emitted, bound_terms


for n, K, P in [(200_000, 1_000, 20), (5_000, 1_000, 20), (300, 50, 40)]:
    weights = 1.0 / np.arange(1, K + 1)
    keys = rng.choice(K, size=n, p=weights / weights.sum())
    merged, emitted, bound_terms = combined_shuffle(keys, P, K)
    check(
        np.array_equal(merged, np.bincount(keys, minlength=K)),
        f"n={n}, K={K}, P={P}: merged partial counts equal the direct count",
    )
    check(
        emitted <= bound_terms <= min(n, P * K),
        f"n={n}, K={K}, P={P}: {emitted} partial results <= sum_j min(n_j, K) = {bound_terms} <= min(n, PK) = {min(n, P * K)}",
    )

# %% [markdown]
# The page's scale: a billion click events over 10 000 items in 200 partitions.

# %%
n_big, K_big, P_big = 10**9, 10_000, 200
check(P_big * K_big == 2 * 10**6, "PK = 200 x 10 000 = 2 x 10^6")
check(
    n_big / min(n_big, P_big * K_big) == 500,
    "the raw shuffle of n = 10^9 records is at least 500 times the combined one",
)

# %% [markdown]
# ## A median does not decompose this way
#
# Partial counts can be merged in any order because addition is associative and commutative.
# The median of the partition medians, by contrast, is not the median of the data in general.

# %%
values = rng.exponential(size=9_000)
# Partitions of unequal size holding different value ranges, as after a range partitioning.
parts = np.array_split(np.sort(values), [100, 200])
median_of_medians = np.median([np.median(part) for part in parts])
check(
    abs(median_of_medians - np.median(values)) > 0.1,
    f"median of partition medians ({median_of_medians:.3f}) differs from the true median ({np.median(values):.3f})",
)
shuffled = rng.permutation(values)
sums = [part.sum() for part in np.array_split(shuffled, 7)]
check_close(sum(sums), values.sum(), "whereas partial sums always merge to the exact total", rtol=1e-12)

# %% [markdown]
# ## Figure: the Amdahl ceiling

# %%
workers = np.logspace(0, 3, 200)
fig, ax = plt.subplots()
for frac, colour in [(0.95, "C0"), (0.90, "C1")]:
    ax.plot(workers, amdahl(frac, workers), color=colour, label=f"f = {frac:.2f}")
    ax.axhline(1 / (1 - frac), color=colour, linestyle=":", linewidth=1)
ax.plot([16, 64], [s16, s64], "o", color="C0")
ax.annotate(f"{s16:.1f}", (16, s16), textcoords="offset points", xytext=(-22, 6))
ax.annotate(f"{s64:.1f}", (64, s64), textcoords="offset points", xytext=(-22, 6))
ax.set_xscale("log")
ax.set_xlabel("number of workers p")
ax.set_ylabel("speed-up S(p)")
ax.set_title("Amdahl's law: speed-up approaches 1/(1 - f)", fontsize=11)
ax.legend(loc="lower right")
save_figure(fig, "amdahl")
