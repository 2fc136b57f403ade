"""Checks of a question page's front matter and of its sections against the page template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from checks.core import Checker, Document, line_col
from checks.site import Site
from handbook import rel
from handbook.catalog import Catalog
from handbook.template import DIFFICULTIES, GENERATED_SECTION, ORIGINS, REQUIRED_SECTIONS, SECTIONS

# A tag, a comment or a character reference: HTML, where front matter holds plain text ("x < y" is text).
HTML_IN_TEXT = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def strings(value: Any) -> Iterator[str]:
    """Every string in a front-matter value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


class FrontMatterChecks(Checker):
    site: Site
    catalog: Catalog

    def check_front_matter_html(self, docs: list[Document]) -> None:
        """No front-matter value of any page holds HTML: the theme and the jobs show a title as text."""
        for doc in docs:
            if doc.path.suffix != ".md":
                continue
            for key in doc.meta:
                if key.startswith("__"):
                    continue
                for text in strings(doc.meta[key]):
                    found = HTML_IN_TEXT.search(text)
                    if found is None:
                        continue
                    what = "a title is plain text, shown as written" if key == "title" else "front matter is plain text"
                    self.add(
                        doc.path,
                        self.meta_line(doc, key),
                        1,
                        "F010",
                        f"`{key}` holds HTML ({text[found.start() : found.start() + 30]!r}): {what}; "
                        "say it in words (write 'less than' for <), and keep markup to the page's body",
                    )
                    break

    def check_front_matter(self, docs: list[Document]) -> None:
        self.check_front_matter_html(docs)
        numbers: dict[int, Document] = {}
        pages = [d for d in docs if d.url_path.startswith("questions/") and d.path.suffix == ".md"]
        for doc in pages:
            meta = doc.meta
            if "__error__" in meta:
                self.add(doc.path, 1, 1, "F001", meta["__error__"])
                continue
            for key, kind in (("number", int), ("title", str), ("tags", list), ("difficulty", str)):
                if key not in meta:
                    self.add(doc.path, 1, 1, "F002", f"front matter needs `{key}:`")
                elif not isinstance(meta[key], kind) or isinstance(meta[key], bool):
                    self.add(doc.path, self.meta_line(doc, key), 1, "F003", f"`{key}` must be a {kind.__name__}")
            if "origin" in meta and meta["origin"] not in ORIGINS:
                self.add(
                    doc.path,
                    self.meta_line(doc, "origin"),
                    1,
                    "F009",
                    f"origin {meta['origin']!r}: use one of {', '.join(ORIGINS)} (leave it out for original)",
                )
            for key, kind in (("related", list), ("notebook", str)):
                if key in meta and not isinstance(meta[key], kind):
                    self.add(doc.path, self.meta_line(doc, key), 1, "F003", f"`{key}` must be a {kind.__name__}")
            number = meta.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                if number in numbers:
                    other = rel(numbers[number].path)
                    self.add(
                        doc.path, self.meta_line(doc, "number"), 1, "F004", f"number {number} is also used by {other}"
                    )
                numbers[number] = doc
            for tag in meta.get("tags") or [] if isinstance(meta.get("tags"), list) else []:
                if not isinstance(tag, str) or tag not in self.site.allowed_tags:
                    self.add(
                        doc.path,
                        self.meta_line(doc, "tags"),
                        1,
                        "F005",
                        f"tag {tag!r} is not allowed: use one of mkdocs.yml tags_allowed",
                    )
            if isinstance(meta.get("difficulty"), str) and meta["difficulty"] not in DIFFICULTIES:
                self.add(
                    doc.path,
                    self.meta_line(doc, "difficulty"),
                    1,
                    "F006",
                    f"difficulty {meta['difficulty']!r}: use " + ", ".join(DIFFICULTIES),
                )
            notebook = meta.get("notebook")
            if isinstance(notebook, str) and notebook not in self.site.notebooks:
                self.add(doc.path, self.meta_line(doc, "notebook"), 1, "F008", f"no notebooks/{notebook}.py")
        known = {n for n in numbers} | self.site_numbers()
        for doc in pages:
            related = doc.meta.get("related")
            for n in related if isinstance(related, list) else []:
                if not isinstance(n, int) or n not in known:
                    self.add(
                        doc.path, self.meta_line(doc, "related"), 1, "F007", f"related question {n!r} does not exist"
                    )

    def site_numbers(self) -> set[int]:
        return {q.number for q in self.catalog.questions}

    @staticmethod
    def meta_line(doc: Document, key: str) -> int:
        for i, line in enumerate(doc.path.read_text(encoding="utf-8").splitlines()[: doc.line], start=1):
            if line.startswith(f"{key}:"):
                return i
        return 1

    def check_sections(self, doc: Document) -> None:
        if not doc.url_path.startswith("questions/") or "number" not in doc.meta:
            return
        headings = [(m.group(1).strip(), m.start()) for m in re.finditer(r"^## (.+)$", doc.text, re.M)]
        seen: list[str] = []
        for title, offset in headings:
            line, col = line_col(doc, offset)
            if title == GENERATED_SECTION:
                self.add(
                    doc.path,
                    line,
                    col,
                    "P002",
                    f"'{GENERATED_SECTION}' is generated from `related:`; remove this heading",
                )
            elif title not in SECTIONS:
                self.add(
                    doc.path,
                    line,
                    col,
                    "P002",
                    f"section {title!r} is not in the template: use one of {', '.join(SECTIONS)}",
                )
            else:
                if seen and SECTIONS.index(title) <= SECTIONS.index(seen[-1]):
                    self.add(doc.path, line, col, "P001", f"section {title!r} must come before {seen[-1]!r}")
                seen.append(title)
        missing = [s for s in REQUIRED_SECTIONS if s not in seen]
        if missing:
            line, col = line_col(doc, headings[0][1] if headings else 0)
            self.add(doc.path, line, col, "P001", "missing sections: " + ", ".join(missing))
