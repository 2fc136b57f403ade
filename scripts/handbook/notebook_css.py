"""Cut the JupyterLab stylesheet that mkdocs-jupyter ships with each notebook page down to what the page uses.

nbconvert's stylesheet is written for the whole JupyterLab application: 590 KB (90 KB gzipped),
of which a static notebook page uses about a twentieth. Kept are the rules with at least one
selector that can match the page, and of the custom properties (`--jp-...`) those rules need,
directly or through other properties. Dropped are:
- selectors that need a class the page's HTML never has. No JupyterLab script runs on the page to
  add one; Material's scripts do add theirs (`md-typeset__scrollwrap` around tables), so
  selectors naming an `md-` class are kept;
- selectors with `:root` after a combinator, which match nothing (JupyterLab's icons, 80 KB);
- custom properties no kept rule reads.
Results are cached on disk by content, so that a warm build does not parse the stylesheet again.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2

from handbook import CACHE_DIR

CACHE = CACHE_DIR / "notebook-css"
CODE = Path(__file__).read_bytes()  # part of the cache key: a change to this file invalidates what it made
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
HTML_CLASSES = re.compile(r'class="([^"]*)"')  # as nbconvert and Markdown write them
ROOT_AFTER_COMBINATOR = re.compile(r"[\s>+~]\s*:root\b")
PARENTHESES = re.compile(r"\([^()]*\)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
BLOCK_AT_RULES = {"media", "supports"}  # at-rules whose block holds rules, pruned like the top level


@dataclass
class _Rule:
    """A style rule: its selectors, and its declarations as (property, value with !important)."""

    selectors: list[str]
    declarations: list[tuple[str, str]]


@dataclass
class _Group:
    """@media or @supports: its prelude and the rules inside."""

    prelude: str
    items: list[_Rule | _Group | str]


def classes_in(html: str) -> set[str]:
    """Every class that an element of `html` has."""
    return {name for match in HTML_CLASSES.finditer(html) for name in match.group(1).split()}


def _selectors(prelude: list) -> list[str]:
    """A rule's selector list, split at its top-level commas (not those of `:is(.a, .b)`)."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [tinycss2.serialize(part).strip() for part in parts]


def _parse(nodes: list) -> list[_Rule | _Group | str]:
    items: list[_Rule | _Group | str] = []
    for node in nodes:
        if node.type == "qualified-rule":
            declarations = []
            for d in tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True):
                if d.type == "declaration":
                    value = tinycss2.serialize(d.value).strip() + (" !important" if d.important else "")
                    declarations.append((d.name if d.name.startswith("--") else d.lower_name, value))
            items.append(_Rule(_selectors(node.prelude), declarations))
        elif node.type == "at-rule" and node.lower_at_keyword in BLOCK_AT_RULES and node.content is not None:
            inner = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
            items.append(_Group(f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}", _parse(inner)))
        elif node.type == "at-rule" and node.lower_at_keyword != "charset":
            items.append(tinycss2.serialize([node]))  # @keyframes, @font-face: kept whole
    return items


@functools.lru_cache(maxsize=2)
def _parsed(css: str) -> list[_Rule | _Group | str]:
    """The stylesheet parsed once per process: every notebook page of a build ships the same one."""
    return _parse(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _can_match(selector: str, classes: set[str]) -> bool:
    """False only when the selector surely matches nothing. Classes inside parentheses (`:not(.x)`,
    `:is(.x, .y)`) are not counted: a missing one there may make the selector match, not fail."""
    outside = selector
    while (inner := PARENTHESES.sub("", outside)) != outside:
        outside = inner
    named = CLASS.findall(outside)
    return not ROOT_AFTER_COMBINATOR.search(selector) and all(c in classes or c.startswith("md-") for c in named)


def _select(items: list[_Rule | _Group | str], classes: set[str]) -> list[_Rule | _Group | str]:
    kept: list[_Rule | _Group | str] = []
    for item in items:
        if isinstance(item, _Rule):
            selectors = [s for s in item.selectors if _can_match(s, classes)]
            if selectors:
                kept.append(_Rule(selectors, item.declarations))
        elif isinstance(item, _Group):
            inner = _select(item.items, classes)
            if inner:
                kept.append(_Group(item.prelude, inner))
        else:
            kept.append(item)
    return kept


def _rules(items: list[_Rule | _Group | str]) -> list[_Rule]:
    out: list[_Rule] = []
    for item in items:
        if isinstance(item, _Rule):
            out.append(item)
        elif isinstance(item, _Group):
            out += _rules(item.items)
    return out


def _needed_properties(items: list[_Rule | _Group | str]) -> set[str]:
    """The custom properties that the kept rules read, followed through the properties they read."""
    defined: dict[str, list[str]] = {}
    needed: list[str] = []
    for rule in _rules(items):
        for name, value in rule.declarations:
            if name.startswith("--"):
                defined.setdefault(name, []).append(value)
            else:
                needed += VAR.findall(value)
    needed += [name for item in items if isinstance(item, str) for name in VAR.findall(item)]
    seen: set[str] = set()
    while needed:
        name = needed.pop()
        if name not in seen:
            seen.add(name)
            needed += [used for value in defined.get(name, []) for used in VAR.findall(value)]
    return seen


def _write(items: list[_Rule | _Group | str], properties: set[str]) -> str:
    out = []
    for item in items:
        if isinstance(item, _Rule):
            body = ";".join(f"{n}:{v}" for n, v in item.declarations if not n.startswith("--") or n in properties)
            if body:
                out.append(f"{','.join(item.selectors)}{{{body}}}")
        elif isinstance(item, _Group):
            inner = _write(item.items, properties)
            if inner:
                out.append(f"{item.prelude.strip()}{{{inner}}}")
        else:
            out.append(item)
    return "\n".join(out)


def prune(css: str, classes: set[str]) -> str:
    """`css` without the rules, selectors and custom properties a page with these classes cannot use."""
    key = hashlib.sha256(CODE + css.encode() + " ".join(sorted(classes)).encode())
    cached = CACHE / f"{key.hexdigest()[:24]}.css"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    items = _select(_parsed(css), classes)
    result = _write(items, _needed_properties(items)) + "\n"
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(result, encoding="utf-8")
    return result
