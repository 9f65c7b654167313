package topics

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// tokenizeRef is tokenize as first written, a rune class at a time with
// caseFlags and lowerWord per word and no cache: the oracle for the
// eight-byte scans and the resolver's cache.
func tokenizeRef(s string, vocab map[string]int32) []token {
	var tz tokenizer
	var toks []token
	boundary := true
	i := 0
	for i < len(s) {
		cl, n := wordClass(s, i)
		if cl != 1 {
			if cl == 0 && isBoundaryByte(s[i]) {
				boundary = true
			}
			i += n
			continue
		}
		start := i
		i += n
		for i < len(s) {
			cl, n = wordClass(s, i)
			if cl == 1 {
				i += n
				continue
			}
			if cl == 2 && i+n < len(s) {
				if c2, n2 := wordClass(s, i+n); c2 == 1 {
					i += n + n2
					continue
				}
			}
			break
		}
		t := token{start: int32(start), end: int32(i)}
		t.flags = caseFlags(s[start:i])
		if boundary {
			t.flags |= flagBoundary
			boundary = false
		}
		t.id = -1
		if vocab != nil {
			if id, ok := vocab[string(stemBytes(tz.lowerWord(s[start:i])))]; ok {
				t.id = id
			}
		}
		toks = append(toks, t)
	}
	return toks
}

// TestTokenizeMatchesRef compares tokenize with tokenizeRef on random
// texts: the taxonomy's words in every case, acronyms and their plurals,
// apostrophes straight and curly, digits, non-ASCII letters, symbols and
// emoji, boundaries, and words longer than eight and sixteen bytes.
func TestTokenizeMatchesRef(t *testing.T) {
	tg := defaultTagger(t)
	var words []string
	for w := range tg.vocab {
		words = append(words, w)
	}
	slices.Sort(words)
	words = append(words, "CRCs", "SFOs", "NPS", "IT", "I", "A", "E3", "123s", "don't", "CRC's", "o'clock", "don\u2019t", "\u2018quoted\u2019",
		"caf\u00e9", "\u00c9COLE", "na\u00efve", "\u0130stanbul", "stra\u00dfe", "\U0001F600", "\u00a3", "\u2014", "\u2026", "\ufeff", "\xff",
		"pre-sentence", "mid-term", "privatisation", "PRIVATISATIONS", "Privatisations", "understaffedness", "abcdefghijklmnopqrstuvwxyz", "x'", "'x", "''")
	seps := []string{" ", " ", " ", "  ", "\n", ". ", "! ", "? ", "; ", ": ", ", ", "-", "'", "\u2019", "(", ")", "\"", "/", "", "\t", "\u00a0"}
	r := rand.New(rand.NewPCG(8, 9))
	var tz tokenizer
	res := resolver{vocab: tg.vocab}
	for range 30000 {
		var b strings.Builder
		for k := r.IntN(25); k >= 0; k-- {
			w := words[r.IntN(len(words))]
			switch r.IntN(5) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			b.WriteString(seps[r.IntN(len(seps))])
		}
		s := b.String()
		want := tokenizeRef(s, tg.vocab)
		if got := tz.tokenize(s, &res); !slices.Equal(got, want) {
			t.Fatalf("tokens differ for %q\n got %+v\nwant %+v", s, got, want)
		}
		want = tokenizeRef(s, nil)
		if got := tz.tokenize(s, nil); !slices.Equal(got, want) {
			t.Fatalf("tokens (no resolver) differ for %q\n got %+v\nwant %+v", s, got, want)
		}
	}
}

// TestASCIIRunHash checks the hash asciiRun computes on the way against
// hashBytes of the word it returns (a different hash would not change any
// id, only make the cache miss), for runs of every length up to 40 at
// every alignment, acronym plurals included.
func TestASCIIRunHash(t *testing.T) {
	var tz tokenizer
	r := rand.New(rand.NewPCG(3, 3))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for n := 1; n <= 40; n++ {
		for range 200 {
			var b strings.Builder
			for range r.IntN(9) {
				b.WriteByte(' ')
			}
			at := b.Len()
			for k := 0; k < n; k++ {
				if r.IntN(3) == 0 {
					b.WriteByte("ABCXYZ019"[r.IntN(9)])
				} else {
					b.WriteByte(alnum[r.IntN(len(alnum))])
				}
			}
			if r.IntN(4) == 0 {
				b.WriteByte('s')
			}
			b.WriteString([]string{"", " ", ". more text here", "\u00e9", "'s"}[r.IntN(5)])
			s := b.String()
			end, _, lower, h := tz.asciiRun(s, at)
			if want := hashBytes(lower); h != want {
				t.Fatalf("asciiRun(%q, %d) hash %x, hashBytes(%q) = %x (end %d)", s, at, h, lower, want, end)
			}
		}
	}
}
