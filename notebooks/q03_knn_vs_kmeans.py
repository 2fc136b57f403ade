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
# # k-nearest neighbours and k-means on the same data
#
# The same three Gaussian blobs are given to a k-nearest-neighbour classifier, which uses the labels, and to k-means, which does not.
# The figure shows the classifier's decision regions next to the clusters k-means finds.
# The checks test the page's claims about both algorithms: Lloyd's algorithm never increases its objective, the centroid update is the mean, the k-NN class probabilities are neighbour vote fractions, 1-NN fits its training set perfectly, and the small worked example of the page.

# %%
import matplotlib.pyplot as plt
import numpy as np
import warnings

from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import linear_sum_assignment, minimize
from scipy.special import logsumexp
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

# %% [markdown]
# ## The data
#
# Three classes of 60 points each, drawn from two-dimensional normal distributions with identity covariance and means $(0, 0)$, $(4, 0)$ and $(2, 3.5)$.
# The blobs overlap a little, so neither method can be perfect.

# %%
rng = np.random.default_rng(0)
means = np.array([[0.0, 0.0], [4.0, 0.0], [2.0, 3.5]])
n_per_class = 60
k_vote = 15  # neighbours of the classifier in the figure
X = np.vstack([m + rng.standard_normal(size=(n_per_class, 2)) for m in means])
y = np.repeat(np.arange(3), n_per_class)
n, d = X.shape

# %% [markdown]
# ## Lloyd's algorithm, written out
#
# The k-means objective is the within-cluster sum of squares
#
# $$
# J = \sum_{i=1}^{n} \lVert \mathbf{x}_i - \boldsymbol{\mu}_{c(i)} \rVert_2^2 ,
# $$
#
# where $c(i)$ is the cluster of example $i$ and $\boldsymbol{\mu}_j$ the centroid of cluster $j$.
# Lloyd's algorithm alternates an assignment step (each point to its nearest centroid) and an update step (each centroid to the mean of its points).
# We record $J$ after every half-step.


# %%
def objective(X, centers, labels):
    return float(np.sum((X - centers[labels]) ** 2))


def lloyd(X, init_centers, max_iter=100):
    centers = init_centers.copy()
    labels = None
    history = []  # J after each assignment step and after each update step
    steps = []  # (centres, assignment) after each half-step
    for _ in range(max_iter):
        dist2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        new_labels = dist2.argmin(axis=1)
        history.append(objective(X, centers, new_labels))
        steps.append((centers.copy(), new_labels))
        if labels is not None and np.array_equal(new_labels, labels):
            break  # assignments unchanged: converged
        labels = new_labels
        centers = np.array([X[labels == j].mean(axis=0) for j in range(len(centers))])
        history.append(objective(X, centers, labels))
        steps.append((centers.copy(), labels))
    lloyd.steps = steps
    return centers, labels, np.array(history)


K = 3  # number of clusters (and of classes)
init = X[rng.choice(n, size=K, replace=False)]  # Forgy initialisation: K distinct data points
centers, labels, history = lloyd(X, init)
print("objective after each half-step:", np.round(history, 2))

# %%
check(np.all(np.diff(history) <= 1e-9 * history[0]), "the k-means objective never increases over Lloyd half-steps")
check(history[-1] < history[0], "Lloyd's algorithm strictly lowered the objective from its start")

# %% [markdown]
# The same start in scikit-learn's `KMeans` (Lloyd variant, one initialisation) must reach the same centroids and the same objective, which scikit-learn calls `inertia_`.

# %%
km = KMeans(n_clusters=K, init=init, n_init=1, algorithm="lloyd", random_state=0).fit(X)
check_close(
    km.inertia_, objective(X, centers, labels), "hand-written Lloyd objective = scikit-learn KMeans inertia_", rtol=1e-9
)
check_close(
    km.cluster_centers_, centers, "hand-written Lloyd centroids = scikit-learn centroids", rtol=1e-9, atol=1e-12
)

# %% [markdown]
# ## Why the update step uses the mean
#
# Step 3 of the page says the mean is the unique minimiser of a cluster's sum of squared distances.
# We minimise that sum numerically (BFGS from a random start) for each final cluster and compare the minimiser with the cluster mean; the coordinate-wise median, a natural wrong answer, must give a larger sum.

# %%
for j in range(K):
    S = X[labels == j]
    res = minimize(
        lambda m, S=S: np.sum((S - m) ** 2), x0=rng.standard_normal(d), method="BFGS", options={"gtol": 1e-10}
    )
    check_close(
        res.x, S.mean(axis=0), f"cluster {j}: the numerical minimiser of the sum of squares is the mean", atol=1e-6
    )
    check(
        np.sum((S - np.median(S, axis=0)) ** 2) > np.sum((S - S.mean(axis=0)) ** 2),
        f"cluster {j}: the coordinate-wise median gives a larger sum of squares than the mean",
    )

# %% [markdown]
# ## The objective as a function of the number of clusters
#
# With $k = 1$ cluster the single centroid is the grand mean, so $J$ is the total sum of squares.
# More clusters can only lower the best achievable $J$, so $J$ alone cannot choose the number of clusters $k$.

# %%
inertias = [KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_ for k in range(1, 7)]
check_close(
    inertias[0],
    np.sum((X - X.mean(axis=0)) ** 2),
    "k = 1 cluster: k-means objective = total sum of squares around the grand mean",
    rtol=1e-9,
)
check(
    np.all(np.diff(inertias) < 0),
    "the best k-means objective found decreases as the number of clusters grows from 1 to 6",
)
print("best objective for k = 1..6:", np.round(inertias, 1))

# %% [markdown]
# ## k-nearest neighbours uses the labels
#
# The classifier with $k = 15$ predicts the majority class among the 15 training points nearest to a query.
# Its class probabilities are the vote fractions $k_j / k$, where $k_j$ counts the neighbours in class $C_j$.

# %%
knn = KNeighborsClassifier(n_neighbors=k_vote).fit(X, y)
queries = rng.uniform(X.min(axis=0), X.max(axis=0), size=(50, d))
_, idx = knn.kneighbors(queries)
vote_fractions = np.stack([(y[idx] == j).mean(axis=1) for j in range(K)], axis=1)
check_close(
    knn.predict_proba(queries),
    vote_fractions,
    "k-NN class probabilities = fraction of the k neighbours in each class",
    rtol=1e-12,
)

# %% [markdown]
# With $k = 1$ every training point is its own nearest neighbour (distance 0), so on distinct points the training accuracy is exactly 1: a training score says nothing about 1-NN.
# At the other end, $k = n$ consults every training point, so it predicts the overall majority class everywhere; we check it on an unbalanced subset (60, 40 and 20 points).

# %%
check(len(np.unique(X, axis=0)) == n, "the training points are distinct")
one_nn = KNeighborsClassifier(n_neighbors=1).fit(X, y)
one_nn_train_acc = one_nn.score(X, y)
check(one_nn_train_acc == 1.0, "1-NN training accuracy = 1.0 on distinct points")
bind("one_nn_train_acc", one_nn_train_acc)
subset = np.r_[0:60, 60:100, 120:140]
all_nn = KNeighborsClassifier(n_neighbors=subset.size).fit(X[subset], y[subset])
check(
    np.all(all_nn.predict(queries) == np.bincount(y[subset]).argmax()), "k = n predicts the majority class everywhere"
)

# %% [markdown]
# ## Cover and Hart: 1-NN error is at most twice the Bayes error, asymptotically
#
# Two classes with equal priors, $\mathcal{N}(\pm(\Delta/2)\mathbf{e}_1, \mathbf{I})$ in two dimensions with $\Delta = 2$: the Bayes error is $R^* = \Phi(-\Delta/2)$ and the Cover-Hart bound for two classes is $2R^*(1 - R^*)$.
# With 20,000 training and 20,000 test points the 1-NN test error must lie between $R^*$ and the bound, within 4 binomial standard errors.

# %%
n_ch = 20_000
delta = 2.0


def two_gaussians(m):
    labels_ch = rng.integers(0, 2, m)
    pts_ch = rng.standard_normal((m, 2))
    pts_ch[:, 0] += np.where(labels_ch == 1, delta / 2, -delta / 2)
    return pts_ch, labels_ch


Xa, ya = two_gaussians(n_ch)
Xb, yb = two_gaussians(n_ch)
err_1nn = np.mean(KNeighborsClassifier(n_neighbors=1).fit(Xa, ya).predict(Xb) != yb)
bayes = norm.cdf(-delta / 2)
se_ch = np.sqrt(err_1nn * (1 - err_1nn) / n_ch)
check(
    bayes - 4 * se_ch <= err_1nn <= 2 * bayes * (1 - bayes) + 4 * se_ch,
    f"1-NN error {err_1nn:.3f} lies between the Bayes error {bayes:.3f} and 2R*(1 - R*) = {2 * bayes * (1 - bayes):.3f}",
)

# %% [markdown]
# ## k-means as the small-variance limit of EM for a Gaussian mixture
#
# Bishop §9.3.2: EM for a mixture whose components share a fixed covariance $s^2\mathbf{I}$ (not re-estimated) and equal weights turns into Lloyd's algorithm as $s^2 \to 0$.
# We run that EM, written with soft responsibilities, from the same start as Lloyd's algorithm with $s^2 = 10^{-4}$, and compare its hard assignments and means with Lloyd's.

# %%
s2 = 1e-4
mu_em = init.copy()
for _ in range(200):
    log_r = -((X[:, None, :] - mu_em[None]) ** 2).sum(axis=2) / (2 * s2)
    resp = np.exp(log_r - logsumexp(log_r, axis=1, keepdims=True))
    mu_new = (resp.T @ X) / resp.sum(axis=0)[:, None]
    if np.allclose(mu_new, mu_em, atol=1e-12):
        break
    mu_em = mu_new
check(np.array_equal(resp.argmax(axis=1), labels), "EM with fixed small s^2: hard assignments = Lloyd's clusters")
check_close(mu_em, centers, "EM with fixed small s^2: means = Lloyd's centroids", atol=1e-8)

# %% [markdown]
# ## Comparing the clusters with the hidden labels
#
# Cluster numbers are arbitrary: k-means never saw the labels, so cluster 0 need not be class 0.
# The adjusted Rand index compares the two partitions without caring about names (1 is perfect agreement, about 0 is chance).
# For the figure we rename the clusters to their best-matching classes (Hungarian matching on the contingency table), only so that colours agree.

# %%
ari = adjusted_rand_score(y, labels)
contingency = np.array([[np.sum((labels == c) & (y == j)) for j in range(K)] for c in range(K)])
rows, cols = linear_sum_assignment(-contingency)
rename = dict(zip(rows, cols, strict=False))
matched = np.array([rename[c] for c in labels])
agreement = np.mean(matched == y)
print(f"adjusted Rand index = {ari:.3f}, agreement after renaming = {agreement:.3f}")
check(ari > 0.5, "k-means without labels agrees with the hidden classes far better than chance (ARI > 0.5)")
bind("n_per_class", n_per_class)
bind("k_vote", k_vote)
bind("n_clusters", K)
bind("ari", ari)
bind("n_matched", np.sum(matched == y))
bind("n_points", n)

# %% [markdown]
# ## Figure: decision regions with labels, clusters without
#
# Left: the 15-NN classifier colours the plane by predicted class; its boundary bends to follow the labelled points.
# Right: k-means colours the plane by nearest centroid; its boundaries are straight lines (a Voronoi partition), and the points are coloured by cluster, not by class.

# %%
gx, gy = np.meshgrid(
    np.linspace(X[:, 0].min() - 1, X[:, 0].max() + 1, 300), np.linspace(X[:, 1].min() - 1, X[:, 1].max() + 1, 300)
)
grid = np.column_stack([gx.ravel(), gy.ravel()])
knn_regions = knn.predict(grid).reshape(gx.shape)
km_regions = np.array([rename[c] for c in km.predict(grid)]).reshape(gx.shape)
levels = np.arange(K + 1) - 0.5
colors = ["C0", "C1", "C2"]

fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.6), sharey=True)
axes[0].contourf(gx, gy, knn_regions, levels=levels, colors=colors, alpha=0.2)
for j in range(K):
    axes[0].scatter(X[y == j, 0], X[y == j, 1], s=12, color=colors[j], label=f"class {j + 1}")
_ = axes[0].set_title("15-NN: labels given")
axes[1].contourf(gx, gy, km_regions, levels=levels, colors=colors, alpha=0.2)
for j in range(K):
    axes[1].scatter(X[matched == j, 0], X[matched == j, 1], s=12, color=colors[j], marker="s", label=f"cluster {j + 1}")
matched_centers = np.empty_like(centers)
for c in range(K):
    matched_centers[rename[c]] = centers[c]
axes[1].scatter(matched_centers[:, 0], matched_centers[:, 1], s=120, color="black", marker="X", label="centroids")
_ = axes[1].set_title("k-means, k = 3: no labels")
for ax in axes:
    _ = ax.set_xlabel("$x_1$")
    ax.set_aspect("equal")
_ = axes[0].set_ylabel("$x_2$")
for ax in axes:
    _ = ax.legend(
        fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, handletextpad=0.2, columnspacing=0.8
    )
save_figure(fig, "knn-vs-kmeans")

# %% [markdown]
# ## The worked example of the question page
#
# One-dimensional points $1, 2, 3, 8, 9, 10$, k-means with $k = 2$ clusters started from centroids $1$ and $2$.
# The hand-written algorithm records the centroids, the clusters and every squared distance after each half-step; the page's table is bound to these numbers.
# scikit-learn, run for one and then for all iterations from the same start, must give the same centroids and objective.

# %%
pts = np.array([[1.0], [2.0], [3.0], [8.0], [9.0], [10.0]])
start = np.array([[1.0], [2.0]])
ex_k = start.shape[0]  # clusters of the worked example
c_ex, l_ex, h_ex = lloyd(pts, start)
steps_ex = lloyd.steps
print("objective after each half-step:", h_ex)
check(
    np.all(np.diff(h_ex)[:3] < 0) and h_ex[-1] == h_ex[3],
    "worked example: J decreases at every half-step until the final assignment changes nothing",
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    one_iter = KMeans(n_clusters=ex_k, init=start, n_init=1, max_iter=1, algorithm="lloyd").fit(pts)
full = KMeans(n_clusters=ex_k, init=start, n_init=1, algorithm="lloyd").fit(pts)
check_close(
    one_iter.cluster_centers_, steps_ex[1][0], "worked example: first update = scikit-learn after one iteration"
)
check_close(
    one_iter.inertia_, h_ex[2], "worked example: J at the second assignment = scikit-learn inertia after one iteration"
)
check_close(full.cluster_centers_, c_ex, "worked example: final centroids = scikit-learn's")
check_close(full.inertia_, h_ex[-1], "worked example: final J = scikit-learn's inertia")
bind("ex_k", ex_k)
for step, ((cent, assign), J) in enumerate(zip(steps_ex[:4], h_ex[:4], strict=True), start=1):
    for j, value in enumerate(cent.ravel(), start=1):
        bind(f"s{step}_c{j}", value)
    for i, value in enumerate(((pts - cent[assign]) ** 2).ravel(), start=1):
        bind(f"s{step}_d{i}", value)
    bind(f"s{step}_j", J)
bind("final_j", h_ex[-1])

# %% [markdown]
# The same points with labels $A$ for $1, 2, 3$ and $B$ for $8, 9, 10$, and a query at $x = 5.2$.
# scikit-learn's neighbours, vote fractions and regression prediction are compared with the distances and the mean computed by hand with NumPy.

# %%
query = 5.2
ex_knn_k = 3  # neighbours of the worked example
labels_ab = np.array([0, 0, 0, 1, 1, 1])  # 0 = A, 1 = B
targets = np.array([10.0, 12.0, 14.0, 30.0, 32.0, 34.0])
clf3 = KNeighborsClassifier(n_neighbors=ex_knn_k).fit(pts, labels_ab)
dist, nb = clf3.kneighbors([[query]])
by_hand = np.argsort(np.abs(pts.ravel() - query))[:ex_knn_k]
check(
    np.array_equal(nb.ravel(), by_hand),
    "worked example: scikit-learn's 3 neighbours = the 3 smallest |x_i - x| by hand",
)
check_close(dist.ravel(), np.abs(pts.ravel()[by_hand] - query), "worked example: neighbour distances", rtol=1e-12)
p_a = clf3.predict_proba([[query]])[0, 0]
check_close(p_a, np.mean(labels_ab[by_hand] == 0), "worked example: P(A) = vote fraction", rtol=1e-12)
check(clf3.predict([[query]])[0] == 0, "worked example: 3-NN predicts A")
reg3 = KNeighborsRegressor(n_neighbors=ex_knn_k).fit(pts, targets)
pred3 = reg3.predict([[query]])[0]
check_close(
    pred3, targets[by_hand].mean(), "worked example: 3-NN regression = mean of the 3 neighbours' targets", rtol=1e-12
)
bind("ex_knn_k", ex_knn_k)
bind("query", query)
for i, (point, dist_i) in enumerate(zip(pts.ravel()[nb.ravel()], dist.ravel(), strict=True), start=1):
    bind(f"nb{i}", point)
    bind(f"nb{i}_dist", dist_i)
bind("p_a", p_a)
bind("pred3", pred3)
