package text

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Every string in this file is invented for the test.

func TestFoldPunctuation(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain ASCII, can't fold -- \"quoted\"...", "plain ASCII, can't fold -- \"quoted\"..."},
		{"I don\u2019t know", "I don't know"},
		{"\u2018tis the season\u2019s end", "'tis the season's end"},
		{"they won&rsquo;t", "they won't"},
		{"AT&T &amp; &rsquo &rsquo; &ldquo;", "AT&T &amp; &rsquo ' &ldquo;"},
		{"The manager is \u201cgreat\u201d.", `The manager is "great".`},
		{"\u201equoted\u201c \u00abguillemets\u00bb \u2039single\u203a \u201alow\u2018 \u201bhigh\u2019 \u201fdouble\u201d",
			`"quoted" "guillemets" 'single' 'low' 'high' "double"`},
		{"great\u2026 awful\u2014 2014\u201315 well\u2010known non\u2011stop 0\u20121 \u2015 said",
			"great... awful-- 2014-15 well-known non-stop 0-1 -- said"},
		// Other punctuation is left as written: the pound sign and other
		// Latin-1 signs, the no-break space (white space to VADER), the
		// dagger, bullet, per mille sign and prime; and a cut sequence.
		{"\u00a35 caf\u00e9 \u00a0 \u00a7 \u2020 \u2022 \u2030 \u2032 \u2033 \u203b", "\u00a35 caf\u00e9 \u00a0 \u00a7 \u2020 \u2022 \u2030 \u2032 \u2033 \u203b"},
		{"cut \xe2\x80", "cut \xe2\x80"},
		{"cut \xe2", "cut \xe2"},
		{"cut \xc2", "cut \xc2"},
		{"caf\u00e9\u2019s  \u00a0it\u2019s\n", "caf\u00e9's  \u00a0it's\n"},
	} {
		if got := FoldPunctuation(tc.in); got != tc.want {
			t.Errorf("FoldPunctuation(%q) = %q, want %q", tc.in, got, tc.want)
		}
		var sc Scan
		sc.Reset(tc.in)
		if got, want := HasPunctuation(tc.in, sc.NonASCII), tc.want != tc.in; got != want {
			t.Errorf("HasPunctuation(%q) = %v, want %v", tc.in, got, want)
		}
	}
}

// foldPairs are the marks FoldPunctuation folds and their ASCII, written
// out apart from the table in punctuation.go.
var foldPairs = []string{
	"\u2018", "'", "\u2019", "'", "&rsquo;", "'", "\u201a", "'", "\u201b", "'", "\u2039", "'", "\u203a", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`, "\u00ab", `"`, "\u00bb", `"`,
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "--", "\u2015", "--",
	"\u2026", "...",
}

// TestFoldPunctuationMatchesReplacer compares FoldPunctuation with a
// strings.Replacer of foldPairs (no mark is a prefix of another, so
// replacing left to right is what the Replacer does) on random strings of
// the marks, their neighbours, prefixes and invalid bytes, and checks
// HasPunctuation agrees.
func TestFoldPunctuationMatchesReplacer(t *testing.T) {
	rep := strings.NewReplacer(foldPairs...)
	bits := []string{"&", "&amp;", "&rsquo", "rsquo;", "\u2016", "\u2017", "\u2020", "\u2025", "\u2027", "\u2038", "\u203b",
		"\u00aa", "\u00ac", "\u00ba", "\u00bc", "\u00a3", "\u00e9", "\xe2", "\xe2\x80", "\xc2", "\xe2\x81\x80", "\xe2\x80\xc0",
		"a", " ", "'", "\"", "-", ".", "\u00a0"}
	for i := 0; i < len(foldPairs); i += 2 {
		bits = append(bits, foldPairs[i])
	}
	r := rand.New(rand.NewPCG(20, 26))
	for range 100000 {
		s := joinRandom(r, bits, 11)
		want := rep.Replace(s)
		if got := FoldPunctuation(s); got != want {
			t.Fatalf("FoldPunctuation(%q) = %q, want %q", s, got, want)
		}
		var sc Scan
		sc.Reset(s)
		if got := HasPunctuation(s, sc.NonASCII); got != (want != s) {
			t.Fatalf("HasPunctuation(%q) = %v", s, got)
		}
	}
}

// TestFoldKeepsFields: folding changes no white space, so the folded
// text has as many fields, each the original with its marks folded.
func TestFoldKeepsFields(t *testing.T) {
	s := "We\u2019re  told\tit isn&rsquo;t \u2018fit\u2019\u00a0for\npurpose\u2014aren\u2019t we\u2026 \u201cReally\u201d \u2013 \u00abno\u00bb?"
	var a, b Scan
	a.Reset(s)
	b.Reset(FoldPunctuation(s))
	if len(a.Fields) != len(b.Fields) {
		t.Fatalf("%d fields, %d after folding", len(a.Fields), len(b.Fields))
	}
	for i := range a.Fields {
		fa, fb := a.Fields[i], b.Fields[i]
		if got, want := b.Text[fb.S:fb.E], FoldPunctuation(a.Text[fa.S:fa.E]); got != want {
			t.Errorf("field %d: %q, want %q", i, got, want)
		}
		if gapMask := uint16(GapNewline | GapGoSpace | GapOgham | GapOther | GapPySep); fa.Flags&gapMask != fb.Flags&gapMask {
			t.Errorf("field %d: gap flags %x, %x after folding", i, fa.Flags&gapMask, fb.Flags&gapMask)
		}
	}
	if strings.ContainsAny(b.Text, "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb") {
		t.Errorf("folded text still holds a typographic mark: %q", b.Text)
	}
}
