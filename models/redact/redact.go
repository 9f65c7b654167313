package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redactor replaces personal contact data. It is safe for concurrent use.
type Redactor struct {
	email *regexp.Regexp
}

// emailPattern is the email address described in the package comment.
// Combining marks (\p{M}) go wherever a letter may: a decomposed (NFD) "é"
// is "e" and U+0301, and without them the pattern would stop at the mark
// and leave the name before it ("rené[email]"), or, in the domain, match
// nothing at all. Devanagari and other scripts write vowels as marks, so
// their names need them whatever the normal form. A local part may even
// start with one (its base letter lost upstream): the mark goes with the
// address rather than being left before the placeholder.
const emailPattern = `(?:"[^"\r\n@]{1,64}"|[\p{L}\p{M}\p{N}!#$%&*+^_{|}~-][\p{L}\p{M}\p{N}!#$%&'*+^_{|}~.-]*)` +
	`@(?:\[(?:IPv6:[0-9A-Fa-f:.]{2,45}|\d{1,3}(?:\.\d{1,3}){3})\]` +
	`|(?:[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?\.)+(?:xn--[A-Za-z0-9-]{1,59}|\p{L}\p{M}*\p{L}[\p{L}\p{M}]{0,61}))`

// New compiles the patterns. Build one and reuse it.
func New() *Redactor {
	return &Redactor{email: regexp.MustCompile(emailPattern)}
}

// Text returns s with emails replaced by [email] and phone numbers by [phone].
func (r *Redactor) Text(s string) string {
	if strings.IndexByte(s, '@') >= 0 {
		s = r.email.ReplaceAllStringFunc(s, trimEmail)
	}
	if digits(s) < minPhoneDigits {
		return s
	}
	return redactPhones(s)
}

// trimEmail replaces one matched address, giving back the dots the local
// part's pattern may take from the end of a sentence before it ("see
// .jo@x.org" is rare; "jo@example.org." is common and the pattern's domain
// never ends in a dot, so only the local part's leading run matters).
func trimEmail(m string) string {
	lead := len(m) - len(strings.TrimLeft(m, "."))
	return m[:lead] + "[email]"
}

// minPhoneDigits is the fewest digits any number this package accepts has:
// a text with fewer holds no phone number, and most comments (years, times,
// counts) are passed without a scan.
const minPhoneDigits = 9

func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// group is one maximal run of ASCII digits in the text.
type group struct{ start, end int }

// redactPhones replaces every phone number in s (see the package comment).
// It splits s into digit groups, and from each group tries the longest
// chain of following groups, joined by separators, that reads as a phone
// number; a chain that does not is tried again from its next group, so a
// date before a number ("2016-03-05 07700 900123") does not hide it.
func redactPhones(s string) string {
	var gs []group
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		gs = append(gs, group{i, j})
		i = j
	}
	var b strings.Builder
	done := 0 // bytes of s already written
	for i := 0; i < len(gs); {
		start, end, next, ok := phoneAt(s, gs, i)
		if !ok {
			i++
			continue
		}
		b.WriteString(s[done:start])
		b.WriteString("[phone]")
		done, i = end, next
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// phoneAt looks for a phone number whose first digit group is gs[i]: it
// returns the byte range to replace and the index of the first group after
// it, or false.
func phoneAt(s string, gs []group, i int) (start, end, next int, ok bool) {
	start = gs[i].start
	plus, paren := false, false
	if start > 0 && s[start-1] == '(' {
		start--
		paren = true
	}
	if start > 0 && s[start-1] == '+' {
		start--
		plus = true
	}
	switch leftBoundary(s[:start]) {
	case closed:
		return 0, 0, 0, false
	case fullOnly:
		// Every chain isPhone accepts from a group led by + or 0 is a
		// full international or UK number (the North American forms
		// start 1-9), so the first group decides before any chain is
		// tried.
		if !plus && s[gs[i].start] != '0' {
			return 0, 0, 0, false
		}
	}
	// Extend the chain while the gaps are separators, and keep the longest
	// prefix of it that reads as a number.
	best := -1
	for j := i; j < len(gs); j++ {
		if j > i && !separatorGap(s[gs[j-1].end:gs[j].start]) {
			break
		}
		if j-i >= 8 {
			break // no number has so many groups
		}
		if isPhone(s, gs[i:j+1], plus, paren) {
			best = j
		}
	}
	if best < 0 {
		return 0, 0, 0, false
	}
	end = gs[best].end
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || r == '_' {
			return 0, 0, 0, false
		}
	}
	if paren && end < len(s) && s[end] == ')' && strings.Count(s[start:end], "(") > strings.Count(s[start:end], ")") {
		end++ // "(415 555 0142)" keeps no stray bracket
	}
	return start, end, best + 1, true
}

// boundary is what the text before a digit group allows to start there.
type boundary int

const (
	open     boundary = iota // any number
	fullOnly                 // only a full UK or international number
	closed                   // none
)

// leftBoundary tells whether a number may begin after before: not inside a
// word ("A07700900123"), and not after a digit and a mark, as in a decimal,
// a list, a date or a time ("3.07700", "1,250", "05/03", "10:41"). After a
// digit and ',' or '/' a full UK or international number may still begin
// (fullOnly): "0161 496 0000/07700 900123" and "07700 900123,07700 900456"
// are two numbers, while dates, counts and fractions ("05/03/2014",
// "1,250,000", "12/13") have no group of ten or more digits led by 0 or +
// there. The cost is a decimal comma before ten digits ("0,0123456789"),
// which comments in English do not write. After a dot or a colon nothing
// may begin: "0.0123456789" is a decimal.
func leftBoundary(before string) boundary {
	r, n := utf8.DecodeLastRuneInString(before)
	switch {
	case n == 0:
		return open
	case unicode.IsLetter(r) || r == '_':
		return closed
	case r == '.' || r == ',' || r == ':' || r == '/':
		p, _ := utf8.DecodeLastRuneInString(before[:len(before)-n])
		if !unicode.IsDigit(p) {
			return open
		}
		if r == ',' || r == '/' {
			return fullOnly
		}
		return closed
	}
	return open
}

// separatorGap reports whether the text between two digit groups joins
// them into one number: at most three characters, all spaces (including
// no-break, narrow no-break, figure and thin spaces), brackets, or one
// hyphen, en dash or dot.
func separatorGap(g string) bool {
	n, marks := 0, 0
	for _, r := range g {
		n++
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2007', '\u2009', '(', ')':
		case '-', '.', '\u2010', '\u2011', '\u2013':
			marks++
		default:
			return false
		}
	}
	return n > 0 && n <= 3 && marks <= 1
}

// isPhone tells whether the digit groups gs (with a leading + or bracket)
// form a number of the kinds in the package comment.
func isPhone(s string, gs []group, plus, paren bool) bool {
	n := 0
	for _, g := range gs {
		n += g.end - g.start
	}
	first := s[gs[0].start:gs[0].end]
	switch {
	case plus:
		return n >= 9 && n <= 15 && first[0] != '0'
	case strings.HasPrefix(first, "00"):
		return n >= 11 && n <= 16 && len(gs) >= 2
	case first[0] == '0':
		if n != 10 && n != 11 || len(gs) > 5 {
			return false
		}
		lead := len(first)
		if first == "0" && len(gs) > 1 && paren {
			lead += gs[1].end - gs[1].start // "(0)7700 900123"
		}
		return len(gs) == 1 || lead >= 3 && lead <= 6
	}
	// North American numbers, only with separators: a bare run of ten
	// digits is as likely an id as a phone.
	sizes := make([]int, len(gs))
	for k, g := range gs {
		sizes[k] = g.end - g.start
	}
	switch {
	case len(gs) == 3 && sizes[0] == 3 && sizes[1] == 3 && sizes[2] == 4:
		return first[0] >= '2'
	case len(gs) == 4 && first == "1" && sizes[1] == 3 && sizes[2] == 3 && sizes[3] == 4:
		return s[gs[1].start] >= '2'
	case len(gs) == 2 && paren && sizes[0] == 3 && sizes[1] == 7:
		return first[0] >= '2'
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
