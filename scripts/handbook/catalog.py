"""The question catalog: what every job and the validator know about the questions, read once per build.

Built from the question pages MkDocs found (`from_files`) or, when the validator runs alone, from
docs/questions/ (`load`). Nothing else reads the question sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook import DOCS, Source, read_page
from handbook.bound_numbers import render as render_bound

# A figure a question page embeds from its notebook: ![alt](../figures/<notebook>/<name>.svg)
EMBEDDED_FIGURE = re.compile(r"!\[([^\]]+)\]\(\.\./figures/(\w+)/([\w-]+)\.svg\)")
QUESTIONS_DIR = "questions/"


@dataclass(frozen=True)
class Figure:
    notebook: str
    name: str
    alt: str  # as the question page shows it: bound numbers rendered


@dataclass(frozen=True)
class Question:
    number: int
    title: str
    src_uri: str  # e.g. "questions/naive-bayes.md", as MkDocs names the page
    tags: tuple[str, ...]
    difficulty: str
    related: tuple[int, ...]
    notebook: str | None
    figures: tuple[Figure, ...]
    origin: str  # "original" (the 2017 list) or "added"
    source: Source

    @property
    def meta(self) -> dict[str, Any]:
        return self.source.meta


@dataclass(frozen=True)
class Catalog:
    """The questions in number order."""

    questions: tuple[Question, ...]

    @classmethod
    def from_sources(cls, sources: Iterable[Source]) -> Catalog:
        questions = [q for q in map(_question, sources) if q is not None]
        return cls(tuple(sorted(questions, key=lambda q: q.number)))

    @classmethod
    def from_files(cls, files: Iterable[Any]) -> Catalog:
        """From MkDocs' Files: its question pages, read from where MkDocs found them."""
        return cls.from_sources(
            read_page(Path(f.abs_src_path))
            for f in files
            if f.src_uri.startswith(QUESTIONS_DIR) and f.src_uri.endswith(".md") and f.abs_src_path
        )

    def by_number(self) -> dict[int, Question]:
        return {q.number: q for q in self.questions}

    def by_src_uri(self) -> dict[str, Question]:
        return {q.src_uri: q for q in self.questions}

    def checked_by(self, notebook: str) -> list[Question]:
        """The questions whose numbers the notebook checks."""
        return [q for q in self.questions if q.notebook == notebook]

    def alt_texts(self) -> dict[tuple[str, str], str]:
        """(notebook, figure name) -> the alt text the question page embedding the figure gives it."""
        return {(f.notebook, f.name): f.alt for q in self.questions for f in q.figures}


def load_catalog(root: Path = DOCS) -> Catalog:
    """The catalog of the question pages under `root`/questions (the validator, run alone)."""
    return Catalog.from_sources(read_page(p) for p in sorted((root / "questions").glob("*.md")))


def _question(source: Source) -> Question | None:
    """The page's catalog entry; None for a page without an integer number (the validator reports it)."""
    meta = source.meta
    number = meta.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        return None
    notebook = meta.get("notebook")
    return Question(
        number=number,
        title=str(meta.get("title", source.path.stem)),
        src_uri=QUESTIONS_DIR + source.path.name,
        tags=tuple(str(t) for t in meta.get("tags") or [] if isinstance(t, str)),
        difficulty=str(meta.get("difficulty", "")),
        related=tuple(n for n in meta.get("related") or [] if isinstance(n, int)),
        notebook=notebook if isinstance(notebook, str) else None,
        figures=tuple(
            Figure(stem, name, render_bound(alt)) for alt, stem, name in EMBEDDED_FIGURE.findall(source.body)
        ),
        origin=str(meta.get("origin", "original")),
        source=source,
    )
