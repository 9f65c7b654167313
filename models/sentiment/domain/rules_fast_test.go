package domain

import (
	"math/rand/v2"
	"slices"
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

// TestWordEndMatchesScalar compares the eight-byte word scan with the
// rune loop at every offset of random texts of ASCII, control characters,
// Python's extra separators, Unicode spaces, other runes and invalid bytes.
func TestWordEndMatchesScalar(t *testing.T) {
	bits := []string{"a", "Z", "!", "~", "\x7f", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x00", "\x01", "\x20", "\x21",
		"\u00a0", "\u0085", "\u2003", "\u3000", "\u2028", "\u00e9", "\u2019", "\U0001F600", "\xff", "\xe2\x80", "abcdefgh"}
	r := rand.New(rand.NewPCG(4, 5))
	for range 20000 {
		var b strings.Builder
		for k := r.IntN(30); k >= 0; k-- {
			b.WriteString(bits[r.IntN(len(bits))])
		}
		s := b.String()
		for i := 0; i < len(s); i++ {
			if got, want := wordEnd(s, i), wordEndScalar(s, i); got != want {
				t.Fatalf("wordEnd(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}

// markQuotesRef is markQuotes as first written, without the fast skip of
// words that cannot open a quote: the oracle for it.
func markQuotesRef(text string, toks []tok) {
	for i := 0; i < len(toks); i++ {
		w := text[toks[i].s:toks[i].e]
		soCalled := len(w) >= 9 && len(w) <= 10 && hasPrefixFold(w, "so-called")
		soThen := len(w) == 2 && hasPrefixFold(w, "so") && i+1 < len(toks) && hasPrefixFold(text[toks[i+1].s:toks[i+1].e], "called")
		if soCalled || soThen {
			from := i + 1
			if soThen {
				from = i + 2
			}
			for j := from; j < len(toks) && j < from+2; j++ {
				toks[j].quote = qScare
			}
			continue
		}
		double, ok := isOpenQuote(firstRune(w))
		if !ok {
			continue
		}
		limit := len(toks)
		if !double {
			limit = min(len(toks), i+maxSingleQuoteWords)
		}
		end := -1
		for j := i; j < limit; j++ {
			wj := text[toks[j].s:toks[j].e]
			if j == i && len([]rune(wj)) < 3 {
				continue // a lone mark: the quote closes on a later token
			}
			if d, ok := isCloseQuote(lastRune(wj)); ok && d == double {
				end = j
				break
			}
		}
		if end < 0 {
			continue
		}
		q := qScare
		if end-i+1 > maxScareWords {
			q = qQuotation
		}
		for j := i; j <= end; j++ {
			toks[j].quote = q
		}
		i = end
	}
}

// TestFastPathsMatch compares markQuotes with markQuotesRef, endsSentence
// with its slow path alone, and isAbbreviation with the map lookup, on
// random texts of quotes, brackets, "so called", abbreviations, initials
// and sentence ends.
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
		toks := tokenise(nil, text)
		ref := slices.Clone(toks)
		markQuotes(text, toks)
		markQuotesRef(text, ref)
		if !slices.Equal(toks, ref) {
			t.Fatalf("markQuotes differs for %q\n got %+v\nwant %+v", text, toks, ref)
		}
		for i := range toks {
			want := i == len(toks)-1 || toks[i].nl || endsSentenceAt(text, toks, i)
			if got := endsSentence(text, toks, i); got != want {
				t.Fatalf("endsSentence(%q, %d) = %v, want %v", text, i, got, want)
			}
			w := text[toks[i].s:toks[i].e]
			if got, want := isAbbreviation(w), abbreviations[lowerASCII(w)]; got != want {
				t.Fatalf("isAbbreviation(%q) = %v, want %v", w, got, want)
			}
		}
	}
}

// lowerASCII lower-cases the ASCII letters of w: how endsSentence looked
// abbreviations up before isAbbreviation, kept as its oracle.
func lowerASCII(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' {
			b := []byte(w)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return w
}
