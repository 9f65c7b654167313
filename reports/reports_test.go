package reports

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// writeTo runs Write into a fresh temporary folder and returns it.
func writeTo(t *testing.T, in Input) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if err := Write(context.Background(), dir, in); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return dir
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return recs
}

// row returns the record whose column col equals key, as a map by header.
func row(t *testing.T, recs [][]string, col, key string) map[string]string {
	t.Helper()
	k := -1
	for i, h := range recs[0] {
		if h == col {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("no column %s in %v", col, recs[0])
	}
	for _, r := range recs[1:] {
		if r[k] == key {
			m := map[string]string{}
			for i, h := range recs[0] {
				m[h] = r[i]
			}
			return m
		}
	}
	t.Fatalf("no row with %s=%s", col, key)
	return nil
}

// TestGoldenCSVs pins every CSV of the small fixture byte for byte. Run
// `go test ./reports -run Golden -update` after an intended change and
// review the diff of reports/testdata.
func TestGoldenCSVs(t *testing.T) {
	dir := writeTo(t, smallInput())
	for _, name := range []string{"comments.csv", "posts.csv", "daily.csv", "topics.csv", "trends.csv", "rejects.csv"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, golden, got, want)
		}
	}
}

// TestContractColumns checks the fixed column order of DESIGN.md's output
// contract: added columns may follow, none may be renamed or moved.
func TestContractColumns(t *testing.T) {
	dir := writeTo(t, smallInput())
	want := map[string][]string{
		"comments.csv": {"comment_id", "post_id", "post_date", "date_source", "source_file", "section", "depth",
			"parent_id", "n_tokens", "n_sentences", "compound", "pos", "neu", "neg", "label", "evidence", "topics",
			"topic_evidence", "duplicate_of", "text"},
		"posts.csv": {"post_id", "post_date", "date_source", "title", "source_file", "declared_comments",
			"found_comments", "mean_compound"},
		"daily.csv": {"date", "n_comments", "mean_compound", "ci_low", "ci_high", "share_negative", "share_neutral",
			"share_positive", "share_workload", "share_pay", "share_unused"},
	}
	for name, cols := range want {
		head := readCSV(t, filepath.Join(dir, name))[0]
		if len(head) < len(cols) {
			t.Fatalf("%s: header %v shorter than contract %v", name, head, cols)
		}
		for i, c := range cols {
			if head[i] != c {
				t.Errorf("%s column %d = %q, want %q", name, i, head[i], c)
			}
		}
		if head[len(head)-1] != "chorus_version" {
			t.Errorf("%s: last column %q, want chorus_version", name, head[len(head)-1])
		}
	}
}

// TestDailyFigures checks the week rows of the small fixture against
// values worked out by hand.
func TestDailyFigures(t *testing.T) {
	dir := writeTo(t, smallInput())
	daily := readCSV(t, filepath.Join(dir, "daily.csv"))
	if got := len(daily) - 1; got != 4 {
		t.Fatalf("daily.csv has %d rows, want 4 weeks", got)
	}
	// Week of Monday 2015-01-05: a1..a3 and b1, b2 (b2x is a duplicate).
	// compounds -0.5, 0.25, 0, -0.75, 0.5: mean -0.1, squared deviations
	// 0.16+0.1225+0.01+0.4225+0.36 = 1.075, s = sqrt(1.075/4),
	// half-width t(0.975,4)·s/√5 with t = 2.7764451051977987.
	w1 := row(t, daily, "date", "2015-01-05")
	s := math.Sqrt(1.075 / 4)
	half := 2.7764451051977987 * s / math.Sqrt(5)
	checks := map[string]string{
		"n_comments": "5", "mean_compound": "-0.1000",
		"ci_low": formatFloat(-0.1-half, 4), "ci_high": formatFloat(-0.1+half, 4),
		"share_negative": "0.4000", "share_neutral": "0.2000", "share_positive": "0.4000",
		"share_workload": "0.4000", "share_pay": "0.4000", "share_unused": "0.0000",
		"period_end": "2015-01-11", "mean_compound_workload": "-0.1250", "mean_compound_unused": "",
	}
	for col, want := range checks {
		if w1[col] != want {
			t.Errorf("week 2015-01-05 %s = %q, want %q", col, w1[col], want)
		}
	}
	// A one-comment week has a mean but no interval.
	w2 := row(t, daily, "date", "2015-01-19")
	if w2["n_comments"] != "1" || w2["mean_compound"] != "-0.2500" || w2["ci_low"] != "" || w2["ci_high"] != "" {
		t.Errorf("one-comment week = %v, want n 1, mean -0.2500, empty CI", w2)
	}
	// Comment x1 belongs to a post missing from Input.Posts; it still counts.
	w4 := row(t, daily, "date", "2015-03-02")
	if w4["n_comments"] != "2" || w4["mean_compound"] != "-0.4750" {
		t.Errorf("week 2015-03-02 = %v", w4)
	}

	posts := readCSV(t, filepath.Join(dir, "posts.csv"))
	b := row(t, posts, "post_id", "b")
	if b["found_comments"] != "2" || b["duplicate_comments"] != "1" || b["mean_compound"] != "-0.1250" || b["declared_comments"] != "" {
		t.Errorf("post b = %v, want found 2, duplicate 1, mean -0.1250, declared empty", b)
	}
	if x := row(t, posts, "post_id", "x"); x["found_comments"] != "1" {
		t.Errorf("unlisted post x = %v", x)
	}
	if last := posts[len(posts)-1]; last[0] != "u" {
		t.Errorf("undated post should sort last, last row %v", last)
	}

	topics := readCSV(t, filepath.Join(dir, "topics.csv"))
	pay := row(t, topics, "topic", "pay")
	// pay: a2 0.25, b1 -0.75, d2 0.3, u1 0.2 (undated counts here) of 11 analysed.
	if pay["n_comments"] != "4" || pay["n_undated"] != "1" || pay["mean_compound"] != "0.0000" || pay["share_comments"] != formatFloat(4.0/11, 4) {
		t.Errorf("topic pay = %v", pay)
	}
}

func TestMeanCI(t *testing.T) {
	var a acc
	for _, x := range []float64{-0.5, 0.25, 0} {
		a.add(x)
	}
	// mean -1/12; deviations -5/12, 4/12, 1/12: s² = (25+16+1)/144/2 = 42/288.
	mean, s := -1.0/12, math.Sqrt(42.0/288)
	half := 4.302652729749464 * s / math.Sqrt(3) // t(0.975, 2)
	lo, hi := meanCI(a)
	if !close(a.Mean(), mean, 1e-12) || !close(a.sd(), s, 1e-12) || !close(lo, mean-half, 1e-9) || !close(hi, mean+half, 1e-9) {
		t.Errorf("mean %v sd %v CI [%v, %v], want %v %v [%v, %v]", a.Mean(), a.sd(), lo, hi, mean, s, mean-half, mean+half)
	}
	var one acc
	one.add(0.7)
	if lo, hi := meanCI(one); !math.IsNaN(lo) || !math.IsNaN(hi) || one.Mean() != 0.7 {
		t.Errorf("n=1: mean %v CI [%v, %v], want 0.7 and NaN bounds", one.Mean(), lo, hi)
	}
	if got := tQuantile(0.975, 1); !close(got, 12.706204736174698, 1e-9) {
		t.Errorf("t(0.975, 1) = %v", got)
	}
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Write(ctx, t.TempDir(), realisticInput(PeriodWeek))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestOnePassOverComments(t *testing.T) {
	in := smallInput()
	calls := 0
	inner := in.Lean
	in.Lean = func(yield func(Comment) bool) { calls++; inner(yield) }
	writeTo(t, in)
	if calls != 1 {
		t.Errorf("Write called the comment stream %d times, want 1", calls)
	}
}

func TestRejectsBadInput(t *testing.T) {
	cases := map[string]func(*Input){
		"period": func(in *Input) { in.Period = "year" },
		"label":  func(in *Input) { RowsOf(in, []Comment{{ID: "z", PostID: "p", Label: "angry"}}) },
		"topic": func(in *Input) {
			RowsOf(in, []Comment{{ID: "z", PostID: "p", Label: "neutral", Topics: []string{"nope"}}})
		},
		"dup topic": func(in *Input) { in.Topics = []Topic{{Name: "a"}, {Name: "a"}} },
		"clash":     func(in *Input) { in.Topics = []Topic{{Name: "a b"}, {Name: "a-b"}} },
		"event":     func(in *Input) { in.Events = []Event{{Date: "June 2014", Name: "x"}} },
	}
	for name, mut := range cases {
		in := smallInput()
		mut(&in)
		if err := Write(context.Background(), t.TempDir(), in); err == nil {
			t.Errorf("%s: Write accepted bad input", name)
		}
	}
}

// TestHTMLEscapesCommentText puts markup into every field the page shows
// and checks it arrives as text.
func TestHTMLEscapesCommentText(t *testing.T) {
	const script = `<script>alert(1)</script>`
	const img = `"><img src=x onerror=alert(1)>`
	in := smallInputWithout()
	cs := smallComments()
	for i := range cs {
		switch cs[i].ID {
		case "b1": // the most negative dated comment after e1
			cs[i].Text = script + " and " + img
			cs[i].Evidence = img
		case "e1":
			cs[i].Text = img
		}
	}
	RowsOf(&in, cs)
	in.Posts[5].Title = img // the undated post, listed on the page
	in.Rejects = append(in.Rejects, Reject{Path: script, Reason: img})
	in.Events[0].Description = script
	dir := writeTo(t, in)
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, bad := range []string{"<script", "<img src=x", "onerror=alert(1)>"} {
		if strings.Contains(html, bad) {
			t.Errorf("index.html contains markup %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks the escaped text %q", want)
		}
	}
	// Every image is inlined: no external asset, no link to fetch.
	if n, m := strings.Count(html, "<img "), strings.Count(html, `<img src="data:image/png;base64,`); n != m || n != 6 {
		t.Errorf("%d <img> tags, %d inline PNGs, want 6 and 6", n, m)
	}
	for _, ext := range []string{"http://", "https://", "<link", "@import"} {
		if strings.Contains(html, ext) {
			t.Errorf("index.html refers to an external asset (%q)", ext)
		}
	}
	if !strings.Contains(html, "chorus 0.0.0-test") {
		t.Error("index.html does not carry the chorus version")
	}
}

// TestDeterministic writes the realistic fixture twice: every file must be
// byte-identical except manifest.json's stage durations.
func TestDeterministic(t *testing.T) {
	a, b := writeTo(t, realisticInput(PeriodMonth)), writeTo(t, realisticInput(PeriodMonth))
	var files []string
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(a, p)
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 15 { // 7 CSVs, 6 charts, index.html, manifest.json
		t.Errorf("wrote %d files, want 15: %v", len(files), files)
	}
	for _, rel := range files {
		x, err1 := os.ReadFile(filepath.Join(a, rel))
		y, err2 := os.ReadFile(filepath.Join(b, rel))
		if err1 != nil || err2 != nil {
			t.Fatalf("read %s: %v %v", rel, err1, err2)
		}
		if rel == "manifest.json" {
			x, y = zeroSeconds(t, x), zeroSeconds(t, y)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two writes of the same input", rel)
		}
	}
}

// zeroSeconds re-encodes a manifest with every stage's seconds set to 0.
func zeroSeconds(t *testing.T, b []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, s := range m["stages"].([]any) {
		s.(map[string]any)["seconds"] = 0
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestManifest(t *testing.T) {
	dir := writeTo(t, smallInput())
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifestFile
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	rc := m.ReportCounts
	if m.ChorusVersion != "0.0.0-test" || rc.CommentRows != 12 || rc.Duplicates != 1 || rc.Analysed != 11 ||
		rc.Dated != 10 || rc.Undated != 1 || rc.Posts != 7 || rc.Periods != 4 || rc.Rejects != 2 {
		t.Errorf("manifest counts %+v version %q", rc, m.ChorusVersion)
	}
	var cfg bytes.Buffer
	if err := json.Compact(&cfg, m.Config); err != nil || cfg.String() != `{"period":"week"}` {
		t.Errorf("config = %s (%v)", m.Config, err)
	}
	if last := m.Stages[len(m.Stages)-1]; last.Name != "report" || last.Items != 12 {
		t.Errorf("last stage %+v, want report over 12 comments", last)
	}
	// The listed hashes are the files' hashes.
	if len(m.Outputs) != 14 {
		t.Errorf("manifest lists %d outputs, want 14 (all but itself)", len(m.Outputs))
	}
	for _, o := range m.Outputs {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(o.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256hex(data); got != o.SHA256 || int64(len(data)) != o.Bytes {
			t.Errorf("%s: manifest says %s/%d bytes, file is %s/%d", o.Path, o.SHA256, o.Bytes, got, len(data))
		}
	}
}

// readChart decodes dir/charts/name and returns it with its bytes.
func readChart(t *testing.T, dir, name string) (image.Image, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "charts", name))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return img, b
}

// TestChartsArePNGs decodes every chart: 1600 x 900, carrying the version.
func TestChartsArePNGs(t *testing.T) {
	dir := writeTo(t, realisticInput(PeriodWeek))
	names := []string{"sentiment.png", "labels.png", "topics.png", "topic_sentiment.png", "heatmap.png", "volume.png"}
	for _, name := range names {
		img, b := readChart(t, dir, name)
		if sz := img.Bounds().Size(); sz.X != 1600 || sz.Y != 900 {
			t.Errorf("%s is %dx%d, want 1600x900", name, sz.X, sz.Y)
		}
		if !bytes.Contains(b, []byte("tEXtSoftware\x00chorus 0.0.0-test")) {
			t.Errorf("%s lacks the version text chunk", name)
		}
		// Not blank: a chart has plenty of non-white pixels.
		inked := 0
		for y := 0; y < 900; y += 5 {
			for x := 0; x < 1600; x += 5 {
				r, g, bb, _ := img.At(x, y).RGBA()
				if r < 0xf000 || g < 0xf000 || bb < 0xf000 {
					inked++
				}
			}
		}
		if inked < 2000 {
			t.Errorf("%s looks blank (%d inked samples)", name, inked)
		}
	}
}

// TestChartDPI checks that ChartDPI sets the charts' resolution (at 50 dpi
// they are 800 x 450) and that a resolution out of range is refused before
// anything is written.
func TestChartDPI(t *testing.T) {
	in := realisticInput(PeriodWeek)
	in.ChartDPI = 50
	dir := writeTo(t, in)
	for _, name := range []string{"sentiment.png", "heatmap.png"} {
		if img, _ := readChart(t, dir, name); img.Bounds().Size() != image.Pt(800, 450) {
			sz := img.Bounds().Size()
			t.Errorf("%s at 50 dpi is %dx%d, want 800x450", name, sz.X, sz.Y)
		}
	}
	for _, dpi := range []int{MinChartDPI - 1, MaxChartDPI + 1, -100} {
		in := realisticInput(PeriodWeek)
		in.ChartDPI = dpi
		out := filepath.Join(t.TempDir(), "out")
		err := Write(context.Background(), out, in)
		if err == nil || !strings.Contains(err.Error(), "chart dpi") {
			t.Errorf("ChartDPI %d: err %v, want a chart dpi error", dpi, err)
		}
		if _, serr := os.Stat(out); serr == nil {
			t.Errorf("ChartDPI %d: wrote %s anyway", dpi, out)
		}
	}
}

// TestEmptyInput: no comments at all still gives every file.
func TestEmptyInput(t *testing.T) {
	in := smallInput()
	RowsOf(&in, nil)
	dir := writeTo(t, in)
	daily := readCSV(t, filepath.Join(dir, "daily.csv"))
	if len(daily) != 1 {
		t.Errorf("daily.csv has %d rows, want the header only", len(daily))
	}
	for _, name := range []string{"index.html", "manifest.json", "charts/sentiment.png", "charts/heatmap.png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkWrite measures a whole report of the realistic fixture (about
// 800 comments, weekly), charts included.
func BenchmarkWrite(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if err := Write(context.Background(), dir, realisticInput(PeriodWeek)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAdjustedShares checks daily.csv's adjusted shares: with a confusion
// matrix every period has them, on the simplex, inside their intervals;
// without one (vader, lexicon) the columns are there and empty.
func TestAdjustedShares(t *testing.T) {
	in := realisticInput(PeriodMonth)
	recs := readCSV(t, filepath.Join(writeTo(t, in), "daily.csv"))
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(r []string, name string) float64 {
		v, err := strconv.ParseFloat(r[col[name]], 64)
		if err != nil {
			t.Fatalf("%s = %q: %v", name, r[col[name]], err)
		}
		return v
	}
	for _, r := range recs[1:] {
		sum := 0.0
		for _, l := range []string{"negative", "neutral", "positive"} {
			v, lo, hi := num(r, "share_"+l+"_adj"), num(r, "share_"+l+"_adj_lo"), num(r, "share_"+l+"_adj_hi")
			if v < 0 || v > 1 || lo > v+1e-4 || hi < v-1e-4 || lo < 0 || hi > 1 {
				t.Errorf("%s %s: %v [%v, %v]", r[0], l, v, lo, hi)
			}
			sum += v
		}
		if math.Abs(sum-1) > 3e-4 {
			t.Errorf("%s: adjusted shares sum to %v", r[0], sum)
		}
	}
	in = realisticInput(PeriodMonth)
	in.Confusion = nil
	recs = readCSV(t, filepath.Join(writeTo(t, in), "daily.csv"))
	for _, r := range recs[1:] {
		for _, l := range []string{"negative", "neutral", "positive"} {
			for _, suf := range []string{"_adj", "_adj_lo", "_adj_hi"} {
				if v := r[col["share_"+l+suf]]; v != "" {
					t.Errorf("no confusion matrix: share_%s%s = %q, want empty", l, suf, v)
				}
			}
		}
	}
}
