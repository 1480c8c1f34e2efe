# evalportal — `make run` serves the demo, `make test` runs the whole suite. `make help` lists targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := fonts-noto-cjk fonts-lxgw-wenkai libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
                poppler-utils chromium fontconfig
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

help: ## list targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

setup: system-packages $(STAMP) node_modules/.installed fonts ## install what is missing (idempotent, seconds when done)

system-packages: ## Debian packages: CJK fonts, Pango/HarfBuzz for WeasyPrint, poppler, Chromium
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	command -v python3.11 >/dev/null 2>&1 || python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null || missing="$$missing python3 python3-venv"; \
	if [ -n "$$missing" ]; then echo "安装系统软件包:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

fonts: ## fontconfig aliases so 宋体/仿宋/黑体/楷体 resolve to the Debian CJK fonts
	@if [ -f evalportal/exporters/fontconfig/60-evalportal-cjk.conf ] && ! cmp -s evalportal/exporters/fontconfig/60-evalportal-cjk.conf /etc/fonts/conf.d/60-evalportal-cjk.conf; then \
	  cp evalportal/exporters/fontconfig/60-evalportal-cjk.conf /etc/fonts/conf.d/ && fc-cache -f >/dev/null; fi

migrate: setup
	DEBUG=true $(PY) manage.py migrate --noinput

run: setup ## install, migrate, load the demo and serve http://127.0.0.1:8000
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo
	@echo ""
	@echo "演示账户（密码均为 evalportal-demo）："
	@echo "  filler / head / reviewer    汨罗市：填报人 / 单位负责人 / 财政局审核人"
	@echo "  filler2 / head2 / reviewer2 常宁市：填报人 / 单位负责人 / 财政局审核人"
	@echo "  admin                       管理员"
	@echo "打开 http://127.0.0.1:8000/accounts/login/"
	@echo ""
	@# The embedded task worker (bulk exports, region summaries) runs beside the web server and stops with it.
	DEBUG=true $(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: setup ## run the whole suite (browser tests included); with CI=true also against PostgreSQL
	$(PY) -m pytest -q -n auto
	@if [ "$$CI" = "true" ]; then \
	  echo "== 第二轮：PostgreSQL ($(TEST_DATABASE_URL)) =="; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" EVALPORTAL_TESTING=1 $(PY) manage.py wait_for_db || { echo "无法连接 PostgreSQL：$(TEST_DATABASE_URL)"; exit 1; }; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) -m pytest -q -n auto -p no:cacheprovider; \
	fi

serve-prod: setup ## production: gunicorn + task worker against DATABASE_URL (needs SECRET_KEY, ALLOWED_HOSTS)
	@test -n "$$DATABASE_URL" || { echo "请设置 DATABASE_URL，如 postgres://evalportal:***@127.0.0.1:5432/evalportal"; exit 1; }
	@test -n "$$SECRET_KEY" || { echo "请设置 SECRET_KEY"; exit 1; }
	STATIC_MANIFEST=true $(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput
	$(PY) manage.py check --deploy --fail-level ERROR
	STATIC_MANIFEST=true $(PY) manage.py db_worker --queue-name default & \
	  STATIC_MANIFEST=true exec $(VENV)/bin/gunicorn evalportal.wsgi:application -c evalportal/gunicorn.conf.py

bench: setup ## speed goals: PDF export vs LibreOffice (installs libreoffice-calc-nogui if missing); ARGS=--json
	@dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || command -v soffice >/dev/null 2>&1 || { echo "安装 LibreOffice（对比基准）"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; }
	DEBUG=true $(PY) manage.py migrate --noinput -v0
	DEBUG=true $(PY) manage.py bench export $(ARGS)

LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/evalportal_load
LOAD_SECONDS ?= 60
load: setup ## load test on loopback: gunicorn + PostgreSQL, 50 own-package clerks + 5 on one package, 60 s after all logged in
	@$(PY) -c "import locust" 2>/dev/null || $(PY) -m pip install -q "locust>=2.30"
	mkdir -p var && rm -f var/load-results.jsonl var/load_*.csv
	psql "$(LOAD_DATABASE_URL:/evalportal_load=/postgres)" -qc "DROP DATABASE IF EXISTS evalportal_load" -c "CREATE DATABASE evalportal_load"
	DATABASE_URL=$(LOAD_DATABASE_URL) EVALPORTAL_TESTING=1 $(PY) manage.py migrate -v0
	DATABASE_URL=$(LOAD_DATABASE_URL) EVALPORTAL_TESTING=1 $(PY) manage.py loadtest_setup
	DATABASE_URL=$(LOAD_DATABASE_URL) SECRET_KEY=load-test-only-secret-0123456789abcdefghijklmnop \
	  ALLOWED_HOSTS=127.0.0.1 AXES_FAILURE_LIMIT=1000 STATIC_MANIFEST=false REQUEST_LOG_LEVEL=$${REQUEST_LOG_LEVEL:-WARNING} \
	  $(VENV)/bin/gunicorn evalportal.wsgi:application -c evalportal/gunicorn.conf.py --bind 127.0.0.1:8100 \
	  --workers 4 --pid var/gunicorn-load.pid --daemon --access-logfile var/load-access.log \
	  --capture-output --error-logfile var/load-server.log
	sleep 3
	LOAD_RESULTS=var/load-results.jsonl LOAD_SECONDS=$(LOAD_SECONDS) $(VENV)/bin/locust \
	  -f evalportal/core/loadtest/locustfile.py --headless -u 55 -r 5 -t $$(( $(LOAD_SECONDS) + 90 ))s \
	  --host http://127.0.0.1:8100 --csv var/load --only-summary; \
	  status=$$?; kill $$(cat var/gunicorn-load.pid); exit $$status
	DATABASE_URL=$(LOAD_DATABASE_URL) EVALPORTAL_TESTING=1 $(PY) manage.py loadtest_verify var/load-results.jsonl
	@$(PY) -c "import csv; r=[x for x in csv.DictReader(open('var/load_stats.csv')) if x['Name']=='Aggregated'][0]; print('requests', r['Request Count'], 'failures', r['Failure Count'], 'p50', r['50%'], 'ms  p95', r['95%'], 'ms')"

clean: ## remove the local database and generated files
	rm -rf db.sqlite3* staticfiles test-artifacts

.PHONY: help setup system-packages fonts migrate run test serve-prod load clean
