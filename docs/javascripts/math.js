// Formulas are rendered at build time (scripts/handbook/math_render.py): a page arrives with its formulas as SVG,
// visible at first paint, and loads no MathJax. What is left for the browser:
// - an inline formula wider than its line scrolls in its own box, which the keyboard can focus (MathJax cannot
//   break a formula across lines, so a long identity on a phone would otherwise widen the whole page);
// - copying a selection that holds formulas copies their TeX ($...$), where the SVG has no text to copy;
// - MathJax itself (assets/mathjax/tex-chtml-nomenu.js) is loaded only for what the build cannot render, and
//   only when it is needed: search results, which quote the pages' text with its TeX, and the study cards of
//   the review and mock-interview pages (window.handbookMath.typeset, called by study-review.js).
(() => {
  "use strict";
  const BUNDLE = new URL("../assets/mathjax/tex-chtml-nomenu.js", document.currentScript.src).href;
  const root = document.documentElement;

  let loading = null;
  function load() {
    if (!loading) {
      window.MathJax = {
        tex: {
          inlineMath: [["\\(", "\\)"]],
          displayMath: [["\\[", "\\]"]],
          processEscapes: true,
          processEnvironments: true,
        },
        options: {
          // Only what this script marks holds TeX: stray dollar signs elsewhere are never read as math.
          ignoreHtmlClass: ".*|",
          processHtmlClass: "arithmatex|search-math",
          // MathJax's ui/safe (in the bundle, scripts/handbook/mathjax.py) filters what a formula puts into the
          // page, whatever TeX reaches it (a search box included): no URL at all, so \href{javascript:...}{x} is
          // no link; only MathJax's own (mjx-) classes and ids; styles limited to colours, borders, padding and
          // font sizes, never a url() or script. The build's renderer filters the same way.
          safeOptions: {
            allow: { URLs: "none", classes: "safe", cssIDs: "safe", styles: "safe" },
          },
        },
        startup: { typeset: false },
      };
      loading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = BUNDLE;
        script.async = true;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`MathJax could not be loaded from ${BUNDLE}`));
        document.head.append(script);
      }).then(() => window.MathJax.startup.promise);
    }
    return loading;
  }

  // One typesetting at a time: MathJax's document is shared.
  let queue = Promise.resolve();
  function typeset(nodes) {
    const run = queue.then(load).then(() => window.MathJax.typesetPromise(nodes));
    queue = run.catch(() => undefined);
    return run;
  }
  window.handbookMath = { load, typeset };

  function markWideInlineMath(within = document) {
    // Every width is read before any class changes: a write between reads would lay the page out again for each
    // formula. A formula in a part of the page the browser skips for now (content-visibility: auto, the print
    // page's questions) is not measured, which would make the browser lay that part out: it is measured when
    // that part comes into view (the listener below).
    const wide = [];
    for (const math of within.querySelectorAll("article span.arithmatex")) {
      if (math.checkVisibility && !math.checkVisibility({ contentVisibilityAuto: true })) continue;
      const container = math.querySelector("mjx-container");
      const line = math.closest("p, li, td, th, dd, figcaption") || math.parentElement;
      if (!container || !line) continue;
      wide.push([math, container.getBoundingClientRect().width > line.getBoundingClientRect().width]);
    }
    for (const [math, isWide] of wide) {
      math.classList.toggle("arithmatex--wide", isWide);
      if (isWide) math.setAttribute("tabindex", "0");
      else math.removeAttribute("tabindex");
    }
  }
  // The event does not bubble: a capturing listener on the document hears it from every element.
  document.addEventListener(
    "contentvisibilityautostatechange",
    (event) => {
      if (!event.skipped && event.target instanceof Element) markWideInlineMath(event.target);
    },
    true,
  );
  let wideMathTimer;
  window.addEventListener("resize", () => {
    clearTimeout(wideMathTimer);
    wideMathTimer = setTimeout(markWideInlineMath, 200);
  });

  // Each page (Material's instant navigation swaps pages without reloading scripts): mark the wide formulas,
  // then say the page's math is ready (data-mathjax="done", which the tests and `make bench` wait on).
  document$.subscribe(() => {
    markWideInlineMath();
    root.dataset.mathjax = "done";
    watchSearchResults();
  });

  // Copy: each formula in the selection becomes its TeX between dollar signs, as the page's source writes it.
  const BLOCKS = "p, li, div, h1, h2, h3, h4, h5, h6, tr, pre, blockquote, dt, dd";
  document.addEventListener("copy", (event) => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !event.clipboardData) return;
    const copied = document.createElement("div");
    for (let i = 0; i < selection.rangeCount; i += 1) copied.append(selection.getRangeAt(i).cloneContents());
    if (!copied.querySelector("mjx-container[data-tex]")) {
      const inside = selection.anchorNode?.parentElement?.closest("mjx-container[data-tex]");
      if (!inside) return;
      copied.replaceChildren(inside.cloneNode(false)); // a selection within one formula copies that formula
    }
    for (const math of copied.querySelectorAll("mjx-container[data-tex]")) {
      const fence = math.getAttribute("display") === "true" ? "$$" : "$";
      math.replaceWith(`${fence}${math.dataset.tex}${fence}`);
    }
    for (const block of copied.querySelectorAll(BLOCKS)) block.append("\n");
    event.clipboardData.setData("text/plain", copied.textContent.replace(/\n{3,}/g, "\n\n").trim());
    event.preventDefault();
  });

  // Search results quote the pages' text with its formulas as TeX source. Typeset each batch of results as
  // Material adds it to the list, so that a reader sees formulas rather than backslashes; MathJax is loaded then,
  // the first time the reader searches. MathJax reads only elements of a class it processes, and a class-less
  // <p> inside a result is not one: mark every element of the results. Neither that nor typesetting changes the
  // list's own children, so neither wakes the observer again.
  const searchResultLists = new WeakSet();
  function watchSearchResults() {
    const list = document.querySelector(".md-search-result__list");
    if (!list || searchResultLists.has(list)) return;
    searchResultLists.add(list);
    new MutationObserver(() => {
      if (!list.querySelector(".md-search-result__article")) return;
      for (const element of list.querySelectorAll(".md-search-result__article, .md-search-result__article *")) {
        // The query's words that a result lacks ("Missing: ...") are the reader's text, not the page's: a crafted
        // search link must not be typeset into a link or into large red text that the site seems to say.
        if (!element.closest(".md-search-result__terms")) element.classList.add("search-math");
      }
      typeset([list]).catch((error) => console.error("MathJax could not typeset the search results", error));
    }).observe(list, { childList: true });
  }
})();
