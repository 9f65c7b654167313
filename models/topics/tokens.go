package topics

import (
	"bytes"
	"unicode/utf8"
)

// The tagger splits words itself instead of calling chorus/models/text:
// prose's tokenizer allocates a token struct per word and runs regular
// expressions, which caps it far below the ~10 MB/s the tagger needs for the
// pipeline's 25,000 comments/s on two cores. Topic matching needs less than
// prose offers anyway: words as runs of letters and digits (with inner
// apostrophes, so "CRC's" and "don't" stay whole), their case, their byte
// offsets for evidence, and where a sentence ends so phrases never span two
// sentences. Hyphens split words, so "pre-sentence report" and "pre sentence
// report" are the same three tokens.

// token flags.
const (
	flagUpper    = 1 << iota // every letter is a capital, in a word of two or more characters
	flagLower                // no capitals
	flagTitle                // first letter a capital, the rest not
	flagBoundary             // a sentence or line break precedes this token
)

// token is one word of a text.
type token struct {
	start, end int32 // byte offsets in the text
	id         int32 // vocabulary id of the stem, or -1 when no rule uses it
	flags      uint8
}

// wordClass classifies the rune starting at s[i]: 1 word character,
// 2 apostrophe, 0 other; n is its length in bytes.
func wordClass(s string, i int) (class, n int) {
	c := s[i]
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return 1, 1
	case c == '\'':
		return 2, 1
	case c < 0x80:
		return 0, 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == '\u2019' || r == '\u2018':
		return 2, n
	case r == utf8.RuneError:
		return 0, n
	case r < 0xC0, r >= 0x2000 && r <= 0x2BFF, r >= 0x3000 && r <= 0x303F, r == 0xFEFF:
		// Latin-1 symbols (£, no-break space), general punctuation (dashes,
		// quotes, ellipsis), arrows and symbols, CJK punctuation, BOM.
		return 0, n
	case r >= 0x1F000:
		return 0, n // emoji
	}
	return 1, n
}

// isBoundaryByte reports bytes that end a sentence for phrase matching.
func isBoundaryByte(c byte) bool {
	switch c {
	case '.', '!', '?', ';', '\n', ':':
		return true
	}
	return false
}

// tokenizer turns text into tokens with stems looked up in a vocabulary.
// Its buffers are reused between calls; a tokenizer is not safe for
// concurrent use (the Tagger pools them).
type tokenizer struct {
	toks  []token
	lower []byte
}

// resolver maps lower-case words to vocabulary ids through their stems.
// Stemming is most of the cost of tagging, and comment text is Zipfian, so
// each resolver remembers the words it has seen (up to maxCache of them).
type resolver struct {
	vocab map[string]int32
	cache map[string]int32
}

const maxCache = 1 << 16

// id returns the vocabulary id of lower's stem, or -1. It may stem lower
// in place.
func (r *resolver) id(lower []byte) int32 {
	if id, ok := r.cache[string(lower)]; ok {
		return id
	}
	key := string(lower)
	id, ok := r.vocab[string(stemBytes(lower))]
	if !ok {
		id = -1
	}
	if len(r.cache) >= maxCache {
		clear(r.cache)
	}
	r.cache[key] = id
	return id
}

// tokenize fills tz.toks for s, with ids from r (all -1 when r is nil).
func (tz *tokenizer) tokenize(s string, r *resolver) []token {
	tz.toks = tz.toks[:0]
	boundary := true
	i := 0
	for i < len(s) {
		cl, n := wordClass(s, i)
		if cl != 1 {
			if cl == 0 && isBoundaryByte(s[i]) {
				boundary = true
			}
			i += n
			continue
		}
		start := i
		i += n
		for i < len(s) {
			cl, n = wordClass(s, i)
			if cl == 1 {
				i += n
				continue
			}
			if cl == 2 && i+n < len(s) {
				if c2, n2 := wordClass(s, i+n); c2 == 1 {
					i += n + n2
					continue
				}
			}
			break
		}
		t := token{start: int32(start), end: int32(i)}
		t.flags = caseFlags(s[start:i])
		if boundary {
			t.flags |= flagBoundary
			boundary = false
		}
		t.id = -1
		if r != nil {
			t.id = r.id(tz.lowerWord(s[start:i]))
		}
		tz.toks = append(tz.toks, t)
	}
	return tz.toks
}

// caseFlags classifies the capitalisation of word w.
func caseFlags(w string) uint8 {
	upper, lower, letters := 0, 0, 0
	firstUpper := false
	for j := 0; j < len(w); j++ {
		c := w[j]
		switch {
		case c >= 'A' && c <= 'Z':
			if letters == 0 {
				firstUpper = true
			}
			upper++
			letters++
		case c >= 'a' && c <= 'z':
			lower++
			letters++
		}
	}
	var f uint8
	if upper == 0 {
		f |= flagLower
	}
	if upper >= 1 && lower == 0 && len(w) >= 2 {
		f |= flagUpper // "NPS", "IT", "E3"; a lone "I" or "A" is not
	}
	if firstUpper && upper == 1 && lower > 0 {
		f |= flagTitle
	}
	// "CRCs", "SFOs": capitals with a plural s count as capitals.
	if upper >= 2 && lower == 1 && w[len(w)-1] == 's' {
		f |= flagUpper
	}
	return f
}

// normalise lower-cases and stems word w into tz.lower and returns it.
func (tz *tokenizer) normalise(w string) []byte {
	return stemBytes(tz.lowerWord(w))
}

// lowerWord lower-cases w into tz.lower, folding curly apostrophes and
// acronym plurals, and returns it.
func (tz *tokenizer) lowerWord(w string) []byte {
	b := tz.lower[:0]
	ascii := true
	for j := 0; j < len(w); j++ {
		if w[j] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		// Acronym plural: "SFOs" -> "sfo" (Porter2 would keep the s).
		if n := len(w); n >= 3 && w[n-1] == 's' && isUpperRun(w[:n-1]) {
			w = w[:n-1]
		}
		for j := 0; j < len(w); j++ {
			c := w[j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	} else {
		b = append(b, bytes.ToLower([]byte(w))...)
		b = bytes.ReplaceAll(b, []byte("\u2019"), []byte("'"))
		b = bytes.ReplaceAll(b, []byte("\u2018"), []byte("'"))
	}
	tz.lower = b
	return b
}

func isUpperRun(w string) bool {
	if len(w) < 2 {
		return false
	}
	for j := 0; j < len(w); j++ {
		if c := w[j]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
