"""What the browser tests share: the browser itself (scripts/harness.py), and waiting for a page's formulas."""

from __future__ import annotations

from playwright.sync_api import Page

from harness import OffsiteGuard as OffsiteGuard
from harness import chromium as chromium

# Set on <html> by docs/javascripts/math.js once a page's formulas (rendered by the build) are ready.
MATH_DONE = "document.documentElement.dataset.mathjax === 'done'"


def load(tab: Page, url: str) -> None:
    """Open a page and wait for its formulas."""
    tab.goto(url)
    tab.wait_for_function(MATH_DONE, timeout=30_000)


def press(tab: Page, selector: str, key: str = "Enter") -> None:
    """Focus a control and operate it with the keyboard, as a reader without a mouse does."""
    tab.focus(selector)
    tab.keyboard.press(key)
