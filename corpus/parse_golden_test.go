package corpus_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"chorus/corpus"
	"chorus/corpus/synth"
	"chorus/internal/sharedtest"
)

// The parse goldens pin every field of every Document (and every Reject
// reason) that corpus.Parse makes of a fixed set of inputs, so that work on
// the readers' speed cannot change what they read. They were written from
// the readers as they stood before that work, and are rewritten only on
// purpose:
//
//	go test ./corpus/ -run TestParseGolden -update
//
// testdata/parse-golden.txt holds one line per input: its name, the
// SHA-256 of its bytes, what it parsed to, and the SHA-256 of the result's
// JSON encoding. testdata/parse-golden-docs.json holds the whole JSON of a
// few of the results, so that a failure shows which field moved.
// testdata/parse-golden-seeds.txt holds the digest lines of the real dumps
// in ../shared/corpus/seeds (hashes only: their text stays out of the
// repository); it is checked only where shared/ is present.
//
// The generated archives come from corpus/synth, which itself reads the
// sample through corpus.Parse. A line whose in= hash moved means the input
// changed (synth or the sample was edited), not necessarily the readers:
// check the readers against the old goldens first, then -update.
var update = flag.Bool("update", false, "rewrite testdata/parse-golden* from the current corpus.Parse")

const (
	goldenDigest = "testdata/parse-golden.txt"
	goldenDocs   = "testdata/parse-golden-docs.json"
	goldenSeeds  = "testdata/parse-golden-seeds.txt"
)

// goldenInput is one file to parse, under the name the ids are seeded with.
type goldenInput struct {
	name string
	data []byte
	opts corpus.Options
	full bool // keep the whole JSON in goldenDocs
}

// parseResult is what Parse returned, in the form that is hashed.
type parseResult struct {
	Doc    *corpus.Document `json:",omitempty"`
	Reject *corpus.Reject   `json:",omitempty"`
}

func parseOne(t testing.TB, in goldenInput) (line string, full []byte) {
	t.Helper()
	doc, rej := corpus.Parse(in.name, in.data, in.opts)
	enc, err := json.Marshal(parseResult{Doc: doc, Reject: rej})
	if err != nil {
		t.Fatalf("%s: encode result: %v", in.name, err)
	}
	what := "reject"
	if doc != nil {
		comments := 0
		for _, p := range doc.Posts {
			comments += len(p.Comments)
		}
		what = fmt.Sprintf("%s posts=%d comments=%d flags=%d", doc.Format, len(doc.Posts), comments, len(doc.Warnings))
	}
	in1 := sha256.Sum256(in.data)
	out := sha256.Sum256(enc)
	line = fmt.Sprintf("%s in=%s %s out=%s", in.name, hex.EncodeToString(in1[:8]), what, hex.EncodeToString(out[:]))
	if in.full {
		full, err = json.MarshalIndent(parseResult{Doc: doc, Reject: rej}, "", "  ")
		if err != nil {
			t.Fatalf("%s: encode result: %v", in.name, err)
		}
	}
	return line, full
}

// sampleInputs is the bundled sample archive read three ways: as the
// pipeline reads it (dates.tsv applied), every text file forced through the
// flattened reader, and with a small comment limit so the oversize path runs.
func sampleInputs(t *testing.T) []goldenInput {
	t.Helper()
	fsys := corpus.Sample()
	names, err := fs.Glob(fsys, "*")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	datesData, err := fs.ReadFile(fsys, corpus.DatesFile)
	if err != nil {
		t.Fatal(err)
	}
	dates, err := corpus.ParseDates(corpus.DatesFile, datesData)
	if err != nil {
		t.Fatal(err)
	}
	fullDocs := map[string]bool{
		"000_2014-02-10_letters-in-the-post.txt":               true,
		"010_2015-06-15_reader-messages-to-the-minister.jsonl": true,
		"017_2016-05-09_pick-of-the-week-2.txt":                true,
		"027_2017-07-03_through-the-gate-or-not.xml":           true,
		"035_2018-09-17_pick-of-the-week-flat.txt":             true,
	}
	var ins []goldenInput
	for _, name := range names {
		if name == corpus.DatesFile || strings.EqualFold(name, "README.md") {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, goldenInput{name: "sample/" + name, data: data, opts: corpus.Options{Dates: dates}, full: fullDocs[name]})
	}
	var more []goldenInput
	for _, in := range ins {
		if strings.HasSuffix(in.name, ".txt") {
			more = append(more, goldenInput{name: "sample-flattened/" + path.Base(in.name), data: in.data,
				opts: corpus.Options{Format: corpus.FormatFlattened}})
		}
		more = append(more, goldenInput{name: "sample-limit300/" + path.Base(in.name), data: in.data,
			opts: corpus.Options{MaxCommentBytes: 300}})
	}
	return append(ins, more...)
}

// fixtureInputs are the readers' own test files.
func fixtureInputs(t *testing.T) []goldenInput {
	t.Helper()
	var ins []goldenInput
	for _, dir := range []string{"atom", "blogger", "flattened", "jsonl", "wxr", "disqus", "bloggerhtml"} {
		ins = append(ins, dirInputs(t, filepath.Join("testdata", dir), "testdata/"+dir, corpus.Options{})...)
	}
	return ins
}

// synthInputs generates a small archive in every layout synth writes, bad
// files included, with fixed seeds.
func synthInputs(t *testing.T) []goldenInput {
	t.Helper()
	var ins []goldenInput
	for i, format := range synth.Formats() {
		out := filepath.Join(t.TempDir(), format)
		opts := synth.DefaultOptions()
		opts.Format = format
		opts.Shape = "short" // the shape the golden files were made from
		opts.Comments = 2000
		opts.Seed = uint64(101 + i)
		opts.Out = out
		if _, err := synth.Generate(context.Background(), opts); err != nil {
			t.Fatalf("generate %s archive: %v", format, err)
		}
		// The golden files name the Blogger page archive by the generator's
		// former name for the layout, "text": the names seed the ids.
		label := format
		if format == string(corpus.FormatBlogger) {
			label = "text"
		}
		got := dirInputs(t, out, "synth-"+label, corpus.Options{})
		if format == string(corpus.FormatBlogger) && len(got) > 0 {
			got[0].full = true
		}
		ins = append(ins, got...)
	}
	return ins
}

// dirInputs reads every file under dir, in name order, naming each
// prefix/relative-path.
func dirInputs(t *testing.T, dir, prefix string, opts corpus.Options) []goldenInput {
	t.Helper()
	var ins []goldenInput
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		ins = append(ins, goldenInput{name: prefix + "/" + filepath.ToSlash(rel), data: data, opts: opts})
		return nil
	})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return ins
}

// digest parses ins and returns the digest text and the full JSON of the
// results marked full.
func digest(t *testing.T, ins []goldenInput) (string, string) {
	t.Helper()
	var lines, docs strings.Builder
	for _, in := range ins {
		line, full := parseOne(t, in)
		lines.WriteString(line + "\n")
		if full != nil {
			fmt.Fprintf(&docs, "== %s\n%s\n", in.name, full)
		}
	}
	return lines.String(), docs.String()
}

// checkGolden compares got with the file at path, or rewrites it under
// -update. On a mismatch it names the first differing lines.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if string(want) == got {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 10; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Errorf("%s line %d:\n  want %s\n  got  %s", path, i+1, w, g)
			shown++
		}
	}
	if shown == 0 {
		t.Errorf("%s differs (%d lines wanted, %d got)", path, len(wl), len(gl))
	}
	t.Logf("an in= hash that differs means the input changed (corpus/synth or the sample), not the readers")
}

// TestParseGolden: corpus.Parse gives exactly the pinned results for the
// sample archive, the readers' fixtures and generated archives of every
// layout.
func TestParseGolden(t *testing.T) {
	var ins []goldenInput
	ins = append(ins, sampleInputs(t)...)
	ins = append(ins, fixtureInputs(t)...)
	ins = append(ins, synthInputs(t)...)
	if len(ins) < 100 {
		t.Fatalf("only %d inputs: the golden set is not what it should be", len(ins))
	}
	lines, docs := digest(t, ins)
	checkGolden(t, goldenDigest, lines)
	checkGolden(t, goldenDocs, docs)
}

// TestParseGoldenSeeds: the same for the real dumps, where shared/ is present.
func TestParseGoldenSeeds(t *testing.T) {
	dir := sharedtest.Dir(t, "corpus/seeds")
	ins := dirInputs(t, dir, "seeds", corpus.Options{})
	if len(ins) == 0 {
		t.Fatalf("no seed files in %s", dir)
	}
	lines, _ := digest(t, ins)
	checkGolden(t, goldenSeeds, lines)
}

// TestParseDigestDir prints the digest lines of every file under the folder
// named by CHORUS_PARSE_DIGEST_DIR to the file named by
// CHORUS_PARSE_DIGEST_OUT, for checking by hand that a change to the readers
// leaves a large archive (say one from `chorus gen --comments 100000`) read
// the same: write the digest before the change and after, and compare.
// CHORUS_PARSE_DIGEST_FORMAT forces a reader (as --format does).
func TestParseDigestDir(t *testing.T) {
	dir, out := os.Getenv("CHORUS_PARSE_DIGEST_DIR"), os.Getenv("CHORUS_PARSE_DIGEST_OUT")
	if dir == "" || out == "" {
		t.Skip("set CHORUS_PARSE_DIGEST_DIR and CHORUS_PARSE_DIGEST_OUT to digest an archive")
	}
	format, err := corpus.ParseFormat(os.Getenv("CHORUS_PARSE_DIGEST_FORMAT"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	var buf bytes.Buffer
	for _, in := range dirInputs(t, dir, filepath.Base(dir), corpus.Options{Format: format}) {
		line, _ := parseOne(t, in)
		buf.WriteString(line + "\n")
		if _, err := w.Write(buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		buf.Reset()
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
