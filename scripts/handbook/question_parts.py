"""What every question page shows from the catalog: the meta line, the related questions, the All questions table."""

from __future__ import annotations

import html
import re

from handbook.catalog import Catalog, Question
from handbook.contract import NAMES
from handbook.fragments import Fragments
from handbook.template import GENERATED_SECTION, ORIGINS

# What Markdown (and its extensions here: tables, arithmatex, attr_list) would read as markup in a title.
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]|$])")


def text_in_markdown(text: str) -> str:
    """Plain text (a title) as Markdown that shows it as written: no tag, link, emphasis, formula or table cell break.

    The validator refuses HTML in a title (F010); this is what keeps one that got through from being markup.
    """
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))


def all_questions_table(catalog: Catalog) -> str:
    """The Markdown table of every question in number order; the number cell carries `data-question` for study.js."""
    rows = ["| # | Question | Tags | Difficulty | From |", "|---:|---|---|---|---|"]
    for q in catalog.questions:
        number = f'<span {NAMES["questionAttr"]}="{q.number}">{q.number}</span>'
        tags = ", ".join(f"`{t}`" for t in q.tags)
        level = html.escape(q.difficulty)
        difficulty = f'<span class="badge badge--{level}">{level}</span>'
        origin = text_in_markdown(ORIGINS.get(q.origin, q.origin))
        rows.append(f"| {number} | [{text_in_markdown(q.title)}]({q.src_uri}) | {tags} | {difficulty} | {origin} |")
    return "\n".join(rows) + "\n"


def related_section(catalog: Catalog, numbers: tuple[int, ...]) -> str:
    """Markdown for the Related questions section; links are relative to docs/questions/."""
    by_number = catalog.by_number()
    items = [
        f"- [Q{n}. {text_in_markdown(by_number[n].title)}]({by_number[n].src_uri.removeprefix('questions/')})"
        for n in numbers
        if n in by_number
    ]
    # Left out of the search index: its titles belong to the pages it links, where search finds them.
    heading = f"## {GENERATED_SECTION} {{ data-search-exclude }}"
    return f"{heading}\n\n" + "\n".join(items) + "\n\n" if items else ""


def origins_summary(catalog: Catalog) -> str:
    """The home page's sentence on where the questions come from, with the numbers of each."""
    original = [q.number for q in catalog.questions if q.origin == "original"]
    added = [q.number for q in catalog.questions if q.origin == "added"]
    if not added:
        return f"All {len(original)} questions come from the original list."
    return (
        f"{len(original)} questions (numbers {min(original)} to {max(original)}) answer the original 2017 list; "
        f"{len(added)} more (numbers {min(added)} to {max(added)}) were added in 2026 for what interviews ask now, "
        "and carry the badge *added in 2026*."
    )


def with_question_parts(markdown: str, question: Question, catalog: Catalog, fragments: Fragments) -> str:
    """The page's Markdown with its meta line on top and its related questions before the references."""
    related = related_section(catalog, question.related)
    marker = "\n## References"
    if related and marker in markdown:
        head, tail = markdown.split(marker, 1)
        markdown = f"{head.rstrip()}\n\n{related}{marker.lstrip()}{tail}"
    elif related:
        markdown = f"{markdown.rstrip()}\n\n{related}"
    meta = fragments.render(
        "question-meta",
        number=question.number,
        difficulty=question.difficulty,
        notebook=question.notebook,
        added=ORIGINS["added"] if question.origin == "added" else "",
    )
    return meta + markdown
