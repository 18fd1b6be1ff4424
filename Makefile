# Two commands on a fresh machine (Python 3.11 and make): `make build`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt

# The project's profiles.yml sits in the repo; dbt's usage tracking is off (it cannot reach out anyway).
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help venv build test lint sqlfluff dbt-build docs bouncer mart-diff pytest browser report dashboard-screenshot semantic demo-data gate-input gate-output publish bad-inputs engines-venv test-engines postgres-start postgres-stop benchmark clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-postgres.txt constraints.txt
	@echo "==> creating $(VENV) and installing pinned packages"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r requirements-postgres.txt -c constraints.txt
	@touch $@

venv: $(VENV)/.installed ## Create the virtual environment with the pinned packages

build: venv ## On the embedded demo export: input gate, dbt build (data and unit tests), output gate, publish for BI
	$(MAKE) --no-print-directory gate-input
	$(DBT) build
	$(MAKE) --no-print-directory gate-output
	$(MAKE) --no-print-directory publish

test: sqlfluff build docs bouncer pytest test-engines ## Every check: SQL lint, gated and published build with all data and unit tests, docs, structure rules, pytest, PostgreSQL and Spark parity

lint: sqlfluff bouncer ## The reviewer's lint: sqlfluff, then the structure rules on the last build's artifacts

sqlfluff: venv ## Lint the SQL models, tests and analyses with sqlfluff (dbt templater, in-memory target)
	$(BIN)/sqlfluff lint models tests/*.sql analyses

dbt-build: venv ## dbt build with every data and unit test, on the demo export (no gates, not published)
	$(DBT) build

publish: venv ## Publish the marts of the last finished, green build to target/published/sales_activity.duckdb (BI reads it)
	$(BIN)/python scripts/publish_marts.py

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

bad-inputs: venv ## The bad-input corpus (tests/fixtures/bad_inputs/cases.yml), the PII scan of the marts and the secrets scan
	$(BIN)/python -m pytest tests/python/test_bad_input_corpus.py tests/python/test_privacy.py tests/python/test_secrets.py

semantic: venv ## Validate the MetricFlow semantic layer and query every metric once (after make build)
	$(BIN)/python scripts/check_semantic_layer.py

browser: ## Install headless Chromium and chromedriver (Debian packages) for the dashboard's browser test
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update -q && apt-get install -y -q chromium chromium-driver)

report: venv ## Render the dashboard from the built marts (run make build first): target/report/index.html
	$(BIN)/python scripts/report.py

dashboard-screenshot: report browser ## Refresh docs/images/dashboard.png from the demo dashboard
	$(BIN)/python scripts/browser_check.py target/report/index.html --screenshot docs/images/dashboard.png

benchmark: venv ## Benchmark full, incremental and one-mart builds against the one-pass lower bound: docs/benchmarks.md (BENCH_ARGS='--sizes 1M,10M --runs 3 --workdir /tmp/bench')
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

demo-data: venv ## Regenerate the embedded demo export (deterministic: same seed, same files)
	$(BIN)/python scripts/generate_demo_data.py

gate-input: venv ## Input gate: Great Expectations on the raw export before staging (GATE_ARGS='--vars ...')
	$(BIN)/python scripts/data_gates.py input $(GATE_ARGS)

gate-output: venv ## Output gate: Great Expectations on the public marts after the build (Data Docs: target/data_docs/index.html)
	$(BIN)/python scripts/data_gates.py output $(GATE_ARGS)

engines-venv: .venv-spark/.installed ## The Spark engine's own venv (.venv-spark: dbt-spark, pyspark), pinned by constraints-spark.txt

.venv-spark/.installed: requirements-spark.txt constraints-spark.txt
	@echo "==> creating .venv-spark and installing the pinned Spark packages"
	$(PYTHON) -m venv .venv-spark
	.venv-spark/bin/pip install --quiet --disable-pip-version-check -r requirements-spark.txt -c constraints-spark.txt
	@touch $@

test-engines: build engines-venv ## PostgreSQL and Spark: load the demo, dbt build on each, every public mart compared row for row with DuckDB's
	$(BIN)/python scripts/engine_parity.py

postgres-start: venv ## Start a throw-away local PostgreSQL (target/engines/postgres); prints the SALES_ACTIVITY_PG_PORT to export
	$(BIN)/python scripts/engines.py start-postgres

postgres-stop: ## Stop the local PostgreSQL of postgres-start and remove its data (does nothing if none runs)
	$(PYTHON) scripts/engines.py stop-postgres

clean: ## Remove build output and the virtual environment
	rm -rf target logs $(VENV)
