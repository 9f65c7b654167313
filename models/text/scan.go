package text

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// Scan is a text split once, in one pass over its bytes, into its white
// space fields (the words of Python's str.split, the definition VADER's
// reference uses) with their byte offsets, what each field holds, what the
// white space before it held, and the text lower-cased. The models derive
// their own tokens from it instead of reading the text from the start each
// (see "One scan, many tokenisers" in the package comment).
//
// A Scan owns its buffers and reuses them from one Reset to the next: keep
// one per goroutine (or pool them), and scanning a comment allocates
// nothing once the buffers have grown. The zero Scan is ready to use.
type Scan struct {
	// Text is the text scanned.
	Text string
	// Fields are the white space fields of Text in order.
	Fields []Field
	// Lower is Text with A-Z lower-cased (every other byte as it is), at
	// the same offsets, followed by 8 zero bytes so that a reader may load
	// eight bytes at any offset of Text.
	Lower []byte
	// Trail is the Gap flags of the white space after the last field (or
	// of the whole text when it has no field).
	Trail uint16
	// NonASCII reports whether Text has a byte above 0x7F.
	NonASCII bool
}

// Field is one white space field: Text[S:E], never empty.
type Field struct {
	S, E int32
	// Flags are the Field* flags of the field and the Gap* flags of the
	// white space before it.
	Flags uint16
}

// Field flags: what the field's bytes hold.
const (
	FieldUpper = 1 << iota // an ASCII capital A-Z
	FieldLower             // an ASCII small letter a-z
	FieldApos              // an ASCII apostrophe '
	FieldHigh              // a byte above 0x7F (a multi-byte rune, or invalid UTF-8)
	FieldOther             // an ASCII byte that is no letter or digit (punctuation, controls)

	// Gap flags: what the white space before the field (or after the last
	// one, in Scan.Trail) holds. No flag: no white space (the first field
	// at the text's start).

	GapNewline // a '\n' (which ends a sentence for the domain model and topics)
	GapGoSpace // a rune Go's unicode.IsSpace counts as space: all but U+001C..U+001F
	GapOgham   // U+1680, which topics reads as a letter
	GapOther   // any other white space than U+1680
	GapPySep   // one of U+001C..U+001F, white space to Python and not to Go
)

// Python's str.split white space among the ASCII bytes: Go's
// unicode.IsSpace ones (\t \n \v \f \r and space) plus the four
// separators U+001C..U+001F, which Go does not count.
const (
	sSpace   = 1 << iota // Python white space
	sPySep               // U+001C..U+001F: white space to Python, not to Go
	sNewline             // '\n'
)

var scanClass = func() (t [utf8.RuneSelf]uint8) {
	for _, c := range "\t\n\v\f\r " {
		t[c] = sSpace
	}
	for c := 0x1c; c <= 0x1f; c++ {
		t[c] = sSpace | sPySep
	}
	t['\n'] |= sNewline
	return t
}()

// asciiGap is the Gap flags of each ASCII white space byte (what gapAt
// returns for it), read by a table lookup in Reset's loop instead of a
// branch per byte.
var asciiGap = func() (t [utf8.RuneSelf]uint16) {
	for c := range t {
		if scanClass[c]&sSpace != 0 {
			_, t[c] = gapAt(string(rune(c)), 0)
		}
	}
	return t
}()

// IsPySpace reports whether r is white space to Python's str.split: Go's
// unicode.IsSpace plus the four ASCII separators U+001C..U+001F.
func IsPySpace(r rune) bool {
	if r < utf8.RuneSelf {
		return scanClass[r]&sSpace != 0
	}
	switch r {
	case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// gapAt returns the byte length of the white space rune at s[i] (0 when it
// is none) and its Gap flags.
func gapAt(s string, i int) (int, uint16) {
	c := s[i]
	if c < utf8.RuneSelf {
		cl := scanClass[c]
		switch {
		case cl&sSpace == 0:
			return 0, 0
		case cl&sNewline != 0:
			return 1, GapNewline | GapGoSpace | GapOther
		case cl&sPySep != 0:
			return 1, GapOther | GapPySep
		}
		return 1, GapGoSpace | GapOther
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if !IsPySpace(r) {
		return 0, 0
	}
	if r == 0x1680 {
		return size, GapGoSpace | GapOgham
	}
	return size, GapGoSpace | GapOther
}

// SWAR constants: 0x01 and 0x80 in every byte.
const (
	lo7 = 0x0101010101010101
	hi7 = 0x8080808080808080
)

// Reset scans s, replacing what the Scan held.
func (sc *Scan) Reset(s string) {
	sc.Text = s
	sc.Fields = sc.Fields[:0]
	sc.NonASCII = false
	lb := slices.Grow(sc.Lower[:0], len(s)+8)[:len(s)+8]
	clear(lb[len(s):])
	var gap uint16
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && scanClass[c]&sSpace != 0 {
			// ASCII white space, nearly all of it.
			lb[i] = c
			gap |= asciiGap[c]
			i++
			continue
		}
		// An ASCII byte that is no white space starts a field; only a
		// byte above 0x7F needs decoding to tell.
		if s[i] >= utf8.RuneSelf {
			if n, g := gapAt(s, i); n > 0 {
				if n > 1 {
					sc.NonASCII = true
				}
				copy(lb[i:], s[i:i+n])
				gap |= g
				i += n
				continue
			}
		}
		start := i
		var f uint16
		i, f = scanField(s, i, lb)
		if f&FieldHigh != 0 {
			sc.NonASCII = true
		}
		sc.Fields = append(sc.Fields, Field{S: int32(start), E: int32(i), Flags: f | gap})
		gap = 0
	}
	sc.Trail = gap
	sc.Lower = lb
}

// scanField scans the field starting at s[i] (not white space) to its end,
// writing its lower-cased bytes to lb[i:]. It returns the end and the
// field's Field flags.
//
// It reads eight bytes at a time (bit tricks on a uint64), which finds the
// end of a typical word without a branch per byte and lower-cases it with
// one store; bytes below 0x21 (white space candidates) and above 0x7F
// (white space possibly) are looked at one at a time. lb has 8 bytes of
// room past the text.
func scanField(s string, i int, lb []byte) (int, uint16) {
	var up, low, apos, other uint64
	var f uint16
	for i < len(s) {
		if i+8 <= len(s) {
			x := load64(s, i)
			// Flag bytes below 0x21 or above 0x7F. Borrows only run
			// upwards from a flagged byte, so the lowest flag is exact,
			// and that is the only one used.
			special := ((x-0x21*lo7)&^x | x) & hi7
			n := 8
			if special != 0 {
				n = bits.TrailingZeros64(special) >> 3
			}
			// keep marks the n word bytes, without a branch on n (in Go a
			// shift by 64, when n is 0, gives zero).
			keep := ^uint64(0) >> (64 - 8*uint(n))
			y := x & keep // the n word bytes, the rest zeroed
			// y's bytes are in 0x21..0x7F or zero, so these sums never
			// carry into the next byte: byte+0x3F reaches 0x80 iff byte >=
			// 'A', byte+0x25 iff byte > 'Z'; likewise 0x1F and 0x05 for
			// 'a'..'z'.
			u := (y + 0x3F*lo7) &^ (y + 0x25*lo7) & hi7
			l := (y + 0x1F*lo7) &^ (y + 0x05*lo7) & hi7
			d := (y + 0x50*lo7) &^ (y + 0x46*lo7) & hi7 // '0'..'9' likewise
			z := y ^ 0x27*lo7                           // zero where y has an apostrophe
			up |= u
			low |= l
			other |= ^(u | l | d) & keep & hi7
			apos |= (z - lo7) &^ z & hi7
			binary.LittleEndian.PutUint64(lb[i:], y|u>>2) // +0x20 lower-cases A-Z
			i += n
			if n == 8 {
				continue
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if scanClass[c]&sSpace != 0 {
				break
			}
			switch {
			case c >= 'A' && c <= 'Z':
				f |= FieldUpper
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z':
				f |= FieldLower
			case c >= '0' && c <= '9':
			case c == '\'':
				f |= FieldApos | FieldOther
			default:
				f |= FieldOther
			}
			lb[i] = c
			i++
			continue
		}
		if n, _ := gapAt(s, i); n > 0 {
			break
		}
		f |= FieldHigh
		lb[i] = c
		i++
	}
	if up != 0 {
		f |= FieldUpper
	}
	if low != 0 {
		f |= FieldLower
	}
	if apos != 0 {
		f |= FieldApos
	}
	if other != 0 {
		f |= FieldOther
	}
	return i, f
}
