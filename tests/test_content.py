"""The question pages: one per seed number, complete front matter, the template's sections."""

from __future__ import annotations

import re

import pytest

from handbook import load_mkdocs_config
from handbook.catalog import load_catalog

PAGES = [q.source for q in load_catalog().questions]
IDS = [p.path.stem for p in PAGES]
ALLOWED_TAGS = set(
    next(p["tags"] for p in load_mkdocs_config()["plugins"] if isinstance(p, dict) and "tags" in p)["tags_allowed"]
)
ORDER = ["Short answer", "Explanation", "Derivation", "Example", "Common mistakes", "Follow-up questions", "References"]


def test_exactly_one_page_per_number() -> None:
    """Numbers 0 (the taxonomy) to 41 answer the original list and 42 to 69 were added; each has exactly one page."""
    numbers = sorted(p.meta["number"] for p in PAGES)
    assert numbers == list(range(70))
    added = {p.meta["number"] for p in PAGES if p.meta.get("origin") == "added"}
    assert added == set(range(42, 70)), sorted(added ^ set(range(42, 70)))


def test_related_links_go_both_ways_for_added_questions() -> None:
    """An added question and the pages it relates to link each other (the added pages join the site both ways)."""
    related = {p.meta["number"]: set(p.meta.get("related") or []) for p in PAGES}
    one_way = sorted((a, b) for a, bs in related.items() for b in bs if max(a, b) >= 42 and a not in related[b])
    assert one_way == []


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_front_matter(page) -> None:
    """Required keys with the right types; tags from the list; related and notebook resolve."""
    meta = page.meta
    assert isinstance(meta["number"], int) and isinstance(meta["title"], str) and meta["title"].strip()
    assert meta["difficulty"] in {"easy", "medium", "hard"}
    assert meta["tags"] and set(meta["tags"]) <= ALLOWED_TAGS
    numbers = {p.meta["number"] for p in PAGES}
    assert set(meta.get("related", [])) <= numbers - {meta["number"]}
    if "notebook" in meta:
        assert (page.path.parents[2] / "notebooks" / f"{meta['notebook']}.py").is_file()


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_sections_in_order(page) -> None:
    """The H2 sections follow the template; the required ones are all there."""
    headings = re.findall(r"^## (.+?)\s*$", page.body, re.M)
    assert headings == [h for h in ORDER if h in headings], headings
    for required in ("Short answer", "Explanation", "Common mistakes", "Follow-up questions", "References"):
        assert required in headings


def short_answer_sentences(body: str) -> list[str]:
    short = body.split("## Short answer", 1)[1].split("\n## ", 1)[0]
    prose = re.sub(r"\$[^$]*\$", "x", short)  # formulas hold dots that are not sentence ends
    # One sentence per line is the house style; a line may still hold several.
    return [s for line in prose.strip().splitlines() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", line) if s.strip()]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_short_answer_is_two_to_four_sentences(page) -> None:
    """The short answer is something you can say aloud: 2 to 4 sentences, none much over 35 words."""
    sentences = short_answer_sentences(page.body)
    assert 2 <= len(sentences) <= 4, sentences
    long = [s for s in sentences if len(s.split()) > 40]
    assert not long, f"sentences over 40 words (the standard is about 35): {long}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_english_and_no_stubs(page) -> None:
    """No CJK text, no dangling 'details here', and references name real sources."""
    text = page.path.read_text(encoding="utf-8")
    assert not re.search(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]", text)
    assert not re.search(r"details? (in |see )?here(?!\]\()", text, re.I)
    references = page.body.split("## References", 1)[1]
    assert len(re.findall(r"^- ", references, re.M)) >= 2, "cite at least two primary sources"
