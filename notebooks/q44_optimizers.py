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
# # SGD, momentum, RMSProp, Adam and AdamW on one loss surface
#
# The figure runs the five update rules of the page from the same start on an ill-conditioned quadratic.
# The checks compare the page's formulas with independent routes: the convergence rates of gradient descent and heavy-ball momentum with the eigenvalues of their iteration matrices, Adam's bias correction with a Monte Carlo average over gradient streams, Adam's invariance to rescaling the loss with two runs, and the difference between an L2 penalty and decoupled weight decay under Adam with the closed form of AdamW's expected decay.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure

rng = np.random.default_rng(0)

# %% [markdown]
# ## The surface and the update rules
#
# $J(\boldsymbol{\theta}) = \tfrac12(a_1\theta_1^2 + a_2\theta_2^2)$ with curvatures $a_1 = 1$ and $a_2 = 25$ (condition number 25), minimum at the origin.

# %%
curv = np.array([1.0, 25.0])
bind("a1", curv[0])
bind("a2", curv[1])
bind("kappa", curv[1] / curv[0])
theta_start = np.array([-4.0, 1.5])
bind("start1", theta_start[0])
bind("start2", theta_start[1])
n_steps = 100
bind("n_steps", n_steps)


def grad_quad(theta):
    return curv * theta


def run(update, state0, grad=grad_quad, steps=n_steps, theta0=theta_start):
    """Iterate theta <- update(theta, g, state, t) and return the path."""
    theta, state, path = theta0.astype(float).copy(), state0, [theta0.astype(float).copy()]
    for t in range(1, steps + 1):
        theta, state = update(theta, grad(theta), state, t)
        path.append(theta.copy())
    return np.array(path)


def sgd(eta):
    return lambda th, g, s, t: (th - eta * g, s)


def momentum(eta, beta1):
    def upd(th, g, m, t):
        m = beta1 * m + g  # PyTorch form: buffer m_t = beta1 m_{t-1} + g_t, step eta m_t
        return th - eta * m, m

    return upd


def rmsprop(eta, beta2, eps=1e-8):
    def upd(th, g, v, t):
        v = beta2 * v + (1 - beta2) * g**2
        return th - eta * g / (np.sqrt(v) + eps), v

    return upd


def adam(eta, beta1, beta2, eps=1e-8, l2=0.0, decoupled=0.0, correct=True):
    """Adam; `l2` adds l2*theta to the gradient (Adam + L2), `decoupled` is AdamW's lambda."""

    def upd(th, g, s, t):
        m, v = s
        g = g + l2 * th
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
        th = th - eta * decoupled * th - eta * m_hat / (np.sqrt(v_hat) + eps)
        return th, (m, v)

    return upd


zeros = np.zeros(2)
eta_gd = 0.07
eta_mom = 4 / (np.sqrt(curv[0]) + np.sqrt(curv[1])) ** 2  # optimal heavy-ball step (Polyak)
beta_mom = ((np.sqrt(curv[1] / curv[0]) - 1) / (np.sqrt(curv[1] / curv[0]) + 1)) ** 2
eta_adapt, beta1, beta2 = 0.1, 0.9, 0.999
for name_, value_ in (
    ("eta_gd", eta_gd),
    ("eta_mom", eta_mom),
    ("beta_mom", beta_mom),
    ("eta_adapt", eta_adapt),
    ("beta1", beta1),
    ("beta2", beta2),
):
    bind(name_, value_)
paths = {
    "gradient descent": run(sgd(eta_gd), None),
    "momentum": run(
        momentum(eta_mom, beta_mom), zeros
    ),  # the PyTorch form with step eta is Polyak's heavy ball with step eta
    "RMSProp": run(rmsprop(eta_adapt, beta2), zeros),
    "Adam": run(adam(eta_adapt, beta1, beta2), (zeros, zeros)),
}
final_dist = {k: np.linalg.norm(p[-1]) for k, p in paths.items()}
bind("final_gd", final_dist["gradient descent"])
bind("final_adam", final_dist["Adam"])
check(
    final_dist["RMSProp"] < 1e-8 and final_dist["momentum"] < 1e-8,
    "RMSProp and momentum reach the minimum to 1e-8 within 100 steps",
)
check(
    final_dist["RMSProp"] < final_dist["momentum"]
    and final_dist["momentum"] < min(final_dist["gradient descent"], final_dist["Adam"]),
    "on this axis-aligned valley RMSProp ends closest to the minimum, then momentum, ahead of gradient descent and Adam",
)
for k, v in final_dist.items():
    print(f"{k:18s} distance to the minimum after {n_steps} steps: {v:.2e}")

# The same valley rotated by 45 degrees: per-coordinate scaling can no longer match the two curvatures.
rot = np.array([[1, -1], [1, 1]]) / np.sqrt(2)
hess_rot = rot @ np.diag(curv) @ rot.T
path_rot = run(rmsprop(eta_adapt, beta2), zeros, grad=lambda th: hess_rot @ th, theta0=rot @ theta_start)
rms_rot_final = np.linalg.norm(path_rot[-1])
bind("rot_deg", np.degrees(np.arctan2(rot[1, 0], rot[0, 0])))
bind("rms_rot_final", rms_rot_final)
check(
    rms_rot_final > 1e6 * final_dist["RMSProp"],
    f"RMSProp on the rotated valley ends {rms_rot_final:.3f} away, against {final_dist['RMSProp']:.1e}",
)

# %% [markdown]
# ## Rates of gradient descent and momentum against the eigenvalues of their iteration matrices
#
# On a quadratic, gradient descent multiplies coordinate $i$ by $1 - \eta a_i$ per step, so the rate is $\max_i \lvert 1 - \eta a_i \rvert$.
# Heavy-ball momentum with Polyak's $\eta = 4/(\sqrt{a_1} + \sqrt{a_2})^2$ and $\beta_1 = ((\sqrt{\kappa} - 1)/(\sqrt{\kappa} + 1))^2$ converges at rate $\sqrt{\beta_1} = (\sqrt{\kappa} - 1)/(\sqrt{\kappa} + 1)$.
# The route to check both is the spectral radius of the linear map from $(\theta_t, \theta_{t-1})$ to $(\theta_{t+1}, \theta_t)$, computed by NumPy, and the decay measured along the simulated paths.

# %%
rate_gd = np.max(np.abs(1 - eta_gd * curv))
rate_mom = (np.sqrt(curv[1] / curv[0]) - 1) / (np.sqrt(curv[1] / curv[0]) + 1)
bind("rate_gd", rate_gd)
bind("rate_mom", rate_mom)


def spectral_radius_heavy_ball(eta, beta):
    radii = []
    for a in curv:  # theta_{t+1} = theta_t - eta a theta_t + beta (theta_t - theta_{t-1})
        T = np.array([[1 - eta * a + beta, -beta], [1.0, 0.0]])
        radii.append(np.max(np.abs(np.linalg.eigvals(T))))
    return max(radii)


check_close(spectral_radius_heavy_ball(eta_gd, 0.0), rate_gd, "GD rate max|1 - eta a_i| = spectral radius", rtol=1e-12)
check_close(
    spectral_radius_heavy_ball(eta_mom, beta_mom), rate_mom, "heavy-ball rate sqrt(beta) = spectral radius", rtol=1e-6
)
long_gd = run(sgd(eta_gd), None, steps=300)
long_mom = run(momentum(eta_mom, beta_mom), zeros, steps=300)
meas_gd = (np.linalg.norm(long_gd[300]) / np.linalg.norm(long_gd[200])) ** (1 / 100)
meas_mom = (np.linalg.norm(long_mom[300]) / np.linalg.norm(long_mom[200])) ** (1 / 100)
check(abs(meas_gd / rate_gd - 1) < 0.01, f"measured GD rate {meas_gd:.4f} vs {rate_gd:.4f}")
check(
    abs(meas_mom / rate_mom - 1) < 0.02,
    f"measured momentum rate {meas_mom:.4f} vs {rate_mom:.4f} (2%: the double root adds a factor t)",
)
steps_gd = np.log(1e-6) / np.log(rate_gd)
steps_mom = np.log(1e-6) / np.log(rate_mom)
bind("steps_gd_1e6", steps_gd)
bind("steps_mom_1e6", steps_mom)
check(
    final_dist["momentum"] < final_dist["gradient descent"] / 100,
    "momentum ends 100 times closer than gradient descent",
)

# %% [markdown]
# ## Adam's bias correction, by Monte Carlo
#
# With $\mathbf{m}_0 = \mathbf{0}$ and gradients of constant mean $\mu_g$, $\mathbb{E}[m_t] = (1 - \beta_1^t)\mu_g$ and $\mathbb{E}[v_t] = (1 - \beta_2^t)\mathbb{E}[g^2]$.
# We average $m_t$ and $v_t$ over many independent gradient streams and compare with the closed form, then check that dividing by $1 - \beta^t$ removes the bias.

# %%
n_streams, t_max = 20_000, 50
mu_g, sd_g = 0.5, 2.0
bind("n_streams", n_streams)
bind("t_max", t_max)
G = rng.normal(mu_g, sd_g, size=(n_streams, t_max))
m = np.zeros(n_streams)
v = np.zeros(n_streams)
ms, vs = [], []
for t in range(t_max):
    m = beta1 * m + (1 - beta1) * G[:, t]
    v = beta2 * v + (1 - beta2) * G[:, t] ** 2
    ms.append(m.copy())
    vs.append(v.copy())
ms, vs = np.array(ms), np.array(vs)
tt = np.arange(1, t_max + 1)
se_m = ms.std(axis=1, ddof=1) / np.sqrt(n_streams)
se_v = vs.std(axis=1, ddof=1) / np.sqrt(n_streams)
check(
    np.all(np.abs(ms.mean(axis=1) - (1 - beta1**tt) * mu_g) < 4.5 * se_m),
    "E[m_t] = (1 - beta1^t) mu_g for t = 1..50 (4.5 SE)",
)
check(
    np.all(np.abs(vs.mean(axis=1) - (1 - beta2**tt) * (mu_g**2 + sd_g**2)) < 4.5 * se_v),
    "E[v_t] = (1 - beta2^t) E[g^2] for t = 1..50 (4.5 SE)",
)
check(
    np.all(np.abs(ms.mean(axis=1) / (1 - beta1**tt) - mu_g) < 4.5 * se_m / (1 - beta1**tt)),
    "bias-corrected m_t / (1 - beta1^t) has mean mu_g at every t",
)
bind("t_ten", 10)
bind("m_bias_t10", 1 - beta1**10)
bind("v_bias_t10", 1 - beta2**10)
# Without correction the first step is (1 - beta1)/sqrt(1 - beta2) times eta in each coordinate; with it, exactly eta.
first_raw = run(adam(1.0, beta1, beta2, eps=0.0, correct=False), (zeros, zeros), steps=1)
first_cor = run(adam(1.0, beta1, beta2, eps=0.0), (zeros, zeros), steps=1)
check_close(
    np.abs(first_raw[1] - first_raw[0]),
    (1 - beta1) / np.sqrt(1 - beta2) * np.ones(2),
    "uncorrected first step = (1 - beta1)/sqrt(1 - beta2) per coordinate",
    rtol=1e-12,
)
check_close(
    np.abs(first_cor[1] - first_cor[0]), np.ones(2), "corrected first step = eta in every coordinate", rtol=1e-12
)
bind("raw_first_step", (1 - beta1) / np.sqrt(1 - beta2))

# %% [markdown]
# ## Adam is invariant to rescaling the loss; gradient descent is not
#
# Multiplying $J$ by $c$ multiplies every $m_t$ by $c$ and every $\sqrt{v_t}$ by $\lvert c \rvert$, so the step is unchanged (up to $\epsilon$).

# %%
c_scale = 1000.0
bind("c_scale", c_scale)
path_a = run(adam(eta_adapt, beta1, beta2, eps=1e-12), (zeros, zeros))
path_b = run(adam(eta_adapt, beta1, beta2, eps=1e-12), (zeros, zeros), grad=lambda th: c_scale * grad_quad(th))
check_close(path_b, path_a, "Adam on 1000 J follows the same path as on J", rtol=1e-8, atol=1e-10)
gd_scaled = run(sgd(eta_gd), None, grad=lambda th: c_scale * grad_quad(th), steps=5)
check(np.linalg.norm(gd_scaled[-1]) > 1e6, "gradient descent with the same eta diverges on 1000 J")

# %% [markdown]
# ## L2 penalty versus decoupled weight decay
#
# With plain gradient descent, decoupled decay $\boldsymbol{\theta} \leftarrow (1 - \eta\lambda)\boldsymbol{\theta} - \eta\mathbf{g}$ is the same as adding $\lambda\boldsymbol{\theta}$ to the gradient, i.e. the penalty $\tfrac{\lambda}{2}\lVert\boldsymbol{\theta}\rVert_2^2$.
# Under Adam the two differ: the penalty's gradient $\lambda\boldsymbol{\theta}$ is divided by $\sqrt{\hat{v}_t}$, so weights whose gradients are large or noisy are decayed less.
# Experiment: two weights start at 1 and receive pure zero-mean noise gradients, of standard deviation 0.1 and 10; the loss is flat, so only the decay moves their mean.
# For AdamW, the noise step $\hat{m}_t/\sqrt{\hat{v}_t}$ is an odd function of the noise, so it has mean 0, and $\mathbb{E}[\theta_T] = (1 - \eta\lambda)^T$ exactly.

# %%
lam_wd, eta_wd, T_wd, n_runs = 0.1, 0.01, 2000, 2000
for name_, value_ in (("lam_wd", lam_wd), ("eta_wd", eta_wd), ("t_wd", T_wd), ("n_runs", n_runs)):
    bind(name_, value_)
noise_sd = np.array([0.1, 10.0])
w_start = 1.0
bind("w_start", w_start)
bind("noise_lo", noise_sd[0])
bind("noise_hi", noise_sd[1])


# SGD: decoupled decay with lambda == gradient descent on the penalty (lambda/2)||theta||^2, step for step.
# The penalty's gradient is taken by central differences of the penalty itself, not from the formula lambda * theta,
# so a page that wrote the penalty as lambda ||theta||^2 (gradient 2 lambda theta) would fail here.
def penalty(th):
    return lam_wd / 2 * np.sum(th**2)


def fd_grad_penalty(th, h=1e-5):
    return np.array([(penalty(th + h * e) - penalty(th - h * e)) / (2 * h) for e in np.eye(len(th))])


g_seq = rng.normal(size=(50, 2))
th_a = th_b = np.ones(2)
for g in g_seq:
    th_a = (1 - eta_wd * lam_wd) * th_a - eta_wd * g
    th_b = th_b - eta_wd * (g + fd_grad_penalty(th_b))
check_close(
    th_a, th_b, "SGD: decoupled decay lambda = gradient step on the L2 penalty (lambda/2)||theta||^2", rtol=1e-9
)


def noisy_run(l2, decoupled, seed):
    r = np.random.default_rng(seed)
    th = np.full((n_runs, 2), w_start)
    m1 = np.zeros((n_runs, 2))
    v1 = np.zeros((n_runs, 2))
    for t in range(1, T_wd + 1):
        g = r.normal(size=(n_runs, 2)) * noise_sd + l2 * th
        m1 = beta1 * m1 + (1 - beta1) * g
        v1 = beta2 * v1 + (1 - beta2) * g**2
        step = (m1 / (1 - beta1**t)) / (np.sqrt(v1 / (1 - beta2**t)) + 1e-8)
        th = th - eta_wd * decoupled * th - eta_wd * step
    return th


th_w = noisy_run(0.0, lam_wd, 1)
th_l2 = noisy_run(lam_wd, 0.0, 1)
mean_w, se_w = th_w.mean(axis=0), th_w.std(axis=0, ddof=1) / np.sqrt(n_runs)
mean_l2 = th_l2.mean(axis=0)
expected_w = w_start * (1 - eta_wd * lam_wd) ** T_wd
bind("adamw_expected", expected_w)
check(
    np.all(np.abs(mean_w - expected_w) < 4 * se_w),
    f"AdamW: E[theta_T] = (1 - eta lambda)^T = {expected_w:.3f}; MC {mean_w.round(3)}",
)
bind("adamw_mean_lo", mean_w[0])
bind("adamw_mean_hi", mean_w[1])
bind("adaml2_mean_lo", mean_l2[0])
bind("adaml2_mean_hi", mean_l2[1])
# Prediction for Adam + L2 when lambda theta << noise: the decay is divided by sqrt(v) ~ noise sd, so
# E[theta_T] ~ exp(-eta lambda T / sd): far less decay for the noisy weight.
approx_hi = np.exp(-eta_wd * lam_wd * T_wd / noise_sd[1])
bind("adaml2_approx_hi", approx_hi)
check(
    abs(mean_l2[1] / approx_hi - 1) < 0.05,
    f"Adam + L2, noisy weight: {mean_l2[1]:.3f} vs exp(-eta lambda T / sd) = {approx_hi:.3f} (5%)",
)
check(
    mean_l2[0] < mean_w[0] / 2 and mean_l2[1] > 5 * mean_w[1],
    "Adam + L2 decays the quiet weight more and the noisy weight far less than AdamW",
)

# %% [markdown]
# ## The figure: paths on the contours, and the distance to the minimum

# %%
paths["AdamW"] = run(adam(eta_adapt, beta1, beta2, decoupled=lam_wd), (zeros, zeros))
fig, axes = plt.subplots(1, 2, figsize=(9.6, 4.0), gridspec_kw={"width_ratios": [1.5, 1]})
g1, g2 = np.meshgrid(np.linspace(-4.5, 1.5, 200), np.linspace(-2, 2, 200))
axes[0].contour(
    g1, g2, 0.5 * (curv[0] * g1**2 + curv[1] * g2**2), levels=np.geomspace(0.05, 60, 12), colors="gray", linewidths=0.6
)
styles = {"gradient descent": "C0", "momentum": "C1", "RMSProp": "C2", "Adam": "C3", "AdamW": "C4"}
for k, p in paths.items():
    axes[0].plot(
        p[:, 0],
        p[:, 1],
        color=styles[k],
        lw=1.2,
        label=k,
        marker="." if k != "AdamW" else None,
        ms=3,
        ls="--" if k == "AdamW" else "-",
    )
    axes[1].semilogy(np.linalg.norm(p, axis=1) + 1e-300, color=styles[k], ls="--" if k == "AdamW" else "-", label=k)
axes[0].plot(*theta_start, "ko")
axes[0].plot(0, 0, "k*", ms=10)
axes[0].set_xlabel(r"$\theta_1$ (curvature 1)")
axes[0].set_ylabel(r"$\theta_2$ (curvature 25)")
axes[0].set_aspect("equal")
axes[0].legend(fontsize=8, loc="lower right")
axes[1].set_xlabel("step $t$")
axes[1].set_ylabel(r"distance to the minimum $\|\theta_t\|$")
axes[1].set_ylim(1e-8, 10)
fig.tight_layout()
save_figure(fig, "optimizer-paths")
