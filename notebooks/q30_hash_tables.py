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
# # Hash tables: chaining, linear probing and the load factor
#
# Two small hash tables, one with separate chaining and one with linear probing, replay the page's example (keys 15, 8, 22, 4 and 11 in 7 slots) and count every probe.
# The checks then verify the expected costs of the derivation: chain length $\alpha$, successful chained search $1 + \alpha/2 - \alpha/(2n)$, the uniform-hashing bound $1/(1-\alpha)$, Knuth's linear-probing formulas by simulation, amortised resizing, and the Python behaviour the page describes.

# %%
import hashlib
import os
import subprocess
import sys
from fractions import Fraction
from math import exp, log, prod, sqrt

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from sklearn.feature_extraction import FeatureHasher

rng = np.random.default_rng(0)


class ChainedTable:
    """Separate chaining; each chain keeps its keys in insertion order."""

    def __init__(self, m, h=lambda k, m: k % m):
        self.m, self.h = m, h
        self.slots = [[] for _ in range(m)]

    def insert(self, key):
        self.slots[self.h(key, self.m)].append(key)

    def search(self, key):
        """(found, number of keys compared)."""
        chain = self.slots[self.h(key, self.m)]
        for i, k in enumerate(chain, start=1):
            if k == key:
                return True, i
        return False, len(chain)


class LinearProbingTable:
    """Open addressing with h(k, j) = (h(k) + j) mod m; records the slots each operation probes."""

    def __init__(self, m, h=lambda k, m: k % m):
        self.m, self.h = m, h
        self.slots = [None] * m

    def insert(self, key):
        probed = []
        for j in range(self.m):
            s = (self.h(key, self.m) + j) % self.m
            probed.append(s)
            if self.slots[s] is None:
                self.slots[s] = key
                return probed
        raise RuntimeError("table full")

    def search(self, key):
        """(found, list of slots probed)."""
        probed = []
        for j in range(self.m):
            s = (self.h(key, self.m) + j) % self.m
            probed.append(s)
            if self.slots[s] is None:
                return False, probed
            if self.slots[s] == key:
                return True, probed
        return False, probed


# %% [markdown]
# ## The worked example: five keys in 7 slots
#
# Two independent routes for each result: the table classes insert key by key, and the expected layout comes from a direct computation
# (grouping the keys by hash for chaining; the queue recursion `linear_probing_layout`, which never inserts a key, for linear probing).
# The page's numbers are bound from the tables.


# %%
def linear_probing_layout(homes, m_):
    """Occupied slots and total displacement of linear probing, without inserting key by key.

    Slot j receives the keys that hash to it plus the queue q carried over from slot j - 1; it keeps one and
    passes on q_j = max(0, q_{j-1} + c_j - 1) (a Lindley recursion, solved with a running minimum over two
    laps of the circular table). Both results are independent of the insertion order.
    """
    c = np.bincount(homes, minlength=m_)
    S = np.cumsum(np.r_[c, c] - 1)
    q = (S - np.minimum.accumulate(np.minimum(S, 0)))[m_:]  # second lap: steady state
    arriving = np.r_[q[-1], q[:-1]] + c  # q_{j-1} + c_j
    return arriving > 0, int(q.sum())


keys, m = [15, 8, 22, 4, 11], 7
absent = 29
bind("m_slots", m)
bind("n_keys", len(keys))
bind("load", len(keys) / m)
for j, k in enumerate(keys, start=1):
    bind(f"key_{j}", k)
    bind(f"hash_{j}", k % m)
bind("absent_key", absent)
bind("absent_hash", absent % m)

chained = ChainedTable(m)
for k in keys:
    chained.insert(k)
by_hash = {h_: [k for k in keys if k % m == h_] for h_ in range(m)}  # grouping, in insertion order
check(
    all(chained.slots[h_] == by_hash[h_] for h_ in range(m)),
    "chaining: every chain equals the keys grouped by hash, in insertion order",
)
bind("empty_chain_slots", sum(1 for chain in chained.slots if not chain))
found, compared = chained.search(absent)
check(
    not found and compared == len(by_hash[absent % m]),
    "chaining: an absent key is compared with every key of its chain and no other",
)
bind("chain_compares", compared)

# %%
probing = LinearProbingTable(m)
probes = {k: probing.insert(k) for k in keys}
occ_fast, disp_fast = linear_probing_layout(np.array([k % m for k in keys]), m)
check(
    np.array_equal(occ_fast, [s_ is not None for s_ in probing.slots])
    and disp_fast == sum(len(pr) - 1 for pr in probes.values()),
    "linear probing: the occupied slots and total displacement match the queue recursion",
)
for j in range(m):
    bind(f"slot_{j}", j)
    if probing.slots[j] is not None:
        bind(f"key_in_slot_{j}", probing.slots[j])
bind("probes_22", len(probes[22]))
bind("slot_of_22", probes[22][-1])
occupied = [i for i, s_ in enumerate(probing.slots) if s_ is not None]
runs = np.split(occupied, np.flatnonzero(np.diff(occupied) > 1) + 1)
check(len(runs) == 1, "the two groups of keys have merged into one run of occupied slots")
bind("run_length", len(runs[0]))
found, probed = probing.search(absent)
empty = [i for i, s_ in enumerate(probing.slots) if s_ is None]
next_empty = min((e - absent % m) % m for e in empty)
check(
    not found and len(probed) == next_empty + 1,
    "an unsuccessful search probes up to and including the first empty slot after its home slot",
)
bind("lp_search_probes", len(probed))
bind("first_empty", probed[-1])

# %% [markdown]
# ## Chaining: expected chain length and successful search
#
# Steps 1 to 3: with $n$ keys hashed uniformly into $m$ slots, a chain has expected length $\alpha = n/m$, and a successful search with head insertion examines $1 + \alpha/2 - \alpha/(2n)$ keys on average.
# First the algebra of step 3 with sympy, then a simulation of 20,000 random tables with $m = 50$ and $n = 40$.
# With head insertion, finding $k_i$ examines $k_i$ and every later key in its slot, so the average over the keys is $1 + \sum_j \binom{N_j}{2}/n$.

# %%
n_s, m_s, t_s, s_s = sp.symbols("n m t s", positive=True, integer=True)
expected = sp.summation(1 + sp.summation(1 / m_s, (s_s, t_s + 1, n_s)), (t_s, 1, n_s)) / n_s
alpha_s = n_s / m_s
check(
    sp.simplify(expected - (1 + alpha_s / 2 - alpha_s / (2 * n_s))) == 0,
    "sympy: the step-3 sum equals 1 + alpha/2 - alpha/(2n)",
)

n_keys, m_slots, trials = 40, 50, 20_000


def blake_slot(key, m_):
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") % m_


# Step 1 with real keys: random strings hashed by BLAKE2, and the chain found by a fresh, absent key.
# (Averaging all m chain lengths would give n/m exactly for any hash: the counts of a table always sum to n.)
chain_at_absent = []
for trial in range(5_000):
    stored_slots = [blake_slot(f"user-{trial}-{i}", m_slots) for i in range(n_keys)]
    probe_slot = blake_slot(f"absent-{trial}", m_slots)
    chain_at_absent.append(stored_slots.count(probe_slot))
se_chain = np.std(chain_at_absent, ddof=1) / np.sqrt(len(chain_at_absent))
check_close(
    np.mean(chain_at_absent),
    n_keys / m_slots,
    f"BLAKE2-hashed string keys: the chain an absent key lands in has mean length alpha = n/m = 0.8 "
    f"(measured {np.mean(chain_at_absent):.3f}, within 4 standard errors = {4 * se_chain:.3f})",
    atol=4 * se_chain,
    rtol=0,
)
hashes = rng.integers(0, m_slots, size=(trials, n_keys))
counts = np.stack([np.bincount(row, minlength=m_slots) for row in hashes])
examined = 1 + (counts * (counts - 1) / 2).sum(axis=1) / n_keys
a_ = n_keys / m_slots
formula = 1 + a_ / 2 - a_ / (2 * n_keys)
check_close(
    examined.mean(),
    formula,
    f"simulated: a successful search examines 1 + alpha/2 - alpha/(2n) = {formula:.3f} keys",
    atol=3e-3,
)

# %% [markdown]
# ## Open addressing with uniform hashing: the probe bound
#
# Step 5: $P(X \ge i) = \prod_{q=0}^{i-2} \frac{n-q}{m-q} \le \alpha^{i-1}$ and $\mathbb{E}[X] = \sum_{i \ge 1} P(X \ge i) \le 1/(1-\alpha)$.
# Exact fractions give $\mathbb{E}[X] = (m+1)/(m-n+1)$, and we check both inequalities for every $n < m \le 40$.
# A simulation with random probe orders confirms the exact value for one table.

# %%
all_ok = True
for m_ in range(2, 41):
    for n_ in range(m_):
        tail = [prod((Fraction(n_ - r, m_ - r) for r in range(i - 1)), start=Fraction(1)) for i in range(1, n_ + 2)]
        a_frac = Fraction(n_, m_)
        all_ok &= all(p <= a_frac ** (i - 1) for i, p in enumerate(tail, start=1))
        ex = sum(tail)
        all_ok &= ex == Fraction(m_ + 1, m_ - n_ + 1) and ex <= 1 / (1 - a_frac)
check(all_ok, "for all n < m <= 40: P(X >= i) <= alpha^(i-1) and E[X] = (m+1)/(m-n+1) <= 1/(1-alpha)")

m_u, n_u = 20, 15
occupied_sets = rng.permuted(np.tile(np.arange(m_u), (50_000, 1)), axis=1)[:, :n_u]
orders = rng.permuted(np.tile(np.arange(m_u), (50_000, 1)), axis=1)
is_occ = np.zeros((50_000, m_u), dtype=bool)
np.put_along_axis(is_occ, occupied_sets, True, axis=1)
first_empty = np.argmin(np.take_along_axis(is_occ, orders, axis=1), axis=1) + 1
check_close(
    first_empty.mean(),
    (m_u + 1) / (m_u - n_u + 1),
    "simulated uniform hashing, m = 20, n = 15: E[X] = 21/6 = 3.5",
    atol=0.03,
)
check(first_empty.mean() < 1 / (1 - n_u / m_u), "below the bound 1/(1 - 0.75) = 4")

# %% [markdown]
# ## Linear probing: Knuth's formulas
#
# Step 6 quotes about $\frac{1}{2}\big(1 + \frac{1}{(1-\alpha)^2}\big)$ probes for an unsuccessful search and $\frac{1}{2}\big(1 + \frac{1}{1-\alpha}\big)$ for a successful one.
# First the page's values at $\alpha = 0.5$ and $0.9$, then a simulation: random keys go into 20 tables of $2^{18}$ slots each; an unsuccessful search starting at slot $i$ probes up to and including the next empty slot, and a successful search for a key probes its displacement plus one.

# %%


def knuth_unsuccessful(a):
    return 0.5 * (1 + 1 / (1 - a) ** 2)


def knuth_successful(a):
    return 0.5 * (1 + 1 / (1 - a))


# The page quotes the formulas' values; the simulation below is their check.
for a_q in (0.5, 0.9):
    tag = str(a_q).replace(".", "")
    bind(f"alpha_{tag}", a_q)
    bind(f"knuth_unsucc_{tag}", knuth_unsuccessful(a_q))
    bind(f"knuth_succ_{tag}", knuth_successful(a_q))
bind("uniform_bound_09", 1 / (1 - 0.9))


small_homes = rng.integers(0, 1000, size=800)
explicit = LinearProbingTable(1000, h=lambda k, m: int(small_homes[k]))
total_disp = sum(len(explicit.insert(k)) - 1 for k in range(800))
occ_fast, disp_fast = linear_probing_layout(small_homes, 1000)
check(
    np.array_equal(occ_fast, [s is not None for s in explicit.slots]) and disp_fast == total_disp,
    "the queue recursion reproduces the explicit table's occupied slots and total displacement (m = 1000, n = 800)",
)


def simulate_linear_probing(m_, a, rng):
    """Average probes (unsuccessful over all start slots, successful over all keys) for one random table."""
    n_ = round(a * m_)
    occupied, total_disp = linear_probing_layout(rng.integers(0, m_, size=n_), m_)
    empty = np.flatnonzero(~occupied)
    # distance from every slot to the next empty slot (cyclically), plus one probe for that empty slot
    nxt = empty[np.searchsorted(empty, np.arange(m_)) % len(empty)]
    unsuccessful = ((nxt - np.arange(m_)) % m_ + 1).mean()
    return unsuccessful, 1 + total_disp / n_


sim = {}
for a in (0.5, 0.7, 0.8, 0.9):
    results = np.array([simulate_linear_probing(2**18, a, rng) for _ in range(20)])
    sim[a] = results.mean(axis=0)
    print(
        f"alpha = {a}: unsuccessful {sim[a][0]:.2f} (Knuth {knuth_unsuccessful(a):.2f}), successful {sim[a][1]:.3f} (Knuth {knuth_successful(a):.3f})"
    )
    check_close(
        sim[a][0],
        knuth_unsuccessful(a),
        f"simulated linear probing, alpha = {a}: unsuccessful search matches Knuth",
        rtol=0.02,
    )
    check_close(
        sim[a][1],
        knuth_successful(a),
        f"simulated linear probing, alpha = {a}: successful search matches Knuth",
        rtol=0.01,
    )
bind("n_sim_tables", 20)
bind("lp_unsucc_sim_09", sim[0.9][0])
bind("lp_vs_bound_09", sim[0.9][0] / (1 / (1 - 0.9)))

# %% [markdown]
# ## Step 7: doubling keeps resizing cheap on average
#
# A table starting with 8 slots doubles whenever an insertion would push $\alpha$ above 0.75 and re-inserts every key.
# The total number of re-insertions must stay below $2n$ after every insertion.

# %%
m_cur, reinserted, ok = 8, 0, True
for n_ in range(1, 200_001):  # n_ keys after this insertion
    if n_ / m_cur > 0.75:
        reinserted += n_ - 1
        m_cur *= 2
    ok &= reinserted < 2 * n_
check(ok, f"doubling at alpha > 0.75: re-insertions < 2n for every n up to 200,000 ({reinserted} for n = 200,000)")

# %% [markdown]
# ## Step 8 and the common mistakes: bad hashing
#
# If every key hashes to one slot, a chain or a probe run has length $n$.
# The identity hash with a power-of-two table and keys sharing their low bits uses only a few slots.

# %%
bad_chain = ChainedTable(16)
good_chain = ChainedTable(16, h=lambda k, m_: blake_slot(str(k), m_))
bad_probe = LinearProbingTable(64)
for k in range(0, 16 * 32, 16):  # 32 keys, all multiples of 16
    bad_chain.insert(k)
    good_chain.insert(k)
    bad_probe.insert(k * 4)
check(
    max(len(c_) for c_ in bad_chain.slots) == 32 and max(len(c_) for c_ in good_chain.slots) <= 8,
    f"identity hash: all 32 multiples of 16 share one chain of length n; BLAKE2 spreads them "
    f"(longest chain {max(len(c_) for c_ in good_chain.slots)})",
)
check(len(bad_probe.search(10**6 * 64)[1]) == 33, "linear probing walks the whole run of n = 32 keys (33 probes)")

ids = np.arange(0, 8 * 1000, 8)  # keys that are all multiples of 8
used_identity = len(np.unique(ids % 16))
used_blake = len({blake_slot(str(k), 16) for k in ids})
check(
    used_identity == 2 and used_blake == 16,
    "1,000 multiples of 8 in 16 slots: the identity hash uses only 2 slots, BLAKE2 all 16",
)

# %% [markdown]
# ## The birthday paradox
#
# With $n$ keys hashed uniformly into $m$ slots, $P(\text{no collision}) = \prod_{i=0}^{n-1}(1 - i/m)$.
# For $m = 10^6$ a collision is already even odds at $n = \sqrt{2m\ln 2} \approx 1{,}177$ keys, which is of the order of $\sqrt{m} = 1{,}000$.
# The exact product is compared with the approximation $1 - e^{-n^2/(2m)}$ and with a simulation.

# %%


def p_collision(n_, m_):
    return 1 - np.prod(1 - np.arange(n_) / m_)


m_b = 10**6
n_half = round(sqrt(2 * m_b * log(2)))
sim_coll = np.mean([len(np.unique(rng.integers(0, m_b, size=n_half))) < n_half for _ in range(2000)])
check_close(
    sim_coll,
    p_collision(n_half, m_b),
    "simulated: the collision probability at n = 1,177 keys matches the exact product (4 s.e.)",
    atol=4 * sqrt(0.25 / 2000),
)
check_close(p_collision(n_half, m_b), 0.5, "at n = sqrt(2 m ln 2) a collision has probability about 1/2", atol=1e-3)
check_close(p_collision(1000, m_b), 1 - exp(-0.5), "at n = sqrt(m) it is already about 1 - e^(-1/2) = 0.39", atol=1e-3)
check(p_collision(2000, m_b) > 0.85, "and at n = 2 sqrt(m) it is above 0.85")

# %% [markdown]
# ## Python's dict and set
#
# Lists and dicts are unhashable, tuples of hashable items and frozensets are hashable, dicts keep insertion order, a class that defines `__eq__` without `__hash__` becomes unhashable, a key mutated after insertion can no longer be found, and `str` hashes are salted per process while integer hashes are not.

# %%


def hashable(obj):
    try:
        hash(obj)
        return True
    except TypeError:
        return False


check(not hashable([1, 2]) and not hashable({"a": 1}), "list and dict cannot be keys")
check(hashable((1, "a")) and hashable(frozenset({1, 2})), "a tuple of hashable items and a frozenset can")
check(not hashable((1, [2])), "a tuple containing a list cannot")

d = {}
for k in ["zeta", "alpha", "mid", 3, (1, 2)]:
    d[k] = True
check(list(d) == ["zeta", "alpha", "mid", 3, (1, 2)], "dict iteration follows insertion order")


class EqOnly:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, EqOnly) and self.v == other.v


check(EqOnly.__hash__ is None and not hashable(EqOnly(1)), "defining __eq__ without __hash__ makes a class unhashable")


class MutableKey:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, MutableKey) and self.v == other.v

    def __hash__(self):
        return hash(self.v)


key = MutableKey(1)
table = {key: "value"}
key.v = 2
check(key not in table and MutableKey(1) not in table, "a key mutated after insertion can no longer be found")

env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
code = "print(hash('hash flooding'), hash(12345))"
runs = [
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.split()
    for _ in range(2)
]
check(runs[0][0] != runs[1][0], "str hashes differ between two Python processes (per-process salt)")
check(runs[0][1] == runs[1][1] == "12345", "integer hashes are not salted: hash(12345) is 12345 in both")

# %% [markdown]
# CPython's dict keeps its table at most two-thirds full: the points where `sys.getsizeof` jumps while inserting keys one at a time must be the sizes $\lfloor 2 \cdot 2^j / 3 \rfloor + 1$ for tables of $2^j$ slots.

# %%
d2, last, jumps = {}, sys.getsizeof({}), []
for i in range(1, 200):
    d2[i] = None
    if sys.getsizeof(d2) != last:
        jumps.append(i)
        last = sys.getsizeof(d2)
jumps = jumps[1:]  # the first insertion allocates the initial 8-slot table
predicted = [2 * 2**j // 3 + 1 for j in range(3, 3 + len(jumps))]
check(jumps == predicted, f"dict resizes at n = {jumps}: a table of 2^j slots holds at most floor(2^(j+1)/3) keys")

# %% [markdown]
# ## Follow-ups: the hashing trick and Bloom filters
#
# `FeatureHasher` maps any vocabulary to a fixed number of columns.
# A Bloom filter never gives a false negative, and its false-positive rate grows with the number of stored items.

# %%
# Two sparse documents with a known inner product, hashed into 32 columns with 400 different salts
# (prefixes on the feature names, i.e. 400 hash functions). With the sign hash the hashed inner product is
# unbiased; without it every collision adds a positive product, so it is biased upwards.
doc_a = {f"w{i}": float(v) for i, v in enumerate(rng.integers(1, 4, size=60))}
doc_b = {f"w{i}": float(v) for i, v in enumerate(rng.integers(1, 4, size=60), start=30)}
true_ip = sum(v * doc_b[k] for k, v in doc_a.items() if k in doc_b)
est = {True: [], False: []}
for salt in range(400):
    pair = [{f"{salt}:{k}": v for k, v in d_.items()} for d_ in (doc_a, doc_b)]
    for signed in (True, False):
        Xh = FeatureHasher(n_features=32, alternate_sign=signed).transform(pair)
        est[signed].append(float(Xh[0].multiply(Xh[1]).sum()))
se_signed = np.std(est[True], ddof=1) / sqrt(400)
check_close(
    np.mean(est[True]),
    true_ip,
    f"hashing trick with a sign hash: collisions cancel in expectation (mean {np.mean(est[True]):.1f} vs {true_ip:.0f}, 4 s.e.)",
    atol=4 * se_signed,
    rtol=0,
)
check(
    np.mean(est[False]) - true_ip > 10 * np.std(est[False], ddof=1) / sqrt(400),
    f"without the sign hash the collisions add up: mean {np.mean(est[False]):.1f} against the true {true_ip:.0f}",
)


def bloom_positions(item, m_bits, k):
    """k bit positions from k salted BLAKE2 hashes (deterministic across processes)."""
    return [
        int.from_bytes(hashlib.blake2b(f"{salt}:{item}".encode(), digest_size=8).digest(), "little") % m_bits
        for salt in range(k)
    ]


m_bits, k_hash = 2000, 4
bits = np.zeros(m_bits, dtype=bool)
stored = [f"item{i}" for i in range(600)]
queries = [f"other{i}" for i in range(20_000)]
fp_rates = []
for count, item in enumerate(stored, start=1):
    bits[bloom_positions(item, m_bits, k_hash)] = True
    if count in (100, 300, 600):
        fp_rates.append(np.mean([bits[bloom_positions(q, m_bits, k_hash)].all() for q in queries]))
theory = [(1 - exp(-k_hash * n_ / m_bits)) ** k_hash for n_ in (100, 300, 600)]
check_close(
    fp_rates,
    theory,
    f"Bloom filter: measured false-positive rates {', '.join(f'{r:.4f}' for r in fp_rates)} match (1 - e^(-kn/m))^k "
    "(4 binomial s.e.)",
    atol=[4 * sqrt(t_ * (1 - t_) / len(queries)) for t_ in theory],
    rtol=0,
)


# %% [markdown]
# ## Figure: expected probes against the load factor

# %%
alphas = np.linspace(0.0, 0.92, 200)
fig, ax = plt.subplots()
ax.plot(alphas, knuth_unsuccessful(alphas), color="C3", label="linear probing, unsuccessful (Knuth)")
ax.plot(alphas, 1 / (1 - alphas), color="C0", label="uniform hashing bound 1/(1 − α)")
ax.plot(alphas, knuth_successful(alphas), color="C2", label="linear probing, successful (Knuth)")
sim_a = np.array(sorted(sim))
ax.scatter(sim_a, [sim[a][0] for a in sim_a], color="C3", zorder=3, s=25, label="simulated, 20 tables of 2¹⁸ slots")
ax.scatter(sim_a, [sim[a][1] for a in sim_a], color="C2", zorder=3, s=25)
ax.set_yscale("log")
ax.set_xlabel("load factor α = n/m")
ax.set_ylabel("expected probes (log scale)")
ax.legend(fontsize=8, loc="upper left")
save_figure(fig, "probes-vs-load")
