package text

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// pieces are fragments that random texts are glued from: words, the
// punctuation and symbols both tokenizers treat specially, and white space.
var pieces = []string{
	"the", "The", "probation", "CRC", "NPS", "Mr", "Mr.", "Mrs.", "Dr.", "U.S.", "e.g.", "i.e.", "etc.",
	"No.", "no.", "Sgt.", "Gov.", "J.", "a", "A", "I", "it", "It",
	".", "..", "...", "…", "?", "!", "?!", ",", ";", ":", "-", "--", "—",
	"'", "\"", "“", "”", "‘", "’", "&rsquo;", "&amp;", "(", ")", "[", "]", "{", "}",
	"$", "£", "€", "5", "10", "1,000", "2.5", "3.", "-4", ".5", "2014-06-01", "9am",
	"'s", "'S", "n't", "N'T", "'ll", "'re", "'m", "'ve", "'d",
	":)", ":-)", ":(", ";)", ":P", "xD", "^_^", "o_O", "(:", ":-))", "8-)", "¯\\(ツ)/¯",
	"é", "İ", "Ⱥ", "K", "ß", "日本", "😀", "\u00a0", "\u2009",
	"http://example.org/a.b?c=d", "a@example.com",
	" ", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n",
	// White space to Python's str.split (so to the scan), not to Go's
	// unicode.IsSpace (so not to prose): part of prose's words.
	"\x1c", "\x1f", "\x1d\n",
}

// joinRandom returns 1 to n+1 of bits, drawn with r, joined.
func joinRandom(r *rand.Rand, bits []string, n int) string {
	var b strings.Builder
	for k := r.IntN(n + 1); k >= 0; k-- {
		b.WriteString(bits[r.IntN(len(bits))])
	}
	return b.String()
}

func randomText(r *rand.Rand) string {
	var b strings.Builder
	n := 1 + r.IntN(30)
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
		if r.IntN(3) > 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// TestRandomTextsMatchOracles compares Tokens with prose and Sentences with
// the library's Punkt tokenizer on many random texts glued from pieces
// chosen to meet every rule (a deterministic complement to the fuzz
// targets, run by every `go test`).
func TestRandomTextsMatchOracles(t *testing.T) {
	sg := newTestSegmenter(t)
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	bad := 0
	for range n {
		s := randomText(r)
		if want, ok := proseTokensSafe(s); ok {
			if got := sg.Tokens(s); !slices.Equal(got, want) {
				t.Errorf("tokens differ for %q\n got %q\nwant %q", s, got, want)
				bad++
			}
		}
		if want, ok := punktSafe(t, s); ok {
			if got := sg.Sentences(s); !slices.Equal(got, want) {
				t.Errorf("sentences differ for %q\n got %q\nwant %q", s, got, want)
				bad++
			}
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
}
