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
