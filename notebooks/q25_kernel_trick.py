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
# # The kernel trick: inner products in feature space without the features
#
# The checks prove the formulas of the question page: the explicit feature map of the degree-2 polynomial kernel, the series that gives the RBF kernel an infinite-dimensional feature map, positive semidefinite Gram matrices, random Fourier features, and the dual (kernel) form of ridge regression, which matches the primal form computed with explicit features.
# The figures show concentric circles that no line separates, separated by an RBF support vector machine, and the same circles lifted to three dimensions, where a plane separates them.

# %%
import numpy as np
from handbook_nb import bind, check, check_close, save_figure

# %%
from math import comb

import matplotlib.pyplot as plt

rng = np.random.default_rng(0)

# %% [markdown]
# ## The degree-2 polynomial kernel in two dimensions
#
# For $\mathbf{x}, \mathbf{x}' \in \mathbb{R}^2$ and $c \ge 0$, the page derives
#
# $$
# (\mathbf{x}^\top \mathbf{x}' + c)^2 = \phi(\mathbf{x})^\top \phi(\mathbf{x}'),
# \qquad
# \phi(\mathbf{x}) = \left(x_1^2,\ x_2^2,\ \sqrt{2}\,x_1 x_2,\ \sqrt{2c}\,x_1,\ \sqrt{2c}\,x_2,\ c\right)^\top .
# $$


# %%
def poly2_kernel(x, z, c):
    return (x @ z + c) ** 2


def phi_poly2(x, c):
    x1, x2 = x[..., 0], x[..., 1]
    return np.stack(
        [x1**2, x2**2, np.sqrt(2) * x1 * x2, np.sqrt(2 * c) * x1, np.sqrt(2 * c) * x2, np.full_like(x1, c)], axis=-1
    )


Xa = rng.normal(size=(200, 2))
Za = rng.normal(size=(200, 2))
for c in (0.0, 1.0, 2.5):
    k_direct = (np.sum(Xa * Za, axis=1) + c) ** 2
    k_features = np.sum(phi_poly2(Xa, c) * phi_poly2(Za, c), axis=1)
    check_close(
        k_features,
        k_direct,
        f"c = {c}: phi(x)^T phi(z) equals (x^T z + c)^2 on 200 random pairs",
        rtol=1e-12,
        atol=1e-12,
    )

# %% [markdown]
# The page's worked example: $\mathbf{x} = (1, 2)^\top$, $\mathbf{x}' = (3, -1)^\top$, $c = 1$.
# The kernel computed directly and the sum of the six coordinate-wise products of the feature vectors are two routes to the same number; both, and the products, are bound for the page.

# %%
x_ex, z_ex, c_ex = np.array([1.0, 2.0]), np.array([3.0, -1.0]), 1.0
print("phi(x) =", np.round(phi_poly2(x_ex, c_ex), 4), " phi(x') =", np.round(phi_poly2(z_ex, c_ex), 4))
products = phi_poly2(x_ex, c_ex) * phi_poly2(z_ex, c_ex)
check_close(
    products.sum(), poly2_kernel(x_ex, z_ex, c_ex), "the feature-map route gives the kernel's value", rtol=1e-12
)
bind("c_ex", c_ex)
bind("xdot_ex", x_ex @ z_ex)
bind("k_ex", poly2_kernel(x_ex, z_ex, c_ex))
bind("k_features_ex", products.sum())
for i, v in enumerate(products, start=1):
    bind(f"prod{i}", v)

# %% [markdown]
# ## How many features the polynomial kernel hides
#
# The kernel $(\mathbf{x}^\top\mathbf{x}' + c)^q$ on $\mathbb{R}^d$ (with $c > 0$) corresponds to all monomials of degree at most $q$ in $d$ variables: $\binom{d+q}{q}$ features.
# We count them with scikit-learn's `PolynomialFeatures` and check the page's numbers: 6 for $d = 2, q = 2$, and 176,851 for $d = 100, q = 3$.

# %%
from sklearn.preprocessing import PolynomialFeatures

for d, p in [(2, 2), (100, 3)]:
    n_feat = PolynomialFeatures(degree=p).fit(np.zeros((1, d))).n_output_features_
    check(n_feat == comb(d + p, p), f"d = {d}, q = {p}: scikit-learn counts binom(d + q, q) = {n_feat} monomials")
bind("poly_d", d)
bind("poly_q", p)
bind("n_poly", n_feat)

# %% [markdown]
# ## The RBF kernel has an infinite-dimensional feature map
#
# In one dimension, $k(x, x') = e^{-\gamma (x - x')^2} = e^{-\gamma x^2} e^{-\gamma x'^2} e^{2\gamma x x'}$, and expanding the last factor as a power series gives features $\phi_j(x) = e^{-\gamma x^2} \sqrt{(2\gamma)^j / j!}\, x^j$ for $j = 0, 1, 2, \dots$.
# Truncating after $J$ terms gives an approximation that converges to the kernel as $J$ grows.

# %%
from math import factorial

gamma = 0.5
xs, zs = rng.uniform(-2, 2, size=50), rng.uniform(-2, 2, size=50)
k_rbf = np.exp(-gamma * (xs - zs) ** 2)


def phi_rbf_1d(x, J):
    j = np.arange(J)
    coef = np.sqrt(np.array([(2 * gamma) ** jj / factorial(jj) for jj in j]))
    return np.exp(-gamma * x[:, None] ** 2) * coef * x[:, None] ** j


errors = {
    J: np.max(np.abs(np.sum(phi_rbf_1d(xs, J) * phi_rbf_1d(zs, J), axis=1) - k_rbf)) for J in (1, 2, 4, 8, 16, 32)
}
for J, e in errors.items():
    print(f"J = {J:>2} features: max error {e:.2e}")
check(
    all(errors[a] > errors[b] for a, b in [(1, 2), (2, 4), (4, 8), (8, 16)]),
    "the truncation error falls as more features are kept",
)
check(errors[32] < 1e-12, "32 terms of the series reproduce the RBF kernel to 1e-12 on [-2, 2]")

# %% [markdown]
# ## Mercer's condition: Gram matrices must be positive semidefinite
#
# The Gram matrix $\mathbf{K}_{ij} = k(\mathbf{x}_i, \mathbf{x}_j)$ of a valid kernel has no negative eigenvalue, for any set of points.
# For the RBF kernel we check this on 300 random points in $\mathbb{R}^5$ (allowing $-10^{-10}$ for rounding).
# A plausible "similarity" such as the Euclidean distance $\lVert \mathbf{x} - \mathbf{x}' \rVert_2$ fails: its Gram matrix has a zero diagonal, hence trace 0, so its eigenvalues sum to 0 and one of them must be negative.

# %%
from sklearn.metrics.pairwise import euclidean_distances, rbf_kernel

P = rng.normal(size=(300, 5))
K_rbf = rbf_kernel(P, gamma=0.2)
eig_rbf = np.linalg.eigvalsh(K_rbf)
print(f"RBF Gram matrix: smallest eigenvalue {eig_rbf.min():.2e}")
check(eig_rbf.min() >= -1e-10, "the RBF Gram matrix is positive semidefinite (min eigenvalue >= -1e-10)")
# Step 3 of the page's RBF derivation: the Gram matrix of distinct points is nonsingular, so its rank is n;
# a D-dimensional feature map would cap the rank at D. The smallest eigenvalue is far above rounding (1e-13).
check(eig_rbf.min() > 1e-8, f"the RBF Gram matrix is positive definite (smallest eigenvalue {eig_rbf.min():.1e})")
check(np.linalg.matrix_rank(K_rbf) == len(P), "so it has full rank 300: no feature map of dimension below 300 gives it")
bind("n_gram", len(P))
# Closure: the elementwise exponential of a kernel is a kernel (page: "and so is exp(k)").
check(np.linalg.eigvalsh(np.exp(K_rbf[:100, :100])).min() > -1e-10, "exp(k) of the RBF kernel is positive semidefinite")
# The sigmoid "kernel" is not PSD for all parameters: a negative eigenvalue for gamma = 1, c = -1.
eig_sig = np.linalg.eigvalsh(np.tanh(P[:100] @ P[:100].T - 1.0))
check(eig_sig.min() < -1e-3, f"the sigmoid kernel tanh(x^T x' - 1) has a negative eigenvalue ({eig_sig.min():.2f})")
# Symmetry matters: k(x, x') = 1 + (x - x') passes the quadratic-form test for every a but is not symmetric,
# so it is no inner product.
x1d = rng.normal(size=50)
K_asym = 1 + (x1d[:, None] - x1d[None, :])
quad = np.array([a @ K_asym @ a for a in rng.normal(size=(1000, 50))])
check(quad.min() >= -1e-9, "k(x, x') = 1 + (x - x'): a^T K a >= 0 for 1,000 random vectors a")
check(np.abs(K_asym - K_asym.T).max() > 0.1, "but K is not symmetric, so it is not a Gram matrix of any feature map")
# The gamma follow-up: k falls to e^(-1) at distance 1 / sqrt(gamma) (scikit-learn's rbf_kernel).
check_close(
    rbf_kernel([[0.0, 0.0]], [[1 / np.sqrt(0.2), 0.0]], gamma=0.2)[0, 0],
    np.exp(-1),
    "k = e^-1 at distance 1/sqrt(gamma)",
)
eig_dist = np.linalg.eigvalsh(euclidean_distances(P))
print(f"distance 'Gram' matrix: smallest eigenvalue {eig_dist.min():.2f}")
check(eig_dist.min() < -1.0, "the distance matrix has a clearly negative eigenvalue, so distance is not a kernel")

# %% [markdown]
# ## Random Fourier features approximate the RBF kernel
#
# Rahimi and Recht's random features give an explicit, finite map whose inner products approximate the RBF kernel $e^{-\gamma \lVert \mathbf{x} - \mathbf{x}' \rVert_2^2}$: draw $D$ frequencies $\boldsymbol{\omega}_j \sim \mathcal{N}(\mathbf{0}, 2\gamma \mathbf{I})$ and phases $\beta_j$ uniform on $[0, 2\pi)$, and set $\tilde{\phi}_j(\mathbf{x}) = \sqrt{2/D}\,\cos(\boldsymbol{\omega}_j^\top \mathbf{x} + \beta_j)$.
# The error of the approximate Gram matrix shrinks like $1/\sqrt{D}$.

# %%
P_small = P[:100]
K_exact = rbf_kernel(P_small, gamma=0.2)
rff_err = {}
for D in (100, 1_000, 10_000):
    Omega = rng.normal(scale=np.sqrt(2 * 0.2), size=(P_small.shape[1], D))
    phase = rng.uniform(0, 2 * np.pi, size=D)
    Zf = np.sqrt(2 / D) * np.cos(P_small @ Omega + phase)
    rff_err[D] = np.mean(np.abs(Zf @ Zf.T - K_exact))
    print(f"D = {D:>6}: mean absolute error of the approximate Gram matrix {rff_err[D]:.4f}")
check(rff_err[10_000] < 0.02, "with D = 10,000 random features the mean kernel error is below 0.02")
check(
    5 < rff_err[100] / rff_err[10_000] < 20, "100 times more features cut the error about 10-fold (1/sqrt(D) scaling)"
)

# %% [markdown]
# ## Kernel ridge regression: the dual needs only inner products
#
# The primal ridge solution with explicit features $\boldsymbol{\Phi}$ (one row $\phi(\mathbf{x}_i)^\top$ per example) is $\mathbf{w} = (\boldsymbol{\Phi}^\top\boldsymbol{\Phi} + \lambda \mathbf{I})^{-1} \boldsymbol{\Phi}^\top \mathbf{y}$.
# The dual solution is $\boldsymbol{\alpha} = (\mathbf{K} + \lambda \mathbf{I})^{-1}\mathbf{y}$ with $\mathbf{K} = \boldsymbol{\Phi}\boldsymbol{\Phi}^\top$, and predicts $\hat{f}(\mathbf{x}) = \sum_i \alpha_i k(\mathbf{x}_i, \mathbf{x})$.
# The two must give the same predictions, and $\mathbf{w} = \boldsymbol{\Phi}^\top \boldsymbol{\alpha}$ (the representer theorem).
# scikit-learn's `KernelRidge` with the kernel $(\gamma\,\mathbf{x}^\top\mathbf{x}' + c_0)^q$, here $\gamma = 1$, $c_0 = 1$, $q = 2$, must agree as well.

# %%
from sklearn.kernel_ridge import KernelRidge

c, lam = 1.0, 0.3
X_tr = rng.uniform(-2, 2, size=(40, 2))
y_tr = X_tr[:, 0] ** 2 - X_tr[:, 0] * X_tr[:, 1] + 0.1 * rng.normal(size=40)
X_new = rng.uniform(-2, 2, size=(10, 2))

Phi = phi_poly2(X_tr, c)
w_primal = np.linalg.solve(Phi.T @ Phi + lam * np.eye(Phi.shape[1]), Phi.T @ y_tr)
K = (X_tr @ X_tr.T + c) ** 2
alpha = np.linalg.solve(K + lam * np.eye(len(X_tr)), y_tr)
pred_primal = phi_poly2(X_new, c) @ w_primal
pred_dual = ((X_new @ X_tr.T + c) ** 2) @ alpha
pred_sklearn = KernelRidge(alpha=lam, kernel="poly", degree=2, gamma=1.0, coef0=c).fit(X_tr, y_tr).predict(X_new)
check_close(Phi @ Phi.T, K, "the Gram matrix equals Phi Phi^T", rtol=1e-12, atol=1e-12)
check_close(
    w_primal,
    Phi.T @ alpha,
    "w = Phi^T alpha: the primal weights are a combination of training features",
    rtol=1e-8,
    atol=1e-10,
)
check_close(
    pred_dual,
    pred_primal,
    "dual predictions (kernel only) equal primal predictions (explicit features)",
    rtol=1e-8,
    atol=1e-10,
)
check_close(
    pred_sklearn, pred_dual, "scikit-learn KernelRidge agrees with the hand-written dual", rtol=1e-8, atol=1e-10
)

# %% [markdown]
# ## The cost: an n-by-n Gram matrix
#
# Storing $\mathbf{K}$ for $n = 100{,}000$ examples in double precision takes $10^{10} \times 8$ bytes, that is 80 GB, which is why exact kernel methods stop at tens of thousands of examples.

# %%
# The page's sizes are arithmetic (8 bytes an entry, n^2 entries), so they are bound, not checked: what the code
# adds is the bytes per entry of the Gram matrix scikit-learn actually returns, scaled from a 1,000 x 1,000 one.
gram_small = rbf_kernel(rng.normal(size=(1000, 2)))
n_big = 100_000
bytes_big = gram_small.nbytes * (n_big / 1000) ** 2
bind("n_big", n_big)
bind("gram_gb", bytes_big / 1e9)
bind("gram_10m_tb", gram_small.nbytes * (10**7 / 1000) ** 2 / 1e12)

# %% [markdown]
# ## Concentric circles: linear versus RBF support vector machine
#
# Two noisy concentric circles (inner radius half the outer one) cannot be separated by a line.
# A linear SVM is near chance; an RBF SVM, a linear separator in the RBF feature space, classifies almost perfectly.

# %%
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

circ_noise, circ_factor, svm_c, svm_gamma = 0.08, 0.5, 1.0, 1.0
Xc, yc = make_circles(n_samples=600, noise=circ_noise, factor=circ_factor, random_state=0)
Xc_tr, Xc_te, yc_tr, yc_te = train_test_split(Xc, yc, test_size=0.5, random_state=0)
svm_lin = SVC(kernel="linear", C=svm_c).fit(Xc_tr, yc_tr)
svm_rbf = SVC(kernel="rbf", C=svm_c, gamma=svm_gamma).fit(Xc_tr, yc_tr)
for name, value in [
    ("circ_noise", circ_noise),
    ("circ_factor", circ_factor),
    ("svm_c", svm_c),
    ("svm_gamma", svm_gamma),
    ("n_circ_train", len(Xc_tr)),
    ("n_circ_test", len(Xc_te)),
]:
    bind(name, value)
acc_lin, acc_rbf = svm_lin.score(Xc_te, yc_te), svm_rbf.score(Xc_te, yc_te)
print(f"test accuracy: linear {acc_lin:.3f}, RBF {acc_rbf:.3f}")
check(acc_lin < 0.65, "the linear SVM is near chance on the circles (test accuracy below 0.65)")
check(acc_rbf > 0.95, "the RBF SVM is almost perfect on the circles (test accuracy above 0.95)")

# %% [markdown]
# The explicit degree-2 map makes the point concrete: a *linear* SVM trained on $\phi(\mathbf{x})$ does as well as the RBF SVM, because in feature space the circle $x_1^2 + x_2^2 = r^2$ is the hyperplane $\phi_1 + \phi_2 = r^2$.

# %%
svm_lifted = SVC(kernel="linear", C=1.0).fit(phi_poly2(Xc_tr, 0.0)[:, :3], yc_tr)
acc_lifted = svm_lifted.score(phi_poly2(Xc_te, 0.0)[:, :3], yc_te)
print(f"linear SVM on (x1^2, x2^2, sqrt(2) x1 x2): {acc_lifted:.3f}")
check(acc_lifted > 0.95, "a linear SVM on the degree-2 features separates the circles (accuracy above 0.95)")
bind("acc_lin", acc_lin)
bind("acc_rbf", acc_rbf)
bind("acc_lifted", acc_lifted)


# %%
def plot_regions(ax, model, title, acc):
    g = np.linspace(-1.5, 1.5, 300)
    G1, G2 = np.meshgrid(g, g)
    Z = model.decision_function(np.c_[G1.ravel(), G2.ravel()]).reshape(G1.shape)
    _ = ax.contourf(G1, G2, Z > 0, levels=[-0.5, 0.5, 1.5], colors=["C0", "C1"], alpha=0.15)
    _ = ax.contour(G1, G2, Z, levels=[0], colors="k", linewidths=1)
    for cls, marker in [(0, "o"), (1, "^")]:
        m = yc_te == cls
        _ = ax.scatter(Xc_te[m, 0], Xc_te[m, 1], s=12, marker=marker, color=f"C{cls}", label=f"class {cls}")
    _ = ax.set_aspect("equal")
    _ = ax.set_xlabel("$x_1$")
    _ = ax.set_ylabel("$x_2$")
    _ = ax.set_title(f"{title} (test accuracy {acc:.2f})", fontsize=10)


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 4.4))
plot_regions(ax1, svm_lin, "Linear kernel", acc_lin)
plot_regions(ax2, svm_rbf, "RBF kernel", acc_rbf)
_ = ax2.legend(loc="upper right", fontsize=9)
fig.tight_layout()
save_figure(fig, "circles")

# %% [markdown]
# ## The circles lifted to three dimensions
#
# Plotting $(x_1^2, x_2^2, \sqrt{2}\,x_1 x_2)$ shows the inner circle near the origin and the outer circle further out: the plane $\phi_1 + \phi_2 = r^2$ with $r$ between the two radii separates them.

# %%
F = phi_poly2(Xc_te, 0.0)[:, :3]
fig = plt.figure(figsize=(6.4, 5.0))
ax = fig.add_subplot(projection="3d")
for cls, marker in [(0, "o"), (1, "^")]:
    m = yc_te == cls
    _ = ax.scatter(F[m, 0], F[m, 1], F[m, 2], s=10, marker=marker, color=f"C{cls}", label=f"class {cls}")
r2 = 0.75**2  # between the inner radius 0.5 and the outer radius 1
u = np.linspace(0, r2, 10)
U, V = np.meshgrid(u, np.linspace(-1.4, 1.4, 10))
_ = ax.plot_surface(U, r2 - U, V, alpha=0.2, color="gray")
_ = ax.set_xlabel(r"$x_1^2$")
_ = ax.set_ylabel(r"$x_2^2$")
_ = ax.set_zlabel(r"$\sqrt{2}\,x_1 x_2$")
_ = ax.set_xticks([0, 0.5, 1.0])
_ = ax.set_yticks([0, 0.5, 1.0])
_ = ax.set_zticks([-1, 0, 1])
_ = ax.view_init(elev=15, azim=-50)
_ = ax.set_box_aspect(None, zoom=0.85)
_ = ax.set_title("Circles lifted by the degree-2 feature map")
_ = ax.legend(loc="upper left")
save_figure(fig, "lift")

# %% [markdown]
# ## Conclusion
#
# A kernel is a function that returns the inner product of two feature vectors without building them: for the degree-2 polynomial kernel the features are six explicit monomials, for the RBF kernel they are infinitely many.
# Any algorithm that touches the data only through inner products (the SVM dual, ridge regression in its dual form) can use the kernel instead, at the price of an $n \times n$ Gram matrix.
