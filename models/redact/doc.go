// Package redact removes personal contact data from text chorus writes out.
//
// Comments on the blog name real people and sometimes carry an email address
// or a phone number ("ring me on ..."), and so can file names, titles and
// ids. Every exported file (CSV, HTML, manifest), every log line and, by
// default, the database hold text passed through Text, which replaces email
// addresses with [email] and phone numbers with [phone].
//
// Email addresses: a local part of letters (any script), digits and the
// characters RFC 5322 allows but '/', '=' and '?' (so plus-addressing,
// "jo+news@"; the three left out are all but unused in real addresses and
// would join a path or a URL to the address), or a quoted
// local part ("\"jo bloggs\"@"); then a domain of labels in any script
// (IDN, or its xn-- form) ending in a top-level label of two letters or
// more, or an address literal ("[192.0.2.1]", "[IPv6:2001:db8::1]").
// Wherever a letter may stand, so may the combining marks after it: a
// decomposed (NFD) "e\u0301" is the letter "é", in either part.
//
// Phone numbers: runs of digit groups joined by spaces (no-break and thin
// spaces too), hyphens, dots or brackets, that read as one of
//   - an international number: + (or 00) and 9 to 15 digits, "(0)" allowed;
//   - a UK national number: 0 and 10 or 11 digits in all, in one group or
//     with a first group of 3 to 5 digits ("07700 900123", "020 7946 0123",
//     "(0)7700 900123");
//   - a North American number written with separators: 3-3-4 digits with
//     an area code not starting 0 or 1 ("(415) 555-0142", "415.555.0177"),
//     or 1-3-3-4 ("1-800-555-0199").
//
// A number does not begin inside a word or right after a digit and a dot,
// comma, colon or slash, which would split a decimal, a date or a count;
// only a full UK or international number may follow a digit and a comma or
// slash ("0161 496 0000/07700 900123" is two numbers). Dates (2016-03-05,
// 05/03/2016), times (10.41), money (£1,250,000), counts and case numbers
// ("CRN 12345") match none of these and are left alone.
// Obfuscated addresses ("jo at example dot org") and numbers written in
// words are not caught: see README, "Personal data".
//
// # What it owns, what it must not touch
//
// It owns the patterns and the slog handler that applies them to log lines.
// It knows nothing of files, posts or outputs: callers decide what to pass
// through it, and the rule is that every string from an input is passed
// before it is written anywhere (see docs/architecture.md).
package redact
