"""Checks of the formulas: each one rendered by the MathJax the build renders pages with (handbook/math_render.py)."""

from __future__ import annotations

import re

from checks.core import Checker, Document, locate
from checks.site import Rendered
from handbook.math_render import MathRenderer, formula_tex

MATHJAX_CODES = {
    "UndefinedControlSequence": "M001",
    "UnknownEnv": "M005",
    "EnvBadEnd": "M005",
    "EnvMissingEnd": "M005",
    "ExtraOpenMissingClose": "M002",
    "ExtraCloseMissingOpen": "M002",
    "MissingCloseBrace": "M002",
    "ExtraLeftMissingRight": "M004",
    "ExtraRightMissingLeft": "M004",
    "ExtraMiddle": "M004",
    "MissingLeftExtraRight": "M004",
}


# TeX commands that put HTML, styles or code into the page, and what to write instead. The site's MathJax drops what
# they carry (its ui/safe component, in the build as in docs/javascripts/math.js); a page never needs them.
HTML_COMMANDS = {
    "href": "write the link next to the formula in Markdown, [text](https://...)",
    "class": "style formulas with docs/stylesheets/, or colour with \\color{...}",
    "cssId": "link to the formula's heading, or give the paragraph an id",
    "style": "colour with \\color{...}",
    "data": "formulas carry no data attributes",
    "require": "the site's MathJax loads the extensions a formula uses by itself (autoload)",
    "unicode": "type the character itself, or use its TeX command",
    "mmlToken": "write the symbol in TeX",
    "setOptions": "the site's MathJax is configured in scripts/mathjax_render.mjs and docs/javascripts/math.js",
}
COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")
MAYBE = re.compile("|".join([*HTML_COMMANDS, "bbox"]))  # the quick look that spares most formulas the full one
BBOX_STYLE = re.compile(r"\\bbox\s*\[[^\]]*:")


def html_commands(tex: str) -> list[tuple[int, str]]:
    """(offset, command) for each command of `tex` that carries HTML (`\\\\href` is a line break and `href`)."""
    if MAYBE.search(tex) is None:
        return []
    found = [(m.start(), m.group(0)[1:]) for m in COMMAND.finditer(tex) if m.group(0)[1:] in HTML_COMMANDS]
    found += [(m.start(), "bbox") for m in BBOX_STYLE.finditer(tex)]
    return sorted(found)


class MathChecks(Checker):
    formulas: list[tuple[Document, str, bool, int, int]]

    def check_html_commands(self) -> None:
        for doc, tex, _display, line, col in self.formulas:
            for _offset, command in html_commands(tex):
                instead = HTML_COMMANDS.get(command, "draw the box with \\boxed{...}, or style with docs/stylesheets/")
                self.add(
                    doc.path,
                    line,
                    col,
                    "M009",
                    f"\\{command} in ${tex.strip()[:60]}$ carries HTML into the page, which the site's MathJax drops: "
                    f"{instead}",
                )

    def collect_formulas(self, doc: Document, rendered: Rendered) -> None:
        """Each formula of the document, with its place in the source, for check_math."""
        search_from = 0
        for tex, display in rendered.math:
            inner = formula_tex(tex)
            line, col, search_from = locate(doc, inner.strip()[:40], search_from)
            self.formulas.append((doc, inner, display, line, col))

    def check_math(self, renderer: MathRenderer | None = None) -> None:
        """Each formula rendered (`renderer`: the build's, which then has them cached for the pages)."""
        self.check_html_commands()
        if not self.formulas:
            return
        pairs = [(tex, display) for _, tex, display, _, _ in self.formulas]
        if renderer is None:
            with MathRenderer() as own:
                results = own.render(pairs)
        else:
            results = renderer.render(pairs)
        for (doc, tex, _display, line, col), result in zip(self.formulas, results, strict=True):
            error = result.get("error")
            if error:
                code = MATHJAX_CODES.get(error["id"], "M006")
                self.add(doc.path, line, col, code, f"{error['message']} in ${tex.strip()[:60]}$")
