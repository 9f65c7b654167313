// Package text splits comment text once into white space fields (Scan),
// and into sentences and tokens.
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
// TokenCount (TokenCountScan) runs the tokenizer's rules counting instead
// of appending, and
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
// # One scan, many tokenisers
//
// Scan.Reset splits a comment once, in one pass over its bytes, into its
// white space fields with their byte offsets, per-field flags (ASCII
// capitals, small letters, apostrophe, a byte above 0x7F), per-gap flags
// (what the white space before each field held: a newline, a rune Go counts
// as space, U+1680, other space) and the text lower-cased at the same
// offsets. The pipeline (Analyser.Analyse) scans each comment once and hands
// the scan to the sentiment model, the token count and the tagger: VADER (Analyzer.TraceScan, SplitScan)
// takes its tokens from the fields, the lexicon model (domain) its tokens
// and their line breaks, and the learned model runs the lexicon model on the
// same scan. TestScanProperties and FuzzScan hold the scan to definitions
// stated independently of it (strings.FieldsFunc with IsPySpace, and so on).
//
// The models do not all mean the same by "white space", "word" and
// "sentence", and their outputs were validated with their own definitions,
// so each is kept exactly; this is what each uses:
//
//   - Scan, VADER, the lexicon model (and so the learned model's dense
//     features): Python's str.split white space, decided at every byte
//     offset: \t \n \v \f \r space, the four separators U+001C..U+001F,
//     and U+0085 U+00A0 U+1680 U+2000..U+200A U+2028 U+2029 U+202F U+205F
//     U+3000. Invalid UTF-8 bytes are never space. (Go's unicode.IsSpace is
//     the same set without U+001C..U+001F.)
//   - The prose-rules tokenizer (AppendTokens, TokenCount) and the Punkt
//     word splitter (Sentences, SentenceCount): Go's unicode.IsSpace, so
//     "a\x1cb" is one word to them and two fields to the scan, and "\x1c"
//     alone is a word to them and nothing to the scan (a text whose scan
//     marks GapPySep is split again at Go's white space); curly
//     quotes and "&rsquo;" are made straight first (no change to white
//     space).
//   - Topics (models/topics): no white space rule at all; a word is a run of
//     word runes (ASCII letters and digits; non-ASCII runes except Latin-1
//     symbols below U+00C0, U+2000..U+2BFF, U+3000..U+303F, U+FEFF, emoji
//     from U+1F000 and invalid bytes) joined by single inner apostrophes
//     (' U+2018 U+2019). So U+1680, white space to the scan, is a letter to
//     topics (the scan marks it GapOgham), and hyphens split words.
//   - The learned model's bag of words (hashed, cueCounts): runs of bytes in
//     [A-Za-z0-9'] or above 0x7F, so every non-ASCII space (U+00A0 ...) is
//     inside a word to it, and every ASCII punctuation mark ends one; the
//     marks PunctuationAt folds are read as their ASCII first, so a
//     typographic apostrophe or single quote is a ' inside the word and a
//     typographic double quote, guillemet, dash or ellipsis ends it.
//
// Sentences, three definitions:
//
//   - Stored count (SentenceCount, Sentences): a '\n' always ends one;
//     within a line, Punkt's English model breaks after . ! or ? (with its
//     learned abbreviations, collocations and orthographic heuristics);
//     empty sentences are dropped.
//   - Lexicon model (domain endsSentence): after a token followed by a '\n'
//     in its gap (GapNewline on the next field, or Scan.Trail), or a token
//     ending in . ! or ? (closing quotes and brackets stripped) when the
//     next token does not start with a lower-case letter, unless the stop is
//     single and follows an abbreviation of its list or an initial ("J.").
//   - Topics (the boundary flag): any of . ! ? ; : or '\n' outside a word
//     between two words, so "a;b" and "a:b" hold a boundary to topics and
//     none to the other two; phrases never span one.
//
// The token count reads the scan too (TokenCountScan): prose's words are
// the fields (unless the text holds U+001C..U+001F: GapPySep), and a word
// of ASCII letters and digits only (no FieldHigh or FieldOther) is one
// token without a look at its bytes. Topics read their words from the fields too
// (Tagger.TagScanAppend), and the gaps only where GapNewline or GapOgham
// says they matter. The learned model's bag of words and the sentence count
// still read the text themselves: the bag's words run across non-ASCII
// white space, and Punkt reads only the words around . ! and ?.
//
// # What it owns, what it must not touch
//
// It takes text and gives its scan (Scan), tokens (AppendTokens), sentences
// and their counts (Segmenter, TokenCount, Segmenter.SentenceCount); the pipeline stores the
// counts. It imports no chorus package and must not import corpus, another
// model, the store, the pipeline or reports, or know of files or SQL.
package text
