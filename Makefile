# newskit: one front door. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARTICLES ?=
OUT ?=
PARAMS ?=
NOTEBOOKS ?=
REPLACE ?=
A ?=
B ?=
STAMP := $(VENV)/.newskit-installed

.DEFAULT_GOAL := help
.PHONY: help setup nltk-data sample-data run diff test lab doctor benchmark clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newskit needs Python 3.11 or newer; set PYTHON=...")'
	@echo "setup: building $(VENV) from pyproject.toml (a few minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name newskit --display-name "Python (newskit)" > /dev/null
	@touch $@

setup: $(STAMP) ## create or refresh .venv from pyproject.toml and register the newskit kernel

nltk-data: setup ## find NLTK data; download what is missing when online (never fails offline)
	$(BIN)/python -m helpers nltk-data

sample-data: setup ## fetch the Wikinews and congress press-release samples into data/external/ (NEWSKIT_SAMPLES_MIRROR=<folder> for a local copy)
	$(BIN)/python -m helpers sample-data

# without ARTICLES the run analyses data/articles/ and the samples, and fetches those missing itself (offline: one
# line each, and it goes on); a sample-data step here as well tried each missing sample twice
run: setup nltk-data ## execute the notebooks into reports/<run-name>/ (ARTICLES=..., OUT=..., PARAMS="k=v ...", NOTEBOOKS="03 04", REPLACE=1)
	$(BIN)/python -m helpers run $(NOTEBOOKS) $(if $(ARTICLES),--articles $(ARTICLES)) $(if $(OUT),--out $(OUT)) \
		$(foreach p,$(PARAMS),--param $(p)) $(if $(REPLACE),--replace)

diff: setup ## what changed between two runs (A=reports/<earlier> B=reports/<later>)
	@test -n "$(A)" -a -n "$(B)" || { echo "make diff A=reports/<earlier-run> B=reports/<later-run>"; exit 1; }
	$(BIN)/python -m helpers diff $(A) $(B)

test: setup nltk-data sample-data ## run the whole test suite (unit tests and every notebook on the sample)
	NEWSKIT_CELL_TIMEOUT=$${NEWSKIT_CELL_TIMEOUT:-300} $(BIN)/python -m pytest

lab: setup nltk-data ## open JupyterLab on the notebooks with the newskit kernel (localhost, token on)
	$(BIN)/python -m helpers lab

doctor: setup ## print versions, NLTK resources found and fallbacks in effect
	$(BIN)/python -m helpers doctor

benchmark: setup sample-data ## run the benchmark scripts (prints figures; not part of make test)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean: ## remove the virtual environment and caches (never data/ inputs or reports/)
	rm -rf $(VENV) .cache .pytest_cache
