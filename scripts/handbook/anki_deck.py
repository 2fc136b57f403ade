"""The Anki deck: one note per question, its title on the front, its short answer and a link on the back.

Anki recognises a note it already has by the note's guid, derived here from the question's number
alone, so importing a new edition updates the reader's cards (keeping their review history) instead
of adding duplicates. Anki updates a note only if the imported one is newer, so the notes carry the
edition's time (`handbook.source_date_epoch`), never the clock: the same sources give the same bytes.
"""

from __future__ import annotations

import html
import itertools
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import genanki

from handbook import html_safety, zip_bytes
from handbook.catalog import Catalog
from handbook.template import section_html

# Chosen once at random. Never change them: readers' Anki collections know the deck and the note type by them.
DECK_ID = 1_843_377_210
MODEL_ID = 1_397_651_184
DECK_NAME = "ML Interview Handbook"
GUID_NAMESPACE = "ml-interview-handbook question"
URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')

MODEL = genanki.Model(
    MODEL_ID,
    "ML Interview Handbook question",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Link"}, {"name": "Number"}],
    templates=[
        {
            "name": "Question → short answer",
            "qfmt": '<div class="number">Question {{Number}}</div>\n<div class="question">{{Question}}</div>',
            "afmt": (
                '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>\n'
                '<p class="link"><a href="{{Link}}">Read the full answer in the handbook</a></p>'
            ),
        }
    ],
    # No colours: Anki's own light and night modes then apply.
    css=(
        ".card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.5; text-align: left; }\n"
        ".number { font-size: 14px; opacity: 0.7; }\n"
        ".question { font-size: 22px; font-weight: 600; }\n"
        ".link { font-size: 14px; }\n"
    ),
)


@dataclass(frozen=True)
class Card:
    """What the deck shows of one question."""

    number: int
    question: str  # HTML: the title, escaped (Anki shows a field as HTML)
    answer_html: str  # math delimited by \( \) and \[ \], which Anki's MathJax renders; sanitised
    url: str  # the question's page on the published site
    tags: tuple[str, ...]


def note_guid(number: int) -> str:
    """The note's identity in every reader's collection, for every edition."""
    return genanki.guid_for(GUID_NAMESPACE, number)


def apkg_bytes(cards: list[Card], timestamp: int) -> bytes:
    """The deck as an .apkg file: a zip holding Anki's SQLite collection and an (empty) media list."""
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Questions and short answers from the ML Interview Handbook.")
    for card in cards:
        fields = [card.question, card.answer_html, card.url, str(card.number)]
        # `due` orders new cards: the deck is studied in the handbook's order.
        deck.add_note(genanki.Note(MODEL, fields, tags=list(card.tags), guid=note_guid(card.number), due=card.number))
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        # Note and card ids count up from the edition's time, as Anki's own do.
        genanki.Package(deck).write_to_db(connection.cursor(), timestamp, itertools.count(timestamp * 1000))
        connection.commit()
        connection.close()
        return zip_bytes({"collection.anki2": db_path.read_bytes(), "media": b"{}"})


class MissingShortAnswer(ValueError):
    """A question page has no short answer to put on its card."""


def deck_cards(catalog: Catalog, urls: dict[str, str], contents: dict[str, str], site_url: str | None) -> list[Card]:
    """One card per question: the title, and the short answer as the page renders it.

    `urls` maps a page's src_uri to its URL in the site, `contents` to its rendered content. Anki renders both
    fields as HTML, in a reader's collection, where nothing checks them again: the title is escaped, and the
    answer keeps no script, frame, event handler or unsafe URL (handbook/html_safety.py).
    """
    cards = []
    for q in catalog.questions:
        if q.src_uri not in contents:
            continue
        page_url = urljoin(site_url or "", urls[q.src_uri])
        answer = section_html(contents[q.src_uri], "Short answer")
        if answer is None:
            raise MissingShortAnswer(f"docs/{q.src_uri}: no '## Short answer' section for the Anki deck")
        # Links in the answer lead to the published site, since the card lives in Anki.
        answer = html_safety.sanitized(answer.strip())
        answer = URL_ATTR.sub(lambda m, base=page_url: f'{m[1]}="{urljoin(base, m[2])}"', answer)
        question = html.escape(q.title, quote=False)
        cards.append(Card(q.number, question, answer, page_url, (*q.tags, f"difficulty::{q.difficulty}")))
    return cards
