"""Links to the build's downloads, written `study:deck` and `study:offline` in the pages.

The validator and MkDocs skip links with a scheme, and these files exist only in the build.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from mkdocs.utils import get_relative_url

from handbook.contract import DOWNLOADS, LINK_SCHEME

LINK = re.compile(rf'href="{LINK_SCHEME}([\w-]+)"')


class UnknownDownload(ValueError):
    """A `study:` link names no download."""


def with_download_links(content: str, page_url: str, *, offline: bool, site_url: str | None) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in DOWNLOADS:
            raise UnknownDownload(
                f"unknown link {LINK_SCHEME}{name}: use one of " + ", ".join(LINK_SCHEME + n for n in DOWNLOADS)
            )
        if name == "offline" and offline:
            # The offline edition holds no copy of itself: fetch the newest one from the site.
            return f'href="{urljoin(site_url or "", DOWNLOADS[name])}"'
        return f'href="{get_relative_url(DOWNLOADS[name], page_url)}" download'

    return LINK.sub(replace, content)
