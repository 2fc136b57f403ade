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
# The worked table is bound from here; the checks test the search rule independently (a full PUCT search with sign flipping must find the known winning moves of a solved game, and choosing by visits must avoid blunders that choosing by the highest $Q$ makes), verify the policy-gradient identity and the unbiasedness of a baseline exactly on a tiny game by enumerating every trajectory, and confirm the incremental backup, the visit-count targets, the eight board symmetries of Go and the width of an evaluation's confidence interval.

# %%
import itertools

import numpy as np
from scipy.stats import binom
from handbook_nb import bind, check, check_close

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
c_puct = bind("c_puct", 1.0)
P = np.array([bind("prior_a", 0.6), bind("prior_b", 0.3), bind("prior_c", 0.1)])
N = np.array([bind("visits_a", 10), bind("visits_b", 3), bind("visits_c", 0)])
Q = np.array([bind("q_a", 0.50), bind("q_b", 0.60), bind("q_c", 0.0)])


def puct_scores(P, N, Q, c_puct=1.0):
    u = c_puct * P * np.sqrt(N.sum(axis=-1, keepdims=True)) / (1 + N)
    return u, Q + u


u, score = puct_scores(P, N, Q, c_puct)
bind("visits_total", N.sum())
bind("sqrt_total", np.sqrt(N.sum()))
for move, u_m, s_m, n_m in zip("abc", u, score, N, strict=True):
    bind(f"u_{move}", u_m)
    bind(f"score_{move}", s_m)
    bind(f"one_plus_n_{move}", 1 + n_m)
next_move, top_bonus, most_visited = (moves[int(np.argmax(x))] for x in (score, u, N))
print(f"next simulation: {next_move}; largest bonus: {top_bonus}; most visited: {most_visited}")

# %% [markdown]
# ## The selection rule, the backup and the sign flip, on a solved game
#
# An independent test of the search: a full PUCT search (uniform priors, random rollouts to evaluate new leaves, backup with the sign flipped at every level) on one-pile Nim, where each player takes 1 to 3 stones and whoever takes the last stone wins.
# The game is solved: the winning move from a pile of $k$ stones is to take $k \bmod 4$ stones (leaving a multiple of 4).
# After 600 simulations the most visited root move must be that move for piles 5, 6 and 7; without the sign flip the search must miss it.
# A page whose selection rule, backup or sign convention were wrong would fail here.


# %%
def mcts_nim(pile, n_sim, flip=True, c_puct=1.0):
    """Visit counts of the root moves (take 1, 2, 3) after n_sim PUCT simulations from `pile` stones."""
    visits, values = {}, {}
    for _ in range(n_sim):
        s, path = pile, []
        while True:
            if s == 0:  # the player to move has no stones left: the previous player took the last one
                v = -1.0
                break
            if s not in visits:  # a new leaf: evaluate it by a random rollout
                visits[s], values[s] = np.zeros(3), np.zeros(3)
                t, sign = s, 1.0
                while t > 0:
                    t -= rng.integers(1, min(3, t) + 1)
                    sign = -sign
                v = -sign  # +1 if the player to move at s took the last stone
                break
            prior = np.array([1.0 / min(3, s) if m <= s else 0.0 for m in (1, 2, 3)])
            q = np.divide(values[s], visits[s], out=np.zeros(3), where=visits[s] > 0)
            bonus = puct_scores(prior, visits[s], q, c_puct)[0]
            a = int(np.argmax(np.where(prior > 0, q + bonus, -np.inf)))
            path.append((s, a))
            s -= a + 1
        for st, a in reversed(path):  # v is from the view of the player to move below the edge
            v = -v if flip else v
            visits[st][a] += 1
            values[st][a] += v
    return visits[pile]


for pile in (5, 6, 7):
    counts = mcts_nim(pile, 600)
    check(
        int(np.argmax(counts)) + 1 == pile % 4,
        f"pile {pile}: PUCT's most visited move takes {int(np.argmax(counts)) + 1}, the winning move (visits {counts})",
    )
check(int(np.argmax(mcts_nim(6, 600, flip=False))) + 1 != 2, "without the sign flip the search misses the winning move")

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
# ## Playing the most visited move avoids blunders
#
# The page says AlphaGo plays the most visited root move because a rarely visited move can have a noisy $Q$.
# We run 4 000 independent searches of 60 simulations each from an empty root with the example's priors and true values, and record which move each rule would play.
# Choosing by the highest $Q$ must pick the worst move, C, more often than choosing by visits, by more than 4 standard errors of the difference; the average true value of the two rules is also reported, since the page does not claim that visits win on average.

# %%
searches, n_sims = 4_000, 60
N_s, W_s = np.zeros((searches, 3)), np.zeros((searches, 3))
rows = np.arange(searches)
for _ in range(n_sims):
    Q_s = np.divide(W_s, N_s, out=np.zeros_like(W_s), where=N_s > 0)
    a = np.argmax(puct_scores(P, N_s, Q_s)[1], axis=1)
    N_s[rows, a] += 1
    W_s[rows, a] += np.where(rng.random(searches) < (1 + true_value[a]) / 2, 1.0, -1.0)
by_visits = np.argmax(N_s, axis=1)
by_q = np.argmax(np.divide(W_s, N_s, out=np.full_like(W_s, -np.inf), where=N_s > 0), axis=1)
blunder_n, blunder_q = np.mean(by_visits == 2), np.mean(by_q == 2)
se_diff = np.sqrt((blunder_n * (1 - blunder_n) + blunder_q * (1 - blunder_q)) / searches)
check(
    blunder_q - blunder_n > 4 * se_diff,
    f"the worst move is played in {blunder_q:.1%} of searches by highest Q, {blunder_n:.1%} by most visits",
)
bind("blunder_q_pct", 100 * blunder_q)
bind("blunder_n_pct", 100 * blunder_n)
bind("n_sims_robust", n_sims)
print(
    f"average true value of the move played: by visits {true_value[by_visits].mean():.3f}, by Q {true_value[by_q].mean():.3f}"
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
# $Q \leftarrow Q + (V - Q)/N$ after incrementing $N$ reproduces the average of all leaf values, and $\pi_a \propto N(s, a)^{1/T}$ puts all mass on the most visited move as $T \to 0$.

# %%
leaf_values = rng.uniform(-1, 1, size=57)
Q_inc = 0.0
for N_inc, V in enumerate(leaf_values, start=1):  # N is incremented before the update
    Q_inc += (V - Q_inc) / N_inc
check_close(Q_inc, leaf_values.mean(), "the incremental update equals the mean of the 57 leaf values", rtol=1e-12)


def visit_target(N, T):
    logits = np.log(np.maximum(N, 1e-300)) / T
    return softmax(logits) * (N > 0)


check_close(visit_target(N, 0.01), [1, 0, 0], "T -> 0: pi puts all mass on A, the most visited move", atol=1e-12)

# %% [markdown]
# ## Board symmetries
#
# The rotations and reflections of a square board give eight distinct versions of a generic position.

# %%
board = rng.integers(-1, 2, size=(9, 9))  # -1 white, 0 empty, +1 black
variants = {np.rot90(b, k).tobytes() for b in (board, board.T) for k in range(4)}
check(len(variants) == 8, "rotations and reflections give 8 distinct boards: eight-fold augmentation")
bind("board_size", board.shape[0])

# %% [markdown]
# ## How many evaluation games?
#
# The page asks for a few hundred games per evaluation.
# With 400 games between two equally strong players the normal-approximation 95% interval for the win rate is $\pm 1.96\sqrt{0.25/400}$; simulated evaluations must land inside it about 95% of the time (the exact binomial share, within 4 Monte-Carlo standard errors).

# %%
games = bind("eval_games", 400)
bind("ci_level_pct", 95)
bind("even_win_rate_pct", 50)
half_width = bind("ci_half_width_pct", 100 * 1.96 * np.sqrt(0.25 / games))
win_rates = rng.binomial(games, 0.5, size=20_000) / games
inside = np.mean(np.abs(win_rates - 0.5) <= half_width / 100)
exact = binom.cdf(np.floor(games * (0.5 + half_width / 100)), games, 0.5) - binom.cdf(
    np.ceil(games * (0.5 - half_width / 100)) - 1, games, 0.5
)
check(
    abs(inside - exact) <= 4 * np.sqrt(exact * (1 - exact) / 20_000) and abs(exact - 0.95) < 0.01,
    f"{inside:.3f} of simulated 400-game evaluations fall within +-{half_width:.1f} points (exact {exact:.3f})",
)

# %% [markdown]
# ## Literature values quoted in the page's example answer

# %%
bind("kgs_positions_m", 30)  # Silver et al. 2016: about 30 million KGS positions
