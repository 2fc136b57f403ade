"""The HTML fragments the jobs add to pages, rendered from overrides/partials/handbook/.

Jinja2, which MkDocs and the theme already use. Every value is escaped unless marked safe: a title or a tag
is text, never markup. The escaping is `html.escape`'s (quotes as `&quot;` and `&#x27;`), as Python-Markdown
and the earlier hooks wrote it, rather than markupsafe's `&#34;` and `&#39;`: the same page, the same bytes.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from handbook import ROOT
from handbook.contract import NAMES

PARTIALS = ROOT / "overrides" / "partials" / "handbook"


def _escaped(value: Any) -> Any:
    return value if isinstance(value, markupsafe.Markup) else html.escape(str(value))


class Fragments:
    """Renders `overrides/partials/handbook/<name>.html` with the shared names in scope as `names`."""

    def __init__(self, directory: Path = PARTIALS) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(directory),
            finalize=_escaped,
            undefined=jinja2.StrictUndefined,  # a misspelt variable fails the build, not the page
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.globals["names"] = NAMES

    def render(self, name: str, **context: Any) -> str:
        return self._env.get_template(f"{name}.html").render(**context)
