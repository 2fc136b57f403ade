"""Checks of links: pages, files, figures and anchors inside the site, the nav, and (on request) external URLs."""

from __future__ import annotations

import difflib
import fnmatch
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from checks.core import Checker, Document, locate
from checks.site import Rendered, Site
from handbook import CACHE_DIR, DOCS, MKDOCS_YML, NOTEBOOKS, html_safety, read_cache, write_cache
from handbook.contract import LINK_SCHEME

# The schemes a page may link with: the web, e-mail, and the build's downloads (handbook/downloads.py).
SCHEMES = ("http", "https", "mailto", LINK_SCHEME.rstrip(":"))
# Those it may not, and what to write instead.
FORBIDDEN_SCHEMES = {
    "javascript": "a javascript: link runs code in the reader's tab: pages run no scripts of their own",
    "vbscript": "a vbscript: link runs code in the reader's tab: pages run no scripts of their own",
    "livescript": "a livescript: link runs code in the reader's tab: pages run no scripts of their own",
    "data": "a data: URL can carry a whole page or a script: save the file under docs/, or draw the figure in "
    "a notebook with save_figure, and link to it",
    "file": "a file: link points into the writer's own disk: link relative to this page, or to https://",
    "//": "a protocol-relative link (//host) loads over whatever the page came by, file:// in the offline "
    "edition: write https://",
}


class LinkChecks(Checker):
    site: Site
    external: dict[str, tuple[Document, int, int]]
    pending_anchors: list[tuple[Document, int, int, str, str, str]]
    links: int

    def check_links(self, doc: Document, rendered: Rendered) -> None:
        for href in rendered.links:
            self.links += 1
            parts = urlsplit(href)
            line, col, _ = locate(doc, href)
            scheme = html_safety.scheme(href)
            if scheme in FORBIDDEN_SCHEMES:
                self.add(doc.path, line, col, "L010", f"link {href[:60]!r}: {FORBIDDEN_SCHEMES[scheme]}")
                continue
            if scheme and scheme not in SCHEMES:
                close = difflib.get_close_matches(scheme, SCHEMES, n=1, cutoff=0.6)
                guess = f" (did you mean {close[0]}:?)" if close else ""
                self.add(
                    doc.path,
                    line,
                    col,
                    "L011",
                    f"link {href[:60]!r}: unknown scheme {scheme}:{guess}; "
                    f"a link is relative to this page, or uses one of {', '.join(s + ':' for s in SCHEMES)}",
                )
                continue
            if scheme in ("http", "https"):
                self.external.setdefault(href, (doc, line, col))
                continue
            if scheme:
                continue  # mailto:, study:
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

    def check_external(self) -> None:
        """Dead external links; a transient failure (timeout, 5xx, 429) is reported but never fails."""
        cache_file = CACHE_DIR / "external-links.json"
        cache: dict[str, Any] = read_cache(cache_file)
        week = 7 * 24 * 3600
        todo = [u for u in self.external if time.time() - cache.get(u, {}).get("checked", 0) > week]
        with ThreadPoolExecutor(max_workers=16) as pool:
            for url, status in zip(todo, pool.map(probe, todo), strict=True):
                if status is not None:
                    cache[url] = {"status": status, "checked": time.time()}
                else:
                    print(f"warning: {url}: no answer (network?); not counted", file=sys.stderr)
        write_cache(cache_file, cache)
        for url, (doc, line, col) in self.external.items():
            status = cache.get(url, {}).get("status")
            if status in (404, 410) or status == "dns":
                self.add(doc.path, line, col, "L008", f"external link {url!r} is dead ({status})")


def probe(url: str, tries: int = 3) -> int | str | None:
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
