// Command chorus is the nightly pipeline for blog comment threads: it reads
// an archive, scores and tags every comment, and writes tables, charts, an
// HTML report and a SQLite database. Run `chorus help` for the commands.
//
// Exit codes (documented in README.md):
//
//	0  success (rejected input files are reported, not failures)
//	1  the run failed; the previous reports are untouched
//	2  bad flags, arguments or configuration
//	3  another chorus run holds the database lock (or the report folder's)
//	4  refused to publish: no input found, far fewer comments than the last
//	   run, or a damaged database; the previous reports are untouched
//	130 interrupted (SIGINT or SIGTERM); the previous reports are untouched
//
// # What it owns, what it must not touch
//
// This package is flags and wiring only: it parses the command line, builds
// a pipeline.Config or calls a model or reader, and maps errors to exit
// codes. It holds no logic a test of the other packages could not reach:
// no reading of inputs, no scoring, no SQL, no report layout.
package main
