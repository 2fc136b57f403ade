"""What every family of checks shares: the finding codes, the documents checked, and where a text is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook import rel

# Stable codes: tests and editors rely on them, so never renumber one.
CODES = {
    "F001": "front matter is not valid YAML",
    "F002": "a required front-matter key is missing",
    "F003": "a front-matter value has the wrong type",
    "F004": "two pages share a number",
    "F005": "a tag is not in the allowed list",
    "F006": "difficulty is not easy, medium or hard",
    "F007": "a related number names no page",
    "F008": "the notebook named in front matter does not exist",
    "F009": "origin is not original or added",
    "F011": "the file is not UTF-8 text",
    "P005": "a page too large to check (and to render in reasonable time)",
    "F010": "a front-matter value holds HTML (a title is plain text)",
    "L001": "link to a missing page or file",
    "L002": "link to a missing anchor",
    "L003": "link whose case differs from the file's",
    "L004": "absolute link",
    "L005": "nav entry names a missing page",
    "L006": "page is in neither the nav nor not_in_nav",
    "L007": "figure that no notebook saves",
    "L008": "external link is dead",
    "L009": "reference-style link with no definition",
    "L010": "link or source whose scheme runs code or escapes the site (javascript:, data:, file:, //host)",
    "L011": "link with a scheme the site does not know (a typo such as htps:)",
    "M001": "undefined macro",
    "M002": "unbalanced braces",
    "M003": "math delimiter without its partner",
    "M004": "\\left without \\right, or the reverse",
    "M005": "unknown or mismatched environment",
    "M006": "other TeX error reported by MathJax",
    "M007": "TeX command outside math",
    "M008": "math in a heading",
    "M009": "a TeX command that carries HTML, styles or code into the page (\\href, \\class, \\require...)",
    "H001": "raw HTML tag outside the allow-list (<div> and <p>)",
    "H002": "raw HTML attribute outside the allow-list (id, class, markdown)",
    "H003": "attribute-list attribute other than #id and .class",
    "H004": "the rendered page carries markup that runs code or loads from elsewhere",
    "H005": "a file in docs/ of a type the site does not publish (.html, .svg...)",
    "H006": "an SVG figure carries a script, an event handler or a reference to another file",
    "P001": "sections missing or out of order",
    "P002": "section heading not in the page template",
    "P003": "non-English (CJK) text",
    "P004": "a 'details here' pointer without a link",
    "N001": "a bound number differs from its notebook's value",
    "N002": "a bound number names a value its notebook does not bind",
    "N003": "a bound number on a page with no notebook",
    "N004": "a {{...}} that is not a bound number",
    "N005": "a number in the Example section of a page with a notebook is not bound",
    "N006": "the page's notebook has not been executed since its code changed",
}


@dataclass(order=True)
class Finding:
    """One problem, at a place in a source file."""

    path: str
    line: int
    col: int
    code: str
    message: str = field(compare=False)

    def __post_init__(self) -> None:
        self.message = " ".join(self.message.split())  # one finding, one line

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


@dataclass
class Document:
    """A unit of Markdown to check: a page, or one Markdown cell of a notebook."""

    path: Path
    url_path: str  # where it lives in the site's docs tree, e.g. "questions/naive-bayes.md"
    text: str  # the Markdown, front matter removed
    line: int  # line of the source file where `text` starts
    col_offset: int = 0  # characters before the Markdown on each line (2 for "# " in notebooks)
    meta: dict[str, Any] = field(default_factory=dict)
    raw: str = ""  # the Markdown as written, before bound numbers are rendered (scripts/handbook/bound_numbers.py)


def line_col(doc: Document, offset: int) -> tuple[int, int]:
    before = doc.text[:offset]
    line = before.count("\n")
    col = offset - (before.rfind("\n") + 1) + 1
    return doc.line + line, col + doc.col_offset


def locate(doc: Document, needle: str, start: int = 0) -> tuple[int, int, int]:
    """Line, column and offset of `needle` in the document, or of its start if absent."""
    offset = doc.text.find(needle, start) if needle else -1
    if offset < 0:
        offset = doc.text.find(needle) if needle else -1
    if offset < 0:
        return (*line_col(doc, 0), start)
    return (*line_col(doc, offset), offset)


class Checker:
    """The findings of one validation run; each family of checks is a mixin over it."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, doc_path: Path, line: int, col: int, code: str, message: str) -> None:
        self.findings.append(Finding(rel(doc_path), line, col, code, message))
