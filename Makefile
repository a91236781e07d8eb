# Gongkai: `make run` serves the demo portal on SQLite; `make test` runs lint, migration check and tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format messages bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_calendar
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_officials
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests: using $(CHROMIUM)"; \
	else echo "Browser tests: SKIPPED, no Chromium at $(CHROMIUM) (apt-get install -y chromium)"; fi
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Locales are named explicitly: --all only finds locales that already exist.
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=docs --ignore=build
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var

# Speed at scale (issue 9): a PostgreSQL database gongkai_bench filled by generate_scale_data
# (BENCH_SCALE entries, 2x cases; 1000000 is the full scale), gunicorn on loopback with
# config/gunicorn.conf.py, every hot path driven and timed with the page cache on (local Redis,
# BENCH_CACHE_URL) and off; writes the generated section of docs/performance.md.
# BENCH_WORKERS (2), BENCH_SECONDS (8), BENCH_POST_CLIENTS (4) pass through the environment.
# bench/search_bench.py (search alone) runs by hand: see docs/search.md.
BENCH_SCALE ?= 100000
bench: install
	$(PY) bench/workdays_bench.py
	BENCH_SCALE=$(BENCH_SCALE) nice -n 10 $(PY) bench/portal_bench.py

clean:
	rm -rf var/gongkai.sqlite3* var/static var/artifacts

# Soak run (docs/reliability.md): loopback gunicorn on PostgreSQL (SOAK_DATABASE_URL, default
# gongkai_soak), submissions for SOAK_SECONDS while the server is reloaded and killed.
SOAK_SECONDS ?= 180
.PHONY: soak
soak: install
	nice -n 10 $(PY) bench/soak.py --seconds $(SOAK_SECONDS) --write-doc
