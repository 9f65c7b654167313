package text

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AppendTokens appends the tokens of s to dst and returns the extended
// slice. The tokens are prose v2.0.0's, token for token (see the package
// comment); they are substrings of s, or of a copy of a word of s that
// holds curly quotes or "&rsquo;", so no other token is allocated on its
// own.
func AppendTokens(dst []string, s string) []string {
	var sc Scan
	sc.Reset(s)
	o := tokenOut{dst: dst}
	o.tokens(&sc)
	return o.dst
}

// TokenCount returns len(AppendTokens(nil, s)) without building the slice:
// the same rules, counting where AppendTokens appends.
func TokenCount(s string) int {
	var sc Scan
	sc.Reset(s)
	return TokenCountScan(&sc)
}

// TokenCountScan is TokenCount of the scanned text: it reads the scan's
// fields and flags, and the bytes of only those words that are not plain
// letters and digits.
func TokenCountScan(sc *Scan) int {
	o := tokenOut{count: true}
	o.tokens(sc)
	return o.n
}

// tokenOut receives tokens: it appends them to dst, or counts them in n
// when count is set.
type tokenOut struct {
	dst   []string
	n     int
	count bool
}

func (o *tokenOut) add(s string) {
	if o.count {
		o.n++
		return
	}
	o.dst = append(o.dst, s)
}

// tokens sends the tokens of the scanned text to o.
//
// prose splits at Go's white space, which is the scan's less U+001C..U+001F
// (GapPySep): those bytes belong to prose's words. A text that has one is
// split again at Go's white space (rare, and slower); in any other the
// scan's fields are prose's words. A word with none of the byte kinds
// below (ASCII letters and digits only) is one token without a look at its
// bytes.
func (o *tokenOut) tokens(sc *Scan) {
	if hasPySep(sc) {
		for _, w := range strings.FieldsFunc(sc.Text, unicode.IsSpace) {
			o.word(w, FieldOther)
		}
		return
	}
	for _, f := range sc.Fields {
		o.word(sc.Text[f.S:f.E], f.Flags)
	}
}

// hasPySep reports whether the scanned text holds one of U+001C..U+001F.
func hasPySep(sc *Scan) bool {
	if sc.Trail&GapPySep != 0 {
		return true
	}
	for _, f := range sc.Fields {
		if f.Flags&GapPySep != 0 {
			return true
		}
	}
	return false
}

// word sends the tokens of one of prose's words to o; flags are its Field
// flags (FieldOther, when not known, has its bytes looked at).
func (o *tokenOut) word(w string, flags uint16) {
	var kinds uint8
	if flags&(FieldHigh|FieldOther) != 0 {
		// sanitize makes prose's replacements first (within a word:
		// none holds white space).
		w = sanitize(w)
		_, kinds = scanWord(w, 0)
	}
	switch {
	case kinds == 0:
		// ASCII letters and digits only, which no rule splits (the
		// few such emoticons, "xD" or "8D", are kept whole too).
		o.add(w)
	case o.count && kinds == wbOther:
		if n := countWordPunct(w); n > 0 {
			o.n += n
			break
		}
		o.splitWord(w, kinds)
	default:
		o.splitWord(w, kinds)
	}
}

// scanWord returns the end of the word starting at s[i] (not white space)
// and the union of the wordByte kinds of its bytes.
//
// It reads eight bytes at a time: the bytes before the first one below
// 0x21 (white space, control characters) or above 0x7F (a multi-byte rune)
// are classified together with bit tricks, and that byte alone; most words
// take one or two steps. scanWordScalar is the byte loop it is tested
// against.
func scanWord(s string, i int) (int, uint8) {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	var kinds uint8
	for {
		for i+8 <= len(s) {
			x := load64(s, i)
			// Borrows run only upwards from a flagged byte, so the lowest
			// flag is exact.
			special := ((x-0x21*lo)&^x | x) & hi
			n, m := 8, uint64(hi)
			if special != 0 {
				n = bits.TrailingZeros64(special) >> 3
				m &= 1<<(8*uint(n)) - 1
			}
			// The n bytes under m are in 0x21..0x7F, so these sums never
			// carry into the next byte: b+0x50 reaches 0x80 iff b >= '0',
			// b+0x46 iff b > '9'; likewise for 'A'..'Z' and 'a'..'z'.
			digit := (x + 0x50*lo) &^ (x + 0x46*lo)
			upper := (x + 0x3F*lo) &^ (x + 0x25*lo)
			lower := (x + 0x1F*lo) &^ (x + 0x05*lo)
			if ^(digit|upper|lower)&m != 0 {
				kinds |= wbOther
				// A zero byte of z is an apostrophe; (z-lo)&^z flags the
				// lowest zero exactly, and any flag under m has a true zero
				// under m at or below it.
				if z := x ^ 0x27*lo; (z-lo)&^z&m != 0 {
					kinds |= wbApos
				}
			}
			i += n
			if n < 8 {
				break
			}
		}
		if i >= len(s) {
			return len(s), kinds
		}
		k := wordByte[s[i]]
		if k&wbSpace != 0 {
			return i, kinds
		}
		if k&wbHigh != 0 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return i, kinds
			}
			kinds |= k
			i += size
			continue
		}
		kinds |= k
		i++
	}
}

// scanWordScalar is scanWord a byte (or rune) at a time.
func scanWordScalar(s string, i int) (int, uint8) {
	var kinds uint8
	for i < len(s) {
		k := wordByte[s[i]]
		if k&wbSpace != 0 {
			break
		}
		if k&wbHigh != 0 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			kinds |= k
			i += size
			continue
		}
		kinds |= k
		i++
	}
	return i, kinds
}

// countWordPunct counts the tokens of a word of ASCII letters and digits
// followed by trailing punctuation only ("word," "it?!" "Mr."), the most
// common kind of word splitWord splits, or returns 0 for any other word.
//
// splitWord peels such a word's trailing marks one by one, each a token,
// and emits the letters and digits as one: 1 + k tokens for k marks. The
// special words it keeps whole cannot change that count here but in one
// case: an emoticon of letters and digits ("xD") is one token either way,
// an initialism holds a period between letters, so only a short title
// ("Mr." "Mrs.": a capital, one or two small letters and a period) ends
// the peeling early, keeping its period: one token fewer.
func countWordPunct(w string) int {
	i := 0
	for i < len(w) && asciiAlnum[w[i]] {
		i++
	}
	if i == 0 || i == len(w) {
		return 0
	}
	for j := i; j < len(w); j++ {
		if !isSuffix(w[j]) || w[j] == '\'' {
			return 0
		}
	}
	n := 1 + len(w) - i
	if w[i] == '.' && isShortTitle(w[:i+1]) {
		n--
	}
	return n
}

// Byte kinds for tokens: what a word holds besides ASCII letters and
// digits.
const (
	wbSpace = 1 << iota // ASCII white space (ends the word)
	wbOther             // other ASCII
	wbApos              // an apostrophe (a possible contraction)
	wbHigh              // part of a multi-byte rune
)

var wordByte = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = wbHigh
		case asciiSpace[c]:
			t[c] = wbSpace
		case c == '\'':
			t[c] = wbOther | wbApos
		case !asciiAlnum[c]:
			t[c] = wbOther
		}
	}
	return t
}()

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// sanitize makes the replacements prose makes before splitting (with a
// strings.Replacer): curly double quotes to ", curly single quotes and
// "&rsquo;" to '. No pattern is a prefix of another, so replacing each
// occurrence from left to right is what the Replacer does. Text without
// them (most comments) is returned as is.
func sanitize(s string) string { return straighten(s, quoteAt) }

// straightenLead marks the bytes a sequence straighten replaces can start
// with: 0xE2 (U+2000..U+2FFF), 0xC2 (U+0080..U+00BF) and '&'.
var straightenLead = [256]bool{0xE2: true, 0xC2: true, '&': true}

// straighten returns s with each sequence at reports (its byte length at
// s[i] and the ASCII written for it, 0 where there is none; every one
// starts with a straightenLead byte and is no shorter than its ASCII)
// written as that ASCII. s itself when it holds none.
func straighten(s string, at func(string, int) (int, string)) string {
	i := 0
	for ; i < len(s); i++ {
		if straightenLead[s[i]] {
			if n, _ := at(s, i); n > 0 {
				break
			}
		}
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	last := 0
	for i < len(s) {
		if straightenLead[s[i]] {
			if n, r := at(s, i); n > 0 {
				b = append(b, s[last:i]...)
				b = append(b, r...)
				i += n
				last = i
				continue
			}
		}
		i++
	}
	return string(append(b, s[last:]...))
}

// quoteAt returns the length of the sequence sanitize replaces at s[i]
// (a typographic apostrophe, ApostropheAt, or U+201C or U+201D) and its
// replacement, or 0.
func quoteAt(s string, i int) (int, string) {
	if n := ApostropheAt(s, i); n > 0 {
		return n, "'"
	}
	if i+2 < len(s) && s[i] == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0x9C || s[i+2] == 0x9D) {
		return 3, `"`
	}
	return 0, ""
}

// splitWord appends the tokens of one white-space-free word, following
// prose's loop: at each step, in this order,
//
//  1. a special word (an emoticon, or an abbreviation such as "U.S." or
//     "Mr.") is emitted whole and the loop ends;
//  2. a leading $ ( " or [ is split off (when more follows);
//  3. the word is cut before the first 'll, 's, 're or 'm (searched for in
//     that order, case-insensitively), when the word is longer than the
//     ending; then likewise before n't;
//  4. a trailing , ) " ] ! ; . ? : or ' is split off (when more precedes)
//     and kept to be emitted after everything else;
//  5. otherwise the word is emitted and the loop ends.
//
// The loop also ends when a step leaves the word's rune count unchanged,
// which happens when step 3 finds the ending at the very start of the word
// ("'re." or "'sake"): prose then drops the rest of the word. We do too.
//
// kinds says what the word holds (see wordByte): an ASCII word's rune
// count is its length, and a word without an apostrophe has no
// contraction.
func (o *tokenOut) splitWord(word string, kinds uint8) {
	ascii, apos := kinds&wbHigh == 0, kinds&wbApos != 0
	lo, hi := 0, len(word) // the word still being split is word[lo:hi]
	last := 0
	for lo < hi {
		w := word[lo:hi]
		n := hi - lo
		if !ascii {
			n = utf8.RuneCountInString(w)
		}
		if n == last {
			break
		}
		if isSpecial(w) {
			o.addNonSpace(w)
			break
		}
		last = n
		if len(w) > 1 && isPrefix(w[0]) {
			o.add(w[:1])
			lo++
			continue
		}
		if apos {
			if idx := contractionIndex(w); idx >= 0 {
				o.addNonSpace(w[:idx])
				lo += idx
				continue
			}
		}
		if len(w) > 1 && isSuffix(w[len(w)-1]) {
			hi--
		} else {
			o.addNonSpace(w)
		}
	}
	// The trailing bytes split off, one token each, in reading order.
	for ; hi < len(word); hi++ {
		o.add(word[hi : hi+1])
	}
}

// addNonSpace adds s unless it is empty or all white space, as prose's
// addToken does.
func (o *tokenOut) addNonSpace(s string) {
	if s == "" {
		return
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			// Words hold no white space rune, but a piece cut inside a
			// rune (see contractionIndex) is checked as prose checks it.
			if strings.TrimSpace(s) == "" {
				return
			}
			break
		}
	}
	o.add(s)
}

// asciiAlnum marks ASCII letters and digits.
var asciiAlnum = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isPrefix(c byte) bool { return c == '$' || c == '(' || c == '"' || c == '[' }

func isSuffix(c byte) bool {
	switch c {
	case ',', ')', '"', ']', '!', ';', '.', '?', ':', '\'':
		return true
	}
	return false
}

// contractionIndex returns where prose cuts w for a contraction, or -1.
//
// prose searches the lower-cased word for 'll, 's, 're and 'm in that order
// and takes the first index of the first ending found, provided the word is
// longer than the ending; failing all four, it does the same for n't. Every
// ending holds an apostrophe, so a word without one is done at once. For an
// ASCII word the search is case-insensitive on the word itself; otherwise
// the word is lower-cased as prose does, and the index found in the
// lower-cased copy is used on the word even where case mapping changed its
// length in bytes (prose's behaviour; where that index falls beyond the
// word, prose panics, and we report no contraction instead).
func contractionIndex(w string) int {
	if strings.IndexByte(w, '\'') < 0 {
		return -1
	}
	lower := w
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		lower = strings.ToLower(w)
	}
	idx := -1
	for _, end := range contractionEndings {
		if idx = indexFold(lower, end, ascii); idx >= 0 && len(lower) > len(end) {
			break
		}
		idx = -1
	}
	if idx < 0 {
		if idx = indexFold(lower, "n't", ascii); idx < 0 || len(lower) <= len("n't") {
			return -1
		}
	}
	if idx > len(w) {
		return -1
	}
	return idx
}

var contractionEndings = [...]string{"'ll", "'s", "'re", "'m"}

// indexFold finds the lower-case ASCII pattern pat in s: case-insensitively
// when fold is set (s is ASCII and not lower-cased), exactly otherwise.
func indexFold(s, pat string, fold bool) int {
	if !fold {
		return strings.Index(s, pat)
	}
	// pat starts with a letter or an apostrophe; find each apostrophe.
	apos := strings.IndexByte(pat, '\'')
	for from := 0; ; {
		k := strings.IndexByte(s[from:], '\'')
		if k < 0 {
			return -1
		}
		k += from
		start := k - apos
		if start >= 0 && start+len(pat) <= len(s) && equalFoldASCII(s[start:start+len(pat)], pat) {
			return start
		}
		from = k + 1
	}
}

// equalFoldASCII reports whether s lower-cased (ASCII only) equals lower.
func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// isSpecial reports whether prose keeps w whole: an emoticon of its list,
// or a word matching ^(?:[A-Za-z]\.){2,}$ ("U.S.") or ^[A-Z][a-z]{1,2}\.$
// ("Mr.", "Mrs.").
func isSpecial(w string) bool {
	if isInitialism(w) || isShortTitle(w) {
		return true
	}
	if len(w) < emoticonMinLen || len(w) > emoticonMaxLen {
		return false
	}
	for _, e := range emoticonsByFirst[w[0]] {
		if e == w {
			return true
		}
	}
	return false
}

func isInitialism(w string) bool {
	if len(w) < 4 || len(w)%2 != 0 {
		return false
	}
	for i := 0; i < len(w); i += 2 {
		if !isASCIILetter(w[i]) || w[i+1] != '.' {
			return false
		}
	}
	return true
}

func isShortTitle(w string) bool {
	if len(w) < 3 || len(w) > 4 || w[len(w)-1] != '.' || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	for i := 1; i < len(w)-1; i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// emoticonList is the set of emoticons prose v2.0.0 keeps whole (its
// tokenizer's table, one per field). TestEmoticonsMatchProse checks every
// entry against prose and TestTokensMatchProse checks near misses.
const emoticonList = `(-8 (-; (-_-) (._.) (: (= (o: (¬_¬) (ಠ_ಠ) (╯°□°）╯︵┻━┻ -__- 8-) 8-D 8D
:( :(( :((( :() :))) :-) :-)) :-))) :-* :-/ :-X :-] :-o :-p :-x :-| :-} :0 :3 :P :] :` + "`" + `( :` + "`" + `) :` + "`" + `-(
:o :o) =( =) =D =| @_@ O.o O_o V_V XDD [-: ^___^ o_0 o_O o_o v_v xD xDD ¯\(ツ)/¯`

// emoticons, emoticonsByFirst (the emoticons by first byte: a short list
// to scan is cheaper than a map lookup) and the length bounds are built
// once from emoticonList and only read afterwards.
var (
	emoticons                      = map[string]struct{}{}
	emoticonsByFirst               [256][]string
	emoticonMinLen, emoticonMaxLen = 1 << 30, 0
)

func init() {
	for _, e := range strings.Fields(emoticonList) {
		emoticons[e] = struct{}{}
		emoticonsByFirst[e[0]] = append(emoticonsByFirst[e[0]], e)
		emoticonMinLen = min(emoticonMinLen, len(e))
		emoticonMaxLen = max(emoticonMaxLen, len(e))
	}
}
