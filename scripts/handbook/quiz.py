"""Quiz mode's part of a question page: the answer in one element it can hide, hidden before the first paint."""

from __future__ import annotations

import re

from handbook.contract import NAMES, STORAGE_KEY
from handbook.fragments import Fragments

META_LINE = re.compile(rf'<p class="{NAMES["meta"]}">.*?</p>\n?', re.S)


def with_answer_wrapped(content: str, fragments: Fragments) -> str | None:
    """The content with all below the meta line wrapped in the answer element; None if it has no meta line."""
    meta = META_LINE.search(content)
    if meta is None:
        return None
    return content[: meta.end()] + fragments.render("study-answer", answer=content[meta.end() :])


def with_quiz_head(output: str, fragments: Fragments) -> str:
    """The page with the script that hides the answer in quiz mode at the end of its <head>."""
    return output.replace("</head>", fragments.render("quiz-head", storage_key=STORAGE_KEY) + "</head>", 1)
