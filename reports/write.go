package reports

import (
	"bufio"
	"context"
	"crypto/sha256"
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
// others. It makes one pass over in.Lean, beside in.CommentsCSV. The
// pipeline writes into a temporary folder and renames it into place, so a
// failed Write leaves no half-written report behind.
func Write(ctx context.Context, dir string, in Input) error {
	began := time.Now()
	switch in.Period {
	case PeriodDay, PeriodWeek, PeriodMonth:
	case "":
		in.Period = PeriodDay
	default:
		return fmt.Errorf("period %q: want day, week or month", in.Period)
	}
	if d := in.ChartDPI; d != 0 && (d < MinChartDPI || d > MaxChartDPI) {
		return fmt.Errorf("chart dpi %d: want %d to %d", d, MinChartDPI, MaxChartDPI)
	}
	if in.Lean == nil || in.Resolve == nil || in.CommentsCSV == nil {
		return fmt.Errorf("input has no comments (set Lean, Resolve and CommentsCSV, or use RowsOf)")
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
	waitCSV, err := splitPass(ctx, w, in, agg)
	if err != nil {
		return err
	}
	// Every return below joins the goroutine still writing comments.csv.
	defer waitCSV()

	ft, err := fitAll(ctx, in, agg, tcols)
	if err != nil {
		return err
	}
	ps, evs, trows, adj := ft.ps, ft.evs, ft.trows, ft.adj
	daily, err := dailyTable(ps, adj, in.Topics, tcols, in.Version)
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
	warnings, err := warningsTable(in.Warnings, in.Version)
	if err != nil {
		return fmt.Errorf("warnings table: %w", err)
	}
	for _, t := range []struct {
		name string
		t    table
	}{{"daily.csv", daily}, {"topics.csv", topics}, {"posts.csv", posts}, {"trends.csv", trends}, {"rejects.csv", rejects}, {"warnings.csv", warnings}} {
		if err := w.file(t.name, t.t.writeCSV); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	cd := ft.chartData(in, agg)
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

	if err := waitCSV(); err != nil {
		return err
	}
	m := buildManifest(in, agg, ps, evs, w.outputs, time.Since(began))
	return w.file("manifest.json", func(f io.Writer) error { return writeManifest(f, m) })
}

// splitPass is pass 1: the aggregates are folded from the lean stream
// while CommentsCSV writes comments.csv on a goroutine of its own, then the
// extreme comments are completed. The returned wait joins that goroutine:
// the caller goes on with the tables and charts meanwhile, and must call it
// before the manifest.
func splitPass(ctx context.Context, w *outWriter, in Input, agg *aggregator) (wait func() error, err error) {
	csvw := &outWriter{dir: w.dir}
	csvDone := make(chan error, 1)
	go func() {
		csvDone <- csvw.file("comments.csv", in.CommentsCSV)
	}()
	joined := false
	wait = func() error {
		if joined {
			return nil
		}
		joined = true
		if err := <-csvDone; err != nil {
			return err
		}
		w.outputs = append(w.outputs, csvw.outputs...)
		return nil
	}
	fail := func(err error) (func() error, error) {
		wait() // never leave the goroutine writing into a folder being removed
		return nil, err
	}
	if err := fold(ctx, in, agg); err != nil {
		return fail(err)
	}
	for _, e := range []*extremes{&agg.neg, &agg.pos} {
		refs := make([]int64, len(e.items))
		for i, c := range e.items {
			refs[i] = c.Ref
		}
		full, err := in.Resolve(refs)
		if err != nil {
			return fail(fmt.Errorf("complete extreme comments: %w", err))
		}
		if len(full) != len(refs) {
			return fail(fmt.Errorf("complete extreme comments: asked for %d, got %d", len(refs), len(full)))
		}
		for i, c := range full {
			if c.ID != e.items[i].ID || c.Compound != e.items[i].Compound {
				return fail(fmt.Errorf("complete extreme comments: comment %s came back as %s", e.items[i].ID, c.ID))
			}
			e.items[i] = c
		}
	}
	return wait, nil
}

// fold feeds every comment of the lean stream to agg.
func fold(ctx context.Context, in Input, agg *aggregator) error {
	var ferr error
	k := 0
	in.Lean(func(c Comment) bool {
		if k++; k%ctxEvery == 0 {
			if ferr = ctx.Err(); ferr != nil {
				return false
			}
		}
		ferr = agg.add(c)
		return ferr == nil
	})
	return ferr
}

// fitted is what the tables, charts and page are built from once every
// comment is folded in: the periods, the events placed in them, the trend
// fits and the adjusted shares.
type fitted struct {
	ps             []period
	xsChart        []float64 // chart time of each period: decimal calendar year
	evs            []eventFit
	trows          []trendRow
	linFit, segFit []float64
	adj            []adjusted
}

// fitAll places the events, fits the trends and adjusts the shares.
func fitAll(ctx context.Context, in Input, agg *aggregator, tcols []string) (fitted, error) {
	ft := fitted{ps: agg.sortedPeriods()}
	var origin time.Time
	xsYears := make([]float64, len(ft.ps)) // regression time: years since origin
	ft.xsChart = make([]float64, len(ft.ps))
	if len(ft.ps) > 0 {
		origin = ft.ps[0].start
	}
	for i, p := range ft.ps {
		xsYears[i] = yearsSince(p.start, origin)
		ft.xsChart[i] = decYear(p.start)
	}
	var err error
	if ft.evs, err = placeEvents(in.Events, xsYears, origin); err != nil {
		return ft, err
	}
	series := trendSeriesOf(ft.ps, in.Topics, tcols)
	ft.trows, ft.linFit, ft.segFit = fitTrends(series, xsYears, origin, ft.evs)
	if ft.adj, err = adjustPeriods(ctx, ft.ps, in.Confusion); err != nil {
		return ft, err
	}
	return ft, nil
}

// chartData is what the charts draw from.
func (ft fitted) chartData(in Input, agg *aggregator) chartData {
	slope := math.NaN()
	for _, r := range ft.trows {
		if r.series == "mean_compound" && r.model == "linear" && r.term == "slope" {
			slope = r.est
		}
	}
	return chartData{period: in.Period, ps: ft.ps, adj: ft.adj, xs: ft.xsChart, topics: in.Topics, events: ft.evs,
		linFit: ft.linFit, segFit: ft.segFit, overall: agg.overall, slope: slope, version: in.Version, dpi: in.chartDPI()}
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
