package text

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// scanPieces are the characters that matter to the scanner: both cases,
// apostrophes, punctuation, every kind of white space (ASCII, the four
// separators only Python splits on, Unicode, U+1680), control bytes,
// multi-byte letters, emoji, invalid UTF-8 and words long enough to take
// the eight-bytes-at-a-time path.
var scanPieces = []string{"a", "Z", "m", "Q", "'", "n't", ".", "!", ":)", "0", "~", "\x7f",
	" ", "  ", "\t", "\n", "\r\n", "\x1c", "\x1f", "\x00", "\x07", "\u00e9", "\u00c9", "\u00a0",
	"\u2003", "\u1680", "\u3000", "\u0085", "\u0130", "\U0001F600", "\xe2", "\xe2\x80", "\xff",
	"goodness", "GREAT", "abcdefghij", "Don't", "ABCDEFGHIJKLMNOP"}

// TestScanProperties checks every scan of 20,000 random texts against
// definitions stated independently of the scanner: the fields are
// strings.FieldsFunc(s, IsPySpace) at their offsets; Lower is s with A-Z
// lower-cased; each field's flags say what its bytes hold; each gap's flags
// say what the white space before the field holds.
func TestScanProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var sc Scan
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for k := r.IntN(14); k >= 0; k-- {
			sb.WriteString(scanPieces[r.IntN(len(scanPieces))])
		}
		s := sb.String()
		sc.Reset(s)
		checkScan(t, s, &sc)
	}
}

func checkScan(t *testing.T, s string, sc *Scan) {
	t.Helper()
	want := strings.FieldsFunc(s, IsPySpace)
	if len(sc.Fields) != len(want) {
		t.Fatalf("%q: %d fields, want %d (%q)", s, len(sc.Fields), len(want), want)
	}
	if got, lw := string(sc.Lower[:len(s)]), strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s); utf8.ValidString(s) && got != lw {
		t.Fatalf("%q: Lower %q, want %q", s, got, lw)
	}
	for i := range len(s) {
		if c, l := s[i], sc.Lower[i]; l != c && !(c >= 'A' && c <= 'Z' && l == c+'a'-'A') {
			t.Fatalf("%q: Lower[%d] = %q for %q", s, i, l, c)
		}
	}
	if len(sc.Lower) < len(s)+8 {
		t.Fatalf("%q: Lower has %d bytes, want %d", s, len(sc.Lower), len(s)+8)
	}
	if sc.NonASCII != strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) {
		t.Fatalf("%q: NonASCII %v", s, sc.NonASCII)
	}
	prev := 0
	for k, f := range sc.Fields {
		w := s[f.S:f.E]
		if w != want[k] {
			t.Fatalf("%q: field %d %q, want %q", s, k, w, want[k])
		}
		wantF := uint16(0)
		if strings.ContainsAny(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			wantF |= FieldUpper
		}
		if strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz") {
			wantF |= FieldLower
		}
		if strings.Contains(w, "'") {
			wantF |= FieldApos
		}
		if strings.ContainsFunc(w, func(r rune) bool { return r >= utf8.RuneSelf }) {
			wantF |= FieldHigh
		}
		if strings.ContainsFunc(w, func(r rune) bool {
			return r < utf8.RuneSelf && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
		}) {
			wantF |= FieldOther
		}
		wantF |= gapFlags(s[prev:f.S])
		if f.Flags != wantF {
			t.Fatalf("%q: field %q flags %b, want %b", s, w, f.Flags, wantF)
		}
		prev = int(f.E)
	}
	if g := gapFlags(s[prev:]); sc.Trail != g {
		t.Fatalf("%q: Trail %b, want %b", s, sc.Trail, g)
	}
}

// gapFlags is the definition of the Gap flags of white space gap.
func gapFlags(gap string) uint16 {
	var f uint16
	for _, r := range gap {
		if r == '\n' {
			f |= GapNewline
		}
		if unicode.IsSpace(r) {
			f |= GapGoSpace
		}
		if r == 0x1680 {
			f |= GapOgham
		} else {
			f |= GapOther
		}
		if r >= 0x1c && r <= 0x1f {
			f |= GapPySep
		}
	}
	return f
}

// TestScanReuse checks that a Scan reused for a shorter text holds nothing
// of the longer one.
func TestScanReuse(t *testing.T) {
	var sc Scan
	sc.Reset("A LONG TEXT with\nmany fields, and capitals")
	sc.Reset("ok")
	if len(sc.Fields) != 1 || sc.Fields[0] != (Field{S: 0, E: 2, Flags: FieldLower}) || sc.Trail != 0 || sc.NonASCII {
		t.Fatalf("reused scan: %+v", sc)
	}
	for _, b := range sc.Lower[2:] {
		if b != 0 {
			t.Fatalf("slack after the text not zero: %q", sc.Lower)
		}
	}
}

// FuzzScan checks the scan's properties on any input.
func FuzzScan(f *testing.F) {
	for _, p := range scanPieces {
		f.Add(p + " " + p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var sc Scan
		sc.Reset(s)
		checkScan(t, s, &sc)
	})
}

// BenchmarkScan scans the sample's comments.
func BenchmarkScan(b *testing.B) {
	texts, n := benchTexts(b)
	var sc Scan
	b.SetBytes(n)
	for b.Loop() {
		for _, s := range texts {
			sc.Reset(s)
		}
	}
}
