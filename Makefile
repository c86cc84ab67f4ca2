# Two commands on a fresh machine (python3 + make): `make demo`, `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOG := $(VENV)/install.log

.PHONY: demo test lint setup clean bench serve

# The install's own chatter goes to .venv/install.log (shown only when it fails).
$(STAMP): requirements.lock pyproject.toml
	@echo "安装依赖(首次约 2 分钟,详情见 $(LOG))…"
	@$(PY) -m venv $(VENV)
	@( $(BIN)/python -m pip install --quiet --upgrade pip \
	  && $(BIN)/python -m pip install --quiet -r requirements.lock \
	  && $(BIN)/python -m pip install --quiet --no-deps -e . ) > $(LOG) 2>&1 \
	  || { cat $(LOG); echo "安装失败,详情见 $(LOG)"; exit 1; }
	@touch $(STAMP)
	@echo "安装完成。"

setup: $(STAMP)

demo: $(STAMP)
	@$(BIN)/planner demo --out out/demo

serve: $(STAMP)
	@$(BIN)/planner serve --open

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python benchmarks/anchor.py
	$(BIN)/python benchmarks/pairing.py
	$(BIN)/python benchmarks/rotation.py
	$(BIN)/python benchmarks/calendar.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
