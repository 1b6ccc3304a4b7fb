# The assistant's developer commands. `make` alone lists them.
# A newcomer needs two: `make run` and `make test`; both set up everything they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa's telemetry and error reports go to the internet: off everywhere (loopback only).
export RASA_TELEMETRY_ENABLED := false

APP_PY := .venv/app/bin/python
RASA := .venv/rasa/bin/rasa
RASA_ENV := PYTHONPATH=$(CURDIR) SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
APP_ENV := PYTHONPATH=$(CURDIR) HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
MODEL_INPUTS = assistant/config.yml assistant/domain assistant/components assistant/policies assistant/vocabulary \
	assistant/sentiment nlu_data requirements/rasa.lock $(CATALOG) var/sentiment/extended
MODELS_DIR := var/models
CATALOG ?= catalog/demo_catalog.jsonl

.PHONY: system-deps help setup widget run test train train-sentiment index lint types bench e2e unit lock clean

help: ## list the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

setup: ## create both Python environments (Rasa on 3.10, the rest on 3.11) from the lock files, build the widget
	@scripts/setup-venv rasa
	@scripts/setup-venv app
	@scripts/build-widget

widget: ## build the chat widget into widget/dist/ (npm ci + esbuild), only when its sources changed
	@scripts/build-widget

train: setup ## train the Rasa model, only when config, domain, data or components changed
	@if [ -f $(MODELS_DIR)/assistant.tar.gz ] && $(APP_PY) scripts/fingerprint.py $(MODELS_DIR)/.fingerprint $(MODEL_INPUTS); then \
		echo ">> Rasa model is up to date"; \
	else \
		echo ">> training the Rasa model (a few minutes on 2 cores)"; \
		$(RASA_ENV) ASSISTANT_CATALOG=$(CATALOG) $(RASA) train --config assistant/config.yml --domain assistant/domain --data nlu_data \
			--out $(MODELS_DIR) --fixed-model-name assistant --force && \
		$(APP_PY) scripts/fingerprint.py --write $(MODELS_DIR)/.fingerprint $(MODEL_INPUTS); \
	fi

train-sentiment: setup ## train the larger sentiment model from DATA=FILE (sentence<TAB>label), then the Rasa model
	@test -n "$(DATA)" || { echo "usage: make train-sentiment DATA=FILE (sentence<TAB>label, 1 positive / 0 negative)"; exit 2; }
	@$(RASA_ENV) .venv/rasa/bin/python scripts/train_sentiment.py --data $(DATA)
	@$(MAKE) --no-print-directory train

index: setup ## build the catalog index, only for products that changed (CATALOG=file to choose)
	@$(APP_ENV) $(APP_PY) -m catalog_index build --catalog $(CATALOG) --if-changed

run: train index ## set up everything and run the assistant on loopback ports (Ctrl-C stops)
	@$(APP_PY) scripts/stack.py

test: system-deps train index ## set up everything and run every test (unit, Rasa data and stories, end to end)
	@scripts/run-tests

unit: setup ## unit tests only (both environments)
	@scripts/run-tests unit

e2e: train index ## end-to-end tests only (real rasa + action server on loopback ports)
	@scripts/run-tests e2e

lint: setup ## ruff lint and format check
	@$(APP_PY) -m ruff check . && $(APP_PY) -m ruff format --check .

types: setup ## mypy (strict on catalog_index, actions/clients, personalisation, profiles, redact, contracts, escalation, console, servicekit, formats, web)
	@$(APP_PY) -m mypy catalog_index actions/clients personalisation profiles redact contracts escalation console servicekit formats web

bench: train index ## run the benchmarks on ../shared data and print their tables
	@bench/run-all

lock: ## re-resolve requirements/*.txt into the lock files (needs the package registries)
	@scripts/lock

clean: ## remove environments, models, indexes and logs
	rm -rf .venv var

system-deps: ## install the Debian packages the tests need (PostgreSQL, docker-compose to validate the stack file)
	@scripts/system-deps
