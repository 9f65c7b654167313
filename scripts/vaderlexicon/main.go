// Command vaderlexicon writes the VADER lexicon chorus carries (the
// reference lexicon, models/sentiment/vader.DefaultLexicon) as
// "word<TAB>valence" lines, sorted, for the reference Python VADER that
// scripts/bench-e2e.sh runs beside chorus: NLTK's SentimentIntensityAnalyzer
// reads such a file when given lexicon_file, so both score with the same
// words. The last line has no line end, because NLTK's reader takes an empty
// last line for an entry and fails on it.
//
// Usage: go run ./scripts/vaderlexicon > vader_lexicon.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"chorus/models/sentiment/vader"
)

func main() {
	if err := write(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vaderlexicon:", err)
		os.Exit(1)
	}
}

func write(w io.Writer) error {
	lex, err := vader.DefaultLexicon()
	if err != nil {
		return err
	}
	words := make([]string, 0, len(lex))
	for word := range lex {
		words = append(words, word)
	}
	slices.Sort(words)
	b := bufio.NewWriter(w)
	for i, word := range words {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(word)
		b.WriteByte('\t')
		b.WriteString(strconv.FormatFloat(lex[word], 'f', -1, 64))
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("write lexicon: %w", err)
	}
	return nil
}
