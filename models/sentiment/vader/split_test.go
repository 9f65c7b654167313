package vader

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	chorustext "chorus/models/text"
)

// TestSplitMatchesText checks Split against the plain entry point: each run
// of a tokenised text, scored through Split, gives the contributions of
// ContributionsAppend on the run's own text, on random texts of lexicon
// words, phrases, negations, boosters, "but", capitals, punctuation and
// every kind of white space.
func TestSplitMatchesText(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"tick box", "tick box exercise", "not fit for purpose", "well said", "spot on", "spot on.", "a a", "kind of"} {
		lex[p] = -1.5
	}
	a := New(lex)
	vocab := []string{"good", "bad", "great", "horrible", "not", "isn't", "never", "so", "this", "very", "extremely",
		"barely", "but", "BUT", "kind", "of", "least", "at", "no", "nor", "or", "without", "doubt", "tick", "box", "exercise",
		"fit", "for", "purpose", "well", "said", "spot", "on", "a", "the", "GREAT", "Été", "ÉTÉ", "x", "!", "...", "'", "\"",
		"ok.", "lol", ":)", "\xff", "naïve", "İstanbul"}
	spaces := []string{" ", "  ", "\n", "\t", "\r\n", "\x1c", "\u00a0", "\u2003", "\u3000", "\u0085", "\u200b"}
	r := rand.New(rand.NewPCG(2, 3))
	var got, want []Contribution
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteString(spaces[r.IntN(len(spaces))])
		}
		for k := r.IntN(30); k >= 0; k-- {
			w := vocab[r.IntN(len(vocab))]
			switch r.IntN(8) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w += ","
			case 2:
				w = "'" + w + "!"
			case 3:
				w += vocab[r.IntN(len(vocab))]
			}
			b.WriteString(w)
			b.WriteString(spaces[r.IntN(len(spaces))])
		}
		text := b.String()
		p, ok := a.SplitWords(text)
		if !ok {
			t.Fatalf("SplitWords refused %q, which has no emoji", text)
		}
		for from := 0; from < p.Len(); {
			to := min(p.Len(), from+1+r.IntN(12))
			s, _ := p.Span(from)
			_, e := p.Span(to - 1)
			got = p.ContributionsAppend(got[:0], from, to)
			want = a.ContributionsAppend(want[:0], text[s:e])
			if !slices.Equal(got, want) {
				t.Fatalf("tokens %d..%d of %q (%q):\n got %+v\nwant %+v", from, to, text, text[s:e], got, want)
			}
			from = to
		}
		// Every token is the text's whitespace-separated word.
		fields := strings.FieldsFunc(text, chorustext.IsPySpace)
		if p.Len() != len(fields) {
			t.Fatalf("%q: %d tokens, want %d", text, p.Len(), len(fields))
		}
		for i, f := range fields {
			if s, e := p.Span(i); text[s:e] != f {
				t.Fatalf("%q: token %d is %q, want %q", text, i, text[s:e], f)
			}
		}
		p.Release()
	}
	if _, ok := a.SplitWords("good 😀 day"); ok {
		t.Fatal("SplitWords accepted a text with an emoji")
	}
}
