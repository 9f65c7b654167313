package domain

import (
	"reflect"
	"strings"
	"testing"
)

// Every sentence in this file is invented for the test.

// apostrophePairs are sentences written with the ASCII apostrophe; the
// tests respell each with U+2019, U+2018 and "&rsquo;".
var apostrophePairs = []string{
	"I don't like it.",
	"It isn't good enough and they can't help.",
	"We won't be happy with this. It wouldn't work.",
	"They didn't care, and it's never been fair.",
	"I can't stand these 'innovative' targets!",
	"What's the point? Why isn't anyone listening?",
	"Honestly it's great, isn't it? I couldn't be happier.",
	"She doesn't trust the 'improvements', and I'm not sure I'd trust them either.",
	"'Transforming' isn't the word I'd use.\nWe're losing good staff.",
}

// respell writes each ASCII apostrophe of s as repl.
func respell(s, repl string) string { return strings.ReplaceAll(s, "'", repl) }

// TestTypographicApostrophes: a comment scores exactly alike whether its
// apostrophes are ASCII, U+2019, U+2018 or "&rsquo;": compound, label,
// proportions, evidence (which names lexicon keys and rules, not the words
// as written) and the per-sentence detail the learned model reads.
func TestTypographicApostrophes(t *testing.T) {
	m := newModel(t, Options{})
	for _, ascii := range apostrophePairs {
		var spellings []string
		for _, repl := range []string{"\u2019", "\u2018", "&rsquo;"} {
			spellings = append(spellings, respell(ascii, repl))
		}
		scoresAlike(t, m, ascii, spellings)
	}
}

// TestCurlyNegationNegates: the reviewer's case. "don’t" negates, so the
// curly spelling is not read as praise, and reference VADER (which reads
// the text as written, as NLTK's does) still differs between the two.
func TestCurlyNegationNegates(t *testing.T) {
	m := newModel(t, Options{})
	ref := plainVADER(t)
	for _, tc := range []struct{ ascii, plain string }{
		{"It isn't good.", "It is good."},
		{"I don't trust them.", "I trust them."},
		{"We won't enjoy it.", "We enjoy it."},
	} {
		curly := respell(tc.ascii, "\u2019")
		neg, pos := m.Score(curly), m.Score(tc.plain)
		if neg.Compound >= pos.Compound || neg.Label == "positive" {
			t.Errorf("%q: compound %.4f (%s), not below %q's %.4f", curly, neg.Compound, neg.Label, tc.plain, pos.Compound)
		}
		if !hasEvidence(neg, "") || !reflect.DeepEqual(neg, m.Score(tc.ascii)) {
			t.Errorf("%q reads unlike %q", curly, tc.ascii)
		}
		if a, c := ref.PolarityScores(tc.ascii), ref.PolarityScores(curly); a == c {
			t.Errorf("reference VADER scores %q and %q alike (%+v): it must read the text as written", tc.ascii, curly, a)
		}
	}
}
