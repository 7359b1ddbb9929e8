# newsdesk: two commands do everything on a fresh clone.
#   make reports   HTML reports for every article in seeds/ (into reports/)
#   make test      the test suite
# Both create .venv from the pinned lock when it is missing or out of date.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := newsdesk

.PHONY: venv reports test test-fast test-browser lab benchmarks lock clean-reports

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %d.%d); run: make PYTHON=python3.11 ..." % sys.version_info[:2])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (newsdesk)" >/dev/null
	@touch $(STAMP)

reports: venv
	$(BIN)/python -m analysis batch --seeds seeds --out reports --kernel $(KERNEL)

test: venv
	$(BIN)/python -m pytest -m "not browser"

# The edit-test loop: no notebook, no kernel, no training, no browser (under a minute).
test-fast: venv
	$(BIN)/python -m pytest -m "not slow and not browser" -q

test-browser: venv
	bash tests/browser/setup.sh
	$(BIN)/python -m pytest -m browser -p no:cacheprovider

lab: venv
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root,) notebooks/explore.ipynb

benchmarks: venv
	$(BIN)/python benchmarks/reorder.py
	$(BIN)/python benchmarks/stance.py
	$(BIN)/python benchmarks/entities.py
	$(BIN)/python benchmarks/analyses.py
	$(BIN)/python benchmarks/batch.py

# Re-resolve the lock after editing pyproject.toml (needs `pip install uv`), then mirror it into environment.yml.
lock:
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock
	$(PYTHON) scripts/environment_from_lock.py

clean-reports:
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
