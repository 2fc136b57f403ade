"""The print page (docs/print.md): every question page's content, in number order, on one page."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from mkdocs.utils import get_relative_url

from handbook.catalog import Catalog
from handbook.fragments import Fragments

ID_ATTR = re.compile(r'\bid="([^"]+)"')
URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")


def anchor(number: int) -> str:
    """The id of question `number`'s section on the print page."""
    return f"q{number}"


def rebase(content: str, page_url: str, print_url: str, number: int, by_url: dict[str, int]) -> str:
    """A question page's HTML made to work inside the print page.

    Ids get the question's prefix (every page has a #short-answer); headings move one level down
    under the question's title; relative URLs are re-aimed from the print page, and links to a
    question page (`by_url`: page URL -> number) go to that question on the print page. Formulas are
    rendered when the print page is written, as on every page (handbook/math_render.py).
    """
    prefix = anchor(number) + "-"

    def url(match: re.Match[str]) -> str:
        attr, value = match.groups()
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//"):
            return match.group(0)
        if not parts.path:
            return f'{attr}="#{prefix}{parts.fragment}"' if parts.fragment else match.group(0)
        target = urlsplit(urljoin("/" + page_url, parts.path)).path.lstrip("/")
        if attr == "href" and target in by_url:
            other = anchor(by_url[target])
            return f'href="#{other}-{parts.fragment}"' if parts.fragment else f'href="#{other}"'
        rest = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return f'{attr}="{get_relative_url(target, print_url)}{rest}"'

    content = ID_ATTR.sub(lambda m: f'id="{prefix}{m.group(1)}"', content)
    content = URL_ATTR.sub(url, content)
    return HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", content)


def print_edition(
    catalog: Catalog, urls: dict[str, str], contents: dict[str, str], print_url: str, fragments: Fragments
) -> str:
    """The contents and every question page's content, for the print page at `print_url`.

    `urls` maps a page's src_uri to its URL, `contents` to its rendered content.
    """
    questions = [q for q in catalog.questions if q.src_uri in urls]
    by_url = {urls[q.src_uri]: q.number for q in questions}
    sections = [
        {
            "number": q.number,
            "title": q.title,
            "anchor": anchor(q.number),
            "body": rebase(contents.get(q.src_uri) or "", urls[q.src_uri], print_url, q.number, by_url),
        }
        for q in questions
    ]
    return fragments.render("print-edition", questions=sections)
