"""MkDocs hook: under `mkdocs serve --dirty` (what `make serve` runs) a reload rebuilds only what was edited.

A full rebuild renders all ~80 pages, 3-6 s on two cores; a dirty one renders the edited page.
But MkDocs then leaves the other pages unread: no title (the navigation shows "None"), no
metadata, no content for the hooks that assemble pages from others (the print page, the Anki
deck). This hook keeps each page's state from the build that last read it, and hands it back
to the pages a dirty rebuild skips. Pages made from others (All questions, tags, print)
refresh when they are rebuilt: on the next start of `make serve`, and in every `mkdocs build`.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# What Page.read_source and Page.render set, which the theme and the other hooks read.
STATE = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids")

# MkDocs loads a hook once per process, so these outlive a rebuild.
_dirty = False
_kept: dict[str, dict[str, Any]] = {}  # src_uri -> the page's STATE when it was last read


def on_startup(command: str, dirty: bool) -> None:
    global _dirty
    _dirty = command == "serve" and dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _dirty and _kept:
        # mkdocs-jupyter evicts from its cache every notebook a build did not render: all but
        # the edited ones, on a dirty rebuild. Its cache is left alone until the next full build.
        config.plugins["mkdocs-jupyter"].config["cache"] = False
    return config


@event_priority(100)  # before the hooks that assemble pages from others
def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    if _dirty:
        for file in files.documentation_pages():
            kept = _kept.get(file.src_uri)
            if file.page is not None and file.page.content is None and kept is not None:
                for name, value in kept.items():
                    setattr(file.page, name, value)
    return env


@event_priority(-100)  # after every other hook has made the content
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _dirty:
        _kept[page.file.src_uri] = {name: getattr(page, name, None) for name in STATE} | {"content": html}
    return html
