package domain

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"chorus/models/sentiment/vader"
	"chorus/models/text"
)

// scoreByText is Score with VADER given each sentence as text instead of
// its run of the whole text's tokens. It is the oracle for
// TestSplitScoresAlike.
func (m *Model) scoreByText(text string) Result {
	sc := new(scratch)
	sc.toks = tokensOf(text)
	return m.score(text, sc, vader.Split{}, false, false)
}

// tokensOf is the model's tokens of text.
func tokensOf(s string) []tok {
	var sc text.Scan
	sc.Reset(s)
	return scanTokens(nil, &sc)
}

// TestSplitScoresAlike checks that scoring each sentence on its run of
// VADER's tokens of the whole comment gives the Result of scoring each
// sentence's text, on the benchmark comments and random texts of quotes,
// sentence ends, line breaks, swearing, phrases, "but", capitals, emoji and
// every kind of white space; and that the model's tokens are VADER's.
func TestSplitScoresAlike(t *testing.T) {
	m := newModel(t, Options{})
	words := []string{"so", "called", "so-called", "'innovative'", "'good", "bad'", "\"great", "value\"", "\u201cnew\u201d",
		"\u2018old\u2019", "Mr.", "J.", "e.g.", "word.", "Word.", "bloody", "fucking", "brilliant", "awful", "not", "isn't", "but",
		"BUT", "GREAT", "very", "tick", "box", "exercise", "fit", "for", "purpose", "well", "said", "spot", "on.", "hear,", "hear!",
		"why?", "really?!", "how", "can", "they", "care", "support", "risk", "\u00c9t\u00e9", "na\u00efve", "\xff", "good!", "bad?", "...",
		"\U0001F600", "\u2764", "\u2192", "(ok)", "'", "\""}
	spaces := []string{" ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n", "\x1c", "\u00a0", "\u2003", "\u3000", "\u0085", "\u200b"}
	texts := append([]string{"", " ", "\n", "\U0001F600", "good \U0001F600 day. Bad day."}, benchComments...)
	r := rand.New(rand.NewPCG(21, 22))
	for range 20000 {
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteString(spaces[r.IntN(len(spaces))])
		}
		for k := r.IntN(40); k >= 0; k-- {
			w := words[r.IntN(len(words))]
			if r.IntN(6) == 0 {
				w = strings.ToUpper(w)
			}
			b.WriteString(w)
			b.WriteString(spaces[r.IntN(len(spaces))])
		}
		texts = append(texts, b.String())
	}
	split := 0
	for _, text := range texts {
		got, want := m.Score(text), m.scoreByText(text)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Score(%q):\n got %+v\nwant %+v", text, got, want)
		}
		p, ok := m.an.SplitWords(text)
		if !ok {
			continue
		}
		split++
		toks := tokensOf(text)
		for i, tk := range toks {
			next := len(text)
			if i+1 < len(toks) {
				next = int(toks[i+1].s)
			}
			if nl := strings.Contains(text[tk.e:next], "\n"); tk.nl != nl {
				t.Fatalf("%q: token %d nl %v, want %v", text, i, tk.nl, nl)
			}
		}
		if p.Len() != len(toks) {
			t.Fatalf("%q: VADER has %d tokens, the model %d", text, p.Len(), len(toks))
		}
		for i, tk := range toks {
			if s, e := p.Span(i); s != int(tk.s) || e != int(tk.e) {
				t.Fatalf("%q: token %d is %d..%d to VADER, %d..%d to the model", text, i, s, e, tk.s, tk.e)
			}
		}
		p.Release()
	}
	if split < len(texts)/2 {
		t.Fatalf("only %d of %d texts took the split path", split, len(texts))
	}
}
