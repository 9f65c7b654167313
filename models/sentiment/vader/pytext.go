package vader

import (
	"unicode"
	"unicode/utf8"
)

// The reference is Python; parity needs Python's notion of whitespace
// (str.split), punctuation (string.punctuation), case (str.isupper) and
// lowercasing (str.lower). These helpers reproduce them without allocating.

// Byte classes, one table lookup per byte in the tokeniser.
const (
	cPunct = 1 << iota // in string.punctuation
	cUpper             // A-Z
	cLower             // a-z
)

var byteClass = func() (t [256]uint8) {
	for _, c := range "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" {
		t[c] |= cPunct
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= cUpper
		t[c+'a'-'A'] |= cLower
	}
	return t
}()

// pyUpper and pyLower are Python's per-character Uppercase/Lowercase
// properties (general category plus the Other_* derived properties).
func pyUpper(r rune) bool { return unicode.IsUpper(r) || unicode.Is(unicode.Other_Uppercase, r) }
func pyLower(r rune) bool { return unicode.IsLower(r) || unicode.Is(unicode.Other_Lowercase, r) }

// isUpperPy is Python's str.isupper: at least one cased character and no
// lowercase or titlecase one.
func isUpperPy(s string) bool {
	cased := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch cl := byteClass[c]; {
			case cl&cLower != 0:
				return false
			case cl&cUpper != 0:
				cased = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if pyLower(r) || unicode.IsTitle(r) {
			return false
		}
		if pyUpper(r) {
			cased = true
		}
	}
	return cased
}

// appendLowerPy appends Python's str.lower() of s to dst. Non-ASCII text
// uses Go's simple case mapping plus the one unconditional multi-character
// mapping (U+0130 -> "i" + U+0307); the remaining difference (Greek final
// sigma) cannot change a lexicon lookup because no key contains Greek.
func appendLowerPy(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if byteClass[c]&cUpper != 0 {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, c) // keep invalid bytes as they are
			i++
			continue
		}
		i += size
		if r == 0x130 {
			dst = append(dst, 'i', 0xCC, 0x87)
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// stripPunctSpan returns the span of tok that the reference keeps: leading
// and trailing ASCII punctuation removed, unless that leaves two or fewer
// characters (an emoticon such as ":)" or a short word such as "no."), in
// which case the token is kept whole.
func stripPunctSpan(tok string) (int, int) {
	a, b := 0, len(tok)
	for a < b && tok[a] < utf8.RuneSelf && byteClass[tok[a]]&cPunct != 0 {
		a++
	}
	for b > a && tok[b-1] < utf8.RuneSelf && byteClass[tok[b-1]]&cPunct != 0 {
		b--
	}
	if b-a <= 2 || (b-a <= 8 && utf8.RuneCountInString(tok[a:b]) <= 2) {
		return 0, len(tok)
	}
	return a, b
}
