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
# # PCA three ways: eigenvectors of the covariance, the SVD, and scikit-learn
#
# The checks test the page's claims against independent routes: the eigendecomposition of the sample covariance against the SVD of the centred data and against `sklearn.decomposition.PCA`; the maximum-variance property against a direct numerical maximisation over directions; the reconstruction error against the sum of the discarded eigenvalues and against random subspaces (Eckart-Young); the probabilistic-PCA likelihood against scikit-learn's `PCA.score`; and two pitfalls (forgetting to centre, mixing feature scales) and the label-blindness of PCA.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import minimize_scalar
from scipy.stats import multivariate_normal
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

rng = np.random.default_rng(0)

# %% [markdown]
# ## Two correlated features: the three routes agree
#
# With centred data $\mathbf{X}_c$ ($n \times d$), the sample covariance is $\mathbf{S} = \mathbf{X}_c^\top\mathbf{X}_c/(n-1)$.
# Route 1: eigenvectors of $\mathbf{S}$. Route 2: right singular vectors of $\mathbf{X}_c = \mathbf{U}\mathbf{D}\mathbf{V}^\top$, with $\nu_j = \delta_j^2/(n-1)$. Route 3: scikit-learn.

# %%
n_2d = 300
bind("n_2d", n_2d)
cov_true = np.array([[3.0, 1.6], [1.6, 1.4]])
X2 = rng.multivariate_normal([2.0, 1.0], cov_true, size=n_2d)
Xc = X2 - X2.mean(axis=0)
S = Xc.T @ Xc / (n_2d - 1)
evals, evecs = np.linalg.eigh(S)
order = np.argsort(evals)[::-1]
evals, evecs = evals[order], evecs[:, order]
_, delta, Vt = np.linalg.svd(Xc, full_matrices=False)
pca2 = PCA().fit(X2)

check_close(delta**2 / (n_2d - 1), evals, "SVD: delta_j^2/(n-1) equals the eigenvalues of S", rtol=1e-10)
check_close(pca2.explained_variance_, evals, "scikit-learn explained_variance_ equals the eigenvalues of S", rtol=1e-10)
check_close(
    np.abs(np.sum(Vt * evecs.T, axis=1)),
    np.ones(2),
    "right singular vectors equal the eigenvectors of S up to sign",
    rtol=1e-10,
)
check_close(
    np.abs(np.sum(pca2.components_ * evecs.T, axis=1)),
    np.ones(2),
    "scikit-learn components_ equal the eigenvectors of S up to sign",
    rtol=1e-10,
)
nu1, nu2 = evals
bind("nu1", nu1)
bind("nu2", nu2)
bind("evr1", pca2.explained_variance_ratio_[0])
check_close(pca2.explained_variance_ratio_[0], nu1 / (nu1 + nu2), "explained variance ratio nu_1 / (nu_1 + nu_2)")

# %% [markdown]
# ## Maximum variance, found by search over directions
#
# In two dimensions every unit vector is $(\cos\vartheta, \sin\vartheta)$; maximise the sample variance of the projections over $\vartheta$ numerically, with no eigen-solver.


# %%
def proj_var(theta):
    u = np.array([np.cos(theta), np.sin(theta)])
    return np.var(X2 @ u, ddof=1)


res = minimize_scalar(lambda th: -proj_var(th), bounds=(0, np.pi), method="bounded", options={"xatol": 1e-10})
u_best = np.array([np.cos(res.x), np.sin(res.x)])
check_close(-res.fun, nu1, "the largest projected variance found by search equals nu_1", rtol=1e-8)
check_close(abs(u_best @ evecs[:, 0]), 1.0, "the direction found by search is the first eigenvector", rtol=1e-6)
res_min = minimize_scalar(proj_var, bounds=(0, np.pi), method="bounded", options={"xatol": 1e-10})
check_close(res_min.fun, nu2, "the smallest projected variance equals nu_2 (the last eigenvalue)", rtol=1e-8)
angle_deg = np.degrees(np.arctan2(evecs[1, 0], evecs[0, 0])) % 180
bind("angle_pc1", angle_deg)
# reconstruction error with one component equals (n-1) nu_2, against the direct residuals
recon1 = Xc @ np.outer(evecs[:, 0], evecs[:, 0])
check_close(np.sum((Xc - recon1) ** 2), (n_2d - 1) * nu2, "one-component residual sum of squares equals (n-1) nu_2")

fig, ax = plt.subplots(figsize=(6.0, 4.6))
ax.scatter(X2[:, 0], X2[:, 1], s=8, alpha=0.35, color="C0", linewidths=0, label="data")
mean2 = X2.mean(axis=0)
signs = np.sign(evecs[0])  # draw each direction with a positive first coordinate (the sign is arbitrary)
for j, col in zip(range(2), ("C3", "C2"), strict=True):
    v = signs[j] * evecs[:, j] * 2 * np.sqrt(evals[j])
    ax.annotate("", xy=mean2 + v, xytext=mean2, arrowprops={"arrowstyle": "-|>", "color": col, "lw": 2.5})
    ax.plot([], [], color=col, lw=2.5, label=f"PC{j + 1}: variance {evals[j]:.2f}")
idx = rng.choice(n_2d, 12, replace=False)
proj_pts = mean2 + (Xc[idx] @ evecs[:, 0])[:, None] * evecs[:, 0]
for a, b in zip(X2[idx], proj_pts, strict=True):
    ax.plot([a[0], b[0]], [a[1], b[1]], color="k", lw=0.8)
ax.scatter(X2[idx, 0], X2[idx, 1], s=16, color="k", zorder=3)
ax.scatter(
    proj_pts[:, 0], proj_pts[:, 1], s=22, facecolors="white", edgecolors="k", zorder=3, label="projections onto PC1"
)
ax.set_aspect("equal")
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("Principal directions (arrows: 2 standard deviations)")
ax.legend(fontsize=9, loc="upper left")
save_figure(fig, "pca-directions")

# %% [markdown]
# ## Digits (64 features): explained variance and the Eckart-Young property

# %%
digits = load_digits()
Xd = digits.data
n_dig, d_dig = Xd.shape
bind("n_digits", n_dig)
bind("d_digits", d_dig)
pca_d = PCA().fit(Xd)
cum = np.cumsum(pca_d.explained_variance_ratio_)
pct_a, pct_b = 90, 95
bind("pct_a", pct_a)
bind("pct_b", pct_b)
r90 = int(np.searchsorted(cum, pct_a / 100) + 1)
r95 = int(np.searchsorted(cum, pct_b / 100) + 1)
check(
    cum[r90 - 1] >= 0.9 > cum[r90 - 2] and cum[r95 - 1] >= 0.95 > cum[r95 - 2],
    "r90 and r95 are the smallest counts reaching 90% and 95%",
)
bind("r90", r90)
bind("r95", r95)
r_show = 10
bind("r_show", r_show)
bind("evr_cum_10", cum[r_show - 1])

Xdc = Xd - Xd.mean(axis=0)
_, delta_d, Vt_d = np.linalg.svd(Xdc, full_matrices=False)
nu_d = delta_d**2 / (n_dig - 1)
check_close(
    pca_d.explained_variance_,
    nu_d,
    "digits: scikit-learn variances equal delta_j^2/(n-1) from numpy's SVD",
    rtol=1e-8,
    atol=1e-10,
)
pca_r = PCA(n_components=r_show).fit(Xd)
rss_sklearn = np.sum((Xd - pca_r.inverse_transform(pca_r.transform(Xd))) ** 2)
check_close(
    rss_sklearn,
    (n_dig - 1) * nu_d[r_show:].sum(),
    "rank-10 reconstruction error equals (n-1) times the sum of the discarded eigenvalues",
    rtol=1e-8,
)
Ur = Vt_d[:r_show].T
n_random = 200
bind("n_random", n_random)
rand_rss = []
for _ in range(n_random):
    Q, _ = np.linalg.qr(rng.normal(size=(d_dig, r_show)))
    rand_rss.append(np.sum((Xdc - Xdc @ Q @ Q.T) ** 2))
# independently of scikit-learn's cumulative ratios: the smallest counts from numpy's SVD eigenvalues
cum_np = np.cumsum(nu_d) / nu_d.sum()
check(
    int(np.argmax(cum_np >= pct_a / 100)) + 1 == r90 and int(np.argmax(cum_np >= pct_b / 100)) + 1 == r95,
    "numpy's SVD gives the same r90 and r95",
)
check(
    min(rand_rss) > rss_sklearn,
    f"Eckart-Young: 200 random 10-dimensional subspaces all reconstruct worse (best {min(rand_rss):.4g} > {rss_sklearn:.4g})",
)
# local optimality: small rotations of the PCA subspace increase the error
worse = []
n_perturb = 50
bind("n_perturb", n_perturb)
for _ in range(n_perturb):
    Q, _ = np.linalg.qr(Ur + 0.01 * rng.normal(size=Ur.shape))
    worse.append(np.sum((Xdc - Xdc @ Q @ Q.T) ** 2) >= rss_sklearn)
check(all(worse), "50 small perturbations of the PCA subspace all increase the reconstruction error")

fig, ax = plt.subplots()
n_bars = 30
bind("n_bars", n_bars)
ax.bar(np.arange(1, n_bars + 1), pca_d.explained_variance_ratio_[:n_bars], color="C0", alpha=0.7, label="per component")
ax.plot(np.arange(1, d_dig + 1), cum, "C3-", label="cumulative")
ax.axhline(0.9, color="gray", ls=":")
ax.axvline(r90, color="gray", ls=":")
ax.set_xlim(0, 40)
ax.set_xlabel("number of components r")
ax.set_ylabel("fraction of variance explained")
ax.set_title(f"Digits (d = {d_dig}): {r90} components explain 90%")
ax.legend(fontsize=9, loc="center right")
save_figure(fig, "explained-variance")

# %% [markdown]
# ## Probabilistic PCA: scikit-learn's `PCA.score` is its log-likelihood
#
# Tipping and Bishop's maximum-likelihood solution: $\sigma^2$ is the mean of the discarded eigenvalues and $\mathbf{W} = \mathbf{V}_r(\operatorname{diag}(\nu_1..\nu_r) - \sigma^2\mathbf{I})^{1/2}$, so the model covariance is $\mathbf{W}\mathbf{W}^\top + \sigma^2\mathbf{I}$.

# %%
sigma2_ppca = nu_d[r_show:].mean()
check_close(pca_r.noise_variance_, sigma2_ppca, "noise_variance_ is the mean of the discarded eigenvalues", rtol=1e-8)
W_ppca = Ur * np.sqrt(nu_d[:r_show] - sigma2_ppca)
cov_ppca = W_ppca @ W_ppca.T + sigma2_ppca * np.eye(d_dig)
ll_mine = multivariate_normal(Xd.mean(axis=0), cov_ppca).logpdf(Xd).mean()
check_close(pca_r.score(Xd), ll_mine, "PCA.score equals the average pPCA log-likelihood computed with scipy", rtol=1e-8)

# %% [markdown]
# ## Pitfalls: centring, scaling, and labels

# %%
# 1. No centring: the first right singular vector of the raw data points at the mean, not along the spread.
X_off = X2 + np.array([-12.0, 20.0])
_, _, Vt_raw = np.linalg.svd(X_off, full_matrices=False)
mean_dir = X_off.mean(axis=0) / np.linalg.norm(X_off.mean(axis=0))
cos_raw_mean = abs(Vt_raw[0] @ mean_dir)
cos_raw_pc1 = abs(Vt_raw[0] @ evecs[:, 0])
bind("cos_raw_mean", cos_raw_mean)
bind("cos_raw_pc1", cos_raw_pc1)
check(cos_raw_mean > 0.99 and cos_raw_pc1 < 0.5, "uncentred SVD: first direction is the mean direction, not PC1")

# 2. Scale: measuring x_2 in units 100 times smaller makes PC1 that feature.
unit_factor = 100
bind("unit_factor", unit_factor)
X_scaled = X2 * np.array([1.0, unit_factor])
pc1_scaled = PCA(1).fit(X_scaled).components_[0]
bind("cos_scaled_x2", abs(pc1_scaled[1]))
check(abs(pc1_scaled[1]) > 0.999, "after rescaling x_2 by 100, PC1 is almost exactly the x_2 axis")
Z = (X_scaled - X_scaled.mean(0)) / X_scaled.std(0, ddof=1)
# standardising removes the units (an identity), so PCA on Z is the eigendecomposition of the correlation matrix;
# check that independent route: the top eigenvector of numpy's correlation matrix of the ORIGINAL data
_, evecs_corr = np.linalg.eigh(np.corrcoef(X2, rowvar=False))
check_close(
    abs(PCA(1).fit(Z).components_[0] @ evecs_corr[:, -1]),
    1.0,
    "standardised PCA of the rescaled data = top eigenvector of the correlation matrix of the original data",
    rtol=1e-10,
)

# 3. Labels: two classes separated along the low-variance direction.
n_lab = 400
bind("n_lab", n_lab)
lab = rng.integers(0, 2, n_lab)
X_lab = np.c_[rng.normal(scale=3.0, size=n_lab), 0.8 * (2 * lab - 1) + rng.normal(scale=0.3, size=n_lab)]
pca_lab = PCA(2).fit(X_lab)


def pca_then_logistic(component):
    # PCA is fitted inside each training fold (the page's advice), then one component is kept
    keep = FunctionTransformer(lambda t: t[:, [component]])
    return make_pipeline(PCA(2), keep, LogisticRegression())


acc_pc1 = cross_val_score(pca_then_logistic(0), X_lab, lab, cv=5).mean()
acc_pc2 = cross_val_score(pca_then_logistic(1), X_lab, lab, cv=5).mean()
bind("acc_pc1", acc_pc1)
bind("acc_pc2", acc_pc2)
check(acc_pc1 < 0.6 and acc_pc2 > 0.95, "keeping only PC1 loses the class information, which lives in PC2")
bind("evr_lab_pc1", pca_lab.explained_variance_ratio_[0])
