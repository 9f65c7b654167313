// Package text splits comment text into sentences and tokens.
//
// Sentence segmentation uses the Punkt model that prose is built on, loaded
// once per Segmenter; tokenisation uses prose's tokenizer with tagging and
// entity extraction switched off and a shared empty model, so no model is
// loaded per call. A Segmenter is safe for concurrent use.
package text

import (
	"fmt"
	"strings"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"
)

// Segmenter splits text into sentences and tokens.
type Segmenter struct {
	punkt *sentences.DefaultSentenceTokenizer
}

// NewSegmenter loads the English Punkt model. Build one and reuse it.
func NewSegmenter() (*Segmenter, error) {
	p, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, fmt.Errorf("load sentence model: %w", err)
	}
	return &Segmenter{punkt: p}, nil
}

// Sentences splits s into trimmed, non-empty sentences.
func (sg *Segmenter) Sentences(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		// A line break in a comment ends a sentence: commenters write lists
		// and sign-offs on lines of their own without final punctuation.
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
	return AppendTokens(make([]string, 0, len(s)/5+1), s)
}
