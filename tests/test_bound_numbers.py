"""Bound numbers: a page's `{{name = 0.457}}` must be its notebook's value, or the build stops and says where."""

from __future__ import annotations

import bound_numbers
import pytest


@pytest.mark.parametrize(
    ("value", "literal", "agrees"),
    [
        (0.64537, "0.6454", True),
        (0.64537, "0.6453", False),  # one unit in the last digit
        (0.64537, "0.645", True),  # the page may show fewer digits
        (0.6456, "0.645", False),
        (0.6454, "0.645", True),
        (1249.6, "1,250", True),
        (1249.6, "1250", True),
        (1249.6, "1,249", False),
        (-0.00004, "0.000", True),  # no "-0.000"
        (-0.031, "-0.031", True),
        (0.031, "-0.031", False),
        (12.0, "12", True),
        (float("nan"), "0", False),
    ],
)
def test_agrees_rounds_to_the_digits_the_page_shows(value: float, literal: str, agrees: bool) -> None:
    assert bound_numbers.agrees(value, literal) is agrees


def test_bindings_render_as_their_literal_and_keep_columns() -> None:
    text = r"Area {{ap = 0.6454}}, $\sigma^2 = {{noise_var = 0.25}}$ and {{rows = 1,250}} rows."
    assert bound_numbers.render(text) == r"Area 0.6454, $\sigma^2 = 0.25$ and 1,250 rows."
    padded = bound_numbers.render(text, keep_columns=True)
    assert len(padded) == len(text) and padded.index("rows.") == text.index("rows.")
    assert [b.name for b in bound_numbers.bindings(text)] == ["ap", "noise_var", "rows"]


@pytest.mark.parametrize("span", ["{{AP = 1}}", "{{ap = 1.2.3}}", "{{ap: 0.5}}", "{{ap}}", "{{ = 0.5}}"])
def test_malformed_bindings_are_found(span: str) -> None:
    assert bound_numbers.malformed(f"Text {span} more.") == [(5, span)]


def test_plain_numbers_skip_bound_ones_years_references_and_formula_structure() -> None:
    text = (
        "We drew 500 sets (Belkin et al., 2019), see step 3 and Section 7.10, with {{n = 20}} points;\n"
        r"$\sum_{i=1}^{n} x_i^2 = 4.5$ and `max_depth=3` and [link](a/b2.md) gave 0.183 in L1 and 10 %."
    )
    assert [number for _, number in bound_numbers.plain_numbers(text)] == ["500", "4.5", "0.183", "10"]


