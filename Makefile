# Connector: the two commands of the README, and the steps they are made of.
#   make run     Odoo 11 with the connector addons on the demo database (WORKERS=2 for prefork)
#   make proxy   /longpolling routing for prefork mode, on port 8080 (development only)
#   make test    every test, ending with pytest's summary line
#   make bench   the job queue benchmark (writes bench/results/)
# Every step is idempotent: a stamp file or a check skips what is already done.

SHELL := /bin/bash
ROOT := $(abspath .)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
SITE := $(VENV)/lib/python3.11/site-packages
RUN := $(ROOT)/.run
NODE_BIN := $(RUN)/node/node_modules/.bin
export PATH := $(VENV)/bin:$(NODE_BIN):$(PATH)

PGHOST ?= 127.0.0.1
PGPORT ?= 5432
export PGHOST PGPORT
DB_USER ?= odoo
DEMO_DB ?= connector_demo
TEST_DB ?= connector_test
HTTP_PORT ?= 8069
LONGPOLLING_PORT ?= 8072
PROXY_PORT ?= 8080
WORKERS ?= 0
ADDONS := connector,connector_ecommerce
TEST_ADDONS := $(ADDONS),test_connector_coffee,test_connector_queue
# What the test database is built from: it is rebuilt when any of these change.
TEST_DB_SOURCES = $(shell find connector connector_ecommerce tests/addons -type f -not -name '*.pyc' 2>/dev/null | sort)
# What the demo database is built from: it is updated when any of these change.
DEMO_DB_SOURCES = $(shell find connector connector_ecommerce -type f -not -name '*.pyc' 2>/dev/null | sort)

.PHONY: run proxy test bench venv postgres demo-db test-db clean

run: venv postgres demo-db
	@echo "Odoo 11 with Connector: http://127.0.0.1:$(HTTP_PORT)/web/login  (login: admin, password: admin)"
	@echo "database $(DEMO_DB); WORKERS=$(WORKERS) (0 = threaded server; >0 = prefork, see README)"
	@if [ "$(WORKERS)" != 0 ]; then echo "prefork: /longpolling is served on port $(LONGPOLLING_PORT);" \
		"for live notifications browse through a proxy: 'make proxy' (port $(PROXY_PORT)) or README's nginx rule"; fi
	exec $(VENV)/bin/odoo-bin -c $(RUN)/odoo.conf -d $(DEMO_DB) --db-filter='^$(DEMO_DB)$$' \
		--http-port=$(HTTP_PORT) --longpolling-port=$(LONGPOLLING_PORT) \
		--workers=$(WORKERS) --max-cron-threads=2

# Prefork mode's /longpolling routing for development (README): run beside `make run WORKERS=2`.
proxy: venv
	exec $(PY) tools/longpolling_proxy.py --port=$(PROXY_PORT) --http=$(HTTP_PORT) \
		--longpolling=$(LONGPOLLING_PORT)

test: venv postgres test-db
	$(PY) -m pytest --odoo-database=$(TEST_DB) $(PYTEST_ARGS)

bench: venv postgres
	$(PY) -m bench.run_benchmark

venv: $(VENV)/.runtime-stamp $(RUN)/odoo.conf $(NODE_BIN)/lessc

$(VENV)/.runtime-stamp: requirements.txt requirements-odoo.txt requirements-test.txt setup.py
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-test.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements-odoo.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	echo "import odoo_py311" > $(SITE)/odoo_py311.pth
	$(PY) -m odoo_py311.prune_bridge_addons
	touch $@

$(NODE_BIN)/lessc:
	mkdir -p $(RUN)/node
	npm install --silent --no-audit --no-fund --prefix $(RUN)/node less@3.13.1 less-plugin-clean-css@1.5.1

$(RUN)/odoo.conf: Makefile
	mkdir -p $(RUN)/data
	printf '%s\n' '[options]' \
		'addons_path = $(SITE)/odoo/addons,$(ROOT)' \
		'data_dir = $(RUN)/data' \
		'db_host = $(PGHOST)' 'db_port = $(PGPORT)' 'db_user = $(DB_USER)' 'db_password = False' \
		'admin_passwd = admin' 'http_interface = 127.0.0.1' 'list_db = True' \
		'limit_time_real = 600' 'limit_time_cpu = 300' > $@
	sed -e 's|^addons_path = .*|&,$(ROOT)/tests/addons|' $@ > $(RUN)/odoo-test.conf

postgres:
	@pg_isready -q -h $(PGHOST) -p $(PGPORT) || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 30); do pg_isready -q -h $(PGHOST) -p $(PGPORT) && break; sleep 1; done
	@psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='$(DB_USER)'" | grep -q 1 \
		|| psql -q -U postgres -d postgres -c "CREATE ROLE $(DB_USER) LOGIN CREATEDB"
	@# Odoo 11's tests expect PostgreSQL <= 11 float output (PostgreSQL 12 prints shortest-exact floats).
	@psql -q -U postgres -d postgres -c "ALTER ROLE $(DB_USER) SET extra_float_digits = 0"

demo-db: venv postgres $(RUN)/demo-db-$(DEMO_DB).stamp

# Created once with demo data; updated (-u) when the addons changed since, so that a pulled
# change never runs on a stale schema.
$(RUN)/demo-db-$(DEMO_DB).stamp: $(DEMO_DB_SOURCES) $(VENV)/.runtime-stamp
	@if psql -U $(DB_USER) -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(DEMO_DB)'" | grep -q 1 \
		&& psql -U $(DB_USER) -d $(DEMO_DB) -tAc "SELECT 1 FROM ir_module_module WHERE name='connector' AND state='installed'" | grep -q 1; then \
		$(VENV)/bin/odoo-bin -c $(RUN)/odoo.conf -d $(DEMO_DB) -u $(ADDONS) --stop-after-init --log-level=warn; \
	else \
		dropdb -U $(DB_USER) --if-exists $(DEMO_DB); \
		$(VENV)/bin/odoo-bin -c $(RUN)/odoo.conf -d $(DEMO_DB) -i $(ADDONS) --stop-after-init --log-level=warn; \
	fi
	touch $@

test-db: venv postgres $(RUN)/test-db-$(TEST_DB).stamp

$(RUN)/test-db-$(TEST_DB).stamp: $(TEST_DB_SOURCES) $(VENV)/.runtime-stamp
	dropdb -U $(DB_USER) --if-exists $(TEST_DB)
	$(VENV)/bin/odoo-bin -c $(RUN)/odoo-test.conf -d $(TEST_DB) -i $(TEST_ADDONS) --stop-after-init --log-level=warn
	touch $@

clean:
	-dropdb -U $(DB_USER) --if-exists $(TEST_DB)
	rm -rf $(RUN)
