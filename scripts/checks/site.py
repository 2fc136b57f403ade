"""The site as the validator sees it: its Markdown settings, files and anchors, and each page rendered."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown

from checks.core import Document
from handbook import (
    BUILD_FIGURES,
    CACHE_DIR,
    DOCS,
    NOTEBOOKS,
    ROOT,
    Source,
    bound_numbers,
    html_safety,
    load_mkdocs_config,
    percent_cells,
    read_cache,
    read_page,
    write_cache,
)

# Part of every render cache key, with html_safety.py's source: a new field of Rendered, or a new way to fill
# one, makes a new key.
RENDER_VERSION = "rendered-3\0"


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


def markdown_settings(config: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
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


@dataclass
class Rendered:
    """What the validator needs from a rendered document."""

    links: list[str]
    ids: list[str]
    math: list[tuple[str, bool]]
    prose: str
    unsafe: list[str]  # what the rendered HTML carries that runs code or loads from elsewhere (html_safety)
    source_problems: list[tuple[int, str, str]]  # (offset, code, message): what the allow-list refuses in the source


class Site:
    """What the validator knows about the whole site: files, anchors, config."""

    def __init__(self) -> None:
        self.config = load_mkdocs_config()
        self.markdown_settings = markdown_settings(self.config)
        self._md: markdown.Markdown | None = None  # built only when a page must be rendered
        snippets = sorted((DOCS / ".snippets").glob("*"))
        settings = json.dumps(self.markdown_settings, sort_keys=True)
        rules = Path(html_safety.__file__).read_text(encoding="utf-8")  # what decides the cached HTML findings
        self.render_salt = RENDER_VERSION + settings + rules + "".join(p.read_text() for p in snippets)
        self.render_cache_file = CACHE_DIR / "validate-render.json"
        self.render_cache: dict[str, Any] = read_cache(self.render_cache_file)
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
            rendered = self._md.convert(text)
            collector.feed(rendered)
            self.render_cache[key] = asdict(
                Rendered(
                    collector.links,
                    sorted(collector.ids),
                    collector.math,
                    "".join(collector.prose),
                    html_safety.rendered_problems(rendered),
                    [(p.offset, p.code, p.message) for p in html_safety.source_problems(text)],
                )
            )
        cached = self.render_cache[key]
        return Rendered(
            cached["links"],
            cached["ids"],
            [tuple(m) for m in cached["math"]],
            cached["prose"],
            cached["unsafe"],
            [tuple(p) for p in cached["source_problems"]],
        )

    def save_render_cache(self) -> None:
        """Keep only the entries this run used, so the cache never grows stale."""
        kept = {k: v for k, v in self.render_cache.items() if k in self.render_cache_used}
        write_cache(self.render_cache_file, kept)

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


def documents(paths: list[Path], read: dict[Path, Source] | None = None) -> list[Document]:
    """Pages and notebook Markdown cells under the given paths; `read` holds pages already read (the catalog's)."""
    docs: list[Document] = []
    for path in paths:
        if path.suffix == ".md":
            page = (read or {}).get(path.resolve()) or read_page(path)
            meta = dict(page.meta)
            if page.front_matter_error:
                meta["__error__"] = page.front_matter_error
            if page.read_error:
                meta["__read_error__"] = page.read_error
            text = bound_numbers.render(page.body, keep_columns=True)
            docs.append(Document(path, path.relative_to(DOCS).as_posix(), text, page.body_line, 0, meta, page.body))
        elif path.suffix == ".py":
            for cell in percent_cells(path):
                if cell.kind == "markdown":
                    docs.append(Document(path, f"notebooks/{path.stem}.ipynb", cell.text, cell.line, 2))
    return docs
