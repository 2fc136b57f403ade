// Mock interview: a few questions picked at random (by tag and difficulty if the reader likes), one at
// a time with a visible timer; the reader answers aloud, reveals the short answer and the common
// mistakes, and scores themselves. The scores are ratings: they go into the review schedule.
(() => {
  "use strict";

  const data = window.handbookStudy;
  const store = window.handbookStore;
  if (!data || !store) return; // study-store.js has said why
  const { root, pageKey, element, button, announce, NOT_SAVED } = window.handbookStudyUI;
  const { card, loadCardsOr, when, plural, showSummary } = window.handbookReview;
  const MINUTES = [1, 2, 3, 5, 10];
  const MAX_QUESTIONS = 20;

  const clock = (ms) => {
    const s = Math.round(Math.abs(ms) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  function shuffle(items) {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  // A countdown that keeps its own time (Date.now), so that a tab in the background stays right.
  function timer(limitMs, onOver) {
    const node = element("p", { class: "study-timer", role: "timer", "aria-label": "Time left" });
    const started = Date.now();
    let stopped = null;
    let over = false;
    const tick = () => {
      const left = limitMs - ((stopped ?? Date.now()) - started);
      node.textContent = left >= 0 ? `${clock(left)} left` : `Time is up: ${clock(left)} over`;
      node.classList.toggle("study-timer--over", left < 0);
      if (left < 0 && !over) {
        over = true;
        onOver();
      }
    };
    const interval = setInterval(() => (node.isConnected ? tick() : clearInterval(interval)), 250);
    tick();
    return {
      node,
      stop: () => {
        stopped ??= Date.now();
        clearInterval(interval);
        tick();
        return stopped - started;
      },
    };
  }

  function setUpMock(article) {
    const mount = article.querySelector("#study-mock");
    if (!mount) return;
    const tags = [...new Set(data.questions.flatMap((q) => q.tags))].sort();
    const count = element("input", {
      type: "number",
      min: "1",
      max: String(MAX_QUESTIONS),
      value: "5",
      step: "1",
      "data-mock": "count",
    });
    const minutes = element("select", { "data-mock": "minutes" });
    for (const m of MINUTES) minutes.append(element("option", { value: String(m) }, plural(m, "minute")));
    minutes.value = "2";
    const select = (name, options) => {
      const node = element("select", { "data-mock": name });
      for (const [value, text] of options) node.append(element("option", { value }, text));
      return node;
    };
    const tag = select("tag", [["", "any"], ...tags.map((t) => [t, t])]);
    const difficulty = select("difficulty", [["", "any"], ...data.difficulties.map((d) => [d, d])]);
    const matching = () =>
      data.questions.filter(
        (q) => (!tag.value || q.tags.includes(tag.value)) && (!difficulty.value || q.difficulty === difficulty.value),
      );
    const matches = element("span", { class: "study-count", role: "status" });
    const error = element("p", { class: "study-message study-error", role: "alert" });
    const refresh = () => {
      const n = matching().length;
      matches.textContent = `${plural(n, "question")} match.`;
    };
    tag.addEventListener("change", refresh);
    difficulty.addEventListener("change", refresh);
    const label = (text, control) => element("label", { class: "study-filter" }, `${text} `, control);
    const start = button("Start mock interview", {
      class: "md-button md-button--primary study-button study-mock__start",
    });
    const setup = element(
      "section",
      { class: "study-panel study-mock", "aria-labelledby": "study-mock-setup" },
      element("h2", { id: "study-mock-setup" }, "Set up your interview"),
      element(
        "div",
        { class: "study-bar" },
        label("Questions", count),
        label("Time each", minutes),
        label("Tag", tag),
        label("Difficulty", difficulty),
      ),
      element("div", { class: "study-bar" }, start, matches),
      error,
    );
    const session = element("section", { class: "study-session", "aria-label": "Mock interview", hidden: "" });
    mount.replaceChildren(setup, session);
    refresh();

    start.addEventListener("click", async () => {
      const n = Math.trunc(Number(count.value));
      if (!(n >= 1 && n <= MAX_QUESTIONS)) {
        error.textContent = `Choose from 1 to ${MAX_QUESTIONS} questions.`;
        count.focus();
        return;
      }
      const pool = matching();
      if (!pool.length) {
        error.textContent = "No question matches this tag and difficulty: choose others.";
        return;
      }
      const cards = await loadCardsOr(error);
      if (!cards) return;
      error.textContent =
        pool.length < n ? `Only ${plural(pool.length, "question")} match: the interview has ${pool.length}.` : "";
      run(shuffle(pool).slice(0, n), Number(minutes.value) * 60_000, cards);
    });

    function run(picked, limitMs, cards) {
      const results = [];
      let failed = false;
      setup.hidden = true;
      session.hidden = false;
      const warning = element("p", { class: "study-message study-error", role: "alert" });

      const ask = (index) => {
        if (index === picked.length) return finish();
        const q = picked[index];
        const clockView = timer(limitMs, () => announce("Time is up. Finish your answer, then reveal it."));
        const view = card(q.number, cards, {
          prompt: "Score yourself:",
          onReveal: () => clockView.stop(),
          onRate: (rating, result) => {
            if (!result.saved && !failed) {
              failed = true;
              warning.textContent = `${NOT_SAVED} Your scores will not reach the review queue.`;
            }
            results.push({ q, rating, ms: clockView.stop() });
            ask(index + 1);
          },
        });
        const hint = element(
          "p",
          { class: "study-mock__hint" },
          "Answer aloud, as you would in the room. Then reveal the short answer and the common mistakes, and score yourself.",
        );
        session.replaceChildren(
          element("p", { class: "study-session__progress" }, `Question ${index + 1} of ${picked.length}`),
          warning,
          clockView.node,
          view.node,
        );
        view.heading.after(hint);
        view.heading.focus();
      };

      const finish = () => {
        const heading = element("h2", { id: "study-mock-done", tabindex: "-1" }, "Interview done");
        const total = results.reduce((sum, r) => sum + r.ms, 0);
        const tally = Object.entries(store.RATINGS).map(
          ([r, name]) => `${name} ${results.filter((x) => x.rating === Number(r)).length}`,
        );
        const table = element(
          "table",
          {}, // class-less, so that Material styles it as its own tables
          element("caption", {}, "Your scores"),
          element(
            "thead",
            {},
            element(
              "tr",
              {},
              element("th", { scope: "col" }, "Question"),
              element("th", { scope: "col" }, "Time"),
              element("th", { scope: "col" }, "Score"),
            ),
          ),
          element(
            "tbody",
            {},
            ...results.map((r) =>
              element(
                "tr",
                {},
                element("td", {}, element("a", { href: new URL(r.q.url, root).href }, `${r.q.number}. ${r.q.title}`)),
                element("td", {}, clock(r.ms)),
                element("td", {}, store.RATINGS[r.rating]),
              ),
            ),
          ),
        );
        const next = store.nextDue();
        const review = element(
          "a",
          { class: "md-button study-button", href: new URL(data.pages.review || "", root).href },
          "Go to Review",
        );
        showSummary(
          session,
          warning,
          heading,
          element(
            "p",
            { class: "study-mock__summary" },
            `${plural(results.length, "question")} in ${clock(total)}: ${tally.join(", ")}.`,
          ),
          element("div", { class: "study-mock__results" }, table), // not Material's scrollwrap, which bleeds past the panel
          element("p", {}, `Your scores are in the review queue. Next due: ${next ? when(next) : "nothing scheduled"}.`),
          element(
            "div",
            { class: "study-bar" },
            button("Start another", {
              onclick: () => {
                session.hidden = true;
                setup.hidden = false;
                start.focus();
              },
            }),
            review,
          ),
        );
      };
      ask(0);
    }
  }

  document$.subscribe(() => {
    const article = document.querySelector("article.md-content__inner");
    if (
      article &&
      store.available &&
      data.pages.mock &&
      pageKey(location.href) === pageKey(new URL(data.pages.mock, root))
    ) {
      setUpMock(article);
    }
  });
})();
