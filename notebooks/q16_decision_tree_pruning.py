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
# # Decision-tree impurity and cost-complexity pruning
#
# The first figure draws the entropy, Gini and misclassification impurities of a two-class node; the second follows the cost-complexity pruning path of a tree on a noisy synthetic data set, with training and cross-validated accuracy against $\alpha$ and the $\alpha$ chosen by cross-validation.
# The checks prove the page's entropy and information-gain formulas (against a hand computation and scikit-learn's chosen root split), the weakest-link formula $\alpha = \frac{R(t) - R(T_t)}{\lvert \text{leaves}(T_t) \rvert - 1}$ (by rebuilding scikit-learn's whole pruning path), and the fact that the nested sequence contains the subtree minimising $R_\alpha(T) = R(T) + \alpha \lvert \text{leaves}(T) \rvert$ for every $\alpha$.

# %%
import numpy as np
import matplotlib.pyplot as plt
from scipy.special import entr
from scipy.stats import entropy as scipy_entropy
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.tree import DecisionTreeClassifier

from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## Impurity functions
#
# For class proportions $p_1, \dots, p_K$ in a node: entropy $H = -\sum_k p_k \log_2 p_k$ (bits, with $0 \log_2 0 = 0$), Gini $G = \sum_k p_k (1 - p_k) = 1 - \sum_k p_k^2$, misclassification error $E = 1 - \max_k p_k$.
# The information of an outcome of probability $p$ is $-\log_2 p$ bits, so entropy is the expected information.


# %%
def entropy_bits(counts):
    p = np.asarray(counts, dtype=float)
    p = p[p > 0] / p.sum()
    return float(-(p * np.log2(p)).sum())


def gini(counts):
    p = np.asarray(counts, dtype=float) / np.sum(counts)
    return float(1 - (p**2).sum())


# Our helpers against independent routes, on random class distributions (including empty classes and K up to 6):
# entropy against scipy.stats.entropy(base=2); Gini against its definition, the probability that two draws with
# replacement from the node differ, estimated by simulation (tolerance: 4 binomial standard errors).
rng_check = np.random.default_rng(1)
m_draws = 200_000
for _ in range(5):
    k = int(rng_check.integers(2, 7))
    counts = rng_check.integers(0, 20, size=k)
    counts[0] += 1  # at least one example
    check_close(entropy_bits(counts), scipy_entropy(counts, base=2), f"entropy in bits = scipy's, counts {counts}")
    p = counts / counts.sum()
    a, b = rng_check.choice(k, size=m_draws, p=p), rng_check.choice(k, size=m_draws, p=p)
    g_mc = np.mean(a != b)
    se = np.sqrt(g_mc * (1 - g_mc) / m_draws)
    check_close(gini(counts), g_mc, f"Gini = P(two draws differ), simulated, counts {counts}", atol=4 * se + 1e-12)
check_close(entropy_bits([1, 1, 1, 1]), np.log2(4), "four equally likely classes reach the maximum log2 K")
rand_p = rng_check.dirichlet(np.ones(4), size=1000)
check(
    bool(np.all(scipy_entropy(rand_p.T, base=2) <= np.log2(4) + 1e-12)), "no 4-class distribution exceeds log2 K bits"
)

p_grid = np.linspace(0, 1, 1001)
H_curve = np.array([entropy_bits([p, 1 - p]) for p in p_grid])
G_curve = 2 * p_grid * (1 - p_grid)
E_curve = 1 - np.maximum(p_grid, 1 - p_grid)
# Caption: all three are zero at pure nodes and largest at p = 0.5, where the entropy is 1 bit (scipy's entropy).
H_scipy = scipy_entropy(np.c_[p_grid, 1 - p_grid].T, base=2)
check_close(H_curve, H_scipy, "binary entropy curve = scipy's", atol=1e-12)
for curve, label in [(H_scipy, "entropy"), (G_curve, "Gini"), (E_curve, "misclassification")]:
    check(curve[0] == 0 and curve[-1] == 0, f"{label} is zero for pure nodes")
check(len({int(np.argmax(c)) for c in (H_scipy, G_curve, E_curve)}) == 1, "all three impurities peak at the same p")
bind("p_max_impurity", p_grid[int(np.argmax(H_scipy))])
bind("h_max_bits", H_scipy.max())

# Concavity (page): any split that changes the class proportions has a positive entropy and Gini decrease, while the
# misclassification decrease is often exactly zero. Random two-way splits of random two-class parents:
n_trials, zero_misclass, nonpositive, changed = 2000, 0, 0, 0
for _ in range(n_trials):
    left_counts = rng_check.integers(1, 50, size=2)
    right_counts = rng_check.integers(1, 50, size=2)
    if left_counts[0] * right_counts.sum() == right_counts[0] * left_counts.sum():
        continue  # same proportions in both children: no change, gain exactly 0
    parent = left_counts + right_counts
    nl, nr = left_counts.sum(), right_counts.sum()
    ig = entropy_bits(parent) - (nl * entropy_bits(left_counts) + nr * entropy_bits(right_counts)) / (nl + nr)
    gd = gini(parent) - (nl * gini(left_counts) + nr * gini(right_counts)) / (nl + nr)
    md = (1 - parent.max() / parent.sum()) - ((nl - left_counts.max()) + (nr - right_counts.max())) / (nl + nr)
    changed += 1
    nonpositive += ig <= 0 or gd <= 0
    zero_misclass += abs(md) < 1e-12
check(nonpositive == 0, f"all {changed} splits that change the proportions have positive entropy and Gini decrease")
check(
    zero_misclass > 0.1 * n_trials, f"misclassification decrease is exactly 0 in {zero_misclass} of {n_trials} splits"
)

fig, ax = plt.subplots()
ax.plot(p_grid, H_curve, label=r"entropy $H(p)$ (bits)")
ax.plot(p_grid, G_curve, label=r"Gini $2p(1-p)$")
ax.plot(p_grid, E_curve, label=r"misclassification $1 - \max(p, 1-p)$")
ax.plot([0.5], [1.0], "ko", ms=5)
ax.annotate("H(0.5) = 1 bit", (0.5, 1.0), xytext=(10, -4), textcoords="offset points")
_ = ax.set_xlabel(r"proportion $p$ of class $C_1$ in the node")
_ = ax.set_ylabel("impurity")
_ = ax.set_title("Impurity of a two-class node")
_ = ax.set_ylim(0, 1.12)
_ = ax.legend(fontsize=9, loc="lower center")
save_figure(fig, "entropy")

# %% [markdown]
# ## Worked example from the page
#
# A node holds 5 positive and 5 negative examples; a binary feature splits it into (4 positive, 1 negative) and (1 positive, 4 negative).
# Information gain $= H(\text{parent}) - \sum_{c} \frac{n_c}{n} H(c)$; the Gini decrease is the same with $G$ in place of $H$.
# scikit-learn's depth-1 tree must find the same split and store the same impurities.
# The page also computes one weakest-link value: a branch whose root would misclassify 6 of $n = 100$ training points as a leaf, while its 3 leaves misclassify 2.
# It also repeats the classic argument for growing with entropy or Gini: two splits of a (400, 400) node that the misclassification rate cannot tell apart.

# %%
x_toy = np.array([0] * 5 + [1] * 5, dtype=float).reshape(-1, 1)
y_toy = np.array([1, 1, 1, 1, 0, 1, 0, 0, 0, 0])
n_toy = len(y_toy)
bind("toy_pos", y_toy.sum())
bind("toy_neg", n_toy - y_toy.sum())
bind("toy_left_pos", y_toy[:5].sum())
bind("toy_left_neg", 5 - y_toy[:5].sum())
H_parent, H_child = entropy_bits([5, 5]), entropy_bits([4, 1])
ig_toy = H_parent - 0.5 * H_child - 0.5 * entropy_bits([1, 4])
gini_drop = gini([5, 5]) - 0.5 * gini([4, 1]) - 0.5 * gini([1, 4])
# Independent route: scikit-learn's depth-1 trees with each criterion store the node impurities and sizes.
st_h = DecisionTreeClassifier(criterion="entropy", max_depth=1, random_state=0).fit(x_toy, y_toy).tree_
st_g = DecisionTreeClassifier(criterion="gini", max_depth=1, random_state=0).fit(x_toy, y_toy).tree_


def tree_decrease(tr):
    return tr.impurity[0] - (tr.n_node_samples[1] * tr.impurity[1] + tr.n_node_samples[2] * tr.impurity[2]) / n_toy


check_close(st_h.impurity, [H_parent, H_child, H_child], "sklearn stores the same node entropies, in bits")
check_close(st_g.impurity, [gini([5, 5]), gini([4, 1]), gini([1, 4])], "sklearn stores the same node Gini values")
check_close(tree_decrease(st_h), ig_toy, "information gain: hand = sklearn's entropy tree", name="toy_ig")
check_close(tree_decrease(st_g), gini_drop, "Gini decrease: hand = sklearn's Gini tree", name="toy_gini_drop")
bind("toy_h_parent", st_h.impurity[0])
bind("toy_g_parent", st_g.impurity[0])
bind("toy_h_child", st_h.impurity[1])
bind("toy_g_child", st_g.impurity[1])
p_child = y_toy[:5].mean()
bind("toy_p", p_child)
# The two terms of H(0.8), from scipy's entr(p) = -p ln p, converted to bits.
terms = entr(np.array([p_child, 1 - p_child])) / np.log(2)
check_close(terms.sum(), st_h.impurity[1], "the two entropy terms add up to sklearn's child entropy")
bind("toy_h_term1", terms[0])
bind("toy_h_term2", terms[1])


# Why trees are grown with entropy or Gini, not the misclassification rate: a parent with (400, 400)
# split into A = (300, 100) + (100, 300) or B = (200, 400) + (200, 0).
def weighted(f, children):
    total = sum(sum(c) for c in children)
    return sum(sum(c) / total * f(c) for c in children)


def misclass(counts):
    return 1 - max(counts) / sum(counts)


split_A, split_B = [(300, 100), (100, 300)], [(200, 400), (200, 0)]


def split_as_data(children):
    """A data set whose single binary feature realises the split: child c gets x = c."""
    xs = np.concatenate([np.full(sum(c), i, dtype=float) for i, c in enumerate(children)]).reshape(-1, 1)
    ys = np.concatenate([np.r_[np.ones(c[0]), np.zeros(c[1])] for c in children]).astype(int)
    return xs, ys


# Independent route: a scikit-learn stump on the data that realises each split; its training error is the weighted
# misclassification rate, and its stored child impurities give the weighted Gini.
w_gini, w_mis = {}, {}
for label, children in [("A", split_A), ("B", split_B)]:
    xs, ys = split_as_data(children)
    st = DecisionTreeClassifier(criterion="gini", max_depth=1).fit(xs, ys)
    tr = st.tree_
    w_gini[label] = (tr.n_node_samples[1] * tr.impurity[1] + tr.n_node_samples[2] * tr.impurity[2]) / len(ys)
    w_mis[label] = 1 - st.score(xs, ys)
    check_close(w_gini[label], weighted(gini, children), f"weighted Gini of split {label}: hand = sklearn")
    check_close(
        w_mis[label], weighted(misclass, children), f"weighted misclassification of split {label}: hand = sklearn"
    )
check_close(w_mis["A"], w_mis["B"], "misclassification rate cannot tell the two splits apart")
check(
    weighted(gini, split_B) < weighted(gini, split_A)
    and weighted(entropy_bits, split_B) < weighted(entropy_bits, split_A),
    "Gini and entropy prefer split B, which creates a pure node",
)
bind("split_misclass", w_mis["A"])
bind("split_gini_a", w_gini["A"])
bind("split_gini_b", w_gini["B"])

# Weakest link for a branch: R(t) = 6/100 if t were a leaf, its 3 leaves misclassify 2/100 in total.
# Formula against a brute-force search: the smallest alpha on a fine grid at which collapsing is no worse.
wl_n, wl_err_leaf, wl_err_branch, wl_leaves = 100, 6, 2, 3
alpha_toy = (wl_err_leaf / wl_n - wl_err_branch / wl_n) / (wl_leaves - 1)
a_grid = np.linspace(0, 0.1, 100_001)
collapse_ok = wl_err_leaf / wl_n + a_grid <= wl_err_branch / wl_n + a_grid * wl_leaves + 1e-15
check_close(alpha_toy, a_grid[np.argmax(collapse_ok)], "weakest-link formula = brute-force switch point", atol=1e-6)
for name, value in [
    ("wl_n", wl_n),
    ("wl_err_leaf", wl_err_leaf),
    ("wl_err_branch", wl_err_branch),
    ("wl_leaves", wl_leaves),
    ("wl_r_leaf", wl_err_leaf / wl_n),
    ("wl_r_branch", wl_err_branch / wl_n),
    ("wl_alpha", alpha_toy),
]:
    bind(name, value)

# Horizon effect (page): on an exclusive-or target every single axis split has (near) zero gain, so pre-pruning with
# a small min_impurity_decrease stops at the root, while the fully grown tree separates the classes.
X_xor = rng_check.uniform(-1, 1, size=(2000, 2))
y_xor = ((X_xor[:, 0] > 0) ^ (X_xor[:, 1] > 0)).astype(int)
pre = DecisionTreeClassifier(criterion="entropy", min_impurity_decrease=0.01, random_state=0).fit(X_xor, y_xor)
grown = DecisionTreeClassifier(criterion="entropy", random_state=0).fit(X_xor, y_xor)
check(pre.tree_.node_count == 1, "XOR: pre-pruning at min_impurity_decrease = 0.01 refuses the first split")
check(grown.score(X_xor, y_xor) == 1.0 and grown.get_depth() >= 2, "XOR: the grown tree separates the classes")

# %% [markdown]
# ## The best root split on real data, by hand and by scikit-learn
#
# The data: 600 points from `make_classification` with $d = 8$ features (4 informative, 2 redundant) and `flip_y=0.1`, which reassigns 10 % of the labels uniformly at random (so about half of those, 5 %, actually change class), so a fully grown tree must fit noise.
# On the training part (70 %) we try every feature and every midpoint between consecutive distinct values, and keep the split with the largest information gain.
# scikit-learn stores inputs as 32-bit floats, so we do the same before computing midpoints.

# %%
n_samples, n_features, flip_y, test_size = 600, 8, 0.1, 0.3
X, y = make_classification(
    n_samples=n_samples, n_features=n_features, n_informative=4, n_redundant=2, flip_y=flip_y, random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, stratify=y, random_state=0)
bind("n_samples", n_samples)
bind("n_features", n_features)
bind("flip_y_pct", 100 * flip_y)
bind("train_pct", 100 * (1 - test_size))
# How many labels flip_y actually changes: the same big sample with and without flip_y (no shuffle, so rows align).
big = dict(n_samples=200_000, n_features=n_features, n_informative=4, n_redundant=2, shuffle=False, random_state=1)
_, y_clean = make_classification(flip_y=0.0, **big)
_, y_noisy = make_classification(flip_y=flip_y, **big)
frac_changed = np.mean(y_clean != y_noisy)
se_changed = np.sqrt(flip_y / 2 * (1 - flip_y / 2) / big["n_samples"])
check_close(
    frac_changed,
    flip_y / 2,
    "flip_y reassigns labels at random, so only about half of them change",
    atol=4 * se_changed,
)
bind("flipped_pct", 100 * frac_changed)
X32 = X_train.astype(np.float32)
n_train = len(y_train)


def best_split_by_hand(X, y):
    """Largest information gain over all features and midpoints: (gain, feature, threshold, gains)."""
    n = len(y)
    H0 = entropy_bits(np.bincount(y))
    all_gains = []
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        xs, ys = X[order, j], y[order]
        pos_left = np.cumsum(ys)[:-1]  # positives among the first i+1 sorted values
        n_left = np.arange(1, n)
        valid = xs[1:] > xs[:-1]  # a threshold can only fall between distinct values
        p_l = pos_left / n_left
        p_r = (ys.sum() - pos_left) / (n - n_left)
        with np.errstate(divide="ignore", invalid="ignore"):

            def h(p):
                return -np.nan_to_num(p * np.log2(p)) - np.nan_to_num((1 - p) * np.log2(1 - p))

            gain = H0 - (n_left / n) * h(p_l) - ((n - n_left) / n) * h(p_r)
        for i in np.flatnonzero(valid):
            thr = xs[i] / 2.0 + xs[i + 1] / 2.0  # float64 midpoint of float32 values, as sklearn does
            all_gains.append((gain[i], j, thr))
    all_gains.sort(key=lambda g: -g[0])
    return all_gains[0], all_gains


(best_gain, best_j, best_thr), ranked = best_split_by_hand(X32, y_train)
second_gain = next(g for g, j, t in ranked if (j, t) != (best_j, best_thr))
check(best_gain - second_gain > 1e-6, f"the best root split is unique (gain {best_gain:.4f} bits vs {second_gain:.4f})")

root = DecisionTreeClassifier(criterion="entropy", max_depth=1, random_state=0).fit(X_train, y_train)
t = root.tree_
check(t.feature[0] == best_j, f"sklearn's root uses the hand-picked feature (x_{best_j})")
check_close(t.threshold[0], best_thr, "sklearn's root threshold equals the hand-computed midpoint", rtol=1e-7)
check_close(
    t.impurity[0],
    entropy_bits(np.bincount(y_train)),
    "root impurity = entropy of the training labels (bits)",
    rtol=1e-12,
)
n_l, n_r = t.n_node_samples[1], t.n_node_samples[2]
sk_gain = t.impurity[0] - (n_l / n_train) * t.impurity[1] - (n_r / n_train) * t.impurity[2]
check_close(
    sk_gain, best_gain, "impurity decrease from sklearn's tree_.impurity = hand-computed information gain", rtol=1e-9
)

# %% [markdown]
# ## Pre-pruning: a split is made only if its impurity decrease reaches the threshold
#
# scikit-learn's `min_impurity_decrease` splits a node $t$ only if $\frac{n_t}{n}\big(\text{impurity}(t) - \frac{n_{t_L}}{n_t}\text{impurity}(t_L) - \frac{n_{t_R}}{n_t}\text{impurity}(t_R)\big)$ is at least the threshold.
# At the root $n_t = n$, so the weighted decrease is the information gain above: a threshold just above it must leave the root unsplit, and one just below it must allow the split.

# %%
above = DecisionTreeClassifier(
    criterion="entropy", max_depth=1, min_impurity_decrease=best_gain + 1e-6, random_state=0
).fit(X_train, y_train)
below = DecisionTreeClassifier(
    criterion="entropy", max_depth=1, min_impurity_decrease=best_gain - 1e-6, random_state=0
).fit(X_train, y_train)
check(above.tree_.node_count == 1, "pre-pruning: no split when the best impurity decrease is below the threshold")
check(below.tree_.node_count == 3, "pre-pruning: the split is made when the decrease is above the threshold")

# Below the root the threshold applies to the decrease weighted by the node's share n_t / n (the page's clause):
# a threshold between the weighted and the unweighted decrease of a depth-1 node must block that node's split.
d2 = DecisionTreeClassifier(criterion="entropy", max_depth=2, random_state=0).fit(X_train, y_train).tree_
node = d2.children_right[0]  # the smaller child, whose weighted decrease is far below its unweighted one
kids = d2.children_left[node], d2.children_right[node]
n_t = d2.n_node_samples[node]
unweighted = d2.impurity[node] - sum(d2.n_node_samples[c] * d2.impurity[c] for c in kids) / n_t
weighted_dec = n_t / n_train * unweighted
thr = (weighted_dec + min(unweighted, best_gain)) / 2
check(weighted_dec < thr < unweighted and thr < best_gain, "threshold between the weighted and unweighted decrease")
blocked = DecisionTreeClassifier(criterion="entropy", max_depth=2, min_impurity_decrease=thr, random_state=0)
bt = blocked.fit(X_train, y_train).tree_
check(
    bt.children_left[bt.children_right[0]] == -1 and bt.children_left[bt.children_left[0]] != -1,
    "min_impurity_decrease compares the threshold with the decrease weighted by the node's share",
)

# %% [markdown]
# ## Cost-complexity pruning: rebuild scikit-learn's path with the weakest-link formula
#
# scikit-learn uses $R(t) = \frac{n_t}{n} \times \text{impurity}(t)$ (Breiman et al. use the misclassification rate; the algorithm is the same).
# For every internal node $t$ of the current tree, $\alpha_{\text{eff}}(t) = \frac{R(t) - R(T_t)}{\lvert \text{leaves}(T_t) \rvert - 1}$, where $T_t$ is the branch rooted at $t$ and $R(T_t)$ sums $R$ over its leaves.
# Repeatedly collapsing the node with the smallest $\alpha_{\text{eff}}$ gives the nested sequence of trees and the breakpoints $\alpha_1 \le \alpha_2 \le \dots$, ending at the root alone.

# %%
full = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)  # Gini, grown until pure
path = full.cost_complexity_pruning_path(X_train, y_train)
ft = full.tree_
left, right = ft.children_left, ft.children_right
r_node = ft.n_node_samples / n_train * ft.impurity


def weakest_link_path():
    is_leaf = left == -1  # leaves of the current (pruned) tree
    alive = np.ones(ft.node_count, dtype=bool)
    alphas, impurities = [0.0], []

    def branch(t):  # (R(T_t), number of leaves of T_t) in the current tree
        if is_leaf[t]:
            return r_node[t], 1
        r_l, n_l = branch(left[t])
        r_r, n_r = branch(right[t])
        return r_l + r_r, n_l + n_r

    impurities.append(branch(0)[0])
    while not is_leaf[0]:
        best_alpha, best_node = np.inf, None
        for node in range(ft.node_count):
            if alive[node] and not is_leaf[node]:
                r_branch, n_leaves = branch(node)
                a = (r_node[node] - r_branch) / (n_leaves - 1)
                if a < best_alpha:
                    best_alpha, best_node = a, node
        stack = [left[best_node], right[best_node]]  # collapse: descendants leave the tree
        while stack:
            node = stack.pop()
            alive[node] = False
            if left[node] != -1:
                stack += [left[node], right[node]]
        is_leaf[best_node] = True
        alphas.append(best_alpha)
        impurities.append(branch(0)[0])
    return np.array(alphas), np.array(impurities)


my_alphas, my_impurities = weakest_link_path()
print("number of leaves of the full tree:", full.get_n_leaves(), "| steps on the path:", len(path.ccp_alphas))
check(len(my_alphas) == len(path.ccp_alphas), "the weakest-link algorithm produces as many steps as sklearn's path")
check_close(my_alphas, path.ccp_alphas, "weakest-link alphas = sklearn ccp_alphas (whole path)", rtol=1e-9, atol=1e-15)
check_close(
    my_impurities,
    path.impurities,
    "total leaf impurity R(T) at each step = sklearn's path.impurities",
    rtol=1e-9,
    atol=1e-15,
)
internal = np.flatnonzero(left != -1)


def branch_full(t):
    if left[t] == -1:
        return r_node[t], 1
    a, b = branch_full(left[t])
    c, e = branch_full(right[t])
    return a + c, b + e


first_alpha = min((r_node[t] - branch_full(t)[0]) / (branch_full(t)[1] - 1) for t in internal)
check_close(
    first_alpha,
    path.ccp_alphas[path.ccp_alphas > 0][0],
    "min over internal nodes of the weakest-link formula = sklearn's first non-zero ccp_alpha",
    rtol=1e-9,
)
check(
    bool(np.all(np.diff(path.ccp_alphas) > 0)),
    "the alphas on the path are strictly increasing (tied nodes collapsed together)",
)

# %% [markdown]
# ## The sequence contains the optimal subtree for every alpha
#
# Breiman et al. prove that for each $\alpha$ the subtree minimising $R_\alpha(T) = R(T) + \alpha \lvert \text{leaves}(T) \rvert$ over all prunings of the full tree is one of the nested trees.
# We compute the true minimum by dynamic programming over all prunings, $\text{best}(t) = \min\big(R(t) + \alpha,\ \text{best}(t_L) + \text{best}(t_R)\big)$, and compare it with $R_\alpha$ of the tree scikit-learn returns for `ccp_alpha` $= \alpha$.


# %%
def best_cost(t, alpha):
    collapse = r_node[t] + alpha
    if left[t] == -1:
        return collapse
    return min(collapse, best_cost(left[t], alpha) + best_cost(right[t], alpha))


alpha_grid = np.unique(np.concatenate([path.ccp_alphas, (path.ccp_alphas[:-1] + path.ccp_alphas[1:]) / 2]))
max_gap = 0.0
leaves_seen = []
for a in alpha_grid:
    pruned = DecisionTreeClassifier(random_state=0, ccp_alpha=a).fit(X_train, y_train)
    pt = pruned.tree_
    pt_leaves = pt.children_left == -1
    r_alpha = (pt.n_node_samples[pt_leaves] / n_train * pt.impurity[pt_leaves]).sum() + a * pt_leaves.sum()
    max_gap = max(max_gap, abs(r_alpha - best_cost(0, a)))
    leaves_seen.append(pruned.get_n_leaves())
check(
    max_gap < 1e-12,
    f"for {len(alpha_grid)} values of alpha, sklearn's pruned tree attains the minimum of R_alpha over all subtrees",
)
check(
    bool(np.all(np.diff(leaves_seen) <= 0)) and leaves_seen[-1] == 1,
    "larger alpha never adds leaves, and the last tree is the root alone",
)

# %% [markdown]
# ## Choosing alpha by cross-validation, not on the training set
#
# Training accuracy can only fall as the tree is pruned (merging leaves never increases the number of correctly classified training points), so it always prefers $\alpha = 0$.
# We pick $\alpha$ by 5-fold cross-validation on the training set and keep the test set for a final look.

# %%
alphas = path.ccp_alphas[:-1]  # drop the last alpha: it leaves only the root
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
train_acc, cv_mean, cv_se, test_acc, n_leaves = [], [], [], [], []
for a in alphas:
    model = DecisionTreeClassifier(random_state=0, ccp_alpha=a)
    scores = cross_val_score(model, X_train, y_train, cv=cv)
    model.fit(X_train, y_train)
    train_acc.append(model.score(X_train, y_train))
    test_acc.append(model.score(X_test, y_test))
    cv_mean.append(scores.mean())
    cv_se.append(scores.std(ddof=1) / np.sqrt(len(scores)))
    n_leaves.append(model.get_n_leaves())
train_acc, cv_mean, cv_se, test_acc = map(np.array, (train_acc, cv_mean, cv_se, test_acc))
best = int(np.argmax(cv_mean))
alpha_cv = alphas[best]
print(
    f"chosen alpha = {alpha_cv:.5f}: {n_leaves[best]} leaves (full tree {n_leaves[0]}), "
    f"CV accuracy {cv_mean[best]:.3f}, test accuracy {test_acc[best]:.3f} (full tree {test_acc[0]:.3f})"
)
check(alpha_cv > 0 and n_leaves[best] < n_leaves[0], "cross-validation picks a pruned tree (alpha > 0, fewer leaves)")
check(
    np.isclose(test_acc[best], test_acc.max()), "the held-out test accuracy is also at its best at the CV-chosen alpha"
)
check(test_acc[best] > test_acc[0], "the CV-chosen pruned tree beats the unpruned tree on the test set")
bind("cv_folds", cv.get_n_splits())
bind("leaves_full", n_leaves[0])
bind("leaves_cv", n_leaves[best])
bind("test_acc_full", test_acc[0])
bind("test_acc_cv", test_acc[best])

# Step 8's point is that held-out error, unlike training error, prefers pruning. Not one lucky split: over fresh
# train/validation splits of the training set, the validation optimum is a pruned tree (alpha > 0) almost always.
n_reseeds, pruned_wins = 20, 0
for seed in range(n_reseeds):
    X_a, X_v, y_a, y_v = train_test_split(X_train, y_train, test_size=0.3, stratify=y_train, random_state=100 + seed)
    path_s = DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(X_a, y_a)
    val_acc = [
        DecisionTreeClassifier(random_state=0, ccp_alpha=a).fit(X_a, y_a).score(X_v, y_v)
        for a in path_s.ccp_alphas[:-1]
    ]
    pruned_wins += path_s.ccp_alphas[int(np.argmax(val_acc))] > 0
check(pruned_wins >= 0.9 * n_reseeds, f"the validation optimum is pruned in {pruned_wins} of {n_reseeds} splits")
bind("n_reseeds", n_reseeds)
bind("reseed_pruned", pruned_wins)

fig, ax = plt.subplots()
ax.plot(alphas, train_acc, drawstyle="steps-post", marker="o", ms=3, label="training accuracy")
ax.plot(alphas, cv_mean, drawstyle="steps-post", marker="o", ms=3, label="5-fold CV accuracy")
ax.plot(alphas, test_acc, drawstyle="steps-post", ls=":", color="0.4", label="test accuracy (final check only)")
ax.axvline(alpha_cv, color="C3", ls="--", lw=1.2, label=rf"chosen $\alpha$ = {alpha_cv:.4f} ({n_leaves[best]} leaves)")
_ = ax.set_xlabel(r"complexity parameter $\alpha$ (ccp_alpha)")
_ = ax.set_ylabel("accuracy")
_ = ax.set_title("Cost-complexity pruning path (noisy synthetic data)")
_ = ax.legend(fontsize=8, loc="upper right")
save_figure(fig, "pruning-path")
