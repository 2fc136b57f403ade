// MathJax 3 configuration, loaded before the self-hosted assets/mathjax/tex-chtml-nomenu.js.
// Only elements that pymdownx.arithmatex marks (and notebook Markdown cells, and search
// results, which quote pages' text: see the end of this file) hold math, so stray dollar signs elsewhere are never read as TeX.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown|search-math",
    // MathJax's ui/safe (in the bundle, scripts/handbook/mathjax.py) filters what a formula puts into the page,
    // whatever TeX reaches it (the validator refuses these commands in the pages; a search box does not):
    // no URL at all, so \href{javascript:...}{x} is no link; only MathJax's own (mjx-) classes and ids; styles
    // limited to colours, borders, padding and font sizes, never a url() or script.
    safeOptions: {
      allow: { URLs: "none", classes: "safe", cssIDs: "safe", styles: "safe" },
    },
  },
  startup: {
    typeset: false, // the document$ subscription below typesets every page, the first included
  },
};

// Material's instant navigation swaps the page without reloading scripts: typeset each
// new page, one after the other, and mark the page when its math is done (tests wait on it).
document$.subscribe(() => {
  const root = document.documentElement;
  root.dataset.mathjax = "pending";
  MathJax.startup.promise = MathJax.startup.promise
    .then(() => {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      return MathJax.typesetPromise();
    })
    .then(() => {
      markWideInlineMath();
      root.dataset.mathjax = "done";
    })
    .catch((error) => {
      root.dataset.mathjax = "error";
      console.error("MathJax typesetting failed", error);
    });
});

// MathJax 3 cannot break a formula across lines, so an inline formula wider than its line (a long
// identity on a phone) would widen the whole page. Those few, and only those, become boxes that
// scroll sideways in place, which the keyboard can focus (display formulas always are: see extra.css).
function markWideInlineMath() {
  for (const math of document.querySelectorAll("article span.arithmatex")) {
    const container = math.querySelector("mjx-container");
    const line = math.closest("p, li, td, th, dd, figcaption") || math.parentElement;
    if (!container || !line) continue;
    const wide = container.getBoundingClientRect().width > line.getBoundingClientRect().width;
    math.classList.toggle("arithmatex--wide", wide);
    if (wide) math.setAttribute("tabindex", "0");
    else math.removeAttribute("tabindex");
  }
}
let wideMathTimer;
window.addEventListener("resize", () => {
  clearTimeout(wideMathTimer);
  wideMathTimer = setTimeout(markWideInlineMath, 200);
});

// Search results quote the pages' text with its formulas as TeX source. Typeset each batch of
// results as Material adds it to the list (queued behind the page's own pass), so that a reader
// sees formulas rather than backslashes. MathJax reads only elements of a class it processes,
// and a class-less <p> inside a result is not one: mark every element of the results. Neither
// that nor typesetting changes the list's own children, so neither wakes the observer again.
const searchResultLists = new WeakSet();
document$.subscribe(() => {
  const list = document.querySelector(".md-search-result__list");
  if (!list || searchResultLists.has(list)) return;
  searchResultLists.add(list);
  new MutationObserver(() => {
    for (const element of list.querySelectorAll(".md-search-result__article, .md-search-result__article *")) {
      // The query's words that a result lacks ("Missing: ...") are the reader's text, not the page's: a crafted
      // search link must not be typeset into a link or into large red text that the site seems to say.
      if (!element.closest(".md-search-result__terms")) element.classList.add("search-math");
    }
    MathJax.startup.promise = MathJax.startup.promise
      .then(() => MathJax.typesetPromise([list]))
      .catch((error) => console.error("MathJax could not typeset the search results", error));
  }).observe(list, { childList: true });
});
