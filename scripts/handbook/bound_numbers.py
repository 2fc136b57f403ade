"""Bound numbers: a number a page quotes from its notebook, written `{{name = 0.6454}}` in the Markdown.

The reader sees `0.6454`; the build checks it against the value the page's executed notebook bound to
`name` (`bind` or `check_close(..., name=...)` in notebooks/handbook_nb.py), rounded to the digits the
page shows. Jupyter Book's `glue` is the model, with one difference: the number stays in the Markdown,
so an editor reads the same number as the reader, and a diff shows when it changes.

A notebook binds a value by displaying it under BOUND_MIME; the executed .ipynb keeps it with the other
outputs (and its cache), and the site publishes only text and images, so the value is never shown twice.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

BOUND_MIME = "application/vnd.ml-handbook.bound+json"
# `{{name = literal}}`: a lower-case name, and a decimal literal as the page prints it (1,250 or -0.031).
BOUND = re.compile(
    r"\{\{[ \t]*([a-z][a-z0-9_]*)[ \t]*=[ \t]*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)[ \t]*\}\}"
)
BRACES = re.compile(r"\{\{.*?\}\}")


@dataclass(frozen=True)
class Binding:
    """One bound number on a page."""

    name: str
    literal: str  # as written, e.g. "1,250" or "0.6454"
    start: int  # offset of `{{` in the text
    end: int


def bindings(text: str) -> list[Binding]:
    return [Binding(m.group(1), m.group(2), m.start(), m.end()) for m in BOUND.finditer(text)]


def malformed(text: str) -> list[tuple[int, str]]:
    """`{{...}}` spans that are not bindings: they would be published as written."""
    return [(m.start(), m.group(0)) for m in BRACES.finditer(text) if not BOUND.fullmatch(m.group(0))]


def render(text: str, *, keep_columns: bool = False) -> str:
    """The text as the reader sees it: each binding replaced by its literal.

    With `keep_columns`, the literal is padded to the binding's width with empty TeX groups (`{}`, `{ }`),
    which neither math nor prose shows (spaces would end an inline formula), so that a checker reporting
    columns in the rendered text still points at the right place in the source.
    """

    def literal(match: re.Match[str]) -> str:
        value, width = match.group(2), len(match.group(0)) - len(match.group(2))  # width >= 6
        return value + ("{ }" if width % 2 else "") + "{}" * ((width - 3 * (width % 2)) // 2) if keep_columns else value

    return BOUND.sub(literal, text)


def shown(value: float, literal: str) -> str:
    """`value` written as the page writes `literal`: the same decimals, thousands separators if it has them."""
    decimals = len(literal.split(".", 1)[1]) if "." in literal else 0
    text = f"{value:,.{decimals}f}" if "," in literal else f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def agrees(value: float, literal: str) -> bool:
    """Whether the page's literal is the notebook's value rounded to the digits the page shows."""
    return math.isfinite(value) and shown(value, literal) == literal


def notebook_values(ipynb: Path) -> dict[str, float]:
    """The values an executed notebook bound, by name (the last binding of a name wins)."""
    notebook = json.loads(ipynb.read_text(encoding="utf-8"))
    values: dict[str, float] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(BOUND_MIME)
            if isinstance(payload, dict) and isinstance(payload.get("name"), str):
                values[payload["name"]] = float(payload["value"])
    return values


# What counts as a number a page quotes, for the count of bound and plain ones: in prose, every
# decimal literal but years and references to a step, section or the like; in math, a literal that a
# relation gives as a value (`= 0.25`, `\approx 3`), not an exponent, index or constant of a formula.
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|<!--.*?-->|<[^>\n]+>|\]\([^)\n]*\)|\[\^\w+\]", re.S)
_MATH = re.compile(r"\$\$.*?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$", re.S)
_SCRIPTS = re.compile(r"[_^](?:\{[^{}]*\}|\\?\w)")
_MATH_VALUE = re.compile(r"(?:=|\\approx|<|>|\\le|\\leq|\\ge|\\geq)\s*(-?\d[\d,]*(?:\.\d+)?)(?![\w{])")
_PROSE_NUMBER = re.compile(r"(?<![\w.,§/\\-])-?\d+(?:,\d{3})*(?:\.\d+)?(?![\w])(?!\.\d)")
_REFERENCE = re.compile(
    r"(?:steps?|sections?|chapters?|ch\.|figures?|fig\.|tables?|equations?|eq\.|pages?|pp?\.|questions?|items?|"
    r"parts?|lectures?|appendix|version|rules?|points?|lines?|no\.|§)\s*$",
    re.I,
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def plain_numbers(text: str) -> list[tuple[int, str]]:
    """(offset, literal) of each number in `text` that is written as a plain literal, not bound."""
    # A binding becomes letters, not spaces: `$x = {{a = 1}}$` must still close as a formula.
    text = _CODE.sub(_blank, BOUND.sub(lambda m: "x" * len(m.group(0)), text))
    found: list[tuple[int, str]] = []
    for span in _MATH.finditer(text):
        tex = _SCRIPTS.sub(_blank, span.group(0))
        found += [(span.start() + m.start(1), m.group(1)) for m in _MATH_VALUE.finditer(tex)]
    prose = _MATH.sub(_blank, text)
    for m in _PROSE_NUMBER.finditer(prose):
        if _YEAR.fullmatch(m.group(0)) or _REFERENCE.search(prose[max(0, m.start() - 12) : m.start()]):
            continue
        found.append((m.start(), m.group(0)))
    return sorted(found)


def section_span(text: str, title: str) -> tuple[int, int] | None:
    """Start and end offsets of the `## title` section of a page, or None."""
    match = re.search(rf"^## {re.escape(title)}[ \t]*$", text, re.M)
    if match is None:
        return None
    following = re.compile(r"^## ", re.M).search(text, match.end())
    return match.end(), following.start() if following else len(text)
