package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The readers' hot helpers were rewritten for speed (match.go, the id
// hashing in model.go, dedupeParas, splitLines, binaryOffset, scanMarkers).
// This file keeps the straightforward versions they replaced, as they were,
// and checks the new ones give exactly the same answers on tricky and
// random input, and under fuzzing:
//
//	go test -run XXX -fuzz FuzzHelpersMatchReference -fuzztime 60s ./corpus/
//
// parse_golden_test.go checks the same of whole files.

var (
	refDateLineRe = regexp.MustCompile(`^(?i:(monday|tuesday|wednesday|thursday|friday|saturday|sunday)),?\s+` +
		`(?:(\d{1,2})\s+([A-Za-z]+)|([A-Za-z]+)\s+(\d{1,2}),?)\s+(\d{4})$`)
	refDeclaredRe = regexp.MustCompile(`^(?i:(\d+|no)\s+comments?:?)$`)
	refNumberedRe = regexp.MustCompile(`^(\d{1,4})\.(?:\s+(.*))?$`)
)

func refParseDateLine(s string) (string, bool) {
	m := refDateLineRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	day, month := m[2], m[3]
	if day == "" {
		day, month = m[5], m[4]
	}
	t, err := time.Parse("2 January 2006", day+" "+strings.ToUpper(month[:1])+strings.ToLower(month[1:])+" "+m[6])
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func refParseDeclared(s string) (int, bool) {
	m := refDeclaredRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	if strings.EqualFold(m[1], "no") {
		return 0, true
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, false
	}
	return n, true
}

func refParseNumbered(s string) (int, string, bool) {
	m := refNumberedRe.FindStringSubmatch(s)
	if m == nil {
		return 0, "", false
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2], true
}

func refNormalizeText(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func refStableID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return prefix + hex.EncodeToString(h.Sum(nil))[:16]
}

func refTextStatus(text string) Status {
	if len(text) > 100 {
		return StatusPublished
	}
	n := refNormalizeText(text)
	for _, r := range removedNotices {
		if n == r {
			return StatusDeleted
		}
	}
	return StatusPublished
}

func refDedupeParas(paras []string, lines []int) ([]string, []int, []int) {
	if len(paras) < 2 {
		return paras, lines, nil
	}
	seen := make(map[string]bool, len(paras))
	var keep []string
	var keepLines, dropped []int
	for i, p := range paras {
		k := refNormalizeText(p)
		if len(k) >= minRepeatLen && seen[k] {
			dropped = append(dropped, lines[i])
			continue
		}
		seen[k] = true
		keep = append(keep, p)
		keepLines = append(keepLines, lines[i])
	}
	return keep, keepLines, dropped
}

func refSplitLines(data string) []blLine {
	if strings.IndexByte(data, '\r') >= 0 {
		data = strings.ReplaceAll(data, "\r\n", "\n")
		data = strings.ReplaceAll(data, "\r", "\n")
	}
	raw := strings.Split(data, "\n")
	out := make([]blLine, len(raw))
	for i, s := range raw {
		ind := 0
		for _, r := range s {
			if r == ' ' {
				ind++
			} else if r == '\t' {
				ind += 4
			} else {
				break
			}
		}
		out[i] = blLine{n: i + 1, indent: ind, text: strings.TrimSpace(s)}
	}
	return out
}

func refBinaryOffset(data []byte) (int, bool) {
	for i, b := range data {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' {
			return i, true
		}
	}
	return 0, false
}

func refScanMarkers(data string) (glued bool, alone int) {
	if !strings.Contains(data, "Delete") {
		return false, 0
	}
	for len(data) > 0 {
		raw := data
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			data = ""
		}
		if !strings.Contains(raw, "Delete") {
			continue
		}
		kind, rest := splitMarker(strings.TrimSpace(raw))
		if kind == noMarker {
			continue
		}
		if rest != "" {
			return true, alone
		}
		if raw[0] != ' ' && raw[0] != '\t' {
			alone++
		}
	}
	return false, alone
}

func refMarkDuplicates(p *Post) int {
	n := 0
	seen := make(map[string]string, len(p.Comments))
	for i := range p.Comments {
		c := &p.Comments[i]
		if c.Status != StatusPublished {
			continue
		}
		key := refNormalizeText(c.Text)
		if key == "" {
			continue
		}
		if first, ok := seen[key]; ok {
			c.DuplicateOf = first
			n++
			continue
		}
		seen[key] = c.ID
	}
	return n
}

// checkLineHelpers compares every string helper with its reference on s.
func checkLineHelpers(t *testing.T, s string) {
	t.Helper()
	if got, want := NormalizeText(s), refNormalizeText(s); got != want {
		t.Errorf("NormalizeText(%q) = %q, want %q", s, got, want)
	}
	gd, gok := parseDateLine(s)
	wd, wok := refParseDateLine(s)
	if gd != wd || gok != wok {
		t.Errorf("parseDateLine(%q) = %q, %v; want %q, %v", s, gd, gok, wd, wok)
	}
	gn, gok := parseDeclared(s)
	wn, wok := refParseDeclared(s)
	if gn != wn || gok != wok {
		t.Errorf("parseDeclared(%q) = %d, %v; want %d, %v", s, gn, gok, wn, wok)
	}
	gn, gr, gok := parseNumbered(s)
	wn, wr, wok := refParseNumbered(s)
	if gn != wn || gr != wr || gok != wok {
		t.Errorf("parseNumbered(%q) = %d, %q, %v; want %d, %q, %v", s, gn, gr, gok, wn, wr, wok)
	}
	if got, want := textStatus(s, NormalizeText(s)), refTextStatus(s); got != want {
		t.Errorf("textStatus(%q) = %q, want %q", s, got, want)
	}
	if got, want := splitLines(s), refSplitLines(s); !reflect.DeepEqual(got, want) {
		t.Errorf("splitLines(%q) = %v, want %v", s, got, want)
	}
	go1, ok1 := binaryOffset([]byte(s))
	wo1, wok1 := refBinaryOffset([]byte(s))
	if go1 != wo1 || ok1 != wok1 {
		t.Errorf("binaryOffset(%q) = %d, %v; want %d, %v", s, go1, ok1, wo1, wok1)
	}
	gg, ga := scanMarkers(s, true)
	wg, wa := refScanMarkers(s)
	if gg != wg || (!gg && ga != wa) {
		t.Errorf("scanMarkers(%q) = %v, %d; want %v, %d", s, gg, ga, wg, wa)
	}
	if got, want := stableID("c", s, "7"), refStableID("c", s, "7"); got != want {
		t.Errorf("stableID(%q) = %q, want %q", s, got, want)
	}
	checkParaHelpers(t, strings.Split(s, "\n"))
}

// checkParaHelpers compares the paragraph-level helpers with their
// references on paras: repeat dropping, the joined key add uses for
// duplicate marking, and duplicate marking itself with paras as comments.
func checkParaHelpers(t *testing.T, paras []string) {
	t.Helper()
	lines := make([]int, len(paras))
	for i := range lines {
		lines[i] = 3 * i
	}
	gk, gl, gd := dedupeParas(paras, lines)
	wk, wl, wd := refDedupeParas(paras, lines)
	if !reflect.DeepEqual(gk, wk) || !reflect.DeepEqual(gl, wl) || !reflect.DeepEqual(gd, wd) {
		t.Errorf("dedupeParas(%q) = %q %v %v; want %q %v %v", paras, gk, gl, gd, wk, wl, wd)
	}
	if len(paras) >= 2 {
		key, repeat := normalizeParas(paras, true)
		if repeat != (len(wd) > 0) {
			t.Errorf("normalizeParas(%q) repeat = %v, want %v", paras, repeat, len(wd) > 0)
		}
		if want := refNormalizeText(strings.Join(paras, "\n")); !repeat && key != want {
			t.Errorf("normalizeParas(%q) key = %q, want %q", paras, key, want)
		}
	}
	var got, want Post
	var keys []string
	for i, p := range paras {
		c := Comment{ID: strconv.Itoa(i), Text: p, Status: StatusPublished}
		if i%5 == 4 {
			c.Status = StatusDeleted
		}
		got.Comments = append(got.Comments, c)
		want.Comments = append(want.Comments, c)
		keys = append(keys, NormalizeText(p))
	}
	gotKeyed := Post{Comments: append([]Comment(nil), got.Comments...)}
	nw := refMarkDuplicates(&want)
	if n := MarkDuplicates(&got); n != nw || !reflect.DeepEqual(got, want) {
		t.Errorf("MarkDuplicates(%q) = %d %+v; want %d %+v", paras, n, got.Comments, nw, want.Comments)
	}
	if n := markDuplicates(&gotKeyed, keys); n != nw || !reflect.DeepEqual(gotKeyed, want) {
		t.Errorf("markDuplicates with keys (%q) = %d %+v; want %d %+v", paras, n, gotKeyed.Comments, nw, want.Comments)
	}
}

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

// randomLine joins up to n tricky pieces drawn by r.
func randomLine(r *rand.Rand, n int) string {
	var b strings.Builder
	for range r.IntN(n) + 1 {
		b.WriteString(trickyPieces[r.IntN(len(trickyPieces))])
	}
	return b.String()
}

// TestHelpersMatchReference: the rewritten helpers agree with the code they
// replaced on hand-picked lines, on every day of every month written both
// ways across leap-year rules, and on random mixtures of tricky pieces.
func TestHelpersMatchReference(t *testing.T) {
	lines := []string{
		"", " ", "Saturday 5 March 2016", "Saturday, March 5, 2016", "saturday 05 march 2016",
		"ſaturday 5 March 2016", "Monday 31 February 2016", "Monday 29 February 2015", "Monday 29 February 2000",
		"Monday 29 February 1900", "Monday 29 February 0000", "Monday 0 March 2016", "Monday 1 Mayo 2016",
		"Monday,\t1\fMay\r2016", "Monday 1 May 2016 ", "Monday 123 May 2016", "Monday May 5,, 2016", "Monday May 5 ,2016",
		"50 comments:", "1 comment:", "No comments:", "no Comments", "NO COMMENTſ:", "0001 comments", "1comments", "1 comments::",
		"99999999999999999999 comments:", "1. text", "1.", "12345. text", "1.text", "1. \n text", "1.\n\ntext", "1. a\nb",
		"1. \xff", "This comment has been removed by the author.", "  this comment HAS been removed by the author.  ",
		"İ", "K", "a\u00a0b", "a\u0085b", "a\vb", "\xff\xfe", "ReplyDeletehello\nDelete\n  Delete\nDeleted\nDelete the x",
	}
	for _, s := range lines {
		checkLineHelpers(t, s)
	}
	months := []string{"January", "february", "MARCH", "April", "May", "June", "July", "August", "September",
		"October", "November", "December", "Smarch"}
	for _, y := range []string{"0000", "0001", "0004", "1900", "2000", "2015", "2016", "2100", "2400", "9999"} {
		for _, m := range months {
			for d := 0; d <= 32; d++ {
				for _, s := range []string{
					fmt.Sprintf("Sunday %d %s %s", d, m, y),
					fmt.Sprintf("Sunday %02d %s %s", d, m, y),
					fmt.Sprintf("Sunday, %s %d, %s", m, d, y),
				} {
					gd, gok := parseDateLine(s)
					wd, wok := refParseDateLine(s)
					if gd != wd || gok != wok {
						t.Errorf("parseDateLine(%q) = %q, %v; want %q, %v", s, gd, gok, wd, wok)
					}
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		checkLineHelpers(t, randomLine(r, 8))
		if t.Failed() {
			return
		}
	}
	// Units of many paragraphs, some repeated, to reach the map path of
	// the repeat check.
	for range n / 20 {
		paras := make([]string, r.IntN(3*smallUnit))
		for i := range paras {
			if i > 0 && r.IntN(4) == 0 {
				paras[i] = paras[r.IntN(i)]
			} else {
				paras[i] = randomLine(r, 6)
			}
		}
		checkParaHelpers(t, paras)
	}
}

// TestIDsMatchReference: PostID and CommentID hash as stableID did through
// fmt.
func TestIDsMatchReference(t *testing.T) {
	for _, name := range []string{"", "a.txt", "sample/000_x.txt", strings.Repeat("long/", 100) + "name.txt", "\xff"} {
		for _, i := range []int{0, 1, 9, 10, 99, 12345, -1} {
			if got, want := PostID(name, i), refStableID("p", name, fmt.Sprint(i)); got != want {
				t.Errorf("PostID(%q, %d) = %q, want %q", name, i, got, want)
			}
			if got, want := CommentID(name, i), refStableID("c", name, fmt.Sprint(i)); got != want {
				t.Errorf("CommentID(%q, %d) = %q, want %q", name, i, got, want)
			}
		}
	}
	if got, want := stableID("p", "x", "jsonl", "post 1"), refStableID("p", "x", "jsonl", "post 1"); got != want {
		t.Errorf("stableID = %q, want %q", got, want)
	}
}

// FuzzHelpersMatchReference: the same comparison on fuzzed lines.
func FuzzHelpersMatchReference(f *testing.F) {
	for _, s := range trickyPieces {
		f.Add(s)
	}
	f.Add("Saturday, March 5, 2016")
	f.Add("12 comments:")
	f.Add("1. a reply")
	f.Add("a\nb\na repeated paragraph here\na repeated paragraph here")
	f.Fuzz(func(t *testing.T, s string) {
		checkLineHelpers(t, s)
	})
}
