# antgen: the two set-up commands are `make demo` and `make test`; both install
# what they need first (scripts/bootstrap.sh, Debian packages, needs root).
SWIFT ?= swift
JOBS ?= 2
ANTGEN = .build/debug/antgen

.PHONY: all bootstrap build demo test bench lint-rtl clean

all: build

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build -j $(JOBS)

# The main job: quantize a sample weight file with ANT's adaptive types, emit the
# default 32x32 ANT array (as in the ANT paper's evaluation) and the DSL examples,
# and lint everything with Verilator, Icarus and Yosys.
demo: build
	$(ANTGEN) quantize examples/sample_weights.safetensors --json rtl-out/sample_weights.quant.json
	$(ANTGEN) emit --rows 32 --cols 32 --types int,pot,flint --acc-width 32 -o rtl-out/ant_32x32
	$(ANTGEN) emit-examples -o rtl-out/examples
	$(ANTGEN) lint rtl-out/ant_32x32
	$(ANTGEN) lint rtl-out/examples

test: bootstrap
	$(SWIFT) build --build-tests -j $(JOBS)
	@scripts/test-summary.sh .build/test.log

# Benchmarks, always in release mode; results go to docs/performance.md by hand.
bench: bootstrap
	$(SWIFT) build -c release -j $(JOBS) --product antgen-bench
	.build/release/antgen-bench all

lint-rtl: build
	$(ANTGEN) lint rtl-out/ant_32x32

clean:
	rm -rf .build
