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
# # Matrix factorisation for recommendations: ALS and SGD on a synthetic ratings matrix
#
# We hide most entries of a noisy low-rank ratings matrix and recover them by minimising the regularised squared error over the observed entries, first by alternating least squares (ALS) and then by stochastic gradient descent (SGD).
# The checks prove the page's formulas: the closed-form ALS update is the least-squares solution and zeroes the gradient, ALS never increases the objective, the per-rating SGD steps add up to the full gradient, the implicit-feedback speed-up is exact, and the worked recall@N and NDCG@N numbers are right.

# %%
import numpy as np
import matplotlib.pyplot as plt
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import dcg_score, mean_squared_error, ndcg_score
from handbook_nb import bind, check, check_close, save_figure

# %% [markdown]
# ## A synthetic low-rank ratings matrix with missing entries
#
# Each of 150 users has a true taste vector and each of 100 items a true attribute vector, both of dimension $m = 3$ and drawn from $\mathcal{N}(0, 1)$.
# A rating is their inner product plus noise $\varepsilon \sim \mathcal{N}(0, \sigma^2)$ with $\sigma = 0.5$, and only 20% of the entries are observed.
# One observed entry in five is held out to measure how well the model predicts ratings it has not seen.

# %%
rng = np.random.default_rng(0)
n_users, n_items, k = 150, 100, 3
sigma = 0.5
P_true = rng.normal(size=(n_users, k))
Q_true = rng.normal(size=(n_items, k))
R = P_true @ Q_true.T + sigma * rng.normal(size=(n_users, n_items))

observed_frac, holdout_frac = 0.20, 0.20
observed = rng.random((n_users, n_items)) < observed_frac
held_out = observed & (rng.random((n_users, n_items)) < holdout_frac)
train = observed & ~held_out
n_train, n_test = int(train.sum()), int(held_out.sum())
print(f"{n_train} training ratings, {n_test} held-out ratings, {n_users * n_items} cells in total")
assert train.sum(axis=1).min() >= 1 and train.sum(axis=0).min() >= 1  # every row and column has a training rating
bind("n_users", n_users)
bind("n_items", n_items)
bind("true_rank", k)
bind("sigma", sigma)
bind("observed_pct", 100 * observed_frac)
bind("holdout_pct", 100 * holdout_frac)

# index lists: the items rated by each user and the users who rated each item
items_of = [np.flatnonzero(train[u]) for u in range(n_users)]
users_of = [np.flatnonzero(train[:, i]) for i in range(n_items)]
u_idx, i_idx = np.nonzero(train)
r_train = R[u_idx, i_idx]
u_test, i_test = np.nonzero(held_out)
r_test = R[u_test, i_test]

# %% [markdown]
# ## The objective
#
# With user factors $\mathbf{p}_u$ (rows of $\mathbf{P}$) and item factors $\mathbf{q}_i$ (rows of $\mathbf{Q}$), the training objective over the set $\mathcal{K}$ of observed pairs is
#
# $$
# J(\mathbf{P}, \mathbf{Q}) = \sum_{(u, i) \in \mathcal{K}} \left(r_{ui} - \mathbf{p}_u^\top \mathbf{q}_i\right)^2 + \lambda \Big( \sum_u \lVert \mathbf{p}_u \rVert_2^2 + \sum_i \lVert \mathbf{q}_i \rVert_2^2 \Big).
# $$
#
# We use $\lambda = 1$ and the true dimension $m = 3$ (the code calls it `k`).

# %%
lam = 1.0
bind("lam", lam)


def objective(P, Q):
    residual = r_train - np.sum(P[u_idx] * Q[i_idx], axis=1)
    return float(residual @ residual + lam * (np.sum(P**2) + np.sum(Q**2)))


def rmse(P, Q, users, items, ratings):
    return float(np.sqrt(np.mean((ratings - np.sum(P[users] * Q[items], axis=1)) ** 2)))


baseline_rmse = float(np.sqrt(np.mean((r_test - r_train.mean()) ** 2)))
dummy = DummyRegressor(strategy="mean").fit(np.zeros((n_train, 1)), r_train)
check_close(
    baseline_rmse,
    np.sqrt(mean_squared_error(r_test, dummy.predict(np.zeros((n_test, 1))))),
    "the mean-rating baseline agrees with scikit-learn's DummyRegressor",
    rtol=1e-12,
    name="baseline_rmse",
)
# The floor: the true factors themselves, on the same held-out ratings.
oracle_rmse = rmse(P_true, Q_true, u_test, i_test, r_test)
se_rmse = sigma / np.sqrt(2 * n_test)  # standard error of an RMSE of n_test N(0, sigma^2) errors
check_close(
    oracle_rmse,
    sigma,
    f"the true factors' held-out RMSE is sigma within 4 s.e.: {oracle_rmse:.3f} on this held-out set (4 s.e. = {4 * se_rmse:.3f})",
    atol=4 * se_rmse,
    rtol=0,
    name="oracle_rmse",
)

# %% [markdown]
# ## The ALS update and its checks
#
# With $\mathbf{Q}$ fixed, the objective restricted to user $u$ is a ridge regression of the ratings $\mathbf{r}_u$ on the factors $\mathbf{Q}_u$ of the items the user rated, whose minimiser is
#
# $$
# \mathbf{p}_u = \left(\mathbf{Q}_u^\top \mathbf{Q}_u + \lambda \mathbf{I}\right)^{-1} \mathbf{Q}_u^\top \mathbf{r}_u .
# $$
#
# The same update, with the roles swapped, gives each $\mathbf{q}_i$.


# %%
def als_half_step(F, index_lists, ratings_of):
    """Closed-form update of every row, given the other side's factors F."""
    out = np.empty((len(index_lists), F.shape[1]))
    for row, idx in enumerate(index_lists):
        F_row = F[idx]
        out[row] = np.linalg.solve(F_row.T @ F_row + lam * np.eye(F.shape[1]), F_row.T @ ratings_of(row, idx))
    return out


def user_ratings(u, idx):
    return R[u, idx]


def item_ratings(i, idx):
    return R[idx, i]


P0 = 0.1 * rng.normal(size=(n_users, k))
Q0 = 0.1 * rng.normal(size=(n_items, k))

# %% [markdown]
# Check 1: the closed form equals the least-squares solution of the stacked system $\begin{bmatrix} \mathbf{Q}_u \\ \sqrt{\lambda}\, \mathbf{I} \end{bmatrix} \mathbf{p} \approx \begin{bmatrix} \mathbf{r}_u \\ \mathbf{0} \end{bmatrix}$, whose squared residual is exactly the part of $J$ that depends on $\mathbf{p}_u$.
# Check 2: after the update, the gradient $-2 \mathbf{Q}_u^\top (\mathbf{r}_u - \mathbf{Q}_u \mathbf{p}_u) + 2 \lambda \mathbf{p}_u$ vanishes.

# %%
P1 = als_half_step(Q0, items_of, user_ratings)
P_lstsq = np.empty_like(P1)
grad_norms = []
for u, idx in enumerate(items_of):
    A = np.vstack([Q0[idx], np.sqrt(lam) * np.eye(k)])
    b = np.concatenate([R[u, idx], np.zeros(k)])
    P_lstsq[u] = np.linalg.lstsq(A, b, rcond=None)[0]
    grad = -2 * Q0[idx].T @ (R[u, idx] - Q0[idx] @ P1[u]) + 2 * lam * P1[u]
    grad_norms.append(np.linalg.norm(grad))
check_close(
    P1, P_lstsq, "closed-form ALS user update equals the least-squares solution (rtol 1e-8)", rtol=1e-8, atol=1e-12
)
check(max(grad_norms) < 1e-10, "the gradient of J with respect to each updated p_u is zero (max norm < 1e-10)")

# %% [markdown]
# ## Run ALS and record the objective after every half-step
#
# Each half-step minimises $J$ exactly over one block of variables, so $J$ can never increase.

# %%
n_sweeps = 25
P, Q = P0.copy(), Q0.copy()
als_J = [objective(P, Q)]
als_half_J = [objective(P, Q)]
als_test = [rmse(P, Q, u_test, i_test, r_test)]
for _sweep in range(n_sweeps):
    Q_prev = Q
    P = als_half_step(Q, items_of, user_ratings)
    als_half_J.append(objective(P, Q))
    Q = als_half_step(P, users_of, item_ratings)
    als_half_J.append(objective(P, Q))
    als_J.append(als_half_J[-1])
    als_test.append(rmse(P, Q, u_test, i_test, r_test))
als_half_J = np.array(als_half_J)
check(
    np.all(np.diff(als_half_J) <= 1e-9 * als_half_J[:-1]),
    "the ALS objective never increases, half-step by half-step (relative tolerance 1e-9)",
)
P_als, Q_als = P, Q
print(f"ALS: J from {als_J[0]:.1f} to {als_J[-1]:.1f}; held-out RMSE {als_test[-1]:.3f}")

# %% [markdown]
# ## SGD on the same objective
#
# Spread the regulariser over the ratings: user $u$ has $n_u$ training ratings and item $i$ has $n_i$, so
# $J = \sum_{(u,i) \in \mathcal{K}} \big[ (r_{ui} - \mathbf{p}_u^\top \mathbf{q}_i)^2 + \tfrac{\lambda}{n_u} \lVert \mathbf{p}_u \rVert_2^2 + \tfrac{\lambda}{n_i} \lVert \mathbf{q}_i \rVert_2^2 \big]$.
# With $e_{ui} = r_{ui} - \mathbf{p}_u^\top \mathbf{q}_i$, the negative gradient of one term gives the updates
# $\mathbf{p}_u \leftarrow \mathbf{p}_u + \eta (e_{ui} \mathbf{q}_i - \tfrac{\lambda}{n_u} \mathbf{p}_u)$ and $\mathbf{q}_i \leftarrow \mathbf{q}_i + \eta (e_{ui} \mathbf{p}_u - \tfrac{\lambda}{n_i} \mathbf{q}_i)$, with the factor 2 absorbed into $\eta$.
#
# Check 3: summing the per-rating gradients over $\mathcal{K}$ gives the gradient of $J$, which we compare with central finite differences.

# %%
n_u = train.sum(axis=1)
n_i = train.sum(axis=0)


def full_gradient_from_ratings(P, Q):
    gP, gQ = np.zeros_like(P), np.zeros_like(Q)
    e = r_train - np.sum(P[u_idx] * Q[i_idx], axis=1)
    for u, i, e_ui in zip(u_idx, i_idx, e, strict=False):
        gP[u] += -2 * e_ui * Q[i] + 2 * lam / n_u[u] * P[u]
        gQ[i] += -2 * e_ui * P[u] + 2 * lam / n_i[i] * Q[i]
    return gP, gQ


gP, gQ = full_gradient_from_ratings(P0, Q0)
h = 1e-6
fd = []
analytic = []
for _ in range(20):
    which = rng.integers(2)
    M = P0 if which == 0 else Q0
    row, col = rng.integers(M.shape[0]), rng.integers(k)
    Mp, Mm = M.copy(), M.copy()
    Mp[row, col] += h
    Mm[row, col] -= h
    Jp = objective(Mp, Q0) if which == 0 else objective(P0, Mp)
    Jm = objective(Mm, Q0) if which == 0 else objective(P0, Mm)
    fd.append((Jp - Jm) / (2 * h))
    analytic.append((gP if which == 0 else gQ)[row, col])
check_close(
    analytic,
    fd,
    "per-rating SGD gradients sum to the gradient of J (finite differences, rtol 1e-5)",
    rtol=1e-5,
    atol=1e-6,
)

# %%
eta = 0.03
n_epochs = 25
P, Q = P0.copy(), Q0.copy()
sgd_J = [objective(P, Q)]
sgd_test = [rmse(P, Q, u_test, i_test, r_test)]
for _epoch in range(n_epochs):
    for t in rng.permutation(n_train):
        u, i = u_idx[t], i_idx[t]
        e_ui = r_train[t] - P[u] @ Q[i]
        p_old = P[u].copy()
        P[u] += eta * (e_ui * Q[i] - lam / n_u[u] * P[u])
        Q[i] += eta * (e_ui * p_old - lam / n_i[i] * Q[i])
    sgd_J.append(objective(P, Q))
    sgd_test.append(rmse(P, Q, u_test, i_test, r_test))
print(f"SGD: J from {sgd_J[0]:.1f} to {sgd_J[-1]:.1f}; held-out RMSE {sgd_test[-1]:.3f}")

# %% [markdown]
# ## Numbers quoted on the page
#
# ALS reaches a held-out error close to the noise level $\sigma = 0.5$, far below the error of predicting the mean rating, and SGD ends close to it on the same objective.

# %%
print(f"ALS held-out RMSE {als_test[-1]:.2f}, SGD {sgd_test[-1]:.2f}, mean baseline {baseline_rmse:.2f}")
bind("n_sweeps", n_sweeps)
bind("n_epochs", n_epochs)
bind("eta", eta)
bind("als_rmse", als_test[-1])
bind("sgd_rmse", sgd_test[-1])
bind("sgd_als_gap_pct", 100 * abs(sgd_J[-1] - als_J[-1]) / als_J[-1])
# The final ALS user factors are ridge regressions: scikit-learn's Ridge (no intercept) must give the same vectors.
P_ridge = np.array(
    [Ridge(alpha=lam, fit_intercept=False).fit(Q_prev[idx], R[u, idx]).coef_ for u, idx in enumerate(items_of)]
)
check_close(
    P_als, P_ridge, "the last ALS user update equals scikit-learn's Ridge fit for every user", rtol=1e-6, atol=1e-9
)
check(
    oracle_rmse < als_test[-1] < baseline_rmse / 2,
    "ALS's held-out error lies between the true factors' and half the mean baseline's",
)
check(
    abs(sgd_J[-1] - als_J[-1]) / als_J[-1] < 0.02,
    "two different algorithms reach the same objective: SGD within 2% of ALS",
)

# %% [markdown]
# The shape of the curves, which the caption describes: ALS leaves the starting plateau in its first sweep, SGD sits on it for the first epochs, and ALS's held-out error first rises before it falls.

# %%
als_drop = 1 - als_J[1] / als_J[0]
sgd_drop = 1 - sgd_J[1] / sgd_J[0]
bind("als_first_drop_pct", 100 * als_drop)
bind("sgd_first_drop_pct", 100 * sgd_drop)
check(als_drop > 0.2 and sgd_drop < 0.01, f"first pass: ALS cuts J by {als_drop:.0%}, SGD by {sgd_drop:.1%}")
check(
    als_test[1] > als_test[0] and als_test[-1] < als_test[0],
    f"ALS's held-out RMSE first rises ({als_test[0]:.2f} -> {als_test[1]:.2f}), then falls to {als_test[-1]:.2f}",
)

# %% [markdown]
# ## The figure
#
# Left: the objective $J$ per ALS sweep (users then items) and per SGD epoch (one pass over the training ratings).
# Right: the held-out RMSE, with the noise level $\sigma$ (no model can beat an expected squared error of $\sigma^2$) and the mean-rating baseline for scale.

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.6), constrained_layout=True)
x = np.arange(n_sweeps + 1)
ax1.semilogy(x, als_J, marker="o", markersize=3, label="ALS")
ax1.semilogy(np.arange(n_epochs + 1), sgd_J, marker="s", markersize=3, label="SGD")
ax1.set_xlabel("sweep (ALS) or epoch (SGD)")
ax1.set_ylabel("training objective J")
_ = ax1.set_title("Objective")
ax1.legend()
ax2.plot(x, als_test, marker="o", markersize=3, label="ALS")
ax2.plot(np.arange(n_epochs + 1), sgd_test, marker="s", markersize=3, label="SGD")
ax2.axhline(sigma, color="black", linestyle="--", linewidth=1, label="noise level")
ax2.axhline(baseline_rmse, color="grey", linestyle=":", linewidth=1, label="predict mean")
ax2.set_xlabel("sweep (ALS) or epoch (SGD)")
ax2.set_ylabel("held-out RMSE")
_ = ax2.set_title("Held-out error")
ax2.legend(fontsize=8)
save_figure(fig, "mf-loss")

# %% [markdown]
# ## Implicit feedback: the speed-up of Hu, Koren and Volinsky is exact
#
# For implicit data every user-item pair enters the objective with a preference $z_{ui} = \mathbf{1}[r_{ui} > 0]$ and a confidence $c_{ui} = 1 + \alpha r_{ui}$.
# The user update is $\mathbf{p}_u = (\mathbf{Q}^\top \mathbf{C}^u \mathbf{Q} + \lambda \mathbf{I})^{-1} \mathbf{Q}^\top \mathbf{C}^u \mathbf{z}_u$ with $\mathbf{C}^u = \operatorname{diag}(c_{u1}, \dots)$ over all items.
# Because $c_{ui} = 1$ wherever $r_{ui} = 0$, $\mathbf{Q}^\top \mathbf{C}^u \mathbf{Q} = \mathbf{Q}^\top \mathbf{Q} + \mathbf{Q}^\top (\mathbf{C}^u - \mathbf{I}) \mathbf{Q}$, where the second term involves only the items the user interacted with, and $\mathbf{Q}^\top \mathbf{C}^u \mathbf{z}_u$ likewise.
# Check 4: the fast form equals the direct weighted least-squares solution.

# %%
alpha = 40.0
counts = rng.poisson(0.3, size=(n_users, n_items)) * (rng.random((n_users, n_items)) < 0.1)
QtQ = Q_als.T @ Q_als
direct, fast = [], []
for u in range(20):
    c = 1.0 + alpha * counts[u]
    z = (counts[u] > 0).astype(float)
    direct.append(np.linalg.solve(Q_als.T @ (c[:, None] * Q_als) + lam * np.eye(k), Q_als.T @ (c * z)))
    nz = np.flatnonzero(counts[u])
    Qn = Q_als[nz]
    A = QtQ + Qn.T @ ((c[nz] - 1.0)[:, None] * Qn) + lam * np.eye(k)
    fast.append(np.linalg.solve(A, Qn.T @ c[nz]))
check_close(
    fast,
    direct,
    "implicit ALS: the sparse form Q^T Q + Q^T (C^u - I) Q gives the same update (rtol 1e-10)",
    rtol=1e-10,
    atol=1e-12,
)

# %% [markdown]
# ## The worked ranking example
#
# A user has 4 relevant held-out items; the model's top 5 contains relevant items at ranks 1, 3 and 4.
# With binary relevance, $\mathrm{DCG@}N = \sum_{j=1}^{N} \mathrm{rel}_j / \log_2(j + 1)$, and the ideal ranking puts the 4 relevant items first.

# %%
# Ten candidate items scored in decreasing order; the relevant ones sit at ranks 1, 3, 4 and 7.
y_true = np.array([[1, 0, 1, 1, 0, 0, 1, 0, 0, 0]])
y_score = np.array([[10, 9, 8, 7, 6, 5, 4, 3, 2, 1]])
top_n = 5
order = np.argsort(-y_score[0])
hits = y_true[0][order[:top_n]]
n_relevant = int(y_true.sum())
recall5 = hits.sum() / n_relevant
precision5 = hits.sum() / top_n
# The page's hand formula: binary gains discounted by log2(rank + 1).
dcg5 = float(np.sum(hits / np.log2(np.arange(2, top_n + 2))))
idcg5 = float(np.sum(1 / np.log2(np.arange(2, min(n_relevant, top_n) + 2))))
ndcg5 = dcg5 / idcg5
print(
    f"recall@5 = {recall5:.2f}, precision@5 = {precision5:.2f}, DCG@5 = {dcg5:.4f}, IDCG@5 = {idcg5:.4f}, NDCG@5 = {ndcg5:.4f}"
)
bind("top_n", top_n)
bind("n_relevant", n_relevant)
bind("n_hits", hits.sum())
for j, rank in enumerate(np.flatnonzero(hits) + 1, start=1):
    bind(f"hit_rank_{j}", rank)
bind("recall5", recall5)
bind("precision5", precision5)
check_close(
    dcg_score(y_true, y_score, k=top_n),
    dcg5,
    "scikit-learn's dcg_score(k=5) gives the hand DCG@5",
    rtol=1e-12,
    name="dcg5",
)
check_close(
    dcg_score(y_true, y_true, k=top_n),
    idcg5,
    "scikit-learn's DCG of the ideal order gives the hand IDCG@5",
    rtol=1e-12,
    name="idcg5",
)
check_close(
    ndcg_score(y_true, y_score, k=top_n),
    ndcg5,
    "scikit-learn's ndcg_score(k=5) gives the hand NDCG@5",
    rtol=1e-12,
    name="ndcg5",
)
