"""The question page template: its sections and difficulties (scripts/question_template.md shows them)."""

from __future__ import annotations

import re

# The sections an author writes, in the template's order. "Related questions" is not one of them:
# the build generates it from `related:` and puts it before the references.
SECTIONS = (
    "Short answer",
    "Explanation",
    "Derivation",
    "Example",
    "Common mistakes",
    "Follow-up questions",
    "References",
)
REQUIRED_SECTIONS = ("Short answer", "Explanation", "Common mistakes", "Follow-up questions", "References")
GENERATED_SECTION = "Related questions"
DIFFICULTIES = ("easy", "medium", "hard")
# Where a question comes from: the original 2017 list (numbers 0 to 41), or added since (`origin: added`).
ORIGINS = {"original": "original list", "added": "added in 2026"}


def section_html(content: str, title: str) -> str | None:
    """The rendered HTML of a page's `## <title>` section (up to the next H2), or None if it has none."""
    slug = "-".join(title.lower().split())  # what the toc extension makes of the template's headings
    match = re.search(rf'<h2 id="{slug}">.*?</h2>(.*?)(?=<h2[ >])', content, re.S)
    return match.group(1) if match else None
