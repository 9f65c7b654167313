package corpus

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		opts Options
		want string
	}{
		{"empty", nil, Options{}, "empty file"},
		{"whitespace only", []byte(" \n\t\n"), Options{}, "empty file"},
		{"binary", append([]byte("PK\x03\x04"), make([]byte, 20)...), Options{}, "binary content: control byte 0x03 at byte offset 2"},
		{"nul later", []byte("Monday 1 June 2015\n\nTitle\x00"), Options{}, "byte offset 25"},
		{"too big", bytes.Repeat([]byte("a"), 101), Options{MaxFileSize: 100}, "over the limit of 100"},
		{"no structure", []byte("zebra quilting\nfennel\n"), Options{}, "no recognisable structure: line 1 starts no"},
		{"truncated xml", []byte("<?xml version='1.0'?>\n<feed>\n<entry><title>cut"), Options{}, "atom: line 3: XML ends early"},
		{"forced format mismatch", []byte("{\"post_id\": \"a\", \"text\": \"b\"}"), Options{Format: FormatAtom}, "atom: line 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, rej := Parse("in/"+c.name, c.data, c.opts)
			if doc != nil || rej == nil {
				t.Fatalf("got doc %v, want a reject", doc)
			}
			if rej.Path != "in/"+c.name || !strings.Contains(rej.Reason, c.want) {
				t.Errorf("reject = %q, want reason containing %q", rej.Error(), c.want)
			}
			// A reason names the file, the line and the rule, never the
			// content: no word of the file may appear in it.
			for _, w := range strings.Fields(string(c.data)) {
				if len(w) > 3 && strings.Contains(rej.Reason, w) && c.name == "no structure" {
					t.Errorf("reason %q quotes the file's content (%q)", rej.Reason, w)
				}
			}
			if len(c.data) > 0 && len(rej.SHA256) != 64 {
				t.Errorf("reject has no digest: %q", rej.SHA256)
			}
		})
	}
}

func TestParseRepairsUTF8(t *testing.T) {
	data := []byte("{\"post_id\": \"a\", \"text\": \"caf\xe9 and \xff\xfe crowd\"}\n")
	doc, rej := Parse("latin1.jsonl", data, Options{Encoding: "utf-8"})
	if rej != nil {
		t.Fatal(rej)
	}
	got := doc.Posts[0].Comments[0].Text
	if got != "caf\uFFFD and \uFFFD crowd" {
		t.Errorf("text = %q", got)
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0].Text, "2 sequence(s), the first at byte offset 29") ||
		doc.Warnings[0].Kind != WarnEncoding || doc.Warnings[0].Offset != 29 || doc.Warnings[0].Count != 2 {
		t.Errorf("warnings = %+v", doc.Warnings)
	}
}

// A file that is not UTF-8 and says nothing is decoded as Windows-1252 by
// default (Latin-1 and cp1252 files are the common case), with a warning;
// --encoding forces one reading for every file.
func TestParseEncodings(t *testing.T) {
	data := []byte("{\"post_id\": \"a\", \"text\": \"caf\xe9 \x96 na\xefve \x80\"}\n")
	for enc, want := range map[string]string{
		"":       "café – naïve €",
		"auto":   "café – naïve €",
		"cp1252": "café – naïve €",
		"latin1": "café \u0096 naïve \u0080",
		"utf-8":  "caf\uFFFD \uFFFD na\uFFFDve \uFFFD",
	} {
		doc, rej := Parse("x.jsonl", data, Options{Encoding: enc})
		if rej != nil {
			t.Fatal(rej)
		}
		if got := doc.Posts[0].Comments[0].Text; got != want {
			t.Errorf("encoding %q: text %q, want %q", enc, got, want)
		}
		warned := len(doc.Warnings) == 1 && doc.Warnings[0].Kind == WarnEncoding
		if wantWarn := enc == "" || enc == "auto" || enc == "utf-8"; warned != wantWarn {
			t.Errorf("encoding %q: warnings %+v", enc, doc.Warnings)
		}
	}
	utf := []byte("{\"post_id\": \"a\", \"text\": \"café\"}\n")
	if doc, _ := Parse("u.jsonl", utf, Options{}); doc.Posts[0].Comments[0].Text != "café" || len(doc.Warnings) != 0 {
		t.Errorf("valid UTF-8 read as %q, warnings %+v", doc.Posts[0].Comments[0].Text, doc.Warnings)
	}
}

// TestParseAutoEncoding: in auto mode a UTF-8 file with a few stray
// Windows-1252 bytes keeps its UTF-8 and has only the strays decoded as
// cp1252; a file that is Windows-1252 throughout decodes whole, as before,
// even where two of its bytes happen to form a UTF-8 sequence.
func TestParseAutoEncoding(t *testing.T) {
	// Each case: its name, the comment's text in the file, the text read,
	// and the warning's Count and Offset (the text starts at byte 26).
	for _, tc := range []struct {
		name, text, want string
		count, offset    int
	}{
		{"utf-8 with one stray 0x92", "don’t stop, they don’t care, it\x92s fine",
			"don’t stop, they don’t care, it’s fine", 1, 26 + len("don’t stop, they don’t care, it")},
		{"utf-8 with strays of several kinds", "naïve café — “quoted” and caf\xe9 \x96 na\xefve\x85 \x80",
			"naïve café — “quoted” and café – naïve… €", 5, 26 + len("naïve café — “quoted” and caf")},
		{"one valid sequence, one stray: read as UTF-8", "café \x93ok", "café “ok", 1, 26 + len("café ")},
		{"cp1252 throughout", "caf\xe9 \x96 na\xefve \x93quoted\x94 \x80 \xa3 \xbd",
			"café – naïve “quoted” € £ ½", 8, 26 + len("caf")},
		// C9 92 and C3 A9 are valid UTF-8 (ɒ, é); in this file they are
		// cp1252 like the rest of it.
		{"cp1252 with accidental UTF-8 sequences", "CAF\xc9\x92 d\xe9j\xe0 vu, L\xc3\xa9on na\xefve \x96 \x93q\x94",
			"CAFÉ’ déjà vu, LÃ©on naïve – “q”", 10, 26 + len("CAF\xc9\x92 d")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte("{\"post_id\": \"a\", \"text\": \"" + tc.text + "\"}\n")
			doc, rej := Parse("x.jsonl", data, Options{})
			if rej != nil {
				t.Fatal(rej)
			}
			if got := doc.Posts[0].Comments[0].Text; got != tc.want {
				t.Errorf("text %q, want %q", got, tc.want)
			}
			if len(doc.Warnings) != 1 {
				t.Fatalf("warnings %+v, want one", doc.Warnings)
			}
			w := doc.Warnings[0]
			if w.Kind != WarnEncoding || w.Count != tc.count || w.Offset != int64(tc.offset) ||
				!strings.Contains(w.Action(), fmt.Sprintf(" %d ", tc.count)) || !strings.Contains(w.Action(), "decoded as Windows-1252") {
				t.Errorf("warning %+v, want count %d at offset %d, the count in its action", w, tc.count, tc.offset)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	cases := map[string]Format{
		"testdata/atom/classic.xml":     FormatAtom,
		"testdata/atom/takeout.xml":     FormatAtom,
		"testdata/jsonl/comments.jsonl": FormatJSONL,
	}
	for path, want := range cases {
		if got, why := Sniff(readFixture(t, path)); got != want {
			t.Errorf("Sniff(%s) = %q (%s), want %q", path, got, why, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	if f, err := ParseFormat("auto"); err != nil || f != "" {
		t.Errorf("auto = %q %v", f, err)
	}
	if f, err := ParseFormat("atom"); err != nil || f != FormatAtom {
		t.Errorf("atom = %q %v", f, err)
	}
	if _, err := ParseFormat("csv"); err == nil || !strings.Contains(err.Error(), "blogger") {
		t.Errorf("csv: err = %v", err)
	}
}

func TestDatesAndDuplicates(t *testing.T) {
	data := []byte(`{"post_id": "a", "text": "Same words here."}
{"post_id": "a", "text": "  same   WORDS here. "}
{"post_id": "a", "text": "Different."}
`)
	dates := map[string]string{"undated.jsonl": "2016-02-03"}
	doc, rej := Parse("dir/undated.jsonl", data, Options{Dates: dates})
	if rej != nil {
		t.Fatal(rej)
	}
	p := doc.Posts[0]
	if p.Date != "2016-02-03" || p.DateSource != DateFromTable {
		t.Errorf("date = %q from %q, want 2016-02-03 from dates.tsv", p.Date, p.DateSource)
	}
	cs := p.Comments
	if cs[1].DuplicateOf != cs[0].ID || cs[1].Counted() || !cs[0].Counted() || cs[2].DuplicateOf != "" {
		t.Errorf("duplicates: %+v", cs)
	}
	undated, _ := Parse("other.jsonl", data, Options{Dates: dates})
	if undated.Posts[0].Date != "" || undated.Posts[0].DateSource != DateNone {
		t.Errorf("undated post got %q %q", undated.Posts[0].Date, undated.Posts[0].DateSource)
	}
}

func TestCommentSizeLimit(t *testing.T) {
	data := []byte(`{"post_id": "a", "text": "short"}
{"post_id": "a", "text": "` + strings.Repeat("long ", 10) + `"}
`)
	doc, rej := Parse("x.jsonl", data, Options{MaxCommentBytes: 20})
	if rej != nil {
		t.Fatal(rej)
	}
	c := doc.Posts[0].Comments
	if c[0].Status != StatusPublished || c[1].Status != StatusOversize || c[1].Text != "" {
		t.Errorf("comments = %+v", c)
	}
	if !strings.Contains(strings.Join(texts(doc.Warnings), "\n"), "comment 2: text is 49 bytes, over the limit of 20") {
		t.Errorf("flags = %q", texts(doc.Warnings))
	}
}

func TestParseDates(t *testing.T) {
	good := "# file\tdate\n001_x.txt\t2015-06-01\n\n002_y.txt\t2016-01-31\n"
	m, err := ParseDates("dates.tsv", []byte(good))
	if err != nil || m["001_x.txt"] != "2015-06-01" || m["002_y.txt"] != "2016-01-31" || len(m) != 2 {
		t.Fatalf("ParseDates = %v, %v", m, err)
	}
	bad := map[string]string{
		"a.txt 2015-06-01\n":                   "dates.tsv:1: want",
		"a.txt\t2015-02-30\n":                  "dates.tsv:1: the second field is not a date",
		"a.txt\t0001-01-01\n":                  "dates.tsv:1: the second field is not a date",
		"a.txt\t2015-02-03\na.txt\t2015-02-04": "dates.tsv:2: the file named here is dated twice",
	}
	for in, want := range bad {
		if _, err := ParseDates("dates.tsv", []byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDates(%q) err = %v, want %q", in, err, want)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.jsonl")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, rej := ReadFile(context.Background(), big, Options{MaxFileSize: 1024}); rej == nil || !strings.Contains(rej.Reason, "larger than the limit of 1024") {
		t.Errorf("big file: %v", rej)
	}
	if _, rej := ReadFile(context.Background(), filepath.Join(dir, "missing"), Options{}); rej == nil || !strings.Contains(rej.Reason, "no such file") {
		t.Errorf("missing file: %v", rej)
	}
	doc, rej := ReadFile(context.Background(), "testdata/atom/takeout.xml", Options{})
	if rej != nil || doc.Format != FormatAtom || doc.Path != "testdata/atom/takeout.xml" {
		t.Errorf("takeout: %v %v", doc, rej)
	}
}

// TestDecodeAutoNoUTF8Sequences: a file with no valid multi-byte UTF-8
// sequence decodes exactly as a whole-file Windows-1252 decode (as every
// such file did before strays were told apart), and the output is always
// valid UTF-8.
func TestDecodeAutoNoUTF8Sequences(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := range 2000 {
		data := make([]byte, 1+rng.IntN(40))
		for i := range data {
			if rng.IntN(3) == 0 {
				data[i] = byte(0x80 + rng.IntN(0x80))
			} else {
				data[i] = byte(' ' + rng.IntN(0x5f))
			}
		}
		if utf8.Valid(data) {
			continue
		}
		out, w := decodeAuto(data)
		if !utf8.Valid(out) || w == nil {
			t.Fatalf("trial %d: %q decoded to invalid UTF-8 %q, warning %v", trial, data, out, w)
		}
		multi := 0
		for s := string(data); s != ""; {
			r, size := utf8.DecodeRuneInString(s)
			if r != utf8.RuneError && size > 1 {
				multi++
			}
			s = s[size:]
		}
		whole, _ := charmap.Windows1252.NewDecoder().Bytes(data)
		if multi == 0 && !bytes.Equal(out, whole) {
			t.Fatalf("trial %d: %q decoded to %q, want the whole-file cp1252 %q", trial, data, out, whole)
		}
	}
}
