package reports

import "testing"

// Every start OWASP lists as a live formula is written as text, both by
// neutralise (the tables) and by appendTextField (comments.csv's encoder);
// other cells, and those characters later in a cell, are left alone.
func TestFormulaStartsNeutralised(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=1+2", "'=1+2"},
		{"+44 20", "'+44 20"},
		{"-5 cases", "'-5 cases"},
		{"@everyone", "'@everyone"},
		{"\tindented", "'\tindented"},
		{"\rcarriage", "'\rcarriage"},
		{"a = b", "a = b"},
		{"caseload -5", "caseload -5"},
		{"", ""},
		{"'already text", "'already text"},
	} {
		if got := neutralise(c.in); got != c.want {
			t.Errorf("neutralise(%q) = %q, want %q", c.in, got, c.want)
		}
		want := string(appendCSVField(nil, c.want))
		if got := string(appendTextField(nil, c.in)); got != want {
			t.Errorf("appendTextField(%q) = %q, want %q", c.in, got, want)
		}
	}
}
