"""The names the build shares with the site's JavaScript and CSS, each written here once.

The jobs write them into pages (through the fragments in overrides/partials/handbook/), and
`study_data.names()` hands them to the scripts in `window.handbookStudy.names`, so that
docs/javascripts/study*.js look elements up by these values rather than by literals of their own.
The stylesheets (docs/stylesheets/study.css, extra.css) style the same class names; tests/test_contract.py
checks that every name here is used where it is promised.
"""

from __future__ import annotations

STORAGE_KEY = "ml-interview-handbook.study"  # the one localStorage entry of study-store.js

# Generated scripts, by their URL in the site.
STUDY_DATA = "javascripts/study-data.js"
STUDY_CARDS = "javascripts/study-cards.js"
TS_FSRS = "assets/javascripts/ts-fsrs.js"

# Markers that pages put where the build inserts generated content.
TABLE_MARKER = "<!-- all-questions-table -->"
GALLERY_MARKER = "<!-- notebooks-table -->"
PRINT_MARKER = "<!-- print-edition -->"
ORIGINS_MARKER = "<!-- question-origins -->"

# Class names, ids and data attributes of the HTML the jobs write and the scripts read.
NAMES = {
    "meta": "question-meta",  # the line under a question's title: number, difficulty, notebook link
    "answer": "study-answer",  # id and class of the element that wraps a question's answer (quiz mode hides it)
    "math": "arithmatex",  # pymdownx.arithmatex's class on every formula, which MathJax typesets
    "printQuestion": "print-question",  # one question's section on the print page
    "questionAttr": "data-question",  # the question number, on the All questions table's number cell
}

# The study pages the scripts recognise, by their source.
STUDY_PAGES = {"all": "all-questions.md", "print": "print.md", "review": "review.md", "mock": "mock-interview.md"}
# Downloads that pages link as `study:deck` and `study:offline`.
LINK_SCHEME = "study:"
DOWNLOADS = {"deck": "downloads/ml-interview-handbook.apkg", "offline": "downloads/ml-interview-handbook-offline.zip"}


def notebook_stem(src_uri: str) -> str | None:
    """The notebook's name if `src_uri` is an executed notebook's page (notebooks/qNN_x.ipynb), else None."""
    if src_uri.startswith("notebooks/") and src_uri.endswith(".ipynb"):
        return src_uri.removeprefix("notebooks/").removesuffix(".ipynb")
    return None
