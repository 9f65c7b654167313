package learned

import (
	"strings"
	"testing"

	"chorus/models/sentiment/domain"
)

// Every sentence in this file is invented for the test.

var apostropheTexts = []string{
	"I don't like it.",
	"It isn't good enough and they can't help. Won't anyone listen?",
	"They didn't care, and it's never been fair to the '90s intake.",
	"I can't stand these 'innovative' targets! See www.example.org at 10 o'clock.",
	"Honestly it's great, isn't it? I couldn't be happier.",
	"'Transforming' isn't the word I'd use.\nWe're losing good staff.",
}

// TestTypographicApostrophes: the learned model's Result (probabilities,
// label, evidence) and its bag of words and cue counts are the same for a
// comment whose apostrophes are ASCII, U+2019, U+2018 or "&rsquo;".
func TestTypographicApostrophes(t *testing.T) {
	m := bundledModel(t)
	for _, ascii := range apostropheTexts {
		var spellings []string
		for _, repl := range []string{"\u2019", "\u2018", "&rsquo;"} {
			spellings = append(spellings, strings.ReplaceAll(ascii, "'", repl))
		}
		readsAlike(t, m, ascii, spellings)
	}
}

// TestCurlyNegationLearned: the reviewer's pair. The default model reads
// "I don’t trust them." as it reads "I don't trust them.": below "I trust
// them.", and not positive.
func TestCurlyNegationLearned(t *testing.T) {
	m := bundledModel(t)
	curly, plain := m.Score("I don\u2019t trust them."), m.Score("I trust them.")
	if curly.Compound >= plain.Compound || curly.Label == "positive" {
		t.Errorf("curly negation: compound %.4f (%s), %q's %.4f", curly.Compound, curly.Label, "I trust them.", plain.Compound)
	}
	var d domain.Detail
	lex := lexicon(t, domain.Options{})
	lex.ScoreDetail("I don\u2019t trust them.", &d)
	if len(d.Sentences) != 1 || !d.Sentences[0].Negation || d.Sentences[0].Negated != 1 {
		t.Errorf("detail of the curly negation: %+v, want one sentence with a negation over one scored word", d.Sentences)
	}
}
