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
# # RLHF and DPO on a toy problem: one prompt, a handful of responses
#
# A prompt $x$ has $M$ candidate responses with a hidden true reward each; simulated annotators compare pairs with Bradley–Terry probabilities.
# The notebook checks the page's claims against independent routes: the Bradley–Terry maximum-likelihood reward by Hunter's MM algorithm against logistic regression on one-hot differences (scikit-learn); the closed-form KL-regularised optimum $\pi^* \propto \pi_{\text{ref}} e^{r/\beta}$ and its value $\beta \log Z$ against numerical maximisation and random search; the DPO gradient against finite differences; and the central claim, that DPO on the preference data gives the same policy as the two-stage pipeline (fit a reward model, then solve the KL-regularised problem), when the policy can represent every distribution over the responses.

# %%
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import minimize
from scipy.special import expit, log_softmax, logsumexp, softmax
from scipy.stats import entropy
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(0)

# %% [markdown]
# ## The setting
#
# $M = 5$ responses, a reference policy $\pi_{\text{ref}}$ (the supervised fine-tuned model), and true rewards $r^*$.
# Annotators see a random pair $(a, b)$ and prefer $a$ with probability $\sigma(r^*_a - r^*_b)$.

# %%
M = 5
r_true = np.array([0.0, 1.0, 2.0, -1.0, 0.5])
pi_ref = np.array([0.30, 0.10, 0.05, 0.40, 0.15])
beta = 0.5
n_pairs = 4000
bind("n_resp", M)
bind("beta", beta)
bind("n_pairs", n_pairs)
a = rng.integers(0, M, size=n_pairs)
b = (a + rng.integers(1, M, size=n_pairs)) % M  # a different response
a_wins = rng.random(n_pairs) < expit(r_true[a] - r_true[b])
y_w, y_l = np.where(a_wins, a, b), np.where(a_wins, b, a)  # preferred and dispreferred response of each pair

# %% [markdown]
# ## The Bradley–Terry reward model, two ways
#
# Route 1: Hunter's (2004) MM algorithm for the strengths $e^{r_j}$: $e^{r_j} \leftarrow W_j / \sum_{l \ne j} N_{jl} / (e^{r_j} + e^{r_l})$, with $W_j$ the wins of $j$ and $N_{jl}$ the comparisons of $j$ and $l$.
# Route 2: logistic regression without intercept or penalty on the one-hot difference $\mathbf{e}_{y_w} - \mathbf{e}_{y_l}$ (label 1), and on its negative (label 0), with response 0's reward fixed at 0 (rewards are identified only up to a constant).

# %%
wins = np.bincount(y_w, minlength=M).astype(float)
N_cmp = np.zeros((M, M))
np.add.at(N_cmp, (y_w, y_l), 1)
N_cmp = N_cmp + N_cmp.T
strength = np.ones(M)
for _ in range(5000):
    new = wins / (N_cmp / (strength[:, None] + strength[None, :])).sum(axis=1)
    new /= new[0]
    if np.max(np.abs(new - strength)) < 1e-14:
        break
    strength = new
r_mm = np.log(strength)

D = np.zeros((n_pairs, M))
D[np.arange(n_pairs), y_w] += 1
D[np.arange(n_pairs), y_l] -= 1
lr = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000)
lr.fit(np.vstack([D[:, 1:], -D[:, 1:]]), np.r_[np.ones(n_pairs), np.zeros(n_pairs)])
r_lr = np.r_[0.0, lr.coef_[0]]
check_close(r_mm, r_lr, "Bradley–Terry MLE: Hunter's MM algorithm = logistic regression on differences", atol=1e-6)
r_hat = r_mm
se_r = np.sqrt(np.diag(np.linalg.inv((D[:, 1:].T * (expit(D @ r_hat) * expit(-D @ r_hat))) @ D[:, 1:])))
check(
    np.all(np.abs(r_hat[1:] - (r_true[1:] - r_true[0])) < 4 * se_r),
    "the fitted rewards are within 4 standard errors of the true ones (relative to response 0)",
)
bind("r_hat_best", r_hat[2])
bind("r_true_best", r_true[2] - r_true[0])

# %% [markdown]
# ## The KL-regularised optimum in closed form, against numerical maximisation
#
# $J(\pi) = \sum_y \pi(y) r(y) - \beta\, \operatorname{KL}(\pi \,\|\, \pi_{\text{ref}})$.
# The page derives the maximiser $\pi^*(y) = \pi_{\text{ref}}(y) e^{r(y)/\beta} / Z$ and the maximum $\beta \log Z$, with $Z = \sum_y \pi_{\text{ref}}(y) e^{r(y)/\beta}$.
# BFGS on the softmax logits is the independent route; KL comes from SciPy's `entropy`.


# %%
def J(pi, r, bet):
    return pi @ r - bet * entropy(pi, pi_ref)


def closed_form(r, bet):
    return softmax(np.log(pi_ref) + r / bet)


pi_star = closed_form(r_true, beta)
res = minimize(lambda t: -J(softmax(t), r_true, beta), np.zeros(M), method="BFGS", options={"gtol": 1e-10})
check_close(softmax(res.x), pi_star, "numerical maximiser of E[r] - beta KL = pi_ref exp(r/beta)/Z", atol=1e-6)
log_Z = logsumexp(np.log(pi_ref) + r_true / beta)
check_close(-res.fun, beta * log_Z, "maximum of the objective = beta log Z", rtol=1e-8)
n_random = 20_000
bind("n_random", n_random)
random_pis = rng.dirichlet(np.ones(M), size=n_random)
J_random = random_pis @ r_true - beta * np.sum(random_pis * np.log(random_pis / pi_ref), axis=1)
check(
    J_random.max() < J(pi_star, r_true, beta),
    "none of 20,000 random policies beats the closed form (weak; BFGS is the real test)",
)


# the limits of step 5 and of the follow-up on the value beta log Z, against pi_ref, the argmax and E_ref[r]
def value(r, bet):
    return bet * logsumexp(np.log(pi_ref) + r / bet)


check_close(closed_form(r_true, 1e4), pi_ref, "beta -> infinity: the optimum tends to pi_ref", atol=1e-3)
check_close(
    closed_form(r_true, 1e-2),
    np.eye(M)[np.argmax(r_true)],
    "beta -> 0: all mass on the highest-reward response",
    atol=1e-9,
)
check_close(
    value(r_true, 1e4),
    pi_ref @ r_true,
    "beta -> infinity: beta log Z tends to the reference's expected reward",
    atol=1e-3,
)
check_close(value(r_true, 1e-3), r_true.max(), "beta -> 0: beta log Z tends to the maximum reward", atol=1e-2)
for j in range(M):
    bind(f"pi_ref_{j}", pi_ref[j])
    bind(f"r_true_{j}", r_true[j])
    bind(f"pi_star_{j}", pi_star[j])
bind("exp_r_ref", pi_ref @ r_true)
bind("exp_r_star", pi_star @ r_true)
bind("kl_star", entropy(pi_star, pi_ref))
bind("j_star", beta * log_Z)

# %% [markdown]
# ## The DPO loss and its gradient
#
# Tabular policy $\pi_{\boldsymbol{\theta}} = \operatorname{softmax}(\boldsymbol{\theta})$.
# With the implicit reward $\hat{r}_{\boldsymbol{\theta}}(y) = \beta \log(\pi_{\boldsymbol{\theta}}(y)/\pi_{\text{ref}}(y))$,
# $L_{\text{DPO}} = -\frac{1}{n}\sum \log \sigma(\hat{r}_{\boldsymbol{\theta}}(y_w) - \hat{r}_{\boldsymbol{\theta}}(y_l))$, and the page's gradient is
# $-\frac{\beta}{n}\sum \sigma(\hat{r}_{\boldsymbol{\theta}}(y_l) - \hat{r}_{\boldsymbol{\theta}}(y_w))\,(\nabla \log \pi_{\boldsymbol{\theta}}(y_w) - \nabla \log \pi_{\boldsymbol{\theta}}(y_l))$.


# %%
def dpo_loss(theta):
    lp = log_softmax(theta)
    margin = beta * ((lp[y_w] - np.log(pi_ref[y_w])) - (lp[y_l] - np.log(pi_ref[y_l])))
    return np.mean(np.logaddexp(0.0, -margin))


def dpo_grad(theta):
    lp = log_softmax(theta)
    margin = beta * ((lp[y_w] - np.log(pi_ref[y_w])) - (lp[y_l] - np.log(pi_ref[y_l])))
    weight = expit(-margin)  # sigma(r_hat(y_l) - r_hat(y_w))
    # grad of log softmax(theta)[y] is e_y - pi, so the difference of the two is e_{y_w} - e_{y_l}
    diff = np.zeros((n_pairs, M))
    diff[np.arange(n_pairs), y_w] += 1
    diff[np.arange(n_pairs), y_l] -= 1
    return -beta * (weight @ diff) / n_pairs


theta0 = rng.normal(size=M)
h = 1e-6
fd = np.array([(dpo_loss(theta0 + h * e) - dpo_loss(theta0 - h * e)) / (2 * h) for e in np.eye(M)])
check_close(dpo_grad(theta0), fd, "DPO gradient formula matches central finite differences", rtol=1e-6, atol=1e-10)

# %% [markdown]
# ## DPO = reward model + KL-regularised RL, for a policy that can represent any distribution
#
# Route 1 (two stages): the Bradley–Terry reward $\hat{r}$ fitted above, then $\pi_{\text{ref}} e^{\hat{r}/\beta}/Z$.
# Route 2 (DPO): minimise $L_{\text{DPO}}$ over $\boldsymbol{\theta}$ directly with L-BFGS, never fitting a reward.

# %%
res_dpo = minimize(dpo_loss, np.log(pi_ref), jac=dpo_grad, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-15})
pi_dpo = softmax(res_dpo.x)
pi_two_stage = closed_form(r_hat, beta)
check_close(pi_dpo, pi_two_stage, "DPO policy = pi_ref exp(r_hat/beta)/Z with r_hat the Bradley-Terry MLE", atol=1e-6)
implicit = beta * np.log(pi_dpo / pi_ref)
check_close(
    implicit - implicit[0],
    r_hat - r_hat[0],
    "DPO's implicit reward = the Bradley-Terry reward, up to a constant",
    atol=1e-5,
)
bind("pi_dpo_best", pi_dpo[2])

# %% [markdown]
# ## Figure: the optimum for several beta, and the reward-KL frontier

# %%
betas = np.array([0.25, 0.5, 1.0, 2.0, 4.0])
for bet in betas:
    p_b = closed_form(r_true, bet)
    check(
        (random_pis @ r_true - bet * np.sum(random_pis * np.log(random_pis / pi_ref), axis=1)).max()
        < J(p_b, r_true, bet),
        f"beta = {bet}: the closed form beats every random policy",
    )
fine = np.geomspace(20, 0.05, 200)  # decreasing beta, so increasing KL (np.interp needs it)
frontier = np.array([[entropy(closed_form(r_true, bet), pi_ref), closed_form(r_true, bet) @ r_true] for bet in fine])
kl_random = np.sum(random_pis * np.log(random_pis / pi_ref), axis=1)
check(
    np.all(random_pis[::10] @ r_true <= np.interp(kl_random[::10], frontier[:, 0], frontier[:, 1]) + 1e-9),
    "every random policy has lower expected reward than the frontier at the same KL (where the frontier reaches)",
)

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
ax = axes[0]
width = 0.13
xs = np.arange(M)
ax.bar(xs - 3 * width, pi_ref, width, color="gray", label=r"$\pi_{\mathrm{ref}}$")
beta_hi, beta_lo = 2.0, 0.25
bind("beta_hi", beta_hi)
bind("beta_lo", beta_lo)
for i, bet in enumerate([beta_hi, beta, beta_lo]):
    ax.bar(xs + (i - 1) * width * 1.1, closed_form(r_true, bet), width, label=rf"$\pi^*$, $\beta$ = {bet}")
ax.bar(xs + 2.4 * width, pi_dpo, width, color="k", alpha=0.6, label=rf"DPO, $\beta$ = {beta}")
ax.set_xticks(xs, [f"y{j + 1}\nr={r_true[j]:g}" for j in range(M)])
ax.set_ylabel("probability")
ax.set_title("Smaller beta moves further from the reference")
ax.legend(fontsize=8)
ax = axes[1]
ax.scatter(kl_random[::20], (random_pis @ r_true)[::20], s=4, color="gray", alpha=0.4, label="random policies")
ax.plot(frontier[:, 0], frontier[:, 1], "C0-", label=r"$\pi^*$ as $\beta$ varies")
ax.plot(entropy(pi_star, pi_ref), pi_star @ r_true, "C3o", label=rf"$\pi^*$, $\beta$ = {beta}")
ax.set_xlabel(r"KL$(\pi \,\|\, \pi_{\mathrm{ref}})$ (nats)")
ax.set_ylabel("expected reward")
ax.set_xlim(0, 3)
ax.set_title("The optimum traces the reward-KL frontier")
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()
save_figure(fig, "kl-regularised-optimum")
