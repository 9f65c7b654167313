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
