package text

import "strings"

// Typographic apostrophes: word processors and Blogger's editor write
// "don’t" with U+2019 (and sometimes U+2018), and HTML exports that were
// escaped twice leave "&rsquo;" in the text. Readers take them for the
// ASCII apostrophe; the lexicon and learned sentiment models fold them into
// it (FoldApostrophes) so that "don’t", "can’t" and "isn’t" negate and
// contractions match their lexicon entries as "don't" does. Reference
// VADER reads the text as written: its parity with NLTK's VADER, which does
// not fold them either, is a requirement.

// ApostropheAt returns the byte length of the typographic apostrophe at
// s[i] (U+2018 or U+2019: 3, "&rsquo;": 7), or 0 when there is none.
func ApostropheAt(s string, i int) int {
	switch s[i] {
	case 0xE2:
		if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x98 || s[i+2] == 0x99) {
			return 3
		}
	case '&':
		if strings.HasPrefix(s[i:], "&rsquo;") {
			return len("&rsquo;")
		}
	}
	return 0
}

// HasApostrophes reports whether s holds a typographic apostrophe
// (ApostropheAt). nonASCII says whether s has a byte above 0x7F (a Scan's
// NonASCII): without one only "&rsquo;" can be there, found with one
// IndexByte for '&'.
func HasApostrophes(s string, nonASCII bool) bool {
	if strings.IndexByte(s, '&') >= 0 && strings.Contains(s, "&rsquo;") {
		return true
	}
	if !nonASCII {
		return false
	}
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], 0xE2)
		if j < 0 {
			return false
		}
		if i += j; ApostropheAt(s, i) > 0 {
			return true
		}
	}
}

// FoldApostrophes returns s with every typographic apostrophe
// (ApostropheAt) written as the ASCII ' and nothing else changed; s itself
// when it holds none. White space is untouched, so the folded text has the
// same fields in the same order, only shorter where an apostrophe was
// folded.
func FoldApostrophes(s string) string { return straighten(s, ApostropheAt) }
