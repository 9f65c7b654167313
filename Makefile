# chorus: the two commands a user needs are `make run` and `make test`.
# Go 1.26 is the only prerequisite; every library comes through go.mod.

GO       ?= go
BIN      := bin/chorus
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X chorus/internal/version.Version=$(VERSION)

.PHONY: all build run test bench lint fuzz clean model

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/chorus

# The nightly job on the bundled sample archive; writes out/ and out/chorus.db.
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
test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Per-stage Go benchmarks, then end-to-end runs on generated archives
# (BENCH_SIZES, default 10k and 100k comments; add 1000000 for the 1M run).
# BENCHMARKS.md quotes the figures and the machine they came from.
BENCH_SIZES ?= 10000 100000
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	scripts/bench-e2e.sh $(BENCH_SIZES)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Run each fuzz target for a while (by hand, not in CI).
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./corpus/
	$(GO) test -run '^$$' -fuzz '^FuzzHelpersMatchReference$$' -fuzztime $(FUZZTIME) ./corpus/

clean:
	rm -rf bin out
