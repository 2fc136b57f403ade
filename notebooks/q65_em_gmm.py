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
# # EM for a Gaussian mixture, from scratch, against scikit-learn
#
# The checks test the page's claims against independent routes: our EM against scikit-learn's `GaussianMixture` started from the same parameters; the log-likelihood of our formula against SciPy's densities; that the log-likelihood never decreases; the decomposition $\ell = \mathrm{ELBO}(q) + \sum_i \operatorname{KL}(q_i \,\|\, r_i)$ for arbitrary $q$ (KL from SciPy); the closed-form M-step against numerical maximisation of the expected complete-data log-likelihood; our BIC against scikit-learn's; the unbounded likelihood of a collapsing component; and the k-means limit against scikit-learn's `KMeans`.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from matplotlib.patches import Ellipse
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax
from scipy.stats import entropy, multivariate_normal, norm
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

rng = np.random.default_rng(0)

# %% [markdown]
# ## Data: three elongated, unequal clusters
#
# Two long parallel clusters and one small round one; k-means, which assumes round clusters of similar size, will cut across them.

# %%
true_means = np.array([[0.0, 0.0], [0.0, 2.5], [7.0, 1.25]])
true_covs = np.array([[[4.0, 0.0], [0.0, 0.1]], [[4.0, 0.0], [0.0, 0.1]], [[0.3, 0.0], [0.0, 0.3]]])
sizes = np.array([250, 250, 100])
X = np.vstack([rng.multivariate_normal(true_means[j], true_covs[j], size=sizes[j]) for j in range(3)])
z_true = np.repeat(np.arange(3), sizes)
n, d = X.shape
k = 3
bind("n_points", n)
bind("k", k)
bind("d", d)


def log_gauss(X, mu, Sigma):
    """log N(x | mu, Sigma) for each row, from the Cholesky factor."""
    L = np.linalg.cholesky(Sigma)
    sol = np.linalg.solve(L, (X - mu).T)
    return -0.5 * np.sum(sol**2, axis=0) - np.sum(np.log(np.diag(L))) - 0.5 * X.shape[1] * np.log(2 * np.pi)


def e_step(X, w, mu, Sigma):
    """Responsibilities r_ij and the log-likelihood."""
    log_joint = np.column_stack([np.log(w[j]) + log_gauss(X, mu[j], Sigma[j]) for j in range(len(w))])
    log_px = logsumexp(log_joint, axis=1)
    return np.exp(log_joint - log_px[:, None]), log_px.sum()


def m_step(X, R):
    nj = R.sum(axis=0)
    w = nj / len(X)
    mu = (R.T @ X) / nj[:, None]
    Sigma = np.array([((R[:, j, None] * (X - mu[j])).T @ (X - mu[j])) / nj[j] for j in range(R.shape[1])])
    return w, mu, Sigma


# %% [markdown]
# ## Our EM against scikit-learn from the same start
#
# Each start: three data points chosen at random as means, identity covariances, equal weights; EM is a local method, so we run ten starts and keep the one of highest log-likelihood.
# scikit-learn is told that start (`weights_init`, `means_init`, `precisions_init`), with `reg_covar=0` so that it adds nothing to the covariances, and runs the same number of iterations.


# %%
def run_em(w, mu, Sigma, n_iter):
    trace = []
    for _ in range(n_iter):
        R, ll = e_step(X, w, mu, Sigma)
        trace.append(ll)
        w, mu, Sigma = m_step(X, R)
    R, ll = e_step(X, w, mu, Sigma)
    trace.append(ll)
    return w, mu, Sigma, R, np.array(trace)


n_iter, n_starts = 100, 10
bind("n_iter", n_iter)
bind("n_starts", n_starts)
runs = []
for _ in range(n_starts):
    idx = rng.choice(n, size=k, replace=False)
    start = (np.full(k, 1 / k), X[idx].copy(), np.array([np.eye(d)] * k))
    runs.append((start, run_em(*start, n_iter)))
finals = np.array([r[1][4][-1] for r in runs])
check(
    all(np.all(np.diff(r[1][4]) >= -1e-9) for r in runs),
    "the log-likelihood never decreases over the EM iterations, in every start",
)
bind("ll_worst_100", finals.min() / n)


# after 100 iterations a start may still sit on a plateau: run every start on until the log-likelihood stops moving
def run_to_convergence(w, mu, Sigma, tol=1e-10, max_iter=20_000):
    ll_old = -np.inf
    for _ in range(max_iter):
        R_, ll_new = e_step(X, w, mu, Sigma)
        if ll_new - ll_old < tol:
            return ll_new, (w, mu, Sigma)
        ll_old = ll_new
        w, mu, Sigma = m_step(X, R_)
    raise RuntimeError("EM did not converge")


converged = [run_to_convergence(*r[1][:3]) for r in runs]
finals_conv = np.array([c[0] for c in converged])
# independent confirmation that these are end points, not plateaus: 200 further iterations change nothing,
# checked on the first start of each distinct end value (starts that share a value end at the same fit, up to labels)
_, first_of_value = np.unique(np.round(finals_conv / n, 3), return_index=True)
check(
    all(abs(run_em(*converged[i][1], 200)[4][-1] - converged[i][0]) < 1e-6 for i in first_of_value),
    "the converged log-likelihoods do not move in 200 further iterations (one start per distinct value)",
)
check(np.all(finals_conv >= finals - 1e-9), "running on never lowers a start's log-likelihood")
bind("n_distinct_optima", len(np.unique(np.round(finals_conv / n, 3))))
bind("ll_worst", finals_conv.min() / n)
bind("ll_best", finals_conv.max() / n)
check_close(
    finals_conv[np.argmin(finals)],
    finals_conv.max(),
    "the worst start after 100 iterations was on a plateau: run on, it reaches the best value",
    rtol=1e-9,
)
(w0, mu0, S0), (w, mu, Sigma, R, loglik) = runs[int(np.argmax(finals))]
ll = loglik[-1]

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    gm = GaussianMixture(
        n_components=k,
        covariance_type="full",
        reg_covar=0.0,
        tol=0.0,
        max_iter=n_iter,
        weights_init=w0,
        means_init=mu0,
        precisions_init=np.array([np.linalg.inv(S) for S in S0]),
    ).fit(X)
check_close(mu, gm.means_, "our EM means = GaussianMixture means after the same iterations", rtol=1e-7, atol=1e-9)
check_close(Sigma, gm.covariances_, "our EM covariances = GaussianMixture covariances", rtol=1e-7, atol=1e-9)
check_close(w, gm.weights_, "our EM weights = GaussianMixture weights", rtol=1e-7)
# the log-likelihood by an independent route: SciPy's densities
ll_scipy = np.sum(np.log(sum(w[j] * multivariate_normal(mu[j], Sigma[j]).pdf(X) for j in range(k))))
check_close(ll, ll_scipy, "log-likelihood: our log-sum-exp = SciPy's mixture density", rtol=1e-10)
check_close(ll / n, gm.score(X), "= n times GaussianMixture.score (the mean log-likelihood)", rtol=1e-9)
bind("ll_start", loglik[0] / n)
bind("ll_end", loglik[-1] / n)
labels_gmm = R.argmax(axis=1)
ari_gmm = adjusted_rand_score(z_true, labels_gmm)
bind("ari_gmm", ari_gmm)

# %% [markdown]
# ## The ELBO decomposition
#
# For any distributions $q_i$ over the components, $\ell(\boldsymbol{\theta}) = \sum_i \sum_j q_{ij}\log\frac{p(\mathbf{x}_i, z_i = j)}{q_{ij}} + \sum_i \operatorname{KL}(q_i \,\|\, \mathbf{r}_i)$, and the KL term vanishes at $q = \mathbf{r}$.

# %%
log_joint = np.column_stack([np.log(w[j]) + log_gauss(X, mu[j], Sigma[j]) for j in range(k)])
Qr = rng.dirichlet(np.ones(k), size=n)
elbo = np.sum(Qr * (log_joint - np.log(Qr)))
kl_sum = np.sum(entropy(Qr, R, axis=1))
check_close(elbo + kl_sum, ll, "l = ELBO(q) + sum_i KL(q_i || r_i) for a random q", rtol=1e-10)
check(elbo < ll, "the ELBO of a random q is strictly below the log-likelihood")
Rc = np.clip(R, 1e-300, None)
check_close(np.sum(R * (log_joint - np.log(Rc))), ll, "at q = responsibilities the ELBO equals l", rtol=1e-9)

# %% [markdown]
# ## The closed-form M-step against numerical maximisation (one dimension)
#
# The M-step maximises $Q(\boldsymbol{\theta}) = \sum_i\sum_j r_{ij}[\log \omega_j + \log \mathcal{N}(x_i \mid \mu_j, s_j^2)]$; L-BFGS over unconstrained parameters is the independent route.

# %%
x1 = np.r_[rng.normal(-1, 0.7, 120), rng.normal(2, 1.2, 80)]
R1 = softmax(rng.normal(size=(len(x1), 2)) + 2 * (x1[:, None] > 0.5) * np.array([-1, 1]), axis=1)


def neg_Q(params):
    logits, m, log_s = params[:2], params[2:4], params[4:]
    lw = logits - logsumexp(logits)
    return -np.sum(R1 * (lw + norm.logpdf(x1[:, None], m, np.exp(log_s))))


opt = minimize(neg_Q, np.zeros(6), method="L-BFGS-B", options={"gtol": 1e-10, "ftol": 1e-15})
nj1 = R1.sum(axis=0)
w_cf = nj1 / len(x1)
m_cf = (R1 * x1[:, None]).sum(axis=0) / nj1
v_cf = (R1 * (x1[:, None] - m_cf) ** 2).sum(axis=0) / nj1
check_close(softmax(opt.x[:2]), w_cf, "M-step weights N_j/n = numerical maximiser", atol=1e-5)
check_close(opt.x[2:4], m_cf, "M-step means = numerical maximiser", atol=1e-5)
check_close(np.exp(2 * opt.x[4:]), v_cf, "M-step variances = numerical maximiser", rtol=1e-4)

# %% [markdown]
# ## Choosing k: BIC against scikit-learn
#
# $\mathrm{BIC} = -2\ell + M_k \log n$ with $M_k = (k - 1) + kd + k\,d(d+1)/2$ free parameters for full covariances.

# %%
bics, bics_sk = [], []
for kk in range(1, 7):
    g = GaussianMixture(n_components=kk, n_init=5, random_state=0).fit(X)
    ll_k = g.score(X) * n
    n_par = (kk - 1) + kk * d + kk * d * (d + 1) / 2
    bics.append(-2 * ll_k + n_par * np.log(n))
    bics_sk.append(g.bic(X))
check_close(bics, bics_sk, "our BIC = GaussianMixture.bic for k = 1..6", rtol=1e-10)
bind("k_bic", int(np.argmin(bics)) + 1)
check(int(np.argmin(bics)) + 1 == len(sizes), "BIC picks the true number of components")
bind("n_par_3", (k - 1) + k * d + k * d * (d + 1) / 2)

# %% [markdown]
# ## The likelihood is unbounded: a component collapsing onto one point
#
# Add a component whose mean is a data point and shrink its covariance $s^2\mathbf{I}$: that point's density grows like $s^{-d}$ while the other components keep the rest finite.

# %%
lls = []
s_values = np.array([1e-1, 1e-2, 1e-3, 1e-4])
for s in s_values:
    # the fitted mixture plus a fourth component of weight 0.01 centred on the first data point
    w_c = np.r_[0.99 * w, 0.01]
    mu_c = np.vstack([mu, X[:1]])
    Sig_c = np.concatenate([Sigma, [s**2 * np.eye(d)]])
    lls.append(e_step(X, w_c, mu_c, Sig_c)[1])
lls = np.array(lls)
slope = np.diff(lls) / np.diff(np.log(s_values))
check(np.all(np.diff(lls) > 0), "the log-likelihood grows without bound as the collapsing component narrows")
check_close(slope[-1], -d, "it grows like -d log s (one point's density ~ s^-d)", rtol=1e-3)

# %% [markdown]
# ## The k-means limit
#
# Shared covariance $s^2\mathbf{I}$, held fixed (not re-estimated), equal fixed weights; only the means are updated.
# As $s \to 0$ the responsibilities become hard and EM becomes Lloyd's algorithm; compare with scikit-learn's `KMeans` started from the same centroids.

# %%
km = KMeans(n_clusters=k, init=mu0, n_init=1, algorithm="lloyd", tol=0.0, max_iter=300).fit(X)


def em_fixed_cov(s2, iters=300):
    m = mu0.copy()
    for _ in range(iters):
        logr = -((X[:, None, :] - m[None]) ** 2).sum(axis=2) / (2 * s2)
        Rr = np.exp(logr - logsumexp(logr, axis=1, keepdims=True))
        m_new = (Rr.T @ X) / Rr.sum(axis=0)[:, None]
        if np.allclose(m_new, m, atol=1e-13, rtol=0):
            break
        m = m_new
    return m, Rr


hardness = {}
for s2 in (4.0, 1.0, 0.25, 1e-4):
    m_s, R_s = em_fixed_cov(s2)
    hardness[s2] = R_s.max(axis=1).mean()
bind("hard_s2_big", hardness[4.0])
bind("hard_s2_small", hardness[1e-4])
bind("s2_big", 4.0)
bind("s2_small", 1e-4)
m_lim, R_lim = em_fixed_cov(1e-4)
check(np.array_equal(R_lim.argmax(axis=1), km.labels_), "EM with fixed s^2 = 1e-4: hard assignments = KMeans labels")
check_close(m_lim, km.cluster_centers_, "and its means = KMeans centroids", atol=1e-8)
check(hardness[1e-4] > 0.999, "at s^2 = 1e-4 the responsibilities are essentially 0 or 1")
ari_km = adjusted_rand_score(z_true, km.labels_)
bind("ari_km", ari_km)
check(ari_gmm > ari_km + 0.3, "the full-covariance mixture recovers the elongated clusters far better than k-means")
# huge s^2: the responsibilities tend to the (equal) weights and all means to the overall mean
m_wide, _ = em_fixed_cov(1e6)
check_close(m_wide, np.tile(X.mean(axis=0), (k, 1)), "with huge s^2 all means move to the overall mean", atol=1e-3)

# %% [markdown]
# ## Figures

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, labels, title, centres in (
    (axes[0], km.labels_, f"k-means (ARI {ari_km:.2f})", km.cluster_centers_),
    (axes[1], labels_gmm, f"Gaussian mixture, EM (ARI {ari_gmm:.2f})", mu),
):
    for j in range(k):
        ax.scatter(*X[labels == j].T, s=6, alpha=0.6, color=f"C{j}")
    ax.scatter(*centres.T, marker="x", s=80, color="k")
    ax.set_title(title)
    ax.set_xlabel("$x_1$")
    ax.set_aspect("equal")
for j in range(k):
    vals, vecs = np.linalg.eigh(Sigma[j])
    angle = np.degrees(np.arctan2(vecs[1, 1], vecs[0, 1]))
    for sc in (1, 2):
        axes[1].add_patch(
            Ellipse(
                mu[j], 2 * sc * np.sqrt(vals[1]), 2 * sc * np.sqrt(vals[0]), angle=angle, fill=False, color="k", lw=0.8
            )
        )
axes[0].set_ylabel("$x_2$")
fig.tight_layout()
save_figure(fig, "kmeans-vs-gmm")

fig, ax = plt.subplots(figsize=(6.4, 3.5))
ax.plot(np.arange(len(loglik)), loglik / n, "o-", ms=3)
ax.set_xlabel("EM iteration")
ax.set_ylabel("mean log-likelihood")
ax.set_title("EM never decreases the log-likelihood")
save_figure(fig, "em-loglik")
