package reports

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// smallN is the fewest comments a period (or a topic, in the topic
// sentiment chart) needs to be drawn solid. Below it a share moves by at
// least a tenth per comment (a month of 2 comments can only be 0, 0.5 or 1)
// and a mean rests on a handful of comments, so the charts draw such a
// period hollow or faded and write its n beside it: a reader then sees that
// a spike is two comments, not a change of mood. docs/outputs.md states it.
const smallN = 10

// maxNLabels is the most "n=…" labels a chart writes. Weekly or daily data
// can have hundreds of small periods, whose labels would run into one grey
// smear; past this many the small periods are still drawn hollow or faded,
// and the legend points to n_comments in daily.csv instead.
const maxNLabels = 24

// shareAxis is the unit of every share the charts draw: shares are 0 to 1
// on the charts, as in the tables (docs/outputs.md, "Shares").
const shareAxis = "(0–1)"

// drawnChart is what one chart drew, in data units, recorded while it is
// built. Tests read it instead of pixels: fonts differ between machines, so
// pixel goldens would fail for the wrong reasons, while this says what a
// reader must be able to see (where lines run, what is faded, what is
// hatched, what the axes measure).
type drawnChart struct {
	Lines   []drawnLine  // every line, band, area or bar run along the time axis
	Faded   []drawnFaded // periods (or topics) drawn hollow or faded for their small n
	Hatched []drawnCell  // heat-map cells of periods with no comments
	Axes    []drawnAxis  // each value axis
}

// drawnLine is one unbroken line, band or area: the x range (decimal years)
// it covers, from its first to its last drawn x.
type drawnLine struct {
	Panel, Series string
	Kind          string // "data", "band" or "fit" (a fitted model: a function of time)
	From, To      float64
	Faded         bool
}

// drawnFaded is one period (Period, YYYY-MM-DD) or topic (Period empty)
// drawn hollow or faded, its n, and the label written beside it ("" when the
// chart has too many to label).
type drawnFaded struct {
	Panel, Series, Period string
	N                     int
	Label                 string
}

// drawnCell is one hatched heat-map cell.
type drawnCell struct{ Row, Period string }

// drawnAxis is a value axis: its label and range.
type drawnAxis struct {
	Panel, Label string
	Min, Max     float64
}

func (dr *drawnChart) line(panel, series, kind string, from, to float64, faded bool) {
	dr.Lines = append(dr.Lines, drawnLine{Panel: panel, Series: series, Kind: kind, From: from, To: to, Faded: faded})
}

func (dr *drawnChart) axis(panel string, p *plot.Plot) {
	dr.Axes = append(dr.Axes, drawnAxis{Panel: panel, Label: p.Y.Label.Text, Min: p.Y.Min, Max: p.Y.Max})
}

// follows reports whether period i starts right where period i-1 ends: the
// periods list holds only periods with comments, so a gap between two
// neighbours in it is one or more empty periods.
func (d chartData) follows(i int) bool {
	return i > 0 && d.ps[i].start.Equal(nextPeriod(d.ps[i-1].start, d.period))
}

// periodRuns splits the periods into maximal runs of consecutive periods
// where ok holds: every line and band is drawn run by run, so none is drawn
// across an empty period or an undefined value.
func (d chartData) periodRuns(ok func(i int) bool) [][]int {
	var out [][]int
	for _, r := range runs(len(d.ps), ok) {
		out = append(out, splitWhere(r, func(k int) bool { return !d.follows(r[k]) })...)
	}
	return out
}

// splitWhere cuts r before every position k (k ≥ 1) where cut(k) holds.
func splitWhere(r []int, cut func(k int) bool) [][]int {
	var out [][]int
	a := 0
	for k := 1; k <= len(r); k++ {
		if k == len(r) || cut(k) {
			out = append(out, r[a:k])
			a = k
		}
	}
	return out
}

// small reports whether period i has fewer than smallN comments.
func (d chartData) small(i int) bool { return d.ps[i].all.n < smallN }

// labelN reports whether the chart writes n beside its small periods.
func (d chartData) labelN() bool {
	k := 0
	for i := range d.ps {
		if d.small(i) {
			k++
		}
	}
	return k <= maxNLabels
}

// endX is the x where period i ends (the start of the next period).
func (d chartData) endX(i int) float64 { return decYear(nextPeriod(d.ps[i].start, d.period)) }

// nLabel is the label of a small n.
func nLabel(n int) string { return fmt.Sprintf("n=%d", n) }

// smallLegend is the legend text of the hollow or faded marks.
func smallLegend(what string, labelled bool) string {
	s := fmt.Sprintf("Fewer than %d comments: %s", smallN, what)
	if labelled {
		return s + ", n written beside"
	}
	return s + " (n in daily.csv)"
}

// faded is c at a third of its opacity: the colour stays recognisable as
// the series' while reading clearly as less certain.
func faded(c color.Color) color.Color {
	r, g, b, a := c.RGBA()
	if a == 0 {
		return c
	}
	// Un-premultiply, then scale alpha.
	return color.NRGBA{R: uint8(r * 0xff / a), G: uint8(g * 0xff / a), B: uint8(b * 0xff / a), A: uint8(a >> 8 / 3)}
}

// lineSeries is how addTimeLine draws one series.
type lineSeries struct {
	panel, name string
	col         color.Color
	width       float64
	radius      vg.Length // glyph of a solid point; 0 draws none (a lone solid point still gets one)
	// marks, when set, collects the "n=…" labels of the small periods for
	// which labelIf holds (all when nil); the caller adds it last, above
	// every line.
	marks   *nMarks
	labelIf func(i int) bool
}

// addTimeLine draws y per period as lines broken at empty periods and
// undefined values. A step touching a small period is drawn faded, a small
// period is a hollow ring, and (when s.marks is set and the chart has few)
// its n is written beside it. It returns a legend thumbnail of the solid
// line, nil when nothing was drawn.
func (d chartData) addTimeLine(p *plot.Plot, dr *drawnChart, s lineSeries, y func(i int) float64) (plot.Thumbnailer, error) {
	ls := lineStyle(s.col, s.width, false)
	fls := lineStyle(faded(s.col), s.width, false)
	var solid, hollow plotter.XYs
	label := s.marks != nil && d.labelN()
	for _, r := range d.periodRuns(func(i int) bool { return !math.IsNaN(y(i)) }) {
		err := stepGroups(r, d.touchesSmall(r), func(part []int, f bool) error {
			pts := make(plotter.XYs, 0, len(part))
			for _, i := range part {
				pts = append(pts, plotter.XY{X: d.xs[i], Y: y(i)})
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return fmt.Errorf("%s line: %w", s.name, err)
			}
			l.LineStyle = ls
			if f {
				l.LineStyle = fls
			}
			p.Add(l)
			dr.line(s.panel, s.name, "data", pts[0].X, pts[len(pts)-1].X, f)
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, i := range r {
			pt := plotter.XY{X: d.xs[i], Y: y(i)}
			switch {
			case d.small(i):
				hollow = append(hollow, pt)
				fd := drawnFaded{Panel: s.panel, Series: s.name, Period: d.ps[i].start.Format(dateLayout), N: d.ps[i].all.n}
				if label && (s.labelIf == nil || s.labelIf(i)) {
					fd.Label = nLabel(fd.N)
					s.marks.add(pt, fd.Label)
				}
				dr.Faded = append(dr.Faded, fd)
			case s.radius > 0 || len(r) == 1:
				solid = append(solid, pt)
			}
		}
	}
	if err := addGlyphs(p, solid, draw.GlyphStyle{Color: s.col, Radius: max(s.radius, vg.Points(2)), Shape: draw.CircleGlyph{}}); err != nil {
		return nil, err
	}
	if err := addGlyphs(p, hollow, draw.GlyphStyle{Color: s.col, Radius: ringRadius, Shape: draw.RingGlyph{}}); err != nil {
		return nil, err
	}
	return thumbLine{ls}, nil
}

// stepGroups splits a run of periods into the longest parts whose steps
// (from r[k-1] to r[k]) are all faded or all not, by fadedStep(k), and calls
// emit on each; neighbouring parts share their end period. A run of one
// period has no step and no part.
func stepGroups(r []int, fadedStep func(k int) bool, emit func(part []int, faded bool) error) error {
	a := 0
	for k := 1; k < len(r); k++ {
		f := fadedStep(k)
		if k+1 < len(r) && fadedStep(k+1) == f {
			continue
		}
		if err := emit(r[a:k+1], f); err != nil {
			return err
		}
		a = k
	}
	return nil
}

// touchesSmall is stepGroups' fadedStep for a run r: a step is faded when
// either end is a small period.
func (d chartData) touchesSmall(r []int) func(k int) bool {
	return func(k int) bool { return d.small(r[k-1]) || d.small(r[k]) }
}

// addGlyphs adds a scatter of pts (none when empty).
func addGlyphs(p *plot.Plot, pts plotter.XYs, g draw.GlyphStyle) error {
	if len(pts) == 0 {
		return nil
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return fmt.Errorf("points: %w", err)
	}
	s.GlyphStyle = g
	p.Add(s)
	return nil
}

// addBand draws the interval [lo(i), hi(i)] as translucent polygons over
// the runs of consecutive periods where it is defined, faded where a step
// touches a small period (an interval of two comments, sometimes of zero
// width, is no firmer than its mean); a lone period gets a narrow bar a
// quarter of its period wide. It returns a solid polygon for the legend
// (nil when none was drawn).
func (d chartData) addBand(p *plot.Plot, dr *drawnChart, name string, col color.Color, lo, hi func(i int) float64) (*plotter.Polygon, error) {
	var legend, anyPoly *plotter.Polygon
	add := func(pts plotter.XYs, from, to float64, fd bool) error {
		poly, err := plotter.NewPolygon(pts)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		poly.Color, poly.LineStyle.Width = col, 0
		if fd {
			poly.Color = faded(col)
		} else if legend == nil {
			legend = poly
		}
		if anyPoly == nil {
			anyPoly = poly
		}
		p.Add(poly)
		dr.line("", name, "band", from, to, fd)
		return nil
	}
	for _, r := range d.periodRuns(func(i int) bool { return !math.IsNaN(lo(i)) && !math.IsNaN(hi(i)) }) {
		if len(r) == 1 {
			i := r[0]
			w := (d.endX(i) - d.xs[i]) / 8
			pts := plotter.XYs{{X: d.xs[i] - w, Y: lo(i)}, {X: d.xs[i] + w, Y: lo(i)}, {X: d.xs[i] + w, Y: hi(i)}, {X: d.xs[i] - w, Y: hi(i)}}
			if err := add(pts, d.xs[i], d.xs[i], d.small(i)); err != nil {
				return nil, err
			}
			continue
		}
		err := stepGroups(r, d.touchesSmall(r), func(part []int, f bool) error {
			pts := make(plotter.XYs, 0, 2*len(part))
			for _, i := range part {
				pts = append(pts, plotter.XY{X: d.xs[i], Y: hi(i)})
			}
			for j := len(part) - 1; j >= 0; j-- {
				pts = append(pts, plotter.XY{X: d.xs[part[j]], Y: lo(part[j])})
			}
			return add(pts, d.xs[part[0]], d.xs[part[len(part)-1]], f)
		})
		if err != nil {
			return nil, err
		}
	}
	if legend == nil {
		legend = anyPoly
	}
	return legend, nil
}

// addSteps draws, for each period, the area between lower(i) and upper(i)
// across the whole period (a step), one polygon per run of consecutive
// periods of the same kind: solid in col, or faded for small periods.
func (d chartData) addSteps(p *plot.Plot, dr *drawnChart, name string, col color.Color, lower, upper func(i int) float64) error {
	for _, r := range d.periodRuns(func(int) bool { return true }) {
		a := 0
		for k := 1; k <= len(r); k++ {
			if k < len(r) && d.small(r[k]) == d.small(r[a]) {
				continue
			}
			var top, bottom plotter.XYs
			for _, i := range r[a:k] {
				x0, x1 := d.xs[i], d.endX(i)
				top = append(top, plotter.XY{X: x0, Y: upper(i)}, plotter.XY{X: x1, Y: upper(i)})
				bottom = append(bottom, plotter.XY{X: x0, Y: lower(i)}, plotter.XY{X: x1, Y: lower(i)})
			}
			for j := len(bottom) - 1; j >= 0; j-- {
				top = append(top, bottom[j])
			}
			poly, err := plotter.NewPolygon(top)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			small := d.small(r[a])
			poly.Color = col
			if small {
				poly.Color = faded(col)
			}
			poly.LineStyle.Width = 0
			p.Add(poly)
			dr.line("", name, "data", d.xs[r[a]], d.endX(r[k-1]), small)
			a = k
		}
	}
	return nil
}

// smallPeriodMarks returns the "n=…" labels of the small periods at
// y(i) (nothing when the chart has too many to label), and records every
// small period as faded under series.
func (d chartData) smallPeriodMarks(dr *drawnChart, series string, y func(i int) float64) nMarks {
	m := newNMarks()
	label := d.labelN()
	for i, pr := range d.ps {
		if !d.small(i) {
			continue
		}
		fd := drawnFaded{Series: series, Period: pr.start.Format(dateLayout), N: pr.all.n}
		if label {
			fd.Label = nLabel(fd.N)
			m.add(plotter.XY{X: (d.xs[i] + d.endX(i)) / 2, Y: y(i)}, fd.Label)
		}
		dr.Faded = append(dr.Faded, fd)
	}
	return m
}

// nMarks writes short labels (n of a small period) just above points, or
// just below them where above would leave the data area; a translucent
// white box keeps them legible over lines.
type nMarks struct {
	pts   plotter.XYs
	texts []string
	size  vg.Length
	gap   vg.Length // distance from the point to the label
}

// ringRadius is the radius of a small period's hollow ring.
const ringRadius = 3.5

// newNMarks returns an empty set of labels for the small periods, placed
// clear of their rings.
func newNMarks() nMarks { return nMarks{size: sizeSmall - 3, gap: vg.Points(ringRadius + 1)} }

func (m *nMarks) add(pt plotter.XY, s string) {
	m.pts = append(m.pts, pt)
	m.texts = append(m.texts, s)
}

func (m nMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := text.Style{Color: color.Black, Font: fontOf(m.size), XAlign: text.XCenter, YAlign: text.YBottom, Handler: p.TextHandler}
	for k, pt := range m.pts {
		x, y := trX(pt.X), trY(pt.Y)
		if x < c.Min.X || x > c.Max.X {
			continue
		}
		sz := sty.Rectangle(m.texts[k]).Size()
		y0 := y + m.gap
		if y0+sz.Y > c.Max.Y {
			y0 = y - m.gap - sz.Y
		}
		y0 = max(y0, c.Min.Y)
		box := []vg.Point{{X: x - sz.X/2 - 1, Y: y0}, {X: x + sz.X/2 + 1, Y: y0}, {X: x + sz.X/2 + 1, Y: y0 + sz.Y}, {X: x - sz.X/2 - 1, Y: y0 + sz.Y}}
		c.FillPolygon(colLabelBox, box)
		c.FillText(sty, vg.Point{X: x, Y: y0}, m.texts[k])
	}
}

// ringThumb is the legend entry of a hollow (small-n) point.
type ringThumb struct{ c color.Color }

func (t ringThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle{Color: t.c, Radius: ringRadius, Shape: draw.RingGlyph{}}, c.Center())
}

// fadedSwatch is the legend entry of a faded area: a square of the faded
// colours side by side.
type fadedSwatch []color.Color

func (s fadedSwatch) Thumbnail(c *draw.Canvas) {
	side := c.Max.Y - c.Min.Y
	w := side * vg.Length(len(s))
	x := (c.Min.X + c.Max.X - w) / 2
	for _, col := range s {
		c.FillPolygon(faded(col), []vg.Point{{X: x, Y: c.Min.Y}, {X: x + side, Y: c.Min.Y}, {X: x + side, Y: c.Max.Y}, {X: x, Y: c.Max.Y}})
		x += side
	}
}

// scatterThumb is the legend entry of a filled point.
type scatterThumb struct {
	c color.Color
	r vg.Length
}

func (t scatterThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle{Color: t.c, Radius: t.r, Shape: draw.CircleGlyph{}}, c.Center())
}

// shareText writes a share on the tables' 0 to 1 scale, to 3 decimals (a
// tenth of a per cent; the CSVs carry 4), or "–" when undefined.
func shareText(v float64) string { return orDash(formatFloat(v, 3)) }
