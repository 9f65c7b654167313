package domain

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Entry is one overlay line: the valence a term gets on VADER's -4..+4
// scale, why, and where it was read (for error messages and the docs).
//
// A single word with valence 0 is removed from the lexicon (it then counts
// as an ordinary word, as in plain English it should when it only names the
// work). A phrase with valence 0 stays in the lexicon: matching it stops its
// words scoring on their own ("probation trust" keeps "trust" quiet).
type Entry struct {
	Valence float64
	Reason  string
	Line    int
}

// maxValence bounds entries to VADER's scale; anything outside is a typo.
const maxValence = 4

// ParseLexicon parses a researcher's overlay (the --lexicon file) read from
// path (named in errors): the same format as the built-in overlay.tsv,
// `term<TAB>valence<TAB>reason` per line, blank lines and lines starting
// with # ignored. Its entries (Options.Lexicon) add to or override the
// built-in overlay. Errors name the file and line. The caller reads the
// file (pipeline, through internal/fsread).
func ParseLexicon(path string, data []byte) (map[string]Entry, error) {
	m, err := parseOverlay(data, false)
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", path, err)
	}
	return m, nil
}

// parseOverlay parses overlay TSV. needReason is set for the built-in file,
// where every entry must say why it is there; a researcher's file may leave
// the reason out.
func parseOverlay(b []byte, needReason bool) (map[string]Entry, error) {
	out := make(map[string]Entry)
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // spreadsheet exports add a BOM
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || len(fields) > 3 {
			return nil, fmt.Errorf("line %d: want term<TAB>valence<TAB>reason, got %d tab-separated fields", n, len(fields))
		}
		term := normaliseTerm(fields[0])
		if term == "" {
			return nil, fmt.Errorf("line %d: empty term", n)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(fields[1]), 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: valence of %q: %w", n, term, err)
		}
		if math.IsNaN(v) || math.Abs(v) > maxValence {
			return nil, fmt.Errorf("line %d: valence of %q is %v, outside -4..+4", n, term, v)
		}
		reason := ""
		if len(fields) == 3 {
			reason = strings.TrimSpace(fields[2])
		}
		if needReason && reason == "" {
			return nil, fmt.Errorf("line %d: %q has no reason", n, term)
		}
		if prev, dup := out[term]; dup {
			return nil, fmt.Errorf("line %d: %q already defined on line %d", n, term, prev.Line)
		}
		out[term] = Entry{Valence: v, Reason: reason, Line: n}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	return out, nil
}

// normaliseTerm lowercases a term and collapses its whitespace, the form the
// VADER engine matches words and phrases in.
func normaliseTerm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
