package vader

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// matchPhrasesAll is matchPhrases without the fPhraseWord pruning: every
// length from the longest phrase down is looked up. It is the oracle the
// pruned version must agree with.
func (a *Analyzer) matchPhrasesAll(sc *scratch) {
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		m := int(toks[i].phraseMax)
		if m == 0 {
			continue
		}
		for l := min(m, len(toks)-i); l >= 2; l-- {
			p, ok := a.phrases[string(a.phraseKey(sc, i, l))]
			if !ok {
				continue
			}
			toks[i].plen, toks[i].val, toks[i].term = uint8(l), a.phraseList[p].val, p
			for j := i + 1; j < i+l; j++ {
				toks[j].flags |= fCovered
			}
			i += l - 1
			break
		}
	}
}

// TestPhrasePruning checks that matchPhrases marks the same phrases as the
// unpruned search, on random texts made of phrase words (in every case
// and with punctuation), lexicon words and other words.
func TestPhrasePruning(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"tick box", "tick box exercise", "not fit for purpose", "fit for purpose", "hear, hear",
		"well said", "spot on", "spot on.", "no way", "rock bottom", "a a", "a a a a", "good good good", "\u00c9t\u00e9 long", "so called"} {
		lex[p] = -1.5
	}
	a := New(lex)
	if a.phrasePairs == nil {
		t.Fatal("no phrase-pair filter: every phrase word should have a table entry")
	}
	var vocab []string
	for _, p := range a.phraseList {
		vocab = append(vocab, strings.Fields(p.key)...)
	}
	vocab = append(vocab, "good", "bad", "the", "not", "very", "but", "\u00c9T\u00c9", "x", "!", "...")
	r := rand.New(rand.NewPCG(1, 1))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := r.IntN(20); k >= 0; k-- {
			w := vocab[r.IntN(len(vocab))]
			switch r.IntN(6) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w += ","
			case 2:
				w = "\"" + w + "!"
			}
			b.WriteString(w)
			b.WriteByte(" \n\t"[r.IntN(3)])
		}
		text := b.String()
		sc := new(scratch)
		a.tokenise(text, sc)
		base := slices.Clone(sc.toks)
		a.matchPhrases(sc)
		got := slices.Clone(sc.toks)
		sc.toks = base
		a.matchPhrasesAll(sc)
		if !slices.Equal(got, sc.toks) {
			t.Fatalf("phrases differ for %q\n got %+v\nwant %+v", text, got, sc.toks)
		}
	}
}
