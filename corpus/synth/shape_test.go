package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"chorus/corpus"
)

func TestCountSentences(t *testing.T) {
	cases := []struct {
		text string
		want int
	}{
		{"", 0},
		{"Well said Jim", 1},
		{"Well said. Jim is right!", 2},
		{"There's a thought.....", 1},
		{"10.41 and 11.07 are both wrong.", 1},
		{"Books are going to......nowhere.", 1},
		{"Is that \"probation\"? No.", 2},
		{"First line\nSecond line. Third?", 3},
		{"He said (quietly.) Then left", 2},
		{"   \n", 0},
	}
	for _, c := range cases {
		if got := countSentences(c.text); got != c.want {
			t.Errorf("countSentences(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}

func TestFeatureDetectors(t *testing.T) {
	cases := []struct {
		text              string
		time, quote, link bool
	}{
		{"10.41 I agree with you", true, false, false},
		{"Anon 09:38 - spot on", true, false, false},
		{"I agree @7.05.", true, false, false},
		{"£18.50 an hour", false, false, false},
		{"up by 12.50% this year", false, false, false},
		{"in 2016 and 1.5 million", false, false, false},
		{"at 25.10 it cannot be a time", false, false, false},
		{"they said \"we value our staff\" again", false, true, false},
		{"they said “we value our staff” again", false, true, false},
		{"'scare quotes' are not \"quotes\"", false, false, false},
		{"\"one\" and \"two\"", false, false, false},
		{"see https://example.org/x", false, false, true},
		{"www.example.com", false, false, true},
		{"look at example.org/probation/news", false, false, true},
		{"mail someone@example.gov.uk/", false, false, false},
		{"a sentence.with no link", false, false, false},
	}
	for _, c := range cases {
		if got := hasTimeRef(c.text); got != c.time {
			t.Errorf("hasTimeRef(%q) = %v", c.text, got)
		}
		if got := hasQuote(c.text); got != c.quote {
			t.Errorf("hasQuote(%q) = %v", c.text, got)
		}
		if got := hasURL(c.text); got != c.link {
			t.Errorf("hasURL(%q) = %v", c.text, got)
		}
	}
}

// TestMeasurerQuantiles checks the nearest-rank quantiles and Merge against
// a sort of the same lengths.
func TestMeasurerQuantiles(t *testing.T) {
	r := newRNG(3, 9, 0)
	var whole, a, b Measurer
	var lengths []int
	for k := range 1001 {
		n := 1 + r.intn(5000)
		text := string(bytes.Repeat([]byte("x"), n))
		lengths = append(lengths, n)
		whole.add(text, false, false)
		if k%2 == 0 {
			a.add(text, false, false)
		} else {
			b.add(text, false, false)
		}
	}
	a.Merge(&b)
	sort.Ints(lengths)
	for _, p := range []float64{0, 0.01, 0.5, 0.9, 0.99, 1} {
		want := lengths[max(int(math.Ceil(p*float64(len(lengths))))-1, 0)]
		if got := whole.quantile(p); got != want {
			t.Errorf("quantile(%v) = %d, want %d", p, got, want)
		}
		if got := a.quantile(p); got != want {
			t.Errorf("merged quantile(%v) = %d, want %d", p, got, want)
		}
	}
	if whole.Shape() != a.Shape() {
		t.Errorf("merged shape %+v, want %+v", a.Shape(), whole.Shape())
	}
	var empty Measurer
	if s := empty.Shape(); s != (Shape{}) {
		t.Errorf("empty shape %+v", s)
	}
}

// TestRealShapeMatchesSeeds generates a real-shape archive, reads it back
// with the corpus readers and checks that what a run would read has the
// seeds' shape (SeedShape) within the tolerances below, and that Generate
// reported exactly that shape.
func TestRealShapeMatchesSeeds(t *testing.T) {
	opts := DefaultOptions()
	opts.Comments, opts.Seed, opts.BadFiles = 20000, 1, false
	if testing.Short() {
		opts.Comments = 5000
	}
	dir, st := generate(t, opts)
	var m Measurer
	for name, data := range readTree(t, dir) {
		doc, rej := corpus.Parse(name, data, corpus.Options{})
		if rej != nil {
			t.Fatalf("%s rejected: %v", name, rej)
		}
		for i := range doc.Posts {
			m.AddPost(&doc.Posts[i])
		}
	}
	got, want := m.Shape(), SeedShape
	t.Logf("generated %+v", got)
	if got != st.Shape {
		t.Errorf("Generate reported\n%+v\nthe files read back give\n%+v", st.Shape, got)
	}
	rel := func(name string, g, w, tol float64) {
		t.Helper()
		if math.Abs(g-w) > tol*w {
			t.Errorf("%s: generated %.3f, seeds %.3f: off by more than %.0f%%", name, g, w, 100*tol)
		}
	}
	abs := func(name string, g, w, tol float64) {
		t.Helper()
		if math.Abs(g-w) > tol {
			t.Errorf("%s: generated %.3f, seeds %.3f: off by more than %.3f", name, g, w, tol)
		}
	}
	rel("mean length", got.Length.Mean, want.Length.Mean, 0.05)
	rel("median length", float64(got.Length.Median), float64(want.Length.Median), 0.05)
	rel("p90 length", float64(got.Length.P90), float64(want.Length.P90), 0.06)
	rel("p99 length", float64(got.Length.P99), float64(want.Length.P99), 0.10)
	rel("sentences per comment", got.Sentences, want.Sentences, 0.05)
	rel("paragraphs per comment", got.Paragraphs, want.Paragraphs, 0.05)
	abs("multi-paragraph share", got.MultiParagraph, want.MultiParagraph, 0.03)
	abs("time-reference share", got.TimeRefs, want.TimeRefs, 0.02)
	abs("quoting share", got.Quotes, want.Quotes, 0.02)
	abs("link share", got.URLs, want.URLs, 0.01)
	abs("reply share", got.Replies, want.Replies, 0.04)
	rel("comments per post", got.PerPost, want.PerPost, 0.10)
}

// TestShortShapeUnchanged pins the short shape's archives to the bytes the
// generator wrote before the real shape existed, so figures measured on
// them can be reproduced. The digests were taken from the generator as it
// was before (commit 235adf0), over every file's slash path, a NUL and its
// bytes, in path order.
func TestShortShapeUnchanged(t *testing.T) {
	want := map[string]string{
		"blogger": "c7c7576e977a3914fc552ef5f6f2b609eb2c7f96cdf84aa1d5a1a027228cf0ca",
		"atom":    "043a9e0752b2abd0b136715c19009d2e4fd901bfc5f9154a472896b2a6edae7a",
		"jsonl":   "65fc7abf6fb2d6fd230b31c8ef68f280d9cb3fc9c54ce9823957dcdf0e551310",
	}
	for _, format := range Formats() {
		opts := DefaultOptions()
		opts.Comments, opts.Seed, opts.Format, opts.Shape = 1500, 5, format, "short"
		dir, _ := generate(t, opts)
		files := readTree(t, dir)
		h := sha256.New()
		for _, name := range slices.Sorted(maps.Keys(files)) {
			h.Write([]byte(filepath.ToSlash(name) + "\x00"))
			h.Write(files[name])
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != want[format] {
			t.Errorf("%s: short-shape archive digest %s, want %s", format, got, want[format])
		}
	}
}
