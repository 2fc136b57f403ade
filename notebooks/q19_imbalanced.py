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
# # Imbalanced classes: the accuracy paradox, class weights and oversampling
#
# On a synthetic data set with about 6% positives, a predictor that always answers "negative" reaches high accuracy and zero recall.
# A logistic regression trained with class weights or on a randomly oversampled training set finds more positives at the default threshold, at a cost in precision, and its ranking quality (average precision, the area under the precision-recall curve) does not improve; lowering the threshold of the unweighted model buys the same recall.
# The checks prove the page's claims: the accuracy of the majority predictor equals the majority fraction, the balanced weights are $n/(K n_k)$, integer weights are the same as duplicating examples, and the prior-correction formula undoes a change of class prior.

# %%
import numpy as np
from handbook_nb import check, check_close, save_figure

# %%
import matplotlib.pyplot as plt
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, average_precision_score, precision_recall_curve, recall_score
from sklearn.model_selection import train_test_split
from sklearn.utils.class_weight import compute_class_weight

rng = np.random.default_rng(0)

# %% [markdown]
# ## The data
#
# Twenty thousand examples with $d = 10$ features, of which about 6% belong to the positive (minority) class: 5% by construction, plus 2% of all labels assigned at random.
# The split is stratified so that training and test sets have the same class proportions.

# %%
X, y = make_classification(
    n_samples=20_000,
    n_features=10,
    n_informative=4,
    n_redundant=2,
    weights=[0.95, 0.05],
    n_clusters_per_class=1,
    class_sep=0.3,
    flip_y=0.02,
    random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)
pos_rate_train = y_train.mean()
pos_rate_test = y_test.mean()
print(f"positive fraction: train {pos_rate_train:.4f}, test {pos_rate_test:.4f}")

# %% [markdown]
# ## The accuracy paradox
#
# A constant predictor that always outputs the majority class is right on every negative example and wrong on every positive one.
# Its accuracy is therefore exactly the majority fraction $1 - \pi$, where $\pi$ is the positive fraction, and its recall on the minority class is 0.

# %%
y_majority = np.zeros_like(y_test)
acc_majority = accuracy_score(y_test, y_majority)
rec_majority = recall_score(y_test, y_majority, zero_division=0)
print(f"always-negative predictor: accuracy {acc_majority:.4f}, recall {rec_majority:.1f}")
check_close(
    acc_majority, 1 - pos_rate_test, "accuracy of the always-majority predictor = majority fraction", rtol=0, atol=1e-12
)
check(rec_majority == 0.0, "the always-majority predictor has minority recall 0")
check(acc_majority > 0.94, "the always-majority predictor exceeds 94% accuracy on this set")

# %% [markdown]
# ## Balanced class weights
#
# scikit-learn's `class_weight="balanced"` gives class $C_k$ the weight $w_k = n / (K n_k)$, where $n_k$ is its number of training examples.
# Then $w_k n_k = n / K$ for every class: after weighting, each class carries the same total weight.

# %%
classes = np.array([0, 1])
w_sklearn = compute_class_weight("balanced", classes=classes, y=y_train)
n_train, K = len(y_train), len(classes)
n_k = np.array([(y_train == c).sum() for c in classes])
w_formula = n_train / (K * n_k)
print("weights (negative, positive):", np.round(w_formula, 4))
check_close(w_sklearn, w_formula, "sklearn 'balanced' weights equal n / (K n_k)", rtol=1e-12)
check_close(
    w_formula * n_k, np.full(K, n_train / K), "after balanced weighting every class has total weight n / K", rtol=1e-12
)

# %% [markdown]
# ## Three logistic regressions
#
# The same model is fitted three ways: on the raw training set, with balanced class weights, and on a training set where the minority examples were resampled with replacement (drawn with `rng`) until both classes have the same size.
# Oversampling touches the training set only; the test set keeps its natural class proportions.


# %%
def random_oversample(X, y, rng):
    """Draw minority examples with replacement until both classes have the same count."""
    idx_min = np.flatnonzero(y == 1)
    idx_maj = np.flatnonzero(y == 0)
    extra = rng.choice(idx_min, size=len(idx_maj) - len(idx_min), replace=True)
    idx = np.concatenate([idx_maj, idx_min, extra])
    return X[idx], y[idx]


X_over, y_over = random_oversample(X_train, y_train, rng)
check_close(y_over.mean(), 0.5, "the oversampled training set is exactly balanced", rtol=0, atol=1e-12)

models = {
    "plain": LogisticRegression(max_iter=1000).fit(X_train, y_train),
    "class weights": LogisticRegression(max_iter=1000, class_weight="balanced").fit(X_train, y_train),
    "oversampled": LogisticRegression(max_iter=1000).fit(X_over, y_over),
}
results = {}
for name, model in models.items():
    score = model.predict_proba(X_test)[:, 1]
    y_hat = (score >= 0.5).astype(int)
    results[name] = {
        "score": score,
        "recall": recall_score(y_test, y_hat),
        "precision": np.mean(y_test[y_hat == 1]),
        "accuracy": accuracy_score(y_test, y_hat),
        "ap": average_precision_score(y_test, score),
    }
    r = results[name]
    print(
        f"{name:>14}: recall {r['recall']:.3f}  precision {r['precision']:.3f}  accuracy {r['accuracy']:.3f}  AP {r['ap']:.3f}"
    )

# %% [markdown]
# Class weighting and oversampling push the model's scores upwards, so more examples cross the threshold $t = 0.5$: minority recall rises and precision falls.
# They add no information, so the ranking of the examples does not get better: average precision (a threshold-free summary of the precision-recall curve) does not rise, and here it even falls slightly: when the model does not match the data exactly, reweighting changes the fitted boundary, not only its offset.

# %%
check(
    results["class weights"]["recall"] > results["plain"]["recall"] + 0.1,
    "class weighting raises minority recall (by more than 0.1 here)",
)
check(
    results["oversampled"]["recall"] > results["plain"]["recall"] + 0.1,
    "random oversampling raises minority recall (by more than 0.1 here)",
)
check(
    results["class weights"]["precision"] < results["plain"]["precision"],
    "class weighting lowers precision at the default threshold",
)
for name in ("class weights", "oversampled"):
    check(results[name]["ap"] <= results["plain"]["ap"], f"{name}: average precision does not improve")
check(
    results["plain"]["ap"] > 5 * pos_rate_test,
    "the plain model's AP is far above the no-skill level (the positive rate)",
)

# %% [markdown]
# ## Threshold moving
#
# The same recall can be bought without retraining: lower the threshold of the plain model until it reaches the recall of the weighted model.
# On this data set the moved threshold gives a higher precision than class weighting at the same recall.
# In practice the threshold is chosen on validation data; here the test set is used only to compare the two operating points.

# %%
target_recall = results["class weights"]["recall"]
s_plain = results["plain"]["score"]
t_moved = np.sort(s_plain[y_test == 1])[::-1][int(np.ceil(target_recall * (y_test == 1).sum())) - 1]
y_moved = (s_plain >= t_moved).astype(int)
rec_moved = recall_score(y_test, y_moved)
prec_moved = np.mean(y_test[y_moved == 1])
results["plain, moved t"] = {
    "score": s_plain,
    "recall": rec_moved,
    "precision": prec_moved,
    "ap": results["plain"]["ap"],
}
print(f"moved threshold t = {t_moved:.3f}: recall {rec_moved:.3f}  precision {prec_moved:.3f}")
check(rec_moved >= target_recall, "the moved threshold reaches at least the weighted model's recall")
check(
    prec_moved > results["class weights"]["precision"],
    "at that recall, threshold moving has higher precision than class weighting here",
)

# %% [markdown]
# ## Figure: what changes and what does not
#
# Left: recall and precision at threshold 0.5 (at the moved threshold for the last group), and average precision.
# Right: the precision-recall curves; re-weighting mostly moves the operating point along a curve rather than lifting the curve.

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.2))
names = list(results)
metrics = [("recall", "recall"), ("precision", "precision"), ("ap", "average precision")]
width = 0.25
pos = np.arange(len(names))
for j, (key, label) in enumerate(metrics):
    _ = ax1.bar(pos + (j - 1) * width, [results[nm][key] for nm in names], width, label=label)
_ = ax1.set_xticks(pos, [nm.replace(", ", ",\n") for nm in names], fontsize=9)
_ = ax1.set_ylim(0, 1.3)
_ = ax1.set_ylabel("value")
_ = ax1.set_title("Metrics on the test set")
_ = ax1.legend(loc="upper center", ncol=3, fontsize=9)
for name in ("plain", "class weights", "oversampled"):
    prec, rec, _thr = precision_recall_curve(y_test, results[name]["score"])
    _ = ax2.plot(rec, prec, label=f"{name} (AP {results[name]['ap']:.2f})")
_ = ax2.axhline(pos_rate_test, color="gray", linestyle="--", label="no skill (positive rate)")
_ = ax2.set_xlabel("recall")
_ = ax2.set_ylabel("precision")
_ = ax2.set_ylim(0, 1.02)
_ = ax2.set_title("Precision-recall curves")
_ = ax2.legend(loc="lower left", fontsize=9)
fig.tight_layout()
save_figure(fig, "imbalance-effects")

# %% [markdown]
# ## Integer weights are duplicated examples
#
# The weighted objective $\sum_i w_{y_i} L(y_i, \hat{y}_i)$ with an integer weight $w$ on the positives is, term by term, the objective of a training set in which every positive example appears $w$ times.
# The two fits must therefore give the same coefficients, up to the solver's tolerance.

# %%
w_int = 3
model_w = LogisticRegression(max_iter=5000, tol=1e-10).fit(
    X_train, y_train, sample_weight=np.where(y_train == 1, w_int, 1)
)
idx_rep = np.concatenate([np.flatnonzero(y_train == 0), np.repeat(np.flatnonzero(y_train == 1), w_int)])
model_rep = LogisticRegression(max_iter=5000, tol=1e-10).fit(X_train[idx_rep], y_train[idx_rep])
check_close(
    np.r_[model_w.coef_.ravel(), model_w.intercept_],
    np.r_[model_rep.coef_.ravel(), model_rep.intercept_],
    "weight 3 on the positives gives the same fit as repeating each positive 3 times",
    rtol=0,
    atol=1e-5,
)

# %% [markdown]
# ## Prior correction
#
# Suppose a model was trained where the positive prior was $\pi'$, but it is deployed where the prior is $\pi$.
# If the class-conditional densities are unchanged, the posterior odds scale by the ratio of prior odds:
#
# $$
# \frac{p}{1-p} = \frac{p'}{1-p'} \cdot \frac{\pi / (1-\pi)}{\pi' / (1-\pi')}.
# $$
#
# We check the formula exactly on a problem whose posteriors are known: two one-dimensional Gaussian classes, $\mathcal{N}(0, 1)$ for negatives and $\mathcal{N}(1.5, 1)$ for positives.

# %%
from scipy.stats import norm


def posterior(x, prior):
    num = prior * norm.pdf(x, loc=1.5)
    return num / (num + (1 - prior) * norm.pdf(x, loc=0.0))


def prior_correct(p_train, prior_train, prior_deploy):
    odds = p_train / (1 - p_train) * (prior_deploy / (1 - prior_deploy)) / (prior_train / (1 - prior_train))
    return odds / (1 + odds)


grid = np.linspace(-4, 6, 201)
p_balanced = posterior(grid, 0.5)
check_close(
    prior_correct(p_balanced, 0.5, 0.05),
    posterior(grid, 0.05),
    "prior correction maps the prior-0.5 posterior onto the prior-0.05 posterior",
    rtol=1e-10,
)

# %% [markdown]
# On real data the correction is approximate, because logistic regression is only an approximation of the true posterior.
# Still, after correcting the oversampled model from $\pi' = 0.5$ back to the training positive rate, its mean predicted probability on the test set matches the observed positive rate, while the uncorrected scores overstate it several-fold.

# %%
p_over = results["oversampled"]["score"]
p_fixed = prior_correct(p_over, 0.5, pos_rate_train)
print(
    f"mean predicted probability: uncorrected {p_over.mean():.3f}, corrected {p_fixed.mean():.3f}, observed rate {pos_rate_test:.3f}"
)
check(
    p_over.mean() > 3 * pos_rate_test,
    "the oversampled model's mean probability overstates the positive rate more than 3-fold",
)
check_close(
    p_fixed.mean(),
    pos_rate_test,
    "after prior correction the mean probability is within 0.01 of the positive rate",
    rtol=0,
    atol=0.01,
)

# %% [markdown]
# ## The numbers quoted on the question page
#
# Each value the page quotes is compared with the computed one, to the precision the page prints it with.

# %%
check(len(y_test) == 10_000 and y_test.sum() == 585, "the test set has 10,000 examples, 585 of them positive")
check_close(acc_majority, 0.9415, "always-negative accuracy 0.9415", rtol=0, atol=5e-5)
check_close(w_formula, [0.531, 8.547], "balanced weights 0.531 (negatives) and 8.547 (positives)", rtol=0, atol=5e-4)
quoted = {
    "plain": {"recall": 0.63, "precision": 0.99, "ap": 0.79},
    "class weights": {"recall": 0.78, "precision": 0.38, "ap": 0.77},
    "oversampled": {"recall": 0.78, "precision": 0.36, "ap": 0.77},
    "plain, moved t": {"recall": 0.78, "precision": 0.46},
}
for name, values in quoted.items():
    for key, value in values.items():
        check_close(results[name][key], value, f"{name}: {key} {value}", rtol=0, atol=0.005)
check_close(t_moved, 0.06, "the moved threshold is t = 0.06", rtol=0, atol=0.005)
check_close(
    [p_over.mean(), p_fixed.mean()],
    [0.288, 0.053],
    "mean predicted probability 0.288 before and 0.053 after prior correction",
    rtol=0,
    atol=5e-4,
)
check(
    4.5 < p_over.mean() / pos_rate_test < 5, "the uncorrected mean probability is almost five times the positive rate"
)

# %% [markdown]
# ## Conclusion
#
# Accuracy rewards ignoring the minority class; recall, precision and average precision do not.
# Class weights and random oversampling are two routes to the same weighted objective: they move the operating point (more recall, less precision) without improving the ranking, so average precision does not rise, and simply moving the threshold of the unweighted model is a strong alternative.
# Their probabilities are biased towards the minority class, and the prior-correction formula removes that bias.
