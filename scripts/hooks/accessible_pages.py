"""MkDocs hook: what axe-core (tests/test_budgets.py) asks of the theme's markup.

- Material's search dialog and page-loading progress bar get the accessible names they lack.
- Regions that scroll sideways, wide display formulas and notebook code, can be focused, so
  that a keyboard can scroll them.
The colours and underlines it asks for are in docs/stylesheets/accessibility.css, and the tables
Material wraps in a scrolling box at run time are made focusable by docs/javascripts/accessibility.js.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

# (what Material or nbconvert writes, what it becomes)
FIXES = (
    ('<div class="md-search" data-md-component="search" role="dialog">', 'aria-label="Search"'),
    ('<div class="md-progress" data-md-component="progress" role="progressbar">', 'aria-label="Loading the page"'),
    ('<div class="arithmatex">', 'tabindex="0"'),
    ('<div class="highlight-ipynb hl-python">', 'tabindex="0"'),
)


def with_fixes(output: str) -> str:
    for tag, attribute in FIXES:
        output = output.replace(tag, f"{tag[:-1]} {attribute}>")
    return output


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return with_fixes(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The theme's pages that are no Markdown page, such as 404.html."""
    return with_fixes(output_content) if template_name.endswith(".html") else output_content
