# Rapat: `make run` starts the app on the embedded default; `make test` runs every test.
# Both set up what they need first (virtualenv, Python packages, npm packages, frontend
# build, Chromium for browser tests, coturn for the TURN tests, ffmpeg for composing
# recordings, Prometheus for the alert and scrape tests, nginx for the TLS proxy test) and
# reuse it on the next run.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_READY := $(VENV)/.rapat-installed
NPM_READY := frontend/node_modules/.rapat-installed
FRONTEND_BUILD := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/vite.config.ts frontend/package.json frontend/tsconfig*.json)
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help run test setup lint api-types-check typecheck test-backend test-frontend test-e2e \
	test-deploy chromium coturn ffmpeg systemd prometheus nginx kubectl podman wheel image clean

# A setting as Rapat will read it: the environment, else the last line of .env, else $(2).
setting = $(or $($(1)),$(shell sed -n 's/^$(1)=//p' .env 2>/dev/null | tail -n 1 | tr -d "\"'"),$(2))
ADDRESS = http://$(call setting,RAPAT_HOST,127.0.0.1):$(call setting,RAPAT_PORT,8080)

help:
	@echo "make run    - set up and start Rapat on $(ADDRESS) (SQLite, in-process cache)"
	@echo "make test   - set up and run every test (backend, frontend, browser end-to-end)"
	@echo "make test-deploy - install the wheel in a fresh virtualenv, build the container image, bring the Compose stack up; run them (CI runs it too)"
	@echo "make image - build the container image with Podman (scripts/build_image.sh)"
	@echo "make wheel  - build the pip-installable wheel, web app inside, into build/wheel/"
	@echo "make clean  - remove the virtualenv, node_modules and build output"

$(PY_READY): backend/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11+ is required (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e 'backend[dev]'
	touch $@

$(NPM_READY): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(FRONTEND_BUILD): $(NPM_READY) $(FRONTEND_SOURCES)
	cd frontend && npm run build

setup: $(PY_READY) $(FRONTEND_BUILD)

run: setup ffmpeg
	@mkdir -p data
	$(BIN)/rapat migrate upgrade
	exec $(BIN)/rapat serve

chromium:
	@test -x $(CHROMIUM) || { \
		echo "Installing Chromium for browser tests (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The TURN tests start coturn's turnserver on loopback (tests/integration/test_turn.py).
coturn:
	@command -v turnserver >/dev/null || { \
		echo "Installing coturn for the TURN tests (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq coturn >/dev/null; }

# Composing a recording runs ffmpeg (backend/src/rapat/recording/composer.py), and writes
# names with DejaVu Sans (fonts-dejavu-core); the compose tests run both.
ffmpeg:
	@{ command -v ffmpeg >/dev/null && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { \
		echo "Installing ffmpeg and fonts-dejavu-core for composing recordings (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq ffmpeg fonts-dejavu-core >/dev/null; }

# The deployment tests verify the systemd units with systemd-analyze
# (tests/deploy/test_systemd_units.py); it needs no running systemd.
systemd:
	@command -v systemd-analyze >/dev/null || { \
		echo "Installing systemd for the unit checks (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq systemd >/dev/null; }

# The alert rules are checked and unit-tested with promtool, and a test runs the real
# Prometheus against a running Rapat (tests/deploy/test_prometheus_*.py): both come in
# Debian's prometheus package; the Compose stack's Alertmanager configuration is checked
# with amtool (prometheus-alertmanager).
prometheus:
	@{ command -v promtool && command -v prometheus && command -v amtool; } >/dev/null || { \
		echo "Installing prometheus and prometheus-alertmanager for the alert tests (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq prometheus \
			prometheus-alertmanager >/dev/null; }

# The shipped nginx site runs in real nginx, with TLS, in front of two Rapat processes
# (tests/deploy/test_nginx_site.py); Debian's package does not start it (no systemd here).
nginx:
	@test -x /usr/sbin/nginx || { \
		echo "Installing nginx for the TLS proxy test (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; }

# The Kubernetes manifests are rendered with `kubectl kustomize` (tests/deploy/
# test_kubernetes_manifests.py), which needs kubectl 1.27+ (kustomize v5): Debian 12's
# kubernetes-client is 1.20, too old, so it is not installed here.
kubectl:
	@command -v kubectl >/dev/null || { \
		echo "kubectl 1.27+ is needed: https://kubernetes.io/docs/tasks/tools/"; exit 1; }

# The container image is built with Podman, on a base made from Debian packages with
# mmdebstrap when no registry is reachable (scripts/build_image.sh).
podman:
	@{ command -v podman && command -v runc && command -v mmdebstrap; } >/dev/null || { \
		echo "Installing podman, runc and mmdebstrap for the container image (apt)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq podman runc mmdebstrap >/dev/null; }

# Podman's settings for this project's CI machine (.ci/containers.conf says why).
CONTAINERS_CONF ?= $(CURDIR)/.ci/containers.conf
image: $(PY_READY) $(FRONTEND_BUILD) podman
	CONTAINERS_CONF=$(CONTAINERS_CONF) PYTHON=$(BIN)/python scripts/build_image.sh

# The wheel carries the built web app (rapat/web/); docs/deployment.md installs it.
wheel: $(PY_READY) $(FRONTEND_BUILD)
	PYTHON=$(BIN)/python scripts/build_wheel.sh build/wheel

# The import rules of docs/architecture.md (import-linter contracts in backend/pyproject.toml)
# and the size limits (files at most 600 lines, functions at most 80) are part of lint.
lint: $(PY_READY) $(NPM_READY)
	cd backend && ../$(BIN)/ruff check . && ../$(BIN)/ruff format --check .
	cd backend && ../$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/check_code_size.py backend/src backend/tests bench scripts deploy
	$(BIN)/ruff check --config backend/pyproject.toml deploy && \
		$(BIN)/ruff format --check --config backend/pyproject.toml deploy
	$(BIN)/yamllint --strict deploy .yamllint.yaml
	cd frontend && npm run lint
	cd bench && ../$(BIN)/ruff check . && ../$(BIN)/ruff format --check .
	$(MAKE) api-types-check

# The committed frontend/src/api/openapi.json is the server's OpenAPI document (the REST
# types are made from it before every frontend lint, typecheck, test and build).
api-types-check: $(PY_READY) $(NPM_READY)
	cd frontend && PYTHON=../$(BIN)/python npm run --silent api:types:check

typecheck: $(PY_READY) $(NPM_READY)
	cd backend && ../$(BIN)/mypy
	cd frontend && npm run typecheck
	cd bench && ../$(BIN)/mypy

# The wheel's install test runs in test-deploy (too slow for every run of the suite). The
# suite runs on every core (pytest-xdist; work stealing evens out the long tests at the end).
test-backend: $(PY_READY) coturn ffmpeg systemd prometheus nginx kubectl
	cd backend && ../$(BIN)/pytest -n auto --dist worksteal --cov --cov-report=term \
		--durations=25 --ignore=tests/deploy/test_wheel_install.py \
		--ignore=tests/deploy/test_container_image.py --ignore=tests/deploy/test_compose_up.py

# The pip install path as an operator takes it: the wheel built from the frontend build,
# installed with its dependencies into a fresh virtualenv, migrated, served, joined. About
# 45-70 s once the dependencies are in build/wheelhouse, 2-2.5 min on a clean clone. Then
# the container image: built (2.5 min, 2 more the first time for the base image; longer
# on a busy machine), migrated, served, healthy, a meeting in it, stopped. Then the
# Compose stack up with that image, its PostgreSQL, Redis and RabbitMQ from Debian
# packages (their image made once, about 5 min), healthy, and down (tests/deploy/
# test_compose_up.py says what differs from the shipped file, and why).
test-deploy: $(PY_READY) $(FRONTEND_BUILD) podman
	cd backend && CONTAINERS_CONF=$(CONTAINERS_CONF) ../$(BIN)/pytest \
		tests/deploy/test_wheel_install.py tests/deploy/test_container_image.py \
		tests/deploy/test_compose_up.py

# Bundle sizes are printed (and the sign-in page's initial JS budget checked) on the build.
test-frontend: $(NPM_READY) $(FRONTEND_BUILD)
	cd frontend && npm test
	cd frontend && npm run size

test-e2e: $(PY_READY) $(FRONTEND_BUILD) chromium ffmpeg nginx
	cd frontend && CI=1 npm run e2e

test: lint typecheck test-backend test-frontend test-e2e

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist backend/.pytest_cache backend/.mypy_cache \
		bench/.mypy_cache build
