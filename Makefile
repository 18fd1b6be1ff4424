# Two commands on a fresh machine (Python 3.11 and make): `make build`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt

# The project's profiles.yml sits in the repo; dbt's usage tracking is off (it cannot reach out anyway).
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help venv build test lint sqlfluff dbt-build docs bouncer mart-diff pytest browser report dashboard-screenshot semantic demo-data clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@echo "==> creating $(VENV) and installing pinned packages"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $@

venv: $(VENV)/.installed ## Create the virtual environment with the pinned packages

build: venv ## Build the marts on the embedded demo export (seeds, models, data and unit tests)
	$(DBT) build

test: sqlfluff dbt-build docs bouncer pytest ## Every check: SQL lint, dbt build with all data and unit tests, docs, structure rules, pytest

lint: sqlfluff bouncer ## The reviewer's lint: sqlfluff, then the structure rules on the last build's artifacts

sqlfluff: venv ## Lint the SQL models, tests and analyses with sqlfluff (dbt templater, in-memory target)
	$(BIN)/sqlfluff lint models tests/*.sql analyses

dbt-build: venv ## dbt build with every data and unit test, on the demo export
	$(DBT) build

docs: venv ## Documentation of every model, column, seed and macro as one offline HTML file
	$(DBT) docs generate --static
	@echo "==> documentation: target/static_index.html (open it in a browser; no server needed)"

bouncer: venv ## Structure rules of STYLE.md (dbt-bouncer.yml) on target/ of the last build and docs
	@test -f target/manifest.json -a -f target/catalog.json || \
		(echo "make bouncer reads target/manifest.json and target/catalog.json: run make build and make docs first" && false)
	COLUMNS=200 $(BIN)/dbt-bouncer --config-file dbt-bouncer.yml --show-all-failures

mart-diff: venv ## Markdown diff of every mart, origin/main (else HEAD~1) vs the working tree: target/mart_diff.md
	$(BIN)/python scripts/mart_diff.py --output target/mart_diff.md

pytest: venv browser ## Python tests: generator, exports and bad inputs, demo reconciliation, dashboard, semantic layer, mart diff
	$(BIN)/python -m pytest tests/python

semantic: venv ## Validate the MetricFlow semantic layer and query every metric once (after make build)
	$(BIN)/python scripts/check_semantic_layer.py

browser: ## Install headless Chromium and chromedriver (Debian packages) for the dashboard's browser test
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update -q && apt-get install -y -q chromium chromium-driver)

report: venv ## Render the dashboard from the built marts (run make build first): target/report/index.html
	$(BIN)/python scripts/report.py

dashboard-screenshot: report browser ## Refresh docs/images/dashboard.png from the demo dashboard
	$(BIN)/python scripts/browser_check.py target/report/index.html --screenshot docs/images/dashboard.png

demo-data: venv ## Regenerate the embedded demo export (deterministic: same seed, same files)
	$(BIN)/python scripts/generate_demo_data.py

clean: ## Remove build output and the virtual environment
	rm -rf target logs $(VENV)
