"""Checks of bound numbers: each `{{name = 0.457}}` on a page agrees with the value its notebook bound."""

from __future__ import annotations

from dataclasses import dataclass

import execute_notebooks
from checks.core import Checker, Document, line_col
from handbook import BUILD_NOTEBOOKS, NOTEBOOKS, bound_numbers, rel


@dataclass
class BoundCount:
    """How many numbers of a page with a notebook are bound, and how many are plain literals."""

    page: str
    bound: int
    plain: int
    plain_in_example: int


class BoundChecks(Checker):
    bound_counts: list[BoundCount]
    bound_values: dict[str, dict[str, float] | None]  # notebook -> its bound values, None when its run is stale

    def notebook_values(self, notebook: str) -> dict[str, float] | None:
        """The values a notebook's current run bound, read once per validation (pages share notebooks)."""
        if notebook not in self.bound_values:
            current = execute_notebooks.is_current(NOTEBOOKS / f"{notebook}.py")
            executed = BUILD_NOTEBOOKS / f"{notebook}.ipynb"
            self.bound_values[notebook] = bound_numbers.notebook_values(executed) if current else None
        return self.bound_values[notebook]

    def check_bound_numbers(self, doc: Document) -> None:
        if doc.path.suffix != ".md":
            return
        text = doc.raw or doc.text
        for offset, span in bound_numbers.malformed(text):
            line, col = line_col(doc, offset)
            self.add(
                doc.path,
                line,
                col,
                "N004",
                f"{span!r} is not a bound number: write {{{{name = 0.457}}}} (name in a-z0-9_)",
            )
        found = bound_numbers.bindings(text)
        notebook = doc.meta.get("notebook")
        if not isinstance(notebook, str):
            for binding in found:
                line, col = line_col(doc, binding.start)
                self.add(doc.path, line, col, "N003", f"bound number {binding.name!r}: the page names no `notebook:`")
            return
        plain = bound_numbers.plain_numbers(text)
        example = bound_numbers.section_span(text, "Example")
        in_example = [(o, n) for o, n in plain if example and example[0] <= o < example[1]]
        self.bound_counts.append(BoundCount(rel(doc.path), len(found), len(plain), len(in_example)))
        for offset, number in in_example:
            line, col = line_col(doc, offset)
            self.add(
                doc.path,
                line,
                col,
                "N005",
                f"{number} in the Example section is not bound: bind it in notebooks/{notebook}.py and write "
                f"{{{{name = {number}}}}}",
            )
        if not found:
            return
        executed = BUILD_NOTEBOOKS / f"{notebook}.ipynb"
        values = self.notebook_values(notebook)
        if values is None:
            line, col = line_col(doc, found[0].start)
            state = "is older than the code of" if executed.is_file() else "is missing for"
            self.add(
                doc.path,
                line,
                col,
                "N006",
                f"{rel(executed)} {state} notebooks/{notebook}.py, so its bound values may be stale: "
                "run `make notebooks`, then validate",
            )
            return
        for binding in found:
            line, col = line_col(doc, binding.start)
            if binding.name not in values:
                self.add(
                    doc.path,
                    line,
                    col,
                    "N002",
                    f"{binding.name!r} is bound by no cell of notebooks/{notebook}.py: add bind({binding.name!r}, "
                    f"value) or check_close(..., name={binding.name!r})",
                )
            elif not bound_numbers.agrees(values[binding.name], binding.literal):
                value = values[binding.name]
                self.add(
                    doc.path,
                    line,
                    col,
                    "N001",
                    f"{binding.name} is {binding.literal} on the page but {bound_numbers.shown(value, binding.literal)}"
                    f" in notebooks/{notebook}.py ({value!r}): write the notebook's value, or fix the notebook",
                )
