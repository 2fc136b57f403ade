"""Helpers shared by every handbook notebook: deterministic figures and named checks.

A notebook calls `save_figure` for each figure a question page embeds, `check_close` or `check` for
each claim the page makes, comparing it with an independent route, and `bind` (or `check_close(...,
name=...)`) for each number the page quotes: the page writes `{{name = 0.457}}`, and the build fails
when the page's 0.457 is not this value rounded to the digits the page shows (scripts/handbook/bound_numbers.py).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on CI; the SVG file is what the site shows

import matplotlib.pyplot as plt
import numpy as np

# Where figures go: the executor points this at build/figures/<notebook>; a plain
# `python notebooks/qNN_x.py` run writes to a scratch folder instead.
FIGURES_DIR = Path(
    os.environ.get("HANDBOOK_FIGURES_DIR", Path(__file__).resolve().parent.parent / "build" / "figures" / "scratch")
)

# One look for every figure: transparent background (the site's CSS adapts it to the
# dark palette), text kept as text (smaller files), phone-friendly size.
plt.rcParams.update(
    {
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 100,
        "savefig.transparent": True,
        "svg.fonttype": "none",
        "svg.hashsalt": "ml-interview-handbook",  # stable element ids, hence stable bytes
        "font.family": "DejaVu Sans",
        "font.size": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
    }
)


# Matplotlib writes coordinates to a millionth of a point; a hundredth is still far below a pixel,
# and the figures shrink by a quarter (gzipped, as sent). Only geometry is rounded, never text.
_GEOMETRY = re.compile(r'(\s(?:d|x|y|x1|x2|y1|y2|width|height|transform|points|viewBox)=")([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def _rounded(svg: str) -> str:
    def coordinates(match: re.Match[str]) -> str:
        value = _DECIMAL.sub(lambda number: format(round(float(number.group(0)), 2), "g"), match.group(2))
        return f'{match.group(1)}{value}"'

    return _GEOMETRY.sub(coordinates, svg)


def save_figure(fig: plt.Figure, name: str):
    """Write `fig` to FIGURES_DIR/<name>.svg (byte-stable) and return it for inline display."""
    if not name.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"figure name {name!r}: use letters, digits, '-' and '_' only")
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    path = FIGURES_DIR / f"{name}.svg"
    fig.set_gid(f"figure-{name}")  # how a notebook page finds the figure's alt text on its question page
    svg = io.StringIO()
    fig.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    path.write_text(_rounded(svg.getvalue()), encoding="utf-8")
    try:
        from IPython.display import SVG
    except ImportError:  # plain `python` run without IPython
        return path
    return SVG(filename=str(path))


# What scripts/handbook/bound_numbers.py reads back from the executed notebook; keep the two in step.
BOUND_MIME = "application/vnd.ml-handbook.bound+json"
_bound: dict[str, float] = {}


def bind(name: str, value) -> float:
    """Give `value` a name that the question page quotes as `{{name = <value as printed>}}`."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"bound name {name!r}: use lower-case letters, digits and '_', starting with a letter")
    number = float(np.asarray(value, dtype=float))  # one number: an array of several raises here
    if not np.isfinite(number):
        raise ValueError(f"bound value {name} = {number} is not a finite number")
    if name in _bound and _bound[name] != number:
        raise ValueError(f"{name!r} is bound twice, to {_bound[name]!r} and {number!r}: give each value its own name")
    _bound[name] = number
    try:
        from IPython.display import display
    except ImportError:  # plain `python` run: nothing reads the value back
        return number
    display({BOUND_MIME: {"name": name, "value": number}, "text/plain": f"{name} = {number!r}"}, raw=True)
    return number


def check(condition: bool, claim: str) -> None:
    """Assert a claim made on a question page; the message names the claim."""
    if not condition:
        raise AssertionError(f"page claim failed: {claim}")
    print(f"✓ {claim}")


def check_close(
    actual, expected, claim: str, *, rtol: float = 1e-9, atol: float = 0.0, name: str | None = None
) -> None:
    """Assert two numbers (or arrays) agree within a stated tolerance; `name` binds `actual` for the page."""
    a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    if not np.allclose(a, e, rtol=rtol, atol=atol):
        raise AssertionError(
            f"page claim failed: {claim}\n  actual:   {a}\n  expected: {e}\n  rtol={rtol}, atol={atol}"
        )
    print(f"✓ {claim}")
    if name is not None:
        bind(name, actual)
