# np6: every target sets itself up; a fresh clone needs only `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPEC := openapi/np6-events.yaml
GEN_CONFIG := openapi/generator.yaml
GEN_TEMPLATES := openapi/templates
GEN_PKG := generated/np6_generated
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export PATH := $(abspath $(BIN)):$(PATH)
# Bytecode written: with PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), every
# `np6` subprocess of the suite compiled np6 from source and every pytest process (each xdist
# worker, each mutant) rewrote the test modules' asserts again: 8 s of CPU to collect the suite
# instead of 3. The caches are __pycache__/ folders inside the checkout (ignored by git);
# Python skips them where it cannot write.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: help install generate check-generated lint lint-spec lint-python lint-types test test-fast mutants demo bench bench-check conformance mock lock dist clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv with the project, every extra and the pinned dev tools (Python only; quick when done)

$(STAMP): pyproject.toml maint/pyproject.toml requirements/dev.txt requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "np6 needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1 || echo missing): run make PYTHON=python3.13 (or any 3.11+)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e maint
	$(BIN)/python -c "import ijson; assert ijson.backend == 'yajl2_c', ijson.backend"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

generate: $(STAMP) ## Regenerate generated/ from the spec, np6/_sync/ from np6/_async/, np6/_fields.pyi, np6/_homes.py (idempotent)
	$(BIN)/openapi-python-client generate --path $(SPEC) --config $(GEN_CONFIG) --meta none \
	  --custom-template-path $(GEN_TEMPLATES) \
	  --output-path $(GEN_PKG) --overwrite
	@rm -rf $(GEN_PKG)/.ruff_cache
	$(BIN)/python scripts/make_sync.py
	$(BIN)/python scripts/make_fields.py
	$(BIN)/python scripts/make_homes.py

check-generated: $(STAMP) ## Fail with a diff when generated/, np6/_sync/, np6/_fields.pyi or np6/_homes.py is not what its source produces
	$(BIN)/python scripts/check_generated.py
	$(BIN)/python scripts/make_sync.py --check
	$(BIN)/python scripts/make_fields.py --check
	$(BIN)/python scripts/make_homes.py --check

lint-spec: $(STAMP) $(NODE_STAMP) ## openapi-spec-validator and Redocly's recommended rules
	$(BIN)/openapi-spec-validator $(SPEC)
	node_modules/.bin/redocly lint --extends recommended --format stylish $(SPEC) 2>&1 \
	  | grep -v -e 'Node.js' -e '║' -e '╔' -e '╚' -e 'npm warn'

lint-python: $(STAMP) ## ruff on the project, mypy --strict on overrides/
	$(BIN)/ruff check overrides maint mock tests bench scripts
	$(BIN)/ruff format --check overrides maint mock tests bench scripts
	$(BIN)/mypy

lint-types: $(STAMP) $(NODE_STAMP) ## mypy --strict and pyright (strict) on every Python block of README.md and docs/, and tests/typing_usage.py
	$(BIN)/python scripts/check_typing.py

lint: lint-spec lint-python lint-types ## Every linter

# pytest-xdist: the suite's tests on WORKERS processes, handed out test by test (tests marked
# with one xdist_group would stay on one worker). More workers than cores, because many tests
# spend their time waiting on a subprocess or a socket.
WORKERS ?= 4
XDIST := -n $(WORKERS) --dist loadgroup

# The drift check, the linters and the mutants run beside the suite, not before it: on 2 cores
# each alone leaves a core idle at times (a mutant's single pytest, mypy, the suite's last and
# longest tests), which the other fills. pytest prints as it goes; the checks' output is kept
# (make -O, whole per step) and printed once the suite ends. The benchmark gate runs last and
# alone, its ratios being CPU times that other work on the cores would distort. Then one line
# with every outcome, so the end of a CI log says what failed. Any step failing fails the target.
test: install ## Everything: drift check, linters and mutants beside the whole test suite on every core, then the benchmark gate
	@checks=$$(mktemp "$${TMPDIR:-/tmp}/np6-checks-XXXXXX"); trap 'rm -f "$$checks"' EXIT; \
	$(MAKE) --no-print-directory -j3 -O check-generated lint mutants >"$$checks" 2>&1 & pid=$$!; \
	suite=0; $(BIN)/pytest -p no:cacheprovider $(XDIST) || suite=$$?; \
	other=0; wait "$$pid" || other=$$?; \
	echo "--- drift check, linters, mutants ---"; cat "$$checks"; \
	echo "--- benchmark gate (bench-check) ---"; \
	bench=0; $(BENCH_CHECK) || bench=$$?; \
	echo "make test: suite $$( ((suite)) && echo "FAILED (pytest exit $$suite)" || echo passed);" \
	  "drift check, linters, mutants $$( ((other)) && echo FAILED || echo passed);" \
	  "benchmark gate $$( ((bench)) && echo FAILED || echo passed)"; \
	! ((suite || other || bench))

mutants: $(STAMP) ## Deliberate disagreements (spec, mock, client) that the contract suite must catch
	$(BIN)/python scripts/mutants.py

test-fast: $(STAMP) ## Only the pytest suite, on every core, stopping at the first failure
	$(BIN)/pytest -p no:cacheprovider -x -q $(XDIST)

demo: $(STAMP) ## Start the bundled mock server and stream events through the client (needs only Python)
	$(BIN)/python scripts/demo.py

bench: install ## Benchmarks (quick set; BENCH=full for 10k/100k/1M)
	$(BIN)/python bench/run.py --set $${BENCH:-quick}

# The in-process bench on 10,000 events (under a minute): fails when a ratio falls below 75 % of
# its target, or of merged main's recorded figure (bench/gate-baseline.json) for a target main
# has not reached. Run it alone: its ratios are CPU times, which other work on the cores distorts.
BENCH_CHECK = $(BIN)/python bench/inprocess.py --check --events 10000 --rounds 3 --imports 3
bench-check: $(STAMP) ## Regression gate: the in-process bench on a small body, failing below 75 % of a target
	$(BENCH_CHECK)

conformance: $(STAMP) ## Contract suite against NP6_BASE_URL with NP6_API_KEY or the file NP6_API_KEY_FILE (read-only)
	$(BIN)/np6 conformance --base-url "$${NP6_BASE_URL:-https://api-cm.np6.com}" --junit-xml junit-conformance.xml \
		$${NP6_API_KEY_FILE:+--api-key-file "$$NP6_API_KEY_FILE"}

mock: $(STAMP) ## Run the mock NP6 server on 127.0.0.1:8080
	$(BIN)/np6 mock --port $${PORT:-8080}

dist: $(STAMP) ## Build the sdist and the wheel into dist/ (what pip installs without git access)
	rm -rf dist
	$(BIN)/hatchling build -d dist
	@ls -1 dist

lock: ## Refresh requirements/constraints.txt from requirements/dev.txt
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements/dev.txt
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^np6' > requirements/constraints.txt
	rm -rf .lock-venv

clean: ## Remove the environment and caches
	rm -rf $(VENV) node_modules .mypy_cache .pytest_cache .ruff_cache .hypothesis
