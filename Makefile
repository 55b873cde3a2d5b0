# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The CI machine has two cores; `make test TEST_WORKERS=4` where there are more.
TEST_WORKERS ?= 2
PARALLEL := -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=15

.PHONY: demo review-examples test check lint typecheck contracts bench bench-load bench-import bench-import-cases bench-screen bench-packet screenshots letter-pictures holidays lock clean

$(STAMP): pyproject.toml requirements/lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/lock.txt -e '.[dev]'
	touch $(STAMP)

## demo: set up, then seed a demo org on the embedded database and serve it (the main job).
demo: $(STAMP)
	$(BIN)/fairpivot demo

## review-examples: review the shipped example case files on the command line.
review-examples: $(STAMP)
	@for f in tests/fixtures/examples/*.json; do \
		case $$f in *.expect.json) continue;; esac; \
		echo "\$$ fairpivot review $$f"; $(BIN)/fairpivot review $$f; echo; \
	done

## test: set up, then run every check and the whole test suite: everything on SQLite,
## then every test that uses a database again on a throwaway PostgreSQL server.
## Each pass runs on TEST_WORKERS processes (pytest-xdist), a test file to a worker at a time
## (module fixtures are set up once), in collection order: the slow end-to-end files first.
test: check
	$(BIN)/python -m pytest $(PARALLEL)
	$(BIN)/python -m pytest $(PARALLEL) tests/integration tests/e2e --db=postgres

check: lint typecheck contracts

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/review_cli.py

## bench-load: HTTP load on the real server (case page, review API, a bare view); see
## docs/performance.md. Three passes on fresh servers, each figure their median; ~5 minutes.
bench-load: $(STAMP)
	$(BIN)/python bench/load.py --repeat 3

## bench-packet: counsel's case packet for the demo's longest case, against a bare one-page
## WeasyPrint render of the same run (docs/performance.md); about 30 seconds.
bench-packet: $(STAMP)
	$(BIN)/python bench/packet.py --runs 7

## bench-import: HRIS import of a generated 1.5M-employee org into SQLite and PostgreSQL,
## against a bare driver loop of the same rows; generates the org once under var/bench.
bench-import: $(STAMP)
	$(BIN)/python bench/import_hris.py

## bench-import-cases: import 20,000 generated case files into SQLite and PostgreSQL against a
## bare insert of the same ledger rows, median of 3 rounds; generates the org once under var/bench.
bench-import-cases: $(STAMP)
	$(BIN)/python bench/import_cases.py

## bench-screen: screen 100,000 cases against a bare load-and-fold, then every analytics
## query on the 1.5M-employee database, on SQLite and PostgreSQL.
bench-screen: $(STAMP)
	$(BIN)/python bench/screen_analytics.py

## letter-pictures: draw page 1 of each letter, made from the demo, in docs/documents.
letter-pictures: $(STAMP)
	$(BIN)/python tools/letter_pictures.py

## screenshots: run the browser tests and journeys, saving their screenshots in docs/screenshots.
screenshots: $(STAMP)
	FAIRPIVOT_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest \
		tests/e2e/test_browser.py tests/e2e/test_journeys.py

## holidays: rewrite the US federal holiday table from the holidays library.
holidays: $(STAMP)
	$(BIN)/python tools/holiday_table.py

## lock: re-pin every dependency to what is installed now (no download addresses).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude fairpivot | sort > requirements/lock.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache
