"""Scheduled review (FSRS) and the mock interview: docs/javascripts/study-store.js, study-review.js, study-mock.js.

The browser tests run in Chromium on a fixed clock (Playwright's clock.set_fixed_time, in UTC) with every
off-machine request blocked, and operate the controls with the keyboard. The schedule is checked against
py-fsrs, the scheduler's Python implementation.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from browser import MATH_DONE, OffsiteGuard, load, press
from conftest import ROOT
from handbook import load_mkdocs_config
from handbook.catalog import load_catalog

PALETTES = {"light": "default", "dark": "slate"}
QUESTIONS = {q.number: q.source for q in load_catalog().questions}
from handbook.contract import STORAGE_KEY  # noqa: E402

CARD_DONE = "document.querySelector('.study-card__answer')?.dataset.mathjax === 'done'"
PAGE, PAGE_NUMBER = "questions/bias-variance-tradeoff/", 1
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
FIXTURES = Path(__file__).parent / "fixtures"


def _nav_plan() -> list[int]:
    """The question numbers in the nav's order: the study plan's."""
    by_path = {f"questions/{s.path.name}": n for n, s in QUESTIONS.items()}
    order: list[int] = []

    def walk(item: object) -> None:
        if isinstance(item, list):
            for x in item:
                walk(x)
        elif isinstance(item, dict):
            for x in item.values():
                walk(x)
        elif item in by_path:
            order.append(by_path[item])

    walk(load_mkdocs_config()["nav"])
    return order


PLAN = _nav_plan()


def _context(browser, palette: str = "light", width: int = 1280, height: int = 900):
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=palette, timezone_id="UTC", locale="en-US"
    )
    tab = context.new_page()
    tab.clock.set_fixed_time(T0)
    return context, tab, OffsiteGuard(tab)


@pytest.fixture
def tab(browser):
    """A fresh reader (empty localStorage) in the light palette, the clock fixed at T0."""
    context, page, guard = _context(browser)
    yield page
    context.close()
    assert guard.blocked == [], f"requests tried to leave the machine: {guard.blocked}"


@pytest.fixture(params=list(PALETTES))
def palette_tab(request: pytest.FixtureRequest, browser):
    """The same in the light or the dark palette."""
    context, page, guard = _context(browser, request.param)
    yield page
    context.close()
    assert guard.blocked == [], f"requests tried to leave the machine: {guard.blocked}"


def begin(tab, selector: str) -> None:
    """Press Start review / Start mock interview; the first card appears once the answers have loaded."""
    press(tab, selector)
    tab.wait_for_selector(".study-card")


def stored(tab) -> dict:
    return tab.evaluate(f"JSON.parse(localStorage.getItem('{STORAGE_KEY}') || '{{}}')")


def store(tab, state: dict) -> None:
    tab.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [STORAGE_KEY, state])


def queue(tab) -> dict:
    return tab.evaluate("handbookStore.queue()")


def badge(tab) -> int:
    """The due count in the header, checked against what it says to screen readers."""
    count = int(tab.locator("#study-due .study-due__count").inner_text())
    said = tab.locator("#study-due").text_content()
    assert said == f"Review {count} question{'' if count == 1 else 's'} due today"
    return count


def at(when: str) -> datetime:
    return datetime.fromisoformat(when.replace("Z", "+00:00"))


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def said(date: datetime, now: datetime = T0) -> str:
    """A date as the summaries say it (en-US, UTC): "today at 09:10 AM", "tomorrow", "Mon, Mar 9"."""
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if date < midnight:
        return f"today at {date:%I:%M %p}"
    if date < midnight + timedelta(days=1):
        return "tomorrow"
    return f"{date:%a}, {date:%b} {date.day}"


def record(due: datetime, added: datetime | None = None, rating: int = 3, days: int = 3) -> dict:
    """A stored card in the Review state, as study-store.js writes it."""
    last = due - timedelta(days=days)
    return {
        "due": iso(due),
        "stability": float(days),
        "difficulty": 5.0,
        "elapsed_days": 0,
        "scheduled_days": days,
        "learning_steps": 0,
        "reps": 1,
        "lapses": 0,
        "state": 2,
        "last_review": iso(last),
        "rating": rating,
        "added": iso(added or last),
    }


def reveal_and_rate(tab, key: str) -> int:
    """On a Review or mock-interview card: reveal with the keyboard, rate with a digit; the card's number."""
    title = tab.locator(".study-card__title").inner_text()
    press(tab, ".study-card__reveal")
    tab.wait_for_function(CARD_DONE)
    tab.keyboard.press(key)
    return int(title.split(".", 1)[0])


class TestSchedule:
    def test_good_is_not_due_the_next_day_but_after_its_interval(self, palette_tab, site_url: str) -> None:
        """In quiz mode, after Reveal, key 3 rates Good: not due the next day, due on the day the scheduler said,
        and the Good button announced that interval; Again then brings it back the same day."""
        tab = palette_tab
        load(tab, site_url + PAGE)
        bar = tab.locator(".study-rate")
        press(tab, ".study-quiz-toggle")
        assert bar.is_hidden()
        press(tab, ".study-reveal")
        assert bar.is_visible() and bar.locator("button").count() == 4
        promised = tab.locator(".study-rate--good .study-rate__wait").inner_text()
        tab.keyboard.press("3")  # focus is still on Reveal
        tab.wait_for_function("document.querySelector('.study-rate__result').textContent.includes('Rated Good')")
        assert bar.is_hidden()

        card = stored(tab)["cards"][str(PAGE_NUMBER)]
        due = at(card["due"])
        assert card["rating"] == 3 and card["scheduled_days"] >= 2
        assert due - T0 == timedelta(days=card["scheduled_days"])
        assert promised == f"{card['scheduled_days']} days"

        for day, expected in ((T0 + timedelta(days=1), False), (due - timedelta(days=1), False), (due, True)):
            tab.clock.set_fixed_time(day)
            load(tab, site_url + "review/")
            assert (PAGE_NUMBER in queue(tab)["due"]) is expected, day

        # On its day, Again brings it back within minutes, before midnight.
        tab.clock.set_fixed_time(due)
        load(tab, site_url + PAGE)
        press(tab, ".study-reveal")
        tab.keyboard.press("1")
        card = stored(tab)["cards"][str(PAGE_NUMBER)]
        assert card["rating"] == 1 and card["lapses"] == 1 and at(card["due"]) == due + timedelta(minutes=10)
        assert PAGE_NUMBER in queue(tab)["due"] and badge(tab) == queue(tab)["total"]

    def test_review_session_again_comes_back_and_ends_with_a_summary(self, palette_tab, site_url: str) -> None:
        """The Review page takes the reader through today's questions, the new ones in the study plan's order;
        Again brings a question back in the same session; the summary counts them and names the next due date."""
        tab = palette_tab
        load(tab, site_url + "review/")
        tab.fill("[data-setting=newPerDay]", "2")
        tab.keyboard.press("Tab")  # commits the number, as a change
        summary = tab.locator(".study-review__today")
        assert summary.inner_text() == "2 questions due today: 0 to review, 2 new."
        assert badge(tab) == 2

        begin(tab, ".study-review__start")
        assert tab.evaluate("document.activeElement.classList.contains('study-card__title')")
        assert tab.locator(".study-card__answer").is_hidden()
        first = reveal_and_rate(tab, "1")  # Again
        assert first == PLAN[0]
        again = stored(tab)["cards"][str(first)]
        assert at(again["due"]) == T0 + timedelta(minutes=10) and again["state"] == 1
        second = reveal_and_rate(tab, "3")
        assert second == PLAN[1]
        assert reveal_and_rate(tab, "3") == first, "the question rated Again comes back in the same session"

        done = tab.locator(".study-session__summary li")
        done.first.wait_for()
        dues = {n: at(stored(tab)["cards"][str(n)]["due"]) for n in (first, second)}
        assert min(dues.values()) >= T0 + timedelta(days=1), "both left today's queue"
        assert done.all_inner_texts() == ["Reviewed: 2 questions", "Again: 1", f"Next due: {said(min(dues.values()))}"]
        assert tab.evaluate("document.activeElement.id") == "study-session-done"
        assert badge(tab) == 0 == queue(tab)["total"]

        # The next day: what fell due, and the next two new questions of the plan.
        tomorrow = T0 + timedelta(days=1)
        tab.clock.set_fixed_time(tomorrow)
        load(tab, site_url + "review/")
        due = sorted((d, n) for n, d in dues.items() if d < tomorrow.replace(hour=0) + timedelta(days=1))
        assert queue(tab)["due"] == [n for _, n in due] and queue(tab)["fresh"] == PLAN[2:4]
        assert badge(tab) == len(due) + 2

    def test_due_count_on_every_page_matches_the_queue(self, tab, site_url: str) -> None:
        """The header of every page (and after instant navigation) shows the queue's size: due questions before
        midnight plus the new ones the daily allowance leaves; changing the allowance updates it at once."""
        load(tab, site_url)
        numbers = [PLAN[0], PLAN[1], PLAN[2], PLAN[3]]
        store(
            tab,
            {
                "review": {"newPerDay": 3},
                "cards": {
                    str(numbers[0]): record(T0 - timedelta(days=2)),  # overdue
                    str(numbers[1]): record(T0.replace(hour=23, minute=30)),  # later today
                    str(numbers[2]): record(T0 + timedelta(days=1), added=T0),  # tomorrow; first rated today
                    str(numbers[3]): record(T0 + timedelta(days=1, minutes=-1), added=T0 - timedelta(days=1)),
                },
            },
        )
        # 2 due today, and 3 new a day less the 1 first rated today.
        expected = {"due": numbers[:2], "fresh": PLAN[4:6], "total": 4}
        for page in ("", PAGE, "all-questions/", "notation/", "mock-interview/", "review/"):
            load(tab, site_url + page)
            assert {k: queue(tab)[k] for k in expected} == expected, page
            assert badge(tab) == 4, page
        assert tab.locator(".study-review__today").inner_text() == "4 questions due today: 2 to review, 2 new."

        tab.locator(".md-nav a[href$='notation/']").first.click()  # instant navigation keeps one badge
        tab.wait_for_url("**/notation/")
        assert tab.locator("#study-due").count() == 1 and badge(tab) == 4
        tab.go_back()
        tab.wait_for_selector("[data-setting=newPerDay]")
        tab.fill("[data-setting=newPerDay]", "0")
        tab.keyboard.press("Tab")
        assert badge(tab) == 2 and stored(tab)["review"]["newPerDay"] == 0
        href = tab.locator("#study-due").get_attribute("href")
        assert href == site_url + "review/"

    def test_new_questions_follow_the_plan_or_the_filters(self, tab, site_url: str) -> None:
        """New questions come in the study plan's order by default, by number if chosen, and from one tag and
        difficulty if chosen, a settable number a day."""
        load(tab, site_url + "review/")
        assert queue(tab)["fresh"] == PLAN[:5]  # five a day unless set otherwise
        tab.select_option("[data-setting=order]", "number")
        assert queue(tab)["fresh"] == sorted(QUESTIONS)[:5]
        tag, difficulty = "evaluation", "medium"
        tab.select_option("[data-setting=tag]", tag)
        tab.select_option("[data-setting=difficulty]", difficulty)
        matching = [n for n in sorted(QUESTIONS) if tag in QUESTIONS[n].meta["tags"]]
        matching = [n for n in matching if QUESTIONS[n].meta["difficulty"] == difficulty]
        assert len(matching) >= 2 and queue(tab)["fresh"] == matching[:5]
        load(tab, site_url + "review/")  # the settings are remembered
        assert tab.locator("[data-setting=tag]").input_value() == tag
        assert queue(tab)["fresh"] == matching[:5]


class TestMockInterview:
    def test_three_questions_with_a_timer_then_a_summary_that_feeds_the_queue(self, palette_tab, site_url: str) -> None:
        """Three questions, one minute each: a visible timer that runs out, the short answer and the common mistakes
        on Reveal, scores by keyboard, a summary of all three, and the scores in the review schedule."""
        tab = palette_tab
        load(tab, site_url + "mock-interview/")
        tab.fill("[data-mock=count]", "3")
        tab.select_option("[data-mock=minutes]", "1")
        begin(tab, ".study-mock__start")
        timer = tab.locator(".study-timer")
        assert timer.get_attribute("role") == "timer"
        assert timer.inner_text() == "1:00 left"
        assert tab.locator(".study-session__progress").inner_text() == "Question 1 of 3"
        tab.clock.set_fixed_time(T0 + timedelta(seconds=35))
        tab.wait_for_function("document.querySelector('.study-timer').textContent === '0:25 left'")
        tab.clock.set_fixed_time(T0 + timedelta(seconds=75))
        tab.wait_for_function("document.querySelector('.study-timer').textContent.startsWith('Time is up')")
        assert "study-timer--over" in (timer.get_attribute("class") or "")
        asked = [int(tab.locator(".study-card__title").inner_text().split(".")[0])]
        press(tab, ".study-card__reveal")
        tab.wait_for_function(CARD_DONE)
        headings = tab.locator(".study-card__answer h3").all_inner_texts()
        assert headings == ["Short answer", "Common mistakes"]
        assert tab.locator(".study-card__answer li").count() >= 2
        assert tab.locator(".study-card__answer mjx-container, .study-card__answer p").count() > 0
        assert timer.inner_text() == "Time is up: 0:15 over"  # stopped at Reveal
        tab.keyboard.press("2")  # Hard
        assert tab.locator(".study-session__progress").inner_text() == "Question 2 of 3"
        asked.append(reveal_and_rate(tab, "3"))
        assert tab.locator(".study-session__progress").inner_text() == "Question 3 of 3"
        asked.append(reveal_and_rate(tab, "4"))
        assert len(set(asked)) == 3

        tab.wait_for_selector("#study-mock-done")
        assert tab.evaluate("document.activeElement.id") == "study-mock-done"
        summary = tab.locator(".study-mock__summary").inner_text()
        assert summary == "3 questions in 1:15: Again 0, Hard 1, Good 1, Easy 1."
        rows = tab.locator(".study-mock__results tbody tr")
        assert rows.count() == 3
        cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(3)]
        assert [int(c[0].split(".")[0]) for c in cells] == asked
        assert [c[2] for c in cells] == ["Hard", "Good", "Easy"]
        assert [c[1] for c in cells] == ["1:15", "0:00", "0:00"]

        cards = stored(tab)["cards"]
        assert {n: cards[str(n)]["rating"] for n in asked} == dict(zip(asked, [2, 3, 4], strict=True))
        # Hard on a new question brings it back today: it is in the queue, and so in the badge.
        assert asked[0] in queue(tab)["due"] and asked[1] not in queue(tab)["due"]
        assert badge(tab) == queue(tab)["total"]
        assert all(n not in queue(tab)["fresh"] for n in asked)

    def test_rejects_a_count_it_cannot_ask(self, tab, site_url: str) -> None:
        """Zero questions, or filters no question matches, are refused with a reason, and nothing starts."""
        load(tab, site_url + "mock-interview/")
        tab.fill("[data-mock=count]", "0")
        press(tab, ".study-mock__start")
        assert tab.locator(".study-mock .study-error").inner_text() == "Choose from 1 to 20 questions."
        assert tab.locator(".study-session").is_hidden()


class TestStateIsKept:
    def test_state_survives_reload_and_an_export_import_round_trip(self, tab, site_url: str, tmp_path: Path) -> None:
        """Ratings survive a reload; Export writes them (format version 2) with the marks; Import into an empty
        browser restores the same schedule and due count."""
        load(tab, site_url + "review/")
        begin(tab, ".study-review__start")
        for key in "134":
            reveal_and_rate(tab, key)
        load(tab, site_url + PAGE)
        press(tab, ".study-mark--review")
        before = stored(tab)
        assert len(before["cards"]) == 4 and before["progress"] == {str(PAGE_NUMBER): "review"}
        count = badge(tab)

        load(tab, site_url + "all-questions/")
        assert stored(tab) == before and badge(tab) == count
        with tab.expect_download() as download:
            press(tab, "button:has-text('Export progress')")
        exported = tmp_path / "progress.json"
        download.value.save_as(exported)
        content = json.loads(exported.read_text())
        assert content["version"] == 2 and content["cards"] == before["cards"]
        assert content["progress"] == before["progress"]

        tab.evaluate("localStorage.clear()")
        load(tab, site_url + "all-questions/")
        assert badge(tab) == 5  # a new reader: five new questions
        with tab.expect_file_chooser() as chooser:
            press(tab, "button:has-text('Import progress')")
        chooser.value.set_files(str(exported))
        tab.wait_for_function("document.querySelector('.study-message').textContent.includes('Imported')")
        assert tab.locator(".study-message").inner_text() == "Imported the progress of 4 questions."
        after = stored(tab)
        assert after["cards"] == before["cards"] and after["progress"] == before["progress"]
        assert badge(tab) == count

    def test_an_export_from_before_the_scheduler_imports_cleanly(self, tab, site_url: str) -> None:
        """A version-1 file (marks only, as Export wrote it before this change) imports: the marks show as before
        and enter the schedule, "I know it" as rated Easy and "Review again" due at once."""
        load(tab, site_url + "all-questions/")
        with tab.expect_file_chooser() as chooser:
            press(tab, "button:has-text('Import progress')")
        chooser.value.set_files(str(FIXTURES / "progress-v1.json"))
        tab.wait_for_function("document.querySelector('.study-message').textContent.includes('Imported')")
        assert tab.locator(".study-message").inner_text() == "Imported the progress of 3 questions."
        state = stored(tab)
        assert state["progress"] == {"1": "known", "7": "review", "12": "known"}
        assert sorted(state["cards"]) == ["1", "12", "7"]
        known = state["cards"]["1"]
        assert known["rating"] == 4 and at(known["due"]) - T0 == timedelta(days=known["scheduled_days"]) > timedelta(1)
        assert state["cards"]["7"]["state"] == 0 and at(state["cards"]["7"]["due"]) == T0
        assert 7 in queue(tab)["due"] and 1 not in queue(tab)["due"]
        assert tab.locator(".study-summary").inner_text().startswith("Your progress: 2 known, 1 to review")

    def test_marks_stored_before_the_scheduler_carry_over(self, tab, site_url: str) -> None:
        """A reader's stored state from before (quiz, marks, filters) is kept as it was and gains cards once."""
        load(tab, site_url)
        old = {"quiz": True, "progress": {"1": "known", "7": "review"}, "filters": {"tag": "trees"}}
        store(tab, old)
        load(tab, site_url + "notation/")
        state = stored(tab)
        assert {k: state[k] for k in old} == old
        assert sorted(state["cards"]) == ["1", "7"]
        assert state["cards"]["1"]["rating"] == 4 and state["cards"]["7"]["due"] == iso(T0)
        tab.clock.set_fixed_time(T0 + timedelta(hours=2))
        load(tab, site_url + "all-questions/")
        assert stored(tab)["cards"] == state["cards"], "the migration happens once; a later visit changes nothing"
        assert queue(tab)["due"] == [7] and badge(tab) == 6  # 7, and five new a day

    def test_import_checks_the_shape_of_every_entry(self, tab, site_url: str, tmp_path: Path) -> None:
        """Keys that are not question numbers (__proto__, constructor), unknown marks and ratings, extra fields and
        bad dates are skipped and counted; a file of a later version, or with no progress, is refused whole."""
        load(tab, site_url + "all-questions/")
        good = record(T0 + timedelta(days=3))
        bad_rating, extra, bad_date = {**good, "rating": 7}, {**good, "note": "x"}, {**good, "due": "soon"}
        text = (
            '{"format": "ml-interview-handbook-progress", "version": 2,'
            ' "progress": {"1": "known", "2": "constructor", "__proto__": "known", "999": "known"},'
            f' "cards": {{"3": {json.dumps(good)}, "4": {json.dumps(bad_rating)}, "5": {json.dumps(extra)},'
            f' "6": {json.dumps(bad_date)}, "__proto__": {json.dumps(good)}, "constructor": {json.dumps(good)}}}}}'
        )
        result = tab.evaluate("(text) => handbookStore.importText(text)", text)
        assert result == {"ok": True, "message": "Imported the progress of 2 questions (8 unknown entries skipped)."}
        state = stored(tab)
        assert state["progress"] == {"1": "known"}
        assert sorted(state["cards"]) == ["1", "3"] and state["cards"]["3"] == good
        assert tab.evaluate("({}).rating === undefined && ({}).due === undefined"), "Object.prototype was polluted"

        for file, reason in (
            ({"format": "ml-interview-handbook-progress", "version": 3, "progress": {}}, "version 3"),
            ({"format": "ml-interview-handbook-progress", "version": 2, "progress": {}, "cards": []}, "damaged"),
            ({"format": "other", "version": 1, "progress": {}}, "not a progress file"),
        ):
            result = tab.evaluate("(text) => handbookStore.importText(text)", json.dumps(file))
            assert result["ok"] is False and reason in result["message"]
        assert stored(tab) == state

    def test_a_rating_that_cannot_be_saved_is_said(self, tab, site_url: str) -> None:
        """When the browser refuses to store (full or blocked), the Review page says so in an alert."""
        load(tab, site_url + "review/")
        tab.evaluate(
            "() => { Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); }; }"
        )
        begin(tab, ".study-review__start")
        reveal_and_rate(tab, "3")
        alert = tab.locator(".study-session [role=alert]")
        assert "does not let the site store anything" in alert.inner_text()
        assert stored(tab) == {}


def test_review_works_in_the_offline_edition(browser, offline_site: Path) -> None:
    """Opened from file://, the offline edition shows the due count and runs a review session."""
    context, tab, guard = _context(browser)
    try:
        tab.goto((offline_site / "index.html").as_uri())
        tab.wait_for_function(MATH_DONE, timeout=30_000)
        assert badge(tab) == 5
        tab.locator("#study-due").click()
        tab.wait_for_url(re.compile(r"^file://.*/review\.html$"))
        tab.wait_for_function(MATH_DONE, timeout=30_000)
        begin(tab, ".study-review__start")
        assert reveal_and_rate(tab, "4") == PLAN[0]
        assert tab.locator(".study-card__answer").count() == 1 and badge(tab) == 4
        assert guard.blocked == []
    finally:
        context.close()


def test_review_and_mock_interview_fit_a_phone(browser, site_url: str) -> None:
    """At 375 px the header shows the count alone, and a card with its ratings needs no sideways scrolling."""
    context, tab, _ = _context(browser, "dark", 375, 740)
    try:
        load(tab, site_url + "review/")
        assert tab.locator("#study-due .study-due__count").is_visible()
        assert tab.locator("#study-due .study-due__label").is_hidden()
        begin(tab, ".study-review__start")
        press(tab, ".study-card__reveal")
        tab.wait_for_function(CARD_DONE)
        widths = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1], widths
        box = tab.locator(".study-rate").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    finally:
        context.close()


# ---- The scheduler: the site's intervals against py-fsrs ----

# Each step: a rating, and how many days after the due date the review happens. Reviews fall at the time
# of day of the last one or later, where ts-fsrs (calendar days in UTC) and py-fsrs (whole days since the
# last review) count the days between reviews alike.
RATINGS = [(3, 0), (3, 0), (1, 0), (3, 0), (4, 2), (2, 0), (3, 1), (1, 0), (1, 0), (2, 0), (3, 0)]


def _py_fsrs(ratings: list[tuple[int, int]], start: datetime) -> list[tuple[datetime, float, float, int]]:
    scheduler = Scheduler(
        learning_steps=(timedelta(minutes=10),), relearning_steps=(timedelta(minutes=10),), enable_fuzzing=False
    )
    card, out = Card(due=start), []
    for rating, late in ratings:
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=card.due + timedelta(days=late))
        out.append((card.due, card.stability, card.difficulty, card.state.value))
    return out


def _site(tab, ratings: list[tuple[int, int]], start: datetime) -> list[tuple[datetime, float, float, int]]:
    steps = tab.evaluate(
        """([ratings, start]) => {
          let due = new Date(start);
          return ratings.map(([rating, late]) => {
            const { record } = handbookStore.rate('1', rating, new Date(due.getTime() + late * 86400000));
            due = new Date(record.due);
            return [record.due, record.stability, record.difficulty, record.state];
          });
        }""",
        [ratings, iso(start)],
    )
    return [(at(d), s, d_, st) for d, s, d_, st in steps]


def test_site_intervals_agree_with_py_fsrs(tab, site_url: str) -> None:
    """For a fixed sequence of ratings, the site's scheduler (ts-fsrs as study-store.js configures it) gives the
    same due dates, stabilities, difficulties and states as py-fsrs with the same FSRS-6 default weights."""
    load(tab, site_url + "review/")
    site_info = tab.evaluate("({w: [...FSRS.default_w], version: FSRS.FSRSVersion})")
    assert "FSRS-6" in site_info["version"]
    assert site_info["w"] == list(Scheduler().parameters), "ts-fsrs and py-fsrs default weights differ"
    pinned = re.search(r"^fsrs==(\S+)", (ROOT / "requirements-dev.txt").read_text(), re.M)
    assert pinned and version("fsrs") == pinned.group(1)
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["ts-fsrs"] == site_info["version"][1:6]

    ours, theirs = _site(tab, RATINGS, T0), _py_fsrs(RATINGS, T0)
    assert [s[0] for s in ours] == [s[0] for s in theirs]
    assert [s[3] for s in ours] == [s[3] for s in theirs]
    for (_, s1, d1, _), (_, s2, d2, _) in zip(ours, theirs, strict=True):
        assert s1 == pytest.approx(s2, rel=1e-6) and d1 == pytest.approx(d2, rel=1e-6)
    intervals = {round((b[0] - a[0]).total_seconds() / 86400) for a, b in itertools.pairwise(ours)}
    assert max(intervals) >= 10, "the sequence reaches intervals of weeks"

    # Where they part: ts-fsrs keeps Easy at least a day longer than Good in the Review state; py-fsrs does not.
    # A last Easy after the sequence shows it (both compute the same stability).
    ours, theirs = _site(tab, [(4, 0)], ours[-1][0]), _py_fsrs([*RATINGS, (4, 0)], T0)[-1:]
    assert ours[0][1] == pytest.approx(theirs[0][1], rel=1e-6)
    assert ours[0][0] - theirs[0][0] == timedelta(days=1)


def test_generated_study_files(built_site: Path) -> None:
    """The build serves ts-fsrs from node_modules (without its source-map comment), lists the study plan in the
    nav's order, and writes every question's short answer and common mistakes for the cards, with no ids."""
    served = (built_site / "assets" / "javascripts" / "ts-fsrs.js").read_text()
    package = (ROOT / "node_modules" / "ts-fsrs" / "dist" / "index.umd.js").read_text()
    assert "sourceMappingURL" not in served
    assert served == re.sub(r"^//# sourceMappingURL=.*\n?", "", package, flags=re.M)

    data = (built_site / "javascripts" / "study-data.js").read_text()
    data = json.loads(data.split("window.handbookStudy = ", 1)[1].rstrip().rstrip(";"))
    assert data["plan"] == PLAN and sorted(PLAN) == sorted(QUESTIONS)
    assert data["pages"]["review"] == "review/" and data["pages"]["mock"] == "mock-interview/"

    cards = (built_site / data["cards"]).read_text()
    cards = json.loads(cards.split("window.handbookStudyCards = ", 1)[1].rstrip().rstrip(";"))
    assert sorted(map(int, cards)) == sorted(QUESTIONS)
    for number, card in cards.items():
        assert card["answer"].startswith("<p>") and "<li>" in card["mistakes"], number
        assert ' id="' not in card["answer"] + card["mistakes"]
    assert any('class="arithmatex"' in c["answer"] for c in cards.values())
    for page in ("index.html", "review/index.html"):  # the cards load only where a card is shown
        assert "study-cards.js" not in (built_site / page).read_text()
