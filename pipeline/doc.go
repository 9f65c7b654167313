// Package pipeline runs the nightly job: discover the inputs, read the new
// or changed ones into the store, analyse every comment that lacks an
// analysis under the current models, and publish the reports, rebuilt from
// the store, in one atomic step.
//
// A run is a sequence of stages, each a small type with one method in a
// file of its own, wired by job.run in run.go:
//
//	discover  (discover.go)  list the inputs; refuse pipes and links out of the input
//	read      (read.go)      open, hash and parse new or changed files, on workers
//	analyse   (analyse.go)   score and tag their comments on the same workers;
//	          (pending.go)   afterwards, whatever the store holds unanalysed,
//	                         encoding each post's report rows as it goes
//	store     (store.go)     write documents and analyses, one writer goroutine
//	aggregate (aggregate.go) assemble the reports' input from the store and its
//	                         block cache of report rows (rows.go)
//	publish   (publish.go)   write the reports into a staging folder, check, swap
//
// # What it owns, what it must not touch
//
// It owns the order of the stages, their concurrency, what a run records
// (the summary, the runs table) and the rules of publication: locks, the
// shrink guard, the database check, the atomic swap, file modes. It adapts
// the models (analyse.go, domain.go) and the store to each other, and reads
// the files the models need (modelfiles.go: taxonomy, lexicon, thresholds;
// domain.go: weights) through internal/fsread, so the models see bytes and
// never a path. It must
// not know the SQL (pipeline/store does), an input format (corpus does) or
// an output's layout (reports does), and it is the only package that
// writes the report folder, and only in publish.go.
package pipeline
