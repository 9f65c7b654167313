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
package text

import (
	"strings"
	"sync"

	"gopkg.in/neurosnap/sentences.v1"
)

// Segmenter splits text into sentences and tokens.
type Segmenter struct {
	punkt   *sentences.DefaultSentenceTokenizer
	scratch sync.Pool // *punktScratch, for SentenceCount
}

// NewSegmenter loads the English Punkt model. Build one and reuse it.
func NewSegmenter() (*Segmenter, error) {
	p, err := newPunkt()
	if err != nil {
		return nil, err
	}
	sg := &Segmenter{punkt: p}
	sg.scratch.New = newPunktScratch
	return sg, nil
}

// Sentences splits s into trimmed, non-empty sentences.
func (sg *Segmenter) Sentences(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		// A line break in a comment ends a sentence: commenters write lists
		// and sign-offs on lines of their own without final punctuation.
		if !hasSentPunct(line) {
			// Punkt breaks only after . ! or ?: a line without them is
			// one sentence, and the tokenizer need not run.
			if txt := strings.TrimSpace(line); txt != "" {
				out = append(out, txt)
			}
			continue
		}
		for _, t := range sg.punkt.Tokenize(line) {
			if txt := strings.TrimSpace(t.Text); txt != "" {
				out = append(out, txt)
			}
		}
	}
	return out
}

// Tokens returns the tokens of s: prose v2.0.0's tokens, token for token,
// from the package's own tokenizer (see the package comment).
func (sg *Segmenter) Tokens(s string) []string {
	// About one token per 4.7 bytes in the blog's comments: len/4 leaves
	// room so the slice is rarely grown.
	return AppendTokens(make([]string, 0, len(s)/4+2), s)
}

// TokenCount returns len(sg.Tokens(s)) without building the slice, for
// callers that only need the count.
func (sg *Segmenter) TokenCount(s string) int { return TokenCount(s) }
