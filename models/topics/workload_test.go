package topics

import (
	"slices"
	"testing"
)

// TestWorkloadForms checks the ways staff write about workload (invented
// sentences, one form each): case load, case-load, caseloads, "my
// numbers", the workload measurement tool / WMT, hours worked, overtime,
// unmanageable, stretched, off sick with stress; and that the same words
// in other senses are not workload.
func TestWorkloadForms(t *testing.T) {
	tg := defaultTagger(t)
	for _, c := range []struct {
		text string
		want bool
	}{
		{"My case-load is 80 and rising.", true},
		{"Our case load doubled after the split.", true},
		{"Caseloads have never been this high.", true},
		{"Case-loads in the north are worse.", true},
		{"My numbers went up again this month.", true},
		{"Our numbers are double what they were.", true},
		{"The workload measurement tool says I am at 140 percent.", true},
		{"The WMT never counts the phone calls.", true},
		{"I am working 50 hours a week to stand still.", true},
		{"Everyone works extra hours unpaid.", true},
		{"I worked twelve hours yesterday and got nothing done.", true},
		{"I do overtime every week.", true},
		{"Unpaid overtime is now the norm.", true},
		{"It has become unmanageable.", true},
		{"The team is stretched to breaking point.", true},
		{"We are so stretched nobody takes leave.", true},
		{"Half the team is off sick with stress.", true},
		{"Two colleagues are signed off with stress.", true},
		{"She went off sick with work-related stress.", true},
		// Other senses.
		{"He is on my case load and doing well.", false},
		{"She was on my caseload for two years.", false},
		{"The opening hours of the office have changed.", false},
		{"The numbers on the door are hard to read.", false},
		{"Phone numbers are on the website.", false},
		{"He stretched his legs after the meeting.", false},
		{"The office is on the high street.", false},
		{"It took two hours to drive there.", false},
		{"We lost hours of work when the system crashed.", false},
	} {
		got := slices.Contains(Names(tg.Tag(c.text)), "workload")
		if got != c.want {
			t.Errorf("%q: workload %v, want %v (scores %v)", c.text, got, c.want, tg.Scores(c.text))
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
