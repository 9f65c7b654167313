package reports

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heat-map colours: a period with no comments is light grey crossed by
// darker hatching, so it cannot pass for a share of 0 (the palette's
// near-white); the top row marks the periods with few comments.
var (
	colNoData    = color.RGBA{R: 228, G: 228, B: 228, A: 255}
	colHatch     = color.RGBA{R: 120, G: 120, B: 120, A: 255}
	colSmallCell = color.RGBA{R: 254, G: 224, B: 182, A: 255} // pale orange
)

// topicGrid is the heat map's grid: one column per period from the first
// to the last (empty periods are NaN and hatched), one row per topic.
type topicGrid struct {
	xs     []float64
	starts []time.Time // start of each column's period
	n      []int       // comments in each column's period
	z      [][]float64 // [row][col]
	rows   int
}

func (g topicGrid) Dims() (int, int)   { return len(g.xs), g.rows }
func (g topicGrid) Z(c, r int) float64 { return g.z[r][c] }
func (g topicGrid) X(c int) float64    { return g.xs[c] }
func (g topicGrid) Y(r int) float64    { return float64(r) }
func (g topicGrid) maxZ() (m float64)  { return maxGrid(g.z) }

// edges are the column boundaries as plotter.HeatMap draws them: halfway
// between neighbouring centres, and half a neighbour's distance outside
// the first and last.
func (g topicGrid) edges() []float64 {
	n := len(g.xs)
	e := make([]float64, n+1)
	switch n {
	case 0:
		return nil
	case 1:
		e[0], e[1] = g.xs[0]-0.5, g.xs[0]+0.5
		return e
	}
	for c := 1; c < n; c++ {
		e[c] = (g.xs[c-1] + g.xs[c]) / 2
	}
	e[0] = g.xs[0] - (g.xs[1]-g.xs[0])/2
	e[n] = g.xs[n-1] + (g.xs[n-1]-g.xs[n-2])/2
	return e
}

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

// heatGrid rolls the periods up to hp and returns the share of each topic
// in each period from the first to the last: NaN where a period has no
// comments. Rows run bottom to top, so the taxonomy is reversed to read
// from the top.
func heatGrid(d chartData, hp string) topicGrid {
	g := topicGrid{rows: len(d.topics)}
	if len(d.ps) == 0 || len(d.topics) == 0 {
		return g
	}
	idx := map[time.Time]int{}
	first := periodStart(d.ps[0].start, hp)
	last := periodStart(d.ps[len(d.ps)-1].start, hp)
	for s := first; !s.After(last); s = nextPeriod(s, hp) {
		idx[s] = len(g.xs)
		// The cell is centred in its period, so that it spans the period
		// (to a day or so) and an event falls in the cell of its date.
		g.xs = append(g.xs, (decYear(s)+decYear(nextPeriod(s, hp)))/2)
		g.starts = append(g.starts, s)
	}
	g.n = make([]int, len(g.xs))
	topicN := make([][]int, len(d.topics))
	for ti := range topicN {
		topicN[ti] = make([]int, len(g.xs))
	}
	for _, pr := range d.ps {
		c := idx[periodStart(pr.start, hp)]
		g.n[c] += pr.all.n
		for ti := range d.topics {
			topicN[ti][c] += pr.topicN[ti]
		}
	}
	g.z = make([][]float64, len(d.topics))
	for r := range d.topics {
		ti := len(d.topics) - 1 - r
		row := make([]float64, len(g.xs))
		for c, n := range g.n {
			row[c] = math.NaN()
			if n > 0 {
				row[c] = float64(topicN[ti][c]) / float64(n)
			}
		}
		g.z[r] = row
	}
	return g
}

// heatmapChart: share of comments on each topic, topics by period. Periods
// with no comments are hatched; above the topics, a row marks the periods
// with fewer than smallN comments and (when few) writes their n.
func heatmapChart(d chartData) (*figure, error) {
	hp := heatPeriod(d)
	title := fmt.Sprintf("Share of comments on each topic, per %s", hp)
	if hp != d.period {
		title += fmt.Sprintf(" (tables are per %s)", d.period)
	}
	p := newPlot("", "Post date", "")
	f := &figure{title: title, p: p}
	g := heatGrid(d, hp)
	names := make([]string, len(d.topics))
	for r := range d.topics {
		names[r] = topicLabel(d.topics[len(d.topics)-1-r])
	}
	pal := heatPalette()
	// Periods with one or two comments give shares of 0 or 1 that would
	// stretch the scale and leave every other cell pale; the scale stops
	// at the 95th percentile and larger shares take the darkest colour.
	hi := math.Max(percentile(g.z, 0.95), 0.01)
	capped := hi < g.maxZ()
	if len(g.xs) > 0 && g.rows > 0 {
		hm := plotter.NewHeatMap(g, pal)
		hm.Min, hm.Max = 0, hi
		hm.NaN = colNoData
		hm.Overflow = pal.Colors()[len(pal.Colors())-1]
		p.Add(hm)
		p.Add(g.hatching(d.topics, &f.drawn))
		if row, ok := g.smallRow(&f.drawn); ok {
			p.Add(row)
			names = append(names, fmt.Sprintf("n < %d", smallN))
			what := fmt.Sprintf("Fewer than %d comments: marked in the top row, n written in it", smallN)
			if !row.labels {
				what = fmt.Sprintf("Fewer than %d comments: marked in the top row (n in daily.csv)", smallN)
			}
			f.legend.add(what, swatch{colSmallCell})
		}
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font = fontOf(sizeTick)
	p.Y.Tick.Length = 0
	p.X.Tick.Marker = yearTicks{}
	if e := g.edges(); len(e) > 0 {
		// From the first period's start to the last one's end (the cells'
		// edges are within a day of them), so the first tick shows.
		first, last := decYear(g.starts[0]), decYear(nextPeriod(g.starts[len(g.starts)-1], hp))
		p.X.Min, p.X.Max = math.Min(e[0], first), math.Max(e[len(e)-1], last)
	}
	p.Add(d.eventMarks(false))
	f.key = heatKey(hi, capped)
	f.drawn.Axes = append(f.drawn.Axes, drawnAxis{Panel: "key", Label: f.key.Y.Label.Text, Min: f.key.Y.Min, Max: f.key.Y.Max})
	if len(d.events) > 0 {
		f.legend.add("Events (dashed lines; see the sentiment chart for names)", eventThumb{})
	}
	f.legend.add("No comments in the period (hatched)", hatchThumb{})
	return f, nil
}

// heatKey is the colour key: a one-column heat map of the palette from 0
// to hi.
func heatKey(hi float64, capped bool) *plot.Plot {
	keyLabel := "Share of comments in the period " + shareAxis
	if capped {
		keyLabel = fmt.Sprintf("Share of comments (0–1; darkest = %s or more)", formatFloat(hi, 2))
	}
	key := newPlot("", "", keyLabel)
	key.Y.Label.TextStyle.Font = fontOf(sizeSmall + 2)
	steps := 100
	kz := make([][]float64, steps)
	for k := range kz {
		kz[k] = []float64{hi * (float64(k) + 0.5) / float64(steps)}
	}
	km := plotter.NewHeatMap(keyGrid{kz: kz, hi: hi}, heatPalette())
	km.Min, km.Max = 0, hi
	key.Add(km)
	key.HideX()
	key.Y.Min, key.Y.Max = 0, hi
	return key
}

// hatching returns the plotter that hatches the columns of periods with no
// comments, and records each hatched cell.
func (g topicGrid) hatching(topics []Topic, dr *drawnChart) hatch {
	h := hatch{rows: g.rows}
	e := g.edges()
	for c, n := range g.n {
		if n > 0 {
			continue
		}
		if k := len(h.spans); k > 0 && h.spans[k-1][1] == e[c] {
			h.spans[k-1][1] = e[c+1] // runs of empty periods hatch as one block
		} else {
			h.spans = append(h.spans, [2]float64{e[c], e[c+1]})
		}
		for ti := range topics {
			dr.Hatched = append(dr.Hatched, drawnCell{Row: topics[ti].Name, Period: g.starts[c].Format(dateLayout)})
		}
	}
	return h
}

// hatch draws diagonal hatching over x spans of every row.
type hatch struct {
	spans [][2]float64 // x from, to
	rows  int
}

func (h hatch) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, s := range h.spans {
		r := vg.Rectangle{Min: vg.Point{X: trX(s[0]), Y: trY(-0.5)}, Max: vg.Point{X: trX(s[1]), Y: trY(float64(h.rows) - 0.5)}}
		hatchRect(c, r)
	}
}

// hatchRect draws 45° lines across r, on a grid anchored at the canvas
// origin so that neighbouring blocks line up.
func hatchRect(c draw.Canvas, r vg.Rectangle) {
	sp := vg.Points(5)
	ls := draw.LineStyle{Color: colHatch, Width: vg.Points(0.8)}
	cell := draw.Canvas{Canvas: c.Canvas, Rectangle: r}
	k0 := math.Floor(float64((r.Min.X - r.Max.Y) / sp))
	k1 := math.Ceil(float64((r.Max.X - r.Min.Y) / sp))
	for k := k0; k <= k1; k++ {
		off := vg.Length(k) * sp
		line := []vg.Point{{X: r.Min.Y + off, Y: r.Min.Y}, {X: r.Max.Y + off, Y: r.Max.Y}}
		cell.StrokeLines(ls, cell.ClipLinesXY(line)...)
	}
}

// hatchThumb is the legend entry of a hatched cell.
type hatchThumb struct{}

func (hatchThumb) Thumbnail(c *draw.Canvas) {
	side := c.Max.Y - c.Min.Y
	x := (c.Min.X + c.Max.X - side) / 2
	r := vg.Rectangle{Min: vg.Point{X: x, Y: c.Min.Y}, Max: vg.Point{X: x + side, Y: c.Max.Y}}
	c.FillPolygon(colNoData, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	hatchRect(*c, r)
}

// smallRow returns the heat map's top row, which marks the columns whose
// period has fewer than smallN comments (ok is false when none has), and
// records them as faded.
func (g topicGrid) smallRow(dr *drawnChart) (r nRow, ok bool) {
	r = nRow{y: float64(g.rows), edges: g.edges()}
	for c, n := range g.n {
		if n > 0 && n < smallN {
			r.cols = append(r.cols, c)
			r.n = append(r.n, n)
		}
	}
	r.labels = len(r.cols) <= maxNLabels
	for k, c := range r.cols {
		fd := drawnFaded{Series: "heatmap", Period: g.starts[c].Format(dateLayout), N: r.n[k]}
		if r.labels {
			fd.Label = fmt.Sprint(r.n[k])
		}
		dr.Faded = append(dr.Faded, fd)
	}
	return r, len(r.cols) > 0
}

// nRow is a row of pale cells at y over the marked columns, with each
// column's n written in it when labels is set (the row's name says "n <
// 10", so the cell shows the number alone: "n=" would not fit a column).
type nRow struct {
	y      float64
	edges  []float64
	cols   []int
	n      []int
	labels bool
}

func (r nRow) DataRange() (xmin, xmax, ymin, ymax float64) {
	return r.edges[0], r.edges[len(r.edges)-1], r.y - 0.5, r.y + 0.5
}

func (r nRow) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := text.Style{Color: color.Black, Font: fontOf(sizeSmall - 3), XAlign: text.XCenter, YAlign: text.YCenter, Handler: p.TextHandler}
	y0, y1 := trY(r.y-0.5), trY(r.y+0.5)
	for k, col := range r.cols {
		x0, x1 := trX(r.edges[col]), trX(r.edges[col+1])
		c.FillPolygon(colSmallCell, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		if r.labels {
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, fmt.Sprint(r.n[k]))
		}
	}
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
