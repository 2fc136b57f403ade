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
# The page on big data tools makes two back-of-the-envelope arguments: Amdahl's law caps the speed-up of a job whose serial fraction is $1 - \varphi$, and aggregating inside each partition before a shuffle bounds the data sent by $\min(n, MU)$ partial results ($M$ partitions, $U$ distinct keys).
# The checks derive Amdahl's formula with sympy, measure the worked speed-ups on a simulated cluster that schedules tasks on workers, and simulate a per-key count to confirm that the bound on the combined shuffle is attained, and that a median cannot be combined the same way.
# Every number the page's Example quotes is bound here.

# %%
import heapq

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## Amdahl's law from the running time
#
# The serial part takes $(1-\varphi)T_1$ and the parallel part $\varphi T_1/p$; the speed-up is $T_1/T_p$, and its limit as $p \to \infty$ is $1/(1-\varphi)$.

# %%
phi, p, T1 = sp.symbols("varphi p T_1", positive=True)
T_p = (1 - phi) * T1 + phi * T1 / p
S = sp.simplify(T1 / T_p)
check(
    sp.simplify(S - 1 / ((1 - phi) + phi / p)) == 0,
    "T_1 / T_p simplifies to S(p) = 1 / ((1 - phi) + phi / p)",
)
ceiling = sp.limit(S, p, sp.oo)
check(sp.simplify(ceiling - 1 / (1 - phi)) == 0, "as p -> infinity, S(p) -> 1 / (1 - phi)")

# The page's parameters: a 95 % parallel job on 16 and 64 executors, and a 90 % job in the figure.
frac_main, frac_other = 0.95, 0.90
bind("frac_main", frac_main)
bind("frac_main_pct", 100 * frac_main)
bind("frac_other", frac_other)
p_small, p_large = 16, 64
bind("p_small", p_small)
bind("p_large", p_large)
bind("ceiling_main", float(ceiling.subs(phi, sp.Rational(95, 100))))
bind("ceiling_other", float(ceiling.subs(phi, sp.Rational(90, 100))))


def amdahl(frac, workers):
    """Speed-up on `workers` workers when a fraction `frac` of the work parallelises."""
    return 1.0 / ((1.0 - frac) + frac / workers)


# %% [markdown]
# ## The worked example on a simulated cluster
#
# An independent route to the speed-ups: a job of total work $T_1 = 1$ has a serial part $1 - \varphi$ (run first, on one worker) and $\varphi$ split into 1,920 equal tasks.
# A list scheduler hands each task to the worker that becomes free first; the speed-up is $T_1$ divided by the measured makespan.
# A formula with the wrong shape (for example Gustafson's scaled speed-up $(1-\varphi) + \varphi p$, which is 15.25 at $p = 16$) would fail these checks.


# %%
def simulated_speedup(frac, workers, n_tasks=1920):
    """Makespan-based speed-up of a serial phase followed by n_tasks equal tasks on `workers` workers."""
    serial = 1.0 - frac
    task = frac / n_tasks
    free_at = [serial] * workers  # every worker waits for the serial phase
    heapq.heapify(free_at)
    for _ in range(n_tasks):
        heapq.heappush(free_at, heapq.heappop(free_at) + task)
    return 1.0 / max(free_at)


s16_sim = simulated_speedup(frac_main, p_small)
s64_sim = simulated_speedup(frac_main, p_large)
check_close(
    s16_sim, amdahl(frac_main, p_small), "simulated cluster: S(16) matches 1/(0.05 + 0.95/16)", rtol=1e-9, name="s16"
)
check_close(
    s64_sim, amdahl(frac_main, p_large), "simulated cluster: S(64) matches 1/(0.05 + 0.95/64)", rtol=1e-9, name="s64"
)
bind("gain_16_to_64", s64_sim / s16_sim)
# The ceiling is the limit, not just an upper bound: with as many workers as (many, tiny) tasks the simulated
# speed-up comes within 0.5 % of the sympy limit 1/(1 - phi). (That it stays below the limit holds by
# construction, since the simulator always runs the serial phase, so it is not checked.)
s_many = simulated_speedup(frac_main, 19_200, n_tasks=19_200)
check_close(
    s_many,
    float(ceiling.subs(phi, sp.Rational(95, 100))),
    f"simulated cluster, 19,200 workers: the speed-up {s_many:.2f} approaches the ceiling 1/(1 - 0.95)",
    rtol=5e-3,
)

# %% [markdown]
# ## The size of the feature table
#
# Two billion rows of 50 single-precision features; the bytes per value come from NumPy's `float32`, and 1 GB is $10^9$ bytes.
# These sizes are plain arithmetic (rows times columns times bytes per value), bound so that the page cannot drift from it; nothing is checked here.

# %%
rows, features, few_columns = 2 * 10**9, 50, 10
bytes_per = np.dtype(np.float32).itemsize
bind("rows_billion", rows / 1e9)
bind("n_features", features)
bind("bytes_per_value", bytes_per)
bind("table_gb", rows * features * bytes_per / 1e9)
bind("few_columns", few_columns)
bind("few_columns_gb", rows * few_columns * bytes_per / 1e9)

# %% [markdown]
# ## Combining before the shuffle: the bound is attained
#
# Each partition emits one partial count per distinct key it holds (what `reduceByKey` does).
# The page's bound $\sum_j \min(n_j, U) \le \min(n, MU)$ holds for any data (each partition holds at most $\min(n_j, U)$ distinct keys), so checking the inequality itself would prove nothing.
# What data can test is that the bound is attained in the regime the page's step 7 uses: with many random records per (unequal) partition, every partition holds every key and the combiner emits exactly $MU$ partial results.
# A page that printed a wrong bound such as $\min(n, U)$ fails this check. (The other regime, no key repeated, emits $n$ partial results by definition.)


# %%
def emitted_partials(keys, n_partitions):
    """Partial results sent by a combiner when `keys` are split at random points into unequal partitions."""
    shares = rng.uniform(0.5, 1.5, size=n_partitions)  # partition sizes differ by up to a factor of 3
    cuts = np.round(np.cumsum(shares)[:-1] / shares.sum() * len(keys)).astype(int)
    parts = np.split(keys, cuts)
    return sum(len(np.unique(part)) for part in parts), [len(part) for part in parts]


n, U, M = 400_000, 50, 20
emitted, sizes = emitted_partials(rng.integers(0, U, size=n), M)
bound_terms = sum(min(s, U) for s in sizes)
check(
    emitted == bound_terms == M * U and len(set(sizes)) > 1,
    f"unequal partitions of {min(sizes)} to {max(sizes)} records: {emitted} partial results = MU = {M * U}",
)

# %% [markdown]
# The page's scale: a billion click events over 10,000 items in 200 partitions.

# %%
n_big, U_big, M_big = 10**9, 10_000, 200
bind("shuffle_keys", U_big)
bind("shuffle_partitions", M_big)
bind("shuffle_mu_millions", M_big * U_big / 1e6)
bind("shuffle_reduction", n_big / min(n_big, M_big * U_big))

# %% [markdown]
# ## A median does not decompose this way
#
# Partial counts can be merged in any order because addition is associative and commutative.
# The median of the partition medians, by contrast, is not the median of the data in general: with random, unequal partitions of skewed data it is off.

# %%
values = rng.exponential(size=9_000)
cuts = np.sort(rng.choice(np.arange(1, 9_000), size=6, replace=False))
parts = np.split(np.sort(values), cuts)  # range partitions of unequal size, as after a sort or range partitioning
median_of_medians = np.median([np.median(part) for part in parts])
se_median = 1 / (2 * np.sqrt(len(values)) * np.exp(-np.log(2)))  # asymptotic s.e. of the median of Exp(1)
check(
    abs(median_of_medians - np.median(values)) > 10 * se_median,
    f"median of partition medians ({median_of_medians:.3f}) is far from the true median ({np.median(values):.3f})",
)

# %% [markdown]
# ## Figure: the Amdahl ceiling

# %%
workers = np.logspace(0, 3, 200)
fig, ax = plt.subplots()
for frac, colour in [(frac_main, "C0"), (frac_other, "C1")]:
    ax.plot(workers, amdahl(frac, workers), color=colour, label=f"φ = {frac:.2f}")
    ax.axhline(1 / (1 - frac), color=colour, linestyle=":", linewidth=1)
ax.plot([p_small, p_large], [s16_sim, s64_sim], "o", color="C0")
ax.annotate(f"{s16_sim:.1f}", (p_small, s16_sim), textcoords="offset points", xytext=(-22, 6))
ax.annotate(f"{s64_sim:.1f}", (p_large, s64_sim), textcoords="offset points", xytext=(-22, 6))
ax.set_xscale("log")
ax.set_xlabel("number of workers p")
ax.set_ylabel("speed-up S(p)")
ax.set_title("Amdahl's law: speed-up approaches 1/(1 - φ)", fontsize=11)
ax.legend(loc="lower right")
save_figure(fig, "amdahl")
