# The two commands of the README, and the steps they are made of.
# Every target first brings .venv/ and node_modules/ up to date (scripts/bootstrap.sh).
.PHONY: serve test build validate notebooks bench lint

export NO_MKDOCS_2_WARNING := true
PORT ?= 8000

serve:  ## Build the site, then serve it on http://127.0.0.1:8000 with live reload (of the edited pages only)
	@scripts/bootstrap.sh
	.venv/bin/mkdocs serve --dev-addr 127.0.0.1:$(PORT) --livereload --dirty

test:  ## Run the whole test suite (lint, validator, notebooks, build, browser), on two workers
	@scripts/bootstrap.sh dev
	.venv/bin/python -m pytest -n 2 --dist loadgroup --durations=25

build:  ## Build the site into site/ as CI and the deploy do: the site, then its offline edition
	@scripts/bootstrap.sh
	.venv/bin/mkdocs build --strict
	.venv/bin/python scripts/offline_edition.py site

validate:  ## Check links, math and front matter only
	@scripts/bootstrap.sh
	.venv/bin/python scripts/validate.py --stats

notebooks:  ## Execute the notebooks whose code changed
	@scripts/bootstrap.sh
	.venv/bin/python scripts/execute_notebooks.py

bench:  ## Print the build, reload, validator and page-weight figures
	@scripts/bootstrap.sh dev
	.venv/bin/python scripts/bench.py
