// The study state, kept in this browser only, and the review schedule that FSRS computes from it.
// One localStorage entry (data.storageKey) holds everything:
//   {quiz, filters, progress: {number: "known"|"review"}, cards: {number: record}, review: settings}
// `progress` is the marks "I know it" / "Review again" as before this file existed; `cards` is each
// question's FSRS card (ts-fsrs's Card with dates as ISO strings) plus the last rating and the day
// it was first rated. Nothing is ever removed: older states only gain `cards` (see withCards).
(() => {
  "use strict";

  const data = window.handbookStudy;
  const FSRS = window.FSRS; // assets/javascripts/ts-fsrs.js, npm's ts-fsrs served by the site
  if (!data) {
    // javascripts/study-data.js did not load (a broken build, or a blocked or interrupted request):
    // say so on every page rather than leave the study features missing without a word.
    const warn = () => {
      const article = document.querySelector("article");
      if (!article || article.querySelector(".study-unavailable")) return;
      const note = document.createElement("p");
      note.className = "study-unavailable";
      note.setAttribute("role", "alert");
      note.textContent =
        "The study features (quiz mode, marks, review, mock interview) could not start: their data, " +
        "javascripts/study-data.js, did not load. Reload the page; if this persists, the site needs rebuilding.";
      article.prepend(note);
    };
    if (window.document$) window.document$.subscribe(warn);
    else document.addEventListener("DOMContentLoaded", warn);
    return;
  }

  // ts-fsrs 5.4.2 implements FSRS-6 (21 weights); py-fsrs 6.3.2 (tests/test_review.py) implements the
  // same FSRS-6 with the same default weights and retention 0.9. Fuzz stays off, as ts-fsrs defaults:
  // the same answers then give the same dates, here and in the test against py-fsrs. One learning
  // step (10 minutes) rather than the default two (1 and 10 minutes): a new question rated Good leaves
  // today's queue at once, for days, while Again and Hard bring it back within the same session.
  const PARAMETERS = { enable_fuzz: false, learning_steps: ["10m"], relearning_steps: ["10m"] };
  const scheduler = FSRS ? FSRS.fsrs(FSRS.generatorParameters(PARAMETERS)) : null;
  const RATINGS = { 1: "Again", 2: "Hard", 3: "Good", 4: "Easy" };
  const MARKS = { known: "I know it", review: "Review again" };
  const MARK_RATING = { known: 4, review: 1 }; // what a mark tells the scheduler
  const SETTINGS = { newPerDay: 5, order: "plan", tag: "", difficulty: "" };
  const MAX_NEW_PER_DAY = 50;
  const EXPORT_FORMAT = "ml-interview-handbook-progress";
  const EXPORT_VERSION = 2; // 1: marks only; 2: marks and the FSRS cards

  const numbers = new Set(data.questions.map((q) => String(q.number)));
  const isQuestion = (key) => typeof key === "string" && numbers.has(key);
  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  // A mark is one of MARKS' own keys: "constructor" or "__proto__" in a stored or imported file is none.
  const validMark = (m) => typeof m === "string" && Object.hasOwn(MARKS, m);

  // ---- Storage ----

  function readRaw() {
    try {
      const state = JSON.parse(localStorage.getItem(data.storageKey));
      if (isObject(state)) return state;
    } catch (_) {
      // unreadable or unavailable storage: start afresh (and say so when saving fails)
    }
    return {};
  }

  // The state with its marks checked by shape (an entry that is no question or no mark is left out) and every
  // marked question given a card, migrated in memory on each read.
  const read = (now = new Date()) => withCards(withValidMarks(readRaw()), now);

  function withValidMarks(state) {
    if (!isObject(state.progress)) return state;
    const marks = Object.entries(state.progress).filter(([number, mark]) => isQuestion(number) && validMark(mark));
    return { ...state, progress: Object.fromEntries(marks) };
  }

  // Saves `change` over the stored state; false when the browser refuses (storage full or blocked).
  function save(change, now = new Date()) {
    const state = { ...read(now), ...change };
    try {
      localStorage.setItem(data.storageKey, JSON.stringify(state));
    } catch (_) {
      return false;
    }
    window.dispatchEvent(new CustomEvent("handbook:study-saved"));
    return true;
  }

  // ---- Cards ----

  const toRecord = (card, extra) => ({
    ...extra,
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.last_review ? card.last_review.toISOString() : null,
  });

  function fromRecord(record) {
    const { rating, added, ...card } = record;
    return { ...card, due: new Date(card.due), last_review: card.last_review ? new Date(card.last_review) : undefined };
  }

  // The card after `rating` (1-4) at `now`, for a question with `record` (undefined: never rated).
  function next(record, rating, now) {
    const card = record ? fromRecord(record) : FSRS.createEmptyCard(now);
    const after = scheduler.next(card, now, rating).card;
    // `added` is the day a question first entered the schedule by a rating (null for a mark's card):
    // the daily allowance of new questions counts those.
    return toRecord(after, { rating, added: record ? record.added : now.toISOString() });
  }

  // Marks made before the scheduler existed enter it: "I know it" as if rated Easy now,
  // "Review again" as a card due now. Marks stay as they are; a card, once there, wins.
  // Neither counts as one of today's new questions (added: null).
  function withCards(state, now) {
    const cards = isObject(state.cards) ? { ...state.cards } : {};
    const marks = isObject(state.progress) ? state.progress : {};
    for (const [number, mark] of Object.entries(marks)) {
      if (!isQuestion(number) || Object.hasOwn(cards, number) || !Object.hasOwn(MARKS, mark) || !scheduler) continue;
      const empty = toRecord(FSRS.createEmptyCard(now), { rating: null, added: null });
      cards[number] = mark === "known" ? next(empty, MARK_RATING.known, now) : empty;
    }
    return { ...state, cards };
  }

  // Rates a question: its new record, and whether it was saved.
  function rate(number, rating, now = new Date()) {
    const state = read(now);
    const record = next(state.cards[number], rating, now);
    return { record, saved: save({ cards: { ...state.cards, [number]: record } }, now) };
  }

  // Sets or clears a mark; setting one also rates the question (see MARK_RATING).
  function setMark(number, mark, now = new Date()) {
    const state = read(now);
    const marks = { ...(state.progress || {}) };
    const cards = { ...state.cards };
    if (mark) {
      marks[number] = mark;
      cards[number] = next(cards[number], MARK_RATING[mark], now);
    } else delete marks[number];
    return save({ progress: marks, cards }, now);
  }

  // For each rating, when the question would be due again if rated so now.
  function preview(number, now = new Date()) {
    const record = read(now).cards[number];
    const outcomes = scheduler.repeat(record ? fromRecord(record) : FSRS.createEmptyCard(now), now);
    return Object.fromEntries(Object.keys(RATINGS).map((r) => [r, outcomes[r].card.due]));
  }

  // ---- The queue ----

  const startOfTomorrow = (now) => {
    const day = new Date(now);
    day.setHours(24, 0, 0, 0);
    return day;
  };
  const sameDay = (a, b) => a.toDateString() === b.toDateString();

  const settings = (state = read()) => {
    const stored = isObject(state.review) ? state.review : {};
    const merged = { ...SETTINGS, ...stored };
    merged.newPerDay = Math.min(MAX_NEW_PER_DAY, Math.max(0, Math.trunc(Number(merged.newPerDay)) || 0));
    return merged;
  };

  // What is waiting today: the rated questions due before midnight (soonest first), then the new
  // ones the daily allowance leaves room for, in the study plan's order or by number, filtered.
  function queue(now = new Date()) {
    const state = read(now);
    const s = settings(state);
    const end = startOfTomorrow(now);
    // A damaged record (edited by hand, say) is left in storage but kept out of the queue.
    const cards = Object.entries(state.cards).filter(([n, r]) => isQuestion(n) && validRecord(r));
    const due = cards
      .filter(([, r]) => new Date(r.due) < end)
      .sort(([, a], [, b]) => new Date(a.due) - new Date(b.due))
      .map(([n]) => Number(n));
    const introduced = cards.filter(([, r]) => r.added && sameDay(new Date(r.added), now)).length;
    const order = s.order === "number" ? data.questions.map((q) => q.number) : data.plan;
    const byNumber = new Map(data.questions.map((q) => [q.number, q]));
    const unseen = order.filter((n) => {
      const q = byNumber.get(n);
      return (
        q &&
        !Object.hasOwn(state.cards, String(n)) &&
        (!s.tag || q.tags.includes(s.tag)) &&
        (!s.difficulty || q.difficulty === s.difficulty)
      );
    });
    const fresh = unseen.slice(0, Math.max(0, s.newPerDay - introduced));
    return { due, fresh, total: due.length + fresh.length, unseen: unseen.length };
  }

  // The soonest due date of all rated questions, or null.
  function nextDue(now = new Date()) {
    const dates = Object.values(read(now).cards)
      .filter(validRecord)
      .map((r) => new Date(r.due));
    return dates.length ? new Date(Math.min(...dates)) : null;
  }

  // ---- Export and import ----

  const isDate = (v) => typeof v === "string" && !Number.isNaN(Date.parse(v));
  const isCount = (v) => Number.isInteger(v) && v >= 0;
  const FIELDS = {
    due: isDate,
    stability: (v) => Number.isFinite(v) && v >= 0,
    difficulty: (v) => Number.isFinite(v) && v >= 0 && v <= 10,
    elapsed_days: isCount,
    scheduled_days: isCount,
    learning_steps: isCount,
    reps: isCount,
    lapses: isCount,
    state: (v) => [0, 1, 2, 3].includes(v), // ts-fsrs's State: New, Learning, Review, Relearning
    last_review: (v) => v === null || isDate(v),
    rating: (v) => v === null || Object.hasOwn(RATINGS, String(v)),
    added: (v) => v === null || isDate(v),
  };
  // A record of exactly these fields, each of the right shape: anything else is refused whole.
  const validRecord = (r) =>
    isObject(r) &&
    Object.keys(r).every((k) => Object.hasOwn(FIELDS, k)) &&
    Object.entries(FIELDS).every(([k, ok]) => ok(r[k]));

  function exportText(now = new Date()) {
    const state = read(now);
    const file = { format: EXPORT_FORMAT, version: EXPORT_VERSION, progress: state.progress || {}, cards: state.cards };
    return JSON.stringify(file, null, 2) + "\n";
  }

  // Merges a file made by Export (version 1 or 2) into this browser's state: a mark or card only
  // here is kept; of two cards for one question, the one reviewed last wins. Returns {ok, message}.
  function importText(text, now = new Date()) {
    const refuse = (message) => ({ ok: false, message });
    let file;
    try {
      file = JSON.parse(text);
    } catch (_) {
      return refuse("This file is not JSON: choose a file made by “Export progress”.");
    }
    if (!isObject(file) || file.format !== EXPORT_FORMAT || !isObject(file.progress)) {
      return refuse("This file is not a progress file of this handbook: choose a file made by “Export progress”.");
    }
    if (!Number.isInteger(file.version) || file.version < 1 || file.version > EXPORT_VERSION) {
      return refuse(
        `This progress file has version ${JSON.stringify(file.version)}, which this edition cannot read: update the handbook.`,
      );
    }
    if (file.cards !== undefined && !isObject(file.cards))
      return refuse("This progress file's review schedule is damaged: nothing was imported.");
    const marks = Object.entries(file.progress).filter(([n, m]) => isQuestion(n) && validMark(m));
    const cards = Object.entries(file.cards || {}).filter(([n, r]) => isQuestion(n) && validRecord(r));
    const skipped =
      Object.keys(file.progress).length - marks.length + Object.keys(file.cards || {}).length - cards.length;

    const state = read(now);
    const merged = { ...state.cards };
    for (const [n, record] of cards) {
      const here = merged[n];
      if (!here || Date.parse(record.last_review || 0) > Date.parse(here.last_review || 0)) merged[n] = record;
    }
    // An older file's marks enter the schedule here, as stored marks do (withCards).
    const progress = { ...(state.progress || {}), ...Object.fromEntries(marks) };
    const saved = save({ progress, cards: withCards({ progress, cards: merged }, now).cards }, now);
    if (!saved) return refuse("This browser does not let the site store anything: nothing was imported.");
    const questions = new Set([...marks, ...cards].map(([n]) => n)).size;
    const note = skipped ? ` (${skipped} unknown entr${skipped === 1 ? "y" : "ies"} skipped)` : "";
    return { ok: true, message: `Imported the progress of ${questions} question${questions === 1 ? "" : "s"}${note}.` };
  }

  // Keep the marks' cards from the first page that sees them, so their dates do not move with each visit.
  const raw = readRaw();
  if (
    Object.keys(withCards(raw, new Date()).cards).length !== Object.keys(isObject(raw.cards) ? raw.cards : {}).length
  ) {
    save({});
  }

  window.handbookStore = {
    RATINGS,
    MARKS,
    MAX_NEW_PER_DAY,
    available: Boolean(scheduler),
    read,
    save,
    rate,
    setMark,
    preview,
    queue,
    nextDue,
    settings,
    startOfTomorrow,
    exportText,
    importText,
  };
})();
