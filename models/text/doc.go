// Package text splits comment text into sentences and tokens.
//
// # Tokens: our own tokenizer, prose's tokens
//
// chorus tokenises with the rules of prose v2.0.0 (github.com/jdkato/prose),
// the tokenizer the project started with and the one its lexicon matching,
// topic rules and evaluation figures were built and checked against. prose's
// implementation is slow for a batch job, though: about 5 MB/s per core
// measured on its own, and the largest single cost of the pipeline's
// analysis, where the target is 25,000 comments/s on two cores. It runs a
// regular expression on every word, lower-cases each word on every step of
// its loop, allocates a *Token (and often a one-byte string) per token,
// prepends to a slice for every trailing punctuation mark, builds a map
// cache per call and copies every text through a strings.Replacer.
//
// AppendTokens (and Segmenter.Tokens) reimplements the same rules with byte
// tests and no regular expression; tokens are substrings of the input, so
// a call allocates only the result slice (and a copy of the text when it
// holds curly quotes). On the bundled sample's comments it runs about ten
// times as fast as prose (BenchmarkTokens vs BenchmarkTokensProse).
//
// What it matches, token for token: curly quotes and "&rsquo;" become
// straight quotes first; words are split at Unicode white space; each word
// is then peeled as splitWord describes (emoticons and abbreviations such as
// "U.S." or "Mr." kept whole, leading $ ( " [ split off, contractions 'll 's
// 're 'm n't split off, trailing , ) " ] ! ; . ? : ' split off and emitted
// last). prose's quirks are reproduced because the tokens feed scores that
// were validated with them: ":)" is not in its emoticon list and becomes ":"
// and ")"; a word whose contraction starts it and has more after it
// ("'re." in "they're.", "'sake") loses that remainder; and contraction
// indexes come from a lower-cased copy of the word, so a few case-mapped
// runes shift them. The one deliberate difference: where that shifted index
// falls beyond the word, prose panics and we report no contraction.
//
// How that is held: prose stays a test dependency as the oracle.
// Tests compare the two token for token on every comment, title and body
// paragraph of the bundled sample, on every comment and every line and
// paragraph of the five real seed dumps (when ../shared is present), on
// invented tricky strings (URLs, e-mail addresses, every emoticon of the
// list and near misses, quotes straight and curly, apostrophes,
// contractions, ellipses, hyphens, numbers, currency, non-ASCII letters
// whose case mapping changes their length, invalid UTF-8), on 20,000
// random texts glued from such pieces, and in the fuzz target FuzzTokens.
//
// # Sentences
//
// Sentences runs the Punkt model of gopkg.in/neurosnap/sentences.v1 (the
// one prose uses) per line, since a line break in a comment ends a sentence.
// The model is wired exactly as the library's english.NewSentenceTokenizer
// wires it, with two changes that do not change its output: punktWords
// replaces the library's word tokenizer, whose token tests ran regular
// expressions (and allocated) several times per token and dominated its
// profile, and multiPunct replaces the last annotation pass for the same
// reason; and a line with no . ! or ? (where Punkt cannot break) skips the
// model. It runs two to three times as fast as the library (BenchmarkSentences
// vs BenchmarkSentencesPunkt), and tests compare its output with the
// library's on the sample, the seeds, tricky strings, random texts and in
// FuzzSentences.
//
// # Counts
//
// The pipeline stores only how many tokens and sentences a comment has.
// TokenCount runs the tokenizer's rules counting instead of appending, and
// SentenceCount runs the same Punkt model as Sentences with its three
// annotation passes rewritten over a reused buffer (no token, type string,
// pair slice or sentence is allocated) and counts the breaks; both find
// words eight bytes at a time. On the sample's comments they run several
// times as fast as len(Tokens) and len(Sentences) (BenchmarkTokenCount and
// BenchmarkSentenceCount against BenchmarkTokens and BenchmarkSentences),
// and tests compare them with those lengths on the sample, the seeds,
// tricky strings, random texts and in FuzzCounts.
//
// A Segmenter is safe for concurrent use.
//
// # What it owns, what it must not touch
//
// It takes text and gives tokens (AppendTokens), sentences and their counts
// (Segmenter, TokenCount, Segmenter.SentenceCount); the pipeline stores the
// counts. It imports no chorus package and must not import corpus, another
// model, the store, the pipeline or reports, or know of files or SQL.
package text
