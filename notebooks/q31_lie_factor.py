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
# # The lie factor, Anscombe's quartet and perceptually uniform colour maps
#
# The checks compare the page's lie-factor formula for the dashboard example (conversion rates of 50 % and 55 % drawn as bars from a baseline of 45 %) with the lie factor measured on the bars matplotlib actually draws.
# They prove the lie-factor formulas of the derivation with sympy, confirm that Anscombe's four datasets share their summary statistics, and that viridis, unlike jet, changes lightness steadily, also for simulated colour-blind vision.

# %%
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from handbook_nb import bind, check, check_close, save_figure
from matplotlib.transforms import Bbox

# %% [markdown]
# ## The dashboard example
#
# Values $v_1 = 50$ and $v_2 = 55$ (per cent), drawn as bars from a baseline $v_0 = 45$.
# The page's numbers are bound here; the check is that the formula $v_1/(v_1 - v_0)$ agrees with the lie factor measured on the bars matplotlib draws (next cell).

# %%
v1, v2, v0 = 50, 55, 45
data_effect = (v2 - v1) / v1
lengths = (v1 - v0, v2 - v0)
shown_effect = (lengths[1] - lengths[0]) / lengths[0]
bind("v1", v1)
bind("v2", v2)
bind("v0", v0)
bind("zero_base", 0)
bind("data_effect_pct", 100 * data_effect)
bind("len_a", lengths[0])
bind("len_b", lengths[1])
bind("shown_effect_pct", 100 * shown_effect)

# %% [markdown]
# The same numbers measured on real bar charts: the heights of the drawn bars, in display pixels, for an axis starting at 45 and one starting at 0.

# %%


def drawn_lie_factor(baseline):
    fig, ax = plt.subplots()
    bars = ax.bar(["A", "B"], [v1, v2], color=["C0", "C1"])
    ax.set_ylim(baseline, 60)
    fig.canvas.draw()
    # the visible part of each bar: its extent clipped to the axes area, in display pixels
    heights = [Bbox.intersection(bar.get_window_extent(), ax.bbox).height for bar in bars]
    plt.close(fig)
    return ((heights[1] - heights[0]) / heights[0]) / data_effect


check_close(
    drawn_lie_factor(v0),
    v1 / (v1 - v0),
    "matplotlib bars on an axis from 45: the measured lie factor equals v1/(v1 - v0)",
    rtol=1e-6,
    name="lie_factor",
)
check_close(drawn_lie_factor(0), 1.0, "the same bars on an axis from 0: lie factor 1", rtol=1e-6)

# %% [markdown]
# ## The derivation with sympy
#
# Steps 1 and 2: bars from a baseline $v_0$ show the effect $(v_2 - v_1)/(v_1 - v_0)$, so the lie factor is $v_1/(v_1 - v_0)$, equal to 1 only at $v_0 = 0$ and unbounded as $v_0 \to v_1$.
# Steps 3 to 5: circles with radius proportional to the value show a ratio $\rho$ as an area ratio $\rho^2$, a lie factor of $\rho + 1$ (3 for a doubling); volumes give $\rho^2 + \rho + 1$ (7 for a doubling); radius proportional to $\sqrt{v}$ gives 1.

# %%
V1, V2, B, c, rho = sp.symbols("v_1 v_2 v_0 c rho", positive=True)
shown = ((V2 - B) - (V1 - B)) / (V1 - B)
check(
    sp.simplify(shown - (V2 - V1) / (V1 - B)) == 0, "step 1: bars from baseline v0 show the effect (v2 - v1)/(v1 - v0)"
)
lie = sp.simplify(shown / ((V2 - V1) / V1))
check(sp.simplify(lie - V1 / (V1 - B)) == 0, "step 2: the truncation lie factor is v1/(v1 - v0)")
check(
    sp.solve(sp.Eq(V1 / (V1 - sp.Symbol("beta", real=True)), 1), sp.Symbol("beta", real=True)) == [0],
    "it equals 1 only when v0 = 0",
)
check(sp.limit(V1 / (V1 - B), B, V1, dir="-") == sp.oo, "and grows without bound as the baseline approaches v1")


def area(v):
    return sp.pi * (c * v) ** 2


area_lie = sp.simplify(((area(rho * V1) - area(V1)) / area(V1)) / (rho - 1))
check(sp.simplify(area_lie - (rho + 1)) == 0, "step 4: radius proportional to v gives the lie factor rho + 1")
check(area_lie.subs(rho, 2) == 3, "a doubling drawn as circles has lie factor 3")
volume_lie = sp.cancel((rho**3 - 1) / (rho - 1))
check(
    sp.expand(volume_lie - (rho**2 + rho + 1)) == 0 and volume_lie.subs(rho, 2) == 7,
    "volumes give rho^2 + rho + 1, which is 7 for a doubling",
)


def area_sqrt(v):
    return sp.pi * (c * sp.sqrt(v)) ** 2


sqrt_lie = sp.simplify(((area_sqrt(rho * V1) - area_sqrt(V1)) / area_sqrt(V1)) / (rho - 1))
check(sqrt_lie == 1, "step 5: radius proportional to sqrt(v) gives lie factor 1")

# %% [markdown]
# ## Anscombe's quartet
#
# The four datasets of Anscombe (1973), as printed in the paper.
# Their means, variances, correlations and least-squares lines agree to two or three decimals, yet dataset 2 is an exact curve and dataset 4 has a single point away from $x = 8$.

# %%
x123 = np.array([10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5], dtype=float)
quartet = {
    1: (x123, [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]),
    2: (x123, [9.14, 8.14, 8.74, 8.77, 9.26, 8.10, 6.13, 3.10, 9.13, 7.26, 4.74]),
    3: (x123, [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73]),
    4: (
        np.array([8, 8, 8, 8, 8, 8, 8, 19, 8, 8, 8], dtype=float),
        [6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.50, 5.56, 7.91, 6.89],
    ),
}
for k, (x, y) in quartet.items():
    y = np.asarray(y)
    slope, intercept = np.polyfit(x, y, 1)
    check_close(
        [x.mean(), x.var(ddof=1), y.mean(), y.var(ddof=1), np.corrcoef(x, y)[0, 1], intercept, slope],
        [9.0, 11.0, 7.50, 4.125, 0.816, 3.00, 0.500],
        f"dataset {k}: mean x 9, var x 11, mean y 7.50, var y 4.12, r 0.816 (within 0.001), line y = 3.00 + 0.500 x",
        atol=[1e-12, 1e-12, 5e-3, 5e-3, 1e-3, 5e-3, 5e-4],
    )

x2, y2 = quartet[2][0], np.asarray(quartet[2][1])
resid_quad = y2 - np.polyval(np.polyfit(x2, y2, 2), x2)
check(np.abs(resid_quad).max() < 0.01, "yet dataset 2 lies on a parabola (all residuals below 0.01)")

# %% [markdown]
# ## Colour maps: lightness of viridis and jet
#
# CIELAB lightness $L^*$ is computed from the sRGB colours of each map (linearise, take the luminance $Y$, then $L^* = 116\,Y^{1/3} - 16$ above the small-$Y$ threshold).
# Viridis, matplotlib's default colour map, should increase steadily; jet should not be monotonic.

# %%


def lightness(rgb):
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    Y = lin @ np.array([0.2126, 0.7152, 0.0722])
    return np.where(Y > (6 / 29) ** 3, 116 * np.cbrt(Y) - 16, Y * (29 / 3) ** 3)


t = np.linspace(0, 1, 256)
L_viridis = lightness(matplotlib.colormaps["viridis"](t)[:, :3])
L_jet = lightness(matplotlib.colormaps["jet"](t)[:, :3])
check(matplotlib.rcParamsDefault["image.cmap"] == "viridis", "viridis is matplotlib's default colour map")
check(np.all(np.diff(L_viridis) > 0), "viridis: lightness increases at every step, so it stays ordered in greyscale")
steps = np.diff(L_viridis)
check(
    steps.max() / steps.min() < 2,
    f"viridis: lightness steps are even (largest/smallest = {steps.max() / steps.min():.2f})",
)
check(not (np.all(np.diff(L_jet) > 0) or np.all(np.diff(L_jet) < 0)), "jet: lightness is not monotonic")
print(f"jet lightness: starts {L_jet[0]:.0f}, peaks {L_jet.max():.0f}, ends {L_jet[-1]:.0f}")
check("tableau-colorblind10" in plt.style.available, "matplotlib ships the tableau-colorblind10 style")

# %% [markdown]
# "Distinguishable by most colour-blind readers": simulate protanopia and deuteranopia with the full-severity matrices of Machado, Oliveira and Fernandes (2009), applied in linear RGB.
# Viridis must keep a monotone lightness ramp for both, so every data value still maps to a distinct, ordered shade; jet does not.

# %%
MACHADO = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}


def to_linear(rgb):
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def to_srgb(lin):
    lin = np.clip(lin, 0, 1)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


for kind, mat in MACHADO.items():
    assert np.allclose(mat.sum(axis=1), 1, atol=1e-3)  # typed correctly: white stays white
    L_v = lightness(to_srgb(to_linear(matplotlib.colormaps["viridis"](t)[:, :3]) @ mat.T))
    L_j = lightness(to_srgb(to_linear(matplotlib.colormaps["jet"](t)[:, :3]) @ mat.T))
    check(
        np.all(np.diff(L_v) > 0) and not np.all(np.diff(L_j) > 0),
        f"simulated {kind}: viridis's lightness still rises at every step (from {L_v[0]:.0f} to {L_v[-1]:.0f}); jet's does not",
    )

# %% [markdown]
# ## Figure: the same two rates with a truncated and a zero baseline

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6.4, 3.2))
panels = []
for ax, base, title in (
    (ax1, v0, f"Axis from {v0} %: lie factor {v1 / (v1 - v0):.0f}"),
    (ax2, 0, "Axis from 0 %: lie factor 1"),
):
    bars = ax.bar(["Design A", "Design B"], [v1, v2], color=["C0", "C1"], width=0.6)
    ax.set_ylim(base, 57)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel("conversion rate (%)")
    ax.grid(axis="x", visible=False)
    panels.append((ax, bars))
fig.tight_layout()
fig.canvas.draw()
heights = {}
for (ax, bars), base in zip(panels, (45, 0), strict=True):
    h = [Bbox.intersection(bar.get_window_extent(), ax.bbox).height for bar in bars]
    heights[base] = h
    check_close(
        ((h[1] - h[0]) / h[0]) / data_effect,
        v1 / (v1 - base),
        f"figure, axis from {base}: the drawn bars have the lie factor v1/(v1 - v0) of the formula",
        rtol=1e-6,
    )
bind("drawn_height_ratio", heights[45][1] / heights[45][0])
save_figure(fig, "truncated-axis")
