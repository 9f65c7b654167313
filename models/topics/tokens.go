package topics

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"

	"chorus/models/text"
)

// The tagger finds its words itself in the fields of the comment's
// text.Scan (the one scan every model reads) instead of using
// chorus/models/text's prose tokens: prose's tokenizer allocates a token struct per word and runs regular
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
	scan  text.Scan // the text's fields, when the caller did not scan it
}

// resolver maps lower-case words to vocabulary ids through their stems.
// Stemming is most of the cost of tagging, and comment text is Zipfian, so
// each resolver remembers the words it has seen (up to maxCache of them).
type resolver struct {
	vocab map[string]int32
	cache wordCache
}

const maxCache = 1 << 16

// id returns the vocabulary id of lower's stem, or -1. It may stem lower
// in place.
func (r *resolver) id(lower []byte) int32 { return r.idHashed(lower, hashBytes(lower)) }

// idHashed is id for a word whose hashBytes is h.
func (r *resolver) idHashed(lower []byte, h uint64) int32 {
	if id, ok := r.cache.get(lower, h); ok {
		return id
	}
	if r.cache.n >= maxCache {
		r.cache.reset()
	}
	key := r.cache.addKey(lower) // before stemBytes changes lower
	id, ok := r.vocab[string(stemBytes(lower))]
	if !ok {
		id = -1
	}
	r.cache.put(key, h, id)
	return id
}

// wordCache is the resolver's memory: an open-addressing hash table from
// word to id, its keys back to back in one buffer. It replaced a
// map[string]int32, whose lookups (hashing every byte, and an allocated
// string per new word) were a third of the cost of tokenizing.
type wordCache struct {
	slots []cacheSlot // power-of-two length, at most half full
	keys  []byte
	n     int // words held
}

type cacheSlot struct {
	hash   uint32 // high bits of the hash, to skip most compares
	off, n uint32 // key = keys[off : off+n-1]; n == 0 marks an empty slot
	id     int32
}

// cacheKey is where addKey stored a key.
type cacheKey struct{ off, n uint32 }

func (c *wordCache) get(key []byte, h uint64) (int32, bool) {
	if len(c.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(c.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &c.slots[i]
		if s.n == 0 {
			return 0, false
		}
		if s.hash == uint32(h>>32) && string(c.keys[s.off:s.off+s.n-1]) == string(key) {
			return s.id, true
		}
	}
}

// addKey copies key into the key buffer.
func (c *wordCache) addKey(key []byte) cacheKey {
	off := len(c.keys)
	c.keys = append(c.keys, key...)
	return cacheKey{uint32(off), uint32(len(key)) + 1}
}

// put adds the key stored by addKey, whose hash is h (it is not yet held).
func (c *wordCache) put(k cacheKey, h uint64, id int32) {
	if 2*(c.n+1) > len(c.slots) {
		c.grow()
	}
	c.insert(cacheSlot{hash: uint32(h >> 32), off: k.off, n: k.n, id: id}, h)
	c.n++
}

func (c *wordCache) insert(s cacheSlot, h uint64) {
	mask := uint64(len(c.slots) - 1)
	i := h & mask
	for c.slots[i].n != 0 {
		i = (i + 1) & mask
	}
	c.slots[i] = s
}

func (c *wordCache) grow() {
	old := c.slots
	c.slots = make([]cacheSlot, max(256, 2*len(old)))
	for _, s := range old {
		if s.n != 0 {
			c.insert(s, hashBytes(c.keys[s.off:s.off+s.n-1]))
		}
	}
}

func (c *wordCache) reset() {
	clear(c.slots)
	c.keys = c.keys[:0]
	c.n = 0
}

// The hash reads a word eight bytes at a time: most words take one
// multiply-rotate step and a final mix.
const (
	hashSeed = 0x9E3779B97F4A7C15
	hashMul  = 0xff51afd7ed558ccd
)

func hashBytes(b []byte) uint64 {
	h := uint64(hashSeed)
	n := len(b)
	for len(b) >= 8 {
		h = hashMix(h, binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	if len(b) > 0 {
		var x uint64
		for k := len(b) - 1; k >= 0; k-- {
			x = x<<8 | uint64(b[k])
		}
		h = hashMix(h, x)
	}
	return hashFinish(h, n)
}

// hashMix adds the next eight bytes of a word (zero-padded at its end),
// as a little-endian word; hashFinish mixes in the word's length.
func hashMix(h, x uint64) uint64 { return bits.RotateLeft64((h^x)*hashSeed, 31) }

func hashFinish(h uint64, n int) uint64 {
	h ^= uint64(n) * hashMul
	h ^= h >> 33
	h *= hashMul
	h ^= h >> 33
	return h
}

// tokenize fills tz.toks for s, with ids from r (all -1 when r is nil).
//
// ASCII bytes are classified by table (wordClass is for the rest), and an
// all-ASCII word is case-classified, lower-cased and hashed without
// further calls (asciiWord); other words take caseFlags and lowerWord.
func (tz *tokenizer) tokenize(s string, r *resolver) []token {
	tz.scan.Reset(s)
	return tz.tokenizeScan(&tz.scan, r)
}

// tokenizeScan is tokenize of the scanned text. Words lie within the
// scan's fields, so only the fields are read, and the white space between
// them only for the '\n' that ends a sentence (GapNewline), with one
// exception: U+1680, white space to the scan, is a letter here, so a gap
// holding it (GapOgham) is read as text, and a word may run on through it.
func (tz *tokenizer) tokenizeScan(sc *text.Scan, r *resolver) []token {
	s, fields := sc.Text, sc.Fields
	tz.toks = tz.toks[:0]
	boundary := true
	i, prevEnd := 0, 0
	for k := 0; k <= len(fields); k++ {
		from, end, gap := len(s), len(s), sc.Trail
		if k < len(fields) {
			from, end, gap = int(fields[k].S), int(fields[k].E), fields[k].Flags
		}
		if gap&text.GapOgham != 0 {
			from = prevEnd
		} else if gap&text.GapNewline != 0 {
			boundary = true
		}
		prevEnd = end
		i = max(i, from)
		i, boundary = tz.words(s, i, end, boundary, r)
	}
	return tz.toks
}

// words appends the words starting in s[i:end] to tz.toks, flagging the
// first with boundary (a sentence or line break before it, seen so far).
// It returns where it stopped (past end when a word runs on) and the
// boundary state.
func (tz *tokenizer) words(s string, i, end int, boundary bool, r *resolver) (int, bool) {
	for i < end {
		if c := s[i]; c < 0x80 {
			if asciiWordByte[c] {
				goto word
			}
			if isBoundaryByte(c) {
				boundary = true
			}
			i++
			continue
		}
		if cl, n := wordClass(s, i); cl != 1 {
			i += n
			continue
		}
	word:
		start := i
		// Most words are ASCII letters and digits: find where that run
		// ends, eight bytes at a time. If a word rune or an apostrophe
		// follows, the word may go on: the loop below takes it from the
		// start.
		var lower []byte
		var flags uint8
		var h uint64
		if i, flags, lower, h = tz.asciiRun(s, i); i == len(s) || s[i] < 0x80 && s[i] != '\'' {
			t := token{start: int32(start), end: int32(i), id: -1, flags: flags}
			if r != nil {
				t.id = r.idHashed(lower, h)
			}
			if boundary {
				t.flags |= flagBoundary
				boundary = false
			}
			tz.toks = append(tz.toks, t)
			continue
		}
		i = start
		ascii := true
		for i < len(s) {
			c := s[i]
			if c < 0x80 && asciiWordByte[c] {
				i++
				continue
			}
			cl, n := wordClass(s, i)
			if cl == 1 {
				ascii = false
				i += n
				continue
			}
			if cl == 2 && i+n < len(s) {
				if c2, n2 := wordClass(s, i+n); c2 == 1 {
					ascii = ascii && n == 1 && n2 == 1
					i += n + n2
					continue
				}
			}
			break
		}
		t := token{start: int32(start), end: int32(i), id: -1}
		w := s[start:i]
		if ascii {
			var lower []byte
			t.flags, lower = tz.asciiWord(w)
			if r != nil {
				t.id = r.id(lower)
			}
		} else {
			t.flags = caseFlags(w)
			if r != nil {
				t.id = r.id(tz.lowerWord(w))
			}
		}
		if boundary {
			t.flags |= flagBoundary
			boundary = false
		}
		tz.toks = append(tz.toks, t)
	}
	return i, boundary
}

// asciiWordByte marks the ASCII bytes wordClass puts in words (class 1).
var asciiWordByte = func() (t [128]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

// SWAR constants: 0x01 and 0x80 in every byte.
const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// load64 reads s[i:i+8] as a little-endian word.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// upperBytes and lowerBytes flag (0x80) the bytes of x in 'A'..'Z' and
// 'a'..'z'. Every byte of x must be below 0x80, so the sums never carry
// into the next byte: b+0x3F reaches 0x80 iff b >= 'A', b+0x25 iff
// b > 'Z'; likewise 0x1F and 0x05 for 'a'..'z', 0x50 and 0x46 for
// '0'..'9'.
func upperBytes(x uint64) uint64 { return (x + 0x3F*lo8) &^ (x + 0x25*lo8) & hi8 }
func lowerBytes(x uint64) uint64 { return (x + 0x1F*lo8) &^ (x + 0x05*lo8) & hi8 }
func digitBytes(x uint64) uint64 { return (x + 0x50*lo8) &^ (x + 0x46*lo8) & hi8 }

// asciiRun scans the run of ASCII letters and digits starting at s[i]
// eight bytes at a time, and returns its end with caseFlags and lowerWord
// of it (lowerWord's result in tz.lower) and that result's hashBytes,
// computed on the way.
func (tz *tokenizer) asciiRun(s string, i int) (int, uint8, []byte, uint64) {
	// Most words end within the first eight bytes: one step, few live
	// values.
	if i+8 <= len(s) && cap(tz.lower) >= 8 {
		x := load64(s, i)
		y := x &^ hi8
		u, l := upperBytes(y), lowerBytes(y)
		if bad := (^(u | l | digitBytes(y)) | x) & hi8; bad != 0 {
			n := bits.TrailingZeros64(bad) >> 3
			if w := s[i : i+n]; n > 0 && (n < 3 || w[n-1] != 's') {
				m := uint64(1)<<(8*uint(n)) - 1
				u, l = u&m, l&m
				lc := (y | u>>2) & m // +0x20 lower-cases A-Z
				b := tz.lower[:8]
				binary.LittleEndian.PutUint64(b, lc)
				tz.lower = b[:n]
				letters := u | l
				first := u&(letters&-letters) != 0 // the first letter is the lowest flagged byte
				return i + n, countFlags(n, bits.OnesCount64(u), bits.OnesCount64(l), first, w[n-1]),
					tz.lower, hashFinish(hashMix(hashSeed, lc), n)
			}
		}
	}
	start := i
	b := tz.lower[:0]
	upper, lower := 0, 0
	firstUpper, seen := false, false
	h := uint64(hashSeed)
	for i+8 <= len(s) {
		x := load64(s, i)
		y := x &^ hi8 // every byte below 0x80, for the range tests
		u, l := upperBytes(y), lowerBytes(y)
		bad := (^(u | l | digitBytes(y)) | x) & hi8 // not alnum, or >= 0x80
		n := 8
		if bad != 0 {
			n = bits.TrailingZeros64(bad) >> 3
			m := uint64(1)<<(8*uint(n)) - 1
			u, l, y = u&m, l&m, y&m
		}
		if !seen {
			if letters := u | l; letters != 0 {
				// The first letter is the lowest flagged byte.
				seen, firstUpper = true, u&(letters&-letters) != 0
			}
		}
		upper += bits.OnesCount64(u)
		lower += bits.OnesCount64(l)
		if cap(b)-len(b) < 8 {
			b = slices.Grow(b, 64)
		}
		lc := y | u>>2 // +0x20 lower-cases A-Z
		binary.LittleEndian.PutUint64(b[len(b):len(b)+8], lc)
		b = b[:len(b)+n]
		i += n
		if n > 0 {
			h = hashMix(h, lc)
		}
		if n < 8 {
			f := tz.finishASCII(s[start:i], b, upper, lower, firstUpper)
			if len(tz.lower) == len(b) {
				h = hashFinish(h, len(b))
			} else {
				h = hashBytes(tz.lower) // an acronym's s was dropped
			}
			return i, f, tz.lower, h
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || !asciiWordByte[c] {
			break
		}
		switch {
		case c >= 'A' && c <= 'Z':
			if !seen {
				seen, firstUpper = true, true
			}
			upper++
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z':
			seen = true
			lower++
		}
		b = append(b, c)
	}
	f := tz.finishASCII(s[start:i], b, upper, lower, firstUpper)
	return i, f, tz.lower, hashBytes(tz.lower)
}

// finishASCII completes asciiRun for word w, lower-cased in b: it drops an
// acronym's plural s, keeps b as tz.lower and returns the case flags.
func (tz *tokenizer) finishASCII(w string, b []byte, upper, lower int, firstUpper bool) uint8 {
	// Acronym plural: "SFOs" -> "sfo" (Porter2 would keep the s).
	n := len(w)
	if n >= 3 && w[n-1] == 's' && isUpperRun(w[:n-1]) {
		b = b[:n-1]
	}
	tz.lower = b
	var last byte
	if n > 0 {
		last = w[n-1]
	}
	return countFlags(n, upper, lower, firstUpper, last)
}

// countFlags is caseFlags of an n-byte word from its counts of capitals
// and small letters, whether its first letter is a capital, and its last
// byte.
func countFlags(n, upper, lower int, firstUpper bool, last byte) uint8 {
	var f uint8
	if upper == 0 {
		f |= flagLower
	}
	if upper >= 1 && lower == 0 && n >= 2 {
		f |= flagUpper // "NPS", "IT", "E3"; a lone "I" or "A" is not
	}
	if firstUpper && upper == 1 && lower > 0 {
		f |= flagTitle
	}
	// "CRCs", "SFOs": capitals with a plural s count as capitals.
	if upper >= 2 && lower == 1 && last == 's' {
		f |= flagUpper
	}
	return f
}

// asciiWord is caseFlags(w) and lowerWord(w) in one pass, eight bytes at a
// time, for a word of ASCII bytes only (letters, digits, apostrophes).
func (tz *tokenizer) asciiWord(w string) (uint8, []byte) {
	n := len(w)
	b := tz.lower[:0]
	if cap(b) < n+8 {
		b = make([]byte, 0, 2*n+8)
	}
	b = b[:n+8] // room to store whole words
	upper, lower := 0, 0
	firstUpper, seen := false, false
	for k := 0; k < n; k += 8 {
		var x uint64
		if k+8 <= n {
			x = load64(w, k)
		} else {
			for j := n - 1; j >= k; j-- {
				x = x<<8 | uint64(w[j])
			}
		}
		u, l := upperBytes(x), lowerBytes(x)
		if !seen {
			if letters := u | l; letters != 0 {
				// The first letter is the lowest flagged byte.
				seen, firstUpper = true, u&(letters&-letters) != 0
			}
		}
		upper += bits.OnesCount64(u)
		lower += bits.OnesCount64(l)
		binary.LittleEndian.PutUint64(b[k:], x|u>>2) // +0x20 lower-cases A-Z
	}
	b = b[:n]
	// Acronym plural: "SFOs" -> "sfo" (Porter2 would keep the s).
	if n >= 3 && w[n-1] == 's' && isUpperRun(w[:n-1]) {
		b = b[:n-1]
	}
	tz.lower = b
	var f uint8
	if upper == 0 {
		f |= flagLower
	}
	if upper >= 1 && lower == 0 && n >= 2 {
		f |= flagUpper
	}
	if firstUpper && upper == 1 && lower > 0 {
		f |= flagTitle
	}
	if upper >= 2 && lower == 1 && w[n-1] == 's' {
		f |= flagUpper
	}
	return f, b
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
