package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"chorus/reports"

	"chorus/internal/analysis"
	"chorus/pipeline/store"
)

// A Blogger page in the real layout, invented for the tests. Its comments
// carry personal data that must never reach an exported file.
const pageA = `Monday 2 June 2014

The First Day

An invented post about the first day after the split.

3 comments:

  1. The new rota came by email at midnight. Ring me on 07700 900123 if yours did too.

    ReplyDelete
    Replies
    1. Same here. Write to fiona.test@example.org and I will forward it.

      Delete
  2. Caseloads already at 70 and rising. The union says ballot.

    ReplyDelete`

const pageB = `Friday 16 October 2015

Laptops

Another invented post, about the new laptops.

2 comments:

  1. The laptop froze four times today and nDelius lost my notes twice.

    ReplyDelete
  2. Well said. IT is a shambles since the sale.

    ReplyDelete`

const jsonlC = `{"post_id": "c1", "post_date": "2019-05-16", "title": "Reunification", "comment_id": "1", "text": "Relieved. Cautiously hopeful for the first time in years."}
{"post_id": "c1", "comment_id": "2", "parent_id": "1", "text": "Call +44 7700 900456 for the branch meeting details."}
`

// personal lists the personal data planted in the fixtures.
var personal = []string{"07700 900123", "fiona.test@example.org", "+44 7700 900456", "7700 900456", "900123"}

// writeArchive lays the good fixtures and four bad files into dir.
func writeArchive(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"a_2014.txt":    pageA,
		"b_2015.txt":    pageB,
		"c.jsonl":       jsonlC,
		"bad/empty.txt": "",
		"bad/blob.bin":  "\x00\x01\x02binary",
		"bad/cut.xml":   "<?xml version='1.0'?>\n<feed>\n<entry><title>cut",
		"bad/notes.txt": "just some notes\nwith no structure\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func testConfig(t *testing.T, in string) Config {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Model = "vader"
	cfg.Inputs = []string{in}
	cfg.Output = filepath.Join(t.TempDir(), "out")
	cfg.Workers = 2
	// Charts at the lowest resolution: drawing them at 100 dpi was three
	// quarters of this package's test time, and no test here looks at
	// their pixels (reports' tests do, at the default).
	cfg.ChartDPI = reports.MinChartDPI
	return cfg
}

func run(t *testing.T, cfg Config) Summary {
	t.Helper()
	sum, err := (&Runner{}).Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sum
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestRunGoodAndBadInput(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	sum := run(t, cfg)
	if sum.FilesRead != 3 || sum.FilesRejected != 4 || sum.Posts != 3 || sum.Comments != 7 {
		t.Errorf("summary = %+v", sum)
	}
	comments := readCSV(t, filepath.Join(cfg.Output, "comments.csv"))
	if len(comments) != 7 {
		t.Fatalf("comments.csv has %d rows, want 7", len(comments))
	}
	byText := map[string]map[string]string{}
	for _, c := range comments {
		byText[c["text"]] = c
	}
	reply := byText["Same here. Write to [email] and I will forward it."]
	first := byText["The new rota came by email at midnight. Ring me on [phone] if yours did too."]
	if reply == nil || first == nil {
		t.Fatalf("redacted comments not found in %v", comments)
	}
	if reply["parent_id"] != first["comment_id"] || reply["depth"] != "1" || first["post_date"] != "2014-06-02" {
		t.Errorf("reply = %v\nfirst = %v", reply, first)
	}
	rejects := readCSV(t, filepath.Join(cfg.Output, "rejects.csv"))
	reasons := map[string]string{}
	for _, r := range rejects {
		reasons[filepath.Base(r["path"])] = r["reason"]
	}
	for file, want := range map[string]string{
		"empty.txt": "empty file",
		"blob.bin":  "binary content",
		"cut.xml":   "line 3: XML ends early",
		"notes.txt": "no recognisable structure",
	} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("rejects.csv reason for %s = %q, want %q", file, reasons[file], want)
		}
	}
	noPersonalData(t, cfg.Output)
}

// noPersonalData fails if any planted email or phone number is in any
// exported file.
func noPersonalData(t *testing.T, out string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		for _, s := range personal {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains personal data %q", p, s)
			}
		}
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}

func TestIncrementalRuns(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	first := run(t, cfg)

	// Unchanged input: no file read, nothing new, nothing analysed.
	second := run(t, cfg)
	if second.FilesRead != 0 || second.New != 0 || second.Analysed != 0 || second.FilesUnchanged != first.FilesRead+first.FilesRejected {
		t.Errorf("second run = %+v", second)
	}
	if second.Comments != first.Comments || second.Posts != first.Posts {
		t.Errorf("second run reports %d posts %d comments, first %d %d", second.Posts, second.Comments, first.Posts, first.Comments)
	}

	// One new file adds exactly its posts and comments.
	newPage := strings.Replace(pageB, "Friday 16 October 2015", "Tuesday 1 March 2016", 1)
	newPage = strings.Replace(newPage, "Laptops", "Laptops Again", 1)
	newPage = strings.Replace(newPage, "froze four times", "froze five times", 1)
	if err := os.WriteFile(filepath.Join(in, "d_2016.txt"), []byte(newPage), 0o644); err != nil {
		t.Fatal(err)
	}
	third := run(t, cfg)
	if third.FilesRead != 1 || third.New != 2 || third.Analysed != 2 || third.Posts != first.Posts+1 || third.Comments != first.Comments+2 {
		t.Errorf("after a new file: %+v", third)
	}

	// An edited file replaces its posts: one comment changed, one kept.
	edited := strings.Replace(pageB, "IT is a shambles", "IT is a disgrace", 1)
	if err := os.WriteFile(filepath.Join(in, "b_2015.txt"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	fourth := run(t, cfg)
	if fourth.FilesRead != 1 || fourth.Updated != 1 || fourth.Unchanged != 1 || fourth.New != 0 || fourth.Analysed != 1 || fourth.Comments != third.Comments {
		t.Errorf("after an edit: %+v", fourth)
	}
	comments := readCSV(t, filepath.Join(cfg.Output, "comments.csv"))
	found := false
	for _, c := range comments {
		if filepath.Base(c["source_file"]) != "b_2015.txt" {
			continue
		}
		if strings.Contains(c["text"], "shambles") {
			t.Errorf("the old text is still reported: %v", c)
		}
		found = found || strings.Contains(c["text"], "disgrace")
	}
	if !found {
		t.Error("the edited text is not reported")
	}

	// A vanished file is marked, its posts left out of the reports.
	if err := os.Remove(filepath.Join(in, "d_2016.txt")); err != nil {
		t.Fatal(err)
	}
	fifth := run(t, cfg)
	if fifth.FilesVanished != 1 || fifth.Posts != first.Posts || fifth.Comments != first.Comments {
		t.Errorf("after a file vanished: %+v", fifth)
	}
}

func TestTaxonomyChangeRetagsWithoutReading(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	first := run(t, cfg)
	tax := filepath.Join(t.TempDir(), "tax.toml")
	body := `[[topic]]
name = "hardware"
label = "Hardware"
description = "Laptops and the like."

[topic.terms]
laptop = 1.0
`
	if err := os.WriteFile(tax, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Taxonomy = tax
	second := run(t, cfg)
	if second.FilesRead != 0 || second.Analysed != first.Comments || second.Retagged != first.Comments {
		t.Errorf("taxonomy change: read %d files, analysed %d, re-tagged only %d (want 0, %d and %d)",
			second.FilesRead, second.Analysed, second.Retagged, first.Comments, first.Comments)
	}
	// Re-tagging gives what a cold run with the new taxonomy gives.
	cold := testConfig(t, in)
	cold.Taxonomy = tax
	run(t, cold)
	retagged, err := os.ReadFile(filepath.Join(cfg.Output, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := os.ReadFile(filepath.Join(cold.Output, "comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(retagged, fresh) {
		t.Errorf("comments.csv after re-tagging differs from a cold run's with the same taxonomy")
	}
	// A model change analyses everything again: nothing is re-tagged only.
	cfg.Model = "lexicon"
	third := run(t, cfg)
	if third.FilesRead != 0 || third.Analysed != first.Comments || third.Retagged != 0 {
		t.Errorf("model change: read %d files, analysed %d, re-tagged only %d (want 0, %d and 0)",
			third.FilesRead, third.Analysed, third.Retagged, first.Comments)
	}
	cfg.Model = "vader"
	n := 0
	for _, c := range readCSV(t, filepath.Join(cfg.Output, "comments.csv")) {
		if c["topics"] == "hardware" {
			n++
		} else if c["topics"] != "" {
			t.Errorf("old taxonomy's topic %q still reported", c["topics"])
		}
	}
	if n != 1 {
		t.Errorf("%d comments tagged hardware, want 1", n)
	}
}

func TestSecondRunIsLockedOut(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	if err := os.MkdirAll(filepath.Dir(cfg.DatabasePath()), 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := store.Lock(cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&Runner{}).Run(context.Background(), cfg)
	if !errors.Is(err, ErrLocked) {
		t.Errorf("run while locked: err = %v, want ErrLocked", err)
	}
	if _, statErr := os.Stat(cfg.Output); !errors.Is(statErr, fs.ErrNotExist) {
		t.Errorf("a locked-out run wrote %s", cfg.Output)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	run(t, cfg)
}

func TestFailedRunKeepsPreviousReports(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	run(t, cfg)
	before := snapshot(t, cfg.Output)

	// A run cancelled half way publishes nothing.
	if err := os.WriteFile(filepath.Join(in, "e.jsonl"), []byte(`{"post_id":"e","text":"new comment"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Runner{}).Run(ctx, cfg); err == nil {
		t.Fatal("a cancelled run reported success")
	}
	if after := snapshot(t, cfg.Output); after != before {
		t.Error("a failed run changed the published reports")
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(cfg.Output), ".out.staging-*"))
	if len(leftovers) != 0 {
		t.Errorf("staging folders left behind: %v", leftovers)
	}
}

// snapshot lists every file of dir with its content, for comparison.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %x\n", p, len(data), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSampleArchive(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Model = "vader"
	cfg.Output = filepath.Join(t.TempDir(), "out")
	sum := run(t, cfg)
	// The sample's README says 62 posts, 900 thread comments and 31 excerpts.
	if sum.Posts != 62 || sum.FilesRejected != 0 || sum.Undated != 0 {
		t.Errorf("sample run = %+v", sum)
	}
	if sum.Comments < 600 {
		t.Errorf("sample has %d counted comments, want at least 600", sum.Comments)
	}
	noPersonalData(t, cfg.Output)
	years := map[string]bool{}
	for _, p := range readCSV(t, filepath.Join(cfg.Output, "posts.csv")) {
		if len(p["post_date"]) == 10 {
			years[p["post_date"][:4]] = true
		}
	}
	if len(years) != 8 {
		t.Errorf("sample posts cover years %v, want 2014-2021", years)
	}
	// With no chart_dpi, charts are the 1600 x 900 researchers get by default.
	if w, h := chartSize(t, filepath.Join(cfg.Output, "charts", "sentiment.png")); w != 1600 || h != 900 {
		t.Errorf("default chart is %dx%d, want 1600x900", w, h)
	}
}

// chartSize returns the pixel size of a PNG file.
func chartSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c.Width, c.Height
}

// TestChartDPIFromConfig checks that chart_dpi in a config file reaches
// every chart.
func TestChartDPIFromConfig(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "arch")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	writeArchive(t, in)
	p := filepath.Join(dir, "chorus.toml")
	if err := os.WriteFile(p, []byte("inputs = [\"arch\"]\noutput = \"out\"\nmodel = \"vader\"\nchart_dpi = 40\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	run(t, cfg)
	for _, name := range []string{"sentiment.png", "labels.png", "topics.png", "topic_sentiment.png", "heatmap.png", "volume.png"} {
		if w, h := chartSize(t, filepath.Join(cfg.Output, "charts", name)); w != 640 || h != 360 {
			t.Errorf("%s at chart_dpi 40 is %dx%d, want 640x360", name, w, h)
		}
	}
}

func TestKeepRawText(t *testing.T) {
	in := t.TempDir()
	writeArchive(t, in)
	cfg := testConfig(t, in)
	cfg.KeepRawText = true
	run(t, cfg)
	raw := func() int {
		st, err := store.Open(context.Background(), cfg.DatabasePath())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n := 0
		err = st.Comments(context.Background(), "", func(c store.CommentRow) error {
			if c.HasRaw && strings.Contains(c.RawText, "07700 900123") {
				n++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if raw() != 1 {
		t.Fatal("--keep-raw-text did not keep the original text in the database")
	}
	noPersonalData(t, cfg.Output) // exports are redacted all the same
	cfg.KeepRawText = false
	run(t, cfg)
	if n := raw(); n != 0 {
		t.Errorf("a run without --keep-raw-text left %d original texts in the database", n)
	}
}

// TestAnalysedAsRead checks the analyses a run computes while it reads
// files: every counted comment has one, and it is exactly what the models
// make of the comment's text as stored (redacted), so analysing on the read
// workers, before the comment has a row, is the same as analysing the row.
func TestAnalysedAsRead(t *testing.T) {
	for _, tc := range []struct {
		model   string
		keepRaw bool
	}{{"vader", false}, {"domain", false}, {"domain", true}} {
		t.Run(fmt.Sprintf("%s keep-raw=%v", tc.model, tc.keepRaw), func(t *testing.T) {
			in := t.TempDir()
			writeArchive(t, in)
			cfg := testConfig(t, in)
			cfg.Model, cfg.KeepRawText = tc.model, tc.keepRaw
			sum := run(t, cfg)
			if sum.Analysed != sum.Comments {
				t.Errorf("analysed %d, want every counted comment (%d)", sum.Analysed, sum.Comments)
			}
			an, err := newAnalyser(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			st, err := store.Open(ctx, cfg.DatabasePath())
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			n := 0
			err = st.Comments(ctx, an.Key(), func(r store.CommentRow) error {
				if !r.Counted() {
					return nil
				}
				n++
				if !r.Analysed {
					t.Errorf("comment %s has no analysis", r.ID)
					return nil
				}
				want := an.Analyse(analysis.CommentText{Seq: r.Seq, ID: r.ID, PostID: r.PostID, Text: r.Text})
				if !reflect.DeepEqual(r.Analysis, want) {
					t.Errorf("comment %s: stored analysis\n%+v\nis not that of its stored text\n%+v", r.ID, r.Analysis, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != sum.Comments {
				t.Errorf("%d counted comments stored, summary says %d", n, sum.Comments)
			}
		})
	}
}
