"""Check every page and notebook for broken links, bad math and bad front matter.

Pages are rendered with the site's own Markdown settings (read from mkdocs.yml), so
the formulas checked are exactly those pymdownx.arithmatex hands to MathJax, and the
anchors are exactly those the toc extension makes. Formulas are parsed by the MathJax
build the site serves (scripts/check_math.mjs). Nothing is ever written but a cache.

Usage: python scripts/validate.py [PATH ...] [--format text|json] [--external] [--stats]
Exit status: 0 clean, 1 problems found, 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent))
from handbook import (
    BUILD_FIGURES,
    CACHE_DIR,
    DOCS,
    MATHJAX_DIR,
    MKDOCS_YML,
    NOTEBOOKS,
    ROOT,
    load_mkdocs_config,
    percent_cells,
    read_page,
    rel,
)

CHECK_MATH = Path(__file__).resolve().parent / "check_math.mjs"
DIFFICULTIES = ("easy", "medium", "hard")
SECTIONS = (
    "Short answer",
    "Explanation",
    "Derivation",
    "Example",
    "Common mistakes",
    "Follow-up questions",
    "Related questions",
    "References",
)
REQUIRED_SECTIONS = ("Short answer", "Explanation", "Common mistakes", "Follow-up questions", "References")

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
    "L001": "link to a missing page or file",
    "L002": "link to a missing anchor",
    "L003": "link whose case differs from the file's",
    "L004": "absolute link",
    "L005": "nav entry names a missing page",
    "L006": "page is in neither the nav nor not_in_nav",
    "L007": "figure that no notebook saves",
    "L008": "external link is dead",
    "L009": "reference-style link with no definition",
    "M001": "undefined macro",
    "M002": "unbalanced braces",
    "M003": "math delimiter without its partner",
    "M004": "\\left without \\right, or the reverse",
    "M005": "unknown or mismatched environment",
    "M006": "other TeX error reported by MathJax",
    "M007": "TeX command outside math",
    "M008": "math in a heading",
    "P001": "sections missing or out of order",
    "P002": "section heading not in the page template",
    "P003": "non-English (CJK) text",
    "P004": "a 'details here' pointer without a link",
}
MATHJAX_CODES = {
    "UndefinedControlSequence": "M001",
    "UnknownEnv": "M005",
    "EnvBadEnd": "M005",
    "EnvMissingEnd": "M005",
    "ExtraOpenMissingClose": "M002",
    "ExtraCloseMissingOpen": "M002",
    "MissingCloseBrace": "M002",
    "ExtraLeftMissingRight": "M004",
    "ExtraRightMissingLeft": "M004",
    "ExtraMiddle": "M004",
    "MissingLeftExtraRight": "M004",
}


# Patterns that must not survive rendering in the text outside math and code.
PROSE_RULES = (
    (r"\$|\\\(|\\\)|\\\[|\\\]", "M003", "math delimiter {!r} without its partner: close it, or write USD for money"),
    (
        r"\\(?:frac|mathbf|mathbb|mathcal|sum|int|alpha|beta|lambda|theta|sigma|hat|left|right|begin|end|text|textbf|cite)\b",
        "M007",
        "TeX command {!r} outside math: wrap it in $...$",
    ),
    (
        r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]+",
        "P003",
        "non-English text {!r}: translate it",
    ),
    (r"\[[^\]\n]+\]\[[^\]\n]*\]", "L009", "reference-style link {!r} has no definition: add `[label]: url`"),
)


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


class _Collector(HTMLParser):
    """Collects links, element ids and the text outside code and math from rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.math: list[tuple[str, bool]] = []
        self.prose: list[str] = []
        self._skip = 0  # depth inside code, pre, math or abbreviation-free zones
        self._math: list[str] | None = None
        self._math_display = False
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for key in ("href", "src"):
            if a.get(key) is not None and tag in ("a", "img", "script", "link", "source", "iframe"):
                self.links.append(a[key] or "")
        classes = (a.get("class") or "").split()
        is_math = "arithmatex" in classes and self._math is None
        skip = tag in ("code", "pre", "script", "style") or is_math
        if is_math:
            self._math, self._math_display = [], tag == "div"
        if tag not in ("img", "br", "hr", "input", "meta", "link", "source"):
            self._stack.append((tag, skip))
            self._skip += skip

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, skip = self._stack.pop()
            self._skip -= skip
            if skip and self._math is not None and self._skip == 0 and open_tag in ("span", "div"):
                self.math.append(("".join(self._math), self._math_display))
                self._math = None
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._math is not None:
            self._math.append(data)
        elif not self._skip:
            self.prose.append(data)


def _markdown_settings(config: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The site's Markdown extensions and their settings, with paths made absolute."""
    names: list[str] = []
    settings: dict[str, dict[str, Any]] = {}
    for item in config.get("markdown_extensions", []):
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        options = dict(options or {})
        if name == "pymdownx.snippets":
            options["base_path"] = [str(ROOT / p) for p in options.get("base_path", ["."])]
        names.append(name)
        settings[name] = options
    settings.setdefault("toc", {})
    if "toc" not in names:
        names.append("toc")
    return names, settings


def _line_col(doc: Document, offset: int) -> tuple[int, int]:
    before = doc.text[:offset]
    line = before.count("\n")
    col = offset - (before.rfind("\n") + 1) + 1
    return doc.line + line, col + doc.col_offset


def _locate(doc: Document, needle: str, start: int = 0) -> tuple[int, int, int]:
    """Line, column and offset of `needle` in the document, or of its start if absent."""
    offset = doc.text.find(needle, start) if needle else -1
    if offset < 0:
        offset = doc.text.find(needle) if needle else -1
    if offset < 0:
        return (*_line_col(doc, 0), start)
    return (*_line_col(doc, offset), offset)


@dataclass
class Rendered:
    """What the validator needs from a rendered document."""

    links: list[str]
    ids: list[str]
    math: list[tuple[str, bool]]
    prose: str


class Site:
    """What the validator knows about the whole site: files, anchors, config."""

    def __init__(self) -> None:
        self.config = load_mkdocs_config()
        self.markdown_settings = _markdown_settings(self.config)
        self._md: markdown.Markdown | None = None  # built only when a page must be rendered
        snippets = sorted((DOCS / ".snippets").glob("*"))
        self.render_salt = json.dumps(self.markdown_settings, sort_keys=True) + "".join(p.read_text() for p in snippets)
        self.render_cache_file = CACHE_DIR / "validate-render.json"
        self.render_cache: dict[str, Any] = (
            json.loads(self.render_cache_file.read_text()) if self.render_cache_file.is_file() else {}
        )
        self.render_cache_used: set[str] = set()
        self.files: set[str] = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.is_file()}
        # Generated at build time: executed notebooks and their figures.
        self.notebooks = {p.stem: p for p in sorted(NOTEBOOKS.glob("q*.py"))}
        self.files |= {f"notebooks/{stem}.ipynb" for stem in self.notebooks}
        self.lower = {f.lower(): f for f in self.files}
        self.anchors: dict[str, set[str]] = {}
        tags = next((p["tags"] for p in self.config.get("plugins", []) if isinstance(p, dict) and "tags" in p), {})
        self.allowed_tags = set((tags or {}).get("tags_allowed") or [])

    def render(self, text: str) -> Rendered:
        """Render with the site's Markdown settings; unchanged documents come from the cache."""
        key = hashlib.sha1((self.render_salt + "\0" + text).encode()).hexdigest()
        self.render_cache_used.add(key)
        if key not in self.render_cache:
            if self._md is None:
                names, settings = self.markdown_settings
                self._md = markdown.Markdown(extensions=names, extension_configs=settings)
            self._md.reset()
            collector = _Collector()
            collector.feed(self._md.convert(text))
            self.render_cache[key] = asdict(
                Rendered(collector.links, sorted(collector.ids), collector.math, "".join(collector.prose))
            )
        cached = self.render_cache[key]
        return Rendered(cached["links"], cached["ids"], [tuple(m) for m in cached["math"]], cached["prose"])

    def save_render_cache(self) -> None:
        """Keep only the entries this run used, so the cache never grows stale."""
        kept = {k: v for k, v in self.render_cache.items() if k in self.render_cache_used}
        CACHE_DIR.mkdir(exist_ok=True)
        self.render_cache_file.write_text(json.dumps(kept, sort_keys=True))

    def figure_exists(self, uri: str) -> bool:
        """A figure exists once its notebook ran, or (before that) when the notebook saves it by name."""
        parts = uri.split("/")
        if len(parts) != 3:
            return False
        _, stem, name = parts
        if (BUILD_FIGURES / stem / name).is_file():
            return True
        source = self.notebooks.get(stem)
        return bool(source) and f'"{Path(name).stem}"' in source.read_text(encoding="utf-8")


def documents(paths: list[Path]) -> list[Document]:
    """Pages and notebook Markdown cells under the given paths."""
    docs: list[Document] = []
    for path in paths:
        if path.suffix == ".md":
            page = read_page(path)
            meta = dict(page.meta)
            if page.front_matter_error:
                meta["__error__"] = page.front_matter_error
            docs.append(Document(path, path.relative_to(DOCS).as_posix(), page.body, page.body_line, 0, meta))
        elif path.suffix == ".py":
            for cell in percent_cells(path):
                if cell.kind == "markdown":
                    docs.append(Document(path, f"notebooks/{path.stem}.ipynb", cell.text, cell.line, 2))
    return docs


class Validator:
    """Runs every check over a set of documents and collects findings."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.findings: list[Finding] = []
        self.formulas: list[tuple[Document, str, bool, int, int]] = []
        self.links = 0
        self.external: dict[str, tuple[Document, int, int]] = {}
        self.pending_anchors: list[tuple[Document, int, int, str, str, str]] = []  # checked once all ids are known

    def add(self, doc_path: Path, line: int, col: int, code: str, message: str) -> None:
        self.findings.append(Finding(rel(doc_path), line, col, code, message))

    def check_document(self, doc: Document, rendered: Rendered) -> None:
        search_from = 0
        for tex, display in rendered.math:
            inner = tex.strip()
            for left, right in (("\\(", "\\)"), ("\\[", "\\]")):
                if inner.startswith(left) and inner.endswith(right):
                    inner = inner[2:-2]
            line, col, search_from = _locate(doc, inner.strip()[:40], search_from)
            self.formulas.append((doc, inner, display, line, col))
        self.check_prose(doc, rendered)

    def check_prose(self, doc: Document, rendered: Rendered) -> None:
        prose = rendered.prose
        for pattern, code, message in PROSE_RULES:
            for match in re.finditer(pattern, prose):
                # Locate the text with what follows it, which survives rendering unchanged.
                context = prose[match.start() : match.end() + 12].split("\n")[0]
                line, col, offset = _locate(doc, context)
                if code == "M003" and match.group(0) == "$" and doc.text[offset - 1 : offset] == "\\":
                    continue  # an escaped \$ is a literal dollar sign
                self.add(doc.path, line, col, code, message.format(match.group(0)))
        # Markdown turns a lone \( into "(", so an unclosed one vanishes from the prose: count in the source.
        source = re.sub(r"```.*?```|`[^`\n]*`", lambda m: " " * len(m.group(0)), doc.text, flags=re.S)
        for paragraph in re.finditer(r"(?:[^\n]+\n?)+", source):
            for left, right in (("\\(", "\\)"), ("\\[", "\\]")):
                if paragraph.group(0).count(left) != paragraph.group(0).count(right):
                    line, col = _line_col(doc, paragraph.start() + max(paragraph.group(0).find(left), 0))
                    self.add(doc.path, line, col, "M003", f"{left} and {right} do not pair up in this paragraph")
        # The table of contents shows headings as plain text, so math there stays raw.
        for match in re.finditer(r"^#{1,6}[ \t].*?(\$|\\\()", doc.text, re.M):
            line, col = _line_col(doc, match.start(1))
            self.add(doc.path, line, col, "M008", "math in a heading shows raw in the table of contents: reword it")
        for match in re.finditer(r"details? (?:is |are )?(?:in |see )?here", doc.text, re.I):
            if "](" not in doc.text[match.start() : match.end() + 40]:
                line, col = _line_col(doc, match.start())
                self.add(doc.path, line, col, "P004", "'details here' points nowhere: link the source or remove it")

    def check_links(self, doc: Document, rendered: Rendered) -> None:
        for href in rendered.links:
            self.links += 1
            parts = urlsplit(href)
            line, col, _ = _locate(doc, href)
            if parts.scheme in ("http", "https"):
                self.external.setdefault(href, (doc, line, col))
                continue
            if parts.scheme or href.startswith("//"):
                continue  # mailto:, data: and the like
            if href.startswith("/"):
                self.add(doc.path, line, col, "L004", f"absolute link {href!r}: link relative to this page")
                continue
            target = self.resolve(doc.url_path, unquote(parts.path)) if parts.path else doc.url_path
            if target is None:
                continue
            if target not in self.site.files:
                if target.startswith("figures/") and self.site.figure_exists(target):
                    continue
                if target.lower() in self.site.lower:
                    found = self.site.lower[target.lower()]
                    self.add(doc.path, line, col, "L003", f"link {href!r}: the file is {found!r} (case matters online)")
                elif target.startswith("figures/"):
                    self.add(
                        doc.path,
                        line,
                        col,
                        "L007",
                        f"figure {href!r} is saved by no notebook: check the name in save_figure()",
                    )
                else:
                    self.add(doc.path, line, col, "L001", f"link {href!r}: no file docs/{target}")
                continue
            if parts.fragment:
                self.pending_anchors.append((doc, line, col, href, target, unquote(parts.fragment)))

    @staticmethod
    def resolve(base: str, path: str) -> str | None:
        """The docs-relative file a relative link points at."""
        parts: list[str] = base.split("/")[:-1]
        for piece in path.split("/"):
            if piece in ("", "."):
                continue
            if piece == "..":
                if not parts:
                    return "../"  # outside docs/: never a site file
                parts.pop()
            else:
                parts.append(piece)
        return "/".join(parts)

    def check_anchors(self) -> None:
        for doc, line, col, href, target, anchor in self.pending_anchors:
            if target.endswith(".md") and anchor not in self.site.anchors.get(target, {anchor}):
                self.add(doc.path, line, col, "L002", f"link {href!r}: no heading or id #{anchor} in docs/{target}")

    def check_front_matter(self, docs: list[Document]) -> None:
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
                if tag not in self.site.allowed_tags:
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
                    f"difficulty {meta['difficulty']!r}: use easy, medium or hard",
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

    @staticmethod
    def site_numbers() -> set[int]:
        numbers = set()
        for path in (DOCS / "questions").glob("*.md"):
            number = read_page(path).meta.get("number")
            if isinstance(number, int):
                numbers.add(number)
        return numbers

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
            line, col = _line_col(doc, offset)
            if title == "Related questions":
                self.add(
                    doc.path, line, col, "P002", "'Related questions' is generated from `related:`; remove this heading"
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
            line, col = _line_col(doc, headings[0][1] if headings else 0)
            self.add(doc.path, line, col, "P001", "missing sections: " + ", ".join(missing))

    def check_nav(self) -> None:
        config_text = MKDOCS_YML.read_text(encoding="utf-8")
        in_nav: set[str] = set()

        def walk(items: Any) -> None:
            for item in items or []:
                value = next(iter(item.values())) if isinstance(item, dict) else item
                if isinstance(value, list):
                    walk(value)
                elif isinstance(value, str) and not urlsplit(value).scheme:
                    in_nav.add(value)
                    if value not in self.site.files:
                        line = config_text[: config_text.find(value)].count("\n") + 1
                        self.add(MKDOCS_YML, line, 1, "L005", f"nav entry {value!r}: no file docs/{value}")

        walk(self.site.config.get("nav"))
        patterns = [p.strip().lstrip("/") for p in (self.site.config.get("not_in_nav") or "").splitlines() if p.strip()]
        for page in sorted(f for f in self.site.files if f.endswith((".md", ".ipynb"))):
            if (
                page.startswith(".")
                or "/." in page
                or page in in_nav
                or any(fnmatch.fnmatch(page, p) for p in patterns)
            ):
                continue
            self.add(
                DOCS / page if not page.endswith(".ipynb") else NOTEBOOKS / (Path(page).stem + ".py"),
                1,
                1,
                "L006",
                f"docs/{page} is not in the nav: add it to mkdocs.yml nav, or to not_in_nav",
            )

    def check_math(self) -> None:
        if not self.formulas:
            return
        version = json.loads((MATHJAX_DIR.parent / "package.json").read_text())["version"]
        cache_file = CACHE_DIR / "validate-math.json"
        cache: dict[str, Any] = json.loads(cache_file.read_text()) if cache_file.is_file() else {}
        keys = [hashlib.sha1(f"{version}\0{d}\0{t}".encode()).hexdigest() for _, t, d, _, _ in self.formulas]
        todo = sorted(
            {k: (t, d) for k, (_, t, d, _, _) in zip(keys, self.formulas, strict=True) if k not in cache}.items()
        )
        if todo:
            payload = json.dumps([{"tex": t, "display": d} for _, (t, d) in todo])
            run = subprocess.run(
                ["node", str(CHECK_MATH)], input=payload, capture_output=True, text=True, cwd=ROOT, check=False
            )
            if run.returncode != 0:
                raise RuntimeError(f"scripts/check_math.mjs failed: {run.stderr.strip()}")
            cache.update({k: r for (k, _), r in zip(todo, json.loads(run.stdout), strict=True)})
            CACHE_DIR.mkdir(exist_ok=True)
            cache_file.write_text(json.dumps(cache, sort_keys=True))
        for key, (doc, tex, _display, line, col) in zip(keys, self.formulas, strict=True):
            error = cache[key]
            if error:
                code = MATHJAX_CODES.get(error["id"], "M006")
                self.add(doc.path, line, col, code, f"{error['message']} in ${tex.strip()[:60]}$")

    def check_external(self) -> None:
        """Dead external links; a transient failure (timeout, 5xx, 429) is reported but never fails."""
        cache_file = CACHE_DIR / "external-links.json"
        cache: dict[str, Any] = json.loads(cache_file.read_text()) if cache_file.is_file() else {}
        week = 7 * 24 * 3600
        todo = [u for u in self.external if time.time() - cache.get(u, {}).get("checked", 0) > week]
        with ThreadPoolExecutor(max_workers=16) as pool:
            for url, status in zip(todo, pool.map(_probe, todo), strict=True):
                if status is not None:
                    cache[url] = {"status": status, "checked": time.time()}
                else:
                    print(f"warning: {url}: no answer (network?); not counted", file=sys.stderr)
        CACHE_DIR.mkdir(exist_ok=True)
        cache_file.write_text(json.dumps(cache, sort_keys=True, indent=0))
        for url, (doc, line, col) in self.external.items():
            status = cache.get(url, {}).get("status")
            if status in (404, 410) or status == "dns":
                self.add(doc.path, line, col, "L008", f"external link {url!r} is dead ({status})")


def _probe(url: str, tries: int = 3) -> int | str | None:
    """HTTP status of a URL, 'dns' when the host does not exist, None when unsure."""
    for attempt in range(tries):
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": "ml-handbook-linkcheck"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                if exc.code in (404, 410):
                    return exc.code
                if exc.code in (405, 403) and method == "HEAD":
                    continue
                break
            except urllib.error.URLError as exc:
                if "Name or service not known" in str(exc.reason):
                    return "dns"
                break
            except TimeoutError:
                break
        time.sleep(2**attempt)
    return None


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


def validate(paths: list[Path] | None = None, external: bool = False) -> Report:
    """All findings for the given sources (default: the whole site)."""
    site = Site()
    chosen = expand(paths) if paths else default_paths()
    everything = chosen if not paths else sorted(set(chosen) | set(default_paths()))
    check = set(chosen)
    validator = Validator(site)
    rendered = []
    # Anchors of every page are needed even when only some pages are checked.
    for doc in documents(everything):
        result = site.render(doc.text)
        site.anchors.setdefault(doc.url_path, set()).update(result.ids)
        if doc.path.resolve() in check:
            rendered.append((doc, result))
    for doc, result in rendered:
        validator.check_document(doc, result)
        validator.check_links(doc, result)
        validator.check_sections(doc)
    site.save_render_cache()
    validator.check_anchors()
    validator.check_front_matter([d for d, _ in rendered])
    if not paths:
        validator.check_nav()
    validator.check_math()
    if external:
        validator.check_external()
    return Report(sorted(validator.findings), len(rendered), len(validator.formulas), validator.links)


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
        print(f"time: {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
