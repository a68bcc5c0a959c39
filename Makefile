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

# `config check`: the configuration as pydantic validates it (functions read it without it).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml
	$(BIN)/statelint statemachines/case_workflow.asl.json
	$(BIN)/python -m socialcare_cli.redos
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m socialcare_cli.structure
	$(BIN)/socialcare config check

# Two workers, one a core: the suite's local stacks spend much of their time waiting on
# streams and state machines. worksteal keeps the long e2e tests from ending on one worker.
TEST_WORKERS ?= 2
test: lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

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

# The linters in their own venv: their pins must not move the project's dependencies
# (parliament still imports pkg_resources, gone from setuptools 81).
SECURITY_BIN := .venv-security/bin
$(SECURITY_BIN)/parliament:
	$(PYTHON) -m venv .venv-security
	$(SECURITY_BIN)/python -m pip install --quiet checkov parliament "setuptools<81"

# checkov on template.yaml and on the SAM-expanded template (the roles SAM generates
# included); parliament on every IAM policy, resolved as AWS will read it (less the
# findings AWS's documentation asks for, each named in socialcare_cli/parliament_gate.py).
SECURITY_OUT := .aws-sam/security
security: $(STAMP) $(SECURITY_BIN)/parliament
	$(BIN)/socialcare security expand -o $(SECURITY_OUT)
	BC_SKIP_MAPPING=TRUE $(SECURITY_BIN)/checkov -f template.yaml --framework cloudformation --quiet --compact
	BC_SKIP_MAPPING=TRUE $(SECURITY_BIN)/checkov -f $(SECURITY_OUT)/expanded-template.json --framework cloudformation --quiet --compact
	$(BIN)/python -m socialcare_cli.parliament_gate $(SECURITY_BIN)/parliament $(SECURITY_OUT)/policies

clean:
	rm -rf $(VENV) .venv-security .venv-lambda .aws-sam .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
