package text

import (
	"github.com/jdkato/prose/v2"
)

// proseModel is an empty model: with tagging and extraction off it stops
// prose loading its tagger for every document.
var proseModel = &prose.Model{Name: "chorus-oracle"}

// proseTokens is the oracle: prose's own tokenizer, as Tokens used it before
// the package had its own.
func proseTokens(s string) []string {
	doc, err := prose.NewDocument(s,
		prose.WithSegmentation(false),
		prose.WithTagging(false),
		prose.WithExtraction(false),
		prose.UsingModel(proseModel))
	if err != nil {
		panic(err)
	}
	toks := doc.Tokens()
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}
