package reports

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CommentEncoder formats rows of comments.csv exactly as Write does, so
// that a caller can assemble the file itself (the pipeline copies the rows
// of unchanged posts from the previous file and encodes the rest).
//
// It appends fields straight into the caller's buffer rather than building
// a []string record for encoding/csv: on a cold run comments.csv has a row
// per comment, and the intermediate strings (numbers, the topic join, the
// topic scores) and csv.Writer's per-field work cost more than the rest of
// the row. The bytes are those encoding/csv writes with its defaults (comma
// separator, "\n" line ends); TestCommentEncoderMatchesEncodingCSV holds
// the two equal.
type CommentEncoder struct {
	topics  []Topic
	version string
	// pos is where each taxonomy name first appears: topic scores are
	// written in that order, then those under other names, sorted.
	pos     map[string]int
	repeats bool        // some name appears more than once in topics
	scratch []byte      // a composed field (topics, topic scores) before quoting
	pairs   []scorePair // reused by appendTopicScores
}

// NewCommentEncoder returns an encoder for the given taxonomy and version.
func NewCommentEncoder(topics []Topic, version string) *CommentEncoder {
	e := &CommentEncoder{topics: topics, version: version, pos: make(map[string]int, len(topics))}
	for i, t := range topics {
		if _, ok := e.pos[t.Name]; ok {
			e.repeats = true
			continue
		}
		e.pos[t.Name] = i
	}
	return e
}

// Header returns the header line of comments.csv, newline included.
func (e *CommentEncoder) Header() ([]byte, error) {
	var b []byte
	for i, h := range commentHeader {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, h)
	}
	return append(b, '\n'), nil
}

// Append appends the row of c, newline included, to dst. The columns are
// those of commentHeader; the error is always nil (it stays in the
// signature for callers written against the encoding/csv version).
func (e *CommentEncoder) Append(dst []byte, c Comment) ([]byte, error) {
	dst = appendTextField(dst, c.ID)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.PostID)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.PostDate)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.DateSource)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.SourceFile)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.Section)
	dst = append(dst, ',')
	// Numbers never need quoting: digits, '-' and '.' only.
	dst = strconv.AppendInt(dst, int64(c.Depth), 10)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.ParentID)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(c.NTokens), 10)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(c.NSentences), 10)
	dst = append(dst, ',')
	dst = appendFloat(dst, c.Compound, precScore)
	dst = append(dst, ',')
	dst = appendFloat(dst, c.Pos, precScore)
	dst = append(dst, ',')
	dst = appendFloat(dst, c.Neu, precScore)
	dst = append(dst, ',')
	dst = appendFloat(dst, c.Neg, precScore)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.Label)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.Evidence)
	dst = append(dst, ',')
	e.scratch = e.scratch[:0]
	for i, t := range c.Topics {
		if i > 0 {
			e.scratch = append(e.scratch, ';')
		}
		e.scratch = append(e.scratch, t...)
	}
	dst = appendTextField(dst, e.scratch)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.TopicEvidence)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.DuplicateOf)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.Text)
	dst = append(dst, ',')
	e.scratch = e.appendTopicScores(e.scratch[:0], c.TopicScores)
	dst = appendTextField(dst, e.scratch)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.SourcePostID)
	dst = append(dst, ',')
	dst = appendTextField(dst, c.SourceCommentID)
	dst = append(dst, ',')
	dst = appendTextField(dst, e.version)
	return append(dst, '\n'), nil
}

// appendTopicScores appends the topic_scores field: "name:0.1234" pairs
// in taxonomy order, then any names outside the taxonomy sorted, joined by
// ';', so map order never leaks into the output. It walks the scores (a
// comment has a few) rather than the taxonomy.
func (e *CommentEncoder) appendTopicScores(b []byte, m map[string]float64) []byte {
	if len(m) == 0 {
		return b
	}
	if e.repeats {
		return e.appendTopicScoresSlow(b, m)
	}
	e.pairs = e.pairs[:0]
	for k, v := range m {
		pos, ok := e.pos[k]
		if !ok {
			pos = len(e.topics) // after the taxonomy, by name
		}
		e.pairs = append(e.pairs, scorePair{pos: pos, name: k, v: v})
	}
	if len(e.pairs) > 1 {
		slices.SortFunc(e.pairs, func(x, y scorePair) int {
			if x.pos != y.pos {
				return x.pos - y.pos
			}
			return strings.Compare(x.name, y.name)
		})
	}
	for i, p := range e.pairs {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, p.name...)
		b = append(b, ':')
		b = appendFloat(b, p.v, precScore)
	}
	return b
}

// appendTopicScoresSlow is appendTopicScores for a taxonomy that lists a
// name more than once: such a name is written once per listing.
func (e *CommentEncoder) appendTopicScoresSlow(b []byte, m map[string]float64) []byte {
	n := 0
	for _, t := range e.topics {
		if v, ok := m[t.Name]; ok {
			if n > 0 {
				b = append(b, ';')
			}
			b = append(b, t.Name...)
			b = append(b, ':')
			b = appendFloat(b, v, precScore)
			n++
		}
	}
	var rest []string
	for k := range m {
		if _, ok := e.pos[k]; !ok {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		if n > 0 {
			b = append(b, ';')
		}
		b = append(b, k...)
		b = append(b, ':')
		b = appendFloat(b, m[k], precScore)
		n++
	}
	return b
}

// scorePair is one topic score with the place its name sorts at.
type scorePair struct {
	pos  int
	name string
	v    float64
}

// appendFloat appends formatFloat(v, prec). Scores and shares are small
// numbers, and for those it rounds v·10^prec to an integer itself, which
// costs a fraction of strconv's exact decimal conversion; near a tie, where
// the product's rounding error could decide, strconv decides.
func appendFloat(b []byte, v float64, prec int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return b
	}
	if prec >= 0 && prec < len(pow10) && math.Abs(v) < 1e4 {
		// |p| < 1e4·10^prec <= 1e10 < 2^34, so the product is off the exact
		// v·10^prec by at most 2^34·2^-53 < 2^-18: with the fraction farther
		// than 2^-12 from one half, rounding p and the exact value agree.
		p := v * pow10[prec]
		fl := math.Floor(p)
		if d := p - fl - 0.5; d > 1.0/4096 || d < -1.0/4096 {
			n := int64(fl)
			if d > 0 {
				n++
			}
			return appendFixed(b, n, prec)
		}
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', prec, 64)
	if b[start] == '-' && onlyZeros(b[start+1:]) {
		b = append(b[:start], b[start+1:]...)
	}
	return b
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6}

// appendFixed appends n/10^prec with prec decimals; zero has no sign, as
// formatFloat drops the sign of a value that rounds to zero.
func appendFixed(b []byte, n int64, prec int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var buf [24]byte
	d := strconv.AppendInt(buf[:0], n, 10)
	if len(d) <= prec {
		b = append(b, '0')
	} else {
		b = append(b, d[:len(d)-prec]...)
		d = d[len(d)-prec:]
	}
	if prec > 0 {
		b = append(b, '.')
		for range prec - len(d) {
			b = append(b, '0')
		}
		b = append(b, d...)
	}
	return b
}

// onlyZeros tells whether s holds nothing but '0' and '.', as
// strings.Trim(s, "0.") == "" does.
func onlyZeros(s []byte) bool {
	for _, c := range s {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}

// csvSpecial marks the bytes that make encoding/csv quote a field with the
// comma separator.
var csvSpecial = [256]bool{'\n': true, '\r': true, '"': true, ',': true}

// appendCSVField appends f as encoding/csv.Writer writes one field with its
// defaults: verbatim unless it needs quotes, else quoted with each '"'
// doubled ('\r' and '\n' stay as they are, since UseCRLF is off).
func appendCSVField[S string | []byte](dst []byte, f S) []byte {
	if !csvNeedsQuotes(f) {
		return append(dst, f...)
	}
	dst = append(dst, '"')
	for {
		i := indexQuote(f)
		if i < 0 {
			break
		}
		dst = append(dst, f[:i+1]...)
		dst = append(dst, '"')
		f = f[i+1:]
	}
	dst = append(dst, f...)
	return append(dst, '"')
}

// indexQuote is the index of the first '"' in f, or -1; it skips eight
// bytes at a time as csvNeedsQuotes does.
func indexQuote[S string | []byte](f S) int {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(f); i += 8 {
		w := load64(f, i) ^ (ones * '"')
		if (w-ones)&^w&tops != 0 {
			break
		}
	}
	for ; i < len(f); i++ {
		if f[i] == '"' {
			return i
		}
	}
	return -1
}

// load64 reads f[i:i+8] as a little-endian word (the compiler makes it one
// load).
func load64[S string | []byte](f S, i int) uint64 {
	return uint64(f[i]) | uint64(f[i+1])<<8 | uint64(f[i+2])<<16 | uint64(f[i+3])<<24 |
		uint64(f[i+4])<<32 | uint64(f[i+5])<<40 | uint64(f[i+6])<<48 | uint64(f[i+7])<<56
}

// csvNeedsQuotes is encoding/csv's fieldNeedsQuotes for the comma: a field
// is quoted when it holds a comma, a quote, '\r' or '\n', is exactly `\.`,
// or begins with a Unicode space.
func csvNeedsQuotes[S string | []byte](f S) bool {
	if len(f) == 0 {
		return false
	}
	if len(f) == 2 && f[0] == '\\' && f[1] == '.' {
		return true
	}
	i := 0
	for ; i+8 <= len(f); i += 8 {
		if hasCSVSpecial(load64(f, i)) {
			return true
		}
	}
	for ; i < len(f); i++ {
		if csvSpecial[f[i]] {
			return true
		}
	}
	if c := f[0]; c < utf8.RuneSelf {
		return asciiSpace[c]
	}
	var r rune
	switch s := any(f).(type) {
	case string:
		r, _ = utf8.DecodeRuneInString(s)
	case []byte:
		r, _ = utf8.DecodeRune(s)
	}
	return unicode.IsSpace(r)
}

// hasCSVSpecial tells whether any of the eight bytes of w is a comma, a
// quote, '\r' or '\n': a byte equal to c leaves a zero byte in x =
// w^(c·ones), and (x-ones) &^ x & tops is non-zero exactly when x has a
// zero byte (a borrow only starts at a zero byte).
func hasCSVSpecial(w uint64) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	a, b, c, d := w^(ones*','), w^(ones*'"'), w^(ones*'\r'), w^(ones*'\n')
	return ((a-ones)&^a|(b-ones)&^b|(c-ones)&^c|(d-ones)&^d)&tops != 0
}

// asciiSpace is unicode.IsSpace for the ASCII range.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
