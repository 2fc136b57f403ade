"""Check every page and notebook for broken links, bad math, bad front matter and unbound numbers.

Pages are rendered with the site's own Markdown settings (read from mkdocs.yml), so
the formulas checked are exactly those pymdownx.arithmatex hands to MathJax, and the
anchors are exactly those the toc extension makes. Formulas are parsed by the MathJax
the build renders the pages with (scripts/mathjax_render.mjs); bound numbers are compared with the values
the executed notebooks bound (scripts/handbook/bound_numbers.py). Nothing is ever written but a cache.
Each family of checks is a module of scripts/checks/; this one runs them and reports.

Usage: python scripts/validate.py [PATH ...] [--format text|json] [--external] [--stats]
Exit status: 0 clean, 1 problems found, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from checks.bound import BoundChecks, BoundCount
from checks.core import CODES, Document, Finding
from checks.formulas import MathChecks
from checks.front_matter import FrontMatterChecks
from checks.html import HtmlChecks
from checks.links import LinkChecks
from checks.prose import ProseChecks
from checks.site import Rendered, Site, documents
from handbook import DOCS, NOTEBOOKS, ROOT
from handbook.catalog import Catalog, load_catalog
from handbook.math_render import MathRenderer

MAX_PAGE = 1_000_000  # characters of Markdown in one page (the largest today holds about 28,000)

__all__ = ["CODES", "Document", "Finding", "Site", "Validator", "validate"]


class Validator(ProseChecks, LinkChecks, FrontMatterChecks, MathChecks, BoundChecks, HtmlChecks):
    """Runs every family of checks over a set of documents and collects the findings."""

    def __init__(self, site: Site, catalog: Catalog) -> None:
        super().__init__()
        self.site = site
        self.catalog = catalog
        self.formulas: list[tuple[Document, str, bool, int, int]] = []
        self.links = 0
        self.external: dict[str, tuple[Document, int, int]] = {}
        self.pending_anchors: list[tuple[Document, int, int, str, str, str]] = []  # checked once all ids are known
        self.bound_counts: list[BoundCount] = []
        self.bound_values: dict[str, dict[str, float] | None] = {}

    def check_document(self, doc: Document, rendered: Rendered) -> None:
        self.collect_formulas(doc, rendered)
        self.check_prose(doc, rendered)
        self.check_html(doc, rendered)


def default_paths() -> list[Path]:
    return expand([DOCS, NOTEBOOKS])


def expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        path = path.resolve()
        if path.is_dir():
            out += sorted(path.rglob("*.md")) + sorted(path.glob("q*.py"))
        elif path.is_file():
            out.append(path)
        else:
            raise FileNotFoundError(path)
    return [
        p
        for p in out
        if p.suffix in (".md", ".py") and not any(part.startswith(".") for part in p.relative_to(ROOT).parts[:-1])
    ]


@dataclass
class Report:
    """The findings, sorted, and what was checked."""

    findings: list[Finding]
    documents: int
    formulas: int
    links: int
    bound: list[BoundCount]


def validate(
    paths: list[Path] | None = None,
    external: bool = False,
    catalog: Catalog | None = None,
    renderer: MathRenderer | None = None,
) -> Report:
    """All findings for the given sources (default: the whole site); the build passes its catalog and renderer."""
    catalog = catalog if catalog is not None else load_catalog()
    site = Site()
    chosen = expand(paths) if paths else default_paths()
    everything = chosen if not paths else sorted(set(chosen) | set(default_paths()))
    check = set(chosen)
    validator = Validator(site, catalog)
    rendered = []
    # Anchors of every page are needed even when only some pages are checked.
    for doc in documents(everything, {q.source.path.resolve(): q.source for q in catalog.questions}):
        if doc.meta.get("__read_error__"):
            validator.add(doc.path, doc.line, 1, "F011", doc.meta["__read_error__"])
            continue
        if len(doc.text) > MAX_PAGE:
            # Python-Markdown is quadratic in a paragraph's length: a 5 MB paragraph would hang the check and the build.
            size = f"{len(doc.text) / 1e6:.1f} MB"
            validator.add(doc.path, doc.line, 1, "P005", f"{size} of Markdown: a page may hold 1 MB; split it")
            continue
        result = site.render(doc.text)
        site.anchors.setdefault(doc.url_path, set()).update(result.ids)
        if doc.path.resolve() in check:
            rendered.append((doc, result))
    for doc, result in rendered:
        validator.check_document(doc, result)
        validator.check_links(doc, result)
        validator.check_sections(doc)
        validator.check_bound_numbers(doc)
    site.save_render_cache()
    validator.check_anchors()
    validator.check_front_matter([d for d, _ in rendered])
    if not paths:
        validator.check_nav()
        validator.check_files()
    validator.check_math(renderer)
    if external:
        validator.check_external()
    return Report(
        sorted(validator.findings), len(rendered), len(validator.formulas), validator.links, validator.bound_counts
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the whole site)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--external", action="store_true", help="also check external links (needs the network)")
    parser.add_argument("--stats", action="store_true", help="print counts and the time taken")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    start = time.perf_counter()
    try:
        report = validate(args.paths or None, args.external)
    except FileNotFoundError as exc:
        print(f"validate.py: no such file or folder: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # an internal error must not look like "problems found"
        print(f"validate.py: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    findings = report.findings
    if args.format == "json":
        print(json.dumps(asdict(report), indent=2))
    else:
        for finding in findings:
            print(finding.text())
        files = len({f.path for f in findings})
        summary = f"{len(findings)} problem(s) in {files} file(s)" if findings else "no problems"
        print(f"{summary}; checked {report.documents} documents, {report.formulas} formulas, {report.links} links")
    if args.stats:
        bound = sum(c.bound for c in report.bound)
        plain = sum(c.plain for c in report.bound)
        example = sum(c.plain_in_example for c in report.bound)
        print(
            f"numbers on the {len(report.bound)} pages with a notebook: {bound} bound, {plain} plain literals "
            f"({example} of them in Example sections)",
            file=sys.stderr,
        )
        for count in report.bound:
            print(f"  {count.page}: {count.bound} bound, {count.plain} plain", file=sys.stderr)
        print(f"time: {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
