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
# # Entropy, cross-entropy and KL divergence
#
# The checks test the page's claims against independent routes: $H(p, q) = H(p) + \operatorname{KL}(p \,\|\, q)$ with our sums against SciPy's `entropy`; Gibbs' inequality on random pairs and by numerical minimisation of the cross-entropy over $q$; the average cross-entropy of a classifier against scikit-learn's `log_loss`, and its agreement with the logistic-regression objective; the gradient $\mathbf{q} - \mathbf{e}_y$ of softmax cross-entropy against finite differences; that minimising the cross-entropy of a categorical model gives the empirical frequencies (counting); the Gaussian KL formula against numerical integration; and, for the figure, that forward KL fits a Gaussian by matching moments while reverse KL locks onto a mode (numerical optimisation against the closed-form moments).

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy import integrate
from scipy.optimize import minimize
from scipy.spatial.distance import jensenshannon
from scipy.special import log_softmax, softmax
from scipy.stats import entropy, norm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

rng = np.random.default_rng(0)


def H(p, base=np.e):
    p = np.asarray(p, float)
    nz = p > 0
    return -np.sum(p[nz] * np.log(p[nz])) / np.log(base)


def cross_entropy(p, q, base=np.e):
    p, q = np.asarray(p, float), np.asarray(q, float)
    nz = p > 0
    return -np.sum(p[nz] * np.log(q[nz])) / np.log(base)


# %% [markdown]
# ## The worked example, in bits
#
# $p = (\tfrac12, \tfrac14, \tfrac14)$ and $q$ uniform on three outcomes.

# %%
p_ex = np.array([0.5, 0.25, 0.25])
q_ex = np.full(3, 1 / 3)
for j in range(3):
    bind(f"p_ex_{j}", p_ex[j])
bind("n_outcomes", 3)
check_close(H(p_ex, 2), entropy(p_ex, base=2), "H(p) in bits: our sum = scipy.stats.entropy", name="h_p_bits")
check_close(
    cross_entropy(p_ex, q_ex, 2),
    entropy(p_ex, base=2) + entropy(p_ex, q_ex, base=2),
    "H(p, q) = H(p) + KL(p||q) in bits (KL from scipy)",
    name="h_pq_bits",
)
bind("kl_pq_bits", entropy(p_ex, q_ex, base=2))
bind("kl_qp_bits", entropy(q_ex, p_ex, base=2))
check(abs(entropy(p_ex, q_ex) - entropy(q_ex, p_ex)) > 1e-3, "KL is not symmetric on the worked example")
bind("h_q_bits", entropy(q_ex, base=2))

# %% [markdown]
# ## The decomposition and Gibbs' inequality on random distributions
#
# 10,000 random pairs on 6 outcomes, some with very uneven probabilities (Dirichlet with concentration 0.3).

# %%
n_pairs = 10_000
bind("n_pairs", n_pairs)
P = rng.dirichlet(np.full(6, 0.3), size=n_pairs)
Q = rng.dirichlet(np.full(6, 0.3), size=n_pairs)
P, Q = np.clip(P, 1e-300, None), np.clip(Q, 1e-300, None)
ce = -np.sum(P * np.log(Q), axis=1)
check_close(
    ce, entropy(P, axis=1) + entropy(P, Q, axis=1), "H(p,q) = H(p) + KL(p||q) on 10,000 random pairs", rtol=1e-9
)
check(np.all(entropy(P, Q, axis=1) >= 0), "Gibbs: KL(p||q) >= 0 on all 10,000 pairs")
check(np.all(ce >= entropy(P, axis=1) - 1e-12), "so the cross-entropy is never below the entropy")
# minimising H(p, q) over q numerically lands on q = p
p6 = P[0] / P[0].sum()
res = minimize(lambda t: -np.sum(p6 * log_softmax(t)), np.zeros(6), method="BFGS", options={"gtol": 1e-12})
check_close(softmax(res.x), p6, "numerical minimiser over q of H(p, q) is q = p", atol=1e-5)
check_close(res.fun, entropy(p6), "and the minimum is H(p)", rtol=1e-8)
# step 5: KL(p || uniform) = log K - H(p), on all 10,000 random p
check_close(
    entropy(P, np.full(6, 1 / 6), axis=1), np.log(6) - entropy(P, axis=1), "KL(p || u) = log K - H(p)", rtol=1e-9
)
# label smoothing (follow-up): H((1 - kappa) e_y + kappa u, q) = H(e_y, q) + kappa (H(u, q) - H(e_y, q))
kappa, u6, e0 = 0.1, np.full(6, 1 / 6), np.eye(6)[0]
ls_direct = np.array([cross_entropy((1 - kappa) * e0 + kappa * u6, q) for q in Q[:100]])
ls_page = np.array([cross_entropy(e0, q) + kappa * (cross_entropy(u6, q) - cross_entropy(e0, q)) for q in Q[:100]])
check_close(ls_direct, ls_page, "label-smoothed cross-entropy = usual loss + kappa (H(u,q) - H(e_y,q))", rtol=1e-10)
# Jensen-Shannon (follow-up): our definition against SciPy's jensenshannon (which returns its square root), and <= log 2
jsd = 0.5 * entropy(P, (P + Q) / 2, axis=1) + 0.5 * entropy(Q, (P + Q) / 2, axis=1)
check_close(np.sqrt(jsd), jensenshannon(P, Q, axis=1), "JSD as defined = SciPy's jensenshannon squared", rtol=1e-8)
check(
    np.all(jsd <= np.log(2) + 1e-12) and jsd.max() > 0.9 * np.log(2), "JSD <= log 2, nearly reached by far-apart pairs"
)
# mutual information (follow-up): KL(joint || product of marginals) = H(y) - E_x[H(y | x)], on a random joint table
joint = rng.dirichlet(np.ones(12)).reshape(4, 3)  # 4 values of x, 3 of y
px, py = joint.sum(axis=1), joint.sum(axis=0)
mi_kl = entropy(joint.ravel(), np.outer(px, py).ravel())
mi_h = entropy(py) - sum(px[i] * entropy(joint[i] / px[i]) for i in range(4))
check_close(mi_kl, mi_h, "I(x; y) = KL(p(x,y) || p(x)p(y)) = H(y) - E[H(y | x)]", rtol=1e-10)
# the uniform distribution has the largest entropy, log K
res_u = minimize(lambda t: -entropy(softmax(t)), rng.normal(size=6), method="BFGS")
check_close(-res_u.fun, np.log(6), "numerical maximum of the entropy on 6 outcomes = log 6 (uniform)", rtol=1e-8)

# %% [markdown]
# ## Cross-entropy as the classification loss
#
# A three-class problem; the model is multinomial logistic regression fitted by scikit-learn.
# The average cross-entropy between one-hot labels and predicted probabilities is scikit-learn's `log_loss`, and for two classes it is the logistic-regression objective $J(\mathbf{w}) = -\ell(\mathbf{w})$ of the logistic-regression page, divided by $n$.

# %%
n, d, K = 600, 2, 3
centres = np.array([[0.0, 0.0], [2.0, 0.5], [0.5, 2.0]])
y = rng.integers(0, K, size=n)
X = centres[y] + rng.normal(size=(n, d))
clf = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, y)
Qhat = clf.predict_proba(X)
ce_mean = -np.mean(np.log(Qhat[np.arange(n), y]))
check_close(ce_mean, log_loss(y, Qhat), "average cross-entropy with one-hot labels = sklearn log_loss", rtol=1e-12)
onehot = np.eye(K)[y]
check_close(
    ce_mean,
    np.mean([cross_entropy(onehot[i], Qhat[i]) for i in range(n)]),
    "= the mean of H(e_y, q) over examples",
    rtol=1e-12,
)

# binary: the same number as the logistic-regression page's objective J(w)/n = -(1/n) sum [y z - log(1 + e^z)]
yb = (y == 1).astype(int)
clf_b = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, yb)
z = clf_b.decision_function(X)
check_close(
    log_loss(yb, clf_b.predict_proba(X)[:, 1]),
    -np.mean(yb * z - np.logaddexp(0, z)),
    "binary cross-entropy = the logistic-regression objective J(w)/n of page 9",
    rtol=1e-10,
)

# gradient of the softmax cross-entropy with respect to the logits is q - e_y
logits, label = rng.normal(size=K), 2
h = 1e-6
fd = np.array([(-log_softmax(logits + h * e)[label] + log_softmax(logits - h * e)[label]) / (2 * h) for e in np.eye(K)])
check_close(softmax(logits) - np.eye(K)[label], fd, "d CE / d logits = q - e_y (finite differences)", rtol=1e-6)

# minimising the empirical cross-entropy of a categorical model = the maximum-likelihood estimate = the frequencies
counts = np.bincount(y, minlength=K)
res_cat = minimize(lambda t: -np.mean(log_softmax(t)[y]), np.zeros(K), method="BFGS", options={"gtol": 1e-12})
check_close(softmax(res_cat.x), counts / n, "minimiser of the empirical cross-entropy = class frequencies", atol=1e-6)
check_close(
    res_cat.fun,
    entropy(counts / n),
    "its minimum is the entropy of the empirical distribution (KL term zero)",
    rtol=1e-8,
)

# the confident mistake: cost of probability 0.01 on the true class
bind("q_wrong", 0.01)
bind("loss_wrong_nats", -np.log(0.01))
bind("q_right", 0.9)
bind("loss_right_nats", -np.log(0.9))

# %% [markdown]
# ## The KL divergence between two Gaussians
#
# $\operatorname{KL}(\mathcal{N}(\mu_1, s_1^2) \,\|\, \mathcal{N}(\mu_2, s_2^2)) = \log\frac{s_2}{s_1} + \frac{s_1^2 + (\mu_1 - \mu_2)^2}{2 s_2^2} - \frac12$, against numerical integration.


# %%
def kl_gauss(m1, s1, m2, s2):
    return np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


for m1, s1, m2, s2 in [(0.0, 1.0, 1.0, 2.0), (1.5, 0.5, -1.0, 1.0), (0.0, 3.0, 0.0, 1.0)]:
    quad = integrate.quad(
        lambda t, m1=m1, s1=s1, m2=m2, s2=s2: norm.pdf(t, m1, s1) * (norm.logpdf(t, m1, s1) - norm.logpdf(t, m2, s2)),
        -np.inf,
        np.inf,
    )[0]
    check_close(kl_gauss(m1, s1, m2, s2), quad, f"Gaussian KL formula = quadrature for {(m1, s1, m2, s2)}", rtol=1e-7)
g_a, g_b = (0.0, 1.0), (1.0, 2.0)  # (mean, standard deviation) of the page's two Gaussians
for name_, value_ in (("g_mu_a", g_a[0]), ("g_s_a", g_a[1]), ("g_mu_b", g_b[0]), ("g_s_b", g_b[1])):
    bind(name_, value_)
bind("kl_g_ab", kl_gauss(*g_a, *g_b))
bind("kl_g_ba", kl_gauss(*g_b, *g_a))

# %% [markdown]
# ## Forward and reverse KL: fitting one Gaussian to two modes
#
# $p$ is an equal mixture of $\mathcal{N}(-2, 0.5^2)$ and $\mathcal{N}(2, 0.5^2)$; $q = \mathcal{N}(\mu, s^2)$.
# Forward KL, $\operatorname{KL}(p \,\|\, q)$, is minimised by matching the mean and variance of $p$ (closed form: mean 0, variance $0.25 + 4$).
# Reverse KL, $\operatorname{KL}(q \,\|\, p)$, has a local minimum at each mode.

# %%
mode, s_comp = 2.0, 0.5
bind("mode", mode)
bind("s_comp", s_comp)
grid = np.linspace(-9, 9, 6001)
dx = grid[1] - grid[0]


def log_p(t):
    return np.logaddexp(norm.logpdf(t, -mode, s_comp), norm.logpdf(t, mode, s_comp)) + np.log(0.5)


def forward_kl(params):
    m, log_s = params
    pt = np.exp(log_p(grid))
    return np.sum(pt * (log_p(grid) - norm.logpdf(grid, m, np.exp(log_s)))) * dx


def reverse_kl(params):
    m, log_s = params
    qt = norm.pdf(grid, m, np.exp(log_s))
    return np.sum(qt * (norm.logpdf(grid, m, np.exp(log_s)) - log_p(grid))) * dx


fw = minimize(forward_kl, [0.5, 0.0], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-12})
check_close(fw.x[0], 0.0, "forward-KL fit: mean = the mixture's mean", atol=1e-4)
check_close(np.exp(fw.x[1]) ** 2, s_comp**2 + mode**2, "forward-KL fit: variance = the mixture's variance", rtol=1e-4)
bind("fw_mean", fw.x[0] + 0.0)
bind("fw_sd", np.exp(fw.x[1]))
rv = minimize(reverse_kl, [0.5, 0.0], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-12})
rv_other = minimize(reverse_kl, [-0.5, 0.0], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-12})
check(abs(rv.x[0] - mode) < 0.01 and abs(rv_other.x[0] + mode) < 0.01, "reverse-KL fits sit on one mode or the other")
check(abs(np.exp(rv.x[1]) - s_comp) < 0.01, "reverse-KL fit has about the width of one component")
bind("rv_mean", rv.x[0])
bind("rv_sd", np.exp(rv.x[1]))
bind("rv_kl", rv.fun)
bind("log2", np.log(2))
check_close(rv.fun, np.log(2), "reverse KL at a mode is about log 2 (q covers half of p's mass)", rtol=1e-3)
bind("fw_kl", fw.fun)

fig, ax = plt.subplots()
pt = np.exp(log_p(grid))
ax.plot(grid, pt, "k-", lw=2, label="p: two modes")
ax.plot(grid, norm.pdf(grid, fw.x[0], np.exp(fw.x[1])), "C0--", label=r"argmin KL(p || q): covers both")
ax.plot(grid, norm.pdf(grid, rv.x[0], np.exp(rv.x[1])), "C3-", label=r"argmin KL(q || p): one mode")
ax.set_xlim(-5, 5)
ax.set_xlabel("v")
ax.set_ylabel("density")
ax.set_title("Fitting one Gaussian q to a two-mode p")
ax.legend(fontsize=9)
save_figure(fig, "forward-vs-reverse-kl")
