// Render TeX formulas to SVG with the site's MathJax, at build time, and report each one it cannot parse.
// One process serves a whole build (scripts/handbook/math_render.py starts it): the validator's check and the
// pages' rendering send their formulas here, so the check and the page read the same MathJax the same way.
//
// Protocol: one JSON request a line on stdin, one JSON answer a line on stdout.
//   {"formulas": [{"tex": "...", "display": true|false}, ...]}
//     -> {"results": [...]}, one entry a formula: {"error": {"id": "UndefinedControlSequence", "message": "..."}}
//        or {"html": "<mjx-container ...>", "glyphs": {"MJX-TEX-I-1D465": "<path .../>"}}: the formula, whose
//        glyphs are <use> references, and the glyph paths it references (the page ships each once).
//   {"stylesheet": true} -> {"css": "..."}: MathJax's SVG stylesheet, which every page with formulas loads.
//
// The TeX packages are the ones the browser bundle uses (base, ams, newcommand, require, autoload,
// configmacros) minus noundefined, so an unknown macro is an error here where a browser would print it in red.
// ui/safe filters what a formula may put into the page as in the browser (docs/javascripts/math.js): no URL,
// only MathJax's own classes and ids, harmless styles. Assistive MathML is what screen readers read.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);
const MathJax = await require("mathjax-full/es5/node-main.js").init({
  loader: { load: ["input/tex", "output/svg", "a11y/assistive-mml", "ui/safe"] },
  tex: {
    packages: { "[-]": ["noundefined"] },
    formatError: (jax, error) => {
      throw error;
    },
  },
  // One glyph cache for the page (its <defs>), referenced by <use>, instead of each glyph's path in every formula.
  svg: { fontCache: "global" },
  startup: { typeset: false },
});

// node-main builds its document before ui/safe can extend the handler: build it again with the safe handler.
const startup = MathJax.startup;
const { mathjax } = MathJax._.mathjax;
mathjax.handlers.unregister(startup.handler);
startup.handler = MathJax._.ui.safe.SafeHandler.SafeHandler(startup.handler);
mathjax.handlers.register(startup.handler);
startup.document = mathjax.document(startup.document.document, {
  ...MathJax.config.options,
  safeOptions: { allow: { URLs: "none", classes: "safe", cssIDs: "safe", styles: "safe" } },
  InputJax: startup.input,
  OutputJax: startup.output,
});
if (!startup.document.safe) throw new Error("MathJax's ui/safe did not load: formulas would not be filtered");

const adaptor = startup.adaptor;
const fontCache = startup.output.fontCache;
const USE = / xlink:href="#([^"]+)"/g;

// What a page needs of MathJax's SVG, less what only MathJax's own tools read: the nodes' names (but for the three
// its stylesheet styles), the glyphs' code points (data-c, whose one style is kept below without them), the
// TeX classes of the MathML, and the namespaces the HTML parser supplies. The <use> elements keep SVG 1's
// xlink:href, not SVG 2's href: Material's instant navigation rewrites every element's `href` it finds, and an
// SVG element's is read-only, which throws and stops its script.
const SLIM = [
  [/ data-mml-node="(?!merror"|mtable"|maction")[^"]*"/g, ""],
  [/ data-c="[^"]*"/g, ""],
  [/ data-mjx-texclass="[^"]*"/g, ""],
  [/ focusable="false"/g, ""],
  [/ xmlns(?::xlink)?="[^"]*"/g, ""],
];
const STYLE = `
mjx-container[jax="SVG"] use {
  stroke-width: 3;
}
`;

function glyphPaths() {
  const paths = new Map();
  for (const path of adaptor.childNodes(fontCache.getCache())) {
    paths.set(adaptor.getAttribute(path, "id"), adaptor.outerHTML(path).replace(/ data-c="[^"]*"/, ""));
  }
  return paths;
}

async function render({ tex, display }) {
  try {
    // Each formula on its own (no macro or label carried over), so that its result can be cached by its text.
    MathJax.texReset();
    fontCache.clearCache();
    const node = await MathJax.tex2svgPromise(tex, { display });
    const html = SLIM.reduce((text, [pattern, by]) => text.replace(pattern, by), adaptor.outerHTML(node));
    const paths = glyphPaths();
    const glyphs = {};
    for (const [, id] of html.matchAll(USE)) {
      if (paths.has(id)) glyphs[id] = paths.get(id);
    }
    return { html, glyphs };
  } catch (error) {
    return { error: { id: error.id || "Error", message: String(error.message || error) } };
  }
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  let answer;
  if (request.stylesheet) {
    answer = { css: adaptor.textContent(MathJax.svgStylesheet()) + STYLE };
  } else {
    answer = { results: [] };
    for (const formula of request.formulas) answer.results.push(await render(formula));
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
