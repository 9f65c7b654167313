// Package vader is an exact, allocation-light Go implementation of the VADER
// sentiment algorithm (Hutto & Gilbert, ICWSM 2014) as the reference Python
// vaderSentiment (current master) computes it.
//
// Exactness matters because researchers compare our numbers with published
// VADER figures: every rule of the reference is reproduced, quirks included
// (for instance its "but" rule rescales the first entry equal to each value,
// and two-letter words keep their punctuation). The parity test checks the
// compound score against the reference output for 23,703 texts.
//
// Speed matters because the pipeline scores millions of comments: the hot
// loop tokenises bytes in place, lowercases into a reused buffer, looks every
// word up once in a single table, and reuses all per-call buffers through a
// sync.Pool; there are no regular expressions and no per-token allocations
// (a text containing emoji costs one allocation, for its rewritten form).
//
// Beyond the reference, a Lexicon may hold multi-word keys ("tick box"); the
// longest one starting at a word is scored as one item at that word (see New).
//
// # What it owns, what it must not touch
//
// It owns the VADER algorithm and its reference lexicon: New takes a Lexicon,
// Analyzer.PolarityScores takes a text and gives Scores, Trace and
// SplitWords show the work. It imports no chorus package and must not: it is
// the reference implementation the domain model builds on, and its parity
// with the Python reference (parity_test.go) is what lets researchers compare
// figures, so domain changes belong in models/sentiment/domain, not here. It
// knows nothing of files or SQL.
package vader
