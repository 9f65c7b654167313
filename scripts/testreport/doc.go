// Command testreport reads `go test -json` on its standard input and prints
// what `go test` prints without -v (a line per package, and the output of
// every failed test), then the tests that were skipped and why: a user
// without ../shared sees which checks against real data did not run.
// It exits 1 when a test or a build failed.
//
//	go test -count=1 -json ./... | go run ./scripts/testreport
//
// It reads only its standard input and writes only its standard output, and
// imports no chorus package: it is a development tool, not part of a run.
package main
