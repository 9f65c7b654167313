package vader

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestScanTokenMatchesScalar drives the eight-bytes-at-a-time scanner and
// the plain byte loop over random texts built from the characters that
// matter (both cases, apostrophes, punctuation, ASCII and Unicode
// whitespace, control bytes, multi-byte letters) and requires identical
// token ends, lowercase bytes and classes.
func TestScanTokenMatchesScalar(t *testing.T) {
	pieces := []string{"a", "Z", "m", "Q", "'", "n't", ".", "!", ":)", "0", "~", "\x7f",
		" ", "  ", "\t", "\x1c", "\x00", "\x07", "\x20", "\u00e9", "\u00c9", "\u00a0", "\u2003",
		"\u0130", "goodness", "GREAT", "abcdefghij"}
	r := rand.New(rand.NewPCG(1, 2))
	const classes = cUpper | cLower | cApos | cHigh
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for k := r.IntN(12); k >= 0; k-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := sb.String()
		fast := make([]byte, len(s)+16)
		slow := make([]byte, len(s)+16)
		for i := 0; i < len(s); {
			if sz := spaceAt(s, i); sz > 0 {
				i += sz
				continue
			}
			e1, p1, a1 := scanToken(s, i, fast, 0)
			e2, p2, a2 := scanTokenScalar(s, i, slow, 0)
			if e1 != e2 || p1 != p2 || !bytes.Equal(fast[:p1], slow[:p2]) || a1&classes != a2&classes {
				t.Fatalf("%q at %d: fast (%d, %q, %b), scalar (%d, %q, %b)",
					s, i, e1, fast[:p1], a1&classes, e2, slow[:p2], a2&classes)
			}
			i = e1
		}
	}
}
