// MathJax 3 configuration, loaded before the self-hosted assets/mathjax/tex-chtml-nomenu.js.
// Only elements that pymdownx.arithmatex marks (and notebook Markdown cells) hold math,
// so stray dollar signs elsewhere are never read as TeX.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown",
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
      root.dataset.mathjax = "done";
    })
    .catch((error) => {
      root.dataset.mathjax = "error";
      console.error("MathJax typesetting failed", error);
    });
});
