// Package redact removes personal contact data from comment text.
//
// Comments on the blog name real people and sometimes carry an email address
// or a phone number ("ring me on ..."). Every exported file (CSV, HTML) and,
// by default, the database hold text passed through Text, which replaces
// email addresses with [email] and phone numbers with [phone].
//
// What counts as a phone number: a run of digits, optionally grouped by
// spaces, dots, hyphens or brackets, that either starts with + or 00 and an
// international code (7 to 15 digits in all), or is a UK national number
// starting with 0 (10 or 11 digits in all, the usual length of UK numbers).
// Dates (2016-03-05), times (10.41), money and counts do not start with 0 or
// + and so are left alone. Obfuscated addresses ("jo at example dot org")
// and numbers written in words are not caught: see README, "Personal data".
package redact

import (
	"regexp"
	"strings"
)

// Redactor replaces personal contact data. It is safe for concurrent use.
type Redactor struct {
	email *regexp.Regexp
	phone *regexp.Regexp
}

// New compiles the patterns. Build one and reuse it.
func New() *Redactor {
	return &Redactor{
		email: regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}`),
		// A candidate: + or 0 then digits with separators; the digit count
		// is checked in code, which a regular expression does badly.
		phone: regexp.MustCompile(`(?:\+|\(?\b0)[\d(][\d\s().\-]{5,22}\d`),
	}
}

// Text returns s with emails replaced by [email] and phone numbers by [phone].
func (r *Redactor) Text(s string) string {
	if strings.IndexByte(s, '@') >= 0 {
		s = r.email.ReplaceAllString(s, "[email]")
	}
	if !strings.ContainsAny(s, "0+") || digits(s) < minPhoneDigits {
		return s
	}
	return r.phone.ReplaceAllStringFunc(s, func(m string) string {
		// Trim separators the pattern took from the end or a trailing
		// bracket pair that belongs to the prose, not the number.
		trimmed := strings.TrimRight(m, " .-(")
		if isPhone(trimmed) {
			return "[phone]" + m[len(trimmed):]
		}
		return m
	})
}

// minPhoneDigits is the fewest digits any number isPhone accepts has: a text
// with fewer holds no phone number, and most comments (years, times, counts)
// are passed without running the pattern.
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

// isPhone checks the digit count of a candidate and that it is not a
// plainly non-phone run such as "0.5" or "0 - 0".
func isPhone(m string) bool {
	digits, groups, inDigits := 0, 0, false
	for i := 0; i < len(m); i++ {
		if c := m[i]; c >= '0' && c <= '9' {
			digits++
			if !inDigits {
				groups++
			}
			inDigits = true
		} else {
			inDigits = false
		}
	}
	if strings.HasPrefix(m, "+") || strings.HasPrefix(m, "00") {
		return digits >= 9 && digits <= 15
	}
	// UK national numbers: 10 or 11 digits, and not more than 5 groups
	// (a list of small numbers "0 1 2 3 4 5 6 7 8 9" is not a phone).
	return (digits == 10 || digits == 11) && groups <= 5
}
