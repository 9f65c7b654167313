# chorus: the two commands a user needs are `make run` and `make test`.
# Go 1.26 is the only prerequisite; every library comes through go.mod.

GO       ?= go
BIN      := bin/chorus
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X chorus/internal/version.Version=$(VERSION)

.PHONY: all build run test bench lint fuzz clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/chorus

# The nightly job on the bundled sample archive; writes out/ and out/chorus.db.
run: build
	./$(BIN) run

# Unit, golden and fixture tests, the fuzz seed corpora, and (when ../shared
# sits beside the clone) the checks against real data and hand labels.
test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Per-stage Go benchmarks; see BENCHMARKS.md for the end-to-end figures.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Run each fuzz target for a while (by hand, not in CI).
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./corpus/

clean:
	rm -rf bin out
