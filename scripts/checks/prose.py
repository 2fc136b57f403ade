"""Checks of the text outside math and code: stray delimiters, TeX outside math, untranslated text, dead pointers."""

from __future__ import annotations

import re

from checks.core import Checker, Document, line_col, locate
from checks.site import Rendered

# Patterns that must not survive rendering in the text outside math and code. A stray `$` is found
# in the source instead (unpaired_dollars), where its place is known.
PROSE_RULES = (
    (r"\\\(|\\\)|\\\[|\\\]", "M003", "math delimiter {!r} without its partner: close it, or write USD for money"),
    (
        r"\\(?:frac|mathbf|mathbb|mathcal|sum|int|alpha|beta|lambda|theta|sigma|hat|left|right|begin|end|text|textbf|cite)\b",
        "M007",
        "TeX command {!r} outside math: wrap it in $...$",
    ),
    (
        r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]+",
        "P003",
        "non-English text {!r}: translate it",
    ),
    (r"\[[^\]\n]+\]\[[^\]\n]*\]", "L009", "reference-style link {!r} has no definition: add `[label]: url`"),
)
CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|<!--.*?-->", re.S)
DOLLAR = re.compile(r"\\.|\$\$|\$")  # an escaped character (`\$` is a literal dollar), a display or an inline delimiter


def masked(text: str) -> str:
    """`text` with code and comments blanked out (same length, same lines), where no math is parsed."""
    return CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def unpaired_dollars(text: str) -> tuple[list[int], int]:
    """Offsets of `$` and `$$` delimiters that have no partner, pairing them as arithmatex does, and the
    number of escaped dollars (`\\$`) outside math, which the reader sees as `$`.

    A formula never spans a blank line, so the delimiters pair up within each paragraph: `$$` with the next
    `$$` (a `$` inside a display is part of it), `$` with the next `$`. Whatever is open at the paragraph's end
    is the delimiter that lost its partner, not one of the correct formulas around it.
    """
    unpaired: list[int] = []
    escaped = 0
    for paragraph in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", masked(text)):
        display: int | None = None
        inline: int | None = None
        for token in DOLLAR.finditer(paragraph.group(0)):
            offset, kind = paragraph.start() + token.start(), token.group(0)
            if kind.startswith("\\"):
                escaped += kind == "\\$" and display is None and inline is None
                continue
            if kind == "$$" and inline is None:
                display = offset if display is None else None
            elif kind == "$" and display is None:
                inline = offset if inline is None else None
        unpaired += [o for o in (display, inline) if o is not None]
    return sorted(unpaired), escaped


class ProseChecks(Checker):
    def check_prose(self, doc: Document, rendered: Rendered) -> None:
        prose = rendered.prose
        for pattern, code, message in PROSE_RULES:
            for match in re.finditer(pattern, prose):
                # Locate the text with what follows it, which survives rendering unchanged.
                context = prose[match.start() : match.end() + 12].split("\n")[0]
                line, col, _ = locate(doc, context)
                self.add(doc.path, line, col, code, message.format(match.group(0)))
        unpaired, escaped = unpaired_dollars(doc.text)
        if prose.count("$") > escaped:  # a delimiter lost its partner: report it where the source has it
            for offset in unpaired or [max(doc.text.find("$"), 0)]:
                line, col = line_col(doc, offset)
                delimiter = "$$" if doc.text.startswith("$$", offset) else "$"
                self.add(
                    doc.path,
                    line,
                    col,
                    "M003",
                    f"math delimiter {delimiter!r} without its partner: close it, or write \\$ for a dollar sign",
                )
        # Markdown turns a lone \( into "(", so an unclosed one vanishes from the prose: count in the source.
        source = masked(doc.text)
        for paragraph in re.finditer(r"(?:[^\n]+\n?)+", source):
            for left, right in (("\\(", "\\)"), ("\\[", "\\]")):
                if paragraph.group(0).count(left) != paragraph.group(0).count(right):
                    line, col = line_col(doc, paragraph.start() + max(paragraph.group(0).find(left), 0))
                    self.add(doc.path, line, col, "M003", f"{left} and {right} do not pair up in this paragraph")
        # The table of contents shows headings as plain text, so math there stays raw.
        for match in re.finditer(r"^#{1,6}[ \t].*?(\$|\\\()", doc.text, re.M):
            line, col = line_col(doc, match.start(1))
            self.add(doc.path, line, col, "M008", "math in a heading shows raw in the table of contents: reword it")
        for match in re.finditer(r"details? (?:is |are )?(?:in |see )?here", doc.text, re.I):
            if "](" not in doc.text[match.start() : match.end() + 40]:
                line, col = line_col(doc, match.start())
                self.add(doc.path, line, col, "P004", "'details here' points nowhere: link the source or remove it")
