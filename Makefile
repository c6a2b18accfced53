# Deep-learning notebooks: one-command set-up, tests and headless runs.
#   make lab    create/refresh the venv if needed, open JupyterLab in notebooks/
#   make test   unit tests + every notebook in the smoke profile (what CI runs)
#   make run    execute notebooks headless:  make run NB=01_perceptron PROFILE=full PARAMS="-p seed 1"
#   make data   pre-download every data set into the Keras cache (needs internet)
#   make slides reveal.js slides of every executed notebook → build/slides/ (runs missing ones in PROFILE)
#   make html   static site: index with goals and recorded numbers + every executed notebook → build/site/
#   make handouts  one printable A4 page per notebook (goals, key equations, main figure, exercises) → build/handouts/
#   make results  every notebook in PROFILE (full), 3 seeds where headline accuracies → build/results.md
#   make results-backends  compare earlier `make results BACKEND=...` runs → build/results_backends.md
#   make annotate  (authors) write slide metadata into the notebooks from their skeleton
#   make format    (authors) store every notebook in its canonical form (no outputs; tests check it)
#   make colab-links  (authors) guard + Colab set-up in each notebook, badges when a repository URL is set

PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.requirements.stamp
PROFILE ?= full
NB      ?=
PARAMS  ?=
SEEDS   ?=
# Optional folder with reveal.js, require.js and MathJax for offline slides/site; without it they are
# fetched once with npm into build/web_assets/ (or, without npm, loaded from the CDN). See README.
COURSE_WEB_ASSETS ?=
export COURSE_WEB_ASSETS

# The offline data mirror: $COURSE_DATA_MIRROR if set, else ../shared/datasets when present.
COURSE_DATA_MIRROR ?= $(wildcard $(abspath $(CURDIR)/../shared/datasets))
export COURSE_DATA_MIRROR
# Optional backend: make test BACKEND=jax|torch installs requirements-<backend>.txt on top
# and exports KERAS_BACKEND (which must be set before Keras is imported).
BACKEND ?= $(or $(KERAS_BACKEND),tensorflow)
TORCH_INDEX ?=
export KERAS_BACKEND := $(BACKEND)
ifeq ($(filter $(BACKEND),tensorflow jax torch),)
$(error BACKEND must be tensorflow, jax or torch, not '$(BACKEND)')
endif
ifneq ($(BACKEND),tensorflow)
BACKEND_STAMP := $(VENV)/.$(BACKEND).stamp
endif

.PHONY: venv lab test run data clean slides html handouts results results-backends annotate format colab-links

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

$(VENV)/.jax.stamp: requirements-jax.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-jax.txt
	@touch $@

$(VENV)/.torch.stamp: requirements-torch.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-torch.txt $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	@touch $@

# `import utils` (and `course`) from any folder in the venv (JupyterLab, papermill, pytest):
# the repository installed in editable mode, exactly what a student does in their own environment.
# Requirements come from requirements.txt above (--no-deps; setuptools, the build backend, comes with
# tensorflow, so no download). The .pth of older checkouts is removed.
INSTALL_STAMP := $(VENV)/.editable.stamp
$(INSTALL_STAMP): pyproject.toml $(STAMP)
	@$(BIN)/python -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "dl_course.pth").unlink(missing_ok=True)'
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP) $(BACKEND_STAMP) $(INSTALL_STAMP)

lab: venv
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# TESTS: a subset, e.g. make test BACKEND=jax TESTS="notebooks tests/test_backends.py" (default: everything).
# TEST_WORKERS: parallel pytest workers (pytest-xdist); each takes a whole file (one notebook's cells stay
# in one kernel, in order). 0 runs everything in one process, as plain `pytest` does.
TEST_WORKERS ?= 2
test: venv
	COURSE_PROFILE=smoke KERAS_HOME=$(CURDIR)/build/test_keras_home COURSE_RESULTS_DIR=$(CURDIR)/build/test_results \
	  $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(TESTS)

run: venv
	$(BIN)/python -m course.runner --profile $(PROFILE) $(if $(NB),--nb $(NB)) $(PARAMS)

data: venv
	$(BIN)/python -m utils.data

slides: venv
	$(BIN)/python -m course.slides --build --run-missing $(PROFILE)

html: venv
	$(BIN)/python -m course.site --run-missing $(PROFILE)

# The main figure comes from build/executed/ (run `make run` first); pages without one say so.
handouts: venv
	$(BIN)/python -m course.handouts $(if $(NB),--nb $(NB))

results: venv
	$(BIN)/python -m course.results_table --profile $(PROFILE) $(if $(NB),--nb $(NB)) $(if $(SEEDS),--seeds $(SEEDS))

# After `make results BACKEND=...` on each backend: one table, a column per backend.
results-backends: venv
	$(BIN)/python -m course.results_table --compare-backends --profile $(PROFILE)

annotate: venv
	$(BIN)/python -m course.slides --annotate notebooks/[0-9][0-9]_*.ipynb

# (authors) the guard and Colab set-up at the top of each setup cell, and "Open in Colab" badges
# when pyproject.toml's [project.urls] Repository is set (course/setup_cell.py).
colab-links: venv
	$(BIN)/python -m course.setup_cell --write notebooks/[0-9][0-9]_*.ipynb

clean:
	rm -rf build

format: venv
	$(BIN)/python tools/format_notebooks.py
