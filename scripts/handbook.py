"""What several scripts need: the repository's paths and how to read its sources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"  # generated, git-ignored: executed notebooks and their figures
BUILD_NOTEBOOKS = BUILD / "notebooks"
BUILD_FIGURES = BUILD / "figures"
MATHJAX_DIR = ROOT / "node_modules" / "mathjax-full" / "es5"
REQUIREMENTS = ROOT / "requirements.txt"
MKDOCS_YML = ROOT / "mkdocs.yml"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!ENV` and `!!python/name` tags plain YAML rejects."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_mkdocs_config(path: Path = MKDOCS_YML) -> dict[str, Any]:
    """The raw mkdocs.yml, without running MkDocs' own (slow) config validation."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)


@dataclass
class Source:
    """A Markdown page split into its front matter and body."""

    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where `body` starts
    front_matter_error: str | None = None


def read_page(path: Path) -> Source:
    """Split a Markdown file into front matter and body, keeping line numbers."""
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if not match:
        return Source(path, {}, text, 1)
    body_line = text[: match.end()].count("\n") + 1
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        return Source(path, {}, text[match.end() :], body_line, f"front matter is not valid YAML: {exc}")
    if not isinstance(meta, dict):
        return Source(path, {}, text[match.end() :], body_line, "front matter must be a YAML mapping")
    return Source(path, meta, text[match.end() :], body_line)


def question_pages() -> list[Source]:
    """Every question page, in seed order."""
    pages = [read_page(p) for p in sorted((DOCS / "questions").glob("*.md"))]
    return sorted(pages, key=lambda s: s.meta.get("number") if isinstance(s.meta.get("number"), int) else 999)


def rel(path: Path) -> str:
    """A path as the repository names it, for messages."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


@dataclass
class Cell:
    """One cell of a jupytext percent-format notebook source."""

    kind: str  # "code" or "markdown"
    line: int  # 1-based line of the file where the cell's text starts
    text: str  # for Markdown, without the "# " comment prefix


def percent_cells(path: Path) -> list[Cell]:
    """The cells of a percent-format `.py` notebook, without importing jupytext (slow)."""
    cells: list[Cell] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("# %%"):
            kind = "markdown" if "[markdown]" in line or "[md]" in line else "code"
            cells.append(Cell(kind, i + 2, ""))
        elif cells:
            text = line[2:] if cells[-1].kind == "markdown" and line.startswith("# ") else line
            if cells[-1].kind == "markdown" and line == "#":
                text = ""
            cells[-1].text += text + "\n"
    for cell in cells:
        cell.text = cell.text.rstrip("\n") + "\n"
    return cells
