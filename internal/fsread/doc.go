// Package fsread is the one way chorus reads a whole file it did not write:
// Open opens only a regular file (opened without blocking, then checked
// with fstat, so a named pipe, a socket or a device such as /dev/zero is
// refused at once), and Read reads such a file up to a limit the caller
// chooses, refusing a larger one without reading it all.
//
// Every layer uses it: corpus for archives and the date table, pipeline for
// the configuration, the taxonomy, the lexicon overlay, the thresholds and
// the weights, pipeline/label for the coding guide and label imports,
// corpus/fetch for its state file, and cmd/chorus for gold sets. The models
// never see a file: their callers read through this package and hand them
// bytes. The limits belong to the callers, one per kind of file, each
// documented beside its constant and in docs/operations.md.
//
// # What it owns, what it must not touch
//
// It owns the opening rule (open_unix.go adds O_NONBLOCK; open_other.go,
// for Windows and others, relies on the fstat alone) and the bounded read.
// It imports nothing of chorus and knows nothing of formats, paths'
// meanings or redaction: its errors never name the path, and the caller
// wraps them with the name it may show.
package fsread
