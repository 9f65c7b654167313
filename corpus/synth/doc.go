// Package synth writes deterministic synthetic archives for benchmarks.
//
// Researchers run chorus over hundreds of thousands of comments; the real
// archive is small and may not be copied, so the benchmarks need archives of
// any size that exercise the same code: the same layouts the readers parse
// (Blogger page text, classic Atom exports, JSON Lines), text in the blog's
// register, posts dated across 2014-2021, threads with one level of replies,
// a few exact duplicate comments, and a handful of files that must be
// quarantined. Titles and post bodies are recombined from the bundled
// sample archive (itself synthetic). Comments come in two shapes: "real"
// (the default) follows what was measured on real dumps of the blog
// (seeds.go) in an invented vocabulary (vocab.go); "short" recombines the
// sample's sentences into short comments, as the generator did before.
//
// Output is a function of Options alone: the same seed and options give
// byte-identical files, whatever the number of cores, because every file is
// generated from its own random stream derived from the seed and its index.
// Files are generated and written one at a time by a small worker pool, so
// memory stays flat however many comments are asked for.
//
// Layout of the output folder:
//
//	text:  NNN/NNNNNN_YYYY-MM-DD.txt   one post per file, 1,000 files a folder
//	atom:  feed-NNNNN.xml              about 500 comments a file, several posts
//	jsonl: comments-NNNNN.jsonl        about 5,000 comments a file
//	bad-*                              with BadFiles: empty, binary, truncated
//	                                   XML, no structure, no valid JSON line
//
// Every good file parses with corpus.Parse to exactly the posts and comments
// it was generated from (TestRoundTrip), and every bad file is rejected.
//
// # What it owns, what it must not touch
//
// It owns the generator: Options in, files under Options' output folder and
// Stats out, and nothing else written anywhere. It imports corpus (the
// bundled sample it recombines, the formats it writes, Parse to keep what it
// writes readable) and nothing above it: no model, no store, no
// pipeline, no reports. seeds.go holds figures measured on the real dumps,
// never their text; nothing here may read ../shared or carry a word of it.
package synth
