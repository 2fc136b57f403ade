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
# The notebook then computes and binds every number of the worked spam example on the naive Bayes page (exact fractions, checked against scikit-learn), checks the Dirichlet justification of Laplace smoothing, the underflow argument for log space and the event-model claims, and computes the diagnostic-test example of the Bayes' theorem page (exact fractions, checked against a simulated population).
# The figures show the per-class log-score of the worked example and how its posterior moves with the smoothing strength $\alpha$.

# %%
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, check_close, save_figure
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.naive_bayes import BernoulliNB, GaussianNB, MultinomialNB

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
# ## The Gaussian variant: quadratic boundary, linear when the variances are shared
#
# For one feature with class means $\mu_0, \mu_1$ and feature variances $v_0, v_1$, the log-odds of Gaussian naive Bayes is $\log\frac{\pi_1}{\pi_0} - \frac{(x - \mu_1)^2}{2v_1} + \frac{(x - \mu_0)^2}{2v_0} + \frac{1}{2}\log\frac{v_0}{v_1}$, a quadratic in $x$ with leading coefficient $\frac{1}{2v_0} - \frac{1}{2v_1}$.
# A degree-2 polynomial is fitted to scikit-learn's `GaussianNB` log-odds on a grid; with two classes of equal sample variance (the second is a shifted copy of the first) the quadratic term vanishes.

# %%
gauss_rng = np.random.default_rng(7)  # its own stream, so the sections below are unchanged
g0 = gauss_rng.normal(0.0, 1.0, size=200)
quad_coefs = {}
x_grid = np.linspace(-4, 4, 41)[:, None]
for label, g1 in (("different variances", gauss_rng.normal(1.5, 2.0, size=200)), ("shared variance", g0 + 1.5)):
    Xg, yg = np.r_[g0, g1][:, None], np.r_[np.zeros(200), np.ones(200)]
    gnb = GaussianNB().fit(Xg, yg)
    jll = gnb.predict_joint_log_proba(x_grid)
    quad_coef = np.polyfit(x_grid[:, 0], jll[:, 1] - jll[:, 0], 2)[0]
    quad_coefs[label] = quad_coef
    expected = 1 / (2 * gnb.var_[0, 0]) - 1 / (2 * gnb.var_[1, 0])
    check_close(
        quad_coef,
        expected,
        f"Gaussian NB, {label}: the quadratic coefficient of the log-odds is 1/(2 var_0) - 1/(2 var_1) = {expected:.3g}",
        rtol=1e-6,
        atol=1e-9,
    )
check(
    abs(quad_coefs["shared variance"]) < 1e-8 < 0.1 < abs(quad_coefs["different variances"]),
    "the fitted log-odds is quadratic with different variances and linear (no x^2 term) with a shared variance",
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
tiny = np.nextafter(0.0, 1.0)
check(
    tiny == np.finfo(float).smallest_subnormal and tiny / 2 == 0.0 and round(10 ** (np.log10(tiny) + 324)) == 5,
    f"the smallest positive double is {tiny:.3g}, about 5e-324, and half of it rounds to 0",
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
# The counts are taken twice, by splitting on spaces and by scikit-learn's `CountVectorizer`; the page's table is bound to the second.

# %%
vocab = ["free", "money", "offer", "meeting", "report"]
docs = [
    ("free money free", "spam"),
    ("free offer money", "spam"),
    ("meeting report", "ham"),
    ("report money meeting", "ham"),
    ("meeting offer", "ham"),
]
message = "free meeting free"
vectorizer = CountVectorizer(vocabulary=vocab, token_pattern=r"\S+")
X_ex = vectorizer.transform([text for text, _ in docs]).toarray()
y_ex = np.array([label for _, label in docs])
x_new = vectorizer.transform([message]).toarray()
check(
    np.array_equal(X_ex, [[text.split().count(w) for w in vocab] for text, _ in docs])
    and np.array_equal(x_new, [[message.split().count(w) for w in vocab]]),
    "CountVectorizer's counts equal the counts from splitting each message on spaces",
)
N_spam, N_ham = X_ex[y_ex == "spam"].sum(axis=0), X_ex[y_ex == "ham"].sum(axis=0)
bind("d_vocab", len(vocab))
bind("n_spam_docs", np.sum(y_ex == "spam"))
bind("n_ham_docs", np.sum(y_ex == "ham"))
for word, c_spam, c_ham in zip(vocab, N_spam, N_ham, strict=True):
    bind(f"cnt_spam_{word}", c_spam)
    bind(f"cnt_ham_{word}", c_ham)
bind("tot_spam", N_spam.sum())
bind("tot_ham", N_ham.sum())
bind("x_free", x_new[0, vocab.index("free")])
bind("x_meeting", x_new[0, vocab.index("meeting")])

# %% [markdown]
# Exact arithmetic with fractions, $\alpha = 1$, from the page's formulas; scikit-learn's `MultinomialNB` is the independent route.

# %%
a, dd = Fraction(1), len(vocab)
bind("alpha_laplace", a)
prior_spam = Fraction(int(np.sum(y_ex == "spam")), len(y_ex))
prior_ham = 1 - prior_spam
theta_spam = [(Fraction(int(c)) + a) / (int(N_spam.sum()) + a * dd) for c in N_spam]
theta_ham = [(Fraction(int(c)) + a) / (int(N_ham.sum()) + a * dd) for c in N_ham]
sk_ex = MultinomialNB(alpha=1.0).fit(X_ex, y_ex)
check(list(sk_ex.classes_) == ["ham", "spam"], "scikit-learn orders the classes ham, spam")
check_close(
    np.exp(sk_ex.feature_log_prob_),
    [[float(t) for t in theta_ham], [float(t) for t in theta_spam]],
    "(N_kj + alpha)/(N_k + alpha d) equals sklearn's feature_log_prob_ for every word and class",
    rtol=1e-12,
)
check_close(
    np.exp(sk_ex.class_log_prior_),
    [float(prior_ham), float(prior_spam)],
    "the priors n_k/n equal sklearn's class_log_prior_",
    rtol=1e-12,
)
check_close(
    np.exp(sk_ex.feature_log_prob_).sum(axis=1),
    [1.0, 1.0],
    "with alpha d in the denominator sklearn's word probabilities sum to 1 in each class",
    rtol=1e-12,
)
wrong = [(Fraction(int(c)) + a) / int(N_spam.sum()) for c in N_spam]  # alpha added to the numerator only
check(sum(wrong) != 1, f"without alpha d in the denominator the spam estimates sum to {sum(wrong)}, not 1")


def bind_fraction(name, value):
    """Bind the numerator and denominator of an exact fraction, as the page writes it."""
    bind(f"{name}_num", value.numerator)
    bind(f"{name}_den", value.denominator)


bind_fraction("prior_spam", prior_spam)
bind_fraction("prior_ham", prior_ham)
bind("den_spam", int(N_spam.sum()) + a * dd)
bind("den_ham", int(N_ham.sum()) + a * dd)
bind_fraction("th_spam_free", theta_spam[0])
bind_fraction("th_spam_meeting", theta_spam[3])
bind_fraction("th_ham_free", theta_ham[0])
bind_fraction("th_ham_meeting", theta_ham[3])
bind("th_ham_meeting_num_unreduced", int(N_ham[3]) + 1)  # the page writes 4/12 = 1/3
bind("th_ham_meeting_den_unreduced", int(N_ham.sum()) + dd)

joint_spam = prior_spam * theta_spam[0] ** 2 * theta_spam[3]
joint_ham = prior_ham * theta_ham[0] ** 2 * theta_ham[3]
post_spam = joint_spam / (joint_spam + joint_ham)
bind_fraction("joint_spam", joint_spam)
bind_fraction("joint_ham", joint_ham)
bind_fraction("post_spam", post_spam)
sk_joint = sk_ex.predict_joint_log_proba(x_new)[0]  # [ham, spam]
check_close(
    sk_joint,
    [np.log(float(joint_ham)), np.log(float(joint_spam))],
    f"sklearn's joint log-probabilities equal the logs of the exact fractions {joint_ham} and {joint_spam}",
    rtol=1e-12,
    name=None,
)
bind("s_spam", sk_joint[1])
bind("s_ham", sk_joint[0])
bind("joint_spam_dec", np.exp(sk_joint[1]))
bind("joint_ham_dec", np.exp(sk_joint[0]))
check_close(
    sk_ex.predict_proba(x_new)[0, 1],
    float(post_spam),
    f"sklearn's P(spam | x) equals the exact {post_spam}",
    rtol=1e-12,
    name="post_spam_dec",
)
bind("odds_spam", np.exp(sk_joint[1] - sk_joint[0]))
check(sk_ex.predict(x_new)[0] == "spam", "the message is classified as spam")

# %% [markdown]
# The hand-written classifier of the first section gives the same scores:

# %%
cls_ex, lp_ex, lt_ex = fit_multinomial_nb(X_ex, y_ex, alpha=1.0)
check_close(
    joint_log_scores(x_new, lp_ex, lt_ex)[0],
    sk_joint,
    "the hand-written classifier's log-scores equal sklearn's",
    rtol=1e-12,
)

# %% [markdown]
# Without smoothing ($\alpha = 0$) the spam model gives "meeting" probability 0 and the ham model gives "free" probability 0.
# Both likelihoods are then exactly 0 (in log space, $-\infty$), so the posterior $0/0$ is undefined: one unseen word vetoes a class.

# %%
mle_spam = [Fraction(int(c), int(N_spam.sum())) for c in N_spam]
mle_ham = [Fraction(int(c), int(N_ham.sum())) for c in N_ham]
lik0 = [np.prod([t ** int(x) for t, x in zip(mle, x_new[0], strict=True)]) for mle in (mle_ham, mle_spam)]
with np.errstate(divide="ignore", invalid="ignore"):
    sk0 = MultinomialNB(alpha=0.0, force_alpha=True).fit(X_ex, y_ex)
    proba0 = sk0.predict_proba(x_new)
check(
    lik0 == [0, 0] and not np.any(np.isfinite(proba0)),
    "with alpha = 0 both exact likelihoods are 0 and sklearn's predict_proba is undefined (NaN), not a posterior",
)
bind("mle_spam_meeting_num", mle_spam[3].numerator)
bind("lik0", max(lik0))
bind("mle_ham_free_num", mle_ham[0].numerator)

# %% [markdown]
# ## Laplace smoothing as a Bayesian estimate
#
# Put a symmetric Dirichlet prior $\mathrm{Dir}(\beta, \dots, \beta)$ on the word probabilities of one class.
# Its posterior after counts $N_{kj}$ is $\mathrm{Dir}(N_{k1} + \beta, \dots, N_{kd} + \beta)$, whose mode (the MAP estimate, for $\beta > 1$) is $(N_{kj} + \beta - 1)/(N_k + d(\beta - 1))$ and whose mean is $(N_{kj} + \beta)/(N_k + d\beta)$.
# So add-$\alpha$ smoothing is the MAP estimate under $\beta = \alpha + 1$ and the posterior mean under $\beta = \alpha$.
# Below, the MAP is found by numerical optimisation over the simplex and the mean by Monte Carlo, for the spam counts of the worked example.
# The Monte Carlo tolerance is 4 standard errors of a mean of 200,000 draws.

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
    se = samples.std(axis=0) / np.sqrt(len(samples))
    check(
        np.all(np.abs(samples.mean(axis=0) - laplace) < 4 * se),
        f"alpha={alpha}: the Monte Carlo posterior mean under Dir(alpha) equals the same formula (within 4 SE)",
    )

# %% [markdown]
# ## Figure: where the log-score of each class comes from
#
# Each bar is one term of $s_k(\mathbf{x}) = \log \hat{\pi}_k + 2\log\hat{\theta}_{k,\text{free}} + \log\hat{\theta}_{k,\text{meeting}}$, taken from the fitted scikit-learn model; the last group is the total.

# %%
terms = [
    "log prior",
    f"{x_new[0, 0]} x log P(free | class)",
    "log P(meeting | class)",
    "total log-score",
]
j_free, j_meeting = vocab.index("free"), vocab.index("meeting")
bars = {}
for k_cls, cls in enumerate(sk_ex.classes_):
    lp, lt = sk_ex.class_log_prior_[k_cls], sk_ex.feature_log_prob_[k_cls]
    bars[cls] = [lp, x_new[0, j_free] * lt[j_free], x_new[0, j_meeting] * lt[j_meeting]]
spam_terms, ham_terms = bars["spam"], bars["ham"]
for cls, (t_prior, t_free, t_meeting) in bars.items():
    bind(f"term_{cls}_prior", t_prior)
    bind(f"term_{cls}_free", t_free)
    bind(f"term_{cls}_meeting", t_meeting)
check_close(
    spam_terms,
    [np.log(float(prior_spam)), 2 * np.log(float(theta_spam[0])), np.log(float(theta_spam[3]))],
    "spam bars equal log(2/5), 2 log(4/11), log(1/11) from the exact fractions",
    rtol=1e-12,
)
check_close(
    ham_terms,
    [np.log(float(prior_ham)), 2 * np.log(float(theta_ham[0])), np.log(float(theta_ham[3]))],
    "ham bars equal log(3/5), 2 log(1/12), log(1/3) from the exact fractions",
    rtol=1e-12,
)
check(
    ham_terms[0] > spam_terms[0] and ham_terms[2] > spam_terms[2],
    "the prior and the word meeting each favour ham (caption)",
)
check(
    spam_terms[1] - ham_terms[1] > (ham_terms[0] - spam_terms[0]) + (ham_terms[2] - spam_terms[2]),
    "the two occurrences of free favour spam by more than the prior and meeting favour ham together (caption)",
)
check(
    min(spam_terms + ham_terms) == ham_terms[1],
    "the longest single bar is ham's term for the two occurrences of free (alt text)",
)
spam_terms.append(sum(spam_terms))
ham_terms.append(sum(ham_terms))
check_close(
    [ham_terms[-1], spam_terms[-1]],
    sk_joint,
    "the bar totals equal sklearn's joint log-probabilities",
    rtol=1e-12,
)

fig, ax = plt.subplots()
pos = np.arange(len(terms))
ax.barh(pos - 0.2, spam_terms, height=0.4, label="spam")
ax.barh(pos + 0.2, ham_terms, height=0.4, label="ham")
ax.set_yticks(pos, terms)
ax.invert_yaxis()
ax.set_xlabel("contribution to the log-score (nats)")
_ = ax.set_title(f'Naive Bayes log-scores for "{message}"')
ax.legend(loc="upper left")
save_figure(fig, "log-score-terms")

# %% [markdown]
# ## Figure: the posterior depends on the smoothing strength
#
# As $\alpha \to \infty$ every $\hat{\theta}_{kj} \to 1/d$, the words stop carrying evidence and the posterior returns to the prior $P(\text{spam})$.
# As $\alpha \to 0$ the unseen word "meeting" drives the spam likelihood to 0 more slowly than the two unseen "free"s drive the ham likelihood to 0 (one factor of $\alpha$ against two), so $P(\text{spam} \mid \mathbf{x}) \to 1$.


# %%
def posterior_spam(alpha):
    _, lp, lt = fit_multinomial_nb(X_ex, y_ex, alpha)
    return posterior_proba(joint_log_scores(x_new, lp, lt))[0, 1]


alphas = np.logspace(-3, 3, 121)
post_curve = np.array([posterior_spam(al) for al in alphas])
prior_rate = np.mean(y_ex == "spam")
bind("alpha_min", alphas[0])
bind("alpha_max", alphas[-1])
bind("post_alpha_min", post_curve[0])
bind("prior_spam_dec", prior_rate)
check_close(
    posterior_spam(1.0),
    sk_ex.predict_proba(x_new)[0, 1],
    "alpha = 1 on the hand-written curve reproduces sklearn's P(spam | x)",
    rtol=1e-12,
)
check(
    post_curve[0] > 1 - 1e-3,
    f"at the left end of the plot (alpha = 1e-3) P(spam | x) = {post_curve[0]:.5f}, within 1e-3 of 1",
)
check_close(
    MultinomialNB(alpha=1e6).fit(X_ex, y_ex).predict_proba(x_new)[0, 1],
    prior_rate,
    "alpha -> infinity (sklearn, alpha = 1e6): P(spam | x) -> the spam fraction of the training set",
    atol=1e-4,
)
check_close(
    post_curve[-1],
    prior_rate,
    "at the right end of the plot (alpha = 1000) the posterior is within 0.01 of the prior",
    atol=0.01,
)
check(
    np.all(np.diff(post_curve) < 0),
    "on this example the posterior decreases monotonically in alpha",
)

fig, ax = plt.subplots()
ax.semilogx(alphas, post_curve, label="P(spam | x)")
ax.axhline(prior_rate, linestyle="--", color="gray", label=f"prior P(spam) = {prior_rate:g}")
ax.plot([1.0], [float(post_spam)], "o", label=f"Laplace, α = 1: {float(post_spam):.3f}")
ax.set_xlabel("smoothing strength α (log scale)")
ax.set_ylabel("posterior probability of spam")
ax.set_ylim(0, 1.02)
_ = ax.set_title(f'Effect of add-α smoothing on "{message}"')
ax.legend(loc="lower left")
save_figure(fig, "smoothing")

# %% [markdown]
# ## Redundant features: duplicating a word makes the posterior more extreme
#
# Copy the column of "free" into a sixth feature: its evidence now counts twice.

# %%
dup = [*range(len(vocab)), j_free]
post_dup = MultinomialNB(alpha=1.0).fit(X_ex[:, dup], y_ex).predict_proba(x_new[:, dup])[0, 1]
check(
    post_dup > sk_ex.predict_proba(x_new)[0, 1] > 0.5,
    f"duplicating free moves P(spam | x) from {float(post_spam):.3f} to {post_dup:.3f}, further from 1/2",
)

# %% [markdown]
# ## The event model: negative and fractional features
#
# scikit-learn's `MultinomialNB` rejects negative input; on tf-idf weights (non-negative, not counts) it is a heuristic, and on the synthetic data of the first section it still classifies about as well as on the raw counts.

# %%
try:
    MultinomialNB().fit(X_train - X_train.mean(axis=0), y_train)
    rejected = False
except ValueError:
    rejected = True
check(rejected, "MultinomialNB raises ValueError on negative features")
tfidf = TfidfTransformer().fit(X_train)
acc_counts = np.mean(MultinomialNB().fit(X_train, y_train).predict(X_test) == y_test)
acc_tfidf = np.mean(MultinomialNB().fit(tfidf.transform(X_train), y_train).predict(tfidf.transform(X_test)) == y_test)
se_acc = np.sqrt(acc_counts * (1 - acc_counts) / len(y_test))
check(
    acc_tfidf > 1 / K + 0.5 and abs(acc_tfidf - acc_counts) < 4 * max(se_acc, 1 / len(y_test)),
    f"multinomial NB on tf-idf features: test accuracy {acc_tfidf:.4f}, against {acc_counts:.4f} on counts",
)

# %% [markdown]
# ## The diagnostic-test example of the Bayes' theorem page
#
# Prevalence $P(S) = 0.01$ (S: the person is sick), sensitivity $P(+ \mid S) = 0.95$, false positive rate $P(+ \mid \neg S) = 0.05$.
# The page's numbers are computed exactly with fractions and bound; the independent route is a simulated population of two million people, each given two tests whose errors are independent given the disease status.
# Each Monte Carlo comparison allows 4 binomial standard errors.

# %%
prev, sens, fpr = Fraction(1, 100), Fraction(95, 100), Fraction(5, 100)
bind("prev", prev)
bind("sens", sens)
bind("fpr", fpr)
bind("spec", 1 - fpr)
bind("prev_pct", 100 * prev)
bind("sens_pct", 100 * sens)
bind("fpr_pct", 100 * fpr)
bind("accuracy_pct", 100 * (sens * prev + (1 - fpr) * (1 - prev)))
bind("healthy", 1 - prev)
bind("ill_pos", sens * prev)
bind("healthy_pos", fpr * (1 - prev))
p_pos = sens * prev + fpr * (1 - prev)
bind("p_pos", p_pos)
post1 = sens * prev / p_pos
bind_fraction("post1", post1)
bind("post1", post1)
bind("post1_pct", 100 * post1)

population = 10_000
sick = population * prev
true_pos, false_pos = sick * sens, (population - sick) * fpr
bind("population", population)
bind("sick", sick)
bind("true_pos", true_pos)
bind("healthy_people", population - sick)
bind("false_pos", false_pos)
bind("nat_freq_pct", 100 * true_pos / (true_pos + false_pos))

prior_odds, lr_plus = prev / (1 - prev), sens / fpr
post2 = sens * post1 / (sens * post1 + fpr * (1 - post1))
bind_fraction("prior_odds", prior_odds)
bind("lr_plus", lr_plus)
bind_fraction("odds1", prior_odds * lr_plus)
bind_fraction("odds2", prior_odds * lr_plus**2)
bind_fraction("post2", post2)
bind("post2_pct", 100 * post2)

mc = np.random.default_rng(6)
m_people = 2_000_000
bind("m_people", m_people)
ill = mc.random(m_people) < float(prev)
test1 = np.where(ill, mc.random(m_people) < float(sens), mc.random(m_people) < float(fpr))
test2 = np.where(ill, mc.random(m_people) < float(sens), mc.random(m_people) < float(fpr))


def mc_close(event, given, exact, claim):
    """P(event | given) in the simulation agrees with `exact` within 4 binomial standard errors."""
    p_hat = event[given].mean()
    se_hat = np.sqrt(p_hat * (1 - p_hat) / given.sum())
    check(abs(p_hat - float(exact)) < 4 * se_hat, f"{claim}: simulated {p_hat:.4f} ± {se_hat:.4f}")
    return p_hat


mc_close(test1, np.ones(m_people, bool), p_pos, f"P(+) = {float(p_pos)} by the law of total probability")
mc_close(ill, test1, post1, f"P(S | +) = {post1}")
mc_close(ill, test1 & test2, post2, f"two conditionally independent positives: P(S | +, +) = {post2}")
# Natural frequencies: per 10,000 people, the simulated counts of ill positives and healthy positives.
for event, count, what in (
    (ill & test1, true_pos, "ill and positive"),
    (~ill & test1, false_pos, "healthy and positive"),
):
    mc_close(
        event,
        np.ones(m_people, bool),
        count / population,
        f"natural frequencies: {count} per {population:,} are {what}",
    )

# Correlated errors: with probability rho the second test repeats the first result (same lab, same artefact).
rho = 0.5
test2_corr = np.where(mc.random(m_people) < rho, test1, test2)
p_corr = ill[test1 & test2_corr].mean()
se_corr = np.sqrt(p_corr * (1 - p_corr) / (test1 & test2_corr).sum())
check(
    p_corr < float(post2) - 4 * se_corr,
    f"with correlated errors (rho = {rho}) P(S | +, +) is {p_corr:.3f}, well below the odds-form {float(post2):.3f}",
)
