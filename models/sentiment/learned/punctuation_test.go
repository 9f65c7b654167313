package learned

import (
	"reflect"
	"testing"

	chorustext "chorus/models/text"
)

// Every sentence in this file is invented for the test.

// punctuationTexts are comments in ASCII punctuation with typographic
// spellings of each.
var punctuationTexts = []struct {
	ascii string
	typo  []string
}{
	{`The new manager is "great". Call 0800-123 before 5pm.`, []string{
		"The new manager is \u201cgreat\u201d. Call 0800\u2013123 before 5pm.",
		"The new manager is \u00abgreat\u00bb. Call 0800\u2010123 before 5pm.",
	}},
	{"They call it 'support'... the 2014--15 cuts were awful-- see www.example.org", []string{
		"They call it \u2018support\u2019\u2026 the 2014\u201415 cuts were awful\u2014 see www.example.org",
		"They call it \u201asupport\u2018\u2026 the 2014\u201515 cuts were awful\u2015 see www.example.org",
	}},
	{`He said "it's fine"... it isn't. A rip-off - and a cover-up.`, []string{
		"He said \u201eit\u2019s fine\u201c\u2026 it isn\u2019t. A rip\u2011off \u2013 and a cover\u2010up.",
	}},
}

// TestTypographicPunctuation: the learned model's Result and its bag of
// words and cue counts are the same for a comment whose quotation marks,
// dashes and ellipses are ASCII or typographic.
func TestTypographicPunctuation(t *testing.T) {
	m := bundledModel(t)
	for _, p := range punctuationTexts {
		readsAlike(t, m, p.ascii, p.typo)
	}
}

// readsAlike checks that the model's Result (through Score and ScoreScan),
// bag of words and cue counts are the same for each of spellings as for
// ascii.
func readsAlike(t *testing.T, m *Model, ascii string, spellings []string) {
	t.Helper()
	want := m.Score(ascii)
	wantIdx, wantD, wantL := hashed(nil, ascii)
	cd, cl := cueCounts(ascii)
	for _, s := range spellings {
		if got := m.Score(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %+v\nwant %+v (from %q)", s, got, want, ascii)
		}
		var sc chorustext.Scan
		sc.Reset(s)
		if got := m.ScoreScan(&sc); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: ScoreScan\n got %+v\nwant %+v", s, got, want)
		}
		idx, d, l := hashed(nil, s)
		if !reflect.DeepEqual(idx, wantIdx) || d != wantD || l != wantL {
			t.Errorf("%q: hashed %v %d %d, want %v %d %d", s, idx, d, l, wantIdx, wantD, wantL)
		}
		if d, l := cueCounts(s); d != cd || l != cl {
			t.Errorf("%q: cueCounts %d %d, want %d %d", s, d, l, cd, cl)
		}
	}
}

// TestTypographicWords: the bag of words reads “great” as the word great
// and an em or en dash between words as no word byte, as their ASCII
// spellings read.
func TestTypographicWords(t *testing.T) {
	for _, tc := range []struct{ typo, ascii string }{
		{"\u201cgreat\u201d", "great"},
		{"\u00abgreat\u00bb\u2026", "great"},
		{"2014\u201315", "2014 15"},
		{"good\u2014really", "good really"},
	} {
		got, d, _ := hashed(nil, tc.typo)
		want, wd, _ := hashed(nil, tc.ascii)
		if !reflect.DeepEqual(got, want) || d != wd {
			t.Errorf("hashed(%q) = %v (%d digits), want %v (%d), as %q", tc.typo, got, d, want, wd, tc.ascii)
		}
	}
}
