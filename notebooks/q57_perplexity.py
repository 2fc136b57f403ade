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
# # Perplexity of n-gram models on a corpus from a known source
#
# The corpus comes from a second-order Markov chain over a small vocabulary, so the true entropy rate, the best cross-entropy any model can reach, is known in closed form.
# The notebook fits n-gram models of order 1 to 4 with add-$\alpha$ smoothing, chooses $\alpha$ on a validation split, and reports perplexity, $\exp$ of the average negative log-likelihood per token, on a test split.
# Checks against independent routes: the true model's test perplexity against $\exp$ of the closed-form entropy rate; each fitted model's test cross-entropy against its exact population cross-entropy, computed from the chain's stationary distribution; cross-entropy = entropy + KL (Gibbs' inequality, so no model beats the source); perplexity as a geometric mean (SciPy) and in bits; and the infinite perplexity of an unsmoothed model on a test set with unseen n-grams.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.special import rel_entr
from scipy.stats import gmean

rng = np.random.default_rng(0)

# %% [markdown]
# ## The source: a second-order Markov chain
#
# Each context of two previous words $(a, b)$ has its own next-word distribution, drawn once from a Dirichlet whose mean follows Zipf's law ($\propto 1/\text{rank}$) and whose total concentration is small, so the distributions are peaked and differ from context to context.

# %%
V = 20
bind("v_vocab", V)
zipf = 1.0 / np.arange(1, V + 1)  # a few frequent words and many rare ones, as in text
probs = rng.dirichlet(6.0 * zipf / zipf.sum(), size=(V, V))  # probs[a, b, c] = P(next = c | previous two = a, b)

# Stationary distribution of the pair chain (a, b) -> (b, c), by power iteration
pi2 = np.full((V, V), 1.0 / V**2)
for _ in range(2000):
    new = np.einsum("ab,abc->bc", pi2, probs)
    if np.max(np.abs(new - pi2)) < 1e-15:
        break
    pi2 = new
pi2 = new
check_close(np.einsum("ab,abc->bc", pi2, probs), pi2, "the pair distribution is stationary", atol=1e-14)
H_ctx = -np.sum(probs * np.log(probs), axis=2)  # entropy of the next word given each context
H_rate = np.sum(pi2 * H_ctx)  # entropy rate in nats per token (Cover and Thomas, Theorem 4.2.4)
bind("h_rate", H_rate)
bind("ppl_source", np.exp(H_rate))
bind("h_rate_bits", H_rate / np.log(2))


def sample(T, gen):
    seq = np.zeros(T, dtype=int)
    flat = pi2.ravel()
    first = gen.choice(V * V, p=flat / flat.sum())
    seq[0], seq[1] = divmod(first, V)
    cum = np.cumsum(probs, axis=2)
    u = gen.random(T)
    for t in range(2, T):
        seq[t] = min(np.searchsorted(cum[seq[t - 2], seq[t - 1]], u[t]), V - 1)
    return seq


n_train, n_valid, n_test = 30_000, 10_000, 30_000
bind("n_train", n_train)
bind("n_valid", n_valid)
bind("n_test", n_test)
train, valid, test = sample(n_train, rng), sample(n_valid, rng), sample(n_test, rng)

# %% [markdown]
# ## Perplexity of the true model
#
# Perplexity is $\exp$ of the average negative log-likelihood per predicted token.
# For the true model its expectation is the entropy rate; the standard error uses 30 batch means, because neighbouring tokens are dependent.


# %%
def nll_per_token(seq, cond_prob):
    """-log q(x_t | history) for t = 3, ..., T (the first three tokens are context for every order)."""
    return -np.log(cond_prob(seq))


def batch_se(values, n_batches=30):
    means = np.array([b.mean() for b in np.array_split(values, n_batches)])
    return means.std(ddof=1) / np.sqrt(n_batches)


true_nll = nll_per_token(test, lambda s: probs[s[1:-2], s[2:-1], s[3:]])
ce_true = true_nll.mean()
se_true = batch_se(true_nll)
check(
    abs(ce_true - H_rate) < 4 * se_true,
    f"the true model's test cross-entropy {ce_true:.4f} is within 4 SE ({se_true:.4f}) of the entropy rate {H_rate:.4f}",
)
bind("ppl_true_test", np.exp(ce_true))
# perplexity as the product of the probabilities to the power -1/T, without per-token logarithms:
# multiply the probabilities, keeping the running product as mantissa * 2**exponent so that it does not underflow
q_true = probs[test[1:-2], test[2:-1], test[3:]]
mant, expo = 1.0, 0
for qt in q_true:
    mant, e = math.frexp(mant * qt)
    expo += e
ppl_product = math.exp(-(math.log(mant) + expo * math.log(2)) / len(q_true))
check_close(
    np.exp(ce_true), ppl_product, "perplexity = (product of q)^(-1/T), computed without per-token logs", rtol=1e-9
)
check_close(np.exp(ce_true), gmean(1 / q_true), "perplexity = geometric mean of 1/q (SciPy gmean)", rtol=1e-10)
check_close(
    np.exp(ce_true),
    2 ** np.mean(-np.log2(q_true)),
    "perplexity = 2 to the power of the cross-entropy in bits (log2 of q)",
    rtol=1e-12,
)

# %% [markdown]
# ## n-gram models with add-alpha smoothing
#
# An order-$m$ model predicts the next token from the previous $m - 1$ tokens: $q(c \mid h) = (\#(h, c) + \alpha) / (\#(h) + \alpha V)$.
# Every model is scored on the same predicted tokens (positions 4 onwards), so the perplexities are comparable.


# %%
def counts(seq, order):
    shape = (V,) * order
    idx = np.ravel_multi_index([seq[i : len(seq) - order + 1 + i] for i in range(order)], shape)
    return np.bincount(idx, minlength=V**order).reshape(shape).astype(float)


def model_probs(order, alpha):
    c = counts(train, order)
    return (c + alpha) / (c.sum(axis=-1, keepdims=True) + alpha * V)


def cond_prob_fn(table, order):
    def f(s):
        hist = [s[3 - (order - 1) + i : len(s) - (order - 1) + i] for i in range(order - 1)]
        return table[(*tuple(hist), s[3:])]

    return f


orders = [1, 2, 3, 4]
alphas = np.geomspace(1e-3, 30.0, 31)
results = {}
for m in orders:
    valid_ce = [nll_per_token(valid, cond_prob_fn(model_probs(m, a), m)).mean() for a in alphas]
    a_best = alphas[int(np.argmin(valid_ce))]
    table = model_probs(m, a_best)
    test_nll = nll_per_token(test, cond_prob_fn(table, m))
    train_nll = nll_per_token(train, cond_prob_fn(table, m))
    results[m] = {"alpha": a_best, "table": table, "test_nll": test_nll, "train_ce": train_nll.mean()}
    print(
        f"order {m}: alpha = {a_best:.4f}, train perplexity {np.exp(train_nll.mean()):.3f}, "
        f"test perplexity {np.exp(test_nll.mean()):.3f}"
    )
ppl_test = {m: np.exp(results[m]["test_nll"].mean()) for m in orders}
ppl_train = {m: np.exp(results[m]["train_ce"]) for m in orders}
for m in orders:
    bind(f"order_{m}", m)
    bind(f"ppl_test_{m}", ppl_test[m])
    bind(f"ppl_train_{m}", ppl_train[m])
bind("alpha_3", results[3]["alpha"])
check(
    all(alphas[0] < results[m]["alpha"] < alphas[-1] for m in orders),
    "every chosen alpha lies inside the grid, not on its edge",
)
check(
    ppl_test[1] > ppl_test[2] > ppl_test[3] and ppl_test[4] > ppl_test[3],
    "test perplexity falls from order 1 to order 3, whose two-token context matches the second-order source, then rises at order 4",
)
check(
    ppl_train[1] > ppl_train[2] > ppl_train[3] > ppl_train[4],
    "training perplexity keeps falling as the order grows",
)
check(
    ppl_train[4] < np.exp(H_rate) < ppl_test[4],
    "the order-4 model beats the source on its training set only: overfitting",
)

# %% [markdown]
# ## Test cross-entropy against the exact population cross-entropy
#
# For a fitted model $q$, the population cross-entropy rate is $\sum_{h} P(h) \sum_c p(c \mid h)\,(-\log q(c \mid h))$, computed from the stationary distribution of the source.
# It equals the entropy rate plus a KL term that is never negative (Gibbs' inequality), and the test average estimates it.

# %%
pi3 = pi2[:, :, None] * probs  # stationary distribution of three consecutive tokens (a, b, c)
pi4 = pi3[:, :, :, None] * probs[None, :, :, :]  # of four (a, b, c, e): the last one follows (b, c)


def population_ce(m):
    t = results[m]["table"]
    if m == 1:
        return -np.sum(pi3.sum(axis=(0, 1)) * np.log(t))
    if m == 2:
        return -np.sum(pi3.sum(axis=0) * np.log(t))
    if m == 3:
        return -np.sum(pi3 * np.log(t))
    return -np.sum(pi4 * np.log(t))


pop_ce = {m: population_ce(m) for m in orders}
n_se = 4
bind("n_se", n_se)
for m in orders:
    est, se = results[m]["test_nll"].mean(), batch_se(results[m]["test_nll"])
    check(
        abs(est - pop_ce[m]) < n_se * se,
        f"order {m}: test cross-entropy {est:.4f} within 4 SE ({se:.4f}) of the population value {pop_ce[m]:.4f}",
    )
    check(pop_ce[m] > H_rate, f"order {m}: population cross-entropy exceeds the entropy rate (KL > 0)")
kl_3 = pop_ce[3] - H_rate
# KL of order 3 computed directly, term by term
kl_direct = np.sum(pi2 * rel_entr(probs, results[3]["table"]).sum(axis=2))  # SciPy's p log(p/q), per context
check_close(kl_3, kl_direct, "order 3: cross-entropy - entropy equals the KL divergence computed directly", rtol=1e-9)
bind("kl_3", kl_3)
# the unigram model's population cross-entropy is close to the entropy of the marginal distribution
marginal = pi2.sum(axis=0)
H_marg = -np.sum(marginal * np.log(marginal))
check(
    0 <= pop_ce[1] - H_marg < 1e-2,
    f"the unigram model's cross-entropy {pop_ce[1]:.4f} is just above the marginal entropy {H_marg:.4f}",
)
bind("ppl_marginal", np.exp(H_marg))
check(
    ppl_test[1] < np.exp(H_marg) <= np.exp(pop_ce[1]),
    "the unigram's test perplexity falls below the unigram population minimum, by sampling noise only",
)

# %% [markdown]
# ## Unsmoothed counts give infinite perplexity
#
# With $\alpha = 0$ (maximum likelihood) a test trigram that never occurred in training gets probability 0, and one such token makes the perplexity infinite.

# %%
c3 = counts(train, 3)
test_ctx = (test[1:-2], test[2:-1], test[3:])
unseen = c3[test_ctx] == 0
frac_unseen = unseen.mean()
check(frac_unseen > 0, "some test trigrams never occur in training")
bind("pct_unseen_trigrams", 100 * frac_unseen)
with np.errstate(divide="ignore", invalid="ignore"):
    mle = c3 / c3.sum(axis=-1, keepdims=True)
    ce_mle = -np.mean(np.log(np.nan_to_num(mle[test_ctx], nan=0.0)))
check(np.isinf(ce_mle), "the unsmoothed trigram model has infinite test perplexity")

# %%
fig, ax = plt.subplots(figsize=(6.0, 4.0))
ax.plot(orders, [ppl_train[m] for m in orders], "s--", label="training split")
ax.plot(orders, [ppl_test[m] for m in orders], "o-", label="test split")
ax.axhline(np.exp(H_rate), color="gray", ls=":", label=r"source: $\exp(H)$")
ax.set_xticks(orders)
ax.set_xlabel("n-gram order (context of order − 1 tokens)")
ax.axhline(V, color="C3", ls="-.", label=f"uniform over {V} words")
ax.set_ylabel("perplexity")
ax.set_ylim(0, V + 2)
ax.legend(fontsize=9)
save_figure(fig, "perplexity-by-order")
