package corpus

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

// The readers' line and paragraph helpers (match.go, dedupe.go, the id
// hashing in model.go, splitLines, binaryOffset, scanMarkers) are held to
// their answers in two ways: a golden file of what each helper answers on
// a fixed set of tricky and random inputs (helpers-golden.txt, one digest
// per helper over all inputs, and the hand-picked lines in full), and
// properties that any correct version must have, checked on the same
// inputs and under fuzzing:
//
//	go test -run XXX -fuzz FuzzHelpers -fuzztime 60s ./corpus/
//
// parse_golden_test.go checks the same of whole files. To accept a
// deliberate change: go test ./corpus/ -run TestHelpersGolden -update-helpers

// trickyPieces are the fragments random test lines are made of: the
// patterns' own words in every case, digits of every length, every kind of
// space Go's regexp, strings.Fields and strings.TrimSpace tell apart,
// letters whose case mapping leaves ASCII (K, ſ, İ), invalid UTF-8, and
// the markers.
var trickyPieces = []string{
	"Monday", "tuesday", "WEDNESDAY", "Thursday", "friDay", "Saturday", "ſunday", "ſaturday", "Tueſday", "Mon", "Mondays",
	"March", "march", "MAY", "May", "Mayo", "February", "Febuary", "September", "Sept", "june",
	"comments", "Comment", "COMMENTS", "commentſ", "commentK", "No", "nO", "no", "None",
	"0", "1", "5", "12", "29", "30", "31", "32", "99", "123", "1234", "12345", "2016", "2000", "1900", "0000", "2024", "99999999999999999999",
	" ", "  ", "\t", "\n", "\r", "\r\n", "\f", "\v", "\u00a0", "\u0085", "\u2028", "\u3000", "\u200b",
	",", ".", ":", ";", "-", "*", "***", "--oo00oo--", "'", "’", "—", "http://x.y", "@",
	"K", "ſ", "İ", "ǅ", "Σ", "ς", "ß", "Ⱥ", "\xff", "\xe2\x82", "\xc5", "\x00", "\x01", "\x1f", "\x7f",
	"ReplyDelete", "Delete", "Deleted", "Replies", "ReplyDeleteBut", "DeleteDeb",
	"a", "A", "word", "Words", "This comment has been removed by the author.",
	"this   comment has been removed by a blog administrator.", "THIS COMMENT HAS BEEN REMOVED BY THE AUTHOR.",
	"the same paragraph repeated twice", "The  same paragraph\trepeated TWICE",
}

// handLines are lines picked for the edges of each pattern.
var handLines = []string{
	"", " ", "Saturday 5 March 2016", "Saturday, March 5, 2016", "saturday 05 march 2016",
	"ſaturday 5 March 2016", "Monday 31 February 2016", "Monday 29 February 2015", "Monday 29 February 2000",
	"Monday 29 February 1900", "Monday 29 February 0000", "Monday 0 March 2016", "Monday 1 Mayo 2016",
	"Monday,\t1\fMay\r2016", "Monday 1 May 2016 ", "Monday 123 May 2016", "Monday May 5,, 2016", "Monday May 5 ,2016",
	"50 comments:", "1 comment:", "No comments:", "no Comments", "NO COMMENTſ:", "0001 comments", "1comments", "1 comments::",
	"99999999999999999999 comments:", "1. text", "1.", "12345. text", "1.text", "1. \n text", "1.\n\ntext", "1. a\nb",
	"1. \xff", "This comment has been removed by the author.", "  this comment HAS been removed by the author.  ",
	"İ", "K", "a\u00a0b", "a\u0085b", "a\vb", "\xff\xfe", "ReplyDeletehello\nDelete\n  Delete\nDeleted\nDelete the x",
}

// randomLine joins up to n tricky pieces drawn by r.
func randomLine(r *rand.Rand, n int) string {
	var b strings.Builder
	for range r.IntN(n) + 1 {
		b.WriteString(trickyPieces[r.IntN(len(trickyPieces))])
	}
	return b.String()
}

// dateLines writes every day 0..32 of every month (and a wrong one) of
// years across the leap-year rules, in the three ways a date line can.
func dateLines() []string {
	months := []string{"January", "february", "MARCH", "April", "May", "June", "July", "August", "September",
		"October", "November", "December", "Smarch"}
	var out []string
	for _, y := range []string{"0000", "0001", "0004", "1900", "2000", "2015", "2016", "2100", "2400", "9999"} {
		for _, m := range months {
			for d := 0; d <= 32; d++ {
				out = append(out, fmt.Sprintf("Sunday %d %s %s", d, m, y), fmt.Sprintf("Sunday %02d %s %s", d, m, y),
					fmt.Sprintf("Sunday, %s %d, %s", m, d, y))
			}
		}
	}
	return out
}

// helperInputs are the golden test's inputs: hand lines, date lines, and
// random lines and groups of paragraphs from a fixed seed.
func helperInputs() (lines []string, groups [][]string) {
	lines = append(append(lines, handLines...), dateLines()...)
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		lines = append(lines, randomLine(r, 8))
	}
	for range 150 {
		paras := make([]string, r.IntN(3*smallUnit))
		for i := range paras {
			if i > 0 && r.IntN(4) == 0 {
				paras[i] = paras[r.IntN(i)]
			} else {
				paras[i] = randomLine(r, 6)
			}
		}
		groups = append(groups, paras)
	}
	return lines, groups
}

// lineAnswers is every line helper's answer on s, one string each, in a
// fixed order of helper names.
func lineAnswers(s string) map[string]string {
	d, dok := parseDateLine(s)
	n, nok := parseDeclared(s)
	num, rest, numok := parseNumbered(s)
	off, bin := binaryOffset([]byte(s))
	glued, alone := scanMarkers(s, true)
	if glued {
		alone = 0 // not counted once a glued marker is found
	}
	var sl strings.Builder
	for _, l := range splitLines(s) {
		fmt.Fprintf(&sl, "%d,%d,%q;", l.n, l.indent, l.text)
	}
	return map[string]string{
		"NormalizeText": fmt.Sprintf("%q", NormalizeText(s)),
		"parseDateLine": fmt.Sprintf("%q %v", d, dok),
		"parseDeclared": fmt.Sprintf("%d %v", n, nok),
		"parseNumbered": fmt.Sprintf("%d %q %v", num, rest, numok),
		"textStatus":    string(textStatus(s, NormalizeText(s))),
		"splitLines":    sl.String(),
		"binaryOffset":  fmt.Sprintf("%d %v", off, bin),
		"scanMarkers":   fmt.Sprintf("%v %d", glued, alone),
		"stableID":      stableID("c", s, "7"),
	}
}

// groupAnswers is the paragraph helpers' answer on paras.
func groupAnswers(paras []string) map[string]string {
	lines := make([]int, len(paras))
	for i := range lines {
		lines[i] = 3 * i
	}
	keys, kept, dropped := dedupeParas(paras, lines)
	key, repeat := "", false
	if len(paras) >= 2 {
		key, repeat = normalizeParas(paras, true)
	}
	p := Post{}
	for i, t := range paras {
		c := Comment{ID: fmt.Sprint(i), Text: t, Status: StatusPublished}
		if i%5 == 4 {
			c.Status = StatusDeleted
		}
		p.Comments = append(p.Comments, c)
	}
	n := MarkDuplicates(&p)
	var dups strings.Builder
	for _, c := range p.Comments {
		dups.WriteString(c.DuplicateOf + ",")
	}
	return map[string]string{
		"dedupeParas":    fmt.Sprintf("%q %v %v", keys, kept, dropped),
		"normalizeParas": fmt.Sprintf("%q %v", key, repeat),
		"MarkDuplicates": fmt.Sprintf("%d %s", n, dups.String()),
	}
}

// helperNames lists the helpers in the golden file's order.
var helperNames = []string{"NormalizeText", "parseDateLine", "parseDeclared", "parseNumbered", "textStatus",
	"splitLines", "binaryOffset", "scanMarkers", "stableID", "dedupeParas", "normalizeParas", "MarkDuplicates"}

// helperGolden computes the golden file's lines: one digest per helper over
// every input, then the hand lines' answers in full (for a readable diff).
func helperGolden() []string {
	lines, groups := helperInputs()
	h := map[string][]string{}
	for _, s := range lines {
		for k, v := range lineAnswers(s) {
			h[k] = append(h[k], fmt.Sprintf("%q\t%s", s, v))
		}
	}
	for _, g := range groups {
		for k, v := range groupAnswers(g) {
			h[k] = append(h[k], fmt.Sprintf("%q\t%s", g, v))
		}
	}
	var out []string
	for _, name := range helperNames {
		sum := sha256.Sum256([]byte(strings.Join(h[name], "\n")))
		out = append(out, fmt.Sprintf("%s %d %s", name, len(h[name]), hex.EncodeToString(sum[:16])))
	}
	for _, s := range handLines {
		a := lineAnswers(s)
		for _, name := range helperNames[:9] {
			out = append(out, fmt.Sprintf("%q %s %s", s, name, a[name]))
		}
	}
	return out
}

const helpersGolden = "testdata/helpers-golden.txt"

var updateHelpers = flag.Bool("update-helpers", false, "rewrite "+helpersGolden+" from the current helpers")

// TestHelpersGolden holds every helper to the answers it gave when the
// golden file was written (by the code whose outputs parse-golden pins).
func TestHelpersGolden(t *testing.T) {
	got := helperGolden()
	if *updateHelpers {
		if err := os.WriteFile(helpersGolden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(helpersGolden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	if len(got) != len(want) {
		t.Fatalf("%d golden lines, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s line %d:\n got  %s\n want %s", helpersGolden, i+1, got[i], want[i])
		}
	}
}

// checkProperties checks what any correct version of the helpers must do
// on s, whatever it answered before.
func checkProperties(t *testing.T, s string) {
	t.Helper()
	if n := NormalizeText(s); NormalizeText(n) != n {
		t.Errorf("NormalizeText is not idempotent on %q", s)
	}
	// binaryOffset finds the first byte text never holds.
	want, bad := 0, false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			want, bad = i, true
			break
		}
	}
	if off, ok := binaryOffset([]byte(s)); ok != bad || ok && off != want {
		t.Errorf("binaryOffset(%q) = %d, %v; want %d, %v", s, off, ok, want, bad)
	}
	if d, ok := parseDateLine(s); ok && !calendarDate(d) {
		t.Errorf("parseDateLine(%q) = %q, not a calendar date", s, d)
	}
	if n, ok := parseDeclared(s); ok && n < 0 {
		t.Errorf("parseDeclared(%q) = %d", s, n)
	}
	for i, l := range splitLines(s) {
		if l.n != i+1 || l.text != strings.TrimSpace(l.text) {
			t.Errorf("splitLines(%q) line %d = %+v", s, i, l)
		}
	}
}

// TestHelperProperties checks the properties on the golden inputs, and
// parseDateLine against the calendar: a line names a date exactly when the
// day exists in that month of that year.
func TestHelperProperties(t *testing.T) {
	lines, _ := helperInputs()
	for _, s := range lines {
		checkProperties(t, s)
		if t.Failed() {
			return
		}
	}
	for _, s := range dateLines() {
		f := strings.Fields(strings.ReplaceAll(s, ",", ""))
		day, month, year := f[1], f[2], f[3]
		if _, err := fmt.Sscan(day, new(int)); err != nil {
			day, month = f[2], f[1]
		}
		want := ""
		if t0, err := time.Parse("2 January 2006", strings.TrimLeft(day, "0")+" "+strings.ToUpper(month[:1])+strings.ToLower(month[1:])+" "+year); err == nil {
			want = t0.Format("2006-01-02")
		}
		if got, _ := parseDateLine(s); got != want {
			t.Errorf("parseDateLine(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzHelpers checks the properties on fuzzed lines.
func FuzzHelpers(f *testing.F) {
	for _, s := range append(trickyPieces, handLines...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkProperties(t, s)
		groupAnswers(strings.Split(s, "\n"))
	})
}
