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

	"github.com/jdkato/prose/v2"
	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"
)

// Segmenter splits text into sentences and tokens.
type Segmenter struct {
	punkt *sentences.DefaultSentenceTokenizer
	model *prose.Model // empty model: stops prose loading its tagger per document
}

// NewSegmenter loads the English Punkt model. Build one and reuse it.
func NewSegmenter() (*Segmenter, error) {
	p, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, fmt.Errorf("load sentence model: %w", err)
	}
	return &Segmenter{punkt: p, model: &prose.Model{Name: "chorus-none"}}, nil
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

// Tokens returns prose's tokens of s.
func (sg *Segmenter) Tokens(s string) []string {
	doc, err := prose.NewDocument(s,
		prose.WithSegmentation(false),
		prose.WithTagging(false),
		prose.WithExtraction(false),
		prose.UsingModel(sg.model))
	if err != nil { // prose never returns one with these options
		return strings.Fields(s)
	}
	toks := doc.Tokens()
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}
