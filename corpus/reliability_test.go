package corpus

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// within fails the test when fn does not return within d: a read that
// blocks on a pipe would otherwise hang the test binary until its timeout.
func within(t *testing.T, d time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still blocked after %v", d)
	}
}

// A named pipe among the inputs, or a symlink to one, or one in place of
// dates.tsv, is refused at once instead of blocking the run forever.
func TestReadRefusesPipes(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.txt")
	mkfifo(t, fifo)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, link} {
		within(t, 5*time.Second, func() {
			_, rej := ReadBytes(p, 0)
			if rej == nil || !strings.Contains(rej.Reason, "not a regular file (a named pipe)") {
				t.Errorf("%s: reject %v, want not a regular file", p, rej)
			}
		})
	}
	dates := filepath.Join(t.TempDir(), DatesFile)
	mkfifo(t, dates)
	within(t, 5*time.Second, func() {
		if _, err := ReadDates(dates); err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("dates.tsv pipe: err %v", err)
		}
	})
}

// dates.tsv is read within a bound, not whole whatever its size.
func TestReadDatesBounded(t *testing.T) {
	p := filepath.Join(t.TempDir(), DatesFile)
	line := []byte("a.txt\t2015-06-01\n")
	if err := os.WriteFile(p, bytes.Repeat(line, MaxDatesBytes/len(line)+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDates(p); err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("oversized dates.tsv: err %v", err)
	}
}

func utf16File(order binary.AppendByteOrder, bom []byte, s string) []byte {
	out := append([]byte{}, bom...)
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// UTF-16 files with a byte order mark are decoded, not taken for binary.
func TestParseUTF16(t *testing.T) {
	text := `{"post_id": "p", "post_date": "2015-06-01", "text": "Caseloads are up again — café talk"}` + "\n"
	for name, data := range map[string][]byte{
		"le.jsonl": utf16File(binary.LittleEndian, []byte{0xFF, 0xFE}, text),
		"be.jsonl": utf16File(binary.BigEndian, []byte{0xFE, 0xFF}, text),
	} {
		doc, rej := Parse(name, data, Options{})
		if rej != nil {
			t.Fatalf("%s: rejected: %s", name, rej.Reason)
		}
		if got := doc.Posts[0].Comments[0].Text; got != "Caseloads are up again — café talk" {
			t.Errorf("%s: text %q", name, got)
		}
		if !strings.Contains(strings.Join(texts(doc.Warnings), "\n"), "UTF-16") {
			t.Errorf("%s: flags %q do not say it was decoded", name, texts(doc.Warnings))
		}
		if doc.Size != int64(len(data)) {
			t.Errorf("%s: size %d, want the file's %d bytes", name, doc.Size, len(data))
		}
	}
}

// Dates outside 1970..2099 leave the post undated, with a flag.
func TestParseImplausibleDates(t *testing.T) {
	data := []byte(`{"post_id": "a", "post_date": "0001-01-01", "text": "old"}
{"post_id": "b", "post_date": "2015-06-01", "text": "fine"}
`)
	doc, rej := Parse("d.jsonl", data, Options{})
	if rej != nil {
		t.Fatal(rej.Reason)
	}
	dates := map[string]string{}
	for _, p := range doc.Posts {
		dates[p.Comments[0].Text] = p.Date
	}
	if dates["fine"] != "2015-06-01" || dates["old"] != "" {
		t.Errorf("dates %v", dates)
	}
	atom := []byte(`<?xml version="1.0"?><feed><entry><id>p1</id><published>9999-12-31T00:00:00Z</published>
<category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#post"/>
<title>t</title><content>body</content></entry></feed>`)
	doc, rej = Parse("d.xml", atom, Options{})
	if rej != nil {
		t.Fatal(rej.Reason)
	}
	if doc.Posts[0].Date != "" || !strings.Contains(strings.Join(texts(doc.Warnings), "\n"), "outside 1970-01-01..2099-12-31") {
		t.Errorf("atom 9999: date %q flags %q", doc.Posts[0].Date, texts(doc.Warnings))
	}
}

// Hostile XML is stopped by its nesting depth or its token count, early,
// instead of costing a minute and gigabytes: 64 MiB of "<a>" once took 73 s
// and 1.7 GB.
func TestXMLBudget(t *testing.T) {
	deep := []byte(`<?xml version="1.0"?><feed>` + strings.Repeat("<a>", 200000))
	doc, rej := Parse("deep.xml", deep, Options{})
	if doc != nil || rej == nil || !strings.Contains(rej.Reason, "nested more than 256 deep") {
		t.Fatalf("deep XML: doc %v reject %v", doc != nil, rej)
	}
	inEntry := []byte(`<?xml version="1.0"?><feed><entry><content>` + strings.Repeat("<b>", 300))
	if _, rej := Parse("deep-entry.xml", inEntry, Options{}); rej == nil || !strings.Contains(rej.Reason, "nested more than 256 deep") {
		t.Fatalf("deep entry: reject %v", rej)
	}
	// The token budget counts the tokens DecodeElement reads too.
	many := []byte(`<feed><entry>` + strings.Repeat("<x/>", 100) + `</entry></feed>`)
	dec, _ := newXMLDecoderLimits(many, MaxXMLDepth, 50)
	var err error
	for err == nil {
		_, err = dec.Token()
	}
	if !strings.Contains(err.Error(), "more than 50 XML tokens") {
		t.Fatalf("token budget: %v", err)
	}
}
