"""Formulas rendered at build time: the site's MathJax in Node turns each formula into SVG, once.

The validator's check and the pages' rendering share one `MathRenderer` a build: a cache by the formula's
text and display mode, MathJax's version and the renderer script (.cache/mathjax-svg.json), and behind it one
Node process (scripts/mathjax_render.mjs), started for the first formula the cache lacks and kept until the
build ends. A warm build finds every formula cached and starts no Node at all.

`typeset_page` puts the rendered formulas into a written page: the TeX stays on the formula (its mjx-container's
`data-tex`, which docs/javascripts/math.js copies when a reader copies the formula), and the glyph paths the
page's formulas use go once into a hidden <svg> at the top of its article, which Material's instant navigation
swaps with the page.
Pages then load no MathJax and no font: an SVG glyph is a path filled with the text's colour, sized in ex.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from handbook import CACHE_DIR, MATHJAX_DIR, ROOT, read_cache, write_cache

SCRIPT = ROOT / "scripts" / "mathjax_render.mjs"
CACHE_FILE = CACHE_DIR / "mathjax-svg.json"
# What pymdownx.arithmatex (generic mode) writes for $...$ and $$...$$ (and environments): the TeX, escaped.
FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
GLYPH_CACHE_ID = "MJX-SVG-global-cache"  # the id MathJax gives the page's glyph cache in a browser
ARTICLE = re.compile(r"<article\b[^>]*>")


def formula_tex(text: str) -> str:
    """The TeX MathJax reads from an arithmatex element's text: its delimiters \\( \\) or \\[ \\] removed."""
    inner = text.strip()
    for left, right in (("\\(", "\\)"), ("\\[", "\\]")):
        if inner.startswith(left) and inner.endswith(right):
            return inner[2:-2]
    return inner  # an environment such as \begin{align}...\end{align}, which MathJax reads as it is


class MathRendererError(RuntimeError):
    """Node or the renderer script failed (not a formula: those come back as errors of their own)."""


class MathRenderer:
    def __init__(self, cache_file: Path = CACHE_FILE) -> None:
        version = json.loads((MATHJAX_DIR.parent / "package.json").read_text(encoding="utf-8"))["version"]
        self.stamp = hashlib.sha256(version.encode() + b"\0" + SCRIPT.read_bytes()).hexdigest()
        self.cache_file = cache_file
        data = read_cache(cache_file)
        if data.get("stamp") != self.stamp or not isinstance(data.get("formulas"), dict):
            data = {}
        self.formulas: dict[str, dict[str, Any]] = data.get("formulas", {})
        self.glyphs: dict[str, str] = data.get("glyphs", {})
        self.css: str | None = data.get("css")
        self.changed = False
        self.started = 0  # how many times Node was started (a warm build: none)
        self._node: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None

    def __enter__(self) -> MathRenderer:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    @staticmethod
    def key(tex: str, display: bool) -> str:
        return hashlib.sha1(f"{int(display)}\0{tex}".encode()).hexdigest()

    def render(self, formulas: Sequence[tuple[str, bool]]) -> list[dict[str, Any]]:
        """For each (tex, display): {"error": {"id", "message"}} or {"html": ..., "glyphs": [glyph ids]}."""
        keys = [self.key(tex, display) for tex, display in formulas]
        todo = {k: f for k, f in zip(keys, formulas, strict=True) if k not in self.formulas}
        if todo:
            answer = self._ask({"formulas": [{"tex": t, "display": d} for t, d in todo.values()]})
            for key, result in zip(todo, answer["results"], strict=True):
                if "error" in result:
                    self.formulas[key] = {"error": result["error"]}
                else:
                    self.glyphs.update(result["glyphs"])
                    self.formulas[key] = {"html": result["html"], "glyphs": sorted(result["glyphs"])}
            self.changed = True
        return [self.formulas[k] for k in keys]

    def stylesheet(self) -> str:
        """MathJax's stylesheet for SVG output, which every page with formulas loads."""
        if self.css is None:
            self.css = str(self._ask({"stylesheet": True})["css"])
            self.changed = True
        return self.css

    def glyph_defs(self, ids: Iterable[str]) -> str:
        """The hidden <svg> holding the glyph paths `ids`, which the formulas' <use> elements reference."""
        paths = "".join(self.glyphs[i] for i in sorted(set(ids)))
        return f'<svg id="{GLYPH_CACHE_ID}" style="display: none;" aria-hidden="true"><defs>{paths}</defs></svg>'

    def save(self) -> None:
        if self.changed:
            data = {"stamp": self.stamp, "css": self.css, "formulas": self.formulas, "glyphs": self.glyphs}
            write_cache(self.cache_file, data)
            self.changed = False

    def close(self) -> None:
        self.save()
        if self._node is not None:
            if self._node.stdin is not None:
                self._node.stdin.close()
            try:
                self._node.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._node.kill()
                self._node.wait()
            self._node = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        if self._node is None or self._node.poll() is not None:
            self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed in close())
            self._node = subprocess.Popen(
                ["node", str(SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                text=True,
                encoding="utf-8",
                cwd=ROOT,
            )
            self.started += 1
        assert self._node.stdin is not None and self._node.stdout is not None
        try:
            self._node.stdin.write(json.dumps(request) + "\n")
            self._node.stdin.flush()
            line = self._node.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self._node.wait()
            stderr = ""
            if self._stderr is not None:
                self._stderr.seek(0)
                stderr = self._stderr.read().strip()
            self._node = None
            raise MathRendererError(f"scripts/mathjax_render.mjs failed: {stderr or 'no answer'}")
        return json.loads(line)


def typeset_page(output: str, renderer: MathRenderer) -> str:
    """`output` (a written page) with every arithmatex formula rendered, and its glyphs once at its article's top.

    A formula MathJax cannot read would have stopped the build in the validator; one that reaches here anyway
    (a page the validator does not read) raises ValueError with its text.
    """
    matches = list(FORMULA.finditer(output))
    if not matches:
        return output
    formulas = [(formula_tex(html.unescape(m.group(2))), m.group(1) == "div") for m in matches]
    results = renderer.render(formulas)
    glyphs: set[str] = set()
    parts: list[str] = []
    last = 0
    for match, (tex, _display), result in zip(matches, formulas, results, strict=True):
        if "error" in result:
            raise ValueError(f"MathJax cannot render ${tex.strip()[:60]}$: {result['error']['message']}")
        glyphs.update(result["glyphs"])
        tag = match.group(1)
        source = html.escape(tex.strip(), quote=True)
        rendered = result["html"].replace("<mjx-container ", f'<mjx-container data-tex="{source}" ', 1)
        parts += [output[last : match.start()], f'<{tag} class="arithmatex">', rendered, f"</{tag}>"]
        last = match.end()
    parts.append(output[last:])
    page = "".join(parts)
    defs = renderer.glyph_defs(glyphs)
    article = ARTICLE.search(page)
    if article is None:
        raise ValueError("the page has formulas but no <article> to put their glyphs in")
    return page[: article.end()] + defs + page[article.end() :]
