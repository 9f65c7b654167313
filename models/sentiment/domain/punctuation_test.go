package domain

import (
	"reflect"
	"testing"

	"chorus/models/text"
)

// Every sentence in this file is invented for the test.

// punctuationPairs are comments written with ASCII punctuation, each with
// spellings of it in typographic punctuation that readers take for the
// same text.
var punctuationPairs = []struct {
	ascii string
	typo  []string
}{
	{`The new manager is "great".`, []string{
		"The new manager is \u201cgreat\u201d.", "The new manager is \u201egreat\u201c.", "The new manager is \u00abgreat\u00bb.",
		"The new manager is \u201egreat\u201d.", "The new manager is \u201fgreat\u201d.", "The new manager is \u00bbgreat\u00ab.",
	}},
	{`"Excellent" service, they said. It was a "fantastic opportunity" to cut staff.`, []string{
		"\u201cExcellent\u201d service, they said. It was a \u201cfantastic opportunity\u201d to cut staff.",
		"\u00abExcellent\u00bb service, they said. It was a \u00abfantastic opportunity\u00bb to cut staff.",
	}},
	{`The press release promised "a bold, exciting and innovative future for everyone in the service" and nothing more.`, []string{
		"The press release promised \u201ca bold, exciting and innovative future for everyone in the service\u201d and nothing more.",
	}},
	{"They call it 'support'. Nobody is fooled.", []string{
		"They call it \u2018support\u2019. Nobody is fooled.", "They call it \u201asupport\u2018. Nobody is fooled.",
		"They call it \u2039support\u203a. Nobody is fooled.", "They call it \u201bsupport\u2019. Nobody is fooled.",
	}},
	{"The plan was great... Then the cuts came.", []string{"The plan was great\u2026 Then the cuts came."}},
	{"I love it... Next point, the rota...", []string{"I love it\u2026 Next point, the rota\u2026"}},
	{"The targets are awful-- and everyone knows it.", []string{
		"The targets are awful\u2014 and everyone knows it.", "The targets are awful\u2015 and everyone knows it.",
	}},
	{"It was good--really good. -- Nobody cares.", []string{"It was good\u2014really good. \u2014 Nobody cares."}},
	{"It was good - really good. Hours: 9-5.", []string{"It was good \u2013 really good. Hours: 9\u20135.", "It was good \u2012 really good. Hours: 9\u20125."}},
	{"The whole thing is a rip-off and a cover-up.", []string{"The whole thing is a rip\u2010off and a cover\u2011up."}},
	{"Staff are burnt-out, fed-up - and leaving. Thanks :-)", []string{"Staff are burnt\u2010out, fed\u2011up \u2013 and leaving. Thanks :\u2013)"}},
	{`He said "it's fine"... it isn't. Why won't they listen?!`, []string{
		"He said \u201cit\u2019s fine\u201d\u2026 it isn\u2019t. Why won\u2019t they listen?!",
		"He said \u00abit&rsquo;s fine\u00bb\u2026 it isn&rsquo;t. Why won&rsquo;t they listen?!",
	}},
}

// TestTypographicPunctuation: a comment scores exactly alike whether its
// quotation marks, dashes and ellipses are ASCII or typographic:
// compound, label, proportions, evidence (which names lexicon keys and
// rules, not the words as written) and the per-sentence detail the
// learned model reads.
func TestTypographicPunctuation(t *testing.T) {
	m := newModel(t, Options{})
	for _, p := range punctuationPairs {
		scoresAlike(t, m, p.ascii, p.typo)
	}
}

// scoresAlike checks that each of spellings scores as ascii does, through
// Score, ScoreDetail (with its detail) and ScoreScan, and that ScoreScan
// leaves the caller's scan as it was.
func scoresAlike(t *testing.T, m *Model, ascii string, spellings []string) {
	t.Helper()
	var dw Detail
	want := m.ScoreDetail(ascii, &dw)
	for _, s := range spellings {
		if got := m.Score(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %+v\nwant %+v (from %q)", s, got, want, ascii)
		}
		var d Detail
		if got := m.ScoreDetail(s, &d); !reflect.DeepEqual(got, want) || !reflect.DeepEqual(d, dw) {
			t.Errorf("%q: detail\n got %+v %+v\nwant %+v %+v", s, got, d, want, dw)
		}
		var sc text.Scan
		sc.Reset(s)
		if got := m.ScoreScan(&sc); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: ScoreScan\n got %+v\nwant %+v", s, got, want)
		}
		if sc.Text != s {
			t.Errorf("ScoreScan changed the caller's scan: %q", sc.Text)
		}
	}
}

// TestCurlyQuotedWordRead: the word inside curly quotes is read. “great”
// is scare-quoted praise, flipped as "great" is (before the fold the
// engine did not find the word, and only the quote mark counted);
// "awful—" scores as "awful"; reference VADER, which reads the text as
// written as the Python reference does, still finds neither.
func TestCurlyQuotedWordRead(t *testing.T) {
	m := newModel(t, Options{})
	ref := plainVADER(t)
	if r := m.Score("The new manager is \u201cgreat\u201d."); !hasEvidence(r, "'great' (scare quotes)") || r.Label != "negative" {
		t.Errorf("curly scare quotes: %+v, want the flipped 'great' and a negative label", r)
	}
	if r := m.Score("The targets are awful\u2014 and everyone knows it."); !hasEvidence(r, "awful") {
		t.Errorf("awful\u2014: %+v, want awful scored", r)
	}
	for _, s := range []string{"The new manager is \u201cgreat\u201d.", "The plan was great\u2026", "The targets are awful\u2014"} {
		if c := ref.PolarityScores(s).Compound; c != 0 {
			t.Errorf("reference VADER scores %q %.4f: it must read the text as written (0)", s, c)
		}
	}
}
