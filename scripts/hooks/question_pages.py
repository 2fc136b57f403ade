"""MkDocs hook: what every question page shows from its front matter.

On the All questions page: the table of every question in seed order.
Under each question's title: the seed number, the difficulty badge and a link to the executed
notebook. Before the references: the "Related questions" section, built from
`related:` so that a renamed page never leaves a stale link behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import bound_numbers
from handbook import question_pages

TABLE_MARKER = "<!-- all-questions-table -->"
_titles: dict[int, tuple[str, str]] = {}  # number -> (file name, title)
_table = ""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _table
    _titles.clear()
    rows = ["| # | Question | Tags | Difficulty |", "|---:|---|---|---|"]
    for page in question_pages():
        number = page.meta.get("number")
        if isinstance(number, int):
            _titles[number] = (page.path.name, str(page.meta.get("title", page.path.stem)))
            tags = ", ".join(f"`{t}`" for t in page.meta.get("tags") or [])
            difficulty = page.meta.get("difficulty", "")
            link = f"[{_titles[number][1]}](questions/{page.path.name})"
            rows.append(f'| {number} | {link} | {tags} | <span class="badge badge--{difficulty}">{difficulty}</span> |')
    _table = "\n".join(rows) + "\n"
    return files


def related_section(numbers: list[int]) -> str:
    """Markdown for the Related questions section; links are relative to docs/questions/."""
    items = [f"- [Q{n}. {_titles[n][1]}]({_titles[n][0]})" for n in numbers if n in _titles]
    return "## Related questions\n\n" + "\n".join(items) + "\n\n" if items else ""


def meta_line(meta: dict) -> str:
    """The number, difficulty badge and notebook link shown under the title."""
    difficulty = str(meta.get("difficulty", ""))
    parts = [f'<span class="question-number">Question {meta["number"]}</span>'] if meta["number"] else []
    if difficulty:
        parts.append(f'<span class="badge badge--{difficulty}" title="Difficulty">{difficulty}</span>')
    if meta.get("notebook"):
        parts.append(f"[Executed notebook](../notebooks/{meta['notebook']}.ipynb)")
    # md_in_html turns the Markdown link into a real one that MkDocs checks and rewrites.
    return '<p class="question-meta" markdown>' + " ".join(parts) + "</p>\n\n"


def with_question_parts(markdown: str, meta: dict) -> str:
    """The page's Markdown with its meta line on top and its related questions before the references."""
    related = related_section(list(meta.get("related") or []))
    marker = "\n## References"
    if related and marker in markdown:
        head, tail = markdown.split(marker, 1)
        markdown = f"{head.rstrip()}\n\n{related}{marker.lstrip()}{tail}"
    elif related:
        markdown = f"{markdown.rstrip()}\n\n{related}"
    return meta_line(meta) + markdown


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # `{{name = 0.457}}` shows as 0.457; the validator has already checked it against the notebook.
    markdown = bound_numbers.render(markdown)
    if TABLE_MARKER in markdown:
        return markdown.replace(TABLE_MARKER, _table)
    if not page.file.src_uri.startswith("questions/") or "number" not in page.meta:
        return markdown
    return with_question_parts(markdown, page.meta)
