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
# # A diffusion model in two dimensions
#
# The data are a mixture of eight Gaussians on a circle, so every quantity of the model has a closed form and each formula on the page can be checked against an independent route:
# the closed-form forward marginal $q(\mathbf{x}_t \mid \mathbf{x}_0)$ against iterating the one-step chain; the posterior $q(\mathbf{x}_{t-1} \mid \mathbf{x}_t, \mathbf{x}_0)$ against generic Gaussian conditioning;
# the per-step KL term against the general Gaussian KL; the optimal noise predictor against a Monte Carlo posterior mean and against a least-squares fit of the noise-prediction objective; and ancestral sampling against the data distribution.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import logsumexp
from scipy.stats import chisquare, kstest

rng = np.random.default_rng(0)

# %% [markdown]
# ## The data and the noise schedule of Ho et al. (2020)
#
# Linear $\beta_t$ from $10^{-4}$ to $0.02$ over $T = 1000$ steps; $\alpha_t = 1 - \beta_t$, $\bar\alpha_t = \prod_{s \le t}\alpha_s$.

# %%
T = 1000
beta = np.linspace(1e-4, 0.02, T)  # beta[t-1] is beta_t
alpha = 1 - beta
alpha_bar = np.cumprod(alpha)
# a consistency check of the schedule code only (two ways of computing the same product), not of any page claim
check_close(
    alpha_bar[-1],
    np.exp(np.sum(np.log1p(-beta))),
    "alpha_bar_T as a product equals exp of the sum of log(1 - beta_t)",
    rtol=1e-10,
)
bind("t_steps", T)
bind("beta_1", beta[0])
bind("beta_last", beta[-1])
bind("alpha_bar_last", alpha_bar[-1])

n_comp, radius, s0 = 8, 2.0, 0.15
bind("n_comp", n_comp)
bind("radius", radius)
bind("comp_std", s0)
angles = 2 * np.pi * np.arange(n_comp) / n_comp
centres = radius * np.c_[np.cos(angles), np.sin(angles)]


def sample_data(m, gen=rng):
    c = gen.integers(0, n_comp, m)
    return centres[c] + s0 * gen.normal(size=(m, 2)), c


def ab(t):
    """alpha_bar_t for t = 0..T (alpha_bar_0 = 1)."""
    return 1.0 if t == 0 else alpha_bar[t - 1]


# %% [markdown]
# ## The closed-form forward process against iterating the chain
#
# Start many copies of one point $\mathbf{x}_0$ and apply $\mathbf{x}_t = \sqrt{\alpha_t}\,\mathbf{x}_{t-1} + \sqrt{\beta_t}\,\boldsymbol{\epsilon}_t$ step by step; the page claims $\mathbf{x}_t \mid \mathbf{x}_0 \sim \mathcal{N}(\sqrt{\bar\alpha_t}\,\mathbf{x}_0, (1 - \bar\alpha_t)\mathbf{I})$.

# %%
n_chain = 10_000
bind("n_chain", n_chain)
x0_fixed = np.array([2.0, 0.0])
x = np.tile(x0_fixed, (n_chain, 1))
checkpoints = [10, 50, 100, 200, 300, 500, 700, 1000]
bind("n_checkpoints", len(checkpoints))
chain_mean, chain_std, ks_p = {}, {}, {}
m_rec, v_rec = x0_fixed[0], 0.0  # exact recursion for mean and variance of the first coordinate
for t in range(1, T + 1):
    x = np.sqrt(alpha[t - 1]) * x + np.sqrt(beta[t - 1]) * rng.normal(size=x.shape)
    m_rec, v_rec = np.sqrt(alpha[t - 1]) * m_rec, alpha[t - 1] * v_rec + beta[t - 1]
    if t in checkpoints:
        chain_mean[t], chain_std[t] = x[:, 0].mean(), x[:, 0].std(ddof=1)
        z = (x - np.sqrt(ab(t)) * x0_fixed) / np.sqrt(1 - ab(t))
        ks_p[t] = min(kstest(z[:, 0], "norm").pvalue, kstest(z[:, 1], "norm").pvalue)
        check_close(
            m_rec, np.sqrt(ab(t)) * x0_fixed[0], f"t={t}: recursion mean equals sqrt(alpha_bar_t) x_0", rtol=1e-10
        )
        check_close(v_rec, 1 - ab(t), f"t={t}: recursion variance equals 1 - alpha_bar_t", rtol=1e-10)
se_ok = all(abs(chain_mean[t] - np.sqrt(ab(t)) * x0_fixed[0]) < 4 * np.sqrt((1 - ab(t)) / n_chain) for t in checkpoints)
check(se_ok, "the iterated chain's mean is within 4 standard errors of sqrt(alpha_bar_t) x_0 at every checkpoint")
check(
    all(abs(chain_std[t] / np.sqrt(1 - ab(t)) - 1) < 0.03 for t in checkpoints),
    "the iterated chain's standard deviation is within 3% of sqrt(1 - alpha_bar_t) at every checkpoint",
)
n_ks = 2 * len(checkpoints)
bind("n_ks", n_ks)
bind("ks_level_pct", 5)
check(
    min(ks_p.values()) > 0.05 / n_ks,
    f"no KS test rejects normality of the standardised chain after Bonferroni at 5% (smallest p {min(ks_p.values()):.3f})",
)
bind("ks_p_min", min(ks_p.values()))
t_mid = 300
bind("t_mid", t_mid)
bind("sqrt_ab_mid", np.sqrt(ab(t_mid)))
bind("chain_mean_mid", chain_mean[t_mid])
bind("cf_mean_mid", np.sqrt(ab(t_mid)) * x0_fixed[0])
bind("chain_std_mid", chain_std[t_mid])
bind("cf_std_mid", np.sqrt(1 - ab(t_mid)))
bind("x0_first", x0_fixed[0])

fig, ax = plt.subplots()
ts = np.arange(0, T + 1)
abar_all = np.r_[1.0, alpha_bar]
ax.plot(ts, np.sqrt(abar_all) * x0_fixed[0], "C0-", label=r"closed form: mean $\sqrt{\bar\alpha_t}\,x_{0,1}$")
ax.plot(ts, np.sqrt(1 - abar_all), "C3-", label=r"closed form: std $\sqrt{1-\bar\alpha_t}$")
ax.plot(checkpoints, [chain_mean[t] for t in checkpoints], "o", color="C0", label="iterated chain: mean")
ax.plot(checkpoints, [chain_std[t] for t in checkpoints], "s", color="C3", label="iterated chain: std")
ax.set_xlabel("step t")
ax.set_ylabel("first coordinate of $\\mathbf{x}_t$")
ax.set_title(f"Forward process from $x_0 = ({x0_fixed[0]:g}, {x0_fixed[1]:g})$, {n_chain:,} chains")
ax.legend(fontsize=9)
save_figure(fig, "forward-closed-form")

# %% [markdown]
# ## The forward posterior and the KL term
#
# Given $\mathbf{x}_0$, the pair $(x_{t-1}, x_t)$ (one coordinate) is jointly Gaussian with variances $1 - \bar\alpha_{t-1}$, $1 - \bar\alpha_t$ and covariance $\sqrt{\alpha_t}(1 - \bar\alpha_{t-1})$; condition it with the generic formula and compare with the page's $\tilde{\boldsymbol{\mu}}_t$ and $\tilde\beta_t$.


# %%
def post_mean(xt, x0, t):
    a, abt, abp = alpha[t - 1], ab(t), ab(t - 1)
    return np.sqrt(abp) * beta[t - 1] / (1 - abt) * x0 + np.sqrt(a) * (1 - abp) / (1 - abt) * xt


def post_var(t):
    return (1 - ab(t - 1)) / (1 - ab(t)) * beta[t - 1]


ok_mean, ok_var, ok_eps, ok_kl = [], [], [], []
for t in (2, 10, 100, 500, 999):
    x0v, epsv = rng.normal(size=2), rng.normal(size=2)
    xt = np.sqrt(ab(t)) * x0v + np.sqrt(1 - ab(t)) * epsv
    c11, c12, c22 = 1 - ab(t - 1), np.sqrt(alpha[t - 1]) * (1 - ab(t - 1)), 1 - ab(t)
    generic_mean = np.sqrt(ab(t - 1)) * x0v + c12 / c22 * (xt - np.sqrt(ab(t)) * x0v)
    generic_var = c11 - c12**2 / c22
    ok_mean.append(np.allclose(post_mean(xt, x0v, t), generic_mean, rtol=1e-10))
    ok_var.append(np.isclose(post_var(t), generic_var, rtol=1e-8))
    # mean written with the noise: (x_t - beta_t / sqrt(1 - alpha_bar_t) eps) / sqrt(alpha_t)
    ok_eps.append(
        np.allclose(post_mean(xt, x0v, t), (xt - beta[t - 1] / np.sqrt(1 - ab(t)) * epsv) / np.sqrt(alpha[t - 1]))
    )
    # KL between q(x_{t-1}|x_t,x_0) and p(x_{t-1}|x_t) = N(mu_theta, beta_t I) with mu_theta from a wrong eps_hat,
    # by the general Gaussian KL formula, against the page's weight * ||eps - eps_hat||^2 + the variance mismatch.
    eps_hat = epsv + 0.3 * rng.normal(size=2)
    mu_theta = (xt - beta[t - 1] / np.sqrt(1 - ab(t)) * eps_hat) / np.sqrt(alpha[t - 1])
    dm = mu_theta - post_mean(xt, x0v, t)
    # both of Ho et al.'s reverse variances, v_t = beta_t and v_t = beta_tilde_t, so that v_t in the weight is tested
    for v_t in (beta[t - 1], post_var(t)):
        S0, S1 = post_var(t) * np.eye(2), v_t * np.eye(2)
        kl_general = 0.5 * (
            np.trace(np.linalg.solve(S1, S0))
            + dm @ np.linalg.solve(S1, dm)
            - 2
            + np.log(np.linalg.det(S1) / np.linalg.det(S0))
        )
        kl_const = 0.5 * (2 * post_var(t) / v_t - 2 + 2 * np.log(v_t / post_var(t)))
        weight = beta[t - 1] ** 2 / (2 * v_t * alpha[t - 1] * (1 - ab(t)))
        ok_kl.append(np.isclose(kl_general, kl_const + weight * np.sum((epsv - eps_hat) ** 2), rtol=1e-8))
check(all(ok_mean) and all(ok_var), "DDPM posterior mean and variance equal generic Gaussian conditioning")
check(all(ok_eps), "posterior mean rewritten with the noise equals the x_0 form")
check(
    all(ok_kl),
    "per-step KL = constant + beta_t^2 / (2 var alpha_t (1 - alpha_bar_t)) ||eps - eps_hat||^2 (general Gaussian KL), for v_t = beta_t and v_t = beta_tilde_t",
)

# %% [markdown]
# ## The optimal noise predictor
#
# For this mixture, $q(\mathbf{x}_t)$ is again a mixture with centres $\sqrt{\bar\alpha_t}\,\mathbf{c}$ and variance $\bar\alpha_t s_0^2 + 1 - \bar\alpha_t$, so the score and $\boldsymbol{\epsilon}^*(\mathbf{x}_t, t) = -\sqrt{1 - \bar\alpha_t}\,\nabla\log q(\mathbf{x}_t)$ are exact.


# %%
def log_qt(xt, t):
    v = ab(t) * s0**2 + 1 - ab(t)
    d2 = np.sum((xt[:, None, :] - np.sqrt(ab(t)) * centres[None]) ** 2, axis=2)
    return logsumexp(-d2 / (2 * v), axis=1) - np.log(n_comp) - np.log(2 * np.pi * v)


def score(xt, t):
    v = ab(t) * s0**2 + 1 - ab(t)
    diff = np.sqrt(ab(t)) * centres[None] - xt[:, None, :]
    logw = -(diff[..., 0] ** 2 + diff[..., 1] ** 2) / (2 * v)
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return (w[..., None] * diff).sum(axis=1) / v


def eps_star(xt, t):
    return -np.sqrt(1 - ab(t)) * score(xt, t)


pts = rng.normal(scale=1.5, size=(50, 2))
h = 1e-5
for t in (5, 200, 800):
    fd = np.stack([(log_qt(pts + h * e, t) - log_qt(pts - h * e, t)) / (2 * h) for e in np.eye(2)], axis=1)
    check_close(
        score(pts, t), fd, f"t={t}: closed-form score equals finite differences of log q_t", rtol=1e-5, atol=1e-7
    )

# E[eps | x_t] by self-normalised weighting of a large sample of x_0 (no mixture formula used)
x0_big, _ = sample_data(200_000)
t_post = 200
bind("t_post", t_post)
probe = np.array([[1.0, 0.5], [-0.3, -1.2], [0.0, 0.0]]) * np.sqrt(ab(t_post)) * radius
mc_eps = []
for xt in probe:
    logw = -np.sum((xt - np.sqrt(ab(t_post)) * x0_big) ** 2, axis=1) / (2 * (1 - ab(t_post)))
    w = np.exp(logw - logw.max())
    w /= w.sum()
    ex0 = w @ x0_big
    mc_eps.append((xt - np.sqrt(ab(t_post)) * ex0) / np.sqrt(1 - ab(t_post)))
check_close(
    np.array(mc_eps),
    eps_star(probe, t_post),
    "E[eps | x_t] by importance weighting equals -sqrt(1 - alpha_bar) score",
    atol=0.02,
)

# %% [markdown]
# ## The noise-prediction objective is a regression, minimised by the noise's conditional mean
#
# At one step $t$, draw $(\mathbf{x}_0, \boldsymbol{\epsilon})$, form $\mathbf{x}_t$, and (a) compare the Monte Carlo loss of $\boldsymbol{\epsilon}^*$ with shifted predictors; (b) fit $\boldsymbol{\epsilon}_{\boldsymbol{\theta}}$ by least squares (with a tiny ridge penalty) on random Fourier features and compare it with $\boldsymbol{\epsilon}^*$.

# %%
n_reg = 20_000
bind("n_reg", n_reg)
x0s, _ = sample_data(n_reg)
eps = rng.normal(size=(n_reg, 2))
xts = np.sqrt(ab(t_post)) * x0s + np.sqrt(1 - ab(t_post)) * eps
e_star = eps_star(xts, t_post)
loss_star = np.mean(np.sum((eps - e_star) ** 2, axis=1))
bind("loss_star", loss_star)
delta_shift = np.array([0.2, -0.1])
loss_shift = np.mean(np.sum((eps - e_star - delta_shift) ** 2, axis=1))
resid = np.sum((eps - e_star) ** 2, axis=1) - np.sum((eps - e_star - delta_shift) ** 2, axis=1)
check(
    abs((loss_shift - loss_star) - delta_shift @ delta_shift) < 4 * resid.std() / np.sqrt(n_reg),
    "shifting the predictor by delta raises the loss by ||delta||^2 (within 4 SE): the cross term vanishes",
)
loss_naive = np.mean(np.sum((eps - np.sqrt(1 - ab(t_post)) * xts) ** 2, axis=1))
bind("loss_naive", loss_naive)
# the predictor sqrt(1 - alpha_bar) x_t is E[eps | x_t] for N(0, I) data; a demonstration (any other predictor loses in expectation)
check(loss_naive > loss_star, "the predictor that would be optimal for N(0, I) data has a higher loss")

n_feat = 400
bind("n_feat", n_feat)
ridge = 0.1  # a tiny ridge penalty keeps the normal equations well conditioned
Wf = rng.normal(scale=1.0, size=(2, n_feat))
bf = rng.uniform(0, 2 * np.pi, n_feat)


def feats(xx):
    return np.c_[np.cos(xx @ Wf + bf), xx, np.ones(len(xx))]


A_feat = feats(xts)
coef = np.linalg.solve(A_feat.T @ A_feat + ridge * np.eye(A_feat.shape[1]), A_feat.T @ eps)
test_x0, _ = sample_data(5000)
test_xt = np.sqrt(ab(t_post)) * test_x0 + np.sqrt(1 - ab(t_post)) * rng.normal(size=(5000, 2))
fit_err = np.mean(np.sum((feats(test_xt) @ coef - eps_star(test_xt, t_post)) ** 2, axis=1))
rel_err = fit_err / np.mean(np.sum(eps_star(test_xt, t_post) ** 2, axis=1))
bind("rff_rel_err", rel_err)
check(
    rel_err < 0.05, f"least squares on the noise-prediction loss recovers eps* (relative squared error {rel_err:.3f})"
)

# %% [markdown]
# ## Ancestral sampling with the optimal predictor
#
# $\mathbf{x}_T \sim \mathcal{N}(\mathbf{0}, \mathbf{I})$, then $\mathbf{x}_{t-1} = \frac{1}{\sqrt{\alpha_t}}\big(\mathbf{x}_t - \frac{\beta_t}{\sqrt{1 - \bar\alpha_t}}\boldsymbol{\epsilon}^*(\mathbf{x}_t, t)\big) + \sqrt{\beta_t}\,\mathbf{z}$ (no noise at the last step).

# %%
n_gen = 2000
bind("n_gen", n_gen)
snap_a, snap_b = 100, 300
bind("snap_a", snap_a)
bind("snap_b", snap_b)
xg = rng.normal(size=(n_gen, 2))
snaps = {T: xg.copy()}
for t in range(T, 0, -1):
    mean_t = (xg - beta[t - 1] / np.sqrt(1 - ab(t)) * eps_star(xg, t)) / np.sqrt(alpha[t - 1])
    xg = mean_t + (np.sqrt(beta[t - 1]) * rng.normal(size=xg.shape) if t > 1 else 0.0)
    if t - 1 in (0, snap_a, snap_b):
        snaps[t - 1] = xg.copy()
d2c = np.sum((xg[:, None, :] - centres[None]) ** 2, axis=2)
nearest = d2c.argmin(axis=1)
counts = np.bincount(nearest, minlength=n_comp)
p_chi = chisquare(counts).pvalue
bind("chi_p", p_chi)
check(
    p_chi > 1e-3,
    f"sample counts per component are consistent with an even spread over the {n_comp} components (chi-square p {p_chi:.3f})",
)
dist_gen = np.sqrt(d2c.min(axis=1))
x_ref, _ = sample_data(n_gen)
dist_ref = np.sqrt(np.sum((x_ref[:, None, :] - centres[None]) ** 2, axis=2).min(axis=1))
rms_gen, rms_ref = np.sqrt(np.mean(dist_gen**2)), np.sqrt(np.mean(dist_ref**2))
bind("rms_gen", rms_gen)
bind("rms_ref", rms_ref)
check(abs(rms_gen / rms_ref - 1) < 0.1, "distance to the nearest centre matches fresh data within 10%")
ks_dist = kstest(dist_gen, dist_ref).pvalue
bind("ks_dist_p", ks_dist)

fig, axes = plt.subplots(2, 4, figsize=(9.6, 5.0), sharex=True, sharey=True)
n_show = 300  # points drawn per panel (the checks use all n_gen samples)
bind("n_show", n_show)
x_data, _ = sample_data(n_show)
for j, t in enumerate((0, snap_a, snap_b, T)):
    xf = np.sqrt(ab(t)) * x_data + np.sqrt(1 - ab(t)) * rng.normal(size=x_data.shape)
    axes[0, j].scatter(xf[:, 0], xf[:, 1], s=3, alpha=0.5, color="C0", linewidths=0)
    axes[0, j].set_title(f"forward, t = {t}", fontsize=10)
for j, t in enumerate((T, snap_b, snap_a, 0)):
    axes[1, j].scatter(snaps[t][:n_show, 0], snaps[t][:n_show, 1], s=3, alpha=0.5, color="C3", linewidths=0)
    axes[1, j].set_title(f"reverse, t = {t}", fontsize=10)
for a in axes.ravel():
    a.set_xlim(-3.5, 3.5)
    a.set_ylim(-3.5, 3.5)
    a.set_aspect("equal")
    a.tick_params(labelsize=8)
fig.tight_layout()
save_figure(fig, "forward-and-reverse")
