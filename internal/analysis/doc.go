// Package analysis is the vocabulary every layer of chorus shares about one
// comment: its status and whether it counts (Counted, the one home of that
// rule), what the models said of it (Analysis), and a comment waiting for
// them (CommentText).
//
// It sits at the bottom of the import graph: corpus, models, pipeline,
// pipeline/store and reports may all import it, and it imports nothing of
// chorus. It holds types and one rule, no logic that reads, scores or
// stores anything.
//
// # What it owns, what it must not touch
//
// It takes nothing and gives types: a comment's Status, the Counted and
// Published rules, Analysis and CommentText. It must not import any chorus
// package, nor do I/O (no files, no SQL, no network): every layer above
// depends on it, so anything it imported would be imported everywhere.
package analysis
