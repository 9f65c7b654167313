package text

import (
	"strings"
	"testing"
)

// Every string in this file is invented for the test.

func TestFoldApostrophes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain ASCII, can't fold", "plain ASCII, can't fold"},
		{"I don\u2019t know", "I don't know"},
		{"\u2018tis the season\u2019s end", "'tis the season's end"},
		{"they won&rsquo;t", "they won't"},
		{"AT&T &amp; &rsquo &rsquo;", "AT&T &amp; &rsquo '"},
		// Curly double quotes, other U+20xx punctuation and a lone or cut
		// lead byte are not apostrophes.
		{"\u201cquoted\u201d \u2014 \u2026", "\u201cquoted\u201d \u2014 \u2026"},
		{"cut \xe2\x80", "cut \xe2\x80"},
		{"caf\u00e9\u2019s  \u00a0it\u2019s\n", "caf\u00e9's  \u00a0it's\n"},
	} {
		if got := FoldApostrophes(tc.in); got != tc.want {
			t.Errorf("FoldApostrophes(%q) = %q, want %q", tc.in, got, tc.want)
		}
		var sc Scan
		sc.Reset(tc.in)
		if got, want := HasApostrophes(tc.in, sc.NonASCII), tc.want != tc.in; got != want {
			t.Errorf("HasApostrophes(%q) = %v, want %v", tc.in, got, want)
		}
	}
}

// TestFoldKeepsFields: folding changes no white space, so the folded
// text has as many fields, each the original with its apostrophes folded.
func TestFoldKeepsFields(t *testing.T) {
	s := "We\u2019re  told\tit isn&rsquo;t \u2018fit\u2019\u00a0for\npurpose, aren\u2019t we?"
	var a, b Scan
	a.Reset(s)
	b.Reset(FoldApostrophes(s))
	if len(a.Fields) != len(b.Fields) {
		t.Fatalf("%d fields, %d after folding", len(a.Fields), len(b.Fields))
	}
	for i := range a.Fields {
		fa, fb := a.Fields[i], b.Fields[i]
		if got, want := b.Text[fb.S:fb.E], FoldApostrophes(a.Text[fa.S:fa.E]); got != want {
			t.Errorf("field %d: %q, want %q", i, got, want)
		}
		if gapMask := uint16(GapNewline | GapGoSpace | GapOgham | GapOther | GapPySep); fa.Flags&gapMask != fb.Flags&gapMask {
			t.Errorf("field %d: gap flags %x, %x after folding", i, fa.Flags&gapMask, fb.Flags&gapMask)
		}
	}
	if strings.ContainsAny(b.Text, "\u2018\u2019") {
		t.Errorf("folded text still holds a curly apostrophe: %q", b.Text)
	}
}
