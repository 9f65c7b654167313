package corpus

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The line matchers below are hand-written scanners for patterns that were
// first written as regular expressions. The text readers try them on nearly
// every line, and the regexp engine made them the largest single cost of
// reading a file. Each keeps the exact language of its expression, quoted
// above it, including two things that are easy to miss: Go's \s is only
// [\t\n\f\r ], and (?i) folds "s" with U+017F (ſ) and "k" with U+212A (K).
// reference_test.go checks them against the expressions, fuzzed.

// isDigit reports whether c is an ASCII digit (regexp's \d).
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isReSpace reports whether c is in regexp's \s: [\t\n\f\r ].
func isReSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// isASCIILetter reports whether c is in [A-Za-z].
func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// skipReSpace returns the index of the first byte at or after i that is not
// in \s.
func skipReSpace(s string, i int) int {
	for i < len(s) && isReSpace(s[i]) {
		i++
	}
	return i
}

// skipDigits returns the index of the first byte at or after i that is not
// an ASCII digit.
func skipDigits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// foldWord matches word (lower-case ASCII letters) at s[i:] as (?i) does,
// and returns the index after it.
func foldWord(s string, i int, word string) (int, bool) {
	for k := 0; k < len(word); k++ {
		c := word[k]
		switch {
		case i < len(s) && s[i]|0x20 == c:
			i++
		case c == 's' && strings.HasPrefix(s[i:], "\u017f"):
			i += len("\u017f")
		case c == 'k' && strings.HasPrefix(s[i:], "\u212a"):
			i += len("\u212a")
		default:
			return i, false
		}
	}
	return i, true
}

// weekdays are the names a date line may start with.
var weekdays = [...]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// matchDateLine matches a Blogger date line in the British form the blog
// uses ("Saturday 5 March 2016") or the US form other blogs use ("Saturday,
// March 5, 2016"): the language of
//
//	^(?i:(monday|tuesday|wednesday|thursday|friday|saturday|sunday)),?\s+
//	(?:(\d{1,2})\s+([A-Za-z]+)|([A-Za-z]+)\s+(\d{1,2}),?)\s+(\d{4})$
//
// returning the day, month and year as written.
func matchDateLine(s string) (day, month, year string, ok bool) {
	if s == "" {
		return "", "", "", false
	}
	// Every weekday starts with one of these, ſ (0xc5 0xbf) for "s".
	switch s[0] | 0x20 {
	case 'm', 't', 'w', 'f', 's', 0xc5 | 0x20:
	default:
		return "", "", "", false
	}
	i := -1
	for _, w := range weekdays {
		if j, found := foldWord(s, 0, w); found {
			i = j
			break
		}
	}
	if i < 0 {
		return "", "", "", false
	}
	if i < len(s) && s[i] == ',' {
		i++
	}
	j := skipReSpace(s, i)
	if j == i || j == len(s) {
		return "", "", "", false
	}
	i = j
	if isDigit(s[i]) {
		// (\d{1,2})\s+([A-Za-z]+)
		j = skipDigits(s, i)
		if j-i > 2 {
			return "", "", "", false
		}
		day, i = s[i:j], j
		if j = skipReSpace(s, i); j == i {
			return "", "", "", false
		}
		i = j
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		if j == i {
			return "", "", "", false
		}
		month, i = s[i:j], j
	} else {
		// ([A-Za-z]+)\s+(\d{1,2}),?
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		if j == i {
			return "", "", "", false
		}
		month, i = s[i:j], j
		if j = skipReSpace(s, i); j == i {
			return "", "", "", false
		}
		i = j
		j = skipDigits(s, i)
		if j == i || j-i > 2 {
			return "", "", "", false
		}
		day, i = s[i:j], j
		if i < len(s) && s[i] == ',' {
			i++
		}
	}
	// \s+(\d{4})$
	if j = skipReSpace(s, i); j == i {
		return "", "", "", false
	}
	i = j
	if len(s)-i != 4 || skipDigits(s, i) != len(s) {
		return "", "", "", false
	}
	return day, month, s[i:], true
}

// parseDateLine returns the ISO date of a Blogger date line, or false.
//
// A date line whose weekday is wrong is still the page's date; the weekday
// is only the template's decoration, so it is not checked. The day must
// exist in the month: time.Parse("2 January 2006", ...) decided that once,
// and isoDate gives its answers without its cost (date lines are parsed
// several times per file).
func parseDateLine(s string) (string, bool) {
	day, month, year, ok := matchDateLine(s)
	if !ok {
		return "", false
	}
	return isoDate(day, month, year)
}

// longMonths are the month names time.Parse knows for "January".
var longMonths = [...]string{"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"}

// isoDate returns YYYY-MM-DD for a day of one or two digits, a month name
// in any case and a year of four digits, or false when there is no such
// day, as time.Parse("2 January 2006", ...) judges.
func isoDate(day, month, year string) (string, bool) {
	m := 0
	for k, name := range longMonths {
		if strings.EqualFold(month, name) {
			m = k + 1
			break
		}
	}
	if m == 0 {
		return "", false
	}
	d, err1 := strconv.Atoi(day)
	y, err2 := strconv.Atoi(year)
	if err1 != nil || err2 != nil || len(year) != 4 || d < 1 || d > daysIn(m, y) {
		return "", false
	}
	var b [10]byte
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[5], b[6] = '-', byte('0'+m/10), byte('0'+m%10)
	b[7], b[8], b[9] = '-', byte('0'+d/10), byte('0'+d%10)
	return string(b[:]), true
}

// daysIn returns the number of days in month m (1-12) of year y, in the
// proleptic Gregorian calendar the time package uses.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseDeclared returns the count of the line that ends the body: "50
// comments:", "1 comment:", "No comments:"; the language of
//
//	^(?i:(\d+|no)\s+comments?:?)$
//
// A count too large for an int is no count.
func parseDeclared(s string) (int, bool) {
	i := skipDigits(s, 0)
	digits := s[:i]
	if i == 0 {
		if len(s) < 2 || s[0]|0x20 != 'n' || s[1]|0x20 != 'o' {
			return 0, false
		}
		i = 2
	}
	j := skipReSpace(s, i)
	if j == i {
		return 0, false
	}
	i, ok := foldWord(s, j, "comment")
	if !ok {
		return 0, false
	}
	if k, ok := foldWord(s, i, "s"); ok {
		i = k
	}
	if i < len(s) && s[i] == ':' {
		i++
	}
	if i != len(s) {
		return 0, false
	}
	if digits == "" {
		return 0, true
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return 0, false
	}
	return n, true
}

// parseNumbered matches a list item, "1. text" (Blogger's comment numbers),
// and returns its number and text: the language of
//
//	^(\d{1,4})\.(?:\s+(.*))?$
//
// where "." takes anything but a line end.
func parseNumbered(s string) (int, string, bool) {
	i := skipDigits(s, 0)
	if i == 0 || i > 4 || i == len(s) || s[i] != '.' {
		return 0, "", false
	}
	n, _ := strconv.Atoi(s[:i])
	i++
	if i == len(s) {
		return n, "", true
	}
	j := skipReSpace(s, i)
	if j == i || strings.IndexByte(s[j:], '\n') >= 0 {
		return 0, "", false
	}
	return n, s[j:], true
}

// isNumbered reports whether s is a list item (see parseNumbered).
func isNumbered(s string) bool {
	_, _, ok := parseNumbered(s)
	return ok
}

// asciiSpace marks the bytes unicode.IsSpace (and so strings.Fields) takes
// as space among ASCII: \t \n \v \f \r and the space itself.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// NormalizeText is the form in which two comment texts are compared: lower
// case, every run of white space (including no-break spaces and line ends)
// made one space, leading and trailing space removed.
//
// It is deliberately this lenient and no more: the same comment reaches us
// through layouts that differ in line breaks, indentation and paragraph
// spacing (Blogger page text, the flattened dump, hand-labelled evaluation
// units), and those differences must not stop a match; punctuation and
// spelling are the writer's and are kept, so two comments that differ in
// a word stay different. Duplicate marking, evaluation matching and the
// repeated-paragraph check all use it so that they agree.
//
// It gives exactly strings.Join(strings.Fields(strings.ToLower(s)), " ")
// (invalid UTF-8 becomes U+FFFD, as strings.ToLower makes it), in one pass
// and at most one allocation, none when s is already in that form: every
// comment's text goes through it, some twice.
func NormalizeText(s string) string {
	if isNormalASCII(s) {
		return s
	}
	var stack [2048]byte
	return string(appendNormalized(stack[:0], s))
}

// plainByte marks the ASCII bytes NormalizeText copies unchanged: all but
// upper-case letters and space.
var plainByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = !asciiSpace[c] && !('A' <= c && c <= 'Z')
	}
	return t
}()

// appendNormalized appends NormalizeText(s) to dst.
func appendNormalized(dst []byte, s string) []byte {
	start := len(dst)
	space := false // a space is owed before the next word
	for i := 0; i < len(s); {
		c := s[i]
		if plainByte[c] {
			// Copy a run of plain bytes and single spaces between them
			// at once: most text is little else.
			j := i + 1
			for j < len(s) {
				if plainByte[s[j]] {
					j++
				} else if s[j] == ' ' && j+1 < len(s) && plainByte[s[j+1]] {
					j += 2
				} else {
					break
				}
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				space = len(dst) > start
				continue
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, c+('a'-'A')) // upper case: the rest are plain
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		r = unicode.ToLower(r)
		if unicode.IsSpace(r) {
			space = len(dst) > start
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// isNormalASCII reports whether s is ASCII already in NormalizeText's form:
// no upper case, single spaces between words, none at either end.
func isNormalASCII(s string) bool {
	prevSpace := true // a leading space is not normal
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
		if asciiSpace[c] {
			if c != ' ' || prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}
