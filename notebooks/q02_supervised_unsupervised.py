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
# # What supervised and unsupervised learning estimate
#
# The page derives both kinds of learning from the joint distribution: supervised learning with squared loss estimates the conditional mean, and unsupervised maximum likelihood minimises the Kullback-Leibler divergence from the true $p(\mathbf{x})$.
# The checks prove these identities symbolically and numerically, verify the chain-rule factorisation, and test the page's claims about evaluation without labels: cluster labels are arbitrary, the k-means objective always improves with more clusters, held-out likelihood prefers the better density model, and a classifier that separates data from reference samples estimates the density ratio.

# %%
import numpy as np
import sympy as sp
from handbook_nb import check, check_close
from scipy import stats
from scipy.integrate import simpson
from scipy.optimize import minimize
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

rng = np.random.default_rng(0)

# %% [markdown]
# ## The chain rule and the conditional from the joint
#
# For a random joint distribution of three binary inputs and a binary target, $p(\mathbf{x}) = \prod_j p(x_j \mid x_1, \dots, x_{j-1})$, and $P(y \mid \mathbf{x}) = p(\mathbf{x}, y)/p(\mathbf{x})$ with $p(\mathbf{x}, y) = P(y \mid \mathbf{x})\,p(\mathbf{x})$.

# %%
joint = rng.random((2, 2, 2, 2))
joint /= joint.sum()  # axes: x1, x2, x3, y
p_x = joint.sum(axis=3)
p_x1 = p_x.sum(axis=(1, 2))
p_x12 = p_x.sum(axis=2)
chain = p_x1[:, None, None] * (p_x12 / p_x1[:, None])[:, :, None] * (p_x / p_x12[:, :, None])
check_close(chain, p_x, "chain rule: p(x1) p(x2 | x1) p(x3 | x1, x2) equals p(x1, x2, x3) for all 8 inputs", rtol=1e-12)
p_y_given_x = joint / p_x[..., None]
check_close(p_y_given_x.sum(axis=3), 1.0, "P(y | x) computed from the joint sums to 1 over y for every x", rtol=1e-12)
check_close(p_y_given_x * p_x[..., None], joint, "p(x, y) = P(y | x) p(x)", rtol=1e-12)

# %% [markdown]
# ## Step 3: squared loss is minimised by the conditional mean
#
# For a conditional distribution with three values $a_1, a_2, a_3$ of probabilities $q_1, q_2, q_3$ (all symbolic), sympy confirms $\mathbb{E}[(y - c)^2] = \operatorname{Var}(y) + (m - c)^2$.
# On simulated data, the constant that minimises the squared error within a narrow bin of $x$ is the bin's mean of $y$.

# %%
a1, a2, a3, q1, q2, c = sp.symbols("a1 a2 a3 q1 q2 c", real=True)
q3 = 1 - q1 - q2
vals, probs = (a1, a2, a3), (q1, q2, q3)
m = sum(p * v for p, v in zip(probs, vals, strict=False))
var = sum(p * (v - m) ** 2 for p, v in zip(probs, vals, strict=False))
risk = sum(p * (v - c) ** 2 for p, v in zip(probs, vals, strict=False))
check(sp.expand(risk - (var + (m - c) ** 2)) == 0, "sympy: E[(y - c)^2 | x] = Var(y | x) + (m(x) - c)^2")
stationary = sp.solve(sp.diff(risk, c), c)
check(
    len(stationary) == 1 and sp.simplify(stationary[0] - m) == 0,
    "the only stationary point, hence the minimiser, is c = m(x)",
)

x_sim = rng.uniform(0, 6, 200_000)
y_sim = np.sin(x_sim) + rng.exponential(1.0, x_sim.size)  # skewed noise: mean 1, median ln 2
in_bin = (x_sim > 2.0) & (x_sim < 2.05)
cands = np.linspace(0, 4, 4001)
sq = ((y_sim[in_bin][None, :] - cands[:, None]) ** 2).mean(axis=1)
check_close(
    cands[np.argmin(sq)],
    y_sim[in_bin].mean(),
    "in a bin of x, the best constant under squared loss is the mean of y",
    atol=1e-3,
)
check_close(y_sim[in_bin].mean(), np.sin(2.025) + 1.0, "which estimates m(x) = sin(x) + 1 (noise mean 1)", atol=0.05)

# %% [markdown]
# ## Step 2: the empirical risk converges to the risk
#
# For a fixed predictor $\hat{f}(x) = x$ and data $y = x + \varepsilon$ with $\varepsilon \sim N(0, 1)$, the risk under squared loss is exactly 1; the average loss over $n$ examples approaches it as $n$ grows.

# %%
for n in (100, 10_000, 1_000_000):
    x_n = rng.standard_normal(n)
    emp = np.mean((x_n + rng.standard_normal(n) - x_n) ** 2)
    print(f"n = {n:>9,}: empirical risk {emp:.4f}")
check_close(emp, 1.0, "with n = 1,000,000 examples the empirical risk is within 0.01 of the risk 1", atol=0.01)

# %% [markdown]
# ## Steps 4 to 6: maximum likelihood minimises the KL divergence
#
# The true input distribution is a Gamma distribution with shape 3; the model family is the normal distributions.
# $\operatorname{KL}(p \,\|\, p_{\boldsymbol{\theta}}) = \mathbb{E}_p[\log p] - \mathbb{E}_p[\log p_{\boldsymbol{\theta}}]$ is computed by Simpson's rule on a fine grid and minimised numerically; the maximum-likelihood fit to 400,000 samples must land on the same parameters.

# %%
p_true = stats.gamma(a=3.0)
v_grid = np.linspace(1e-9, 60.0, 60_001)  # the Gamma(3) mass beyond 60 is below 1e-20
p_grid = p_true.pdf(v_grid)
check_close(simpson(p_grid, x=v_grid), 1.0, "the quadrature grid captures all of p's mass", atol=1e-9)


def expected_log(logpdf_values):
    """E_p[f] for f given on the grid, by Simpson's rule."""
    return simpson(p_grid * logpdf_values, x=v_grid)


def normal_logpdf(mu, sd):
    return -0.5 * ((v_grid - mu) / sd) ** 2 - np.log(sd * np.sqrt(2 * np.pi))


neg_entropy = expected_log(p_true.logpdf(v_grid))


def kl(theta):
    mu, log_sd = theta
    return neg_entropy - expected_log(normal_logpdf(mu, np.exp(log_sd)))


best = minimize(kl, x0=[1.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-12})
check_close(
    [best.x[0], np.exp(best.x[1])],
    [3.0, np.sqrt(3.0)],
    "the KL-closest normal has the true mean 3 and sd sqrt(3)",
    atol=1e-4,
)
check(best.fun > 0, f"its KL divergence {best.fun:.4f} is still positive: the family does not contain p")

sample = p_true.rvs(size=400_000, random_state=0)
mle_mu, mle_sd = stats.norm.fit(sample)
check_close(
    [mle_mu, mle_sd],
    [3.0, np.sqrt(3.0)],
    "the maximum-likelihood normal fitted to samples finds the same parameters",
    atol=0.01,
)
avg_loglik = stats.norm.logpdf(sample, mle_mu, mle_sd).mean()
check_close(
    avg_loglik,
    expected_log(normal_logpdf(mle_mu, mle_sd)),
    "the average log-likelihood approximates its expectation under p (step 5)",
    atol=0.01,
)
kl_direct = simpson(p_grid * (p_true.logpdf(v_grid) - normal_logpdf(mle_mu, mle_sd)), x=v_grid)
check_close(
    kl_direct,
    kl([mle_mu, np.log(mle_sd)]),
    "KL computed as E_p[log(p / p_theta)] equals E_p[log p] - E_p[log p_theta] (step 6)",
    rtol=1e-10,
)

# %% [markdown]
# $\operatorname{KL} \ge 0$, with equality only when the two distributions agree (Gibbs' inequality), on 1,000 random pairs of discrete distributions.

# %%
P = rng.dirichlet(np.ones(6), size=1000)
Q = rng.dirichlet(np.ones(6), size=1000)
kls = np.sum(P * np.log(P / Q), axis=1)
check(np.all(kls > 0), "KL(p || q) > 0 for 1,000 random pairs of distinct distributions")
check_close(np.sum(P * np.log(P / P), axis=1), 0.0, "KL(p || p) = 0", atol=0)

# %% [markdown]
# ## Evaluating without labels
#
# Three well-separated blobs: k-means finds them, but its cluster numbers are arbitrary, so accuracy against the class labels can be anything while the adjusted Rand index, which ignores the numbering, is 1.
# The silhouette score picks $k = 3$; the k-means objective keeps falling as $k$ grows, even on uniform noise with no clusters at all.

# %%
X, y = make_blobs(n_samples=600, centers=[[0, 0], [6, 0], [3, 5]], cluster_std=0.8, random_state=0)
labels = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(X)
majority = np.array([np.bincount(y[labels == k]).argmax() for k in range(3)])
aligned, shifted = majority[labels], (majority[labels] + 1) % 3  # two numberings of the same clusters
check(
    adjusted_rand_score(y, aligned) == adjusted_rand_score(y, shifted) == 1.0,
    "ARI is 1 for the clustering under any numbering of its clusters",
)
check(
    accuracy_score(y, aligned) == 1.0 and accuracy_score(y, shifted) == 0.0,
    "while 'accuracy' is 1 or 0 depending on the arbitrary numbering",
)

sil = {k: silhouette_score(X, KMeans(n_clusters=k, n_init=3, random_state=0).fit_predict(X)) for k in range(2, 7)}
check(max(sil, key=sil.get) == 3, "the silhouette score is highest at the true k = 3")

noise = rng.uniform(size=(500, 2))
inertias = [KMeans(n_clusters=k, n_init=3, random_state=0).fit(noise).inertia_ for k in range(1, 11)]
check(np.all(np.diff(inertias) < 0), "on uniform noise the k-means objective falls at every k from 1 to 10")

# %% [markdown]
# ## Held-out log-likelihood prefers the better density model
#
# Data from a two-component mixture; a two-component Gaussian mixture assigns higher average log-likelihood to unseen data than a single Gaussian.

# %%
mix = np.r_[rng.normal(-2, 0.7, 2000), rng.normal(2, 0.7, 2000)][:, None]
rng.shuffle(mix)
train, test = mix[:3000], mix[3000:]
ll = {k: GaussianMixture(n_components=k, random_state=0).fit(train).score(test) for k in (1, 2)}
check(ll[2] > ll[1] + 0.1, f"held-out log-likelihood: 2 components {ll[2]:.3f} > 1 component {ll[1]:.3f}")

# %% [markdown]
# ## Unsupervised as supervised: a classifier estimates the density ratio
#
# Data $x \sim N(0, 1)$ and an equal number of reference samples from $g_0 = N(0, 2^2)$ are labelled 1 and 0.
# A logistic regression on $(x, x^2)$ (a family that contains the true log ratio) gives odds $\hat{\mu}(x)/(1 - \hat{\mu}(x)) \approx g(x)/g_0(x)$, so $g_0(x)$ times the odds estimates the data density.

# %%
n_each = 50_000
data = rng.standard_normal(n_each)
ref = 2.0 * rng.standard_normal(n_each)


def features(v):
    return np.c_[v, v**2]


clf = LogisticRegression(C=1e6, max_iter=1000).fit(features(np.r_[data, ref]), np.r_[np.ones(n_each), np.zeros(n_each)])
grid = np.linspace(-3, 3, 121)
mu = clf.predict_proba(features(grid))[:, 1]
g_hat = stats.norm.pdf(grid, 0, 2) * mu / (1 - mu)
check_close(
    g_hat, stats.norm.pdf(grid), "g0(x) times the classifier's odds recovers the N(0, 1) density on [-3, 3]", atol=0.01
)
true_coef = [0.0, -0.5 + 1 / 8]  # log N(0,1) - log N(0,4) = log 2 - x^2 (1/2 - 1/8)
check_close(clf.coef_[0], true_coef, "the fitted log-odds match the true log density ratio log 2 - 3x^2/8", atol=0.02)
check_close(clf.intercept_[0], np.log(2), "including its constant log 2", atol=0.02)

# %% [markdown]
# ## Step 7: unlabelled data help when classes form clusters
#
# On the three blobs, clustering all 600 points and then labelling each cluster from a single labelled example per class classifies almost every point correctly.

# %%
one_labelled = [np.flatnonzero(y == k)[0] for k in range(3)]
cluster_to_class = {labels[i]: y[i] for i in one_labelled}
pred = np.array([cluster_to_class[lab] for lab in labels])
check(
    accuracy_score(y, pred) > 0.99, f"cluster-then-label with 3 labelled points: accuracy {accuracy_score(y, pred):.3f}"
)
