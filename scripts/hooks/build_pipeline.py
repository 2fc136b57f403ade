"""MkDocs hook: the stages that run before MkDocs renders anything.

1. Execute the notebooks whose code changed (scripts/execute_notebooks.py).
2. Validate links, math and front matter (scripts/validate.py); any finding stops the build.
3. Hand MkDocs the generated files: executed notebooks, their figures, and the
   self-hosted MathJax, so docs/ holds only what people write.
"""

from __future__ import annotations

import logging
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
from handbook import BUILD, BUILD_FIGURES, BUILD_NOTEBOOKS, MATHJAX_DIR, rel

log = logging.getLogger("mkdocs.hooks.build_pipeline")

# The parts of MathJax's es5 build the site loads: the TeX-to-HTML bundle, the
# extensions and fonts it fetches on demand, and the accessibility extras its menu offers.
MATHJAX_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y", "sre")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not (MATHJAX_DIR / "tex-chtml.js").is_file():
        raise PluginError(
            f"MathJax is missing from {rel(MATHJAX_DIR)}: run `make serve` or `make test`, "
            "which install it with npm (or run `npm ci` yourself)."
        )
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    results = execute_notebooks.execute_all(execute_notebooks.sources())
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


@event_priority(100)  # before mkdocs-jupyter, which turns the .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    generated = _generated(config, BUILD_NOTEBOOKS, BUILD) + _generated(config, BUILD_FIGURES, BUILD)
    for part in MATHJAX_PARTS:
        generated += _generated(config, MATHJAX_DIR / part, MATHJAX_DIR, "assets/mathjax/")
    for file in generated:
        files.append(file)
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    # A notebook page is edited in its jupytext source, not in the generated .ipynb.
    if page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".ipynb"):
        stem = Path(page.file.src_uri).stem
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/notebooks/{stem}.py"
    return context
