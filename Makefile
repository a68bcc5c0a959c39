# Everything a fresh machine needs: `make demo` and `make test` create the venv themselves.
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pyenv's python3.13 shim needs the version named when run outside this folder (sam build).
export PYENV_VERSION ?= 3.13.0

.PHONY: venv demo serve test lint unit build security reliability bench clean

$(STAMP): pyproject.toml layers/socialcare/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/socialcare demo

serve: $(STAMP)
	$(BIN)/socialcare local --port 3000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml

test: lint
	$(BIN)/pytest

# sam build resolves python3.13 from PATH: the venv's interpreter comes first.
build: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/sam build --parallel

# The reliability scenarios at full size (minutes); RELIABILITY_SCALE=0.1 for a quick run.
RELIABILITY_SCALE ?= 1
reliability: $(STAMP)
	$(BIN)/socialcare reliability --scale $(RELIABILITY_SCALE) -o reliability/results.json

# Cold starts are measured with what Lambda has: boto3 and the layer's requirements only
# (the dev venv's extras, awscrt among them, would change what `import boto3` costs).
LAMBDA_PYTHON := .venv-lambda/bin/python
$(LAMBDA_PYTHON): layers/socialcare/requirements.txt
	$(PYTHON) -m venv .venv-lambda
	.venv-lambda/bin/python -m pip install --quiet boto3 -r layers/socialcare/requirements.txt
	touch $@

# Performance and cost figures beside their floors (minutes); BENCH_SCALE=0.1 for a quick run.
BENCH_SCALE ?= 1
bench: $(STAMP) $(LAMBDA_PYTHON)
	$(BIN)/socialcare bench --scale $(BENCH_SCALE) --lambda-python $(LAMBDA_PYTHON) -o bench/results.json

# checkov in its own venv: its pins must not move the project's dependencies.
CHECKOV := .venv-checkov/bin/checkov
$(CHECKOV):
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet checkov

security: $(CHECKOV)
	BC_SKIP_MAPPING=TRUE $(CHECKOV) -f template.yaml --framework cloudformation --quiet --compact

clean:
	rm -rf $(VENV) .venv-checkov .venv-lambda .aws-sam .pytest_cache .ruff_cache
