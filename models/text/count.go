package text

import (
	"math/bits"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// SentenceCount returns len(sg.Sentences(s)) without building the
// sentences.
//
// The pipeline stores only how many sentences a comment has, and Sentences
// spent most of its time in the Punkt library's annotation passes, which
// reach every token through interfaces, allocate a lower-cased type string
// (and a rune slice, a split and a joined collocation key) per token and a
// pair slice per line. SentenceCount runs the same model (the same training
// data, the same abbreviations, the same three passes in the same order,
// over the same word tokens as punktWords.Tokenize) with the types built in
// a reused buffer and looked up without allocating, and counts the breaks.
//
// A sentence of Sentences is the text between two breaks, trimmed, and kept
// when not empty. Every break token ends a non-empty one (its own word lies
// between the previous break and it), so the count is the number of breaks
// plus one when text after the last break is not all white space.
// TestCounts* and FuzzCounts compare the count with len(Sentences) on the
// sample, the seeds, tricky strings and random texts.
func (sg *Segmenter) SentenceCount(s string) int {
	var ps *punktScratch
	n := 0
	for {
		i := strings.IndexByte(s, '\n')
		line := s
		if i >= 0 {
			line = s[:i]
		}
		if p := indexSentPunct(line); p < 0 {
			// As in Sentences: no . ! or ?, no break inside the line.
			if !isBlank(line) {
				n++
			}
		} else {
			if ps == nil {
				ps = sg.scratch.Get().(*punktScratch)
			}
			n += sg.countLine(line, p, ps)
		}
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	if ps != nil {
		ps.release(&sg.scratch)
	}
	return n
}

// isBlank reports whether strings.TrimSpace(s) == "".
func isBlank(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiSpace[c] {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return false
		}
		i += size
	}
	return true
}

// ptok is a word token of the Punkt model: its text, the offset of the
// white space after it, and the two annotations the passes set.
type ptok struct {
	tok       string
	pos       int
	sentBreak bool
	abbr      bool
}

// punktScratch holds SentenceCount's per-call buffers.
type punktScratch struct {
	toks     []ptok
	typ, nxt []byte // types of the two tokens of a pair
	key      []byte // collocation key, or the abbreviation candidate
}

func (ps *punktScratch) release(pool *sync.Pool) {
	if cap(ps.toks) > 1<<12 || cap(ps.key) > 1<<12 || cap(ps.typ) > 1<<12 || cap(ps.nxt) > 1<<12 {
		return // one huge line: do not keep its buffers for the process's life
	}
	clear(ps.toks) // drop references to the text
	ps.toks = ps.toks[:0]
	pool.Put(ps)
}

// countLine counts the sentences Sentences makes of one line whose first
// . ! or ? is at p.
func (sg *Segmenter) countLine(line string, p int, ps *punktScratch) int {
	toks := periodContextTokens(ps.toks[:0], line, p)
	ps.toks = toks
	st := sg.punkt.Storage
	// Pass 1, the library's TypeBasedAnnotation.
	for i := range toks {
		t := &toks[i]
		if hasSentEndChars(t.tok) {
			t.sentBreak = true
		} else if strings.HasSuffix(t.tok, ".") && !strings.HasSuffix(t.tok, "..") {
			// The library cuts the token at its rune count less one, as a
			// byte index: more than the period when the token has
			// multi-byte runes.
			ps.key = appendLower(ps.key[:0], t.tok[:utf8.RuneCountInString(t.tok)-1])
			last := ps.key
			if h := lastIndexByte(last, '-'); h >= 0 {
				last = last[h+1:]
			}
			if st.AbbrevTypes[string(ps.key)] != 0 || st.AbbrevTypes[string(last)] != 0 {
				t.abbr = true
			} else {
				t.sentBreak = true
			}
		}
	}
	// Pass 2, the library's TokenBasedAnnotation, over each pair in order.
	for i := 0; i+1 < len(toks); i++ {
		sg.tokenPair(&toks[i], &toks[i+1], ps)
	}
	// Pass 3, multiPunct.
	for i := 0; i+1 < len(toks); i++ {
		one, two := &toks[i], &toks[i+1]
		if !hasDottedRun(one.tok) || isInitial(one.tok) {
			continue
		}
		one.abbr = true
		one.sentBreak = false
		ps.nxt = typeNoSentPeriod(ps.nxt[:0], two)
		if sg.orthoHeuristic(two, ps.nxt) == 1 || firstUpper(two.tok) && st.SentStarters[string(ps.nxt)] != 0 {
			one.sentBreak = true
		}
	}
	n, last := 0, 0
	for i := range toks {
		if toks[i].sentBreak {
			n++
			last = toks[i].pos
		}
	}
	if last != len(line) && !isBlank(line[last:]) {
		n++
	}
	return n
}

// tokenPair is the library's TokenBasedAnnotation.tokenAnnotation for two
// adjacent tokens.
func (sg *Segmenter) tokenPair(one, two *ptok, ps *punktScratch) {
	if !strings.HasSuffix(one.tok, ".") {
		return
	}
	st := sg.punkt.Storage
	ps.typ = typeNoPeriod(ps.typ[:0], one.tok)
	ps.nxt = typeNoSentPeriod(ps.nxt[:0], two)
	typ, next := ps.typ, ps.nxt
	initial := isInitial(one.tok)
	// Collocation heuristic.
	ps.key = append(append(append(ps.key[:0], typ...), ','), next...)
	if st.Collocations[string(ps.key)] != 0 {
		one.sentBreak = false
		one.abbr = true
		return
	}
	// An abbreviation or ellipsis may also end a sentence.
	if (one.abbr || strings.HasSuffix(one.tok, "..")) && !initial {
		if sg.orthoHeuristic(two, next) == 1 {
			one.sentBreak = true
			return
		}
		if firstUpper(two.tok) && st.SentStarters[string(next)] != 0 {
			one.sentBreak = true
			return
		}
	}
	// A spaced ellipsis ". . .".
	if one.tok == "." && two.tok == "." {
		one.sentBreak = false
		two.sentBreak = false
		return
	}
	// Initials and ordinals.
	if initial || string(typ) == "##number##" {
		h := sg.orthoHeuristic(two, next)
		if h == 0 {
			one.sentBreak = false
			one.abbr = true
			return
		}
		if h == -1 && initial && firstUpper(two.tok) && st.OrthoContext[string(next)]&orthoLc == 0 {
			one.sentBreak = false
			one.abbr = true
		}
	}
}

// The library's orthographic context flags (unexported there).
const (
	orthoBegUc = 1 << 1
	orthoMidUc = 1 << 2
	orthoUnkUc = 1 << 3
	orthoBegLc = 1 << 4
	orthoMidLc = 1 << 5
	orthoUnkLc = 1 << 6
	orthoUc    = orthoBegUc + orthoMidUc + orthoUnkUc
	orthoLc    = orthoBegLc + orthoMidLc + orthoUnkLc
)

// orthoHeuristic is the library's OrthoContext.Heuristic for token t
// whose TypeNoSentPeriod is typ: 1 if t starts a sentence, 0 if it does
// not, -1 if unknown.
func (sg *Segmenter) orthoHeuristic(t *ptok, typ []byte) int {
	if len(t.tok) == 1 && strings.IndexByte(";:,.!?", t.tok[0]) >= 0 {
		return 0
	}
	ctx := sg.punkt.Storage.OrthoContext[string(typ)]
	if firstUpper(t.tok) && ctx&orthoLc > 0 && ctx&orthoMidUc == 0 {
		return 1
	}
	if firstLower(t.tok) && (ctx&orthoUc > 0 || ctx&orthoBegLc == 0) {
		return 0
	}
	return -1
}

// appendType appends punktWords.Type of tok: lower-cased, a trailing
// number replaced by "##number##", commas removed unless one byte long.
func appendType(dst []byte, tok string) []byte {
	start := len(dst)
	dst = appendLower(dst, tok)
	if s := numberSuffix(dst[start:]); s >= 0 {
		dst = append(dst[:start+s], "##number##"...)
	}
	if len(dst)-start == 1 {
		return dst
	}
	w := start
	for r := start; r < len(dst); r++ {
		if dst[r] != ',' {
			dst[w] = dst[r]
			w++
		}
	}
	return dst[:w]
}

// typeNoPeriod appends punktWords.TypeNoPeriod of tok.
func typeNoPeriod(dst []byte, tok string) []byte {
	start := len(dst)
	dst = appendType(dst, tok)
	if len(dst)-start > 1 && dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// typeNoSentPeriod appends punktWords.TypeNoSentPeriod of t.
func typeNoSentPeriod(dst []byte, t *ptok) []byte {
	if t.sentBreak {
		return typeNoPeriod(dst, t.tok)
	}
	return appendType(dst, t.tok)
}

// appendLower appends strings.ToLower(s) to dst, without allocating for
// ASCII text.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(dst, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func lastIndexByte(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// periodContextTokens appends the tokens punktWords.Tokenize(text, true)
// makes, given the offset p of the text's first . ! or ?: the words (runs
// of non-space runes) that hold . ! or ? and each word after one of those;
// a word's position is the offset of the white space after it (the text's
// length when that space is its last byte); a word ending the text is
// kept only when the text's last rune is one byte long; no word at all
// gives one token of the whole text.
//
// Only those words are visited: the next . ! or ? is found eight bytes at
// a time, its word's start by scanning back to white space (a valid rune
// is found alike forwards and backwards, and white space is only ever a
// valid rune), and the words after it by scanning on.
func periodContextTokens(dst []ptok, text string, p int) []ptok {
	n := len(text)
	start := len(dst)
	done := 0 // text[:done] has been tokenized
	for p >= 0 {
		// The word holding text[p] starts after the last white space
		// before it.
		ws := p
		for ws > done {
			c := text[ws-1]
			if c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				ws--
				continue
			}
			r, size := utf8.DecodeLastRuneInString(text[done:ws])
			if unicode.IsSpace(r) {
				break
			}
			ws -= size
		}
		// That word and every word after one with . ! or ?.
		i := ws
		for {
			var word string
			var punct, kept bool
			word, i, punct, kept = nextWord(text, i)
			if word == "" {
				return periodContextEnd(dst, start, text)
			}
			if kept {
				cursor := i
				if i == n-1 { // a one-byte space ends the text
					cursor = n
				}
				dst = append(dst, ptok{tok: word, pos: cursor})
			}
			if !punct || !kept {
				break
			}
		}
		done = i
		if p = indexSentPunct(text[i:]); p >= 0 {
			p += i
		}
	}
	return periodContextEnd(dst, start, text)
}

// nextWord skips white space from text[i:] and returns the word after it,
// the offset just past the word, whether the word holds . ! or ?, and
// whether the word is kept: false for a word ending the text whose last
// rune is longer than one byte. word is "" when only white space is left.
func nextWord(text string, i int) (word string, end int, punct, kept bool) {
	n := len(text)
	for i < n {
		if c := text[i]; c < utf8.RuneSelf {
			if !asciiSpace[c] {
				break
			}
			i++
		} else if r, size := utf8.DecodeRuneInString(text[i:]); unicode.IsSpace(r) {
			i += size
		} else {
			break
		}
	}
	ws, last := i, 0
	for i < n {
		switch byteKind[text[i]] {
		case kindPlain:
			i++
			last = 1
			continue
		case kindPunct:
			punct = true
			i++
			last = 1
			continue
		case kindSpace:
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsSpace(r) {
				i += size
				last = size
				continue
			}
		}
		break
	}
	return text[ws:i], i, punct, i < n || last == 1
}

// load64 reads s[i:i+8] as a little-endian word (one bounds check, and
// the compiler merges the byte loads into one).
func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// indexSentPunct returns the offset of the first . ! or ? in s, or -1,
// testing eight bytes at a time.
func indexSentPunct(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		// A byte of x^c*lo is zero where x has c; (y-lo)&^y&hi flags the
		// lowest zero byte exactly (borrows run only upwards from it).
		const lo, hi = 0x0101010101010101, 0x8080808080808080
		a, b, c := x^('.'*lo), x^('!'*lo), x^('?'*lo)
		if m := ((a-lo)&^a | (b-lo)&^b | (c-lo)&^c) & hi; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '.' || c == '!' || c == '?' {
			return i
		}
	}
	return -1
}

// Byte kinds for nextWord.
const (
	kindPlain = iota // an ASCII byte in a word
	kindSpace        // ASCII white space
	kindPunct        // . ! or ?
	kindHigh         // the start or middle of a multi-byte rune
)

var byteKind = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = kindHigh
		case asciiSpace[c]:
			t[c] = kindSpace
		case c == '.' || c == '!' || c == '?':
			t[c] = kindPunct
		}
	}
	return t
}()

// periodContextEnd adds the whole-text token when no word was kept.
func periodContextEnd(dst []ptok, start int, text string) []ptok {
	if len(dst) == start {
		dst = append(dst, ptok{tok: text, pos: len(text)})
	}
	return dst
}

// firstUpper and firstLower test the case of the token's first rune.
func firstUpper(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func firstLower(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf {
		return 'a' <= c && c <= 'z'
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// newPunktScratch is the pool's constructor.
func newPunktScratch() any { return new(punktScratch) }
