// Command vaderlexicon writes the VADER lexicon chorus carries (the
// reference lexicon, models/sentiment/vader.DefaultLexicon) as
// "word<TAB>valence" lines, sorted, for the reference Python VADER that
// scripts/bench-e2e.sh runs beside chorus: NLTK's SentimentIntensityAnalyzer
// reads such a file when given lexicon_file, so both score with the same
// words. The last line has no line end, because NLTK's reader takes an empty
// last line for an entry and fails on it.
//
// Usage: go run ./scripts/vaderlexicon > vader_lexicon.txt
//
// It imports only models/sentiment/vader and writes only its standard
// output: a development tool for the comparison benchmark, not part of a run.
package main
