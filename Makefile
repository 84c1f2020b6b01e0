# Two commands do everything on a fresh machine: `make run` and `make test`.
# The interpreter is found by *running* candidates (pyenv shims on PATH can exist
# yet exit 127), honouring PYTHON=... when given.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXTRAS_STAMP := $(VENV)/.installed-extras

PYTHON_CANDIDATES := $(PYTHON) python3.13 python3.12 python3 python \
	$(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.1[2-9]*/bin/python3) \
	$(wildcard /usr/local/bin/python3.1[2-9]) $(wildcard /usr/bin/python3.1[2-9])

.PHONY: run test venv extras bench docs clean browser fonts viz lesson

define find_python
for c in $(PYTHON_CANDIDATES) $$(command -v pyenv >/dev/null 2>&1 && ls -d "$$(pyenv root)"/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
  if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
done; echo "error: no Python >= 3.12 found; install one or run 'make PYTHON=/path/to/python3.12 ...'" >&2; exit 1
endef

# `make run` installs only what `mnp run` needs (about 1-2 minutes on a fresh 2-core
# machine); `make extras` adds sweeps, calibration, the game solver and the teaching page,
# and `make test` installs everything the tests need (both stamps).
$(STAMP): pyproject.toml
	@start=$$SECONDS; py=$$($(find_python)) || exit 2; \
	echo "[setup 1/3] Using $$py ($$($$py --version)); creating $(VENV)/"; \
	[ -x $(PY) ] || $$py -m venv $(VENV) || exit 2; \
	echo "[setup 2/3] Updating pip (a few seconds)"; \
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip || exit 2; \
	echo "[setup 3/3] Installing what 'mnp run' needs: numpy, pandas, matplotlib, numba, mesa,"; \
	echo "            pydantic, typer (about 1-2 minutes; prebuilt wheels, nothing compiled)"; \
	$(PY) -m pip install -q --disable-pip-version-check --progress-bar off -e . || exit 2; \
	touch $(STAMP); echo "Set-up done in $$((SECONDS - start)) s"

$(EXTRAS_STAMP): $(STAMP)
	@start=$$SECONDS; \
	echo "[extras 1/3] The game solver pygambit 16, compiled from C++ source: PyPI has no"; \
	echo "             wheel of it for this Python (about 5 minutes on 2 cores; only 'mnp game'"; \
	echo "             needs it)"; \
	$(PY) -m pip install -q --disable-pip-version-check 'pygambit>=16.1,<17' || exit 2; \
	echo "[extras 2/3] Dask, SALib, pyarrow, scikit-learn, optuna, ema_workbench, the teaching"; \
	echo "             page (Solara) and the test tools (about 1-2 minutes)"; \
	$(PY) -m pip install -q --disable-pip-version-check --progress-bar off \
	  -e '.[all,test]' || exit 2; \
	echo "[extras 3/3] The teaching page's JavaScript (from the npm registry)"; \
	$(PY) -m sim.viz.assets || exit 2; \
	touch $(EXTRAS_STAMP); echo "Extras done in $$((SECONDS - start)) s"

venv: $(EXTRAS_STAMP)  # a development environment: everything the tests need

extras: $(EXTRAS_STAMP)

run: $(STAMP)
	$(VENV)/bin/mnp run scenarios/china_mnp_2019.yaml --out out/china_mnp_2019 --force

test: $(EXTRAS_STAMP) browser fonts
	$(PY) -m ruff check sim
	$(PY) -m pytest

# Debian's chromium for the teaching page's browser test (Playwright drives it; no
# browser download). Installed with apt as root or with password-less sudo; elsewhere
# the test is skipped locally (and fails under CI=true).
browser:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "note: no apt-get; install chromium yourself for the browser test"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else echo "note: not root; run 'sudo apt-get install chromium' for the browser test"; exit 0; fi; \
	echo "Installing Debian's chromium for the browser test..."; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	  chromium >/dev/null || echo "note: could not install chromium"

# A CJK font for the Chinese page, charts and lesson figures (`--lang zh`): Debian's
# fonts-wqy-microhei (1.6 MB download, 5 MB installed), found by file by sim/i18n.py.
# Installed with apt as root or with password-less sudo, like chromium above; elsewhere
# the Chinese tests are skipped locally (and fail under CI=true).
CJK_FONT_PACKAGE := fonts-wqy-microhei
fonts:
	@if [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || \
	   [ -n "$$(fc-list :lang=zh file 2>/dev/null)" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "note: no apt-get; install a CJK font (WenQuanYi Micro Hei or Noto Sans CJK) for --lang zh"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else echo "note: not root; run 'sudo apt-get install $(CJK_FONT_PACKAGE)' for --lang zh"; exit 0; fi; \
	echo "Installing $(CJK_FONT_PACKAGE) for the Chinese page and figures..."; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	  $(CJK_FONT_PACKAGE) >/dev/null || echo "note: could not install $(CJK_FONT_PACKAGE)"

# The teaching page (scenarios/false_loyalty_demo.yaml) at http://127.0.0.1:8765;
# VIZ_ARGS="--lang zh" or VIZ_ARGS="--host 0.0.0.0" (a classroom) pass options.
viz: $(EXTRAS_STAMP)
	$(VENV)/bin/mnp viz $(VIZ_ARGS)

# Regenerate the lesson's figures (docs/figures/false-loyalty/, and in Chinese
# docs/figures/false-loyalty-zh/), rewrite both lessons' quadrant tables from the code,
# and print the numbers the lessons quote.
LESSON_OUT := out/false_loyalty_demo
LESSON_FIGURES := subscribers churn loyalty switching_cost net_porting
lesson: $(EXTRAS_STAMP) fonts
	$(VENV)/bin/mnp run scenarios/false_loyalty_demo.yaml --out $(LESSON_OUT) --force
	mkdir -p docs/figures/false-loyalty
	for f in $(LESSON_FIGURES); do cp $(LESSON_OUT)/$$f.png docs/figures/false-loyalty/; done
	$(PY) -m sim.story scenarios/false_loyalty_demo.yaml $(LESSON_OUT) \
	  --lesson docs/teaching-false-loyalty.md
	$(PY) -m sim.story scenarios/false_loyalty_demo.yaml $(LESSON_OUT) --lang zh \
	  --figures docs/figures/false-loyalty-zh --lesson docs/teaching-false-loyalty.zh.md

# Benchmarks print their figures and write CSV + PNG to experiments/bench/results/
# (about 10 minutes on 2 cores; BENCH_SIZES=... to change the scaling sizes).
BENCH_SIZES ?= 10000 100000 1000000 10000000
bench: $(EXTRAS_STAMP)
	$(PY) experiments/bench/equivalence.py
	$(PY) experiments/bench/throughput.py
	$(PY) experiments/bench/scaling.py --sizes $(BENCH_SIZES)
	$(PY) experiments/bench/sweep_scaling.py
	$(PY) experiments/bench/run_speed.py --sizes 1000000 --months 60

docs: $(STAMP)
	$(VENV)/bin/mnp reference --out docs/scenario-reference.md

clean:
	rm -rf $(VENV) out .pytest_cache
