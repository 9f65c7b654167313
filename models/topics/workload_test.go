package topics

import (
	"slices"
	"testing"
)

// TestWorkloadForms checks the ways staff write about workload (invented
// sentences): case load, case-load, caseloads, "my numbers", the workload
// measurement tool / WMT, hours, overtime, unmanageable, stretched, off
// sick with stress; and that a person "on my case load" is not workload.
func TestWorkloadForms(t *testing.T) {
	tg := defaultTagger(t)
	for _, c := range []struct {
		text string
		want bool
	}{
		{"My case-load is 80 and rising.", true},
		{"Our case load doubled after the split.", true},
		{"Caseloads are unmanageable and everyone is stretched.", true},
		{"My numbers went up again this month.", true},
		{"The workload measurement tool says I am at 140 percent.", true},
		{"The WMT never counts the phone calls.", true},
		{"I do unpaid overtime every week.", true},
		{"Half the team is off sick with stress.", true},
		{"He is on my case load and doing well.", false},
		{"The office is on the high street.", false},
	} {
		got := slices.Contains(Names(tg.Tag(c.text)), "workload")
		if got != c.want {
			t.Errorf("%q: workload %v, want %v (tags %v)", c.text, got, c.want, Names(tg.Tag(c.text)))
		}
	}
}

// defaultTagger is the tagger of the built-in taxonomy.
func defaultTagger(t *testing.T) *Tagger {
	t.Helper()
	tax, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tg, err := NewTagger(tax)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}
