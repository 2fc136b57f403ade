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
# The checks prove the page's claims: the maximum-likelihood estimate is $k/n$, the probabilities sum to 1, the likelihood integrates to a Beta function instead of 1, and the area under a likelihood (but not its maximiser) depends on the parametrisation.

# %%
from math import comb

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import check, check_close, save_figure
from scipy.integrate import quad
from scipy.special import beta as beta_fn
from scipy.special import expit
from scipy.stats import binom

n, k = 10, 7


def seq_likelihood(theta):
    """Likelihood of one particular sequence with k heads in n tosses."""
    return theta**k * (1 - theta) ** (n - k)


# %% [markdown]
# ## Probability: a function of the data, for fixed theta
#
# For fixed $\theta$, the number of heads $K$ has the binomial mass function $P(K = j \mid \theta) = \binom{n}{j}\theta^j(1-\theta)^{n-j}$, which sums to 1 over $j = 0, \dots, n$ by the binomial theorem.

# %%
for theta in (0.3, 0.5, 0.7):
    total = sum(comb(n, j) * theta**j * (1 - theta) ** (n - j) for j in range(n + 1))
    check_close(
        total,
        1.0,
        f"theta = {theta}: sum over j = 0..10 of P(K = j | theta) is 1",
        rtol=1e-12,
    )
check_close(
    binom.pmf(k, n, 0.7),
    comb(n, k) * seq_likelihood(0.7),
    "scipy's binomial pmf equals C(n,k) theta^k (1-theta)^(n-k)",
    rtol=1e-12,
)
check_close(binom.pmf(k, n, 0.7), 0.2668, "P(K = 7 | theta = 0.7) is about 0.267", atol=5e-5)

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
)

th, kk, nn = sp.symbols("theta k n", positive=True)
ell = kk * sp.log(th) + (nn - kk) * sp.log(1 - th)
stationary = sp.solve(sp.Eq(sp.diff(ell, th), 0), th)
check(
    stationary == [kk / nn],
    f"sympy: the only stationary point of l(theta) is k/n (found {stationary})",
)
second = sp.simplify(sp.diff(ell, th, 2).subs(th, kk / nn))
check(
    sp.simplify(second + nn**3 / (kk * (nn - kk))) == 0,
    "sympy: l''(k/n) = -n^3 / (k (n-k)) < 0 for 0 < k < n, so k/n is the maximum",
)

check_close(
    seq_likelihood(0.7),
    0.0022236,
    "L(0.7) = 0.7^7 x 0.3^3 is about 0.0022236",
    atol=5e-8,
)
check_close(seq_likelihood(0.5), 0.0009766, "L(0.5) = 0.5^10 is about 0.0009766", atol=5e-8)
check_close(
    seq_likelihood(0.7) / seq_likelihood(0.5),
    2.28,
    "the likelihood ratio L(0.7)/L(0.5) is about 2.28",
    atol=5e-3,
)

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
)
check_close(area_seq, 1 / 1320, "B(8, 4) = 1/((n+1) C(n,k)) = 1/1320, about 0.00076", rtol=1e-9)
check(
    abs(area_seq - 1.0) > 0.99,
    "so the likelihood is not a probability density over theta",
)
check(comb(n, k) == 120, "the binomial coefficient C(10, 7) is 120")
area_binom, _ = quad(lambda t: comb(n, k) * seq_likelihood(t), 0.0, 1.0, epsabs=1e-14, epsrel=1e-12)
check_close(
    area_binom,
    1 / 11,
    "with the binomial coefficient the integral is 1/(n+1) = 1/11",
    rtol=1e-9,
)
areas = [
    quad(
        lambda t, j=j: comb(n, j) * t**j * (1 - t) ** (n - j),
        0.0,
        1.0,
        epsabs=1e-14,
        epsrel=1e-12,
    )[0]
    for j in range(n + 1)
]
check_close(
    areas,
    np.full(n + 1, 1 / (n + 1)),
    "for every k = 0..10 the integral of the binomial likelihood is 1/(n+1)",
    rtol=1e-8,
)

# %% [markdown]
# ## Normalising the likelihood is Bayes' rule with a uniform prior
#
# Dividing $L(\theta)$ by its integral gives the posterior under a uniform prior, the Beta$(k+1, n-k+1)$ density; its mean is Laplace's rule of succession $(k+1)/(n+2)$.

# %%
post_mean, _ = quad(lambda t: t * seq_likelihood(t) / area_seq, 0.0, 1.0, epsabs=1e-14, epsrel=1e-12)
check_close(
    post_mean,
    (k + 1) / (n + 2),
    "the posterior mean under a uniform prior is (k+1)/(n+2) = 8/12",
    rtol=1e-9,
)

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
    0.7,
    "maximising over the log-odds gives sigma(psi_hat) = 0.7 again",
    atol=1e-5,
)
area_psi, _ = quad(
    lambda p: seq_likelihood(expit(p)),
    -60.0,
    60.0,
    epsabs=1e-14,
    epsrel=1e-12,
    limit=200,
)
check_close(area_psi, beta_fn(k, n - k), "the integral of L over psi equals B(7, 3)", rtol=1e-8)
check_close(area_psi, 1 / 252, "B(7, 3) = 1/252, not 1/1320", rtol=1e-8)

# %% [markdown]
# ## Figure: the same formula read two ways

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.6))
js = np.arange(n + 1)
ax1.bar(js, binom.pmf(js, n, 0.7), color="C0")
ax1.bar([k], [binom.pmf(k, n, 0.7)], color="C1", label="observed k = 7")
ax1.set_xlabel("number of heads k")
ax1.set_ylabel("P(K = k | θ = 0.7)")
ax1.set_title("Probability: θ fixed\n(bars sum to 1)", fontsize=10)
ax1.legend(fontsize=8, loc="upper left")
thetas = np.linspace(0, 1, 501)
ax2.plot(thetas, seq_likelihood(thetas), color="C1")
ax2.axvline(k / n, linestyle="--", color="gray", label="MLE k/n = 0.7")
ax2.set_xlabel("parameter θ")
ax2.set_ylabel(r"$L(\theta) = \theta^7 (1 - \theta)^3$")
ax2.set_title("Likelihood: k = 7 fixed\n(area 1/1320, not 1)", fontsize=10)
ax2.legend(fontsize=8, loc="upper left")
fig.tight_layout()
save_figure(fig, "likelihood")
