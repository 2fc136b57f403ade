"""Execute the notebook sources in notebooks/ into build/, re-running only what changed.

Each `notebooks/qNN_name.py` (jupytext percent format) becomes
`build/notebooks/qNN_name.ipynb`, and the figures it saves land in
`build/figures/qNN_name/`. A notebook re-executes only when its code cells, the
pinned requirements or a local module it imports change; prose edits reuse the
cached outputs. A failure names the notebook, the cell and the source line, and
nothing of the failed run is published.

Usage: python scripts/execute_notebooks.py [NAME ...] [--force] [--jobs N] [--timeout S]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from handbook import (
    BUILD_FIGURES,
    BUILD_NOTEBOOKS,
    NOTEBOOKS,
    REQUIREMENTS,
    cell_line,
    rel,
    write_if_changed,
)
from handbook.settings import FIGURES_DIR, Settings

DEFAULT_TIMEOUT = 120  # seconds a cell may run; HANDBOOK_CELL_TIMEOUT changes it (handbook/settings.py)
# One BLAS thread per kernel: parallel kernels with default threads fight over the cores.
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
CACHE_FORMAT = "1"  # bump when the executor's output format changes


@dataclass
class Result:
    """What happened to one notebook."""

    name: str
    seconds: float
    cached: bool
    error: str | None = None


def sources(names: list[str] | None = None, root: Path = NOTEBOOKS) -> list[Path]:
    """Notebook sources: every `q*.py` in notebooks/, or the named ones."""
    found = sorted(root.glob("q*.py"))
    if not names:
        return found
    wanted = {n.removesuffix(".py") for n in names}
    unknown = wanted - {p.stem for p in found}
    if unknown:
        raise SystemExit(f"execute_notebooks: no notebook named {', '.join(sorted(unknown))} in {rel(root)}/")
    return [p for p in found if p.stem in wanted]


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The source as a notebook with stable cell ids (jupytext would make random ones)."""
    nb = jupytext.read(path, fmt="py:percent")  # named, not guessed: twice as fast
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def local_imports(code: str, root: Path) -> set[Path]:
    """The modules in `root` that this code imports, followed transitively."""
    found: set[Path] = set()
    pending = [code]
    while pending:
        try:
            tree = ast.parse(pending.pop())
        except SyntaxError:
            continue  # the kernel will report it, with its line
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                module = root / f"{name.split('.')[0]}.py"
                if module.is_file() and module not in found:
                    found.add(module)
                    pending.append(module.read_text(encoding="utf-8"))
    return found


def cache_key(nb: nbformat.NotebookNode, root: Path, requirements: Path = REQUIREMENTS) -> str:
    """Hash of what decides the outputs: code cells, kernel, requirements, local imports."""
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    h = hashlib.sha256(CACHE_FORMAT.encode())
    h.update(json.dumps(code).encode())
    h.update(json.dumps(nb.metadata.get("kernelspec", {}), sort_keys=True).encode())
    h.update(requirements.read_bytes() if requirements.is_file() else b"")
    for module in sorted(local_imports("\n".join(code), root)):
        h.update(module.name.encode() + b"\0" + module.read_bytes())
    return h.hexdigest()


def inputs_stamp(path: Path, target: Path, requirements: Path) -> str:
    """Hash of the bytes a cached run rests on (every module of the folder, not only those imported).

    Equal means there is nothing to execute or merge. Every build and every `mkdocs serve`
    reload checks all notebooks: this takes ~0.1 s for all of them, parsing them ~1 s.
    """
    modules = sorted(p for p in path.parent.glob("*.py") if p.is_file() and p != path)
    h = hashlib.sha256(CACHE_FORMAT.encode())
    for file in (path, target, requirements, *modules):
        h.update(file.name.encode() + b"\0" + (file.read_bytes() if file.is_file() else b"") + b"\0")
    return h.hexdigest()


def is_current(path: Path, out_dir: Path = BUILD_NOTEBOOKS, requirements: Path = REQUIREMENTS) -> bool:
    """Whether the executed notebook in `out_dir` is what executing `path` now would give (its code unchanged)."""
    target, key_file = out_dir / f"{path.stem}.ipynb", out_dir / f"{path.stem}.key"
    saved = key_file.read_text().split("\n") if key_file.is_file() else []
    if not target.is_file() or not saved:
        return False
    if saved[1:] == [inputs_stamp(path, target, requirements)]:
        return True
    return saved[0] == cache_key(read_notebook(path), path.parent, requirements)  # prose edits keep it current


def describe_failure(path: Path, nb: nbformat.NotebookNode, exc: Exception) -> str:
    """`notebooks/x.py:LINE: cell N: Error: message`, without the traceback noise."""
    index = next(
        (i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("metadata", {}).get("failed")), None
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    if isinstance(exc, CellTimeoutError):
        summary = "the cell did not finish within the timeout (an endless loop, or too slow?)"
    elif isinstance(exc, DeadKernelError):
        summary = "the kernel died (out of memory, or a crash in compiled code)"
    else:
        summary = getattr(exc, "ename", "Error") + ": " + getattr(exc, "evalue", text.strip().splitlines()[-1])
    line = cell_line(path, index) if index is not None else 1
    within = re.findall(r"Cell In\[\d+\], line (\d+)", text)
    if within and index is not None:
        line += int(within[-1]) - 1
    cell = f"cell {index + 1}" if index is not None else "kernel start"
    return f"{rel(path)}:{line}: {cell}: {summary}"


class _MarkFailedCell(NotebookClient):
    """Remembers which cell failed, so the message can point at its source line."""

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):  # type: ignore[override]
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except Exception:
            cell.metadata["failed"] = True
            raise


def check_outputs(nb: nbformat.NotebookNode, path: Path) -> None:
    """Refuse output that must not be published: errors and anything on stderr."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"):
                shown = out.get("text", out.get("evalue", "")).strip().splitlines()
                raise RuntimeError(
                    f"{rel(path)}:{cell_line(path, i)}: cell {i + 1}: wrote to stderr: "
                    f"{shown[0] if shown else ''} (fix the warning, or silence it explicitly in the notebook)"
                )


def merge_outputs(nb: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The current source (prose included) with the outputs of a run of the same code."""
    runs = [c for c in executed.cells if c.cell_type == "code"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell, run in zip(code, runs, strict=True):
        cell.outputs = run.outputs
        cell.execution_count = run.execution_count
    return nb


def sync_dir(src: Path, dest: Path) -> None:
    """Make `dest` hold exactly the files of `src`."""
    dest.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in src.iterdir()} if src.is_dir() else set()
    for old in dest.iterdir():
        if old.name not in wanted:
            old.unlink()
    for name in wanted:
        write_if_changed(dest / name, (src / name).read_bytes())


def _readable(target: Path) -> nbformat.NotebookNode | None:
    """The executed notebook, or None if it is missing or unreadable (a run stopped mid-write): it is run again."""
    if not target.is_file():
        return None
    try:
        return nbformat.read(target, as_version=4)
    except (OSError, ValueError) as exc:  # nbformat's NotJSONError is a ValueError
        print(
            f"note: {rel(target)} is unreadable ({type(exc).__name__}); executing the notebook again", file=sys.stderr
        )
        return None


def execute_one(
    path: Path, out_dir: Path, fig_dir: Path, timeout: int, force: bool, requirements: Path = REQUIREMENTS
) -> Result:
    """Execute one notebook unless its cached run is still valid; never publish a failure."""
    start = time.perf_counter()
    target, key_file = out_dir / f"{path.stem}.ipynb", out_dir / f"{path.stem}.key"
    saved = key_file.read_text().split("\n") if key_file.is_file() else []  # [key, inputs stamp]
    if not force and target.is_file() and saved[1:] == [inputs_stamp(path, target, requirements)]:
        return Result(path.stem, time.perf_counter() - start, cached=True)
    nb = read_notebook(path)
    key = cache_key(nb, path.parent, requirements)
    previous = _readable(target) if not force and saved[:1] == [key] else None
    if previous is not None:
        merged = merge_outputs(nb, previous)
        write_if_changed(target, nbformat.writes(merged).encode() + b"\n")
        key_file.write_text(f"{key}\n{inputs_stamp(path, target, requirements)}")
        return Result(path.stem, time.perf_counter() - start, cached=True)
    with tempfile.TemporaryDirectory(prefix=f"nb-{path.stem}-") as scratch:
        figures = Path(scratch) / "figures"
        # The kernel works in a copy of the notebooks' folder: what a notebook writes there is thrown away, and
        # files beside it (helpers, data) read as from its own folder. Writes elsewhere: see tree_changes.
        work = Path(scratch) / "work"
        shutil.copytree(path.parent, work, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        # IPC sockets in the scratch folder: no TCP port, and no warning about one.
        kernel = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(scratch) / "kernel"))
        client = _MarkFailedCell(
            nb,
            km=kernel,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            allow_errors=False,
            resources={"metadata": {"path": str(work)}},
        )
        env = {**os.environ, **KERNEL_ENV, FIGURES_DIR: str(figures)}
        try:
            client.execute(env=env)
            check_outputs(nb, path)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            return Result(path.stem, time.perf_counter() - start, False, describe_failure(path, nb, exc))
        except RuntimeError as exc:
            return Result(path.stem, time.perf_counter() - start, False, str(exc))
        finally:
            group = _kernel_group(kernel)
            if kernel.has_kernel:  # nbclient only shuts down kernels it started itself
                run_sync(kernel.shutdown_kernel)(now=True)
            if group is not None:  # what the notebook started in the background ends with its kernel
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(group, signal.SIGKILL)
        # Success only from here on: outputs first, the key last (a failed run is never cached).
        key_file.unlink(missing_ok=True)
        write_if_changed(target, nbformat.writes(nb).encode() + b"\n")
        sync_dir(figures, fig_dir / path.stem)
        key_file.write_text(f"{key}\n{inputs_stamp(path, target, requirements)}")
    return Result(path.stem, time.perf_counter() - start, cached=False)


def _kernel_group(kernel: AsyncKernelManager) -> int | None:
    """The kernel's process group (jupyter_client starts each kernel in a session of its own)."""
    process = getattr(getattr(kernel, "provisioner", None), "process", None)
    pid = getattr(process, "pid", None)
    try:
        return os.getpgid(pid) if pid and os.getpgid(pid) != os.getpgid(0) else None
    except ProcessLookupError:
        return None


# What a notebook may change in the repository: its outputs (build/) and the caches. Anything else it changed
# (a script of the site, a page) would be published unreviewed, so the run fails naming the file.
OWN_OUTPUTS = ("build", ".cache", "site", ".git", ".venv", "node_modules", ".ruff_cache", ".pytest_cache")


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """(size, modification time) of every file of the repository outside the notebooks' own outputs."""
    state = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not (here == root and d in OWN_OUTPUTS) and d != "__pycache__"]
        for name in files:
            stat = (here / name).stat()
            state[(here / name).relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return state


def tree_changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def execute_all(
    paths: list[Path],
    *,
    out_dir: Path = BUILD_NOTEBOOKS,
    fig_dir: Path = BUILD_FIGURES,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    force: bool = False,
    requirements: Path = REQUIREMENTS,
) -> list[Result]:
    """Execute notebooks in parallel, one kernel per core."""
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    root = requirements.parent
    before = tree_state(root)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(execute_one, p, out_dir, fig_dir, timeout, force, requirements) for p in paths]
        results = [f.result() for f in futures]
    # Only a run that executed something can have changed the tree (an editor's save meanwhile would be blamed too).
    changed = tree_changes(before, tree_state(root)) if any(not r.cached for r in results) else []
    if changed:
        ran = [r for r in results if not r.cached and not r.error] or results
        blame = ", ".join(r.name for r in ran)
        results.append(
            Result(
                "outside build/",
                0.0,
                False,
                f"a notebook ({blame}) changed {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}: notebooks "
                "may write only their outputs (build/); restore those files, and write figures with save_figure",
            )
        )
    return results


def report(results: list[Result]) -> str:
    """A timing table like sphinx-gallery's: each notebook, its seconds, cache hit or not."""
    width = max([len(r.name) for r in results] + [8])
    lines = [f"{'notebook':<{width}}  {'seconds':>8}  status"]
    for r in sorted(results, key=lambda r: -r.seconds):
        status = "FAILED" if r.error else ("cached" if r.cached else "executed")
        lines.append(f"{r.name:<{width}}  {r.seconds:8.2f}  {status}")
    ran = sum(not r.cached and not r.error for r in results)
    failed = sum(bool(r.error) for r in results)
    total = sum(r.seconds for r in results)
    lines.append(f"{len(results)} notebooks: {ran} executed, {len(results) - ran - failed} cached, {failed} failed")
    lines.append(f"total {total:.2f} s of kernel time")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook names (default: all)")
    parser.add_argument("--force", action="store_true", help="ignore the cache")
    parser.add_argument(
        "--jobs", type=int, default=None, help="parallel kernels (default: HANDBOOK_NOTEBOOK_JOBS, else one per core)"
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=DEFAULT_TIMEOUT,
        help="seconds allowed per cell (default: HANDBOOK_CELL_TIMEOUT, else 120)",
    )
    settings = Settings.from_env()
    parser.set_defaults(jobs=settings.notebook_jobs, timeout=settings.cell_timeout)
    args = parser.parse_args(argv)
    results = execute_all(sources(args.names), jobs=args.jobs, timeout=args.timeout, force=args.force)
    print(report(results))
    for r in results:
        if r.error:
            print(r.error, file=sys.stderr)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
