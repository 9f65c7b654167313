package topics

// This file holds an English stemmer written for the tagger: the Porter2
// ("Snowball English") algorithm, plus two additions for this corpus.
//
//  1. American -ize/-ization spellings are folded to British -ise/-isation
//     before stemming, so "privatized" meets "privatised". (Porter2 itself
//     strips "ization" but not "isation", which would split the two.)
//  2. Acronym plurals: a word with no vowel that ends in "s" ("crcs",
//     "psrs") loses the "s", which Porter2 keeps because it sees no vowel.
//     Capitalised plurals such as "SFOs" or "POs" are handled by the
//     tokeniser, which knows the case.
//
// The stemmer works on lower-case ASCII bytes in place and allocates only
// for the returned string. Words with digits or non-ASCII bytes are returned
// unchanged: stemming "e3" or "café" would only do harm.

// exceptional words of Porter2 that are stemmed by table, not by rule.
var stemExceptions = map[string]string{
	"skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
	"idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
	"singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
	"cosmos": "cosmos", "bias": "bias", "andes": "andes",
}

// words left alone after step 1a.
var stemInvariant1a = map[string]bool{
	"inning": true, "outing": true, "canning": true, "herring": true, "earring": true,
	"proceed": true, "exceed": true, "succeed": true,
}

// stemWord returns the stem of a lower-case word.
func stemWord(w string) string {
	var buf [64]byte
	if len(w) > len(buf) {
		return w
	}
	b := append(buf[:0], w...)
	return string(stemBytes(b))
}

// stemBytes stems a lower-case word held in b, reusing b's storage.
func stemBytes(b []byte) []byte {
	for _, c := range b {
		if (c < 'a' || c > 'z') && c != '\'' {
			return b
		}
	}
	// Drop a leading apostrophe and fold curly-free possessives first.
	for len(b) > 0 && b[0] == '\'' {
		b = b[1:]
	}
	if len(b) <= 2 {
		return b
	}
	if s, ok := stemExceptions[string(b)]; ok {
		return append(b[:0], s...)
	}
	b = britishSpelling(b)
	// y at the start or after a vowel is a consonant: mark it 'Y'.
	for i := range b {
		if b[i] == 'y' && (i == 0 || isVowel(b[i-1])) {
			b[i] = 'Y'
		}
	}
	r1, r2 := regions(b)

	// Step 0: possessive apostrophes.
	switch {
	case hasSuffix(b, "'s'"):
		b = b[:len(b)-3]
	case hasSuffix(b, "'s"):
		b = b[:len(b)-2]
	case hasSuffix(b, "'"):
		b = b[:len(b)-1]
	}
	// Apostrophes left inside ("don't") make the word a poor stem candidate.
	for _, c := range b {
		if c == '\'' {
			return restoreY(b)
		}
	}

	// Step 1a.
	switch {
	case hasSuffix(b, "sses"):
		b = b[:len(b)-2]
	case hasSuffix(b, "ied"), hasSuffix(b, "ies"):
		if len(b) > 4 {
			b = b[:len(b)-2]
		} else {
			b = b[:len(b)-1]
		}
	case hasSuffix(b, "us"), hasSuffix(b, "ss"):
	case hasSuffix(b, "s"):
		hasV := false
		for i := 0; i < len(b)-2; i++ {
			if isVowel(b[i]) {
				hasV = true
				break
			}
		}
		if hasV || !anyVowel(b[:len(b)-1]) {
			// Porter2 keeps the s when no vowel precedes it; we drop it
			// for vowelless acronyms such as "crcs".
			b = b[:len(b)-1]
		}
	}
	if stemInvariant1a[string(b)] {
		return restoreY(b)
	}

	// Step 1b.
	switch {
	case hasSuffix(b, "eedly"):
		if len(b)-5 >= r1 {
			b = b[:len(b)-3]
		}
	case hasSuffix(b, "eed"):
		if len(b)-3 >= r1 {
			b = b[:len(b)-1]
		}
	default:
		for _, suf := range [...]string{"ingly", "edly", "ing", "ed"} {
			if !hasSuffix(b, suf) {
				continue
			}
			stem := b[:len(b)-len(suf)]
			if !anyVowel(stem) {
				break
			}
			b = stem
			switch {
			case hasSuffix(b, "at"), hasSuffix(b, "bl"), hasSuffix(b, "iz"):
				b = append(b, 'e')
			case endsDouble(b):
				b = b[:len(b)-1]
			case isShortWord(b, r1):
				b = append(b, 'e')
			}
			break
		}
	}

	// Step 1c.
	if n := len(b); n > 2 && (b[n-1] == 'y' || b[n-1] == 'Y') && !isVowel(b[n-2]) {
		b[n-1] = 'i'
	}

	// Step 2.
	b = step2(b, r1)
	// Step 3.
	b = step3(b, r1, r2)
	// Step 4.
	b = step4(b, r2)

	// Step 5.
	if n := len(b); n > 0 {
		switch b[n-1] {
		case 'e':
			if n-1 >= r2 || (n-1 >= r1 && !endsShortSyllable(b[:n-1])) {
				b = b[:n-1]
			}
		case 'l':
			if n-1 >= r2 && n > 1 && b[n-2] == 'l' {
				b = b[:n-1]
			}
		}
	}
	return restoreY(b)
}

// britishSpelling folds American -ize family suffixes to -ise in place.
func britishSpelling(b []byte) []byte {
	if len(b) < 7 {
		return b
	}
	for _, suf := range [...]string{"izations", "ization", "izing", "izers", "izer", "izes", "ized", "ize"} {
		if hasSuffix(b, suf) {
			b[len(b)-len(suf)+1] = 's'
			return b
		}
	}
	return b
}

func step2(b []byte, r1 int) []byte {
	type rep struct{ suf, with string }
	// Ordered so that a longer suffix is tried before any suffix of it.
	reps := [...]rep{
		{"ational", "ate"}, {"tional", "tion"}, {"fulness", "ful"}, {"ousness", "ous"},
		{"iveness", "ive"}, {"ization", "ize"}, {"biliti", "ble"}, {"lessli", "less"},
		{"entli", "ent"}, {"ation", "ate"}, {"alism", "al"}, {"aliti", "al"},
		{"ousli", "ous"}, {"iviti", "ive"}, {"fulli", "ful"}, {"enci", "ence"},
		{"anci", "ance"}, {"abli", "able"}, {"izer", "ize"}, {"ator", "ate"},
		{"alli", "al"}, {"bli", "ble"}, {"ogi", "og"}, {"li", ""},
	}
	for _, r := range reps {
		if !hasSuffix(b, r.suf) {
			continue
		}
		start := len(b) - len(r.suf)
		if start < r1 {
			return b
		}
		switch r.suf {
		case "ogi":
			if start == 0 || b[start-1] != 'l' {
				return b
			}
		case "li":
			if start == 0 || !validLiEnding(b[start-1]) {
				return b
			}
		}
		return append(b[:start], r.with...)
	}
	return b
}

func step3(b []byte, r1, r2 int) []byte {
	type rep struct{ suf, with string }
	reps := [...]rep{
		{"ational", "ate"}, {"tional", "tion"}, {"alize", "al"}, {"icate", "ic"},
		{"iciti", "ic"}, {"ative", ""}, {"ical", "ic"}, {"ness", ""}, {"ful", ""},
	}
	for _, r := range reps {
		if !hasSuffix(b, r.suf) {
			continue
		}
		start := len(b) - len(r.suf)
		if start < r1 || (r.suf == "ative" && start < r2) {
			return b
		}
		return append(b[:start], r.with...)
	}
	return b
}

func step4(b []byte, r2 int) []byte {
	sufs := [...]string{
		"ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate",
		"iti", "ous", "ive", "ize", "ion", "al", "er", "ic",
	}
	for _, suf := range sufs {
		if !hasSuffix(b, suf) {
			continue
		}
		start := len(b) - len(suf)
		if start < r2 {
			return b
		}
		if suf == "ion" && (start == 0 || (b[start-1] != 's' && b[start-1] != 't')) {
			return b
		}
		return b[:start]
	}
	return b
}

// regions returns the starts of Porter2's R1 and R2.
func regions(b []byte) (r1, r2 int) {
	r1 = len(b)
	for _, p := range [...]string{"gener", "commun", "arsen"} {
		if len(b) >= len(p) && string(b[:len(p)]) == p {
			r1 = len(p)
			break
		}
	}
	if r1 == len(b) {
		r1 = nextRegion(b, 0)
	}
	r2 = nextRegion(b, r1)
	return r1, r2
}

// nextRegion returns the index after the first non-vowel that follows a
// vowel, searching from start.
func nextRegion(b []byte, start int) int {
	for i := start + 1; i < len(b); i++ {
		if !isVowel(b[i]) && isVowel(b[i-1]) {
			return i + 1
		}
	}
	return len(b)
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func anyVowel(b []byte) bool {
	for _, c := range b {
		if isVowel(c) {
			return true
		}
	}
	return false
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func endsDouble(b []byte) bool {
	n := len(b)
	if n < 2 || b[n-1] != b[n-2] {
		return false
	}
	switch b[n-1] {
	case 'b', 'd', 'f', 'g', 'm', 'n', 'p', 'r', 't':
		return true
	}
	return false
}

func validLiEnding(c byte) bool {
	switch c {
	case 'c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't':
		return true
	}
	return false
}

// endsShortSyllable reports Porter2's short syllable at the end of b.
func endsShortSyllable(b []byte) bool {
	n := len(b)
	if n == 2 {
		return isVowel(b[0]) && !isVowel(b[1])
	}
	if n < 3 {
		return false
	}
	c := b[n-1]
	return !isVowel(b[n-3]) && isVowel(b[n-2]) && !isVowel(c) && c != 'w' && c != 'x' && c != 'Y'
}

func isShortWord(b []byte, r1 int) bool {
	return r1 >= len(b) && endsShortSyllable(b)
}

func restoreY(b []byte) []byte {
	for i := range b {
		if b[i] == 'Y' {
			b[i] = 'y'
		}
	}
	return b
}
