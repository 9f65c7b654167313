package redact

import "testing"

// TestForms is the table of contact-data forms the redactor must catch, and
// of look-alikes it must leave alone. Every address and number is invented,
// in ranges reserved for fiction or documentation (Ofcom's 07700 900xxx and
// 020 7946 0xxx, NANP 555-01xx, RFC 2606 / RFC 5737 names and addresses).
func TestForms(t *testing.T) {
	caught := []struct{ in, want string }{
		// Email addresses.
		{"mail jo.bloggs@example.org today", "mail [email] today"},
		{"jo+probation@example.org", "[email]"},
		{"first.last+tag@mail.example.co.uk", "[email]"},
		{"<jo_b-2@example.net>", "<[email]>"},
		{"o'brien@example.ie wrote", "[email] wrote"},
		{`"jo bloggs"@example.org`, "[email]"},
		{"jo@[192.0.2.17]", "[email]"},
		{"admin@[IPv6:2001:db8::1]", "[email]"},
		{"renée@exämple.de", "[email]"},
		{"jo@xn--exmple-cua.de", "[email]"},
		{"用户@例子.广告", "[email]"},
		{"JO.BLOGGS@EXAMPLE.COM.", "[email]."},
		{"mailto:jo@example.org?subject=hi", "mailto:[email]?subject=hi"},
		// Accents, composed (NFC) and decomposed (NFD: a letter, then a
		// combining mark, as macOS file names and copy-paste give them). The
		// whole address goes, marks included.
		{"josé@example.org", "[email]"},
		{"jose\u0301@example.org", "[email]"},
		{"rene\u0301e@example.org", "[email]"},
		{"write to rene\u0301e@exa\u0308mple.de.", "write to [email]."},
		{"jose\u0301.garci\u0301a@example.org", "[email]"},
		{"e\u0301lise@example.org", "[email]"},
		{"\u0301jo@example.org", "[email]"},
		{"jo@exämple.de", "[email]"},
		{"jo@exa\u0308mple.de", "[email]"},
		{"jo@example.re\u0301", "[email]"},
		{"jo@example.e\u0301s", "[email]"},
		{"संपर्क@उदाहरण.भारत", "[email]"},
		{"(jo@example.org)", "([email])"},
		{"jo@example.org, al@example.org", "[email], [email]"},
		// UK numbers.
		{"ring me on 07700 900123 after 5", "ring me on [phone] after 5"},
		{"ring 07700900123.", "ring [phone]."},
		{"07700\u00a0900123", "[phone]"},
		{"07700\u202f900\u00a0123", "[phone]"},
		{"07700 900 123", "[phone]"},
		{"07700-900-123", "[phone]"},
		{"office (020) 7946 0123 or 020-7946-0999", "office [phone] or [phone]"},
		{"020 7946 0123", "[phone]"},
		{"Leeds 0113 496 0000 ext", "Leeds [phone] ext"},
		{"0113\u00a0496\u00a00000", "[phone]"},
		{"01632 960001", "[phone]"},
		{"0800 123 4567 (free)", "[phone] (free)"},
		{"(0)7700 900123", "[phone]"},
		{"tel:07700900123", "tel:[phone]"},
		{"Mob:07700 900123", "Mob:[phone]"},
		// A full number right after another and a slash or comma: the
		// boundary that keeps "05/03" and "1,250" whole does not apply.
		{"Tel 0161 496 0000/07700 900123", "Tel [phone]/[phone]"},
		{"07700 900123,07700 900456", "[phone],[phone]"},
		{"07700900123/07700900456", "[phone]/[phone]"},
		{"020 7946 0123/+44 7700 900456", "[phone]/[phone]"},
		{"020 7946 0123,0044 7700 900 777", "[phone],[phone]"},
		// International.
		{"from abroad +44 7700 900456!", "from abroad [phone]!"},
		{"or +44 (0)20 7946 0321", "or [phone]"},
		{"+44 (0)7700 900123", "[phone]"},
		{"+44\u00a07700\u00a0900123", "[phone]"},
		{"+447700900123", "[phone]"},
		{"0044 7700 900 777", "[phone]"},
		{"+33 1 23 45 67 89", "[phone]"},
		{"+353 1 234 5678", "[phone]"},
		{"+49 30 1234567", "[phone]"},
		// North American.
		{"US line +1 415 555 0100", "US line [phone]"},
		{"call (415) 555-0142 now", "call [phone] now"},
		{"415-555-0177", "[phone]"},
		{"415.555.0177", "[phone]"},
		{"+1 415 555 0142", "[phone]"},
		{"1-800-555-0199", "[phone]"},
		{"(415)5550142", "[phone]"},
		{"+1-415-555-0142", "[phone]"},
		// Several in one text, and beside dates.
		{"2016-03-05 07700 900123", "2016-03-05 [phone]"},
		{"on 05/03/2016 ring 020 7946 0123 or jo@example.org", "on 05/03/2016 ring [phone] or [email]"},
	}
	kept := []string{
		"posted 2016-03-05 at 10.41",
		"posted 05/03/2016 at 10:41:30",
		"on 5.3.2016 and 05.03.2016",
		"on 05 03 2016 10:41",
		"caseload up from 40 to 105 in 2015",
		"scored 0.5 then 0 - 0",
		"ratio 0 1 2 3 4 5 6 7 8 9",
		"email me @ the office",
		"@jo_bloggs said so",
		"a +5% rise",
		"CRN 12345 and CRN 1234567",
		"case X123456789 closed",
		"£1,250,000 contract",
		"$2.5m and €3,400.50",
		"1,234,567 hours",
		"ISBN 978-0-14-044913-6",
		"IP 192.168.100.200",
		"years 2014-2016 and 2016-2021",
		"score 100 200 3000",
		"version 1.2.3.4567",
		"12345678901234 is an id",
		"between 09:00 and 17:30, room 0.12",
		"cafe\u0301 @ the office",
		"jo@example.e\u0301 is not an address",
		"05/03/2014",
		"05/03/2014,06/03/2014",
		"1,250,000",
		"page 12/13",
		"2014/2015",
		"2014/2015,2015/2016",
		"cases 1,250/2,500 and 012/0345",
		"p = 0.0123456789",
		"at 10:0123456789",
	}
	r := New()
	for _, c := range caught {
		if got := r.Text(c.in); got != c.want {
			t.Errorf("Text(%+q) = %+q, want %+q", c.in, got, c.want)
		}
	}
	for _, in := range kept {
		if got := r.Text(in); got != in {
			t.Errorf("Text(%+q) = %+q, want it unchanged", in, got)
		}
	}
	if n := len(caught) + len(kept); n < 60 {
		t.Errorf("only %d forms", n)
	}
}

// Redacting twice changes nothing: the placeholders match no pattern, so
// text redacted on the way in can be redacted again on the way out.
func TestIdempotent(t *testing.T) {
	r := New()
	for _, s := range []string{"ring 07700 900123 or jo@example.org", "[phone] [email]", "+1 (415) 555-0142"} {
		once := r.Text(s)
		if twice := r.Text(once); twice != once {
			t.Errorf("Text(Text(%q)) = %q, want %q", s, twice, once)
		}
	}
}
