// Scheduled review: the due count in the header of every page, the rating buttons under a revealed
// answer in quiz mode, and the Review page, which takes the reader through today's queue.
// The schedule itself is study-store.js's; the cards' text comes from javascripts/study-cards.js,
// loaded only by the pages that show cards (this one and the mock interview, study-mock.js).
(() => {
  "use strict";

  const data = window.handbookStudy;
  const store = window.handbookStore;
  if (!data || !store) return; // study-store.js has said why
  const { root, pageKey, element, button, announce, NOT_SAVED } = window.handbookStudyUI;
  const byNumber = new Map(data.questions.map((q) => [q.number, q]));
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  // ---- Dates said briefly ----

  const MINUTE = 60_000;
  const DAY = 86_400_000;

  // "10 min", "3 h", "4 days", "1.2 years": how long until `date`.
  function wait(date, now = new Date()) {
    const ms = Math.max(0, date - now);
    if (ms < 60 * MINUTE) return `${Math.max(1, Math.round(ms / MINUTE))} min`;
    if (ms < DAY) return `${Math.round(ms / (60 * MINUTE))} h`;
    const days = Math.round(ms / DAY);
    return days < 365 ? plural(days, "day") : `${(days / 365).toFixed(1)} years`;
  }

  // "today at 09:10", "tomorrow", "Mon, Jan 12".
  function when(date, now = new Date()) {
    if (date < store.startOfTomorrow(now)) {
      return `today at ${date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}`;
    }
    if (date < new Date(store.startOfTomorrow(now).getTime() + DAY)) return "tomorrow";
    return date.toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" });
  }

  // ---- The due count, in the header of every page ----

  function refreshBadge() {
    const inner = document.querySelector(".md-header__inner");
    if (!inner || !store.available || !data.pages.review) return;
    let badge = document.getElementById("study-due");
    if (!badge) {
      badge = element("a", { id: "study-due", class: "study-due", href: new URL(data.pages.review, root).href });
      const anchor = inner.querySelector(".md-search") || inner.querySelector(".md-header__source");
      inner.insertBefore(badge, anchor);
    }
    const n = store.queue().total;
    badge.classList.toggle("study-due--none", n === 0);
    badge.title = `${plural(n, "question")} due for review today`;
    // Read as "Review 3 questions due today": the visible text, then what it counts.
    badge.replaceChildren(
      element("span", { class: "study-due__label" }, "Review"),
      " ",
      element("span", { class: "study-due__count" }, String(n)),
      element("span", { class: "study-visually-hidden" }, ` question${n === 1 ? "" : "s"} due today`),
    );
  }
  window.addEventListener("handbook:study-saved", refreshBadge);
  window.addEventListener("storage", refreshBadge); // a rating in another tab

  // ---- Rating buttons, with the keys 1 to 4 ----

  // The group of four buttons for question `number`; onRate(rating) runs after the rating is saved.
  function ratingBar(number, onRate, prompt = "How well did you know it?") {
    const id = `study-rate-label-${number}`;
    const bar = element(
      "div",
      { class: "study-bar study-rate", role: "group", "aria-labelledby": id, hidden: "" },
      element("span", { id, class: "study-rate__prompt" }, prompt),
    );
    const buttons = Object.entries(store.RATINGS).map(([rating, label]) =>
      button("", {
        class: `md-button study-button study-rate__button study-rate--${label.toLowerCase()}`,
        "data-rating": rating,
        onclick: () => {
          const result = store.rate(String(number), Number(rating));
          onRate(Number(rating), result);
        },
      }),
    );
    bar.append(...buttons);
    // The interval each rating would give, worked out again whenever the bar is shown.
    bar.refresh = () => {
      const now = new Date();
      const due = store.preview(String(number), now);
      for (const b of buttons) {
        const rating = b.dataset.rating;
        b.replaceChildren(
          element("kbd", { class: "study-rate__key" }, rating),
          ` ${store.RATINGS[rating]} `,
          element("span", { class: "study-rate__wait" }, wait(due[rating], now)),
        );
        b.setAttribute("aria-keyshortcuts", rating); // its name is what it shows: "3 Good 2 days"
      }
    };
    bar.show = (shown) => {
      if (shown) bar.refresh();
      bar.hidden = !shown;
    };
    return bar;
  }

  // One listener for the whole visit: the digits press the visible rating bar's buttons.
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || !/^[1-4]$/.test(event.key)) return;
    if (event.target.closest && event.target.closest("input, select, textarea, [contenteditable]")) return;
    const target = [...document.querySelectorAll(".study-rate:not([hidden])")].find((bar) => bar.offsetParent !== null);
    const chosen = target && target.querySelector(`[data-rating="${event.key}"]`);
    if (chosen) {
      event.preventDefault();
      chosen.click();
    }
  });

  function describeResult(rating, result) {
    const due = new Date(result.record.due);
    const text = `Rated ${store.RATINGS[rating]}: due again ${when(due)} (in ${wait(due)}).`;
    return result.saved ? text : `${NOT_SAVED} ${text}`;
  }

  // Under a question page's answer, in quiz mode once revealed.
  function setUpQuestionRating(article, question) {
    const reveal = article.querySelector(".study-reveal");
    if (!reveal || article.querySelector(".study-rate")) return;
    const status = element("p", { class: "study-message study-rate__result", role: "status" });
    const bar = ratingBar(question.number, (rating, result) => {
      status.textContent = describeResult(rating, result);
      bar.show(false);
    });
    reveal.after(bar, status);
    const sync = () => {
      const shown =
        document.documentElement.classList.contains("study-quiz") && reveal.getAttribute("aria-expanded") === "true";
      if (shown && bar.hidden) status.textContent = "";
      bar.show(shown);
    };
    new MutationObserver(sync).observe(reveal, { attributes: true, attributeFilter: ["aria-expanded", "hidden"] });
    sync();
  }

  // ---- Cards: a question with its short answer and common mistakes ----

  let cardsLoading = null;
  // javascripts/study-cards.js, added as a script (fetch() cannot read file://, the offline edition).
  function loadCards() {
    if (window.handbookStudyCards) return Promise.resolve(window.handbookStudyCards);
    cardsLoading ||= new Promise((resolve, reject) => {
      const script = element("script", { src: new URL(data.cards, root).href });
      script.addEventListener("load", () => resolve(window.handbookStudyCards));
      script.addEventListener("error", () => {
        cardsLoading = null;
        reject(new Error(`${data.cards} could not be loaded`));
      });
      document.head.append(script);
    });
    return cardsLoading;
  }

  // Relative URLs in the cards are relative to the site's root, wherever the card is shown.
  function fragment(html) {
    const template = element("template");
    template.innerHTML = html;
    for (const node of template.content.querySelectorAll("[href], [src]")) {
      for (const name of ["href", "src"]) {
        const value = node.getAttribute(name);
        if (value && !value.startsWith("#")) node.setAttribute(name, new URL(value, root).href);
      }
    }
    return template.content;
  }

  // A question's card: its title (a link to the page), the answer hidden until revealed, then a rating bar.
  // Returns {node, heading, reveal, bar}; onReveal() and onRate(rating, result) let the caller react.
  function card(number, cards, { onReveal = () => {}, onRate, prompt, headingLevel = "h2" }) {
    const q = byNumber.get(number);
    const id = `study-card-${number}`;
    const heading = element(
      headingLevel,
      { class: "study-card__title", id, tabindex: "-1" },
      element("a", { href: new URL(q.url, root).href }, `${q.number}. ${q.title}`),
    );
    const answer = element("div", { class: "study-card__answer", id: `${id}-answer`, tabindex: "-1", hidden: "" });
    const reveal = button("Reveal answer", {
      class: "md-button md-button--primary study-button study-card__reveal",
      "aria-controls": answer.id,
      "aria-expanded": "false",
      onclick: () => {
        answer.replaceChildren(
          element("h3", {}, "Short answer"),
          fragment(cards[number].answer),
          element("h3", {}, "Common mistakes"),
          fragment(cards[number].mistakes),
        );
        answer.hidden = false;
        reveal.hidden = true;
        reveal.setAttribute("aria-expanded", "true");
        bar.show(true);
        answer.focus(); // the reader reads on from the answer, and Tab reaches the ratings after it
        typeset(answer);
        onReveal();
      },
    });
    const bar = ratingBar(number, onRate, prompt);
    const meta = element("p", { class: "study-card__meta" }, `${q.difficulty} · ${q.tags.join(", ")}`);
    const node = element("article", { class: "study-card", "aria-labelledby": id }, heading, meta, reveal, answer, bar);
    return { node, heading, reveal, bar };
  }

  function typeset(node) {
    // The cards' answers hold TeX (study-cards.js): MathJax is loaded for them (docs/javascripts/math.js).
    if (!window.handbookMath) return;
    node.dataset.mathjax = "pending";
    window.handbookMath
      .typeset([node])
      .then(() => {
        node.dataset.mathjax = "done";
      })
      .catch((error) => {
        node.dataset.mathjax = "error";
        console.error("MathJax could not typeset the card", error);
      });
  }

  // ---- The Review page ----

  function setUpReview(article) {
    const mount = article.querySelector("#study-review");
    if (!mount) return;
    if (!store.available) {
      mount.replaceChildren(
        element(
          "p",
          { class: "study-message" },
          "The scheduler (assets/javascripts/ts-fsrs.js) did not load: reload the page.",
        ),
      );
      return;
    }
    const summary = element("p", { class: "study-review__today", role: "status" });
    const start = button("Start review", { class: "md-button md-button--primary study-button study-review__start" });
    const error = element("p", { class: "study-message study-error", role: "alert" });
    const today = element(
      "section",
      { class: "study-panel study-review", "aria-labelledby": "study-today" },
      element("h2", { id: "study-today" }, "Today"),
      summary,
      element("div", { class: "study-bar" }, start),
      settingsForm(() => refresh()),
      error,
    );
    const session = element("section", { class: "study-session", "aria-label": "Review session", hidden: "" });
    mount.replaceChildren(today, session);

    function refresh() {
      const q = store.queue();
      const next = store.nextDue();
      summary.textContent = q.total
        ? `${plural(q.total, "question")} due today: ${q.due.length} to review, ${q.fresh.length} new.`
        : `Nothing is due today.${next ? ` Next review: ${when(next)}.` : ""}`;
      start.disabled = q.total === 0;
    }
    refresh();
    // A save elsewhere (a mark, the settings) changes today's numbers; the listener goes with the page.
    const onSaved = () => {
      if (!mount.isConnected) window.removeEventListener("handbook:study-saved", onSaved);
      else if (!today.hidden) refresh();
    };
    window.addEventListener("handbook:study-saved", onSaved);

    start.addEventListener("click", async () => {
      const cards = await loadCardsOr(error);
      if (!cards) return;
      const q = store.queue();
      runSession([...q.due, ...q.fresh], cards);
    });

    function runSession(queue, cards) {
      const reviewed = new Set();
      let again = 0;
      let failed = false;
      today.hidden = true;
      session.hidden = false;
      const status = element("p", { class: "study-session__progress" });
      const warning = element("p", { class: "study-message study-error", role: "alert" });
      const slot = element("div");
      session.replaceChildren(status, warning, slot);

      const show = () => {
        if (!queue.length) return finish();
        const number = queue.shift();
        status.textContent = `${plural(reviewed.size, "question")} reviewed, ${queue.length + 1} to go.`;
        const view = card(number, cards, {
          onRate: (rating, result) => {
            reviewed.add(number);
            if (rating === 1) again += 1;
            if (!result.saved && !failed) {
              failed = true;
              warning.textContent = `${NOT_SAVED} Export your progress on the All questions page before you leave.`;
            }
            // Due again today (Again, or Hard on a new question): back at the end of this session.
            if (new Date(result.record.due) < store.startOfTomorrow(new Date())) queue.push(number);
            announce(describeResult(rating, result));
            show();
          },
        });
        slot.replaceChildren(view.node);
        view.heading.focus();
      };

      const finish = () => {
        const next = store.nextDue();
        const heading = element("h2", { id: "study-session-done", tabindex: "-1" }, "Session done");
        showSummary(
          session,
          warning,
          heading,
          element(
            "ul",
            { class: "study-session__summary" },
            element("li", {}, `Reviewed: ${plural(reviewed.size, "question")}`),
            element("li", {}, `Again: ${again}`),
            element("li", {}, `Next due: ${next ? when(next) : "nothing scheduled"}`),
          ),
          element(
            "div",
            { class: "study-bar" },
            button("Back to today", {
              onclick: () => {
                session.hidden = true;
                today.hidden = false;
                refresh();
                start.focus();
              },
            }),
          ),
        );
      };
      show();
    }
  }

  // New questions: how many a day, in which order, and which ones.
  function settingsForm(onChange) {
    const s = store.settings();
    const tags = [...new Set(data.questions.flatMap((q) => q.tags))].sort();
    const save = (change) => {
      if (!store.save({ review: { ...store.settings(), ...change } })) announce(NOT_SAVED);
      onChange();
    };
    const perDay = element("input", {
      type: "number",
      min: "0",
      max: String(store.MAX_NEW_PER_DAY),
      step: "1",
      value: String(s.newPerDay),
      "data-setting": "newPerDay",
    });
    perDay.addEventListener("change", () => {
      const value = Math.trunc(Number(perDay.value));
      if (!Number.isFinite(value) || value < 0 || value > store.MAX_NEW_PER_DAY) {
        perDay.value = String(store.settings().newPerDay);
        announce(`Choose a number from 0 to ${store.MAX_NEW_PER_DAY}.`);
        return;
      }
      save({ newPerDay: value });
    });
    const choose = (name, label, options) => {
      const select = element("select", { "data-setting": name });
      for (const [value, text] of options) select.append(element("option", { value }, text));
      select.value = s[name];
      select.addEventListener("change", () => save({ [name]: select.value }));
      return element("label", { class: "study-filter" }, `${label} `, select);
    };
    return element(
      "fieldset",
      { class: "study-settings" },
      element("legend", {}, "New questions"),
      element(
        "div",
        { class: "study-bar" },
        element("label", { class: "study-filter" }, "A day ", perDay),
        choose("order", "Order", [
          ["plan", "study plan"],
          ["number", "question number"],
        ]),
        choose("tag", "Tag", [["", "any"], ...tags.map((t) => [t, t])]),
        choose("difficulty", "Difficulty", [["", "any"], ...data.difficulties.map((d) => [d, d])]),
      ),
    );
  }

  // The cards, or null once `error` tells the reader why they could not be loaded.
  async function loadCardsOr(error) {
    try {
      return await loadCards();
    } catch (e) {
      error.textContent = `The questions' answers could not be loaded (${e.message}): reload the page.`;
      return null;
    }
  }

  // The end of a review session or of a mock interview: a titled panel in place of the cards, focused.
  function showSummary(session, warning, heading, ...content) {
    session.replaceChildren(
      warning,
      element(
        "section",
        { class: "study-panel study-summary-panel", "aria-labelledby": heading.id },
        heading,
        ...content,
      ),
    );
    heading.focus();
  }

  window.handbookReview = { card, loadCardsOr, wait, when, plural, describeResult, showSummary };

  document$.subscribe(() => {
    refreshBadge();
    const article = document.querySelector("article.md-content__inner");
    if (!article || !store.available) return;
    const here = pageKey(location.href);
    const question = data.questions.find((q) => pageKey(new URL(q.url, root)) === here);
    if (question) setUpQuestionRating(article, question);
    else if (data.pages.review && here === pageKey(new URL(data.pages.review, root))) setUpReview(article);
  });
})();
