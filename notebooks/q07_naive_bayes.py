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
# # Naive Bayes from scratch: log space, add-alpha smoothing, and a worked spam example
#
# A hand-written multinomial naive Bayes is checked against scikit-learn's `MultinomialNB` (and a Bernoulli version against `BernoulliNB`): same smoothed parameters, same joint log-probabilities, same predictions.
# The notebook then recomputes every number of the worked spam example on the naive Bayes page, checks the Dirichlet justification of Laplace smoothing and the underflow argument for log space, and recomputes the diagnostic-test example of the Bayes' theorem page.
# The figures show the per-class log-score of the worked example and how its posterior moves with the smoothing strength $\alpha$.

# %%
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import check, check_close, save_figure
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax
from sklearn.naive_bayes import BernoulliNB, MultinomialNB

rng = np.random.default_rng(0)

# %% [markdown]
# ## A multinomial naive Bayes in a dozen lines
#
# For class $C_k$ let $N_{kj}$ be the total count of feature (word) $j$ over the training documents of that class and $N_k = \sum_j N_{kj}$.
# The smoothed estimates are
#
# $$
# \hat{\pi}_k = \frac{n_k}{n}, \qquad \hat{\theta}_{kj} = \frac{N_{kj} + \alpha}{N_k + \alpha d},
# $$
#
# and a document with count vector $\mathbf{x}$ gets the log-score (log of prior times likelihood, the multinomial coefficient dropped because it is the same for every class)
#
# $$
# s_k(\mathbf{x}) = \log \hat{\pi}_k + \sum_{j=1}^{d} x_j \log \hat{\theta}_{kj}.
# $$
#
# The predicted class is $\operatorname*{arg\,max}_k s_k$; posterior probabilities are $\exp(s_k - \operatorname{logsumexp}_j s_j)$.


# %%
def fit_multinomial_nb(X, y, alpha):
    """Return classes, log priors (K,) and log feature probabilities (K, d)."""
    classes = np.unique(y)
    n_k = np.array([np.sum(y == c) for c in classes])
    N = np.array([X[y == c].sum(axis=0) for c in classes])  # N[k, j] = N_kj
    log_prior = np.log(n_k) - np.log(len(y))
    log_theta = np.log(N + alpha) - np.log(N.sum(axis=1, keepdims=True) + alpha * X.shape[1])
    return classes, log_prior, log_theta


def joint_log_scores(X, log_prior, log_theta):
    """s_k(x) = log pi_k + sum_j x_j log theta_kj, for every row of X."""
    return X @ log_theta.T + log_prior


def posterior_proba(scores):
    """Normalise log-scores into posterior probabilities with log-sum-exp."""
    return np.exp(scores - logsumexp(scores, axis=1, keepdims=True))


# %% [markdown]
# ## Check against scikit-learn on a synthetic count data set
#
# Three classes, a vocabulary of $d = 12$ words, and 150 training documents whose word counts are drawn from a class-specific multinomial.
# Some word never appears in some class, so smoothing matters.

# %%
K, d, n = 3, 12, 150
true_theta = rng.dirichlet(np.full(d, 0.4), size=K)
y_train = rng.integers(0, K, size=n)
lengths = rng.poisson(25, size=n) + 1
X_train = np.array([rng.multinomial(m, true_theta[c]) for m, c in zip(lengths, y_train, strict=False)])
y_test = rng.integers(0, K, size=400)
X_test = np.array(
    [rng.multinomial(m, true_theta[c]) for m, c in zip(rng.poisson(25, size=400) + 1, y_test, strict=False)]
)

zero_cells = int(np.sum(np.array([X_train[y_train == c].sum(axis=0) for c in range(K)]) == 0))
check(
    zero_cells > 0,
    f"the training counts contain {zero_cells} zero cells N_kj = 0, so smoothing is exercised",
)

for alpha in (1.0, 0.5):
    classes, log_prior, log_theta = fit_multinomial_nb(X_train, y_train, alpha)
    sk = MultinomialNB(alpha=alpha).fit(X_train, y_train)
    check_close(
        log_prior,
        sk.class_log_prior_,
        f"alpha={alpha}: log priors log(n_k/n) equal sklearn's class_log_prior_",
        rtol=1e-12,
    )
    check_close(
        log_theta,
        sk.feature_log_prob_,
        f"alpha={alpha}: log((N_kj+alpha)/(N_k+alpha d)) equals sklearn's feature_log_prob_",
        rtol=1e-12,
    )
    ours = joint_log_scores(X_test, log_prior, log_theta)
    check_close(
        ours,
        sk.predict_joint_log_proba(X_test),
        f"alpha={alpha}: joint log-scores equal sklearn's predict_joint_log_proba on 400 test documents",
        rtol=1e-12,
    )
    check(
        np.array_equal(classes[ours.argmax(axis=1)], sk.predict(X_test)),
        f"alpha={alpha}: identical predicted classes on all 400 test documents",
    )
    check_close(
        posterior_proba(ours),
        sk.predict_proba(X_test),
        f"alpha={alpha}: log-sum-exp posteriors equal sklearn's predict_proba",
        rtol=1e-9,
        atol=1e-15,
    )

accuracy = np.mean(classes[ours.argmax(axis=1)] == y_test)
print(f"test accuracy of the hand-written classifier: {accuracy:.3f}")

# %% [markdown]
# ## The Bernoulli variant
#
# With binary features $x_j \in \{0, 1\}$ (word present or absent), let $D_{kj}$ be the number of class-$k$ training documents that contain word $j$.
# The smoothed estimate is $\hat{p}_{kj} = (D_{kj} + \alpha)/(n_k + 2\alpha)$ and the log-score is
# $\log \hat{\pi}_k + \sum_j \left[x_j \log \hat{p}_{kj} + (1 - x_j)\log(1 - \hat{p}_{kj})\right]$, so an absent word also counts as evidence.

# %%
B_train, B_test = (X_train > 0).astype(float), (X_test > 0).astype(float)
n_k = np.array([np.sum(y_train == c) for c in range(K)])
D = np.array([B_train[y_train == c].sum(axis=0) for c in range(K)])
p_hat = (D + 1.0) / (n_k[:, None] + 2.0)
bern_scores = np.log(n_k / n) + B_test @ np.log(p_hat).T + (1 - B_test) @ np.log(1 - p_hat).T
skb = BernoulliNB(alpha=1.0, binarize=None).fit(B_train, y_train)
check_close(
    np.log(p_hat),
    skb.feature_log_prob_,
    "Bernoulli: log((D_kj+1)/(n_k+2)) equals sklearn's feature_log_prob_",
    rtol=1e-12,
)
check_close(
    bern_scores,
    skb.predict_joint_log_proba(B_test),
    "Bernoulli: joint log-scores equal sklearn's",
    rtol=1e-12,
)
check(
    np.array_equal(bern_scores.argmax(axis=1), skb.predict(B_test)),
    "Bernoulli: identical predictions",
)

# %% [markdown]
# ## Why log space: products of many small probabilities underflow
#
# A single 2,000-word document has a likelihood that is a product of 2,000 factors below 1.
# In double precision the product is exactly 0 for every class (the smallest positive double is about $5 \times 10^{-324}$), so the classes can no longer be compared; the sum of logs is an ordinary number.

# %%
long_doc = rng.multinomial(2000, true_theta[0])
theta_hat = np.exp(log_theta)
linear_space = [np.prod(theta_hat[k] ** long_doc) for k in range(K)]
log_space = long_doc @ log_theta.T
check(
    all(v == 0.0 for v in linear_space),
    "the product of 2,000 word probabilities underflows to exactly 0.0 for every class",
)
check(
    np.all(np.isfinite(log_space)) and np.ptp(log_space) > 1.0,
    f"the sums of logs are finite and separate the classes (log-likelihoods {np.round(log_space, 1)})",
)

# %% [markdown]
# ## The worked example of the page
#
# Vocabulary (in this order): free, money, offer, meeting, report.
# Two spam and three ham training messages; the test message is "free meeting free".

# %%
vocab = ["free", "money", "offer", "meeting", "report"]
docs = [
    ("free money free", "spam"),
    ("free offer money", "spam"),
    ("meeting report", "ham"),
    ("report money meeting", "ham"),
    ("meeting offer", "ham"),
]
X_ex = np.array([[text.split().count(w) for w in vocab] for text, _ in docs])
y_ex = np.array([label for _, label in docs])
x_new = np.array([[["free", "meeting", "free"].count(w) for w in vocab]])

N_spam, N_ham = X_ex[y_ex == "spam"].sum(axis=0), X_ex[y_ex == "ham"].sum(axis=0)
check(
    N_spam.tolist() == [3, 2, 1, 0, 0] and N_spam.sum() == 6,
    "spam counts are free 3, money 2, offer 1, meeting 0, report 0 (N_spam = 6)",
)
check(
    N_ham.tolist() == [0, 1, 1, 3, 2] and N_ham.sum() == 7,
    "ham counts are free 0, money 1, offer 1, meeting 3, report 2 (N_ham = 7)",
)
check(
    x_new.tolist() == [[2, 0, 0, 1, 0]],
    "the test message has free twice and meeting once",
)

# %% [markdown]
# Exact arithmetic with fractions, $\alpha = 1$ and $d = 5$:

# %%
a, dd = Fraction(1), 5
theta_spam = [(Fraction(int(c)) + a) / (int(N_spam.sum()) + a * dd) for c in N_spam]
theta_ham = [(Fraction(int(c)) + a) / (int(N_ham.sum()) + a * dd) for c in N_ham]
check(
    theta_spam[0] == Fraction(4, 11) and theta_spam[3] == Fraction(1, 11),
    "spam: theta_free = 4/11, theta_meeting = 1/11",
)
check(
    theta_ham[0] == Fraction(1, 12) and theta_ham[3] == Fraction(1, 3),
    "ham: theta_free = 1/12, theta_meeting = 4/12 = 1/3",
)
check(
    sum(theta_spam) == 1 and sum(theta_ham) == 1,
    "the smoothed estimates of each class sum to 1",
)

joint_spam = Fraction(2, 5) * theta_spam[0] ** 2 * theta_spam[3]
joint_ham = Fraction(3, 5) * theta_ham[0] ** 2 * theta_ham[3]
check(
    joint_spam == Fraction(32, 6655) and joint_ham == Fraction(1, 720),
    "prior x likelihood: spam 32/6655, ham 1/720",
)
post_spam = joint_spam / (joint_spam + joint_ham)
check(post_spam == Fraction(4608, 5939), "P(spam | x) = 4608/5939 exactly")
check_close(float(post_spam), 0.776, "P(spam | x) is about 0.776", atol=5e-4)
check_close(
    float(joint_spam / joint_ham),
    3.46,
    "the posterior odds spam:ham are about 3.46",
    atol=5e-3,
)
check_close(np.log(float(joint_spam)), -5.337, "log-score of spam is about -5.337", atol=5e-4)
check_close(np.log(float(joint_ham)), -6.579, "log-score of ham is about -6.579", atol=5e-4)
check_close(float(joint_spam), 0.00481, "spam: prior x likelihood is about 0.00481", atol=5e-6)
check_close(float(joint_ham), 0.00139, "ham: prior x likelihood is about 0.00139", atol=5e-6)

# %% [markdown]
# The same numbers from the hand-written classifier and from scikit-learn (whose classes are sorted alphabetically: ham, spam):

# %%
cls_ex, lp_ex, lt_ex = fit_multinomial_nb(X_ex, y_ex, alpha=1.0)
scores_ex = joint_log_scores(x_new, lp_ex, lt_ex)[0]
sk_ex = MultinomialNB(alpha=1.0).fit(X_ex, y_ex)
check(
    list(cls_ex) == ["ham", "spam"] and list(sk_ex.classes_) == ["ham", "spam"],
    "class order is ham, spam",
)
check_close(
    scores_ex,
    [np.log(float(joint_ham)), np.log(float(joint_spam))],
    "hand-written log-scores equal the exact fractions",
    rtol=1e-12,
)
check_close(
    sk_ex.predict_joint_log_proba(x_new)[0],
    scores_ex,
    "sklearn's joint log-probabilities equal the hand computation",
    rtol=1e-12,
)
check(sk_ex.predict(x_new)[0] == "spam", "the message is classified as spam")

# %% [markdown]
# Without smoothing ($\alpha = 0$) the spam model gives "meeting" probability 0 and the ham model gives "free" probability 0.
# Both likelihoods are then exactly 0 (in log space, $-\infty$), so the posterior $0/0$ is undefined: one unseen word vetoes a class.

# %%
mle_spam = [Fraction(int(c), int(N_spam.sum())) for c in N_spam]
mle_ham = [Fraction(int(c), int(N_ham.sum())) for c in N_ham]
lik0_spam = np.prod([t ** int(x) for t, x in zip(mle_spam, x_new[0], strict=False)])
lik0_ham = np.prod([t ** int(x) for t, x in zip(mle_ham, x_new[0], strict=False)])
check(
    lik0_spam == 0 and lik0_ham == 0,
    "with alpha = 0 both class likelihoods are exactly 0, so P(spam | x) = 0/0 is undefined",
)

# %% [markdown]
# ## Laplace smoothing as a Bayesian estimate
#
# Put a symmetric Dirichlet prior $\mathrm{Dir}(\beta, \dots, \beta)$ on the word probabilities of one class.
# Its posterior after counts $N_{kj}$ is $\mathrm{Dir}(N_{k1} + \beta, \dots, N_{kd} + \beta)$, whose mode (the MAP estimate, for $\beta > 1$) is $(N_{kj} + \beta - 1)/(N_k + d(\beta - 1))$ and whose mean is $(N_{kj} + \beta)/(N_k + d\beta)$.
# So add-$\alpha$ smoothing is the MAP estimate under $\beta = \alpha + 1$ and the posterior mean under $\beta = \alpha$.
# Below, the MAP is found by numerical optimisation over the simplex and the mean by Monte Carlo, for the spam counts of the worked example.

# %%
counts = N_spam.astype(float)
for alpha in (1.0, 0.5):
    laplace = (counts + alpha) / (counts.sum() + alpha * len(counts))
    beta = alpha + 1.0

    def neg_log_post(u, beta=beta):
        theta = softmax(u)  # any u gives a point of the simplex
        return -np.sum((counts + beta - 1.0) * np.log(theta))

    res = minimize(neg_log_post, np.zeros(len(counts)), method="BFGS", options={"gtol": 1e-10})
    check_close(
        softmax(res.x),
        laplace,
        f"alpha={alpha}: the numerical MAP under Dir(alpha+1) equals (N_kj+alpha)/(N_k+alpha d)",
        atol=1e-6,
    )
    samples = rng.dirichlet(counts + alpha, size=200_000)
    check_close(
        samples.mean(axis=0),
        laplace,
        f"alpha={alpha}: the Monte Carlo posterior mean under Dir(alpha) equals the same formula",
        atol=3e-3,
    )

# %% [markdown]
# ## Figure: where the log-score of each class comes from
#
# Each bar is one term of $s_k(\mathbf{x}) = \log \hat{\pi}_k + 2\log\hat{\theta}_{k,\text{free}} + \log\hat{\theta}_{k,\text{meeting}}$; the last group is the total.

# %%
terms = [
    "log prior",
    "2 x log P(free | class)",
    "log P(meeting | class)",
    "total log-score",
]
spam_terms = [np.log(2 / 5), 2 * np.log(4 / 11), np.log(1 / 11)]
ham_terms = [np.log(3 / 5), 2 * np.log(1 / 12), np.log(1 / 3)]
check_close(
    spam_terms,
    [-0.916, -2.023, -2.398],
    "spam terms: log(2/5), 2 log(4/11), log(1/11) are about -0.916, -2.023, -2.398",
    atol=5e-4,
)
check_close(
    ham_terms,
    [-0.511, -4.970, -1.099],
    "ham terms: log(3/5), 2 log(1/12), log(1/3) are about -0.511, -4.970, -1.099",
    atol=5e-4,
)
check(
    ham_terms[0] > spam_terms[0] and ham_terms[2] > spam_terms[2],
    "the prior and the word meeting each favour ham",
)
check(
    spam_terms[1] - ham_terms[1] > (ham_terms[0] - spam_terms[0]) + (ham_terms[2] - spam_terms[2]),
    "the two occurrences of free favour spam by more than the prior and meeting favour ham together",
)
spam_terms.append(sum(spam_terms))
ham_terms.append(sum(ham_terms))
check_close(
    [spam_terms[-1], ham_terms[-1]],
    [np.log(float(joint_spam)), np.log(float(joint_ham))],
    "the bar totals equal the log-scores",
    rtol=1e-12,
)

fig, ax = plt.subplots()
pos = np.arange(len(terms))
ax.barh(pos - 0.2, spam_terms, height=0.4, label="spam")
ax.barh(pos + 0.2, ham_terms, height=0.4, label="ham")
ax.set_yticks(pos, terms)
ax.invert_yaxis()
ax.set_xlabel("contribution to the log-score (nats)")
_ = ax.set_title('Naive Bayes log-scores for "free meeting free"')
ax.legend(loc="upper left")
save_figure(fig, "log-score-terms")

# %% [markdown]
# ## Figure: the posterior depends on the smoothing strength
#
# As $\alpha \to \infty$ every $\hat{\theta}_{kj} \to 1/d$, the words stop carrying evidence and the posterior returns to the prior $P(\text{spam}) = 0.4$.
# As $\alpha \to 0$ the unseen word "meeting" drives the spam likelihood to 0 more slowly than the two unseen "free"s drive the ham likelihood to 0 (one factor of $\alpha$ against two), so $P(\text{spam} \mid \mathbf{x}) \to 1$.


# %%
def posterior_spam(alpha):
    _, lp, lt = fit_multinomial_nb(X_ex, y_ex, alpha)
    return posterior_proba(joint_log_scores(x_new, lp, lt))[0, 1]


alphas = np.logspace(-3, 3, 121)
post_curve = np.array([posterior_spam(al) for al in alphas])
check_close(
    posterior_spam(1.0),
    float(post_spam),
    "alpha = 1 on the curve reproduces P(spam | x) = 4608/5939",
    rtol=1e-12,
)
check(posterior_spam(1e-6) > 0.999, "alpha -> 0: P(spam | x) -> 1")
check_close(
    posterior_spam(1e6),
    0.4,
    "alpha -> infinity: P(spam | x) -> the prior 0.4",
    atol=1e-4,
)
check(
    np.all(np.diff(post_curve) < 0),
    "on this example the posterior decreases monotonically in alpha",
)

fig, ax = plt.subplots()
ax.semilogx(alphas, post_curve, label="P(spam | x)")
ax.axhline(0.4, linestyle="--", color="gray", label="prior P(spam) = 0.4")
ax.plot([1.0], [float(post_spam)], "o", label=f"Laplace, α = 1: {float(post_spam):.3f}")
ax.set_xlabel("smoothing strength α (log scale)")
ax.set_ylabel("posterior probability of spam")
ax.set_ylim(0, 1.02)
_ = ax.set_title('Effect of add-α smoothing on "free meeting free"')
ax.legend(loc="lower left")
save_figure(fig, "smoothing")

# %% [markdown]
# ## The diagnostic-test example of the Bayes' theorem page
#
# Prevalence $P(D) = 0.01$, sensitivity $P(+ \mid D) = 0.95$, false positive rate $P(+ \mid \neg D) = 0.05$.

# %%
prev, sens, fpr = Fraction(1, 100), Fraction(95, 100), Fraction(5, 100)
p_pos = sens * prev + fpr * (1 - prev)
check(
    sens * prev == Fraction(95, 10_000) and fpr * (1 - prev) == Fraction(495, 10_000),
    "the two terms are 0.0095 (ill and positive) and 0.0495 (healthy and positive)",
)
check(
    p_pos == Fraction(59, 1000),
    "law of total probability: P(+) = 0.95 x 0.01 + 0.05 x 0.99 = 0.059",
)
post1 = sens * prev / p_pos
check(
    post1 == Fraction(19, 118) and post1 == Fraction(95, 590),
    "P(D | +) = 0.0095/0.059 = 95/590 = 19/118",
)
check_close(float(post1), 0.161, "P(D | +) is about 16.1%", atol=5e-4)

population = 10_000
sick = population * prev
true_pos, false_pos = sick * sens, (population - sick) * fpr
check(
    (sick, true_pos, false_pos) == (100, 95, 495),
    "natural frequencies: of 10,000 people 100 are ill, 95 true and 495 false positives",
)
check(true_pos / (true_pos + false_pos) == post1, "95/(95+495) gives the same posterior")

post2 = sens * post1 / (sens * post1 + fpr * (1 - post1))
check(
    post2 == Fraction(361, 460),
    "a second, conditionally independent positive test gives P(D | +, +) = 361/460",
)
check_close(float(post2), 0.785, "P(D | +, +) is about 78.5%", atol=5e-4)
prior_odds, lr_plus = prev / (1 - prev), sens / fpr
check(
    lr_plus == 19 and prior_odds == Fraction(1, 99),
    "odds form: prior odds 1/99, likelihood ratio 0.95/0.05 = 19",
)
check(
    post1 / (1 - post1) == prior_odds * lr_plus and post2 / (1 - post2) == prior_odds * lr_plus**2,
    "posterior odds = 19/99 after one positive and 361/99 after two",
)
