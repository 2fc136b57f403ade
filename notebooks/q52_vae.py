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
# # Auto-encoders and a variational auto-encoder, linear and exact
#
# With a linear Gaussian decoder $p_{\boldsymbol{\theta}}(\mathbf{x} \mid \mathbf{z}) = \mathcal{N}(\mathbf{W}\mathbf{z} + \mathbf{b}, \sigma^2\mathbf{I})$ and prior $\mathcal{N}(\mathbf{0}, \mathbf{I})$, the marginal $p_{\boldsymbol{\theta}}(\mathbf{x})$, the posterior and the ELBO all have closed forms (this is probabilistic PCA), so each claim on the page can be checked against an independent route:
# the Gaussian KL term against Monte Carlo; ELBO + KL(q ‖ posterior) = log p(x) against SciPy's marginal density; the reparameterised gradient against finite differences, and its variance against the score-function estimator;
# training by stochastic gradient ascent with the reparameterisation trick against the closed-form maximum likelihood of probabilistic PCA; posterior collapse when the decoder's noise is too large; and a plain linear auto-encoder against the PCA subspace.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.linalg import subspace_angles
from scipy.optimize import minimize
from scipy.stats import multivariate_normal

rng = np.random.default_rng(0)

# %% [markdown]
# ## The KL term in closed form against Monte Carlo
#
# $\operatorname{KL}\big(\mathcal{N}(\boldsymbol{\mu}, \operatorname{diag}(\mathbf{s}^2)) \,\|\, \mathcal{N}(\mathbf{0}, \mathbf{I})\big) = \frac{1}{2}\sum_j (s_j^2 + \mu_j^2 - 1 - \log s_j^2)$.

# %%
mu_q, s_q = np.array([0.5, -1.0, 2.0]), np.array([0.3, 1.5, 0.8])
bind("kl_dim", len(mu_q))
kl_closed = 0.5 * np.sum(s_q**2 + mu_q**2 - 1 - np.log(s_q**2))
zs = mu_q + s_q * rng.normal(size=(200_000, 3))
log_ratio = multivariate_normal(mu_q, np.diag(s_q**2)).logpdf(zs) - multivariate_normal(np.zeros(3), np.eye(3)).logpdf(
    zs
)
check(
    abs(log_ratio.mean() - kl_closed) < 4 * log_ratio.std() / np.sqrt(len(zs)),
    f"closed-form Gaussian KL {kl_closed:.4f} equals its Monte Carlo estimate {log_ratio.mean():.4f} (within 4 SE)",
)

# %% [markdown]
# ## Data and the linear VAE
#
# Two-dimensional data from a one-dimensional latent factor plus noise; encoder $q_{\boldsymbol{\psi}}(z \mid \mathbf{x}) = \mathcal{N}(\mathbf{a}^\top\mathbf{x} + c, s^2)$, decoder as above with $d_z = 1$.

# %%
n, d, dz = 1000, 2, 1
bind("n_vae", n)
bind("d_vae", d)
bind("dz_vae", dz)
W_true, mu_true, sig_true = np.array([[2.0], [1.0]]), np.array([1.0, -1.0]), 0.5
X = rng.normal(size=(n, dz)) @ W_true.T + mu_true + sig_true * rng.normal(size=(n, d))


def unpack(p):
    a, c, log_s = p[0:2], p[2], p[3]
    W, b, log_sig2 = p[4:6].reshape(2, 1), p[6:8], p[8]
    return a, c, log_s, W, b, log_sig2


def elbo_points(p, Xd=X):
    """Closed-form ELBO of each point: E_q[log p(x|z)] - KL(q || prior)."""
    a, c, log_s, W, b, log_sig2 = unpack(p)
    mu = Xd @ a + c
    s2, sig2 = np.exp(2 * log_s), np.exp(log_sig2)
    resid = Xd - mu[:, None] * W[:, 0] - b
    rec = -0.5 * d * np.log(2 * np.pi * sig2) - (np.sum(resid**2, axis=1) + s2 * np.sum(W**2)) / (2 * sig2)
    kl = 0.5 * (s2 + mu**2 - 1 - np.log(s2))
    return rec - kl, rec, kl


def log_marginal(p, Xd=X):
    _, _, _, W, b, log_sig2 = unpack(p)
    return multivariate_normal(b, W @ W.T + np.exp(log_sig2) * np.eye(d)).logpdf(Xd)


# %% [markdown]
# ## ELBO + KL(q ‖ true posterior) = log p(x), at arbitrary parameters
#
# The true posterior of the linear model is $\mathcal{N}\big(\mathbf{M}^{-1}\mathbf{W}^\top(\mathbf{x} - \mathbf{b}), \sigma^2\mathbf{M}^{-1}\big)$ with $\mathbf{M} = \mathbf{W}^\top\mathbf{W} + \sigma^2\mathbf{I}$ (Bishop, 2006, eq. 12.42); $\log p(\mathbf{x})$ comes from SciPy's multivariate normal with covariance $\mathbf{W}\mathbf{W}^\top + \sigma^2\mathbf{I}$.

# %%
p_rand = rng.normal(scale=0.5, size=9)
el, _, _ = elbo_points(p_rand)
a, c, log_s, W, b, log_sig2 = unpack(p_rand)
sig2 = np.exp(log_sig2)
M = (W.T @ W)[0, 0] + sig2
post_mean, post_var = (X - b) @ W[:, 0] / M, sig2 / M
mu_enc, s2_enc = X @ a + c, np.exp(2 * log_s)
kl_post = 0.5 * (np.log(post_var / s2_enc) + (s2_enc + (mu_enc - post_mean) ** 2) / post_var - 1)
bound_rtol_exp = -10
bind("bound_rtol_exp", bound_rtol_exp)
check_close(
    el + kl_post,
    log_marginal(p_rand),
    "ELBO + KL(q || p(z|x)) equals log p(x) for every point",
    rtol=10.0**bound_rtol_exp,
)
check(np.all(kl_post > 0) and np.all(el < log_marginal(p_rand)), "so the ELBO is below log p(x) for every point")
# the closed-form ELBO against a Monte Carlo estimate with reparameterised samples
eps_mc = rng.normal(size=(n, 2000))
z_mc = mu_enc[:, None] + np.sqrt(s2_enc) * eps_mc
rec_mc = -0.5 * d * np.log(2 * np.pi * sig2) - (
    (X[:, 0:1] - W[0, 0] * z_mc - b[0]) ** 2 + (X[:, 1:2] - W[1, 0] * z_mc - b[1]) ** 2
) / (2 * sig2)
kl_enc = 0.5 * (s2_enc + mu_enc**2 - 1 - np.log(s2_enc))
elbo_mc = rec_mc.mean() - kl_enc.mean()
# the only randomness is the draw of eps for each point, so the standard error is the within-point one
se_elbo_mc = np.sqrt(np.sum(rec_mc.var(axis=1) / eps_mc.shape[1])) / n
check(
    abs(elbo_mc - el.mean()) < 4 * se_elbo_mc,
    f"closed-form average ELBO equals its reparameterised Monte Carlo estimate (within 4 SE = {4 * se_elbo_mc:.1e})",
)
# the check would catch a closed form that forgot the s^2 ||W||^2 / (2 sigma^2) term of E_q||x - Wz - b||^2
check(np.mean(s2_enc * np.sum(W**2) / (2 * sig2)) > 10 * se_elbo_mc, "that term is far larger than the tolerance")

# %% [markdown]
# ## The reparameterisation gradient: unbiased, and far less noisy than the score-function estimator
#
# For one point, the gradient of $\mathbb{E}_{q}[\log p(\mathbf{x} \mid z)]$ with respect to the encoder mean $\mu$: reparameterised, $\partial_z \log p(\mathbf{x} \mid \mu + s\epsilon)$; score function, $\log p(\mathbf{x} \mid z)\,(z - \mu)/s^2$. Exact: $\mathbf{w}^\top(\mathbf{x} - \mathbf{w}\mu - \mathbf{b})/\sigma^2$.

# %%
x1 = X[0]
w_vec = W[:, 0]
mu1, s1 = mu_enc[0], np.sqrt(s2_enc)
n_grad = 100_000
bind("post_var_demo", post_var)
bind("n_grad", n_grad)
e1 = rng.normal(size=n_grad)
z1 = mu1 + s1 * e1
logp1 = -0.5 * d * np.log(2 * np.pi * sig2) - np.sum((x1 - np.outer(z1, w_vec) - b) ** 2, axis=1) / (2 * sig2)
g_rep = (x1 - np.outer(z1, w_vec) - b) @ w_vec / sig2
g_score = logp1 * (z1 - mu1) / s1**2
g_exact = w_vec @ (x1 - w_vec * mu1 - b) / sig2
for g, what in ((g_rep, "reparameterised"), (g_score, "score-function")):
    check(abs(g.mean() - g_exact) < 4 * g.std() / np.sqrt(n_grad), f"the {what} estimator is unbiased (within 4 SE)")
var_ratio = g_score.var() / g_rep.var()
bind("var_ratio", var_ratio)
check(var_ratio > 10, f"the score-function estimator's variance is {var_ratio:.0f} times larger")


# %% [markdown]
# ## Training with the reparameterisation trick
#
# One $\epsilon$ per point and step, $z_i = \mu_i + s\,\epsilon_i$, gradients of the single-sample estimate $\log p(\mathbf{x}_i \mid z_i) - \operatorname{KL}_i$ by hand, Adam with step $\eta$.
# First check the hand-written gradient: averaged over many $\epsilon$ it must equal the finite-difference gradient of the closed-form ELBO.


# %%
def grad_sample(p, eps_, fix_sig2=None):
    """Gradient of the mean over points of the single-sample ELBO estimate, by the chain rule through z = mu + s eps."""
    a, c, log_s, W, b, log_sig2 = unpack(p)
    if fix_sig2 is not None:
        log_sig2 = np.log(fix_sig2)
    s, sig2 = np.exp(log_s), np.exp(log_sig2)
    mu = X @ a + c
    z = mu + s * eps_
    r = X - np.outer(z, W[:, 0]) - b
    dz = r @ W[:, 0] / sig2  # d log p(x|z) / dz
    dmu = dz - mu  # minus d KL / d mu
    dlog_s = dz * eps_ * s - (s**2 - 1)  # chain rule through s = exp(log_s), minus d KL / d log_s
    g = np.zeros(9)
    g[0:2] = X.T @ dmu / n
    g[2] = dmu.mean()
    g[3] = dlog_s.mean()
    g[4:6] = (r * z[:, None]).mean(axis=0) / sig2
    g[6:8] = r.mean(axis=0) / sig2
    g[8] = 0.0 if fix_sig2 is not None else np.mean(-d / 2 + np.sum(r**2, axis=1) / (2 * sig2))
    return g


bind("n_params", len(p_rand))
g_avg = np.mean([grad_sample(p_rand, rng.normal(size=n)) for _ in range(1000)], axis=0)
hfd = 1e-6
g_fd = np.array(
    [(elbo_points(p_rand + hfd * e)[0].mean() - elbo_points(p_rand - hfd * e)[0].mean()) / (2 * hfd) for e in np.eye(9)]
)
check_close(
    g_avg,
    g_fd,
    "averaged reparameterised gradients equal finite differences of the closed-form ELBO",
    rtol=0.03,
    atol=0.02,
)


def train(p0, iters, eta, fix_sig2=None, seed=1):
    gen = np.random.default_rng(seed)
    p, m1, m2 = p0.copy(), np.zeros(9), np.zeros(9)
    hist = []
    for it in range(1, iters + 1):
        g = -grad_sample(p, gen.normal(size=n), fix_sig2)  # minimise the negative ELBO
        m1, m2 = 0.9 * m1 + 0.1 * g, 0.999 * m2 + 0.001 * g**2
        p = p - eta * (m1 / (1 - 0.9**it)) / (np.sqrt(m2 / (1 - 0.999**it)) + 1e-8)
        if fix_sig2 is not None:
            p[8] = np.log(fix_sig2)
        if it % 50 == 0 or it == 1:
            hist.append((it, elbo_points(p)[0].mean(), log_marginal(p).mean()))
    return p, np.array(hist)


p0 = np.r_[0.1, 0.1, 0.0, 0.0, 0.1, -0.1, 0.0, 0.0, 0.0]
n_steps, eta_adam = 3000, 0.01
bind("n_steps", n_steps)
bind("eta_adam", eta_adam)
p_fit, hist = train(p0, n_steps, eta_adam)

# probabilistic PCA by maximum likelihood in closed form (Tipping and Bishop, 1999): covariance with denominator n
Xc = X - X.mean(axis=0)
nu, V = np.linalg.eigh(Xc.T @ Xc / n)
nu, V = nu[::-1], V[:, ::-1]
sig2_ml = nu[1]  # the mean of the d - d_z = 1 discarded eigenvalues
W_ml = V[:, :1] * np.sqrt(nu[0] - sig2_ml)
ll_ml = multivariate_normal(X.mean(axis=0), W_ml @ W_ml.T + sig2_ml * np.eye(d)).logpdf(X).mean()
res_ml = minimize(
    lambda q: -multivariate_normal(q[:2], np.outer(q[2:4], q[2:4]) + np.exp(q[4]) * np.eye(2)).logpdf(X).mean(),
    np.r_[0, 0, 1, 1, 0.0],
    method="L-BFGS-B",
    options={"ftol": 1e-14, "gtol": 1e-9},
)
check_close(-res_ml.fun, ll_ml, "pPCA closed-form maximum log-likelihood equals a numerical maximisation", rtol=1e-6)
elbo_fit = elbo_points(p_fit)[0].mean()
bind("elbo_fit", elbo_fit)
bind("ll_ml", ll_ml)
bind("gap_fit", log_marginal(p_fit).mean() - elbo_fit)
check(
    ll_ml - elbo_fit < 0.01,
    f"the trained VAE's ELBO {elbo_fit:.4f} is within 0.01 nats of the maximum log-likelihood {ll_ml:.4f}",
)
_, _, _, W_fit, b_fit, ls2_fit = unpack(p_fit)
cos_fit = abs(W_fit[:, 0] @ V[:, 0]) / np.linalg.norm(W_fit)
bind("cos_decoder_pc1", cos_fit)
bind("sig2_fit", np.exp(ls2_fit))
bind("sig2_ml", sig2_ml)
check(cos_fit > 0.999, "the decoder's column points along the first principal direction")
check(abs(np.exp(ls2_fit) / sig2_ml - 1) < 0.05, "the learned noise variance is within 5% of the pPCA estimate")

# %% [markdown]
# ## Posterior collapse: a decoder noise larger than the top eigenvalue
#
# With $\sigma^2$ fixed above the largest eigenvalue $\nu_1$ of the covariance, the maximum-likelihood decoder has $\mathbf{W} = \mathbf{0}$ (Tipping and Bishop, 1999; Lucas et al., 2019): the code is ignored, and the encoder matches the prior.

# %%
sig2_big = 1.2 * nu[0]
bind("collapse_factor", 1.2)
bind("nu1_vae", nu[0])
p_col, _ = train(p0, n_steps, eta_adam, fix_sig2=sig2_big, seed=2)
kl_col = elbo_points(p_col)[2].mean()
_, _, _, W_col, _, _ = unpack(p_col)
bind("kl_collapse", kl_col)
bind("kl_fit", elbo_points(p_fit)[2].mean())
bind("w_norm_collapse", np.linalg.norm(W_col))
check(kl_col < 1e-3 and np.linalg.norm(W_col) < 0.05, "with the large fixed noise, W goes to 0 and KL(q || prior) to 0")
# independently: maximise the pPCA marginal likelihood over (b, W) with sigma^2 fixed at the same value
res_col = minimize(
    lambda q: -multivariate_normal(q[:2], np.outer(q[2:4], q[2:4]) + sig2_big * np.eye(2)).logpdf(X).mean(),
    np.r_[0.0, 0.0, 1.0, 1.0],
    method="L-BFGS-B",
    options={"ftol": 1e-15, "gtol": 1e-10},
)
w_norm_ml_collapse = np.linalg.norm(res_col.x[2:4])
bind("w_norm_ml_collapse", w_norm_ml_collapse)
check(w_norm_ml_collapse < 1e-3, "direct maximum likelihood with the same fixed sigma^2 also gives W = 0")

# %% [markdown]
# ## A plain linear auto-encoder finds the PCA subspace
#
# Minimise $\sum_i \lVert \mathbf{x}_i - \mathbf{B}\mathbf{E}\mathbf{x}_i \rVert_2^2$ over a $2 \times 5$ encoder $\mathbf{E}$ and a $5 \times 2$ decoder $\mathbf{B}$ (centred data), by L-BFGS with the analytic gradient; compare with the top-2 principal directions (Baldi and Hornik, 1989).

# %%
n_ae, d_ae, r_ae = 500, 5, 2
bind("n_ae", n_ae)
bind("d_ae", d_ae)
bind("r_ae", r_ae)
X5 = rng.normal(size=(n_ae, d_ae)) @ rng.normal(size=(d_ae, d_ae))
X5 -= X5.mean(axis=0)


def ae_loss(q):
    E, B = q[:10].reshape(2, 5), q[10:].reshape(5, 2)
    R = X5 - X5 @ E.T @ B.T
    gB = -2 * R.T @ (X5 @ E.T)
    gE = -2 * B.T @ R.T @ X5
    return np.sum(R**2), np.r_[gE.ravel(), gB.ravel()]


q0 = rng.normal(scale=0.1, size=20)
hq = 1e-6
fd_ae = np.array([(ae_loss(q0 + hq * e)[0] - ae_loss(q0 - hq * e)[0]) / (2 * hq) for e in np.eye(20)])
check_close(ae_loss(q0)[1], fd_ae, "auto-encoder gradient matches finite differences", rtol=1e-5, atol=1e-4)
res_ae = minimize(ae_loss, q0, jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-10, "ftol": 1e-15})
B_fit = res_ae.x[10:].reshape(5, 2)
_, sv5, Vt5 = np.linalg.svd(X5, full_matrices=False)
angle_max = subspace_angles(B_fit, Vt5[:2].T).max()
# The angle is optimiser round-off (it changes with the machine's BLAS): the page states the bound, not the value.
check(
    angle_max < 1e-6, f"the decoder spans the top-2 PCA subspace (largest principal angle {angle_max:.1e} rad < 1e-6)"
)
check_close(
    res_ae.fun,
    np.sum(sv5[2:] ** 2),
    "its reconstruction error equals the sum of the discarded squared singular values",
    rtol=1e-6,
)
E_fit = res_ae.x[:10].reshape(2, 5)
cos_b_pc1 = abs(B_fit[:, 0] @ Vt5[0]) / np.linalg.norm(B_fit[:, 0])
# a demonstration of "need not" (from a random start it practically never fails); the subspace and error checks above are the tests
check(
    cos_b_pc1 < 0.999,
    f"but its columns need not be the principal directions themselves (cosine of column 1 with PC1 {cos_b_pc1:.3f})",
)

# %% [markdown]
# ## Figure: data, samples from the trained VAE, and the ELBO during training

# %%
fig, axes = plt.subplots(1, 2, figsize=(10.0, 4.2))
ax = axes[0]
ax.scatter(X[:300, 0], X[:300, 1], s=6, alpha=0.4, color="C0", linewidths=0, label="data (300 of them)")
gen = np.random.default_rng(5)
z_new = gen.normal(size=(300, 1))
x_new = z_new @ W_fit.T + b_fit + np.sqrt(np.exp(ls2_fit)) * gen.normal(size=(300, d))
ax.scatter(
    x_new[:, 0],
    x_new[:, 1],
    s=6,
    alpha=0.5,
    color="C3",
    linewidths=0,
    label=r"VAE samples: $z \sim \mathcal{N}(0,1)$, decode",
)
tt = np.linspace(-2.5, 2.5, 2)
ax.plot(
    b_fit[0] + W_fit[0, 0] * tt,
    b_fit[1] + W_fit[1, 0] * tt,
    "k-",
    lw=2,
    label=r"decoder mean $\mathbf{w}z + \mathbf{b}$, $|z| \leq 2.5$",
)
ax.set_aspect("equal")
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.legend(fontsize=8, loc="upper left")
ax.set_title("Linear VAE with a one-dimensional code")
ax = axes[1]
ax.plot(hist[:, 0], hist[:, 2], "C0-", label=r"$\log p_{\theta}(\mathbf{x})$ of the current decoder")
ax.plot(hist[:, 0], hist[:, 1], "C3-", label="ELBO")
ax.axhline(ll_ml, color="k", ls=":", label="maximum log-likelihood (pPCA)")
ax.set_ylim(ll_ml - 1.5, ll_ml + 0.3)
ax.set_xlabel("Adam step")
ax.set_ylabel("average per point (nats)")
ax.set_title("Training with the reparameterisation trick")
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()
save_figure(fig, "linear-vae")
