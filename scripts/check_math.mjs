// Parse TeX formulas with the MathJax build the site serves, and report each error.
// Input on stdin: a JSON array of {"tex": "...", "display": true|false}.
// Output on stdout: a JSON array, one entry per formula: null when it parses, else
// {"id": "UndefinedControlSequence", "message": "..."}.
// The package set is the one tex-chtml.js uses (base, ams, newcommand, require,
// autoload, configmacros) minus noundefined, so an unknown macro is an error here
// where the browser would silently print it in red.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const formulas = JSON.parse(readFileSync(0, "utf8"));

const MathJax = await require("mathjax-full/es5/node-main.js").init({
  loader: { load: ["input/tex"] },
  tex: {
    packages: { "[-]": ["noundefined"] },
    formatError: (jax, error) => {
      throw error;
    },
  },
  startup: { typeset: false },
});

const results = [];
for (const { tex, display } of formulas) {
  try {
    await MathJax.tex2mmlPromise(tex, { display });
    results.push(null);
  } catch (error) {
    results.push({ id: error.id || "Error", message: String(error.message || error) });
  }
}
process.stdout.write(JSON.stringify(results));
