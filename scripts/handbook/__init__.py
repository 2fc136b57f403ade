"""The handbook's build code: what the scripts, the validator and the site hooks share.

This module holds the repository's paths and how to read its sources; the submodules are the jobs
of the build (each a pure function of the question catalog and a page), which the one hook module,
scripts/site_hooks.py, calls in order. Test and benchmark helpers live in scripts/harness.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"  # generated, git-ignored: executed notebooks and their figures
BUILD_NOTEBOOKS = BUILD / "notebooks"
BUILD_FIGURES = BUILD / "figures"
CACHE_DIR = ROOT / ".cache"  # git-ignored: what the build can recompute from the sources, by content
MATHJAX_DIR = ROOT / "node_modules" / "mathjax-full" / "es5"
REQUIREMENTS = ROOT / "requirements.txt"
MKDOCS_YML = ROOT / "mkdocs.yml"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!ENV` and `!!python/name` tags plain YAML rejects."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_mkdocs_config(path: Path = MKDOCS_YML) -> dict[str, Any]:
    """The raw mkdocs.yml, without running MkDocs' own (slow) config validation."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)


@dataclass
class Source:
    """A Markdown page split into its front matter and body."""

    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where `body` starts
    front_matter_error: str | None = None
    read_error: str | None = None  # the file could not be read as text: the rest is empty


def read_page(path: Path) -> Source:
    """Split a Markdown file into front matter and body, keeping line numbers."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8: byte {raw[exc.start]:#04x} on line {line} is no UTF-8 text; save the file as UTF-8"
        return Source(path, {}, "", line, read_error=message)
    match = _FRONT_MATTER.match(text)
    if not match:
        return Source(path, {}, text, 1)
    body_line = text[: match.end()].count("\n") + 1
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        return Source(path, {}, text[match.end() :], body_line, f"front matter is not valid YAML: {exc}")
    if not isinstance(meta, dict):
        return Source(path, {}, text[match.end() :], body_line, "front matter must be a YAML mapping")
    return Source(path, meta, text[match.end() :], body_line)


def read_cache(path: Path) -> dict[str, Any]:
    """A JSON cache file, or {} when it is missing or unreadable (a run stopped mid-write): it is rebuilt."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        print(f"note: {rel(path)} is unreadable; rebuilding it", file=sys.stderr)
        return {}
    return data if isinstance(data, dict) else {}


def drop_unreadable_json(folder: Path) -> list[Path]:
    """Remove the JSON files of a cache folder that do not parse (what a Ctrl-C mid-write leaves): they are rebuilt.

    For caches this build does not write itself (mkdocs-jupyter's), which would otherwise stop every later build.
    """
    dropped = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            print(f"note: {rel(path)} is unreadable; rebuilding it", file=sys.stderr)
            path.unlink(missing_ok=True)
            dropped.append(path)
    return dropped


def write_cache(path: Path, data: dict[str, Any]) -> None:
    """Write a JSON cache whole or not at all: concurrent runs and a Ctrl-C never leave half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as out:
        json.dump(data, out, sort_keys=True)
    os.replace(out.name, path)


def write_if_changed(path: Path, data: bytes) -> None:
    """Leave unchanged files alone, so `mkdocs serve` sees no spurious edit."""
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def rel(path: Path) -> str:
    """A path as the repository names it, for messages."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


@dataclass
class Cell:
    """One cell of a jupytext percent-format notebook source."""

    kind: str  # "code" or "markdown"
    line: int  # 1-based line of the file where the cell's text starts
    text: str  # for Markdown, without the "# " comment prefix


def percent_cells(path: Path) -> list[Cell]:
    """The cells of a percent-format `.py` notebook, without importing jupytext (slow)."""
    cells: list[Cell] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("# %%"):
            kind = "markdown" if "[markdown]" in line or "[md]" in line else "code"
            cells.append(Cell(kind, i + 2, ""))
        elif cells:
            text = line[2:] if cells[-1].kind == "markdown" and line.startswith("# ") else line
            if cells[-1].kind == "markdown" and line == "#":
                text = ""
            cells[-1].text += text + "\n"
    for cell in cells:
        cell.text = cell.text.rstrip("\n") + "\n"
    return cells


def cell_line(path: Path, index: int) -> int:
    """The source line where cell `index` of the percent-format notebook `path` starts (1 if it has no such cell)."""
    cells = percent_cells(path) if path.is_file() else []
    return cells[index].line if 0 <= index < len(cells) else 1


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip archive whose bytes depend on `entries` only: sorted names, fixed dates and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def source_date_epoch() -> int:
    """Seconds since the epoch that date this edition of the site, deterministically.

    SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the time of the git commit
    being built; outside a git checkout (a copy or a tarball), the newest question source's mtime.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode == 0 and result.stdout.strip().isdigit():
        return int(result.stdout.strip())
    return int(max(path.stat().st_mtime for path in (DOCS / "questions").glob("*.md")))
