package text

import "strings"

// Typographic apostrophes: word processors and Blogger's editor write
// "don’t" with U+2019 (and sometimes U+2018), and HTML exports that were
// escaped twice leave "&rsquo;" in the text. Readers take them for the
// ASCII apostrophe; the lexicon and learned sentiment models fold them into
// it (FoldPunctuation, with the other typographic marks) so that "don’t",
// "can’t" and "isn’t" negate and contractions match their lexicon entries
// as "don't" does. Reference VADER reads the text as written: its parity
// with NLTK's VADER, which does not fold them either, is a requirement.

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
