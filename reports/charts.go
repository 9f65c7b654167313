package reports

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image/color"
	"image/png"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Chart geometry: 16 x 9 inches at 100 dpi is 1600 x 900 pixels, so a point
// size reads the same as in a 16-inch-wide document.
const (
	chartW   = 16 * vg.Inch
	chartH   = 9 * vg.Inch
	chartDPI = 100
)

// Font sizes chosen after looking at the charts scaled to a page width:
// the gonum defaults (12/10 pt) shrink to unreadable there.
const (
	sizeTitle  = 26
	sizeLabel  = 20
	sizeTick   = 17
	sizeLegend = 17
	sizeSmall  = 15
)

// Colours: negative / neutral / positive use a red / grey / blue scheme that
// survives the common colour-vision deficiencies and grey-scale printing
// better than red/green.
var (
	colNeg      = color.RGBA{R: 202, G: 0, B: 32, A: 255}
	colNeuFill  = color.RGBA{R: 205, G: 205, B: 205, A: 255}
	colPos      = color.RGBA{R: 5, G: 113, B: 176, A: 255}
	colMain     = color.RGBA{R: 33, G: 102, B: 172, A: 255}
	colBand     = color.NRGBA{R: 146, G: 197, B: 222, A: 170} // non-premultiplied: translucent light blue
	colNegBand  = color.NRGBA{R: 244, G: 165, B: 130, A: 120} // translucent light red
	colTrend    = color.RGBA{R: 0, G: 0, B: 0, A: 255}
	colSeg      = color.RGBA{R: 230, G: 97, B: 1, A: 255}
	colEvent    = color.RGBA{R: 110, G: 110, B: 110, A: 255}
	colZero     = color.RGBA{R: 180, G: 180, B: 180, A: 255}
	colVolume   = color.RGBA{R: 67, G: 147, B: 195, A: 255}
	colOverall  = color.RGBA{R: 230, G: 97, B: 1, A: 255}
	hm0NaN      = color.RGBA{R: 235, G: 235, B: 235, A: 255}
	colLabelBox = color.NRGBA{R: 255, G: 255, B: 255, A: 215}
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func fontOf(size vg.Length) font.Font { return font.From(sans, size) }

// chart is one PNG chart: its file name (under charts/), the alt text used
// in index.html and its bytes.
type chart struct {
	Name, Title, Alt string
	PNG              []byte
}

// newPlot returns a plot with readable sans-serif text at 1600 x 900.
func newPlot(title, xlab, ylab string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = fontOf(sizeTitle)
	p.Title.Padding = 0.25 * vg.Inch
	p.X.Label.Text = xlab
	p.Y.Label.Text = ylab
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = fontOf(sizeLabel)
		ax.Tick.Label.Font = fontOf(sizeTick)
		ax.Label.Padding = 0.12 * vg.Inch
		ax.LineStyle.Width = vg.Points(1)
		ax.Tick.LineStyle.Width = vg.Points(1)
	}
	p.Y.Tick.Marker = niceTicks{}
	g := plotter.NewGrid()
	g.Vertical.Color = color.RGBA{R: 225, G: 225, B: 225, A: 255}
	g.Horizontal.Color = g.Vertical.Color
	p.Add(g)
	return p
}

// decYear is the chart's time axis: calendar year plus the fraction of the
// year elapsed at the start of the day.
func decYear(d time.Time) float64 {
	y := d.Year()
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	days := time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24
	return float64(y) + d.Sub(start).Hours()/24/days
}

// yearTicks labels whole years on long spans (minor ticks at quarters) and
// month starts on spans under three years. maxLabels bounds the year labels
// (0: 12), so the narrow panels of a small-multiples chart label every
// second or third year instead of running the labels into each other.
type yearTicks struct{ maxLabels int }

func (t yearTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	span := hi - lo
	max := t.maxLabels
	if max <= 0 {
		max = 12
	}
	if span >= 3 {
		step := int(math.Ceil(span / float64(max)))
		for y := int(math.Floor(lo)); float64(y) <= hi; y++ {
			for q := range 4 {
				v := float64(y) + float64(q)/4
				if v < lo || v > hi {
					continue
				}
				label := ""
				if q == 0 && y%step == 0 {
					label = fmt.Sprint(y)
				}
				ticks = append(ticks, plot.Tick{Value: v, Label: label})
			}
		}
		return ticks
	}
	every := 1
	switch {
	case span > 1.5:
		every = 3
	case span > 0.75:
		every = 2
	}
	for y := int(math.Floor(lo)); float64(y) <= hi; y++ {
		for m := 1; m <= 12; m++ {
			d := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			v := decYear(d)
			if v < lo || v > hi {
				continue
			}
			label := ""
			if (m-1)%every == 0 {
				label = d.Format("Jan 2006")
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	return ticks
}

// niceTicks labels 5 to 10 round values (steps of 1, 2, 2.5 or 5 times a
// power of ten) with an unlabelled minor tick between them; gonum's
// default often labels only the two ends and zero.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'f', -1, 64)}}
	}
	raw := span / 8
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	prec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if m := step / math.Pow(10, math.Floor(math.Log10(step)+1e-9)); m == 2.5 {
		prec++
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+1e-9*span; k++ {
		v := k * step
		if math.Abs(v) < 1e-12*span {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
		if mid := v + step/2; mid <= hi {
			ticks = append(ticks, plot.Tick{Value: mid})
		}
	}
	if first := math.Ceil(lo/step-1e-9)*step - step/2; first >= lo {
		ticks = append(ticks, plot.Tick{Value: first})
	}
	return ticks
}

// eventMarks draws each event inside the x range as a dashed vertical line
// with its name written up the line, so no caption is needed to say what
// the lines are.
type eventMarks struct {
	xs     []float64
	names  []string
	labels bool
	size   vg.Length
}

func (e eventMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	ls := draw.LineStyle{Color: colEvent, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}
	sty := text.Style{
		Color:    colEvent,
		Font:     fontOf(e.size),
		Rotation: math.Pi / 2,
		XAlign:   text.XRight,
		YAlign:   text.YTop,
		Handler:  p.TextHandler,
	}
	for k, x := range e.xs {
		if x < p.X.Min || x > p.X.Max {
			continue
		}
		px := trX(x)
		c.StrokeLine2(ls, px, c.Min.Y, px, c.Max.Y)
		if e.labels {
			// A translucent white box under the name keeps it legible where
			// it crosses data; the text runs up the line from the top.
			r := sty.Rectangle(e.names[k]) // already rotated: x is the text height
			xw, yh := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
			x0, y1 := px+vg.Points(1.5), c.Max.Y-vg.Points(2)
			c.FillPolygon(colLabelBox, []vg.Point{{X: x0, Y: y1 - yh - vg.Points(4)}, {X: x0 + xw + vg.Points(3), Y: y1 - yh - vg.Points(4)},
				{X: x0 + xw + vg.Points(3), Y: y1}, {X: x0, Y: y1}})
			c.FillText(sty, vg.Point{X: px + vg.Points(3), Y: c.Max.Y - vg.Points(4)}, e.names[k])
		}
	}
}

// chartData is what every chart draws from.
type chartData struct {
	period  string
	ps      []period
	adj     []adjusted // per period; NaN when the model has no confusion matrix
	xs      []float64  // decYear of each period start
	topics  []Topic
	events  []eventFit
	linFit  []float64
	segFit  []float64
	overall *group
	slope   float64 // linear slope of mean_compound per year (NaN if not fitted)
	version string
}

func (d chartData) eventMarks(labels bool) eventMarks {
	m := eventMarks{labels: labels, size: sizeSmall}
	for _, e := range d.events {
		t, err := time.Parse(dateLayout, e.Date)
		if err != nil {
			continue
		}
		m.xs = append(m.xs, decYear(t))
		m.names = append(m.names, e.Name)
	}
	return m
}

// perPeriod is "week" -> "per week" for titles.
func (d chartData) perPeriod() string { return "per " + d.period }

// timeAxis fixes the x range to the data (padded by half a period) and the
// year ticks.
func (d chartData) timeAxis(p *plot.Plot) {
	p.X.Tick.Marker = yearTicks{}
	if len(d.xs) == 0 {
		return
	}
	// From the first period's start to the last period's end, so every
	// chart (lines at period starts, bars spanning periods) shares one range.
	last := d.ps[len(d.ps)-1].start
	p.X.Min, p.X.Max = d.xs[0], decYear(nextPeriod(last, d.period))
	pad := 0.01 * (p.X.Max - p.X.Min)
	p.X.Min -= pad
	p.X.Max += pad
}

// lineStyle is a solid or dashed line of the given colour and width.
func lineStyle(c color.Color, w float64, dashed bool) draw.LineStyle {
	ls := draw.LineStyle{Color: c, Width: vg.Points(w)}
	if dashed {
		ls.Dashes = []vg.Length{vg.Points(8), vg.Points(5)}
	}
	return ls
}

// runs splits the indices where ok(i) holds into maximal contiguous runs, so
// bands and lines break across undefined values instead of bridging them.
func runs(n int, ok func(i int) bool) [][]int {
	var out [][]int
	var cur []int
	for i := range n {
		if ok(i) {
			cur = append(cur, i)
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// sentimentChart: mean compound per period with its 95% CI band, the linear
// trend, the segmented fit and the events.
func sentimentChart(d chartData) (*figure, error) {
	p := newPlot("", "Post date", "Mean compound sentiment score (−1 to +1)")
	f := &figure{title: fmt.Sprintf("Mean comment sentiment %s, with 95%% confidence band", d.perPeriod()), p: p}
	d.timeAxis(p)
	p.Add(zeroLine())
	n := len(d.ps)
	lo, hi := make([]float64, n), make([]float64, n)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i, pr := range d.ps {
		lo[i], hi[i] = meanCI(pr.all)
		m := pr.all.Mean()
		ymin, ymax = math.Min(ymin, m), math.Max(ymax, m)
		if !math.IsNaN(lo[i]) {
			ymin, ymax = math.Min(ymin, lo[i]), math.Max(ymax, hi[i])
		}
	}
	bandDrawn := false
	for _, run := range runs(n, func(i int) bool { return !math.IsNaN(lo[i]) }) {
		pts := make(plotter.XYs, 0, 2*len(run)+2)
		for _, i := range run {
			pts = append(pts, plotter.XY{X: d.xs[i], Y: clamp(hi[i], -1, 1)})
		}
		for k := len(run) - 1; k >= 0; k-- {
			i := run[k]
			pts = append(pts, plotter.XY{X: d.xs[i], Y: clamp(lo[i], -1, 1)})
		}
		if len(run) == 1 { // a lone period: draw its interval as a thin bar
			i := run[0]
			w := 0.3 / 365.25
			pts = plotter.XYs{{X: d.xs[i] - w, Y: clamp(lo[i], -1, 1)}, {X: d.xs[i] + w, Y: clamp(lo[i], -1, 1)},
				{X: d.xs[i] + w, Y: clamp(hi[i], -1, 1)}, {X: d.xs[i] - w, Y: clamp(hi[i], -1, 1)}}
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return nil, fmt.Errorf("confidence band: %w", err)
		}
		poly.Color = colBand
		poly.LineStyle.Width = 0
		p.Add(poly)
		if !bandDrawn {
			f.legend.add("95% CI of the mean", poly)
			bandDrawn = true
		}
	}
	// The share of negative comments, adjusted for the classifier's error,
	// with its 95% band, on the same axis (a share is 0 to 1).
	if lo, hi, ok := d.adjustedNegative(); ok {
		for i := range d.adj {
			if !math.IsNaN(d.adj[i].share[0]) {
				ymin, ymax = math.Min(ymin, lo[i]), math.Max(ymax, hi[i])
			}
		}
		if err := d.drawAdjusted(p, f); err != nil {
			return nil, err
		}
		f.title = fmt.Sprintf("Mean comment sentiment and adjusted share of negative comments %s, with 95%% bands", d.perPeriod())
		p.Y.Label.Text = "Mean compound (−1 to +1) · share (0 to 1)"
	}
	means := make(plotter.XYs, n)
	for i, pr := range d.ps {
		means[i] = plotter.XY{X: d.xs[i], Y: pr.all.Mean()}
	}
	if n > 0 {
		l, s, err := plotter.NewLinePoints(means)
		if err != nil {
			return nil, fmt.Errorf("mean line: %w", err)
		}
		l.LineStyle = lineStyle(colMain, 1.5, false)
		s.GlyphStyle = draw.GlyphStyle{Color: colMain, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		if n > 400 {
			s.GlyphStyle.Radius = vg.Points(1)
		}
		p.Add(l, s)
		f.legend.add("Mean compound "+d.perPeriod(), l, s)
	}
	if d.linFit != nil {
		l, err := fitLine(d.xs, d.linFit, lineStyle(colTrend, 2.5, true))
		if err != nil {
			return nil, err
		}
		p.Add(l)
		f.legend.add(fmt.Sprintf("Linear trend (%+.3f per year)", d.slope), l)
	}
	if d.segFit != nil {
		var breaks []float64
		for _, e := range d.events {
			if e.used {
				breaks = append(breaks, e.chartX)
			}
		}
		ls := lineStyle(colSeg, 3, false)
		// One line per segment: the model jumps at each event, and a line
		// drawn across the jump would show a ramp the model does not have.
		seg := 0
		var pts plotter.XYs
		flush := func() error {
			if len(pts) == 0 {
				return nil
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return fmt.Errorf("segmented fit: %w", err)
			}
			l.LineStyle = ls
			p.Add(l)
			pts = nil
			return nil
		}
		for i, x := range d.xs {
			for seg < len(breaks) && x >= breaks[seg] {
				if err := flush(); err != nil {
					return nil, err
				}
				seg++
			}
			pts = append(pts, plotter.XY{X: x, Y: d.segFit[i]})
		}
		if err := flush(); err != nil {
			return nil, err
		}
		f.legend.add(fmt.Sprintf("Segmented fit (level and slope change at %d events)", len(breaks)), thumbLine{ls})
	}
	p.Add(d.eventMarks(true))
	if n > 0 {
		pad := 0.08 * (ymax - ymin)
		if pad == 0 {
			pad = 0.1
		}
		p.Y.Min, p.Y.Max = math.Max(-1, ymin-pad), math.Min(1, ymax+pad)
	} else {
		p.Y.Min, p.Y.Max = -1, 1
	}
	return f, nil
}

// adjustedNegative returns the adjusted negative share's interval per
// period; ok is false when no period has one (a model without a confusion
// matrix).
func (d chartData) adjustedNegative() (lo, hi []float64, ok bool) {
	lo, hi = make([]float64, len(d.adj)), make([]float64, len(d.adj))
	for i, a := range d.adj {
		lo[i], hi[i] = a.lo[0], a.hi[0]
		ok = ok || !math.IsNaN(a.share[0])
	}
	return lo, hi, ok
}

// drawAdjusted draws the adjusted negative share: a translucent red band
// for its 95% interval and a red line, broken where a period has none.
func (d chartData) drawAdjusted(p *plot.Plot, f *figure) error {
	have := func(i int) bool { return !math.IsNaN(d.adj[i].lo[0]) && !math.IsNaN(d.adj[i].hi[0]) }
	bandDrawn := false
	for _, run := range runs(len(d.adj), have) {
		pts := make(plotter.XYs, 0, 2*len(run)+4)
		for _, i := range run {
			pts = append(pts, plotter.XY{X: d.xs[i], Y: d.adj[i].hi[0]})
		}
		for k := len(run) - 1; k >= 0; k-- {
			pts = append(pts, plotter.XY{X: d.xs[run[k]], Y: d.adj[run[k]].lo[0]})
		}
		if len(run) == 1 {
			i, w := run[0], 0.3/365.25
			pts = plotter.XYs{{X: d.xs[i] - w, Y: d.adj[i].lo[0]}, {X: d.xs[i] + w, Y: d.adj[i].lo[0]},
				{X: d.xs[i] + w, Y: d.adj[i].hi[0]}, {X: d.xs[i] - w, Y: d.adj[i].hi[0]}}
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return fmt.Errorf("adjusted share band: %w", err)
		}
		poly.Color = colNegBand
		poly.LineStyle.Width = 0
		p.Add(poly)
		if !bandDrawn {
			f.legend.add("95% interval of the adjusted share (sampling and classifier error)", poly)
			bandDrawn = true
		}
	}
	var pts plotter.XYs
	var lines []*plotter.Line
	for _, run := range runs(len(d.adj), func(i int) bool { return !math.IsNaN(d.adj[i].share[0]) }) {
		pts = pts[:0]
		for _, i := range run {
			pts = append(pts, plotter.XY{X: d.xs[i], Y: d.adj[i].share[0]})
		}
		l, err := plotter.NewLine(append(plotter.XYs(nil), pts...))
		if err != nil {
			return fmt.Errorf("adjusted share: %w", err)
		}
		l.LineStyle = lineStyle(colNeg, 1.5, false)
		p.Add(l)
		lines = append(lines, l)
	}
	if len(lines) > 0 {
		f.legend.add("Share of negative comments, adjusted for classifier error", lines[0])
	}
	return nil
}

// fitLine draws fitted values as one line (the linear trend).
func fitLine(xs, ys []float64, ls draw.LineStyle) (*plotter.Line, error) {
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, fmt.Errorf("fit line: %w", err)
	}
	l.LineStyle = ls
	return l, nil
}

// zeroLine is a light horizontal line at y = 0 (neutral sentiment).
func zeroLine() *plotter.Function {
	f := plotter.NewFunction(func(float64) float64 { return 0 })
	f.LineStyle = lineStyle(colZero, 1.5, false)
	return f
}

// labelChart: shares of negative, neutral and positive comments per period.
func labelChart(d chartData) (*figure, error) {
	p := newPlot("", "Post date", "Share of comments in the period (%)")
	f := &figure{title: fmt.Sprintf("Share of negative, neutral and positive comments %s (stacked to 100%%)", d.perPeriod()), p: p}
	d.timeAxis(p)
	cols := [3]color.Color{colNeg, colNeuFill, colPos}
	// Stacked areas, negative at the bottom: the shares sum to 100%, and
	// three crossing lines of noisy shares were hard to follow.
	n := len(d.ps)
	if n > 0 {
		lower := make([]float64, n)
		for l := range 3 {
			upper := make([]float64, n)
			pts := make(plotter.XYs, 0, 2*n)
			for i, pr := range d.ps {
				upper[i] = lower[i] + 100*pr.share(pr.byLabel[l])
				pts = append(pts, plotter.XY{X: d.xs[i], Y: upper[i]})
			}
			for i := n - 1; i >= 0; i-- {
				pts = append(pts, plotter.XY{X: d.xs[i], Y: lower[i]})
			}
			poly, err := plotter.NewPolygon(pts)
			if err != nil {
				return nil, fmt.Errorf("%s area: %w", labels[l], err)
			}
			poly.Color = cols[l]
			poly.LineStyle.Width = 0
			p.Add(poly)
			name := strings.ToUpper(labels[l][:1]) + labels[l][1:]
			f.legend.add(fmt.Sprintf("%s (%.1f%% of all comments)", name, 100*d.overall.share(d.overall.byLabel[l])), swatch{cols[l]})
			lower = upper
		}
	}
	p.Add(d.eventMarks(true))
	p.Y.Min, p.Y.Max = 0, 100
	p.Y.Tick.Marker = niceTicks{}
	return f, nil
}

// volumeChart: number of comments per period as a step area.
func volumeChart(d chartData) (*figure, error) {
	p := newPlot("", "Post date", fmt.Sprintf("Comments %s", d.perPeriod()))
	f := &figure{title: fmt.Sprintf("Number of comments %s (by the date of their post)", d.perPeriod()), p: p}
	d.timeAxis(p)
	if len(d.ps) > 0 {
		pts := plotter.XYs{{X: d.xs[0], Y: 0}}
		maxN := 0
		for i, pr := range d.ps {
			x0 := d.xs[i]
			x1 := decYear(nextPeriod(pr.start, d.period))
			pts = append(pts, plotter.XY{X: x0, Y: 0}, plotter.XY{X: x0, Y: float64(pr.all.n)},
				plotter.XY{X: x1, Y: float64(pr.all.n)}, plotter.XY{X: x1, Y: 0})
			maxN = max(maxN, pr.all.n)
		}
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return nil, fmt.Errorf("volume: %w", err)
		}
		poly.Color = colVolume
		poly.LineStyle = lineStyle(colVolume, 0.5, false)
		p.Add(poly)
		f.legend.add(fmt.Sprintf("Comments (total %d dated; %d undated not shown)",
			d.overall.all.n-undatedN(d), undatedN(d)), poly)
		p.Y.Min, p.Y.Max = 0, float64(maxN)*1.12
	}
	p.Add(d.eventMarks(true))
	return f, nil
}

func undatedN(d chartData) int {
	n := d.overall.all.n
	for _, pr := range d.ps {
		n -= pr.all.n
	}
	return n
}

// topicSentimentChart: mean compound per topic with its 95% CI, topics
// sorted by mean, the overall mean as a reference line.
func topicSentimentChart(d chartData) (*figure, error) {
	p := newPlot("", "Mean compound sentiment score (−1 to +1)", "")
	f := &figure{title: "Mean comment sentiment by topic, with 95% confidence intervals", p: p}
	p.X.Tick.Marker = niceTicks{}
	order := sortTopicsBy(d.topics, func(i int) float64 {
		m := d.overall.topicAcc[i].Mean()
		if math.IsNaN(m) {
			return math.Inf(-1)
		}
		return -m // most negative at the top after the reversal below
	})
	// NominalY puts the first name at the bottom; reverse so the most
	// negative topic reads first from the top.
	names := make([]string, len(order))
	pts := make(plotter.XYs, 0, len(order))
	var errs plotter.XErrors
	var ptsXY plotter.XYs
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for k := range order {
		ti := order[len(order)-1-k]
		a := d.overall.topicAcc[ti]
		names[k] = fmt.Sprintf("%s (n=%d)", topicLabel(d.topics[ti]), a.n)
		m := a.Mean()
		if math.IsNaN(m) {
			continue
		}
		pts = append(pts, plotter.XY{X: m, Y: float64(k)})
		xmin, xmax = math.Min(xmin, m), math.Max(xmax, m)
		lo, hi := meanCI(a)
		if !math.IsNaN(lo) {
			ptsXY = append(ptsXY, plotter.XY{X: m, Y: float64(k)})
			errs = append(errs, struct{ Low, High float64 }{m - lo, hi - m})
			xmin, xmax = math.Min(xmin, lo), math.Max(xmax, hi)
		}
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font = fontOf(sizeTick)
	p.Y.Tick.Length = 0
	om := d.overall.all.Mean()
	if !math.IsNaN(om) {
		ref := refLineX{x: om, ls: lineStyle(colOverall, 2, true)}
		p.Add(ref)
		f.legend.add(fmt.Sprintf("All comments (%+.3f)", om), ref)
		xmin, xmax = math.Min(xmin, om), math.Max(xmax, om)
	}
	p.Add(refLineX{x: 0, ls: lineStyle(colZero, 1.5, false)})
	if len(ptsXY) > 0 {
		eb, err := plotter.NewXErrorBars(xErr{ptsXY, errs})
		if err != nil {
			return nil, fmt.Errorf("topic intervals: %w", err)
		}
		eb.LineStyle = lineStyle(colMain, 2.5, false)
		eb.CapWidth = vg.Points(10)
		p.Add(eb)
		f.legend.add("95% CI of the mean", intervalThumb{eb.LineStyle})
	}
	if len(pts) > 0 {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("topic means: %w", err)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: colMain, Radius: vg.Points(6), Shape: draw.CircleGlyph{}}
		p.Add(s)
		f.legend.add("Mean compound", s)
	}
	if xmin > xmax {
		xmin, xmax = -1, 1
	}
	pad := 0.08 * (xmax - xmin)
	if pad == 0 {
		pad = 0.1
	}
	p.X.Min, p.X.Max = math.Max(-1, math.Min(0, xmin)-pad), math.Min(1, math.Max(0, xmax)+pad)
	return f, nil
}

func topicLabel(t Topic) string {
	if t.Label != "" {
		return t.Label
	}
	return t.Name
}

// xErr joins points and horizontal error sizes for NewXErrorBars.
type xErr struct {
	plotter.XYs
	plotter.XErrors
}

// refLineX is a vertical reference line at x, usable as a legend entry.
type refLineX struct {
	x  float64
	ls draw.LineStyle
}

func (r refLineX) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	px := trX(r.x)
	if px < c.Min.X || px > c.Max.X {
		return
	}
	c.StrokeLine2(r.ls, px, c.Min.Y, px, c.Max.Y)
}

func (r refLineX) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(r.ls, x, c.Min.Y, x, c.Max.Y)
}

// intervalThumb is the legend entry of a horizontal error bar.
type intervalThumb struct{ ls draw.LineStyle }

func (t intervalThumb) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	h := (c.Max.Y - c.Min.Y) / 3
	c.StrokeLine2(t.ls, c.Min.X, y, c.Max.X, y)
	c.StrokeLine2(t.ls, c.Min.X, y-h, c.Min.X, y+h)
	c.StrokeLine2(t.ls, c.Max.X, y-h, c.Max.X, y+h)
}

// topicGrid is the heat map's grid: one column per period from the first
// to the last (empty periods are NaN and drawn in the background colour),
// one row per topic.
type topicGrid struct {
	xs   []float64
	z    [][]float64 // [row][col]
	rows int
}

func (g topicGrid) Dims() (int, int)   { return len(g.xs), g.rows }
func (g topicGrid) Z(c, r int) float64 { return g.z[r][c] }
func (g topicGrid) X(c int) float64    { return g.xs[c] }
func (g topicGrid) Y(r int) float64    { return float64(r) }
func (g topicGrid) maxZ() (m float64)  { return maxGrid(g.z) }

// percentile is the q quantile (nearest rank) of the non-NaN values of z.
func percentile(z [][]float64, q float64) float64 {
	var v []float64
	for _, row := range z {
		for _, x := range row {
			if !math.IsNaN(x) {
				v = append(v, x)
			}
		}
	}
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	k := int(math.Ceil(q*float64(len(v)))) - 1
	return v[max(0, min(k, len(v)-1))]
}

func maxGrid(z [][]float64) (m float64) {
	for _, row := range z {
		for _, v := range row {
			if !math.IsNaN(v) {
				m = math.Max(m, v)
			}
		}
	}
	return m
}

// heatPeriod is the period the heat map uses: a heat map of hundreds of
// single days is unreadable noise, so daily data is rolled up to months
// (weeks over a few months) for this chart only.
func heatPeriod(d chartData) string {
	if d.period != PeriodDay || len(d.ps) == 0 {
		return d.period
	}
	span := d.ps[len(d.ps)-1].start.Sub(d.ps[0].start).Hours() / 24
	switch {
	case span > 365:
		return PeriodMonth
	case span > 90:
		return PeriodWeek
	}
	return PeriodDay
}

// heatmapChart: share of comments on each topic, topics by period.
func heatmapChart(d chartData) (*figure, error) {
	hp := heatPeriod(d)
	title := fmt.Sprintf("Share of comments on each topic, per %s", hp)
	if hp != d.period {
		title += fmt.Sprintf(" (tables are per %s)", d.period)
	}
	p := newPlot("", "Post date", "")
	f := &figure{title: title, p: p}
	g := topicGrid{rows: len(d.topics)}
	if len(d.ps) > 0 && len(d.topics) > 0 {
		type cell struct {
			n      int
			topicN []int
		}
		idx := map[time.Time]int{}
		var cells []cell
		first := periodStart(d.ps[0].start, hp)
		last := periodStart(d.ps[len(d.ps)-1].start, hp)
		for s := first; !s.After(last); s = nextPeriod(s, hp) {
			idx[s] = len(cells)
			cells = append(cells, cell{topicN: make([]int, len(d.topics))})
			g.xs = append(g.xs, decYear(s))
		}
		for _, pr := range d.ps {
			c := &cells[idx[periodStart(pr.start, hp)]]
			c.n += pr.all.n
			for ti := range d.topics {
				c.topicN[ti] += pr.topicN[ti]
			}
		}
		// Rows bottom to top; reverse so the taxonomy reads from the top.
		g.z = make([][]float64, len(d.topics))
		for r := range d.topics {
			ti := len(d.topics) - 1 - r
			row := make([]float64, len(cells))
			for c, cl := range cells {
				row[c] = math.NaN()
				if cl.n > 0 {
					row[c] = 100 * float64(cl.topicN[ti]) / float64(cl.n)
				}
			}
			g.z[r] = row
		}
	}
	names := make([]string, len(d.topics))
	for r := range d.topics {
		names[r] = topicLabel(d.topics[len(d.topics)-1-r])
	}
	pal := heatPalette()
	// Periods with one or two comments give shares of 0 or 100% that would
	// stretch the scale and leave every other cell pale; the scale stops
	// at the 95th percentile and larger shares take the darkest colour.
	hi := math.Max(percentile(g.z, 0.95), 1)
	capped := hi < g.maxZ()
	if len(g.xs) > 0 && g.rows > 0 {
		hm := plotter.NewHeatMap(g, pal)
		hm.Min, hm.Max = 0, hi
		hm.NaN = hm0NaN
		hm.Overflow = pal.Colors()[len(pal.Colors())-1]
		p.Add(hm)
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font = fontOf(sizeTick)
	p.Y.Tick.Length = 0
	p.X.Tick.Marker = yearTicks{}
	if len(g.xs) > 0 {
		w := 0.5 * (decYear(nextPeriod(periodStart(d.ps[0].start, hp), hp)) - g.xs[0])
		p.X.Min, p.X.Max = g.xs[0]-w, g.xs[len(g.xs)-1]+w
	}
	m := d.eventMarks(false)
	p.Add(m)

	// Colour key: a one-column heat map of the same palette.
	keyLabel := "Share of comments in the period (%)"
	if capped {
		keyLabel = fmt.Sprintf("Share of comments (%%; darkest = %.0f%% or more)", hi)
	}
	key := newPlot("", "", keyLabel)
	key.Y.Label.TextStyle.Font = fontOf(sizeSmall + 2)
	steps := 100
	kz := make([][]float64, steps)
	for k := range kz {
		kz[k] = []float64{hi * (float64(k) + 0.5) / float64(steps)}
	}
	km := plotter.NewHeatMap(keyGrid{kz: kz, hi: hi}, pal)
	km.Min, km.Max = 0, hi
	key.Add(km)
	key.HideX()
	key.Y.Min, key.Y.Max = 0, hi
	f.key = key
	if len(d.events) > 0 {
		f.legend.add("Events (dashed lines; see the sentiment chart for names)", eventThumb{})
	}
	f.legend.add("No comments in the period", swatch{hm0NaN})
	return f, nil
}

// keyGrid is the colour key's grid: one column, values from 0 to hi.
type keyGrid struct {
	kz [][]float64
	hi float64
}

func (k keyGrid) Dims() (int, int)   { return 1, len(k.kz) }
func (k keyGrid) Z(c, r int) float64 { return k.kz[r][0] }
func (k keyGrid) X(int) float64      { return 0 }
func (k keyGrid) Y(r int) float64 {
	return k.hi * (float64(r) + 0.5) / float64(len(k.kz))
}

// heatPalette is a white-to-dark-blue sequential ramp (ColorBrewer Blues),
// so darker always means a larger share.
func heatPalette() palette.Palette {
	p, err := brewer.GetPalette(brewer.TypeSequential, "Blues", 9)
	if err != nil {
		// Blues/9 is a fixed entry of the brewer tables; reaching here is a
		// programming error, so fall back to a grey ramp rather than fail.
		return palette.Heat(9, 1)
	}
	return p
}

// topicSharesChart: small multiples, one panel per topic, same y scale.
func topicSharesChart(d chartData) (*figure, error) {
	f := &figure{title: fmt.Sprintf("Share of comments on each topic %s (same scale in every panel)", d.perPeriod())}
	n := len(d.topics)
	if n == 0 {
		return f, nil
	}
	cols := 3
	if n > 9 {
		cols = 4
	}
	if n <= 4 {
		cols = 2
	}
	rows := (n + cols - 1) / cols
	ymax := 0.0
	for _, pr := range d.ps {
		for ti := range d.topics {
			ymax = math.Max(ymax, 100*pr.share(pr.topicN[ti]))
		}
	}
	ymax = math.Max(ymax*1.08, 1)
	plots := make([]*plot.Plot, n)
	for ti, t := range d.topics {
		p := newPlot("", "", "")
		p.Title.Text = fmt.Sprintf("%s (%.1f%% overall)", topicLabel(t), 100*d.overall.share(d.overall.topicN[ti]))
		p.Title.TextStyle.Font = fontOf(sizeSmall + 2)
		p.Title.Padding = 0.05 * vg.Inch
		for _, ax := range []*plot.Axis{&p.X, &p.Y} {
			ax.Tick.Label.Font = fontOf(sizeSmall - 2)
		}
		d.timeAxis(p)
		p.X.Tick.Marker = yearTicks{maxLabels: 4}
		p.Y.Min, p.Y.Max = 0, ymax
		p.Add(d.eventMarks(false))
		pts := make(plotter.XYs, len(d.ps))
		for i, pr := range d.ps {
			pts[i] = plotter.XY{X: d.xs[i], Y: 100 * pr.share(pr.topicN[ti])}
		}
		if len(pts) > 0 {
			l, err := plotter.NewLine(pts)
			if err == nil {
				l.LineStyle = lineStyle(colMain, 1.8, false)
				p.Add(l)
			}
		}
		plots[ti] = p
	}
	f.grid = make([][]*plot.Plot, rows)
	for r := range rows {
		f.grid[r] = make([]*plot.Plot, cols)
		for c := range cols {
			if k := r*cols + c; k < len(plots) {
				f.grid[r][c] = plots[k]
			}
		}
	}
	f.gridY = "Share of comments in the period (%)"
	f.gridX = "Post date"
	if len(d.events) > 0 {
		f.legend.add("Events (see the sentiment chart for names)", eventThumb{})
	}
	return f, nil
}

// renderCharts draws every chart and returns them in page order.
func renderCharts(d chartData) ([]chart, error) {
	specs := []struct {
		name, title, alt string
		build            func(chartData) (*figure, error)
	}{
		{"sentiment.png", "Sentiment over time", "Mean compound score per period with 95% confidence band, linear trend, segmented fit and events", sentimentChart},
		{"labels.png", "Negative, neutral and positive shares", "Share of negative, neutral and positive comments per period", labelChart},
		{"topics.png", "Topic shares over time", "One panel per topic: share of comments tagged with the topic per period", topicSharesChart},
		{"topic_sentiment.png", "Sentiment by topic", "Mean compound score per topic with 95% confidence intervals", topicSentimentChart},
		{"heatmap.png", "Topic-by-period heat map", "Heat map of the share of comments on each topic per period", heatmapChart},
		{"volume.png", "Comment volume", "Number of dated comments per period", volumeChart},
	}
	// Charts are built and drawn on all cores: they share only d, which
	// they read, and drawing PNGs is most of a nightly run's CPU once
	// comments.csv is reused.
	out := make([]chart, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0)) // one canvas per core at a time bounds memory
	for i, s := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			f, err := s.build(d)
			if err != nil {
				errs[i] = fmt.Errorf("chart %s: %w", s.name, err)
				return
			}
			b, err := renderPNG(d.version, f.draw)
			if err != nil {
				errs[i] = fmt.Errorf("chart %s: %w", s.name, err)
				return
			}
			out[i] = chart{Name: s.name, Title: s.title, Alt: s.alt, PNG: b}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// figure is one chart: a title and a legend row drawn by us above either a
// single plot (with an optional colour key at its right) or a grid of small
// multiples. gonum/plot draws legends inside the data area, where they hide
// data and event labels; a row under the title hides nothing.
type figure struct {
	title        string
	legend       legend
	p            *plot.Plot
	key          *plot.Plot
	grid         [][]*plot.Plot
	gridX, gridY string // shared axis labels of the grid
}

// legend is a list of entries drawn as rows under the title.
type legend struct{ items []legendItem }

type legendItem struct {
	name   string
	thumbs []plot.Thumbnailer
}

func (l *legend) add(name string, thumbs ...plot.Thumbnailer) {
	l.items = append(l.items, legendItem{name: name, thumbs: thumbs})
}

// draw lays the figure out on the whole canvas.
func (f *figure) draw(dc draw.Canvas) {
	hdl := plot.DefaultTextHandler
	titleSty := text.Style{Color: color.Black, Font: fontOf(sizeTitle), XAlign: text.XCenter, YAlign: text.YTop, Handler: hdl}
	top := dc.Max.Y - 0.15*vg.Inch
	dc.FillText(titleSty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: top}, f.title)
	top -= titleSty.Rectangle(f.title).Size().Y + 0.15*vg.Inch
	top = f.legend.draw(dc, top)
	area := dc
	area.Max.Y = top - 0.1*vg.Inch
	area.Min.X += 0.1 * vg.Inch
	area.Max.X -= 0.3 * vg.Inch
	area.Min.Y += 0.1 * vg.Inch
	switch {
	case f.grid != nil:
		f.drawGrid(area)
	case f.key != nil:
		left := area
		left.Max.X = area.Min.X + 0.9*(area.Max.X-area.Min.X)
		right := area
		right.Min.X = left.Max.X + 0.3*vg.Inch
		right.Min.Y += 0.75 * vg.Inch // level with the heat map's data area
		f.p.Draw(left)
		f.key.Draw(right)
	case f.p != nil:
		f.p.Draw(area)
	}
}

// draw writes the entries centred in rows under y and returns the y below
// the last row.
func (l legend) draw(dc draw.Canvas, y vg.Length) vg.Length {
	if len(l.items) == 0 {
		return y
	}
	sty := text.Style{Color: color.Black, Font: fontOf(sizeLegend), XAlign: text.XLeft, YAlign: text.YCenter, Handler: plot.DefaultTextHandler}
	thumbW, gap, pad := 0.55*vg.Inch, 0.12*vg.Inch, 0.4*vg.Inch
	rowH := sty.Rectangle("Mg").Size().Y * 1.35
	widths := make([]vg.Length, len(l.items))
	for i, it := range l.items {
		widths[i] = thumbW + gap + sty.Rectangle(it.name).Size().X
	}
	maxW := dc.Max.X - dc.Min.X - 0.6*vg.Inch
	for i := 0; i < len(l.items); {
		j, w := i, vg.Length(0)
		for j < len(l.items) && (j == i || w+pad+widths[j] <= maxW) {
			if j > i {
				w += pad
			}
			w += widths[j]
			j++
		}
		x := (dc.Min.X+dc.Max.X)/2 - w/2
		cy := y - rowH/2
		for k := i; k < j; k++ {
			icon := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: cy - rowH*0.3}, Max: vg.Point{X: x + thumbW, Y: cy + rowH*0.3}}}
			for _, t := range l.items[k].thumbs {
				t.Thumbnail(&icon)
			}
			dc.FillText(sty, vg.Point{X: x + thumbW + gap, Y: cy}, l.items[k].name)
			x += widths[k] + pad
		}
		y -= rowH
		i = j
	}
	return y
}

// drawGrid draws the small multiples with shared axis labels.
func (f *figure) drawGrid(area draw.Canvas) {
	lab := text.Style{Color: color.Black, Font: fontOf(sizeLabel), XAlign: text.XCenter, YAlign: text.YBottom, Handler: plot.DefaultTextHandler}
	labH := lab.Rectangle("Mg").Size().Y
	dc := area
	dc.Min.Y += labH + 0.1*vg.Inch
	dc.Min.X += labH + 0.15*vg.Inch
	area.FillText(lab, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: area.Min.Y}, f.gridX)
	ylab := lab
	ylab.Rotation = math.Pi / 2
	ylab.YAlign = text.YTop
	area.FillText(ylab, vg.Point{X: area.Min.X, Y: (dc.Min.Y + dc.Max.Y) / 2}, f.gridY)
	rows, cols := len(f.grid), len(f.grid[0])
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 0.3 * vg.Inch, PadY: 0.2 * vg.Inch}
	canvases := plot.Align(f.grid, tiles, dc)
	for r := range rows {
		for c := range cols {
			if f.grid[r][c] != nil {
				f.grid[r][c].Draw(canvases[r][c])
			}
		}
	}
}

// thumbLine is a line legend entry.
type thumbLine struct{ ls draw.LineStyle }

func (t thumbLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(t.ls, c.Min.X, y, c.Max.X, y)
}

// eventThumb is the legend entry of an event line.
type eventThumb struct{}

func (eventThumb) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(draw.LineStyle{Color: colEvent, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, x, c.Min.Y, x, c.Max.Y)
}

// swatch is a filled-square legend entry.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	side := c.Max.Y - c.Min.Y
	x := (c.Min.X + c.Max.X - side) / 2
	c.FillPolygon(s.c, []vg.Point{{X: x, Y: c.Min.Y}, {X: x + side, Y: c.Min.Y}, {X: x + side, Y: c.Max.Y}, {X: x, Y: c.Max.Y}})
}

// renderPNG draws onto a white 1600 x 900 canvas and encodes it as PNG with
// a tEXt chunk "Software: chorus VERSION", so a chart copied out of its
// folder still says which version made it. Fastest compression: the same
// pixels in files 5 to 10% larger, for a third less encoding time, which
// was half of drawing a chart.
func renderPNG(version string, drawFn func(draw.Canvas)) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(chartW, chartH), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	drawFn(draw.New(c))
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return withTextChunk(buf.Bytes(), "Software", "chorus "+version)
}

// withTextChunk inserts a PNG tEXt chunk right after IHDR (the PNG
// signature is 8 bytes, IHDR is 25 bytes including length, type and CRC).
func withTextChunk(b []byte, key, value string) ([]byte, error) {
	const ihdrEnd = 8 + 25
	if len(b) < ihdrEnd || string(b[12:16]) != "IHDR" {
		return nil, fmt.Errorf("not a PNG with a leading IHDR")
	}
	data := append([]byte(key), 0)
	data = append(data, value...)
	chunk := make([]byte, 0, len(data)+12)
	chunk = binary.BigEndian.AppendUint32(chunk, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(b)+len(chunk))
	out = append(out, b[:ihdrEnd]...)
	out = append(out, chunk...)
	out = append(out, b[ihdrEnd:]...)
	return out, nil
}
