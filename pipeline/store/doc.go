// Package store keeps chorus's corpus, analyses and run log in one SQLite
// file that researchers can open with the sqlite3 shell.
//
// It is the memory of the nightly run: which input files were seen and with
// what digest (so unchanged files are never read again), the posts and
// comments read from them (text redacted unless the caller asks to keep the
// original), one analysis per comment per analysis key (so a new model,
// lexicon or taxonomy re-analyses stored text without re-reading files), and
// a log of runs. Reports are rebuilt from it, never from the raw files.
//
// Crash safety comes from SQLite itself: every change that must be all or
// nothing (one document's posts and comments, one batch of analyses) is one
// transaction, and the file is in WAL mode, so a process killed at any point
// leaves the last committed state. One writer at a time is the caller's
// business: take Lock before Open.
//
// The driver is modernc.org/sqlite (pure Go, no cgo).
//
// # What it owns, what it must not touch
//
// It owns the SQL: the schema and its migrations (schema.go), every query,
// the locks beside the database (lock*.go), and the block cache of report
// rows beside it (blocks.go), which holds bytes the pipeline encodes. It
// must not import the pipeline or reports, score or parse anything, or read
// an input file.
package store
