package domain

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFastRulesMatchStrings compares endsWithQuestion and exasperated with
// the strings calls they replaced, on random strings of the bytes and
// runes they look at.
func TestFastRulesMatchStrings(t *testing.T) {
	bits := []string{"?", "!", ".", "\"", "'", ")", "]", "\u201d", "\u2019", "\u201c", "a", " ", "\xe2", "\x80\x9d", "\xe2\x80", "?!", "!?", "??"}
	r := rand.New(rand.NewPCG(2, 3))
	for range 200000 {
		var b strings.Builder
		for k := r.IntN(8); k >= 0; k-- {
			b.WriteString(bits[r.IntN(len(bits))])
		}
		s := b.String()
		if got, want := endsWithQuestion(s), strings.HasSuffix(strings.TrimRight(s, "\"')]\u201d\u2019!."), "?"); got != want {
			t.Fatalf("endsWithQuestion(%q) = %v, want %v", s, got, want)
		}
		if got, want := exasperated(s), strings.Contains(s, "?!") || strings.Contains(s, "!?") || strings.Contains(s, "??"); got != want {
			t.Fatalf("exasperated(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestFastPathsMatch compares endsSentence with its slow path alone, and
// isAbbreviation with a case-folded map lookup, on random texts of quotes,
// brackets, "so called", abbreviations, initials and sentence ends.
// markQuotes is pinned by TestMarkQuotesGolden and TestMarkQuotesProperties
// (quotes_test.go) instead of a copy of itself.
func TestFastPathsMatch(t *testing.T) {
	for k := range abbreviations {
		if len(k) > maxAbbrevLen {
			t.Fatalf("abbreviation %q is longer than maxAbbrevLen", k)
		}
	}
	words := []string{"so", "So", "SO", "called", "Called", "so-called", "So-called", "'innovative'", "'good", "bad'", "\"great", "value\"",
		"\u201cnew\u201d", "\u2018old\u2019", "\u201edeal\u201d", "('word',", "[\"x\"]", "'", "\"", "Mr.", "mr.", "Dr.", "J.", "j.", "e.g.", "E.G.",
		"approx.", "Approx.", "etc.", "word.", "Word.", "word!", "word?", "word.\"", "word.'", "word.)", "word.]", "word.\u201d", "word.\u2019",
		"word", "Word", "\u00e9t\u00e9.", "\u00c9t\u00e9", "no.", "No.", "a", "I", "...", ".", "x\u00a0y"}
	r := rand.New(rand.NewPCG(11, 12))
	for range 20000 {
		var b strings.Builder
		for k := r.IntN(20); k >= 0; k-- {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteString([]string{" ", " ", "\n", "  "}[r.IntN(4)])
		}
		text := b.String()
		toks := tokensOf(text)
		for i := range toks {
			want := i == len(toks)-1 || toks[i].nl || endsSentenceAt(text, toks, i)
			if got := endsSentence(text, toks, i); got != want {
				t.Fatalf("endsSentence(%q, %d) = %v, want %v", text, i, got, want)
			}
			// endsSentenceAt asks about the word without its stop.
			w := text[toks[i].s:toks[i].e]
			for _, w := range []string{w, strings.TrimRight(w, ".")} {
				if got, want := isAbbreviation(w), abbreviations[strings.ToLower(w)]; got != want {
					t.Fatalf("isAbbreviation(%q) = %v, want %v", w, got, want)
				}
			}
		}
	}
}

// mayBeContrast never turns away a word isContrast takes (recordSentence
// calls isContrast only past it), and passes few of the common words.
func TestMayBeContrast(t *testing.T) {
	words := []string{"but", "But,", "BUT!!", "however", "However,", "although...", "though", "yet", "whereas:",
		"buts", "bu", "the", "to", "a", "with", "that", "yet's", "though\u2019", "b", "w.", "however?\"", "tho"}
	for _, w := range words {
		if isContrast(w) && !mayBeContrast(w) {
			t.Errorf("mayBeContrast(%q) = false, but isContrast takes it", w)
		}
	}
	for _, w := range []string{"the", "to", "a", "with", "that", "this", "was", "have", "be", "what"} {
		if mayBeContrast(w) {
			t.Errorf("mayBeContrast(%q) = true", w)
		}
	}
}
