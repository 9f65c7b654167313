package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"chorus/models/sentiment/vader"
)

// TestWriteReadsBack checks that the file holds exactly chorus's lexicon in
// the layout NLTK's make_lex_dict reads: one word<TAB>valence per line, no
// empty line, no line end after the last.
func TestWriteReadsBack(t *testing.T) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	want, err := vader.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if strings.HasSuffix(text, "\n") {
		t.Error("the file ends with a line end: NLTK would read an empty entry")
	}
	got := vader.Lexicon{}
	for n, line := range strings.Split(text, "\n") {
		fields := strings.Split(strings.TrimSpace(line), "\t")
		if len(fields) != 2 {
			t.Fatalf("line %d: %q is not word<TAB>valence", n+1, line)
		}
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		got[fields[0]] = v
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries read back, lexicon has %d", len(got), len(want))
	}
	for w, v := range want {
		if got[w] != v {
			t.Errorf("%q: read back %v, want %v", w, got[w], v)
		}
	}
}
