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
# # Probability versus likelihood for coin flips
#
# One formula, $\theta^k(1-\theta)^{n-k}$, read two ways: as a function of the data $k$ for a fixed $\theta$ (a probability distribution that sums to 1) and as a function of $\theta$ for the observed $k = 7$ heads in $n = 10$ tosses (a likelihood that does not integrate to 1).
# Each number of the page is computed here and bound, and each claim is checked by an independent route: sympy against the closed forms, scipy's distributions against hand formulas, quadrature against Beta functions, and simulated coin tosses against the probabilities.

# %%
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from scipy.integrate import quad
from scipy.special import beta as beta_fn
from scipy.special import comb, expit
from scipy.stats import bernoulli, binom, nbinom, norm

rng = np.random.default_rng(12)
n, k = 10, 7
bind("n_tosses", n)
bind("k_heads", k)
bind("n_tails", n - k)


def seq_likelihood(theta):
    """Likelihood of one particular sequence with k heads in n tosses (the page's closed form)."""
    return theta**k * (1 - theta) ** (n - k)


def bind_fraction(name, value):
    """Bind a quadrature result as the exact fraction it approximates (numerator and denominator)."""
    frac = Fraction(value).limit_denominator(100_000)
    check(abs(float(frac) - value) < 1e-12, f"{name}: the quadrature value {value:.12g} is the fraction {frac}")
    bind(f"{name}_num", frac.numerator)
    bind(f"{name}_den", frac.denominator)


# %% [markdown]
# ## Probability: a function of the data, for fixed theta
#
# For fixed $\theta$, the number of heads $S$ has the binomial mass function $P(S = j \mid \theta) = \binom{n}{j}\theta^j(1-\theta)^{n-j}$.
# sympy proves that it sums to 1 over $j = 0, \dots, n$ for every $\theta$; 200,000 simulated experiments of 10 tosses check the probability of 7 heads (tolerance 4 binomial standard errors).

# %%
th, jj = sp.symbols("theta j", positive=True)
total = sp.Sum(sp.binomial(n, jj) * th**jj * (1 - th) ** (n - jj), (jj, 0, n)).doit()
check(
    sp.simplify(total - 1) == 0, "sympy: sum over j = 0..10 of C(10, j) theta^j (1-theta)^(10-j) is 1 for every theta"
)
check_close(
    binom.pmf(k, n, 0.7),
    comb(n, k, exact=True) * seq_likelihood(0.7),
    "scipy's binomial pmf equals C(n,k) theta^k (1-theta)^(n-k)",
    rtol=1e-12,
)
theta_fix = 0.7
bind("theta_fix", theta_fix)
p_k = binom.pmf(k, n, theta_fix)
bind("prob_k", p_k)
check_close(
    binom.pmf(np.arange(n + 1), n, theta_fix).sum(),
    float(total.subs(th, theta_fix)),
    "scipy's probabilities of 0..10 heads sum to sympy's total, 1",
    rtol=1e-12,
    name="pmf_sum",
)
bind("heads_min", 0)
heads = rng.binomial(1, theta_fix, size=(200_000, n)).sum(axis=1)
freq = np.mean(heads == k)
se_freq = np.sqrt(p_k * (1 - p_k) / len(heads))
check(
    abs(freq - p_k) < 4 * se_freq,
    f"simulated frequency of 7 heads in 10 tosses at theta = 0.7: {freq:.4f}, against P = {p_k:.4f}",
)

# %% [markdown]
# ## Likelihood: a function of theta, for the fixed data (7 heads in 10)
#
# The maximum over a fine grid, and the closed form from setting the derivative of $\ell(\theta) = k\log\theta + (n-k)\log(1-\theta)$ to zero.

# %%
grid = np.linspace(0.0, 1.0, 100_001)  # spacing 1e-5
theta_grid_max = grid[np.argmax(seq_likelihood(grid))]
check_close(
    theta_grid_max,
    k / n,
    "the grid argmax of L(theta) is k/n = 0.7 (to the grid spacing 1e-5)",
    atol=1e-5,
    name="theta_hat",
)

th2, kk, nn = sp.symbols("theta k n", positive=True)
ell = kk * sp.log(th2) + (nn - kk) * sp.log(1 - th2)
stationary = sp.solve(sp.Eq(sp.diff(ell, th2), 0), th2)
check(
    stationary == [kk / nn],
    f"sympy: the only stationary point of l(theta) is k/n (found {stationary})",
)
second = sp.simplify(sp.diff(ell, th2, 2).subs(th2, kk / nn))
check(
    sp.simplify(second + nn**3 / (kk * (nn - kk))) == 0,
    "sympy: l''(k/n) = -n^3 / (k (n-k)) < 0 for 0 < k < n, so k/n is the maximum",
)

# The likelihood of an explicit sequence with 7 heads, as a product of scipy Bernoulli masses.
sequence = np.r_[np.ones(k), np.zeros(n - k)]
rng.shuffle(sequence)
for theta, name in ((0.7, "lik_07"), (0.5, "lik_05")):
    check_close(
        np.prod(bernoulli.pmf(sequence, theta)),
        seq_likelihood(theta),
        f"the product of Bernoulli masses of a 7-heads sequence equals theta^7 (1-theta)^3 at theta = {theta}",
        rtol=1e-12,
        name=name,
    )
bind("theta_alt", 0.5)
bind("lik_ratio", seq_likelihood(0.7) / seq_likelihood(0.5))

# %% [markdown]
# ## The likelihood does not integrate to 1 over theta
#
# For the sequence, $\int_0^1 \theta^k(1-\theta)^{n-k}\,d\theta = B(k+1, n-k+1) = \frac{1}{(n+1)\binom{n}{k}}$; with the binomial coefficient included the integral is $\frac{1}{n+1}$.

# %%
area_seq, _ = quad(seq_likelihood, 0.0, 1.0, epsabs=1e-14, epsrel=1e-12)
check_close(
    area_seq,
    beta_fn(k + 1, n - k + 1),
    "quadrature of the sequence likelihood equals B(8, 4)",
    rtol=1e-9,
    name="area_seq",
)
bind("beta_a", k + 1)
bind("beta_b", n - k + 1)
bind_fraction("area_seq", area_seq)
coef_from_area = 1 / ((n + 1) * area_seq)  # the closed form 1/((n+1) C(n,k)) solved for C(n,k)
check_close(
    coef_from_area,
    comb(n, k, exact=True),
    "1/((n+1) x area) recovers the binomial coefficient C(10, 7)",
    rtol=1e-9,
    name="binom_coef",
)
area_binom, _ = quad(lambda t: binom.pmf(k, n, t), 0.0, 1.0, epsabs=1e-14, epsrel=1e-12)
check_close(
    area_binom,
    1 / (n + 1),
    "with the binomial coefficient (scipy's pmf) the integral is 1/(n+1) = 1/11",
    rtol=1e-9,
)
bind_fraction("area_binom", area_binom)
areas = [quad(lambda t, j=j: binom.pmf(j, n, t), 0.0, 1.0, epsabs=1e-14, epsrel=1e-12)[0] for j in range(n + 1)]
check_close(
    areas,
    np.full(n + 1, 1 / (n + 1)),
    "for every k = 0..10 the integral of the binomial likelihood is 1/(n+1), never 1",
    rtol=1e-8,
)

# %% [markdown]
# ## Normalising the likelihood is Bayes' rule with a uniform prior
#
# Dividing $L(\theta)$ by its integral gives the posterior under a uniform prior, the Beta$(k+1, n-k+1)$ density; its mean is Laplace's rule of succession $(k+1)/(n+2)$.
# The same holds for 3 heads in 3 tosses, where the maximum-likelihood estimate is 1.

# %%
post_mean, _ = quad(lambda t: t * seq_likelihood(t) / area_seq, 0.0, 1.0, epsabs=1e-14, epsrel=1e-12)
check_close(
    post_mean,
    (k + 1) / (n + 2),
    "the posterior mean under a uniform prior is (k+1)/(n+2) = 8/12",
    rtol=1e-9,
    name="post_mean",
)
bind("post_mean_num", k + 1)
bind("post_mean_den", n + 2)
lik3 = lambda t: t**3  # noqa: E731  (3 heads in 3 tosses)
grid3 = np.linspace(0, 1, 10_001)
check(grid3[np.argmax(lik3(grid3))] == 1.0, "after 3 heads in 3 tosses the likelihood is maximised at theta = 1")
bind("n3", 3)
bind("theta_hat3", grid3[np.argmax(lik3(grid3))])
mean3 = quad(lambda t: t * lik3(t), 0, 1)[0] / quad(lik3, 0, 1)[0]
check_close(mean3, (3 + 1) / (3 + 2), "after 3 of 3 the uniform-prior posterior mean is (k+1)/(n+2) = 4/5", rtol=1e-9)
bind("mean3", mean3)
bind("mean3_num", Fraction(mean3).limit_denominator(100).numerator)
bind("mean3_den", Fraction(mean3).limit_denominator(100).denominator)

# %% [markdown]
# ## The area depends on the parametrisation, the maximiser does not
#
# Write the model in terms of the log-odds $\psi = \log\frac{\theta}{1-\theta}$, so $\theta = \sigma(\psi)$.
# The likelihood at each model is unchanged, so its maximiser is $\hat{\psi} = \log(0.7/0.3)$, i.e. again $\hat{\theta} = 0.7$.
# But $d\theta = \theta(1-\theta)\,d\psi$, so $\int L\,d\psi = B(k, n-k) = 1/252 \neq 1/1320$: the area under a likelihood is not an invariant quantity.

# %%
psi_grid = np.linspace(-6.0, 6.0, 1_200_001)  # spacing 1e-5
psi_hat = psi_grid[np.argmax(seq_likelihood(expit(psi_grid)))]
check_close(
    expit(psi_hat),
    k / n,
    "maximising over the log-odds gives sigma(psi_hat) = k/n again",
    atol=1e-5,
    name="theta_hat_psi",
)
area_psi, _ = quad(lambda p: seq_likelihood(expit(p)), -60.0, 60.0, epsabs=1e-14, epsrel=1e-12, limit=200)
check_close(area_psi, beta_fn(k, n - k), "the integral of L over psi equals B(7, 3)", rtol=1e-8)
bind_fraction("area_psi", area_psi)
bind("beta_psi_a", k)
bind("beta_psi_b", n - k)

# %% [markdown]
# ## Other claims of the page
#
# A density can exceed 1; the two stopping rules of the likelihood-principle follow-up give proportional likelihoods but different p-values.

# %%
sd_narrow = 0.01
check_close(
    norm.pdf(0.0, 0.0, sd_narrow),
    1 / (sd_narrow * np.sqrt(2 * np.pi)),
    "scipy's N(0, 0.01^2) density at 0 equals 1/(0.01 sqrt(2 pi)), far above 1",
    rtol=1e-12,
    name="density_peak",
)
thetas_lp = np.linspace(0.05, 0.95, 19)
# Stopping at the third tail after 10 tosses: 7 heads ("failures") before the 3rd tail ("success", probability 1 - theta).
ratio_lp = binom.pmf(k, n, thetas_lp) / nbinom.pmf(k, n - k, 1 - thetas_lp)
check(
    np.ptp(ratio_lp) < 1e-9 * ratio_lp.mean(),
    f"binomial and negative-binomial likelihoods are proportional: ratio {ratio_lp.mean():.4f} at every theta",
)
p_binom = binom.sf(k - 1, n, 0.5)  # P(S >= 7 | fair coin, 10 tosses)
p_negbin = nbinom.sf(k - 1, n - k, 0.5)  # P(7 or more heads before the 3rd tail | fair coin)
bind("p_binom", p_binom)
bind("p_negbin", p_negbin)
stop = rng.random((200_000, 60)) < 0.5  # True = tail; 60 tosses is far beyond the 3rd tail in practice
third_tail = np.argmax(np.cumsum(stop, axis=1) >= n - k, axis=1)
heads_before = third_tail + 1 - (n - k)
se_nb = np.sqrt(p_negbin * (1 - p_negbin) / len(heads_before))
check(
    p_negbin < p_binom and abs(np.mean(heads_before >= k) - p_negbin) < 4 * se_nb,
    f"one-sided p-values differ: {p_binom:.4f} (fixed 10 tosses) vs {p_negbin:.4f} (toss to the 3rd tail; simulated {np.mean(heads_before >= k):.4f})",
)

# %% [markdown]
# ## Figure: the same formula read two ways

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.6))
js = np.arange(n + 1)
ax1.bar(js, binom.pmf(js, n, theta_fix), color="C0")
ax1.bar([k], [binom.pmf(k, n, theta_fix)], color="C1", label=f"observed k = {k}")
ax1.set_xlabel("number of heads k")
ax1.set_ylabel(f"P(S = k | θ = {theta_fix})")
ax1.set_title("Probability: θ fixed\n(bars sum to 1)", fontsize=10)
ax1.legend(fontsize=8, loc="upper left")
thetas = np.linspace(0, 1, 501)
ax2.plot(thetas, seq_likelihood(thetas), color="C1")
ax2.axvline(k / n, linestyle="--", color="gray", label=f"MLE k/n = {k / n:g}")
ax2.set_xlabel("parameter θ")
ax2.set_ylabel(rf"$L(\theta) = \theta^{k} (1 - \theta)^{n - k}$")
ax2.set_title(f"Likelihood: k = {k} fixed\n(area 1/{1 / area_seq:.0f}, not 1)", fontsize=10)
ax2.legend(fontsize=8, loc="upper left")
fig.tight_layout()
save_figure(fig, "likelihood")
