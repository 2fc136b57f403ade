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
# # Dynamic arrays: amortised appends, growth factors and shrinking
#
# A small simulator of a dynamic array counts every element write, the new element and every copy made by a resize.
# The checks recompute the page's example (17 appends into an array that starts at capacity 1 and doubles: 31 copies and 48 writes), prove the bounds of the derivation for several growth factors, show that additive growth is quadratic and that halving at half full thrashes, and confirm the memory figures and CPython's over-allocation of about one eighth.

# %%
import array
import ctypes
import math
import sys

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure


class DynamicArray:
    """Counts writes: one per appended element plus one per element copied by a resize."""

    def __init__(self, capacity=1, grow=lambda cap: 2 * cap, shrink_at=None):
        self.capacity, self.size = capacity, 0
        self.grow, self.shrink_at = grow, shrink_at  # shrink_at: halve when size <= capacity * shrink_at
        self.copies = self.writes = 0
        self.resize_sizes = []  # size of the array at each growth
        self.cost_of_last_op = 0

    def _resize(self, new_capacity):
        self.copies += self.size
        self.writes += self.size
        self.cost_of_last_op += self.size
        self.capacity = new_capacity

    def append(self):
        self.cost_of_last_op = 0
        if self.size == self.capacity:
            self.resize_sizes.append(self.size)
            self._resize(max(self.grow(self.capacity), self.capacity + 1))
        self.size += 1
        self.writes += 1
        self.cost_of_last_op += 1

    def pop(self):
        self.cost_of_last_op = 0
        self.size -= 1
        if self.shrink_at is not None and self.capacity > 1 and self.size <= self.capacity * self.shrink_at:
            self._resize(self.capacity // 2)


# %% [markdown]
# ## The worked example: 17 appends with doubling

# %%
n, g, c0 = 17, 2, 1
arr = DynamicArray(capacity=c0)
for _ in range(n):
    arr.append()
bind("n_appends", n)
bind("start_capacity", c0)
bind("growth_factor", g)
for j, size in enumerate(arr.resize_sizes, start=1):
    bind(f"resize_{j}", size)
J = math.floor(math.log(n - 1, g) + 1e-12)  # step 2: the largest J with c0 g^J <= n - 1 (c0 = 1)
check(
    arr.resize_sizes == [c0 * g**j for j in range(J + 1)],
    f"the simulator resizes exactly at the sizes c0 g^j, j = 0..J = {J}, that step 2 predicts",
)
bind("final_capacity", arr.capacity)
# The simulator's counts against the bounds of steps 3 and 5 (the page quotes both).
copy_bound = g / (g - 1) * n
write_bound = (2 * g - 1) / (g - 1) * n
check(arr.copies < copy_bound, f"the copies ({arr.copies}) are below the step-3 bound g/(g-1) n = {copy_bound:.0f}")
check(
    arr.writes < write_bound, f"the writes ({arr.writes}) are below the step-5 bound (2g-1)/(g-1) n = {write_bound:.0f}"
)
check(
    arr.copies == c0 * (g ** len(arr.resize_sizes) - 1) // (g - 1),
    "the copies equal the geometric series c0 (g^(J+1) - 1)/(g - 1) of step 3",
)
bind("copies", arr.copies)
bind("copy_bound", copy_bound)
bind("writes", arr.writes)
bind("write_bound", write_bound)
bind("writes_per_append", arr.writes / n)
bind("last_append_cost", arr.cost_of_last_op)
check(
    arr.cost_of_last_op == arr.resize_sizes[-1] + 1,
    "the last append costs one copy per element of the full array plus its own write",
)

# %% [markdown]
# ## The bounds of steps 3 to 5, for many sizes and growth factors
#
# For every $n$ up to 3,000, every start capacity $c_0 \in \{1, 3, 10\}$ and growth factors 1.5, 2, 3 and 4 (rounded up to integers for 1.5, which only makes the capacity grow faster), the copies stay below $\frac{g}{g-1}n$ and the writes below $\frac{2g-1}{g-1}n$.

# %%
worst = {}
for g_ in (1.5, 2, 3, 4):
    for c0 in (1, 3, 10):
        a = DynamicArray(capacity=c0, grow=lambda cap, g_=g_: math.ceil(g_ * cap))
        copies_ok = writes_ok = True
        worst_ratio = 0.0
        for n_ in range(1, 3001):
            a.append()
            copies_ok &= a.copies < g_ / (g_ - 1) * n_
            writes_ok &= a.writes < (2 * g_ - 1) / (g_ - 1) * n_
            worst_ratio = max(worst_ratio, a.writes / n_)
        check(
            copies_ok and writes_ok,
            f"g = {g_}, c0 = {c0}: copies < g/(g-1) n and writes < (2g-1)/(g-1) n for n = 1..3000",
        )
        worst[g_] = max(worst.get(g_, 0.0), worst_ratio)
check(worst[2] < 3, f"doubling: never more than 3 writes per append on average (worst {worst[2]:.3f})")

# %% [markdown]
# ## Step 6: constant growth is quadratic
#
# Growing the capacity by a constant $\Delta$ makes the copies during $n$ appends about $n^2/(2\Delta)$.

# %%
for c in (8, 64):
    a = DynamicArray(capacity=c, grow=lambda cap, c=c: cap + c)
    n_ = 20_000
    for _ in range(n_):
        a.append()
    check_close(
        a.copies / (n_**2 / (2 * c)),
        1.0,
        f"growth by Delta = {c}: copies for n = 20,000 appends are about n^2/(2 Delta)",
        rtol=0.01,
    )

# %% [markdown]
# ## Step 7: a bounded fraction of unused capacity
#
# The unused fraction is at most $(g-1)/g$.
# The worst moment is just after a resize; we track the fraction of unused slots after every append.

# %%
for g_ in (1.5, 2, 3):
    a = DynamicArray(capacity=1, grow=lambda cap, g_=g_: math.ceil(g_ * cap))
    worst_unused = 0.0
    for _ in range(5000):
        a.append()
        worst_unused = max(worst_unused, (a.capacity - a.size) / a.capacity)
    check(
        worst_unused < (g_ - 1) / g_,
        f"g = {g_}: unused fraction never exceeds (g-1)/g = {(g_ - 1) / g_:.3f} (worst {worst_unused:.3f})",
    )

# %% [markdown]
# The bound on unused capacity needs the array to shrink as well: without shrinking (as `std::vector`, whose `pop_back` never reduces its capacity), appending 1,024 elements and popping 1,023 leaves almost the whole block unused.
# CPython's `list` does shrink.

# %%
# The simulator without a shrink rule keeps its capacity by construction, so that case is printed, not checked;
# the check is on CPython's real list.
a = DynamicArray(capacity=1)
for _ in range(1024):
    a.append()
for _ in range(1023):
    a.pop()
print(
    f"no shrinking: after 1,024 appends and 1,023 pops the unused fraction is {(a.capacity - a.size) / a.capacity:.4f}"
)
lst = list(range(100_000))
full_size = sys.getsizeof(lst)
while len(lst) > 1:
    lst.pop()
check(
    sys.getsizeof(lst) < full_size / 1000,
    f"CPython list shrinks: {full_size} bytes at 100,000 items, {sys.getsizeof(lst)} bytes after popping to one",
)

# %% [markdown]
# ## Step 8: shrinking without thrashing
#
# Fill an array to 1,025 elements (capacity 2,048), then alternate pop and append 1,000 times.
# Halving as soon as the array is half full resizes on every operation; halving only at a quarter full never resizes here.

# %%
costs = {}
for rule, shrink_at in (("half", 0.5), ("quarter", 0.25)):
    a = DynamicArray(capacity=1, shrink_at=shrink_at)
    for _ in range(1025):
        a.append()
    start = a.copies
    for _ in range(500):
        a.pop()
        a.append()
    costs[rule] = (a.copies - start) / 1000
check(costs["half"] >= 1024, f"halving at half full: about n = 1024 copies per operation ({costs['half']:.0f})")
check(costs["quarter"] == 0, "halving at a quarter full: no copies at all in the same sequence")

# %% [markdown]
# A harder sequence for the quarter rule: visit every power-of-two boundary $2^k + 1$ for $k = 4, \dots, 16$ (growing, then shrinking), alternate pop and append 20 times at each, and end empty.
# The copies per operation stay below 2, while the half-full rule pays dozens.

# %%


def boundary_workload(shrink_at):
    a = DynamicArray(capacity=1, shrink_at=shrink_at)
    ops = 0
    targets = [2**k + 1 for k in range(4, 17)]
    for target in targets + targets[::-1] + [0]:
        while a.size < target:
            a.append()
            ops += 1
        while a.size > target:
            a.pop()
            ops += 1
        for _ in range(20 if target else 0):
            a.pop()
            a.append()
            ops += 2
    return a.copies / ops


per_op = {rule: boundary_workload(s) for rule, s in (("half", 0.5), ("quarter", 0.25))}
check(
    per_op["quarter"] < 2,
    f"quarter rule over all boundaries: {per_op['quarter']:.2f} copies per operation, O(1) amortised",
)
check(
    per_op["half"] > 20 * per_op["quarter"],
    f"half rule on the same sequence: {per_op['half']:.0f} copies per operation",
)

# %% [markdown]
# ## Memory: array versus linked-list nodes
#
# A node with a 4-byte integer and an 8-byte pointer, laid out by the C compiler's alignment rules, takes 16 bytes, four times the array's 4 bytes per element.

# %%


class Node(ctypes.Structure):
    _fields_ = [("value", ctypes.c_int32), ("next", ctypes.c_void_p)]


int_bytes, ptr_bytes = ctypes.sizeof(ctypes.c_int32), ctypes.sizeof(ctypes.c_void_p)
# Hand layout: the pointer starts at the next multiple of its alignment, and the struct is padded to it.
align = ctypes.alignment(ctypes.c_void_p)
hand_size = math.ceil((math.ceil(int_bytes / align) * align + ptr_bytes) / align) * align
check(
    ctypes.sizeof(Node) == hand_size,
    f"the C compiler's layout of the node ({ctypes.sizeof(Node)} bytes) matches the alignment rule",
)
bind("int_bytes", int_bytes)
bind("ptr_bytes", ptr_bytes)
bind("node_bytes", ctypes.sizeof(Node))
bind("node_vs_int", ctypes.sizeof(Node) / np.dtype(np.int32).itemsize)
n_ints = 1_000_000
packed = array.array("i", range(n_ints))  # a real contiguous array of C ints
bind("array_mb", sys.getsizeof(packed) / 1e6)
bind("list_mb", n_ints * ctypes.sizeof(Node) / 1e6)

# %% [markdown]
# ## CPython's list over-allocates by about one eighth
#
# The capacity of a list can be read from `sys.getsizeof`, which counts 8 bytes per slot; each time it changes during appends, the new capacity is compared with the size that triggered it.

# %%
base = sys.getsizeof([])
lst, last_cap, overs = [], 0, []
for i in range(200_000):
    lst.append(i)
    cap = (sys.getsizeof(lst) - base) // 8
    if cap != last_cap:
        if len(lst) > 10_000:
            overs.append((cap - len(lst)) / len(lst))
        last_cap = cap
check_close(np.mean(overs), 1 / 8, "a growing CPython list over-allocates by about 1/8 of the new size", atol=0.005)

# %% [markdown]
# ## The follow-up algorithms
#
# In-place reversal with three pointers, and Floyd's cycle detection with a slow and a fast pointer.

# %%


class ListNode:
    def __init__(self, value, nxt=None):
        self.value, self.next = value, nxt


def build(values):
    head = None
    for v in reversed(values):
        head = ListNode(v, head)
    return head


def to_list(head, limit=100):
    out = []
    while head is not None and len(out) < limit:
        out.append(head.value)
        head = head.next
    return out


def reverse(head):
    prev, curr = None, head
    while curr is not None:
        nxt = curr.next
        curr.next = prev
        prev, curr = curr, nxt
    return prev


def has_cycle(head):
    slow = fast = head
    while fast is not None and fast.next is not None:
        slow, fast = slow.next, fast.next.next
        if slow is fast:
            return True
    return False


check(
    to_list(reverse(build(list(range(10))))) == list(range(9, -1, -1)), "three-pointer reversal reverses a 10-node list"
)
check(reverse(None) is None and to_list(reverse(build([7]))) == [7], "reversal handles the empty and one-node lists")
head = build(list(range(10)))
check(not has_cycle(head), "Floyd: no cycle in a plain list")
tail = head
while tail.next is not None:
    tail = tail.next
tail.next = head.next.next.next  # close a cycle at node 3
check(has_cycle(head), "Floyd: the slow and fast pointers meet inside a cycle")

# %% [markdown]
# ## Figure: total writes for doubling versus constant growth

# %%
ns = np.arange(1, 401)
add_step = 8
bind("add_step", add_step)
doubling, additive = DynamicArray(capacity=1), DynamicArray(capacity=add_step, grow=lambda cap: cap + add_step)
w_dbl, w_add = [], []
for _ in ns:
    doubling.append()
    additive.append()
    w_dbl.append(doubling.writes)
    w_add.append(additive.writes)
check(np.all(np.array(w_dbl) < 3 * ns), "figure: the doubling array's total writes stay below 3n at every n")
check(
    w_add[-1] > 3 * w_dbl[-1], "figure: after 400 appends, growing by 8 slots has cost over three times as many writes"
)
fig, ax = plt.subplots()
ax.step(ns, w_dbl, where="post", color="C0", label="doubling (g = 2)")
ax.plot(ns, 3 * ns, "--", color="C0", alpha=0.6, label="bound 3n")
ax.step(ns, w_add, where="post", color="C1", label="grow by 8 slots")
ax.set_xlabel("number of appends n")
ax.set_ylabel("total element writes")
ax.set_ylim(0, 3 * ns[-1] * 1.6)
ax.legend(fontsize=9, loc="upper left")
save_figure(fig, "append-cost")
