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
# The checks test these identities symbolically and numerically, test the chain-rule factorisation on samples, and test the page's claims about evaluation without labels: cluster labels are arbitrary, the best k-means objective found keeps falling with more clusters, held-out likelihood prefers the better density model, and a classifier that separates data from reference samples estimates the density ratio.

# %%
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close
from scipy import stats
from scipy.integrate import simpson
from scipy.optimize import minimize, minimize_scalar
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, adjusted_rand_score, roc_auc_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

rng = np.random.default_rng(0)

# %% [markdown]
# ## The chain rule: modelling the inputs as d supervised problems
#
# For a random joint distribution of three binary inputs, we draw samples and fit the factors of $p(\mathbf{x}) = p(x_1)\,p(x_2 \mid x_1)\,p(x_3 \mid x_1, x_2)$ as supervised problems: each conditional is a logistic regression (scikit-learn, one-hot inputs, almost no penalty) of $x_j$ on the earlier inputs.
# The product of the fitted conditionals must match the true $p(\mathbf{x})$ within 4 multinomial standard errors, $\sqrt{p(1-p)/N}$, for all 8 inputs.
# With one-hot contexts the logistic regressions are saturated, so their product reproduces the sample frequencies; the positive check therefore mostly tests that the factorisation is written correctly, and the two negative controls carry the weight.
# The product of the three marginals (no conditioning) and the first-order product $p(x_1)\,p(x_2 \mid x_1)\,p(x_3 \mid x_2)$ (conditioning on the previous input only) must both miss for at least one input.

# %%
joint = rng.random((2, 2, 2, 2))
joint /= joint.sum()  # axes: x1, x2, x3, y
p_x = joint.sum(axis=3)
N_chain = 200_000
cells = rng.choice(8, size=N_chain, p=p_x.ravel())
xs = np.array(np.unravel_index(cells, (2, 2, 2))).T  # N x 3 binary inputs
grid8 = np.array(np.unravel_index(np.arange(8), (2, 2, 2))).T
model_p = np.where(grid8[:, 0] == 1, xs[:, 0].mean(), 1 - xs[:, 0].mean())
for j in (1, 2):

    def context(v, j=j):
        return (v[:, :j] @ (2 ** np.arange(j)))[:, None]  # the earlier inputs as one categorical value

    enc = OneHotEncoder().fit(context(grid8))
    cond = LogisticRegression(C=1e8, max_iter=1000).fit(enc.transform(context(xs)), xs[:, j])
    p_one = cond.predict_proba(enc.transform(context(grid8)))[:, 1]
    model_p = model_p * np.where(grid8[:, j] == 1, p_one, 1 - p_one)
se_chain = np.sqrt(p_x.ravel() * (1 - p_x.ravel()) / N_chain)
check(
    np.all(np.abs(model_p - p_x.ravel()) <= 4 * se_chain),
    "chain rule: the product of three fitted conditionals p(x_j | x_<j) matches p(x) within 4 SE for all 8 inputs",
)
marginals = [np.where(grid8[:, j] == 1, xs[:, j].mean(), 1 - xs[:, j].mean()) for j in range(3)]
check(
    np.any(np.abs(np.prod(marginals, axis=0) - p_x.ravel()) > 4 * se_chain),
    "negative control: the product of the marginals (no conditioning) misses p(x) by more than 4 SE",
)
p3_given_2 = [np.mean(xs[xs[:, 1] == v, 2]) for v in (0, 1)]  # p(x3 = 1 | x2), dropping x1 from the context
p2_given_1 = [np.mean(xs[xs[:, 0] == v, 1]) for v in (0, 1)]
markov_p = (
    marginals[0]
    * np.where(grid8[:, 1] == 1, np.take(p2_given_1, grid8[:, 0]), 1 - np.take(p2_given_1, grid8[:, 0]))
    * np.where(grid8[:, 2] == 1, np.take(p3_given_2, grid8[:, 1]), 1 - np.take(p3_given_2, grid8[:, 1]))
)
check(
    np.any(np.abs(markov_p - p_x.ravel()) > 4 * se_chain),
    "negative control: conditioning x3 on x2 alone (dropping x1) misses p(x) by more than 4 SE",
)

# %% [markdown]
# ## Step 3: squared loss is minimised by the conditional mean
#
# For a conditional distribution with three values $a_1, a_2, a_3$ of probabilities $q_1, q_2, q_3$ (all symbolic), sympy confirms $\mathbb{E}[(y - c)^2] = \operatorname{Var}(y) + (m - c)^2$.
# On simulated data with skewed noise, the constant that minimises the squared error within a narrow bin of $x$ estimates the conditional mean $f(x) = \sin x + 1$ (noise mean 1), and the one that minimises the absolute error estimates the median $\sin x + \ln 2$.
# The tolerances are 4 standard errors: $s/\sqrt{n_{\text{bin}}}$ for the mean, and $1/(2 g(\text{median})\sqrt{n_{\text{bin}}}) = 1/\sqrt{n_{\text{bin}}}$ for the median of exponential noise, whose density $g$ is $1/2$ there, plus the change of $\sin x$ across the bin.
# A page that said squared loss gives the median would fail: the two differ by $1 - \ln 2 \approx 0.31$.

# %%
a1, a2, a3, q1, q2, c = sp.symbols("a1 a2 a3 q1 q2 c", real=True)
q3 = 1 - q1 - q2
vals, probs = (a1, a2, a3), (q1, q2, q3)
m = sum(p * v for p, v in zip(probs, vals, strict=False))
var = sum(p * (v - m) ** 2 for p, v in zip(probs, vals, strict=False))
risk = sum(p * (v - c) ** 2 for p, v in zip(probs, vals, strict=False))
check(sp.expand(risk - (var + (m - c) ** 2)) == 0, "sympy: E[(y - c)^2 | x] = Var(y | x) + (f(x) - c)^2")
stationary = sp.solve(sp.diff(risk, c), c)
check(
    len(stationary) == 1 and sp.simplify(stationary[0] - m) == 0,
    "the only stationary point, hence the minimiser, is c = f(x), the conditional mean",
)

x_sim = rng.uniform(0, 6, 400_000)
y_sim = np.sin(x_sim) + rng.exponential(1.0, x_sim.size)  # skewed noise: mean 1, median ln 2
in_bin = (x_sim > 2.0) & (x_sim < 2.05)
y_bin = y_sim[in_bin]
n_bin = y_bin.size
best_sq = minimize_scalar(lambda c: np.mean((y_bin - c) ** 2), bounds=(0, 4), method="bounded").x
best_ab = minimize_scalar(
    lambda c: np.mean(np.abs(y_bin - c)), bounds=(0, 4), method="bounded", options={"xatol": 1e-6}
).x
drift = abs(np.sin(2.05) - np.sin(2.0))  # how much f(x) moves across the bin
check_close(
    best_sq,
    np.sin(2.025) + 1.0,
    "in a bin of x, the best constant under squared loss estimates f(x) = sin(x) + 1",
    atol=4 * y_bin.std() / np.sqrt(n_bin) + drift + 1e-3,
)
check_close(
    best_ab,
    np.sin(2.025) + np.log(2),
    "under absolute loss it estimates the conditional median sin(x) + ln 2",
    atol=4 / np.sqrt(n_bin) + drift + 1e-3,
)
check(
    best_sq - best_ab > 0.2,
    "the two minimisers differ (mean - median = 1 - ln 2 for exponential noise)",
)

# %% [markdown]
# ## Step 2: the empirical risk converges to the risk
#
# For a fixed, misspecified predictor $\hat{f}(x) = 0.5x$ and data $y = \sin x + \varepsilon$ with $x$ uniform on $[0, 6]$ and $\varepsilon \sim \mathcal{N}(0, 1)$, the risk under squared loss is $1 + \mathbb{E}[(\sin x - 0.5x)^2]$, computed here by quadrature.
# The average loss over $n$ examples must be within 4 standard errors of it at every $n$, and its distance from the risk must shrink as $n$ grows.

# %%
u_grid = np.linspace(0, 6, 60_001)
risk_true = 1.0 + simpson((np.sin(u_grid) - 0.5 * u_grid) ** 2, x=u_grid) / 6
gaps = []
for n in (100, 10_000, 1_000_000):
    x_n = rng.uniform(0, 6, n)
    loss = (np.sin(x_n) + rng.standard_normal(n) - 0.5 * x_n) ** 2
    emp = loss.mean()
    se = loss.std() / np.sqrt(n)
    gaps.append(abs(emp - risk_true))
    print(f"n = {n:>9,}: empirical risk {emp:.4f}, risk {risk_true:.4f}, SE {se:.4f}")
    check(abs(emp - risk_true) <= 4 * se, f"n = {n:,}: empirical risk within 4 SE of the risk")
check(gaps[-1] < gaps[0], "the empirical risk is closer to the risk at n = 1,000,000 than at n = 100")

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

# %% [markdown]
# $\operatorname{KL} \ge 0$, with equality only when the two distributions agree (Gibbs' inequality): positive on 1,000 random pairs of distinct discrete distributions.

# %%
P = rng.dirichlet(np.ones(6), size=1000)
Q = rng.dirichlet(np.ones(6), size=1000)
kls = np.sum(P * np.log(P / Q), axis=1)
check(np.all(kls > 0), "KL(p || q) > 0 for 1,000 random pairs of distinct distributions")

# %% [markdown]
# ## Evaluating without labels
#
# Three well-separated blobs: k-means finds them, but its cluster numbers are arbitrary: different random starts number the same partition differently, which the adjusted Rand index (Hubert & Arabie, 1985) ignores.
# The silhouette score picks $k = 3$; the k-means objective keeps falling as $k$ grows, even on uniform noise with no clusters at all.

# %%
X, y = make_blobs(n_samples=600, centers=[[0, 0], [6, 0], [3, 5]], cluster_std=0.8, random_state=0)
labels = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(X)
runs = [KMeans(n_clusters=3, n_init=1, random_state=s).fit_predict(X) for s in range(10)]
renumbered = [r for r in runs if np.mean(r == labels) < 1]
check(
    len(renumbered) > 0 and all(adjusted_rand_score(labels, r) == 1.0 for r in renumbered),
    f"{len(renumbered)} of 10 k-means runs number the same three clusters differently (ARI 1, raw agreement < 1)",
)
check(adjusted_rand_score(y, labels) > 0.99, "ARI between the k-means clusters and the true classes is about 1")

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
# ## Step 7: unlabelled data help only when classes form clusters
#
# On the three blobs, we cluster all 600 points and then label each cluster by the majority among 3 labelled examples per class.
# When the classes are the blobs, this classifies almost every point correctly.
# As a negative control, the classes are set by the direction of each point from its blob's centre, so $p(\mathbf{x})$ says nothing about them: the same procedure must then be near chance, $1/3$ (within 4 binomial standard errors).


# %%
def cluster_then_label(classes, seed):
    r = np.random.default_rng(seed)
    known = np.concatenate([r.choice(np.flatnonzero(classes == c), 3, replace=False) for c in range(3)])
    fallback = np.bincount(classes[known]).argmax()
    to_class = {}
    for k in range(3):
        in_k = known[labels[known] == k]
        to_class[k] = np.bincount(classes[in_k]).argmax() if in_k.size else fallback
    return accuracy_score(classes, np.array([to_class[lab] for lab in labels]))


acc_blobs = cluster_then_label(y, 1)
check(acc_blobs > 0.99, f"classes = clusters: cluster-then-label with 9 labelled points, accuracy {acc_blobs:.3f}")
centres = np.array([X[y == c].mean(axis=0) for c in range(3)])
angle = np.arctan2(*(X - centres[y]).T[::-1])
y_orth = np.digitize(angle, [-np.pi / 3, np.pi / 3])  # three direction sectors, unrelated to the blobs
acc_orth = np.mean([cluster_then_label(y_orth, s) for s in range(20)])
se_orth = np.sqrt((1 / 3) * (2 / 3) / X.shape[0])
check(
    abs(acc_orth - 1 / 3) < 4 * se_orth,
    f"classes unrelated to the clusters: cluster-then-label accuracy {acc_orth:.3f}, near chance",
)

# %% [markdown]
# ## The page's example, simulated
#
# A synthetic version of the page's customer table: 50,000 customers in three segments (heavy use, dormant, many support tickets), four standardised features (monthly spend, logins per week, tenure, support tickets), and a 90-day cancellation label drawn from a logistic model of the features.
# Supervised: a logistic regression trained on 70 % of the customers is judged by ROC AUC on the other 30 %.
# Unsupervised: k-means with three clusters on the standardised features, without the label and without the segment, is judged against the (here known) segments by the adjusted Rand index.
# On a real table the segments are unknown, which is the page's point; the simulation only shows that both procedures do what the page says.

# %%
n_customers, horizon_days, n_segments = 50_000, 90, 3
segment_means = np.array([[2.0, 2.0, 0.5, -0.5], [-1.5, -2.0, 0.0, -0.5], [0.0, 0.0, -1.0, 2.5]])
segment = rng.integers(0, n_segments, n_customers)
table = segment_means[segment] + rng.standard_normal((n_customers, 4))
logit = -1.0 - 0.8 * table[:, 1] - 0.4 * table[:, 2] + 0.6 * table[:, 3]
cancelled = rng.random(n_customers) < 1 / (1 + np.exp(-logit))
Xtr, Xte, ytr, yte = train_test_split(table, cancelled, test_size=0.3, random_state=0)
churn_model = LogisticRegression().fit(Xtr, ytr)
churn_auc = roc_auc_score(yte, churn_model.predict_proba(Xte)[:, 1])
check(churn_auc > 0.5 + 0.1, f"the churn classifier ranks held-out customers well above chance (AUC {churn_auc:.3f})")
segments_found = KMeans(n_clusters=n_segments, n_init=3, random_state=0).fit_predict(
    StandardScaler().fit_transform(table)
)
segment_ari = adjusted_rand_score(segment, segments_found)
check(segment_ari > 0.8, f"k-means without labels recovers the three segments (ARI {segment_ari:.3f})")
bind("n_customers", n_customers)
bind("horizon_days", horizon_days)
bind("n_segments", n_segments)
bind("churn_auc", churn_auc)
bind("segment_ari", segment_ari)
