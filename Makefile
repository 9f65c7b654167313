# chorus: the two commands a user needs are `make run` and `make test`.
# Go 1.26 is the only prerequisite; every library comes through go.mod.

GO       ?= go
BIN      := bin/chorus
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X chorus/internal/version.Version=$(VERSION)

.PHONY: all build run test check bench lint fuzz clean model

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/chorus

# The nightly job on the bundled sample archive; writes out/ and out.db beside it.
run: build
	./$(BIN) run

# The bundled sentiment weights, trained on the dev labels beside the clone.
# The same labels give the same bytes (go test ./models/sentiment/learned/
# checks it); commit the file after changing features or training.
GOLD ?= ../shared/eval/probation/dev.jsonl
model:
	$(GO) run ./cmd/chorus train sentiment --gold $(GOLD) --out models/sentiment/learned/weights/model.json

# Unit, golden and fixture tests, the fuzz seed corpora, and (when ../shared
# sits beside the clone) the checks against real data and hand labels.
#
# The results go through scripts/testreport, which prints what go test
# prints and then every skipped test with its reason (without ../shared,
# the checks against real data and hand labels skip and say so).
test:
	$(GO) vet ./...
	$(GO) build -o bin/testreport ./scripts/testreport
	$(GO) test -count=1 -json ./... | bin/testreport

# The quick loop while working: vet and the tests that take under a second
# or two (long runs honour -short). make test runs everything.
check:
	$(GO) vet ./...
	$(GO) test -short ./...

# Per-stage Go benchmarks, then end-to-end runs on generated archives
# (BENCH_SIZES, default 10k and 100k comments; add 1000000 for the 1M run)
# of comments shaped like the real blog's (BENCH_SHAPE=short for the older
# generator), with five cold runs at 100k and the reference Python VADER
# beside them when python3-nltk is installed.
# BENCHMARKS.md quotes the figures and the machine they came from.
BENCH_SIZES ?= 10000 100000
BENCH_SHAPE ?= real
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	scripts/bench-e2e.sh --shape $(BENCH_SHAPE) $(BENCH_SIZES)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Run each fuzz target for a while (by hand, not in CI). Minimising each new
# input is bounded by a number of executions (FUZZMIN), not by time: the
# readers' seed inputs are kilobytes long, and minimising one by time (60 s
# by default, per input) left FuzzParse and FuzzParseAtom minimising for most
# of their run (8 executions in 60 s) instead of fuzzing (18,000 a second).
FUZZTIME ?= 60s
FUZZMIN  ?= 2000x
FUZZ     := $(GO) test -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMIN)
fuzz:
	@for t in FuzzParse FuzzParseAtom FuzzParseJSONL FuzzParseBlogger FuzzParseFlattened FuzzParseWXR FuzzParseDisqus FuzzParseBloggerHTML FuzzHelpers; do \
	  echo "== $$t"; $(FUZZ) -fuzz "^$$t\$$" ./corpus/ || exit 1; done
	$(FUZZ) -fuzz '^FuzzCommentEncoder$$' ./reports/

clean:
	rm -rf bin out
