"""What HTML the site lets through: an allow-list for what authors write, and the rules every published page obeys.

- A page's source (docs/**/*.md and the notebooks' Markdown cells) may hold only the raw HTML that the pages
  use: `<div>` and `<p>` with `id`, `class` and `markdown` (the study pages' mount points), and comments (the
  markers the build fills in). Anything else is written in Markdown, and the validator says how
  (`source_html`, `attr_list_problems`; scripts/checks/html.py).
- Every page the build writes is read again (`page_problems`, called by the router's on_post_page and
  post_template, and by `check_site` over a built folder such as the offline edition): it may run only the
  scripts the site ships, from its own folders or the inline ones the theme, mkdocs-jupyter and the build write
  (`shipped_inline_scripts`), and may carry no event-handler attribute, no `<base>`, no `<meta http-equiv=refresh>`,
  no frame or plug-in, and no javascript:, vbscript: or data: (other than a raster image) URL.
- The Anki deck's answers are `sanitized`: scripts, frames and plug-ins dropped, event handlers and unsafe URLs removed.
- SVG figures may carry no script, event handler, foreign object or reference to another file (`svg_problems`).

One tokenizer reads them all (`tokens`). It follows HTML's rules for where a tag and its attributes end (quoted
values may hold `>`, `/` separates attributes, `<!-->` is a whole comment), so that it sees every tag a browser
sees; where it is unsure it sees more, never less.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

_S = "\t\n\f\r "  # HTML's whitespace: a no-break space is not one
_ATTR = (
    rf"(?>[{_S}/]*)(?P<name>[^{_S}/>][^{_S}/>=]*+)"
    rf"(?>[{_S}]*=[{_S}]*(?P<value>\"[^\"]*+\"|'[^']*+'|[^{_S}>\"'][^{_S}>]*+|))?"
)
ATTR = re.compile(_ATTR)
_ATTR_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", _ATTR)
TOKEN = re.compile(
    r"<!--(?:-?>|.*?(?:--!?>|\Z))"  # a comment, with HTML's abrupt ends
    r"|<[!?][^>]*>?"  # a doctype, a CDATA section or a bogus comment
    rf"|</(?P<end>[a-zA-Z][^{_S}/>]*)[^>]*>"  # an end tag (its attributes mean nothing)
    rf"|<(?P<tag>[a-zA-Z][^{_S}/>]*+)(?P<attrs>(?:{_ATTR_PLAIN})*+)(?>[{_S}/]*)>",
    re.S,
)
SCRIPT_END = re.compile(rf"</script[{_S}/>]", re.I)


@dataclass
class Attr:
    name: str  # lower-cased
    value: str | None  # entities decoded; None when the attribute has no value
    raw: str  # as written


class Tag:
    """A start tag, an end tag (`closing`), or a comment or doctype (name "!"); its attributes are read on demand."""

    __slots__ = ("_attrs", "attrs_text", "body", "closing", "end", "name", "start")

    def __init__(self, name: str, start: int, end: int, closing: bool = False, attrs_text: str = "") -> None:
        self.name = name  # lower-cased
        self.start, self.end, self.closing = start, end, closing
        self.attrs_text = attrs_text  # the attributes as written
        self.body: str | None = None  # a script's text
        self._attrs: list[Attr] | None = None

    @property
    def attrs(self) -> list[Attr]:
        if self._attrs is None:
            self._attrs = attributes(self.attrs_text)
        return self._attrs

    def get(self, name: str) -> str | None:
        return next((a.value for a in self.attrs if a.name == name), None)

    def has(self, name: str) -> bool:
        return any(a.name == name for a in self.attrs)


def attributes(text: str) -> list[Attr]:
    out = []
    for match in ATTR.finditer(text):
        value = match.group("value")
        if value is not None:
            if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
                value = value[1:-1]
            value = html.unescape(value)
        out.append(Attr(match.group("name").lower(), value, match.group(0).strip(_S + "/")))
    return out


def tokens(text: str, *, scripts_opaque: bool = True, only: Callable[[str, str], bool] | None = None) -> Iterator[Tag]:
    """Every tag and comment of `text`, in order. A script's text is its `body`, not read as markup.

    With `only`, just the start tags for which only(name, attributes as written) holds, and every script.
    """
    pos = 0
    while True:
        for match in TOKEN.finditer(text, pos):
            name = match.group("tag")
            if name is not None:
                lower = name.lower()
                if lower == "script" and scripts_opaque:
                    tag = Tag(lower, match.start(), match.end(), attrs_text=match.group("attrs"))
                    close = SCRIPT_END.search(text, match.end())
                    pos = close.start() if close else len(text)
                    tag.body = text[match.end() : pos]
                    yield tag
                    break  # read on after the script's text
                if only is None or only(lower, match.group("attrs")):
                    yield Tag(lower, match.start(), match.end(), attrs_text=match.group("attrs"))
            elif only is not None:
                continue
            elif match.group("end") is not None:
                yield Tag(match.group("end").lower(), match.start(), match.end(), closing=True)
            else:
                yield Tag("!", match.start(), match.end())
        else:
            return


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---- URLs ----

URL_ATTRS = _words(
    "href src action formaction poster data background cite codebase longdesc manifest ping icon lowsrc dynsrc "
    "usemap xlink:href srcset imagesrcset"
)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp)[;,]", re.I)


def scheme(url: str) -> str:
    """The scheme of `url` as a browser reads it (lower case; '' for a relative URL, '//' for a protocol-relative one).

    A browser ignores tabs and newlines anywhere in a URL, and spaces and control characters around it.
    """
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    if match:
        return match.group(1).lower()
    return "//" if cleaned.startswith(("//", "\\\\", "/\\", "\\/")) else ""


def unsafe_url(url: str) -> str | None:
    """Why a URL must not be published (it runs code when followed or loaded), or None."""
    kind = scheme(url)
    if kind in ("javascript", "vbscript", "livescript"):
        return f"a {kind}: URL runs code"
    if kind == "data" and not SAFE_DATA.match(re.sub(r"[\t\n\r ]", "", url)):
        return "a data: URL other than a PNG, JPEG, GIF or WebP image can carry a page or a script"
    return None


def urls_of(attr: Attr) -> list[str]:
    if attr.value is None:
        return []
    if attr.name.endswith("srcset"):
        return [part.strip().split(" ")[0] for part in attr.value.split(",") if part.strip()]
    return [attr.value]


# ---- 1. Page sources: the raw HTML an author may write ----

# The raw HTML the pages use, and nothing more: the study pages' mount points (docs/review.md,
# docs/mock-interview.md) are a <div id class markdown="0"> holding a <p> for readers without JavaScript.
SOURCE_TAGS: dict[str, frozenset[str]] = {
    "div": frozenset({"id", "class", "markdown"}),
    "p": frozenset({"id", "class", "markdown"}),
}
SOURCE_VALUES = {
    "id": re.compile(r"[A-Za-z][\w-]*"),
    "class": re.compile(r"[\w -]*"),
    "markdown": re.compile(r"|0|1|block|span"),
}
ALLOWED_IN_SOURCE = "<div> and <p> with id, class and markdown"

# What to write instead of a tag the pages may not hold.
INSTEAD = {
    "script": "pages run no scripts of their own: put behaviour in docs/javascripts/ and list it in mkdocs.yml "
    "extra_javascript",
    "noscript": "pages run no scripts of their own: say what needs JavaScript in a plain paragraph",
    "style": "style with docs/stylesheets/ (listed in mkdocs.yml extra_css) and a class",
    "link": "style with docs/stylesheets/ (listed in mkdocs.yml extra_css); link with [text](url)",
    "base": "the theme owns the page's <head>; link relative to this page",
    "meta": "the theme owns the page's <head>; set what a page needs in its front matter",
    "title": "the theme owns the page's <head>; set `title:` in the front matter",
    "iframe": "embed nothing from another site: link to it with [text](https://...)",
    "frame": "embed nothing from another site: link to it with [text](https://...)",
    "frameset": "embed nothing from another site: link to it with [text](https://...)",
    "object": "embed nothing: link to the file with [text](path), or draw a figure with save_figure in a notebook",
    "embed": "embed nothing: link to the file with [text](path), or draw a figure with save_figure in a notebook",
    "applet": "embed nothing: link to the file with [text](path)",
    "portal": "embed nothing from another site: link to it with [text](https://...)",
    "video": "embed no media: link to it with [text](https://...), or draw a figure with save_figure in a notebook",
    "audio": "embed no media: link to it with [text](https://...)",
    "source": "embed no media: link to it with [text](https://...)",
    "track": "embed no media: link to it with [text](https://...)",
    "picture": "write an image as ![alt text](path)",
    "img": "write an image as ![alt text](path), a figure as ![alt text](../figures/qNN_x/name.svg)",
    "svg": "draw the figure with save_figure in a notebook and embed it with ![alt text](../figures/qNN_x/name.svg)",
    "math": "write math as $...$ (TeX), which MathJax typesets",
    "canvas": "draw the figure with save_figure in a notebook and embed it with ![alt text](../figures/qNN_x/name.svg)",
    "form": "pages take no input: the study features live in docs/javascripts/",
    "input": "pages take no input: the study features live in docs/javascripts/",
    "button": "pages take no input: the study features live in docs/javascripts/",
    "select": "pages take no input: the study features live in docs/javascripts/",
    "textarea": "pages take no input: the study features live in docs/javascripts/",
    "template": "pages hold no templates: the study features live in docs/javascripts/",
    "a": "write a link as [text](url)",
    "b": "write **bold**",
    "strong": "write **bold**",
    "i": "write *italic*",
    "em": "write *italic*",
    "u": "write *italic* for emphasis",
    "code": "write `code`",
    "pre": "write a fenced code block (```)",
    "kbd": "write keys as ++ctrl+c++ (pymdownx.keys)",
    "br": "end the sentence and start it on a new line (one sentence per line), or start a new paragraph",
    "hr": "write --- on a line of its own",
    "sup": "write math, $x^2$, or a footnote, [^1]",
    "sub": "write math, $x_i$",
    "table": "write a Markdown table (| a | b |)",
    "details": 'write a collapsible block as ??? note "Title"',
    "summary": 'write a collapsible block as ??? note "Title"',
    "span": "write Markdown; to style, add a class to docs/stylesheets/ and use it on a <div>",
    "font": "write Markdown; style with docs/stylesheets/",
    "center": "write Markdown; style with docs/stylesheets/",
    "marquee": "write Markdown",
    "blink": "write Markdown",
    "h1": "write a heading as ## Heading",
    "h2": "write a heading as ## Heading",
    "h3": "write a heading as ### Heading",
    "ul": "write a list with - items",
    "ol": "write a list with 1. items",
    "li": "write a list with - items",
}


def instead_of_tag(name: str) -> str:
    return INSTEAD.get(name, f"write it in Markdown (raw HTML in a page is limited to {ALLOWED_IN_SOURCE})")


def instead_of_attribute(name: str) -> str:
    if name.startswith("on"):
        return "event handlers never run on the site: put behaviour in docs/javascripts/"
    if name == "style":
        return "style with a class from docs/stylesheets/ instead"
    if name in URL_ATTRS:
        return "write a link as [text](url), an image as ![alt text](path)"
    return "the attributes allowed are id, class and markdown"


@dataclass
class SourceProblem:
    offset: int  # into the text checked
    code: str
    message: str


# Code, where `<` is text: fenced blocks and inline code (any run of backticks). Not comments: HTML reads
# `<!-->` as a whole comment where Markdown reads on to the next `-->`, so the tokenizer reads them itself.
CODE = re.compile(r"```.*?```|~~~.*?~~~|(`+)(?:(?!\1)[^\n])+?\1", re.S)


@functools.cache
def _math() -> re.Pattern[str]:
    """Math, where `<` is TeX: the formulas as pymdownx.arithmatex finds them (blocks first)."""
    from pymdownx import arithmatex

    found = (
        arithmatex.RE_DOLLAR_BLOCK,
        arithmatex.RE_TEX_BLOCK,
        arithmatex.RE_BRACKET_BLOCK,
        arithmatex.RE_SMART_DOLLAR_INLINE,
        arithmatex.RE_BRACKET_INLINE,
    )
    return re.compile("|".join(found), re.S)


def _blank(match: re.Match[str]) -> str:
    return "\n".join(" " * len(line) for line in match.group(0).split("\n"))


def masked_markdown(text: str) -> str:
    """`text` with code and math blanked out (same length, same lines): what is left is prose and raw HTML."""
    if "`" in text or "~~~" in text:
        text = CODE.sub(_blank, text)
    return _math().sub(_blank, text) if "$" in text or "\\" in text else text


def source_problems(markdown_text: str) -> list[SourceProblem]:
    """What the allow-list refuses in a page's Markdown: raw HTML (H001, H002) and attribute lists (H003)."""
    text = masked_markdown(markdown_text)
    found = source_html(text) if re.search(r"<[A-Za-z!?]", text) else []
    return found + (attr_list_problems(text) if "{" in text else [])


# Markdown's autolinks, <https://...> and <name@host>, look like tags but are links (the link checks read them).
AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*>|<mailto:[^<>]*>|<[^<> !]+@[^@<> ]+>")


def source_html(text: str) -> list[SourceProblem]:
    """The raw HTML in a page's Markdown (code and math already blanked out) that the allow-list refuses.

    A backslash escapes no `<` in Python-Markdown: `\\<script>` is a script.
    """
    problems: list[SourceProblem] = []
    for tag in tokens(text, scripts_opaque=False):
        if tag.name == "!" or tag.closing:
            continue
        if AUTOLINK.match(text, tag.start):
            continue
        written = text[tag.start : tag.end]
        shown = written if len(written) <= 60 else written[:57] + "..."
        allowed = SOURCE_TAGS.get(tag.name)
        if allowed is None:
            problems.append(
                SourceProblem(tag.start, "H001", f"raw HTML <{tag.name}> ({shown!r}): {instead_of_tag(tag.name)}")
            )
            continue
        for attr in tag.attrs:
            offset = tag.start + max(written.find(attr.raw), 0)
            if attr.name not in allowed:
                problems.append(
                    SourceProblem(
                        offset,
                        "H002",
                        f"attribute {attr.raw!r} on <{tag.name}>: {instead_of_attribute(attr.name)}",
                    )
                )
            elif not SOURCE_VALUES[attr.name].fullmatch(attr.value or ""):
                problems.append(
                    SourceProblem(
                        offset,
                        "H002",
                        f"attribute {attr.raw!r} on <{tag.name}>: an {attr.name} is letters, digits, '-' and '_'"
                        if attr.name != "markdown"
                        else f"attribute {attr.raw!r} on <{tag.name}>: markdown is 0, 1, block or span",
                    )
                )
    return problems


def _escaped(text: str, offset: int) -> bool:
    """Is the character at `offset` escaped by a backslash (`\\{` is a literal `{` in Markdown)?"""
    start = offset
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (offset - start) % 2 == 1


# Python-Markdown's attr_list: `{: #id .class key=value }` at the end of a heading or of a block's last line, or
# right after an inline element (`[text](url){ ... }`, `![alt](src){ ... }`, `*em*{ ... }`).
ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
INLINE_END = ")]*_`~=^>"
ALLOWED_IN_ATTR_LIST = "#id and .class"


def attr_list_problems(text: str) -> list[SourceProblem]:
    """attr_list attributes other than an id and classes (code and math already blanked out)."""
    from markdown.extensions.attr_list import get_attrs_and_remainder

    problems = []
    for match in ATTR_LIST.finditer(text):
        line_end = text.find("\n", match.end())
        after = text[match.end() : line_end if line_end >= 0 else len(text)]
        inline = match.start() > 0 and text[match.start() - 1] in INLINE_END
        at_end = not after.strip()
        if not (inline or at_end) or _escaped(text, match.start()):
            continue
        attrs, remainder = get_attrs_and_remainder(match.group(1))
        if remainder.strip():
            continue  # not an attribute list: Markdown leaves it as text
        for key, _value in attrs:
            if key in (".", "id", "class"):
                continue
            if not inline and not re.fullmatch(r"[A-Za-z_:][\w:.-]*", key):
                break  # prose in braces at the end of a line, such as {1, 2}: not attributes
            name = key.lower()
            offset = match.start() + max(match.group(0).find(key), 0)
            problems.append(
                SourceProblem(
                    offset,
                    "H003",
                    f"attribute {key!r} in the attribute list {match.group(0)!r}: "
                    f"{instead_of_attribute(name) if name.startswith('on') or name == 'style' else ''}"
                    f"{'; ' if name.startswith('on') or name == 'style' else ''}an attribute list may set only "
                    f"{ALLOWED_IN_ATTR_LIST}",
                )
            )
    return problems


# The backstop: what a page's rendered Markdown may never carry, however it got there (an extension, a snippet,
# a syntax the scans above do not know).
RENDERED_DENIED_TAGS = _words(
    "script noscript style link base meta iframe frame frameset object embed applet portal form svg math video "
    "audio source track template textarea button select"
)
STYLE_CODE = re.compile(r"javascript:|vbscript:|expression\s*\(|behavior\s*:|-moz-binding", re.I)
UNSAFE_STYLE = re.compile(r"url\s*\(|expression\s*\(|javascript:|@import|behavior\s*:|-moz-binding", re.I)


def rendered_problems(rendered: str) -> list[str]:
    """What a page's rendered Markdown carries that runs code or loads from elsewhere: one description each."""
    out = []
    for tag in tokens(rendered):
        if tag.name == "!" or tag.closing:
            continue
        if tag.name in RENDERED_DENIED_TAGS:
            out.append(f"<{tag.name}>")
        for attr in tag.attrs:
            if attr.name.startswith("on") or attr.name in ("srcdoc", "formaction", "http-equiv"):
                out.append(f"{attr.name}= on <{tag.name}>")
            elif attr.name == "style" and UNSAFE_STYLE.search(attr.value or ""):
                out.append(f"style={attr.value!r} on <{tag.name}>")
    return out


# ---- 2. Published pages ----

# Where the site's own scripts live: Material's (assets/javascripts/), MathJax's (assets/mathjax/), the site's
# (javascripts/, mkdocs.yml extra_javascript).
SCRIPT_DIRS = ("assets/javascripts/", "assets/mathjax/", "javascripts/")
# The one javascript: URL the site ships: Material's search "Share" button, which its bundle handles (search.share).
SEARCH_SHARE = ("a", "data-md-component", "search-share", "javascript:void(0)")


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _script_bodies(template: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", template, re.S)


def _pattern(body: str, *, template: bool = True) -> re.Pattern[str]:
    """A script as a pattern; in a template's, each `{{ ... }}` (Material's base URL) stands for a URL."""
    pieces = re.split(r"\{\{.*?\}\}", body.strip(), flags=re.S) if template else [body.strip()]
    return re.compile(r"[\w./:%~+-]*".join(re.escape(p) for p in pieces))


@dataclass(frozen=True)
class InlineScript:
    origin: str  # who writes it, for messages
    pattern: re.Pattern[str]


@functools.cache
def shipped_inline_scripts() -> tuple[InlineScript, ...]:
    """The inline scripts the published pages may run, read from the packages and fragments that write them:

    - Material: the storage helpers (`__md_scope`, with the page's base URL), the palette and the tab
      restoration scripts (partials/javascripts/{base,palette,content}.html);
    - mkdocs-jupyter: on notebook pages its copy button (clipboard.umd.js) and that button's listener
      (notebook.html.j2); not its MathJax runtime, which the build takes out of every page (formulas are
      rendered at build time, handbook/math_render.py), so a page that still has it fails the check;
    - the build: quiz mode's first-paint script (overrides/partials/handbook/quiz-head.html).
    """
    from handbook import ROOT
    from handbook.contract import STORAGE_KEY
    from handbook.fragments import Fragments

    found: list[InlineScript] = []
    material = _package_dir("material")
    if material is not None:
        for name in ("base", "palette", "content"):
            # The site's override of the partial, where it has one (overrides/partials/javascripts/), is what it writes.
            path = ROOT / "overrides" / "partials" / "javascripts" / f"{name}.html"
            if not path.is_file():
                path = material / "templates" / "partials" / "javascripts" / f"{name}.html"
            if path.is_file():
                for body in _script_bodies(path.read_text(encoding="utf-8")):
                    found.append(InlineScript(f"Material's partials/javascripts/{name}.html", _pattern(body)))
    jupyter = _package_dir("mkdocs_jupyter")
    if jupyter is not None:
        assets = jupyter / "templates" / "mkdocs_html"
        clipboard = assets / "assets" / "clipboard.umd.js"
        if clipboard.is_file():
            found.append(
                InlineScript(
                    "mkdocs-jupyter's clipboard.umd.js", _pattern(clipboard.read_text("utf-8"), template=False)
                )
            )
        notebook = assets / "notebook.html.j2"
        if notebook.is_file():
            for body in _script_bodies(notebook.read_text(encoding="utf-8")):
                if "{{" not in body and "{%" not in body:
                    found.append(InlineScript("mkdocs-jupyter's notebook.html.j2", _pattern(body)))
    quiz = Fragments().render("quiz-head", storage_key=STORAGE_KEY)
    for body in _script_bodies(quiz):
        found.append(InlineScript("the build's quiz-head.html", re.compile(re.escape(body.strip()))))
    return tuple(found)


def _inline_allowed(tag: Tag) -> bool:
    body = (tag.body or "").strip()
    kind = (tag.get("type") or "").strip().lower()
    if kind == "application/json":
        if tag.get("id") != "__config":  # Material's configuration: data, never run
            return False
        try:
            json.loads(body)
        except ValueError:
            return False
        return True
    if kind not in ("", "text/javascript", "application/javascript", "module"):
        return False
    return any(s.pattern.fullmatch(body) for s in shipped_inline_scripts())


def site_path(src: str, page_url: str, site_prefix: str = "/") -> str | None:
    """The path inside the site that a relative (or site-absolute) URL on the page at `page_url` names, or None."""
    if scheme(src):
        return None
    path = urlsplit(src).path
    if path.startswith("/"):
        prefix = "/" + site_prefix.strip("/") + "/" if site_prefix.strip("/") else "/"
        if not path.startswith(prefix):
            return None
        path = path[len(prefix) :]
        page_url = ""
    joined = urljoin("/" + page_url, path)
    parts: list[str] = []
    for piece in joined.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


# A tag whose attributes hold none of these can carry neither an event handler nor a URL with a scheme
# (an entity, `&#58;`, could spell the colon): most of a page's tags, which need no closer look. "on" counts where
# an attribute's name can start (not as a value, `unselectable="on"`), and a colon not in a same-page reference
# (`xlink:href="#MJX-..."`, which every glyph of a formula holds): the rendered formulas' tens of thousands of tags
# are then read no closer than the text around them.
WORTH_A_LOOK = re.compile(r"""(?:^|[\s/]|(?<!=)["'])on|&|:(?!href="#[\w.-]*")""", re.I)


def _worth_a_look(name: str, attrs_text: str) -> bool:
    return name in PUBLISHED_DENIED_TAGS or name == "meta" or WORTH_A_LOOK.search(attrs_text) is not None


PUBLISHED_DENIED_TAGS = frozenset({"base", "iframe", "frame", "frameset", "object", "embed", "applet", "portal"})


def page_problems(
    page: str,
    page_url: str,
    *,
    site_prefix: str = "/",
    exists: Callable[[str], bool] | None = None,
) -> list[str]:
    """What a published page carries that the site did not ship: one sentence each, [] for a page that is fine.

    `page_url` is the page's URL in the site ("questions/x/" or "questions/x.html"), `site_prefix` the path the
    site is published under (site_url's, which the 404 page's URLs start with), and `exists` tells whether a file
    is in the site (a script must be one of its files).
    """
    problems: list[str] = []
    for tag in tokens(page, only=_worth_a_look):
        where = f"<{tag.name}> at character {tag.start}"
        if tag.name in PUBLISHED_DENIED_TAGS:
            problems.append(f"{where}: a page may hold no <{tag.name}>")
        if tag.name == "meta" and (tag.get("http-equiv") or "").strip().lower() == "refresh":
            problems.append(f"{where}: <meta http-equiv=refresh> sends the reader elsewhere")
        for attr in tag.attrs:
            if attr.name.startswith("on"):
                problems.append(f"{where}: event-handler attribute {attr.raw[:80]!r}")
            elif attr.name in URL_ATTRS:
                for url in urls_of(attr):
                    reason = unsafe_url(url)
                    share = SEARCH_SHARE
                    if reason and not (
                        tag.name == share[0]
                        and attr.name == "href"
                        and tag.get(share[1]) == share[2]
                        and url == share[3]
                    ):
                        problems.append(f"{where}: {attr.name}={url[:80]!r}: {reason}")
            elif attr.name == "style" and STYLE_CODE.search(attr.value or ""):
                problems.append(f"{where}: style={(attr.value or '')[:80]!r} runs code")
            elif attr.name == "srcdoc":
                problems.append(f"{where}: srcdoc= holds a page of its own")
        if tag.name == "script":
            src = tag.get("src")
            if src is not None:
                path = site_path(src, page_url, site_prefix)
                if path is None or not path.startswith(SCRIPT_DIRS):
                    problems.append(
                        f"{where}: script {src[:80]!r} is not one of the site's own ({', '.join(SCRIPT_DIRS)})"
                    )
                elif exists is not None and not exists(path):
                    problems.append(f"{where}: script {src!r} names {path}, which the site does not have")
            elif not _inline_allowed(tag):
                body = " ".join((tag.body or "").split())
                problems.append(
                    f"{where}: an inline script the site did not write ({body[:80]!r}): only the theme's, "
                    "mkdocs-jupyter's and the build's run"
                )
    return problems


def check_site(site_dir: Path, site_prefix: str = "/", *, directory_urls: bool = True) -> dict[str, list[str]]:
    """`page_problems` of every HTML page in a built site (the online site, or the offline edition), by its path.

    `directory_urls`: pages are served as folders (questions/x/ for questions/x/index.html), as online; the
    offline edition's are not.
    """
    files = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    out = {}
    for name in sorted(f for f in files if f.endswith(".html")):
        url = name
        if directory_urls and (name == "index.html" or name.endswith("/index.html")):
            url = name.removesuffix("index.html")
        found = page_problems(
            (site_dir / name).read_text(encoding="utf-8"), url, site_prefix=site_prefix, exists=files.__contains__
        )
        if found:
            out[name] = found
    return out


# ---- 3. The Anki deck's answers ----

# Dropped with what they hold, and dropped leaving what they hold.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "applet", "frameset", "noscript", "template"})
DROPPED_TAG = frozenset({"base", "meta", "link", "embed", "frame", "form", "portal", "svg", "math"})


def _unsafe_attribute(attr: Attr) -> bool:
    return (
        attr.name.startswith("on")
        or attr.name in ("srcdoc", "formaction", "http-equiv")
        or (attr.name in URL_ATTRS and any(unsafe_url(u) for u in urls_of(attr)))
        or (attr.name == "style" and UNSAFE_STYLE.search(attr.value or "") is not None)
    )


def sanitized(fragment: str) -> str:
    """`fragment` without scripts, frames and plug-ins, event handlers and unsafe URLs; the rest byte for byte."""
    out: list[str] = []
    pos = 0
    inside: str | None = None  # the element whose content is being dropped
    for tag in tokens(fragment):
        if inside is not None:
            if tag.closing and tag.name == inside:
                inside, pos = None, tag.end
            continue
        if tag.name == "!":
            continue
        if tag.name in DROPPED_WITH_CONTENT or tag.name in DROPPED_TAG:
            out.append(fragment[pos : tag.start])
            pos = tag.end
            if tag.name in DROPPED_WITH_CONTENT and not tag.closing:
                inside = tag.name
            continue
        if tag.closing or not any(_unsafe_attribute(a) for a in tag.attrs):
            continue
        written = fragment[tag.start : tag.end]
        kept = "".join(f" {a.raw}" for a in tag.attrs if not _unsafe_attribute(a))
        out.append(
            fragment[pos : tag.start]
            + f"<{written[1 : 1 + len(tag.name)]}{kept}{'/' if written.endswith('/>') else ''}>"
        )
        pos = tag.end
    if inside is None:
        out.append(fragment[pos:])
    return "".join(out)


# ---- 4. SVG figures ----

SVG_WORTH_A_LOOK = re.compile(r"(?:^|[\s/\"'])on|href|url\(|&", re.I)


def _svg_worth_a_look(name: str, attrs_text: str) -> bool:
    return name in FOREIGN or SVG_WORTH_A_LOOK.search(attrs_text) is not None


FOREIGN = frozenset({"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"})
LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#")


def svg_problems(svg: str) -> list[tuple[int, str]]:
    """(offset, what) for each part of an SVG file that runs code or loads another file."""
    out = []
    for tag in tokens(svg, scripts_opaque=False, only=_svg_worth_a_look):
        if tag.name in FOREIGN:
            out.append((tag.start, f"<{tag.name}>"))
        for attr in tag.attrs:
            if attr.name.startswith("on"):
                out.append((tag.start, f"event handler {attr.raw[:60]!r}"))
            elif attr.name in URL_ATTRS and attr.value is not None:
                value = attr.value.strip()
                if not value.startswith("#") and not SAFE_DATA.match(value):
                    out.append((tag.start, f"reference to another file {attr.raw[:60]!r}"))
            elif attr.value and "url(" in attr.value.replace(" ", "").lower():
                stripped = LOCAL_URL.sub("", attr.value)
                if "url(" in stripped.replace(" ", "").lower():
                    out.append((tag.start, f"reference to another file {attr.raw[:60]!r}"))
    for match in re.finditer(r"<style[^>]*>(.*?)</style>", svg, re.S | re.I):
        css = match.group(1)
        if re.search(r"@import", css, re.I) or "url(" in LOCAL_URL.sub("", css).replace(" ", "").lower():
            out.append((match.start(), "a stylesheet that loads another file"))
    return out
