# Two commands work on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Defaults of the settings declared in shopdata/settings.py (README: Settings); a test keeps them equal.
PORT ?= 8501
# make serve: the largest upload in MB, and the host names teammates type (default: this machine's names)
UPLOAD_MB ?= 200
ALLOWED_HOSTS ?=
# make serve over HTTPS: a PEM certificate and its key
TLS_CERT ?=
TLS_KEY ?=

.PHONY: run serve test lint bench mutation clean-venv samples

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# app.py behind shopdata/ui/edge.py (Host and Origin checks, signed-in uploads and downloads, headers).
run: $(VENV)/.runtime
	$(PY) -m streamlit run shopdata/ui/asgi.py --server.address 127.0.0.1 --server.port $(PORT)

# For the team on the local network; refuses to start until an account exists (see README).
serve: $(VENV)/.runtime
	$(PY) -m shopdata serve --port $(PORT) --max-upload-mb $(UPLOAD_MB) $(if $(ALLOWED_HOSTS),--allowed-hosts "$(ALLOWED_HOSTS)") \
		$(if $(TLS_CERT),--tls-cert "$(TLS_CERT)" --tls-key "$(TLS_KEY)")

# The gate: formatting, lint rules (pyproject.toml) and types, before any test runs.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest -q tests

bench: $(VENV)/.dev
	$(PY) -m bench

# Mutation testing (tools/mutation.py; DEVELOPERS.md): slow, not part of `make test`.
# MODULES: some of the names in tools/mutation.py's MODULES (default: all; `python tools/mutation.py x` lists them);
# MUTATION_MINUTES=15 stops each module after 15 minutes.
MODULES ?=
mutation: $(VENV)/.dev
	$(PY) tools/mutation.py $(MODULES)

samples: $(VENV)/.runtime
	$(PY) sample_data/make_samples.py

clean-venv:
	rm -rf $(VENV)
