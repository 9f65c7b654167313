package domain

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"chorus/models/text"
)

// tok is one whitespace-separated token of a comment: text[s:e].
// VADER splits text the same way, so a token's position inside its sentence
// is the Index the engine reports for it.
type tok struct {
	s, e  int32
	quote uint8 // qNone, qScare or qQuotation
	nl    bool  // a line break follows the token
}

const (
	qNone      uint8 = iota
	qScare           // inside short quotes ('innovative') or after "so-called"
	qQuotation       // inside a longer quotation: someone else's words
)

// maxScareWords is the longest quoted span read as scare quotes; longer
// quoted spans are quotations of someone else's words.
const maxScareWords = 4

// maxSingleQuoteWords bounds a span in single quotes: beyond it the opening
// mark was more likely an apostrophe than a quote.
const maxSingleQuoteWords = 12

// scanTokens appends the tokens of the scanned text to dst: its white
// space fields, each marked nl when a '\n' is in the white space after it.
func scanTokens(dst []tok, scan *text.Scan) []tok {
	dst = slices.Grow(dst, len(scan.Fields))
	for i, f := range scan.Fields {
		if i > 0 && f.Flags&text.GapNewline != 0 {
			dst[len(dst)-1].nl = true
		}
		dst = append(dst, tok{s: f.S, e: f.E})
	}
	if len(dst) > 0 && scan.Trail&text.GapNewline != 0 {
		dst[len(dst)-1].nl = true
	}
	return dst
}

// Quote marks. Straight quotes both open and close; curly ones have a side.
func isOpenQuote(r rune) (double, ok bool) {
	switch r {
	case '"', '\u201c', '\u201e':
		return true, true
	case '\'', '\u2018':
		return false, true
	}
	return false, false
}

func isCloseQuote(r rune) (double, ok bool) {
	switch r {
	case '"', '\u201d':
		return true, true
	case '\'', '\u2019':
		return false, true
	}
	return false, false
}

// trimOpen skips leading brackets so "('word'" still opens a quote.
func firstRune(w string) rune {
	for len(w) > 0 && (w[0] == '(' || w[0] == '[') {
		w = w[1:]
	}
	if len(w) > 0 && w[0] < utf8.RuneSelf {
		return rune(w[0])
	}
	r, _ := utf8.DecodeRuneInString(w)
	return r
}

// lastRune skips trailing sentence punctuation so `'word',` still closes.
func lastRune(w string) rune {
	for len(w) > 0 {
		switch w[len(w)-1] {
		case '.', ',', ';', ':', '!', '?', ')', ']':
			w = w[:len(w)-1]
			continue
		}
		break
	}
	if len(w) > 0 && w[len(w)-1] < utf8.RuneSelf {
		return rune(w[len(w)-1])
	}
	r, _ := utf8.DecodeLastRuneInString(w)
	return r
}

// quoteHead marks the ASCII bytes a word markQuotes acts on can start with.
var quoteHead = [utf8.RuneSelf]bool{'s': true, 'S': true, '"': true, '\'': true, '(': true, '[': true}

// markQuotes sets tok.quote. A quote opens on a token starting with a quote
// mark and closes on the first later (or the same) token ending with one of
// the same kind; a span that never closes is no quote (a stray mark or an
// apostrophe). Short spans are scare quotes, long ones quotations. "so-called"
// and "so called" put the next few words in scare quotes too: the writer
// disowns the name.
func markQuotes(text string, toks []tok) {
	for i := 0; i < len(toks); i++ {
		w := text[toks[i].s:toks[i].e]
		// Only a word starting with s or S ("so-called", "so"), a quote
		// mark, a bracket or a multi-byte rune (a curly quote) can open
		// anything.
		if c := w[0]; c < utf8.RuneSelf && !quoteHead[c] {
			continue
		}
		soCalled := len(w) >= 9 && len(w) <= 10 && hasPrefixFold(w, "so-called")
		soThen := len(w) == 2 && hasPrefixFold(w, "so") && i+1 < len(toks) && hasPrefixFold(text[toks[i+1].s:toks[i+1].e], "called")
		if soCalled || soThen {
			from := i + 1
			if soThen {
				from = i + 2
			}
			for j := from; j < len(toks) && j < from+2; j++ {
				toks[j].quote = qScare
			}
			continue
		}
		double, ok := isOpenQuote(firstRune(w))
		if !ok {
			continue
		}
		limit := len(toks)
		if !double {
			limit = min(len(toks), i+maxSingleQuoteWords)
		}
		end := -1
		for j := i; j < limit; j++ {
			wj := text[toks[j].s:toks[j].e]
			if j == i && len([]rune(wj)) < 3 {
				continue // a lone mark: the quote closes on a later token
			}
			if d, ok := isCloseQuote(lastRune(wj)); ok && d == double {
				end = j
				break
			}
		}
		if end < 0 {
			continue
		}
		q := qScare
		if end-i+1 > maxScareWords {
			q = qQuotation
		}
		for j := i; j <= end; j++ {
			toks[j].quote = q
		}
		i = end
	}
}

func hasPrefixFold(w, prefix string) bool {
	if len(w) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// abbreviations end in a full stop without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "prof": true,
	"e.g": true, "i.e": true, "eg": true, "ie": true, "vs": true, "cf": true,
	"no": false, "approx": true, "nr": true, "cllr": true, "rt": true, "hon": true,
}

// isAbbreviation is abbreviations[lowerASCII(w)] without allocating:
// every key is ASCII and at most maxAbbrevLen bytes long.
func isAbbreviation(w string) bool {
	if len(w) > maxAbbrevLen {
		return false
	}
	var b [maxAbbrevLen]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return abbreviations[string(b[:len(w)])]
}

const maxAbbrevLen = len("approx")

// endsSentence reports whether a sentence ends after toks[i]: a line break,
// or final punctuation followed by a word that does not start lowercase,
// unless the word before the stop is an abbreviation or an initial.
func endsSentence(text string, toks []tok, i int) bool {
	if i == len(toks)-1 || toks[i].nl {
		return true
	}
	// Most words end in an ASCII byte that is neither final punctuation
	// nor a closing quote or bracket: they end no sentence.
	if c := text[toks[i].e-1]; c < utf8.RuneSelf && !sentenceTail[c] {
		return false
	}
	return endsSentenceAt(text, toks, i)
}

// sentenceTail marks the ASCII bytes endsSentenceAt looks at the end of
// a word: final punctuation and the closers stripped before it.
var sentenceTail = [utf8.RuneSelf]bool{'.': true, '!': true, '?': true, '"': true, '\'': true, ')': true, ']': true}

// endsSentenceAt is endsSentence past its fast path.
func endsSentenceAt(text string, toks []tok, i int) bool {
	w := text[toks[i].s:toks[i].e]
	// strip closing quotes and brackets after the punctuation
	for len(w) > 0 {
		c := w[len(w)-1]
		if c == '"' || c == '\'' || c == ')' || c == ']' {
			w = w[:len(w)-1]
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		if r, size := utf8.DecodeLastRuneInString(w); r == '\u201d' || r == '\u2019' {
			w = w[:len(w)-size]
			continue
		}
		break
	}
	if w == "" {
		return false
	}
	last := w[len(w)-1]
	if last != '.' && last != '!' && last != '?' {
		return false
	}
	next := text[toks[i+1].s:toks[i+1].e]
	if r := firstRune(next); unicode.IsLower(r) {
		return false
	}
	if last == '.' {
		core := w
		for len(core) > 0 && core[len(core)-1] == '.' {
			core = core[:len(core)-1]
		}
		if len(w)-len(core) == 1 { // a single stop: maybe an abbreviation
			if utf8.RuneCountInString(core) == 1 && unicode.IsUpper(firstRune(core)) {
				return false // an initial: "J. Smith"
			}
			if isAbbreviation(core) {
				return false
			}
		}
	}
	return true
}
