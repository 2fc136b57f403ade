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
# # AlphaGo's learning rules and search rule on toy examples
#
# The page derives AlphaGo's updates (maximum likelihood for the supervised policy, REINFORCE for the reinforcement-learning policy, squared-error regression for the value network) and its PUCT selection rule, and works one selection step by hand.
# The checks reproduce the worked table ($\sqrt{13} \approx 3.606$, bonuses 0.197, 0.270, 0.361, next move B, most visited move A), verify the policy-gradient identity and the unbiasedness of a baseline exactly on a tiny game by enumerating every trajectory, and confirm the incremental backup, the visit-count targets and the eight board symmetries of Go.

# %%
import itertools

import numpy as np
from handbook_nb import check, check_close

rng = np.random.default_rng(0)


def softmax(x):
    z = np.exp(x - np.max(x))
    return z / z.sum()


# %% [markdown]
# ## The worked selection step
#
# Priors $P = (0.6, 0.3, 0.1)$, visit counts $N = (10, 3, 0)$, mean values $Q = (0.50, 0.60, 0)$ and $c_{\text{puct}} = 1$; the bonus is $u = c_{\text{puct}} P \sqrt{\sum_b N_b}/(1 + N)$.

# %%
moves = ["A", "B", "C"]
P = np.array([0.6, 0.3, 0.1])
N = np.array([10, 3, 0])
Q = np.array([0.50, 0.60, 0.0])


def puct_scores(P, N, Q, c_puct=1.0):
    u = c_puct * P * np.sqrt(N.sum()) / (1 + N)
    return u, Q + u


u, score = puct_scores(P, N, Q)
check(N.sum() == 13, "the total visit count is 13")
check_close(np.sqrt(13), 3.606, "sqrt(13) is about 3.606", atol=5e-4)
check_close(u, [0.197, 0.270, 0.361], "bonuses u = 0.197, 0.270, 0.361", atol=5e-4)
check_close(score, [0.697, 0.870, 0.361], "Q + u = 0.697, 0.870, 0.361", atol=5e-4)
check(moves[int(np.argmax(score))] == "B", "the next simulation goes down move B")
check(moves[int(np.argmax(u))] == "C", "move C has the largest bonus")
check(moves[int(np.argmax(N))] == "A" and Q[1] > Q[0], "the most visited move is A, although B has the higher Q")

# %% [markdown]
# ## With many simulations the measured value drives the choice
#
# Continue the search from this root for 20 000 more simulations, where each move's leaf evaluation is a noisy draw ($\pm 1$ outcome) with true mean 0.50, 0.60 and 0.0.
# The bonus of every much-visited move shrinks, and the move with the best true value collects most of the visits; a rarely visited move's bonus grows with $\sqrt{\sum_b N(s, b)}$, which keeps it from being ignored forever.

# %%
true_value = np.array([0.50, 0.60, 0.0])
N_sim, W_sim = N.astype(float).copy(), Q * N
for _ in range(20_000):
    Q_sim = np.divide(W_sim, N_sim, out=np.zeros(3), where=N_sim > 0)
    a = int(np.argmax(puct_scores(P, N_sim, Q_sim)[1]))
    V = 1.0 if rng.random() < (1 + true_value[a]) / 2 else -1.0  # a +-1 outcome with mean true_value[a]
    N_sim[a] += 1
    W_sim[a] += V
u_end, _ = puct_scores(P, N_sim, W_sim / np.maximum(N_sim, 1))
check(
    moves[int(np.argmax(N_sim))] == "B",
    f"after 20 000 more simulations B is the most visited move (visits {N_sim.astype(int).tolist()})",
)
check(N_sim[1] / N_sim.sum() > 0.75, f"B receives {N_sim[1] / N_sim.sum():.0%} of all visits")
check(
    bool(np.all(u_end[:2] < u[:2])) and u_end[1] < 0.01,
    f"the bonuses of the much-visited moves A and B have shrunk (u = {np.round(u_end, 3).tolist()})",
)
check(
    u_end[2] > u[2] and N_sim[2] > N[2],
    "an unvisited move's bonus keeps growing with sqrt of the total count, so C still gets explored",
)

# %% [markdown]
# ## Supervised policy: the log-likelihood gradient of a softmax
#
# For a linear softmax policy with logits $\mathbf{W}\boldsymbol{\phi}(s)$, $\nabla_{\mathbf{W}} \log p(a \mid s) = (\mathbf{e}_a - \mathbf{p})\boldsymbol{\phi}^\top$, the negative gradient of the cross-entropy; a finite-difference check confirms it.

# %%
n_moves, n_feat = 5, 4
W = rng.normal(size=(n_moves, n_feat))
phi = rng.normal(size=n_feat)
expert = 2


def log_p(W, a=expert):
    return np.log(softmax(W @ phi)[a])


analytic = np.outer(np.eye(n_moves)[expert] - softmax(W @ phi), phi)
h = 1e-6
numeric = np.zeros_like(W)
for i, j in itertools.product(range(n_moves), range(n_feat)):
    Wp, Wm = W.copy(), W.copy()
    Wp[i, j] += h
    Wm[i, j] -= h
    numeric[i, j] = (log_p(Wp) - log_p(Wm)) / (2 * h)
check_close(analytic, numeric, "grad log p(a|s) = (e_a - p) phi^T, by central differences", atol=1e-8)
W_new = W + 0.1 * analytic
check(log_p(W_new) > log_p(W), "one ascent step makes the expert move more likely (lowers the cross-entropy)")

# %% [markdown]
# ## The policy-gradient identity on a tiny game, exactly
#
# A two-move game: the learner picks one of 3 moves in the start state, a frozen opponent answers with one of 2 moves from a fixed distribution, and the learner picks one of 3 moves again; a fixed table gives the outcome $z = \pm 1$ of each of the 18 games.
# The learner's policy is a table of logits, one row per learner state.
# We compute $J = \sum_\tau p(\tau) z(\tau)$ and its gradient by finite differences, and compare with $\mathbb{E}[z \sum_t \nabla \log p(a_t \mid s_t)]$ computed by enumerating all 18 trajectories.

# %%
opp_probs = np.array([0.7, 0.3])
outcome = rng.choice([-1.0, 1.0], size=(3, 2, 3))  # z for (a1, opponent move, a2)
n_states = 1 + 3 * 2  # start state, then one state per (a1, opponent move)


def state2(a1, o):
    return 1 + 2 * a1 + o


def trajectories(theta):
    """Yield (probability, z, grad of the sum of the learner's log-probabilities) for all 18 games."""
    for a1, o, a2 in itertools.product(range(3), range(2), range(3)):
        p1, p2 = softmax(theta[0]), softmax(theta[state2(a1, o)])
        grad = np.zeros_like(theta)
        grad[0] = np.eye(3)[a1] - p1
        grad[state2(a1, o)] = np.eye(3)[a2] - p2
        yield p1[a1] * opp_probs[o] * p2[a2], outcome[a1, o, a2], grad, (a1, o)


def J(theta):
    return sum(prob * z for prob, z, _, _ in trajectories(theta))


theta = rng.normal(scale=0.5, size=(n_states, 3))
check_close(sum(prob for prob, *_ in trajectories(theta)), 1.0, "the 18 game probabilities sum to 1", rtol=1e-12)
fd = np.zeros_like(theta)
for i, j in itertools.product(range(n_states), range(3)):
    tp, tm = theta.copy(), theta.copy()
    tp[i, j] += h
    tm[i, j] -= h
    fd[i, j] = (J(tp) - J(tm)) / (2 * h)
reinforce = sum(prob * z * grad for prob, z, grad, _ in trajectories(theta))
check_close(
    reinforce, fd, "grad J = E[z sum_t grad log p(a_t|s_t)], exactly (opponent terms have zero gradient)", atol=1e-8
)

# %% [markdown]
# ## A baseline leaves the expected gradient unchanged and lowers its variance
#
# With $b(s_t)$ the exact value of each learner state under the current policy, $\mathbb{E}[b(s_t)\nabla\log p(a_t \mid s_t)] = 0$, so $z - b$ has the same expectation as $z$; we compare the per-game variance of the two estimators (summed over parameters).

# %%
v2 = np.zeros(n_states)
for a1, o in itertools.product(range(3), range(2)):
    v2[state2(a1, o)] = softmax(theta[state2(a1, o)]) @ outcome[a1, o]
v2[0] = J(theta)


def estimator_terms(theta, baseline):
    """Probability and per-game estimate sum_t (z - b(s_t)) grad log p(a_t|s_t) for every game."""
    out = []
    for a1, o, a2 in itertools.product(range(3), range(2), range(3)):
        s2 = state2(a1, o)
        p1, p2 = softmax(theta[0]), softmax(theta[s2])
        z = outcome[a1, o, a2]
        g = np.zeros_like(theta)
        g[0] = (z - baseline[0]) * (np.eye(3)[a1] - p1)
        g[s2] = (z - baseline[s2]) * (np.eye(3)[a2] - p2)
        out.append((p1[a1] * opp_probs[o] * p2[a2], g))
    return out


def mean_and_variance(terms):
    mean = sum(prob * g for prob, g in terms)
    var = sum(prob * np.sum((g - mean) ** 2) for prob, g in terms)
    return mean, var


mean_plain, var_plain = mean_and_variance(estimator_terms(theta, np.zeros(n_states)))
mean_base, var_base = mean_and_variance(estimator_terms(theta, v2))
check_close(mean_plain, fd, "without a baseline the estimator's mean is grad J", atol=1e-8)
check_close(
    mean_base,
    fd,
    "with the value baseline its mean is still grad J (the baseline term has zero expectation)",
    atol=1e-8,
)
check(var_base < var_plain, f"and its variance drops from {var_plain:.3f} to {var_base:.3f}")

# %% [markdown]
# ## REINFORCE makes won games more likely
#
# Sampled self-play against the frozen opponent, with the update $\Delta\boldsymbol{\theta} \propto \sum_t z_t \nabla\log p(a_t \mid s_t)$ averaged over mini-batches of 32 games.

# %%
theta_rl = np.zeros((n_states, 3))
J_start = J(theta_rl)
for _step in range(300):
    grad = np.zeros_like(theta_rl)
    for _ in range(32):
        a1 = rng.choice(3, p=softmax(theta_rl[0]))
        o = rng.choice(2, p=opp_probs)
        s2 = state2(a1, o)
        a2 = rng.choice(3, p=softmax(theta_rl[s2]))
        z = outcome[a1, o, a2]
        grad[0] += z * (np.eye(3)[a1] - softmax(theta_rl[0]))
        grad[s2] += z * (np.eye(3)[a2] - softmax(theta_rl[s2]))
    theta_rl += 0.5 * grad / 32
best = max(opp_probs @ outcome[a1].max(axis=1) for a1 in range(3))
check(J(theta_rl) > J_start + 0.3, f"the expected outcome rises from {J_start:.3f} to {J(theta_rl):.3f}")
check(J(theta_rl) <= best + 1e-12 and J(theta_rl) > best - 0.15, f"approaching the best achievable {best:.3f}")

# %% [markdown]
# ## Value network: the squared-error gradient
#
# For $v(s) = \tanh(\mathbf{w}^\top\boldsymbol{\phi}(s))$, $\nabla_{\mathbf{w}} \tfrac{1}{2}(z - v)^2 = -(z - v)\nabla_{\mathbf{w}} v$, checked by central differences.

# %%
w_v = rng.normal(size=n_feat)
z_obs = 1.0


def half_sq(w):
    return 0.5 * (z_obs - np.tanh(w @ phi)) ** 2


v_val = np.tanh(w_v @ phi)
grad_v = (1 - v_val**2) * phi
fd_v = np.array([(half_sq(w_v + h * e) - half_sq(w_v - h * e)) / (2 * h) for e in np.eye(n_feat)])
check_close(fd_v, -(z_obs - v_val) * grad_v, "grad of (1/2)(z - v)^2 = -(z - v) grad v", atol=1e-8)
check(
    half_sq(w_v + 0.1 * (z_obs - v_val) * grad_v) < half_sq(w_v),
    "the update w <- w + eta (z - v) grad v lowers the error",
)

# %% [markdown]
# ## Backup: the incremental mean, and the visit-count target
#
# $Q \leftarrow Q + (V - Q)/N$ after incrementing $N$ reproduces the average of all leaf values, and $\pi_a \propto N(s, a)^{1/T}$ is proportional to the counts at $T = 1$ and puts all mass on the most visited move as $T \to 0$.

# %%
leaf_values = rng.uniform(-1, 1, size=57)
Q_inc = 0.0
for N_inc, V in enumerate(leaf_values, start=1):  # N is incremented before the update
    Q_inc += (V - Q_inc) / N_inc
check_close(Q_inc, leaf_values.mean(), "the incremental update equals the mean of the 57 leaf values", rtol=1e-12)


def visit_target(N, T):
    logits = np.log(np.maximum(N, 1e-300)) / T
    return softmax(logits) * (N > 0)


check_close(visit_target(N, 1.0), N / N.sum(), "T = 1: pi = N / 13 = (10/13, 3/13, 0)", rtol=1e-12)
check_close(visit_target(N, 0.01), [1, 0, 0], "T -> 0: pi puts all mass on A, the most visited move", atol=1e-12)

# %% [markdown]
# ## Search-space size and board symmetries
#
# A branching factor of about 250 over about 150 moves gives $250^{150}$ move sequences; and the rotations and reflections of a square board give eight distinct versions of a generic position.

# %%
log10_games = 150 * np.log10(250)
check(log10_games > 350, f"250^150 is about 10^{log10_games:.0f} sequences, so exhaustive search is hopeless")
board = rng.integers(-1, 2, size=(9, 9))  # -1 white, 0 empty, +1 black
variants = {np.rot90(b, k).tobytes() for b in (board, board.T) for k in range(4)}
check(len(variants) == 8, "rotations and reflections give 8 distinct boards: eight-fold augmentation")
