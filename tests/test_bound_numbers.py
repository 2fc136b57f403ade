"""Bound numbers: a page's `{{name = 0.457}}` must be its notebook's value, or the build stops and says where."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, fixture_repo, mkdocs_build
from handbook import bound_numbers, read_page


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
    # A formula that ends with a binding is still a formula: its other numbers stay structure.
    assert bound_numbers.plain_numbers(r"Here $\frac{1}{2} = {{half = 0.5}}$ holds.") == []


FIXTURE_PAGE = "docs/questions/alpha.md"  # the fixture site's page with a notebook (tests/fixtures/tiny)
FIXTURE_PLAIN = "docs/questions/beta.md"  # and its page without one


def _first_binding(repo: Path) -> tuple[Path, dict, bound_numbers.Binding, int]:
    """The fixture page's first bound number: (page, front matter, binding, its line in the file)."""
    page = read_page(repo / FIXTURE_PAGE)
    found = bound_numbers.bindings(page.body)
    line = page.body_line + page.body[: found[0].start].count("\n")
    return page.path, page.meta, found[0], line


def _bumped(literal: str) -> str:
    """The literal with its last digit moved by one unit."""
    last = int(literal[-1])
    return literal[:-1] + str(last + 1 if last < 9 else last - 1)


def test_a_page_number_off_by_one_digit_fails_the_build(tmp_path: Path) -> None:
    """Editing a bound number on a page by one unit in its last digit stops the build at that line."""
    repo = fixture_repo(tmp_path / "repo")
    page, _, binding, line = _first_binding(repo)
    text = page.read_text(encoding="utf-8")
    span = text.index(f"{{{{{binding.name}", text.index("---", 3))
    wrong = _bumped(binding.literal)
    page.write_text(text[:span] + f"{{{{{binding.name} = {wrong}}}}}" + text[span:].split("}}", 1)[1], "utf-8")
    result = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    message = next(m for m in result.stderr.splitlines() if "N001" in m)
    assert f"{FIXTURE_PAGE}:{line}:" in message and wrong in message and binding.literal in message, message


def test_a_notebook_whose_value_moves_fails_the_build(tmp_path: Path) -> None:
    """A notebook that binds a different value than the page quotes stops the build at the page's line."""
    repo = fixture_repo(tmp_path / "repo")
    _, meta, binding, line = _first_binding(repo)
    notebook = repo / "notebooks" / f"{meta['notebook']}.py"
    decimals = len(binding.literal.split(".")[1]) if "." in binding.literal else 0
    moved = float(binding.literal.replace(",", "")) + 7 * 10**-decimals
    notebook.write_text(
        notebook.read_text(encoding="utf-8")
        + f"\n# %%\nimport handbook_nb\n\nhandbook_nb._bound.clear()\nhandbook_nb.bind({binding.name!r}, {moved!r})\n",
        encoding="utf-8",
    )
    result = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    message = next(m for m in result.stderr.splitlines() if "N001" in m)
    assert f"{FIXTURE_PAGE}:{line}:" in message and binding.literal in message
    assert bound_numbers.shown(moved, binding.literal) in message, message


def test_a_claim_no_notebook_makes_fails_the_build(tmp_path: Path) -> None:
    """A bound name that the page's notebook never binds stops the build at its line; so does one on a page
    with no notebook."""
    repo = fixture_repo(tmp_path / "repo")
    page = repo / FIXTURE_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\nAn extra {{no_such_claim = 1.5}} here.\n", "utf-8")
    lines = page.read_text(encoding="utf-8").count("\n")
    other = repo / FIXTURE_PLAIN
    other.write_text(other.read_text(encoding="utf-8") + "\nA {{orphan = 2}} number.\n", "utf-8")
    result = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert re.search(rf"{FIXTURE_PAGE}:{lines}:\d+: N002 'no_such_claim'", result.stderr), result.stderr
    assert re.search(rf"{FIXTURE_PLAIN}:\d+:\d+: N003 bound number 'orphan'", result.stderr)


def test_every_example_number_on_pages_with_a_notebook_is_bound() -> None:
    """The validator's count: no plain number left in an Example section, and bound numbers exist."""
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "scripts/validate.py", "--stats"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    counts = re.search(r"(\d+) bound, (\d+) plain literals \((\d+) of them in Example sections\)", result.stderr)
    assert counts, result.stderr
    bound, _, in_example = map(int, counts.groups())
    assert bound > 0 and in_example == 0, result.stderr


def test_the_validator_alone_reports_a_notebook_run_older_than_its_code(tmp_path: Path) -> None:
    """Run alone (not in a build, which executes first), the validator says when a page's numbers would be compared
    with a notebook run that its code has since changed; a prose edit of the notebook keeps the run current."""
    repo = fixture_repo(tmp_path / "repo")
    _, meta, _, line = _first_binding(repo)
    python = str(ROOT / ".venv" / "bin" / "python")
    ran = subprocess.run([python, "scripts/execute_notebooks.py"], cwd=repo, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    notebook = repo / "notebooks" / f"{meta['notebook']}.py"
    source = notebook.read_text(encoding="utf-8")

    def validate() -> str:
        command = [python, "scripts/validate.py", FIXTURE_PAGE]
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False).stdout

    notebook.write_text(source + "\n# %% [markdown]\n# One more sentence of prose.\n", encoding="utf-8")
    assert "N006" not in validate()
    notebook.write_text(source + "\n# %%\nunused = 1\n", encoding="utf-8")
    assert re.search(rf"{FIXTURE_PAGE}:{line}:\d+: N006 .* is older than the code of", validate())
