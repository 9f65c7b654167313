package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AppendTokens appends the tokens of s to dst and returns the extended
// slice. The tokens are prose v2.0.0's, token for token (see the package
// comment); they are substrings of s, or of a copy of s when s holds curly
// quotes or "&rsquo;", so no token is allocated on its own.
func AppendTokens(dst []string, s string) []string {
	s = sanitize(s)
	for i := 0; i < len(s); {
		// Skip white space.
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		// A run of non-space runes.
		j := i
		for j < len(s) {
			c := s[j]
			if c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				j++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		dst = splitWord(dst, s[i:j])
		i = j
	}
	return dst
}

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// sanitize makes the replacements prose makes before splitting: curly
// double quotes to ", curly single quotes and "&rsquo;" to '. Text without
// them (most comments) is returned as is, without scanning it twice.
func sanitize(s string) string {
	// Every replaced sequence starts with 0xE2 (U+2018..U+201D) or '&'.
	if strings.IndexByte(s, 0xE2) < 0 && strings.IndexByte(s, '&') < 0 {
		return s
	}
	return quoteReplacer.Replace(s)
}

var quoteReplacer = strings.NewReplacer(
	"\u201c", `"`,
	"\u201d", `"`,
	"\u2018", "'",
	"\u2019", "'",
	"&rsquo;", "'")

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
func splitWord(dst []string, word string) []string {
	// Most words are plain ASCII letters and digits, which no rule splits
	// (the few such emoticons, "xD" or "8D", are kept whole too).
	plain := true
	for i := 0; i < len(word); i++ {
		if !asciiAlnum[word[i]] {
			plain = false
			break
		}
	}
	if plain {
		return append(dst, word)
	}
	lo, hi := 0, len(word) // the word still being split is word[lo:hi]
	last := 0
	for lo < hi {
		w := word[lo:hi]
		n := runeCount(w)
		if n == last {
			break
		}
		if isSpecial(w) {
			dst = appendNonSpace(dst, w)
			break
		}
		last = n
		if len(w) > 1 && isPrefix(w[0]) {
			dst = append(dst, w[:1])
			lo++
		} else if idx := contractionIndex(w); idx >= 0 {
			dst = appendNonSpace(dst, w[:idx])
			lo += idx
		} else if len(w) > 1 && isSuffix(w[len(w)-1]) {
			hi--
		} else {
			dst = appendNonSpace(dst, w)
		}
	}
	// The trailing bytes split off, one token each, in reading order.
	for ; hi < len(word); hi++ {
		dst = append(dst, word[hi:hi+1])
	}
	return dst
}

// runeCount is utf8.RuneCountInString with a shortcut for ASCII words.
func runeCount(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

// appendNonSpace appends s unless it is empty or all white space, as
// prose's addToken does.
func appendNonSpace(dst []string, s string) []string {
	if s == "" {
		return dst
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			// Words hold no white space rune, but a piece cut inside a
			// rune (see contractionIndex) is checked as prose checks it.
			if strings.TrimSpace(s) == "" {
				return dst
			}
			break
		}
	}
	return append(dst, s)
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
	if len(w) < emoticonMinLen || len(w) > emoticonMaxLen || !emoticonFirst[w[0]] {
		return false
	}
	_, ok := emoticons[w]
	return ok
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

// emoticons, emoticonFirst and the length bounds are built once from
// emoticonList and only read afterwards.
var (
	emoticons                      = map[string]struct{}{}
	emoticonFirst                  [256]bool
	emoticonMinLen, emoticonMaxLen = 1 << 30, 0
)

func init() {
	for _, e := range strings.Fields(emoticonList) {
		emoticons[e] = struct{}{}
		emoticonFirst[e[0]] = true
		emoticonMinLen = min(emoticonMinLen, len(e))
		emoticonMaxLen = max(emoticonMaxLen, len(e))
	}
}
