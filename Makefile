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

# The main job: emit the example circuits and lint them with all three tools.
demo: build
	$(ANTGEN) emit-examples -o rtl-out/examples
	$(ANTGEN) lint rtl-out/examples

test: bootstrap
	$(SWIFT) build --build-tests -j $(JOBS)
	$(SWIFT) test --skip-build

# Benchmarks, always in release mode; results go to docs/performance.md by hand.
bench: bootstrap
	$(SWIFT) build -c release -j $(JOBS) --product antgen-bench
	.build/release/antgen-bench all

lint-rtl: build
	$(ANTGEN) lint rtl-out/examples

clean:
	rm -rf .build
