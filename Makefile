# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?=

.PHONY: run test lint bench bundle bundle-test clean system-packages

# Debian packages beyond Python (Qt's xcb libraries; for tests Xvfb, poppler, PostgreSQL, Chromium).
system-packages:
	@.ci/system-packages --install test

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	@.ci/system-packages --check run
	$(PY) main.py

lint: $(STAMP)
	$(VENV)/bin/ruff check desktop tests bench main.py
	$(VENV)/bin/ruff format --check desktop tests bench main.py
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: lint system-packages
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1920x1080x24' $(PY) -m pytest -q tests/xcb

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

$(VENV)/.bundle-installed: $(STAMP) requirements-bundle.lock
	$(PY) -m pip install --quiet -r requirements-bundle.lock
	touch $@

bundle: $(VENV)/.bundle-installed
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build build_spec/distribution_architect.spec
	@du -sh dist/distribution-architect

bundle-test: bundle system-packages
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/bundle

clean:
	rm -rf build dist $(VENV)
