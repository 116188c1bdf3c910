# make run   — install into .venv, migrate the embedded SQLite database, load demo data, serve.
# make test  — install, lint, then the whole suite on SQLite and (when it answers) PostgreSQL.
# make test-browser — only the real-browser tests (tests/browser, Debian's Chromium), on SQLite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp changes whenever the declared or locked dependencies change, so installs re-run.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha1sum | cut -c1-12)

.PHONY: install lint browser test test-browser test-postgres run demo bench-web bench-billing \
	bench-reports bench-certificates

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

lint: install
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/mypy src
	$(BIN)/lint-imports

# Debian's Chromium and Japanese fonts (browser tests, PDF documents); installs them (apt-get) on a fresh
# machine, does nothing when they are there. Never Playwright's own browser download.
browser:
	bash tools/ensure_chromium.sh
	bash tools/ensure_fonts.sh

test: lint browser
	$(BIN)/pytest --cov=kyosai --cov-report=
	$(BIN)/coverage report --include='src/kyosai/rules/*' --fail-under=95
	$(MAKE) --no-print-directory test-postgres

test-browser: install browser
	$(BIN)/pytest -m browser tests/browser

# PostgreSQL at 127.0.0.1:5432: run the suite there too when it answers (CI makes it required).
test-postgres: install browser
	@if $(BIN)/python tools/postgres_ready.py; then \
		KYOSAI_DB=postgres $(BIN)/pytest -p no:cacheprovider; \
	elif [ -n "$$KYOSAI_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL at 127.0.0.1:5432 is required here but does not answer" >&2; exit 1; \
	else \
		echo "PostgreSQL at 127.0.0.1:5432 does not answer: suite ran on SQLite only"; \
	fi

demo: install
	bash tools/ensure_fonts.sh
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The member portal under load: 50 members on PostgreSQL (database kyosai_bench) behind gunicorn,
# over loopback, bounded in time; prints p50/p95/p99 and throughput (tools/bench_web.py --help).
bench-web: install
	$(BIN)/python tools/bench_web.py

# The monthly debit run at national scale: 2,240,000 synthetic contracts in PostgreSQL (database
# kyosai_bench_billing); prints seconds for bill generation with the files and for the result import
# (tools/bench_billing.py --help; --contracts N for a smaller book).
bench-billing: install
	$(BIN)/python tools/bench_billing.py $(BENCH_ARGS)

# The management reports at national scale: 2,300,000 contracts and 10,000,000 procedures in
# PostgreSQL (database kyosai_bench_reports); rebuilds the scorecard tallies and prints each
# report's response time, cold and warm, against 2 s (tools/bench_reports.py --help; REPORTS
# there lists the URLs timed).
bench-reports: install
	$(BIN)/python tools/bench_reports.py $(BENCH_ARGS)

# The autumn 控除証明書 for 1,660,000 synthetic shokibo members on PostgreSQL (database
# kyosai_bench_certificates), worker processes side by side; prints certificates per second for the
# PDF and for the signed TEG850 XML, then for issuing and storing both
# (tools/bench_certificates.py --help; --members N for a smaller book).
bench-certificates: install browser
	$(BIN)/python tools/bench_certificates.py $(BENCH_ARGS)
