package reports

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// extremesK is how many most negative and most positive comments the page
// shows.
const extremesK = 10

// ctxEvery is how many comments pass between context checks.
const ctxEvery = 4096

// Write writes every output file into dir (created if missing): the CSVs,
// charts/*.png, index.html and, last, manifest.json with the hashes of the
// others. It makes one pass over in.Comments. The pipeline writes into a
// temporary folder and renames it into place, so a failed Write leaves no
// half-written report behind.
func Write(ctx context.Context, dir string, in Input) error {
	began := time.Now()
	switch in.Period {
	case PeriodDay, PeriodWeek, PeriodMonth:
	case "":
		in.Period = PeriodDay
	default:
		return fmt.Errorf("period %q: want day, week or month", in.Period)
	}
	if in.Comments == nil {
		return fmt.Errorf("input has no comment stream")
	}
	tcols, err := topicColumns(in.Topics)
	if err != nil {
		return fmt.Errorf("taxonomy: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	w := &outWriter{dir: dir}

	// Pass 1 (the only one): comments.csv and every aggregate.
	agg, err := newAggregator(in, extremesK)
	if err != nil {
		return fmt.Errorf("taxonomy: %w", err)
	}
	if err := w.file("comments.csv", func(f io.Writer) error {
		return streamComments(ctx, f, in, agg)
	}); err != nil {
		return err
	}

	ps := agg.sortedPeriods()
	var origin time.Time
	xsYears := make([]float64, len(ps)) // regression time: years since origin
	xsChart := make([]float64, len(ps)) // chart time: decimal calendar year
	if len(ps) > 0 {
		origin = ps[0].start
	}
	for i, p := range ps {
		xsYears[i] = yearsSince(p.start, origin)
		xsChart[i] = decYear(p.start)
	}
	evs, err := placeEvents(in.Events, xsYears, origin)
	if err != nil {
		return err
	}
	series := trendSeriesOf(ps, in.Topics, tcols)
	trows, linFit, segFit := fitTrends(series, xsYears, origin, evs)

	daily, err := dailyTable(ps, in.Topics, tcols, in.Version)
	if err != nil {
		return fmt.Errorf("daily table: %w", err)
	}
	topics, err := topicsTable(agg, tcols, in.Version)
	if err != nil {
		return fmt.Errorf("topics table: %w", err)
	}
	posts, err := postsTable(in, agg)
	if err != nil {
		return fmt.Errorf("posts table: %w", err)
	}
	trends, err := trendsTable(trows, in.Version)
	if err != nil {
		return fmt.Errorf("trends table: %w", err)
	}
	rejects, err := rejectsTable(in.Rejects, in.Version)
	if err != nil {
		return fmt.Errorf("rejects table: %w", err)
	}
	for _, t := range []struct {
		name string
		t    table
	}{{"daily.csv", daily}, {"topics.csv", topics}, {"posts.csv", posts}, {"trends.csv", trends}, {"rejects.csv", rejects}} {
		if err := w.file(t.name, t.t.writeCSV); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	slope := math.NaN()
	for _, r := range trows {
		if r.series == "mean_compound" && r.model == "linear" && r.term == "slope" {
			slope = r.est
		}
	}
	cd := chartData{period: in.Period, ps: ps, xs: xsChart, topics: in.Topics, events: evs,
		linFit: linFit, segFit: segFit, overall: agg.overall, slope: slope, version: in.Version}
	charts, err := renderCharts(cd)
	if err != nil {
		return err
	}
	for _, c := range charts {
		if err := w.raw(filepath.Join("charts", c.Name), c.PNG); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	page := buildPage(in, agg, ps, evs, trows, charts, tcols)
	if err := w.file("index.html", func(f io.Writer) error { return renderHTML(f, page) }); err != nil {
		return err
	}

	m := buildManifest(in, agg, ps, evs, w.outputs, time.Since(began))
	return w.file("manifest.json", func(f io.Writer) error { return writeManifest(f, m) })
}

// streamComments writes comments.csv while folding each comment into agg.
func streamComments(ctx context.Context, f io.Writer, in Input, agg *aggregator) error {
	cw := csv.NewWriter(f)
	if err := cw.Write(commentHeader); err != nil {
		return err
	}
	var rec []string
	var ferr error
	k := 0
	in.Comments(func(c Comment) bool {
		if k++; k%ctxEvery == 0 {
			if ferr = ctx.Err(); ferr != nil {
				return false
			}
		}
		if ferr = agg.add(c); ferr != nil {
			return false
		}
		rec = commentRecord(c, in.Topics, in.Version, rec)
		if ferr = cw.Write(rec); ferr != nil {
			return false
		}
		return true
	})
	if ferr != nil {
		return ferr
	}
	cw.Flush()
	return cw.Error()
}

// trendSeriesOf lists the per-period series trends are fitted to:
// mean_compound, the three label shares, then each topic share.
func trendSeriesOf(ps []period, topics []Topic, tcols []string) []trendSeries {
	n := len(ps)
	mk := func(name, unit string, f func(p period) float64) trendSeries {
		y := make([]float64, n)
		for i, p := range ps {
			y[i] = f(p)
		}
		return trendSeries{name: name, unit: unit, y: y}
	}
	out := []trendSeries{mk("mean_compound", "compound", func(p period) float64 { return p.all.Mean() })}
	for l, name := range labels {
		out = append(out, mk("share_"+name, "share", func(p period) float64 { return p.share(p.byLabel[l]) }))
	}
	for ti := range topics {
		out = append(out, mk("share_"+tcols[ti], "share", func(p period) float64 { return p.share(p.topicN[ti]) }))
	}
	return out
}

// outWriter writes output files and remembers their sizes and hashes for
// the manifest. Files are streamed through a buffered writer, never held
// whole in memory.
type outWriter struct {
	dir     string
	outputs []OutputFile
}

// OutputFile is one written file as listed in manifest.json.
type OutputFile struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// counter counts the bytes written through it.
type counter struct{ n int64 }

func (c *counter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

// file creates dir/name and fills it with fill, hashing as it goes.
func (w *outWriter) file(name string, fill func(io.Writer) error) error {
	path := filepath.Join(w.dir, name)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	h := sha256.New()
	var n counter
	bw := bufio.NewWriterSize(io.MultiWriter(f, h, &n), 64<<10)
	ferr := fill(bw)
	if ferr == nil {
		ferr = bw.Flush()
	}
	cerr := f.Close()
	if ferr != nil {
		return fmt.Errorf("write %s: %w", path, ferr)
	}
	if cerr != nil {
		return fmt.Errorf("close %s: %w", path, cerr)
	}
	w.outputs = append(w.outputs, OutputFile{Path: filepath.ToSlash(name), Bytes: n.n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

func (w *outWriter) raw(name string, b []byte) error {
	return w.file(name, func(f io.Writer) error { _, err := f.Write(b); return err })
}

// sortedOutputs returns the outputs sorted by path.
func sortedOutputs(o []OutputFile) []OutputFile {
	o = slices.Clone(o)
	slices.SortFunc(o, func(a, b OutputFile) int {
		if a.Path < b.Path {
			return -1
		}
		if a.Path > b.Path {
			return 1
		}
		return 0
	})
	return o
}
