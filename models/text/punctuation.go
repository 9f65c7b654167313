package text

import "strings"

// Typographic punctuation: besides the apostrophes (ApostropheAt), word
// processors and blog editors write quotation marks, dashes and the
// ellipsis as characters of their own, which VADER's word rules do not
// know: VADER strips only ASCII punctuation (Python's string.punctuation)
// from a word before looking it up, so "great" and "great..." score and
// “great” and "great…" do not, and the lexicon model's sentence and quote
// rules read the ASCII marks. Readers see no difference between the two
// spellings; the lexicon and learned models read each mark as the ASCII a
// typist would have written for it (FoldPunctuation), so a comment scores
// the same either way. Reference VADER reads the text as written, for its
// parity with the Python reference.
//
// Only marks that change how a word is read are folded: quotation marks
// (stripped from a word, and open or close a quote), the dashes (stripped
// from a word when they end it; hyphens join the overlay's hyphenated
// words) and the ellipsis (stripped, and ends a sentence).

// punctE280 is what each character U+2000..U+203F (UTF-8 E2 80 80+k, at
// index k) is read as; "" for the characters left as written.
var punctE280 = [64]string{
	0x10: "-",   // U+2010 hyphen
	0x11: "-",   // U+2011 non-breaking hyphen
	0x12: "-",   // U+2012 figure dash
	0x13: "-",   // U+2013 en dash (Word's " - ")
	0x14: "--",  // U+2014 em dash (Word's "--")
	0x15: "--",  // U+2015 horizontal bar (a quotation dash)
	0x18: "'",   // U+2018 left single quotation mark
	0x19: "'",   // U+2019 right single quotation mark, the apostrophe
	0x1A: "'",   // U+201A single low-9 quotation mark
	0x1B: "'",   // U+201B single high-reversed-9 quotation mark
	0x1C: `"`,   // U+201C left double quotation mark
	0x1D: `"`,   // U+201D right double quotation mark
	0x1E: `"`,   // U+201E double low-9 quotation mark
	0x1F: `"`,   // U+201F double high-reversed-9 quotation mark
	0x26: "...", // U+2026 horizontal ellipsis
	0x39: "'",   // U+2039 single left-pointing angle quotation mark
	0x3A: "'",   // U+203A single right-pointing angle quotation mark
}

// PunctuationAt returns the byte length of the typographic mark at s[i]
// that the lexicon and learned models fold, and the ASCII it is read as:
// a typographic apostrophe (ApostropheAt) or single quotation mark as ',
// a double quotation mark or guillemet (U+201C..U+201F, U+00AB, U+00BB)
// as ", a hyphen or en dash (U+2010..U+2013) as -, an em dash or
// horizontal bar (U+2014, U+2015) as --, the ellipsis U+2026 as ...; 0
// and "" when s[i] starts none. Every mark starts with 0xE2, 0xC2 or '&'.
func PunctuationAt(s string, i int) (int, string) {
	switch s[i] {
	case 0xE2:
		if i+2 < len(s) && s[i+1] == 0x80 && s[i+2] >= 0x80 && s[i+2] < 0xC0 {
			if r := punctE280[s[i+2]-0x80]; r != "" {
				return 3, r
			}
		}
	case 0xC2:
		if i+1 < len(s) && (s[i+1] == 0xAB || s[i+1] == 0xBB) {
			return 2, `"`
		}
	case '&':
		if n := ApostropheAt(s, i); n > 0 {
			return n, "'"
		}
	}
	return 0, ""
}

// HasPunctuation reports whether s holds a mark PunctuationAt folds.
// nonASCII says whether s has a byte above 0x7F (a Scan's NonASCII):
// without one only "&rsquo;" can be there, found with one IndexByte for
// '&', so an ASCII comment costs what it cost before the other marks were
// folded.
func HasPunctuation(s string, nonASCII bool) bool {
	if strings.IndexByte(s, '&') >= 0 && strings.Contains(s, "&rsquo;") {
		return true
	}
	if !nonASCII {
		return false
	}
	return hasLead(s, 0xE2) || hasLead(s, 0xC2)
}

// hasLead reports whether a mark PunctuationAt folds starts at one of the
// bytes lead of s.
func hasLead(s string, lead byte) bool {
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], lead)
		if j < 0 {
			return false
		}
		if i += j; foldsAt(s, i) {
			return true
		}
	}
}

func foldsAt(s string, i int) bool {
	n, _ := PunctuationAt(s, i)
	return n > 0
}

// FoldPunctuation returns s with every mark PunctuationAt folds written as
// its ASCII and nothing else changed; s itself when it holds none. White
// space is untouched, so the folded text has the same fields in the same
// order, each its original with its marks folded.
func FoldPunctuation(s string) string { return straighten(s, PunctuationAt) }
