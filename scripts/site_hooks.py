"""The one MkDocs hook module: each MkDocs event once, calling the build's jobs in a written order.

The jobs are functions of the package `handbook` over the question catalog and a page; this module
is the only code that knows MkDocs' events, so that another generator needs another router, not
other jobs. MkDocs runs hooks after its plugins for each event (mkdocs.yml lists the plugins); where
that matters, the comment says so.

State: one `Build` per build, made in on_config and passed to the jobs; and the `Router` itself, which
MkDocs keeps for the whole process (hook modules load once), holding what outlives a build under
`mkdocs serve --dirty`: the command, and the pages it does not re-read on a reload.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from material.plugins.offline.plugin import OfflinePlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs_jupyter.mathjax import mathjax_script
from mkdocs_jupyter.plugin import NotebookFile

import execute_notebooks
import validate
from handbook import (
    BUILD,
    BUILD_FIGURES,
    BUILD_NOTEBOOKS,
    CACHE_DIR,
    MATHJAX_DIR,
    NOTEBOOKS,
    ROOT,
    accessibility,
    anki_deck,
    bound_numbers,
    build_lock,
    cell_line,
    drop_unreadable_json,
    html_safety,
    mathjax,
    notebook_pages,
    print_edition,
    question_parts,
    quiz,
    read_cache,
    rel,
    safe_output,
    search,
    source_date_epoch,
    study_data,
    write_cache,
    write_if_changed,
)
from handbook.catalog import Catalog, Question
from handbook.contract import (
    DOWNLOADS,
    GALLERY_MARKER,
    ORIGINS_MARKER,
    PRINT_MARKER,
    STUDY_CARDS,
    STUDY_DATA,
    STUDY_PAGES,
    TABLE_MARKER,
    TS_FSRS,
    notebook_stem,
)
from handbook.downloads import UnknownDownload, with_download_links
from handbook.fragments import Fragments
from handbook.math_render import MathRenderer, MathRendererError, typeset_page
from handbook.settings import Settings

log = logging.getLogger("mkdocs.hooks.site_hooks")

TS_FSRS_SOURCE = ROOT / "node_modules" / "ts-fsrs" / "dist" / "index.umd.js"
# Material's offline plugin loads this shim from a CDN unless a polyfill named like it is listed.
IFRAME_WORKER = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
IFRAME_WORKER_URI = "assets/javascripts/iframe-worker-shim.js"
MATH_CSS = "assets/stylesheets/mathjax-svg.css"  # MathJax's stylesheet for SVG output (handbook/math_render.py)
SAFE_NOTEBOOKS = BUILD / "safe" / "notebooks"  # executed notebooks as published: unsafe outputs dropped
# The pages the published-page check found clean, by content: one file an edition, so that the offline edition's
# build, which runs after the site's (make build), does not put out the site's.
PUBLISHED_CACHE = {False: CACHE_DIR / "published-ok.json", True: CACHE_DIR / "published-ok-offline.json"}
# What Page.read_source and Page.render set, which the theme and the jobs read (see Router.keep).
PAGE_STATE = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids")


@dataclass
class Build:
    """What one build knows: its settings, its edition, and (from on_files on) the question catalog."""

    settings: Settings
    offline: bool
    search_worker: str  # the file name of Material's search worker, which the site's wraps
    fragments: Fragments = field(default_factory=Fragments)
    catalog: Catalog = field(default_factory=lambda: Catalog(()))
    urls: dict[str, str] = field(default_factory=dict)  # src_uri -> URL of every page
    questions: dict[str, Question] = field(default_factory=dict)  # src_uri -> its question
    published: set[str] = field(default_factory=set)  # dest_uri of every file of the site, from on_env on
    site_prefix: str = "/"  # the path site_url publishes the site under, where the 404 page's URLs start
    published_stamp: str = ""  # hash of the published files and the rules: part of each checked page's key
    checked: set[str] = field(default_factory=set)  # pages found clean by an earlier build (.cache)
    checked_now: set[str] = field(default_factory=set)  # pages found clean by this one

    def contents(self, files: Files) -> dict[str, str]:
        """Each question page's rendered content, by src_uri."""
        out = {}
        for src_uri in self.questions:
            file = files.get_file_from_path(src_uri)
            if file is not None and file.page is not None and file.page.content is not None:
                out[src_uri] = file.page.content
        return out


class Router:
    def __init__(self) -> None:
        self.serve_dirty = False
        self.command = "build"
        self.kept: dict[str, dict[str, Any]] = {}  # src_uri -> the page's PAGE_STATE when it was last rendered
        self.build: Build | None = None
        self.lock: IO[str] | None = None  # held from a build's on_config to its end (handbook/build_lock.py)
        # The formulas' renderer and its Node process, kept across `mkdocs serve` rebuilds so a reload starts none.
        self.renderer: MathRenderer | None = None
        self.jupyter_runtime = ""  # mkdocs-jupyter's MathJax loader, which every page gets and none needs
        self._partial = False  # this build is a dirty rebuild that rendered only some pages

    def _build(self) -> Build:
        if self.build is None:
            raise PluginError("site_hooks: a page event came before on_config")
        return self.build

    # 1. Configuration: after every plugin's on_config (the offline plugin's included).
    def on_startup(self, command: str, dirty: bool) -> None:
        self.command = command
        self.serve_dirty = command == "serve" and dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for path in (MATHJAX_DIR / "tex-chtml.js", TS_FSRS_SOURCE):
            if not path.is_file():
                raise PluginError(f"{rel(path)} is missing: run `make serve` or `make test`, which install it with npm")
        # MkDocs dates the sitemap (and gzips it) with SOURCE_DATE_EPOCH, else with the day of the build:
        # dated by the commit instead, the same sources give the same bytes on any day.
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch())
        settings = Settings.from_env()
        jupyter = config.plugins["mkdocs-jupyter"].config
        if settings.markdown_only:
            jupyter["include"] = []  # no notebook becomes a page
        if settings.markdown_only or (self.serve_dirty and self.kept):
            # mkdocs-jupyter evicts from its cache every notebook a build did not render: all of them in a
            # Markdown-only build, all but the edited ones in a dirty reload. Its cache is kept for the next full build.
            jupyter["cache"] = False
        offline = any(isinstance(p, OfflinePlugin) and p.config.enabled for p in config.plugins.values())
        if offline:
            if not IFRAME_WORKER.is_file():
                raise PluginError(f"{rel(IFRAME_WORKER)} is missing: run `npm ci` (make does it for you).")
            # The offline plugin has listed the shim's CDN address; the site serves its own copy instead.
            polyfills = config.extra.get("polyfills", [])
            config.extra["polyfills"] = [p for p in polyfills if "iframe-worker" not in p] + [IFRAME_WORKER_URI]
            # Material's instant navigation cannot work from file://, and left on it completes
            # document$ before the first page has loaded: no script subscribed to it would ever run.
            config.theme["features"] = [f for f in config.theme["features"] if not f.startswith("navigation.instant")]
        theme = next((Path(d) for d in config.theme.dirs if (Path(d) / search.WORKER_DIR).is_dir()), None)
        if theme is None:
            raise PluginError("Material's search worker is missing from the theme: reinstall mkdocs-material")
        self.build = Build(settings, offline, search.material_worker(theme))
        if self.renderer is None:
            self.renderer = MathRenderer()
        self.jupyter_runtime = mathjax_script(jupyter["mathjax_version"], jupyter["custom_mathjax_url"])
        build_lock.release(self.lock)  # a serve rebuild that failed before its end gave back nothing
        self.lock = build_lock.acquire()
        return config

    # 2. Before MkDocs reads any page: the notebooks run.
    def on_pre_build(self, config: MkDocsConfig) -> None:
        # mkdocs-jupyter reads its cache with no guard: an unreadable entry would stop this build and every later one.
        drop_unreadable_json(
            Path(config.config_file_path).parent / config.plugins["mkdocs-jupyter"].config["cache_dir"]
        )
        if self._build().settings.markdown_only:
            return
        settings = self._build().settings
        results = execute_notebooks.execute_all(
            execute_notebooks.sources(), jobs=settings.notebook_jobs, timeout=settings.cell_timeout
        )
        log.info("notebooks:\n%s", execute_notebooks.report(results))
        failures = [r.error for r in results if r.error]
        if failures:
            raise PluginError("a notebook failed; nothing was published:\n  " + "\n  ".join(failures))

    # 3. The files: the catalog from MkDocs' own, the validator over it, then what the build generates.
    # Runs after mkdocs-jupyter's on_files, so the notebooks added here are made pages here (NotebookFile).
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        build = self._build()
        build.catalog = Catalog.from_files(files)
        try:
            findings = validate.validate(catalog=build.catalog, renderer=self._renderer()).findings
        except MathRendererError as exc:
            raise PluginError(str(exc)) from None
        if findings:
            raise PluginError(
                f"scripts/validate.py found {len(findings)} problem(s):\n  " + "\n  ".join(f.text() for f in findings)
            )
        jupyter = config.plugins["mkdocs-jupyter"]
        for file in self._notebook_files(config):
            files.append(NotebookFile(file, **config) if jupyter.should_include(file) else file)
        for file in _generated(config, BUILD_FIGURES, BUILD):
            files.append(file)
        for name, content in mathjax.site_files().items():
            files.append(File.generated(config, name, **content))
        files.append(File.generated(config, MATH_CSS, content=self._renderer().stylesheet()))
        build.urls = {f.src_uri: f.url for f in files}
        build.questions = {q.src_uri: q for q in build.catalog.questions if q.src_uri in build.urls}
        pages = {name: build.urls[src] for name, src in STUDY_PAGES.items() if src in build.urls}
        script = study_data.study_data_script(build.catalog, build.urls, config.nav, pages)
        files.append(File.generated(config, STUDY_DATA, content=script))
        scheduler = study_data.scheduler_script(TS_FSRS_SOURCE.read_text(encoding="utf-8"))
        files.append(File.generated(config, TS_FSRS, content=scheduler))
        files.append(File.generated(config, search.WRAPPER, content=search.wrapper_script(build.search_worker)))
        if build.offline:
            files.append(File.generated(config, IFRAME_WORKER_URI, abs_src_path=str(IFRAME_WORKER)))
        return files

    def _notebook_files(self, config: MkDocsConfig) -> list[File]:
        """The executed notebooks as published: text and image outputs only (handbook/safe_output.py)."""
        out = []
        for path in sorted(BUILD_NOTEBOOKS.glob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            dropped = safe_output.drop_unsafe_outputs(nb)
            for index, types in dropped:
                log.warning(
                    f"{_cell_location(path.stem, index)}: output of type {', '.join(types)} not published: notebook "
                    "pages show text and images only, so that no output runs a script or loads from another host. "
                    "Print the text, or draw the figure with save_figure, instead."
                )
            if dropped:
                path = SAFE_NOTEBOOKS / path.name
                write_if_changed(path, (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode())
            out.append(File.generated(config, f"notebooks/{path.name}", abs_src_path=str(path)))
        return out

    # 4. Each page's Markdown: bound numbers rendered, then the generated tables and question parts.
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        build = self._build()
        # `{{name = 0.457}}` shows as 0.457; the validator has already checked it against the notebook.
        markdown = bound_numbers.render(markdown)
        if TABLE_MARKER in markdown:
            return markdown.replace(TABLE_MARKER, question_parts.all_questions_table(build.catalog))
        if ORIGINS_MARKER in markdown:
            markdown = markdown.replace(ORIGINS_MARKER, question_parts.origins_summary(build.catalog))
        if GALLERY_MARKER in markdown:
            stems = notebook_pages.notebook_stems(NOTEBOOKS)
            return markdown.replace(GALLERY_MARKER, notebook_pages.gallery_table(build.catalog, stems))
        question = build.questions.get(page.file.src_uri)
        if question is None:
            return markdown
        return question_parts.with_question_parts(markdown, question, build.catalog, build.fragments)

    # 5. Each page's HTML content, after mkdocs-jupyter has rendered the notebooks'.
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        build = self._build()
        src_uri = page.file.src_uri
        try:
            html = with_download_links(html, page.url, offline=build.offline, site_url=config.site_url)
        except UnknownDownload as exc:
            raise PluginError(f"docs/{src_uri}: {exc}") from None
        stem = notebook_stem(src_uri)
        if stem is not None:
            # Search indexes the question pages only: a notebook's code and outputs would crowd
            # them out of the results (and double the index) while saying the same things.
            page.meta["search"] = {"exclude": True}
            html, new = notebook_pages.notebook_page(
                html, stem, page.url, build.catalog, build.urls, config.repo_url, build.fragments
            )
            for name, content in new.items():
                if name.endswith(".svg"):
                    _check_svg(f"docs/{src_uri}: the figure {name}", content.decode("utf-8", errors="replace"))
                if files.get_file_from_path(name) is None:
                    files.append(File.generated(config, name, content=content))
        elif src_uri in build.questions:
            wrapped = quiz.with_answer_wrapped(html, build.fragments)
            if wrapped is None:
                raise PluginError(
                    f"docs/{src_uri}: no question-meta line, so quiz mode cannot tell the question from the answer"
                )
            html = wrapped
        if self.serve_dirty:  # last: what the page is now is what a dirty reload hands back
            self.kept[src_uri] = {name: getattr(page, name, None) for name in PAGE_STATE} | {"content": html}
        return html

    # 6. Every page rendered, none written: pages and files assembled from the others.
    # Runs after the tags plugin's on_env, which reads no content.
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        build = self._build()
        pages = [f for f in files.documentation_pages() if f.page is not None]
        rendered = {f.src_uri for f in pages if f.page.content is not None}
        self._partial = self.serve_dirty and len(rendered) < len(pages)
        if self.serve_dirty:  # first: the pages a dirty reload skipped get their last state back
            for file in files.documentation_pages():
                kept = self.kept.get(file.src_uri)
                if file.page is not None and file.page.content is None and kept is not None:
                    for name, value in kept.items():
                        setattr(file.page, name, value)
        contents = build.contents(files)
        print_file = files.get_file_from_path(STUDY_PAGES["print"])
        # A dirty rebuild (make serve) writes only the pages it rendered: the print page and the deck, made from
        # every page, catch up when make serve restarts (README), rather than cost every reload their assembly.
        if print_file is not None and print_file.page is not None and print_file.src_uri in rendered:
            page = print_file.page
            if PRINT_MARKER not in (page.content or ""):
                raise PluginError(
                    f"docs/{STUDY_PAGES['print']}: the {PRINT_MARKER} marker is missing: the questions go there"
                )
            edition = print_edition.print_edition(build.catalog, build.urls, contents, page.url, build.fragments)
            page.content = (page.content or "").replace(PRINT_MARKER, edition)
        try:
            # The offline edition ships the site's deck (scripts/offline_edition.py): its cards link to the site.
            if not build.offline and not self._partial:
                cards = anki_deck.deck_cards(build.catalog, build.urls, contents, config.site_url)
                deck = anki_deck.apkg_bytes(cards, source_date_epoch())
                files.append(File.generated(config, DOWNLOADS["deck"], content=deck))
            cards_script = study_data.study_cards_script(build.catalog, build.urls, contents)
        except (anki_deck.MissingShortAnswer, study_data.MissingSection) as exc:
            raise PluginError(str(exc)) from None
        files.append(File.generated(config, STUDY_CARDS, content=cards_script))
        build.published = {f.dest_uri for f in files}
        build.site_prefix = urlsplit(config.site_url or "/").path or "/"
        rules = Path(html_safety.__file__).read_bytes()
        stamp = hashlib.sha256(rules + "\n".join(sorted(build.published)).encode() + build.site_prefix.encode())
        build.published_stamp = stamp.hexdigest()
        build.checked = set(read_cache(PUBLISHED_CACHE[build.offline]).get("ok", []))
        return env

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav: Any) -> dict:
        stem = notebook_stem(page.file.src_uri)
        if stem is not None:
            page.edit_url = notebook_pages.edit_url(config.repo_url, stem)
        return context

    # 7. Each written page, after the plugins': links, accessibility, then quiz mode's first-paint script; last,
    # the page as it will be published is read again: it runs only the scripts the site ships (handbook/html_safety.py).
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # Formulas first, rendered to SVG (handbook/math_render.py): the page loads no MathJax, so mkdocs-jupyter's
        # loader, which its own on_post_page put on every page, goes; the search index (on_page_context) kept the TeX.
        output = output.replace(self.jupyter_runtime + "\n", "")
        try:
            output = typeset_page(output, self._renderer())
        except (ValueError, MathRendererError) as exc:
            raise PluginError(f"docs/{page.file.src_uri}: {exc}") from None
        output = accessibility.with_fixes(safe_output.external_links_noopener(output))
        output = search.with_site_worker(output, self._build().search_worker)
        if page.file.src_uri in self._build().questions:
            output = quiz.with_quiz_head(output, self._build().fragments)
        self._check_published(output, page.url, f"docs/{page.file.src_uri}")
        return output

    # 8. The build's end, or its failure: the working tree is free for the next build.
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._close_renderer(keep=self.command == "serve")
        if self.build is not None and self.build.checked_now:
            # What this build found clean, plus what a partial (dirty) rebuild did not read again.
            kept = self.build.checked_now | (self.build.checked if self._partial else set())
            write_cache(PUBLISHED_CACHE[self.build.offline], {"ok": sorted(kept)})
        build_lock.release(self.lock)
        self.lock = None

    def on_build_error(self, error: Exception) -> None:
        self._close_renderer(keep=self.command == "serve")
        build_lock.release(self.lock)
        self.lock = None

    def on_shutdown(self) -> None:
        self._close_renderer(keep=False)

    def _renderer(self) -> MathRenderer:
        if self.renderer is None:
            raise PluginError("site_hooks: a formula came before on_config")
        return self.renderer

    def _close_renderer(self, keep: bool) -> None:
        """Save what the renderer learnt; end its Node process unless `mkdocs serve` will rebuild."""
        if self.renderer is not None:
            if keep:
                self.renderer.save()
            else:
                self.renderer.close()
                self.renderer = None

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """The theme's pages that are no Markdown page, such as 404.html."""
        if not template_name.endswith(".html"):
            return output
        output = search.with_site_worker(accessibility.with_fixes(output), self._build().search_worker)
        self._check_published(output, template_name, f"the theme's {template_name}")
        return output

    def _check_published(self, output: str, url: str, name: str) -> None:
        build = self._build()
        # A page that passed is not read again while it, the files it may load and the rules stay the same.
        key = hashlib.sha256("\0".join((build.published_stamp, url, output)).encode()).hexdigest()
        if key in build.checked:
            build.checked_now.add(key)
            return
        problems = html_safety.page_problems(
            output, url, site_prefix=build.site_prefix, exists=build.published.__contains__ if build.published else None
        )
        if not problems:
            build.checked_now.add(key)
        if problems:
            raise PluginError(
                f"{name}: the page as published carries what the site does not ship, so the build stops:\n  "
                + "\n  ".join(problems)
            )


def _generated(config: MkDocsConfig, under: Path, src_dir: Path) -> list[File]:
    """Files below `under`, served at their path relative to `src_dir`."""
    paths = sorted(p for p in under.rglob("*") if p.is_file() and p.suffix != ".key") if under.is_dir() else []
    return [File.generated(config, p.relative_to(src_dir).as_posix(), abs_src_path=str(p)) for p in paths]


def _check_svg(name: str, svg: str) -> None:
    problems = html_safety.svg_problems(svg)
    if problems:
        raise PluginError(
            f"{name} carries what a figure may not (it runs code or loads another file): "
            + "; ".join(what for _, what in problems)
        )


def _cell_location(stem: str, index: int) -> str:
    """`notebooks/x.py:LINE: cell N` for the executed notebook's cell `index`."""
    source = NOTEBOOKS / f"{stem}.py"
    return f"{rel(source)}:{cell_line(source, index)}: cell {index + 1}"


_router = Router()
on_startup = _router.on_startup
on_config = _router.on_config
on_pre_build = _router.on_pre_build
on_files = _router.on_files
on_page_markdown = _router.on_page_markdown
on_page_content = _router.on_page_content
on_env = _router.on_env
on_page_context = _router.on_page_context
on_post_page = _router.on_post_page
on_post_template = _router.on_post_template
on_post_build = _router.on_post_build
on_build_error = _router.on_build_error
on_shutdown = _router.on_shutdown
