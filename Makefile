# The two commands a newcomer needs: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean infra-check deploy contract check-python contract-lint

# Exit status 0 when the interpreter $(1) is Python 3.11 or newer (the pins and the Lambda runtime need it).
python_ok = $(1) -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1

check-python:
	@$(call python_ok,$(PYTHON)) || { \
		echo "Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1 || echo 'not found')." >&2; \
		echo "Install it, then pass it on, e.g.: make run PYTHON=python3.11" >&2; exit 1; }

# The stamp is written only once the install succeeded, so a failed or interrupted one is resumed next time;
# a .venv made by an older Python (an earlier attempt) is rebuilt, not reused.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt | check-python
	@$(call python_ok,$(PY)) || { echo "Creating $(VENV) with $$($(PYTHON) --version 2>&1)"; \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	@echo "Installing pinned dependencies into $(VENV) (first time: about 2 minutes)..."
	$(PIP) install --disable-pip-version-check --progress-bar on -r requirements-dev.txt -c constraints.txt
	@touch $(STAMP)
	@echo "Set-up done."

run: $(STAMP)
	$(PY) -m devstack

# The CDK app (infra/): its Python deps go into the same venv; Node.js >= 22 for jsii comes from
# the machine or, if too old, from the npm registry into .infra-tools/ (see infra/node.sh).
INFRA_STAMP := $(VENV)/.installed-infra
INFRA_TOOLS := .infra-tools
NODE_VERSION := 22.23.3
CDK_CLI_VERSION := 2.1148.1
INFRA_ENV := PATH="$(CURDIR)/$(INFRA_TOOLS)/bin:$$PATH"
STAGE ?= dev

$(INFRA_STAMP): $(STAMP) requirements-infra.txt infra/node.sh
	$(PIP) install --quiet --disable-pip-version-check -r requirements-infra.txt -c constraints.txt
	sh infra/node.sh $(INFRA_TOOLS) $(NODE_VERSION)
	touch $(INFRA_STAMP)

# Offline: synthesizes every stage, cdk-nag, template assertions and cfn-lint (tests/infra), then starts the
# Lambda package that synth built, in an isolated interpreter, against the local stack (tests/package).
infra-check: $(INFRA_STAMP)
	$(INFRA_ENV) $(PY) -m pytest tests/infra tests/package

# Needs AWS credentials for the target account; see docs/deploy.md.
deploy: $(INFRA_STAMP)
	test -x $(INFRA_TOOLS)/cdk/node_modules/.bin/cdk || npm install --prefix $(INFRA_TOOLS)/cdk \
		--no-save --no-audit --no-fund --loglevel=error aws-cdk@$(CDK_CLI_VERSION)
	cd infra && $(INFRA_ENV) $(CURDIR)/$(INFRA_TOOLS)/cdk/node_modules/.bin/cdk deploy \
		--app "$(abspath $(PY)) app.py" -c stages=$(STAGE) $(STAGE)

# chalicelib/data/openapi.json, the served copy of openapi.yaml: after editing the YAML (a test fails until then).
contract: $(STAMP)
	$(PY) -m devstack.contract

# The contract linted by Redocly CLI (redocly.yaml), pinned, with the Node.js the infra tools brought.
REDOCLY_VERSION := 2.77.0
REDOCLY := $(INFRA_TOOLS)/redocly/node_modules/.bin/redocly
contract-lint: $(INFRA_STAMP)
	test -x $(REDOCLY) || $(INFRA_ENV) npm install --prefix $(INFRA_TOOLS)/redocly --no-save --no-audit --no-fund \
		--loglevel=error @redocly/cli@$(REDOCLY_VERSION)
	$(INFRA_ENV) $(REDOCLY) lint --config redocly.yaml openapi.yaml

# Style, format and the layer contracts of docs/architecture.md (.importlinter).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# tests/infra and tests/package ran in infra-check just before: not twice.
test: $(STAMP) lint infra-check contract-lint
	$(PY) -m pytest --ignore=tests/infra --ignore=tests/package

# The cold-start figure builds the Lambda package as `make deploy` does, hence the infra tools.
bench: $(INFRA_STAMP)
	$(INFRA_ENV) $(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .local
