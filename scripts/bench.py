"""Print the handbook's speed and size figures against their budgets: median and spread over N runs.

Everything destructive (cold builds, edits under `mkdocs serve`, a validator without its cache) runs
in a scratch copy of the repository (harness.copy_repo): the working tree and its caches are never
touched. What each figure means and the latest numbers are in BENCHMARKS.md.

Usage: python scripts/bench.py [--runs N] [--only GROUP ...]   (groups: cold warm serve validator weight typeset scale)
Exit status: 0 when every budget is met, 1 when one is missed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from handbook import ROOT
from harness import OffsiteGuard, chromium, copy_repo, serve

MKDOCS = str(ROOT / ".venv" / "bin" / "mkdocs")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
SERVE_ARGS = ["--livereload", "--dirty"]  # as `make serve` runs it
EDITED_PAGE = "docs/questions/bias-variance-tradeoff.md"
EDITED_NOTEBOOK = "notebooks/q41_alphago.py"
# Sent already compressed, or compressed anyway: counted at their size on disk.
BINARY = {".woff", ".woff2", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".zip", ".gz", ".apkg"}
GZIP_LEVEL = 6  # what static hosts (GitHub Pages, nginx with gzip on) typically send
GROUPS = ("cold", "warm", "serve", "validator", "weight", "typeset", "scale")
SCALE = 10  # the scale figure builds the site with every question page this many times


@dataclass
class Figure:
    """One printed line: a name, the runs' values, and the budget they must meet (if any)."""

    name: str
    values: list[float]
    unit: str
    budget: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def met(self) -> bool:
        return self.budget is None or self.median <= self.budget

    def line(self) -> str:
        spread = f"{min(self.values):.2f}–{max(self.values):.2f}" if len(self.values) > 1 else "(one value)"
        verdict = "met" if self.met() else "MISSED"
        budget = f"≤ {self.budget:g} {self.unit}  {verdict}" if self.budget is not None else ""
        return f"{self.name:<66} {self.median:9.2f} {self.unit:<3} {spread:>15}   {budget}"


def report(figure: Figure) -> Figure:
    print(figure.line(), flush=True)
    return figure


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds `command` takes; a failure stops the benchmark with its output."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return time.perf_counter() - start


def build(repo: Path, **env: str) -> float:
    """One strict build of the scratch copy, with extra environment variables."""
    site = repo / "site"
    return timed([MKDOCS, "build", "--strict", "--site-dir", str(site)], repo, {**ENV, **env})


def forget_caches(repo: Path) -> None:
    """Back to a fresh clone: no executed notebook, no rendered notebook, no validator cache."""
    for name in ("build", ".cache", "site"):
        subprocess.run(["rm", "-rf", str(repo / name)], check=True)


def cold_builds(repo: Path, runs: int) -> list[Figure]:
    cores = os.cpu_count() or 1
    figures = []
    for jobs, label in ((1, "one kernel at a time"), (cores, f"{cores} kernels in parallel")):
        values = []
        for _ in range(runs):
            forget_caches(repo)
            values.append(build(repo, HANDBOOK_NOTEBOOK_JOBS=str(jobs)))
        figures.append(report(Figure(f"cold full build, every notebook executed, {label}", values, "s")))
    return figures


def warm_builds(repo: Path, runs: int) -> list[Figure]:
    """Warm full build and the Markdown-only floor, alternated so that load on the machine hits both alike."""
    build(repo)  # executes what a cold copy lacks, and warms every cache
    build(repo, HANDBOOK_MARKDOWN_ONLY="1")
    warm, floor = [], []
    for _ in range(runs):
        floor.append(build(repo, HANDBOOK_MARKDOWN_ONLY="1"))
        warm.append(build(repo))  # last, so that the site left behind is the full one
    return [
        report(Figure("warm full build, nothing changed", warm, "s")),
        report(Figure("Markdown-only floor (HANDBOOK_MARKDOWN_ONLY=1)", floor, "s")),
        report(Figure("warm build / Markdown-only floor", [w / f for w, f in zip(warm, floor, strict=True)], "×", 1.3)),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode()


def _until(condition: Callable[[], bool], what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: timed out waiting for {what}")
        time.sleep(0.02)


def serve_reloads(repo: Path, runs: int) -> list[Figure]:
    """From saving an edit until `mkdocs serve` serves the new page, after a Markdown and a notebook edit."""
    port = _free_port()
    command = [MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", *SERVE_ARGS]
    server = subprocess.Popen(
        command, cwd=repo, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(server.stdout or []), daemon=True).start()
    try:
        _until(lambda: any("Serving on" in line for line in log) or server.poll() is not None, "mkdocs serve")
        served = next((re.search(r"Serving on (\S+)", line) for line in log if "Serving on" in line), None)
        if served is None:
            raise SystemExit("bench: mkdocs serve did not start:\n" + "".join(log[-40:]))
        base = served.group(1)
        figures = []
        edits = (  # (kind, file, its page, what the edit appends, budget)
            ("Markdown", EDITED_PAGE, "questions/bias-variance-tradeoff/", "\n{}\n", 2),
            ("notebook", EDITED_NOTEBOOK, "notebooks/q41_alphago/", '\n# %%\nprint("{}")\n', None),
        )
        for kind, source, page, edit, budget in edits:
            path = repo / source
            original = path.read_text(encoding="utf-8")
            values = []
            try:
                for run in range(runs):
                    marker = f"bench-edit-{kind}-{run}-{time.time_ns()}"
                    time.sleep(1.0)  # let the watcher settle between edits
                    path.write_text(original + edit.format(marker), encoding="utf-8")
                    start = time.perf_counter()
                    _until(lambda url=base + page, m=marker: m in _fetch(url), f"the {kind} edit to be served")
                    values.append(time.perf_counter() - start)
            finally:
                path.write_text(original, encoding="utf-8")
            figures.append(report(Figure(f"mkdocs serve reload after a {kind} edit", values, "s", budget)))
        return figures
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)


def validator_runs(repo: Path, runs: int) -> list[Figure]:
    command = [PYTHON, str(repo / "scripts" / "validate.py")]
    # The serve group's notebook edit was undone after its run: bring the executed notebooks up to date first.
    timed([PYTHON, str(repo / "scripts" / "execute_notebooks.py")], repo)
    timed(command, repo)  # fills the cache that every build relies on
    warm = [timed(command, repo) for _ in range(runs)]
    cold = []
    for _ in range(runs):
        for cache in (repo / ".cache").glob("validate-*.json"):
            cache.unlink()
        cold.append(timed(command, repo))
    return [
        report(Figure("validator, whole site (as every build runs it, cache warm)", warm, "s", 2)),
        report(Figure("validator, whole site, cache emptied first", cold, "s")),
    ]


def multiplied(repo: Path, factor: int) -> int:
    """Give the scratch copy `factor` copies of every question page (new numbers, slugs and a nav section); returns
    the number of question pages. The copies quote the same notebooks, so nothing new is executed."""
    pages = sorted((repo / "docs" / "questions").glob("*.md"))
    nav = []
    for copy in range(1, factor):
        for page in pages:
            text = page.read_text(encoding="utf-8")
            number = int(re.search(r"^number: (\d+)$", text, re.M).group(1))
            text = re.sub(r"^number: \d+$", f"number: {number + 1000 * copy}", text, count=1, flags=re.M)
            text = re.sub(r"^related: .*$", "related: []", text, count=1, flags=re.M)
            name = f"{page.stem}-copy{copy}.md"
            (page.parent / name).write_text(text, encoding="utf-8")
            nav.append(f"      - questions/{name}\n")
    if nav:
        config = repo / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "  - Copies:\n" + "".join(nav), encoding="utf-8")
    return len(pages) * factor


def scale(repo: Path, runs: int) -> list[Figure]:
    """Warm build time and search index size per question page, for the site as it is and with its pages ×SCALE."""
    per_page = {}
    for factor in (1, SCALE):
        copy = copy_repo(repo.parent / f"scale-{factor}")
        pages = multiplied(copy, factor)
        build(copy)  # warms every cache
        times = [build(copy) for _ in range(runs)]
        index = (copy / "site" / "search" / "search_index.json").stat().st_size
        per_page[factor] = (statistics.median(times) / pages, index / pages)
        report(Figure(f"warm build, {pages} question pages, per page", [t / pages * 1000 for t in times], "ms"))
        report(Figure(f"search index, {pages} question pages, per page", [index / pages / 1000], "KB"))
    (t1, i1), (tn, i_n) = per_page[1], per_page[SCALE]
    return [
        report(Figure(f"×{SCALE} pages: warm build time per page / today's", [tn / t1], "×", 1.2)),
        report(Figure(f"×{SCALE} pages: search index bytes per page / today's", [i_n / i1], "×", 1.2)),
    ]


def transfer_bytes(site: Path, path: str) -> int:
    """What sending one file of the site costs: gzip for text, the file's size for compressed formats."""
    file = site / unquote(path).lstrip("/")
    if file.is_dir() or not file.suffix:
        file = file / "index.html"
    data = file.read_bytes()
    return len(data) if file.suffix in BINARY else len(gzip.compress(data, GZIP_LEVEL, mtime=0))


SEARCH_INDEX = "search/search_index.json"
SCROLL_TO_END = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise((done) => setTimeout(done, 20));
  }
}"""


def first_visit(browser, site: Path, base: str, page: str) -> tuple[int, list[str], int]:
    """Bytes (gzip) of the HTML, CSS, JS, fonts and images a first visit to `page` loads, figures included,
    the page read to its end (its lazy images loaded), and apart from them the bytes of the search index it fetched
    without searching (none, since search loads when the reader opens it: docs/javascripts/search-gate.js)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    guard = OffsiteGuard(tab)
    loaded: list[str] = []
    tab.on("requestfinished", lambda request: loaded.append(request.url))
    tab.goto(base + page, wait_until="networkidle")
    tab.wait_for_function("document.documentElement.dataset.mathjax === 'done'", timeout=60_000)
    tab.evaluate(SCROLL_TO_END)  # lazy images load as the reader scrolls: count them all
    tab.wait_for_load_state("networkidle")
    context.close()
    if guard.blocked:
        raise SystemExit(f"bench: {page} loads from another host: {guard.blocked}")
    local = sorted({urlsplit(url).path for url in loaded if url.startswith(base) and not url.endswith(SEARCH_INDEX)})
    index = sum(transfer_bytes(site, SEARCH_INDEX) for url in loaded if url.endswith(SEARCH_INDEX))
    return sum(transfer_bytes(site, p) for p in local), local, index


def page_weights(site: Path) -> list[Figure]:
    """First-visit weight of every page: the heaviest question and notebook pages, the home page, the maximum."""
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    pages = [p.removeprefix("./") for p in pages]
    server, base = serve(site)
    try:
        with chromium() as browser:
            visits = {page: first_visit(browser, site, base, page) for page in pages}
            weights = {page: bytes_ / 1000 for page, (bytes_, _, _) in visits.items()}
            index_fetched = max(index for _, _, index in visits.values()) / 1000
    finally:
        server.shutdown()
    # The print edition holds every question on one page, to be printed or saved: a download, not a page to read.
    reading = {page: kb for page, kb in weights.items() if page != "print/"}
    question = max((p for p in reading if p.startswith("questions/")), key=reading.__getitem__)
    notebook = max((p for p in reading if p.startswith("notebooks/")), key=reading.__getitem__)
    heaviest = max(reading, key=reading.__getitem__)
    index = site / SEARCH_INDEX
    figures = [
        Figure(f"first visit, heaviest question page ({question})", [reading[question]], "KB"),
        Figure(f"first visit, heaviest notebook page ({notebook})", [reading[notebook]], "KB"),
        Figure("first visit, home page", [reading[""]], "KB"),
        Figure(f"first visit, heaviest page of all ({heaviest or 'home'})", [reading[heaviest]], "KB", 250),
    ]
    if "print/" in weights:
        figures.append(Figure("first visit, print edition (every question on one page)", [weights["print/"]], "KB"))
    figures.append(Figure(f"search index ({SEARCH_INDEX}), uncompressed", [index.stat().st_size / 1000], "KB", 1500))
    figures.append(Figure("search index fetched on a first visit without searching, gzipped", [index_fetched], "KB", 0))
    return [report(f) for f in figures]


# The first frame in which every formula of the page is drawn: the page's count of .arithmatex elements is in the
# document, each holding its SVG (the build renders them; a page typeset in the browser is timed the same way). A
# requestAnimationFrame callback runs just before the frame is painted, so its time is when the reader sees them.
FORMULA_CLOCK = """
const expected = %d;
const frame = (now) => {
  const all = document.querySelectorAll('.arithmatex');
  if (all.length >= expected && document.querySelector('.arithmatex:not(:has(> mjx-container > svg))') === null) {
    window.benchFormulasAt = now;
  } else {
    requestAnimationFrame(frame);
  }
};
requestAnimationFrame(frame);
"""
FIRST_PAINT = "performance.getEntriesByName('first-contentful-paint')[0]?.startTime"


def typeset_times(site: Path, runs: int) -> list[Figure]:
    """First paint to the last formula drawn, first visit, on the page with the most formulas."""
    pages = [p for p in site.rglob("index.html") if p.parent.name != "print"]  # a download, as in page_weights
    heaviest = max(pages, key=lambda p: p.read_text(encoding="utf-8").count('class="arithmatex"'))
    page = heaviest.parent.relative_to(site).as_posix() + "/"
    formulas = heaviest.read_text(encoding="utf-8").count('class="arithmatex"')
    server, base = serve(site)
    after_paint, from_start = [], []
    try:
        with chromium() as browser:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                tab = context.new_page()
                tab.add_init_script(FORMULA_CLOCK % formulas)
                tab.goto(base + page)
                tab.wait_for_function(f"window.benchFormulasAt && {FIRST_PAINT} !== undefined", timeout=60_000)
                at, paint = tab.evaluate(f"[window.benchFormulasAt, {FIRST_PAINT}]")
                after_paint.append(max(0.0, at - paint) / 1000)
                from_start.append(at / 1000)
                context.close()
    finally:
        server.shutdown()
    return [
        report(Figure(f"last formula drawn after first paint, {page} ({formulas} formulas)", after_paint, "s", 0.1)),
        report(Figure(f"navigation start to last formula drawn, {page}", from_start, "s")),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per timed figure (default 5)")
    parser.add_argument("--only", nargs="+", choices=GROUPS, default=list(GROUPS), help="measure only these groups")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; runs per timed figure: {args.runs}")
    print(f"{'figure':<66} {'median':>13} {'spread (min–max)':>15}   budget")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as scratch:
        repo = copy_repo(Path(scratch) / "repo")
        if "cold" in args.only:
            figures += cold_builds(repo, args.runs)
        if "warm" in args.only:
            figures += warm_builds(repo, args.runs)
        elif {"weight", "typeset"} & set(args.only):
            build(repo)  # a site to weigh
        if "serve" in args.only:
            figures += serve_reloads(repo, args.runs)
        if "validator" in args.only:
            figures += validator_runs(repo, args.runs)
        site = repo / "site"
        if "weight" in args.only:
            figures += page_weights(site)
        if "typeset" in args.only:
            figures += typeset_times(site, args.runs)
        if "scale" in args.only:
            figures += scale(repo, args.runs)
    missed = [f.name for f in figures if not f.met()]
    print("every budget met" if not missed else "budgets missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
