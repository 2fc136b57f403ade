"""What axe-core (tests/test_budgets.py) asks of the theme's markup.

- Material's search dialog and page-loading progress bar get the accessible names they lack.
- Regions that scroll sideways, wide display formulas (on their pages and on the print page) and notebook
  code, can be focused, so that a keyboard can scroll them.
The colours and underlines it asks for are in docs/stylesheets/accessibility.css, and the tables
Material wraps in a scrolling box at run time are made focusable by docs/javascripts/accessibility.js.
"""

from __future__ import annotations

from handbook.contract import NAMES

# (what Material, arithmatex or nbconvert writes, what it becomes)
FIXES = (
    ('<div class="md-search" data-md-component="search" role="dialog">', 'aria-label="Search"'),
    ('<div class="md-progress" data-md-component="progress" role="progressbar">', 'aria-label="Loading the page"'),
    (f'<div class="{NAMES["math"]}">', 'tabindex="0"'),
    ('<div class="highlight-ipynb hl-python">', 'tabindex="0"'),
)


def with_fixes(output: str) -> str:
    for tag, attribute in FIXES:
        output = output.replace(tag, f"{tag[:-1]} {attribute}>")
    return output
