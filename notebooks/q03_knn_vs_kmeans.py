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
# The checks prove the page's claims about both algorithms: Lloyd's algorithm never increases its objective, the centroid update is the mean, the k-NN class probabilities are neighbour vote fractions, 1-NN fits its training set perfectly, and the small worked example of the page.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import check, check_close, save_figure
from scipy.optimize import linear_sum_assignment
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
    for _ in range(max_iter):
        dist2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        new_labels = dist2.argmin(axis=1)
        history.append(objective(X, centers, new_labels))
        if labels is not None and np.array_equal(new_labels, labels):
            break  # assignments unchanged: converged
        labels = new_labels
        centers = np.array([X[labels == j].mean(axis=0) for j in range(len(centers))])
        history.append(objective(X, centers, labels))
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
# For a cluster $S$ with mean $\bar{\mathbf{x}}$ and any shift $\boldsymbol{\delta}$, $\sum_{i \in S} \lVert \mathbf{x}_i - \bar{\mathbf{x}} - \boldsymbol{\delta} \rVert_2^2 = \sum_{i \in S} \lVert \mathbf{x}_i - \bar{\mathbf{x}} \rVert_2^2 + \lvert S \rvert \, \lVert \boldsymbol{\delta} \rVert_2^2$, so the mean is the unique minimiser.
# We check the identity for random shifts of each final cluster.

# %%
lhs, rhs = [], []
for j in range(K):
    S = X[labels == j]
    base = np.sum((S - S.mean(axis=0)) ** 2)
    for delta in rng.standard_normal(size=(5, d)):
        lhs.append(np.sum((S - S.mean(axis=0) - delta) ** 2))
        rhs.append(base + len(S) * delta @ delta)
check_close(
    lhs, rhs, "every cluster, 5 random shifts: SS around (mean + shift) = SS around mean + |S| |shift|^2", rtol=1e-10
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
knn = KNeighborsClassifier(n_neighbors=15).fit(X, y)
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

# %%
check(len(np.unique(X, axis=0)) == n, "the training points are distinct")
one_nn = KNeighborsClassifier(n_neighbors=1).fit(X, y)
check(one_nn.score(X, y) == 1.0, "1-NN training accuracy = 1.0 on distinct points")

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
check_close(ari, 0.870, "adjusted Rand index between k-means clusters and hidden classes = 0.870", atol=5e-4)
check(np.sum(matched == y) == 172, "after renaming, 172 of the 180 points fall in the cluster of their hidden class")

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
# The page traces the objective through every half-step: $150 \to 53.2 \to 27.28 \to 4$, ending at centroids $2$ and $9$.

# %%
pts = np.array([[1.0], [2.0], [3.0], [8.0], [9.0], [10.0]])
c_ex, l_ex, h_ex = lloyd(pts, np.array([[1.0], [2.0]]))
print("objective after each half-step:", h_ex)
check_close(h_ex[:4], [150.0, 53.2, 27.28, 4.0], "worked example: objective 150 -> 53.2 -> 27.28 -> 4", rtol=1e-12)
check_close(h_ex[-1], 4.0, "worked example: the final objective is 4", rtol=1e-12)
check_close(c_ex.ravel(), [2.0, 9.0], "worked example: final centroids 2 and 9", rtol=1e-12)
check_close((2.0 + 3 + 8 + 9 + 10) / 5, 6.4, "worked example: first update puts the second centroid at 6.4", rtol=1e-12)

# %% [markdown]
# The same points with labels $A$ for $1, 2, 3$ and $B$ for $8, 9, 10$, and a query at $x = 5.2$.
# Its three nearest neighbours are $3$ (distance 2.2), $8$ (2.8) and $2$ (3.2): two votes for $A$, one for $B$.
# For regression with targets $10, 12, 14, 30, 32, 34$ the 3-NN prediction is the mean of $14$, $30$ and $12$, that is $56/3 \approx 18.67$.

# %%
labels_ab = np.array([0, 0, 0, 1, 1, 1])  # 0 = A, 1 = B
clf3 = KNeighborsClassifier(n_neighbors=3).fit(pts, labels_ab)
dist, nb = clf3.kneighbors([[5.2]])
check_close(dist.ravel(), [2.2, 2.8, 3.2], "worked example: neighbour distances 2.2, 2.8, 3.2", rtol=1e-12)
check_close(
    pts[nb.ravel()].ravel(), [3.0, 8.0, 2.0], "worked example: the 3 nearest neighbours are 3, 8, 2", rtol=1e-12
)
check_close(clf3.predict_proba([[5.2]]).ravel(), [2 / 3, 1 / 3], "worked example: P(A) = 2/3, P(B) = 1/3", rtol=1e-12)
check(clf3.predict([[5.2]])[0] == 0, "worked example: 3-NN predicts A")
reg3 = KNeighborsRegressor(n_neighbors=3).fit(pts, [10.0, 12.0, 14.0, 30.0, 32.0, 34.0])
check_close(reg3.predict([[5.2]])[0], 56 / 3, "worked example: 3-NN regression predicts 56/3 = 18.67", rtol=1e-12)
