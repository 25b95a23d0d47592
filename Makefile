# microloan: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= microloan
HOST ?= 127.0.0.1
PORT ?= 8000
SAO := web/node_modules/tryton-sao

# The embedded default is SQLite under var/; TRYTOND_DATABASE_URI (for example
# postgresql://postgres@127.0.0.1:5432/) switches both commands to PostgreSQL.
export TRYTOND_DATABASE__PATH ?= $(CURDIR)/var
# On SQLite the host gives all the transactions of a process one connection
# per database, and its cache check (once every [cache] clean_timeout
# seconds, 300 by default) switches that connection to autocommit, which
# commits whatever the transaction then running holds: a request or a test
# that opens a nested transaction after five quiet minutes would be saved
# half-way. One process serves a SQLite database, so nothing else can make
# its caches stale: the check is put off for a year.
ifeq ($(findstring postgresql,$(TRYTOND_DATABASE_URI)),)
export TRYTOND_CACHE__CLEAN_TIMEOUT ?= 31536000
endif
# The test database cache is keyed by the modules' content, never stale.
TEST_CACHE_KEY = $(shell find microloan_* -type f \( -name '*.py' -o -name '*.xml' -o -name 'tryton.cfg' -o -name '*.po' \) -not -path '*/tests/*' | LC_ALL=C sort | xargs cat | sha1sum | cut -c1-16)
export DB_CACHE ?= $(CURDIR)/var/test-cache/$(TEST_CACHE_KEY)

.PHONY: run setup serve test venv web reports clean help

help:
	@echo "make run    set everything up (venv, web client, demo database) and serve http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL with TRYTOND_DATABASE_URI)"

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

web: $(SAO)/.installed $(SAO)/.microloan
$(SAO)/.installed: web/package.json web/package-lock.json
	cd web && npm ci --omit=dev --legacy-peer-deps --no-audit --no-fund
	# sao's index.html loads its libraries from its own node_modules
	ln -sfn .. $(SAO)/node_modules
	touch $@

# the project's translations of the web client (web/locale/*.po) written
# over the ones sao ships, and its additions (web/custom.css, custom.js)
$(SAO)/.microloan: $(SAO)/.installed $(VENV)/.installed \
		scripts/sao_locale.py $(wildcard web/locale/*.po) \
		web/custom.css web/custom.js
	$(PY) scripts/sao_locale.py $(SAO)
	cp web/custom.css web/custom.js $(SAO)/
	touch $@

# LibreOffice (ODT -> PDF of contracts), a CJK font and pdftotext, from
# Debian's packages when missing
reports:
	$(PY) microloan_core/tests/report_tools.py

setup: venv web reports
	$(PY) scripts/setup_demo.py --database $(DB)

serve: venv web
	@echo "Serving the web client and RPC on http://$(HOST):$(PORT)/ (database $(DB))"
	TRYTOND_DATABASE_NAMES=$(DB) TRYTOND_WEB__LISTEN=$(HOST):$(PORT) \
	TRYTOND_WEB__ROOT=$(CURDIR)/$(SAO) \
	exec $(PY) -O $(VENV)/bin/trytond

run: setup serve

test: venv web reports
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf var/test-cache
