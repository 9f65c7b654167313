package reports

// CSV formula injection. A spreadsheet opening a CSV takes a cell that
// starts with '=', '+', '-' or '@' for a formula (and tab or carriage
// return lead to the same in some versions), so a comment that starts
// "=HYPERLINK(...)" would run as one in a researcher's Excel or LibreOffice.
// As OWASP advises, every text cell chorus writes that starts with one of
// those characters is prefixed with a single quote, which the spreadsheet
// hides and a script reading the CSV can strip. Numbers chorus computes are
// written as numbers and never prefixed, so a negative compound stays a
// number. The SQLite store keeps the true text. docs/outputs.md says so.

// formulaStart marks the first bytes that make a cell a formula.
var formulaStart = [256]bool{'=': true, '+': true, '-': true, '@': true, '\t': true, '\r': true}

// neutralise returns s as a text cell: prefixed with ' when it starts like
// a formula.
func neutralise(s string) string {
	if len(s) > 0 && formulaStart[s[0]] {
		return "'" + s
	}
	return s
}

// appendTextField appends a text cell: neutralised, then as encoding/csv
// writes the field (appendCSVField).
func appendTextField[S string | []byte](dst []byte, f S) []byte {
	if len(f) > 0 && formulaStart[f[0]] {
		g := make([]byte, 0, len(f)+1)
		g = append(append(g, '\''), f...)
		return appendCSVField(dst, g)
	}
	return appendCSVField(dst, f)
}
