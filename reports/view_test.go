package reports

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chartsOf draws the charts of in as Write would, and returns them with
// what each drew.
func chartsOf(t *testing.T, in Input) map[string]chart {
	t.Helper()
	ctx := context.Background()
	tcols, err := topicColumns(in.Topics)
	if err != nil {
		t.Fatal(err)
	}
	agg, err := newAggregator(in, extremesK)
	if err != nil {
		t.Fatal(err)
	}
	if err := fold(ctx, in, agg); err != nil {
		t.Fatal(err)
	}
	ft, err := fitAll(ctx, in, agg, tcols)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := renderCharts(ft.chartData(in, agg))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]chart{}
	for _, c := range cs {
		out[c.Name] = c
	}
	return out
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRealisticRender draws the charts of a monthly archive with empty
// months and a month of two comments, and checks what a reader must see:
// no line, band or area crosses an empty month (a fitted trend may, faded);
// the month of two is hollow or faded and labelled n=2, and only it; the
// heat map hatches exactly the cells of the empty months; shares are on
// the 0 to 1 scale; and every chart is a 1600 x 900 PNG, the same bytes
// when drawn twice. With CHORUS_REPORT_VIEW=DIR it also writes the reports
// of this fixture and of the realistic one there, to look at.
func TestRealisticRender(t *testing.T) {
	charts := chartsOf(t, gapsInput())
	if len(charts) != 6 {
		t.Fatalf("%d charts, want 6", len(charts))
	}
	for name, c := range charts {
		checkNoLineAcrossEmpty(t, name, c.Drawn)
		checkFaded(t, name, c.Drawn)
	}
	checkShareAxes(t, charts)
	checkHeatmap(t, charts["heatmap.png"].Drawn)
	checkSegmentsBreakAtEvents(t, charts["sentiment.png"].Drawn)

	// The small topic is hollow in the topic sentiment chart.
	ts := charts["topic_sentiment.png"].Drawn.Faded
	if !slices.Contains(ts, drawnFaded{Series: "training", N: 4, Label: "n=4"}) || len(ts) != 1 {
		t.Errorf("topic sentiment faded %+v, want training (n=4) alone", ts)
	}

	again := chartsOf(t, gapsInput())
	for name, c := range charts {
		img, err := png.Decode(bytes.NewReader(c.PNG))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sz := img.Bounds().Size(); sz.X != 1600 || sz.Y != 900 {
			t.Errorf("%s is %dx%d, want 1600x900", name, sz.X, sz.Y)
		}
		if !bytes.Equal(c.PNG, again[name].PNG) {
			t.Errorf("%s: two drawings of the same input differ", name)
		}
	}

	if dir := os.Getenv("CHORUS_REPORT_VIEW"); dir != "" {
		if err := Write(context.Background(), dir+"/gaps", gapsInput()); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{PeriodDay, PeriodWeek, PeriodMonth} {
			if err := Write(context.Background(), dir+"/"+p, realisticInput(p)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkNoLineAcrossEmpty: every line that overlaps an empty month is a
// faded fit, and the mean, share and count series stop at each side of it.
func checkNoLineAcrossEmpty(t *testing.T, name string, dr drawnChart) {
	t.Helper()
	for _, e := range gapsEmpty {
		s := mustDate(t, e)
		lo, hi := decYear(s), decYear(nextPeriod(s, PeriodMonth))
		for _, l := range dr.Lines {
			if l.From < hi && l.To > lo && (l.Kind != "fit" || !l.Faded) {
				t.Errorf("%s: %s %s line %.3f-%.3f crosses the empty month %s", name, l.Panel, l.Series, l.From, l.To, e)
			}
		}
	}
	// The lines exist: the series are drawn on both sides of March 2017.
	if name == "topic_sentiment.png" || name == "heatmap.png" {
		return
	}
	before, after := decYear(mustDate(t, "2017-02-01")), decYear(mustDate(t, "2017-04-01"))
	var ends, starts bool
	for _, l := range dr.Lines {
		if l.Kind == "fit" {
			continue
		}
		ends = ends || math.Abs(l.To-before) < 1e-9 || math.Abs(l.To-decYear(mustDate(t, "2017-03-01"))) < 1e-9
		starts = starts || math.Abs(l.From-after) < 1e-9
	}
	if !ends || !starts {
		t.Errorf("%s: no line ends at February 2017 (%v) or starts at April 2017 (%v)", name, ends, starts)
	}
}

// checkFaded: the time charts fade the month of two, and only it, and
// label it n=2 once per plot (the topic panels label it where its share
// stands above the topic's overall share: privatisation).
func checkFaded(t *testing.T, name string, dr drawnChart) {
	t.Helper()
	if name == "topic_sentiment.png" {
		return
	}
	want := "n=2"
	if name == "heatmap.png" {
		want = "2" // the row is named "n < 10"
	}
	labelled := map[string]bool{}
	panels := map[string]bool{}
	for _, f := range dr.Faded {
		if f.Period != gapsTwo || f.N != 2 {
			t.Errorf("%s: faded %+v; only %s (n=2) should be", name, f, gapsTwo)
		}
		if f.Label != "" && f.Label != want {
			t.Errorf("%s: %+v labelled %q, want %q", name, f, f.Label, want)
		}
		panels[f.Panel] = true
		labelled[f.Panel] = labelled[f.Panel] || f.Label == want
	}
	mustLabel := []string{""}
	if name == "topics.png" {
		mustLabel = []string{"privatisation"}
		if len(panels) != len(fixtureTopics) {
			t.Errorf("topics.png: %d panels fade the month of two, want all %d", len(panels), len(fixtureTopics))
		}
	}
	for _, p := range mustLabel {
		if !labelled[p] {
			t.Errorf("%s: the month of two comments is not labelled %q in panel %q", name, want, p)
		}
	}
}

// checkShareAxes: every share axis runs inside 0 to 1 and says so.
func checkShareAxes(t *testing.T, charts map[string]chart) {
	t.Helper()
	for _, name := range []string{"sentiment.png", "labels.png", "topics.png", "heatmap.png"} {
		axes := charts[name].Drawn.Axes
		if len(axes) == 0 {
			t.Errorf("%s records no axis", name)
		}
		for _, a := range axes {
			if !strings.Contains(a.Label, "0–1") {
				t.Errorf("%s %s axis %q does not say the 0–1 scale", name, a.Panel, a.Label)
			}
			lo := 0.0
			if name == "sentiment.png" {
				lo = -1
			}
			if a.Min < lo || a.Max > 1 || a.Max <= a.Min {
				t.Errorf("%s %s axis runs %v to %v, want inside %v to 1", name, a.Panel, a.Min, a.Max, lo)
			}
		}
	}
	if a := charts["labels.png"].Drawn.Axes[0]; a.Min != 0 || a.Max != 1 {
		t.Errorf("labels.png axis %v to %v, want 0 to 1", a.Min, a.Max)
	}
}

// checkHeatmap: exactly the cells of the empty months are hatched, in
// every topic row.
func checkHeatmap(t *testing.T, dr drawnChart) {
	t.Helper()
	var want []drawnCell
	for _, e := range gapsEmpty {
		for _, tp := range fixtureTopics {
			want = append(want, drawnCell{Row: tp.Name, Period: e})
		}
	}
	if !slices.Equal(dr.Hatched, want) {
		t.Errorf("hatched cells %v, want %v", dr.Hatched, want)
	}
}

// checkSegmentsBreakAtEvents: no line of the segmented fit crosses an event
// it uses (the fixture's 2018-07-27).
func checkSegmentsBreakAtEvents(t *testing.T, dr drawnChart) {
	t.Helper()
	ev := decYear(mustDate(t, "2018-07-27"))
	n := 0
	for _, l := range dr.Lines {
		if l.Series != "segmented fit" {
			continue
		}
		n++
		if l.From < ev && l.To > ev {
			t.Errorf("segmented fit %.3f-%.3f crosses the event at %.3f", l.From, l.To, ev)
		}
	}
	if n == 0 {
		t.Error("no segmented fit drawn")
	}
}

// TestManySmallPeriodsUnlabelled: weekly data with hundreds of small weeks
// fades them all but writes no n labels (they would overlap into a smear).
func TestManySmallPeriodsUnlabelled(t *testing.T) {
	dr := chartsOf(t, realisticInput(PeriodWeek))["sentiment.png"].Drawn
	if len(dr.Faded) <= maxNLabels {
		t.Fatalf("%d faded weeks; the fixture should have more than %d", len(dr.Faded), maxNLabels)
	}
	for _, f := range dr.Faded {
		if f.Label != "" || f.N >= smallN {
			t.Errorf("faded %+v: want n < %d and no label", f, smallN)
		}
	}
}

// TestPeriodRuns: runs break at a gap between periods and at undefined
// values.
func TestPeriodRuns(t *testing.T) {
	months := []string{"2020-01-01", "2020-02-01", "2020-04-01", "2020-05-01", "2020-06-01", "2020-08-01"}
	d := chartData{period: PeriodMonth}
	for _, m := range months {
		d.ps = append(d.ps, period{start: mustDate(t, m), group: newGroup(0)})
	}
	got := d.periodRuns(func(i int) bool { return i != 3 })
	want := [][]int{{0, 1}, {2}, {4}, {5}}
	if len(got) != len(want) {
		t.Fatalf("runs %v, want %v", got, want)
	}
	for k := range want {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("runs %v, want %v", got, want)
		}
	}
}

// TestPageSharesOnTableScale: index.html writes shares on the 0 to 1 scale
// of topics.csv (to 3 decimals), never as per cent.
func TestPageSharesOnTableScale(t *testing.T) {
	dir := writeTo(t, smallInput())
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if m := regexp.MustCompile(`[0-9]+\.[0-9]+ ?%`).FindString(html); m != "" {
		t.Errorf("index.html writes a share as per cent: %q", m)
	}
	recs := readCSV(t, filepath.Join(dir, "topics.csv"))
	for _, name := range []string{"workload", "pay"} {
		v, err := strconv.ParseFloat(row(t, recs, "topic", name)["share_comments"], 64)
		if err != nil {
			t.Fatal(err)
		}
		if cell := `<td class="n">` + formatFloat(v, 3) + `</td>`; !strings.Contains(html, cell) {
			t.Errorf("index.html lacks %s's share %s (topics.csv %v)", name, cell, v)
		}
	}
}
