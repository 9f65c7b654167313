package redact

import "testing"

func TestText(t *testing.T) {
	r := New()
	cases := []struct{ in, want string }{
		{"mail jo.bloggs@example.org today", "mail [email] today"},
		{"<first.last+tag@mail.example.co.uk>", "<[email]>"},
		{"ring me on 07700 900123 after 5", "ring me on [phone] after 5"},
		{"ring 07700900123.", "ring [phone]."},
		{"office (020) 7946 0123 or 020-7946-0999", "office [phone] or [phone]"},
		{"from abroad +44 7700 900456!", "from abroad [phone]!"},
		{"or +44 (0)20 7946 0321", "or [phone]"},
		{"US line +1 415 555 0100", "US line [phone]"},
		{"Leeds 0113 496 0000 ext", "Leeds [phone] ext"},
		{"0044 7700 900 777", "[phone]"},
		// Not personal data: left alone.
		{"posted 2016-03-05 at 10.41", "posted 2016-03-05 at 10.41"},
		{"caseload up from 40 to 105 in 2015", "caseload up from 40 to 105 in 2015"},
		{"scored 0.5 then 0 - 0", "scored 0.5 then 0 - 0"},
		{"ratio 0 1 2 3 4 5 6 7 8 9", "ratio 0 1 2 3 4 5 6 7 8 9"},
		{"email me @ the office", "email me @ the office"},
		{"a +5% rise", "a +5% rise"},
	}
	for _, c := range cases {
		if got := r.Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func BenchmarkText(b *testing.B) {
	benchText(b, "I have been a PSO for nine years and the caseload has doubled since the split; nobody answers the phone at the hub any more, 0 help.")
}

// TestDigitPrefilter: the shortest numbers the rules accept are still
// caught when they are the only digits in the text.
func TestDigitPrefilter(t *testing.T) {
	r := New()
	for in, want := range map[string]string{
		"+1 415 555 01":      "[phone]", // 9 digits, international
		"call 0113 496 0000": "call [phone]",
		"in 2016 at 10.41":   "in 2016 at 10.41",
	} {
		if got := r.Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkTextWithNumbers: a comment with a date, counts and a phone
// number, so the phone scan runs.
func BenchmarkTextWithNumbers(b *testing.B) {
	benchText(b, "Since 2016-03-05 my caseload went from 45 to 110; the hub is on 0113 496 0000 but nobody answers, and the 2,500 cases moved on 01/04/2017 at 10.41 are still unallocated.")
}

// BenchmarkTextWithEmail: a comment with addresses, composed and
// decomposed, so the email pattern runs as well as the phone scan.
func BenchmarkTextWithEmail(b *testing.B) {
	benchText(b, "Write to jo.bloggs@example.org or rene\u0301e@exa\u0308mple.de (cc team+tr@mail.example.co.uk); the hub says 0113 496 0000/07700 900123 but nobody answers.")
}

// benchText measures Text on s, reporting throughput in bytes of input.
func benchText(b *testing.B, s string) {
	r := New()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		r.Text(s)
	}
}
