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
# # A GAN in one dimension
#
# Real data $x \sim \mathcal{N}(m, s^2)$; the generator $G(z) = a z + b$ with $z \sim \mathcal{N}(0, 1)$, so $p_g = \mathcal{N}(b, a^2)$; the discriminator $D(x) = \sigma(w_0 + w_1 x + w_2 x^2)$, whose log-odds is quadratic and can therefore represent the optimal discriminator between two Gaussians exactly.
# The checks: the pointwise maximiser of the value function (symbolically, and against a logistic regression fitted to samples); $V(D^*, G) = -\log 4 + 2\,\operatorname{JSD}$ (Monte Carlo against a discretised JSD from SciPy);
# the saturation of the JSD for distant distributions; the vanishing gradient of the saturating generator loss (finite differences); training by alternating gradient steps, with and without a penalty on the discriminator; and the collapse of the generator's best response to a fixed discriminator.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from scipy.integrate import quad
from scipy.spatial.distance import jensenshannon
from scipy.special import expit
from scipy.stats import norm, wasserstein_distance
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(0)
m_data, s_data = 2.0, 0.5
bind("m_data", m_data)
bind("s_data", s_data)

# %% [markdown]
# ## The optimal discriminator
#
# For fixed $G$, $V(D, G) = \int \big[p_{\text{data}}(x)\log D(x) + p_g(x)\log(1 - D(x))\big]dx$ is maximised pointwise; $u \mapsto c_1\log u + c_2\log(1 - u)$ on $(0, 1)$ peaks at $c_1/(c_1 + c_2)$ (SymPy's symbols `A`, `B` below).

# %%
u, A_, B_ = sp.symbols("u A B", positive=True)
f = A_ * sp.log(u) + B_ * sp.log(1 - u)
sol = sp.solve(sp.diff(f, u), u)
check(len(sol) == 1 and sp.simplify(sol[0] - A_ / (A_ + B_)) == 0, "sympy: the stationary point is A/(A+B)")
check(
    sp.simplify(sp.diff(f, u, 2) + A_ / u**2 + B_ / (1 - u) ** 2) == 0,
    "sympy: the second derivative -A/u^2 - B/(1-u)^2 is negative, so it is the maximum",
)

# Against a classifier: logistic regression on (x, x^2), real (label 1) versus generated (label 0) samples.
a_g, b_g = 1.0, 0.0  # a generator N(0, 1)
bind("a_fixed", a_g)
bind("b_fixed", b_g)
n_clf = 50_000
bind("n_clf", n_clf)
xr, xf = rng.normal(m_data, s_data, n_clf), rng.normal(b_g, a_g, n_clf)
Xc = np.r_[xr, xf]
clf = LogisticRegression(C=1e6, max_iter=1000).fit(np.c_[Xc, Xc**2], np.r_[np.ones(n_clf), np.zeros(n_clf)])
grid = np.linspace(-1.5, 3.5, 201)
d_star = norm.pdf(grid, m_data, s_data) / (norm.pdf(grid, m_data, s_data) + norm.pdf(grid, b_g, a_g))
d_clf = clf.predict_proba(np.c_[grid, grid**2])[:, 1]
max_gap = np.abs(d_clf - d_star).max()
bind("d_clf_gap", max_gap)
check(
    max_gap < 0.02, f"a logistic regression trained on samples matches D* = p_data/(p_data + p_g) within {max_gap:.4f}"
)

# %% [markdown]
# ## At the optimal discriminator the value is twice the JSD minus log 4
#
# Left side: Monte Carlo with the closed-form $D^*$. Right side: SciPy's `jensenshannon` (which returns the square root of the JSD, natural log by default) on a fine discretisation of the two densities.


# %%
def d_opt(x, b, a):
    pd_, pg_ = norm.pdf(x, m_data, s_data), norm.pdf(x, b, a)
    return pd_ / (pd_ + pg_)


def jsd_grid(b, a):
    xs = np.linspace(-15, 20, 70_001)  # wider grids reach subnormal densities, where SciPy overflows
    return jensenshannon(norm.pdf(xs, m_data, s_data), norm.pdf(xs, b, a)) ** 2


n_mc = 400_000
xr_mc, xf_mc = rng.normal(m_data, s_data, n_mc), rng.normal(b_g, a_g, n_mc)
terms_r, terms_f = np.log(d_opt(xr_mc, b_g, a_g)), np.log(1 - d_opt(xf_mc, b_g, a_g))
v_mc = terms_r.mean() + terms_f.mean()
se_mc = np.sqrt(terms_r.var() / n_mc + terms_f.var() / n_mc)
jsd_val = jsd_grid(b_g, a_g)
bind("v_mc", v_mc)
bind("jsd_fixed", jsd_val)
check(
    abs(v_mc - (-np.log(4) + 2 * jsd_val)) < 4 * se_mc,
    f"V(D*, G) by Monte Carlo {v_mc:.4f} equals -log 4 + 2 JSD = {-np.log(4) + 2 * jsd_val:.4f} (within 4 SE)",
)


# the JSD by quadrature of its definition against the discretised SciPy value
def jsd_quad(b, a):
    def logpdf(x, mu, sd):
        return -0.5 * ((x - mu) / sd) ** 2 - math.log(sd * math.sqrt(2 * math.pi))

    def integrand(x):
        lp, lq = logpdf(x, m_data, s_data), logpdf(x, b, a)
        lm = max(lp, lq) + math.log(0.5 * (math.exp(lp - max(lp, lq)) + math.exp(lq - max(lp, lq))))
        return 0.5 * math.exp(lp) * (lp - lm) + 0.5 * math.exp(lq) * (lq - lm)

    lo, hi = min(m_data - 12 * s_data, b - 12 * a), max(m_data + 12 * s_data, b + 12 * a)
    return quad(integrand, lo, hi, points=[m_data, b], limit=400)[0]


check_close(
    jsd_quad(b_g, a_g), jsd_val, "JSD by quadrature of its definition equals SciPy's discretised value", rtol=1e-6
)
# (a consequence of the identity above and JSD >= 0, shown for completeness rather than as an independent check)
check(
    v_mc > -np.log(4) - 4 * se_mc,
    "V(D*, G) is at least -log 4, the value reached when p_g = p_data",
)
bind("log4", np.log(4))

# %% [markdown]
# ## The JSD saturates at log 2; the Wasserstein-1 distance does not
#
# For $p_g = \mathcal{N}(m + \Delta, s^2)$ the JSD tends to $\log 2$ as $\Delta$ grows, so its gradient with respect to the generator's shift vanishes; $W_1 = \lvert\Delta\rvert$ for two normals with equal variances (checked against SciPy on samples).

# %%
deltas = np.linspace(0, 6, 31)
jsds = np.array([jsd_grid(m_data + dl, s_data) for dl in deltas])
check_close(
    jsds[[5, 15, 30]],
    [jsd_quad(m_data + deltas[i], s_data) for i in (5, 15, 30)],
    "JSD along the path: SciPy's discretised value equals quadrature of the definition",
    rtol=1e-5,
    atol=1e-9,
)
far = 6.0
bind("far_shift", far)
bind("far_in_sd", far / s_data)
jsd_far = jsd_quad(m_data + far, s_data)
bind("jsd_far", jsd_far)
bind("log2", np.log(2))
check(np.log(2) - jsd_far < 1e-3, f"at a shift of {far:g} (12 s) the JSD is within 1e-3 of log 2")
slope_far = (jsd_quad(m_data + far + 1e-3, s_data) - jsd_quad(m_data + far - 1e-3, s_data)) / 2e-3
bind("jsd_slope_far", slope_far)
check(0 <= slope_far < 1e-6, "and its slope with respect to the shift is below one millionth")
w1_samples = wasserstein_distance(rng.normal(m_data, s_data, 100_000), rng.normal(m_data + far, s_data, 100_000))
check(abs(w1_samples - far) < 0.02, f"W1 between the two on samples is {w1_samples:.3f}, the shift {far:g}")

fig, ax = plt.subplots()
ax.plot(deltas / s_data, jsds, "C0-", label="Jensen–Shannon divergence")
ax.axhline(np.log(2), color="C0", ls=":", label=r"$\log 2$")
ax2 = ax.twinx()
ax2.plot(deltas / s_data, deltas, "C3--", label=r"Wasserstein-1 $= |\Delta|$")
ax2.set_ylabel("Wasserstein-1 distance", color="C3")
ax2.spines["right"].set_visible(True)
ax2.grid(False)
ax.set_xlabel(r"shift of the generator, $\Delta / s$")
ax.set_ylabel("JSD (nats)", color="C0")
ax.set_title("Two normals with equal variance, means apart by $\\Delta$")
lines = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
ax.legend(lines, [ln.get_label() for ln in lines], fontsize=9, loc="center right")
save_figure(fig, "jsd-saturation")

# %% [markdown]
# ## The saturating generator loss has a vanishing gradient early in training
#
# With $p_g = \mathcal{N}(b, s^2)$ four standard deviations below the data, and the discriminator at its optimum, compare $\partial/\partial b$ of $\mathbb{E}_z[\log(1 - D^*(G(z)))]$ (saturating, minimised) and of $-\mathbb{E}_z[\log D^*(G(z))]$ (non-saturating), by central differences with common random numbers and $D^*$ held fixed.

# %%
n_sd_early = 4
bind("n_sd_early", n_sd_early)
b_early = m_data - n_sd_early * s_data
bind("b_early", b_early)
z_fd = rng.normal(size=200_000)
logit_opt = lambda x: np.log(norm.pdf(x, m_data, s_data)) - np.log(norm.pdf(x, b_early, s_data))  # noqa: E731
hh = 1e-4
sat = lambda bb: np.mean(np.log1p(-expit(logit_opt(s_data * z_fd + bb))))  # noqa: E731
nonsat = lambda bb: -np.mean(np.log(expit(logit_opt(s_data * z_fd + bb))))  # noqa: E731
g_sat = (sat(b_early + hh) - sat(b_early - hh)) / (2 * hh)
g_nonsat = (nonsat(b_early + hh) - nonsat(b_early - hh)) / (2 * hh)
# analytic: d/dx log(1 - sigma(l)) = -sigma(l) l'(x), d/dx -log sigma(l) = -(1 - sigma(l)) l'(x)
xx_ = s_data * z_fd + b_early
lprime = -(xx_ - m_data) / s_data**2 + (xx_ - b_early) / s_data**2
check_close(
    g_sat, np.mean(-expit(logit_opt(xx_)) * lprime), "saturating gradient: finite differences = analytic", rtol=1e-4
)
check_close(
    g_nonsat,
    np.mean(-(1 - expit(logit_opt(xx_))) * lprime),
    "non-saturating gradient: finite differences = analytic",
    rtol=1e-4,
)
ratio = abs(g_nonsat / g_sat)
bind("g_sat", g_sat)
bind("g_nonsat", g_nonsat)
check(g_sat < 0 and g_nonsat < 0, "both gradients are negative: raising b lowers both losses")
bind("grad_ratio", ratio)
bind("d_mean_early", np.mean(expit(logit_opt(xx_))))
check(ratio > 10, f"the non-saturating gradient is {ratio:.0f} times larger")

# %% [markdown]
# ## Training by alternating stochastic gradient steps
#
# Each iteration: one ascent step for $D$ on a mini-batch estimate of $V$ (optionally with an L2 penalty $\frac{\lambda}{2}\lVert\mathbf{w}\rVert_2^2$), then one descent step for $G$ on the non-saturating loss.


# %%
def feats(x):
    out = np.empty((x.size, 3))  # columns 1, x, x^2 (filled in place: np.c_ is slow inside the training loop)
    out[:, 0], out[:, 1], out[:, 2] = 1.0, x, x * x
    return out


def train(lam, iters=6000, batch=256, eta_d=0.05, eta_g=0.02, a=1.0, b=-2.0, seed=1):
    gen = np.random.default_rng(seed)
    w = np.zeros(3)
    hist = np.zeros((iters + 1, 5))
    hist[0] = a, b, *w
    for it in range(iters):
        xr_b, xf_b = gen.normal(m_data, s_data, batch), a * gen.normal(size=batch) + b
        Fr, Ff = feats(xr_b), feats(xf_b)
        w = w + eta_d * ((1 - expit(Fr @ w)) @ Fr / batch - expit(Ff @ w) @ Ff / batch - lam * w)
        zb = gen.normal(size=batch)
        xg = a * zb + b
        g = -(1 - expit(feats(xg) @ w)) * (w[1] + 2 * w[2] * xg)  # d/dx of -log D(x)
        a, b = a - eta_g * np.mean(g * zb), b - eta_g * np.mean(g)
        hist[it + 1] = a, b, *w
    return hist


lam_d = 0.1
bind("lam_d", lam_d)
a0, b0 = 1.0, -2.0
bind("a_init", a0)
bind("b_init", b0)
n_iters = 6000
bind("n_iters", n_iters)
h_plain, h_reg = train(0.0, n_iters), train(lam_d, n_iters)
tail_len = 1000
bind("tail_len", tail_len)
tail = slice(-tail_len, None)
bind("a_final_reg", h_reg[-1, 0])
bind("b_final_reg", h_reg[-1, 1])
bind("a_sd_plain", h_plain[tail, 0].std())
bind("a_sd_reg", h_reg[tail, 0].std())
check(
    abs(abs(h_reg[-1, 0]) - s_data) < 0.02 and abs(h_reg[-1, 1] - m_data) < 0.02,
    "with the discriminator penalty the generator ends within 0.02 of (s, m)",
)
check(
    h_plain[tail, 0].std() > 10 * h_reg[tail, 0].std(),
    "without it the generator's scale keeps oscillating: over the last 1,000 steps its spread is over 10 times larger",
)
win_lo, win_hi = 1500, 3500
bind("win_lo", win_lo)
bind("win_hi", win_hi)
a_small_plain, a_max_plain = np.abs(h_plain[win_lo:win_hi, 0]).max(), h_plain[win_hi:, 0].max()
bind("a_small_plain", a_small_plain)
bind("a_max_plain", a_max_plain)
check(
    a_small_plain < 0.05 and a_max_plain > 2 * s_data,
    "without the penalty the scale shrinks almost to a point mass, then overshoots to over twice the target",
)
check(np.abs(h_reg[-1, 2:]).max() < 0.02, "at the end D is close to 1/2 everywhere (all weights near 0)")

fig, axes = plt.subplots(1, 2, figsize=(10.0, 4.0))
xs = np.linspace(-4, 5, 400)
axes[0].plot(xs, norm.pdf(xs, m_data, s_data), "k-", lw=2, label="data")
axes[0].plot(xs, norm.pdf(xs, b0, a0), "C0:", label="generator at start")
axes[0].plot(xs, norm.pdf(xs, h_reg[-1, 1], abs(h_reg[-1, 0])), "C3--", label="generator at end")
step_snap = 150
bind("step_snap", step_snap)
w_mid = h_reg[step_snap, 2:]
axes[0].plot(xs, expit(feats(xs) @ w_mid), "C2-", alpha=0.7, label=f"D(x) after {step_snap} steps")
axes[0].set_xlabel("x")
axes[0].set_title("Densities (penalised discriminator)")
axes[0].legend(fontsize=8, loc="upper left")
axes[1].plot(h_plain[:, 0], "C0-", lw=0.8, label="no penalty on D")
axes[1].plot(h_reg[:, 0], "C3-", lw=1.2, label=f"L2 penalty on D, $\\lambda$ = {lam_d:g}")
axes[1].axhline(s_data, color="k", ls=":", label="target s")
axes[1].set_xlabel("iteration")
axes[1].set_ylabel("generator scale a")
axes[1].set_title("Alternating gradient steps")
axes[1].legend(fontsize=8)
fig.tight_layout()
save_figure(fig, "gan-training")

# %% [markdown]
# ## Mode collapse in miniature: the best response to a fixed discriminator is a point mass
#
# Freeze $D$ (the logistic regression fitted above, which peaks inside the data) and let the generator alone minimise $-\mathbb{E}_z[\log D(az + b)]$: the scale $a$ shrinks to 0 and $b$ moves to the maximiser of $D$.

# %%
w_fixed = np.r_[clf.intercept_, clf.coef_[0]]
x_peak = -w_fixed[1] / (2 * w_fixed[2])
check(w_fixed[2] < 0, "the fitted discriminator's log-odds is concave, so D has one peak")
bind("x_peak", x_peak)
a, b = 1.0, 0.0
z_br = rng.normal(size=4000)
for _ in range(3000):
    xg = a * z_br + b
    g = -(1 - expit(feats(xg) @ w_fixed)) * (w_fixed[1] + 2 * w_fixed[2] * xg)
    a, b = a - 0.05 * np.mean(g * z_br), b - 0.05 * np.mean(g)
bind("a_collapse", abs(a))
bind("b_collapse", b)
check(
    abs(a) < 0.05 and abs(b - x_peak) < 0.01,
    f"best response: scale {abs(a):.3f}, location {b:.3f} at the peak {x_peak:.3f}",
)

# %% [markdown]
# ## Simultaneous gradient steps on a bilinear game spiral outwards
#
# The page derives that each step multiplies $x^2 + y^2$ by $1 + \eta^2$; simulate and compare.

# %%
eta_bil, steps_bil = 0.1, 100
bind("eta_bil", eta_bil)
bind("steps_bil", steps_bil)
xb, yb = 1.0, 0.0
for _ in range(steps_bil):
    xb, yb = xb - eta_bil * yb, yb + eta_bil * xb
growth = np.hypot(xb, yb)
bind("bilinear_growth", growth)
check_close(
    growth,
    (1 + eta_bil**2) ** (steps_bil / 2),
    "the radius grows by (1 + eta^2)^(1/2) per simultaneous step",
    rtol=1e-12,
)
# alternating steps (x first, then y with the new x) stay bounded instead
xa, ya, radii = 1.0, 0.0, []
for _ in range(steps_bil * 10):
    xa = xa - eta_bil * ya
    ya = ya + eta_bil * xa
    radii.append(np.hypot(xa, ya))
bind("alt_radius_max", max(radii))
check(max(radii) < 1.1 and min(radii) > 0.9, "alternating steps circle the equilibrium without converging or diverging")


# the page's threshold eta < 2: the alternating map (x, y) -> (x - eta y, y + eta (x - eta y)) has determinant 1 and
# trace 2 - eta^2, so it is bounded for eta < 2 and grows for eta > 2; simulate just below and just above the threshold
def alt_max_radius(eta, steps):
    xa, ya, rmax = 1.0, 0.0, 1.0
    for _ in range(steps):
        xa = xa - eta * ya
        ya = ya + eta * xa
        rmax = max(rmax, np.hypot(xa, ya))
    return rmax


eta_alt_lo, eta_alt_hi = 1.99, 2.01
bind("eta_alt_lo", eta_alt_lo)
bind("eta_alt_hi", eta_alt_hi)
rho = {e: np.abs(np.linalg.eigvals([[1, -e], [e, 1 - e**2]])).max() for e in (eta_alt_lo, eta_alt_hi)}
r_lo, r_hi = alt_max_radius(eta_alt_lo, 5000), alt_max_radius(eta_alt_hi, 200)
check(
    r_lo < 50 and abs(rho[eta_alt_lo] - 1) < 1e-9,
    f"at eta = {eta_alt_lo} alternating steps stay bounded (max radius {r_lo:.1f})",
)
check(
    r_hi > 1e10 and abs(np.log(r_hi) / 200 - np.log(rho[eta_alt_hi])) < 0.02,
    f"at eta = {eta_alt_hi} they grow, at the rate of the map's spectral radius {rho[eta_alt_hi]:.3f}",
)
