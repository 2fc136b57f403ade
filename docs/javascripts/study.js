// Study features: quiz mode, a random question to drill, and progress kept in this browser only.
// The questions come from javascripts/study-data.js, which the build generates (scripts/handbook/study_data.py),
// with the class names, ids and data attributes of the pages' HTML in data.names (scripts/handbook/contract.py);
// the state and the review schedule from javascripts/study-store.js (loaded before this file). The
// Review page, the ratings and the mock interview are in study-review.js and study-mock.js.
// Material's instant navigation swaps pages without reloading scripts: each page is set up on document$.
(() => {
  "use strict";

  const data = window.handbookStudy;
  const store = window.handbookStore;
  if (!data || !store) return; // study-store.js has said why
  const NAMES = data.names;
  // This file is javascripts/study.js: the site's root is one level up, on http:// and file:// alike.
  const root = new URL("..", document.currentScript.src);
  const MARKS = store.MARKS;
  const STATUS_FILTERS = {
    "": "any",
    unknown: "not marked “I know it”",
    review: "marked “Review again”",
    unmarked: "not marked yet",
  };

  const pageKey = (url) => {
    const u = new URL(url, root);
    u.hash = "";
    u.search = "";
    return u.href.replace(/index\.html$/, "");
  };
  const questions = data.questions;
  const byPage = new Map(questions.map((q) => [pageKey(q.url), q]));

  // ---- State: see study-store.js ----

  const NOT_SAVED =
    "This browser does not let the site store anything (its storage is full or blocked), so your choice will not be remembered.";
  const readState = () => store.read();
  function saveState(change) {
    if (!store.save(change)) announce(NOT_SAVED);
  }

  const progress = () => readState().progress || {};
  const filters = () => ({ tag: "", difficulty: "", status: "", ...readState().filters });

  // ---- Small helpers ----

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "onclick") node.addEventListener("click", value);
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  const button = (label, attributes = {}) =>
    element("button", { type: "button", class: "md-button study-button", ...attributes }, label);

  // A polite live region outside the page content, so it survives instant navigation.
  function announce(message) {
    let region = document.getElementById("study-live");
    if (!region) {
      region = element("div", { id: "study-live", class: "study-visually-hidden", role: "status" });
      document.body.append(region);
    }
    region.textContent = "";
    // A new text node after a tick makes screen readers announce even a repeated message.
    setTimeout(() => {
      region.textContent = message;
    }, 50);
  }

  // ---- Quiz mode ----

  function setQuiz(on) {
    document.documentElement.classList.toggle("study-quiz", on);
    for (const toggle of document.querySelectorAll(".study-quiz-toggle")) {
      toggle.setAttribute("aria-pressed", String(on));
    }
    const reveal = document.querySelector(".study-reveal");
    if (reveal) reveal.hidden = !on;
  }

  function quizToggle() {
    return button("Quiz mode", {
      class: "md-button study-button study-quiz-toggle",
      "aria-pressed": String(Boolean(readState().quiz)),
      title: "Hide the answers on every question page until you reveal them",
      onclick: () => {
        const on = !readState().quiz;
        saveState({ quiz: on });
        setQuiz(on);
        announce(on ? "Quiz mode on: answers are hidden until you reveal them." : "Quiz mode off: answers are shown.");
      },
    });
  }

  function setRevealed(answer, reveal, revealed) {
    answer.classList.toggle("study-answer--revealed", revealed);
    reveal.setAttribute("aria-expanded", String(revealed));
    reveal.textContent = revealed ? "Hide answer" : "Reveal answer";
  }

  // A link to a heading inside a hidden answer (the contents, a search result) reveals the answer.
  function revealTarget(hash) {
    const answer = document.getElementById(NAMES.answer);
    const reveal = document.querySelector(".study-reveal");
    if (!answer || !reveal || hash.length < 2) return;
    let target;
    try {
      target = document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (_) {
      return; // not a valid fragment: it names no heading
    }
    if (target && answer.contains(target)) setRevealed(answer, reveal, true);
  }

  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest && event.target.closest("a[href*='#']");
      if (link && pageKey(link.href) === pageKey(location.href)) revealTarget(new URL(link.href).hash);
    },
    true,
  );
  window.addEventListener("hashchange", () => revealTarget(location.hash));

  // ---- Random question ----

  function matches(question, f, marks) {
    const mark = marks[question.number];
    return (
      (!f.tag || question.tags.includes(f.tag)) &&
      (!f.difficulty || question.difficulty === f.difficulty) &&
      (!f.status ||
        (f.status === "unknown" && mark !== "known") ||
        (f.status === "review" && mark === "review") ||
        (f.status === "unmarked" && !mark))
    );
  }

  function goToRandomQuestion(current) {
    const f = filters();
    const marks = progress();
    const pool = questions.filter((q) => matches(q, f, marks));
    const others = pool.filter((q) => q !== current);
    const choices = others.length ? others : pool;
    if (!choices.length) {
      announce("No question matches your filters. Change them on the All questions page.");
      return;
    }
    const next = choices[Math.floor(Math.random() * choices.length)];
    location.assign(new URL(next.url, root).href);
  }

  const filtered = () => Object.values(filters()).some(Boolean);

  // ---- Progress ----

  // A mark also rates the question in the review schedule (study-store.js's setMark).
  // Whether it was saved: if not, the reader is told so, and the buttons do not claim a mark that is not there.
  function setMark(question, mark) {
    const saved = store.setMark(String(question.number), mark);
    if (!saved) announce(NOT_SAVED);
    return saved;
  }

  function summary(marks) {
    const values = questions.map((q) => marks[q.number]);
    const known = values.filter((m) => m === "known").length;
    const review = values.filter((m) => m === "review").length;
    return `Your progress: ${known} known, ${review} to review, ${questions.length - known - review} not marked yet.`;
  }

  // The marks and the review schedule, as a file (study-store.js's exportText).
  function exportProgress() {
    const link = element("a", {
      href: URL.createObjectURL(new Blob([store.exportText()], { type: "application/json" })),
      download: "ml-interview-handbook-progress.json",
    });
    link.click(); // detached, so Material's instant navigation never sees the click
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  // ---- Page set-up ----

  function setUpQuestion(article, question) {
    const answer = article.querySelector(`:scope > #${NAMES.answer}`);
    const meta = article.querySelector(`:scope > .${NAMES.meta}`);
    if (!answer || !meta) return;

    const marks = Object.entries(MARKS).map(([mark, label]) =>
      button(label, {
        class: `md-button study-button study-mark study-mark--${mark}`,
        "aria-pressed": String(progress()[question.number] === mark),
        onclick: (event) => {
          const pressed = event.currentTarget.getAttribute("aria-pressed") === "true";
          if (!setMark(question, pressed ? null : mark)) return;
          for (const other of marks) other.setAttribute("aria-pressed", String(!pressed && other === event.currentTarget));
          announce(pressed ? "Mark removed." : `Marked “${label}”.`);
        },
      }),
    );
    const random = button(filtered() ? "Random question (filtered)" : "Random question", {
      class: "md-button study-button study-random",
      title: "Go to a random question matching the filters set on the All questions page",
      onclick: () => goToRandomQuestion(question),
    });
    const bar = element("div", { class: "study-bar", role: "group", "aria-label": "Study" });
    bar.append(quizToggle(), ...marks, random);

    const reveal = button("Reveal answer", {
      class: "md-button md-button--primary study-button study-reveal",
      "aria-controls": answer.id,
      "aria-expanded": "false",
      onclick: () => {
        const revealed = !answer.classList.contains("study-answer--revealed");
        setRevealed(answer, reveal, revealed);
      },
    });
    meta.after(bar, reveal);
    setQuiz(Boolean(readState().quiz));
    revealTarget(location.hash);
  }

  function setUpAllQuestions(article) {
    const table = article.querySelector("table");
    if (!table) return;
    const rows = [...table.tBodies[0].rows];
    table.tHead.rows[0].append(element("th", {}, "Progress"));
    for (const row of rows) row.append(element("td", { class: "study-progress-cell" }));

    const summaryLine = element("p", { class: "study-summary" });
    const count = element("span", { class: "study-count", role: "status" });
    const message = element("p", { class: "study-message", role: "status" });
    const refresh = () => {
      const marks = progress();
      summaryLine.textContent = summary(marks);
      for (const row of rows) {
        const mark = marks[row.querySelector(`[${NAMES.questionAttr}]`)?.getAttribute(NAMES.questionAttr)];
        const badge = mark ? element("span", { class: `study-badge study-badge--${mark}` }, MARKS[mark]) : "";
        row.querySelector(".study-progress-cell").replaceChildren(badge);
      }
      const n = questions.filter((q) => matches(q, filters(), marks)).length;
      count.textContent = `${n} question${n === 1 ? "" : "s"} match.`;
    };

    // Filters for the random question, remembered for the button on every question page.
    const choose = (name, label, options) => {
      const select = element("select", { "data-filter": name });
      for (const [value, text] of options) select.append(element("option", { value }, text));
      select.value = filters()[name];
      select.addEventListener("change", () => {
        saveState({ filters: { ...filters(), [name]: select.value } });
        refresh();
      });
      return element("label", { class: "study-filter" }, `${label} `, select);
    };
    const tags = [...new Set(questions.flatMap((q) => q.tags))].sort();
    const difficulties = data.difficulties.filter((d) => questions.some((q) => q.difficulty === d));

    const file = element("input", { type: "file", accept: ".json,application/json", hidden: "" });
    file.addEventListener("change", async () => {
      if (!file.files.length) return;
      message.textContent = store.importText(await file.files[0].text()).message;
      file.value = "";
      refresh();
    });

    const panel = element(
      "section",
      { class: "study-panel", id: "study-panel", "aria-labelledby": "study-panel-title" },
      element("h2", { id: "study-panel-title" }, "Drill and track your progress"),
      element(
        "div",
        { class: "study-bar", role: "group", "aria-label": "Random question" },
        choose("tag", "Tag", [["", "any"], ...tags.map((t) => [t, t])]),
        choose("difficulty", "Difficulty", [["", "any"], ...difficulties.map((d) => [d, d])]),
        choose("status", "Progress", Object.entries(STATUS_FILTERS)),
        button("Random question", {
          class: "md-button md-button--primary study-button study-random",
          onclick: () => goToRandomQuestion(null),
        }),
        count,
      ),
      summaryLine,
      element(
        "div",
        { class: "study-bar", role: "group", "aria-label": "Quiz mode and progress file" },
        quizToggle(),
        button("Export progress", { onclick: exportProgress }),
        button("Import progress…", { onclick: () => file.click() }),
        file,
      ),
      message,
    );
    (table.closest(".md-typeset__scrollwrap") || table).before(panel); // outside Material's scrolling wrapper
    refresh();
  }

  // The print page: its formulas come rendered (scripts/handbook/math_render.py), so Print is ready at once.
  function setUpPrint(article) {
    const contents = article.querySelector(".print-contents");
    if (!contents) return;
    const print = button("Print or save as PDF", {
      class: "md-button md-button--primary study-button study-print",
      onclick: () => window.print(),
    });
    contents.before(element("p", {}, print));
  }

  // What study-review.js and study-mock.js build their pages with.
  window.handbookStudyUI = { root, pageKey, element, button, announce, NOT_SAVED };

  document$.subscribe(() => {
    document.documentElement.classList.toggle("study-quiz", Boolean(readState().quiz));
    const article = document.querySelector("article.md-content__inner");
    if (!article) return;
    const here = pageKey(location.href);
    const question = byPage.get(here);
    if (question) setUpQuestion(article, question);
    else if (data.pages.all && here === pageKey(data.pages.all)) setUpAllQuestions(article);
    else if (data.pages.print && here === pageKey(data.pages.print)) setUpPrint(article);
  });
})();
