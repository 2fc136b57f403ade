"""MkDocs hook: the stages that run before MkDocs renders anything.

1. Execute the notebooks whose code changed (scripts/execute_notebooks.py).
2. Validate links, math and front matter (scripts/validate.py); any finding stops the build.
3. Hand MkDocs the generated files: executed notebooks, their figures, and the
   self-hosted MathJax, so docs/ holds only what people write.

Two environment variables serve the benchmark (scripts/bench.py):
- HANDBOOK_NOTEBOOK_JOBS=N runs at most N notebook kernels at once (default: one per core).
- HANDBOOK_MARKDOWN_ONLY=1 neither executes nor renders the notebooks (the executed ones in
  build/ are published as plain .ipynb files): the build time of the Markdown alone.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import execute_notebooks
import validate
from handbook import BUILD, BUILD_FIGURES, BUILD_NOTEBOOKS, MATHJAX_DIR, rel, source_date_epoch

log = logging.getLogger("mkdocs.hooks.build_pipeline")

# MathJax's combined tex-chtml.js less its right-click menu, which is 425 KB of its 1.16 MB
# (108 KB of 264 KB gzipped) and pulls in the speech engine: the components that file is made
# of, in its order, with the same preload list. Assistive MathML, what screen readers read, stays.
MATHJAX_BUNDLE = "assets/mathjax/tex-chtml-nomenu.js"
MATHJAX_COMPONENTS = (
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "a11y/assistive-mml.js",
)
MATHJAX_PRELOAD = ("core", "input/tex", "output/chtml", "output/chtml/fonts/tex.js", "a11y/assistive-mml")
# What the bundle fetches on demand: TeX extensions (autoload) and fonts.
MATHJAX_PARTS = ("input/tex/extensions", "output/chtml/fonts/woff-v2")


def markdown_only() -> bool:
    return bool(os.environ.get("HANDBOOK_MARKDOWN_ONLY"))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not (MATHJAX_DIR / "tex-chtml.js").is_file():
        raise PluginError(
            f"MathJax is missing from {rel(MATHJAX_DIR)}: run `make serve` or `make test`, "
            "which install it with npm (or run `npm ci` yourself)."
        )
    # MkDocs dates the sitemap (and gzips it) with SOURCE_DATE_EPOCH, else with the day of the build:
    # dated by the commit instead, the same sources give the same bytes on any day.
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch())
    if markdown_only():
        jupyter = config.plugins["mkdocs-jupyter"].config
        jupyter["include"] = []  # no notebook becomes a page
        jupyter["cache"] = False  # nor evicts the full build's rendered notebooks from its cache
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    if not markdown_only():
        jobs = int(os.environ.get("HANDBOOK_NOTEBOOK_JOBS", "0")) or None
        results = execute_notebooks.execute_all(execute_notebooks.sources(), jobs=jobs)
        log.info("notebooks:\n%s", execute_notebooks.report(results))
        failures = [r.error for r in results if r.error]
        if failures:
            raise PluginError("a notebook failed; nothing was published:\n  " + "\n  ".join(failures))
    findings = validate.validate().findings
    if findings:
        raise PluginError(
            f"scripts/validate.py found {len(findings)} problem(s):\n  " + "\n  ".join(f.text() for f in findings)
        )


def _generated(config: MkDocsConfig, under: Path, src_dir: Path, prefix: str = "") -> list[File]:
    """Files below `under`, served at `prefix` + their path relative to `src_dir`."""
    if under.is_file():
        paths = [under]
    elif under.is_dir():
        paths = sorted(p for p in under.rglob("*") if p.is_file() and p.suffix != ".key")
    else:
        return []
    return [File.generated(config, prefix + p.relative_to(src_dir).as_posix(), abs_src_path=str(p)) for p in paths]


def mathjax_bundle() -> str:
    """The MathJax components of tex-chtml.js but the menu, as one script (see MATHJAX_BUNDLE)."""
    preload = "MathJax.loader.preLoad(" + ", ".join(f"'{name}'" for name in MATHJAX_PRELOAD) + ")"
    parts = [(MATHJAX_DIR / name).read_text(encoding="utf-8") for name in ("startup.js", *MATHJAX_COMPONENTS)]
    return ";\n".join([parts[0], preload, *parts[1:]]) + "\n"


@event_priority(100)  # before mkdocs-jupyter, which turns the .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    generated = _generated(config, BUILD_NOTEBOOKS, BUILD) + _generated(config, BUILD_FIGURES, BUILD)
    for part in MATHJAX_PARTS:
        generated += _generated(config, MATHJAX_DIR / part, MATHJAX_DIR, "assets/mathjax/")
    generated.append(File.generated(config, MATHJAX_BUNDLE, content=mathjax_bundle()))
    for file in generated:
        files.append(file)
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    # A notebook page is edited in its jupytext source, not in the generated .ipynb.
    if page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".ipynb"):
        stem = Path(page.file.src_uri).stem
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/notebooks/{stem}.py"
    return context
