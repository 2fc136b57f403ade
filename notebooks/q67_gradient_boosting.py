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
# # Gradient boosting from scratch: functional gradient descent and the second-order split gain
#
# The notebook writes a small tree booster from scratch: exact greedy regression trees whose splits maximise the second-order gain $\frac{1}{2}\big[g_{I_L}^2/(s_{I_L} + \lambda) + g_{I_R}^2/(s_{I_R} + \lambda) - g_I^2/(s_I + \lambda)\big]$ and whose leaves take the Newton value $-g_I/(s_I + \lambda)$, where $g_I$ and $s_I$ are the sums of the first and second derivatives of the loss over a set $I$ of examples.
# The checks compare it with scikit-learn: with the squared loss it reproduces `GradientBoostingRegressor` (which fits trees to residuals), and with the log loss and an L2 penalty it reproduces `HistGradientBoostingClassifier` (which uses the same second-order gain).
# Further checks: twice the gain equals the drop in squared error that scikit-learn's tree reports; the closed-form leaf value and gain equal a numerical minimisation of the second-order objective; `GradientBoostingClassifier`'s leaves hold the Newton step; with the absolute loss the leaves hold medians (Friedman's line search); and shrinkage trades rounds for test error.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor, HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

# one OpenMP thread: the histogram booster's worker threads only spin on shared cores (results do not depend on it)
threadpool_limits(1)

rng = np.random.default_rng(0)

# %% [markdown]
# ## A second-order tree booster
#
# For each example, $g_i$ and $s_i$ are the first and second derivatives of the loss with respect to the current prediction $F(\mathbf{x}_i)$.
# A leaf holding the set $I$ of examples gets the value $v = -g_I/(s_I + \lambda)$ with $g_I = \sum_{i \in I} g_i$ and $s_I = \sum_{i \in I} s_i$.


# %%
def build_tree(X, g, s, depth, max_depth, lam, kappa=0.0, min_leaf=1):
    """Exact greedy tree on (g, s); returns a nested dict. Splits only if the gain is positive."""
    G, S = g.sum(), s.sum()
    leaf = {"value": -G / (S + lam)}
    n_node = len(g)
    if depth == max_depth or n_node < 2 * min_leaf:
        return leaf
    best = (0.0, None, None)
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        xs = X[order, j]
        GL, SL = np.cumsum(g[order])[:-1], np.cumsum(s[order])[:-1]
        GR, SR = G - GL, S - SL
        gain = 0.5 * (GL**2 / (SL + lam) + GR**2 / (SR + lam) - G**2 / (S + lam)) - kappa
        n_left = np.arange(1, n_node)
        ok = (xs[:-1] < xs[1:]) & (n_left >= min_leaf) & (n_node - n_left >= min_leaf)
        gain = np.where(ok, gain, -np.inf)
        k = int(np.argmax(gain))
        if gain[k] > best[0] + 1e-12:
            best = (gain[k], j, 0.5 * (xs[k] + xs[k + 1]))
    if best[1] is None:
        return leaf
    _, j, thr = best
    left = X[:, j] <= thr
    return {
        "feature": j,
        "threshold": thr,
        "gain": best[0],
        "left": build_tree(X[left], g[left], s[left], depth + 1, max_depth, lam, kappa, min_leaf),
        "right": build_tree(X[~left], g[~left], s[~left], depth + 1, max_depth, lam, kappa, min_leaf),
    }


def predict_tree(tree, X):
    if "feature" not in tree:
        return np.full(len(X), tree["value"])
    left = X[:, tree["feature"]] <= tree["threshold"]
    out = np.empty(len(X))
    out[left] = predict_tree(tree["left"], X[left])
    out[~left] = predict_tree(tree["right"], X[~left])
    return out


def boost(X, y, loss, n_rounds, eta, max_depth, lam=0.0, min_leaf=1):
    """Second-order boosting. loss='squared': L = (y - F)^2 / 2; loss='log': y in {0, 1}, F the log-odds."""
    F0 = y.mean() if loss == "squared" else np.log(y.mean() / (1 - y.mean()))
    F = np.full(len(y), F0)
    trees = []
    for _ in range(n_rounds):
        if loss == "squared":
            g, s = F - y, np.ones_like(y)
        else:
            p = expit(F)
            g, s = p - y, p * (1 - p)
        tree = build_tree(X, g, s, 0, max_depth, lam, min_leaf=min_leaf)
        F = F + eta * predict_tree(tree, X)
        trees.append(tree)
    return F0, trees


def predict_boost(model, X, eta):
    F0, trees = model
    return F0 + eta * sum(predict_tree(t, X) for t in trees)


# %% [markdown]
# ## Squared loss: the booster is scikit-learn's gradient boosting
#
# With $L = \frac{1}{2}(y - F)^2$, $g_i = F(\mathbf{x}_i) - y_i$ (minus the residual) and $s_i = 1$, so with $\lambda = 0$ the leaf value is the mean residual and the gain is half the drop in the sum of squared residuals: the trees are least-squares trees fitted to the residuals.

# %%
n_train, n_test = 300, 2000
bind("n_train", n_train)
bind("n_test", n_test)


noise_sd = 0.5


def make_data(m):
    X_ = rng.uniform(-3, 3, size=(m, 2)).astype(np.float32).astype(float)  # scikit-learn's trees compare in float32
    f_ = np.sin(1.5 * X_[:, 0]) + 0.5 * X_[:, 1] ** 2 * (X_[:, 0] > 0)
    return X_, f_ + rng.normal(scale=noise_sd, size=m)


X_tr, y_tr = make_data(n_train)
X_te, y_te = make_data(n_test)
eta_ref, depth_ref, rounds_ref = 0.1, 3, 50
for name_, val_ in (("eta_ref", eta_ref), ("depth_ref", depth_ref), ("rounds_ref", rounds_ref)):
    bind(name_, val_)
lam_sq = 0.0
bind("lam_sq", lam_sq)
mine_sq = boost(X_tr, y_tr, "squared", rounds_ref, eta_ref, depth_ref, lam=lam_sq)
gbr = GradientBoostingRegressor(
    loss="squared_error",
    learning_rate=eta_ref,
    max_depth=depth_ref,
    n_estimators=rounds_ref,
    random_state=0,
).fit(X_tr, y_tr)
check_close(
    predict_boost(mine_sq, X_tr, eta_ref),
    gbr.predict(X_tr),
    f"squared loss: the from-scratch second-order booster equals GradientBoostingRegressor on the {n_train} training points",
    rtol=1e-12,
    atol=1e-12,
)
# on new points the two differ only where two splits tie on the training data (same partition, different feature)
agree_te = np.mean(np.abs(predict_boost(mine_sq, X_te, eta_ref) - gbr.predict(X_te)) < 1e-9)
bind("agree_te_pct", 100 * agree_te)
check(agree_te > 0.99, f"and on {100 * agree_te:.2f}% of the {n_test} test points")


def same_partition(a, b):
    """True when two leaf labellings of the same points define the same partition."""
    pairs = set(zip(np.round(a, 12), b, strict=True))
    return len(pairs) == len(set(np.round(a, 12))) == len(set(b))


# the page's explanation of the disagreement: round by round, the two boosters' trees split the training points
# into the same leaves, so they can differ only in how a new point between training values is routed
check(
    all(same_partition(predict_tree(t, X_tr), gbr.estimators_[m, 0].apply(X_tr)) for m, t in enumerate(mine_sq[1])),
    f"in every one of the {rounds_ref} rounds the from-scratch tree and scikit-learn's tree partition the training points identically",
)

# twice the gain of the root split equals the drop in squared error that scikit-learn's first tree records
t0 = gbr.estimators_[0, 0].tree_
sse_drop = t0.impurity[0] * t0.n_node_samples[0] - (
    t0.impurity[t0.children_left[0]] * t0.n_node_samples[t0.children_left[0]]
    + t0.impurity[t0.children_right[0]] * t0.n_node_samples[t0.children_right[0]]
)
g0 = y_tr.mean() - y_tr
root = build_tree(X_tr, g0, np.ones(n_train), 0, 1, 0.0)
check_close(
    2 * root["gain"],
    sse_drop,
    "squared loss, lambda = 0: 2 x gain = drop in sum of squared residuals (sklearn impurity)",
    rtol=1e-9,
)
check(
    root["feature"] == t0.feature[0] and abs(root["threshold"] - t0.threshold[0]) < 1e-6,
    "the gain picks scikit-learn's root split",
)

# %% [markdown]
# ## The closed-form leaf value and gain against a numerical minimisation
#
# For a leaf with examples $I$, the second-order objective is $\sum_{i \in I}(g_i v + \frac{1}{2}s_i v^2) + \frac{1}{2}\lambda v^2$.
# Here $g_i$, $s_i$ come from the log loss at the prior log-odds, and the split is the root split found by the gain.

# %%
y_bin = (X_tr[:, 0] + 0.7 * X_tr[:, 1] + rng.normal(scale=1.0, size=n_train) > 0.3).astype(float)
lam_ex = 1.0
bind("lam_ex", lam_ex)
p0 = y_bin.mean()
g_b, s_b = np.full(n_train, p0) - y_bin, np.full(n_train, p0 * (1 - p0))
root_b = build_tree(X_tr, g_b, s_b, 0, 1, lam_ex)
left = X_tr[:, root_b["feature"]] <= root_b["threshold"]


def quad_obj(v, mask):
    return np.sum(g_b[mask] * v + 0.5 * s_b[mask] * v**2) + 0.5 * lam_ex * v**2


best_val = {}
for name_, mask in (("all", np.ones(n_train, bool)), ("left", left), ("right", ~left)):
    res = minimize(
        lambda v, m=mask: quad_obj(v[0], m), [0.0], method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14}
    )
    best_val[name_] = res.fun
    if name_ != "all":
        closed = -g_b[mask].sum() / (s_b[mask].sum() + lam_ex)
        check_close(res.x[0], closed, f"{name_} leaf: numerical minimiser = -g_I/(s_I + lambda)", rtol=1e-6)
check_close(
    best_val["all"] - best_val["left"] - best_val["right"],
    root_b["gain"],
    "gain = objective of the unsplit node minus those of the two leaves, each minimised numerically",
    rtol=1e-7,
)

# %% [markdown]
# ## Log loss with an L2 penalty: the booster is scikit-learn's histogram gradient boosting
#
# `HistGradientBoostingClassifier` uses the same second-order gain and Newton leaves with `l2_regularization` $= \lambda$.
# With at most `max_bins` distinct values per feature, its bins are exact, so its trees are exact greedy trees.

# %%
depth_hgb, rounds_hgb, eta_hgb, min_leaf_hgb = 2, 30, 0.3, 20
for name_, val_ in (
    ("depth_hgb", depth_hgb),
    ("rounds_hgb", rounds_hgb),
    ("eta_hgb", eta_hgb),
    ("min_leaf_hgb", min_leaf_hgb),
):
    bind(name_, val_)
n_hgb = 250  # at most max_bins = 255 distinct values per feature, so every value has its own bin
bind("n_hgb", n_hgb)
X_h, y_h = X_tr[:n_hgb], y_bin[:n_hgb]
mine_log = boost(X_h, y_h, "log", rounds_hgb, eta_hgb, depth_hgb, lam=lam_ex, min_leaf=min_leaf_hgb)
hgb = HistGradientBoostingClassifier(
    learning_rate=eta_hgb,
    max_iter=rounds_hgb,
    max_depth=depth_hgb,
    max_leaf_nodes=None,
    min_samples_leaf=min_leaf_hgb,
    l2_regularization=lam_ex,
    early_stopping=False,
    max_bins=255,
).fit(X_h, y_h)
check_close(
    predict_boost(mine_log, X_h, eta_hgb),
    hgb.decision_function(X_h),
    f"log loss, lambda = 1: the from-scratch booster's log-odds equal HistGradientBoostingClassifier's on the {n_hgb} training points",
    rtol=1e-6,
    atol=1e-6,
)
# (on new points they can differ slightly: scikit-learn puts a deep node's threshold midway between neighbouring
# values of the whole training set, the from-scratch tree midway between neighbouring values inside the node)
hgb_root_gain = hgb._predictors[0][0].nodes[0]["gain"]  # scikit-learn drops the factor 1/2
check_close(
    mine_log[1][0]["gain"],
    hgb_root_gain / 2,
    "the root gain 1/2[g_L^2/(s_L+lambda) + g_R^2/(s_R+lambda) - g_I^2/(s_I+lambda)] is half of scikit-learn's recorded gain",
    rtol=1e-5,
)

# GradientBoostingClassifier fits each tree to the residual y - p by least squares, then sets every leaf to the
# Newton step sum(y - p) / sum p(1 - p): the second-order value with lambda = 0.
gbc = GradientBoostingClassifier(learning_rate=0.1, n_estimators=1, max_depth=2, random_state=0).fit(X_tr, y_bin)
tr0 = gbc.estimators_[0, 0]
leaf_of = tr0.apply(X_tr)
newton = {j: -g_b[leaf_of == j].sum() / s_b[leaf_of == j].sum() for j in np.unique(leaf_of)}
check_close(
    np.array([tr0.tree_.value[j, 0, 0] for j in newton]),
    np.array(list(newton.values())),
    "GradientBoostingClassifier's leaf values are -g_I/s_I (Newton step, lambda = 0)",
    rtol=1e-9,
)

# absolute loss: the tree is fitted to sign(y - F), but each leaf holds the median residual (line search)
gba = GradientBoostingRegressor(
    loss="absolute_error", learning_rate=1.0, n_estimators=1, max_depth=2, random_state=0
).fit(X_tr, y_tr)
tra = gba.estimators_[0, 0]
resid = y_tr - np.median(y_tr)
leaf_a = tra.apply(X_tr)
leaf_ids = np.unique(leaf_a)
sk_vals = np.array([tra.tree_.value[j, 0, 0] for j in leaf_ids])
# a median minimises the sum of absolute deviations; with an even count any value between the two middle ones does
check_close(
    [np.abs(resid[leaf_a == j] - v).sum() for j, v in zip(leaf_ids, sk_vals, strict=True)],
    [np.abs(resid[leaf_a == j] - np.median(resid[leaf_a == j])).sum() for j in leaf_ids],
    "absolute loss: each leaf value minimises the absolute loss of its residuals, i.e. is a median (Friedman's line search)",
    rtol=1e-9,
)
# and its splits are least-squares splits on the negative gradient sign(y - F): the from-scratch tree on
# g = -sign(y - F), s = 1 partitions the training points exactly as scikit-learn's tree does
tree_sign = build_tree(X_tr, -np.sign(resid), np.ones(n_train), 0, 2, 0.0)
pairs = {(a_, round(b_, 12)) for a_, b_ in zip(leaf_a, predict_tree(tree_sign, X_tr), strict=True)}
check(
    len(pairs) == len(leaf_ids) == len({b_ for _, b_ in pairs}),
    "absolute loss: the tree is the least-squares tree fitted to sign(y - F) (same partition of the training set)",
)

# %% [markdown]
# ## Shrinkage and the number of rounds
#
# Test error of scikit-learn's booster (checked equal to ours above) for two learning rates, as the rounds grow.

# %%
eta_fast, eta_slow, n_rounds_max, depth_fig = 1.0, 0.1, 500, 3
for name_, val_ in (
    ("eta_fast", eta_fast),
    ("eta_slow", eta_slow),
    ("n_rounds_max", n_rounds_max),
    ("depth_fig", depth_fig),
):
    bind(name_, val_)
curves = {}
for eta_ in (eta_fast, eta_slow):
    m_ = GradientBoostingRegressor(
        learning_rate=eta_, max_depth=depth_fig, n_estimators=n_rounds_max, random_state=0
    ).fit(X_tr, y_tr)
    curves[eta_] = np.array([np.mean((y_te - p) ** 2) for p in m_.staged_predict(X_te)])
best_fast, best_slow = curves[eta_fast].min(), curves[eta_slow].min()
round_fast, round_slow = int(np.argmin(curves[eta_fast])) + 1, int(np.argmin(curves[eta_slow])) + 1
bind("best_mse_fast", best_fast)
bind("best_mse_slow", best_slow)
bind("round_fast", round_fast)
bind("round_slow", round_slow)
bind("final_mse_fast", curves[eta_fast][-1])
bind("noise_var", noise_sd**2)
check(
    best_slow < best_fast, f"the smaller learning rate reaches a lower test error ({best_slow:.3f} < {best_fast:.3f})"
)
check(round_slow > round_fast, f"but needs more rounds ({round_slow} > {round_fast})")
check(
    curves[eta_fast][-1] > best_fast * 1.05, "with eta = 1 the test error rises again after its minimum (overfitting)"
)

check(best_slow > noise_sd**2, "the best test error stays above the noise variance")

fig, ax = plt.subplots()
rounds = np.arange(1, n_rounds_max + 1)
ax.semilogx(rounds, curves[eta_fast], label=rf"$\eta$ = {eta_fast:g}")
ax.semilogx(rounds, curves[eta_slow], label=rf"$\eta$ = {eta_slow:g}")
ax.axhline(noise_sd**2, color="gray", ls="--", label=r"noise variance $\sigma^2$")
ax.plot([round_fast, round_slow], [best_fast, best_slow], "kv", ms=6, label="minimum")
ax.set_xlabel("boosting rounds M (log scale)")
ax.set_ylabel("test mean squared error")
ax.set_ylim(0, 1.2)
ax.legend(fontsize=9)
_ = ax.set_title(f"Depth-{depth_fig} trees, {n_train} training points", fontsize=10)
save_figure(fig, "shrinkage")

# %% [markdown]
# ## Functional gradient descent in one dimension
#
# The ensemble after 1, 10 and 100 rounds of depth-2 trees with $\eta = 0.1$ on a one-dimensional problem: each round adds a small step function fitted to the current residuals.

# %%
x1 = np.sort(rng.uniform(0, 6, 120)).astype(np.float32).astype(float)
y1 = np.sin(x1) + rng.normal(scale=0.3, size=120)
bind("n_1d", len(x1))
grid = np.linspace(0, 6, 600)[:, None]
fig, ax = plt.subplots()
ax.scatter(x1, y1, s=10, c="gray", alpha=0.6, label="data")
stages = (1, 10, 100)
bind("stage_a", stages[0])
bind("stage_b", stages[1])
bind("stage_c", stages[2])
eta_1d, depth_1d = 0.1, 2
bind("eta_1d", eta_1d)
bind("depth_1d", depth_1d)
m1 = boost(x1[:, None], y1, "squared", max(stages), eta_1d, depth_1d)
for k_, st in enumerate(stages):
    ax.plot(grid[:, 0], predict_boost((m1[0], m1[1][:st]), grid, eta_1d), lw=1.6, label=f"M = {st}", color=f"C{k_}")
ax.plot(grid[:, 0], np.sin(grid[:, 0]), "k--", lw=1, label="true f")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.legend(fontsize=9, ncol=2)
save_figure(fig, "stages")
