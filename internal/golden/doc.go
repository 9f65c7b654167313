// Package golden compares a test's output with a golden file in the
// package's testdata, and rewrites the file when the test runs with its
// package's -update flag.
//
// A golden file pins what a function gives on invented inputs without a
// copy of the function as the oracle; the first differing line is what a
// reviewer needs to see, so Check reports that line, not the whole file.
//
// It owns only the comparison; each test keeps its own inputs, rendering
// and -update flag. It must not be imported by non-test code, and imports no
// chorus package.
package golden
