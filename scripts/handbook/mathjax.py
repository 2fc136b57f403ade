"""The self-hosted MathJax bundle a page loads only for search results and review cards (docs/javascripts/math.js).

Everything else is rendered at build time by the same mathjax-full in Node (handbook/math_render.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from handbook import MATHJAX_DIR

# MathJax's combined tex-chtml.js less its right-click menu, which is 425 KB of its 1.16 MB
# (108 KB of 264 KB gzipped) and pulls in the speech engine: the components that file is made
# of, in its order, with the same preload list. Assistive MathML, what screen readers read, stays.
# Plus ui/safe (11 KB), which filters what a formula may put into the page: no link (\href), and
# only MathJax's own classes and ids and harmless styles (\class, \cssId, \style), whatever TeX
# reaches MathJax (a page past the validator, a search box). docs/javascripts/math.js sets it.
BUNDLE = "assets/mathjax/tex-chtml-nomenu.js"
COMPONENTS = (
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "a11y/assistive-mml.js",
    "ui/safe.js",
)
PRELOAD = ("core", "input/tex", "output/chtml", "output/chtml/fonts/tex.js", "a11y/assistive-mml", "ui/safe")
# What the bundle fetches on demand: TeX extensions (autoload) and fonts.
PARTS = ("input/tex/extensions", "output/chtml/fonts/woff-v2")


def bundle(root: Path = MATHJAX_DIR) -> str:
    """The MathJax components of tex-chtml.js but the menu, as one script (see BUNDLE)."""
    preload = "MathJax.loader.preLoad(" + ", ".join(f"'{name}'" for name in PRELOAD) + ")"
    parts = [(root / name).read_text(encoding="utf-8") for name in ("startup.js", *COMPONENTS)]
    return ";\n".join([parts[0], preload, *parts[1:]]) + "\n"


def site_files(root: Path = MATHJAX_DIR) -> dict[str, dict[str, Any]]:
    """{site path: File.generated keyword} for the parts MathJax fetches on demand, and the bundle."""
    out: dict[str, dict[str, Any]] = {}
    for part in PARTS:
        for path in sorted(p for p in (root / part).rglob("*") if p.is_file()):
            out["assets/mathjax/" + path.relative_to(root).as_posix()] = {"abs_src_path": str(path)}
    out[BUNDLE] = {"content": bundle(root)}
    return out
