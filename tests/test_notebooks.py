"""The notebook executor: cache, failures, timeouts and byte-identical outputs, on tiny notebooks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import execute_notebooks as ex
from conftest import ROOT, copy_repo

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A tiny notebook $x^2$

# %%
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A notebooks folder with the real helper module and a requirements file."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "handbook_nb.py", tmp_path / "notebooks" / "handbook_nb.py")
    (tmp_path / "requirements.txt").write_text("numpy==1\n")
    return tmp_path


def write(ws: Path, name: str, code: str) -> Path:
    path = ws / "notebooks" / f"{name}.py"
    path.write_text(HEADER + code.strip() + "\n", encoding="utf-8")
    return path


def run(ws: Path, *paths: Path, timeout: int = 60) -> list[ex.Result]:
    return ex.execute_all(
        list(paths),
        out_dir=ws / "build" / "notebooks",
        fig_dir=ws / "build" / "figures",
        timeout=timeout,
        requirements=ws / "requirements.txt",
    )


PLOT = """
import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import check_close, save_figure

rng = np.random.default_rng(0)
x = rng.normal(size=50)
check_close(x.mean(), x.sum() / 50, "the mean is the sum over n")
fig, ax = plt.subplots()
_ = ax.plot(np.sort(x))
save_figure(fig, "sorted")
"""


class TestCache:
    def test_second_run_executes_nothing(self, workspace: Path) -> None:
        """A second run with nothing changed is a cache hit."""
        nb = write(workspace, "q01_demo", PLOT)
        first, second = run(workspace, nb), run(workspace, nb)
        assert [r.cached for r in first] == [False] and [r.cached for r in second] == [True]
        assert "1 cached" in ex.report(second)

    def test_code_change_misses(self, workspace: Path) -> None:
        """Editing a code cell re-executes the notebook, and the new output replaces the old."""
        nb = write(workspace, "q01_demo", "print(1 + 1)")
        run(workspace, nb)
        write(workspace, "q01_demo", "print(2 + 2)")
        result = run(workspace, nb)[0]
        assert not result.cached
        out = nbformat.read(workspace / "build" / "notebooks" / "q01_demo.ipynb", as_version=4)
        assert out.cells[1].outputs[0].text == "4\n"

    def test_prose_change_hits_but_updates_the_text(self, workspace: Path) -> None:
        """Editing only Markdown reuses the outputs, yet the page shows the new prose."""
        nb = write(workspace, "q01_demo", "print(1 + 1)")
        run(workspace, nb)
        nb.write_text(nb.read_text().replace("A tiny notebook", "A renamed notebook"))
        assert run(workspace, nb)[0].cached
        out = nbformat.read(workspace / "build" / "notebooks" / "q01_demo.ipynb", as_version=4)
        assert "A renamed notebook" in out.cells[0].source and out.cells[1].outputs[0].text == "2\n"

    def test_requirements_change_misses(self, workspace: Path) -> None:
        """Changing a pinned requirement re-executes every notebook."""
        nb = write(workspace, "q01_demo", "print(1)")
        run(workspace, nb)
        (workspace / "requirements.txt").write_text("numpy==2\n")
        assert not run(workspace, nb)[0].cached

    def test_helper_module_change_misses(self, workspace: Path) -> None:
        """Changing a local module the notebook imports re-executes it."""
        nb = write(workspace, "q01_demo", PLOT)
        run(workspace, nb)
        helper = workspace / "notebooks" / "handbook_nb.py"
        helper.write_text(helper.read_text() + "\n# changed\n")
        assert not run(workspace, nb)[0].cached

    def test_failed_run_is_never_cached(self, workspace: Path) -> None:
        """After a failure, the old outputs are not served as if they were current."""
        nb = write(workspace, "q01_demo", "print(1)")
        run(workspace, nb)
        write(workspace, "q01_demo", "raise ValueError('boom')")
        assert run(workspace, nb)[0].error
        write(workspace, "q01_demo", "print(1)")  # back to the cached code: a hit is correct
        assert run(workspace, nb)[0].cached
        write(workspace, "q01_demo", "raise ValueError('boom')")
        assert run(workspace, nb)[0].error, "a failing notebook must fail every time, never hit the cache"


class TestFailures:
    def test_exception_names_notebook_cell_and_line(self, workspace: Path) -> None:
        """A raising cell fails with the notebook, the cell number, the source line and the error."""
        nb = write(workspace, "q02_fail", "x = 1\n\n# %%\ny = 2\nz = 1 / 0\n")
        result = run(workspace, nb)[0]
        lines = nb.read_text().splitlines()
        bad_line = lines.index("z = 1 / 0") + 1
        assert result.error == f"{nb}:{bad_line}: cell 3: ZeroDivisionError: division by zero".replace(
            str(nb), ex.rel(nb)
        )
        assert not (workspace / "build" / "notebooks" / "q02_fail.ipynb").exists(), "a failure must publish nothing"

    def test_check_failure_fails_the_notebook(self, workspace: Path) -> None:
        """A page claim that does not hold fails the run and quotes the claim."""
        nb = write(
            workspace, "q03_claim", "from handbook_nb import check_close\ncheck_close(0.5, 0.25, 'half is a quarter')"
        )
        result = run(workspace, nb)[0]
        assert "AssertionError" in result.error and "half is a quarter" in result.error

    def test_timeout_stops_a_hanging_cell(self, workspace: Path) -> None:
        """A cell that never ends is stopped by the per-cell timeout and named."""
        nb = write(workspace, "q04_hang", "import time\nwhile True:\n    time.sleep(0.1)")
        result = run(workspace, nb, timeout=3)[0]
        assert result.error and "q04_hang.py" in result.error and "cell 2" in result.error
        assert "timeout" in result.error
        assert result.seconds < 60

    def test_stderr_output_is_refused(self, workspace: Path) -> None:
        """A warning printed to stderr fails the notebook instead of being published."""
        nb = write(workspace, "q05_warn", "import warnings\nwarnings.warn('careful')")
        result = run(workspace, nb)[0]
        assert result.error and "stderr" in result.error and "careful" in result.error

    def test_cli_exit_status(self, tmp_path: Path) -> None:
        """The command exits 1 when a notebook fails, and prints which notebook and cell."""
        repo = copy_repo(tmp_path / "repo")
        write(repo, "q99_bad", "raise RuntimeError('nope')")
        run_cli = subprocess.run(
            [sys.executable, "scripts/execute_notebooks.py", "q99_bad"], cwd=repo, capture_output=True, text=True
        )
        assert run_cli.returncode == 1
        assert "notebooks/q99_bad.py:" in run_cli.stderr and "RuntimeError: nope" in run_cli.stderr
        assert "FAILED" in run_cli.stdout


def test_two_executions_are_byte_identical(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Executing the same notebook twice gives identical .ipynb and figure bytes."""
    nb = write(workspace, "q07_plot", PLOT)
    outputs = []
    for _ in range(2):
        shutil.rmtree(workspace / "build", ignore_errors=True)
        assert run(workspace, nb)[0].error is None
        outputs.append(
            (
                (workspace / "build" / "notebooks" / "q07_plot.ipynb").read_bytes(),
                (workspace / "build" / "figures" / "q07_plot" / "sorted.svg").read_bytes(),
            )
        )
    assert outputs[0] == outputs[1]
    assert b"<svg" in outputs[0][1] and b"image/svg+xml" in outputs[0][0]


def test_notebooks_run_in_their_own_folder(workspace: Path) -> None:
    """A notebook reads files next to it: it runs in its own folder."""
    (workspace / "notebooks" / "data.txt").write_text("42")
    nb = write(workspace, "q08_cwd", "print(open('data.txt').read())")
    assert run(workspace, nb)[0].error is None


def test_real_notebooks_are_sources_without_outputs() -> None:
    """Committed notebooks are percent-format scripts, so no output can be committed."""
    sources = sorted((ROOT / "notebooks").glob("q*.py"))
    assert sources
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "# %%" in text, f"{path.name} is not in jupytext percent format"
    assert not list((ROOT / "notebooks").glob("*.ipynb")), "executed notebooks belong in build/, not notebooks/"


def test_figures_round_geometry_but_never_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """save_figure keeps two decimals of a point in coordinates (a quarter lighter) and leaves text as written."""
    sys.path.insert(0, str(ROOT / "notebooks"))
    import handbook_nb

    monkeypatch.setattr(handbook_nb, "FIGURES_DIR", tmp_path)
    fig, ax = handbook_nb.plt.subplots()
    ax.plot([0.123456, 1.987654], [2.5, 3.333333])
    ax.set_title("rate 0.123456")
    handbook_nb.save_figure(fig, "rounded")
    svg = (tmp_path / "rounded.svg").read_text(encoding="utf-8")
    assert "rate 0.123456" in svg
    geometry = re.findall(r'\s(?:d|x|y|transform|width|height)="([^"]*)"', svg)
    assert len(geometry) > 20 and not any(re.search(r"\d\.\d{3}", value) for value in geometry)
    for path in sorted((ROOT / "build" / "figures").rglob("*.svg")):  # every published figure went through it
        assert not re.search(r'\sd="[^"]*\d\.\d{3}', path.read_text(encoding="utf-8")), path


def _copied_numbers(path: Path, page_numbers: set[float]) -> list[str]:
    """`check_close(x, 0.457, ...)` or `check(abs(x - 0.457) < 1e-3, ...)` where the page prints 0.457: a claim
    checked against a copy of the page's own number, which is how page and notebook drift apart unseen.
    Decimals of three or more significant digits count; a number taken from a publication may be typed in
    if the call says so with `# source: ...`."""
    import ast
    from decimal import Decimal

    def copied(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value:
            digits = len(Decimal(repr(abs(node.value))).normalize().as_tuple().digits)
            return digits >= 3 and abs(node.value) in page_numbers
        if isinstance(node, ast.Call):  # a constant inside a computation (np.sin(2.025)) is an input, not a claim
            is_abs = isinstance(node.func, ast.Name) and node.func.id == "abs"
            return is_abs and any(map(copied, node.args))
        return any(map(copied, ast.iter_child_nodes(node)))

    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for call in ast.walk(ast.parse(text)):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
            continue
        claimed = {"check_close": 1, "check": 0}.get(call.func.id)  # the argument that holds the page's claim
        if claimed is None or len(call.args) <= claimed or not copied(call.args[claimed]):
            continue
        if not any("# source:" in line for line in lines[call.lineno - 1 : call.end_lineno]):
            found.append(f"{path.name}:{call.lineno}")
    return found


def _page_numbers(stem: str) -> set[float]:
    """Every decimal written on the question pages that name notebook `stem`."""
    from handbook.catalog import load_catalog

    text = "".join(q.source.body for q in load_catalog().checked_by(stem))
    return {float(n) for n in re.findall(r"\d+\.\d+", text)}


def test_checks_compare_with_a_route_not_a_copy_of_the_page() -> None:
    """No notebook checks a result against a typed-in copy of a number its page prints: the page's number is
    bound to the notebook's value (bind), and a check compares it with an independent computation."""
    copied = [
        hit
        for path in sorted((ROOT / "notebooks").glob("q*.py"))
        for hit in _copied_numbers(path, _page_numbers(path.stem))
    ]
    assert not copied, "checks against a copy of the page's number (compute it independently): " + ", ".join(copied)


def test_the_copied_number_lint_catches_copies(tmp_path: Path) -> None:
    """The lint above flags a typed-in page number and passes a computed one (so it can fail)."""
    path = tmp_path / "q00_demo.py"
    path.write_text(
        "check_close(auc, 0.457, 'AUC')\ncheck(abs(x - 0.6454) < 1e-3, 'AP')\n"
        "check_close(auc, roc_auc_score(y, s), 'AUC')\ncheck_close(bias, 0.0, 'unbiased', atol=0.01)\n"
        "check_close(best, np.sin(2.025) + 1.0, 'peak')\ncheck(gap < 1e-12, 'exact')\n"
        "check_close(r, 0.816, 'Anscombe')  # source: Anscombe (1973), Table 1\n",
        encoding="utf-8",
    )
    on_page = {0.457, 0.6454, 2.025, 0.816, 1.05}
    assert _copied_numbers(path, on_page) == ["q00_demo.py:1", "q00_demo.py:2"]
    assert _copied_numbers(path, set()) == []  # a threshold the page does not print is no copy


def test_a_notebook_that_writes_into_the_site_or_leaves_a_process_fails(workspace: Path) -> None:
    """A notebook may write only its outputs: one that appends to a script of the site fails the run, naming the
    file, and a process it started in the background ends with its kernel. Writes in its working folder are
    thrown away."""
    import time

    site_script = workspace / "docs" / "javascripts" / "accessibility.js"
    site_script.parent.mkdir(parents=True)
    site_script.write_text("// the site's own script\n")
    marker = workspace / "build" / "alive.txt"  # build/ is the notebooks' own: the stamps are no finding
    marker.parent.mkdir(parents=True, exist_ok=True)
    beat = workspace / "build" / "beat.py"  # a background process that stamps a file twice a second for half a minute
    beat.write_text(
        f"import time\nfor i in range(60):\n    open({str(marker)!r}, 'w').write(str(i))\n    time.sleep(0.5)\n"
    )
    code = (
        "import subprocess, sys\n"
        "open('scratch.txt', 'w').write('thrown away')\n"
        f"open({str(site_script)!r}, 'a').write('alert(1)')\n"
        f"subprocess.Popen([sys.executable, {str(beat)!r}])\n"
    )
    nb = write(workspace, "q07_escape", code)
    results = run(workspace, nb)
    errors = [r.error for r in results if r.error]
    assert errors and "changed docs/javascripts/accessibility.js" in errors[0] and "q07_escape" in errors[0], errors
    assert not (workspace / "notebooks" / "scratch.txt").exists()
    time.sleep(1.5)
    stamp = marker.read_text() if marker.exists() else ""
    time.sleep(1.5)
    assert (marker.read_text() if marker.exists() else "") == stamp, "the notebook's background process outlived it"
