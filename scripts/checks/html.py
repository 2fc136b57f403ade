"""Checks of the HTML a page may carry: raw HTML and attribute lists against the allow-list, what the rendered page
carries, the files docs/ publishes, and the SVG figures (the rules are scripts/handbook/html_safety.py's)."""

from __future__ import annotations

import hashlib
import re

from checks.core import Checker, Document, line_col, locate
from checks.site import Rendered
from handbook import BUILD_FIGURES, CACHE_DIR, DOCS, html_safety, read_cache, write_cache

# What docs/ may hold: MkDocs publishes every file there (but dot-files) as it is.
PUBLISHED_TYPES = (".md", ".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico")
INSTEAD_OF_FILE = {
    ".html": "write the page in Markdown (.md): an HTML file is published as it is, scripts and all",
    ".htm": "write the page in Markdown (.md): an HTML file is published as it is, scripts and all",
    ".svg": "draw the figure in a notebook with save_figure: the build serves it from build/figures/, checked",
    ".xml": "the site publishes no XML of its own",
    ".xhtml": "write the page in Markdown (.md)",
}


class HtmlChecks(Checker):
    def check_html(self, doc: Document, rendered: Rendered) -> None:
        # The allow-list, over the source (html_safety.source_problems; the render cache keeps what it found).
        for offset, code, message in rendered.source_problems:
            line, col = line_col(doc, offset)
            self.add(doc.path, line, col, code, message)
        if rendered.source_problems:
            return
        # The backstop: whatever reached the rendered page by a way the scans above do not know.
        for what in rendered.unsafe:
            name = re.match(r"<?([\w:-]+)", what)
            line, col, _ = locate(doc, name.group(1) if name else "")
            self.add(
                doc.path,
                line,
                col,
                "H004",
                f"the page as Markdown renders it carries {what}, which runs code or loads from elsewhere: "
                f"write it in Markdown (raw HTML is limited to {html_safety.ALLOWED_IN_SOURCE})",
            )

    def check_files(self) -> None:
        """Files in docs/ of a type the site does not publish, and SVG figures that run code or load other files."""
        for path in sorted(DOCS.rglob("*")):
            relative = path.relative_to(DOCS)
            if not path.is_file() or any(part.startswith(".") for part in relative.parts):
                continue  # MkDocs publishes no dot-file
            if path.suffix.lower() not in PUBLISHED_TYPES:
                instead = INSTEAD_OF_FILE.get(
                    path.suffix.lower(), "keep sources elsewhere, or convert it to one of " + ", ".join(PUBLISHED_TYPES)
                )
                message = f"docs/{relative.as_posix()}: the site publishes no {path.suffix} file: {instead}"
                self.add(path, 1, 1, "H005", message)
        cache_file = CACHE_DIR / "validate-svg.json"
        cache = read_cache(cache_file)
        used = {}
        for path in sorted(BUILD_FIGURES.rglob("*.svg")) if BUILD_FIGURES.is_dir() else []:
            svg = path.read_text(encoding="utf-8", errors="replace")
            key = hashlib.sha1(svg.encode()).hexdigest()
            found = cache.get(key)
            if found is None:
                found = [list(p) for p in html_safety.svg_problems(svg)]
            used[key] = found
            for offset, what in found:
                line = svg.count("\n", 0, offset) + 1
                self.add(
                    path,
                    line,
                    1,
                    "H006",
                    f"the figure carries {what}: a figure is drawn by save_figure (matplotlib), with nothing that "
                    "runs or loads; draw it again",
                )
        if used != cache:
            write_cache(cache_file, used)
